"""Figure builders and display tables of the exchanges page (ui/figures_exchanges.py), on small
hand-built frames shaped like the outputs of indicators.exchanges."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from indicators.exchanges import MATRIX_COLUMNS, PAIR_COLUMNS, PROJECTION_EDGE_COLUMNS, SHARE_COLUMNS
from ui import figures_exchanges as fx
from ui.i18n import NNBSP

SECTORS = ["education", "city", "association", "health", "social", "insertion", "parents"]
LABELS = {"education": "Éducation nationale", "health": "Santé", "parents": "Associations de parents"}


def cell(wave: str, order: int, rs: str, ts: str, n: int, mean: float, share: float) -> dict[str, object]:
    hidden = n < 5
    return {
        "wave_id": wave, "wave_order": order, "respondent_sector_id": rs, "target_sector_id": ts,
        "same_sector": rs == ts, "n": None if hidden else n, "mean_per_month": None if hidden else mean,
        "share_at_least_monthly": None if hidden else share, "min_frequency": 1.0, "suppressed": hidden,
    }  # fmt: skip


@pytest.fixture()
def matrix() -> pd.DataFrame:
    rows = []
    for wave, order, bump in (("2025-2", 1, 0.0), ("2026-1", 2, 0.5)):
        rows += [
            cell(wave, order, "education", "education", 100, 2.1 + bump, 0.9),
            cell(wave, order, "education", "health", 98, 1.0 + bump, 0.5),
            cell(wave, order, "health", "education", 15, 1.6, 0.6),
            cell(wave, order, "health", "health", 3 if wave == "2026-1" else 14, 2.0, 0.9),
        ]
    return pd.DataFrame(rows)[MATRIX_COLUMNS]


def heat(fig: go.Figure, kind: str) -> go.Heatmap:
    return next(tr for tr in fig.data if tr.meta["kind"] == kind)


# --------------------------------------------------------------------------- survey grid


def test_heatmap_marks_hidden_cells_instead_of_zero(matrix: pd.DataFrame) -> None:
    fig = fx.exchange_heatmap(matrix, "fr", wave="2026-1", sector_labels=LABELS, sector_order=SECTORS, min_group_size=5)
    values, hidden = heat(fig, "values"), heat(fig, "hidden")
    assert list(values.x) == ["Éducation<br>nationale", "Santé"]
    assert values.z[1][1] is None  # not drawn as 0
    assert hidden.z[1][1] == 1.0 and hidden.text[1][1] == "moins de 5<br>répondants"
    assert values.text[0] == ("2,6", "1,5") or list(values.text[0]) == ["2,6", "1,5"]
    assert values.z[0][0] == pytest.approx(2.6)
    assert "n = 100" in values.y[0] and "n = 15" in values.y[1]
    assert "vague 2026-1" in fig.layout.title.text
    caption = fig.layout.meta["caption"]
    assert "n = 115" in caption and "questionnaire aux professionnels" in caption
    assert "Groupes de moins de 5 répondants masqués" in caption
    assert len(fig.layout.shapes) == 2  # within-sector cells outlined


def test_heatmap_share_in_english(matrix: pd.DataFrame) -> None:
    fig = fx.exchange_heatmap(
        matrix, "en", wave="2026-1", measure="share_at_least_monthly", sector_order=SECTORS, min_group_size=5
    )
    values = heat(fig, "values")
    assert list(values.text[0]) == ["90%", "50%"]
    assert values.z[0][0] == pytest.approx(90)
    assert heat(fig, "hidden").text[1][1] == "fewer than 5<br>respondents"
    assert fig.layout.separators == ".,"


def test_change_heatmap_keeps_cells_hidden_in_either_wave(matrix: pd.DataFrame) -> None:
    fig = fx.exchange_change_heatmap(
        matrix, "fr", wave_a="2025-2", wave_b="2026-1", sector_labels=LABELS, sector_order=SECTORS, min_group_size=5
    )
    values, hidden = heat(fig, "values"), heat(fig, "hidden")
    assert values.text[0][0] == "+0,5" and values.z[0][0] == pytest.approx(0.5)
    assert values.text[1][0] == "±0,0"
    assert values.z[1][1] is None and hidden.z[1][1] == 1.0
    assert values.zmid == 0
    assert "2025-2 et 2026-1" in fig.layout.title.text


def test_empty_grid(matrix: pd.DataFrame) -> None:
    fig = fx.exchange_heatmap(matrix.iloc[0:0], "fr", wave="2026-1")
    assert not fig.data and "Pas de données" in " ".join(a.text for a in fig.layout.annotations)


# --------------------------------------------------------------------------- activity log


def monthly(by: str | None = None) -> pd.DataFrame:
    months = pd.to_datetime(["2025-03-01", "2025-04-01", "2025-05-01"])
    if by is None:
        return pd.DataFrame(
            {"month": months, "period": "2025-S1", "actions": [10, 0, 7], "multi_sector": [6, 0, 7], "participants": 0}
        )
    groups = ["coordination_meeting", "parents_meeting"] if by == "activity_type" else ["Nord", "Sud"]
    rows = [
        {"month": m, "period": "2025-S1", by: g, "actions": a, "multi_sector": 0, "participants": 0}
        for m, (a1, a2) in zip(months, ((4, 6), (0, 0), (5, 2)), strict=True)
        for g, a in zip(groups, (a1, a2), strict=True)
    ]
    return pd.DataFrame(rows)


def test_monthly_bars_split_by_sectors_with_french_months() -> None:
    waves = pd.DataFrame({"wave_id": ["2025-1"], "first_date": [pd.Timestamp("2025-05-05")], "last_date": [None]})
    fig = fx.monthly_figure(monthly(), "fr", waves=waves)
    bars = [tr for tr in fig.data if isinstance(tr, go.Bar)]
    assert [tr.meta["group"] for tr in bars] == ["multi", "single"]
    assert list(bars[0].x) == ["mars 2025", "avr. 2025", "mai 2025"]
    assert [a + b for a, b in zip(bars[0].y, bars[1].y, strict=True)] == [10, 0, 7]  # stacked = all actions
    assert bars[1].marker.pattern.shape == "/"
    assert fig.layout.barmode == "stack"
    assert len(fig.layout.shapes) == 1  # the fieldwork month of wave 2025-1
    assert any(a.text == "vague 2025-1" for a in fig.layout.annotations)
    assert fig.layout.meta["n"] == 17 and "journal des actions communes" in fig.layout.meta["caption"]


def test_monthly_by_type_uses_codebook_labels_and_patterns() -> None:
    fig = fx.monthly_figure(monthly("activity_type"), "fr", by="activity_type")
    bars = [tr for tr in fig.data if isinstance(tr, go.Bar)]
    assert [tr.name for tr in bars] == ["Réunion de coordination", "Rencontre avec les parents"]
    assert bars[0].marker.pattern.shape != bars[1].marker.pattern.shape
    english = fx.monthly_figure(monthly("territory"), "en", by="territory")
    assert [tr.name for tr in english.data if isinstance(tr, go.Bar)] == ["Nord", "Sud"]
    assert english.data[0].x[0] == "Mar 2025"


def shares() -> pd.DataFrame:
    rows = [
        ("2024-S2", 199, 105, 125, 0, 14, 199),
        ("2025-S1", 336, 210, 225, 0, 39, 336),
        ("2025-S2", 266, 193, 211, 21, 45, 266),
    ]
    out = []
    for period, actions, multi, three, youth, parents, known in rows:
        out.append(
            {
                "period": period, "actions": actions, "n": actions, "multi_sector": multi,
                "share_multi_sector": multi / actions, "three_plus_institutions": three,
                "share_three_plus_institutions": three / actions, "for_16_18": youth, "share_16_18": youth / actions,
                "parents_coorganised": parents, "parents_known": known,
                "share_parents_coorganised": parents / known, "participants": 1000, "participants_known": actions,
            }
        )  # fmt: skip
    return pd.DataFrame(out)[["period", *SHARE_COLUMNS]]


def test_shares_per_half_year() -> None:
    fig = fx.shares_figure(shares(), "fr", months={"2024-S2": 4, "2025-S1": 6, "2025-S2": 6})
    multi = next(tr for tr in fig.data if tr.meta["measure"] == "share_multi_sector")
    assert list(multi.text) == [f"53{NNBSP}%", f"62{NNBSP}%", f"73{NNBSP}%"]
    assert multi.y[0] == pytest.approx(52.76, abs=0.01)
    assert multi.x[0].startswith("2e sem. 2024 (4 mois)") and "n = 199" in multi.x[0]
    assert multi.x[1].startswith("1er sem. 2025<br>")
    assert fig.layout.meta["n"] == 801


def test_audience_counts_with_their_share() -> None:
    fig = fx.audience_figure(shares(), "fr")
    youth, parents = fig.data
    assert list(youth.y) == [0, 0, 21] and list(youth.text)[2] == f"21 (8{NNBSP}%)"
    assert list(parents.text)[1] == f"39 (12{NNBSP}%)"
    assert parents.marker.pattern.shape == "/"
    assert fig.layout.barmode == "group"


def test_sector_pairs_grid_is_symmetric() -> None:
    pairs = pd.DataFrame(
        [
            [None, "education", "education", True, 442, 22, 442 / 22],
            [None, "education", "health", False, 125, 22, 125 / 22],
        ],
        columns=PAIR_COLUMNS,
    )
    fig = fx.sector_pairs_figure(pairs, "fr", sector_labels=LABELS, sector_order=SECTORS, n_actions=1128)
    z = fig.data[0].z
    assert z[0][1] == z[1][0] == pytest.approx(125 / 22)
    assert fig.data[0].text[0][0] == "20,1"
    assert z[1][1] is None
    assert "toute la période" in fig.layout.title.text
    assert fig.layout.meta["n"] == 1128
    assert "22 mois" in next(a.text for a in fig.layout.annotations if a.name == "caption")


def test_labels_and_tables() -> None:
    assert fx.period_label("2025-S1", "fr") == "1er sem. 2025"
    assert fx.period_label("2025-S2", "en") == "H2 2025"
    assert fx.month_label(pd.Timestamp("2026-11-01"), "fr") == "nov. 2026"
    assert fx.activity_type_label("case_review", "en") == "Shared case review"
    assert fx.activity_type_label(None, "fr") == "Type non renseigné"
    edges = pd.DataFrame(
        [
            ["A", "MJC", "association", "Nord", "B", "Collège", "education", "Nord", True, 3,
             pd.Timestamp("2025-01-14"), pd.Timestamp("2025-10-28")],
            ["A", "MJC", "association", "Nord", "C", "Club", "association", "Nord", False, 25,
             pd.Timestamp("2024-09-02"), pd.Timestamp("2026-06-18")],
        ],
        columns=PROJECTION_EDGE_COLUMNS,
    )  # fmt: skip
    table = fx.institution_pairs_table(edges, "fr", {"association": "Associations", "education": "Éducation"})
    assert table.iloc[0].tolist() == ["MJC (Associations)", "Club (Associations)", "25", "", "02/09/2024", "18/06/2026"]
    assert table.iloc[1, 3] == "oui"
    shown = fx.shares_table(shares(), "fr")
    assert shown.iloc[2].tolist()[:5] == [
        "2e sem. 2025",
        "266",
        f"193 (73{NNBSP}%)",
        f"211 (79{NNBSP}%)",
        f"21 (8{NNBSP}%)",
    ]
    assert fx.covered_months(monthly()) == {"2025-S1": 3}
