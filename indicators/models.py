"""Repeated-measures model of each scale over every wave (the primary trend estimate).

For each scale of the practitioner instrument, a linear mixed model

    score_ijt = β_0 + β_t + u_i + v_ij + e_ijt,   u_i ~ N(0, σ²_inst), v_ij ~ N(0, σ²_resp),
                                                  e_ijt ~ N(0, σ²)

with wave as a categorical fixed effect (β_t, first wave the reference), a random intercept per
institution i and a random intercept per respondent j (pseudonymous panel key) within the
institution, fitted by REML on **every** score of every selected wave: panel members and
newcomers alike, where the paired comparison uses only the people present in both waves.
The change between waves a and b is β_b − β_a (Wald interval, normal quantile at the ``ci_level``
setting); the model-based mean of a wave is β_0 + β_t (a respondent of an average institution).

**The model is nested**, as lme4's ``score ~ wave + (1 | institution/respondent)``: a respondent
who changed institution between waves is one unit in each institution; a respondent without an
institution is a cluster of their own. statsmodels fits exactly this model as
``MixedLM(groups=institution, vc_formula={"respondent": "0 + C(respondent)"})`` (the crossed
form, one group for everything, needs dense n × n matrices and is out of reach beyond a few
thousand scores), but it loops over institutions in Python: about 7 s per scale on the
50-territory benchmark warehouse (150,000 scores, 2,000 institutions). :func:`fit_nested_reml`
evaluates the same REML criterion from per-respondent and per-institution sums (the covariance
of an institution's scores is σ²I + σ²_resp·blockdiag(J) + σ²_inst·J, inverted in closed form by
two Woodbury steps), σ² profiled out and the two variance ratios optimised with L-BFGS-B under
bounds ≥ 0 (lme4's parametrisation, so a variance can reach 0). Tests check it against
statsmodels called directly and against lme4's published sleepstudy fit.

**Fallbacks** (column ``estimate``; ``note`` says why):

* ``mixed_respondent_institution``: the model above.
* ``mixed_respondent``: no institution intercept (its variance is estimated at 0 — a singular
  fit —, fewer than two institutions, or no institution with two respondents).
* ``mixed_institution``: no respondent intercept (no respondent seen twice: no repeated
  measures, or its variance at 0).
* ``wave_means``: no random effect left (ordinary least squares: the differences of wave means).
* ``none``: not estimable (fewer than ``min_group_size`` respondents, fewer than two waves with
  scores, or fewer scores than parameters): every estimate is NaN.

A fit that does not converge is retried with Nelder–Mead; if that fails too, the next simpler
model is used (note ``not_converged``).

**Selection and privacy**: scores are selected with :func:`indicators.practice.score_rows` (the
filters and the publication classes of :mod:`indicators.disclosure` apply as to every practice
indicator; the institution is only a cluster of the model, never shown); a model row with fewer
than ``min_group_size`` respondents, a wave mean or a change resting on a wave with fewer, is
suppressed (:func:`indicators.filters.suppress`).

**Speed**: one query for all scales, then about 20–60 ms of numpy per scale on the 50-territory
warehouse. Fit once per warehouse version and filter selection (the dashboard caches it).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import optimize, sparse, stats

from indicators.catalogue import Indicator
from indicators.filters import Filters
from indicators.instruments import practice_scales, wellbeing_scales
from indicators.practice import (
    ci_level,
    finish,
    scale_metadata,
    score_rows,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

ESTIMATE_FULL = "mixed_respondent_institution"
ESTIMATE_RESPONDENT = "mixed_respondent"
ESTIMATE_INSTITUTION = "mixed_institution"
ESTIMATE_OLS = "wave_means"
ESTIMATE_NONE = "none"
ESTIMATES: dict[str, tuple[str, str]] = {
    ESTIMATE_FULL: (
        "modèle à mesures répétées (répondant et structure)",
        "repeated-measures model (respondent and institution)",
    ),
    ESTIMATE_RESPONDENT: (
        "modèle à mesures répétées (répondant seulement)",
        "repeated-measures model (respondent only)",
    ),
    ESTIMATE_INSTITUTION: (
        "modèle à effet structure (sans mesures répétées)",
        "institution-level model (no repeated measures)",
    ),
    ESTIMATE_OLS: ("différence des moyennes de vague", "difference of wave means"),
    ESTIMATE_NONE: ("non estimable", "not estimable"),
}

NOTE_TOO_FEW = "too_few_respondents"
NOTE_ONE_WAVE = "one_wave"
NOTE_NO_REPEATED = "no_repeated_measures"
NOTE_ONE_INSTITUTION = "one_institution_level"
NOTE_SINGULAR_INSTITUTION = "singular_institution"
NOTE_SINGULAR_RESPONDENT = "singular_respondent"
NOTE_NOT_CONVERGED = "not_converged"
NOTES: dict[str, tuple[str, str]] = {
    NOTE_TOO_FEW: ("trop peu de répondants ou de scores", "too few respondents or scores"),
    NOTE_ONE_WAVE: ("moins de deux vagues avec des scores", "fewer than two waves with scores"),
    NOTE_NO_REPEATED: (
        "aucun répondant vu à deux vagues : pas de mesures répétées",
        "no respondent seen in two waves: no repeated measures",
    ),
    NOTE_ONE_INSTITUTION: (
        "moins de deux structures, ou aucune structure avec deux répondants : pas d'effet structure",
        "fewer than two institutions, or none with two respondents: no institution effect",
    ),
    NOTE_SINGULAR_INSTITUTION: (
        "variance entre structures estimée à 0 (ajustement singulier) : effet structure retiré",
        "between-institution variance estimated at 0 (singular fit): institution effect dropped",
    ),
    NOTE_SINGULAR_RESPONDENT: (
        "variance entre répondants estimée à 0 (ajustement singulier) : effet répondant retiré",
        "between-respondent variance estimated at 0 (singular fit): respondent effect dropped",
    ),
    NOTE_NOT_CONVERGED: (
        "l'estimation n'a pas convergé : modèle plus simple",
        "the fit did not converge: simpler model",
    ),
}

MODEL_COLUMNS = [
    "scale_id", "label_fr", "label_en", "estimate", "note", "n", "n_respondents", "n_units",
    "n_institutions", "n_without_institution", "n_waves", "n_observations", "n_repeated",
    "var_institution", "var_respondent", "var_residual", "icc_institution", "icc_respondent",
    "reml_loglike", "converged", "suppressed",
]
_MODEL_VALUES = [
    "n_respondents", "n_units", "n_institutions", "n_without_institution", "n_waves",
    "n_observations", "n_repeated", "var_institution", "var_respondent", "var_residual",
    "icc_institution", "icc_respondent", "reml_loglike",
]
CHANGE_COLUMNS = [
    "scale_id", "label_fr", "label_en", "higher_is_better", "wave_a", "wave_b", "wave_order_a",
    "wave_order_b", "estimate", "n", "n_a", "n_b", "change", "se", "ci_low", "ci_high", "z",
    "p_value", "suppressed",
]
_CHANGE_VALUES = ["n_a", "n_b", "change", "se", "ci_low", "ci_high", "z", "p_value"]
MEAN_COLUMNS = [
    "scale_id", "label_fr", "label_en", "wave_id", "wave_order", "estimate", "n", "mean", "se",
    "ci_low", "ci_high", "suppressed",
]
_MEAN_VALUES = ["mean", "se", "ci_low", "ci_high"]

_SINGULAR_TOL = 1e-4  # on θ = σ_x / σ, as lme4's isSingular()


# --------------------------------------------------------------------------- the fit


@dataclass(frozen=True)
class NestedFit:
    """REML fit of y = Xβ + institution intercept + respondent-within-institution intercept + e.

    ``var_institution`` / ``var_respondent`` are 0 when that component was left out or sits at
    the boundary (``theta`` below ``_SINGULAR_TOL``, see ``singular``)."""

    beta: FloatArray
    cov_beta: FloatArray
    var_institution: float
    var_respondent: float
    var_residual: float
    reml_loglike: float
    converged: bool
    singular_institution: bool
    singular_respondent: bool


@dataclass(frozen=True)
class _Sums:
    """Sufficient statistics of the nested model.

    A unit is a respondent within an institution; its scores enter the likelihood only through
    n_j (scores), S_j = Σ x and Y_j = Σ y. Units with the same (n_j, S_j) — with wave indicators,
    the same waves answered: a few dozen *patterns* — share every variance-dependent factor, so
    each likelihood evaluation works on patterns and on an institution × pattern table
    (sparse) instead of on units."""

    n_obs: int
    p: int
    xtx: FloatArray
    xty: FloatArray
    yty: float
    n_pat: FloatArray  # scores per unit of each pattern (K)
    s_pat: FloatArray  # S of each pattern (K × p)
    count_pat: FloatArray  # units per pattern
    y_pat: FloatArray  # Σ Y_j over the units of each pattern
    yy_pat: FloatArray  # Σ Y_j² over the units of each pattern
    count_ip: sparse.csr_matrix  # institutions × patterns: units
    y_ip: sparse.csr_matrix  # institutions × patterns: Σ Y_j


def _sums(y: FloatArray, x: FloatArray, unit: IntArray, institution_of_unit: IntArray) -> _Sums:
    n_units = institution_of_unit.size
    n_unit = np.bincount(unit, minlength=n_units).astype(np.float64)
    s_unit = np.column_stack([np.bincount(unit, weights=x[:, k], minlength=n_units) for k in range(x.shape[1])])
    y_unit = np.bincount(unit, weights=y, minlength=n_units)
    rows, pattern = _row_patterns(np.column_stack([n_unit, s_unit]))
    k = rows.shape[0]
    n_inst = int(institution_of_unit.max(initial=-1)) + 1
    shape = (n_inst, k)
    return _Sums(
        n_obs=int(y.size), p=int(x.shape[1]), xtx=x.T @ x, xty=x.T @ y, yty=float(y @ y),
        n_pat=rows[:, 0].copy(), s_pat=np.ascontiguousarray(rows[:, 1:]),
        count_pat=np.bincount(pattern, minlength=k).astype(np.float64),
        y_pat=np.bincount(pattern, weights=y_unit, minlength=k).astype(np.float64),
        yy_pat=np.bincount(pattern, weights=y_unit * y_unit, minlength=k).astype(np.float64),
        count_ip=sparse.csr_matrix((np.ones(n_units), (institution_of_unit, pattern)), shape=shape),
        y_ip=sparse.csr_matrix((y_unit, (institution_of_unit, pattern)), shape=shape),
    )


def _row_patterns(rows: FloatArray) -> tuple[FloatArray, IntArray]:
    """(distinct rows, index of each row's pattern): rows grouped by a random projection (a 1-D
    sort, much faster than ``np.unique(axis=0)``), checked exactly; every row its own pattern if
    two distinct rows ever shared a key."""
    key = rows @ np.random.default_rng(0).random(rows.shape[1])
    _, first, pattern = np.unique(key, return_index=True, return_inverse=True)
    patterns = rows[first]
    if np.array_equal(patterns[pattern], rows):
        return patterns, pattern.ravel().astype(np.int64)
    return rows, np.arange(rows.shape[0], dtype=np.int64)


@dataclass(frozen=True)
class _Profile:
    loglike: float
    beta: FloatArray
    xthx: FloatArray  # X'H⁻¹X with V = σ² H
    sigma2: float


def _profile(sums: _Sums, gamma_inst: float, gamma_resp: float) -> _Profile:
    """REML log-likelihood with σ² profiled out, at variance ratios γ = σ²_x / σ².

    With A = I + γ_resp·blockdiag(J_unit): A⁻¹ = I − γ_resp a_j J on unit j, a_j = 1 / (1 + n_j
    γ_resp), so A⁻¹1 = a_j 1; then H = A + γ_inst J per institution, inverted by Woodbury with
    m_g = Σ a_j n_j, T_g = Σ a_j S_j, U_g = Σ a_j Y_j over the institution's units."""
    a = 1.0 / (1.0 + sums.n_pat * gamma_resp)
    ga = gamma_resp * a
    s = sums.s_pat
    xtax = sums.xtx - (s * (ga * sums.count_pat)[:, None]).T @ s
    xtay = sums.xty - s.T @ (ga * sums.y_pat)
    ytay = sums.yty - float(ga @ sums.yy_pat)
    logdet = float(sums.count_pat @ np.log1p(sums.n_pat * gamma_resp))
    if gamma_inst > 0.0:
        m = sums.count_ip @ (a * sums.n_pat)
        t = sums.count_ip @ (s * a[:, None])
        u = sums.y_ip @ a
        d = gamma_inst / (1.0 + gamma_inst * m)
        xtax = xtax - (t * d[:, None]).T @ t
        xtay = xtay - t.T @ (d * u)
        ytay = ytay - float(d @ (u * u))
        logdet += float(np.log1p(gamma_inst * m).sum())
    dof = sums.n_obs - sums.p
    try:
        chol = np.linalg.cholesky(xtax)
    except np.linalg.LinAlgError:
        return _Profile(-math.inf, np.full(sums.p, np.nan), xtax, math.nan)
    beta = np.asarray(np.linalg.solve(xtax, xtay), dtype=np.float64)
    rss = ytay - float(beta @ xtay)
    if not (rss > 0 and dof > 0):
        return _Profile(-math.inf, beta, xtax, math.nan)
    sigma2 = rss / dof
    logdet_xhx = 2.0 * float(np.log(np.diag(chol)).sum())
    loglike = -0.5 * (dof * math.log(sigma2) + logdet + logdet_xhx + dof * (1.0 + math.log(2.0 * math.pi)))
    return _Profile(loglike, beta, xtax, sigma2)


