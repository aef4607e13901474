"""`maillage`: the product's command line — the ETL commands (etl/cli.py) and the committee pack.

It sits above every layer: the pack is built by the presentation layer (ui.pack), which the ETL
never imports. `python -m maillage` is the same command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from etl.cli import DB_HELP, user_errors
from etl.cli import cli as etl_commands
from warehouse.db import resolve_db_path


@click.group(name="maillage", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="maillage")
def cli() -> None:
    """Maillage: evaluate how the professionals of a local educational partnership work together.

    Load survey waves and activity logs into a DuckDB warehouse, check their quality, export
    tidy tables and build the steering-committee pack. The dashboard reads the same warehouse:
    streamlit run app.py
    """


for _name, _command in etl_commands.commands.items():
    cli.add_command(_command, _name)


def _progress_printer() -> Callable[[float, str], None]:
    """Print each new step of the pack once (not every poll of the image drawing)."""
    seen: set[str] = set()

    def show(fraction: float, message: str) -> None:
        if message not in seen:
            seen.add(message)
            click.echo(f"  {fraction:4.0%}  {message}", err=True)

    return show


def _wave_list(text: str | None) -> tuple[str, ...] | None:
    """'2025-1,2026-1' → those waves; '2025-1..2026-1' → the range (resolved against the warehouse)."""
    if not text:
        return None
    return tuple(w.strip() for w in text.split(",") if w.strip())


@cli.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The pack to write (.zip).")
@click.option(
    "--waves",
    help="Waves to include: 2025-1,2025-2,2026-1 or a range 2025-1..2026-1 (default: all). The last two are compared.",
)
@click.option("--territory", multiple=True, help="Keep one territory (repeat for several).")
@click.option("--sector", multiple=True, help="Keep one sector id, e.g. education (repeat for several).")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True, help="Language of the pack.")
@click.option("--sections", help="Comma-separated sections (default: the headline set). `--sections list` lists them.")
@click.option(
    "--images",
    is_flag=True,
    help="Also write every chart as PNG and SVG in graphiques/ (slower: a browser draws each). By default the "
    "line and bar charts are native PowerPoint charts and only the pictures (network, heatmaps) are drawn.",
)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help=DB_HELP)
@user_errors
def pack(
    out: Path,
    waves: str | None,
    territory: tuple[str, ...],
    sector: tuple[str, ...],
    lang: str,
    sections: str | None,
    images: bool,
    db: Path | None,
) -> None:
    """Build the steering-committee pack: a PowerPoint deck (editable native charts; pictures for the
    network and heatmaps), an XLSX workbook of the indicator tables in French with their definitions,
    and a README (the same pack as the dashboard's « Exporter pour le comité » page). Each indicator
    family shows the latest wave that has its data; a section without data is a text slide."""
    import time

    from etl.errors import MaillageError
    from indicators.filters import Filters
    from ui.exports import StaticExportUnavailable
    from ui.pack import SECTIONS, PackError, build_pack, default_sections
    from warehouse.db import ReadOnlyWarehouse, WarehouseUnavailable

    if sections == "list":
        for s in SECTIONS:
            click.echo(f"{s.id:<18} {'default' if s.default else '       '}  {s.title(lang)}")
        return
    path = resolve_db_path(db)
    wanted = _wave_list(waves)
    started = time.perf_counter()
    try:
        wh = ReadOnlyWarehouse(path)
        cursor = wh.cursor()
        if wanted and len(wanted) == 1 and ".." in wanted[0]:
            first, last = wanted[0].split("..", 1)
            known = [r[0] for r in cursor.execute("SELECT wave_id FROM waves ORDER BY wave_order").fetchall()]
            missing = [w for w in (first, last) if w not in known]
            if missing:
                raise PackError(f"Unknown wave(s): {', '.join(missing)}. Waves in the warehouse: {', '.join(known)}.")
            wanted = tuple(known[known.index(first) : known.index(last) + 1])
        filters = Filters(waves=wanted, territories=territory or None, sectors=sector or None)
        chosen = [s.strip() for s in sections.split(",")] if sections else default_sections()
        data = build_pack(
            cursor,
            filters,
            lang,
            chosen,
            version=wh.version,
            progress=_progress_printer(),
            images=images,
        )
    except WarehouseUnavailable:
        raise MaillageError(
            f"No warehouse at {path}. Build one with `maillage demo` or `maillage load`, or pass --db."
        ) from None
    except PackError as exc:
        raise MaillageError(str(exc)) from None
    except StaticExportUnavailable as exc:
        raise MaillageError(str(exc)) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    click.echo(f"Pack written: {out} ({len(data) / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s)")


@cli.command()
@click.option("--territory", multiple=True, help="Also each page with this territory chosen (repeat for several).")
@click.option("--territories", "every_territory", is_flag=True,
              help="Also each page with each territory of the warehouse chosen (a few seconds per territory).")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help=DB_HELP)
def warm(territory: tuple[str, ...], every_territory: bool, db: Path | None) -> None:
    """Compute what every page shows by default (and, with --territory / --territories, for each
    territory chosen) and keep it beside the warehouse (NAME.duckdb.results/), so that the first
    visitors after a load, and every new dashboard process, read the results instead of waiting
    for them. Run it after `maillage load`."""
    from ui import results
    from ui.warm import warm as warm_pages
    from warehouse.db import ReadOnlyWarehouse, WarehouseUnavailable

    path = resolve_db_path(db)
    try:
        wh = ReadOnlyWarehouse(path)
        known = [r[0] for r in wh.cursor().execute(
            "SELECT DISTINCT territory FROM institutions WHERE territory IS NOT NULL ORDER BY 1").fetchall()]
        wh.close()
    except WarehouseUnavailable as exc:
        raise click.ClickException(f"{exc}. Load a wave first (maillage load) or build the demo "
                                   f"(maillage demo --db {path}).") from exc
    if not results.enabled():
        raise click.ClickException("MAILLAGE_RESULTS_CACHE is off: nothing would be kept. Unset it to warm.")
    unknown = [x for x in territory if x not in known]
    if unknown:
        raise click.ClickException(f"Unknown territory: {', '.join(unknown)}. Territories in the warehouse: "
                                   f"{', '.join(known)}.")
    chosen: list[str | None] = [None, *(known if every_territory else territory)]
    done = warm_pages(path, echo=click.echo, territories=chosen)
    failed = [name for name, _, problems in done if problems]
    click.echo(f"Results kept in {results.folder_of(path).name}/ for {len(done) - len(failed)} of {len(done)} "
               "page runs.")
    if failed:
        raise click.ClickException(f"these pages raised an error: {', '.join(failed)}")


def main() -> None:
    cli(prog_name="maillage")


if __name__ == "__main__":
    main()
