"""Do joint actions create lasting ties? (the partners' own question)

For every pair of institutions that answered the partner survey in two consecutive waves t and
t+1, a logistic model of the pair being tied at t+1 on having taken part in a joint action
together between the two fieldworks (activity log), controlling for being tied at t, same
sector, same territory (when the network pools territories), the pair's activity volume and
the pair of waves:

    logit P(tie_{t+1}) = α_transition + β_j·joint + β_t·tie_t + β_jt·joint·tie_t
                         + β_s·same_sector + β_r·same_territory + β_v·log(1 + actions_i + actions_j)

* **Formation** (pairs not tied at t): odds ratio exp(β_j). **Persistence** (pairs tied at t):
  exp(β_j + β_jt). Each is also given as a risk ratio, "pairs that acted together were X times
  as likely to form / keep a tie": the mean predicted probability of the pairs that acted
  together divided by the same mean with joint set to 0 (their covariates otherwise kept).
* **Ties** follow :mod:`indicators.networks`' partner-survey rule: A → B when the level of
  collaboration A gives B (averaged over A's raters) is ≥ ``tie_min_level``; a pair is tied
  when either direction is (undirected, as :func:`indicators.networks.tie_stability`).
* **Pairs at risk**: both institutions answered the partner survey in both waves (a pair cannot
  be called untied when one side did not answer), both within the territory and sector filters,
  and in the same territory when each territory is its own network (``network_scope`` =
  territory; then same_territory is not a covariate).
* **Joint action**: an action of the activity log dated strictly after wave t's last fieldwork
  day and strictly before wave t+1's first, listing both institutions. A pair of waves without
  fieldwork dates has no window and is left out (``transitions`` says so).
* **Standard errors** robust to the dependence of pairs sharing an institution: the dyadic
  sandwich (Fafchamps & Gubert 2007; Aronow, Samii & Assenova 2015), the generalisation of
  two-way clustering to unordered pairs: meat = Σ_i S_i S_i' − Σ_pairs P P' with S_i the sum of
  the score contributions of every pair row involving institution i and P those of one pair
  (over all transitions), times G / (G − 1) (G institutions); intervals and p-values use the t
  quantile with G − 1 degrees of freedom (few clusters). Model-based standard errors are given
  beside (``se_model``).

Everything here is about organisations: no suppression (as the network indicators);
``suppressed`` is always False. Observational: pairs choose their partners (selection), so an
odds ratio above 1 is an association given the controls, not proof that acting together
creates the tie.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats

from indicators.catalogue import Indicator
from indicators.filters import Filters
from indicators.networks import PARTNER, networks_by_territory, tie_rule
from indicators.practice import ci_level

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

FORMATION = "formation"
PERSISTENCE = "persistence"
ESTIMATE_LOGIT = "logit_dyadic_robust"
ESTIMATE_NONE = "none"
NOTE_NO_PAIRS = "no_pairs"
NOTE_NO_JOINT = "no_joint_pairs"
NOTE_NO_VARIATION = "no_outcome_variation"
NOTE_NOT_CONVERGED = "not_converged"
NOTE_NO_WINDOW = "no_fieldwork_dates"
NOTE_TOO_MANY = "too_many_pairs"
NOTE_NO_VARIANCE = "no_variance"
MAX_PAIRS = 1_000_000  # pair × transition rows: beyond, the pooled network is too large to model here
NOTES: dict[str, tuple[str, str]] = {
    NOTE_NO_PAIRS: (
        "aucune paire de structures ayant répondu aux deux vagues",
        "no pair of institutions that answered both waves",
    ),
    NOTE_NO_JOINT: (
        "aucune paire de ce groupe n'a mené d'action commune entre les deux vagues",
        "no pair of this group took part in a joint action between the two waves",
    ),
    NOTE_NO_VARIATION: (
        "le lien à la vague suivante ne varie pas : pas de modèle",
        "the tie at the next wave does not vary: no model",
    ),
    NOTE_NOT_CONVERGED: ("le modèle n'a pas convergé", "the model did not converge"),
    NOTE_NO_VARIANCE: (
        "trop peu de structures pour estimer l'incertitude (variance robuste nulle) : pas d'estimation",
        "too few institutions to estimate the uncertainty (robust variance of zero): no estimate",
    ),
    NOTE_NO_WINDOW: (
        "dates d'enquête manquantes : pas de période entre les deux vagues",
        "fieldwork dates missing: no period between the two waves",
    ),
    NOTE_TOO_MANY: (
        "trop de paires de structures dans un seul réseau (plus d'un million) : choisir un réseau par "
        "territoire (réglage network_scope = territory) ou filtrer des territoires",
        "too many pairs of institutions in one network (over a million): use one network per territory "
        "(setting network_scope = territory) or filter territories",
    ),
}

EFFECT_COLUMNS = [
    "effect", "wave_first", "wave_last", "n_transitions", "n", "n_institutions", "n_joint",
    "observed_rate_joint", "observed_rate_other", "p_joint", "p_joint_counterfactual",
    "odds_ratio", "or_ci_low", "or_ci_high", "risk_ratio", "rr_ci_low", "rr_ci_high", "p_value",
    "se_method", "estimate", "note", "suppressed",
]
MODEL_COLUMNS = [
    "term", "estimate", "se", "se_model", "z", "p_value", "odds_ratio", "ci_low", "ci_high",
]
TRANSITION_COLUMNS = [
    "wave_a", "wave_b", "window_start", "window_end", "institutions", "pairs", "pairs_tied_a",
    "pairs_tied_b", "pairs_joint", "note",
]
PAIR_COLUMNS = [
    "wave_a", "wave_b", "institution_a", "institution_b", "tie_a", "tie_b", "joint_actions",
    "joint", "same_sector", "same_territory", "volume",
]
SE_METHOD = "dyadic-robust (institution)"


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class DyadicLogit:
    """A logistic fit with model-based and dyadic-robust covariances."""

    params: pd.Series
    cov: pd.DataFrame  # dyadic-robust
    cov_model: pd.DataFrame
    converged: bool
    predict: Any  # X (DataFrame with the params' columns) → probabilities
    df: int  # institutions − 1: degrees of freedom of the t quantiles (few clusters)


def dyadic_meat(scores: FloatArray, node_a: IntArray, node_b: IntArray) -> FloatArray:
    """Σ over pairs of rows sharing at least one node of s_d s_d' (each pair of rows once, each
    row with itself once): Σ_i S_i S_i' − Σ_{unordered pair} P P', S_i = Σ of the rows involving
    node i, P = Σ of the rows of one unordered pair of nodes (a row involves two distinct
    nodes; the same pair may appear in several rows, e.g. one per transition)."""
    k = scores.shape[1]
    n_nodes = int(max(node_a.max(initial=-1), node_b.max(initial=-1))) + 1
    per_node = np.zeros((n_nodes, k))
    np.add.at(per_node, node_a, scores)
    np.add.at(per_node, node_b, scores)
    lo, hi = np.minimum(node_a, node_b), np.maximum(node_a, node_b)
    _, pair = np.unique(lo * n_nodes + hi, return_inverse=True)
    per_pair = np.zeros((int(pair.max(initial=-1)) + 1, k))
    np.add.at(per_pair, pair, scores)
    meat = per_node.T @ per_node - per_pair.T @ per_pair
    # the difference of two sums can have negative eigenvalues in small samples: clip them at 0
    # (Cameron, Gelbach & Miller 2011, multiway clustering)
    values, vectors = np.linalg.eigh((meat + meat.T) / 2)
    return np.asarray((vectors * np.clip(values, 0.0, None)) @ vectors.T)


def fit_dyadic_logit(y: NDArray[np.bool_], x: pd.DataFrame, node_a: IntArray, node_b: IntArray) -> DyadicLogit | None:
    """statsmodels Logit of y on x with the dyadic-robust covariance (module docstring), or None
    when the fit fails or separates."""
    from statsmodels.discrete.discrete_model import Logit
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationError, PerfectSeparationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (ConvergenceWarning, PerfectSeparationWarning, RuntimeWarning))
        try:
            res = Logit(y.astype(float), x).fit(disp=0, method="newton", maxiter=100)
        except (PerfectSeparationError, np.linalg.LinAlgError, ValueError):
            return None
    params = np.asarray(res.params, dtype=np.float64)
    if not np.all(np.isfinite(params)) or np.abs(params).max() > 25:
        return None
    xv = x.to_numpy(np.float64)
    p = 1.0 / (1.0 + np.exp(-(xv @ params)))
    scores = xv * (y.astype(float) - p)[:, None]
    bread = np.linalg.inv(xv.T @ (xv * (p * (1 - p))[:, None]))
    meat = dyadic_meat(scores, node_a, node_b)
    g = int(np.unique(np.concatenate([node_a, node_b])).size)
    cov = bread @ meat @ bread * (g / (g - 1) if g > 1 else math.nan)
    names = list(x.columns)

    def predict(frame: pd.DataFrame) -> FloatArray:
        return np.asarray(1.0 / (1.0 + np.exp(-(frame[names].to_numpy(np.float64) @ params))))

    return DyadicLogit(
        params=pd.Series(params, index=names),
        cov=pd.DataFrame(cov, index=names, columns=names),
        cov_model=pd.DataFrame(bread, index=names, columns=names),
        converged=bool(res.mle_retvals.get("converged", True)),
        predict=predict,
        df=max(g - 1, 1),
    )


# --------------------------------------------------------------------------- the pairs


def _waves(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    where, params = filters.wave_where("w.wave_id")
    return conn.execute(
        f"""
        SELECT w.wave_id, w.wave_order, w.first_date, w.last_date FROM waves w
        WHERE {where} AND EXISTS (SELECT 1 FROM network_ties t WHERE t.wave_id = w.wave_id AND t.source = ?)
        ORDER BY w.wave_order
        """,
        [*params, PARTNER],
    ).df()


def _institutions(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    where, params = filters.institution_where("i")
    return conn.execute(
        f"SELECT i.institution_id, i.sector_id, i.territory FROM institutions i WHERE {where} "
        "ORDER BY i.institution_id",
        params,
    ).df()


def _inst_cte(filters: Filters) -> tuple[str, list[object]]:
    where, params = filters.institution_where("i")
    return (
        "inst AS (SELECT i.institution_id, CAST(row_number() OVER (ORDER BY i.institution_id) - 1 AS INTEGER) "
        f"AS code FROM institutions i WHERE {where})",
        params,
    )


def _ties(conn: duckdb.DuckDBPyConnection, filters: Filters, waves: list[str], min_level: float) -> pd.DataFrame:
    """Undirected partner-survey ties per wave: w (position in ``waves``), a < b (codes)."""
    inst, params = _inst_cte(filters)
    return conn.execute(
        f"""
        WITH {inst},
        lv AS (
            SELECT t.wave_id, f.code AS src, o.code AS dst, avg(t.collaboration_level) AS level
            FROM network_ties t JOIN inst f ON f.institution_id = t.from_institution_id
                        JOIN inst o ON o.institution_id = t.to_institution_id
            WHERE t.source = ? AND t.collaboration_level IS NOT NULL AND list_contains(?, t.wave_id)
              AND f.code <> o.code
            GROUP BY ALL
        )
        SELECT DISTINCT CAST(list_position(?, wave_id) - 1 AS INTEGER) AS w,
               least(src, dst) AS a, greatest(src, dst) AS b
        FROM lv WHERE level >= ?
        """,
        [*params, PARTNER, waves, waves, min_level],
    ).df()


def _answered(conn: duckdb.DuckDBPyConnection, filters: Filters, waves: list[str]) -> pd.DataFrame:
    """Institutions that answered the partner survey per wave: w, code (respondents of the
    partner instruments, as indicators.networks counts them, or raters of a partner tie)."""
    inst, params = _inst_cte(filters)
    return conn.execute(
        f"""
        WITH {inst},
        instruments AS (SELECT instrument FROM tie_source_instruments WHERE source = ?)
        SELECT DISTINCT CAST(list_position(?, r.wave_id) - 1 AS INTEGER) AS w, i.code
        FROM respondents r JOIN inst i ON i.institution_id = r.institution_id
        WHERE r.instrument IN (SELECT instrument FROM instruments) AND list_contains(?, r.wave_id)
        UNION
        SELECT DISTINCT CAST(list_position(?, t.wave_id) - 1 AS INTEGER), i.code
        FROM network_ties t JOIN inst i ON i.institution_id = t.from_institution_id
        WHERE t.source = ? AND list_contains(?, t.wave_id)
        """,
        [*params, PARTNER, waves, waves, waves, PARTNER, waves],
    ).df()


def _joint(
    conn: duckdb.DuckDBPyConnection, filters: Filters, windows: list[tuple[int, Any, Any]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per window k: joint actions of each pair (k, a < b, n) and actions of each institution
    (k, code, n), counting each action (activity_id, load_id) once."""
    if not windows:
        empty = pd.DataFrame({c: pd.Series(dtype=np.int64) for c in ("k", "a", "b", "n")})
        return empty, empty.rename(columns={"a": "code"}).drop(columns="b")
    inst, params = _inst_cte(filters)
    ks = [k for k, _, _ in windows]
    los = [lo for _, lo, _ in windows]
    his = [hi for _, _, hi in windows]
    ctes = f"""
        WITH {inst},
        win AS (SELECT unnest(?::INTEGER[]) AS k, unnest(?::DATE[]) AS lo, unnest(?::DATE[]) AS hi),
        acts AS (
            SELECT a.activity_id, a.load_id, win.k FROM activities a
            JOIN win ON a.activity_date > win.lo AND a.activity_date < win.hi
        ),
        ai AS (
            SELECT DISTINCT acts.k, acts.activity_id, acts.load_id, i.code
            FROM activity_institutions x JOIN acts USING (activity_id, load_id)
            JOIN inst i ON i.institution_id = x.institution_id
        )
    """
    args = [*params, ks, los, his]
    pairs = conn.execute(
        ctes + """
        SELECT p.k, p.code AS a, q.code AS b, count(*) AS n FROM ai p
        JOIN ai q ON q.k = p.k AND q.activity_id = p.activity_id AND q.load_id = p.load_id AND p.code < q.code
        GROUP BY ALL
        """,
        args,
    ).df()
    volume = conn.execute(ctes + "SELECT k, code, count(*) AS n FROM ai GROUP BY ALL", args).df()
    return pairs, volume