def _optimise(sums: _Sums, free: tuple[bool, bool]) -> tuple[FloatArray, bool]:
    """θ = (σ_inst/σ, σ_resp/σ) maximising the profiled REML likelihood; components that are not
    ``free`` stay at 0. Returns θ and whether the optimiser converged."""
    idx = [k for k in range(2) if free[k]]
    if not idx:
        return np.zeros(2), True

    def full(th: FloatArray) -> FloatArray:
        out = np.zeros(2)
        out[idx] = th
        return out

    def objective(th: FloatArray) -> float:
        theta = full(np.abs(th))
        value = -_profile(sums, theta[0] ** 2, theta[1] ** 2).loglike
        return value if math.isfinite(value) else 1e300

    start = np.full(len(idx), 0.5)
    res = optimize.minimize(objective, start, method="L-BFGS-B", bounds=[(0.0, None)] * len(idx))
    if res.success:
        return full(np.abs(res.x)), True
    res2 = optimize.minimize(objective, start, method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-8})
    best = res2 if res2.fun <= res.fun else res
    return full(np.abs(best.x)), bool(res2.success)


def _units(respondent: IntArray, institution: IntArray) -> tuple[IntArray, IntArray]:
    """(unit code per observation, institution code per unit): a unit is a respondent within an
    institution."""
    width = int(respondent.max(initial=0)) + 1
    keys, unit = np.unique(institution * width + respondent, return_inverse=True)
    return unit.astype(np.int64), (keys // width).astype(np.int64)


def _fit_sums(sums: _Sums, institution_effect: bool, respondent_effect: bool) -> NestedFit:
    theta, converged = _optimise(sums, (institution_effect, respondent_effect))
    singular = (institution_effect and theta[0] < _SINGULAR_TOL, respondent_effect and theta[1] < _SINGULAR_TOL)
    theta = np.where(theta < _SINGULAR_TOL, 0.0, theta)
    prof = _profile(sums, theta[0] ** 2, theta[1] ** 2)
    ok = math.isfinite(prof.sigma2)
    cov = np.asarray(prof.sigma2 * np.linalg.inv(prof.xthx) if ok else np.full((sums.p, sums.p), np.nan),
                     dtype=np.float64)
    return NestedFit(
        beta=prof.beta,
        cov_beta=cov,
        var_institution=float(theta[0] ** 2 * prof.sigma2),
        var_respondent=float(theta[1] ** 2 * prof.sigma2),
        var_residual=float(prof.sigma2),
        reml_loglike=float(prof.loglike),
        converged=bool(converged and math.isfinite(prof.loglike)),
        singular_institution=bool(singular[0]),
        singular_respondent=bool(singular[1]),
    )


def fit_nested_reml(
    y: Sequence[float] | FloatArray,
    x: FloatArray,
    respondent: Sequence[int] | IntArray,
    institution: Sequence[int] | IntArray,
    institution_effect: bool = True,
    respondent_effect: bool = True,
) -> NestedFit:
    """REML fit of ``y = Xβ + u_institution + v_respondent(institution) + e``.

    ``respondent`` and ``institution``: non-negative integer codes per observation (a
    respondent appearing in two institutions is two units, as lme4's
    ``(1 | institution/respondent)``); ``x`` the fixed design (full column rank). Components
    switched off are fixed at 0. The covariance of β is σ²(X'H⁻¹X)⁻¹ at the REML estimates (as
    lme4's ``vcov``). No exception for a degenerate fit: NaN estimates, ``converged`` False."""
    yv = np.asarray(y, dtype=np.float64)
    xv = np.asarray(x, dtype=np.float64)
    unit, institution_of_unit = _units(np.asarray(respondent, dtype=np.int64), np.asarray(institution, dtype=np.int64))
    return _fit_sums(_sums(yv, xv, unit, institution_of_unit), institution_effect, respondent_effect)


# --------------------------------------------------------------------------- one scale


@dataclass(frozen=True)
class _ScaleData:
    y: FloatArray
    wave: IntArray  # position in the scale's waves
    respondent: IntArray  # 0..n_respondents − 1
    institution: IntArray  # 0..; respondents without an institution: a cluster of their own
    waves: list[str]
    wave_orders: list[int]
    n_without_institution: int

    @property
    def n_respondents(self) -> int:
        return int(self.respondent.max(initial=-1)) + 1

    @property
    def n_clusters(self) -> int:
        return int(self.institution.max(initial=-1)) + 1


@dataclass(frozen=True)
class _Chosen:
    estimate: str
    notes: list[str]
    fit: NestedFit | None
    n_units: int = 0
    n_repeated: int = 0


def _wave_design(data: _ScaleData) -> FloatArray:
    """Intercept and one indicator per wave after the first."""
    x = np.zeros((data.y.size, len(data.waves)))
    x[:, 0] = 1.0
    rows = np.flatnonzero(data.wave > 0)
    x[rows, data.wave[rows]] = 1.0
    return x


def _choose(data: _ScaleData, min_respondents: int) -> _Chosen:
    """Fit the fullest estimable model, falling back as the module docstring says."""
    p = len(data.waves)
    if p < 2:
        return _Chosen(ESTIMATE_NONE, [NOTE_ONE_WAVE], None)
    if data.n_respondents < min_respondents or data.y.size < p + 3:
        return _Chosen(ESTIMATE_NONE, [NOTE_TOO_FEW], None)
    unit, institution_of_unit = _units(data.respondent, data.institution)
    repeated = int((np.bincount(unit) >= 2).sum())
    notes: list[str] = []
    use_resp = repeated > 0
    if not use_resp:
        notes.append(NOTE_NO_REPEATED)
    units_per_cluster = np.bincount(institution_of_unit)
    use_inst = bool(data.n_clusters - data.n_without_institution >= 2 and (units_per_cluster >= 2).any())
    if not use_inst:
        notes.append(NOTE_ONE_INSTITUTION)
    sums = _sums(data.y, _wave_design(data), unit, institution_of_unit)
    while True:
        fit = _fit_sums(sums, use_inst, use_resp)
        if not fit.converged and (use_inst or use_resp):
            notes.append(NOTE_NOT_CONVERGED)
            use_inst, use_resp = (False, use_resp) if use_inst else (False, False)
            continue
        if fit.singular_institution:
            notes.append(NOTE_SINGULAR_INSTITUTION)
            use_inst = False
            continue
        if fit.singular_respondent:
            notes.append(NOTE_SINGULAR_RESPONDENT)
            use_resp = False
            continue
        break
    estimate = {
        (True, True): ESTIMATE_FULL,
        (False, True): ESTIMATE_RESPONDENT,
        (True, False): ESTIMATE_INSTITUTION,
        (False, False): ESTIMATE_OLS,
    }[(use_inst, use_resp)]
    if not fit.converged:
        return _Chosen(ESTIMATE_NONE, [*notes, NOTE_NOT_CONVERGED], None, int(institution_of_unit.size), repeated)
    return _Chosen(estimate, notes, fit, int(institution_of_unit.size), repeated)


def _model_row(data: _ScaleData, chosen: _Chosen) -> dict[str, Any]:
    fit = chosen.fit
    row: dict[str, Any] = {
        "estimate": chosen.estimate,
        "note": ",".join(dict.fromkeys(chosen.notes)) or None,
        "n": data.n_respondents,
        "n_respondents": data.n_respondents,
        "n_units": chosen.n_units,
        "n_institutions": data.n_clusters - data.n_without_institution,
        "n_without_institution": data.n_without_institution,
        "n_waves": len(data.waves),
        "n_observations": int(data.y.size),
        "n_repeated": chosen.n_repeated,
        "converged": bool(fit.converged) if fit is not None else False,
    }
    if fit is None:
        return row | {k: math.nan for k in ("var_institution", "var_respondent", "var_residual",
                                              "icc_institution", "icc_respondent", "reml_loglike")}
    total = fit.var_institution + fit.var_respondent + fit.var_residual
    return row | {
        "var_institution": fit.var_institution,
        "var_respondent": fit.var_respondent,
        "var_residual": fit.var_residual,
        "icc_institution": fit.var_institution / total if total > 0 else math.nan,
        "icc_respondent": (fit.var_institution + fit.var_respondent) / total if total > 0 else math.nan,
        "reml_loglike": fit.reml_loglike,
    }


def _contrast(fit: NestedFit | None, c: FloatArray, z: float) -> tuple[float, float, float, float, float, float]:
    """(estimate, se, ci_low, ci_high, z, p) of c'β."""
    if fit is None:
        return (math.nan,) * 6
    est = float(c @ fit.beta)
    var = float(c @ fit.cov_beta @ c)
    se = math.sqrt(var) if var >= 0 else math.nan
    zz = est / se if se > 0 else math.nan
    p = float(2.0 * stats.norm.sf(abs(zz))) if math.isfinite(zz) else math.nan
    return est, se, est - z * se, est + z * se, zz, p


def _scale_rows(
    data: _ScaleData, chosen: _Chosen, z: float
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of the wave means and of the changes between every two waves."""
    p = len(data.waves)
    n_by_wave = np.bincount(data.wave, minlength=p)
    means, changes = [], []
    for k in range(p):
        c = np.zeros(p)
        c[0] = 1.0
        if k:
            c[k] = 1.0
        est, se, lo, hi, _, _ = _contrast(chosen.fit, c, z)
        means.append({"wave_id": data.waves[k], "wave_order": data.wave_orders[k], "estimate": chosen.estimate,
                      "n": int(n_by_wave[k]), "mean": est, "se": se, "ci_low": lo, "ci_high": hi})
    for a, b in itertools.combinations(range(p), 2):
        c = np.zeros(p)
        if a:
            c[a] = -1.0
        c[b] = 1.0
        est, se, lo, hi, zz, pv = _contrast(chosen.fit, c, z)
        changes.append({
            "wave_a": data.waves[a], "wave_b": data.waves[b], "wave_order_a": data.wave_orders[a],
            "wave_order_b": data.wave_orders[b], "estimate": chosen.estimate,
            "n": int(n_by_wave[a] + n_by_wave[b]), "n_a": int(n_by_wave[a]), "n_b": int(n_by_wave[b]),
            "_n_min": int(min(n_by_wave[a], n_by_wave[b])), "change": est, "se": se, "ci_low": lo,
            "ci_high": hi, "z": zz, "p_value": pv,
        })
    return means, changes


# --------------------------------------------------------------------------- reading


def _scores(
    conn: duckdb.DuckDBPyConnection, filters: Filters, scales: Sequence[str]
) -> dict[str, NDArray[Any]]:
    """Every score of the selected respondents on ``scales``, with integer codes (strings are
    numbered once per distinct value, not carried per score): scale (position in ``scales``,
    from 1), wave_order, resp, inst (−1 when the respondent gave no institution), score."""
    rel, rel_params = score_rows(conn, filters, scales)
    sql = f"""
        WITH sel AS (
            SELECT q.scale_id, q.wave_id, q.respondent_id, r.institution_id, q.score
            FROM ({rel}) q
            JOIN survey_respondents r ON r.wave_id = q.wave_id AND r.respondent_id = q.respondent_id
        ),
        rk AS (SELECT respondent_id, CAST(row_number() OVER () AS INTEGER) AS code
               FROM (SELECT DISTINCT respondent_id FROM sel)),
        ik AS (SELECT institution_id, CAST(row_number() OVER () AS INTEGER) AS code
               FROM (SELECT DISTINCT institution_id FROM sel WHERE institution_id IS NOT NULL))
        SELECT CAST(list_position(?, sel.scale_id) AS INTEGER) AS scale,
               CAST(w.wave_order AS INTEGER) AS wave_order, rk.code AS resp,
               coalesce(ik.code, -1) AS inst, sel.score
        FROM sel JOIN rk USING (respondent_id) LEFT JOIN ik USING (institution_id)
        JOIN waves w ON w.wave_id = sel.wave_id
    """
    return conn.execute(sql, [*rel_params, list(scales)]).fetchnumpy()


def _scale_data(
    res: dict[str, NDArray[Any]], rows: IntArray, wave_ids: dict[int, str]
) -> _ScaleData:
    """One scale's scores (``rows`` of :func:`_scores`), waves and clusters renumbered from 0."""
    orders = np.asarray(res["wave_order"][rows], dtype=np.int64)
    present = np.flatnonzero(np.bincount(orders)) if orders.size else np.empty(0, dtype=np.int64)
    lookup = np.zeros(int(present.max(initial=0)) + 1, dtype=np.int64)
    lookup[present] = np.arange(present.size)
    resp = np.asarray(res["resp"][rows], dtype=np.int64)
    inst = np.asarray(res["inst"][rows], dtype=np.int64)
    missing = inst < 0
    n_missing = int(np.unique(resp[missing]).size) if missing.any() else 0
    # respondents without an institution: a cluster each, numbered after the real ones
    inst = np.where(missing, int(inst.max(initial=0)) + 1 + resp, inst)
    return _ScaleData(
        y=np.asarray(res["score"][rows], dtype=np.float64),
        wave=lookup[orders],
        respondent=_dense(resp),
        institution=_dense(inst),
        waves=[wave_ids[int(o)] for o in present],
        wave_orders=[int(o) for o in present],
        n_without_institution=n_missing,
    )


def _dense(codes: IntArray) -> IntArray:
    """Codes renumbered 0..k−1 (order kept)."""
    if not codes.size:
        return codes
    seen = np.zeros(int(codes.max()) + 1, dtype=bool)
    seen[codes] = True
    return (np.cumsum(seen) - 1)[codes].astype(np.int64)


# --------------------------------------------------------------------------- public


@dataclass(frozen=True)
class RepeatedMeasures:
    """The repeated-measures model of each scale: ``models`` (one row per scale, MODEL_COLUMNS),
    ``changes`` (scale × pair of waves, CHANGE_COLUMNS), ``means`` (scale × wave, MEAN_COLUMNS)."""

    models: pd.DataFrame
    changes: pd.DataFrame
    means: pd.DataFrame


def repeated_measures(
    conn: duckdb.DuckDBPyConnection, filters: Filters, scales: Sequence[str] | None = None
) -> RepeatedMeasures:
    """Fit the repeated-measures model of each scale (module docstring) over the selected waves.

    ``scales``: the four practice scales and the two wellbeing scales by default (any scale id
    of the practitioner instrument). Filters: ``waves`` selects the waves entering the model;
    territory, sector, role and level select each wave's respondents on their answers of that
    wave (as :func:`indicators.practice.scale_summary`).
    Missing data: a respondent without a score in a wave (too few items answered, or absent)
    simply has fewer scores; the model uses every score present (valid under missing at random
    given the earlier scores of the same person and institution, unlike the paired comparison
    which needs complete pairs).

    ``models`` columns: scale_id, label_fr, label_en, estimate (which model, see
    :data:`ESTIMATES`), note (comma-separated ids of :data:`NOTES`, or None), n (= respondents),
    n_respondents, n_units (respondent × institution units), n_institutions,
    n_without_institution, n_waves, n_observations (scores), n_repeated (respondents with ≥ 2
    scores), var_institution, var_respondent, var_residual (REML variance components),
    icc_institution = σ²_inst / total (correlation of two colleagues' scores),
    icc_respondent = (σ²_inst + σ²_resp) / total (correlation of one person's scores at two
    waves), reml_loglike, converged, suppressed.
    ``changes`` columns: scale_id, label_fr, label_en, higher_is_better, wave_a, wave_b,
    wave_order_a, wave_order_b, estimate, n (= n_a + n_b), n_a, n_b (respondents with a score in
    each wave), change = β_b − β_a, se, ci_low, ci_high, z, p_value (Wald, normal), suppressed
    (when n_a or n_b < min_group_size). Every pair a before b of the waves with scores.
    ``means`` columns: scale_id, label_fr, label_en, wave_id, wave_order, estimate, n
    (respondents with a score that wave), mean = β_0 + β_wave, se, ci_low, ci_high, suppressed.
    """
    chosen_scales = tuple(scales) if scales is not None else (*practice_scales(conn), *wellbeing_scales(conn))
    meta = scale_metadata(conn, chosen_scales)
    res = _scores(conn, filters, list(meta["scale_id"]))
    wave_ids = {int(o): str(w) for w, o in conn.execute("SELECT wave_id, wave_order FROM waves").fetchall()}
    scale_code = np.asarray(res["scale"], dtype=np.int64)
    order = np.argsort(scale_code, kind="stable")
    bounds = np.searchsorted(scale_code[order], np.arange(1, len(meta) + 2))
    z = float(stats.norm.ppf(0.5 + ci_level() / 2.0))
    models, changes, means = [], [], []
    for k, rec in enumerate(meta.itertuples(index=False)):
        data = _scale_data(res, order[bounds[k] : bounds[k + 1]], wave_ids)
        chosen = _choose(data, filters.min_group_size)
        base = {"scale_id": rec.scale_id, "label_fr": rec.label_fr, "label_en": rec.label_en}
        models.append(base | _model_row(data, chosen))
        m, c = _scale_rows(data, chosen, z)
        means += [base | r for r in m]
        changes += [base | {"higher_is_better": bool(rec.higher_is_better)} | r for r in c]
    models_df = pd.DataFrame(models, columns=[c for c in MODEL_COLUMNS if c != "suppressed"])
    changes_df = pd.DataFrame(changes, columns=[*[c for c in CHANGE_COLUMNS if c != "suppressed"], "_n_min"])
    means_df = pd.DataFrame(means, columns=[c for c in MEAN_COLUMNS if c != "suppressed"])
    for df in (models_df, changes_df, means_df):
        for col in ("n", "n_a", "n_b", "_n_min"):
            if col in df.columns:
                df[col] = pd.to_numeric(df[col]).astype("int64")
    if not changes_df.empty:
        changes_df["higher_is_better"] = changes_df["higher_is_better"].astype(bool)
    return RepeatedMeasures(
        models=finish(models_df, filters, MODEL_COLUMNS, _MODEL_VALUES),
        changes=finish(changes_df, filters, CHANGE_COLUMNS, _CHANGE_VALUES, n_col="_n_min"),
        means=finish(means_df, filters, MEAN_COLUMNS, _MEAN_VALUES),
    )


# --------------------------------------------------------------------------- catalogue

INDICATORS: list[Indicator] = [
    Indicator(
        id="practice.repeated_measures_change",
        family="practice",
        title_fr="Évolution estimée par le modèle à mesures répétées",
        title_en="Change estimated by the repeated-measures model",
        definition_fr=(
            "Pour chaque échelle, un modèle linéaire mixte estime l'évolution du score entre deux "
            "vagues quelconques à partir de tous les répondants de toutes les vagues (le panel et "
            "les nouveaux venus), en tenant compte de ce que les réponses d'une même personne, et "
            "celles des collègues d'une même structure, se ressemblent. C'est l'estimation "
            "principale de la tendance ; les moyennes descriptives l'accompagnent. Donne aussi la "
            "moyenne estimée de chaque vague, les corrélations intraclasse et le nombre de "
            "répondants, de structures et de vagues."
        ),
        definition_en=(
            "For each scale, a linear mixed model estimates the change of the score between any "
            "two waves from every respondent of every wave (the panel and the newcomers), taking "
            "into account that the answers of one person, and those of colleagues in one "
            "institution, are alike. It is the primary trend estimate; the descriptive means go "
            "with it. Also gives each wave's estimated mean, the intraclass correlations and the "
            "numbers of respondents, institutions and waves."
        ),
        formula=(
            "score = β_0 + β_wave + u_institution + v_respondent(institution) + e, u ~ N(0, σ²_inst), "
            "v ~ N(0, σ²_resp), e ~ N(0, σ²), REML; change(a → b) = β_b − β_a ± z · se (Wald); "
            "ICC_institution = σ²_inst / (σ²_inst + σ²_resp + σ²), ICC_respondent = (σ²_inst + "
            "σ²_resp) / total. Fallback when not estimable: model without the institution or the "
            "respondent intercept (singular fit, no repeated measures), then the difference of "
            "wave means; the column estimate says which"
        ),
        formula_fr=(
            "score = β_0 + β_vague + u_structure + v_répondant(structure) + e, u ~ N(0, σ²_str), "
            "v ~ N(0, σ²_rép), e ~ N(0, σ²), estimation par maximum de vraisemblance restreinte "
            "(REML) ; évolution(a → b) = β_b − β_a ± z · es (Wald) ; CCI_structure = σ²_str / "
            "(σ²_str + σ²_rép + σ²), CCI_répondant = (σ²_str + σ²_rép) / total. Repli quand le "
            "modèle n'est pas estimable : modèle sans l'effet structure ou sans l'effet répondant "
            "(ajustement singulier, pas de mesures répétées), puis différence des moyennes de "
            "vague ; la colonne estimate indique lequel"
        ),
        unit="score points of the scale",
        sources=("survey_scores", "survey_respondents", "survey_scales", "waves"),
        missing_data=(
            "Every available score is used: a respondent absent from a wave, or without a score "
            "(too few items answered), has fewer scores. Valid if missingness depends only on what "
            "is in the model (missing at random), a weaker assumption than the paired comparison's. "
            "A respondent without an institution is a cluster of their own; one who changed "
            "institution counts as one unit in each."
        ),
        missing_data_fr=(
            "Tous les scores disponibles sont utilisés : un répondant absent d'une vague, ou sans "
            "score (trop peu d'items renseignés), a simplement moins de scores. Valide si la "
            "non-réponse ne dépend que de ce que le modèle contient (données manquantes au hasard), "
            "hypothèse plus faible que celle de la comparaison appariée. Un répondant sans "
            "structure forme un groupe à lui seul ; celui qui a changé de structure compte comme "
            "une unité dans chacune."
        ),
        caveats=(
            "Observational: a change over time is not the effect of the partnership. Intervals "
            "use the normal quantile: slightly narrow with few institutions. Unweighted: for the "
            "invited population see practice.weighted_trend. Scales are comparable across waves "
            "only if their items are (codebook versions)."
        ),
        caveats_fr=(
            "Étude observationnelle : une évolution dans le temps n'est pas l'effet du partenariat. "
            "Les intervalles utilisent le quantile de la loi normale : un peu étroits quand il y a "
            "peu de structures. Non pondéré : pour la population invitée, voir "
            "practice.weighted_trend. Les échelles ne sont comparables d'une vague à l'autre que "
            "si leurs items le sont (versions du dictionnaire)."
        ),
        function="indicators.models.repeated_measures",
    ),
]
