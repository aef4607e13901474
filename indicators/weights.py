"""Weights for non-response and for panel attrition, and the trends they change.

**Response weights** (:func:`response_weights`, :func:`weight_summary`, :func:`weight_cells`,
:func:`weighted_trend`): each wave's practitioner respondents are weighted to the invited
population of ``population_targets`` (the ``targets`` instrument), so that a sector or a
territory that answered less counts as much as it was invited.

* The targets of a wave define *margins*, one per shape of its rows: rows with a sector and a
  territory give the sector × territory cells, rows with a sector only the sector totals, rows
  with a territory only the territory totals (a row with neither: the wave total). The
  ``targets`` instrument has no role column, so role cannot be a margin.
* One margin → **post-stratification** (weight of a respondent = target of their class /
  respondents of that class). Several → **raking** (iterative proportional fitting: the weights
  are scaled margin after margin until every margin matches, tolerance 10⁻⁶ relative). When
  sector × territory cells are given but some hold no respondent, post-stratification cannot
  represent them: the wave is raked instead on the sector and territory totals of those cells
  (``method`` = ``raking (empty cells)``), so the empty cells' people are carried by their
  sector and their territory.
* **Trimming**: no weight above ``trim_ratio`` (default 5) times the wave's mean weight; the
  capped weights are fixed and the others re-raked, in turns, until both hold (trimmed raking;
  the margins may then be missed by a little, see ``max_margin_error``).
* Respondents without a sector or territory, or in a class without a target, get no weight
  (``n_uncovered``); target classes without a respondent are ``population_uncovered``.
* Weights sum to the covered invited population (expansion weights). Kish's design effect
  deff = n Σw² / (Σw)² and effective sample size n_eff = (Σw)² / Σw² = n / deff say what the
  weighting costs in precision.
* Weights are computed on every respondent of a wave (the whole sample), whatever the filters;
  the filters then select the respondents whose figures are shown (a domain of the weighted
  sample: the usual way, since a target cannot be split by role or level).

**Attrition weights** (:func:`attrition_weights`): among the respondents of wave a, a logistic
model (statsmodels) of answering wave b again on wave-a covariates (sector, territory, level,
years in post, the wave-a score of a scale); stayers are weighted by 1 / p̂ (their number then
equals wave a's), trimmed like the response weights, so that the panel looks like wave a again.
The model's coefficients (odds ratios) and the covariate balance before and after weighting
(standardised mean differences) are returned.

Privacy: every figure about respondents goes through :func:`indicators.filters.suppress`; the
weight of a cell reveals its number of respondents (target / n), so cells under
``min_group_size`` are suppressed with complementary suppression within the wave; categories
with fewer than ``min_group_size`` stayers or leavers are merged before the attrition model,
so that no coefficient or balance row rests on fewer.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from indicators.catalogue import Indicator
from indicators.filters import Filters
from indicators.instruments import practice_scales
from indicators.practice import (
    ci_level,
    finish,
    query_frame,
    scale_metadata,
    score_rows,
    selected,
    sort_rows,
)
from indicators.stats import t_interval

FloatArray = NDArray[np.float64]

DEFAULT_TRIM_RATIO = 5.0
_TOL = 1e-6
_MAX_CYCLES = 200

METHOD_POSTSTRAT = "poststratification"
METHOD_RAKING = "raking"
METHOD_RAKING_EMPTY = "raking (empty cells)"
METHOD_NONE = "none"
METHODS: dict[str, tuple[str, str]] = {
    METHOD_POSTSTRAT: ("post-stratification", "post-stratification"),
    METHOD_RAKING: ("calage sur marges (raking)", "raking on margins"),
    METHOD_RAKING_EMPTY: (
        "calage sur marges (cellules vides : marges secteur et territoire)",
        "raking (empty cells: sector and territory margins)",
    ),
    METHOD_NONE: ("pas d'effectif cible : pas de pondération", "no target population: no weights"),
}

SUMMARY_COLUMNS = [
    "wave_id", "wave_order", "method", "margins", "n", "n_weighted", "n_uncovered",
    "population", "population_uncovered", "weight_mean", "weight_min", "weight_max",
    "max_weight_ratio", "trim_ratio", "n_trimmed", "deff_kish", "n_effective",
    "max_margin_error", "converged", "suppressed",
]
_SUMMARY_VALUES = [
    "n_weighted", "n_uncovered", "population", "weight_mean", "weight_min", "weight_max",
    "max_weight_ratio", "n_trimmed", "deff_kish", "n_effective",
]
CELL_COLUMNS = [
    "wave_id", "wave_order", "sector_id", "territory", "n", "target_n", "sample_share",
    "population_share", "weight", "weight_ratio", "trimmed", "suppressed",
]
_CELL_VALUES = ["sample_share", "population_share", "weight", "weight_ratio"]
TREND_COLUMNS = [
    "wave_id", "wave_order", "scale_id", "label_fr", "label_en", "n", "mean", "sd", "ci_low",
    "ci_high", "n_weighted", "mean_weighted", "se_weighted", "ci_low_weighted",
    "ci_high_weighted", "deff_kish", "n_effective", "method", "suppressed",
]
_TREND_VALUES = [
    "mean", "sd", "ci_low", "ci_high", "n_weighted", "mean_weighted", "se_weighted",
    "ci_low_weighted", "ci_high_weighted", "deff_kish", "n_effective",
]
ATTRITION_SUMMARY_COLUMNS = [
    "wave_a", "wave_b", "scale_id", "n", "n_retained", "n_left", "retention", "covariates",
    "note", "converged", "pseudo_r2", "auc", "weight_min", "weight_max", "max_weight_ratio",
    "n_trimmed", "deff_kish", "n_effective", "max_abs_smd_before", "max_abs_smd_after",
    "suppressed",
]
_ATTRITION_SUMMARY_VALUES = [
    "n_retained", "n_left", "retention", "pseudo_r2", "auc", "weight_min", "weight_max",
    "max_weight_ratio", "n_trimmed", "deff_kish", "n_effective", "max_abs_smd_before",
    "max_abs_smd_after",
]
ATTRITION_MODEL_COLUMNS = [
    "term", "covariate", "level", "n", "estimate", "se", "z", "p_value", "odds_ratio",
    "ci_low", "ci_high", "suppressed",
]
_ATTRITION_MODEL_VALUES = ["estimate", "se", "z", "p_value", "odds_ratio", "ci_low", "ci_high"]
BALANCE_COLUMNS = [
    "covariate", "level", "n", "mean_wave_a", "mean_retained", "mean_retained_weighted",
    "sd_wave_a", "smd_before", "smd_after", "suppressed",
]
_BALANCE_VALUES = ["mean_wave_a", "mean_retained", "mean_retained_weighted", "sd_wave_a", "smd_before", "smd_after"]

NOTE_NO_ATTRITION = "no_attrition"
NOTE_TOO_FEW = "too_few"
NOTE_SEPARATION = "separation"
NOTE_NOT_CONVERGED = "not_converged"
ATTRITION_NOTES: dict[str, tuple[str, str]] = {
    NOTE_NO_ATTRITION: ("personne n'a quitté le panel : pas de pondération", "nobody left the panel: no weights"),
    NOTE_TOO_FEW: (
        "moins de {n} personnes restées ou parties : pas de modèle",
        "fewer than {n} people stayed or left: no model",
    ),
    NOTE_SEPARATION: (
        "séparation complète : covariables retirées jusqu'à un modèle estimable",
        "complete separation: covariates dropped until the model is estimable",
    ),
    NOTE_NOT_CONVERGED: ("le modèle n'a pas convergé", "the model did not converge"),
}


# --------------------------------------------------------------------------- raking


@dataclass(frozen=True)
class RakeResult:
    """Per-cell weights of :func:`rake` (a weight per respondent of the cell)."""

    weights: FloatArray
    converged: bool
    max_margin_error: float  # max over classes of |weighted total − target| / target
    trimmed: NDArray[np.bool_]  # cells whose weight was capped


def rake(
    counts: Sequence[float] | FloatArray,
    margins: Sequence[tuple[Sequence[int] | NDArray[np.int64], Sequence[float] | FloatArray]],
    trim_ratio: float | None = DEFAULT_TRIM_RATIO,
) -> RakeResult:
    """Trimmed raking of cell weights.

    ``counts``: respondents per cell (> 0). ``margins``: for each margin, (class of each cell,
    target of each class); classes are 0..k−1 and every cell must belong to a class with a
    target > 0. One margin is post-stratification (exact in one step). With ``trim_ratio``, no
    cell weight exceeds trim_ratio × the mean weight per respondent: capped cells are held at
    the cap while the others are raked again, until the caps and the margins both hold or
    ``_MAX_CYCLES`` cycles have passed (``converged`` False)."""
    n = np.asarray(counts, dtype=np.float64)
    classes = [np.asarray(c, dtype=np.int64) for c, _ in margins]
    targets = [np.asarray(t, dtype=np.float64) for _, t in margins]
    w = np.ones(n.size)
    capped = np.zeros(n.size, dtype=bool)
    converged = False
    for _ in range(_MAX_CYCLES):
        for cls, tgt in zip(classes, targets, strict=True):
            free_total = np.bincount(cls, weights=np.where(capped, 0.0, n * w), minlength=tgt.size)
            fixed_total = np.bincount(cls, weights=np.where(capped, n * w, 0.0), minlength=tgt.size)
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(free_total > 0, (tgt - fixed_total) / free_total, 1.0)
            w = np.where(capped, w, w * np.maximum(factor[cls], 0.0))
        if trim_ratio is not None and n.sum() > 0:
            cap = trim_ratio * float((n * w).sum() / n.sum())
            over = w > cap * (1 + 1e-12)
            if over.any():
                capped |= over
                w = np.where(over, cap, w)
                continue
        error = _margin_error(n, w, classes, targets)
        if error < _TOL:
            converged = True
            break
        if trim_ratio is not None and capped.any():
            # with caps held, the margins can only be approached: stop when nothing moves
            cap = trim_ratio * float((n * w).sum() / n.sum())
            w = np.where(capped, cap, w)
    return RakeResult(w, converged, _margin_error(n, w, classes, targets), capped)


def _margin_error(n: FloatArray, w: FloatArray, classes: list[NDArray[np.int64]], targets: list[FloatArray]) -> float:
    errors = [0.0]
    for cls, tgt in zip(classes, targets, strict=True):
        total = np.bincount(cls, weights=n * w, minlength=tgt.size)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.abs(total - tgt) / np.where(tgt > 0, tgt, np.nan)
        errors.append(float(np.nanmax(rel)) if np.isfinite(rel).any() else 0.0)
    return max(errors)


def kish(weights: Sequence[float] | FloatArray) -> tuple[float, float]:
    """(Kish design effect n Σw² / (Σw)², effective sample size (Σw)² / Σw²) of the finite,
    positive weights; NaN without any."""
    w = np.asarray(weights, dtype=np.float64)
    w = w[np.isfinite(w) & (w > 0)]
    if not w.size:
        return math.nan, math.nan
    s1, s2 = float(w.sum()), float((w * w).sum())
    return w.size * s2 / (s1 * s1), s1 * s1 / s2


# --------------------------------------------------------------------------- response weights


def _wave_respondents(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Every practitioner respondent of the selected waves (metadata filters ignored: weights are
    computed on the whole sample): wave_id, wave_order, respondent_id, sector_id, territory,
    and ``selected``, whether the filters select them (:func:`indicators.practice.selected`: the
    publication classes of :mod:`indicators.disclosure`)."""
    where, params = filters.wave_where("x.wave_id")
    everyone = query_frame(
        conn,
        f"""
        SELECT x.wave_id, w.wave_order, x.respondent_id, x.sector_id, x.territory
        FROM survey_respondents x JOIN waves w ON w.wave_id = x.wave_id
        WHERE {where}
        """,
        params,
    )
    rows = f"SELECT x.wave_id, x.respondent_id FROM survey_respondents x WHERE {where}"
    rel, rel_params = selected(conn, filters, rows, params, ("wave_id",))
    chosen = query_frame(conn, f"SELECT DISTINCT wave_id, respondent_id FROM ({rel}) q", rel_params)
    out = everyone.merge(chosen.assign(selected=True), on=["wave_id", "respondent_id"], how="left")
    out["selected"] = out["selected"].astype("boolean").fillna(False).astype(bool)
    return out


