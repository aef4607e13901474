"""Network indicators checked against networkx (independent reference) and by hand."""

from __future__ import annotations

import math
from collections.abc import Hashable

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from indicators.graph import (
    jaccard_stability,
    network_metrics,
    network_metrics_by_group,
    node_metrics,
    node_metrics_by_group,
)


def _edges(g: nx.Graph) -> pd.DataFrame:
    """Edge list of a networkx graph as the warehouse would return it."""
    return pd.DataFrame(list(g.edges()), columns=["source", "target"])


def _as_digraph(g: nx.Graph) -> nx.DiGraph:
    """An undirected test graph reported by one end only (one directed edge per tie)."""
    dg = nx.DiGraph()
    dg.add_nodes_from(g.nodes())
    dg.add_edges_from(g.edges())
    return dg


def _named_graphs() -> dict[str, nx.DiGraph]:
    recip = nx.DiGraph([(0, 1), (1, 0), (1, 2), (2, 3), (3, 2), (3, 0), (4, 0), (2, 0)])
    isolates = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    isolates.add_nodes_from(["e", "f"])
    empty = nx.DiGraph()
    empty.add_nodes_from(range(6))
    graphs = {
        "star": _as_digraph(nx.star_graph(7)),
        "path": _as_digraph(nx.path_graph(6)),
        "complete": nx.complete_graph(6, create_using=nx.DiGraph),
        "reciprocated": recip,
        "empty": empty,
        "isolates": isolates,
        "one_node": _single(),
        "two_nodes": nx.DiGraph([(0, 1)]),
    }
    for s, n in enumerate(np.linspace(5, 40, 20).astype(int)):
        p = 0.04 + 0.3 * (s % 5) / 4
        graphs[f"random_{s}_n{n}"] = nx.gnp_random_graph(int(n), p, seed=s, directed=True)
    return graphs


def _single() -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_node("only")
    return g


GRAPHS = _named_graphs()


def _cross_share_nx(u: nx.Graph, sector: dict[Hashable, str]) -> float:
    """Share of undirected ties between different sectors, by plain iteration."""
    ties = list(u.edges())
    if not ties:
        return math.nan
    return sum(sector[a] != sector[b] for a, b in ties) / len(ties)


@pytest.mark.parametrize("name", list(GRAPHS))
def test_whole_network_metrics_match_networkx(name: str) -> None:
    """Density, reciprocity, undirected view, transitivity, components agree with networkx."""
    g = GRAPHS[name]
    u = g.to_undirected()
    n = g.number_of_nodes()
    sector = {v: ("school", "social", "city")[i % 3] for i, v in enumerate(g.nodes())}
    res = network_metrics(list(g.nodes()), _edges(g), sectors=sector)

    assert res["nodes"] == n
    assert res["ties"] == g.number_of_edges()
    assert res["undirected_ties"] == u.number_of_edges()
    assert res["mutual_dyads"] == sum(g.has_edge(b, a) for a, b in g.edges()) // 2
    assert res["isolates"] == nx.number_of_isolates(u)
    assert res["components"] == (nx.number_connected_components(u) if n else 0)
    if n >= 2:
        assert res["density"] == pytest.approx(nx.density(g))
        assert res["undirected_density"] == pytest.approx(nx.density(u))
    else:  # networkx says 0 for a single node; we say "undefined"
        assert math.isnan(res["density"]) and math.isnan(res["undirected_density"])
    if g.number_of_edges():
        assert res["reciprocity"] == pytest.approx(nx.overall_reciprocity(g))
    else:  # networkx raises "Not defined for empty graphs"
        assert math.isnan(res["reciprocity"])
    if any(d >= 2 for _, d in u.degree()):
        assert res["transitivity"] == pytest.approx(nx.transitivity(u))
    else:  # no connected triple: networkx returns 0, the ratio is undefined
        assert math.isnan(res["transitivity"])
    cross = _cross_share_nx(u, sector)
    if math.isnan(cross):
        assert math.isnan(res["cross_sector_share"])
    else:
        assert res["cross_sector_share"] == pytest.approx(cross)


