"""Response and attrition weights: hand-worked raking margins, Kish's figures, synthetic
populations with a known selection, statsmodels called directly, and the warehouse functions."""

from __future__ import annotations

import warnings
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from indicators.filters import Filters
from indicators.practice import scale_summary
from indicators.weights import (
    ATTRITION_MODEL_COLUMNS,
    ATTRITION_SUMMARY_COLUMNS,
    BALANCE_COLUMNS,
    CELL_COLUMNS,
    METHOD_POSTSTRAT,
    METHOD_RAKING,
    METHOD_RAKING_EMPTY,
    NOTE_TOO_FEW,
    SUMMARY_COLUMNS,
    TREND_COLUMNS,
    _weighted_mean_se,
    attrition_weights,
    kish,
    rake,
    response_weights,
    weight_cells,
    weight_summary,
    weighted_trend,
)
from tests.indicators.conftest import wh_add_scored, wh_insert_frame, wh_metadata

ALL = Filters(min_group_size=5)


# --------------------------------------------------------------------------- raking


def test_poststratification_is_target_over_respondents() -> None:
    res = rake([10, 20, 5], [([0, 1, 2], [30, 20, 25])])
    assert res.converged
    assert res.weights == pytest.approx([3.0, 1.0, 5.0])


def test_raking_equal_cells_to_independent_margins_hand_worked() -> None:
    # cells (A,X) (A,Y) (B,X) (B,Y), 25 respondents each; sector A 60, B 40; territory X 50, Y 50.
    # Raking reaches the independence table 100 × p_sector × p_territory: 30, 30, 20, 20 people,
    # so weights 30/25 = 1.2 and 20/25 = 0.8.
    res = rake([25, 25, 25, 25], [([0, 0, 1, 1], [60, 40]), ([0, 1, 0, 1], [50, 50])], trim_ratio=None)
    assert res.converged
    assert res.weights == pytest.approx([1.2, 1.2, 0.8, 0.8])


def test_raking_unequal_cells_meets_both_margins_with_product_form_weights() -> None:
    n = np.array([10.0, 20.0, 30.0, 40.0])  # (A,X) (A,Y) (B,X) (B,Y)
    res = rake(n, [([0, 0, 1, 1], [60, 40]), ([0, 1, 0, 1], [50, 50])], trim_ratio=None)
    w = res.weights
    totals = n * w
    assert totals[0] + totals[1] == pytest.approx(60) and totals[2] + totals[3] == pytest.approx(40)
    assert totals[0] + totals[2] == pytest.approx(50) and totals[1] + totals[3] == pytest.approx(50)
    # raking multiplies a row factor by a column factor: the weights' cross ratio is 1
    assert w[0] * w[3] / (w[1] * w[2]) == pytest.approx(1.0)
    # hand-worked: raking keeps the sample's odds ratio (10·40)/(20·30) = 2/3 in the weighted
    # table; with T_AX = t the margins give T_AY = 60 − t, T_BX = 50 − t, T_BY = t − 10, so
    # 3t(t − 10) = 2(60 − t)(50 − t), i.e. t² + 190t − 6000 = 0, t = (−190 + √60100) / 2
    t = (-190 + np.sqrt(60100)) / 2
    assert totals == pytest.approx([t, 60 - t, 50 - t, t - 10])
    assert w[0] == pytest.approx(t / 10)


def test_trimming_caps_weights_at_the_ratio_of_the_mean() -> None:
    # one cell of 1 respondent for 50 people: weight 50 against 1 elsewhere
    res = rake([1, 50, 50], [([0, 1, 2], [50, 50, 50])], trim_ratio=3.0)
    mean = float((np.array([1, 50, 50]) * res.weights).sum() / 101)
    assert res.weights.max() <= 3.0 * mean * (1 + 1e-9)
    assert list(res.trimmed) == [True, False, False]
    assert res.max_margin_error > 0  # the small cell can no longer reach its target


