"""Wellbeing indicators checked on hand-worked WHO-5 / CBI examples and against scipy / numpy."""

from __future__ import annotations

import importlib

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from indicators.filters import Filters
from indicators.wellbeing import (
    DISTRIBUTION_COLUMNS,
    PANEL_CHANGE_COLUMNS,
    SUMMARY_COLUMNS,
    wellbeing_distribution,
    wellbeing_panel_change,
    wellbeing_summary,
)
from tests.indicators.conftest import Synthetic, wh_add_scored, wh_load_facts, wh_metadata, wh_scores

ALL = Filters(min_group_size=5)


def _wilson(k: int, n: int) -> tuple[float, float]:
    ci = st.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return ci.low, ci.high


def _scores(syn: Synthetic, scale: str, wave: str | None = None) -> pd.DataFrame:
    df = syn.scores.merge(syn.respondents, on=["wave_id", "respondent_id"]).dropna(subset=["score"])
    df = df[df["scale_id"] == scale]
    return df if wave is None else df[df["wave_id"] == wave]


# --------------------------------------------------------------------------- hand-worked WHO-5


WHO5_ANSWERS = {  # respondent → answers to the 5 items (0–5); expected score = raw sum × 4
    "a": [3, 4, 2, 5, 1],  # raw 15 → 60: not poor
    "b": [1, 1, 2, 2, 1],  # raw 7 → 28: poor, and at the depression cut-off (≤ 28)
    "c": [2, 3, 2, 3, 2],  # raw 12 → 48: poor, not depression
    "d": [3, 3, 3, 2, 2],  # raw 13 → 52: not poor
    "e": [5, 5, 5, 5, 5],  # raw 25 → 100
    "f": [0, 0, 0, 0, 0],  # raw 0 → 0: poor and depression
    "g": [2, 2, 2, 2, None],  # one item unanswered: no WHO-5 score at all
}


@pytest.fixture
def who5_warehouse(wh_empty: duckdb.DuckDBPyConnection) -> tuple[duckdb.DuckDBPyConnection, pd.DataFrame]:
    items = wh_metadata(wh_empty, ("W1",))
    people = pd.DataFrame({"wave_id": "W1", "respondent_id": list(WHO5_ANSWERS), "role": "teacher"})
    answers = pd.DataFrame(
        [{"wave_id": "W1", "respondent_id": r, "item_id": f"WHO5_{i + 1}", "value": float(v)}
         for r, values in WHO5_ANSWERS.items() for i, v in enumerate(values) if v is not None]
    )
    scores = wh_scores(answers, people, items)
    wh_load_facts(wh_empty, people, answers, scores)
    return wh_empty, scores[scores["scale_id"] == "who5"].set_index("respondent_id")["score"]


def test_who5_answers_3_4_2_5_1_score_60_and_shares_use_the_50_and_28_cut_offs(who5_warehouse) -> None:
    conn, scores = who5_warehouse
    assert scores.round(9).to_dict() == pytest.approx(
        {"a": 60, "b": 28, "c": 48, "d": 52, "e": 100, "f": 0, "g": np.nan}, nan_ok=True)
    row = wellbeing_summary(conn, ALL).set_index("scale_id").loc["who5"]
    assert row["n"] == 6  # g has no score
    assert row["mean"] == pytest.approx((60 + 28 + 48 + 52 + 100 + 0) / 6)
    assert row["who5_poor_share"] == pytest.approx(3 / 6)  # b, c, f
    assert row["who5_depression_share"] == pytest.approx(2 / 6)  # b (exactly 28) and f
    assert (row["who5_poor_ci_low"], row["who5_poor_ci_high"]) == pytest.approx(_wilson(3, 6), rel=1e-9)
    assert (row["who5_depression_ci_low"], row["who5_depression_ci_high"]) == pytest.approx(
        _wilson(2, 6), rel=1e-9)
    assert np.isnan(row["cbi_high_share"])


