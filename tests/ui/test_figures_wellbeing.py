"""Figure builders of the wellbeing page, on small hand-built frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from ui import figures_wellbeing as fw

NAN = np.nan
HIDDEN_FR = "moins de 5 répondants"
CUT = {"who5_poor": 50.0, "who5_depression": 28.0, "cbi_high": 50.0, "who5_clinical_change": 10.0}


def caption(fig: go.Figure) -> str:
    return str(fig.layout.meta["caption"])


def summary_frame(hide_v1: bool = False) -> pd.DataFrame:
    rows = []
    for order, wave in enumerate(("V1", "V2"), start=1):
        hidden = hide_v1 and wave == "V1"
        for scale in ("who5", "cbi_work"):
            who5 = scale == "who5"
            row = {"wave_id": wave, "wave_order": order, "scale_id": scale, "label_fr": scale, "label_en": scale,
                   "n": 40.0, "mean": 55.0 if who5 else 45.0, "sd": 12.0, "ci_low": 51.0 if who5 else 41.0,
                   "ci_high": 59.0 if who5 else 49.0, "who5_poor_share": 0.30 if who5 else NAN,
                   "who5_poor_ci_low": 0.18 if who5 else NAN, "who5_poor_ci_high": 0.45 if who5 else NAN,
                   "who5_depression_share": 0.05 if who5 else NAN, "who5_depression_ci_low": 0.01 if who5 else NAN,
                   "who5_depression_ci_high": 0.17 if who5 else NAN, "cbi_high_share": NAN if who5 else 0.40,
                   "cbi_high_ci_low": NAN if who5 else 0.26, "cbi_high_ci_high": NAN if who5 else 0.55,
                   "suppressed": hidden}
            if hidden:
                row.update({k: NAN for k in row if k not in ("wave_id", "wave_order", "scale_id", "label_fr",
                                                             "label_en", "suppressed")})
            rows.append(row)
    return pd.DataFrame(rows)


def distribution_frame(hide_v1: bool = False) -> pd.DataFrame:
    rows = []
    for order, wave in enumerate(("V1", "V2"), start=1):
        hidden = hide_v1 and wave == "V1"
        counts = np.zeros(26)
        counts[[7, 12, 13, 15, 18]] = [1, 3, 4, 6, 6]  # scores 28, 48, 52, 60, 72
        for b in range(26):
            rows.append({"wave_id": wave, "wave_order": order, "scale_id": "who5", "label_fr": "WHO-5",
                         "label_en": "WHO-5", "bin": b, "bin_low": -2.0 + 4 * b, "bin_mid": 4.0 * b,
                         "bin_high": 2.0 + 4 * b, "count": NAN if hidden else counts[b],
                         "share": NAN if hidden else counts[b] / 20, "n": NAN if hidden else 20.0,
                         "suppressed": hidden})
    return pd.DataFrame(rows)


def test_distribution_shades_the_zones_beyond_the_cut_offs_per_wave() -> None:
    fig = fw.distribution_figure(distribution_frame(), summary_frame(), "fr", "", "who5", CUT)
    assert "Bien-être (WHO-5) : répartition des scores par vague" in fig.layout.title.text
    bars = [tr for tr in fig.data if isinstance(tr, go.Bar)]
    assert len(bars) == 6  # 3 zones × 2 waves
    zones = {tr.name.split(" :")[0]: tr for tr in bars if tr.yaxis == "y"}
    assert list(zones["≤ 28"].x) == [4.0 * b for b in range(8)]  # every bin of the zone, empty ones as 0
    assert list(zones["≤ 28"].y) == pytest.approx([0.0] * 7 + [5.0])
    assert sorted(zones["≤ 50"].x) == [0.0 + 4 * b for b in range(8, 13)]
    assert fig.layout.separators == ", " and fig.layout.yaxis.ticksuffix == "\u202f%"
    assert {s.x0 for s in fig.layout.shapes} == {30.0, 50.0}  # edges of the ≤ 28 and ≤ 50 zones, every row
    titles = [a.text for a in fig.layout.annotations if a.text.startswith("V")]
    assert titles[0] == "V1 · moyenne 55,0 (IC 51,0 – 59,0) · n = 40"
    assert "n = 20" in caption(fig) and "questionnaire aux professionnels" in caption(fig)


def test_a_hidden_wave_says_so_instead_of_empty_bars() -> None:
    fig = fw.distribution_figure(distribution_frame(hide_v1=True), summary_frame(hide_v1=True), "fr", "", "who5", CUT)
    placeholder = [tr for tr in fig.data if isinstance(tr, go.Bar) and tr.text and HIDDEN_FR in tr.text[0]]
    assert len(placeholder) == 1 and placeholder[0].marker.pattern.shape == "/"
    assert any(a.text == f"V1 · {HIDDEN_FR}" for a in fig.layout.annotations)
    assert "WHO" in caption(fig) and HIDDEN_FR in caption(fig)


def test_cut_off_shares_have_wilson_intervals_and_hidden_waves_are_marked() -> None:
    fig = fw.cutoff_trend_figure(summary_frame(hide_v1=True), "en", "", CUT)
    names = [tr.name for tr in fig.data]
    assert names[:3] == ["Poor wellbeing (WHO-5 ≤ 50)", "Screening positive for likely depression (WHO-5 ≤ 28)",
                         "High burnout (CBI ≥ 50)"]
    poor = fig.data[0]
    assert poor.y[0] is None and poor.y[1] == pytest.approx(30.0)
    assert poor.error_y.array[1] == pytest.approx(15.0) and poor.error_y.arrayminus[1] == pytest.approx(12.0)
    assert fig.data[3].name == "fewer than 5 respondents" and len(fig.data[3].x) == 3
    assert fig.layout.separators == ".,"
    assert "screening tool, not a diagnosis" in caption(fig)


def test_roles_are_rows_with_a_dot_per_wave_and_hidden_roles_listed() -> None:
    base = summary_frame().loc[lambda d: d["scale_id"] == "who5"]
    teachers = base.assign(role="teacher")
    few = base.assign(role="nurse", suppressed=True, n=NAN, who5_poor_share=NAN, who5_poor_ci_low=NAN,
                      who5_poor_ci_high=NAN)
    fig = fw.role_figure(pd.concat([teachers, few]), "fr", "", "who5_poor_share", ("V1", "V2"),
                         {"teacher": "Enseignant·e", "nurse": "Infirmier·e"}, overall=summary_frame(), cut=CUT)
    assert fig.layout.title.text.startswith("<b>Bien-être faible (WHO-5 ≤ 50) selon la fonction")
    v1, v2, hidden = fig.data
    assert (v1.name, v2.name) == ("V1", "V2")
    assert v1.x[0] == pytest.approx(30.0) and v1.x[1] is None
    assert hidden.name == HIDDEN_FR and len(hidden.y) == 2
    # each role says how many answered in each wave shown (a hidden group: fewer than 5)
    ticks = [text.replace("<span style='font-size:11px'>", "").replace("</span>", "")
             for text in fig.layout.yaxis.ticktext]
    n_teachers = " · ".join(str(int(n)) for n in teachers.sort_values("wave_order")["n"])
    assert ticks == [f"Enseignant·e<br>n = {n_teachers}", "Infirmier·e<br>n = < 5 · < 5"]
    assert "Infirmier·e (toutes les vagues)" in caption(fig) and "n = 40" in caption(fig)


def panel_frame(hidden: bool = False) -> pd.DataFrame:
    common = {"wave_a": "V1", "wave_b": "V2", "suppressed": hidden}
    values = {
        "who5": {"label_fr": "Bien-être (WHO-5, 0–100)", "label_en": "Wellbeing", "higher_is_better": True,
                 "n_pairs": 30.0, "mean_a": 50.0, "mean_b": 58.0, "mean_diff": 8.0, "ci_low": 5.0, "ci_high": 11.0,
                 "d_z": 0.8, "p_holm": 0.0001, "clinical_change": 10.0, "share_improved_clinical": 0.4,
                 "improved_ci_low": 0.25, "improved_ci_high": 0.57, "share_worsened_clinical": 0.1,
                 "worsened_ci_low": 0.03, "worsened_ci_high": 0.26},
        "cbi_work": {"label_fr": "Épuisement (CBI)", "label_en": "Burnout", "higher_is_better": False,
                     "n_pairs": 30.0, "mean_a": 50.0, "mean_b": 45.0, "mean_diff": -5.0, "ci_low": -8.0,
                     "ci_high": -2.0, "d_z": -0.5, "p_holm": 0.01, "clinical_change": NAN,
                     "share_improved_clinical": NAN, "improved_ci_low": NAN, "improved_ci_high": NAN,
                     "share_worsened_clinical": NAN, "worsened_ci_low": NAN, "worsened_ci_high": NAN},
    }
    rows = []
    for scale, v in values.items():
        row = {"scale_id": scale, **common, **v}
        if hidden:
            row.update({k: NAN for k in v if k not in ("label_fr", "label_en", "higher_is_better", "clinical_change")})
        rows.append(row)
    return pd.DataFrame(rows)


def test_clinical_change_bar_adds_up_to_100_with_the_10_point_threshold() -> None:
    fig = fw.clinical_change_figure(panel_frame(), "fr")
    worse, same, better = fig.data
    assert (worse.x[0], same.x[0], better.x[0]) == pytest.approx((10.0, 50.0, 40.0))
    assert worse.name == "Baisse d'au moins 10 points" and better.name == "Hausse d'au moins 10 points"
    assert better.text[0] == "40\u202f%"
    text = caption(fig)
    assert "n = 30" in text and "+8,0" in text and "IC 95 % 25\u202f% – 57\u202f%" in text


def test_hidden_panel_is_a_hatched_bar_and_the_table_says_why() -> None:
    fig = fw.clinical_change_figure(panel_frame(hidden=True), "fr")
    assert len(fig.data) == 1 and fig.data[0].text[0] == HIDDEN_FR
    table = fw.panel_table(panel_frame(hidden=True), "fr")
    assert set(table["Écart moyen"]) == {HIDDEN_FR}
    shown = fw.panel_table(panel_frame(), "fr")
    assert list(shown["Écart moyen"]) == ["+8,0", "−5,0"]
    assert shown["Hausse ≥ 10 pts"].iloc[0] == "40\u202f% (25\u202f% – 57\u202f%)"
    assert list(shown["Sens favorable"]) == ["hausse", "baisse"]