def test_kish_design_effect_and_effective_size() -> None:
    deff, n_eff = kish([1, 1, 2, 2])
    assert deff == pytest.approx(4 * 10 / 36)
    assert n_eff == pytest.approx(36 / 10)
    assert kish([3, 3, 3]) == pytest.approx((1.0, 3.0))
    assert np.isnan(kish([])[0])


def test_poststratified_mean_is_unbiased_under_cell_selection_over_seeds() -> None:
    """A population of 4 cells whose scores differ and whose response rates differ: the
    unweighted mean is biased, the post-stratified one covers the population mean."""
    sizes = np.array([400, 300, 200, 100])
    means = np.array([2.5, 3.0, 3.5, 4.0])
    rates = np.array([0.8, 0.5, 0.3, 0.15])
    pop_mean = float((sizes * means).sum() / sizes.sum())
    covered, bias_w, bias_u = 0, [], []
    seeds = 300
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        cell = np.repeat(np.arange(4), sizes)
        y = means[cell] + rng.normal(0, 0.8, cell.size)
        answered = rng.random(cell.size) < rates[cell]
        c, yy = cell[answered], y[answered]
        res = rake(np.bincount(c, minlength=4), [(np.arange(4), sizes)])
        w = res.weights[c]
        mean, se = _weighted_mean_se(yy, w)
        covered += abs(mean - pop_mean) <= 1.96 * se
        bias_w.append(mean - pop_mean)
        bias_u.append(yy.mean() - pop_mean)
    assert covered / seeds >= 0.90
    assert abs(np.mean(bias_w)) < 0.01
    assert np.mean(bias_u) < -0.2  # the high-scoring cells answer less


# --------------------------------------------------------------------------- warehouse


def _people(conn: duckdb.DuckDBPyConnection, wave: str, sector: str, territory: str | None, n: int,
            score: float | list[float], prefix: str = "") -> None:
    ids = [f"{prefix}{wave}-{sector}-{territory}-{i}" for i in range(n)]
    people = pd.DataFrame({"wave_id": wave, "respondent_id": ids, "sector_id": sector, "territory": territory,
                           "role": "teacher", "institution_id": f"{sector}-{territory}"})
    scores = score if isinstance(score, list) else [score] * n
    wh_add_scored(conn, people, "network_practice", scores)


