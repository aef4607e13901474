"""Inter-institutional network indicators: who works with whom, wave after wave.

Everything here is about organisations (institutions), not people: institution-level network
figures are not suppressed. Graph metrics come from :mod:`indicators.graph` (batch functions,
tested against networkx); this module only decides which ties and nodes make a network.

**Ties** (see :class:`TieRule`, defaults from ``warehouse.settings``):

* ``partner_survey``: a directed tie rater → rated when the level of collaboration given by the
  rating institution is ≥ ``min_level`` (setting ``tie_min_level``, default 2 = cooperation on
  the Frey et al. 2006 scale). If several persons answered for the same institution in a wave,
  their levels are averaged. A rating without a level (only trust/value) is never a tie.
* ``practitioner_survey``: a directed tie from a practitioner's institution to each institution
  they named (roster WORKED_WITH), aggregated to institutions: A → B is a tie when at least
  ``min_practitioners`` (default 1) practitioners of A named B; ``weight`` = that number. If a
  codebook asks for a frequency (``ties.frequency_per_month``), a naming counts from
  ``min_frequency`` per month (setting ``tie_min_frequency``); a plain naming (no frequency)
  always counts.
* ``both``: the union (a tie if either survey gives one).

**Nodes** of the network of a wave: the filtered institutions (territory and sector filters on
``institutions``) that take part in that wave for the chosen source: those that answered
(partner survey: the organisation answered; practitioner survey: at least one practitioner
answered) plus those rated or named by another filtered institution (at any level, 0 included).
Non-responding institutions stay nodes (their own out-ties are unobserved: see ``coverage``).

**Networks**: one per territory × wave (``by_territory=True``, the default: a territory is one
partnership; ties between institutions of different territories are left out and institutions
without a territory are in no network), or one per wave for all filtered institutions pooled
(``by_territory=False``: for a warehouse holding one partnership whose territories are
neighbourhoods; cost grows as n³ with the number of institutions, fine up to a few hundred).

**Filters**: ``waves`` select waves; ``territories``/``sectors`` select institutions (ties
between two selected institutions are kept: the network induced by the selection);
``roles``/``levels`` select the raters (the persons who answered), so that e.g. the network
seen by strategic-level respondents can be compared with the operational one.

**Trust, value, level** (PARTNER-style): means over all ratings given within the network,
whether or not the pair is a tie; they exist only when the partner survey is in ``source``.

**Privacy**: no suppression (organisations, not people). Caveat for the practitioner survey:
in an institution with a single respondent, its out-ties show whom that person named; a
publication can require ``min_practitioners`` ≥ 2.

**Grain**: ``ties`` holds one row per rater × rated/named institution and wave (as the loader
writes it); the number of practitioners behind a tie counts rows.

**Speed**: one SQL aggregation of ``ties`` to institution pairs (integer codes), then the batch
functions of :mod:`indicators.graph`; their fixed cost per network (about 1–1.5 ms) dominates
when there are hundreds of territory × wave networks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Literal, get_args

import duckdb
import numpy as np
import pandas as pd

from indicators.catalogue import Indicator
from indicators.disclosure import selected_rows
from indicators.filters import Filters
from indicators.graph import jaccard_stability, network_metrics_by_group, node_metrics_by_group
from warehouse.settings import setting

Source = Literal["partner_survey", "practitioner_survey", "both"]
PARTNER = "partner_survey"
PRACTITIONER = "practitioner_survey"
_POOLED = "\x00all"  # internal network key of the pooled network (never a real territory)

SUMMARY_COLUMNS = [
    "wave_id", "wave_order", "territory", "source", "min_level", "nodes", "n", "coverage",
    "practitioners", "ties", "density", "reciprocity", "mutual_dyads", "undirected_ties",
    "undirected_density", "degree_centralization", "transitivity", "cross_sector_share",
    "isolates", "components", "rated_pairs", "mean_level", "mean_trust", "mean_value",
    "trust_pairs", "ties_respondents", "density_respondents", "reciprocity_respondents",
    "cross_sector_share_respondents", "density_reconstructed", "reciprocity_reconstructed",
]
# The estimate of a trend by default: among the institutions that answered (unbiased when who did
# not answer is unrelated to their ties), on institutions that answered both waves when coverage
# differs by more than the setting network_coverage_gap.
ROBUST = {"density": "density_respondents", "reciprocity": "reciprocity_respondents",
          "cross_sector_share": "cross_sector_share_respondents"}
TREND_DELTAS = [
    "ties", "density", "reciprocity", "cross_sector_share", "mean_level", "mean_trust",
    "density_respondents", "reciprocity_respondents", "cross_sector_share_respondents",
]
NODE_COLUMNS = [
    "wave_id", "institution_id", "name", "sector_id", "territory", "answered", "out_degree",
    "in_degree", "degree", "betweenness", "betweenness_directed", "sectors_linked", "broker",
    "level_received", "level_raters", "trust_received", "trust_raters", "value_received",
    "value_raters", "practitioner_mentions",
]
EDGE_COLUMNS = [
    "wave_id", "from_institution_id", "to_institution_id", "from_sector_id", "to_sector_id",
    "territory", "level", "trust", "value", "weight", "partner_tie", "practitioner_tie",
    "reciprocated", "cross_sector",
]
STABILITY_COLUMNS = [
    "territory", "wave_a", "wave_b", "institutions_a", "institutions_b", "n", "only_a",
    "only_b", "n11", "n10", "n01", "jaccard",
]
TIE_CHANGE_COLUMNS = [
    "territory", "institution_a", "name_a", "sector_a", "institution_b", "name_b", "sector_b",
]
MISSING_COLUMNS = ["territory", "institution_id", "name", "sector_id", "present_in", "absent_from"]
DYAD_COLUMNS = [
    "wave_id", "institution_a", "name_a", "sector_a", "territory_a", "institution_b", "name_b",
    "sector_b", "territory_b", "level_a_to_b", "level_b_to_a", "gap", "trust_a_to_b",
    "trust_b_to_a",
]


# --------------------------------------------------------------------------- tie rule


@dataclass(frozen=True)
class TieRule:
    """Which reported relationships are ties (see the module docstring)."""

    source: Source = "partner_survey"
    min_level: float = 2.0
    min_practitioners: int = 1
    min_frequency: float = 1.0

    @property
    def sources(self) -> list[str]:
        return [PARTNER, PRACTITIONER] if self.source == "both" else [self.source]


def networks_by_territory() -> bool:
    """The `network_scope` setting: True when each territory is its own partnership (one network
    per territory), False (default) when the territories are neighbourhoods of one partnership."""
    return str(setting("network_scope")) == "territory"


def tie_rule(
    source: Source = "partner_survey",
    min_level: float | None = None,
    min_practitioners: int = 1,
    min_frequency: float | None = None,
) -> TieRule:
    """A :class:`TieRule` with the settings' defaults for what is not given."""
    if source not in get_args(Source):
        raise ValueError(f"source must be one of {get_args(Source)}, not {source!r}")
    level = float(setting("tie_min_level")) if min_level is None else float(min_level)
    freq = float(setting("tie_min_frequency")) if min_frequency is None else float(min_frequency)
    return TieRule(source, level, max(int(min_practitioners), 1), freq)


# --------------------------------------------------------------------------- reading
# Internally institutions and waves are integer codes (position in `_Graph.institutions` and
# `_Graph.waves`): DuckDB hands integers to pandas much faster than strings, and graph.py
# indexes integer node ids faster. Codes are turned back into ids in every public output.


def _practitioner_raters(
    conn: duckdb.DuckDBPyConnection, filters: Filters, waves: list[str]
) -> tuple[str, list[object]]:
    """SQL of the practitioner respondents (wave_id, respondent_id) whose reported ties may be
    shown: an institution's reported ties are a statistic of its practitioners, so they count
    only when at least min_group_size of them answered, and a role or level filter keeps them
    only by classes of at least that many within the institution (indicators.disclosure).
    Territory and sector filters select institutions, not raters."""
    rows = (
        "SELECT r.wave_id, r.respondent_id, r.institution_id FROM survey_respondents r "
        "WHERE list_contains(?, r.wave_id) AND r.institution_id IS NOT NULL"
    )
    people = replace(filters, waves=None, territories=None, sectors=None)
    return selected_rows(
        conn, rows, [waves], people, ("wave_id", "institution_id"),
        class_dimensions=("role", "level"), unit_minimum=True,
    )


def _raters_cte(
    conn: duckdb.DuckDBPyConnection, filters: Filters, rule: TieRule, waves: list[str]
) -> tuple[str, list[object]]:
    """CTE ``raters`` (:func:`_practitioner_raters`), or none when the rule reads only the partner
    survey: the practitioners' disclosure classes cost 0.3 s a query on 200 × 8 for nothing."""
    if PRACTITIONER not in rule.sources:
        return "raters AS (SELECT NULL::VARCHAR AS wave_id, NULL::VARCHAR AS respondent_id WHERE false)", []
    sql, params = _practitioner_raters(conn, filters, waves)
    return f"raters AS ({sql})", params


