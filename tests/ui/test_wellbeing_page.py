"""The « Bien-être » page (AppTest): screening warning, distributions, shares beyond the
cut-offs, roles, panel change; filters, English, empty states."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import page_tables
from tests.ui.test_overview import choose_language

PAGE = "pages/5_bien_etre.py"


def specs(at: AppTest) -> str:
    """The plotly JSON of every chart, as readable text (titles, captions, labels)."""
    return "\n".join(json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart"))


def test_the_page_shows_the_screening_warning_and_every_chart(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    assert not at.exception
    assert at.title[0].value == "Bien-être"
    assert any("outil de repérage, pas un diagnostic" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 4  # distribution, cut-offs, roles, panel change
    text = specs(at)
    assert "Bien-être (WHO-5) : répartition des scores par vague" in text
    assert "Part des professionnels au-delà des seuils" in text and "selon la fonction" in text
    table = page_tables(at)[0].value
    assert list(table["Sens favorable"]) == ["hausse", "baisse"]
    assert table["Personnes (n)"].iloc[0] == "162"


def test_switching_to_burnout_and_filtering_change_what_is_shown(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    scale: Any = next(b for b in at.get("button_group") if getattr(b, "key", None) == "wb_scale")
    scale.set_value("cbi_work").run()
    assert "Épuisement lié au travail (CBI) : répartition" in specs(at)
    before = page_tables(at)[0].value["Personnes (n)"].iloc[0]
    at.sidebar.multiselect(key="terr").select("Plateau des Sources").run()
    assert not at.exception
    assert page_tables(at)[0].value["Personnes (n)"].iloc[0] != before


def test_small_groups_by_role_are_listed_as_hidden(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.sidebar.multiselect(key="terr").select("Plateau des Sources").run()
    assert not at.exception
    assert "moins de 5 répondants" in specs(at)


def test_english_on_request(demo_app: Callable[..., AppTest]) -> None:
    at = choose_language(demo_app(PAGE), "en")
    assert not at.exception
    assert at.title[0].value == "Wellbeing"
    assert any("screening tool, not a diagnosis" in i.value for i in at.info)
    assert "Share of professionals beyond the cut-offs" in specs(at)


def test_an_empty_warehouse_says_what_to_do(empty_app: Callable[..., AppTest]) -> None:
    at = empty_app(PAGE)
    assert not at.exception
    assert any("aucune vague" in i.value for i in at.info)
