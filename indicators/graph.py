"""Network indicators of one institution network (pure numpy / scipy / pandas).

Input conventions shared by every function:

* ``nodes``: the node ids of one network (one wave of one territory); duplicates are
  collapsed, order is kept (it is the row order of :func:`node_metrics`).
* ``edges``: DataFrame with columns ``source`` and ``target`` (optional ``weight``), one row
  per reported tie ``source → target``. Self-loops are ignored, duplicate rows collapsed,
  rows whose source or target is missing or not in ``nodes`` are dropped (counted in
  ``edges_outside_nodes``). Metrics are binary: ``weight`` is only used by ``min_weight``
  (keep ties with ``weight >= min_weight``).
* Directed metrics use the reported ties; the *undirected view* has a tie between i and j
  when either of them reports the other.
* Undefined values are NaN (networkx returns 0 for some of them, see each docstring).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeAlias, TypedDict

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.intp]
Sectors: TypeAlias = Mapping[Hashable, object] | pd.Series


class NetworkMetrics(TypedDict):
    """Whole-network metrics returned by :func:`network_metrics`."""

    nodes: int
    ties: int
    density: float
    reciprocity: float
    mutual_dyads: int
    undirected_ties: int
    undirected_density: float
    transitivity: float
    degree_centralization: float
    isolates: int
    components: int
    cross_sector_share: float
    edges_outside_nodes: int


@dataclass(frozen=True)
class TieStability:
    """Undirected tie stability between waves a and b (ties as (u, v) node-id pairs)."""

    n11: int
    n10: int
    n01: int
    jaccard: float
    new_ties: list[tuple[Hashable, Hashable]]
    lost_ties: list[tuple[Hashable, Hashable]]


# --------------------------------------------------------------------------- building


def _node_index(nodes: Iterable[Hashable]) -> pd.Index:
    return pd.Index(list(nodes)).drop_duplicates()


def _edge_codes(
    index: pd.Index, edges: pd.DataFrame, min_weight: float | None
) -> tuple[IntArray, IntArray, int]:
    """Positions of (source, target) in ``index``; drops self-loops and unknown ends."""
    missing = {"source", "target"} - set(edges.columns)
    if missing:
        raise ValueError(f"edges lacks column(s) {sorted(missing)}")
    if min_weight is not None:
        if "weight" not in edges.columns:
            raise ValueError("min_weight needs a 'weight' column in edges")
        edges = edges[edges["weight"].to_numpy(np.float64, na_value=np.nan) >= min_weight]
    src = np.asarray(index.get_indexer(edges["source"]), dtype=np.intp)
    tgt = np.asarray(index.get_indexer(edges["target"]), dtype=np.intp)
    known = (src >= 0) & (tgt >= 0)
    keep = known & (src != tgt)
    return src[keep], tgt[keep], int(np.count_nonzero(~known))


def adjacency(
    nodes: Iterable[Hashable], edges: pd.DataFrame, min_weight: float | None = None
) -> tuple[pd.Index, BoolArray, int]:
    """(node index, directed boolean adjacency ``A[i, j] = i reports j``, dropped rows)."""
    index = _node_index(nodes)
    src, tgt, outside = _edge_codes(index, edges, min_weight)
    adj = np.zeros((len(index), len(index)), dtype=bool)
    adj[src, tgt] = True
    return index, adj, outside


# --------------------------------------------------------------------------- metrics


def _density(ties: int, pairs: float) -> float:
    return ties / pairs if pairs > 0 else float("nan")


def _transitivity(und: FloatArray, deg: FloatArray) -> float:
    """3 · triangles / connected triples = trace(U³) / Σ d(d − 1); NaN without triples."""
    triples2 = float((deg * (deg - 1.0)).sum())
    if triples2 == 0:
        return float("nan")
    if und.shape[0] > 300:  # large pooled networks: sparse product (ties are few)
        from scipy.sparse import csr_matrix

        sparse = csr_matrix(und)
        return float((sparse @ sparse).multiply(sparse).sum()) / triples2
    return float(((und @ und) * und).sum()) / triples2


def _centralization(deg: FloatArray) -> float:
    """Freeman (1978) degree centralization Σ(max − d_i) / ((n − 1)(n − 2)); 0 if n < 3."""
    n = deg.size
    if n < 3:
        return 0.0
    return float((deg.max() - deg).sum()) / ((n - 1) * (n - 2))


def _sector_values(index: pd.Index, sectors: Sectors) -> pd.Series:
    """Sector of each node of ``index`` (first value if a node is listed twice)."""
    ser = pd.Series(sectors)
    return ser[~ser.index.duplicated()].reindex(index)


def _sector_codes(index: pd.Index, sectors: Sectors) -> IntArray:
    codes, _ = pd.factorize(_sector_values(index, sectors), use_na_sentinel=True)
    return np.asarray(codes, dtype=np.intp)


def _cross_sector_share(und: BoolArray, codes: IntArray) -> float:
    """Share of undirected ties joining two different known sectors (NaN if none known)."""
    i, j = np.nonzero(np.triu(und, 1))
    ci, cj = codes[i], codes[j]
    known = (ci >= 0) & (cj >= 0)
    if not known.any():
        return float("nan")
    return float(np.mean(ci[known] != cj[known]))


def _components(und: BoolArray) -> int:
    if und.shape[0] == 0:
        return 0
    count, _ = connected_components(und, directed=False)
    return int(count)


def network_metrics(
    nodes: Iterable[Hashable],
    edges: pd.DataFrame,
    sectors: Sectors | None = None,
    min_weight: float | None = None,
) -> NetworkMetrics:
    """Whole-network metrics of one network.

    density = ties / (n(n − 1)) (directed); reciprocity = share of directed ties whose
    reverse tie exists (networkx ``overall_reciprocity``; NaN without ties, nx raises);
    mutual_dyads = pairs tied both ways. Undirected view: undirected_density = ties /
    (n(n − 1)/2); transitivity = 3 · triangles / connected triples (networkx
    ``transitivity``; NaN without triples where nx gives 0); degree_centralization =
    Freeman (1978) Σ(max − d_i) / ((n − 1)(n − 2)) (star = 1, 0 for n < 3); isolates and
    components (isolates count as components). cross_sector_share: share of undirected
    ties between different sectors, ties touching a node of unknown sector excluded (NaN
    if ``sectors`` is None or no tie is eligible). Densities are NaN for n < 2 (nx: 0).
    """
    index, adj, outside = adjacency(nodes, edges, min_weight)
    n = len(index)
    und = adj | adj.T
    und_f = und.astype(np.float64)
    deg = und_f.sum(axis=1)
    ties = int(np.count_nonzero(adj))
    mutual = int(np.count_nonzero(adj & adj.T))
    und_ties = int(np.count_nonzero(und)) // 2
    cross = (
        float("nan") if sectors is None else _cross_sector_share(und, _sector_codes(index, sectors))
    )
    return NetworkMetrics(
        nodes=n,
        ties=ties,
        density=_density(ties, n * (n - 1.0)),
        reciprocity=mutual / ties if ties else float("nan"),
        mutual_dyads=mutual // 2,
        undirected_ties=und_ties,
        undirected_density=_density(und_ties, n * (n - 1.0) / 2.0),
        transitivity=_transitivity(und_f, deg),
        degree_centralization=_centralization(deg),
        isolates=int(np.count_nonzero(deg == 0)),
        components=_components(und),
        cross_sector_share=cross,
        edges_outside_nodes=outside,
    )


def betweenness(adj: BoolArray) -> FloatArray:
    """Normalised shortest-path betweenness (Brandes 2001), all sources at once.

    Level-synchronous BFS on the (n × n) path-count matrix σ[s, v], then Brandes' backward
    accumulation δ[s, v] = Σ_{w: v→w, d(s,w) = d(s,v)+1} σ[s,v]/σ[s,w] · (1 + δ[s,w]).
    Result Σ_s δ[s, v] / ((n − 1)(n − 2)), i.e. networkx ``betweenness_centrality(G,
    normalized=True)`` for a directed ``adj`` and for a symmetric one (undirected graph).
    Zeros for n < 3.
    """
    n = adj.shape[0]
    if n < 3:
        return np.zeros(n)
    a = adj.astype(np.float64)
    sigma = np.eye(n)
    visited = np.eye(n, dtype=bool)
    frontier = np.eye(n)
    levels: list[BoolArray] = [visited.copy()]
    while True:
        nxt = frontier @ a
        nxt[visited] = 0.0
        reached = nxt > 0
        if not reached.any():
            break
        sigma += nxt
        visited |= reached
        levels.append(reached)
        frontier = nxt
    delta = np.zeros((n, n))
    for lvl in range(len(levels) - 1, 1, -1):
        coef = np.divide(1.0 + delta, sigma, out=np.zeros((n, n)), where=levels[lvl])
        delta += np.where(levels[lvl - 1], sigma * (coef @ a.T), 0.0)
    return np.asarray(delta.sum(axis=0) / ((n - 1) * (n - 2)), dtype=np.float64)


def node_metrics(
    nodes: Iterable[Hashable],
    edges: pd.DataFrame,
    sectors: Sectors | None = None,
    min_weight: float | None = None,
) -> pd.DataFrame:
    """Per-node metrics, one row per node in ``nodes`` order.

    Columns: node, out_degree, in_degree (directed ties), degree (undirected view),
    betweenness (undirected view) and betweenness_directed, both normalised by
    (n − 1)(n − 2) as networkx ``betweenness_centrality(normalized=True)``;
    plus sector when ``sectors`` is given (NaN/None when unknown).
    """
    index, adj, _ = adjacency(nodes, edges, min_weight)
    und = adj | adj.T
    out = pd.DataFrame(
        {
            "node": index.to_numpy(),
            "out_degree": adj.sum(axis=1).astype(np.int64),
            "in_degree": adj.sum(axis=0).astype(np.int64),
            "degree": und.sum(axis=1).astype(np.int64),
            "betweenness": betweenness(und),
            "betweenness_directed": betweenness(adj),
        }
    )
    if sectors is not None:
        out["sector"] = _sector_values(index, sectors).to_numpy()
    return out


# --------------------------------------------------------------------------- stability


def _undirected_keys(index: pd.Index, edges: pd.DataFrame, min_weight: float | None) -> IntArray:
    src, tgt, _ = _edge_codes(index, edges, min_weight)
    lo, hi = np.minimum(src, tgt), np.maximum(src, tgt)
    return np.unique(lo * len(index) + hi)


def _key_pairs(index: pd.Index, keys: IntArray) -> list[tuple[Hashable, Hashable]]:
    n = len(index)
    return list(zip(index[keys // n], index[keys % n], strict=True))


def jaccard_stability(
    edges_a: pd.DataFrame,
    edges_b: pd.DataFrame,
    common_nodes: Sequence[Hashable] | Iterable[Hashable],
    min_weight: float | None = None,
) -> TieStability:
    """Jaccard stability of undirected ties between waves a and b.

    Both tie sets are restricted to ``common_nodes`` (nodes observed in both waves) and
    taken undirected (a tie if either side reports it). N11 = ties in both, N10 = only in a,
    N01 = only in b; Jaccard = N11 / (N01 + N10 + N11), NaN when no tie at all.
    new_ties = in b not a, lost_ties = in a not b; each tie is (u, v) with u before v in
    ``common_nodes`` order, lists sorted by that order.
    """
    index = _node_index(common_nodes)
    ka = _undirected_keys(index, edges_a, min_weight)
    kb = _undirected_keys(index, edges_b, min_weight)
    n11 = int(np.intersect1d(ka, kb, assume_unique=True).size)
    new = np.setdiff1d(kb, ka, assume_unique=True)
    lost = np.setdiff1d(ka, kb, assume_unique=True)
    total = n11 + new.size + lost.size
    return TieStability(
        n11=n11,
        n10=int(lost.size),
        n01=int(new.size),
        jaccard=n11 / total if total else float("nan"),
        new_ties=_key_pairs(index, new),
        lost_ties=_key_pairs(index, lost),
    )


# --------------------------------------------------------------------------- batches


def _groups(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    keys: list[str],
    node_col: str,
    sector_col: str | None,
) -> Iterable[tuple[tuple[object, ...], pd.Series, pd.DataFrame, pd.Series | None]]:
    """(key, node ids, edges, sectors) for each group of ``nodes``, sorted by key."""
    edge_groups = dict(iter(edges.groupby(keys, sort=False)))
    empty = edges.iloc[0:0]
    for key, grp in nodes.groupby(keys, sort=True):
        ids = grp[node_col]
        sectors = (
            None
            if sector_col is None
            else pd.Series(grp[sector_col].to_numpy(), index=ids.to_numpy())
        )
        yield key, ids, edge_groups.get(key, empty), sectors


def network_metrics_by_group(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    by: Sequence[str],
    node_col: str = "node",
    sector_col: str | None = None,
    min_weight: float | None = None,
) -> pd.DataFrame:
    """:func:`network_metrics` for every network (e.g. territory × wave) of two long tables.

    ``nodes`` has the ``by`` columns and ``node_col`` (and ``sector_col`` if given);
    ``edges`` has the ``by`` columns plus source/target(/weight). Networks are the groups
    of ``nodes`` (rows with a missing key are ignored); edges of a group absent from
    ``nodes`` are ignored. One row per network, sorted by ``by``.

    Batched: node and edge ids are resolved once for all networks, components come from one
    block-diagonal graph, and each network only costs a few small numpy operations (a
    warehouse of 50 territories × 6 waves holds 300 networks).
    """
    keys = list(by)
    columns = [*keys, *NetworkMetrics.__annotations__]
    batch = _Batch.build(nodes, edges, keys, node_col, sector_col, min_weight)
    if batch is None:
        return pd.DataFrame(columns=columns)
    rows = []
    for g, key in enumerate(batch.keys):
        lo, hi = batch.starts[g], batch.starts[g + 1]
        e_lo, e_hi = batch.edge_starts[g], batch.edge_starts[g + 1]
        n = hi - lo
        adj = np.zeros((n, n), dtype=bool)
        adj[batch.src[e_lo:e_hi] - lo, batch.tgt[e_lo:e_hi] - lo] = True
        und = adj | adj.T
        und_f = und.astype(np.float64)
        deg = und_f.sum(axis=1)
        ties = int(np.count_nonzero(adj))
        mutual = int(np.count_nonzero(adj & adj.T))
        und_ties = int(np.count_nonzero(und)) // 2
        cross = float("nan") if batch.sectors is None else _cross_sector_share(und, batch.sectors[lo:hi])
        metrics = NetworkMetrics(
            nodes=n,
            ties=ties,
            density=_density(ties, n * (n - 1.0)),
            reciprocity=mutual / ties if ties else float("nan"),
            mutual_dyads=mutual // 2,
            undirected_ties=und_ties,
            undirected_density=_density(und_ties, n * (n - 1.0) / 2.0),
            transitivity=_transitivity(und_f, deg),
            degree_centralization=_centralization(deg),
            isolates=int(np.count_nonzero(deg == 0)),
            components=int(np.unique(batch.labels[lo:hi]).size),
            cross_sector_share=cross,
            edges_outside_nodes=int(batch.outside[g]),
        )
        rows.append({**dict(zip(keys, key, strict=True)), **metrics})
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class _Batch:
    """Every network of a batch on one integer numbering: network g owns nodes
    ``starts[g]:starts[g+1]`` and edges ``edge_starts[g]:edge_starts[g+1]`` (global node
    positions in ``src``/``tgt``)."""

    keys: list[tuple[object, ...]]
    starts: IntArray
    edge_starts: IntArray
    src: IntArray
    tgt: IntArray
    outside: IntArray
    labels: IntArray
    sectors: IntArray | None

    @staticmethod
    def build(
        nodes: pd.DataFrame,
        edges: pd.DataFrame,
        keys: list[str],
        node_col: str,
        sector_col: str | None,
        min_weight: float | None,
    ) -> _Batch | None:
        missing = {"source", "target"} - set(edges.columns)
        if missing:
            raise ValueError(f"edges lacks column(s) {sorted(missing)}")
        if min_weight is not None and "weight" not in edges.columns:
            raise ValueError("min_weight needs a 'weight' column in edges")
        table = nodes.dropna(subset=keys).drop_duplicates([*keys, node_col])
        if table.empty:
            return None
        table = table.sort_values(keys, kind="stable").reset_index(drop=True)
        group_codes = table.groupby(keys, sort=True, dropna=False).ngroup().to_numpy()
        group_keys = [k if isinstance(k, tuple) else (k,) for k in table.groupby(keys, sort=True).size().index]
        counts = np.bincount(group_codes, minlength=len(group_keys))
        starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.intp)
        position = pd.Series(np.arange(len(table)), index=pd.MultiIndex.from_frame(table[[*keys, node_col]]))
        group_of = pd.Series(np.arange(len(group_keys)), index=pd.MultiIndex.from_tuples(group_keys))
        e = edges.dropna(subset=keys)
        e_group = group_of.reindex(pd.MultiIndex.from_frame(e[keys])).to_numpy()
        in_batch = ~np.isnan(e_group.astype(np.float64))
        e = e[in_batch]
        e_group = e_group[in_batch].astype(np.intp)
        src = position.reindex(pd.MultiIndex.from_frame(e[keys].assign(_n=e["source"].to_numpy()))).to_numpy()
        tgt = position.reindex(pd.MultiIndex.from_frame(e[keys].assign(_n=e["target"].to_numpy()))).to_numpy()
        known = ~np.isnan(src.astype(np.float64)) & ~np.isnan(tgt.astype(np.float64))
        heavy = np.ones(len(e), dtype=bool)
        if min_weight is not None:  # as network_metrics: rows under the weight are not edges at all
            heavy = e["weight"].to_numpy(np.float64, na_value=np.nan) >= min_weight
        outside = np.bincount(e_group[~known & heavy], minlength=len(group_keys))
        keep = known & heavy
        src_i = np.where(keep, src, 0).astype(np.intp)
        tgt_i = np.where(keep, tgt, 0).astype(np.intp)
        keep &= src_i != tgt_i
        order = np.argsort(e_group[keep], kind="stable")
        src_k, tgt_k, grp_k = src_i[keep][order], tgt_i[keep][order], e_group[keep][order]
        edge_starts = np.searchsorted(grp_k, np.arange(len(group_keys) + 1)).astype(np.intp)
        from scipy.sparse import coo_matrix

        size = len(table)
        graph = coo_matrix((np.ones(src_k.size), (src_k, tgt_k)), shape=(size, size))
        _, labels = connected_components(graph, directed=False)
        sectors = None
        if sector_col is not None:
            codes, _ = pd.factorize(table[sector_col], use_na_sentinel=True)
            sectors = np.asarray(codes, dtype=np.intp)
        return _Batch(group_keys, starts, edge_starts, src_k, tgt_k, outside, np.asarray(labels), sectors)


def node_metrics_by_group(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    by: Sequence[str],
    node_col: str = "node",
    sector_col: str | None = None,
    min_weight: float | None = None,
) -> pd.DataFrame:
    """:func:`node_metrics` for every network, stacked, with the ``by`` columns first."""
    keys = list(by)
    frames = []
    for key, ids, e, sec in _groups(nodes, edges, keys, node_col, sector_col):
        frame = node_metrics(ids, e, sec, min_weight)
        for col, value in zip(keys, key, strict=True):
            frame.insert(keys.index(col), col, value)
        frames.append(frame)
    if not frames:
        cols = [
            *keys,
            "node",
            "out_degree",
            "in_degree",
            "degree",
            "betweenness",
            "betweenness_directed",
        ]
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)