def _targets(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    where, params = filters.wave_where("wave_id")
    return query_frame(
        conn,
        f"SELECT wave_id, sector_id, territory, sum(target_n) AS target_n FROM population_targets "
        f"WHERE {where} GROUP BY ALL",
        params,
    )


@dataclass(frozen=True)
class _WaveWeights:
    cells: pd.DataFrame  # sector_id, territory, n, weight, trimmed, target_n
    method: str
    margins: str
    converged: bool
    max_margin_error: float
    population_uncovered: float


_SHAPES = {
    (True, True): ("sector_id", "territory"),
    (True, False): ("sector_id",),
    (False, True): ("territory",),
    (False, False): (),
}


def _margins_of(targets: pd.DataFrame) -> list[tuple[tuple[str, ...], pd.DataFrame]]:
    """The wave's margins: (class columns, target rows) per shape of its target rows."""
    shape = list(zip(targets["sector_id"].notna(), targets["territory"].notna(), strict=True))
    out = []
    for key in ((True, True), (True, False), (False, True), (False, False)):
        rows = targets[[s == key for s in shape]]
        if len(rows):
            cols = _SHAPES[key]
            out.append((cols, rows.groupby(list(cols), dropna=False)["target_n"].sum().reset_index()
                        if cols else pd.DataFrame({"target_n": [rows["target_n"].sum()]})))
    return out


def _wave_weights(resp: pd.DataFrame, targets: pd.DataFrame, trim_ratio: float | None) -> _WaveWeights:
    """Cell weights of one wave's respondents (columns sector_id, territory) to its targets."""
    cells = (
        resp.groupby(["sector_id", "territory"], dropna=False).size().rename("n").reset_index()
    )
    cells["weight"] = np.nan
    cells["trimmed"] = False
    cells["target_n"] = np.nan
    margins = _margins_of(targets)
    if not margins or cells.empty:
        return _WaveWeights(cells, METHOD_NONE, "", False, math.nan, float(targets["target_n"].sum()))
    method = METHOD_POSTSTRAT if len(margins) == 1 else METHOD_RAKING
    full = next((m for cols, m in margins if cols == ("sector_id", "territory")), None)
    if full is not None:
        known = cells.merge(full, on=["sector_id", "territory"], how="left", suffixes=("", "_t"))
        cells["target_n"] = known["target_n_t"].to_numpy()
        empty = full.merge(cells[["sector_id", "territory"]], how="left", indicator=True)
        if (empty["_merge"] == "left_only").any():
            method = METHOD_RAKING_EMPTY
            sector = full.groupby("sector_id")["target_n"].sum().reset_index()
            territory = full.groupby("territory")["target_n"].sum().reset_index()
            margins = [
                m for m in margins if m[0] != ("sector_id", "territory")
            ] + [(("sector_id",), sector), (("territory",), territory)]
    covered = np.ones(len(cells), dtype=bool)
    coded: list[tuple[NDArray[np.int64], FloatArray, pd.DataFrame]] = []
    for cols, rows in margins:
        if cols:
            key = cells[list(cols)].merge(rows.reset_index(), on=list(cols), how="left")["index"]
            cls = key.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            cls = np.zeros(len(cells))
        covered &= np.isfinite(cls)
        coded.append((cls, rows["target_n"].to_numpy(np.float64), rows))
    uncovered_pop = 0.0
    margin_inputs = []
    for cls, tgt, _rows in coded:
        c = cls[covered].astype(np.int64)
        present = np.bincount(c, minlength=tgt.size) > 0
        uncovered_pop = max(uncovered_pop, float(tgt[~present].sum()))
        # classes without respondents cannot be matched: leave them out of this margin
        renum = np.cumsum(present) - 1
        margin_inputs.append((renum[c], tgt[present]))
    counts = cells["n"].to_numpy(np.float64)[covered]
    if not covered.any():
        return _WaveWeights(cells, METHOD_NONE, "", False, math.nan, float(targets["target_n"].sum()))
    res = rake(counts, margin_inputs, trim_ratio)
    cells.loc[covered, "weight"] = res.weights
    cells.loc[covered, "trimmed"] = res.trimmed
    names = " + ".join(" × ".join(cols) if cols else "total" for cols, _ in margins)
    return _WaveWeights(cells, method, names, res.converged, res.max_margin_error, uncovered_pop)


def _all_weights(
    conn: duckdb.DuckDBPyConnection, filters: Filters, trim_ratio: float | None
) -> tuple[pd.DataFrame, dict[str, _WaveWeights]]:
    """Respondents of the selected waves with their weight (NaN when uncovered), and each
    wave's cell weights."""
    resp = _wave_respondents(conn, filters)
    targets = _targets(conn, filters)
    per_wave: dict[str, _WaveWeights] = {}
    parts = []
    for wave_id, group in resp.groupby("wave_id", sort=False):
        ww = _wave_weights(group, targets[targets["wave_id"] == wave_id], trim_ratio)
        per_wave[str(wave_id)] = ww
        parts.append(group.merge(ww.cells[["sector_id", "territory", "weight"]], on=["sector_id", "territory"],
                                 how="left"))
    out = pd.concat(parts, ignore_index=True) if parts else resp.assign(weight=pd.Series(dtype=float))
    return out, per_wave


def response_weights(
    conn: duckdb.DuckDBPyConnection, filters: Filters, trim_ratio: float | None = DEFAULT_TRIM_RATIO
) -> pd.DataFrame:
    """The weight of every selected respondent (for computing weighted figures; never shown as
    such: it carries the pseudonymous respondent id).

    Columns: wave_id, wave_order, respondent_id, sector_id, territory, weight (NaN when the
    respondent's class has no target)."""
    resp, _ = _all_weights(conn, filters, trim_ratio)
    cols = ["wave_id", "wave_order", "respondent_id", "sector_id", "territory", "weight"]
    if resp.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    return resp.loc[resp["selected"].astype(bool), cols].reset_index(drop=True)


def weight_summary(
    conn: duckdb.DuckDBPyConnection, filters: Filters, trim_ratio: float | None = DEFAULT_TRIM_RATIO
) -> pd.DataFrame:
    """Per wave: how the response weights were made and what they cost (module docstring).

    Columns: wave_id, wave_order, method (:data:`METHODS`), margins (the margins used, e.g.
    "sector_id × territory"), n (selected respondents), n_weighted (with a weight), n_uncovered
    (without: no target for their class, or no sector/territory), population (Σ weights of the
    selected respondents: the invited population they represent), population_uncovered (targets
    of classes without any respondent in the wave, whole wave), weight_mean, weight_min,
    weight_max, max_weight_ratio (max / mean, whole wave), trim_ratio, n_trimmed (selected
    respondents whose weight was capped), deff_kish, n_effective (of the selected respondents),
    max_margin_error (largest relative gap between a weighted margin and its target, whole
    wave: 0 unless trimming or inconsistent targets), converged, suppressed (n <
    min_group_size)."""
    resp, per_wave = _all_weights(conn, filters, trim_ratio)
    rows = []
    for wave_id, ww in per_wave.items():
        group = resp[resp["wave_id"] == wave_id]
        chosen = group[group["selected"].astype(bool)]
        w = chosen["weight"].to_numpy(np.float64)
        ok = np.isfinite(w)
        all_w = group["weight"].to_numpy(np.float64)
        all_ok = np.isfinite(all_w)
        deff, n_eff = kish(w[ok])
        trimmed_cells = ww.cells.loc[ww.cells["trimmed"].astype(bool), ["sector_id", "territory"]]
        n_trim = int(chosen.merge(trimmed_cells, on=["sector_id", "territory"]).shape[0])
        mean_all = float(all_w[all_ok].mean()) if all_ok.any() else math.nan
        rows.append({
            "wave_id": wave_id, "wave_order": int(group["wave_order"].iloc[0]), "method": ww.method,
            "margins": ww.margins, "n": len(chosen), "n_weighted": int(ok.sum()),
            "n_uncovered": int((~ok).sum()), "population": float(w[ok].sum()) if ok.any() else math.nan,
            "population_uncovered": ww.population_uncovered,
            "weight_mean": float(w[ok].mean()) if ok.any() else math.nan,
            "weight_min": float(w[ok].min()) if ok.any() else math.nan,
            "weight_max": float(w[ok].max()) if ok.any() else math.nan,
            "max_weight_ratio": float(all_w[all_ok].max() / mean_all) if all_ok.any() else math.nan,
            "trim_ratio": math.nan if trim_ratio is None else float(trim_ratio), "n_trimmed": n_trim,
            "deff_kish": deff, "n_effective": n_eff, "max_margin_error": ww.max_margin_error,
            "converged": ww.converged,
        })
    df = pd.DataFrame(rows, columns=[c for c in SUMMARY_COLUMNS if c != "suppressed"])
    df["n"] = pd.to_numeric(df["n"]).astype("int64")
    df = sort_rows(df, ["wave_order", "wave_id"])
    return finish(df, filters, SUMMARY_COLUMNS, _SUMMARY_VALUES)


def weight_cells(
    conn: duckdb.DuckDBPyConnection, filters: Filters, trim_ratio: float | None = DEFAULT_TRIM_RATIO
) -> pd.DataFrame:
    """The weight of each wave × sector × territory cell of respondents (every respondent of a
    cell has the same weight), largest first within each wave: the quality page's "largest
    weights".

    Columns: wave_id, wave_order, sector_id, territory, n (selected respondents of the cell),
    target_n (the cell's target when the targets give sector × territory cells, else NaN),
    sample_share (n / selected respondents of the wave), population_share (weight · n / Σ over
    the selected cells), weight, weight_ratio (weight / the wave's mean weight), trimmed,
    suppressed (n < min_group_size, with complementary suppression within the wave: a weight
    is target / n). Hidden cells come last in their wave, in no particular order (their place
    among the largest weights would bound their weight)."""
    resp, per_wave = _all_weights(conn, filters, trim_ratio)
    frames = []
    for wave_id, ww in per_wave.items():
        group = resp[resp["wave_id"] == wave_id]
        chosen = group[group["selected"].astype(bool)]
        counts = chosen.groupby(["sector_id", "territory"], dropna=False).size().rename("n_sel").reset_index()
        cells = ww.cells.merge(counts, on=["sector_id", "territory"], how="inner")
        all_w = group["weight"].to_numpy(np.float64)
        mean_all = float(np.nanmean(all_w)) if np.isfinite(all_w).any() else math.nan
        cells["n"] = cells["n_sel"].astype("int64")
        cells["sample_share"] = cells["n"] / max(int(cells["n"].sum()), 1)
        represented = cells["weight"] * cells["n"]
        cells["population_share"] = represented / represented.sum() if represented.sum() > 0 else np.nan
        cells["weight_ratio"] = cells["weight"] / mean_all
        cells["wave_id"], cells["wave_order"] = wave_id, int(group["wave_order"].iloc[0])
        frames.append(cells.sort_values("weight", ascending=False, na_position="last"))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CELL_COLUMNS})
    df = pd.concat(frames, ignore_index=True)
    df["trimmed"] = df["trimmed"].astype(bool)
    df = df.sort_values(["wave_order", "wave_id"], kind="stable").reset_index(drop=True)
    out = finish(df, filters, CELL_COLUMNS, _CELL_VALUES, within=["wave_id"])
    # hidden cells last in their wave: their place in a largest-first list would tell their weight
    out = out.sort_values(["wave_order", "wave_id", "suppressed"], kind="stable")
    return out.reset_index(drop=True)


