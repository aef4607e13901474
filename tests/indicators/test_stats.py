"""Statistical indicators checked against scipy, published values and hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import special
from scipy import stats as st

from indicators.stats import (
    alpha_from_variances,
    cronbach_alpha,
    d_z_interval,
    hedges_g,
    holm_adjust,
    paired_change,
    proportion_ci,
    reliable_change_index,
    reliable_change_share,
    t_interval,
    welch_from_stats,
)

Z975 = 1.959963984540054  # standard normal 97.5 % quantile


# --------------------------------------------------------------------------- t_interval


def test_t_interval_matches_scipy_for_every_group_at_once() -> None:
    """The CI of each group's mean equals scipy's Student t interval, vectorised."""
    mean = np.array([3.2, 2.5, 4.0, 1.0])
    sd = np.array([0.8, 1.1, 0.5, 0.0])
    n = np.array([12, 150, 2, 30])
    low, high = t_interval(mean, sd, n, level=0.9)
    for i in range(3):
        ref = st.t.interval(0.9, df=n[i] - 1, loc=mean[i], scale=sd[i] / math.sqrt(n[i]))
        assert low[i] == pytest.approx(ref[0], rel=1e-12)
        assert high[i] == pytest.approx(ref[1], rel=1e-12)
    # identical answers (sd = 0): zero-width interval at the mean (scipy rejects scale 0)
    assert (low[3], high[3]) == (1.0, 1.0)


def test_t_interval_from_raw_data_equals_scipy_one_sample_ci() -> None:
    """Summary stats computed in SQL (mean, stddev_samp, count) give scipy's CI."""
    x = np.random.default_rng(3).normal(3, 1, 40)
    low, high = t_interval(x.mean(), x.std(ddof=1), x.size)
    ref = st.ttest_1samp(x, 0).confidence_interval(0.95)
    assert (float(low), float(high)) == pytest.approx((ref.low, ref.high), rel=1e-12)


def test_t_interval_is_nan_below_two_respondents_and_accepts_nullable_series() -> None:
    """Groups with n < 2 or missing stats get NaN bounds instead of an error."""
    df = pd.DataFrame(
        {
            "mean": pd.array([3.0, 2.0, None], dtype="Float64"),
            "sd": pd.array([1.0, 1.0, 1.0], dtype="Float64"),
            "n": pd.array([1, 0, 10], dtype="Int64"),
        }
    )
    low, high = t_interval(df["mean"], df["sd"], df["n"])
    assert np.isnan(low).all() and np.isnan(high).all()


# --------------------------------------------------------------------------- paired change


def test_paired_change_matches_scipy_paired_t_test_and_drops_incomplete_pairs() -> None:
    """Respondents missing one wave are dropped; t, p, CI equal scipy.stats.ttest_rel."""
    rng = np.random.default_rng(7)
    before = rng.normal(3.0, 0.7, 60)
    after = before + rng.normal(0.25, 0.5, 60)
    before[[3, 10]] = np.nan
    after[[10, 20, 21]] = np.nan
    res = paired_change(before, after)
    keep = ~(np.isnan(before) | np.isnan(after))
    ref = st.ttest_rel(after[keep], before[keep])
    ci = ref.confidence_interval(0.95)
    assert res.n_pairs == 56  # 60 - {3, 10, 20, 21}
    assert res.t == pytest.approx(ref.statistic, rel=1e-12)
    assert res.p_ttest == pytest.approx(ref.pvalue, rel=1e-10)
    assert (res.ci_low, res.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-12)
    assert res.mean_diff == pytest.approx(after[keep].mean() - before[keep].mean())
    wil = st.wilcoxon(after[keep], before[keep], zero_method="wilcox")
    assert res.wilcoxon_p == pytest.approx(wil.pvalue, rel=1e-12)


def test_paired_change_hand_worked_effect_size_d_z_and_its_exact_ci() -> None:
    """Diffs 1..5: d_z = 3 / sqrt(2.5); its CI inverts the noncentral t of t = d_z·√5 (4 df)."""
    before = np.zeros(5)
    after = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    res = paired_change(before, after)
    # mean diff = 3, var diff = (4+1+0+1+4)/4 = 2.5, d_z = 3/sqrt(2.5)
    d_z = 3 / math.sqrt(2.5)
    assert res.effect_size_name == "d_z"
    assert res.d_z == pytest.approx(d_z)
    assert res.sd_diff == pytest.approx(math.sqrt(2.5))
    t = d_z * math.sqrt(5)
    # at the bounds δ, the observed t sits at the 97.5th and 2.5th percentiles of t'(4, δ√5)
    assert st.nct.cdf(t, 4, res.d_z_ci_low * math.sqrt(5)) == pytest.approx(0.975, abs=1e-9)
    assert st.nct.cdf(t, 4, res.d_z_ci_high * math.sqrt(5)) == pytest.approx(0.025, abs=1e-9)
    # Exact Wilcoxon: 5 positive ranks out of 2^5 sign patterns, two-sided p = 2/32.
    assert res.wilcoxon_p == pytest.approx(2 / 32)


