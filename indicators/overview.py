"""Headline indicators of the overview page, their change between two waves, and the
automatic findings (largest improvement, largest decline, the group that lags).

Pure computation (no Streamlit), built on the family modules. Conventions are those of
:mod:`indicators.practice` (``conn`` a DuckDB connection or cursor; tidy frames with ``n`` and
``suppressed``; NaN when undefined; empty frames with the documented columns).

**Headline indicators** (``HEADLINES``), per wave:

* survey means — two practice scales (network practice and partnership culture, 1–5, when the
  survey instruments have them; else their first two practice scales, :func:`headlines`),
  WHO-5 (0–100): mean of the respondents' scores with its t CI (``indicators.practice.scale_summary``,
  ``indicators.wellbeing.wellbeing_summary``);
* survey shares — WHO-5 ≤ ``who5_poor`` and CBI ≥ ``cbi_high``, with Wilson CIs;
* partner network — density and cross-sector tie share of the network of every filtered
  institution pooled, **among the institutions that answered** (robust to who did not answer;
  ``coverage`` beside; ``indicators.networks.network_trend(by_territory=False)``); skipped (no
  rows) when that module is not installed;
* joint actions per month — logged joint actions in the wave's recall window divided by the
  number of months of that window the activity log covers (quiet months count as 0), with a
  quasi-Poisson CI (``indicators.exchanges.activity_monthly``).

**Change** between wave a and wave b (:func:`headline_change`): one definition, ``change`` =
value_b − value_a, the values shown, over **everyone of each wave**, scales scored on the items
both waves asked. It is **beyond noise** when its interval excludes 0: Welch's for means,
Newcombe's hybrid score interval for shares, quasi-Poisson for actions per month, at the level
of the family of the page's tests (:func:`comparisons`: Benjamini–Hochberg over the headline
changes and the groups' gaps, intervals at the false-coverage-rate level 1 − R·q/m,
:func:`family_level`) — so the verdict and the interval always agree. The change of the same
people (panel, paired) is given beside (``panel_*``), never instead. Network indicators have no
sampling test; their change is among the institutions that answered both waves when coverage
moved by more than ``network_coverage_gap``.

**Findings** (:func:`findings`): the largest improvement and the largest decline among the
survey indicators whose change is beyond noise, ranked on one standardised scale oriented so
that positive is better (Hedges' g for means, Cohen's h for shares); when none is beyond
noise, the largest change in that direction is reported as "within noise". The group that lags
(:func:`group_changes`): among territories, sectors, roles and levels shown (at least
``min_group_size`` respondents in both waves, and as many in the other groups shown), the one
whose change in network practice falls furthest below the other groups' (Welch t over the four
samples), in the same family of tests.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

import duckdb
import numpy as np
import pandas as pd
from scipy import stats as sps

from indicators.catalogue import Indicator
from indicators.exchanges import _covered_months, activity_monthly
from indicators.filters import Filters
from indicators.instruments import practice_scales
from indicators.practice import (
    ci_level,
    panel_change,
    query_frame,
    scale_metadata,
    scale_summary,
    with_item_basis,
)
from indicators.quality import reliability
from indicators.stats import hedges_g, proportion_ci, welch_from_stats
from indicators.wellbeing import wellbeing_panel_change, wellbeing_summary
from warehouse.settings import setting

# units (the dashboard formats values by unit)
SCORE_1_5 = "score_1_5"
SCORE_0_100 = "score_0_100"
SHARE = "share"
PER_MONTH = "per_month"

# tests of the change
WELCH = "welch_ci"
NEWCOMBE = "newcombe_ci"
POISSON = "poisson_ci"
PANEL_HOLM = "panel_holm"
NO_TEST = "none"

# designs of the change
PANEL = "panel"
CROSS_SECTIONAL = "cross-sectional"
ALL_RESPONDENTS = "all respondents"
WHOLE_NETWORK = "whole network"
ACTIVITY_LOG = "activity log"

GROUP_DIMENSIONS: tuple[str, ...] = ("territory", "sector_id", "role", "level")
LAG_SCALE = "network_practice"


@dataclass(frozen=True)
class Headline:
    """One headline indicator of the overview."""

    id: str
    family: str  # practice | wellbeing | network | exchanges
    unit: str
    higher_is_better: bool
    source_indicator: str  # catalogue id of the indicator it is read from
    survey: bool  # measured on respondents (tested and ranked in the findings)
    label_fr: str = ""  # a practice scale's own name (from its codebook)
    label_en: str = ""


HEADLINES: tuple[Headline, ...] = (
    Headline("network_practice", "practice", SCORE_1_5, True, "practice.scale_mean", True),
    Headline("partnership_culture", "practice", SCORE_1_5, True, "practice.scale_mean", True),
    Headline("who5_mean", "wellbeing", SCORE_0_100, True, "wellbeing.who5_mean", True),
    Headline("who5_poor_share", "wellbeing", SHARE, False, "wellbeing.who5_poor_share", True),
    Headline("cbi_high_share", "wellbeing", SHARE, False, "wellbeing.cbi_high_share", True),
    Headline("network_density", "network", SHARE, True, "network.density", False),
    Headline("cross_sector_share", "network", SHARE, True, "network.cross_sector_share", False),
    Headline("actions_per_month", "exchanges", PER_MONTH, True, "overview.actions_per_month", False),
)
_BY_ID = {h.id: h for h in HEADLINES}
# The practice headlines when the survey instruments have these scales (the bundled codebook's).
PREFERRED_PRACTICE: tuple[str, ...] = ("network_practice", "partnership_culture")
SCORE = "score"  # a practice score on another range than 1 to 5
SURVEY_FAMILIES = ("practice", "wellbeing")


def practice_headline_scales(conn: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The practice scales the overview headlines: network practice and partnership culture
    when the survey instruments have them, else their first two practice scales."""
    found = practice_scales(conn)
    return tuple(s for s in PREFERRED_PRACTICE if s in found) or found[:2]


def headlines(conn: duckdb.DuckDBPyConnection) -> tuple[Headline, ...]:
    """The headline indicators of this warehouse: :func:`practice_headline_scales` (each with
    its codebook's name), then the wellbeing, network and exchange headlines of ``HEADLINES``."""
    meta = scale_metadata(conn, practice_headline_scales(conn))
    practice = tuple(
        Headline(str(r.scale_id), "practice", SCORE_1_5 if (r.score_min, r.score_max) == (1.0, 5.0) else SCORE,
                 bool(r.higher_is_better), "practice.scale_mean", True, str(r.label_fr), str(r.label_en))
        for r in meta.itertuples(index=False)
    )
    return (*practice, *(h for h in HEADLINES if h.family != "practice"))


def lag_headline(conn: duckdb.DuckDBPyConnection) -> Headline | None:
    """The headline of :func:`lag_scale` (its name and unit for the lag finding)."""
    scale = lag_scale(conn)
    return next((h for h in headlines(conn) if h.id == scale), None)


def lag_scale(conn: duckdb.DuckDBPyConnection) -> str | None:
    """The scale of the group that lags: network practice, else the first practice headline."""
    scales = practice_headline_scales(conn)
    return LAG_SCALE if LAG_SCALE in scales else (scales[0] if scales else None)

