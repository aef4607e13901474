"""Statistical indicators for Maillage (pure numpy / scipy / pandas).

Conventions shared by every function of this module:

* Vectorised functions accept scalars, numpy arrays or pandas Series (nullable dtypes and
  ``pd.NA`` included) and return ``float64`` numpy arrays of the broadcast shape (0-d for
  scalar inputs: use ``float(x)``). Results are positional: re-attach an index with
  ``pd.Series(result, index=df.index)`` or assign the array to a DataFrame column.
* Undefined results are ``NaN`` (never an exception): too few observations, zero variance,
  missing inputs.
* ``level`` is the two-sided confidence level (0.95 → 95 % interval).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import stats

FloatArray = NDArray[np.float64]

# Differences are rounded to this many decimals before the Wilcoxon test so that floating
# noise (e.g. 3.2 - 3.0 vs 0.2) does not break ties or turn zero differences into non-zeros.
_WILCOXON_DECIMALS = 9


# --------------------------------------------------------------------------- helpers


def _as_float(x: ArrayLike) -> FloatArray:
    """Convert to a float64 array, mapping ``pd.NA``/``None`` to NaN."""
    if isinstance(x, (pd.Series, pd.Index, pd.DataFrame)):
        return np.asarray(x.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
    try:
        return np.asarray(x, dtype=np.float64)
    except TypeError:  # e.g. a list holding pd.NA
        obj = np.asarray(x, dtype=object)
        flat = pd.array(obj.ravel(), dtype="Float64").to_numpy(np.float64, na_value=np.nan)
        return np.asarray(flat, dtype=np.float64).reshape(obj.shape)


def _check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level!r}")


def _z(level: float) -> float:
    """Two-sided standard normal critical value."""
    _check_level(level)
    return float(stats.norm.ppf(0.5 + level / 2.0))


def _t_crit(df: FloatArray, level: float) -> FloatArray:
    """Two-sided Student t critical value (NaN where df is NaN or <= 0)."""
    _check_level(level)
    safe_df = np.where(df > 0, df, np.nan)
    return np.asarray(stats.t.ppf(0.5 + level / 2.0, safe_df), dtype=np.float64)


def _ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    """num / den, NaN where den is 0 or NaN (no warnings)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(den != 0, num / den, np.nan), dtype=np.float64)


def _two_sided_t_p(t: FloatArray, df: FloatArray) -> FloatArray:
    return np.asarray(2.0 * stats.t.sf(np.abs(t), np.where(df > 0, df, np.nan)), dtype=np.float64)


# --------------------------------------------------------------------------- intervals


def t_interval(
    mean: ArrayLike, sd: ArrayLike, n: ArrayLike, level: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Student t confidence interval of a mean from summary statistics.

    ``mean ± t_{(1+level)/2, n-1} · sd / sqrt(n)``; ``sd`` is the sample SD (ddof = 1, as
    DuckDB ``stddev_samp``). NaN where ``n < 2`` or any input is missing; zero width
    when ``sd = 0``.
    """
    m, s, nn = _as_float(mean), _as_float(sd), _as_float(n)
    ok = nn >= 2
    half = _t_crit(np.where(ok, nn - 1.0, np.nan), level) * s / np.sqrt(np.where(ok, nn, np.nan))
    return np.asarray(m - half, dtype=np.float64), np.asarray(m + half, dtype=np.float64)


def proportion_ci(k: ArrayLike, n: ArrayLike, level: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Wilson (1927) score interval for a proportion k / n, without continuity correction.

    ``centre = (p + z²/2n) / (1 + z²/n)``, ``half = z/(1 + z²/n) · sqrt(p(1-p)/n + z²/4n²)``.
    Same interval as ``scipy.stats.binomtest(k, n).proportion_ci(method="wilson")``.
    NaN where ``n <= 0`` or ``k`` is outside ``[0, n]``.
    """
    kk, nn = _as_float(k), _as_float(n)
    z = _z(level)
    ok = (nn > 0) & (kk >= 0) & (kk <= nn)
    nn = np.where(ok, nn, np.nan)
    p = kk / nn
    denom = 1.0 + z**2 / nn
    centre = (p + z**2 / (2.0 * nn)) / denom
    half = z / denom * np.sqrt(p * (1.0 - p) / nn + z**2 / (4.0 * nn**2))
    low = np.clip(centre - half, 0.0, 1.0)
    high = np.clip(centre + half, 0.0, 1.0)
    # exact bounds at the ends (the formula leaves rounding noise such as 1e-17)
    low = np.where(ok & (kk == 0), 0.0, low)
    high = np.where(ok & (kk == nn), 1.0, high)
    return np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)