def test_the_exact_d_z_interval_is_the_published_one_not_the_normal_approximation() -> None:
    """n = 8, d_z = 0.6825: exact (−0.113, 1.441), where the normal approximation gave
    (−0.087, 1.452) (the figures of issue 9)."""
    low, high = d_z_interval(0.6825, 8)
    assert (low, high) == pytest.approx((-0.113, 1.441), abs=0.002)


def test_the_exact_d_z_interval_covers_the_truth_95_times_in_100() -> None:
    rng = np.random.default_rng(9)
    hits = 0
    for _ in range(600):
        x = rng.normal(0.5, 1.0, 8)
        d = x.mean() / x.std(ddof=1)
        low, high = d_z_interval(d, 8)
        hits += low <= 0.5 <= high
    assert 0.92 <= hits / 600 <= 0.98


def test_identical_differences_are_zero_variance_not_a_huge_effect() -> None:
    """Everyone +0.2 (float noise of 1e-17 between them): no t, no d_z, never ranked first."""
    before = np.array([0.1, 0.7, 1.3, 2.9])
    res = paired_change(before, before + 0.2)
    assert res.mean_diff == pytest.approx(0.2) and res.sd_diff == 0.0
    assert math.isnan(res.t) and math.isnan(res.d_z) and math.isnan(res.p_ttest)
    assert math.isnan(res.d_z_ci_low) and math.isnan(res.d_z_ci_high)


def test_paired_change_wilcoxon_ignores_zero_differences_and_float_noise() -> None:
    """zero_method='wilcox' drops zero diffs, even when float noise hides them, keeps ties."""
    before = np.array([0.1 + 0.2, 3.0, 1.0, 1.0, 2.0, 0.5, 1.5])
    after = np.array([0.3, 3.2, 1.2, 2.0, 4.0, 3.5, 5.5])
    # raw diffs: -5.6e-17, 0.2000000000000002, 0.19999999999999996, 1, 2, 3, 4
    res = paired_change(before, after)
    clean = st.wilcoxon([0.2, 0.2, 1.0, 2.0, 3.0, 4.0], zero_method="wilcox")
    assert res.wilcoxon_p == pytest.approx(clean.pvalue, rel=1e-12)


def test_paired_change_without_variation_gives_nan_tests() -> None:
    """No change at all, or fewer than two pairs, yields NaN tests rather than errors."""
    same = paired_change([2.0, 3.0, 4.0], [2.0, 3.0, 4.0])
    assert same.mean_diff == 0 and np.isnan(same.wilcoxon_p) and np.isnan(same.t)
    one = paired_change([2.0, np.nan], [3.0, 4.0])
    assert one.n_pairs == 1 and one.mean_diff == 1.0 and np.isnan(one.p_ttest)
    none = paired_change([], [])
    assert none.n_pairs == 0 and np.isnan(none.mean_before)


def test_paired_change_rejects_misaligned_waves() -> None:
    """Pairs must be aligned one-to-one; different lengths are an error."""
    with pytest.raises(ValueError):
        paired_change([1.0, 2.0], [1.0])


# --------------------------------------------------------------------------- Holm


def test_holm_hand_worked_example_keeps_order_and_nan() -> None:
    """p = .01, .04, .03, .005, NaN → m = 4, sorted .005·4, .01·3, .03·2, .04·1 (monotone)."""
    adj = holm_adjust([0.01, 0.04, 0.03, 0.005, np.nan])
    # sorted: .005*4 = .02, .01*3 = .03, .03*2 = .06, max(.04*1, .06) = .06
    expected = [0.03, 0.06, 0.06, 0.02, np.nan]
    np.testing.assert_allclose(adj, expected, rtol=1e-12)


def test_holm_is_capped_at_one_and_handles_empty_input() -> None:
    """Adjusted p-values never exceed 1; an all-NaN or empty input stays as is."""
    np.testing.assert_allclose(holm_adjust([0.4, 0.6, 0.9]), [1.0, 1.0, 1.0])
    assert holm_adjust([]).size == 0
    assert np.isnan(holm_adjust([np.nan, np.nan])).all()