def _weighted_mean_se(y: FloatArray, w: FloatArray) -> tuple[float, float]:
    """Weighted mean and its linearisation standard error (with-replacement approximation:
    var = n/(n−1) Σ w²(y − ȳ_w)² / (Σw)², conservative: it ignores the calibration's gain)."""
    if y.size < 2 or not (w.sum() > 0):
        return (float((w * y).sum() / w.sum()) if y.size and w.sum() > 0 else math.nan), math.nan
    total = float(w.sum())
    mean = float((w * y).sum() / total)
    var = y.size / (y.size - 1) * float((w * w * (y - mean) ** 2).sum()) / total**2
    return mean, math.sqrt(var)


def weighted_trend(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    scales: Sequence[str] | None = None,
    trim_ratio: float | None = DEFAULT_TRIM_RATIO,
) -> pd.DataFrame:
    """Mean of each scale per wave, unweighted and weighted to the invited population.

    Unweighted: n, mean, sd, t CI as :func:`indicators.practice.scale_summary`. Weighted: the
    respondents with a score and a response weight (``n_weighted``), ȳ_w = Σ w y / Σ w, its
    linearisation standard error (``se_weighted``, with-replacement approximation), CI ȳ_w ±
    t(n_weighted − 1) · se, and Kish's deff and effective n of those weights. ``method`` is the
    wave's weighting method (:data:`METHODS`).
    Filters: as scale_summary (the weights themselves come from the whole wave).
    Missing data: respondents without a score are left out; those without a weight are left
    out of the weighted figures only.
    Suppression: n < min_group_size blanks the row.

    Columns: wave_id, wave_order, scale_id, label_fr, label_en, n, mean, sd, ci_low, ci_high,
    n_weighted, mean_weighted, se_weighted, ci_low_weighted, ci_high_weighted, deff_kish,
    n_effective, method, suppressed.
    """
    chosen = tuple(scales) if scales is not None else practice_scales(conn)
    meta = scale_metadata(conn, chosen)
    weights, per_wave = _all_weights(conn, filters, trim_ratio)
    rel, rel_params = score_rows(conn, filters, list(meta["scale_id"]))
    scores = query_frame(conn, f"SELECT q.wave_id, q.respondent_id, q.scale_id, q.score FROM ({rel}) q", rel_params)
    df = scores.merge(weights[["wave_id", "respondent_id", "wave_order", "weight"]],
                      on=["wave_id", "respondent_id"], how="left")
    level = ci_level()
    rows = []
    for (wave_id, scale_id), g in df.groupby(["wave_id", "scale_id"], sort=False):
        y = g["score"].to_numpy(np.float64)
        w = g["weight"].to_numpy(np.float64)
        ok = np.isfinite(w) & (w > 0)
        mean_w, se_w = _weighted_mean_se(y[ok], w[ok])
        t = float(stats.t.ppf(0.5 + level / 2, ok.sum() - 1)) if ok.sum() > 1 else math.nan
        deff, n_eff = kish(w[ok])
        ww = per_wave.get(str(wave_id))
        rows.append({
            "wave_id": wave_id, "wave_order": g["wave_order"].iloc[0], "scale_id": scale_id, "n": y.size,
            "mean": float(y.mean()), "sd": float(y.std(ddof=1)) if y.size > 1 else math.nan,
            "n_weighted": int(ok.sum()), "mean_weighted": mean_w, "se_weighted": se_w,
            "ci_low_weighted": mean_w - t * se_w, "ci_high_weighted": mean_w + t * se_w,
            "deff_kish": deff, "n_effective": n_eff, "method": ww.method if ww else METHOD_NONE,
        })
    out = pd.DataFrame(rows, columns=["wave_id", "wave_order", "scale_id", "n", "mean", "sd", "n_weighted",
                                      "mean_weighted", "se_weighted", "ci_low_weighted", "ci_high_weighted",
                                      "deff_kish", "n_effective", "method"])
    out["n"] = pd.to_numeric(out["n"]).astype("int64")
    out["ci_low"], out["ci_high"] = t_interval(out["mean"], out["sd"], out["n"], level)
    out = out.merge(meta[["scale_id", "label_fr", "label_en", "scale_order"]], on="scale_id")
    out = sort_rows(out, ["wave_order", "wave_id", "scale_order"])
    return finish(out, filters, TREND_COLUMNS, _TREND_VALUES)


