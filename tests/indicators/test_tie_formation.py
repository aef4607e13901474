"""Do joint actions create lasting ties? The dyadic-robust logit against statsmodels' two-way
clustering, planted effects (and none) over seeds, the pair panel of a hand-built warehouse, and
the demo's planted effect."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from indicators.filters import Filters
from indicators.tie_formation import (
    EFFECT_COLUMNS,
    ESTIMATE_LOGIT,
    ESTIMATE_NONE,
    FORMATION,
    MODEL_COLUMNS,
    NOTE_NO_WINDOW,
    NOTE_TOO_MANY,
    PAIR_COLUMNS,
    PERSISTENCE,
    TRANSITION_COLUMNS,
    dyadic_meat,
    fit_dyadic_logit,
    fit_tie_formation,
    tie_formation,
)
from tests.indicators.conftest import wh_insert_frame


def test_dyadic_meat_is_two_way_clustering_when_pairs_join_two_separate_sets() -> None:
    # bipartite pairs (a from one set, b from another): every shared institution is in the same
    # position, so the dyadic sandwich equals statsmodels' two-way cluster covariance
    rng = np.random.default_rng(5)
    a = rng.integers(0, 40, 3000)
    b = 40 + rng.integers(0, 40, 3000)
    x = pd.DataFrame({"const": 1.0, "x1": rng.normal(size=3000), "x2": rng.random(3000) < 0.4})
    x["x2"] = x["x2"].astype(float)
    eta = (-0.3 + 0.5 * x["x1"].to_numpy() + 0.8 * x["x2"].to_numpy() + rng.normal(0, 0.5, 40)[a]
           + rng.normal(0, 0.5, 40)[b - 40])
    y = rng.random(3000) < 1 / (1 + np.exp(-eta))
    ref = sm.Logit(y.astype(float), x).fit(
        disp=0, cov_type="cluster", cov_kwds={"groups": np.column_stack([a, b]), "use_correction": False}
    )
    p = ref.predict(x).to_numpy()
    xv = x.to_numpy()
    bread = np.linalg.inv(xv.T @ (xv * (p * (1 - p))[:, None]))
    ours = bread @ dyadic_meat(xv * (y - p)[:, None], a, b) @ bread
    assert ours == pytest.approx(np.asarray(ref.cov_params()), rel=1e-6, abs=1e-12)


def _pairs(seed: int, beta_joint: float, beta_joint_tie: float, n_inst: int = 60, transitions: int = 2,
           inst_sd_outcome: float = 0.0) -> pd.DataFrame:
    """Pairs of `n_inst` institutions over transitions. Institutions differ in activity (which drives
    joint actions and volume) and in sociality (ties at t); the tie at t+1 follows the model's
    logit with the planted joint effects, plus an institution effect when inst_sd_outcome > 0."""
    rng = np.random.default_rng(seed)
    sector = rng.integers(0, 5, n_inst)
    territory = rng.integers(0, 3, n_inst)
    activity = rng.normal(0, 0.8, n_inst)
    social = rng.normal(0, 0.8, n_inst)
    hidden = rng.normal(0, inst_sd_outcome, n_inst)
    a, b = np.triu_indices(n_inst, 1)
    frames = []
    for k in range(transitions):
        same_sector = sector[a] == sector[b]
        same_terr = territory[a] == territory[b]
        acts_a = rng.poisson(np.exp(1 + activity[a]))
        acts_b = rng.poisson(np.exp(1 + activity[b]))
        joint = rng.random(a.size) < 1 / (1 + np.exp(-(-2.0 + activity[a] + activity[b] + 0.8 * same_terr)))
        tie_a = rng.random(a.size) < 1 / (1 + np.exp(-(-1.0 + social[a] + social[b] + 0.5 * same_sector)))
        volume = np.log1p(acts_a + acts_b)
        eta = (-2.0 + 0.2 * k + beta_joint * joint + 2.0 * tie_a + beta_joint_tie * (joint & tie_a)
               + 0.4 * same_sector + 0.3 * same_terr + 0.2 * volume + hidden[a] + hidden[b])
        tie_b = rng.random(a.size) < 1 / (1 + np.exp(-eta))
        frames.append(pd.DataFrame({
            "k": k, "a": a, "b": b, "wave_a": f"W{k}", "wave_b": f"W{k + 1}", "tie_a": tie_a, "tie_b": tie_b,
            "joint": joint, "same_sector": same_sector, "same_territory": same_terr, "volume": volume,
        }))
    return pd.concat(frames, ignore_index=True)


def test_planted_effects_are_recovered_within_their_interval_over_seeds() -> None:
    beta_j, beta_jt = math.log(2.5), math.log(1.6)  # formation OR 2.5, persistence OR 4.0
    covered = {FORMATION: 0, PERSISTENCE: 0}
    seeds = 60
    for seed in range(seeds):
        effects, _ = fit_tie_formation(_pairs(seed, beta_j, beta_jt), by_territory=False)
        e = effects.set_index("effect")
        covered[FORMATION] += e.loc[FORMATION, "or_ci_low"] <= 2.5 <= e.loc[FORMATION, "or_ci_high"]
        covered[PERSISTENCE] += e.loc[PERSISTENCE, "or_ci_low"] <= 4.0 <= e.loc[PERSISTENCE, "or_ci_high"]
    assert covered[FORMATION] / seeds >= 0.90
    assert covered[PERSISTENCE] / seeds >= 0.90


def test_no_effect_gives_no_more_false_positives_than_the_nominal_rate() -> None:
    # institutions also differ in an unobserved way that correlates all their pairs: the
    # dyadic-robust test still rejects about 5 % of the time when there is no effect
    rejected = 0
    seeds = 100
    for seed in range(seeds):
        effects, _ = fit_tie_formation(_pairs(500 + seed, 0.0, 0.0, inst_sd_outcome=0.6), by_territory=False)
        f = effects.set_index("effect").loc[FORMATION]
        rejected += not (f["or_ci_low"] <= 1.0 <= f["or_ci_high"])
    assert rejected / seeds <= 0.10


def test_risk_ratio_is_the_mean_predicted_probability_ratio() -> None:
    pairs = _pairs(3, math.log(2.0), 0.0)
    effects, model = fit_tie_formation(pairs, by_territory=False)
    f = effects.set_index("effect").loc[FORMATION]
    assert list(effects.columns) == EFFECT_COLUMNS and list(model.columns) == MODEL_COLUMNS
    assert f["estimate"] == ESTIMATE_LOGIT
    assert f["risk_ratio"] == pytest.approx(f["p_joint"] / f["p_joint_counterfactual"])
    # with joint in the model, the treated pairs' mean prediction is their observed rate
    assert f["p_joint"] == pytest.approx(f["observed_rate_joint"], rel=1e-6)
    assert f["n"] == int((~pairs["tie_a"]).sum()) and f["n_joint"] == int((~pairs["tie_a"] & pairs["joint"]).sum())
    assert f["or_ci_low"] < f["odds_ratio"] < f["or_ci_high"]
    joint_term = model.set_index("term").loc["joint"]
    assert f["odds_ratio"] == pytest.approx(math.exp(joint_term["estimate"]))


def test_fit_returns_none_rather_than_raise_on_separation() -> None:
    x = pd.DataFrame({"const": 1.0, "x": [0, 0, 0, 1, 1, 1.0]})
    y = np.array([False, False, False, True, True, True])
    assert fit_dyadic_logit(y, x, np.array([0, 0, 1, 1, 2, 2]), np.array([1, 2, 2, 3, 3, 4])) is None


# --------------------------------------------------------------------------- warehouse


@pytest.fixture
def tie_warehouse(wh_empty: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Four institutions A–D in one territory, E answers only wave 1; waves W1 (ends 2025-01-31),
    W2 (starts 2025-06-01), W3 without dates. Partner ties (level ≥ 2): W1 A–B; W2 A–B, A–C.
    Joint actions between the fieldworks: A+C (twice), B+D once; one A+D action before W1 ends."""
    conn = wh_empty
    wh_insert_frame(conn, "waves", [
        {"wave_id": "W1", "wave_order": 1, "first_date": dt.date(2025, 1, 6), "last_date": dt.date(2025, 1, 31)},
        {"wave_id": "W2", "wave_order": 2, "first_date": dt.date(2025, 6, 1), "last_date": dt.date(2025, 6, 27)},
        {"wave_id": "W3", "wave_order": 3},
    ])
    wh_insert_frame(conn, "institutions", [
        {"institution_id": i, "name": i, "sector_id": s, "territory": "T"}
        for i, s in (("A", "education"), ("B", "education"), ("C", "city"), ("D", "health"), ("E", "city"))
    ])
    respondents, ties = [], []
    for wave in ("W1", "W2", "W3"):
        for inst in "ABCD" + ("E" if wave == "W1" else ""):
            respondents.append({"wave_id": wave, "instrument": "partner", "respondent_id": f"{wave}{inst}",
                                "load_id": 1, "source_row": 1, "institution_id": inst})
    levels = {"W1": {("A", "B"): 3, ("A", "C"): 1, ("B", "A"): 1, ("E", "A"): 4},
              "W2": {("A", "B"): 2, ("C", "A"): 2, ("D", "B"): 1},
              "W3": {("A", "B"): 2}}
    for wave, pairs in levels.items():
        for (src, dst), level in pairs.items():
            ties.append({"wave_id": wave, "source": "partner_survey", "rater_respondent_id": f"{wave}{src}",
                         "from_institution_id": src, "to_institution_id": dst, "collaboration_level": level,
                         "load_id": 1})
    wh_insert_frame(conn, "respondents", respondents)
    wh_insert_frame(conn, "ties", ties)
    actions = [("a1", dt.date(2025, 3, 1), "AC"), ("a2", dt.date(2025, 4, 1), "AC"), ("a3", dt.date(2025, 4, 2), "BD"),
               ("a0", dt.date(2025, 1, 15), "AD")]
    wh_insert_frame(conn, "activities", [
        {"activity_id": a, "load_id": 3, "source_row": 1, "activity_date": d} for a, d, _ in actions])
    wh_insert_frame(conn, "activity_institutions", [
        {"activity_id": a, "institution_id": i, "load_id": 3} for a, _, who in actions for i in who])
    return conn