@pytest.mark.parametrize("name", list(GRAPHS))
def test_freeman_centralization_matches_definition_on_networkx_degrees(name: str) -> None:
    """Σ(max − d_i) / ((n − 1)(n − 2)) on the undirected degrees networkx reports."""
    g = GRAPHS[name]
    deg = [d for _, d in g.to_undirected().degree()]
    n = len(deg)
    expected = 0.0 if n < 3 else sum(max(deg) - d for d in deg) / ((n - 1) * (n - 2))
    got = network_metrics(list(g.nodes()), _edges(g))["degree_centralization"]
    assert got == pytest.approx(expected)


@pytest.mark.parametrize("name", list(GRAPHS))
def test_node_metrics_match_networkx(name: str) -> None:
    """Degrees and normalised betweenness (undirected view and directed) equal networkx."""
    g = GRAPHS[name]
    u = g.to_undirected()
    res = node_metrics(list(g.nodes()), _edges(g)).set_index("node")
    assert list(res.index) == list(g.nodes())
    bu = nx.betweenness_centrality(u, normalized=True)
    bd = nx.betweenness_centrality(g, normalized=True)
    for v in g.nodes():
        row = res.loc[v]
        assert row["out_degree"] == g.out_degree(v)
        assert row["in_degree"] == g.in_degree(v)
        assert row["degree"] == u.degree(v)
        assert row["betweenness"] == pytest.approx(bu[v], abs=1e-12)
        assert row["betweenness_directed"] == pytest.approx(bd[v], abs=1e-12)


def test_star_is_maximally_centralised_and_its_hub_carries_all_paths() -> None:
    """Star: centralization 1, hub betweenness 1, leaves 0, no triangle (transitivity 0)."""
    g = nx.star_graph(5)  # hub 0, leaves 1..5
    res = network_metrics(list(g.nodes()), _edges(g))
    assert res["degree_centralization"] == 1.0
    assert res["transitivity"] == 0.0
    nodes = node_metrics(list(g.nodes()), _edges(g))
    assert nodes["betweenness"].tolist() == [1.0, 0, 0, 0, 0, 0]


def test_complete_graph_is_fully_reciprocal_dense_and_uncentralised() -> None:
    """Everybody works with everybody: density 1, reciprocity 1, transitivity 1, C = 0."""
    g = nx.complete_graph(5, create_using=nx.DiGraph)
    res = network_metrics(list(g.nodes()), _edges(g))
    assert (res["density"], res["reciprocity"], res["transitivity"]) == (1.0, 1.0, 1.0)
    assert res["degree_centralization"] == 0.0
    assert res["mutual_dyads"] == 10


def test_hand_worked_small_directed_network() -> None:
    """a↔b, b→c, c→a: 4 ties, 1 mutual dyad, reciprocity 2/4, one triangle."""
    edges = pd.DataFrame({"source": ["a", "b", "b", "c"], "target": ["b", "a", "c", "a"]})
    res = network_metrics(["a", "b", "c", "d"], edges)
    assert res["ties"] == 4
    assert res["density"] == 4 / (4 * 3)
    assert res["reciprocity"] == 2 / 4
    assert res["mutual_dyads"] == 1
    assert res["undirected_ties"] == 3
    assert res["undirected_density"] == 3 / 6
    assert res["transitivity"] == 1.0  # 3·1 triangle / 3 connected triples
    # undirected degrees 2, 2, 2, 0: Σ(2 − d) = 2, (n − 1)(n − 2) = 6
    assert res["degree_centralization"] == pytest.approx(2 / 6)
    assert (res["isolates"], res["components"]) == (1, 2)


def test_self_loops_duplicates_and_unknown_nodes_are_ignored() -> None:
    """A tie reported twice counts once; self-ties and ties to non-members are dropped."""
    edges = pd.DataFrame(
        {
            "source": ["a", "a", "b", "b", "x", None],
            "target": ["b", "b", "b", "z", "a", "a"],
        }
    )
    res = network_metrics(["a", "b", "c"], edges)
    assert res["ties"] == 1
    assert res["edges_outside_nodes"] == 3  # b→z, x→a, None→a
    nodes = node_metrics(["a", "b", "c", "a"], edges)  # duplicate node id collapsed
    assert nodes["node"].tolist() == ["a", "b", "c"]
    assert nodes["out_degree"].tolist() == [1, 0, 0]


