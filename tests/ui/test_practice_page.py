"""The « Pratiques en réseau » page (AppTest): trends, panel change and the cross-sectional
comparison apart, item answers, level gap, reliable change; filters, English, empty states."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from indicators import models, weights
from indicators.filters import Filters
from tests.ui.conftest import page_tables
from tests.ui.test_overview import choose_language
from warehouse.db import ReadOnlyWarehouse

PAGE = "pages/2_pratiques.py"
MODEL = "Évolution estimée 2025-2 → 2026-1 : modèle à mesures répétées"


def table_with(at: AppTest, column: str) -> Any:
    """The page's table that has `column`."""
    return next(d.value for d in page_tables(at) if column in d.value.columns)


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
    panel = table_with(at, "Paires (n)")
    assert list(panel["Plan"].unique()) == ["panel (mêmes personnes)"]
    assert panel["Paires (n)"].iloc[0] == "162"
    cross = table_with(at, "g de Hedges")
    assert list(cross["Plan"].unique()) == ["hors panel (tous les répondants)"]
    assert any("ce n'est pas un panel" in e.label for e in at.expander)


def test_a_territory_filter_changes_the_panel_table(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    before = table_with(at, "Paires (n)")["Paires (n)"].iloc[0]
    at.sidebar.multiselect(key="terr").select("Plateau des Sources").run()
    assert not at.exception
    after = table_with(at, "Paires (n)")["Paires (n)"].iloc[0]
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
    assert list(table_with(at, "Pairs (n)")["Design"].unique()) == ["panel (same people)"]
    assert "Estimated change 2025-2 → 2026-1: repeated-measures model" in subheaders(at)


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


def test_the_repeated_measures_model_is_the_primary_estimate_beside_the_means(
    demo_app: Callable[..., AppTest], demo_db: Path
) -> None:
    """The model's change 2025-2 → 2026-1 with its interval, the ICCs and the counts, as the
    indicator fits them on every respondent of the four waves; the fallback is said."""
    at = demo_app(PAGE)
    assert not at.exception
    heads = subheaders(at)
    assert heads.index(MODEL) < heads.index("Les mêmes personnes ont-elles changé ? (panel 2025-2 → 2026-1)")
    fit = models.repeated_measures(ReadOnlyWarehouse(demo_db).cursor(), Filters())
    row = fit.changes[(fit.changes["scale_id"] == "network_practice") & (fit.changes["wave_a"] == "2025-2")
                      & (fit.changes["wave_b"] == "2026-1")].iloc[0]
    said = "\n".join(m.value for m in at.markdown)
    change = f"{row['change']:+.2f}".replace(".", ",")
    assert f"Pratiques en réseau » \\: \\{change}" in said  # markdown-escaped « … » : +0,12
    table = table_with(at, "CCI répondant")
    first = table.iloc[0]
    assert first["Échelle"] == "Pratiques en réseau"
    assert first["Évolution 2025-2 → 2026-1 (modèle)"] == change
    assert first["Répondants"] == "361" and first["Structures"] == "40" and first["Vagues"] == "4"
    assert "Écart des moyennes" in table.columns  # the descriptive means beside
    # the demo's parents scale has no institution variance: the page says which estimate is shown
    captions = " ".join(c.value for c in at.caption)
    assert "Parents acteurs éducatifs" in captions and "répondant seulement" in captions
    assert "ajustement singulier" in captions


def test_the_weighted_toggle_shows_weighted_and_unweighted_means(
    demo_app: Callable[..., AppTest], demo_db: Path
) -> None:
    at = demo_app(PAGE)
    charts_before = len(at.get("plotly_chart"))
    at.toggle(key="pr_weighted").set_value(True).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == charts_before + 1
    assert "Moyennes pondérées et non pondérées par vague" in "\n".join(chart_titles(at))
    trend = weights.weighted_trend(ReadOnlyWarehouse(demo_db).cursor(), Filters())
    by = trend[trend["scale_id"] == "network_practice"].set_index("wave_id")
    weighted = by.at["2026-1", "mean_weighted"] - by.at["2025-2", "mean_weighted"]
    table = table_with(at, "Écart des moyennes pondérées")
    assert table.iloc[0]["Écart des moyennes pondérées"] == f"{weighted:+.2f}".replace(".", ",")
    assert any("pondéré" in c.value and "non pondéré" in c.value for c in at.caption)


def test_a_selection_under_the_threshold_shows_no_model_estimate(demo_app: Callable[..., AppTest]) -> None:
    """Health × Les Tilleuls has fewer than 5 respondents: no change, no ICC, no count is shown,
    only the sentence that says why."""
    at = demo_app(PAGE)
    at.sidebar.multiselect(key="sect").select("health").run()
    at.sidebar.multiselect(key="terr").select("Les Tilleuls").run()
    assert not at.exception
    assert any("Pas d'estimation du modèle pour cette sélection : moins de 5 répondants" in i.value for i in at.info)
    assert not [d for d in page_tables(at) if "CCI répondant" in d.value.columns]
    assert not any("IC 95 %" in m.value and "entre 2025" in m.value for m in at.markdown)