TREND_COLUMNS = [
    "indicator", "family", "label_fr", "label_en", "unit", "higher_is_better", "wave_id", "wave_order", "n", "value",
    "ci_low", "ci_high", "coverage", "suppressed",
]
CHANGE_COLUMNS = [
    "indicator", "family", "label_fr", "label_en", "unit", "higher_is_better", "source_indicator", "wave_a", "wave_b",
    "n_a", "n_b", "value_a", "value_b", "change", "ci_low", "ci_high", "ci_level", "test",
    "significant", "p", "p_adjusted", "family_size", "effect", "effect_name", "oriented_effect",
    "design", "estimate", "coverage_a", "coverage_b", "n_both", "panel_n_pairs", "panel_change",
    "panel_ci_low", "panel_ci_high", "alpha_b", "low_reliability", "items_compared",
    "items_left_out", "suppressed",
]
GROUP_COLUMNS = [
    "scale_id", "dimension", "group", "label_fr", "label_en", "wave_a", "wave_b", "n_a", "n_b",
    "mean_a", "mean_b", "change", "rest_n_a", "rest_n_b", "rest_change", "gap", "gap_ci_low",
    "gap_ci_high", "ci_level", "z", "df", "p", "p_adjusted", "family_size", "oriented_gap",
]
FINDING_COLUMNS = [
    "kind", "status", "indicator", "label_fr", "label_en", "unit", "higher_is_better", "wave_a", "wave_b", "value_a",
    "value_b", "change", "ci_low", "ci_high", "effect", "effect_name", "test", "significant",
    "design", "dimension", "group", "group_label_fr", "group_label_en", "rest_change", "gap",
    "gap_ci_low", "gap_ci_high", "ci_level", "p_adjusted", "family_size", "n_a", "n_b",
]
FINDING_KINDS = ("improvement", "decline", "lag")
FOUND, WITHIN_NOISE, NONE = "found", "within_noise", "none"
ALPHA = 0.05


# --------------------------------------------------------------------------- helpers


def networks_module() -> ModuleType | None:
    """``indicators.networks`` when it is installed and offers ``network_summary``."""
    try:
        module = importlib.import_module("indicators.networks")
    except ImportError:
        return None
    return module if callable(getattr(module, "network_summary", None)) else None


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _z() -> float:
    return float(sps.norm.ppf(0.5 + ci_level() / 2.0))


def _rows(
    h: Headline, src: pd.DataFrame, value: str, low: str | None, high: str | None, extra: dict[str, str]
) -> pd.DataFrame:
    """Long trend rows of one indicator from a per-wave frame."""
    out = pd.DataFrame(
        {
            "indicator": h.id,
            "family": h.family,
            "label_fr": h.label_fr,
            "label_en": h.label_en,
            "unit": h.unit,
            "higher_is_better": h.higher_is_better,
            "wave_id": src["wave_id"].astype(str).to_numpy(),
            "wave_order": src["wave_order"].to_numpy(),
            "n": pd.to_numeric(src["n"], errors="coerce").to_numpy(dtype=float),
            "value": pd.to_numeric(src[value], errors="coerce").to_numpy(dtype=float),
            "ci_low": pd.to_numeric(src[low], errors="coerce").to_numpy(dtype=float) if low else np.nan,
            "ci_high": pd.to_numeric(src[high], errors="coerce").to_numpy(dtype=float) if high else np.nan,
            "suppressed": src["suppressed"].astype(bool).to_numpy() if "suppressed" in src else False,
        }
    )
    for col, source_col in extra.items():
        out[col] = pd.to_numeric(src[source_col], errors="coerce").to_numpy(dtype=float)
    return out