# --------------------------------------------------------------------------- attrition


@dataclass(frozen=True)
class AttritionWeights:
    """The attrition model from wave a to wave b: ``summary`` (one row,
    ATTRITION_SUMMARY_COLUMNS), ``model`` (one row per term, ATTRITION_MODEL_COLUMNS),
    ``balance`` (one row per covariate column, BALANCE_COLUMNS) and ``weights`` (wave_a,
    respondent_id, stayed, p_stay, weight: for computing weighted panel figures, never shown)."""

    summary: pd.DataFrame
    model: pd.DataFrame
    balance: pd.DataFrame
    weights: pd.DataFrame


def _attrition_frame(
    conn: duckdb.DuckDBPyConnection, filters: Filters, wave_a: str, wave_b: str, scale_id: str
) -> pd.DataFrame:
    """Wave-a respondents (filters on their wave-a answers): respondent_id, sector_id, territory,
    level, years_in_post, score (wave a, ``scale_id``), stayed (answered wave b)."""
    only_a = dataclasses.replace(filters, waves=(wave_a,))
    rows = "SELECT x.wave_id, x.respondent_id FROM survey_respondents x WHERE x.wave_id = ?"
    rel, rel_params = selected(conn, only_a, rows, [wave_a], ("wave_id",))
    sql = f"""
        SELECT x.respondent_id, r.sector_id, r.territory, r.level, r.years_in_post, s.score,
               EXISTS (SELECT 1 FROM survey_respondents b
                       WHERE b.wave_id = ? AND b.respondent_id = x.respondent_id) AS stayed
        FROM (SELECT DISTINCT wave_id, respondent_id FROM ({rel}) q) x
        JOIN survey_respondents r ON r.wave_id = x.wave_id AND r.respondent_id = x.respondent_id
        LEFT JOIN survey_scores s ON s.wave_id = x.wave_id AND s.respondent_id = x.respondent_id
                                  AND s.scale_id = ?
        ORDER BY x.respondent_id
    """
    return query_frame(conn, sql, [wave_b, *rel_params, scale_id])