@pytest.fixture
def weighted(wh_empty: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """V1: sector × territory targets, every cell answered (post-stratification).
    V2: the same targets, (city, Sud) without respondents (raking on margins); one respondent of
    a sector without target (uncovered)."""
    conn = wh_empty
    wh_metadata(conn, ("V1", "V2"))
    for wave in ("V1", "V2"):
        _people(conn, wave, "education", "Nord", 20, 3.0)
        _people(conn, wave, "education", "Sud", 10, 2.0)
        _people(conn, wave, "city", "Nord", 10, 4.0)
    _people(conn, "V1", "city", "Sud", 5, 5.0)
    _people(conn, "V2", "health", "Nord", 1, 1.0)
    targets = []
    for wave in ("V1", "V2"):
        targets += [
            {"wave_id": wave, "sector_id": "education", "territory": "Nord", "target_n": 40, "load_id": 9},
            {"wave_id": wave, "sector_id": "education", "territory": "Sud", "target_n": 40, "load_id": 9},
            {"wave_id": wave, "sector_id": "city", "territory": "Nord", "target_n": 10, "load_id": 9},
            {"wave_id": wave, "sector_id": "city", "territory": "Sud", "target_n": 10, "load_id": 9},
        ]
    wh_insert_frame(conn, "population_targets", targets)
    return conn


def test_weight_summary_poststratifies_then_rakes_when_a_cell_is_empty(weighted: duckdb.DuckDBPyConnection) -> None:
    s = weight_summary(weighted, ALL).set_index("wave_id")
    assert list(weight_summary(weighted, ALL).columns) == SUMMARY_COLUMNS
    v1 = s.loc["V1"]
    assert v1["method"] == METHOD_POSTSTRAT
    assert v1["population"] == pytest.approx(100) and v1["n_uncovered"] == 0
    # weights 40/20 = 2, 40/10 = 4, 10/10 = 1, 10/5 = 2 on 20, 10, 10, 5 respondents
    w = np.repeat([2.0, 4.0, 1.0, 2.0], [20, 10, 10, 5])
    assert v1["weight_min"] == 1 and v1["weight_max"] == 4
    assert v1["deff_kish"] == pytest.approx(w.size * (w**2).sum() / w.sum() ** 2)
    assert v1["n_effective"] == pytest.approx(w.sum() ** 2 / (w**2).sum())
    v2 = s.loc["V2"]
    assert v2["method"] == METHOD_RAKING_EMPTY and v2["converged"]
    assert v2["n_uncovered"] == 1 and v2["n_weighted"] == 40
    assert v2["population"] == pytest.approx(100)  # the empty cell's 10 carried by its margins
    rw = response_weights(weighted, ALL)
    v2w = rw[rw["wave_id"] == "V2"].dropna(subset=["weight"])
    by = v2w.groupby("sector_id")["weight"].sum()
    assert by["education"] == pytest.approx(80) and by["city"] == pytest.approx(20)
    terr = v2w.groupby("territory")["weight"].sum()
    assert terr["Nord"] == pytest.approx(50) and terr["Sud"] == pytest.approx(50)


def test_separate_sector_and_territory_targets_are_raked(wh_empty: duckdb.DuckDBPyConnection) -> None:
    conn = wh_empty
    wh_metadata(conn, ("V1",))
    for sector, territory, n in (("education", "Nord", 10), ("education", "Sud", 20), ("city", "Nord", 30),
                                 ("city", "Sud", 40)):
        _people(conn, "V1", sector, territory, n, 3.0)
    wh_insert_frame(conn, "population_targets", [
        {"wave_id": "V1", "sector_id": "education", "territory": None, "target_n": 60, "load_id": 9},
        {"wave_id": "V1", "sector_id": "city", "territory": None, "target_n": 40, "load_id": 9},
        {"wave_id": "V1", "sector_id": None, "territory": "Nord", "target_n": 50, "load_id": 9},
        {"wave_id": "V1", "sector_id": None, "territory": "Sud", "target_n": 50, "load_id": 9},
    ])
    s = weight_summary(conn, ALL).iloc[0]
    assert s["method"] == METHOD_RAKING and s["converged"] and s["max_margin_error"] < 1e-6
    direct = rake([10, 20, 30, 40], [([0, 0, 1, 1], [60, 40]), ([0, 1, 0, 1], [50, 50])])
    cells = weight_cells(conn, ALL).set_index(["sector_id", "territory"])
    assert cells.loc[("education", "Nord"), "weight"] == pytest.approx(direct.weights[0])
    assert cells.loc[("city", "Sud"), "weight"] == pytest.approx(direct.weights[3])


def test_weight_cells_hide_small_cells_and_their_complement(weighted: duckdb.DuckDBPyConnection) -> None:
    cells = weight_cells(weighted, ALL)
    assert list(cells.columns) == CELL_COLUMNS
    v2 = cells[cells["wave_id"] == "V2"]
    health = v2[v2["sector_id"] == "health"].iloc[0]
    assert health["suppressed"] and np.isnan(health["weight"])  # 1 respondent
    assert v2["suppressed"].sum() == 2  # and the next smallest, by complementary suppression
    v1 = cells[cells["wave_id"] == "V1"].set_index(["sector_id", "territory"])
    assert v1.loc[("education", "Sud"), "weight"] == pytest.approx(4.0)
    assert v1.loc[("education", "Sud"), "target_n"] == 40
    assert v1["weight"].dropna().is_monotonic_decreasing  # largest weights first
    # hidden cells come after every shown cell of their wave: their rank would bound their weight
    assert list(v2["suppressed"]) == sorted(v2["suppressed"])


def test_weighted_trend_returns_both_versions(weighted: duckdb.DuckDBPyConnection) -> None:
    trend = weighted_trend(weighted, ALL, scales=("network_practice",))
    assert list(trend.columns) == TREND_COLUMNS
    v1 = trend.set_index("wave_id").loc["V1"]
    plain = scale_summary(weighted, ALL, scales=("network_practice",)).set_index("wave_id").loc["V1"]
    assert v1["mean"] == pytest.approx(plain["mean"]) and v1["ci_low"] == pytest.approx(plain["ci_low"])
    # weighted: (40·3 + 40·2 + 10·4 + 10·5) / 100
    assert v1["mean_weighted"] == pytest.approx((40 * 3 + 40 * 2 + 10 * 4 + 10 * 5) / 100)
    assert v1["mean"] == pytest.approx((20 * 3 + 10 * 2 + 10 * 4 + 5 * 5) / 45)
    v2 = trend.set_index("wave_id").loc["V2"]
    assert v2["n"] == 41 and v2["n_weighted"] == 40  # the uncovered respondent is out of the weighted mean


def test_filters_select_a_domain_of_the_whole_wave_weights(weighted: duckdb.DuckDBPyConnection) -> None:
    nord = weight_summary(weighted, Filters(territories=("Nord",))).set_index("wave_id").loc["V1"]
    assert nord["n"] == 30 and nord["population"] == pytest.approx(50)
    small = weight_summary(weighted, Filters(sectors=("health",)))
    assert small.set_index("wave_id").loc["V2", "suppressed"]


def test_empty_warehouse_gives_documented_empty_frames(wh_empty: duckdb.DuckDBPyConnection) -> None:
    assert list(weight_summary(wh_empty, ALL).columns) == SUMMARY_COLUMNS
    assert weight_summary(wh_empty, ALL).empty
    assert list(weight_cells(wh_empty, ALL).columns) == CELL_COLUMNS
    assert list(weighted_trend(wh_empty, ALL).columns) == TREND_COLUMNS


# --------------------------------------------------------------------------- attrition


def _attrition_warehouse(seed: int, n: int = 600) -> tuple[duckdb.DuckDBPyConnection, pd.DataFrame]:
    """Wave A: n people; staying to wave B depends on the wave-A score (log-odds +0.8 per point)
    and the sector (city −0.7)."""
    from warehouse.db import apply_schema

    rng = np.random.default_rng(seed)
    conn = duckdb.connect()
    apply_schema(conn)
    wh_metadata(conn, ("A", "B"))
    sector = rng.choice(["education", "city", "association"], n, p=[0.5, 0.3, 0.2])
    territory = rng.choice(["Nord", "Sud"], n)
    score = np.clip(rng.normal(3, 0.7, n), 1, 5)
    years = rng.integers(0, 30, n).astype(float)
    logit = -1.6 + 0.8 * score - 0.7 * (sector == "city")
    stayed = rng.random(n) < 1 / (1 + np.exp(-logit))
    ids = [f"p{i:04d}" for i in range(n)]
    a = pd.DataFrame({"wave_id": "A", "respondent_id": ids, "sector_id": sector, "territory": territory,
                      "level": "operational", "years_in_post": years, "role": "teacher"})
    wh_add_scored(conn, a, "network_practice", list(score))
    b = a[stayed].assign(wave_id="B")
    wh_add_scored(conn, b, "network_practice", list(score[stayed]))
    truth = a.assign(score=score, stayed=stayed)
    return conn, truth


def test_attrition_model_is_statsmodels_logit_and_balances_the_panel() -> None:
    conn, truth = _attrition_warehouse(3)
    res = attrition_weights(conn, ALL, "A", "B")
    assert list(res.summary.columns) == ATTRITION_SUMMARY_COLUMNS
    assert list(res.model.columns) == ATTRITION_MODEL_COLUMNS
    assert list(res.balance.columns) == BALANCE_COLUMNS
    s = res.summary.iloc[0]
    assert s["n"] == len(truth) and s["n_retained"] == truth["stayed"].sum()
    # statsmodels called directly on the same design
    x = pd.DataFrame({
        "const": 1.0,
        "sector_id[city]": (truth["sector_id"] == "city").astype(float),
        "sector_id[association]": (truth["sector_id"] == "association").astype(float),
        "territory[Sud]": (truth["territory"] == "Sud").astype(float),
        "years_in_post": truth["years_in_post"],
        "score": truth["score"],
    })
    if (truth["territory"] == "Sud").sum() > (truth["territory"] == "Nord").sum():
        x = x.rename(columns={"territory[Sud]": "territory[Nord]"})
        x["territory[Nord]"] = 1.0 - x["territory[Nord]"]
    ref = sm.Logit(truth["stayed"].astype(float), x).fit(disp=0)
    model = res.model.set_index("term")
    for term in x.columns:
        assert model.loc[term, "estimate"] == pytest.approx(ref.params[term], rel=1e-6, abs=1e-8)
        assert model.loc[term, "se"] == pytest.approx(ref.bse[term], rel=1e-6)
    assert model.loc["score", "ci_low"] < np.exp(0.8) < model.loc["score", "ci_high"]
    # before weighting the stayers score higher than wave A; after, they look like wave A
    bal = res.balance.set_index("covariate")
    assert bal.loc["score", "smd_before"] > 0.05
    assert abs(bal.loc["score", "smd_after"]) < 0.02
    assert s["max_abs_smd_after"] < s["max_abs_smd_before"]
    w = res.weights[res.weights["stayed"]]["weight"]
    assert w.sum() == pytest.approx(len(truth), rel=0.05)  # stayers stand for wave A again


def test_attrition_score_effect_is_recovered_within_its_interval_over_seeds() -> None:
    covered = 0
    seeds = 40
    for seed in range(seeds):
        conn, _ = _attrition_warehouse(100 + seed, n=400)
        model = attrition_weights(conn, ALL, "A", "B").model.set_index("term")
        covered += model.loc["score", "ci_low"] <= np.exp(0.8) <= model.loc["score", "ci_high"]
    assert covered / seeds >= 0.85  # 95 % intervals over 40 seeds: 0.85 leaves room for chance


def test_attrition_with_too_few_leavers_fits_no_model() -> None:
    from warehouse.db import apply_schema

    conn = duckdb.connect()
    apply_schema(conn)
    wh_metadata(conn, ("A", "B"))
    a = pd.DataFrame({"wave_id": "A", "respondent_id": [f"p{i}" for i in range(30)], "sector_id": "city",
                      "territory": "Nord", "role": "teacher"})
    wh_add_scored(conn, a, "network_practice", [3.0] * 30)
    wh_add_scored(conn, a.iloc[:27].assign(wave_id="B"), "network_practice", [3.0] * 27)
    res = attrition_weights(conn, ALL, "A", "B")
    s = res.summary.iloc[0]
    assert s["note"] == NOTE_TOO_FEW and s["suppressed"]  # 3 leavers < 5
    assert res.model.empty and res.balance.empty
    with pytest.raises(ValueError, match="two different waves"):
        attrition_weights(conn, ALL, "A", "A")


def test_demo_weights_and_attrition(demo_db: Path) -> None:
    conn = duckdb.connect(str(demo_db), read_only=True)
    summary = weight_summary(conn, Filters())
    assert len(summary) == 4 and summary["converged"].all()
    assert (summary["deff_kish"] >= 1).all() and (summary["n_uncovered"] == 0).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no statsmodels warning leaks to the dashboard
        res = attrition_weights(conn, Filters(), "2024-2", "2025-1")
    s = res.summary.iloc[0]
    assert s["converged"] and 0.6 < s["retention"] < 0.9
    assert s["max_abs_smd_after"] <= s["max_abs_smd_before"]