# --------------------------------------------------------------------------- Welch / Hedges


def test_welch_from_summary_stats_equals_scipy_on_raw_data() -> None:
    """Welch t, df, p and CI from SQL summaries equal ttest_ind(equal_var=False)."""
    rng = np.random.default_rng(11)
    a, b = rng.normal(3.4, 0.6, 25), rng.normal(3.0, 1.2, 70)
    res = welch_from_stats(a.mean(), a.std(ddof=1), a.size, b.mean(), b.std(ddof=1), b.size)
    ref = st.ttest_ind(a, b, equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert float(res.t) == pytest.approx(ref.statistic, rel=1e-10)
    assert float(res.df) == pytest.approx(ref.df, rel=1e-10)
    assert float(res.p) == pytest.approx(ref.pvalue, rel=1e-9)
    assert (float(res.ci_low), float(res.ci_high)) == pytest.approx((ci.low, ci.high))
    assert float(res.diff) == pytest.approx(a.mean() - b.mean())


def test_welch_vectorised_over_groups_equals_ttest_ind_from_stats() -> None:
    """One call handles every group; degenerate groups (n < 2, sd = 0) give NaN."""
    m1, s1, n1 = np.array([3.0, 2.5, 4.0, 3.0]), np.array([1.0, 0.5, 2.0, 0.0]), [10, 40, 1, 5]
    m2, s2, n2 = np.array([2.5, 2.9, 3.0, 3.0]), np.array([1.5, 0.7, 1.0, 0.0]), [12, 35, 9, 5]
    res = welch_from_stats(m1, s1, n1, m2, s2, n2)
    for i in range(2):
        ref = st.ttest_ind_from_stats(m1[i], s1[i], n1[i], m2[i], s2[i], n2[i], equal_var=False)
        assert res.t[i] == pytest.approx(ref.statistic, rel=1e-12)
        assert res.p[i] == pytest.approx(ref.pvalue, rel=1e-10)
    assert np.isnan(res.t[2]) and np.isnan(res.p[2])  # n1 = 1
    assert np.isnan(res.t[3]) and np.isnan(res.p[3])  # both SD = 0
    assert list(res.to_frame().columns) == ["diff", "se", "t", "df", "p", "ci_low", "ci_high"]


def test_hedges_g_hand_worked_example() -> None:
    """m 10 vs 8, sd 2, n 10+10: d = 1, J = 1 − 3/71, SE = J·sqrt(20/100 + 1/40)."""
    res = hedges_g(10.0, 2.0, 10, 8.0, 2.0, 10)
    j = 1 - 3 / (4 * 20 - 9)  # = 68/71
    se = j * math.sqrt(20 / 100 + 1 / 40)  # = j * sqrt(0.225)
    assert float(res.d) == pytest.approx(1.0)
    assert float(res.j) == pytest.approx(68 / 71)
    assert float(res.g) == pytest.approx(68 / 71)
    assert (float(res.ci_low), float(res.ci_high)) == pytest.approx((j - Z975 * se, j + Z975 * se))


def test_hedges_g_uses_pooled_sd_of_raw_data_and_close_to_exact_correction() -> None:
    """d uses the pooled SD (ddof 1); J is within 1e-3 of Hedges' exact gamma form."""
    rng = np.random.default_rng(5)
    a, b = rng.normal(1, 1, 8), rng.normal(0, 1.5, 13)
    res = hedges_g(a.mean(), a.std(ddof=1), a.size, b.mean(), b.std(ddof=1), b.size)
    pooled = np.concatenate([a - a.mean(), b - b.mean()])
    sp = math.sqrt((pooled**2).sum() / (a.size + b.size - 2))
    assert float(res.d) == pytest.approx((a.mean() - b.mean()) / sp, rel=1e-12)
    df = a.size + b.size - 2
    exact_j = math.exp(special.gammaln(df / 2) - special.gammaln((df - 1) / 2)) / math.sqrt(df / 2)
    assert float(res.j) == pytest.approx(exact_j, abs=1e-3)


def test_hedges_g_is_nan_for_tiny_or_constant_groups() -> None:
    """No standardised effect without two respondents per group and some variance."""
    res = hedges_g([3.0, 3.0], [1.0, 0.0], [1, 5], [2.0, 3.0], [1.0, 0.0], [5, 5])
    assert np.isnan(res.g).all() and np.isnan(res.ci_low).all()


# --------------------------------------------------------------------------- Cronbach


STATOLOGY_ITEMS = pd.DataFrame(
    {
        "Q1": [1, 2, 2, 3, 2, 2, 3, 3, 2, 3],
        "Q2": [1, 1, 1, 2, 3, 3, 2, 3, 3, 3],
        "Q3": [1, 1, 2, 1, 2, 3, 3, 3, 2, 3],
    }
)


def test_cronbach_alpha_reproduces_published_example() -> None:
    """Statology 'Cronbach's Alpha in Python' (pingouin): 0.7734375, 95 % CI [0.336, 0.939]."""
    res = cronbach_alpha(STATOLOGY_ITEMS)
    assert res.alpha == pytest.approx(0.7734375, abs=1e-12)
    assert (res.n, res.k) == (10, 3)
    assert round(res.ci_low, 3) == 0.336
    assert round(res.ci_high, 3) == 0.939


def test_cronbach_alpha_hand_worked_from_item_and_total_variances() -> None:
    """Same example by hand: item vars 4.1/9, 7.6/9, 6.9/9 and total var 38.4/9 (ddof 1)."""
    # var = (Σx² − (Σx)²/10) / 9
    # Q1: Σx 23, Σx² 57 -> (57 − 52.9)/9 = 4.1/9
    # Q2: Σx 22, Σx² 56 -> (56 − 48.4)/9 = 7.6/9
    # Q3: Σx 21, Σx² 51 -> (51 − 44.1)/9 = 6.9/9
    # totals 3,4,5,6,7,8,8,9,7,9: Σ 66, Σ² 474 -> (474 − 435.6)/9 = 38.4/9
    alpha = 3 / 2 * (1 - (4.1 + 7.6 + 6.9) / 38.4)  # = 1.5 · 19.8/38.4 = 0.7734375
    assert cronbach_alpha(STATOLOGY_ITEMS.to_numpy()).alpha == pytest.approx(alpha)


def test_cronbach_alpha_equals_variance_of_sum_formula_on_random_scales() -> None:
    """Covariance-matrix alpha equals k/(k−1)(1 − Σ var_i / var(total)) on random data."""
    rng = np.random.default_rng(2)
    for k in (2, 4, 9):
        latent = rng.normal(size=(200, 1))
        x = np.round(latent + rng.normal(scale=1.2, size=(200, k)))
        ref = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
        assert cronbach_alpha(x).alpha == pytest.approx(ref, rel=1e-12)


def test_feldt_ci_follows_the_f_distribution_formula() -> None:
    """CI = 1 − (1 − α)·F(1 − γ/2; n−1, (n−1)(k−1)) … F(γ/2) (Feldt et al. 1987, eq. 6-7)."""
    res = alpha_from_variances(7, 1.0, 1.0 / (1 - 0.85 * 6 / 7), 89, level=0.9)
    # sum_item_var / total_var chosen so that alpha = 7/6 (1 - (1 - .85·6/7)) = 0.85
    assert float(res.alpha) == pytest.approx(0.85)
    f_hi, f_lo = st.f.ppf(0.95, 88, 88 * 6), st.f.ppf(0.05, 88, 88 * 6)
    assert float(res.ci_low) == pytest.approx(1 - 0.15 * f_hi)
    assert float(res.ci_high) == pytest.approx(1 - 0.15 * f_lo)


def test_alpha_from_sql_variances_matches_published_covariance_example() -> None:
    """StatsBase.jl docs: covariance [[10,6,6,6],[6,11,6,6],[6,6,12,6],[6,6,6,13]] → 0.8136."""
    # Σ item variances = 10+11+12+13 = 46; var(total) = ΣC = 46 + 12·6 = 118
    res = alpha_from_variances(k=4, sum_item_var=46.0, total_var=118.0, n=50)
    assert round(float(res.alpha), 4) == 0.8136


def test_alpha_from_variances_vectorised_matches_cronbach_alpha_per_group() -> None:
    """One call on per-(scale, wave) SQL aggregates equals cronbach_alpha on each group."""
    rng = np.random.default_rng(9)
    groups = [
        rng.integers(1, 6, size=(n, k)).astype(float) + rng.normal(size=(n, 1))
        for n, k in ((30, 3), (120, 5), (15, 8))
    ]
    agg = pd.DataFrame(
        {
            "k": [g.shape[1] for g in groups],
            "sum_item_var": [g.var(axis=0, ddof=1).sum() for g in groups],
            "total_var": [g.sum(axis=1).var(ddof=1) for g in groups],
            "n": [g.shape[0] for g in groups],
        }
    )
    res = alpha_from_variances(agg["k"], agg["sum_item_var"], agg["total_var"], agg["n"])
    for i, g in enumerate(groups):
        one = cronbach_alpha(g)
        assert res.alpha[i] == pytest.approx(one.alpha, rel=1e-12)
        assert res.ci_low[i] == pytest.approx(one.ci_low, rel=1e-12)
        assert res.ci_high[i] == pytest.approx(one.ci_high, rel=1e-12)


def test_cronbach_alpha_uses_listwise_deletion_and_reports_n() -> None:
    """Respondents with a missing item are dropped entirely; n counts complete rows."""
    with_gaps = STATOLOGY_ITEMS.astype(float)
    extra = pd.DataFrame({"Q1": [np.nan, 1.0], "Q2": [3.0, np.nan], "Q3": [1.0, 2.0]})
    res = cronbach_alpha(pd.concat([with_gaps, extra], ignore_index=True))
    assert res.n == 10
    assert res.alpha == pytest.approx(0.7734375)


def test_cronbach_alpha_is_nan_when_undefined() -> None:
    """One item, one respondent or constant answers: alpha is NaN, not an error."""
    assert np.isnan(cronbach_alpha(np.ones((10, 1))).alpha)
    assert np.isnan(cronbach_alpha(np.ones((1, 4))).alpha)
    assert np.isnan(cronbach_alpha(np.full((10, 4), 3.0)).alpha)
    assert np.isnan(alpha_from_variances([3, 1], [1.0, 1.0], [0.0, 2.0], [10, 10]).alpha).all()


# --------------------------------------------------------------------------- reliable change


def test_reliable_change_index_hand_worked() -> None:
    """20 → 28, SD 5, r = .84: SE = 5·0.4 = 2, SE_diff = 2√2, RCI = 8 / 2√2 = 2√2."""
    rci = reliable_change_index([20.0, 20.0], [28.0, 18.0], 5.0, 0.84)
    np.testing.assert_allclose(rci, [2 * math.sqrt(2), -2 / (2 * math.sqrt(2))])


def test_reliable_change_index_is_nan_for_unusable_reliability() -> None:
    """Perfect or negative reliability gives no meaningful RCI (NaN)."""
    assert np.isnan(reliable_change_index([1.0, 1.0], [2.0, 2.0], 1.0, [1.0, -0.2])).all()


def test_reliable_change_share_counts_strictly_beyond_threshold() -> None:
    """RCI 2.5 improved, −3 deteriorated, 0.5 and exactly 1.96 unchanged, NaN ignored."""
    res = reliable_change_share([2.5, -3.0, 0.5, np.nan, 1.96])
    assert (res.n, res.n_improved, res.n_deteriorated, res.n_unchanged) == (4, 1, 1, 2)
    assert (res.share_improved, res.share_deteriorated, res.share_unchanged) == (0.25, 0.25, 0.5)
    flipped = reliable_change_share([2.5, -3.0], higher_is_better=False)
    assert (flipped.n_improved, flipped.n_deteriorated) == (1, 1)
    assert np.isnan(reliable_change_share([np.nan]).share_improved)


# --------------------------------------------------------------------------- Wilson


def test_proportion_ci_equals_scipy_wilson_interval_vectorised() -> None:
    """Response rates / shares: Wilson bounds equal binomtest(...).proportion_ci('wilson')."""
    k = np.array([0, 1, 7, 50, 149, 150, 3])
    n = np.array([10, 10, 20, 150, 150, 150, 3])
    low, high = proportion_ci(k, n, level=0.9)
    for i in range(k.size):
        ref = st.binomtest(int(k[i]), int(n[i])).proportion_ci(0.9, method="wilson")
        assert low[i] == pytest.approx(ref.low, abs=1e-12)
        assert high[i] == pytest.approx(ref.high, abs=1e-12)


def test_proportion_ci_hand_worked_zero_successes() -> None:
    """0 / 10: lower bound 0, upper bound z² / (n + z²) = 3.8415 / 13.8415."""
    low, high = proportion_ci(0, 10)
    assert float(low) == 0.0
    assert float(high) == pytest.approx(Z975**2 / (10 + Z975**2))


def test_proportion_ci_is_nan_without_respondents() -> None:
    """n = 0 (no respondents) or k > n (bad input) give NaN bounds."""
    low, high = proportion_ci([0, 5], [0, 3])
    assert np.isnan(low).all() and np.isnan(high).all()


def test_invalid_confidence_level_is_rejected() -> None:
    """A level outside (0, 1) is a programming error."""
    with pytest.raises(ValueError):
        proportion_ci(1, 2, level=95)
