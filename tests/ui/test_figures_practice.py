"""Figure builders of the practice page, on small hand-built frames: titles, captions (n,
source), hidden groups shown as such (never as zeros), trace counts, French number format."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from ui import figures_practice as fp

NAN = np.nan
HIDDEN_FR = "moins de 5 répondants"


def caption(fig: go.Figure) -> str:
    return str(fig.layout.meta["caption"])


def title(fig: go.Figure) -> str:
    return str(fig.layout.title.text)


def summary_frame() -> pd.DataFrame:
    rows = []
    for order, wave in enumerate(("V1", "V2"), start=1):
        for scale, fr, en, mean in (("network_practice", "Pratiques en réseau", "Network practice", 3.1),
                                    ("partnership_culture", "Culture du partenariat", "Partnership culture", 3.0)):
            hidden = scale == "partnership_culture" and wave == "V1"
            m = mean + 0.2 * (order - 1)
            rows.append({
                "wave_id": wave, "wave_order": order, "scale_id": scale, "label_fr": fr, "label_en": en,
                "n": NAN if hidden else 40.0 + order, "mean": NAN if hidden else m, "sd": NAN if hidden else 0.6,
                "ci_low": NAN if hidden else m - 0.2, "ci_high": NAN if hidden else m + 0.2, "suppressed": hidden,
            })
    return pd.DataFrame(rows)


def test_trend_shows_each_scale_with_its_interval_and_hidden_waves_as_placeholders() -> None:
    fig = fp.scale_trend_figure(summary_frame(), "fr", "Territoire : Nord")
    assert "Scores de pratiques par vague" in title(fig)
    assert fig.layout.separators == ", "
    lines = [tr for tr in fig.data if tr.mode == "lines+markers"]
    assert [tr.name for tr in lines] == ["Pratiques en réseau", "Culture du partenariat"]
    culture = lines[1]
    assert culture.y[0] is None and culture.y[1] == pytest.approx(3.2)  # hidden: a gap, not a zero
    assert culture.error_y.array[1] == pytest.approx(0.2)
    hidden = [tr for tr in fig.data if tr.name == HIDDEN_FR]
    assert len(hidden) == 1 and len(hidden[0].x) == 1
    text = caption(fig)
    assert "n = 42" in text and "Source : questionnaire aux professionnels" in text
    assert "Territoire : Nord" in text and "Culture du partenariat (V1)" in text and HIDDEN_FR in text
    assert "n par vague : V1 : 41, V2 : 42" in text


def test_trend_by_group_uses_group_labels_and_sums_the_groups() -> None:
    frame = summary_frame().loc[lambda d: d["scale_id"] == "network_practice"].assign(
        sector_id="education")
    other = frame.assign(sector_id="city", n=6.0)
    fig = fp.scale_trend_figure(pd.concat([frame, other]), "en", group="sector_id",
                                group_labels={"education": "Education", "city": "City"}, title="By sector")
    assert [tr.name for tr in fig.data] == ["Education", "City"]
    assert fig.layout.separators == ".,"
    assert "n = 48" in caption(fig) and "Source: practitioner survey" in caption(fig)


def panel_frame(hidden: bool = False) -> pd.DataFrame:
    rows = [
        {"scale_id": "network_practice", "label_fr": "Pratiques en réseau", "label_en": "Network practice",
         "wave_a": "V1", "wave_b": "V2", "n_pairs": 162.0, "mean_a": 3.38, "mean_b": 3.51, "mean_diff": 0.134,
         "ci_low": 0.057, "ci_high": 0.210, "d_z": 0.271, "p_holm": 0.0019, "p_wilcoxon": 0.0001,
         "suppressed": False},
        {"scale_id": "legibility", "label_fr": "Lisibilité des dispositifs", "label_en": "Legibility",
         "wave_a": "V1", "wave_b": "V2", "n_pairs": 150.0, "mean_a": 3.1, "mean_b": 3.05, "mean_diff": -0.05,
         "ci_low": -0.15, "ci_high": 0.05, "d_z": -0.08, "p_holm": 0.31, "p_wilcoxon": 0.4, "suppressed": False},
    ]
    if hidden:
        rows.append({"scale_id": "parents_actors", "label_fr": "Parents acteurs", "label_en": "Parents",
                     "wave_a": "V1", "wave_b": "V2", "n_pairs": NAN, "mean_a": NAN, "mean_b": NAN,
                     "mean_diff": NAN, "ci_low": NAN, "ci_high": NAN, "d_z": NAN, "p_holm": NAN,
                     "p_wilcoxon": NAN, "suppressed": True})
    return pd.DataFrame(rows)


def test_panel_chart_is_labelled_panel_with_effect_size_holm_p_and_pairs() -> None:
    fig = fp.panel_change_figure(panel_frame(hidden=True), "fr")
    assert "mêmes personnes" in title(fig) and "(panel)" in title(fig)
    significant, other, hidden = fig.data
    assert significant.marker.symbol == "diamond" and list(significant.x) == pytest.approx([0.134])
    assert other.marker.symbol == "diamond-open" and list(other.x) == pytest.approx([-0.05])
    assert hidden.name == HIDDEN_FR and list(hidden.y) == [2]
    ticks = list(fig.layout.yaxis.ticktext)
    assert "d_z = 0,27 · p = 0,002 · 162 paires" in ticks[0]
    assert "d_z = −0,08" in ticks[1]
    assert HIDDEN_FR in ticks[2]
    assert "n = 162" in caption(fig) and "Parents acteurs" in caption(fig)


def test_cross_sectional_chart_says_it_is_not_a_panel() -> None:
    frame = panel_frame().assign(hedges_g=[0.15, -0.05], n_a=[218.0, 218.0], n_b=[232.0, 232.0], n=[450.0, 450.0])
    fr = fp.cross_sectional_figure(frame, "fr")
    en = fp.cross_sectional_figure(frame, "en")
    def plain(fig: go.Figure) -> str:  # the title as read, whatever the wrapping
        return re.sub(r"<[^>]+>", "", title(fig).replace("<br>", " "))

    assert "hors panel" in plain(fr) and "not a panel" in plain(en)
    assert "Pas un panel" in caption(fr)
    assert "g = 0,15" in fr.layout.yaxis.ticktext[0]


def test_panel_table_formats_numbers_in_french_and_marks_hidden_rows() -> None:
    table = fp.panel_table(panel_frame(hidden=True), "fr")
    assert list(table["d_z"]) == ["0,27", "−0,08", HIDDEN_FR]
    assert table["Écart"].iloc[0] == "+0,13" and table["p (Holm)"].iloc[0] == "0,002"
    assert table["Plan"].iloc[0] == "panel (mêmes personnes)"


def likert_frame() -> pd.DataFrame:
    labels = ["Pas du tout d'accord", "Plutôt pas d'accord", "Ni d'accord ni pas d'accord", "Plutôt d'accord",
              "Tout à fait d'accord"]
    rows = []
    for order, wave in enumerate(("V1", "V2"), start=1):
        for item, shares in (("NET1", [0.1, 0.2, 0.3, 0.3, 0.1]), ("NET2", [0.0, 0.1, 0.2, 0.4, 0.3])):
            hidden = item == "NET2" and wave == "V1"
            for j, share in enumerate(shares):
                rows.append({
                    "wave_id": wave, "wave_order": order, "item_id": item, "text_fr": f"Texte {item}",
                    "text_en": f"Text {item}", "reverse_keyed": item == "NET2", "value": float(j + 1), "code": None,
                    "label_fr": labels[j], "label_en": labels[j], "sort_order": j,
                    "count": NAN if hidden else share * 20, "share": NAN if hidden else share,
                    "n": NAN if hidden else 20.0, "suppressed": hidden,
                })
    return pd.DataFrame(rows)


def test_likert_bars_diverge_around_the_neutral_answer_and_hidden_items_are_hatched() -> None:
    fig = fp.likert_figure(likert_frame(), "fr", scale_label="Pratiques en réseau")
    assert "Pratiques en réseau : réponses par item" in title(fig)
    first = [tr for tr in fig.data if isinstance(tr, go.Bar) and tr.xaxis == "x" and tr.legendgroup != "hidden"]
    assert len(first) == 6  # 5 answers, the neutral one in two halves
    net1 = {tr.name: 0.0 for tr in first}
    for tr in first:
        net1[tr.name] += tr.x[0]
    assert net1["Ni d'accord ni pas d'accord"] == pytest.approx(0.0)  # −15 + 15: centred
    assert net1["Pas du tout d'accord"] == pytest.approx(-10.0) and net1["Tout à fait d'accord"] == pytest.approx(10.0)
    assert sum(abs(tr.x[0]) for tr in first) == pytest.approx(100.0)
    # NET2 is hidden in V1: no zero bars pretending nobody answered, a hatched placeholder instead
    assert all(tr.x[1] == 0 for tr in first)
    hatched = [tr for tr in fig.data if isinstance(tr, go.Bar) and tr.legendgroup == "hidden"]
    assert hatched and hatched[0].marker.pattern.shape == "/" and list(hatched[0].y) == ["NET2"]
    labels = [tr for tr in fig.data if isinstance(tr, go.Scatter) and tr.xaxis == "x"]
    assert labels and HIDDEN_FR in labels[0].text
    assert "NET2 (V1)" in caption(fig) and "formulé négativement" in " ".join(fig.layout.yaxis.ticktext)


def test_level_gap_and_reliable_change_show_hidden_groups() -> None:
    gap = pd.DataFrame([
        {"wave_id": w, "wave_order": i, "scale_id": "network_practice", "label_fr": "Pratiques en réseau",
         "label_en": "Network practice", "n": NAN if h else 60.0, "n_strategic": NAN if h else 12.0,
         "mean_strategic": NAN if h else 3.5, "n_operational": NAN if h else 48.0,
         "mean_operational": NAN if h else 3.1, "gap": NAN if h else 0.4, "ci_low": NAN if h else 0.1,
         "ci_high": NAN if h else 0.7, "suppressed": h}
        for i, (w, h) in enumerate((("V1", True), ("V2", False)), start=1)
    ])
    fig = fp.level_gap_figure(gap, "fr")
    assert fig.data[0].y[0] is None and fig.data[0].y[1] == pytest.approx(0.4)
    assert fig.data[-1].name == HIDDEN_FR and list(fig.data[-1].y) == [0.0]
    assert "n = 60" in caption(fig)

    rc = pd.DataFrame([
        {"scale_id": "network_practice", "label_fr": "Pratiques en réseau", "label_en": "Network practice",
         "wave_a": "V1", "wave_b": "V2", "n_pairs": 100.0, "reliable_change_points": 0.94, "n_improved": 10.0,
         "n_deteriorated": 5.0, "n_unchanged": 85.0, "share_improved": 0.10, "share_deteriorated": 0.05,
         "share_unchanged": 0.85, "suppressed": False},
        {"scale_id": "legibility", "label_fr": "Lisibilité", "label_en": "Legibility", "wave_a": "V1",
         "wave_b": "V2", "n_pairs": NAN, "reliable_change_points": NAN, "n_improved": NAN, "n_deteriorated": NAN,
         "n_unchanged": NAN, "share_improved": NAN, "share_deteriorated": NAN, "share_unchanged": NAN,
         "suppressed": True},
    ])
    fig = fp.reliable_change_figure(rc, "fr")
    assert len(fig.data) == 4  # decline, unchanged, improvement, hidden placeholder
    assert list(fig.data[2].x) == pytest.approx([10.0, 0.0])
    assert fig.data[3].marker.pattern.shape == "/" and fig.data[3].text[0] == HIDDEN_FR
    assert "0,94" in caption(fig) and "Lisibilité" in caption(fig)


def test_empty_frames_give_an_empty_chart_that_says_so() -> None:
    fig = fp.panel_change_figure(panel_frame().iloc[0:0], "en")
    assert fig.layout.annotations[0].text == "No data for this selection."


# --------------------------------------------------------------------------- model and weights


def _model_frames(hidden: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    models = pd.DataFrame([{
        "scale_id": "network_practice", "label_fr": "Pratiques en réseau", "label_en": "Network practice",
        "estimate": "mixed_respondent", "note": "singular_institution", "n_respondents": 40, "n_institutions": 6,
        "n_waves": 2, "icc_institution": 0.0, "icc_respondent": 0.61, "suppressed": hidden,
    }])
    changes = pd.DataFrame([{
        "scale_id": "network_practice", "wave_a": "V1", "wave_b": "V2", "change": 0.25, "ci_low": 0.05,
        "ci_high": 0.45, "suppressed": hidden,
    }])
    return models, changes


def test_model_table_says_which_estimate_and_the_change_with_its_interval() -> None:
    models, changes = _model_frames()
    table = fp.model_table(models, changes, "fr", "V1", "V2", ["network_practice"])
    row = table.iloc[0]
    assert row["Estimation"] == "modèle à mesures répétées (répondant seulement)"
    assert row["Évolution V1 → V2 (modèle)"] == "+0,25" and row["IC 95 % (modèle)"] == "+0,05 à +0,45"
    assert row["CCI répondant"] == "0,61" and row["Répondants"] == "40"
    notes = fp.model_notes(models, "fr", ["network_practice"])
    assert notes and "répondant seulement" in notes[0] and "ajustement singulier" in notes[0]
    assert fp.model_sentences(models, changes, "en", "V1", "V2", ["network_practice"]) == [
        "“Network practice”: +0.25 between V1 and V2 (95% CI +0.05 to +0.45)."
    ]


def test_a_hidden_model_shows_no_number() -> None:
    models, changes = _model_frames(hidden=True)
    table = fp.model_table(models, changes, "fr", "V1", "V2", ["network_practice"])
    assert set(table.drop(columns=["Échelle"]).iloc[0]) == {HIDDEN_FR}
    assert fp.model_sentences(models, changes, "fr", "V1", "V2", ["network_practice"]) == []
    assert fp.model_hidden(models, ["network_practice"])


def test_weighted_trend_figure_draws_weighted_and_unweighted_lines() -> None:
    rows = []
    for order, wave in enumerate(("V1", "V2", "V3"), start=1):
        rows.append({"wave_id": wave, "wave_order": order, "scale_id": "network_practice",
                     "label_fr": "Pratiques en réseau", "label_en": "Network practice", "n": 30,
                     "mean": 3.0 + 0.1 * order, "mean_weighted": 3.1 + 0.1 * order,
                     "ci_low_weighted": 2.9 + 0.1 * order, "ci_high_weighted": 3.3 + 0.1 * order,
                     "n_effective": 27.0, "suppressed": wave == "V3"})
    fig = fp.weighted_trend_figure(pd.DataFrame(rows), "fr")
    assert [tr.name for tr in fig.data] == ["Pratiques en réseau (pondéré)", "Pratiques en réseau (non pondéré)"]
    assert list(fig.data[0].y) == pytest.approx([3.2, 3.3])  # the hidden wave V3 is not drawn
    assert list(fig.data[1].y) == pytest.approx([3.1, 3.2])
    assert fig.data[1].line.dash == "dot"
    assert "V3" in caption(fig) and "taille effective" in caption(fig)
