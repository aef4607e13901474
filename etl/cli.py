"""The ETL commands of the command line (`python -m etl`): load, check and export the warehouse.

The product's command line, `maillage` (`python -m maillage`), is these commands and the committee
pack (maillage/cli.py): the pack is drawn by the presentation layer, which the ETL never imports."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
import pandas as pd

from etl.errors import FileRefused, MaillageError
from warehouse.db import resolve_db_path

F = TypeVar("F", bound=Callable[..., Any])

DB_HELP = "Warehouse file (default: $MAILLAGE_DB, else data/maillage.duckdb)."
SECRET_HELP = (
    "Pseudonymisation key file (default: $MAILLAGE_SECRET, else ~/.config/maillage/pseudonym.key; "
    "created on first use)."
)


def user_errors(func: F) -> F:
    """Print a user mistake as one paragraph (no traceback) and exit non-zero."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MaillageError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


@click.group(name="maillage", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="maillage")
def cli() -> None:
    """Maillage: evaluate how the professionals of a local educational partnership work together.

    Load survey waves and activity logs into a DuckDB warehouse, check their quality, and export
    tidy tables. The dashboard reads the same warehouse: streamlit run app.py. The committee
    pack is built by `maillage pack` (the product's command: these commands and the pack).
    """


@cli.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help=DB_HELP)
@user_errors
def init(db: Path | None) -> None:
    """Create an empty warehouse (or bring an existing one to the current schema)."""
    from etl.errors import WarehouseError
    from warehouse.db import WarehouseUnavailable, publish, writer_lock

    path = resolve_db_path(db)
    existed = path.exists()
    try:
        with writer_lock(path):
            publish(path, lambda conn: None)
    except WarehouseUnavailable as exc:
        raise WarehouseError(str(exc)) from None
    click.echo(f"{'Updated' if existed else 'Created'} warehouse {path}")


def _print_result(result: Any, report: Path | None, lang: str = "en") -> None:
    from etl.report import summary_lines

    for line in summary_lines(result, report, lang):
        click.echo(line)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--instrument",
    "-i",
    required=True,
    help="Codebook of the file: practitioner, partner, activities, institutions, targets "
    "(see `maillage instruments`); NAME@VERSION forces a version.",
)
@click.option("--wave", "-w", help="Wave id, e.g. 2025-1 (needed for surveys unless the file has a wave column).")
@click.option("--dry-run", is_flag=True, help="Validate and report without writing anything.")
@click.option("--sheet", help="Spreadsheet sheet to read (default: the first visible one).")
@click.option("--encoding", help="Force the CSV encoding (default: detected; UTF-8, UTF-8 with BOM or Windows-1252).")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the validation report CSV (default: reports/ beside the warehouse).",
)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help=DB_HELP)
@click.option(
    "--secret",
    type=click.Path(dir_okay=False, path_type=Path),
    help=SECRET_HELP + " A warehouse already pseudonymised needs its key: a missing file is then refused.",
)
@click.option(
    "--surveys",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A folder of your own codebooks (<instrument>/<version>.toml), searched before the shipped ones; "
    "repeat for several (default: $MAILLAGE_SURVEYS).",
)
@click.option(
    "--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True, help="Language of the summary."
)
@user_errors
def load(
    file: Path,
    instrument: str,
    wave: str | None,
    dry_run: bool,
    sheet: str | None,
    encoding: str | None,
    report: Path | None,
    db: Path | None,
    secret: Path | None,
    surveys: tuple[Path, ...],
    lang: str,
) -> None:
    """Load one export FILE (CSV, XLSX, ODS, SPSS .sav) of a survey wave, activity log or reference list.

    Every problem is reported (file, row, column, what to do) on the console and in a CSV report
    (which alone, with the quarantine table, holds the rejected values). Problems with a cell or
    a row quarantine it; problems with the whole file refuse the load. The warehouse changes in
    one step or not at all.
    """
    from etl.load import load_file
    from etl.report import default_report_path, write_report
    from etl.validate import check_names

    check_names(wave, instrument)  # before anything is written (the report's name holds the wave)
    db_path = resolve_db_path(db)
    report_path = report or default_report_path(db_path, file, wave)
    try:
        result = load_file(
            file,
            instrument,
            wave,
            db=db_path,
            dry_run=dry_run,
            secret_path=secret,
            sheet=sheet,
            encoding=encoding,
            surveys=list(surveys) or None,
        )
    except FileRefused as exc:
        if exc.problems:
            write_report(report_path, file.name, pd.DataFrame(exc.problems), lang)
            click.echo(("Rapport : " if lang == "fr" else "Report: ") + str(report_path), err=True)
        raise
    write_report(report_path, file.name, result.problems, lang)
    _print_result(result, report_path, lang)


@cli.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help=DB_HELP)
@click.option("--secret", type=click.Path(dir_okay=False, path_type=Path), help=SECRET_HELP)
@click.option("--force", is_flag=True, help="Replace the warehouse even if it holds data that is not the demo.")
@click.option(
    "--regenerate", is_flag=True, help="Write the demo exports in surveys/demo/ again from the seeded generator first."
)
@user_errors
def demo(db: Path | None, secret: Path | None, force: bool, regenerate: bool) -> None:
    """Build the demo warehouse from the demo territory's exports in surveys/demo/."""
    from etl.demo import build_demo_warehouse, write_demo_exports

    if regenerate:
        for path in write_demo_exports():
            click.echo(f"wrote {path}")
    path = resolve_db_path(db)
    results = build_demo_warehouse(path, secret_path=secret, force=force, echo=click.echo)
    loaded = sum(r.rows_loaded for r in results)
    click.echo(f"Demo warehouse ready: {path} ({len(results)} files, {loaded} rows loaded).")
    click.echo("Next: maillage status, or streamlit run app.py")


