"""Session-wide fixtures: the demo territory's warehouse, built once per test run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo warehouse (built from surveys/demo/ with a throwaway key)."""
    from etl.demo import build_demo_warehouse

    folder = tmp_path_factory.mktemp("demo")
    path = folder / "maillage.duckdb"
    old = os.environ.get("MAILLAGE_SECRET")
    os.environ["MAILLAGE_SECRET"] = str(folder / "pseudonym.key")
    try:
        build_demo_warehouse(path, echo=lambda _line: None)
    finally:
        if old is None:
            os.environ.pop("MAILLAGE_SECRET", None)
        else:
            os.environ["MAILLAGE_SECRET"] = old
    yield path