def test_who5_histogram_has_one_bin_per_possible_score(who5_warehouse) -> None:
    conn, _ = who5_warehouse
    out = wellbeing_distribution(conn, ALL)
    who5 = out[out["scale_id"] == "who5"].set_index("bin_mid")
    assert len(who5) == 26 and who5.index.tolist() == list(range(0, 101, 4))
    assert who5.loc[[0, 28, 48, 52, 60, 100], "count"].tolist() == [1] * 6
    assert who5["count"].sum() == 6 and who5["n"].eq(6).all()


def test_cbi_score_of_exactly_50_counts_as_high_burnout(wh_empty: duckdb.DuckDBPyConnection) -> None:
    wh_metadata(wh_empty, ("W1",))
    people = pd.DataFrame({"wave_id": "W1", "respondent_id": [f"r{i}" for i in range(6)]})
    wh_add_scored(wh_empty, people, "cbi_work", [50.0, 325 / 7, 75.0, 25.0, 0.0, 100.0])
    row = wellbeing_summary(wh_empty, ALL).set_index("scale_id").loc["cbi_work"]
    assert row["cbi_high_share"] == pytest.approx(3 / 6)
    assert (row["cbi_high_ci_low"], row["cbi_high_ci_high"]) == pytest.approx(_wilson(3, 6), rel=1e-9)
    assert np.isnan(row["who5_poor_share"])


# --------------------------------------------------------------------------- synthetic waves