@cli.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help=DB_HELP)
@user_errors
def status(db: Path | None) -> None:
    """Waves, counts, last loads and quarantine of the warehouse."""
    from etl.report import status_lines

    for line in status_lines(resolve_db_path(db)):
        click.echo(line)


@cli.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (created if needed).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet"]),
    default="csv",
    show_default=True,
    help="Tidy tables as UTF-8 CSV (',' separated, '.' decimals) or Parquet (per-wave tables partitioned by wave).",
)
@click.option("--no-indicators", is_flag=True, help="Skip the indicator tables (faster).")
@click.option(
    "--include-free-text",
    is_flag=True,
    help="Also export free text (activity titles), the raw values of quarantined cells and the warehouse's "
    "quarantine messages that quote them.",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    help="Language of the variable and value labels of the Stata and SPSS panel (default: the language setting, fr).",
)
@click.option(
    "--microdata",
    is_flag=True,
    help="Also export respondent-level data (answers, scores, reported ties, the wide panel as .dta and .sav), "
    "anonymised: new pseudonyms, quasi-identifiers coarsened until every combination has min_group_size rows. "
    "The export is recorded in the warehouse.",
)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help=DB_HELP)
@user_errors
def export(
    out: Path, fmt: str, no_indicators: bool, include_free_text: bool, lang: str | None, microdata: bool,
    db: Path | None,
) -> None:
    """Write the warehouse for R, Stata, SPSS or Python: reference tables, indicator tables (small
    groups never shown) and a data dictionary; respondent-level data only with --microdata
    (anonymised, k-anonymous, recorded). No free text unless asked; CSV text cells never start a
    spreadsheet formula."""
    from etl.export import export_tables

    report: list[str] = []
    written = export_tables(
        resolve_db_path(db), out, fmt, include_free_text, not no_indicators, lang, microdata=microdata, report=report
    )
    for path, n in written:
        click.echo(f"{path}  ({n} rows)")
    for line in report:
        click.echo(line)
    if not microdata:
        click.echo("No respondent-level data exported (add --microdata for anonymised microdata).")


@cli.group()
def events() -> None:
    """Events shown on every time chart (the launch of a scheme, a training, a school year)."""


@events.command("add")
@click.option("--date", "date", required=True, help="Day of the event: 2025-09-01 or 01/09/2025.")
@click.option("--label", required=True, help="Short label in French (at most 40 characters), written on the charts.")
@click.option("--label-en", help="The label in English (default: the French one).")
@click.option("--territory", help="The territory it concerns (default: the whole partnership).")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help=DB_HELP)
@user_errors
def events_add(date: str, label: str, label_en: str | None, territory: str | None, db: Path | None) -> None:
    """Mark one event."""
    from etl.events import add_events, new_event

    event = new_event(date, label, label_en, territory)
    (event_id,) = add_events(resolve_db_path(db), [event])
    click.echo(f"Event #{event_id} added: {event.event_date:%d/%m/%Y} {event.label_fr}")


@events.command("load")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help=DB_HELP)
@user_errors
def events_load(file: Path, db: Path | None) -> None:
    """Add the events of a CSV or XLSX FILE with the columns date;libellé (optionally label_en;territoire).
    The whole file is checked first: nothing is added when a row is wrong."""
    from etl.events import add_events, read_events_file

    found = read_events_file(file)
    ids = add_events(resolve_db_path(db), found)
    click.echo(f"{len(ids)} event(s) added from {file.name}.")


@events.command("list")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help=DB_HELP)
@user_errors
def events_list(db: Path | None) -> None:
    """The events, by date."""
    from etl.events import list_events

    rows = list_events(resolve_db_path(db))
    if not rows:
        click.echo("No event yet: maillage events add --date 2025-09-01 --label \"Lancement du dispositif\"")
    for event_id, day, fr, en, territory in rows:
        where = f"  [{territory}]" if territory else ""
        english = f"  ({en})" if en != fr else ""
        click.echo(f"#{event_id:<3} {day:%d/%m/%Y}  {fr}{english}{where}")


@events.command("remove")
@click.argument("event_id", type=int)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help=DB_HELP)
@user_errors
def events_remove(event_id: int, db: Path | None) -> None:
    """Remove event EVENT_ID (see `maillage events list`)."""
    from etl.events import remove_event

    remove_event(resolve_db_path(db), event_id)
    click.echo(f"Event #{event_id} removed.")


@cli.command()
@user_errors
def instruments() -> None:
    """The instruments Maillage knows (codebooks in surveys/) and their versions."""
    from etl.codebook import available_instruments

    for name, books in available_instruments().items():
        latest = books[-1]
        versions = ", ".join(b.version for b in books)
        click.echo(f"{name:<14} {latest.kind:<15} versions {versions:<8} {latest.title_en}")


def main() -> None:
    cli(prog_name="python -m etl")


if __name__ == "__main__":
    main()