def test_min_weight_keeps_only_strong_enough_ties() -> None:
    """With min_weight=2, a tie of weight 1 (or unknown weight) is not a tie."""
    edges = pd.DataFrame({"source": [1, 2, 3], "target": [2, 3, 1], "weight": [1, 2, np.nan]})
    assert network_metrics([1, 2, 3], edges, min_weight=2)["ties"] == 1
    assert network_metrics([1, 2, 3], edges)["ties"] == 3
    with pytest.raises(ValueError):
        network_metrics([1, 2, 3], edges[["source", "target"]], min_weight=2)


def test_cross_sector_share_excludes_ties_with_unknown_sector() -> None:
    """Ties a–b (school–school), b–c (school–social), c–d (d unknown): share 1/2."""
    edges = pd.DataFrame({"source": ["a", "b", "d"], "target": ["b", "c", "c"]})
    sectors = pd.Series({"a": "school", "b": "school", "c": "social"})
    assert network_metrics(list("abcd"), edges, sectors)["cross_sector_share"] == 0.5
    assert math.isnan(network_metrics(list("abcd"), edges)["cross_sector_share"])
    nodes = node_metrics(list("abcd"), edges, sectors)
    assert nodes["sector"].tolist()[:3] == ["school", "school", "social"]
    assert pd.isna(nodes["sector"].iloc[3])


def test_network_without_nodes_returns_zeros_and_nan() -> None:
    """A territory with no respondent in a wave yields an empty, well-formed result."""
    empty_edges = pd.DataFrame({"source": [], "target": []})
    res = network_metrics([], empty_edges)
    assert (res["nodes"], res["ties"], res["components"]) == (0, 0, 0)
    assert math.isnan(res["density"])
    assert node_metrics([], empty_edges).empty


# --------------------------------------------------------------------------- Jaccard


def test_jaccard_hand_worked_with_new_and_lost_ties() -> None:
    """Undirected ties restricted to common nodes: N11 = 2, N10 = 1, N01 = 1 → J = 2/4."""
    wave_a = pd.DataFrame(
        {
            "source": ["a", "b", "c", "a", "e"],
            "target": ["b", "a", "d", "c", "a"],  # a–b (both ways), c–d, a–c, e–a (e left)
        }
    )
    wave_b = pd.DataFrame(
        {
            "source": ["b", "d", "b", "f"],
            "target": ["a", "c", "d", "a"],  # a–b, c–d, b–d, f–a (f is new)
        }
    )
    res = jaccard_stability(wave_a, wave_b, common_nodes=["a", "b", "c", "d"])
    # a: {ab, cd, ac}; b: {ab, cd, bd} → both {ab, cd}, lost {ac}, new {bd}
    assert (res.n11, res.n10, res.n01) == (2, 1, 1)
    assert res.jaccard == 2 / 4
    assert res.new_ties == [("b", "d")]
    assert res.lost_ties == [("a", "c")]


def test_jaccard_of_identical_and_of_empty_waves() -> None:
    """Same ties in both waves → 1 even if reported by the other side; no tie at all → NaN."""
    a = pd.DataFrame({"source": [1, 2], "target": [2, 3]})
    b = pd.DataFrame({"source": [2, 3], "target": [1, 2]})
    same = jaccard_stability(a, b, [1, 2, 3])
    assert (same.jaccard, same.new_ties, same.lost_ties) == (1.0, [], [])
    none = jaccard_stability(a.iloc[0:0], b.iloc[0:0], [1, 2, 3])
    assert math.isnan(none.jaccard) and (none.n11, none.n10, none.n01) == (0, 0, 0)