def _wave_table(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    where, params = filters.wave_where("wave_id")
    return query_frame(
        conn,
        f"SELECT wave_id, wave_order FROM waves WHERE {where} ORDER BY wave_order",
        params,
    )


# --------------------------------------------------------------------------- per-wave statistics


def _survey_stats(
    conn: duckdb.DuckDBPyConnection, filters: Filters, compare: tuple[str, str] | None = None
) -> pd.DataFrame:
    """Per wave × survey headline: n, value, CI and the sufficient statistics of the change
    (sd for means). ``compare``: the two waves of a change (scales scored on their common items)."""
    parts = []
    heads = [h for h in headlines(conn) if h.family == "practice"]
    if heads:
        practice = scale_summary(conn, filters, scales=[h.id for h in heads], compare=compare)
        for h in heads:
            sub = practice.loc[practice["scale_id"] == h.id]
            parts.append(_rows(h, sub, "mean", "ci_low", "ci_high", {"sd": "sd"}))
    wb = wellbeing_summary(conn, filters, compare=compare)
    who5, cbi = wb.loc[wb["scale_id"] == "who5"], wb.loc[wb["scale_id"] == "cbi_work"]
    parts.append(_rows(_BY_ID["who5_mean"], who5, "mean", "ci_low", "ci_high", {"sd": "sd"}))
    parts.append(_rows(_BY_ID["who5_poor_share"], who5, "who5_poor_share", "who5_poor_ci_low", "who5_poor_ci_high",
                       {}))
    parts.append(_rows(_BY_ID["cbi_high_share"], cbi, "cbi_high_share", "cbi_high_ci_low", "cbi_high_ci_high", {}))
    return pd.concat([p for p in parts if not p.empty] or [_empty(TREND_COLUMNS)], ignore_index=True)


NETWORK_HEADLINES = {"network_density": "density", "cross_sector_share": "cross_sector_share"}


def _network_stats(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The partner network's density and cross-sector share per wave, among the institutions
    that answered (robust to who did not answer; coverage beside), with each wave's change from
    the previous one as the network trend computes it (``change_robust``, ``n_both``)."""
    module = networks_module()
    if module is None:
        return _empty(TREND_COLUMNS)
    trend = module.network_trend(conn, filters, by_territory=False)
    if trend.empty:
        return _empty(TREND_COLUMNS)
    trend = trend.assign(suppressed=False)
    parts = []
    for indicator, metric in NETWORK_HEADLINES.items():
        extra = {"coverage": "coverage", "change_robust": f"change_{metric}_robust", "n_both": "n_both"}
        rows = _rows(_BY_ID[indicator], trend, f"{metric}_respondents", None, None, extra)
        rows["basis"] = trend["change_basis"].to_numpy(dtype=object)
        parts.append(rows)
    return pd.concat(parts, ignore_index=True)


def _action_stats(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Actions per month of each wave's recall window, with a quasi-Poisson CI.

    The months are those of the window that the activity log covers (its first to last month,
    whatever the filters), so a quiet month counts as 0 instead of shortening the period; the
    interval is widened by the dispersion of the monthly counts (Pearson χ² / (M − 1), at least 1:
    actions come in bursts, a Poisson interval would be too narrow)."""
    rows = []
    z = _z()
    for wave in _wave_table(conn, filters).itertuples(index=False):
        one = dataclasses.replace(filters, waves=(str(wave.wave_id),))
        months = _covered_months(conn, one)["month"]
        monthly = activity_monthly(conn, one)
        if months.empty:
            continue
        per_month = (
            monthly.assign(month=pd.to_datetime(monthly["month"]))
            .set_index("month")["actions"]
            .reindex(pd.to_datetime(months), fill_value=0)
            .astype(float)
            if len(monthly) else pd.Series(0.0, index=pd.to_datetime(months))
        )
        actions, m = float(per_month.sum()), float(len(per_month))
        if actions == 0:
            continue
        rate = actions / m
        phi = max(float(((per_month - rate) ** 2).sum() / rate / (m - 1)), 1.0) if m > 1 else 1.0
        half = z * np.sqrt(phi * actions) / m
        rows.append(
            {
                "wave_id": wave.wave_id, "wave_order": wave.wave_order, "n": actions, "value": rate,
                "ci_low": max(rate - half, 0.0), "ci_high": rate + half, "months": m, "dispersion": phi,
                "suppressed": False,
            }
        )
    if not rows:
        return _empty(TREND_COLUMNS)
    extra = {"months": "months", "dispersion": "dispersion"}
    return _rows(_BY_ID["actions_per_month"], pd.DataFrame(rows), "value", "ci_low", "ci_high", extra)


def _all_stats(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    frames = [_survey_stats(conn, filters), _network_stats(conn, filters), _action_stats(conn, filters)]
    df = pd.concat([f for f in frames if not f.empty] or [_empty(TREND_COLUMNS)], ignore_index=True)
    for col in ("sd", "coverage", "months", "dispersion"):
        if col not in df.columns:
            df[col] = np.nan
    order = {h.id: i for i, h in enumerate(headlines(conn))}
    df["_order"] = df["indicator"].map(order)
    df = df.sort_values(["_order", "wave_order"], kind="stable").drop(columns="_order")
    return df.reset_index(drop=True)


# --------------------------------------------------------------------------- indicators


def headline_trend(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Every headline indicator in every selected wave (sparklines and trend charts).

    Method: see the module docstring (one row per indicator × wave with a value).
    ``ci_low``/``ci_high``: t CI for means, Wilson for shares, Poisson for actions per month,
    NaN for network indicators (whole network). ``n``: respondents (survey indicators),
    institutions that answered the partner survey (network), logged actions (actions per
    month). ``coverage``: share of the network's institutions that answered (network only).
    Suppression: survey rows with n < min_group_size are blanked (``suppressed``); network
    and action rows are about organisations and actions, never suppressed.

    Columns: indicator, family, unit, higher_is_better, wave_id, wave_order, n, value,
    ci_low, ci_high, coverage, suppressed.
    """
    df = _all_stats(conn, filters)
    df["wave_order"] = pd.to_numeric(df["wave_order"], errors="coerce").astype("Int64")
    df["suppressed"] = df["suppressed"].astype(bool)
    return df.reindex(columns=TREND_COLUMNS)


def _newcombe(
    p_a: np.ndarray, n_a: np.ndarray, p_b: np.ndarray, n_b: np.ndarray, level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe (1998, method 10) CI of p_b − p_a from the two Wilson intervals."""
    la, ua = proportion_ci(np.round(p_a * n_a), n_a, level)
    lb, ub = proportion_ci(np.round(p_b * n_b), n_b, level)
    d = p_b - p_a
    low = d - np.sqrt((p_b - lb) ** 2 + (ua - p_a) ** 2)
    high = d + np.sqrt((ub - p_b) ** 2 + (p_a - la) ** 2)
    return low, high


def _cohen_h(p_a: np.ndarray, p_b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.asarray(2 * np.arcsin(np.sqrt(p_b)) - 2 * np.arcsin(np.sqrt(p_a)), dtype=float)


def family_level(pvalues: Sequence[float] | np.ndarray) -> tuple[float, int]:
    """(confidence level, discoveries) of a family of tests read together: Benjamini–Hochberg
    at q = 1 − ci_level over the m p-values, and intervals at the false-coverage-rate level
    1 − R·q/m of Benjamini & Yekutieli (2005), R = the discoveries (q/m when none). A change is
    beyond noise exactly when BH discovers it, exactly when its interval at this level excludes
    0: the verdict and the interval shown agree."""
    p = np.asarray([x for x in pvalues if np.isfinite(x)], dtype=float)
    q = 1.0 - ci_level()
    m = len(p)
    if m == 0:
        return ci_level(), 0
    ranked = np.sort(p)
    passing = np.nonzero(ranked <= q * np.arange(1, m + 1) / m)[0]
    discoveries = int(passing[-1] + 1) if passing.size else 0
    return 1.0 - q * max(discoveries, 1) / m, discoveries


def _newcombe_p(p_a: float, n_a: float, p_b: float, n_b: float) -> float:
    """The two-sided p of the Newcombe interval: 1 − the level at which it just reaches 0."""
    from scipy.optimize import brentq

    if not all(np.isfinite([p_a, n_a, p_b, n_b])) or n_a <= 0 or n_b <= 0 or p_a == p_b:
        return float("nan") if not all(np.isfinite([p_a, p_b])) else 1.0

    def gap(alpha: float) -> float:
        low, high = _newcombe(np.array([p_a]), np.array([n_a]), np.array([p_b]), np.array([n_b]), 1.0 - alpha)
        return float(low[0]) if p_b > p_a else -float(high[0])  # > 0: the interval excludes 0

    lo, hi = 1e-12, 1.0 - 1e-12
    if gap(lo) >= 0:
        return lo
    if gap(hi) < 0:
        return 1.0
    return float(brentq(gap, lo, hi, xtol=1e-12))


def _panel_columns(
    conn: duckdb.DuckDBPyConnection, filters: Filters, wave_a: str, wave_b: str
) -> pd.DataFrame:
    """indicator → the same people's change (panel): n_pairs, mean change and its CI (survey
    means only; given beside the change of all respondents, never instead of it)."""
    cols = ["n_pairs", "mean_diff", "ci_low", "ci_high"]
    practice = panel_change(conn, filters, wave_a, wave_b, practice_headline_scales(conn))
    practice = practice.assign(indicator=practice["scale_id"])[["indicator", *cols]]
    wb = wellbeing_panel_change(conn, filters, wave_a, wave_b)
    wb = wb.loc[wb["scale_id"] == "who5"].assign(indicator="who5_mean")[["indicator", *cols]]
    out = pd.concat([practice, wb], ignore_index=True)
    return out.rename(columns={"n_pairs": "panel_n_pairs", "mean_diff": "panel_change",
                               "ci_low": "panel_ci_low", "ci_high": "panel_ci_high"})


def _scale_notes(
    conn: duckdb.DuckDBPyConnection, filters: Filters, wave_a: str | None, wave_b: str
) -> pd.DataFrame:
    """indicator → alpha_b (Cronbach's alpha in wave b, the selection's respondents),
    low_reliability (below the alpha_min setting), items_compared / items_left_out (when the
    scale's items differ between the two waves)."""
    scales = {s: s for s in practice_headline_scales(conn)}
    scales |= {"who5_mean": "who5", "cbi_high_share": "cbi_work", "who5_poor_share": "who5"}
    rel = reliability(conn, dataclasses.replace(filters, waves=(wave_b,)), scales=sorted(set(scales.values())))
    alpha = rel.set_index("scale_id")["alpha"] if len(rel) else pd.Series(dtype=float)
    out = pd.DataFrame({"indicator": list(scales), "scale_id": list(scales.values())})
    out["alpha_b"] = out["scale_id"].map(alpha).astype(float)
    out["low_reliability"] = out["alpha_b"] < float(setting("alpha_min"))
    if wave_a is not None:
        basis = with_item_basis(conn, out, wave_a, wave_b, sorted(set(scales.values())))
        out["items_compared"], out["items_left_out"] = basis["items_compared"], basis["items_left_out"]
    else:
        out["items_compared"] = out["items_left_out"] = None
    return out.drop(columns="scale_id")


def _raw_change(
    conn: duckdb.DuckDBPyConnection, filters: Filters, wave_a: str | None, wave_b: str
) -> pd.DataFrame:
    """headline_change before its intervals: values, change, its standard error and kind of test."""
    if wave_a is not None and wave_a == wave_b:
        raise ValueError(f"compare two different waves (got {wave_a!r} twice)")
    waves = (wave_b,) if wave_a is None else (wave_a, wave_b)
    two = dataclasses.replace(filters, waves=waves)
    parts = [
        _survey_stats(conn, two, compare=None if wave_a is None else (wave_a, wave_b)),
        _network_stats(conn, two), _action_stats(conn, two),
    ]
    stats = pd.concat([f for f in parts if not f.empty] or [_empty(TREND_COLUMNS)], ignore_index=True)
    for col in ("sd", "coverage", "months", "dispersion", "change_robust", "n_both", "basis"):
        if col not in stats.columns:
            stats[col] = np.nan
    keys = ["n", "value", "sd", "coverage", "months", "dispersion", "change_robust", "n_both", "basis",
            "suppressed"]
    b = stats.loc[stats["wave_id"] == wave_b, ["indicator", *keys]]
    if wave_a is None:
        a = pd.DataFrame({"indicator": b["indicator"]}).assign(**{k: np.nan for k in keys})
        a["suppressed"] = False
    else:
        a = stats.loc[stats["wave_id"] == wave_a, ["indicator", *keys]]
    meta = pd.DataFrame([dataclasses.asdict(h) for h in headlines(conn)]).rename(columns={"id": "indicator"})
    df = meta.merge(a.add_suffix("_a").rename(columns={"indicator_a": "indicator"}), on="indicator", how="left")
    df = df.merge(b.add_suffix("_b").rename(columns={"indicator_b": "indicator"}), on="indicator", how="left")
    df = df.loc[df["indicator"].isin(stats["indicator"])].reset_index(drop=True)
    df["wave_a"], df["wave_b"] = wave_a, wave_b
    for col in ("n_a", "n_b", "value_a", "value_b", "sd_a", "sd_b", "months_a", "months_b", "dispersion_a",
                "dispersion_b", "change_robust_b"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    df["suppressed"] = df["suppressed_a"].fillna(False).astype(bool) | df["suppressed_b"].fillna(False).astype(bool)
    df["change"] = df["value_b"] - df["value_a"]
    df["se"] = df["dof"] = df["p"] = df["effect"] = np.nan
    df["effect_name"], df["test"] = None, NO_TEST
    means = df["unit"].isin([SCORE_1_5, SCORE_0_100]).to_numpy()
    if means.any():
        m = df.loc[means]
        w = welch_from_stats(m["value_b"], m["sd_b"], m["n_b"], m["value_a"], m["sd_a"], m["n_a"], ci_level())
        g = hedges_g(m["value_b"], m["sd_b"], m["n_b"], m["value_a"], m["sd_a"], m["n_a"], ci_level())
        with np.errstate(invalid="ignore", divide="ignore"):
            df.loc[means, "se"] = np.sqrt(m["sd_b"] ** 2 / m["n_b"] + m["sd_a"] ** 2 / m["n_a"])
        df.loc[means, "dof"] = w.df
        df.loc[means, "p"] = w.p
        df.loc[means, "effect"], df.loc[means, "effect_name"], df.loc[means, "test"] = g.g, "hedges_g", WELCH
    shares = (df["family"] == "wellbeing").to_numpy() & (df["unit"] == SHARE).to_numpy()
    if shares.any():
        sh = df.loc[shares]
        pa, pb = sh["value_a"].to_numpy(float), sh["value_b"].to_numpy(float)
        df.loc[shares, "effect"], df.loc[shares, "effect_name"] = _cohen_h(pa, pb), "cohen_h"
        df.loc[shares, "test"] = NEWCOMBE
        df.loc[shares, "p"] = [
            _newcombe_p(a, na, b, nb) for a, na, b, nb in zip(pa, sh["n_a"], pb, sh["n_b"], strict=True)
        ]
    rates = (df["unit"] == PER_MONTH).to_numpy()
    if rates.any():
        r = df.loc[rates]
        df.loc[rates, "se"] = np.sqrt(r["dispersion_a"] * r["n_a"] / r["months_a"] ** 2
                                      + r["dispersion_b"] * r["n_b"] / r["months_b"] ** 2)
        df.loc[rates, "test"] = POISSON
        with np.errstate(invalid="ignore", divide="ignore"):
            df.loc[rates, "p"] = 2.0 * sps.norm.sf(np.abs(df.loc[rates, "change"] / df.loc[rates, "se"]))
    network = (df["family"] == "network").to_numpy()
    if network.any():  # among the institutions that answered; on those answering both waves when coverage moved
        df.loc[network, "change"] = df.loc[network, "change_robust_b"]
        df.loc[network, "n_both"] = df.loc[network, "n_both_b"]
    df["estimate"] = np.where(network, df["basis_b"].astype(object), None)
    df["design"] = df["family"].map(
        {"practice": ALL_RESPONDENTS, "wellbeing": ALL_RESPONDENTS, "network": WHOLE_NETWORK,
         "exchanges": ACTIVITY_LOG}
    )
    return df


def _adjust(df: pd.DataFrame, level: float, family_size: int, p_adjusted: np.ndarray) -> pd.DataFrame:
    """Intervals and verdicts of the tested changes at the family's level."""
    out = df.copy()
    out["ci_level"], out["family_size"], out["p_adjusted"] = level, family_size, p_adjusted
    out["ci_low"] = out["ci_high"] = np.nan
    means = (out["test"] == WELCH).to_numpy()
    crit = sps.t.ppf(0.5 + level / 2.0, out["dof"].where(means))
    out.loc[means, "ci_low"] = out.loc[means, "change"] - crit[means] * out.loc[means, "se"]
    out.loc[means, "ci_high"] = out.loc[means, "change"] + crit[means] * out.loc[means, "se"]
    shares = (out["test"] == NEWCOMBE).to_numpy()
    if shares.any():
        sh = out.loc[shares]
        low, high = _newcombe(sh["value_a"].to_numpy(float), sh["n_a"].to_numpy(float),
                              sh["value_b"].to_numpy(float), sh["n_b"].to_numpy(float), level)
        out.loc[shares, "ci_low"], out.loc[shares, "ci_high"] = low, high
    rates = (out["test"] == POISSON).to_numpy()
    z = float(sps.norm.ppf(0.5 + level / 2.0))
    out.loc[rates, "ci_low"] = out.loc[rates, "change"] - z * out.loc[rates, "se"]
    out.loc[rates, "ci_high"] = out.loc[rates, "change"] + z * out.loc[rates, "se"]
    tested = out["ci_low"].notna() & out["ci_high"].notna()
    excludes = (out["ci_low"] > 0) | (out["ci_high"] < 0)
    out["significant"] = pd.array(np.where(tested, excludes, pd.NA), dtype="boolean")
    sign = np.where(out["higher_is_better"].astype(bool), 1.0, -1.0)
    out["oriented_effect"] = out["effect"].astype(float) * sign
    blank = ["value_a", "value_b", "n_a", "n_b", "change", "ci_low", "ci_high", "effect", "oriented_effect", "p",
             "p_adjusted"]
    out.loc[out["suppressed"], blank] = np.nan
    out.loc[out["suppressed"], "significant"] = pd.NA
    return out


def bh_adjusted(pvalues: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (NaN kept), in the input order."""
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    m = int(ok.sum())
    if m == 0:
        return out
    order = np.argsort(p[ok])
    ranked = p[ok][order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(ranked, 1.0)
    out[ok] = adjusted
    return out


def _tested(change: pd.DataFrame) -> np.ndarray:
    return ((change["test"] != NO_TEST) & ~change["suppressed"].astype(bool) & change["p"].notna()).to_numpy()


def headline_change(
    conn: duckdb.DuckDBPyConnection, filters: Filters, wave_a: str | None, wave_b: str,
    family: Sequence[float] | np.ndarray | None = None,
) -> pd.DataFrame:
    """Each headline indicator in wave b, its change since wave a, and whether it is beyond
    noise (module docstring). With ``wave_a`` None (a single wave), the change columns are NaN.

    One definition: change = value_b − value_a, both over **all respondents of each wave**
    (``design``), scales scored on the items both waves asked (``items_compared``); the change of
    the same people (panel) is given beside it (``panel_*``), never instead. Interval and
    verdict come from the same test: Welch t (means), Newcombe hybrid score (shares),
    quasi-Poisson (actions per month), read as one family with the other p-values of the page
    (``family``: the other tests' p-values; by default this frame's tests only):
    Benjamini–Hochberg at 1 − ci_level (``p_adjusted``), intervals at the false-coverage-rate
    level of :func:`family_level` (``ci_level``), so ``significant`` ⇔ discovered ⇔ the
    interval excludes 0; ``family_size`` tests. ``effect``: Hedges' g (means) or Cohen's h
    (shares), one standardised scale for ranking; ``oriented_effect`` positive for an
    improvement. Network indicators: density and cross-sector share among the institutions
    that answered, the change on those that answered both waves when coverage moved
    (``estimate``), no sampling test. ``alpha_b`` / ``low_reliability``: Cronbach's alpha of the
    scale in wave b, below the ``alpha_min`` setting.
    Filters: ``filters.waves`` is replaced by the two waves.
    Suppression: a survey indicator with fewer than min_group_size respondents in either wave
    has its values and change blanked (``suppressed``).

    Columns: CHANGE_COLUMNS.
    """
    raw = _raw_change(conn, filters, wave_a, wave_b)
    own = raw.loc[_tested(raw), "p"].to_numpy(float)
    others = np.asarray([] if family is None else list(family), dtype=float)
    everyone = np.concatenate([own, others])
    level, _ = family_level(everyone)
    adjusted = np.full(len(raw), np.nan)
    adjusted[_tested(raw)] = bh_adjusted(everyone)[: len(own)]
    out = _adjust(raw, level, len(everyone), adjusted)
    notes = _scale_notes(conn, filters, wave_a, wave_b)
    out = out.merge(notes, on="indicator", how="left")
    if wave_a is not None:
        out = out.merge(_panel_columns(conn, filters, wave_a, wave_b), on="indicator", how="left")
    out["low_reliability"] = out["low_reliability"].astype("boolean")
    return out.reindex(columns=CHANGE_COLUMNS).reset_index(drop=True)


def _group_labels(conn: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[str, str]]:
    """(dimension, code) → (label_fr, label_en) for sectors and roles."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for rec in query_frame(conn, "SELECT sector_id, label_fr, label_en FROM sectors").itertuples(index=False):
        out[("sector_id", str(rec.sector_id))] = (str(rec.label_fr), str(rec.label_en))
    roles = query_frame(
        conn,
        "SELECT r.role, any_value(l.label_fr) AS label_fr, any_value(l.label_en) AS label_en "
        "FROM (SELECT DISTINCT role, instrument FROM respondents WHERE role IS NOT NULL) r "
        "JOIN response_labels l ON l.code = r.role AND l.instrument = r.instrument GROUP BY r.role",
    )
    for rec in roles.itertuples(index=False):
        out[("role", str(rec.role))] = (str(rec.label_fr), str(rec.label_en))
    return out


def _pooled_by_wave(groups: pd.DataFrame) -> pd.DataFrame:
    """n, mean, sd per wave of the union of the groups (from each group's n, mean, sd)."""
    g = groups.assign(
        n=groups["n"].astype(float), _s=groups["n"] * groups["mean"],
        _ss=(groups["n"] - 1) * groups["sd"].fillna(0.0) ** 2 + groups["n"] * groups["mean"] ** 2,
    )
    agg = g.groupby("wave_id")[["n", "_s", "_ss"]].sum()
    agg["mean"] = agg["_s"] / agg["n"]
    with np.errstate(invalid="ignore", divide="ignore"):
        agg["sd"] = np.sqrt(np.clip((agg["_ss"] - agg["n"] * agg["mean"] ** 2) / (agg["n"] - 1), 0.0, None))
    return agg[["n", "mean", "sd"]]


def group_changes(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    wave_a: str,
    wave_b: str,
    scale_id: str | None = None,
    dimensions: Sequence[str] = GROUP_DIMENSIONS,
    family: Sequence[float] | np.ndarray | None = None,
) -> pd.DataFrame:
    """How each group's mean score changed between two waves, compared with everyone else
    (``scale_id``: network practice by default, else the first practice headline, :func:`lag_scale`).

    Method: per dimension (territory, sector, role, level) and group, the group's mean in
    each wave (``scale_summary`` by that dimension, respondents' published metadata in each
    wave) and the mean of the rest: the other groups shown for that dimension (from the
    sufficient statistics n, mean, sd; respondents in groups too small to show are in neither).
    change = mean_b − mean_a, gap = change − rest_change,
    v = sd_ga²/n_ga + sd_gb²/n_gb + sd_ra²/n_ra + sd_rb²/n_rb (cross-sectional samples treated as
    independent: conservative for panel respondents), Welch t = gap / √v (column ``z``) with
    Welch–Satterthwaite ``df``, two-sided p; every group of every dimension compared, and the
    other p-values of the page (``family``), read with Benjamini–Hochberg (``p_adjusted``), the
    interval at the family's level (``ci_level``, :func:`family_level`).
    ``oriented_gap`` = gap, or −gap for a scale where lower is better.
    Filters: ``filters.waves`` is replaced by the two waves; the other filters apply (a
    dimension with a single group left has no rest and no row).
    Missing data: respondents without a score or without a value for the dimension are in
    the rest, never a group of their own.
    Suppression: a group is compared only when it has at least min_group_size respondents
    in both waves and is shown by ``scale_summary`` (complementary suppression included), and
    when the rest has as many.

    Columns: scale_id, dimension, group, label_fr, label_en (sector and role labels; None
    for territory and level), wave_a, wave_b, n_a, n_b, mean_a, mean_b, change, rest_n_a,
    rest_n_b, rest_change, gap, gap_ci_low, gap_ci_high, ci_level, z, df, p, p_adjusted,
    family_size, oriented_gap.
    """
    if wave_a == wave_b:
        raise ValueError(f"compare two different waves (got {wave_a!r} twice)")
    scale_id = scale_id if scale_id is not None else lag_scale(conn)
    if scale_id is None:
        return _empty(GROUP_COLUMNS)
    two = dataclasses.replace(filters, waves=(wave_a, wave_b))
    compare = (wave_a, wave_b)
    total = scale_summary(conn, two, scales=(scale_id,), compare=compare)
    if total.empty or total["suppressed"].any() or set(total["wave_id"]) != {wave_a, wave_b}:
        return _empty(GROUP_COLUMNS)
    hib = bool(
        query_frame(
            conn, "SELECT higher_is_better FROM survey_scales WHERE scale_id = ? LIMIT 1", [scale_id]
        )["higher_is_better"].iloc[0]
    )
    labels = _group_labels(conn)
    frames = []
    for dim in dimensions:
        by = scale_summary(conn, two, by=("wave_id", dim), scales=(scale_id,), compare=compare)
        pooled = _pooled_by_wave(by.loc[~by["suppressed"]])  # the rest: the other groups shown
        by = by.loc[by[dim].notna()]
        if by.empty:
            continue
        side = {}
        for key, wave in (("a", wave_a), ("b", wave_b)):
            part = by.loc[by["wave_id"] == wave, [dim, "n", "mean", "sd", "suppressed"]]
            side[key] = part.rename(columns={c: f"{c}_{key}" for c in ("n", "mean", "sd", "suppressed")})
        df = side["a"].merge(side["b"], on=dim, how="inner")
        df = df.loc[~df["suppressed_a"] & ~df["suppressed_b"]].copy()
        if df.empty:
            continue
        for key, wave in (("a", wave_a), ("b", wave_b)):
            if wave not in pooled.index:
                n_t = m_t = s_t = np.nan
            else:
                n_t, m_t, s_t = (float(pooled.loc[wave, c]) for c in ("n", "mean", "sd"))
            n_g, m_g, s_g = df[f"n_{key}"], df[f"mean_{key}"], df[f"sd_{key}"]
            n_r = n_t - n_g
            with np.errstate(invalid="ignore", divide="ignore"):
                m_r = (n_t * m_t - n_g * m_g) / n_r
                ss_r = ((n_t - 1) * s_t**2 + n_t * m_t**2) - ((n_g - 1) * s_g**2 + n_g * m_g**2)
                var_r = (ss_r - n_r * m_r**2) / (n_r - 1)
            df[f"rest_n_{key}"] = n_r
            df[f"rest_mean_{key}"] = m_r
            df[f"rest_var_{key}"] = np.clip(var_r, 0.0, None)
        df = df.loc[(df["rest_n_a"] >= filters.min_group_size) & (df["rest_n_b"] >= filters.min_group_size)]
        if df.empty:
            continue
        df["dimension"] = dim
        df["group"] = df[dim].astype(str)
        frames.append(df.drop(columns=[dim]))
    if not frames:
        return _empty(GROUP_COLUMNS)
    df = pd.concat(frames, ignore_index=True)
    df["scale_id"], df["wave_a"], df["wave_b"] = scale_id, wave_a, wave_b
    df["mean_a"], df["mean_b"] = df["mean_a"].astype(float), df["mean_b"].astype(float)
    df["change"] = df["mean_b"] - df["mean_a"]
    df["rest_change"] = df["rest_mean_b"] - df["rest_mean_a"]
    df["gap"] = df["change"] - df["rest_change"]
    # Welch: the gap's variance is the sum of the four samples' (group and rest, each wave), its
    # degrees of freedom Welch–Satterthwaite's (small groups get wide intervals, not normal ones)
    parts = [
        (df["sd_a"] ** 2 / df["n_a"], df["n_a"]), (df["sd_b"] ** 2 / df["n_b"], df["n_b"]),
        (df["rest_var_a"] / df["rest_n_a"], df["rest_n_a"]), (df["rest_var_b"] / df["rest_n_b"], df["rest_n_b"]),
    ]
    var = sum(v for v, _ in parts)
    se = np.sqrt(var)
    with np.errstate(invalid="ignore", divide="ignore"):
        dof = var**2 / sum(v**2 / (n - 1) for v, n in parts)
        df["z"] = df["gap"] / se  # the Welch t statistic (column name kept)
    df["df"] = dof
    df["p"] = 2.0 * sps.t.sf(np.abs(df["z"]), dof)
    own = df["p"].to_numpy(float)
    everyone = np.concatenate([own, np.asarray([] if family is None else list(family), dtype=float)])
    level, _ = family_level(everyone)
    crit = sps.t.ppf(0.5 + level / 2.0, dof)
    df["gap_ci_low"], df["gap_ci_high"] = df["gap"] - crit * se, df["gap"] + crit * se
    df["p_adjusted"] = bh_adjusted(everyone)[: len(own)]
    df["family_size"] = int(np.isfinite(everyone).sum())
    df["ci_level"] = level
    df["oriented_gap"] = df["gap"] * (1.0 if hib else -1.0)
    df["label_fr"] = [labels.get((d, g), (None, None))[0] for d, g in zip(df["dimension"], df["group"], strict=True)]
    df["label_en"] = [labels.get((d, g), (None, None))[1] for d, g in zip(df["dimension"], df["group"], strict=True)]
    for col in ("n_a", "n_b", "rest_n_a", "rest_n_b"):
        df[col] = df[col].astype("int64")
    return df.reindex(columns=GROUP_COLUMNS).reset_index(drop=True)


def _pick(
    change: pd.DataFrame, kind: str, better: Callable[[pd.Series], pd.Series]
) -> dict[str, object]:
    """The finding of one direction: the largest significant oriented effect, else the
    largest within noise, else none."""
    candidates = change.loc[change["family"].isin(SURVEY_FAMILIES)]
    candidates = candidates.loc[candidates["oriented_effect"].notna()]
    candidates = candidates.loc[better(candidates["oriented_effect"])]
    row: dict[str, object] = {"kind": kind, "status": NONE}
    if candidates.empty:
        return row
    sig = candidates.loc[candidates["significant"].fillna(False).astype(bool)]
    pool, status = (sig, FOUND) if not sig.empty else (candidates, WITHIN_NOISE)
    strength = pool["oriented_effect"].abs()
    best = pool.loc[strength.idxmax()]
    row.update({k: best[k] for k in best.index if k in FINDING_COLUMNS})
    row["status"] = status
    return row


def pick_findings(change: pd.DataFrame, groups: pd.DataFrame, lag: Headline | None = None) -> pd.DataFrame:
    """The three findings from a :func:`headline_change` frame and a :func:`group_changes`
    frame (pure: no database); ``lag``: the headline of the groups' scale (network practice by
    default), named in the lag finding whatever its status.

    * ``improvement`` / ``decline``: among the survey headlines (respondents), the largest
      oriented standardised effect (positive / negative) whose change is beyond noise
      (status "found"); if none is beyond noise, the largest in that direction (status
      "within_noise"); if none moves that way or nothing is comparable, status "none".
    * ``lag``: the group with the lowest t among those whose oriented gap is negative;
      status "found" when Benjamini–Hochberg discovers it (p_adjusted < 1 − ci_level), else
      "within_noise"; "none" when no group falls behind the rest (or none could be compared).

    Columns: kind, status, indicator, unit, higher_is_better, wave_a, wave_b, value_a,
    value_b, change, ci_low, ci_high, effect, effect_name, test, significant, dimension,
    group, group_label_fr, group_label_en, rest_change, gap, gap_ci_low, gap_ci_high,
    ci_level, p_adjusted, family_size, n_a, n_b (NaN/None where they do not apply).
    """
    rows = [
        _pick(change, "improvement", lambda e: e > 0),
        _pick(change, "decline", lambda e: e < 0),
    ]
    head = lag if lag is not None else _BY_ID[LAG_SCALE]
    lag_row: dict[str, object] = {
        "kind": "lag", "status": NONE, "indicator": head.id, "label_fr": head.label_fr, "label_en": head.label_en,
        "unit": head.unit, "higher_is_better": head.higher_is_better,
    }
    behind = groups.loc[groups["oriented_gap"] < 0] if not groups.empty else groups
    if not behind.empty:
        oriented_z = behind["z"] * np.sign(behind["oriented_gap"] / behind["gap"])
        best = behind.loc[oriented_z.astype(float).idxmin()]
        lag_row.update(
            {
                "status": FOUND if float(best["p_adjusted"]) < 1.0 - ci_level() else WITHIN_NOISE,
                "indicator": best["scale_id"], "wave_a": best["wave_a"], "wave_b": best["wave_b"],
                "value_a": best["mean_a"], "value_b": best["mean_b"], "change": best["change"],
                "dimension": best["dimension"], "group": best["group"],
                "group_label_fr": best["label_fr"], "group_label_en": best["label_en"],
                "rest_change": best["rest_change"], "gap": best["gap"],
                "gap_ci_low": best["gap_ci_low"], "gap_ci_high": best["gap_ci_high"],
                "p_adjusted": best["p_adjusted"], "family_size": best["family_size"],
                "ci_level": best["ci_level"],
                "n_a": best["n_a"], "n_b": best["n_b"], "design": ALL_RESPONDENTS,
            }
        )
    rows.append(lag_row)
    waves = {"wave_a": None, "wave_b": None}
    for frame in (change, groups):
        if len(frame):
            waves = {"wave_a": frame["wave_a"].iloc[0], "wave_b": frame["wave_b"].iloc[0]}
            break
    for row in rows:
        for key, value in waves.items():
            if row.get(key) is None:
                row[key] = value
    out = pd.DataFrame(rows).reindex(columns=FINDING_COLUMNS)
    out["significant"] = out["significant"].astype("boolean")
    return out


def comparisons(
    conn: duckdb.DuckDBPyConnection, filters: Filters, wave_a: str, wave_b: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(headline_change, group_changes) between two waves as the overview page reports them:
    every test of the page — the headline changes and the groups' gaps — in one family
    (Benjamini–Hochberg, intervals at the family's level)."""
    raw = _raw_change(conn, filters, wave_a, wave_b)
    groups = group_changes(conn, filters, wave_a, wave_b)
    card_p = raw.loc[_tested(raw), "p"].to_numpy(float)
    group_p = groups["p"].to_numpy(float) if len(groups) else np.empty(0)
    change = headline_change(conn, filters, wave_a, wave_b, family=group_p)
    if len(groups):
        groups = group_changes(conn, filters, wave_a, wave_b, family=card_p)
    return change, groups


def findings(
    conn: duckdb.DuckDBPyConnection, filters: Filters, wave_a: str, wave_b: str
) -> pd.DataFrame:
    """The three automatic findings between two waves: largest improvement, largest
    decline (survey headlines, see :func:`pick_findings`) and the group that lags in network
    practice (:func:`group_changes`), the tests of both in one family (:func:`comparisons`).
    One row per kind, in that order.

    Columns: see :func:`pick_findings`.
    """
    change, groups = comparisons(conn, filters, wave_a, wave_b)
    return pick_findings(change, groups, lag_headline(conn))


# --------------------------------------------------------------------------- catalogue

INDICATORS: list[Indicator] = [
    Indicator(
        id="overview.headline_change",
        family="overview",
        title_fr="Indicateurs clés et leur évolution entre deux vagues",
        title_en="Headline indicators and their change between two waves",
        definition_fr=(
            "Pour chaque indicateur clé (pratiques en réseau, culture du partenariat, bien-être "
            "WHO-5 moyen et part ≤ 50, part en épuisement élevé, densité du réseau des partenaires, "
            "part des liens entre secteurs, actions communes par mois) : sa valeur à la vague "
            "d'arrivée, son évolution depuis la vague de départ — une seule définition : valeur "
            "d'arrivée moins valeur de départ, toutes les personnes de chaque vague, sur les questions "
            "posées aux deux vagues — et si elle dépasse le bruit : son intervalle de confiance exclut 0, "
            "à un niveau qui tient compte de toutes les comparaisons de la page (Benjamini–Hochberg). "
            "L'évolution des mêmes personnes (panel) est donnée à côté, jamais à la place. Le réseau est "
            "mesuré parmi les structures qui ont répondu ; quand la couverture change, son évolution "
            "l'est parmi celles qui ont répondu aux deux vagues. Une échelle dont l'alpha de Cronbach est "
            "sous alpha_min porte un avertissement de fiabilité."
        ),
        definition_en=(
            "For each headline indicator (network practice, partnership culture, mean WHO-5 "
            "wellbeing and share ≤ 50, share with high burnout, partner-network density, "
            "cross-sector tie share, joint actions per month): its value in the later wave, its change "
            "since the earlier wave — one definition: later value minus earlier value, everyone of "
            "each wave, on the questions both waves asked — and whether it is beyond noise: its "
            "confidence interval excludes 0, at a level that accounts for every comparison of the "
            "page (Benjamini–Hochberg). The change of the same people (panel) is given beside it, "
            "never instead. The network is measured among the institutions that answered; when "
            "coverage moves, its change among those that answered both waves. A scale whose "
            "Cronbach's alpha is below alpha_min carries a reliability warning."
        ),
        formula=(
            "change = value_b − value_a; tests: Welch t (means), Newcombe hybrid score from Wilson "
            "intervals (shares; p by inverting the interval), quasi-Poisson z (actions per month); "
            "the page's m tests (these and the group gaps) read with Benjamini–Hochberg at q = 1 − "
            "ci_level: R discoveries; intervals at level 1 − R·q/m (q/m when R = 0; Benjamini & "
            "Yekutieli 2005), so beyond noise ⇔ discovered ⇔ interval ∌ 0; effect for ranking: "
            "Hedges' g (means), Cohen's h = 2·asin√p_b − 2·asin√p_a (shares)"
        ),
        formula_fr=(
            "évolution = valeur_b − valeur_a ; tests : t de Welch (moyennes), méthode hybride de "
            "Newcombe fondée sur les intervalles de Wilson (parts ; p obtenue en inversant "
            "l'intervalle), z de Poisson surdispersé (actions par mois) ; les m tests de la page (ceux-ci "
            "et les écarts des groupes) lus par Benjamini–Hochberg à q = 1 − ci_level : R découvertes ; "
            "intervalles au niveau 1 − R·q/m (q/m si R = 0 ; Benjamini et Yekutieli 2005), donc au-delà "
            "du bruit ⇔ découvert ⇔ intervalle ∌ 0 ; taille d'effet pour le classement : g de Hedges "
            "(moyennes), h de Cohen = 2·asin√p_b − 2·asin√p_a (parts)"
        ),
        unit="unit of each indicator (score 1–5, score 0–100, share 0–1, actions per month)",
        sources=("survey_scores", "responses", "survey_respondents", "survey_scales", "network_ties", "institutions",
                 "activities", "waves"),
        missing_data=(
            "As each source indicator: scale scores on available cases, rescored on the common items "
            "when a codebook version changed the scale between the two waves; network figures among "
            "the institutions that answered (coverage given); actions over the months of the recall "
            "window the activity log covers."
        ),
        missing_data_fr=(
            "Comme pour chaque indicateur source : scores d'échelle sur les cas disponibles, recalculés "
            "sur les items communs quand une version du questionnaire a changé l'échelle entre les deux "
            "vagues ; réseau mesuré parmi les structures qui ont répondu (couverture indiquée) ; "
            "actions sur les mois de la période de rappel que le journal couvre."
        ),
        caveats=(
            "Everyone of each wave: a change can come from who answered (the panel, beside, is the "
            "same people). Actions per month count logged actions: a better-kept log looks like more "
            "actions."
        ),
        caveats_fr=(
            "Toutes les personnes de chaque vague : une évolution peut tenir à qui a répondu (le panel, "
            "à côté, porte sur les mêmes personnes). Les actions par mois comptent les actions inscrites "
            "au journal : un journal mieux tenu donne l'impression de davantage d'actions."
        ),
        function="indicators.overview.headline_change",
    ),
    Indicator(
        id="overview.actions_per_month",
        family="overview",
        title_fr="Actions communes par mois",
        title_en="Joint actions per month",
        definition_fr=(
            "Nombre d'actions communes du journal dans la période couverte par une vague (les six "
            "mois précédant l'enquête et la période d'enquête), divisé par le nombre de mois de cette "
            "période que le journal couvre (de son premier à son dernier mois), un mois sans action "
            "comptant pour 0."
        ),
        definition_en=(
            "Number of logged joint actions in the period a wave covers (the six months before "
            "fieldwork and the fieldwork), divided by the number of months of that period the log "
            "covers (from its first to its last month), a month without any action counting as 0."
        ),
        formula="C / M; CI C/M ± z·√(φ·C) / M, φ = max(1, Σ (c_i − C/M)² / (C/M) / (M − 1)) (quasi-Poisson)",
        formula_fr="C / M ; IC C/M ± z·√(φ·C) / M, φ = max(1, Σ (c_i − C/M)² / (C/M) / (M − 1)) (quasi-Poisson)",
        unit="actions per month",
        sources=("activities", "activity_institutions", "institutions", "waves"),
        missing_data="Months of the period before the log's first month or after its last are not counted.",
        missing_data_fr=(
            "Les mois de la période antérieurs au premier mois du journal ou postérieurs à son dernier "
            "ne sont pas comptés."
        ),
        caveats=(
            "Actions, not respondents: not suppressed; the role and level filters do not apply. "
            "Actions come in bursts: the interval is widened by their dispersion."
        ),
        caveats_fr=(
            "Des actions, pas des répondants : pas de suppression des petits effectifs ; les "
            "filtres de fonction et de niveau ne s'appliquent pas. Les actions arrivent par vagues : "
            "l'intervalle est élargi par leur dispersion."
        ),
        function="indicators.overview.headline_trend",
    ),
    Indicator(
        id="overview.group_lag",
        family="overview",
        title_fr="Groupe en retard sur l'évolution des pratiques en réseau",
        title_en="Group lagging behind in network practice",
        definition_fr=(
            "Pour chaque territoire, secteur, fonction et niveau montré (au moins 5 répondants aux "
            "deux vagues) : évolution de son score moyen de pratiques en réseau comparée à celle des "
            "autres groupes montrés de la même dimension (écart, intervalle de confiance, test t de "
            "Welch), dans la famille des comparaisons de la page (Benjamini–Hochberg). Le groupe en "
            "retard est celui dont l'écart est le plus nettement négatif."
        ),
        definition_en=(
            "For each territory, sector, role and level shown (at least 5 respondents in both "
            "waves): the change of its mean network practice score compared with the other groups "
            "shown of the same dimension (gap, confidence interval, Welch t test), in the family of "
            "the page's comparisons (Benjamini–Hochberg). The lagging group is the one whose gap is "
            "most clearly negative."
        ),
        formula=(
            "gap = (m_gb − m_ga) − (m_rb − m_ra); v = Σ s²/n over the four samples; t = gap/√v; "
            "df = v² / Σ (s²/n)²/(n − 1) (Welch–Satterthwaite); lagging group = argmin t among gaps < 0"
        ),
        formula_fr=(
            "écart = (m_gb − m_ga) − (m_rb − m_ra) ; v = Σ s²/n sur les quatre échantillons ; t = "
            "écart/√v ; ddl = v² / Σ (s²/n)²/(n − 1) (Welch–Satterthwaite) ; groupe en retard = argmin t "
            "parmi les écarts < 0 (g : le groupe, r : les autres groupes montrés ; a, b : vagues de "
            "départ et d'arrivée ; s : écart-type)"
        ),
        unit="score points (1–5 scale)",
        sources=("survey_scores", "survey_respondents", "sectors", "response_labels"),
        missing_data=(
            "Respondents without a score are left out; those whose group cannot be shown "
            "(confidentiality) are in no group and not in the rest."
        ),
        missing_data_fr=(
            "Les répondants sans score sont écartés ; ceux dont le groupe ne peut être montré "
            "(confidentialité) ne comptent ni dans un groupe ni parmi les autres."
        ),
        caveats=(
            "Respondents' published metadata of each wave: people moving between groups count in the "
            "group of each wave. Samples treated as independent (conservative for panel respondents)."
        ),
        caveats_fr=(
            "Caractéristiques publiées à chaque vague : une personne qui change de groupe compte "
            "dans son groupe de chaque vague. Échantillons traités comme indépendants (approche "
            "conservatrice pour les répondants du panel)."
        ),
        function="indicators.overview.group_changes",
    ),
    Indicator(
        id="overview.findings",
        family="overview",
        title_fr="Constats automatiques",
        title_en="Automatic findings",
        definition_fr=(
            "Trois constats entre deux vagues : la plus forte amélioration et la plus forte "
            "dégradation parmi les indicateurs clés d'enquête dont l'évolution dépasse le bruit "
            "(classées sur une même échelle de taille d'effet : g de Hedges pour les moyennes, h de "
            "Cohen pour les parts), et le groupe en retard sur les pratiques en réseau ; tous les tests "
            "de la page forment une seule famille (Benjamini–Hochberg). Quand rien ne dépasse le bruit, "
            "le constat le dit et nomme la plus forte évolution observée."
        ),
        definition_en=(
            "Three findings between two waves: the largest improvement and the largest decline "
            "among the survey headline indicators whose change is beyond noise (ranked on one effect "
            "scale: Hedges' g for means, Cohen's h for shares), and the group lagging in network "
            "practice; every test of the page is one family (Benjamini–Hochberg). When nothing is "
            "beyond noise, the finding says so and names the largest change observed."
        ),
        formula="argmax / argmin of the oriented effect among discoveries; argmin t of group gaps",
        formula_fr=(
            "argmax / argmin de l'effet orienté parmi les découvertes ; argmin t des écarts des groupes"
        ),
        unit="text",
        sources=("survey_scores", "survey_respondents"),
        missing_data="As overview.headline_change and overview.group_lag.",
        missing_data_fr="Comme overview.headline_change et overview.group_lag.",
        caveats="Network and activity indicators are shown but not ranked (no sampling test).",
        caveats_fr=(
            "Les indicateurs de réseau et d'actions communes sont affichés mais pas classés (ils "
            "ne se prêtent pas à un test d'échantillonnage)."
        ),
        function="indicators.overview.findings",
    ),
]