OTHER = "(other)"
MISSING = "(missing)"


def _collapse(values: pd.Series, stayed: NDArray[np.bool_], min_size: int) -> pd.Series:
    """Categories with fewer than ``min_size`` stayers or leavers merged into OTHER; OTHER itself
    merged into the largest category when it is still that small."""
    v = values.astype(object).where(values.notna(), MISSING)
    counts = pd.crosstab(v, stayed)
    small = counts.min(axis=1) < min_size if counts.shape[1] == 2 else pd.Series(True, index=counts.index)
    v = v.where(~v.isin(small[small].index), OTHER)
    if (v == OTHER).any():
        other = stayed[(v == OTHER).to_numpy()]
        if min(int(other.sum()), int((~other).sum())) < min_size:
            largest = v[v != OTHER].value_counts()
            if len(largest):
                v = v.where(v != OTHER, largest.index[0])
    return v


@dataclass(frozen=True)
class _Design:
    x: pd.DataFrame  # model columns (intercept first)
    source: dict[str, tuple[str, str]]  # column → (covariate, level)
    counts: dict[str, int]  # column → respondents behind it


def _design(df: pd.DataFrame, covariates: Sequence[str], min_size: int) -> _Design:
    stayed = df["stayed"].to_numpy(dtype=bool)
    cols: dict[str, pd.Series] = {"const": pd.Series(1.0, index=df.index)}
    source = {"const": ("(intercept)", "")}
    counts = {"const": len(df)}
    for cov in covariates:
        if cov in ("sector_id", "territory", "level"):
            v = _collapse(df[cov], stayed, min_size)
            levels = v.value_counts()
            if len(levels) < 2:
                continue
            for level in levels.index[1:]:  # the largest category is the reference
                name = f"{cov}[{level}]"
                cols[name] = (v == level).astype(float)
                source[name] = (cov, str(level))
                counts[name] = int(levels[level])
        else:
            x = pd.to_numeric(df[cov], errors="coerce").astype(float)
            if x.notna().sum() < 2 or x.std() == 0 or not np.isfinite(x.std()):
                continue
            missing = x.isna()
            cols[cov] = x.fillna(x.mean())
            source[cov] = (cov, "")
            counts[cov] = int((~missing).sum())
            gone = stayed[missing.to_numpy()]
            if missing.any() and min(int(gone.sum()), int((~gone).sum())) >= min_size:
                name = f"{cov}[{MISSING}]"
                cols[name] = missing.astype(float)
                source[name] = (cov, MISSING)
                counts[name] = int(missing.sum())
    return _Design(pd.DataFrame(cols), source, counts)


