"""`maillage export`: the warehouse for researchers (R, Stata, Python).

Writes into OUT:
- `tidy/`: every table of the warehouse (docs/warehouse.md), as CSV or as Parquet; with Parquet
  the per-wave tables are partitioned by wave (`responses/wave_id=2025-1/…parquet`);
- `indicators/`: every indicator table for the whole warehouse, the same numbers the dashboard
  shows (small groups suppressed);
- `panel_wide.csv` / `.parquet` and `panel_wide.dta` (Stata): one row per respondent and wave, one
  column per scale score, with the respondent's metadata;
- `data_dictionary.csv`: every exported table and column with its type and meaning.
Respondents are pseudonymous; free text (activity titles) and raw quarantined values stay in the
warehouse unless `include_free_text` is asked.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import WarehouseError
from warehouse.db import ALIAS, WarehouseUnavailable, attach_read_only

DOC = Path(__file__).resolve().parent.parent / "docs" / "warehouse.md"

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
PARTITIONED = ("respondents", "responses", "scale_scores", "ties", "wave_items")


def _open(db_path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return attach_read_only(db_path)
    except WarehouseUnavailable:
        raise WarehouseError(
            f"No warehouse at {db_path}. Build one with `maillage demo` or `maillage load`, or pass --db."
        ) from None


def _documented_columns() -> dict[str, dict[str, str]]:
    """table → column → description, from docs/warehouse.md (the one documentation of the schema)."""
    tables: dict[str, dict[str, str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### `(\w+)`", line)
        if heading:
            current = heading.group(1)
            tables[current] = {}
            continue
        row = re.match(r"^\| (\w+) \| [A-Z\[\]]+ \| (.*) \|$", line)
        if row and current:
            tables[current][row.group(1)] = row.group(2).strip()
    return tables


def export_tables(
    db_path: Path, out: Path, fmt: str, include_free_text: bool = False, indicators: bool = True
) -> list[tuple[Path, int]]:
    """Write the export; return (path, rows) of each file or folder written."""
    conn = _open(db_path)
    out.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, int]] = []
    dictionary: list[dict[str, str]] = []
    docs = _documented_columns()
    try:
        for table, private in TIDY_TABLES.items():
            columns = [c for c in _columns(conn, table) if include_free_text or c[0] not in private]
            listed = ", ".join(f'"{c}"' for c, _ in columns)
            rel = conn.sql(f"SELECT {listed} FROM {table}")  # table from the fixed list above
            written.append(_write(rel, out / "tidy", table, fmt, partition=table in PARTITIONED))
            for name, dtype in columns:
                dictionary.append(
                    {
                        "file": f"tidy/{table}",
                        "column": name,
                        "type": dtype,
                        "description": docs.get(table, {}).get(name, ""),
                    }
                )
        panel = _panel_wide(conn)
        written.append(_write(conn.sql("SELECT * FROM panel"), out, "panel_wide", fmt, partition=False))
        if not panel.empty:
            stata = out / "panel_wide.dta"
            panel.to_stata(stata, write_index=False, version=118, variable_labels={c: c[:80] for c in panel.columns})
            written.append((stata, len(panel)))
        for name, dtype in zip(panel.columns, panel.dtypes, strict=True):
            dictionary.append(
                {
                    "file": "panel_wide",
                    "column": str(name),
                    "type": str(dtype),
                    "description": _panel_description(str(name)),
                }
            )
        if indicators:
            written += _write_indicators(conn, out / "indicators", dictionary)
    finally:
        conn.close()
    dict_path = out / "data_dictionary.csv"
    pd.DataFrame(dictionary, columns=["file", "column", "type", "description"]).to_csv(dict_path, index=False)
    written.append((dict_path, len(dictionary)))
    return written


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = ? AND table_name = ? "
        "ORDER BY ordinal_position",
        [ALIAS, table],
    ).fetchall()
    return [(str(a), str(b)) for a, b in rows]


def _write(rel: duckdb.DuckDBPyRelation, folder: Path, name: str, fmt: str, partition: bool) -> tuple[Path, int]:
    folder.mkdir(parents=True, exist_ok=True)
    count = int(rel.aggregate("count(*)").fetchall()[0][0])
    if fmt == "csv":
        path = folder / f"{name}.csv"
        rel.write_csv(str(path), header=True)
    elif partition and count:
        path = folder / name
        if path.exists():
            shutil.rmtree(path)
        rel.write_parquet(str(path), partition_by=["wave_id"], write_partition_columns=True)
    else:
        path = folder / f"{name}.parquet"
        rel.write_parquet(str(path))
    return path, count


def _panel_wide(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per respondent × wave (practitioner survey), one column per scale score."""
    scales = [r[0] for r in conn.execute("SELECT DISTINCT scale_id FROM scale_scores ORDER BY 1").fetchall()]
    safe = [re.sub(r"[^a-z0-9_]", "", sid) for sid in scales]  # ids from codebooks, made identifier-safe
    pivots = ", ".join(f"max(s.score) FILTER (WHERE s.scale_id = '{sid}') AS score_{sid}" for sid in safe)
    select = f", {pivots}" if pivots else ""
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE panel AS
        SELECT r.respondent_id, r.wave_id, w.wave_order, r.instrument, r.role, r.institution_id, r.sector_id,
               r.territory, r.level, r.years_in_post{select}
        FROM respondents r JOIN waves w USING (wave_id)
        LEFT JOIN scale_scores s USING (wave_id, instrument, respondent_id)
        WHERE r.instrument = 'practitioner'
        GROUP BY ALL ORDER BY r.respondent_id, w.wave_order
        """
    )
    return conn.execute("SELECT * FROM panel").df()


def _panel_description(column: str) -> str:
    if column.startswith("score_"):
        return f"score on scale {column[6:]} (see tidy/scales: rule, range; NULL when too few items answered)"
    return f"see tidy/respondents.{column}" if column != "wave_order" else "see tidy/waves.wave_order"


def _write_indicators(
    conn: duckdb.DuckDBPyConnection, folder: Path, dictionary: list[dict[str, str]]
) -> list[tuple[Path, int]]:
    from indicators.tables import indicator_tables

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    cur = conn.cursor()
    cur.execute(f"USE {ALIAS}")
    for name, frame in indicator_tables(cur).items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        written.append((path, len(frame)))
        for column, dtype in zip(frame.columns, frame.dtypes, strict=True):
            dictionary.append(
                {
                    "file": f"indicators/{name}",
                    "column": str(column),
                    "type": str(dtype),
                    "description": "see docs/indicators.md",
                }
            )
    return written