# --------------------------------------------------------------------------- paired change


@dataclass(frozen=True)
class PairedChange:
    """Within-respondent change between two waves (diff = after − before)."""

    n_pairs: int
    mean_before: float
    mean_after: float
    mean_diff: float
    sd_diff: float
    ci_low: float
    ci_high: float
    t: float
    df: float
    p_ttest: float
    wilcoxon_p: float
    d_z: float
    d_z_ci_low: float
    d_z_ci_high: float
    effect_size_name: str = "d_z"
    level: float = 0.95


def _wilcoxon_p(diff: FloatArray) -> float:
    """Two-sided Wilcoxon signed-rank p (zero_method="wilcox"); NaN if no non-zero diff."""
    rounded = np.round(diff, _WILCOXON_DECIMALS)
    if rounded.size < 2 or not np.any(rounded != 0):
        return float("nan")
    res = stats.wilcoxon(rounded, zero_method="wilcox", alternative="two-sided")
    return float(res.pvalue)


def paired_change(before: ArrayLike, after: ArrayLike, level: float = 0.95) -> PairedChange:
    """Paired comparison of two aligned 1-D arrays (one pair per respondent in both waves).

    Pairs with a NaN on either side are dropped (pairwise deletion). Reports the paired
    Student t test (t CI of the mean difference) and the Wilcoxon signed-rank test with
    ``zero_method="wilcox"`` (zero differences discarded, Wilcoxon 1945): it is scipy's
    default and the variant of R ``wilcox.test`` and pingouin, so figures can be reproduced
    elsewhere. Differences are rounded to 9 decimals first so float noise does not create
    spurious non-zero differences or break ties.

    Effect size: d_z = mean_diff / sd_diff (Lakens 2013, eq. 6), with its exact CI from the
    noncentral t (:func:`d_z_interval`). Identical differences (sd_diff = 0 once float noise of
    the 9th decimal is ignored) have t, p, d_z and its CI undefined (NaN), never a huge effect.
    """
    b, a = _as_float(before).ravel(), _as_float(after).ravel()
    if a.shape != b.shape:
        raise ValueError(f"before and after must be aligned, got {b.shape} and {a.shape}")
    keep = ~(np.isnan(a) | np.isnan(b))
    b, a = b[keep], a[keep]
    diff = a - b
    n = int(diff.size)
    nan = float("nan")
    mean_b = float(b.mean()) if n else nan
    mean_a = float(a.mean()) if n else nan
    mean_d = float(diff.mean()) if n else nan
    if n < 2:
        return PairedChange(
            n, mean_b, mean_a, mean_d, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, level=level
        )
    sd_d = float(diff.std(ddof=1))
    if np.all(np.round(diff, _WILCOXON_DECIMALS) == np.round(diff[0], _WILCOXON_DECIMALS)):
        sd_d = 0.0  # identical differences: zero variance, not 1e-16 of float noise
    se = sd_d / np.sqrt(n)
    half = float(_t_crit(np.asarray(n - 1.0), level)) * se
    if sd_d == 0.0:  # no variability: a t test and a standardised effect are undefined
        t = d_z = p = float("nan")
        d_low = d_high = float("nan")
    else:
        t = float(np.float64(mean_d) / np.float64(se))
        d_z = float(np.float64(mean_d) / np.float64(sd_d))
        p = float(_two_sided_t_p(np.asarray(t), np.asarray(n - 1.0)))
        d_low, d_high = d_z_interval(d_z, n, level)
    return PairedChange(
        n_pairs=n,
        mean_before=mean_b,
        mean_after=mean_a,
        mean_diff=mean_d,
        sd_diff=sd_d,
        ci_low=mean_d - half,
        ci_high=mean_d + half,
        t=t,
        df=float(n - 1),
        p_ttest=p,
        wilcoxon_p=_wilcoxon_p(diff),
        d_z=d_z,
        d_z_ci_low=d_low,
        d_z_ci_high=d_high,
        level=level,
    )


