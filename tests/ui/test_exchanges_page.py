"""The « Échanges » page (pages/4_echanges.py) run with AppTest."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import page_tables

PAGE = "pages/4_echanges.py"


def specs(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def titles(at: AppTest) -> list[str]:
    return [s["layout"]["meta"]["title"] for s in specs(at)]


def hidden_cells(spec: dict[str, Any]) -> int:
    grey = next(tr for tr in spec["data"] if tr.get("meta", {}).get("kind") == "hidden")
    return sum(1 for row in grey["z"] for v in row if v is not None)


def test_demo_in_french(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    assert not at.exception
    assert at.title[0].value == "Échanges"
    assert titles(at) == [
        "Échanges déclarés entre secteurs (fois par mois), vague 2026-1",
        "Actions communes par mois, dont celles à plusieurs secteurs",
        "Part des actions communes à plusieurs secteurs ou structures, par semestre",
        "Actions pour les 16–18 ans et avec les parents co-organisateurs, par semestre",
        "Actions communes par mois entre deux secteurs, toute la période",
    ]
    heat = specs(at)[0]
    assert "questionnaire aux professionnels" in heat["layout"]["meta"]["caption"]
    assert heat["layout"]["separators"] == ", "
    assert hidden_cells(heat) == 0
    assert len(page_tables(at)) == 2  # half-year table, institution pairs


def test_english(demo_app: Callable[..., AppTest]) -> None:
    # demo_app(lang="en") sets ?lang=en before the page switch, which drops it: use the sidebar
    at = demo_app(PAGE)
    at.button_group(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Exchanges"
    assert titles(at)[0] == "Reported exchanges between sectors (times per month), wave 2026-1"


def test_a_territory_filter_hides_small_groups(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.sidebar.multiselect(key="terr").select("Plateau des Sources").run()
    assert not at.exception
    heat = specs(at)[0]
    assert hidden_cells(heat) > 0
    assert "moins de 5 répondants" in json.dumps(heat, ensure_ascii=False)


def test_views_and_breakdowns(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.segmented_control(key="exc_measure").set_value("share_at_least_monthly").run()
    at.segmented_control(key="exc_view").set_value("change").run()
    assert not at.exception
    assert titles(at)[0] == "Évolution de la part d'échanges au moins mensuels entre 2025-2 et 2026-1"
    at.segmented_control(key="exc_by").set_value("activity_type").run()
    assert not at.exception
    monthly = specs(at)[1]
    names = {tr.get("name") for tr in monthly["data"]}
    assert "Réunion de coordination" in names
    at.segmented_control(key="exc_period").set_value("2025-S1").run()
    assert not at.exception
    assert titles(at)[-1] == "Actions communes par mois entre deux secteurs, 1er sem. 2025"


def test_empty_warehouse(empty_app: Callable[..., AppTest]) -> None:
    at = empty_app(PAGE)
    assert not at.exception
    assert any("aucune vague" in i.value for i in at.info)
    assert not at.get("plotly_chart")