def _fit_logit(y: NDArray[np.bool_], x: pd.DataFrame) -> Any:
    """statsmodels Logit, or None when it fails or separates (|β| > 15 or infinite se)."""
    from statsmodels.discrete.discrete_model import Logit
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationError, PerfectSeparationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (ConvergenceWarning, PerfectSeparationWarning, RuntimeWarning))
        try:
            res = Logit(y.astype(float), x).fit(disp=0, method="newton", maxiter=100)
        except (PerfectSeparationError, np.linalg.LinAlgError, ValueError):
            return None
    params = np.asarray(res.params)
    bse = np.asarray(res.bse)
    if not (np.all(np.isfinite(params)) and np.all(np.isfinite(bse)) and np.abs(params).max() < 15):
        return None
    return res


def _auc(y: NDArray[np.bool_], p: FloatArray) -> float:
    """Area under the ROC curve (Mann–Whitney), NaN without both outcomes."""
    n1, n0 = int(y.sum()), int((~y).sum())
    if not n1 or not n0:
        return math.nan
    ranks = stats.rankdata(p)
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


ATTRITION_COVARIATES = ("sector_id", "territory", "level", "years_in_post", "score")


def attrition_weights(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    wave_a: str,
    wave_b: str,
    scale_id: str = "network_practice",
    trim_ratio: float | None = DEFAULT_TRIM_RATIO,
) -> AttritionWeights:
    """Inverse-probability weights for staying in the panel from ``wave_a`` to ``wave_b``.

    Method: wave-a respondents (filters on their wave-a answers; ``filters.waves`` ignored);
    stayed = answered wave b (same pseudonymous key). Logistic model (statsmodels ``Logit``,
    Newton) of stayed on the wave-a covariates sector, territory, level (categorical: the
    largest category is the reference; categories with fewer than min_group_size stayers or
    leavers merged into "(other)"; a missing value is its own category), years in post and the
    wave-a score on ``scale_id`` (numeric; missing values set to the mean with a missing
    indicator). If the fit separates or fails, territory, then sector, then level are dropped
    (note "separation"). Weights: 1 / p̂ for the stayers (they then sum to about n_a), trimmed
    at ``trim_ratio`` × their mean.
    Balance (standardised mean differences, for each model column): smd_before =
    (mean among stayers − mean among all wave-a respondents) / sd among wave-a respondents;
    smd_after the same with the stayers weighted. |SMD| < 0.1 is the usual balance threshold.

    summary columns: wave_a, wave_b, scale_id, n (wave-a respondents), n_retained, n_left,
    retention, covariates (those kept, "+"-joined), note (:data:`ATTRITION_NOTES`), converged,
    pseudo_r2 (McFadden), auc, weight_min, weight_max, max_weight_ratio, n_trimmed, deff_kish,
    n_effective (of the stayers' weights), max_abs_smd_before, max_abs_smd_after, suppressed.
    model columns: term, covariate, level, n, estimate (log-odds), se, z, p_value, odds_ratio,
    ci_low, ci_high (of the odds ratio), suppressed. balance columns: covariate, level, n,
    mean_wave_a, mean_retained, mean_retained_weighted, sd_wave_a, smd_before, smd_after,
    suppressed.
    """
    if wave_a == wave_b:
        raise ValueError(f"compare two different waves (got {wave_a!r} twice)")
    df = _attrition_frame(conn, filters, wave_a, wave_b, scale_id)
    stayed = df["stayed"].to_numpy(dtype=bool) if len(df) else np.zeros(0, dtype=bool)
    n_ret, n_left = int(stayed.sum()), int((~stayed).sum())
    summary: dict[str, Any] = {
        "wave_a": wave_a, "wave_b": wave_b, "scale_id": scale_id, "n": len(df), "n_retained": n_ret,
        "n_left": n_left, "retention": n_ret / len(df) if len(df) else math.nan, "covariates": "",
        "note": None, "converged": False,
    }
    weights = pd.DataFrame({"wave_a": wave_a, "respondent_id": df.get("respondent_id", pd.Series(dtype=object)),
                            "stayed": stayed, "p_stay": np.nan, "weight": np.nan})
    min_size = filters.min_group_size
    model_rows: list[dict[str, Any]] = []
    balance_rows: list[dict[str, Any]] = []
    res = None
    design = None
    if n_left == 0 and n_ret > 0:
        summary["note"] = NOTE_NO_ATTRITION
        weights.loc[stayed, ["p_stay", "weight"]] = 1.0
    elif min(n_ret, n_left) < min_size:
        summary["note"] = NOTE_TOO_FEW
    else:
        covariates = list(ATTRITION_COVARIATES)
        while True:
            design = _design(df, covariates, min_size)
            res = _fit_logit(stayed, design.x)
            if res is not None or not covariates:
                break
            summary["note"] = NOTE_SEPARATION
            drop = next(c for c in ("territory", "sector_id", "level", "years_in_post", "score") if c in covariates)
            covariates.remove(drop)
        if res is not None and design is not None:
            summary["covariates"] = "+".join(dict.fromkeys(s[0] for c, s in design.source.items() if c != "const"))
            summary["converged"] = bool(res.mle_retvals.get("converged", True))
            summary["pseudo_r2"] = float(res.prsquared)
            p = np.asarray(res.predict(design.x), dtype=np.float64)
            summary["auc"] = _auc(stayed, p)
            w = np.where(stayed, 1.0 / p, np.nan)
            trimmed = np.zeros(len(w), dtype=bool)
            if trim_ratio is not None:
                cap = trim_ratio * float(np.nanmean(w))
                trimmed = np.nan_to_num(w) > cap
                w = np.where(trimmed, cap, w)
            weights["p_stay"], weights["weight"] = p, w
            ws = w[stayed]
            deff, n_eff = kish(ws)
            summary |= {
                "weight_min": float(ws.min()), "weight_max": float(ws.max()),
                "max_weight_ratio": float(ws.max() / ws.mean()), "n_trimmed": int(trimmed.sum()),
                "deff_kish": deff, "n_effective": n_eff,
            }
            model_rows = _model_rows(res, design)
            balance_rows = _balance_rows(design, stayed, w)
            smd_b = [abs(r["smd_before"]) for r in balance_rows if np.isfinite(r["smd_before"])]
            smd_a = [abs(r["smd_after"]) for r in balance_rows if np.isfinite(r["smd_after"])]
            summary["max_abs_smd_before"] = max(smd_b) if smd_b else math.nan
            summary["max_abs_smd_after"] = max(smd_a) if smd_a else math.nan
        elif res is None:
            summary["note"] = NOTE_NOT_CONVERGED
    summary_df = pd.DataFrame([summary], columns=[c for c in ATTRITION_SUMMARY_COLUMNS if c != "suppressed"])
    summary_df["_n_min"] = min(n_ret, n_left) if n_left else n_ret
    summary_df["n"] = summary_df["n"].astype("int64")
    model_df = pd.DataFrame(model_rows, columns=[c for c in ATTRITION_MODEL_COLUMNS if c != "suppressed"])
    balance_df = pd.DataFrame(balance_rows, columns=[c for c in BALANCE_COLUMNS if c != "suppressed"])
    hidden = min(n_ret, n_left) < min_size and summary["note"] != NOTE_NO_ATTRITION
    for frame in (model_df, balance_df):
        if hidden and len(frame):
            frame["n"] = 0
        if len(frame):
            frame["n"] = frame["n"].astype("int64")
    return AttritionWeights(
        summary=finish(summary_df, filters, ATTRITION_SUMMARY_COLUMNS, _ATTRITION_SUMMARY_VALUES, n_col="_n_min"),
        model=finish(model_df, filters, ATTRITION_MODEL_COLUMNS, _ATTRITION_MODEL_VALUES),
        balance=finish(balance_df, filters, BALANCE_COLUMNS, _BALANCE_VALUES),
        weights=weights,
    )


