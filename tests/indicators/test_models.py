"""The repeated-measures model: lme4's published sleepstudy fit, statsmodels called directly, and
coverage of known truths over seeds; then the indicator on small warehouses (counts, fallbacks,
suppression) and on the demo."""

from __future__ import annotations

import warnings
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from indicators.filters import Filters
from indicators.models import (
    CHANGE_COLUMNS,
    ESTIMATE_FULL,
    ESTIMATE_INSTITUTION,
    ESTIMATE_NONE,
    ESTIMATE_RESPONDENT,
    MEAN_COLUMNS,
    MODEL_COLUMNS,
    NOTE_NO_REPEATED,
    NOTE_ONE_INSTITUTION,
    NOTE_ONE_WAVE,
    NOTE_SINGULAR_INSTITUTION,
    NOTE_TOO_FEW,
    NOTES,
    fit_nested_reml,
    repeated_measures,
)
from tests.indicators.conftest import wh_add_scored, wh_metadata

SLEEPSTUDY = Path(__file__).resolve().parents[1] / "data" / "sleepstudy.csv"
ALL = Filters(min_group_size=5)
Z95 = stats.norm.ppf(0.975)


def _statsmodels_nested(df: pd.DataFrame) -> object:
    """statsmodels' own fit of score ~ C(wave) + (1 | inst/resp), REML."""
    model = smf.mixedlm("score ~ C(wave)", df, groups="inst", re_formula="1", vc_formula={"resp": "0 + C(resp)"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(reml=True)


def _wave_design(wave: np.ndarray) -> np.ndarray:
    levels = np.unique(wave)
    return np.column_stack([np.ones(wave.size), *[(wave == w).astype(float) for w in levels[1:]]])


def _panel(seed: int, n_inst: int = 30, per_inst: int = 8, waves: int = 4, present: float = 0.7,
           beta: tuple[float, ...] = (3.0, 0.15, 0.3, 0.2), sd_inst: float = 0.3, sd_resp: float = 0.6,
           sd_e: float = 0.5) -> pd.DataFrame:
    """A panel with attrition and newcomers: each person answers each wave with probability
    `present`; score = β_0 + β_wave + u_inst + v_resp + e."""
    rng = np.random.default_rng(seed)
    u = rng.normal(0, sd_inst, n_inst)
    rows = []
    for i in range(n_inst):
        for k in range(per_inst):
            v = rng.normal(0, sd_resp)
            for w in range(waves):
                if rng.random() < present:
                    mean = beta[0] + (beta[w] if w else 0.0) + u[i] + v
                    rows.append((i * per_inst + k, i, w, mean + rng.normal(0, sd_e)))
    return pd.DataFrame(rows, columns=["resp", "inst", "wave", "score"])


# --------------------------------------------------------------------------- the fit


def test_sleepstudy_random_intercept_matches_lme4s_published_fit() -> None:
    # lmer(Reaction ~ Days + (1 | Subject), sleepstudy): REML criterion 1786.5; intercept 251.4051
    # (SE 9.7467), Days 10.4673 (SE 0.8042); Subject variance 1378.2, residual 960.5 (lme4 1.1).
    d = pd.read_csv(SLEEPSTUDY)
    x = np.column_stack([np.ones(len(d)), d["Days"]])
    fit = fit_nested_reml(d["Reaction"], x, pd.factorize(d["Subject"])[0], np.zeros(len(d), dtype=int),
                          institution_effect=False)
    assert fit.converged
    assert fit.beta == pytest.approx([251.4051, 10.4673], abs=1e-3)
    assert np.sqrt(np.diag(fit.cov_beta)) == pytest.approx([9.7467, 0.8042], abs=1e-3)
    assert fit.var_respondent == pytest.approx(1378.2, abs=0.5)
    assert fit.var_residual == pytest.approx(960.5, abs=0.5)
    assert -2 * fit.reml_loglike == pytest.approx(1786.5, abs=0.05)


def test_sleepstudy_with_days_as_categories_matches_statsmodels() -> None:
    d = pd.read_csv(SLEEPSTUDY)
    fit = fit_nested_reml(d["Reaction"], _wave_design(d["Days"].to_numpy()), pd.factorize(d["Subject"])[0],
                          np.zeros(len(d), dtype=int), institution_effect=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = smf.mixedlm("Reaction ~ C(Days)", d, groups="Subject").fit(reml=True)
    assert fit.beta == pytest.approx(ref.fe_params.to_numpy(), rel=1e-5)
    assert np.sqrt(np.diag(fit.cov_beta)) == pytest.approx(ref.bse_fe.to_numpy(), rel=1e-3)
    assert fit.var_respondent == pytest.approx(float(ref.cov_re.iloc[0, 0]), rel=1e-4)
    assert fit.var_residual == pytest.approx(ref.scale, rel=1e-4)
    assert fit.reml_loglike == pytest.approx(ref.llf, rel=1e-7)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_nested_panel_matches_statsmodels_mixedlm_with_vc_formula(seed: int) -> None:
    df = _panel(seed)
    fit = fit_nested_reml(df["score"], _wave_design(df["wave"].to_numpy()), df["resp"], df["inst"])
    ref = _statsmodels_nested(df)
    assert fit.beta == pytest.approx(ref.fe_params.to_numpy(), rel=1e-4, abs=1e-5)
    assert np.sqrt(np.diag(fit.cov_beta)) == pytest.approx(ref.bse_fe.to_numpy(), rel=2e-3)
    assert fit.var_institution == pytest.approx(float(ref.cov_re.iloc[0, 0]), rel=1e-3, abs=1e-5)
    assert fit.var_respondent == pytest.approx(float(ref.vcomp[0]), rel=1e-3)
    assert fit.var_residual == pytest.approx(ref.scale, rel=1e-4)
    assert fit.reml_loglike == pytest.approx(ref.llf, rel=1e-8)


def test_changes_recover_the_true_fixed_effects_within_their_interval_in_most_seeds() -> None:
    beta = (3.0, 0.15, 0.3, 0.2)
    truth = {(a, b): (beta[b] if b else 0) - (beta[a] if a else 0) for a in range(4) for b in range(a + 1, 4)}
    covered, total, var_inst, var_resp, var_e = 0, 0, [], [], []
    for seed in range(200):
        df = _panel(1000 + seed, beta=beta)
        fit = fit_nested_reml(df["score"], _wave_design(df["wave"].to_numpy()), df["resp"], df["inst"])
        for (a, b), true in truth.items():
            c = np.zeros(4)
            c[b] = 1.0
            if a:
                c[a] = -1.0
            est, se = c @ fit.beta, np.sqrt(c @ fit.cov_beta @ c)
            covered += abs(est - true) <= Z95 * se
            total += 1
        var_inst.append(fit.var_institution)
        var_resp.append(fit.var_respondent)
        var_e.append(fit.var_residual)
    assert covered / total >= 0.90
    # REML variance components are close to unbiased: their means over seeds are near the truth
    assert np.mean(var_inst) == pytest.approx(0.3**2, rel=0.15)
    assert np.mean(var_resp) == pytest.approx(0.6**2, rel=0.05)
    assert np.mean(var_e) == pytest.approx(0.5**2, rel=0.03)


def test_sleepstudy_shaped_data_recover_the_truth_in_most_seeds() -> None:
    # 18 subjects × 10 days, the random-intercept model lme4 fits to sleepstudy, as the truth
    covered = 0
    seeds = 200
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        subj = np.repeat(np.arange(18), 10)
        days = np.tile(np.arange(10), 18)
        y = 251.4 + 10.47 * days + rng.normal(0, np.sqrt(1378.2), 18)[subj] + rng.normal(0, np.sqrt(960.5), 180)
        fit = fit_nested_reml(y, np.column_stack([np.ones(180), days]), subj, np.zeros(180, dtype=int),
                              institution_effect=False)
        covered += abs(fit.beta[1] - 10.47) <= Z95 * np.sqrt(fit.cov_beta[1, 1])
    assert covered / seeds >= 0.90


# --------------------------------------------------------------------------- the indicator


def _warehouse(df: pd.DataFrame, waves: tuple[str, ...] = ("V1", "V2", "V3", "V4"), scale: str = "network_practice",
               with_institution: bool = True) -> duckdb.DuckDBPyConnection:
    """A warehouse holding the panel `df` (resp, inst, wave index, score) as scores of one scale."""
    from warehouse.db import apply_schema

    conn = duckdb.connect()
    apply_schema(conn)
    wh_metadata(conn, waves)
    people = pd.DataFrame({
        "wave_id": [waves[w] for w in df["wave"]],
        "respondent_id": [f"r{r:05d}" for r in df["resp"]],
        "institution_id": [f"I{i:03d}" for i in df["inst"]] if with_institution else None,
        "sector_id": np.where(df["inst"] % 2 == 0, "education", "city"),
        "territory": "Nord",
        "role": "teacher",
    })
    wh_add_scored(conn, people, scale, list(df["score"]))
    return conn


def test_indicator_reports_statsmodels_estimates_and_counts_of_the_data() -> None:
    df = _panel(11)
    conn = _warehouse(df)
    res = repeated_measures(conn, ALL, scales=("network_practice",))
    ref = _statsmodels_nested(df)
    model = res.models.iloc[0]
    assert list(res.models.columns) == MODEL_COLUMNS
    assert model["estimate"] == ESTIMATE_FULL and not model["suppressed"]
    assert model["n_respondents"] == df["resp"].nunique()
    assert model["n_institutions"] == df["inst"].nunique()
    assert model["n_observations"] == len(df)
    assert model["n_waves"] == 4
    assert model["n_repeated"] == int((df.groupby("resp").size() >= 2).sum())
    total = float(ref.cov_re.iloc[0, 0]) + float(ref.vcomp[0]) + ref.scale
    assert model["icc_institution"] == pytest.approx(float(ref.cov_re.iloc[0, 0]) / total, rel=1e-3)
    assert model["icc_respondent"] == pytest.approx((float(ref.cov_re.iloc[0, 0]) + float(ref.vcomp[0])) / total,
                                                    rel=1e-3)
    changes = res.changes
    assert list(changes.columns) == CHANGE_COLUMNS
    assert len(changes) == 6  # every pair of 4 waves
    first_last = changes[(changes["wave_a"] == "V1") & (changes["wave_b"] == "V4")].iloc[0]
    assert first_last["change"] == pytest.approx(ref.fe_params["C(wave)[T.3]"], rel=1e-4)
    assert first_last["se"] == pytest.approx(ref.bse_fe["C(wave)[T.3]"], rel=2e-3)
    assert first_last["ci_low"] == pytest.approx(first_last["change"] - Z95 * first_last["se"])
    assert first_last["n_a"] == (df["wave"] == 0).sum() and first_last["n_b"] == (df["wave"] == 3).sum()
    middle = changes[(changes["wave_a"] == "V2") & (changes["wave_b"] == "V3")].iloc[0]
    assert middle["change"] == pytest.approx(ref.fe_params["C(wave)[T.2]"] - ref.fe_params["C(wave)[T.1]"], rel=1e-3)
    means = res.means
    assert list(means.columns) == MEAN_COLUMNS
    assert means["mean"].iloc[0] == pytest.approx(ref.fe_params["Intercept"], rel=1e-5)
    assert list(means["n"]) == list(df.groupby("wave").size())


def test_respondents_without_institution_fall_back_to_the_respondent_model() -> None:
    conn = _warehouse(_panel(12), with_institution=False)
    model = repeated_measures(conn, ALL, scales=("network_practice",)).models.iloc[0]
    assert model["estimate"] == ESTIMATE_RESPONDENT
    assert NOTE_ONE_INSTITUTION in model["note"]
    assert model["n_institutions"] == 0 and model["n_without_institution"] == model["n_respondents"]


def test_no_repeated_measures_falls_back_to_the_institution_model() -> None:
    df = _panel(13)
    df = df.drop_duplicates("resp")  # everyone answers once
    model = repeated_measures(_warehouse(df), ALL, scales=("network_practice",)).models.iloc[0]
    assert model["estimate"] in (ESTIMATE_INSTITUTION, "wave_means")
    assert NOTE_NO_REPEATED in model["note"]
    assert model["n_repeated"] == 0


def test_a_singular_institution_variance_is_dropped_and_said() -> None:
    df = _panel(14, sd_inst=0.0, n_inst=40)
    ref = _statsmodels_nested(df)
    model = repeated_measures(_warehouse(df), ALL, scales=("network_practice",)).models.iloc[0]
    if float(ref.cov_re.iloc[0, 0]) < 1e-6:  # statsmodels finds the boundary too
        assert model["estimate"] == ESTIMATE_RESPONDENT
        assert NOTE_SINGULAR_INSTITUTION in model["note"]
        assert model["var_institution"] == 0.0
    else:
        assert model["estimate"] == ESTIMATE_FULL


def test_one_wave_or_too_few_respondents_is_not_estimable() -> None:
    one_wave = _panel(15)
    one_wave = one_wave[one_wave["wave"] == 0]
    model = repeated_measures(_warehouse(one_wave), ALL, scales=("network_practice",)).models.iloc[0]
    assert model["estimate"] == ESTIMATE_NONE and model["note"] == NOTE_ONE_WAVE
    few = _panel(16, n_inst=1, per_inst=4)
    res = repeated_measures(_warehouse(few), ALL, scales=("network_practice",))
    model = res.models.iloc[0]
    assert model["estimate"] == ESTIMATE_NONE and NOTE_TOO_FEW in model["note"]
    assert model["suppressed"] and np.isnan(model["n"])  # 4 respondents < 5
    assert res.changes["change"].isna().all()
    assert set(NOTES) >= {NOTE_ONE_WAVE, NOTE_TOO_FEW, NOTE_NO_REPEATED, NOTE_SINGULAR_INSTITUTION}


def test_filters_select_respondents_and_small_groups_are_suppressed() -> None:
    df = _panel(17)
    conn = _warehouse(df)
    city = repeated_measures(conn, Filters(sectors=("city",)), scales=("network_practice",))
    assert city.models.iloc[0]["n_respondents"] == df.loc[df["inst"] % 2 == 1, "resp"].nunique()
    two_waves = repeated_measures(conn, Filters(waves=("V1", "V3")), scales=("network_practice",))
    assert two_waves.models.iloc[0]["n_waves"] == 2 and len(two_waves.changes) == 1
    tiny = df[df["inst"] == 1]
    tiny = pd.concat([tiny, df[df["inst"] == 2]])
    conn = _warehouse(tiny)
    strict = repeated_measures(conn, Filters(min_group_size=50), scales=("network_practice",))
    assert strict.models["suppressed"].all() and strict.changes["suppressed"].all()
    assert strict.changes["change"].isna().all() and strict.means["mean"].isna().all()


def test_empty_warehouse_gives_documented_empty_frames(wh_empty: duckdb.DuckDBPyConnection) -> None:
    res = repeated_measures(wh_empty, ALL)
    assert list(res.models.columns) == MODEL_COLUMNS and res.models.empty
    assert list(res.changes.columns) == CHANGE_COLUMNS and res.changes.empty
    assert list(res.means.columns) == MEAN_COLUMNS and res.means.empty


def test_demo_network_practice_grows_in_the_model(demo_db: Path) -> None:
    conn = duckdb.connect(str(demo_db), read_only=True)
    res = repeated_measures(conn, Filters())
    model = res.models.set_index("scale_id")
    assert model.loc["network_practice", "estimate"] == ESTIMATE_FULL
    assert model.loc["network_practice", "n_respondents"] > 300
    change = res.changes.set_index(["scale_id", "wave_a", "wave_b"]).loc[("network_practice", "2024-2", "2026-1")]
    assert change["ci_low"] > 0.2  # the story: +0.5 outside Plateau des Sources, flat inside
    flat = repeated_measures(conn, Filters(territories=("Plateau des Sources",)), scales=("network_practice",))
    lag = flat.changes.set_index(["wave_a", "wave_b"]).loc[("2024-2", "2026-1")]
    assert lag["ci_low"] < 0 < lag["ci_high"] or abs(lag["change"]) < 0.15
