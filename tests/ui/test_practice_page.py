"""The « Pratiques en réseau » page (AppTest): trends, panel change and the cross-sectional
comparison apart, item answers, level gap, reliable change; filters, English, empty states."""

from __future__ import annotations

import json
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import page_tables
from tests.ui.test_overview import choose_language

PAGE = "pages/2_pratiques.py"


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def chart_titles(at: AppTest) -> list[str]:
    """Each chart's plotly JSON, as readable text (titles, captions, labels)."""
    return [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")]


def test_the_page_shows_every_section_with_its_chart(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    assert not at.exception
    assert at.title[0].value == "Pratiques en réseau"
    heads = subheaders(at)
    assert "Les mêmes personnes ont-elles changé ? (panel 2025-2 → 2026-1)" in heads
    assert any(h.startswith("Niveau stratégique") for h in heads)
    assert len(at.get("plotly_chart")) == 6  # trend, panel, cross-sectional, items, gap, reliable change
    specs = "\n".join(chart_titles(at))
    assert "Évolution des mêmes personnes entre 2025-2 et 2026-1 (panel)" in specs
    assert "hors panel" in specs and "Changements fiables" in specs
    panel = page_tables(at)[0].value
    assert list(panel["Plan"].unique()) == ["panel (mêmes personnes)"]
    assert panel["Paires (n)"].iloc[0] == "162"
    cross = page_tables(at)[1].value
    assert list(cross["Plan"].unique()) == ["hors panel (tous les répondants)"]
    assert any("ce n'est pas un panel" in e.label for e in at.expander)


def test_a_territory_filter_changes_the_panel_table(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    before = page_tables(at)[0].value["Paires (n)"].iloc[0]
    at.sidebar.multiselect(key="terr").select("Plateau des Sources").run()
    assert not at.exception
    after = page_tables(at)[0].value["Paires (n)"].iloc[0]
    assert int(after) < int(before)


def test_a_breakdown_by_territory_draws_one_series_per_territory(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.selectbox(key="pr_dim").select("territory").run()
    assert not at.exception
    spec = chart_titles(at)[0]
    assert "Pratiques en réseau par territoire" in spec and "Plateau des Sources" in spec


def test_a_small_group_shows_hidden_groups_as_such(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.sidebar.multiselect(key="sect").select("health").run()
    at.sidebar.multiselect(key="terr").select("Les Tilleuls").run()
    assert not at.exception
    assert "moins de 5 répondants" in "\n".join(chart_titles(at)) or any(
        "moins de 5" in i.value for i in at.info
    )


def test_one_wave_selected_says_how_to_compare(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.sidebar.select_slider(key="waves").set_value(("2026-1", "2026-1")).run()
    assert not at.exception
    assert any("Une seule vague sélectionnée" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 3  # trend, items, gap


def test_english_on_request(demo_app: Callable[..., AppTest]) -> None:
    at = choose_language(demo_app(PAGE), "en")
    assert not at.exception
    assert at.title[0].value == "Network practice"
    assert "Did the same people change? (panel 2025-2 → 2026-1)" in subheaders(at)
    assert list(page_tables(at)[0].value["Design"].unique()) == ["panel (same people)"]


def test_an_empty_warehouse_says_what_to_do(empty_app: Callable[..., AppTest]) -> None:
    at = empty_app(PAGE)
    assert not at.exception
    assert any("aucune vague" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_a_change_of_questions_between_waves_is_said_and_compared_on_common_items(
    demo_app: Callable[..., AppTest],
) -> None:
    """The demo's codebook v2 (from 2025-2) drops CUL4 and adds LEG5: the page says so, and the
    panel 2025-1 → 2025-2 is computed on the questions both waves asked, as its chart says."""
    at = demo_app(PAGE)
    said = " ".join(i.value for i in at.info)
    assert "CUL4 posé en 2024-2, 2025-1 seulement" in said and "LEG5 posé en 2025-2, 2026-1 seulement" in said
    at.sidebar.selectbox(key="a").select("2025-1").run()
    at.sidebar.selectbox(key="b").select("2025-2").run()
    assert not at.exception
    specs = "\n".join(chart_titles(at))
    assert "Comparé sur les questions posées aux deux vagues" in specs
    assert "CUL1, CUL2, CUL3 ; sans CUL4" in specs