def _smoothed(x: np.ndarray, q: float, k: int) -> float:
    """The documented box-plot quartile: mean of the k sorted scores around position q·(n − 1)."""
    v = np.sort(x)
    start = int(max(min(np.floor(q * (len(v) - 1) + 0.5) - (k - 1) // 2, len(v) - k), 0))
    return float(v[start : start + k].mean())


def test_a_quartile_is_never_one_persons_score(wh_empty: duckdb.DuckDBPyConnection) -> None:
    wh_metadata(wh_empty, ("W1",))
    people = pd.DataFrame({"wave_id": "W1", "respondent_id": [f"r{i}" for i in range(5)]})
    wh_add_scored(wh_empty, people, "who5", [8.0, 20.0, 52.0, 60.0, 96.0])
    row = wellbeing_summary(wh_empty, ALL).set_index("scale_id").loc["who5"]
    # five people: every quartile is their mean, none is anyone's own score
    assert (row["q1"], row["median"], row["q3"]) == pytest.approx((47.2, 47.2, 47.2))


def test_wellbeing_means_cis_quartiles_and_shares_equal_numpy_per_wave(wh_synthetic: Synthetic) -> None:
    out = wellbeing_summary(wh_synthetic.conn, ALL)
    assert list(out.columns) == SUMMARY_COLUMNS
    assert len(out) == 6
    for row in out.itertuples():
        x = _scores(wh_synthetic, row.scale_id, row.wave_id)["score"].round(9).to_numpy()
        low, high = st.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=st.sem(x))
        assert (row.n, row.mean, row.ci_low, row.ci_high) == pytest.approx((len(x), x.mean(), low, high), rel=1e-9)
        assert (row.q1, row.median, row.q3) == pytest.approx(tuple(_smoothed(x, q, 5) for q in (.25, .5, .75)))
        if row.scale_id == "who5":
            assert row.who5_poor_share == pytest.approx(np.mean(x <= 50))
            assert row.who5_depression_share == pytest.approx(np.mean(x <= 28))
        else:
            assert row.cbi_high_share == pytest.approx(np.mean(x >= 50))
    burnout = out[out["scale_id"] == "cbi_work"]["mean"].to_numpy()
    assert (np.diff(burnout) > 0).all()  # the simulated burnout rises wave after wave


def test_a_role_of_four_is_grouped_with_the_next_smallest_role(wh_empty: duckdb.DuckDBPyConnection) -> None:
    wh_metadata(wh_empty, ("W1",))
    roles = ["teacher"] * 10 + ["youth_worker"] * 7 + ["manager"] * 4
    people = pd.DataFrame({"wave_id": "W1", "respondent_id": [f"r{i}" for i in range(21)], "role": roles})
    wh_add_scored(wh_empty, people, "who5", list(np.arange(21) * 4.0))
    out = wellbeing_summary(wh_empty, ALL, by=("wave_id", "role")).set_index("role")
    who5 = out.loc[out["scale_id"] == "who5"]
    assert not who5.loc["teacher", "suppressed"]
    assert who5.loc[["manager", "youth_worker"], "suppressed"].all()  # grouped: shown as hidden
    assert who5.loc[["manager", "youth_worker"], ["n", "mean", "who5_poor_share", "median"]].isna().all().all()
    assert out.loc["teacher", "n"] == 10 and out.loc["teacher", "mean"] == pytest.approx(18.0)


def test_territory_filter_changes_the_wellbeing_figures(wh_synthetic: Synthetic) -> None:
    sud = wellbeing_summary(wh_synthetic.conn, Filters(territories=("Sud",), min_group_size=1))
    ref = _scores(wh_synthetic, "cbi_work")
    ref = ref[ref["territory"] == "Sud"].groupby("wave_id")["score"].mean()
    got = sud[sud["scale_id"] == "cbi_work"].set_index("wave_id")["mean"]
    assert got.to_dict() == pytest.approx(ref.to_dict(), rel=1e-12)


def test_wellbeing_panel_change_equals_scipy_and_counts_changes_of_10_points(wh_synthetic: Synthetic) -> None:
    out = wellbeing_panel_change(wh_synthetic.conn, ALL, "V1", "V3")
    assert list(out.columns) == PANEL_CHANGE_COLUMNS
    raw = []
    for row in out.itertuples():
        s = _scores(wh_synthetic, row.scale_id)
        p = s[s["wave_id"] == "V1"][["respondent_id", "score"]].merge(
            s[s["wave_id"] == "V3"][["respondent_id", "score"]], on="respondent_id", suffixes=("_a", "_b"))
        diff = (p["score_b"] - p["score_a"]).round(9)
        t = st.ttest_rel(p["score_b"], p["score_a"])
        assert (row.n_pairs, row.mean_diff, row.p_ttest) == pytest.approx((len(p), diff.mean(), t.pvalue), rel=1e-9)
        assert row.design == "panel"
        raw.append(t.pvalue)
        if row.scale_id == "who5":
            up, down = int((diff >= 10).sum()), int((diff <= -10).sum())
            assert row.share_improved_clinical == pytest.approx(up / len(p))
            assert row.share_worsened_clinical == pytest.approx(down / len(p))
            assert (row.worsened_ci_low, row.worsened_ci_high) == pytest.approx(_wilson(down, len(p)), rel=1e-9)
        else:
            assert np.isnan(row.share_improved_clinical)
    holm = sorted(raw)
    expected = [min(1, 2 * holm[0]), max(min(1, 2 * holm[0]), holm[1])]
    assert sorted(out["p_holm"]) == pytest.approx(expected, rel=1e-12)


def test_every_wellbeing_indicator_returns_an_empty_frame_on_an_empty_warehouse(
    wh_empty: duckdb.DuckDBPyConnection,
) -> None:
    for columns, df in (
        (SUMMARY_COLUMNS, wellbeing_summary(wh_empty, ALL)),
        (DISTRIBUTION_COLUMNS, wellbeing_distribution(wh_empty, ALL)),
        (PANEL_CHANGE_COLUMNS, wellbeing_panel_change(wh_empty, ALL, "V1", "V2")),
    ):
        assert df.empty and list(df.columns) == columns


def test_each_wellbeing_indicator_has_a_bilingual_catalogue_entry_naming_its_function() -> None:
    module = importlib.import_module("indicators.wellbeing")
    entries = module.INDICATORS
    assert len({e.id for e in entries}) == len(entries) and entries
    for e in entries:
        assert e.id.startswith("wellbeing.") and e.family == "wellbeing"
        assert all([e.title_fr, e.title_en, e.definition_fr, e.definition_en, e.formula, e.unit, e.missing_data])
        assert e.sources and e.definition_fr != e.definition_en
        mod, func = e.function.rsplit(".", 1)
        assert mod == "indicators.wellbeing" and callable(getattr(module, func))
