"""docs/warehouse.md lists every table, view and column of the warehouse with its type."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from warehouse.db import apply_schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "warehouse.md"


def _documented() -> dict[str, dict[str, str]]:
    tables: dict[str, dict[str, str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### `(\w+)`", line)
        if heading:
            current = heading.group(1)
            tables[current] = {}
            continue
        row = re.match(r"^\| (\w+) \| ([A-Z\[\]]+) \|", line)
        if row and current:
            tables[current][row.group(1)] = row.group(2)
    return tables


def _actual() -> dict[str, dict[str, str]]:
    conn = duckdb.connect()
    apply_schema(conn)
    rows = conn.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    tables: dict[str, dict[str, str]] = {}
    for table, column, dtype in rows:
        tables.setdefault(table, {})[column] = dtype
    return tables


def test_every_table_and_view_is_documented_with_its_columns_and_types() -> None:
    assert _documented() == _actual()
