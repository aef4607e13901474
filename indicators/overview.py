"""Headline indicators of the overview page, their change between two waves, and the
automatic findings (largest improvement, largest decline, the group that lags).

Pure computation (no Streamlit), built on the family modules. Conventions are those of
:mod:`indicators.practice` (``conn`` a DuckDB connection or cursor; tidy frames with ``n`` and
``suppressed``; NaN when undefined; empty frames with the documented columns).

**Headline indicators** (``HEADLINES``), per wave:

* survey means — network practice and partnership culture (1–5), WHO-5 (0–100): mean of the
  respondents' scores with its t CI (``indicators.practice.scale_summary``,
  ``indicators.wellbeing.wellbeing_summary``);
* survey shares — WHO-5 ≤ ``who5_poor`` and CBI ≥ ``cbi_high``, with Wilson CIs;
* partner network — density and cross-sector tie share of the network of every filtered
  institution pooled (``indicators.networks.network_summary(by_territory=False)``); skipped
  (no rows) when that module is not installed;
* joint actions per month — logged joint actions in the wave's recall window divided by the
  number of calendar months from the first to the last month with an action in that window
  (``indicators.exchanges.activity_monthly``), with a Poisson CI.

**Change** between wave a and wave b (:func:`headline_change`): ``change`` = value_b − value_a
(the values shown), and whether it is **beyond noise**: the 95 % CI of the change excludes 0.
The CI is Welch's for means, Newcombe's hybrid score interval (from the two Wilson intervals)
for shares, a normal approximation to the difference of two Poisson rates for actions per
month. These compare **all respondents of each wave** (cross-sectional): respondents answering
both waves make the samples positively correlated, which makes these intervals wider than
need be (conservative). For the means, the panel result (same people in both waves, paired t
test, Holm-adjusted over the scales of the family, see ``practice.panel_change``) is given
alongside. Network indicators describe a whole network (every partner asked): they have no
sampling CI (``test`` = "none", ``significant`` missing); compare their coverage.

**Findings** (:func:`findings`): the largest improvement and the largest decline among the
survey indicators whose change is beyond noise, ranked by standardised effect size oriented so
that positive is better (Hedges' g for means, Cohen's h for shares); when none is beyond
noise, the largest change in that direction is reported as "within noise". The group that lags
(:func:`group_changes`): among territories, sectors, roles and levels with at least
``min_group_size`` respondents in both waves (and as many in the rest of the selection), the
one whose change in network practice falls furthest below the change of everyone else
(z = (change_group − change_rest) / se, se from the four independent samples); p-values are
Holm-adjusted over every group compared.
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
from indicators.practice import (
    PRACTICE_SCALES,
    ci_level,
    panel_change,
    query_frame,
    scale_summary,
)
from indicators.stats import hedges_g, holm_adjust, proportion_ci, welch_from_stats
from indicators.wellbeing import wellbeing_panel_change, wellbeing_summary

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

TREND_COLUMNS = [
    "indicator", "family", "unit", "higher_is_better", "wave_id", "wave_order", "n", "value",
    "ci_low", "ci_high", "coverage", "suppressed",
]
CHANGE_COLUMNS = [
    "indicator", "family", "unit", "higher_is_better", "source_indicator", "wave_a", "wave_b",
    "n_a", "n_b", "value_a", "value_b", "change", "ci_low", "ci_high", "test", "significant",
    "p_holm", "effect", "effect_name", "oriented_effect", "design", "n_pairs", "coverage_a",
    "coverage_b", "suppressed",
]
GROUP_COLUMNS = [
    "scale_id", "dimension", "group", "label_fr", "label_en", "wave_a", "wave_b", "n_a", "n_b",
    "mean_a", "mean_b", "change", "rest_n_a", "rest_n_b", "rest_change", "gap", "gap_ci_low",
    "gap_ci_high", "z", "p", "p_holm", "oriented_gap",
]
FINDING_COLUMNS = [
    "kind", "status", "indicator", "unit", "higher_is_better", "wave_a", "wave_b", "value_a",
    "value_b", "change", "ci_low", "ci_high", "effect", "effect_name", "test", "significant",
    "design", "n_pairs", "dimension", "group", "group_label_fr", "group_label_en", "rest_change", "gap",
    "gap_ci_low", "gap_ci_high", "p_holm", "n_a", "n_b",
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
    indicator: str, src: pd.DataFrame, value: str, low: str | None, high: str | None, extra: dict[str, str]
) -> pd.DataFrame:
    """Long trend rows of one indicator from a per-wave frame."""
    h = _BY_ID[indicator]
    out = pd.DataFrame(
        {
            "indicator": indicator,
            "family": h.family,
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


def _survey_stats(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Per wave × survey headline: n, value, CI and the sufficient statistics of the change
    (sd for means, k for shares)."""
    parts = []
    practice = scale_summary(conn, filters, scales=("network_practice", "partnership_culture"))
    for scale in ("network_practice", "partnership_culture"):
        sub = practice.loc[practice["scale_id"] == scale]
        parts.append(_rows(scale, sub, "mean", "ci_low", "ci_high", {"sd": "sd"}))
    wb = wellbeing_summary(conn, filters)
    who5, cbi = wb.loc[wb["scale_id"] == "who5"], wb.loc[wb["scale_id"] == "cbi_work"]
    parts.append(_rows("who5_mean", who5, "mean", "ci_low", "ci_high", {"sd": "sd"}))
    parts.append(_rows("who5_poor_share", who5, "who5_poor_share", "who5_poor_ci_low", "who5_poor_ci_high", {}))
    parts.append(_rows("cbi_high_share", cbi, "cbi_high_share", "cbi_high_ci_low", "cbi_high_ci_high", {}))
    return pd.concat([p for p in parts if not p.empty] or [_empty(TREND_COLUMNS)], ignore_index=True)