def _key(a: NDArray[Any], b: NDArray[Any], n: int) -> IntArray:
    return np.asarray(a, dtype=np.int64) * n + np.asarray(b, dtype=np.int64)


def _lookup(keys: IntArray, table_keys: IntArray, values: NDArray[Any], default: float = 0.0) -> FloatArray:
    order = np.argsort(table_keys)
    sorted_keys = table_keys[order]
    pos = np.searchsorted(sorted_keys, keys)
    pos = np.clip(pos, 0, max(sorted_keys.size - 1, 0))
    found = (sorted_keys.size > 0) & (sorted_keys[pos] == keys) if sorted_keys.size else np.zeros(keys.size, bool)
    out = np.full(keys.size, default, dtype=np.float64)
    if sorted_keys.size:
        out[found] = np.asarray(values, dtype=np.float64)[order][pos[found]]
    return out


@dataclass(frozen=True)
class _PairPanel:
    pairs: pd.DataFrame  # one row per pair at risk and transition (PAIR_COLUMNS + a, b codes, k)
    transitions: pd.DataFrame  # TRANSITION_COLUMNS


def _pair_panel(conn: duckdb.DuckDBPyConnection, filters: Filters, min_level: float, by_territory: bool) -> _PairPanel:
    waves = _waves(conn, filters)
    inst = _institutions(conn, filters)
    n_inst = len(inst)
    wave_ids = [str(w) for w in waves["wave_id"]]
    ties = _ties(conn, filters, wave_ids, min_level)
    answered = _answered(conn, filters, wave_ids)
    windows: list[tuple[int, Any, Any]] = []
    rows_t: list[dict[str, Any]] = []
    for k in range(len(wave_ids) - 1):
        a, b = waves.iloc[k], waves.iloc[k + 1]
        lo = a["last_date"] if pd.notna(a["last_date"]) else a["first_date"]
        hi = b["first_date"] if pd.notna(b["first_date"]) else b["last_date"]
        rows_t.append({"wave_a": wave_ids[k], "wave_b": wave_ids[k + 1],
                       "window_start": lo if pd.notna(lo) else None, "window_end": hi if pd.notna(hi) else None})
        if pd.notna(lo) and pd.notna(hi):
            windows.append((k, lo, hi))
    joint, volume = _joint(conn, filters, windows)
    sector = pd.factorize(inst["sector_id"])[0]
    territory_codes, _ = pd.factorize(inst["territory"])
    tie_keys = _key(ties["w"], ties["a"], n_inst) * n_inst + ties["b"].to_numpy(np.int64)
    frames = []
    candidates = [_pair_count(_answered_both(answered, k), territory_codes, by_territory) for k, _, _ in windows]
    if sum(candidates) > MAX_PAIRS:
        for row in rows_t:
            row |= {"institutions": 0, "pairs": 0, "pairs_tied_a": 0, "pairs_tied_b": 0, "pairs_joint": 0,
                    "note": NOTE_TOO_MANY}
        windows = []
    for k, _lo, _hi in windows:
        both = _answered_both(answered, k)
        a_codes, b_codes = _candidate_pairs(both.astype(np.int64), territory_codes, by_territory)
        row = rows_t[k]
        row["institutions"] = int(both.size)
        if not a_codes.size:
            row |= {"pairs": 0, "pairs_tied_a": 0, "pairs_tied_b": 0, "pairs_joint": 0, "note": NOTE_NO_PAIRS}
            continue
        base = _key(a_codes, b_codes, n_inst)
        tie_a = np.isin(k * n_inst * n_inst + base, tie_keys)
        tie_b = np.isin((k + 1) * n_inst * n_inst + base, tie_keys)
        jk = joint[joint["k"] == k]
        n_joint = _lookup(base, _key(jk["a"], jk["b"], n_inst), jk["n"].to_numpy())
        vk = volume[volume["k"] == k]
        acts = _lookup(np.arange(n_inst), vk["code"].to_numpy(np.int64), vk["n"].to_numpy())
        frames.append(pd.DataFrame({
            "k": k, "a": a_codes, "b": b_codes, "wave_a": wave_ids[k], "wave_b": wave_ids[k + 1],
            "tie_a": tie_a, "tie_b": tie_b, "joint_actions": n_joint.astype(np.int64), "joint": n_joint > 0,
            "same_sector": sector[a_codes] == sector[b_codes],
            "same_territory": (territory_codes[a_codes] == territory_codes[b_codes]) & (territory_codes[a_codes] >= 0),
            "volume": np.log1p(acts[a_codes] + acts[b_codes]),
        }))
        row |= {"pairs": int(a_codes.size), "pairs_tied_a": int(tie_a.sum()), "pairs_tied_b": int(tie_b.sum()),
                "pairs_joint": int((n_joint > 0).sum()), "note": None}
    for row in rows_t:
        if "note" not in row and (row.get("window_start") is None or row.get("window_end") is None):
            row |= {"institutions": 0, "pairs": 0, "pairs_tied_a": 0, "pairs_tied_b": 0, "pairs_joint": 0,
                    "note": NOTE_NO_WINDOW}
    ids = inst["institution_id"].to_numpy(dtype=object)
    if frames:
        pairs = pd.concat(frames, ignore_index=True)
        pairs["institution_a"] = ids[pairs["a"].to_numpy()]
        pairs["institution_b"] = ids[pairs["b"].to_numpy()]
    else:
        pairs = pd.DataFrame({c: pd.Series(dtype=object) for c in ["k", "a", "b", *PAIR_COLUMNS]})
    transitions = pd.DataFrame(rows_t, columns=TRANSITION_COLUMNS)
    return _PairPanel(pairs, transitions)