def test_jaccard_matches_python_sets_on_random_waves() -> None:
    """Against frozenset arithmetic on two seeded random waves sharing 25 of 30 nodes."""
    ga = nx.gnp_random_graph(30, 0.15, seed=1, directed=True)
    gb = nx.gnp_random_graph(30, 0.15, seed=2, directed=True)
    common = list(range(3, 28))

    def ties(g: nx.DiGraph) -> set[frozenset[int]]:
        return {frozenset(e) for e in g.edges() if set(e) <= set(common)}

    ta, tb = ties(ga), ties(gb)
    res = jaccard_stability(_edges(ga), _edges(gb), common)
    assert res.n11 == len(ta & tb)
    assert res.n10 == len(ta - tb) and res.n01 == len(tb - ta)
    assert res.jaccard == pytest.approx(len(ta & tb) / len(ta | tb))
    assert {frozenset(t) for t in res.new_ties} == tb - ta
    assert {frozenset(t) for t in res.lost_ties} == ta - tb


# --------------------------------------------------------------------------- batches


def test_metrics_by_group_match_networkx_for_each_territory_wave() -> None:
    """Long tables of several territory × wave networks give one correct row per network."""
    node_rows, edge_rows, refs = [], [], {}
    for t, w, seed in [("T1", 1, 0), ("T1", 2, 1), ("T2", 1, 2)]:
        g = nx.gnp_random_graph(12, 0.25, seed=seed, directed=True)
        refs[(t, w)] = g
        node_rows += [{"territory": t, "wave": w, "node": f"{t}-{v}"} for v in g.nodes()]
        edge_rows += [
            {"territory": t, "wave": w, "source": f"{t}-{a}", "target": f"{t}-{b}"}
            for a, b in g.edges()
        ]
    node_rows.append({"territory": "T3", "wave": 1, "node": "lonely"})  # no edge at all
    nodes, edges = pd.DataFrame(node_rows), pd.DataFrame(edge_rows)
    res = network_metrics_by_group(nodes, edges, by=["territory", "wave"])
    assert res[["territory", "wave"]].values.tolist() == [
        ["T1", 1],
        ["T1", 2],
        ["T2", 1],
        ["T3", 1],
    ]
    for (t, w), g in refs.items():
        row = res[(res.territory == t) & (res.wave == w)].iloc[0]
        assert row["ties"] == g.number_of_edges()
        assert row["transitivity"] == pytest.approx(nx.transitivity(g.to_undirected()))
    assert res.iloc[3]["nodes"] == 1 and res.iloc[3]["ties"] == 0
    per_node = node_metrics_by_group(nodes, edges, by=["territory", "wave"])
    assert len(per_node) == len(nodes)
    g = refs[("T2", 1)]
    bet = nx.betweenness_centrality(g.to_undirected())
    sub = per_node[per_node.territory == "T2"].set_index("node")
    for v in g.nodes():
        assert sub.loc[f"T2-{v}", "betweenness"] == pytest.approx(bet[v], abs=1e-12)


def test_large_pooled_networks_transitivity_matches_networkx() -> None:
    """Above 300 institutions the triangle count uses sparse products: same result."""
    g = nx.gnp_random_graph(450, 0.02, seed=11, directed=True)
    edges = pd.DataFrame(list(g.edges()), columns=["source", "target"])
    ours = network_metrics(list(g.nodes()), edges)
    assert ours["transitivity"] == pytest.approx(nx.transitivity(g.to_undirected()))


def test_batch_counts_edges_outside_the_nodes_after_the_weight_filter_as_one_network_does() -> None:
    """Two rows point outside the nodes, one of them under the weight threshold: one edge outside."""
    nodes = pd.DataFrame({"g": 1, "node": ["a", "b", "c"]})
    edges = pd.DataFrame({"g": 1, "source": ["a", "a", "x", "y"], "target": ["b", "z", "a", "a"],
                          "weight": [3.0, 3.0, 1.0, 5.0]})
    one = network_metrics(["a", "b", "c"], edges.drop(columns="g"), min_weight=2)
    batch = network_metrics_by_group(nodes, edges, by=["g"], min_weight=2)
    assert one["edges_outside_nodes"] == 2 and int(batch["edges_outside_nodes"].iloc[0]) == 2