def test_pair_panel_of_a_hand_built_warehouse(tie_warehouse: duckdb.DuckDBPyConnection) -> None:
    res = tie_formation(tie_warehouse, Filters(), by_territory=False)
    assert list(res.pairs.columns) == PAIR_COLUMNS
    assert list(res.transitions.columns) == TRANSITION_COLUMNS
    pairs = res.pairs.set_index(["institution_a", "institution_b"])
    # E did not answer W2: its pairs are not at risk; A–D: its only action is before W1 ended
    assert sorted(pairs.index) == [("A", "B"), ("A", "C"), ("A", "D"), ("B", "C"), ("B", "D"), ("C", "D")]
    assert pairs["tie_a"].to_dict() == {("A", "B"): True, ("A", "C"): False, ("A", "D"): False,
                                        ("B", "C"): False, ("B", "D"): False, ("C", "D"): False}
    assert pairs["tie_b"][lambda s: s].index.tolist() == [("A", "B"), ("A", "C")]
    assert pairs["joint_actions"].to_dict() == {("A", "B"): 0, ("A", "C"): 2, ("A", "D"): 0, ("B", "C"): 0,
                                                ("B", "D"): 1, ("C", "D"): 0}
    # volume: actions of each in the window: A 2, B 1, C 2, D 1
    assert pairs.loc[("A", "C"), "volume"] == pytest.approx(math.log1p(4))
    assert pairs.loc[("B", "D"), "volume"] == pytest.approx(math.log1p(2))
    assert bool(pairs.loc[("A", "B"), "same_sector"]) and not bool(pairs.loc[("A", "C"), "same_sector"])
    t = res.transitions.set_index("wave_a")
    assert t.loc["W1", "institutions"] == 4 and t.loc["W1", "pairs"] == 6 and t.loc["W1", "pairs_joint"] == 2
    assert t.loc["W2", "note"] == NOTE_NO_WINDOW  # W3 has no fieldwork dates


