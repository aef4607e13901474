"""The « Vue d'ensemble » page (AppTest on the demo and on an empty warehouse), and the wording
of its cards and findings (pure functions of ui.figures_overview)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from indicators import overview as ind
from ui import figures_overview as overview

PAGE = "pages/1_vue_ensemble.py"


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_overview_shows_cards_findings_and_the_trend_chart(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    assert not at.exception
    assert at.title[0].value == "Vue d'ensemble"
    cards = metrics(at)
    assert len(cards) == 8
    assert cards["Pratiques en réseau (1 à 5)"] == "3,49"  # 2026-1, all respondents
    assert cards["Bien-être faible (WHO-5 ≤ 50)"].endswith("%")
    practice = next(m for m in at.metric if m.label.startswith("Pratiques en réseau"))
    assert practice.proto.delta.startswith("+0,10")  # 3,49 − 3,39: everyone of each wave, 2025-2 → 2026-1
    assert "162 mêmes personnes, présentes aux deux vagues : +0,13" in practice.proto.help  # the panel, beside
    findings = text(at)
    assert "Plus forte amélioration" in findings and "pour les autres répondants" in findings
    assert len(at.get("plotly_chart")) == 1
    assert any("Au-delà du bruit" in c.value for c in at.caption)


def test_a_territory_filter_changes_the_cards(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    before = metrics(at)["Pratiques en réseau (1 à 5)"]
    at.sidebar.multiselect(key="terr").select("Plateau des Sources").run()
    assert not at.exception
    after = metrics(at)["Pratiques en réseau (1 à 5)"]
    assert after != before
    assert "Le territoire Plateau des Sources" not in text(at)  # the only territory left lags no one


def test_comparing_the_first_and_last_waves_names_what_the_demo_planted(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.sidebar.selectbox(key="a").select("2024-2").run()
    assert not at.exception
    findings = text(at)
    assert "Plus forte amélioration : les pratiques en réseau" in findings
    assert "Le territoire Plateau des Sources reste en retard" in findings


def choose_language(at: AppTest, lang: str) -> AppTest:
    """Pick the interface language in the sidebar (the `?lang=` address parameter only reaches
    the first page opened)."""
    control: Any = next(b for b in at.sidebar.get("button_group") if getattr(b, "key", None) == "lang")
    return control.set_value(lang).run()  # type: ignore[no-any-return,unused-ignore]


def test_english_on_request(demo_app: Callable[..., AppTest]) -> None:
    at = choose_language(demo_app(PAGE), "en")
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert "Network practice (1 to 5)" in metrics(at)
    assert metrics(at)["Network practice (1 to 5)"] == "3.49"
    assert "Largest improvement" in text(at)


def test_an_empty_warehouse_says_what_to_do(empty_app: Callable[..., AppTest]) -> None:
    at = empty_app(PAGE)
    assert not at.exception
    assert any("aucune vague" in i.value for i in at.info)
    assert not at.metric


# --------------------------------------------------------------------------- wording (pure)


def test_values_and_changes_are_worded_in_each_unit() -> None:
    assert overview.fmt_value(3.4851, ind.SCORE_1_5, "fr") == "3,49"
    assert overview.fmt_value(0.2759, ind.SHARE, "fr") == "28\u202f%"
    assert overview.fmt_change(-0.2104, ind.SHARE, "fr") == "−21\u202fpts"
    assert overview.fmt_change(8.568, ind.SCORE_0_100, "en") == "+8.6\u202fpts"
    assert overview.fmt_change(np.nan, ind.PER_MONTH, "fr") == "–"


def _finding(**values: object) -> pd.Series:
    base: dict[str, object] = {c: np.nan for c in ind.FINDING_COLUMNS}
    base.update(wave_a="2025-2", wave_b="2026-1")
    base.update(values)
    return pd.Series(base)


def test_findings_in_plain_french_and_english() -> None:
    improvement = _finding(kind="improvement", status=ind.FOUND, indicator="who5_mean", unit=ind.SCORE_0_100,
                           value_a=50.57, value_b=59.41, change=8.84, ci_low=5.19, ci_high=12.5, ci_level=0.994,
                           design=ind.ALL_RESPONDENTS)
    fr = overview.finding_text(improvement, "fr")
    assert fr.startswith("**Plus forte amélioration : le bien-être (WHO-5).**")
    assert "50,6 en 2025-2 → 59,4 en 2026-1" in fr and "+8,8\u202fpts" in fr
    assert "IC 99,4\u202f% de l'évolution +5,2\u202fpts à +12,5\u202fpts" in fr  # the level the page's family gives
    assert "**Largest improvement: wellbeing (WHO-5).**" in overview.finding_text(improvement, "en")

    none = _finding(kind="decline", status=ind.NONE)
    assert overview.finding_text(none, "fr") == (
        "**Aucune dégradation** des indicateurs d'enquête entre 2025-2 et 2026-1."
    )
    noise = _finding(kind="improvement", status=ind.WITHIN_NOISE, indicator="cbi_high_share", unit=ind.SHARE,
                     value_a=0.62, value_b=0.60, change=-0.02, ci_low=-0.10, ci_high=0.06,
                     design=ind.ALL_RESPONDENTS)
    assert "dans la marge d'incertitude (IC 95\u202f% de l'évolution −10\u202fpts à +6\u202fpts)" in (
        overview.finding_text(noise, "fr")
    )
    lag = _finding(kind="lag", status=ind.FOUND, dimension="sector_id", group="city", group_label_fr="Ville",
                   group_label_en="City", change=-0.05, rest_change=0.5, gap=-0.55, gap_ci_low=-0.8,
                   gap_ci_high=-0.3, n_a=30, n_b=34)
    assert overview.finding_text(lag, "fr").startswith("**Le secteur Ville reste en retard.**")
    assert overview.finding_text(lag, "en").startswith("**The sector City lags behind.**")
    level = _finding(kind="lag", status=ind.WITHIN_NOISE, dimension="level", group="operational", change=0.1,
                     rest_change=0.2, gap=-0.1, gap_ci_low=-0.3, gap_ci_high=0.1, n_a=180, n_b=190)
    assert overview.finding_text(level, "fr").startswith("**Le niveau opérationnel progresse moins")


def test_cards_colour_only_changes_beyond_noise() -> None:
    change = pd.DataFrame([
        {"indicator": "network_practice", "unit": ind.SCORE_1_5, "higher_is_better": True, "wave_a": "A",
         "wave_b": "B", "value_a": 3.0, "value_b": 3.2, "n_a": 100, "n_b": 100, "change": 0.15, "ci_low": 0.05,
         "ci_high": 0.25, "ci_level": 0.99, "family_size": 6, "significant": True, "design": ind.ALL_RESPONDENTS,
         "panel_n_pairs": 80, "panel_change": 0.14, "panel_ci_low": 0.04, "panel_ci_high": 0.24,
         "low_reliability": True, "alpha_b": 0.55, "suppressed": False},
        {"indicator": "cbi_high_share", "unit": ind.SHARE, "higher_is_better": False, "wave_a": "A", "wave_b": "B",
         "value_a": 0.3, "value_b": 0.4, "n_a": 100, "n_b": 100, "change": 0.1, "ci_low": 0.02, "ci_high": 0.18,
         "significant": True, "design": ind.ALL_RESPONDENTS, "suppressed": False},
        {"indicator": "network_density", "unit": ind.SHARE, "higher_is_better": True, "wave_a": "A", "wave_b": "B",
         "value_a": 0.3, "value_b": 0.4, "n_a": 20, "n_b": 22, "change": 0.1, "significant": pd.NA,
         "design": ind.WHOLE_NETWORK, "coverage_a": 0.7, "coverage_b": 0.8, "suppressed": False},
        {"indicator": "who5_mean", "unit": ind.SCORE_0_100, "higher_is_better": True, "wave_a": "A", "wave_b": "B",
         "suppressed": True},
    ]).reindex(columns=ind.CHANGE_COLUMNS)
    trend = pd.DataFrame({"indicator": ["network_practice"] * 2, "value": [3.0, 3.2]})
    cards = {c.indicator: c for c in overview.cards(change, trend, "fr")}
    assert cards["network_practice"].delta_color == "green" and cards["network_practice"].delta_arrow == "up"
    assert cards["network_practice"].chart_data == (3.0, 3.2)
    assert "Les 80 mêmes personnes, présentes aux deux vagues : +0,14" in cards["network_practice"].help
    help_text = cards["network_practice"].help
    assert "IC 99\u202f% +0,05 à +0,25" in help_text and "6 comparaisons" in help_text
    assert "fiabilité faible" in cards["network_practice"].delta_description  # alpha 0.55 < 0.7
    assert "α de Cronbach 0,55" in cards["network_practice"].help
    assert cards["cbi_high_share"].delta_color == "red"  # more burnout: worse, beyond noise
    assert cards["cbi_high_share"].delta == "+10\u202fpts"
    assert cards["network_density"].delta_color == "gray"
    assert cards["network_density"].delta_description == "sans test"
    assert cards["who5_mean"].value == "–" and cards["who5_mean"].delta_description == "moins de 5 répondants"


def test_the_trend_figure_has_one_panel_per_indicator_and_marks_hidden_waves() -> None:
    rows = []
    for h in ind.HEADLINES[:3]:
        for i, wave in enumerate(("A", "B"), start=1):
            hidden = h.id == "who5_mean" and wave == "A"
            rows.append({"indicator": h.id, "family": h.family, "unit": h.unit, "higher_is_better": True,
                         "wave_id": wave, "wave_order": i, "n": np.nan if hidden else 40.0,
                         "value": np.nan if hidden else 3.0 + i / 10, "ci_low": np.nan if hidden else 2.9,
                         "ci_high": np.nan if hidden else 3.4, "coverage": np.nan, "suppressed": hidden})
    fig = overview.headline_trend_figure(pd.DataFrame(rows), "fr")
    lines = [tr for tr in fig.data if tr.mode == "lines+markers"]
    assert len(lines) == 3
    assert lines[2].y[0] is None
    placeholders = [tr for tr in fig.data if tr.name == "moins de 5 répondants"]
    assert len(placeholders) == 1 and list(placeholders[0].x) == ["A"]
    assert fig.layout.xaxis.type == "category"
    caption = fig.layout.meta["caption"]
    assert "Bien-être WHO-5 (0 à 100) (A)" in caption and "questionnaire aux professionnels" in caption