def _answered_both(answered: pd.DataFrame, k: int) -> IntArray:
    """Codes of the institutions that answered both wave k and wave k + 1 (sorted)."""
    first = answered.loc[answered["w"] == k, "code"]
    second = answered.loc[answered["w"] == k + 1, "code"]
    return np.intersect1d(first, second).astype(np.int64)


def _pair_count(codes: NDArray[Any], territory: IntArray, by_territory: bool) -> int:
    """Number of the unordered pairs :func:`_candidate_pairs` would make."""
    codes = np.asarray(codes, dtype=np.int64)
    sizes = np.bincount(territory[codes][territory[codes] >= 0]) if by_territory else np.array([codes.size])
    return int((sizes * (sizes - 1) // 2).sum())


def _candidate_pairs(codes: IntArray, territory: IntArray, by_territory: bool) -> tuple[IntArray, IntArray]:
    """Unordered pairs (a < b) of ``codes`` (sorted), within one territory when ``by_territory``
    (institutions without a territory are then in no pair)."""
    groups = [codes]
    if by_territory:
        groups = [codes[territory[codes] == t] for t in np.unique(territory[codes]) if t >= 0]
    parts_a, parts_b = [], []
    for g in groups:
        i, j = np.triu_indices(g.size, 1)
        parts_a.append(g[i])
        parts_b.append(g[j])
    if not parts_a:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(parts_a).astype(np.int64), np.concatenate(parts_b).astype(np.int64)


# --------------------------------------------------------------------------- fitting


def _design(pairs: pd.DataFrame, by_territory: bool) -> pd.DataFrame:
    """Model columns: const, transition dummies, joint, tie_a, joint_x_tie_a, same_sector,
    same_territory, volume — each kept only when it varies (and the interaction only when both
    tie_a groups have joint pairs)."""
    x = pd.DataFrame({"const": 1.0}, index=pairs.index)
    transitions = pairs["k"].to_numpy()
    for k in np.unique(transitions)[1:]:
        first = pairs.loc[transitions == k].iloc[0]
        x[f"transition[{first['wave_a']}→{first['wave_b']}]"] = (transitions == k).astype(float)
    joint = pairs["joint"].to_numpy(bool)
    tie_a = pairs["tie_a"].to_numpy(bool)
    x["joint"] = joint.astype(float)
    x["tie_a"] = tie_a.astype(float)
    if (joint & tie_a).any() and (joint & ~tie_a).any():
        x["joint_x_tie_a"] = (joint & tie_a).astype(float)
    x["same_sector"] = pairs["same_sector"].astype(float)
    if not by_territory:
        x["same_territory"] = pairs["same_territory"].astype(float)
    x["volume"] = pairs["volume"].astype(float)
    keep = [c for c in x.columns if c == "const" or x[c].std() > 0]
    return x[keep]


def _crit(fit: DyadicLogit, level: float) -> float:
    """t quantile with G − 1 degrees of freedom (Cameron, Gelbach & Miller 2008: cluster-robust
    tests with few clusters)."""
    return float(stats.t.ppf(0.5 + level / 2.0, fit.df))


def _effect_row(effect: str, fit: DyadicLogit | None, x: pd.DataFrame, pairs: pd.DataFrame) -> dict[str, Any]:
    tie_a = pairs["tie_a"].to_numpy(bool)
    group = tie_a if effect == PERSISTENCE else ~tie_a
    joint = pairs["joint"].to_numpy(bool)
    y = pairs["tie_b"].to_numpy(bool)
    row: dict[str, Any] = {
        "effect": effect, "n": int(group.sum()), "n_joint": int((group & joint).sum()),
        "observed_rate_joint": float(y[group & joint].mean()) if (group & joint).any() else math.nan,
        "observed_rate_other": float(y[group & ~joint].mean()) if (group & ~joint).any() else math.nan,
        "n_institutions": int(np.unique(np.concatenate([pairs.loc[group, "a"], pairs.loc[group, "b"]])).size)
        if group.any() else 0,
    }
    nan = dict.fromkeys(("p_joint", "p_joint_counterfactual", "odds_ratio", "or_ci_low", "or_ci_high",
                         "risk_ratio", "rr_ci_low", "rr_ci_high", "p_value"), math.nan)
    terms = ["joint"] + (["joint_x_tie_a"] if effect == PERSISTENCE else [])
    if fit is None or "joint" not in fit.params.index or not (group & joint).any() or (
        effect == PERSISTENCE and "joint_x_tie_a" not in fit.params.index and "tie_a" in fit.params.index
    ):
        note = NOTE_NO_JOINT if not (group & joint).any() else None
        return row | nan | {"estimate": ESTIMATE_NONE, "note": note}
    c = pd.Series(0.0, index=fit.params.index)
    for t in terms:
        if t in c.index:
            c[t] = 1.0
    b = float(c @ fit.params)
    variance = float(c @ fit.cov @ c)
    z = _crit(fit, ci_level())
    treated = x[group & joint]
    p1 = fit.predict(treated)
    counter = treated.copy()
    for t in terms:
        if t in counter.columns:
            counter[t] = 0.0
    p0 = fit.predict(counter)
    # delta method for log(mean p1 / mean p0)
    g1 = (treated.to_numpy(np.float64) * (p1 * (1 - p1))[:, None]).mean(axis=0)
    g0 = (counter.to_numpy(np.float64) * (p0 * (1 - p0))[:, None]).mean(axis=0)
    grad = g1 / p1.mean() - g0 / p0.mean()
    variance_rr = float(grad @ fit.cov.to_numpy() @ grad)
    log_rr = math.log(p1.mean() / p0.mean())
    if not _usable_interval(b, variance, z) or not _usable_interval(log_rr, variance_rr, z):
        # too few institutions for the dyadic-robust variance (zero, rounding-negative, or an
        # interval beyond any meaning): an interval of width 0 or infinity would mislead
        return row | nan | {"estimate": ESTIMATE_NONE, "note": NOTE_NO_VARIANCE}
    se, se_rr = math.sqrt(variance), math.sqrt(variance_rr)
    return row | {
        "p_joint": float(p1.mean()), "p_joint_counterfactual": float(p0.mean()),
        "odds_ratio": math.exp(b), "or_ci_low": math.exp(b - z * se), "or_ci_high": math.exp(b + z * se),
        "risk_ratio": math.exp(log_rr), "rr_ci_low": math.exp(log_rr - z * se_rr),
        "rr_ci_high": math.exp(log_rr + z * se_rr),
        "p_value": float(2 * stats.t.sf(abs(b / se), fit.df)),
        "estimate": ESTIMATE_LOGIT, "note": None,
    }


MAX_LOG_WIDTH = math.log(1e6)  # an interval wider than a factor of a million either side says nothing


def _usable_interval(estimate: float, variance: float, z: float) -> bool:
    """True when estimate ± z·√variance (on the log scale) is a finite interval of positive width."""
    if not (math.isfinite(estimate) and math.isfinite(variance) and math.isfinite(z)) or variance <= 0:
        return False
    return abs(estimate) + z * math.sqrt(variance) < MAX_LOG_WIDTH


def _model_table(fit: DyadicLogit | None) -> pd.DataFrame:
    if fit is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in MODEL_COLUMNS})
    z = _crit(fit, ci_level())
    rows = []
    for name, b in fit.params.items():
        variance, variance_m = float(fit.cov.loc[name, name]), float(fit.cov_model.loc[name, name])
        se_m = math.sqrt(variance_m) if variance_m > 0 else math.nan
        if not _usable_interval(float(b), variance, z):  # a term the robust variance cannot bound
            rows.append({"term": name, "estimate": float(b), "se": math.nan, "se_model": se_m, "z": math.nan,
                         "p_value": math.nan, "odds_ratio": math.exp(b) if abs(b) < MAX_LOG_WIDTH else math.nan,
                         "ci_low": math.nan, "ci_high": math.nan})
            continue
        se = math.sqrt(variance)
        rows.append({"term": name, "estimate": float(b), "se": se, "se_model": se_m, "z": float(b) / se,
                     "p_value": float(2 * stats.t.sf(abs(float(b) / se), fit.df)), "odds_ratio": math.exp(b),
                     "ci_low": math.exp(b - z * se), "ci_high": math.exp(b + z * se)})
    return pd.DataFrame(rows, columns=MODEL_COLUMNS)


