"""Fixtures for ETL tests: a warehouse and a pseudonymisation key in tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from etl.load import LoadResult, load_file
from warehouse.db import attach_read_only

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture()
def secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "secret" / "pseudonym.key"
    monkeypatch.setenv("MAILLAGE_SECRET", str(path))
    return path


@pytest.fixture()
def db(tmp_path: Path, secret: Path) -> Path:
    return tmp_path / "wh" / "maillage.duckdb"


@pytest.fixture()
def load(db: Path) -> Callable[..., LoadResult]:
    def _load(name: str | Path, instrument: str, wave: str | None = None, **kw: Any) -> LoadResult:
        path = name if isinstance(name, Path) else DATA / name
        return load_file(path, instrument, wave, db=db, **kw)

    return _load


@pytest.fixture()
def query(db: Path) -> Callable[..., list[tuple[Any, ...]]]:
    def _query(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        conn = attach_read_only(db)
        try:
            return conn.execute(sql, params or []).fetchall()
        finally:
            conn.close()

    return _query


@pytest.fixture()
def with_institutions(load: Callable[..., LoadResult]) -> None:
    load("institutions.csv", "institutions")
