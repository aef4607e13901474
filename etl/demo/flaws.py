"""The flaws planted in the demo files, so that the validation report has true things to say."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from numpy.random import Generator

from etl.demo.territory import ACTIVITIES_FILE, INSTITUTIONS, KOBO_RATING, Row, _stamp

# --- Planted flaws -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlantedFlaw:
    """A deliberate error of the demo files, and what the validation report must say about it."""

    file: str
    row: int  # spreadsheet row (header = 1)
    column: str | None
    value: str | None
    problem: str  # problem code in the quarantine table
    note: str


MISSPELLING = ("Collège Jean Jaurès", "Colège Jean Jaurès")


def _plant_years(rows: list[Row], file: str) -> PlantedFlaw:
    index = 57
    rows[index]["G01Q04"] = 99
    return PlantedFlaw(file, index + 2, "G01Q04", "99", "out_of_range", "years in post typed as 99")


def _plant_duplicate(rng: Generator, rows: list[Row], file: str) -> PlantedFlaw:
    """The respondent of row `index` had submitted an earlier, slightly different response."""
    index = 103
    later = rows[index]
    earlier = dict(later)
    started = dt.datetime.strptime(later["startdate"], "%Y-%m-%d %H:%M:%S") - dt.timedelta(days=2, minutes=47)
    submitted = started + dt.timedelta(minutes=14, seconds=int(rng.integers(60)))
    earlier.update(
        startdate=_stamp(started),
        submitdate=_stamp(submitted),
        datestamp=_stamp(submitted),
        seed=int(rng.integers(10**8, 2 * 10**9)),
        G07Q01=None,
    )
    for header in ("G02Q01[SQ002]", "G02Q04[SQ001]", "G05Q01[SQ003]"):
        earlier[header] = f"A{int(rng.integers(2, 5))}"
    rows.append(earlier)
    rows.sort(key=lambda r: r["startdate"])
    position = next(i for i, r in enumerate(rows) if r is earlier)
    return PlantedFlaw(
        file,
        position + 2,
        None,
        None,
        "duplicate_respondent",
        f"token of row {rows.index(later) + 2} also submitted two days earlier",
    )


def _plant_level(rows: list[Row], file: str) -> PlantedFlaw:
    index = 11
    headers = [KOBO_RATING.format(choice=i.choice, field="niveau") for i in INSTITUTIONS]
    header = next(h for h in headers if rows[index][h] in ("3", "4"))
    rows[index][header] = "7"
    return PlantedFlaw(file, index + 2, header, "7", "out_of_range", "level of collaboration typed as 7")


def _plant_activity_flaws(rows: list[Row]) -> tuple[list[Row | None], list[PlantedFlaw]]:
    """A misspelt institution in February 2025 and an empty line left at the 2025 summer break."""
    gap = next(i for i, r in enumerate(rows) if _row_date(r) >= dt.date(2025, 8, 1))
    out: list[Row | None] = [*rows[:gap], None, *rows[gap:]]
    target = next(
        i
        for i, r in enumerate(out)
        if r is not None and _row_date(r) >= dt.date(2025, 2, 1) and MISSPELLING[0] in r["Structures impliquées"]
    )
    row = out[target]
    assert row is not None
    row["Structures impliquées"] = row["Structures impliquées"].replace(*MISSPELLING)
    flaws = [
        PlantedFlaw(
            ACTIVITIES_FILE,
            target + 2,
            "Structures impliquées",
            MISSPELLING[1],
            "unknown_institution",
            "misspelt; the report suggests Collège Jean Jaurès (EN_CLG_JAURES)",
        ),
        PlantedFlaw(ACTIVITIES_FILE, gap + 2, None, None, "empty_row", "an empty line in the log"),
    ]
    return out, flaws


def _row_date(row: Row) -> dt.date:
    value = row["Date"]
    return value if isinstance(value, dt.date) else dt.datetime.strptime(value, "%d/%m/%Y").date()