def _network_stats(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    module = networks_module()
    if module is None:
        return _empty(TREND_COLUMNS)
    summary = module.network_summary(conn, filters, by_territory=False)
    if summary.empty:
        return _empty(TREND_COLUMNS)
    summary = summary.assign(suppressed=False)
    parts = [
        _rows("network_density", summary, "density", None, None, {"coverage": "coverage"}),
        _rows("cross_sector_share", summary, "cross_sector_share", None, None, {"coverage": "coverage"}),
    ]
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
    return _rows("actions_per_month", pd.DataFrame(rows), "value", "ci_low", "ci_high", extra)


def _all_stats(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    frames = [_survey_stats(conn, filters), _network_stats(conn, filters), _action_stats(conn, filters)]
    df = pd.concat([f for f in frames if not f.empty] or [_empty(TREND_COLUMNS)], ignore_index=True)
    for col in ("sd", "coverage", "months", "dispersion"):
        if col not in df.columns:
            df[col] = np.nan
    order = {h.id: i for i, h in enumerate(HEADLINES)}
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


def _newcombe(p_a: np.ndarray, n_a: np.ndarray, p_b: np.ndarray, n_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe (1998, method 10) CI of p_b − p_a from the two Wilson intervals."""
    level = ci_level()
    la, ua = proportion_ci(np.round(p_a * n_a), n_a, level)
    lb, ub = proportion_ci(np.round(p_b * n_b), n_b, level)
    d = p_b - p_a
    low = d - np.sqrt((p_b - lb) ** 2 + (ua - p_a) ** 2)
    high = d + np.sqrt((ub - p_b) ** 2 + (p_a - la) ** 2)
    return low, high


def _cohen_h(p_a: np.ndarray, p_b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.asarray(2 * np.arcsin(np.sqrt(p_b)) - 2 * np.arcsin(np.sqrt(p_a)), dtype=float)


def _panel_columns(
    conn: duckdb.DuckDBPyConnection, filters: Filters, wave_a: str, wave_b: str
) -> pd.DataFrame:
    """indicator → panel n_pairs, mean change, CI, Holm p and d_z (survey means only)."""
    cols = ["n_pairs", "mean_diff", "ci_low", "ci_high", "p_holm", "d_z"]
    practice = panel_change(conn, filters, wave_a, wave_b, PRACTICE_SCALES)
    practice = practice.loc[practice["scale_id"].isin(["network_practice", "partnership_culture"])]
    practice = practice.assign(indicator=practice["scale_id"])[["indicator", *cols]]
    wb = wellbeing_panel_change(conn, filters, wave_a, wave_b)
    wb = wb.loc[wb["scale_id"] == "who5"].assign(indicator="who5_mean")[["indicator", *cols]]
    out = pd.concat([practice, wb], ignore_index=True)
    return out.rename(columns={c: f"panel_{c}" for c in cols})


def headline_change(
    conn: duckdb.DuckDBPyConnection, filters: Filters, wave_a: str | None, wave_b: str
) -> pd.DataFrame:
    """Each headline indicator in wave b, its change since wave a, and whether it is beyond
    noise (module docstring). With ``wave_a`` None (a single wave), the change columns are NaN.

    Method: change = value_b − value_a; CI of the change: Welch (means), Newcombe hybrid
    score (shares), normal approximation of the difference of two Poisson rates (actions per
    month: √(C_a/M_a² + C_b/M_b²)); none for network indicators. ``significant``: the CI
    excludes 0 (missing when untested or undefined). ``effect``: Hedges' g (means) or Cohen's
    h = 2·asin√p_b − 2·asin√p_a (shares), NaN otherwise; ``oriented_effect`` is positive when
    the change is an improvement (``higher_is_better``). Panel columns (means only):
    respondents of both waves, paired change, its CI and the Holm-adjusted paired t p-value
    (Holm over the four practice scales, or over WHO-5 and CBI), filters on wave-b answers.
    Filters: ``filters.waves`` is replaced by the two waves.
    Suppression: a survey indicator with fewer than min_group_size respondents in either wave
    has its values and change blanked (``suppressed``); panel columns blank under the same
    rule on the number of pairs.

    Columns: indicator, family, unit, higher_is_better, source_indicator, wave_a, wave_b,
    n_a, n_b, value_a, value_b, change, ci_low, ci_high, test, significant, effect,
    effect_name, oriented_effect, coverage_a, coverage_b, panel_n_pairs, panel_change,
    panel_ci_low, panel_ci_high, panel_p_holm, suppressed.
    """
    if wave_a is not None and wave_a == wave_b:
        raise ValueError(f"compare two different waves (got {wave_a!r} twice)")
    waves = (wave_b,) if wave_a is None else (wave_a, wave_b)
    stats = _all_stats(conn, dataclasses.replace(filters, waves=waves))
    keys = ["n", "value", "sd", "coverage", "months", "dispersion", "suppressed"]
    b = stats.loc[stats["wave_id"] == wave_b, ["indicator", *keys]]
    if wave_a is None:
        a = pd.DataFrame({"indicator": b["indicator"]}).assign(**{k: np.nan for k in keys})
        a["suppressed"] = False
    else:
        a = stats.loc[stats["wave_id"] == wave_a, ["indicator", *keys]]
    meta = pd.DataFrame([dataclasses.asdict(h) for h in HEADLINES]).rename(columns={"id": "indicator"})
    df = meta.merge(a.add_suffix("_a").rename(columns={"indicator_a": "indicator"}), on="indicator", how="left")
    df = df.merge(b.add_suffix("_b").rename(columns={"indicator_b": "indicator"}), on="indicator", how="left")
    present = df["indicator"].isin(stats["indicator"])
    df = df.loc[present].reset_index(drop=True)
    df["wave_a"], df["wave_b"] = wave_a, wave_b
    for col in ("n_a", "n_b", "value_a", "value_b", "sd_a", "sd_b", "months_a", "months_b", "dispersion_a",
                "dispersion_b"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    df["suppressed"] = df["suppressed_a"].fillna(False).astype(bool) | df["suppressed_b"].fillna(False).astype(bool)
    df["change"] = df["value_b"] - df["value_a"]
    df["ci_low"] = np.nan
    df["ci_high"] = np.nan
    df["effect"] = np.nan
    df["effect_name"] = None
    df["test"] = NO_TEST
    level = ci_level()

    means = df["unit"].isin([SCORE_1_5, SCORE_0_100]).to_numpy()
    if means.any():
        m = df.loc[means]
        w = welch_from_stats(m["value_b"], m["sd_b"], m["n_b"], m["value_a"], m["sd_a"], m["n_a"], level)
        g = hedges_g(m["value_b"], m["sd_b"], m["n_b"], m["value_a"], m["sd_a"], m["n_a"], level)
        df.loc[means, "ci_low"], df.loc[means, "ci_high"] = w.ci_low, w.ci_high
        df.loc[means, "effect"], df.loc[means, "effect_name"], df.loc[means, "test"] = g.g, "hedges_g", WELCH

    shares = (df["family"] == "wellbeing").to_numpy() & (df["unit"] == SHARE).to_numpy()
    if shares.any():
        s = df.loc[shares]
        pa, na = s["value_a"].to_numpy(float), s["n_a"].to_numpy(float)
        pb, nb = s["value_b"].to_numpy(float), s["n_b"].to_numpy(float)
        low, high = _newcombe(pa, na, pb, nb)
        df.loc[shares, "ci_low"], df.loc[shares, "ci_high"] = low, high
        df.loc[shares, "effect"], df.loc[shares, "effect_name"], df.loc[shares, "test"] = (
            _cohen_h(pa, pb), "cohen_h", NEWCOMBE
        )

    rates = (df["unit"] == PER_MONTH).to_numpy()
    if rates.any():
        r = df.loc[rates]
        var = (r["dispersion_a"] * r["n_a"] / r["months_a"] ** 2
               + r["dispersion_b"] * r["n_b"] / r["months_b"] ** 2)
        half = _z() * np.sqrt(var)
        df.loc[rates, "ci_low"] = r["change"] - half
        df.loc[rates, "ci_high"] = r["change"] + half
        df.loc[rates, "test"] = POISSON

    tested = df["ci_low"].notna() & df["ci_high"].notna()
    excludes = (df["ci_low"] > 0) | (df["ci_high"] < 0)
    df["significant"] = pd.array(np.where(tested, excludes, pd.NA), dtype="boolean")
    df["design"] = df["family"].map(
        {"practice": CROSS_SECTIONAL, "wellbeing": CROSS_SECTIONAL, "network": WHOLE_NETWORK,
         "exchanges": ACTIVITY_LOG}
    )
    df["p_holm"] = np.nan
    df["n_pairs"] = np.nan
    if wave_a is not None:
        panel = _panel_columns(conn, filters, wave_a, wave_b)
        df = df.merge(panel, on="indicator", how="left")
        use = (df["panel_n_pairs"] >= filters.min_group_size) & df["panel_mean_diff"].notna()
        if use.any():
            for target, source in (
                ("change", "panel_mean_diff"), ("ci_low", "panel_ci_low"), ("ci_high", "panel_ci_high"),
                ("p_holm", "panel_p_holm"), ("effect", "panel_d_z"), ("n_pairs", "panel_n_pairs"),
            ):
                df.loc[use, target] = df.loc[use, source].astype(float)
            df.loc[use, "effect_name"], df.loc[use, "test"], df.loc[use, "design"] = "d_z", PANEL_HOLM, PANEL
            df.loc[use, "significant"] = df.loc[use, "panel_p_holm"] < ALPHA
    sign = np.where(df["higher_is_better"].astype(bool), 1.0, -1.0)
    df["oriented_effect"] = df["effect"].astype(float) * sign
    blank = ["value_a", "value_b", "n_a", "n_b", "change", "ci_low", "ci_high", "effect", "oriented_effect"]
    df.loc[df["suppressed"], blank] = np.nan
    df.loc[df["suppressed"], "significant"] = pd.NA
    return df.reindex(columns=CHANGE_COLUMNS).reset_index(drop=True)


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
    scale_id: str = LAG_SCALE,
    dimensions: Sequence[str] = GROUP_DIMENSIONS,
) -> pd.DataFrame:
    """How each group's mean score changed between two waves, compared with everyone else.

    Method: per dimension (territory, sector, role, level) and group, the group's mean in
    each wave (``scale_summary`` by that dimension, respondents' published metadata in each
    wave) and the mean of the rest: the other groups shown for that dimension (from the
    sufficient statistics n, mean, sd; respondents in groups too small to show are in neither).
    change = mean_b − mean_a, gap = change − rest_change,
    se = √(sd_ga²/n_ga + sd_gb²/n_gb + sd_ra²/n_ra + sd_rb²/n_rb) (cross-sectional samples
    treated as independent: conservative for panel respondents), z = gap / se, two-sided
    normal p, Holm-adjusted over every group of every dimension compared.
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
    rest_n_b, rest_change, gap, gap_ci_low, gap_ci_high, z, p, p_holm, oriented_gap.
    """
    if wave_a == wave_b:
        raise ValueError(f"compare two different waves (got {wave_a!r} twice)")
    two = dataclasses.replace(filters, waves=(wave_a, wave_b))
    total = scale_summary(conn, two, scales=(scale_id,))
    if total.empty or total["suppressed"].any() or set(total["wave_id"]) != {wave_a, wave_b}:
        return _empty(GROUP_COLUMNS)
    hib = bool(
        query_frame(
            conn, "SELECT higher_is_better FROM scales WHERE scale_id = ? LIMIT 1", [scale_id]
        )["higher_is_better"].iloc[0]
    )
    labels = _group_labels(conn)
    frames = []
    for dim in dimensions:
        by = scale_summary(conn, two, by=("wave_id", dim), scales=(scale_id,))
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
    crit = sps.t.ppf(0.5 + ci_level() / 2.0, dof)
    df["gap_ci_low"], df["gap_ci_high"] = df["gap"] - crit * se, df["gap"] + crit * se
    df["df"] = dof
    df["p"] = 2.0 * sps.t.sf(np.abs(df["z"]), dof)
    df["p_holm"] = holm_adjust(df["p"])
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
    candidates = change.loc[change["indicator"].map(lambda i: _BY_ID[i].survey if i in _BY_ID else False)]
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


def pick_findings(change: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """The three findings from a :func:`headline_change` frame and a :func:`group_changes`
    frame (pure: no database).

    * ``improvement`` / ``decline``: among the survey headlines (respondents), the largest
      oriented standardised effect (positive / negative) whose change is beyond noise
      (status "found"); if none is beyond noise, the largest in that direction (status
      "within_noise"); if none moves that way or nothing is comparable, status "none".
    * ``lag``: the group with the lowest z among those whose oriented gap is negative;
      status "found" when its Holm-adjusted p < 0.05, else "within_noise"; "none" when no
      group falls behind the rest (or none could be compared).

    Columns: kind, status, indicator, unit, higher_is_better, wave_a, wave_b, value_a,
    value_b, change, ci_low, ci_high, effect, effect_name, test, significant, dimension,
    group, group_label_fr, group_label_en, rest_change, gap, gap_ci_low, gap_ci_high,
    p_holm, n_a, n_b (NaN/None where they do not apply).
    """
    rows = [
        _pick(change, "improvement", lambda e: e > 0),
        _pick(change, "decline", lambda e: e < 0),
    ]
    lag: dict[str, object] = {"kind": "lag", "status": NONE}
    behind = groups.loc[groups["oriented_gap"] < 0] if not groups.empty else groups
    if not behind.empty:
        oriented_z = behind["z"] * np.sign(behind["oriented_gap"] / behind["gap"])
        best = behind.loc[oriented_z.astype(float).idxmin()]
        lag.update(
            {
                "status": FOUND if float(best["p_holm"]) < ALPHA else WITHIN_NOISE,
                "indicator": best["scale_id"], "wave_a": best["wave_a"], "wave_b": best["wave_b"],
                "value_a": best["mean_a"], "value_b": best["mean_b"], "change": best["change"],
                "dimension": best["dimension"], "group": best["group"],
                "group_label_fr": best["label_fr"], "group_label_en": best["label_en"],
                "rest_change": best["rest_change"], "gap": best["gap"],
                "gap_ci_low": best["gap_ci_low"], "gap_ci_high": best["gap_ci_high"],
                "p_holm": best["p_holm"], "n_a": best["n_a"], "n_b": best["n_b"],
                "unit": SCORE_1_5, "higher_is_better": True, "design": CROSS_SECTIONAL,
            }
        )
    rows.append(lag)
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


def findings(
    conn: duckdb.DuckDBPyConnection, filters: Filters, wave_a: str, wave_b: str
) -> pd.DataFrame:
    """The three automatic findings between two waves: largest improvement, largest
    decline (survey headlines, see :func:`pick_findings`) and the group that lags in network
    practice (:func:`group_changes`). One row per kind, in that order.

    Columns: see :func:`pick_findings`.
    """
    change = headline_change(conn, filters, wave_a, wave_b)
    groups = group_changes(conn, filters, wave_a, wave_b)
    return pick_findings(change, groups)


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
            "d'arrivée, son évolution depuis la vague de départ et si cette évolution dépasse le "
            "bruit : l'intervalle de confiance à 95 % de l'évolution exclut 0 (ensemble des "
            "répondants de chaque vague). Pour les moyennes, l'évolution des mêmes personnes "
            "(panel, p-valeur corrigée par Holm) est donnée à côté. Les indicateurs de réseau "
            "portent sur le réseau entier : pas d'intervalle de confiance."
        ),
        definition_en=(
            "For each headline indicator (network practice, partnership culture, mean WHO-5 "
            "wellbeing and share ≤ 50, share with high burnout, partner-network density, "
            "cross-sector tie share, joint actions per month): its value in the later wave, its "
            "change since the earlier wave, and whether the change is beyond noise: the 95 % "
            "confidence interval of the change excludes 0 (all respondents of each wave). For "
            "means the change of the same people (panel, Holm-adjusted p-value) is given "
            "alongside. Network indicators describe the whole network: no confidence interval."
        ),
        formula=(
            "change = value_b − value_a; CI: Welch (means), Newcombe hybrid score from Wilson "
            "intervals (shares), ±z·√(C_a/M_a² + C_b/M_b²) (actions per month: C actions over M "
            "months); beyond noise ⇔ CI ∌ 0; effect: Hedges' g (means), Cohen's h = "
            "2·asin√p_b − 2·asin√p_a (shares)"
        ),
        formula_fr=(
            "évolution = valeur_b − valeur_a ; IC : Welch (moyennes), méthode hybride de Newcombe "
            "fondée sur les intervalles de Wilson (parts), ±z·√(C_a/M_a² + C_b/M_b²) (actions par "
            "mois : C actions sur M mois) ; au-delà du bruit ⇔ IC ∌ 0 ; taille d'effet : g de "
            "Hedges (moyennes), h de Cohen = 2·asin√p_b − 2·asin√p_a (parts)"
        ),
        unit="unit of each indicator (score 1–5, score 0–100, share 0–1, actions per month)",
        sources=("scale_scores", "respondents", "scales", "ties", "institutions", "activities", "waves"),
        missing_data=(
            "As each source indicator: scale scores on available cases; network density is a "
            "lower bound when some partners did not answer (coverage is given); actions without "
            "a date in a wave's recall window do not count for that wave."
        ),
        missing_data_fr=(
            "Comme pour chaque indicateur source : scores d'échelle sur les cas disponibles ; la "
            "densité du réseau est un minorant quand certains partenaires n'ont pas répondu (le "
            "taux de couverture est indiqué) ; une action sans date dans la période de rappel "
            "d'une vague ne compte pas pour cette vague."
        ),
        caveats=(
            "Cross-sectional intervals are conservative when many respondents answered both "
            "waves. A change of network coverage changes density by itself. Actions per month "
            "count logged actions: a better-kept log looks like more actions."
        ),
        caveats_fr=(
            "Les intervalles calculés sur l'ensemble des répondants de chaque vague sont "
            "conservateurs (trop larges) quand beaucoup de répondants ont participé aux deux "
            "vagues. Une variation de la couverture du réseau suffit à faire varier la densité. "
            "Les actions par mois comptent les actions inscrites au journal : un journal mieux "
            "tenu donne l'impression de davantage d'actions."
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
            "mois précédant l'enquête et la période d'enquête), divisé par le nombre de mois "
            "calendaires entre le premier et le dernier mois où une action est enregistrée dans "
            "cette période."
        ),
        definition_en=(
            "Number of logged joint actions in the period a wave covers (the six months before "
            "fieldwork and the fieldwork), divided by the number of calendar months from the "
            "first to the last month with a logged action in that period."
        ),
        formula="C / M; CI C/M ± z·√C / M (Poisson)",
        formula_fr="C / M ; IC : C/M ± z·√C / M (loi de Poisson)",
        unit="actions per month",
        sources=("activities", "activity_institutions", "institutions", "waves"),
        missing_data="Months at the ends of the period without any logged action are not counted.",
        missing_data_fr="Les mois sans aucune action inscrite en début ou en fin de période ne sont pas comptés.",
        caveats="Actions, not respondents: not suppressed; the role and level filters do not apply.",
        caveats_fr=(
            "Des actions, pas des répondants : pas de suppression des petits effectifs ; les "
            "filtres de fonction et de niveau ne s'appliquent pas."
        ),
        function="indicators.overview.headline_trend",
    ),
    Indicator(
        id="overview.group_lag",
        family="overview",
        title_fr="Groupe en retard sur l'évolution des pratiques en réseau",
        title_en="Group lagging behind in network practice",
        definition_fr=(
            "Pour chaque territoire, secteur, fonction et niveau ayant au moins 5 répondants aux "
            "deux vagues : évolution de son score moyen de pratiques en réseau comparée à celle "
            "de tous les autres répondants (écart, intervalle de confiance, test z, p-valeurs "
            "corrigées par Holm sur l'ensemble des groupes). Le groupe en retard est celui dont "
            "l'écart est le plus nettement négatif."
        ),
        definition_en=(
            "For each territory, sector, role and level with at least 5 respondents in both "
            "waves: the change of its mean network practice score compared with the change of "
            "all other respondents (gap, confidence interval, z test, Holm-adjusted p-values over "
            "every group). The lagging group is the one whose gap is most clearly negative."
        ),
        formula=(
            "gap = (m_gb − m_ga) − (m_rb − m_ra); se = √Σ sd²/n over the four samples; z = gap/se; "
            "lagging group = argmin z among gaps < 0"
        ),
        formula_fr=(
            "écart = (m_gb − m_ga) − (m_rb − m_ra) ; es = √Σ s²/n sur les quatre échantillons ; z "
            "= écart / es ; groupe en retard = argmin z parmi les écarts < 0 (g : le groupe, r : "
            "les autres répondants ; a, b : vagues de départ et d'arrivée ; s : écart-type ; es : "
            "erreur standard)"
        ),
        unit="score points (1–5 scale)",
        sources=("scale_scores", "respondents", "sectors", "response_labels"),
        missing_data="Respondents without a score are left out; without a group value, they are in the rest.",
        missing_data_fr=(
            "Les répondants sans score sont écartés ; ceux dont la caractéristique n'est pas "
            "renseignée sont comptés parmi les autres répondants."
        ),
        caveats=(
            "Respondents' metadata of each wave: people moving between groups count in the group "
            "of each wave. Samples treated as independent (conservative for panel respondents)."
        ),
        caveats_fr=(
            "Caractéristiques déclarées à chaque vague : une personne qui change de groupe compte "
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
            "(classées par taille d'effet standardisée : g de Hedges, h de Cohen), et le groupe "
            "en retard sur les pratiques en réseau. Quand rien ne dépasse le bruit, le constat le "
            "dit et nomme la plus forte évolution observée."
        ),
        definition_en=(
            "Three findings between two waves: the largest improvement and the largest decline "
            "among the survey headline indicators whose change is beyond noise (ranked by "
            "standardised effect size: Hedges' g, Cohen's h), and the group lagging in network "
            "practice. When nothing is beyond noise, the finding says so and names the largest "
            "change observed."
        ),
        formula="argmax / argmin of the oriented effect among significant changes; argmin z of group gaps",
        formula_fr=(
            "argmax / argmin de l'effet orienté parmi les évolutions significatives ; argmin z des "
            "écarts des groupes"
        ),
        unit="text",
        sources=("scale_scores", "respondents"),
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