def test_a_network_with_too_many_pairs_is_refused_with_a_note(
    tie_warehouse: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    import indicators.tie_formation as tf

    monkeypatch.setattr(tf, "MAX_PAIRS", 5)  # the warehouse has 6 pairs at risk
    res = tie_formation(tie_warehouse, Filters(), by_territory=False)
    assert (res.effects["note"] == NOTE_TOO_MANY).all() and (res.effects["estimate"] == ESTIMATE_NONE).all()
    assert res.pairs.empty and (res.transitions["note"] == NOTE_TOO_MANY).all()


def test_filters_restrict_institutions_and_empty_warehouse_is_documented(
    tie_warehouse: duckdb.DuckDBPyConnection, wh_empty: duckdb.DuckDBPyConnection
) -> None:
    res = tie_formation(tie_warehouse, Filters(sectors=("education", "city")), by_territory=False)
    assert set(res.pairs["institution_a"]) | set(res.pairs["institution_b"]) == {"A", "B", "C"}
    empty = tie_formation(wh_empty, Filters())
    assert list(empty.effects.columns) == EFFECT_COLUMNS
    assert (empty.effects["estimate"] == ESTIMATE_NONE).all() and len(empty.effects) == 2
    assert list(empty.model.columns) == MODEL_COLUMNS and empty.model.empty


def test_demo_pairs_that_acted_together_form_and_keep_ties_more(demo_db: Path) -> None:
    conn = duckdb.connect(str(demo_db), read_only=True)
    res = tie_formation(conn, Filters())
    e = res.effects.set_index("effect")
    assert (e["estimate"] == ESTIMATE_LOGIT).all() and (e["n_transitions"] == 3).all()
    assert e.loc[FORMATION, "or_ci_low"] > 1.0  # planted in etl.demo (JOINT_ACTION_BONUS)
    assert e.loc[PERSISTENCE, "or_ci_low"] > 1.0
    assert e.loc[FORMATION, "risk_ratio"] > 1.5


def test_a_single_territory_gives_an_interval_or_says_why_not(demo_db: Path) -> None:
    """Each demo territory alone has about ten institutions: where the dyadic-robust variance
    collapses to zero the effect is not estimated (with its note) rather than shown with an
    interval of width 0, and no selection raises."""
    conn = duckdb.connect(str(demo_db), read_only=True)
    territories = [r[0] for r in conn.execute("SELECT DISTINCT territory FROM institutions ORDER BY 1").fetchall()]
    notes = set()
    for territory in territories:
        e = tie_formation(conn, Filters(territories=(territory,))).effects
        shown = e[e["estimate"] == ESTIMATE_LOGIT]
        assert (shown["or_ci_low"] < shown["odds_ratio"]).all() and (shown["odds_ratio"] < shown["or_ci_high"]).all()
        notes |= set(e.loc[e["estimate"] == ESTIMATE_NONE, "note"].dropna())
    assert "no_variance" in notes  # one demo territory is such a case (Plateau des Sources)