def _rated_by_raters(rule: TieRule, wave: str, respondent: str) -> str:
    """SQL: the row's respondent is among ``raters`` (false when the rule reads no practitioner)."""
    if PRACTITIONER not in rule.sources:
        return "false"
    return f"EXISTS (SELECT 1 FROM raters p WHERE p.wave_id = {wave} AND p.respondent_id = {respondent})"


def _inst_cte(filters: Filters) -> tuple[str, list[object]]:
    """CTE ``inst(institution_id, code)``: the filtered institutions numbered by id order."""
    where, params = filters.institution_where("i")
    sql = (
        "inst AS (SELECT i.institution_id, "
        "CAST(row_number() OVER (ORDER BY i.institution_id) - 1 AS INTEGER) AS code "
        f"FROM institutions i WHERE {where})"
    )
    return sql, params


def _institutions(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """The filtered institutions, row i = code i: institution_id, name, sector_id, territory."""
    where, params = filters.institution_where("i")
    return conn.execute(
        "SELECT i.institution_id, i.name, i.sector_id, i.territory FROM institutions i "
        f"WHERE {where} ORDER BY i.institution_id",
        params,
    ).df()


def _waves(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Waves with ties or respondents (filtered), in wave order: wave_id, wave_order."""
    tw, tp = filters.wave_where("wave_id")
    return conn.execute(
        f"""
        SELECT u.wave_id, w.wave_order FROM (
            SELECT DISTINCT wave_id FROM network_ties WHERE {tw}
            UNION SELECT DISTINCT wave_id FROM respondents WHERE {tw}
        ) u LEFT JOIN waves w USING (wave_id)
        ORDER BY w.wave_order NULLS LAST, u.wave_id
        """,
        [*tp, *tp],
    ).df()


def _pairs(
    conn: duckdb.DuckDBPyConnection, filters: Filters, rule: TieRule, waves: list[str]
) -> pd.DataFrame:
    """Every rated or named ordered pair of filtered institutions per wave, with its tie flags.

    Columns: w (wave code), src, dst (institution codes), level_sum/level_n,
    trust_sum/trust_n, value_sum/value_n (partner ratings given by src), practitioners
    (practitioners of src naming dst: rows of ``ties``, one per practitioner and named
    institution as the loader writes them), level, trust, value (means), partner_tie,
    practitioner_tie, tie.
    """
    inst, inst_params = _inst_cte(filters)
    raters, rater_params = _raters_cte(conn, filters, rule, waves)
    partner = f"t.source = '{PARTNER}'"
    sql = f"""
        WITH {inst}, {raters}
        SELECT CAST(list_position(?, t.wave_id) - 1 AS SMALLINT) AS w, f.code AS src,
               o.code AS dst,
               coalesce(sum(t.collaboration_level) FILTER (WHERE {partner}), 0) AS level_sum,
               CAST(count(t.collaboration_level) FILTER (WHERE {partner}) AS INTEGER) AS level_n,
               coalesce(sum(t.trust) FILTER (WHERE {partner}), 0) AS trust_sum,
               CAST(count(t.trust) FILTER (WHERE {partner}) AS INTEGER) AS trust_n,
               coalesce(sum(t.value) FILTER (WHERE {partner}), 0) AS value_sum,
               CAST(count(t.value) FILTER (WHERE {partner}) AS INTEGER) AS value_n,
               CAST(count(*) FILTER (
                   WHERE t.source = '{PRACTITIONER}'
                     AND (t.frequency_per_month IS NULL OR t.frequency_per_month >= ?)
               ) AS INTEGER) AS practitioners
        FROM network_ties t
        JOIN inst f ON f.institution_id = t.from_institution_id
        JOIN inst o ON o.institution_id = t.to_institution_id
        WHERE list_contains(?, t.source) AND list_contains(?, t.wave_id) AND f.code <> o.code
          AND (t.source = '{PARTNER}' OR {_rated_by_raters(rule, "t.wave_id", "t.rater_respondent_id")})
        GROUP BY ALL
    """
    params = [*inst_params, *rater_params, waves, rule.min_frequency, rule.sources, waves]
    pairs = conn.execute(sql, params).df()
    with np.errstate(invalid="ignore", divide="ignore"):
        for name in ("level", "trust", "value"):
            n = pairs[f"{name}_n"].to_numpy(np.float64)
            pairs[name] = np.where(n > 0, pairs[f"{name}_sum"].to_numpy(np.float64) / n, np.nan)
    pairs["partner_tie"] = pairs["level"].to_numpy() >= rule.min_level  # NaN → False
    pairs["practitioner_tie"] = pairs["practitioners"].to_numpy() >= rule.min_practitioners
    pairs["tie"] = pairs["partner_tie"] | pairs["practitioner_tie"]
    return pairs


def _answered(
    conn: duckdb.DuckDBPyConnection, filters: Filters, rule: TieRule, waves: list[str]
) -> pd.DataFrame:
    """Institutions that answered per wave: w, code, partner_answered, practitioners.

    Respondents of the instruments of each tie source (the ``tie_source_instruments`` view: the
    instruments whose roster questions declare it, or whose loads wrote ties of it).
    """
    inst, inst_params = _inst_cte(filters)
    raters, rater_params = _raters_cte(conn, filters, rule, waves)
    sql = f"""
        WITH {inst}, {raters},
        source_instruments AS (SELECT * FROM tie_source_instruments)
        SELECT CAST(list_position(?, r.wave_id) - 1 AS SMALLINT) AS w, i.code,
               bool_or(s.source = '{PARTNER}') AS partner_answered,
               CAST(count(*) FILTER (WHERE s.source = '{PRACTITIONER}') AS INTEGER)
                   AS practitioners
        FROM respondents r
        JOIN source_instruments s ON s.instrument = r.instrument
        JOIN inst i ON i.institution_id = r.institution_id
        WHERE list_contains(?, s.source) AND list_contains(?, r.wave_id)
          AND (s.source = '{PARTNER}' OR {_rated_by_raters(rule, "r.wave_id", "r.respondent_id")})
        GROUP BY ALL
    """
    params = [
        *inst_params, *rater_params, waves, rule.sources, waves,
    ]
    return conn.execute(sql, params).df()


# --------------------------------------------------------------------------- networks


@dataclass(frozen=True)
class _Graph:
    """The networks of the filtered data, with institutions and waves as integer codes.

    ``nodes``: w, net, node, sec (sector code), answered, practitioners; ``pairs``: the
    :func:`_pairs` columns + net, only pairs inside one network. ``net`` is the territory
    code (by territory) or 0 (pooled).
    """

    institutions: pd.DataFrame  # row = code: institution_id, name, sector_id, territory
    waves: pd.DataFrame  # row = code: wave_id, wave_order
    territories: np.ndarray  # net code → territory label (by territory)
    nodes: pd.DataFrame
    pairs: pd.DataFrame
    by_territory: bool

    @property
    def edges(self) -> pd.DataFrame:
        """The ties as graph.py edges: w, net, source, target."""
        ties = self.pairs[self.pairs["tie"].to_numpy(dtype=bool)]
        return pd.DataFrame(
            {
                "w": ties["w"].to_numpy(),
                "net": ties["net"].to_numpy(),
                "source": ties["src"].to_numpy(),
                "target": ties["dst"].to_numpy(),
            }
        )

    def wave_ids(self, w: pd.Series | np.ndarray) -> np.ndarray:
        return self.waves["wave_id"].to_numpy(dtype=object)[np.asarray(w, dtype=np.intp)]

    @cached_property
    def _columns(self) -> dict[str, np.ndarray]:
        return {
            c: self.institutions[c].to_numpy(dtype=object, na_value=None)
            for c in self.institutions.columns
        }

    def inst(self, codes: pd.Series | np.ndarray, column: str) -> np.ndarray:
        """Institution attribute (institution_id, name, sector_id, territory) of codes."""
        return self._columns[column][np.asarray(codes, dtype=np.intp)]

    def territory_of(self, net: pd.Series | np.ndarray) -> np.ndarray:
        """Output territory of network codes (None for the pooled network)."""
        net = np.asarray(net, dtype=np.intp)
        if not self.by_territory:
            return np.full(net.shape, None, dtype=object)
        return self.territories[net]


def _present(answered: pd.DataFrame, pairs: pd.DataFrame, n_inst: int) -> pd.DataFrame:
    """(w, node) of every institution taking part in a wave: answered, rated or named."""
    keys = np.concatenate(
        [
            answered["w"].to_numpy(np.int64) * n_inst + answered["code"].to_numpy(np.int64),
            pairs["w"].to_numpy(np.int64) * n_inst + pairs["src"].to_numpy(np.int64),
            pairs["w"].to_numpy(np.int64) * n_inst + pairs["dst"].to_numpy(np.int64),
        ]
    )
    keys = np.unique(keys)
    out = pd.DataFrame({"w": keys // max(n_inst, 1), "node": keys % max(n_inst, 1)})
    ans = answered.assign(key=answered["w"] * n_inst + answered["code"]).set_index("key")
    out["answered"] = ans["answered"].reindex(keys).fillna(False).to_numpy(dtype=bool)
    out["practitioners"] = ans["practitioners"].reindex(keys).fillna(0).to_numpy(np.int64)
    return out


def _build(
    conn: duckdb.DuckDBPyConnection, filters: Filters, rule: TieRule, by_territory: bool
) -> _Graph:
    """Read the filtered ties and answers and lay them out as networks."""
    inst = _institutions(conn, filters)
    waves = _waves(conn, filters)
    wave_list = waves["wave_id"].astype(object).tolist()
    pairs = _pairs(conn, filters, rule, wave_list)
    answered = _answered(conn, filters, rule, wave_list)
    answered["answered"] = (
        answered["partner_answered"].astype(bool) & (rule.source != PRACTITIONER)
    ) | (answered["practitioners"].gt(0) & (rule.source != PARTNER))
    nodes = _present(answered, pairs, len(inst))
    sec_codes, _ = pd.factorize(inst["sector_id"])
    terr_codes, territories = pd.factorize(inst["territory"])
    nodes["sec"] = sec_codes[nodes["node"].to_numpy()]
    if by_territory:
        nodes["net"] = terr_codes[nodes["node"].to_numpy()]
        nodes = nodes[nodes["net"] >= 0]
        src_net = terr_codes[pairs["src"].to_numpy()]
        keep = (src_net >= 0) & (src_net == terr_codes[pairs["dst"].to_numpy()])
        pairs = pairs[keep].assign(net=src_net[keep])
    else:
        nodes["net"] = 0
        pairs = pairs.assign(net=0)
    nodes = nodes.sort_values(["w", "net", "node"], ignore_index=True)
    territory_labels = np.asarray(territories, dtype=object)
    return _Graph(
        inst, waves, territory_labels, nodes, pairs.reset_index(drop=True), by_territory
    )


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return num.astype(float) / den.where(den > 0).astype(float)


def _respondent_subgraph(graph: _Graph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The nodes that answered and the ties between two of them (the network observed in full)."""
    nodes = graph.nodes[graph.nodes["answered"].to_numpy(dtype=bool)]
    e = graph.edges
    key = pd.MultiIndex.from_frame(nodes[["w", "node"]])
    src = pd.MultiIndex.from_arrays([e["w"], e["source"]]).isin(key)
    dst = pd.MultiIndex.from_arrays([e["w"], e["target"]]).isin(key)
    return nodes, e[src & dst]


def _reconstructed_edges(graph: _Graph) -> pd.DataFrame:
    """The ties with each non-respondent's unobserved ties reconstructed from what respondents said
    about it (Stork & Richards 1992; Huisman 2009): i → j reported by a respondent i about a
    non-respondent j gives j → i too. Ties between two non-respondents stay unknown."""
    e = graph.edges
    answered = graph.nodes.loc[graph.nodes["answered"].to_numpy(dtype=bool), ["w", "node"]]
    key = pd.MultiIndex.from_frame(answered)
    dst_answered = pd.MultiIndex.from_arrays([e["w"], e["target"]]).isin(key)
    back = e[~dst_answered].rename(columns={"source": "target", "target": "source"})
    return pd.concat([e, back[e.columns]], ignore_index=True).drop_duplicates()


def _pair_ratings(graph: _Graph) -> pd.DataFrame:
    """Per network: rated_pairs, mean_level (over every rated pair, each rating institution's
    persons averaged first), trust_pairs and mean_trust / mean_value over the pairs that are ties
    (PARTNER: trust and value describe a relationship that exists), each pair the rating
    institution's own mean."""
    p = graph.pairs
    tie = p["partner_tie"].to_numpy(dtype=bool)
    frame = pd.DataFrame({
        "w": p["w"], "net": p["net"],
        "level": p["level"], "trust": p["trust"].where(tie), "value": p["value"].where(tie),
    })
    return frame.groupby(["w", "net"]).agg(
        rated_pairs=("level", "count"), mean_level=("level", "mean"), trust_pairs=("trust", "count"),
        mean_trust=("trust", "mean"), mean_value=("value", "mean"),
    ).reset_index()


def _summary(graph: _Graph, rule: TieRule, keep_codes: bool = False) -> pd.DataFrame:
    """One row per network (SUMMARY_COLUMNS; with ``keep_codes`` also w, net)."""
    if graph.nodes.empty:
        return _empty([*SUMMARY_COLUMNS, *(["w", "net"] if keep_codes else [])])
    keys = ["w", "net"]
    out = network_metrics_by_group(
        graph.nodes, graph.edges, by=keys, node_col="node", sector_col="sec"
    )
    counts = graph.nodes.groupby(keys).agg(
        n=("answered", "sum"), practitioners=("practitioners", "sum")
    )
    out = out.merge(counts, on=keys, how="left").merge(_pair_ratings(graph), on=keys, how="left")
    out["rated_pairs"] = out["rated_pairs"].fillna(0).astype(np.int64)
    out["trust_pairs"] = out["trust_pairs"].fillna(0).astype(np.int64)
    nodes_r, edges_r = _respondent_subgraph(graph)
    among = network_metrics_by_group(nodes_r, edges_r, by=keys, node_col="node", sector_col="sec")
    among = among[[*keys, "ties", "density", "reciprocity", "cross_sector_share"]].rename(
        columns={"ties": "ties_respondents", "density": "density_respondents",
                 "reciprocity": "reciprocity_respondents", "cross_sector_share": "cross_sector_share_respondents"}
    )
    rebuilt = network_metrics_by_group(graph.nodes, _reconstructed_edges(graph), by=keys, node_col="node")
    rebuilt = rebuilt[[*keys, "density", "reciprocity"]].rename(
        columns={"density": "density_reconstructed", "reciprocity": "reciprocity_reconstructed"}
    )
    out = out.merge(among, on=keys, how="left").merge(rebuilt, on=keys, how="left")
    out["ties_respondents"] = out["ties_respondents"].fillna(0).astype(np.int64)
    out["coverage"] = _ratio(out["n"], out["nodes"])
    out["wave_id"] = graph.wave_ids(out["w"])
    out["wave_order"] = pd.array(
        graph.waves["wave_order"].to_numpy()[out["w"].to_numpy()], dtype="Int64"
    )
    out["territory"] = graph.territory_of(out["net"])
    out["source"] = rule.source
    out["min_level"] = rule.min_level if rule.source != PRACTITIONER else math.nan
    out["n"] = out["n"].astype(np.int64)
    out = out.sort_values(["w", "territory"], ignore_index=True, na_position="first")
    return out[[*SUMMARY_COLUMNS, *(["w", "net"] if keep_codes else [])]]


def network_summary(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    source: Source = "partner_survey",
    min_level: float | None = None,
    min_practitioners: int = 1,
    by_territory: bool = True,
) -> pd.DataFrame:
    """Whole-network indicators, one row per network (territory × wave, or wave if pooled).

    Method: the ties of :class:`TieRule` between the network's nodes (module docstring), then
    :func:`indicators.graph.network_metrics_by_group`. Columns: wave_id, wave_order, territory
    (None when pooled), source, min_level (the rule), nodes (institutions in the network), n
    (institutions that answered for the source), coverage = n / nodes, practitioners
    (practitioner respondents of the network's institutions), ties (directed), density,
    reciprocity, mutual_dyads, undirected_ties, undirected_density, degree_centralization,
    transitivity, cross_sector_share (undirected ties between two sectors / undirected ties),
    isolates, components, rated_pairs (partner ratings with a level), mean_level, mean_trust,
    mean_value (means over every partner rating given in the network, ties or not).

    Missing data: an institution that did not answer keeps the ties others report towards it
    but reports none itself, so density and reciprocity are lower bounds when coverage < 1;
    a rating left blank ("ne connaît pas") is no tie and is out of the means. Networks with no
    node (no answer, no rating) have no row.
    """
    rule = tie_rule(source, min_level, min_practitioners)
    return _summary(_build(conn, filters, rule, by_territory), rule)


ROBUST_CHANGES = ["density", "reciprocity", "cross_sector_share"]


def network_trend(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    source: Source = "partner_survey",
    min_level: float | None = None,
    min_practitioners: int = 1,
    by_territory: bool = True,
) -> pd.DataFrame:
    """:func:`network_summary` over every filtered wave, in wave order, for trend lines.

    Adds ``change_<x>`` for ties, density, reciprocity, cross_sector_share, mean_level,
    mean_trust and the among-respondents metrics: the difference from the previous wave in which
    the same network (territory) has a row (NaN for its first wave). And the change a trend should
    quote, robust to who answered: ``change_<x>_robust`` for density, reciprocity and
    cross_sector_share — among the institutions that answered each wave
    (``change_basis`` = "respondents"), or, when coverage moved by more than the setting
    ``network_coverage_gap`` (``coverage_gap``), among the ``n_both`` institutions that answered
    both waves ("answered_both"): like with like.
    """
    rule = tie_rule(source, min_level, min_practitioners)
    graph = _build(conn, filters, rule, by_territory)
    out = _summary(graph, rule, keep_codes=True)
    key = out["territory"].astype(object).fillna(_POOLED).to_numpy()
    for col in TREND_DELTAS:
        values = pd.to_numeric(out[col], errors="coerce").astype(float)
        out[f"change_{col}"] = values - values.groupby(key).shift(1)
    return _robust_changes(graph, out, key).drop(columns=["w", "net"])


def _robust_changes(graph: _Graph, out: pd.DataFrame, key: np.ndarray) -> pd.DataFrame:
    gap_limit = float(setting("network_coverage_gap"))
    coverage = pd.to_numeric(out["coverage"], errors="coerce").astype(float)
    out["coverage_gap"] = (coverage - coverage.groupby(key).shift(1)).abs()
    previous_w = out["w"].groupby(key).shift(1)
    basis = pd.Series(["respondents"] * len(out), index=out.index, dtype=object)
    out["change_basis"] = basis.where(previous_w.notna(), None)
    out["n_both"] = pd.array([pd.NA] * len(out), dtype="Int64")
    for x in ROBUST_CHANGES:
        out[f"change_{x}_robust"] = out[f"change_{x}_respondents"]
    wide = out.index[(out["coverage_gap"] > gap_limit).to_numpy() & previous_w.notna().to_numpy()]
    for i in wide:
        wa, wb, net = int(previous_w.loc[i]), int(out.loc[i, "w"]), int(out.loc[i, "net"])
        metrics, n_both = _answered_both(graph, net, wa, wb)
        out.loc[i, "n_both"] = n_both
        out.loc[i, "change_basis"] = "answered_both"
        for x in ROBUST_CHANGES:
            out.loc[i, f"change_{x}_robust"] = metrics[x][1] - metrics[x][0]
    return out


def _answered_both(graph: _Graph, net: int, wa: int, wb: int) -> tuple[dict[str, tuple[float, float]], int]:
    """Density, reciprocity and cross-sector share in waves wa and wb of network ``net``, among the
    institutions that answered both waves."""
    nodes = graph.nodes[(graph.nodes["net"] == net) & graph.nodes["answered"].to_numpy(dtype=bool)]
    both = set(nodes.loc[nodes["w"] == wa, "node"]) & set(nodes.loc[nodes["w"] == wb, "node"])
    sub = nodes[nodes["w"].isin([wa, wb]) & nodes["node"].isin(both)]
    e = graph.edges
    e = e[(e["net"] == net) & e["w"].isin([wa, wb]) & e["source"].isin(both) & e["target"].isin(both)]
    m = network_metrics_by_group(sub, e, by=["w"], node_col="node", sector_col="sec").set_index("w")
    metrics = {
        x: (float(m.loc[wa, x]) if wa in m.index else math.nan, float(m.loc[wb, x]) if wb in m.index else math.nan)
        for x in ROBUST_CHANGES
    }
    return metrics, len(both)


# --------------------------------------------------------------------------- nodes


def _node_keys(graph: _Graph, w: pd.Series | np.ndarray, node: pd.Series | np.ndarray) -> np.ndarray:
    """One integer per (wave, institution): w · n_institutions + node."""
    n = max(len(graph.institutions), 1)
    return np.asarray(w, dtype=np.int64) * n + np.asarray(node, dtype=np.int64)


def _received(graph: _Graph, nodes: pd.DataFrame) -> pd.DataFrame:
    """Ratings each node receives within its network: means over raters and their numbers."""
    pairs = graph.pairs
    size = len(graph.waves) * max(len(graph.institutions), 1)
    into = _node_keys(graph, pairs["w"], pairs["dst"])
    at = _node_keys(graph, nodes["w"], nodes["node"])

    def total(values: pd.Series) -> np.ndarray:
        return np.bincount(into, weights=values.to_numpy(np.float64), minlength=size)[at]

    out = pd.DataFrame(index=nodes.index)
    tie = pairs["partner_tie"].to_numpy(dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        for name in ("level", "trust", "value"):
            # one rating per rating institution (its persons averaged first); trust and value only
            # where the rating institution reports a relationship (a tie)
            rating = pairs[name].astype(float)
            if name != "level":
                rating = rating.where(tie)
            given = rating.notna()
            n = total(given)
            out[f"{name}_received"] = np.where(n > 0, total(rating.fillna(0.0)) / n, np.nan)
            out[f"{name}_raters"] = n.astype(np.int64)
    out["practitioner_mentions"] = total(pairs["practitioners"]).astype(np.int64)
    return out


def _sectors_linked(graph: _Graph, nodes: pd.DataFrame) -> np.ndarray:
    """Number of other sectors among each node's neighbours (undirected view of the ties)."""
    e = graph.edges
    sec, sectors = pd.factorize(graph.institutions["sector_id"])
    w = np.concatenate([e["w"], e["w"]])
    me = np.concatenate([e["source"], e["target"]])
    other = np.concatenate([e["target"], e["source"]])
    keep = sec[me] != sec[other]
    combos = np.unique(_node_keys(graph, w[keep], me[keep]) * (len(sectors) + 1) + sec[other[keep]])
    size = len(graph.waves) * max(len(graph.institutions), 1)
    counts = np.bincount(combos // (len(sectors) + 1), minlength=size)
    return counts[_node_keys(graph, nodes["w"], nodes["node"])]


def _broker_flag(table: pd.DataFrame) -> pd.Series:
    """Top decile of betweenness within its network (at least the top node), betweenness > 0."""
    groups = table.groupby(["w", "net"])["betweenness"]
    rank = groups.rank(method="min", ascending=False)
    size = groups.transform("size")
    return (table["betweenness"] > 0) & (rank <= np.ceil(size / 10.0))


def _node_table(graph: _Graph) -> pd.DataFrame:
    if graph.nodes.empty:
        return _empty(NODE_COLUMNS)
    keys = ["w", "net", "node"]
    m = node_metrics_by_group(graph.nodes, graph.edges, by=["w", "net"], node_col="node")
    m = m.merge(graph.nodes[[*keys, "answered"]], on=keys)
    m["sectors_linked"] = _sectors_linked(graph, m)
    m["broker"] = _broker_flag(m)
    m = pd.concat([m, _received(graph, m)], axis=1)
    m["wave_id"] = graph.wave_ids(m["w"])
    for col in ("institution_id", "name", "sector_id", "territory"):
        m[col] = graph.inst(m["node"], col)
    m["answered"] = m["answered"].astype(bool)
    return m.sort_values(["w", "institution_id"], ignore_index=True)[NODE_COLUMNS]


def _one_wave(filters: Filters, wave_id: str) -> Filters:
    return replace(filters, waves=(wave_id,))


def node_table(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    wave_id: str,
    source: Source = "partner_survey",
    min_level: float | None = None,
    min_practitioners: int = 1,
    by_territory: bool = True,
) -> pd.DataFrame:
    """One row per institution of the wave's network(s) (``wave_id`` replaces filters.waves).

    Columns: wave_id, institution_id, name, sector_id, territory, answered, out_degree,
    in_degree (directed ties), degree (undirected view), betweenness (undirected view) and
    betweenness_directed, normalised by (n − 1)(n − 2) within the institution's network
    (its territory, or the pooled network); sectors_linked (number of sectors other than its
    own among the institutions it is tied to, either direction); broker = betweenness > 0
    and in the top decile of its network (rank ≤ ⌈n / 10⌉, ties share the rank);
    level/trust/value_received = mean of the partner ratings it receives from the other
    institutions of its network (ties or not) with the number of raters of each;
    practitioner_mentions = number of namings by practitioners of other institutions.

    Missing data: a non-responding institution has out_degree 0 from its own side; its
    received ratings are still counted. Received means from a single rater are shown (they
    are about organisations) but ``*_raters`` says how many stand behind them.
    """
    rule = tie_rule(source, min_level, min_practitioners)
    return _node_table(_build(conn, _one_wave(filters, wave_id), rule, by_territory))


# --------------------------------------------------------------------------- edges


@dataclass(frozen=True)
class NetworkDrawing:
    """What an interactive network chart needs: the ties and the institutions."""

    edges: pd.DataFrame  # EDGE_COLUMNS
    nodes: pd.DataFrame  # NODE_COLUMNS (node_table)


def _edge_table(graph: _Graph) -> pd.DataFrame:
    ties = graph.pairs[graph.pairs["tie"].to_numpy(dtype=bool)]
    if ties.empty:
        return _empty(EDGE_COLUMNS)
    n = max(len(graph.institutions), 1)
    w = ties["w"].to_numpy(np.int64)
    forth = (w * n + ties["src"].to_numpy(np.int64)) * n + ties["dst"].to_numpy(np.int64)
    back = (w * n + ties["dst"].to_numpy(np.int64)) * n + ties["src"].to_numpy(np.int64)
    out = pd.DataFrame(
        {
            "wave_id": graph.wave_ids(ties["w"]),
            "from_institution_id": graph.inst(ties["src"], "institution_id"),
            "to_institution_id": graph.inst(ties["dst"], "institution_id"),
            "from_sector_id": graph.inst(ties["src"], "sector_id"),
            "to_sector_id": graph.inst(ties["dst"], "sector_id"),
            "territory": graph.inst(ties["src"], "territory"),
            "level": ties["level"].to_numpy(dtype=float, na_value=np.nan),
            "trust": ties["trust"].to_numpy(dtype=float, na_value=np.nan),
            "value": ties["value"].to_numpy(dtype=float, na_value=np.nan),
            "weight": ties["practitioners"].to_numpy(np.int64),
            "partner_tie": ties["partner_tie"].to_numpy(dtype=bool),
            "practitioner_tie": ties["practitioner_tie"].to_numpy(dtype=bool),
            "reciprocated": np.isin(back, forth),
        }
    )
    out["cross_sector"] = out["from_sector_id"] != out["to_sector_id"]
    return out.sort_values(
        ["wave_id", "from_institution_id", "to_institution_id"], ignore_index=True
    )[EDGE_COLUMNS]


def network_edges(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    wave_id: str,
    source: Source = "partner_survey",
    min_level: float | None = None,
    min_practitioners: int = 1,
    by_territory: bool = True,
) -> NetworkDrawing:
    """The ties of the wave (``wave_id`` replaces filters.waves) and the institutions to draw.

    edges: one row per directed tie (tie rule of the module docstring): wave_id,
    from/to_institution_id, from/to_sector_id, territory (of the tie's origin), level, trust,
    value (partner ratings by the origin, NaN if none), weight (practitioners of the origin
    naming the target), partner_tie, practitioner_tie, reciprocated (the reverse tie exists
    under the same rule), cross_sector. With ``by_territory`` ties across territories are
    left out, as in the metrics. nodes: :func:`node_table` of the same networks (isolates
    included). Missing data: as :func:`network_summary`.
    """
    rule = tie_rule(source, min_level, min_practitioners)
    graph = _build(conn, _one_wave(filters, wave_id), rule, by_territory)
    return NetworkDrawing(edges=_edge_table(graph), nodes=_node_table(graph))


# --------------------------------------------------------------------------- stability


@dataclass(frozen=True)
class TieStabilityResult:
    """Tie stability between two waves: per network figures and the ties that changed."""

    summary: pd.DataFrame  # STABILITY_COLUMNS, one row per network
    new_ties: pd.DataFrame  # TIE_CHANGE_COLUMNS: ties in wave b, not in wave a
    lost_ties: pd.DataFrame  # TIE_CHANGE_COLUMNS: ties in wave a, not in wave b
    missing: pd.DataFrame  # MISSING_COLUMNS: institutions that answered in one wave only


def _tie_frame(graph: _Graph, parts: list[np.ndarray]) -> pd.DataFrame:
    """Arrays of (net, a, b) code rows → TIE_CHANGE_COLUMNS."""
    arr = np.concatenate(parts) if parts else np.empty((0, 3), dtype=np.intp)
    if not len(arr):
        return _empty(TIE_CHANGE_COLUMNS)
    frame = pd.DataFrame({"territory": graph.territory_of(arr[:, 0])})
    for k, side in ((1, "a"), (2, "b")):
        frame[f"institution_{side}"] = graph.inst(arr[:, k], "institution_id")
        frame[f"name_{side}"] = graph.inst(arr[:, k], "name")
        frame[f"sector_{side}"] = graph.inst(arr[:, k], "sector_id")
    return frame[TIE_CHANGE_COLUMNS]


def _stability_parts(
    graph: _Graph, wa: int, wb: int
) -> tuple[list[dict[str, object]], pd.DataFrame, pd.DataFrame]:
    ans = graph.nodes[graph.nodes["answered"]]
    in_a = ans[ans["w"] == wa].groupby("net")["node"].agg(set)
    in_b = ans[ans["w"] == wb].groupby("net")["node"].agg(set)
    edges = graph.edges
    by_net = dict(iter(edges.groupby(["w", "net"])))
    empty = edges.iloc[0:0]
    rows: list[dict[str, object]] = []
    new: list[np.ndarray] = []
    lost: list[np.ndarray] = []
    wave_a, wave_b = graph.wave_ids([wa, wb])
    for net in sorted(set(in_a.index) | set(in_b.index)):
        a, b = in_a.get(net, set()), in_b.get(net, set())
        common = sorted(a & b)  # codes follow institution_id order
        res = jaccard_stability(
            by_net.get((wa, net), empty), by_net.get((wb, net), empty), common
        )
        rows.append(
            {
                "territory": graph.territory_of([net])[0], "wave_a": wave_a, "wave_b": wave_b,
                "institutions_a": len(a), "institutions_b": len(b), "n": len(common),
                "only_a": len(a - b), "only_b": len(b - a), "n11": res.n11, "n10": res.n10,
                "n01": res.n01, "jaccard": res.jaccard,
            }
        )
        for found, into in ((res.new_ties, new), (res.lost_ties, lost)):
            pairs = np.asarray(found, dtype=np.intp).reshape(-1, 2)
            into.append(np.column_stack([np.full(len(pairs), net, dtype=np.intp), pairs]))
    return rows, _tie_frame(graph, new), _tie_frame(graph, lost)


def _missing(graph: _Graph, wa: int, wb: int) -> pd.DataFrame:
    ans = graph.nodes[graph.nodes["answered"] & graph.nodes["w"].isin([wa, wb])]
    once = ans[~ans.duplicated(["net", "node"], keep=False)]
    if once.empty:
        return _empty(MISSING_COLUMNS)
    wave_a, wave_b = graph.wave_ids([wa, wb])
    out = pd.DataFrame(
        {
            "institution_id": graph.inst(once["node"], "institution_id"),
            "name": graph.inst(once["node"], "name"),
            "sector_id": graph.inst(once["node"], "sector_id"),
            "territory": graph.inst(once["node"], "territory"),
            "present_in": np.where(once["w"] == wa, wave_a, wave_b),
            "absent_from": np.where(once["w"] == wa, wave_b, wave_a),
        }
    )
    return out.sort_values(["present_in", "institution_id"], ignore_index=True)[MISSING_COLUMNS]


def tie_stability(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    wave_a: str,
    wave_b: str,
    source: Source = "partner_survey",
    min_level: float | None = None,
    min_practitioners: int = 1,
    by_territory: bool = True,
) -> TieStabilityResult:
    """Jaccard stability of ties from ``wave_a`` to ``wave_b`` (they replace filters.waves).

    Method: ties are taken undirected (a pair is tied if either side reports a tie) and only
    between institutions that answered in both waves (partner survey: the organisation
    answered both times; practitioner survey: at least one practitioner answered both times;
    both: either). N11 = pairs tied in both waves, N10 = only in wave a (lost), N01 = only in
    wave b (new); Jaccard = N11 / (N01 + N10 + N11) (NaN without any tie), via
    :func:`indicators.graph.jaccard_stability`, per network.

    summary columns: territory (None when pooled), wave_a, wave_b, institutions_a/_b (that
    answered), n (answered in both: the institutions compared), only_a, only_b, n11, n10,
    n01, jaccard. new_ties / lost_ties list the pairs (territory, institution_a, name_a,
    sector_a, institution_b, name_b, sector_b; a before b in id order). Missing data:
    institutions that answered in one wave only are left out of the comparison (a tie cannot
    be called lost when one side did not answer) and listed in ``missing`` (territory,
    institution_id, name, sector_id, present_in, absent_from).
    """
    rule = tie_rule(source, min_level, min_practitioners)
    graph = _build(conn, replace(filters, waves=(wave_a, wave_b)), rule, by_territory)
    codes = {w: i for i, w in enumerate(graph.waves["wave_id"].astype(object))}
    if wave_a not in codes or wave_b not in codes:
        empty = _empty(TIE_CHANGE_COLUMNS)
        return TieStabilityResult(_empty(STABILITY_COLUMNS), empty, empty, _empty(MISSING_COLUMNS))
    rows, new, lost = _stability_parts(graph, codes[wave_a], codes[wave_b])
    summary = pd.DataFrame(rows, columns=STABILITY_COLUMNS) if rows else _empty(STABILITY_COLUMNS)
    missing = _missing(graph, codes[wave_a], codes[wave_b])
    return TieStabilityResult(summary, new, lost, missing)


# --------------------------------------------------------------------------- dyads


def disagreeing_dyads(
    conn: duckdb.DuckDBPyConnection, filters: Filters, wave_id: str, min_gap: float = 2
) -> pd.DataFrame:
    """Pairs of institutions that rated each other with levels of collaboration ≥ min_gap apart.

    Partner survey only, ``wave_id`` replaces filters.waves; both institutions must be in the
    filter (territories may differ). One row per unordered pair (institution_a before
    institution_b in id order): level_a_to_b (A's rating of B), level_b_to_a, gap =
    |difference|, and the trust ratings both ways; sorted by decreasing gap. Missing data:
    pairs where one side did not answer or left the level blank are not dyads.
    """
    rule = tie_rule("partner_survey")
    graph = _build(conn, _one_wave(filters, wave_id), rule, by_territory=False)
    rated = graph.pairs[graph.pairs["level_n"] > 0][["w", "src", "dst", "level", "trust"]]
    both = rated.merge(
        rated, left_on=["w", "src", "dst"], right_on=["w", "dst", "src"], suffixes=("", "_ba")
    )
    both = both[both["src"] < both["dst"]]
    gap = (both["level"] - both["level_ba"]).abs()
    both = both.assign(gap=gap)[gap >= min_gap]  # (assigning to an empty frame would add the rows back)
    if both.empty:
        return _empty(DYAD_COLUMNS)
    out = pd.DataFrame(
        {
            "wave_id": graph.wave_ids(both["w"]),
            "level_a_to_b": both["level"].to_numpy(float),
            "level_b_to_a": both["level_ba"].to_numpy(float),
            "gap": both["gap"].to_numpy(float),
            "trust_a_to_b": both["trust"].to_numpy(dtype=float, na_value=np.nan),
            "trust_b_to_a": both["trust_ba"].to_numpy(dtype=float, na_value=np.nan),
        }
    )
    for side, col in (("a", "src"), ("b", "dst")):
        out[f"institution_{side}"] = graph.inst(both[col], "institution_id")
        out[f"name_{side}"] = graph.inst(both[col], "name")
        out[f"sector_{side}"] = graph.inst(both[col], "sector_id")
        out[f"territory_{side}"] = graph.inst(both[col], "territory")
    out = out.sort_values(["gap", "institution_a", "institution_b"], ascending=[False, True, True])
    return out.reset_index(drop=True)[DYAD_COLUMNS]


# --------------------------------------------------------------------------- one institution


EGO_COLUMNS = [
    "institution_id", "name", "sector_id", "answered", "tie_out", "tie_in", "level_given",
    "level_received", "trust_given", "trust_received", "value_given", "value_received",
    "named_by_ego", "named_by_partner", "status",
]
EGO_SUMMARY_COLUMNS = [
    "wave_id", "previous_wave", "institution_id", "name", "sector_id", "territory", "answered",
    "partners", "out_degree", "in_degree", "sectors_linked", "trust_given", "trust_received",
    "partners_before", "new", "kept", "lost", "not_compared",
]
EGO_STATUSES = ("new", "kept", "lost", "not_compared")


@dataclass(frozen=True)
class EgoNetwork:
    """One institution's own network in a wave: its partners and a one-row summary."""

    partners: pd.DataFrame  # EGO_COLUMNS, one row per other institution of its network
    summary: pd.DataFrame  # EGO_SUMMARY_COLUMNS, one row (none when it is not in the network)


def _ego_sides(pairs: pd.DataFrame, ego: int, w: int) -> pd.DataFrame:
    """Per other institution (index: its code): what the ego says of it and what it says of the ego."""
    at = pairs[pairs["w"].to_numpy() == w]
    cols = ["tie", "level", "trust", "value", "partner_tie", "practitioners"]
    given = at[at["src"].to_numpy() == ego].set_index("dst")[cols].add_suffix("_given")
    received = at[at["dst"].to_numpy() == ego].set_index("src")[cols].add_suffix("_received")
    return given.join(received, how="outer")


def _ego_status(now: pd.Series, before: pd.Series, compared: pd.Series, previous: int | None) -> list[str | None]:
    """Tie (either direction) in the wave against the previous wave, as tie_stability counts it:
    compared only when both institutions answered both waves."""
    if previous is None:
        return [None] * len(now)

    def one(tied_now: bool, tied_before: bool, both_answered: bool) -> str | None:
        if not (tied_now or tied_before):
            return None
        if not both_answered:
            return "not_compared"
        return "kept" if tied_now and tied_before else "new" if tied_now else "lost"

    return [one(bool(a), bool(b), bool(c)) for a, b, c in zip(now, before, compared, strict=True)]


def ego_network(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    institution_id: str,
    wave_id: str,
    previous_wave: str | None = None,
    source: Source = "partner_survey",
    min_level: float | None = None,
    min_practitioners: int = 1,
    by_territory: bool = True,
) -> EgoNetwork:
    """One institution's network in ``wave_id`` (the PARTNER "ego view"): every other institution
    of its network that it rated or named, that rated or named it (in that wave), or that was tied
    to it in ``previous_wave``.

    partners columns: institution_id, name, sector_id, answered (the partner answered in the wave),
    tie_out (the ego reports a tie towards it under the tie rule), tie_in (it reports a tie towards
    the ego), level_given / level_received (partner-survey levels of collaboration, each
    institution's respondents averaged), trust_given / trust_received and value_given /
    value_received (only where the rating side reports a tie, as trust and value received are
    defined), named_by_ego / named_by_partner (practitioners of one naming the other), status
    against ``previous_wave``: new, kept, lost (a tie in either direction, as
    :func:`tie_stability` counts it), not_compared (the ego or the partner did not answer one of
    the two waves), None (no tie in either wave). Sorted: ties first, then by name.

    summary (one row): the ego's out_degree, in_degree, partners (tied either way), sectors_linked,
    the mean trust it gives its partners and receives, and the counts of each status
    (partners_before: tied in the previous wave). No row when the institution is not in the
    filtered network of the wave. Filters and disclosure as :func:`network_summary` (practitioner
    ties count only for institutions with enough respondents).
    """
    rule = tie_rule(source, min_level, min_practitioners)
    waves = (previous_wave, wave_id) if previous_wave and previous_wave != wave_id else (wave_id,)
    graph = _build(conn, replace(filters, waves=waves), rule, by_territory)
    codes = {w: i for i, w in enumerate(graph.waves["wave_id"].astype(object))}
    ids = graph.institutions["institution_id"].astype(object).tolist()
    w = codes.get(wave_id)
    nodes = graph.nodes
    here = nodes[(nodes["w"] == w) & (nodes["node"] == (ids.index(institution_id) if institution_id in ids else -1))]
    if w is None or here.empty:
        return EgoNetwork(_empty(EGO_COLUMNS), _empty(EGO_SUMMARY_COLUMNS))
    ego, net = int(here["node"].iloc[0]), int(here["net"].iloc[0])
    prev = codes.get(previous_wave) if previous_wave and previous_wave != wave_id else None
    pairs = graph.pairs[graph.pairs["net"].to_numpy() == net]
    sides = _ego_sides(pairs, ego, w)
    before = _ego_sides(pairs, ego, prev) if prev is not None else sides.iloc[0:0]
    tied_before = before["tie_given"].fillna(False).astype(bool) | before["tie_received"].fillna(False).astype(bool)
    others = sides.index.union(tied_before[tied_before].index)
    sides = sides.reindex(others)
    answered = nodes[nodes["answered"].to_numpy(dtype=bool)]
    answered_now = set(answered.loc[answered["w"] == w, "node"])
    answered_prev = set(answered.loc[answered["w"] == prev, "node"]) if prev is not None else set()
    tie_out = sides["tie_given"].fillna(False).astype(bool)
    tie_in = sides["tie_received"].fillna(False).astype(bool)
    both_waves = answered_now & answered_prev
    compared = pd.Series([ego in both_waves and o in both_waves for o in others], index=others)
    partners = pd.DataFrame({
        "institution_id": graph.inst(others, "institution_id"),
        "name": graph.inst(others, "name"),
        "sector_id": graph.inst(others, "sector_id"),
        "answered": [o in answered_now for o in others],
        "tie_out": tie_out.to_numpy(), "tie_in": tie_in.to_numpy(),
        "level_given": sides["level_given"].to_numpy(float), "level_received": sides["level_received"].to_numpy(float),
    })
    for name in ("trust", "value"):
        for side in ("given", "received"):
            rated = sides[f"partner_tie_{side}"].fillna(False).astype(bool).to_numpy()
            partners[f"{name}_{side}"] = np.where(rated, sides[f"{name}_{side}"].to_numpy(float), np.nan)
    partners["named_by_ego"] = sides["practitioners_given"].fillna(0).astype(np.int64).to_numpy()
    partners["named_by_partner"] = sides["practitioners_received"].fillna(0).astype(np.int64).to_numpy()
    now = tie_out | tie_in
    partners["status"] = pd.Series(_ego_status(now, tied_before.reindex(others, fill_value=False), compared, prev),
                                   dtype=object)
    partners = partners.assign(_tied=~now.to_numpy()).sort_values(["_tied", "name", "institution_id"])
    partners = partners.drop(columns="_tied").reset_index(drop=True)[EGO_COLUMNS]
    before_count = int(tied_before.sum()) if prev is not None else None
    summary = _ego_summary(graph, partners, ego, wave_id, previous_wave if prev is not None else None,
                           bool(ego in answered_now), before_count)
    return EgoNetwork(partners, summary)


def _ego_summary(
    graph: _Graph, partners: pd.DataFrame, ego: int, wave_id: str, previous_wave: str | None, answered: bool,
    partners_before: int | None,
) -> pd.DataFrame:
    tied = partners["tie_out"] | partners["tie_in"]
    own = graph.inst([ego], "sector_id")[0]
    status = partners["status"].astype(object)
    row: dict[str, object] = {
        "wave_id": wave_id, "previous_wave": previous_wave,
        "institution_id": graph.inst([ego], "institution_id")[0], "name": graph.inst([ego], "name")[0],
        "sector_id": own, "territory": graph.inst([ego], "territory")[0], "answered": answered,
        "partners": int(tied.sum()), "out_degree": int(partners["tie_out"].sum()),
        "in_degree": int(partners["tie_in"].sum()),
        "sectors_linked": int(partners.loc[tied & (partners["sector_id"] != own), "sector_id"].nunique()),
        "trust_given": float(partners["trust_given"].mean()),
        "trust_received": float(partners["trust_received"].mean()),
        "partners_before": partners_before,
    }
    for name in EGO_STATUSES:
        row[name] = int((status == name).sum()) if previous_wave else None
    return pd.DataFrame([row], columns=EGO_SUMMARY_COLUMNS)


# --------------------------------------------------------------------------- catalogue

_NET_SOURCES = ("ties", "institutions", "respondents", "waves")
_NET_MISSING = (
    "Non-responding institutions stay in the network through the ties others report towards "
    "them; their own ties are unobserved (see response coverage). Blank ratings are no tie."
)
_TIE_RULE = (
    "tie = level of collaboration ≥ tie_min_level (default 2, cooperation) in the partner "
    "survey; or ≥ 1 practitioner of A naming B (WORKED_WITH) in the practitioner survey"
)


def _net(
    id_: str, fr: tuple[str, str], en: tuple[str, str], formula: str, unit: str,
    function: str = "indicators.networks.network_summary", caveats: str = "",
    missing: str = _NET_MISSING,
) -> Indicator:
    return Indicator(
        id=id_, family="network", title_fr=fr[0], title_en=en[0], definition_fr=fr[1],
        definition_en=en[1], formula=formula, unit=unit, sources=_NET_SOURCES,
        missing_data=missing, caveats=caveats, function=function,
    )


_NET_MISSING_FR = (
    "Les structures qui n'ont pas répondu restent dans le réseau grâce aux liens que les autres "
    "déclarent envers elles ; leurs propres liens ne sont pas observés (voir le taux de "
    "couverture). Une note laissée vide ne compte pas comme un lien."
)
_TIE_RULE_FR = (
    "lien = niveau de collaboration ≥ tie_min_level (2 par défaut, coopération) dans le "
    "questionnaire partenaires ; ou ≥ 1 professionnel de A citant B (WORKED_WITH) dans le "
    "questionnaire professionnels"
)

INDICATORS: list[Indicator] = [
    _net(
        "network.ties",
        ("Nombre de liens", "Nombre de relations orientées A → B entre structures du réseau, "
         "selon la règle de lien choisie (coopération ou plus dans le questionnaire partenaires, "
         "ou au moins un professionnel de A citant B)."),
        ("Number of ties", "Number of directed relationships A → B between institutions of the "
         "network under the chosen tie rule."),
        f"count of directed ties; {_TIE_RULE}", "ties",
    ).with_french(
        formula=f"nombre de liens orientés ; {_TIE_RULE_FR}",
        missing_data=_NET_MISSING_FR,
    ),
    _net(
        "network.density",
        ("Densité du réseau", "Part des relations possibles entre structures qui existent "
         "réellement : 1 si chaque structure travaille avec toutes les autres."),
        ("Network density", "Share of the possible relationships between institutions that "
         "actually exist: 1 when every institution works with every other."),
        "ties / (n (n − 1)), n = institutions in the network (directed). Also among respondents: ties between "
        "two institutions that answered / (r (r − 1)), r = those that answered (density_respondents: unbiased "
        "when who answers is unrelated to their ties), and reconstructed (density_reconstructed: a tie i → j "
        "reported about a non-respondent j gives j → i, Stork & Richards 1992, Huisman 2009). Trends and the "
        "overview quote the density among respondents; between two waves whose coverage differs by more than "
        "network_coverage_gap, the change among the institutions that answered both waves",
        "share (0–1)",
        caveats="The plain density treats a non-respondent's unreported ties as absent: it falls with "
        "coverage (at coverage 0.8 to about 0.8 of the truth). It also falls mechanically when the network "
        "grows; compare networks of similar size.",
    ).with_french(
        formula=(
            "liens / (n (n − 1)), n = structures du réseau (réseau orienté). Aussi parmi les répondants : "
            "liens entre deux structures qui ont répondu / (r (r − 1)), r = structures qui ont répondu "
            "(sans biais quand répondre est sans lien avec les relations), et reconstituée (un lien i → j "
            "déclaré envers une structure j qui n'a pas répondu donne aussi j → i ; Stork et Richards 1992, "
            "Huisman 2009). Les tendances et la vue d'ensemble citent la densité parmi les répondants ; "
            "entre deux vagues dont la couverture diffère de plus de network_coverage_gap, l'évolution "
            "parmi les structures qui ont répondu aux deux vagues"
        ),
        missing_data=_NET_MISSING_FR,
        caveats=(
            "La densité brute compte comme absents les liens que les structures sans réponse n'ont pas "
            "déclarés : elle baisse avec la couverture (à 80 % de couverture, environ 80 % de la vraie "
            "valeur). Elle baisse aussi mécaniquement quand le réseau s'agrandit ; comparer des réseaux de "
            "taille voisine."
        ),
    ),
    _net(
        "network.reciprocity",
        ("Réciprocité", "Part des liens déclarés par une structure qui sont aussi déclarés par "
         "l'autre : les deux partenaires reconnaissent-ils la même relation ?"),
        ("Reciprocity", "Share of the ties reported by one institution that the other also "
         "reports: do both partners see the same relationship?"),
        "ties whose reverse tie exists / ties", "share (0–1)",
        caveats="A tie towards a non-responding institution cannot be reciprocated: read it "
        "with the response coverage.",
    ).with_french(
        formula="liens dont le lien inverse existe / liens",
        missing_data=_NET_MISSING_FR,
        caveats=(
            "Un lien vers une structure qui n'a pas répondu ne peut pas être réciproque : à lire "
            "avec le taux de couverture."
        ),
    ),
    _net(
        "network.degree_centralization",
        ("Centralisation", "Dans quelle mesure le réseau repose sur une ou quelques structures "
         "pivots : 1 pour une étoile (tout passe par une structure), 0 si toutes ont autant "
         "de partenaires."),
        ("Degree centralization", "How far the network hangs on one or a few hub institutions: "
         "1 for a star, 0 when all have as many partners."),
        "Freeman: Σ (max degree − degree_i) / ((n − 1)(n − 2)), undirected view", "index (0–1)",
    ).with_french(
        formula="Freeman : Σ (degré max − degré_i) / ((n − 1)(n − 2)), réseau non orienté",
        missing_data=_NET_MISSING_FR,
    ),
    _net(
        "network.transitivity",
        ("Transitivité", "Quand une structure travaille avec deux partenaires, part des cas où "
         "ces deux partenaires travaillent aussi ensemble (triangles)."),
        ("Transitivity", "When an institution works with two partners, share of cases where "
         "those two also work together (triangles)."),
        "3 × triangles / connected triples, undirected view", "share (0–1)",
    ).with_french(
        formula="3 × triangles / triplets connexes, réseau non orienté",
        missing_data=_NET_MISSING_FR,
    ),
    _net(
        "network.cross_sector_share",
        ("Part des liens inter-secteurs", "Part des liens qui relient deux secteurs différents "
         "(école, ville, associations, santé, social, insertion, parents)."),
        ("Cross-sector tie share", "Share of ties joining two different sectors."),
        "undirected ties between different sectors / undirected ties", "share (0–1)",
    ).with_french(
        formula="liens non orientés entre secteurs différents / liens non orientés",
        missing_data=_NET_MISSING_FR,
    ),
    _net(
        "network.mean_level",
        ("Niveau moyen de collaboration", "Moyenne des niveaux de collaboration (0 aucun à 5 "
         "collaboration, échelle de Frey et al. 2006) que les structures se donnent."),
        ("Mean level of collaboration", "Mean of the levels of collaboration (0 none to 5 "
         "collaboration, Frey et al. 2006) institutions give each other."),
        "mean over the rated pairs (level 0 included) of each rating institution's level (its respondents "
        "averaged first)", "level (0–5)",
        missing="Blank levels ('ne connaît pas') are left out; non-responding institutions give "
        "no rating. Partner survey only.",
    ).with_french(
        formula=(
            "moyenne sur les paires notées (niveau 0 compris) du niveau donné par chaque structure (ses "
            "répondants moyennés d'abord)"
        ),
        missing_data=(
            "Les niveaux laissés vides (« ne connaît pas ») sont écartés ; les structures qui "
            "n'ont pas répondu ne donnent aucune note. Questionnaire partenaires uniquement."
        ),
    ),
    _net(
        "network.mean_trust",
        ("Confiance moyenne", "Dans quelle mesure les structures peuvent compter les unes sur "
         "les autres pour tenir leurs engagements (1 à 4, à la manière de PARTNER)."),
        ("Mean trust", "How far institutions can rely on each other to follow through on "
         "commitments (1–4, PARTNER-style)."),
        "mean over the pairs that are ties (a relationship the rating institution reports) of that "
        "institution's trust rating, its respondents averaged first (PARTNER); trust_pairs = those pairs",
        "rating (1–4)",
        missing="Blank ratings are left out; ratings of partners one has no tie with are not trust in a "
        "relationship and are left out. Partner survey only.",
    ).with_french(
        formula=(
            "moyenne, sur les paires qui sont des liens (une relation que la structure qui note déclare), "
            "de la confiance donnée par cette structure, ses répondants moyennés d'abord (PARTNER) ; "
            "trust_pairs = ces paires"
        ),
        missing_data=(
            "Les notes laissées vides sont écartées, de même que les notes données à des partenaires avec "
            "qui l'on n'a pas de lien (ce n'est pas la confiance dans une relation). Questionnaire "
            "partenaires uniquement."
        ),
    ),
    _net(
        "network.mean_value",
        ("Apport moyen", "Dans quelle mesure les structures s'apportent des ressources utiles "
         "(1 à 4, à la manière de PARTNER)."),
        ("Mean value", "How far institutions bring each other useful resources (1–4, "
         "PARTNER-style)."),
        "mean over the pairs that are ties of the rating institution's value rating (its respondents "
        "averaged first)", "rating (1–4)",
        missing="Blank ratings and ratings of non-partners are left out. Partner survey only.",
    ).with_french(
        formula=(
            "moyenne, sur les paires qui sont des liens, de l'apport noté par la structure qui note (ses "
            "répondants moyennés d'abord)"
        ),
        missing_data=(
            "Les notes laissées vides et celles données à des non-partenaires sont écartées. Questionnaire "
            "partenaires uniquement."
        ),
    ),
    _net(
        "network.response_coverage",
        ("Taux de couverture du réseau", "Part des structures du réseau qui ont répondu (au "
         "questionnaire partenaires, ou par au moins un de leurs professionnels)."),
        ("Response coverage", "Share of the network's institutions that answered (the partner "
         "survey, or through at least one of their practitioners)."),
        "institutions that answered / institutions in the network", "share (0–1)",
        missing="Institutions in the network = those that answered or were rated/named.",
    ).with_french(
        formula="structures ayant répondu / structures du réseau",
        missing_data="Structures du réseau = celles qui ont répondu ou qui ont été notées ou citées.",
    ),
    _net(
        "network.jaccard_stability",
        ("Stabilité des liens (Jaccard)", "Entre deux vagues, part des liens qui se maintiennent "
         "parmi tous les liens observés à l'une ou l'autre vague ; la liste des liens nouveaux "
         "et perdus l'accompagne."),
        ("Tie stability (Jaccard)", "Between two waves, share of ties kept among all ties seen "
         "in either wave; with the list of new and lost ties."),
        "N11 / (N01 + N10 + N11), undirected ties between institutions that answered in both "
        "waves", "share (0–1)", function="indicators.networks.tie_stability",
        missing="Institutions that answered in only one wave are left out of the comparison and "
        "listed (a tie cannot be called lost when one side did not answer).",
    ).with_french(
        formula="N11 / (N01 + N10 + N11), liens non orientés entre structures ayant répondu aux deux vagues",
        missing_data=(
            "Les structures qui n'ont répondu qu'à une vague sont exclues de la comparaison et "
            "listées (un lien ne peut pas être dit perdu quand l'une des deux structures n'a pas "
            "répondu)."
        ),
    ),
    _net(
        "network.new_lost_ties",
        ("Liens nouveaux et perdus", "Paires de structures liées à la seconde vague et pas à la "
         "première (nouveaux liens), ou l'inverse (liens perdus)."),
        ("New and lost ties", "Pairs of institutions tied in the second wave and not the first "
         "(new), or the reverse (lost)."),
        "N01 (new), N10 (lost)", "ties", function="indicators.networks.tie_stability",
        missing="As network.jaccard_stability.",
    ).with_french(
        formula="N01 (nouveaux), N10 (perdus)",
        missing_data="Comme network.jaccard_stability.",
    ),
    _net(
        "network.degree",
        ("Nombre de partenaires", "Pour chaque structure : liens qu'elle déclare (sortants), "
         "liens déclarés vers elle (entrants), partenaires au total."),
        ("Degree", "For each institution: ties it reports (out), ties reported towards it (in), "
         "partners in all (undirected)."),
        "out-degree, in-degree, undirected degree", "institutions",
        function="indicators.networks.node_table",
    ).with_french(
        formula="degré sortant, degré entrant, degré non orienté",
        missing_data=_NET_MISSING_FR,
    ),
    _net(
        "network.brokers",
        ("Structures passerelles", "Structures par lesquelles passent le plus de chemins entre "
         "les autres (intermédiarité dans le premier décile de leur réseau) ; on indique aussi "
         "le nombre d'autres secteurs auxquels elles sont liées."),
        ("Brokers", "Institutions on the most paths between others (betweenness in the top "
         "decile of their network), with the number of other sectors they are tied to."),
        "betweenness (Brandes, normalised by (n − 1)(n − 2)) > 0 and rank ≤ ⌈n / 10⌉",
        "flag", function="indicators.networks.node_table",
        caveats="Betweenness is sensitive to non-response: a missing institution can hide paths.",
    ).with_french(
        formula="intermédiarité (Brandes, normalisée par (n − 1)(n − 2)) > 0 et rang ≤ ⌈n / 10⌉",
        missing_data=_NET_MISSING_FR,
        caveats=(
            "L'intermédiarité est sensible à la non-réponse : une structure manquante peut masquer "
            "des chemins."
        ),
    ),
    _net(
        "network.trust_received",
        ("Confiance reçue", "Pour chaque structure, moyenne de la confiance que lui accordent "
         "les autres structures, avec le nombre de structures qui l'ont évaluée ; de même pour "
         "l'apport et le niveau de collaboration reçus."),
        ("Trust received", "For each institution, mean trust the other institutions give it, "
         "with the number of raters; likewise value and level received."),
        "mean over the institutions that report a tie with it of their rating (each institution's "
        "respondents averaged first); raters = those institutions (level: every institution that rated it)",
        "rating (1–4)",
        function="indicators.networks.node_table",
        missing="Blank ratings are left out; the number of rating institutions is given with each mean.",
    ).with_french(
        formula=(
            "moyenne, sur les structures qui déclarent un lien avec elle, de leur note (les répondants "
            "d'une structure moyennés d'abord) ; évaluateurs = ces structures (niveau : toutes celles qui "
            "l'ont notée)"
        ),
        missing_data=(
            "Les notes laissées vides sont écartées ; le nombre de structures qui notent accompagne "
            "chaque moyenne."
        ),
    ),
    _net(
        "network.ego",
        ("Le réseau d'une structure", "Pour une structure choisie : ses partenaires dans la vague, "
         "ce qu'elle déclare de chacun et ce que chacun déclare d'elle (niveau de collaboration, "
         "confiance, apport, professionnels qui se citent), et ce qui a changé depuis la vague "
         "précédente (liens nouveaux, maintenus, perdus)."),
        ("One institution's network", "For a chosen institution: its partners in the wave, what it "
         "reports about each and what each reports about it (level of collaboration, trust, value, "
         "practitioners naming each other), and what changed since the previous wave (new, kept, lost ties)."),
        "partners = institutions tied to it in either direction under the tie rule; status: a tie in either "
        "direction in the wave and in the previous wave (new, kept, lost), compared only when both "
        "institutions answered both waves (as network.jaccard_stability); trust and value given or received "
        "only where the rating side reports a tie",
        "institutions", function="indicators.networks.ego_network",
        missing="A partner that did not answer reports nothing about the institution (received columns "
        "empty); a pair where one side did not answer one of the two waves is 'not compared'.",
    ).with_french(
        formula=(
            "partenaires = structures liées à elle dans un sens ou dans l'autre selon la règle de lien ; "
            "statut : un lien dans un sens ou l'autre dans la vague et dans la vague précédente (nouveau, "
            "maintenu, perdu), comparé seulement quand les deux structures ont répondu aux deux vagues "
            "(comme network.jaccard_stability) ; confiance et apport donnés ou reçus seulement quand la "
            "structure qui note déclare un lien"
        ),
        missing_data=(
            "Un partenaire qui n'a pas répondu ne déclare rien sur la structure (colonnes « reçu » vides) ; "
            "une paire dont l'une des structures n'a pas répondu à l'une des deux vagues est « non comparée »."
        ),
    ),
    _net(
        "network.disagreeing_dyads",
        ("Relations perçues différemment", "Paires de structures qui se sont évaluées "
         "mutuellement avec des niveaux de collaboration éloignés d'au moins 2 points."),
        ("Disagreeing dyads", "Pairs of institutions that rated each other with levels of "
         "collaboration at least 2 points apart."),
        "|level A→B − level B→A| ≥ min_gap (default 2)", "pairs",
        function="indicators.networks.disagreeing_dyads",
        missing="Only pairs rated by both sides.",
    ).with_french(
        formula="|niveau A→B − niveau B→A| ≥ min_gap (2 par défaut)",
        missing_data="Uniquement les paires notées par les deux structures.",
    ),
]