def _model_rows(res: Any, design: _Design) -> list[dict[str, Any]]:
    z = float(stats.norm.ppf(0.5 + ci_level() / 2.0))
    rows = []
    for name in design.x.columns:
        b, se = float(res.params[name]), float(res.bse[name])
        cov, level = design.source[name]
        rows.append({
            "term": name, "covariate": cov, "level": level, "n": design.counts[name], "estimate": b,
            "se": se, "z": b / se if se > 0 else math.nan, "p_value": float(res.pvalues[name]),
            "odds_ratio": math.exp(b), "ci_low": math.exp(b - z * se), "ci_high": math.exp(b + z * se),
        })
    return rows


def _balance_rows(design: _Design, stayed: NDArray[np.bool_], w: FloatArray) -> list[dict[str, Any]]:
    rows = []
    ws = w[stayed]
    for name in design.x.columns:
        if name == "const":
            continue
        x = design.x[name].to_numpy(np.float64)
        sd = float(x.std(ddof=1)) if x.size > 1 else math.nan
        mean_all = float(x.mean())
        mean_ret = float(x[stayed].mean())
        mean_w = float((ws * x[stayed]).sum() / ws.sum())
        cov, level = design.source[name]
        rows.append({
            "covariate": cov, "level": level, "n": design.counts[name], "mean_wave_a": mean_all,
            "mean_retained": mean_ret, "mean_retained_weighted": mean_w, "sd_wave_a": sd,
            "smd_before": (mean_ret - mean_all) / sd if sd > 0 else math.nan,
            "smd_after": (mean_w - mean_all) / sd if sd > 0 else math.nan,
        })
    return rows


# --------------------------------------------------------------------------- catalogue

