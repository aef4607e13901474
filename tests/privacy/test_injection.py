"""Injection, the third attack of the privacy suite (with differencing and small groups in
test_attacks.py): names loaded from users' files (institutions, territories, sectors, scale labels
of a codebook, events) are shown as text in every chart of every page. plotly reads its own markup
in labels, hovers, ticks and legends (`<a href>` makes a link, `<span style>` restyles), so a crafted
name must never reach a chart as markup. The exported files' side is tested beside the writers:
spreadsheet formulas (tests/warehouse/test_safe_text.py, tests/etl/test_export_safety.py), Markdown
(tests/ui/test_network_page.py), the SVG drawn by Chromium (tests/ui/test_exports.py)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, TIMEOUT

PAGES = [
    "pages/1_vue_ensemble.py", "pages/2_pratiques.py", "pages/3_reseau.py", "pages/4_echanges.py",
    "pages/5_bien_etre.py", "pages/6_qualite.py",
]
CRAFTED = "<a href='https://exemple.invalid/{0}'><span style='font-size:90px'>{0}</span></a>"
SOURCES = ("institution", "territory", "sector", "scale", "event")


@pytest.fixture(scope="module")
def crafted_db(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo warehouse with one institution, territory, sector, scale and event named with markup."""
    db = tmp_path_factory.mktemp("markup") / "names.duckdb"
    shutil.copy(demo_db, db)
    conn = duckdb.connect(str(db))
    name = CRAFTED.format
    conn.execute("UPDATE institutions SET name = ? WHERE institution_id = 'VI_JEUNESSE'", [name("institution")])
    for table in ("respondents", "institutions"):
        conn.execute(f"UPDATE {table} SET territory = ? WHERE territory = 'Valmont'", [name("territory")])
    conn.execute("UPDATE sectors SET label_fr = ?, label_en = ? WHERE sector_id = 'city'", [name("sector")] * 2)
    conn.execute("UPDATE scales SET label_fr = ?, label_en = ? WHERE scale_id = 'legibility'", [name("scale")] * 2)
    conn.execute("INSERT INTO events VALUES (1, DATE '2025-03-01', ?, ?, NULL, now())", [name("event")] * 2)
    conn.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key = 'warehouse_version'")
    conn.close()
    return db


def drawn(spec: dict[str, Any]) -> str:
    """A chart's plotly JSON without its `meta` (data for Maillage, not drawn), text unescaped."""
    spec["layout"].pop("meta", None)
    for trace in spec["data"]:
        trace.pop("meta", None)
    return json.dumps(spec, ensure_ascii=False)


def chart_texts(db: Path, page: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What plotly draws of every chart of `page` (:func:`drawn`)."""
    monkeypatch.setenv("MAILLAGE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return [drawn(json.loads(chart.proto.spec)) for chart in at.get("plotly_chart")]


def test_no_name_from_a_users_file_reaches_a_chart_as_markup(crafted_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw: list[tuple[str, str]] = []
    shown: set[str] = set()
    for page in PAGES:
        for spec in chart_texts(crafted_db, page, monkeypatch):
            raw += [(page, s) for s in re.findall(r"<a href='https://exemple.invalid/(\w+)'", spec)]
            raw += [(page, s) for s in re.findall(r"<span style='font-size:90px'>(\w+)", spec)]
            shown |= set(re.findall(r"&lt;a href='https://exemple.invalid/(\w+)'", spec))
    assert raw == []
    assert shown == set(SOURCES)  # each crafted name is in some chart, as text
