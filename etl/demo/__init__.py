"""The demo territory: a seeded generator of realistic exports, and the demo warehouse built from them.

"Cité éducative de Valmont" is fictional. Three neighbourhoods (Les Tilleuls, Centre-Gare,
Plateau des Sources) and town-wide services ("Valmont"); 40 institutions in the 7 sectors of
surveys/sectors.toml; four half-yearly waves 2024-2 (fieldwork November 2024), 2025-1 (May 2025),
2025-2 (November 2025), 2026-1 (May 2026). The practitioner survey uses codebook version 1 for the
first two waves and version 2 (LEG5 added, CUL4 dropped) for the last two. 320 posts: after each
wave 10 % of the holders leave (a third of those posts stay vacant for one wave); everyone in post
is invited, 72 % of people answer 93 % of the time and the others 30 %. That gives 218-232
respondents a wave (response rates 70-75 %), 21-26 % panel attrition, 361 distinct respondents,
~18 % of them strategic. Everything is drawn from `numpy.random.default_rng` streams derived from
one seed (2026): `write_demo_exports()` rewrites the files of surveys/demo/ identically.

The files are written as the real tools write them:
- institutions.csv, effectifs_cibles.csv: `;`, UTF-8 with BOM (Excel "CSV UTF-8"), French headers;
- praticiens_<wave>.xlsx: LimeSurvey "question code" headings and "answer codes" (A1…, Y),
  token/submitdate/startdate/datestamp as text, a free-text comment column (G07Q01) that the
  codebook ignores, "NSP" (Je ne sais pas) answer codes, a few empty answers;
- partenaires_<wave>.csv: a KoboToolbox "XML values and headers" export opened in Excel and saved
  as "CSV (séparateur : point-virgule)": Windows-1252, CRLF, choice names as values;
- actions_2024-2026.xlsx: a hand-kept activity log, dates partly real Excel dates and partly text
  "dd/mm/yyyy", institutions named by name or alias separated by " ; ".

The story the indicators should reveal: latent effects built in, and [observed with seed 2026].
- Network practice (NET, 1-5): +0.50 over the four waves outside Plateau des Sources
  [wave means 3.11 → 3.26 → 3.46 → 3.61], none inside it [3.19 → 3.23 → 3.16 → 3.13].
- Partnership culture: +0.40 (+0.15 in Plateau des Sources) [3.08 → 3.34]; strategic respondents
  rate it higher, the latent gap narrowing 0.75 → 0.15 [observed 0.78 → 0.37].
- Legibility of schemes: flat, then +0.40 at wave 3 and +0.55 at wave 4 [2.77, 2.74, 3.16, 3.28].
- Parents as actors: +0.25 [3.28 → 3.52].
- WHO-5 item means 3.1, 2.72, 2.6, 3.04 [scores 61.3, 52.7, 50.6, 59.4]; CBI work burnout latent
  1.6, 1.95, 2.05, 1.7 on the 0-4 item scale [39.0, 48.8, 51.4, 43.4]; teachers and social
  workers a little lower, parents' representatives a little higher.
- Partner survey: levels of collaboration grow +0.3 a wave for cross-sector pairs, +0.1 for
  same-sector pairs, +0.05 for pairs involving an institution of Plateau des Sources, and +0.4 at a
  wave for the pairs listed together in a joint action of the log since the previous wave's
  fieldwork [mean level 1.20 → 1.88; share of cross-sector ratings at level ≥ 2: 0.29, 0.46, 0.59,
  0.61; indicators.tie_formation: pairs that acted together 3.6 times the odds of forming a tie
  (CI 1.7–7.9), 5.2 times the odds of keeping one (1.9–14.2)].
- Practitioners' WORKED_WITH: logit +0.3 a wave for institutions of another sector (+0.06 in
  Plateau des Sources) [cross-sector institutions named per respondent 2.0 → 3.7].
- Activity log (1,201 actions, Sept 2024 – June 2026): actions for 16-18 year olds only from
  September 2025 [10.5 % of actions in 2025-26]; parents co-organise more [9.9 % → 20.1 %];
  partners picked from another sector 25 % → 65 % (25 % → 28 % in Plateau des Sources) [actions
  with ≥ 2 sectors 62 % → 84 %, Plateau des Sources 46 % → 58 %].

Planted flaws, so that the validation report has true things to say (nothing else is quarantined;
`planted_flaws()` gives their exact file, row and column):
- praticiens_2024-2.xlsx: years in post "99" (G01Q04) → out_of_range, cell;
- praticiens_2025-1.xlsx: one token submitted twice (two days apart) → the older row is
  quarantined as duplicate_respondent;
- partenaires_2025-2.csv: a level of collaboration "7" → out_of_range, cell;
- actions_2024-2026.xlsx: "Colège Jean Jaurès" (misspelt) → unknown_institution, cell, with the
  suggestion Collège Jean Jaurès (EN_CLG_JAURES); and an empty row left at the summer break →
  empty_row.

The generator is split by what it writes: territory.py (the neighbourhoods, institutions, waves
and the story's parameters), people.py (posts, holders, who answers), practitioners.py (the
LimeSurvey XLSX), partners.py (the KoboToolbox CSV and the pair strengths behind it),
activities.py (the activity log), reference.py (institutions and population targets), flaws.py
(the planted flaws); this module puts them together, writes the files and builds the warehouse.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from etl.demo.activities import ACTIVITY_HEADERS, activity_rows
from etl.demo.flaws import PlantedFlaw, _plant_activity_flaws, _plant_duplicate, _plant_level, _plant_years
from etl.demo.partners import joint_pairs, pair_strengths, partner_answering, partner_headers, partner_rows
from etl.demo.people import make_people, respondents_by_wave
from etl.demo.practitioners import number_responses, practitioner_headers, practitioner_rows
from etl.demo.reference import INSTITUTION_HEADERS, TARGET_HEADERS, institution_rows, target_rows
from etl.demo.territory import (
    ACTIVITIES_FILE,
    DEFAULT_SEED,
    DEMO_DIR,
    INSTITUTIONS_FILE,
    TARGETS_FILE,
    WAVES,
    Row,
    Wave,
    _streams,
)
from etl.errors import MaillageError, WarehouseError
from etl.load import LoadResult, load_into
from warehouse.db import (
    WarehouseUnavailable,
    attach_read_only,
    meta_value,
    publish,
    set_meta,
    writer_lock,
)

# --- The whole territory, and writing it -------------------------------------------------------


@dataclass
class Territory:
    institutions: list[Row]
    targets: list[Row]
    practitioners: dict[str, list[Row]]  # wave id → rows
    partners: dict[str, list[Row]]
    activities: list[Row | None]  # None: an empty row
    flaws: list[PlantedFlaw]


def practitioner_file(wave: Wave) -> str:
    return f"praticiens_{wave.id}.xlsx"


def partner_file(wave: Wave) -> str:
    return f"partenaires_{wave.id}.csv"


def build_territory(seed: int = DEFAULT_SEED) -> Territory:
    """Every row of every demo file, and the flaws planted in them (deterministic in `seed`)."""
    rng = _streams(seed)
    people = make_people(rng["people"])
    answering = respondents_by_wave(rng["people"], people)
    practitioners = {w.id: practitioner_rows(rng["practitioner"], answering[w.index], w) for w in WAVES}
    logged = activity_rows(rng["activities"])
    strengths = pair_strengths(rng["partner"])
    strengths.joint = joint_pairs(logged)
    institutions_by_wave = partner_answering(rng["partner"])
    partners = {w.id: partner_rows(rng["partner"], strengths, w, institutions_by_wave[w.index]) for w in WAVES}
    flaws = [
        _plant_years(practitioners["2024-2"], practitioner_file(WAVES[0])),
        _plant_duplicate(rng["flaws"], practitioners["2025-1"], practitioner_file(WAVES[1])),
        _plant_level(partners["2025-2"], partner_file(WAVES[2])),
    ]
    for rows in practitioners.values():
        number_responses(rng["practitioner"], rows)
    activities, activity_flaws = _plant_activity_flaws(logged)
    return Territory(
        institution_rows(), target_rows(people), practitioners, partners, activities, [*flaws, *activity_flaws]
    )


def planted_flaws(seed: int = DEFAULT_SEED) -> list[PlantedFlaw]:
    """The flaws planted in the demo files of `seed` (file, spreadsheet row, column, problem)."""
    return build_territory(seed).flaws


def _write_csv(path: Path, headers: list[str], rows: list[Row], encoding: str) -> Path:
    """`;`-separated, CRLF line ends, as Excel saves a CSV."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row[h] for h in headers])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _write_xlsx(
    path: Path, sheet: str, headers: list[str], rows: Sequence[Row | None], widths: dict[str, int] | None = None
) -> Path:
    """A one-sheet workbook: bold headings, frozen first row, dates shown as dd/mm/yyyy."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    for index, header in enumerate(headers, start=1):
        width = (widths or {}).get(header, max(9, min(len(header) + 2, 18)))
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    heading = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = Font(bold=True)
        heading.append(cell)
    ws.append(heading)
    for row in rows:
        values = [None] * len(headers) if row is None else [row.get(h) for h in headers]
        ws.append([_date_cell(ws, v) if isinstance(v, dt.date) else v for v in values])
    book.save(path)
    return path


def _date_cell(ws: Any, value: dt.date) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "DD/MM/YYYY"
    return cell


def write_demo_exports(out_dir: Path = DEMO_DIR, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the demo territory's exports into `out_dir` (created if needed); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    t = build_territory(seed)
    paths = [
        _write_csv(out_dir / INSTITUTIONS_FILE, INSTITUTION_HEADERS, t.institutions, "utf-8-sig"),
        _write_csv(out_dir / TARGETS_FILE, TARGET_HEADERS, t.targets, "utf-8-sig"),
    ]
    for wave in WAVES:
        sheet = f"results-survey{428_113 + 1_117 * wave.index}"
        paths.append(
            _write_xlsx(
                out_dir / practitioner_file(wave), sheet, practitioner_headers(wave.version), t.practitioners[wave.id]
            )
        )
        paths.append(_write_csv(out_dir / partner_file(wave), partner_headers(), t.partners[wave.id], "cp1252"))
    widths = {
        "Date": 12,
        "Structures impliquées": 60,
        "Public": 30,
        "Intitulé": 55,
        "Type d'action": 24,
        "Quartier": 20,
    }
    paths.append(_write_xlsx(out_dir / ACTIVITIES_FILE, "Journal 2024-2026", ACTIVITY_HEADERS, t.activities, widths))
    return paths


# --- The demo warehouse ------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoFile:
    path: Path
    instrument: str
    wave: str | None


def demo_files(demo_dir: Path = DEMO_DIR) -> list[DemoFile]:
    """The demo exports in load order: reference lists, then each wave's surveys, then the log."""
    files = [
        DemoFile(demo_dir / INSTITUTIONS_FILE, "institutions", None),
        DemoFile(demo_dir / TARGETS_FILE, "targets", None),
    ]
    for wave in WAVES:
        files.append(DemoFile(demo_dir / practitioner_file(wave), "practitioner", wave.id))
        files.append(DemoFile(demo_dir / partner_file(wave), "partner", wave.id))
    files.append(DemoFile(demo_dir / ACTIVITIES_FILE, "activities", None))
    return files