@dataclass(frozen=True)
class TieFormation:
    """``effects`` (formation and persistence, EFFECT_COLUMNS), ``model`` (the logistic model's
    terms, MODEL_COLUMNS), ``transitions`` (pairs of waves, TRANSITION_COLUMNS) and ``pairs``
    (the pair-level data, PAIR_COLUMNS: institutions, not people)."""

    effects: pd.DataFrame
    model: pd.DataFrame
    transitions: pd.DataFrame
    pairs: pd.DataFrame


def fit_tie_formation(pairs: pd.DataFrame, by_territory: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(effects, model) from a pair panel with columns k (transition), a, b (institution codes),
    wave_a, wave_b, tie_a, tie_b, joint, same_sector, same_territory, volume."""
    fit: DyadicLogit | None = None
    note: str | None = None
    x = pd.DataFrame(index=pairs.index)
    if pairs.empty:
        note = NOTE_NO_PAIRS
    elif pairs["tie_b"].nunique() < 2:
        note = NOTE_NO_VARIATION
    else:
        x = _design(pairs, by_territory)
        fit = fit_dyadic_logit(
            pairs["tie_b"].to_numpy(bool), x, pairs["a"].to_numpy(np.int64), pairs["b"].to_numpy(np.int64)
        )
        if fit is None:
            note = NOTE_NOT_CONVERGED
    rows = []
    for effect in (FORMATION, PERSISTENCE):
        if pairs.empty:
            rows.append({"effect": effect, "n": 0, "n_joint": 0, "n_institutions": 0,
                         "estimate": ESTIMATE_NONE, "note": note})
            continue
        row = _effect_row(effect, fit, x, pairs)
        if note is not None:
            row["note"] = note
        rows.append(row)
    effects = pd.DataFrame(rows)
    if not pairs.empty:
        effects["wave_first"] = str(pairs["wave_a"].iloc[0])
        effects["wave_last"] = str(pairs["wave_b"].iloc[-1])
        effects["n_transitions"] = int(pairs["k"].nunique())
    effects["se_method"] = SE_METHOD
    effects["suppressed"] = False
    return effects.reindex(columns=EFFECT_COLUMNS), _model_table(fit)


def tie_formation(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    min_level: float | None = None,
    by_territory: bool | None = None,
) -> TieFormation:
    """Whether pairs of institutions that took part in joint actions together between two waves
    are more likely to be tied at the next wave (module docstring), pooled over every pair of
    consecutive selected waves.

    Filters: ``waves`` selects the waves (consecutive among those with partner-survey ties);
    ``territories``/``sectors`` the institutions (both ends of a pair); roles and levels do not
    apply (institutions, not people). ``min_level``: the tie rule (setting ``tie_min_level``);
    ``by_territory``: the ``network_scope`` setting by default.
    Missing data: pairs where either institution skipped the partner survey in either wave are
    left out (listed counts in ``transitions``); ratings left blank are no tie; actions without
    a date are in no window.

    effects columns: effect (formation | persistence), wave_first, wave_last, n_transitions, n
    (pair × transition rows at risk: not tied at t for formation, tied for persistence),
    n_institutions, n_joint (of them, pairs that acted together), observed_rate_joint,
    observed_rate_other (share tied at t+1), p_joint (mean predicted probability of the pairs
    that acted together), p_joint_counterfactual (the same with joint = 0), odds_ratio,
    or_ci_low, or_ci_high, risk_ratio (p_joint / p_joint_counterfactual: "X times as likely"),
    rr_ci_low, rr_ci_high (delta method), p_value (Wald, of the odds ratio), se_method,
    estimate (``logit_dyadic_robust`` or ``none``), note (:data:`NOTES`), suppressed (False).
    model columns: term, estimate (log-odds), se (dyadic-robust), se_model, z, p_value,
    odds_ratio, ci_low, ci_high. transitions columns: wave_a, wave_b, window_start, window_end,
    institutions (answered both waves), pairs, pairs_tied_a, pairs_tied_b, pairs_joint, note.
    pairs columns: wave_a, wave_b, institution_a, institution_b, tie_a, tie_b, joint_actions,
    joint, same_sector, same_territory, volume (log(1 + actions of a + actions of b) in the
    window).
    """
    rule = tie_rule("partner_survey", min_level)
    scope = networks_by_territory() if by_territory is None else by_territory
    panel = _pair_panel(conn, filters, rule.min_level, scope)
    effects, model = fit_tie_formation(panel.pairs, scope)
    if (panel.transitions["note"] == NOTE_TOO_MANY).any():
        effects["note"] = NOTE_TOO_MANY
    return TieFormation(effects, model, panel.transitions, panel.pairs.reindex(columns=PAIR_COLUMNS))


# --------------------------------------------------------------------------- catalogue

INDICATORS: list[Indicator] = [
    Indicator(
        id="network.tie_formation",
        family="network",
        title_fr="Les actions communes créent-elles des liens durables ?",
        title_en="Do joint actions create lasting ties?",
        definition_fr=(
            "Pour chaque paire de structures ayant répondu au questionnaire partenaires à deux "
            "vagues successives : les paires qui ont mené ensemble une action commune entre les "
            "deux vagues (journal des actions) sont-elles plus souvent liées à la vague suivante ? "
            "« Les paires qui ont agi ensemble avaient X fois plus de chances de nouer un lien » "
            "(formation, paires non liées avant) et « de le garder » (persistance, paires liées), "
            "à lien antérieur, secteur, territoire et volume d'actions comparables."
        ),
        definition_en=(
            "For every pair of institutions that answered the partner survey in two consecutive "
            "waves: are the pairs that took part in a joint action together between the waves "
            "(activity log) more often tied at the next wave? \"Pairs that acted together were X "
            "times as likely to form a tie\" (formation, pairs not tied before) and \"to keep it\" "
            "(persistence, tied pairs), at equal earlier tie, sector, territory and activity volume."
        ),
        formula=(
            "logit P(tie_t+1) = α_t + β_j·joint + β_t·tie_t + β_jt·joint·tie_t + β_s·same_sector + "
            "β_r·same_territory + β_v·log(1 + actions_a + actions_b); formation OR = exp(β_j), "
            "persistence OR = exp(β_j + β_jt); risk ratio = mean p̂(joint) / mean p̂(joint := 0) over "
            "the pairs that acted together; dyadic-robust standard errors (pairs sharing an "
            "institution), t(G − 1) intervals"
        ),
        formula_fr=(
            "logit P(lien_t+1) = α_t + β_j·commune + β_t·lien_t + β_jt·commune·lien_t + "
            "β_s·même_secteur + β_r·même_territoire + β_v·log(1 + actions_a + actions_b) ; RC de "
            "formation = exp(β_j), RC de persistance = exp(β_j + β_jt) ; rapport de risques = moyenne "
            "de p̂(commune) / moyenne de p̂(commune := 0) sur les paires ayant agi ensemble ; erreurs "
            "standard robustes à la dépendance des paires partageant une structure (dyadiques), "
            "intervalles t(G − 1)"
        ),
        unit="odds ratio; risk ratio",
        sources=("network_ties", "survey_respondents", "activities", "activity_institutions", "institutions", "waves"),
        missing_data=(
            "Pairs where either institution skipped the partner survey in either wave are left out; "
            "blank ratings are no tie; actions outside the period between the two fieldworks, or "
            "without a date, do not count; pairs of waves without fieldwork dates are left out."
        ),
        missing_data_fr=(
            "Les paires dont une structure n'a pas répondu au questionnaire partenaires à l'une des "
            "deux vagues sont écartées ; une note laissée vide n'est pas un lien ; les actions hors "
            "de la période entre les deux enquêtes, ou sans date, ne comptent pas ; les couples de "
            "vagues sans dates d'enquête sont écartés."
        ),
        caveats=(
            "Observational: institutions choose whom they act with (selection of partners), and "
            "partners who already get on may both act together and rate each other higher; the "
            "controls reduce but do not remove this. An association, not proof that acting together "
            "creates the tie. With few institutions the intervals are wide and slightly optimistic."
        ),
        caveats_fr=(
            "Étude observationnelle : les structures choisissent avec qui agir (sélection des "
            "partenaires), et des partenaires qui s'entendent déjà peuvent à la fois agir ensemble "
            "et mieux se noter ; les variables de contrôle réduisent ce biais sans l'éliminer. Une "
            "association, pas la preuve qu'agir ensemble crée le lien. Avec peu de structures, les "
            "intervalles sont larges et un peu optimistes."
        ),
        function="indicators.tie_formation.tie_formation",
    ),
]
