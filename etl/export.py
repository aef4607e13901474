"""`maillage export`: the warehouse's tidy tables as files researchers open in R, Stata or Python.

Respondents are pseudonymous; free text (activity titles) and quarantined raw values stay in the
warehouse unless asked for.
"""

from __future__ import annotations

from pathlib import Path

from etl.errors import WarehouseError
from warehouse.db import WarehouseUnavailable, attach_read_only

# table → columns left out by default (free text, raw values of quarantined cells)
TIDY_TABLES: dict[str, tuple[str, ...]] = {
    "waves": (),
    "sectors": (),
    "institutions": (),
    "institution_aliases": (),
    "items": (),
    "scales": (),
    "response_labels": (),
    "wave_items": (),
    "respondents": (),
    "responses": (),
    "scale_scores": (),
    "ties": (),
    "activities": ("title",),
    "activity_institutions": (),
    "population_targets": (),
    "loads": (),
    "quarantine": ("value",),
}


def export_tables(db_path: Path, out: Path, fmt: str, include_free_text: bool = False) -> list[tuple[Path, int]]:
    """Write each tidy table to `out/<table>.<fmt>`; return (path, rows) for each."""
    try:
        conn = attach_read_only(db_path)
    except WarehouseUnavailable:
        raise WarehouseError(
            f"No warehouse at {db_path}. Build one with `maillage demo` or `maillage load`, or pass --db."
        ) from None
    out.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, int]] = []
    try:
        for table, private in TIDY_TABLES.items():
            rel = conn.table(table)
            if private and not include_free_text:
                rel = rel.project(", ".join(f'"{c}"' for c in rel.columns if c not in private))
            path = out / f"{table}.{fmt}"
            if fmt == "csv":
                rel.write_csv(str(path), header=True)
            else:
                rel.write_parquet(str(path))
            count = conn.execute(f"SELECT count(*) FROM {table}").fetchall()  # table: fixed list above
            written.append((path, int(count[0][0])))
    finally:
        conn.close()
    return written