def _refuse_if_not_demo(db_path: Path, force: bool) -> None:
    """Never replace a warehouse holding real data unless asked to."""
    if force or not db_path.exists():
        return
    is_demo: str | None = None
    try:
        conn = attach_read_only(db_path)
    except WarehouseUnavailable:
        pass
    else:
        try:
            is_demo = meta_value(conn, "is_demo")
        except duckdb.Error:  # not a Maillage warehouse: treat it as real data
            is_demo = None
        finally:
            conn.close()
    if is_demo != "true":
        raise MaillageError(
            f"{db_path} exists and is not a demo warehouse: building the demo would replace its data. "
            "Pass --force to replace it anyway, or use another file with --db."
        )


def _file_line(result: LoadResult) -> str:
    wave = result.wave_id or "-"
    return (
        f"  {result.file_name:<26} {wave:<7} {result.rows_loaded:>5} rows loaded, "
        f"{result.rows_quarantined} row(s) and {result.cells_quarantined} cell(s) quarantined"
    )


def build_demo_warehouse(
    db_path: Path,
    secret_path: Path | None = None,
    force: bool = False,
    echo: Callable[[str], None] = print,
    demo_dir: Path = DEMO_DIR,
) -> list[LoadResult]:
    """Load every demo file into one new warehouse state at `db_path` (replacing it).

    Refuses when `db_path` holds a warehouse that is not the demo, unless `force`. The quarantine
    of the result holds exactly the planted flaws (see the module docstring): they are listed at
    the end of the output so that nobody mistakes them for a loading problem.
    """

    files = demo_files(demo_dir)
    missing = [f.path.name for f in files if not f.path.exists()]
    if missing:
        raise MaillageError(
            f"Demo files missing in {demo_dir}: {', '.join(missing)}. Run `maillage demo --regenerate`."
        )
    _refuse_if_not_demo(db_path, force)
    results: list[LoadResult] = []
    quarantined: list[tuple[Any, ...]] = []

    def build(conn: duckdb.DuckDBPyConnection) -> None:
        for f in files:
            result = load_into(conn, f.path, f.instrument, f.wave, secret_path=secret_path)
            results.append(result)
            echo(_file_line(result))
        set_meta(conn, "is_demo", "true")
        quarantined.extend(
            conn.execute(
                "SELECT file_name, source_row, column_name, value, problem FROM quarantine ORDER BY load_id, source_row"
            ).fetchall()
        )

    echo(f"Building the demo warehouse {db_path} from {demo_dir}:")
    try:
        with writer_lock(db_path):
            publish(db_path, build, fresh=True)
    except WarehouseUnavailable as exc:
        raise WarehouseError(str(exc)) from None
    echo(f"{len(quarantined)} problem(s) quarantined, all planted on purpose to show the validation report:")
    for file_name, row, column, value, problem in quarantined:
        where = f"row {row}" + (f", column “{column}”" if column else "") + (f": “{value}”" if value else "")
        echo(f"  {file_name} {where} → {problem}")
    return results


__all__ = [
    "ACTIVITIES_FILE",
    "DEFAULT_SEED",
    "DEMO_DIR",
    "DemoFile",
    "PlantedFlaw",
    "Territory",
    "build_demo_warehouse",
    "build_territory",
    "demo_files",
    "planted_flaws",
    "write_demo_exports",
]