def d_z_interval(d_z: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact confidence interval of d_z = mean_diff / sd_diff from the noncentral t: with
    t = d_z·√n ~ t'(n − 1, δ·√n), the bounds are the δ whose noncentral t puts t at the upper and
    lower (1 − level)/2 tails (Steiger & Fouladi 1997; MBESS ``ci.sm``)."""
    if n < 2 or not np.isfinite(d_z):
        return float("nan"), float("nan")
    from scipy.optimize import brentq

    df, t_obs, tail = n - 1.0, d_z * np.sqrt(n), (1.0 - level) / 2.0
    # the bounds lie within a few standard errors of t: sd of t' ≈ √(1 + t²/(2 df))
    step = 1.0 + float(np.sqrt(1.0 + t_obs**2 / (2.0 * df)))

    def bound(target: float) -> float:
        def gap(nc: float) -> float:
            return float(stats.nct.cdf(t_obs, df, nc)) - target

        lo, hi = t_obs - step, t_obs + step
        for _ in range(60):  # widen until the cdf brackets the target (it falls as nc grows)
            g_lo, g_hi = gap(lo), gap(hi)
            if np.isnan(g_lo) or np.isnan(g_hi):
                return float("nan")
            if g_lo >= 0 >= g_hi:
                return float(brentq(gap, lo, hi, xtol=1e-12)) / float(np.sqrt(n))
            lo, hi = (lo - step, hi) if g_lo < 0 else (lo, hi + step)
        return float("nan")

    return bound(1.0 - tail), bound(tail)


# --------------------------------------------------------------------------- multiplicity


def holm_adjust(pvalues: ArrayLike) -> FloatArray:
    """Holm (1979) step-down adjusted p-values, in the input order.

    Sorted ascending p_(1..m): adj_(i) = max_{j<=i} min(1, (m − j + 1) · p_(j)).
    NaN entries stay NaN and are not counted in m.
    """
    p = _as_float(pvalues)
    shape = p.shape
    flat = p.ravel()
    out = np.full(flat.shape, np.nan)
    mask = ~np.isnan(flat)
    pv = flat[mask]
    m = pv.size
    if m:
        order = np.argsort(pv, kind="stable")
        adj = np.minimum(np.maximum.accumulate((m - np.arange(m)) * pv[order]), 1.0)
        res = np.empty(m)
        res[order] = adj
        out[mask] = res
    return out.reshape(shape)


# --------------------------------------------------------------------------- two groups


@dataclass(frozen=True)
class WelchResult:
    """Welch comparison of two independent groups; diff = mean1 − mean2 (arrays)."""

    diff: FloatArray
    se: FloatArray
    t: FloatArray
    df: FloatArray
    p: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray

    def to_frame(self, index: pd.Index | None = None) -> pd.DataFrame:
        """One column per field (vectorised inputs only)."""
        return pd.DataFrame({k: np.ravel(v) for k, v in vars(self).items()}, index=index)


def welch_from_stats(
    mean1: ArrayLike,
    sd1: ArrayLike,
    n1: ArrayLike,
    mean2: ArrayLike,
    sd2: ArrayLike,
    n2: ArrayLike,
    level: float = 0.95,
) -> WelchResult:
    """Welch (1947) unequal-variance t test from summary statistics (vectorised).

    v_i = sd_i² / n_i; se = sqrt(v1 + v2); t = (mean1 − mean2) / se;
    df = (v1 + v2)² / (v1²/(n1 − 1) + v2²/(n2 − 1)) (Welch–Satterthwaite); two-sided p;
    CI = diff ± t_{df} · se. Same as ``scipy.stats.ttest_ind(a, b, equal_var=False)``.
    NaN where a group has n < 2 or se = 0.
    """
    m1, s1, k1 = _as_float(mean1), _as_float(sd1), _as_float(n1)
    m2, s2, k2 = _as_float(mean2), _as_float(sd2), _as_float(n2)
    ok = (k1 >= 2) & (k2 >= 2)
    k1, k2 = np.where(ok, k1, np.nan), np.where(ok, k2, np.nan)
    v1, v2 = s1**2 / k1, s2**2 / k2
    se = np.sqrt(v1 + v2)
    diff = np.asarray(m1 - m2, dtype=np.float64)
    t = _ratio(diff, se)
    df = _ratio((v1 + v2) ** 2, v1**2 / (k1 - 1.0) + v2**2 / (k2 - 1.0))
    half = _t_crit(df, level) * se
    return WelchResult(
        diff=np.where(ok, diff, np.nan),
        se=np.asarray(se, dtype=np.float64),
        t=t,
        df=df,
        p=_two_sided_t_p(t, df),
        ci_low=np.asarray(diff - half, dtype=np.float64),
        ci_high=np.asarray(diff + half, dtype=np.float64),
    )


@dataclass(frozen=True)
class HedgesG:
    """Standardised mean difference of two independent groups (mean1 − mean2)."""

    g: FloatArray
    d: FloatArray
    j: FloatArray
    se: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray

    def to_frame(self, index: pd.Index | None = None) -> pd.DataFrame:
        """One column per field (vectorised inputs only)."""
        return pd.DataFrame({k: np.ravel(v) for k, v in vars(self).items()}, index=index)


def hedges_g(
    mean1: ArrayLike,
    sd1: ArrayLike,
    n1: ArrayLike,
    mean2: ArrayLike,
    sd2: ArrayLike,
    n2: ArrayLike,
    level: float = 0.95,
) -> HedgesG:
    """Hedges' g from summary statistics (vectorised; Lakens 2013, eq. 1 and 4).

    d = (mean1 − mean2) / s_p, s_p² = ((n1−1)sd1² + (n2−1)sd2²) / (n1 + n2 − 2);
    g = J · d with the Hedges (1981) approximation J = 1 − 3 / (4(n1 + n2) − 9).
    Approximate CI: g ± z · J · sqrt((n1+n2)/(n1·n2) + d² / (2(n1+n2)))
    (Borenstein et al. 2009, eq. 4.20 and 4.28). NaN where a group has n < 2 or s_p = 0.
    """
    m1, s1, k1 = _as_float(mean1), _as_float(sd1), _as_float(n1)
    m2, s2, k2 = _as_float(mean2), _as_float(sd2), _as_float(n2)
    ok = (k1 >= 2) & (k2 >= 2)
    k1, k2 = np.where(ok, k1, np.nan), np.where(ok, k2, np.nan)
    sp = np.sqrt(((k1 - 1.0) * s1**2 + (k2 - 1.0) * s2**2) / (k1 + k2 - 2.0))
    d = _ratio(np.asarray(m1 - m2, dtype=np.float64), sp)
    j = 1.0 - 3.0 / (4.0 * (k1 + k2) - 9.0)
    g = j * d
    se = j * np.sqrt((k1 + k2) / (k1 * k2) + d**2 / (2.0 * (k1 + k2)))
    half = _z(level) * se
    return HedgesG(
        g=np.asarray(g, dtype=np.float64),
        d=d,
        j=np.asarray(j, dtype=np.float64),
        se=np.asarray(se, dtype=np.float64),
        ci_low=np.asarray(g - half, dtype=np.float64),
        ci_high=np.asarray(g + half, dtype=np.float64),
    )


# --------------------------------------------------------------------------- reliability


@dataclass(frozen=True)
class AlphaArrays:
    """Cronbach's alpha with its Feldt CI (arrays, one value per group)."""

    alpha: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray

    def to_frame(self, index: pd.Index | None = None) -> pd.DataFrame:
        """One column per field (vectorised inputs only)."""
        return pd.DataFrame({k: np.ravel(v) for k, v in vars(self).items()}, index=index)


def alpha_from_variances(
    k: ArrayLike,
    sum_item_var: ArrayLike,
    total_var: ArrayLike,
    n: ArrayLike,
    level: float = 0.95,
) -> AlphaArrays:
    """Cronbach (1951) alpha and Feldt (1965) CI from sufficient statistics (vectorised).

    alpha = k/(k − 1) · (1 − Σ var(item_i) / var(Σ items)). Both variances must use the same
    ddof (e.g. DuckDB ``var_samp`` for both) and the same complete-case rows. With
    γ = 1 − level, df1 = n − 1, df2 = (n − 1)(k − 1) (Feldt, Woodruff & Salih 1987, eq. 6-7):
    low = 1 − (1 − alpha) · F⁻¹(1 − γ/2; df1, df2), high = 1 − (1 − alpha) · F⁻¹(γ/2; df1, df2).
    NaN where n < 2, k < 2 or total_var <= 0.
    """
    _check_level(level)
    kk, siv, tv, nn = (_as_float(x) for x in (k, sum_item_var, total_var, n))
    ok = (nn >= 2) & (kk >= 2) & (tv > 0)
    kk, nn = np.where(ok, kk, np.nan), np.where(ok, nn, np.nan)
    alpha = kk / (kk - 1.0) * (1.0 - _ratio(siv, np.where(ok, tv, np.nan)))
    df1, df2 = nn - 1.0, (nn - 1.0) * (kk - 1.0)
    gamma = 1.0 - level
    low = 1.0 - (1.0 - alpha) * stats.f.ppf(1.0 - gamma / 2.0, df1, df2)
    high = 1.0 - (1.0 - alpha) * stats.f.ppf(gamma / 2.0, df1, df2)
    return AlphaArrays(
        alpha=np.asarray(alpha, dtype=np.float64),
        ci_low=np.asarray(low, dtype=np.float64),
        ci_high=np.asarray(high, dtype=np.float64),
    )


@dataclass(frozen=True)
class CronbachAlpha:
    """Cronbach's alpha of one scale: n respondents used (complete rows), k items."""

    alpha: float
    n: int
    k: int
    ci_low: float
    ci_high: float
    level: float = 0.95


def cronbach_alpha(item_matrix: ArrayLike, level: float = 0.95) -> CronbachAlpha:
    """Cronbach's alpha of a respondents × items matrix (DataFrame or 2-D array).

    Listwise deletion: respondents with any missing item are dropped (``n`` reports the rows
    used; pingouin's default is pairwise, use ``nan_policy="listwise"`` to compare).
    alpha = k/(k − 1) · (1 − trace(C) / ΣC) with C the item covariance matrix (ddof = 1),
    i.e. Σ item variances over the variance of the total score. CI: Feldt (1965), see
    :func:`alpha_from_variances`. NaN when n < 2, k < 2 or zero total variance.
    """
    x = _as_float(item_matrix)
    if x.ndim != 2:
        raise ValueError(f"item_matrix must be 2-D (respondents × items), got {x.ndim}-D")
    x = x[~np.isnan(x).any(axis=1)]
    n, k = int(x.shape[0]), int(x.shape[1])
    if n < 2 or k < 2:
        nan = float("nan")
        return CronbachAlpha(nan, n, k, nan, nan, level)
    cov = np.atleast_2d(np.cov(x, rowvar=False, ddof=1))
    res = alpha_from_variances(k, float(np.trace(cov)), float(cov.sum()), n, level)
    return CronbachAlpha(float(res.alpha), n, k, float(res.ci_low), float(res.ci_high), level)


# --------------------------------------------------------------------------- reliable change


def reliable_change_index(
    x1: ArrayLike, x2: ArrayLike, sd1: ArrayLike, rxx: ArrayLike
) -> FloatArray:
    """Jacobson & Truax (1991) reliable change index (vectorised).

    SE = sd1 · sqrt(1 − rxx) (standard error of measurement, sd1 = baseline SD of the
    reference group, rxx = reliability such as Cronbach's alpha); SE_diff = sqrt(2) · SE;
    RCI = (x2 − x1) / SE_diff. NaN where rxx is outside [0, 1) or sd1 <= 0.
    """
    a, b, s, r = _as_float(x1), _as_float(x2), _as_float(sd1), _as_float(rxx)
    ok = (r >= 0) & (r < 1) & (s > 0)
    se_diff = np.sqrt(2.0) * s * np.sqrt(np.where(ok, 1.0 - r, np.nan))
    return _ratio(np.asarray(b - a, dtype=np.float64), se_diff)


@dataclass(frozen=True)
class ReliableChangeShare:
    """Counts and shares of reliably improved / deteriorated / unchanged respondents."""

    n: int
    n_improved: int
    n_deteriorated: int
    n_unchanged: int
    share_improved: float
    share_deteriorated: float
    share_unchanged: float


def reliable_change_share(
    rci: ArrayLike, threshold: float = 1.96, higher_is_better: bool = True
) -> ReliableChangeShare:
    """Classify RCIs: improved if RCI > threshold, deteriorated if RCI < −threshold.

    The sign is flipped when ``higher_is_better`` is False (e.g. a "difficulties" scale).
    NaN RCIs are excluded from n; shares are NaN when n = 0.
    """
    r = _as_float(rci).ravel()
    r = r[~np.isnan(r)]
    if not higher_is_better:
        r = -r
    n = int(r.size)
    up, down = int(np.count_nonzero(r > threshold)), int(np.count_nonzero(r < -threshold))
    same = n - up - down
    if n == 0:
        nan = float("nan")
        return ReliableChangeShare(0, 0, 0, 0, nan, nan, nan)
    return ReliableChangeShare(n, up, down, same, up / n, down / n, same / n)
