"""Fixtures for dashboard tests: AppTest on the demo warehouse, or on an empty one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 90


def choose_language(at: AppTest, lang: str) -> AppTest:
    """Pick the interface language in the sidebar (AppTest keeps `?lang=` for the first page
    only; a browser keeps it in the address)."""
    control: Any = next(b for b in at.sidebar.get("button_group") if getattr(b, "key", None) == "lang")
    return control.set_value(lang).run()  # type: ignore[no-any-return]


@pytest.fixture()
def demo_app(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """`demo_app(page=None, lang="fr")`: the app run on the demo warehouse, on `page`
    (e.g. "pages/2_pratiques.py")."""
    monkeypatch.setenv("MAILLAGE_DB", str(demo_db))

    def run(page: str | None = None, lang: str = "fr") -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        if lang != "fr":
            at.query_params["lang"] = lang
        at.run()
        if page:
            at.switch_page(page).run()
            if lang != "fr":
                choose_language(at, lang)
        return at

    return run


@pytest.fixture()
def empty_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """The app on a warehouse that exists but holds no wave."""
    from warehouse.db import publish, writer_lock

    db = tmp_path / "empty.duckdb"
    with writer_lock(db):
        publish(db, lambda conn: None)
    monkeypatch.setenv("MAILLAGE_DB", str(db))

    def run(page: str | None = None, lang: str = "fr") -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        if lang != "fr":
            at.query_params["lang"] = lang
        at.run()
        if page:
            at.switch_page(page).run()
            if lang != "fr":
                choose_language(at, lang)
        return at

    return run


# The columns of a chart's text-alternative table (ui.style.figure_table), in both languages.
ALT_COLUMNS = {"Série", "Catégorie", "Valeur", "Détail", "Series", "Category", "Value", "Detail"}


def page_tables(at: AppTest) -> list[Any]:
    """The page's own tables, without the data tables under each chart (its text alternative)."""
    return [d for d in at.dataframe if not set(d.value.columns) <= ALT_COLUMNS]


def alt_tables(at: AppTest) -> list[Any]:
    """The data tables under the charts."""
    return [d for d in at.dataframe if set(d.value.columns) <= ALT_COLUMNS]
