"""Charts and display tables of the data quality page: built from indicator-shaped frames, checked
on fig.data / layout; hidden groups stay visible as such; French and English formatting."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from indicators import quality as q
from indicators.filters import Filters
from ui import figures_quality as fq
from warehouse.db import attach_read_only

NAN = math.nan


def rates_frame() -> pd.DataFrame:
    rows = [
        # wave, order, sector, fr, en, territory, respondents, target, rate, lo, hi, note, suppressed
        (
            "2025-1",
            1,
            "education",
            "Éducation nationale",
            "National education",
            "Centre",
            30,
            40,
            0.75,
            0.6,
            0.86,
            None,
            False,
        ),
        ("2025-1", 1, "city", "Ville", "City council", "Centre", NAN, 6, NAN, NAN, NAN, None, True),
        ("2025-1", 1, "health", "Santé", "Health", None, 12, NAN, NAN, NAN, NAN, "no_target", False),
        (
            "2025-2",
            2,
            "education",
            "Éducation nationale",
            "National education",
            "Centre",
            28,
            40,
            0.7,
            0.55,
            0.82,
            None,
            False,
        ),
        ("2025-2", 2, "city", "Ville", "City council", "Centre", 7, 6, 7 / 6, NAN, NAN, "above_target", False),
        ("2025-2", 2, "health", "Santé", "Health", None, NAN, 3, NAN, NAN, NAN, None, True),
    ]
    cols = [c for c in q.RESPONSE_RATE_COLUMNS if c != "n"]
    df = pd.DataFrame(rows, columns=cols)
    df["n"] = df["respondents"]
    return df.reindex(columns=q.RESPONSE_RATE_COLUMNS)


def retention_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "wave_a": ["2025-1", "2025-2"],
            "wave_b": ["2025-2", "2026-1"],
            "wave_order_a": [1, 2],
            "wave_order_b": [2, 3],
            "n": [200.0, NAN],
            "n_a": [200.0, NAN],
            "n_retained": [150.0, NAN],
            "retention": [0.75, NAN],
            "ci_low": [0.69, NAN],
            "ci_high": [0.8, NAN],
            "n_b": [210.0, NAN],
            "n_newcomers": [50.0, NAN],
            "n_returning": [10.0, NAN],
            "suppressed": [False, True],
        }
    )


def alpha_frame() -> pd.DataFrame:
    rows = [
        ("2025-1", 1, "net", "Pratiques en réseau", "Network practice", 5, 200, 0.72, 0.66, 0.77, False),
        ("2025-1", 1, "leg", "Lisibilité", "Legibility", 4, 190, 0.55, 0.45, 0.64, False),
        ("2025-2", 2, "net", "Pratiques en réseau", "Network practice", 5, 180, 0.74, 0.68, 0.79, False),
        ("2025-2", 2, "leg", "Lisibilité", "Legibility", 4, NAN, NAN, NAN, NAN, True),
    ]
    return pd.DataFrame(rows, columns=q.RELIABILITY_COLUMNS)


def missing_frame() -> pd.DataFrame:
    rows = [
        ("2025-1", 1, "net", "Pratiques en réseau", "Network practice", 5, 200, 1000, 20, 0.02, 1, 0.005, False),
        ("2025-2", 2, "net", "Pratiques en réseau", "Network practice", 5, 180, 900, 45, 0.05, 3, 3 / 180, False),
        ("2025-2", 2, "leg", "Lisibilité", "Legibility", 4, NAN, NAN, NAN, NAN, NAN, NAN, True),
    ]
    return pd.DataFrame(rows, columns=q.MISSING_COLUMNS)


def caption(fig: go.Figure) -> str:
    return next(a.text for a in fig.layout.annotations if a.name == "caption")


def trace(fig: go.Figure, name: str) -> go.BaseTraceType:
    return next(t for t in fig.data if t.name == name)


# --------------------------------------------------------------------------- response rates


def test_rate_heatmap_colours_visible_groups_and_greys_hidden_ones() -> None:
    fig = fq.response_rate_heatmap(rates_frame(), "fr", min_group_size=5)
    hidden, rates = fig.data[0], fig.data[1]
    assert isinstance(rates, go.Heatmap) and list(rates.x) == ["2025-1", "2025-2"]
    assert list(rates.y) == ["Éducation nationale · Centre", "Ville · Centre", "Santé"]
    assert list(rates.z[0]) == [75.0, 70.0]
    # hidden (suppressed) and no-target cells: grey layer with their label, no colour
    assert rates.z[1][0] is None and hidden.z[1][0] == 1.0 and hidden.text[1][0] == "< 5"
    assert hidden.text[2][0] == "sans effectif cible"
    # a rate above the target is capped in colour but printed as it is
    assert rates.z[1][1] == 100.0 and rates.text[1][1] == "117\u202f%"
    assert rates.text[0][0] == "75\u202f%"
    assert fig.layout.meta["title"] == "Taux de réponse par groupe et par vague"
    text = caption(fig)
    assert "Source : questionnaire aux professionnels et effectifs cibles" in text
    assert "Groupes de moins de 5 répondants masqués" in text
    assert "n = 35 à 42 répondants par vague" in text


def test_rate_detail_draws_wilson_intervals_and_labels_hidden_and_untargeted_groups() -> None:
    fig = fq.response_rate_detail(rates_frame(), "2025-1", "fr")
    dots = trace(fig, "Taux de réponse")
    assert list(dots.x) == [75.0] and list(dots.y) == ["Éducation nationale · Centre"]
    assert dots.error_x.array[0] == pytest.approx(11.0) and dots.error_x.arrayminus[0] == pytest.approx(15.0)
    labels = trace(fig, "hidden_labels")
    assert list(labels.text) == ["masqué (moins de 5 répondants)", "sans effectif cible (12 répondants)"]
    assert fig.layout.meta["n"] == 42
    assert "Taux de réponse, vague 2025-1" in fig.layout.title.text


def test_rate_detail_marks_rates_above_target() -> None:
    fig = fq.response_rate_detail(rates_frame(), "2025-2", "en")
    above = trace(fig, "above the target")
    assert list(above.x) == [pytest.approx(700 / 6)]
    assert fig.layout.xaxis.range[1] > 116


def test_rate_summary_leaves_hidden_and_untargeted_groups_out() -> None:
    rate, respondents, target = fq.rate_summary(rates_frame(), "2025-1")
    assert (respondents, target) == (30, 40) and rate == pytest.approx(0.75)
    assert math.isnan(fq.rate_summary(rates_frame().iloc[:0], "2025-1")[0])


def test_rates_table_shows_hidden_groups_as_such_and_notes() -> None:
    fr = fq.rates_display(rates_frame(), "fr")
    assert list(fr.columns) == ["Vague", "Groupe", "Répondants", "Effectif ciblé", "Taux", "IC 95 %", "Remarque"]
    assert fr.iloc[0]["IC 95 %"] == "60\u202f% – 86\u202f%"
    assert fr.iloc[1]["Répondants"] == "masqué (moins de 5 répondants)" and fr.iloc[1]["Taux"] == "–"
    assert fr.iloc[2]["Remarque"].startswith("pas d'effectif cible")
    en = fq.rates_display(rates_frame(), "en")
    assert en.iloc[4]["Note"].startswith("more respondents than the target")


# --------------------------------------------------------------------------- retention


def test_retention_chart_plots_share_with_ci_and_labels_hidden_pairs() -> None:
    fig = fq.retention_figure(retention_frame(), "fr")
    line = fig.data[0]
    assert list(line.x) == ["2025-1 → 2025-2"] and list(line.y) == [75.0]
    assert line.error_y.array[0] == pytest.approx(5.0) and line.error_y.arrayminus[0] == pytest.approx(6.0)
    labels = trace(fig, "retention_labels")  # above the interval, off the line
    assert list(labels.text) == ["75\u202f% (150/200)"] and list(labels.y) == [80.0]
    assert labels.textposition == "top center"
    hidden = trace(fig, "hidden_labels")
    assert list(hidden.x) == ["2025-2 → 2026-1"]
    assert list(fig.layout.xaxis.categoryarray) == ["2025-1 → 2025-2", "2025-2 → 2026-1"]
    assert "n = 200 répondants de la première vague" in caption(fig)


def test_retention_table_in_english() -> None:
    en = fq.retention_display(retention_frame(), "en")
    assert en.iloc[0]["Retention"] == "75%" and en.iloc[0]["Newcomers"] == "50"
    assert en.iloc[1]["Found again"] == "hidden (fewer than 5 respondents)"


# --------------------------------------------------------------------------- missing items


def test_missing_heatmap_values_are_percentages_with_one_decimal() -> None:
    fig = fq.missing_heatmap(missing_frame(), "fr")
    hidden, values = fig.data[0], fig.data[1]
    assert list(values.y) == ["Pratiques en réseau", "Lisibilité"]
    assert list(values.z[0]) == pytest.approx([2.0, 5.0])
    assert values.text[0][1] == "5,0\u202f%"
    assert hidden.z[1][1] == 1.0 and hidden.text[1][1] == "< 5"
    assert fig.layout.separators == ", "
    en = fq.missing_heatmap(missing_frame(), "en")
    assert en.data[1].text[0][1] == "5.0%" and list(en.data[1].y) == ["Network practice", "Legibility"]


# --------------------------------------------------------------------------- reliability


def test_reliability_chart_has_one_series_per_wave_feldt_ci_and_the_0_7_line() -> None:
    fig = fq.reliability_figure(alpha_frame(), "fr")
    series = [t for t in fig.data if t.name and t.name.startswith("Vague")]
    assert [s.name for s in series] == ["Vague 2025-1", "Vague 2025-2"]
    first = series[0]
    assert list(first.x) == [0.72, 0.55]
    assert first.error_x.arrayminus[1] == pytest.approx(0.10)
    assert len(series[1].x) == 1  # the hidden scale has no point…
    assert list(trace(fig, "hidden_labels").text) == ["< 5"]  # …but a label
    line = next(s for s in fig.layout.shapes if s.name == "reference")
    assert line.x0 == line.x1 == 0.7
    assert any(a.text == "seuil usuel 0,7" for a in fig.layout.annotations)
    assert list(fig.layout.yaxis.ticktext) == ["Pratiques en réseau", "Lisibilité"]
    # the two series sit on either side of each scale's row
    assert first.y[0] < 0 < series[1].y[0]
    assert "n = 180 à 200 répondants complets" in caption(fig)


def test_reliability_axis_extends_below_zero_for_a_negative_alpha() -> None:
    df = alpha_frame()
    df.loc[1, ["alpha", "ci_low"]] = [-0.2, -0.45]
    assert fq.reliability_figure(df, "en").layout.xaxis.range[0] == pytest.approx(-0.5)


def test_reliability_table_and_reliable_scales() -> None:
    fr = fq.reliability_display(alpha_frame(), "fr")
    assert fr.iloc[0]["Alpha"] == "0,72" and fr.iloc[0]["IC 95 %"] == "0,66 – 0,77"
    assert fr.iloc[0]["Lecture"] == "fiable (≥ 0,7)" and fr.iloc[1]["Lecture"] == "à lire avec prudence (< 0,7)"
    assert fr.iloc[3]["Répondants complets"] == "masqué (moins de 5 répondants)"
    assert fq.scales_reliable(alpha_frame(), "2025-1") == (1, 2)
    assert fq.scales_reliable(alpha_frame(), "2025-2") == (1, 1)


# --------------------------------------------------------------------------- empty inputs


@pytest.mark.parametrize(
    ("builder", "frame"),
    [
        (fq.response_rate_heatmap, rates_frame),
        (fq.retention_figure, retention_frame),
        (fq.missing_heatmap, missing_frame),
        (fq.reliability_figure, alpha_frame),
    ],
)
def test_empty_frames_give_a_titled_chart_that_says_so(builder, frame) -> None:  # type: ignore[no-untyped-def]
    fig = builder(frame().iloc[:0], "fr")
    assert not fig.data
    assert fig.layout.meta["title"]
    assert any(a.name != "caption" and a.text for a in fig.layout.annotations)


# --------------------------------------------------------------------------- loads and quarantine


def test_loads_table_says_which_loads_are_in_force() -> None:
    loads = pd.DataFrame(
        {
            "load_id": [2, 1],
            "file_name": ["praticiens_v2.xlsx", "praticiens.xlsx"],
            "instrument": ["practitioner", "practitioner"],
            "codebook_version": ["2", "2"],
            "wave_id": ["2025-1", "2025-1"],
            "rows_read": [1234, 1200],
            "rows_loaded": [1230, 1190],
            "rows_quarantined": [4, 10],
            "cells_quarantined": [0, 3],
            "warnings": [1, 1],
            "finished_at": pd.to_datetime(["2026-03-02 10:15", "2026-03-01 09:00"]),
            "status": ["current", "replaced"],
            "replaced_by_load_id": [pd.NA, 2],
        }
    )
    fr = fq.loads_display(loads, "fr")
    assert list(fr["Statut"]) == ["En vigueur", "Remplacé par le n° 2"]
    assert fr.iloc[0]["Questionnaire ou liste"] == "Questionnaire aux professionnels"
    assert fr.iloc[0]["Lignes lues"] == "1\u202f234" and fr.iloc[0]["Chargé le"] == "02/03/2026 10:15"
    en = fq.loads_display(loads, "en")
    assert list(en["Status"]) == ["In force", "Replaced by no. 2"] and en.iloc[0]["Rows read"] == "1,234"
    g = fq.glance(loads, rates_frame(), retention_frame(), alpha_frame(), pd.DataFrame({"n": [3, 2]}))
    assert (g.current_loads, g.replaced_loads, g.kept_out) == (1, 1, 5)
    # the latest wave's rate: groups shown with a target (the hidden one is left out)
    assert g.rate_wave == "2025-2" and g.rate == pytest.approx((28 + 7) / (40 + 6))
    assert g.retention_pair == ("2025-1", "2025-2") and g.retention == pytest.approx(0.75)
    assert (g.alpha_wave, g.alpha_ok, g.alpha_measured) == ("2025-2", 1, 1)


def test_problems_show_values_only_when_asked() -> None:
    rows = pd.DataFrame(
        {
            "file_name": ["a.csv", "a.csv"],
            "source_row": [12, None],
            "column_name": ["Q3", None],
            "value": ["Mme Dupont, 06…", None],
            "problem": ["unknown_label", "some_new_problem"],
            "scope": ["cell", "warning"],
            "message": ["“Mme Dupont, 06…” is not an answer", "something"],
        }
    )
    hidden = fq.problems_display(rows, "fr")
    assert "Valeur" not in hidden.columns
    assert list(hidden["Motif"]) == ["réponse non reconnue", "some new problem"]
    assert list(hidden["Conséquence"]) == ["réponse écartée", "avertissement"]
    assert list(hidden["Ligne du fichier"]) == ["12", ""]
    shown = fq.problems_display(rows, "en", show_values=True)
    assert shown.iloc[0]["Value"] == "Mme Dupont, 06…" and shown.iloc[0]["Reason"] == "unknown answer"


def test_every_problem_the_loader_can_raise_has_a_reader_name() -> None:
    """Problem codes written in etl/ (validate.py, load.py) all have a French and English label."""
    import re

    from ui.i18n import TEXTS

    root = Path(__file__).resolve().parents[2] / "etl"
    codes: set[str] = set()
    for name in ("validate.py", "load.py"):
        text = (root / name).read_text(encoding="utf-8")
        codes |= set(re.findall(r"'([a-z_]+)', '(?:row|cell|column|warning|file)'", text))
        codes |= set(re.findall(r'"([a-z_]+)",\s*(?:"(?:row|cell|column|warning|file)"|scope)\b', text))
        codes |= set(re.findall(r'refuse\(\s*"([a-z_]+)"', text))
    assert {"out_of_range", "duplicate_respondent", "no_institutions"} <= codes
    codes -= {"row", "cell", "column", "warning", "file"}
    missing = sorted(c for c in codes if f"quality.problem.{c}" not in TEXTS)
    assert not missing, f"add labels for {missing} to ui/texts/quality.py"


# --------------------------------------------------------------------------- on the demo warehouse


def test_the_demo_warehouse_builds_every_chart(demo_db: Path) -> None:
    conn = attach_read_only(demo_db)
    try:
        f = Filters()
        rates = q.response_rates(conn, f)
        figs = [
            fq.response_rate_heatmap(rates, "fr"),
            fq.response_rate_detail(rates, "2026-1", "fr"),
            fq.retention_figure(q.panel_retention(conn, f), "fr"),
            fq.missing_heatmap(q.missing_items(conn, f), "fr"),
            fq.reliability_figure(q.reliability(conn, f), "en"),
        ]
    finally:
        conn.close()
    for fig in figs:
        assert fig.data and fig.layout.meta["title"]
        assert all(np.isfinite(fig.layout.height) for _ in [0])
        # the footer sits under the y-axis labels and has room for each line
        note = next(a for a in fig.layout.annotations if a.name == "caption")
        assert note.xshift < 0 and fig.layout.margin.b >= 15 * (note.text.count("<br>") + 1)


def test_many_groups_show_the_lowest_rates_first_and_say_so() -> None:
    rows = []
    for k in range(60):
        rate = 0.3 + k / 100
        rows.append(("2025-1", 1, "city", "Ville", "City council", f"T{k:02d}", 30, 40, 0.5, 0.4, 0.6, None, False))
        rows.append(("2025-2", 2, "city", "Ville", "City council", f"T{k:02d}", 30, 40, rate, 0.2, 0.9, None, False))
    cols = [c for c in q.RESPONSE_RATE_COLUMNS if c != "n"]
    df = pd.DataFrame(rows, columns=cols).assign(n=30).reindex(columns=q.RESPONSE_RATE_COLUMNS)
    fig = fq.response_rate_heatmap(df, "fr")
    shown = list(fig.data[1].y)
    assert len(shown) == fq.MAX_RATE_GROUPS
    assert shown[:2] == ["Ville · T00", "Ville · T01"]  # the lowest latest rates first
    assert "Les 40 groupes au taux le plus bas à leur dernière vague, sur 60" in fig.layout.title.text
    detail = fq.response_rate_detail(df, "2025-2", "en")
    assert len(detail.data[0].y) == 40 and "of 60" in detail.layout.title.text


def test_largest_weights_leave_hidden_cells_out_of_the_list() -> None:
    cells = pd.DataFrame([
        {"wave_id": "V1", "sector_id": "city", "territory": "Nord", "n": 10, "target_n": 30, "weight": 3.0,
         "weight_ratio": 1.5, "trimmed": False, "suppressed": False},
        {"wave_id": "V1", "sector_id": "health", "territory": "Nord", "n": float("nan"), "target_n": 9,
         "weight": float("nan"), "weight_ratio": float("nan"), "trimmed": False, "suppressed": True},
        {"wave_id": "V1", "sector_id": "education", "territory": "Sud", "n": 20, "target_n": 20, "weight": 1.0,
         "weight_ratio": 0.5, "trimmed": False, "suppressed": False},
    ])
    shown, hidden = fq.weight_cells_display(cells, "V1", "fr", {"city": "Ville", "education": "Éducation"})
    assert list(shown["Secteur"]) == ["Ville", "Éducation"] and list(shown["Poids"]) == ["3,00", "1,00"]
    assert hidden == 1