INDICATORS: list[Indicator] = [
    Indicator(
        id="practice.weighted_trend",
        family="practice",
        title_fr="Score moyen pondéré sur la population invitée",
        title_en="Mean score weighted to the invited population",
        definition_fr=(
            "Pour chaque échelle et chaque vague, la moyenne des répondants telle quelle et la "
            "moyenne pondérée pour que chaque secteur et chaque territoire pèse autant que dans la "
            "population invitée (effectifs ciblés), avec leurs intervalles de confiance."
        ),
        definition_en=(
            "For each scale and wave, the respondents' mean as it is and the mean weighted so that "
            "each sector and territory counts as much as in the invited population (targets), with "
            "their confidence intervals."
        ),
        formula=(
            "ȳ_w = Σ w·y / Σ w; se² = n/(n − 1) · Σ w²(y − ȳ_w)² / (Σ w)²; ȳ_w ± t(n − 1) · se; "
            "w: post-stratification or raking weights of quality.response_weights"
        ),
        formula_fr=(
            "ȳ_w = Σ w·y / Σ w ; es² = n/(n − 1) · Σ w²(y − ȳ_w)² / (Σ w)² ; ȳ_w ± t(n − 1) · es ; "
            "w : poids de post-stratification ou de calage de quality.response_weights"
        ),
        unit="score points of the scale",
        sources=("survey_scores", "survey_respondents", "population_targets", "survey_scales", "waves"),
        missing_data=(
            "Respondents without a score are left out; those in a class without a target (or "
            "without a sector or territory) are left out of the weighted mean only."
        ),
        missing_data_fr=(
            "Les répondants sans score sont écartés ; ceux d'une catégorie sans effectif cible (ou "
            "sans secteur ni territoire) ne sont écartés que de la moyenne pondérée."
        ),
        caveats=(
            "Weighting corrects who answered by sector and territory only, not within them (people "
            "who answer may differ from those who do not). The standard error ignores the gain of "
            "calibration (conservative)."
        ),
        caveats_fr=(
            "La pondération corrige la composition des répondants par secteur et territoire "
            "seulement, pas à l'intérieur de ces groupes (ceux qui répondent peuvent différer des "
            "autres). L'erreur standard ignore le gain du calage (prudente)."
        ),
        function="indicators.weights.weighted_trend",
    ),
    Indicator(
        id="quality.response_weights",
        family="quality",
        title_fr="Poids de non-réponse, effet de plan et taille effective",
        title_en="Non-response weights, design effect and effective sample size",
        definition_fr=(
            "Poids donnés aux répondants de chaque vague pour représenter la population invitée par "
            "secteur × territoire : méthode (post-stratification ou calage sur marges), plus grands "
            "poids, poids écrêtés, effet de plan de Kish et taille d'échantillon effective."
        ),
        definition_en=(
            "Weights given to each wave's respondents so that they represent the invited population "
            "by sector × territory: method (post-stratification or raking), largest weights, trimmed "
            "weights, Kish design effect and effective sample size."
        ),
        formula=(
            "one margin per shape of the target rows (sector × territory cells, sector totals, "
            "territory totals); one margin: w = target / respondents of the class; several, or "
            "cells without respondents: raking (iterative proportional fitting on the margins, "
            "tolerance 1e-6); trimmed at 5 × the mean weight with re-raking; deff = n Σw² / (Σw)², "
            "n_eff = (Σw)² / Σw²"
        ),
        formula_fr=(
            "une marge par forme des lignes d'effectifs ciblés (cellules secteur × territoire, totaux "
            "par secteur, totaux par territoire) ; une marge : w = effectif ciblé / répondants de la "
            "catégorie ; plusieurs, ou des cellules sans répondant : calage sur marges (ajustement "
            "proportionnel itératif, tolérance 1e-6) ; écrêtage à 5 fois le poids moyen puis nouveau "
            "calage ; effet de plan = n Σw² / (Σw)², n_eff = (Σw)² / Σw²"
        ),
        unit="weight (people represented per respondent); deff; respondents",
        sources=("survey_respondents", "population_targets", "waves"),
        missing_data=(
            "Respondents whose class has no target get no weight (n_uncovered); target classes "
            "without any respondent are reported (population_uncovered). The targets have no role: "
            "role is never a margin."
        ),
        missing_data_fr=(
            "Les répondants d'une catégorie sans effectif ciblé n'ont pas de poids (n_uncovered) ; "
            "les effectifs ciblés sans aucun répondant sont signalés (population_uncovered). Les "
            "effectifs ciblés ne donnent pas la fonction : elle n'est jamais une marge."
        ),
        caveats=(
            "Weights come from the whole wave; filters select a domain of it. The weight of a "
            "cell reveals its respondents: cells under the threshold are hidden. Trimming trades a "
            "little bias for precision (max_margin_error)."
        ),
        caveats_fr=(
            "Les poids sont calculés sur toute la vague ; les filtres en sélectionnent une partie. "
            "Le poids d'une cellule révèle son nombre de répondants : les cellules sous le seuil "
            "sont masquées. L'écrêtage échange un peu de biais contre de la précision "
            "(max_margin_error)."
        ),
        function="indicators.weights.weight_summary",
    ),
    Indicator(
        id="quality.attrition_weights",
        family="quality",
        title_fr="Modèle d'attrition du panel et poids inverses de probabilité",
        title_en="Panel attrition model and inverse-probability weights",
        definition_fr=(
            "Parmi les répondants d'une vague, qui répond de nouveau à la suivante ? Un modèle "
            "logistique sur les caractéristiques de la première vague (secteur, territoire, niveau, "
            "ancienneté dans le poste, score) donne à chaque personne restée un poids égal à "
            "l'inverse de sa probabilité de rester, pour que le panel ressemble de nouveau à la "
            "première vague ; l'équilibre des caractéristiques avant et après pondération le vérifie."
        ),
        definition_en=(
            "Among a wave's respondents, who answers the next one again? A logistic model on the "
            "first wave's characteristics (sector, territory, level, years in post, score) gives each "
            "person who stayed a weight equal to the inverse of their probability of staying, so that "
            "the panel looks like the first wave again; the balance of the characteristics before "
            "and after weighting checks it."
        ),
        formula=(
            "logit P(stay) = Xβ (statsmodels Logit); w = 1 / p̂ for the stayers, trimmed at 5 × mean; "
            "SMD = (mean of stayers, weighted or not − mean of wave a) / sd of wave a"
        ),
        formula_fr=(
            "logit P(rester) = Xβ (régression logistique, statsmodels) ; w = 1 / p̂ pour les "
            "personnes restées, écrêté à 5 fois la moyenne ; DMS = (moyenne des personnes restées, "
            "pondérée ou non − moyenne de la vague a) / écart-type de la vague a"
        ),
        unit="odds ratios; weights; standardised mean differences",
        sources=("survey_respondents", "survey_scores", "waves"),
        missing_data=(
            "Categories with fewer than 5 stayers or leavers are merged; a missing category is its "
            "own; missing numbers are set to the mean with a missing indicator."
        ),
        missing_data_fr=(
            "Les catégories de moins de 5 personnes restées ou parties sont regroupées ; une valeur "
            "manquante forme sa propre catégorie ; un nombre manquant est remplacé par la moyenne "
            "avec un indicateur de valeur manquante."
        ),
        caveats=(
            "Corrects attrition explained by the covariates only (missing at random given them). "
            "Leaving may reflect a change of post, not refusal."
        ),
        caveats_fr=(
            "Ne corrige que l'attrition expliquée par ces caractéristiques (manquant au hasard "
            "conditionnellement à elles). Quitter le panel peut traduire un changement de poste, "
            "pas un refus."
        ),
        function="indicators.weights.attrition_weights",
    ),
]
