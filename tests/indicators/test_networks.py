"""Network indicators from the warehouse, checked against networkx and hand-worked examples."""

from __future__ import annotations

import datetime as dt
import importlib
import math
from dataclasses import dataclass, field

import duckdb
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from indicators import networks
from indicators.catalogue import FAMILIES
from indicators.filters import Filters
from indicators.networks import (
    DYAD_COLUMNS,
    EDGE_COLUMNS,
    MISSING_COLUMNS,
    NODE_COLUMNS,
    STABILITY_COLUMNS,
    SUMMARY_COLUMNS,
    TIE_CHANGE_COLUMNS,
    disagreeing_dyads,
    network_edges,
    network_summary,
    network_trend,
    node_table,
    tie_rule,
    tie_stability,
)
from tests.indicators.fixtures_network import (
    add_institutions,
    add_partner_answer,
    add_practitioner,
    add_waves,
    new_warehouse,
)

SECTORS4 = ("education", "city", "association", "health")
# The graph computations are tested with disclosure control off (min_group_size=1): the practitioner
# survey's reported ties of an institution count only with at least min_group_size practitioners
# there, which the small hand-built networks below do not have (that rule is tested at the end).
ALL = Filters(min_group_size=1)
PROTECTED = Filters(min_group_size=5)


# --------------------------------------------------------------------------- random warehouse


@dataclass
class RandomSurvey:
    """A seeded two-territory, two-wave warehouse and the raw answers that built it."""

    conn: duckdb.DuckDBPyConnection
    institutions: pd.DataFrame  # institution_id, sector_id, territory
    ratings: pd.DataFrame  # wave, rater, to, level, trust, value
    answered: set[tuple[str, str]]  # (wave, institution) partner answers
    named: pd.DataFrame  # wave, respondent, from, to, role
    practitioners: set[tuple[str, str]] = field(default_factory=set)  # (wave, institution)


def _random_survey(seed: int) -> RandomSurvey:
    rng = np.random.default_rng(seed)
    conn = new_warehouse()
    inst = pd.DataFrame(
        [
            (f"{t}-{k:02d}", SECTORS4[(k + seed) % 4], t)
            for t in ("T1", "T2")
            for k in range(9)
        ],
        columns=["institution_id", "sector_id", "territory"],
    )
    add_institutions(conn, inst.itertuples(index=False))
    add_waves(conn, [("W1", None, None), ("W2", None, None)])
    ratings, answered, named, practitioners = [], set(), [], set()
    for wave in ("W1", "W2"):
        for row in inst.itertuples(index=False):
            if rng.random() > 0.75:
                continue
            peers = inst[(inst.territory == row.territory) & (inst.institution_id != row.institution_id)]
            given = {}
            for to in peers.institution_id:
                if rng.random() < 0.8:
                    level = None if rng.random() < 0.1 else float(rng.integers(0, 6))
                    trust = None if rng.random() < 0.1 else float(rng.integers(1, 5))
                    value = float(rng.integers(1, 5))
                    given[to] = (level, trust, value)
            if row.institution_id == "T1-00":  # one rating across territories
                given["T2-08"] = (5.0, 4.0, 4.0)
            add_partner_answer(conn, wave, row.institution_id, given)
            answered.add((wave, row.institution_id))
            ratings += [(wave, row.institution_id, to, *v) for to, v in given.items()]
        for k in range(30):
            me = inst.iloc[int(rng.integers(0, len(inst)))]
            peers = inst[(inst.territory == me.territory) & (inst.institution_id != me.institution_id)]
            picks = list(rng.choice(peers.institution_id, size=int(rng.integers(0, 4)), replace=False))
            role = str(rng.choice(["teacher", "social_worker"]))
            rid = f"R{wave}{k}"
            add_practitioner(conn, wave, rid, me.institution_id, picks, role=role)
            practitioners.add((wave, me.institution_id))
            named += [(wave, rid, me.institution_id, to, role) for to in picks]
    return RandomSurvey(
        conn,
        inst,
        pd.DataFrame(ratings, columns=["wave", "rater", "to", "level", "trust", "value"]),
        answered,
        pd.DataFrame(named, columns=["wave", "respondent", "from", "to", "role"]),
        practitioners,
    )


@pytest.fixture(scope="module", params=[1, 2, 3])
def survey(request: pytest.FixtureRequest) -> RandomSurvey:
    return _random_survey(request.param)


def _reference_graph(
    s: RandomSurvey, wave: str, territory: str, source: str, min_level: float = 2
) -> nx.DiGraph:
    """The documented tie and node rules applied independently with pandas + networkx."""
    terr = dict(zip(s.institutions.institution_id, s.institutions.territory, strict=True))
    r = s.ratings[s.ratings.wave == wave]
    p = s.named[s.named.wave == wave]
    present: set[str] = set()
    edges: set[tuple[str, str]] = set()
    if source in ("partner_survey", "both"):
        present |= {i for w, i in s.answered if w == wave}
        present |= set(r.rater) | set(r.to)
        ok = r[r.level.notna() & (r.level >= min_level)]
        edges |= set(zip(ok.rater, ok.to, strict=True))
    if source in ("practitioner_survey", "both"):
        present |= {i for w, i in s.practitioners if w == wave}
        present |= set(p["from"]) | set(p.to)
        edges |= set(zip(p["from"], p.to, strict=True))
    g = nx.DiGraph()
    g.add_nodes_from(sorted(i for i in present if terr[i] == territory))
    g.add_edges_from((a, b) for a, b in edges if a in g and b in g)
    return g


def _row(df: pd.DataFrame, **keys: object) -> pd.Series:
    mask = np.ones(len(df), dtype=bool)
    for k, v in keys.items():
        mask &= (df[k] == v).to_numpy()
    assert mask.sum() == 1, keys
    return df[mask].iloc[0]


# --------------------------------------------------------------------------- summary


@pytest.mark.parametrize("source", ["partner_survey", "practitioner_survey", "both"])
def test_network_summary_per_territory_and_wave_equals_networkx(
    survey: RandomSurvey, source: str
) -> None:
    """Nodes, ties, density, reciprocity, transitivity, centralization and cross-sector
    share of every territory × wave equal networkx on the independently built tie set."""
    out = network_summary(survey.conn, ALL, source=source)  # type: ignore[arg-type]
    sector = dict(zip(survey.institutions.institution_id, survey.institutions.sector_id, strict=True))
    assert len(out) == 4
    for wave in ("W1", "W2"):
        for territory in ("T1", "T2"):
            g = _reference_graph(survey, wave, territory, source)
            u = g.to_undirected()
            row = _row(out, wave_id=wave, territory=territory)
            assert row["nodes"] == g.number_of_nodes()
            assert row["ties"] == g.number_of_edges()
            assert row["density"] == pytest.approx(nx.density(g))
            if g.number_of_edges():
                assert row["reciprocity"] == pytest.approx(nx.overall_reciprocity(g))
            if any(d >= 2 for _, d in u.degree()):
                assert row["transitivity"] == pytest.approx(nx.transitivity(u))
            deg = [d for _, d in u.degree()]
            n = len(deg)
            assert row["degree_centralization"] == pytest.approx(
                sum(max(deg) - d for d in deg) / ((n - 1) * (n - 2))
            )
            cross = [sector[a] != sector[b] for a, b in u.edges()]
            assert row["cross_sector_share"] == pytest.approx(sum(cross) / len(cross))
            assert row["components"] == nx.number_connected_components(u)


def test_mean_level_averages_every_rating_and_trust_and_value_only_the_ties(
    survey: RandomSurvey,
) -> None:
    """PARTNER's definitions: the level of collaboration over every rating given (level 0
    included, blanks excluded); trust and value over the relationships that exist (rated at the
    tie level or above), since trust in a partner one does not work with says little; the rating
    that crosses territories is in no territory's mean."""
    out = network_summary(survey.conn, ALL)
    terr = dict(zip(survey.institutions.institution_id, survey.institutions.territory, strict=True))
    r = survey.ratings
    r = r[r.rater.map(terr) == r.to.map(terr)]
    for (wave, territory), grp in r.groupby([r.wave, r.rater.map(terr)]):
        row = _row(out, wave_id=wave, territory=territory)
        ties = grp[grp.level >= 2]
        assert row["mean_level"] == pytest.approx(grp.level.mean())
        assert row["mean_trust"] == pytest.approx(ties.trust.mean())
        assert row["mean_value"] == pytest.approx(ties.value.mean())
        assert row["rated_pairs"] == grp.level.notna().sum()
        assert row["trust_pairs"] == ties.trust.notna().sum()


def test_trust_averages_within_the_rating_institution_first() -> None:
    """A's three respondents rate B's trust 4, 4, 4 and C's one respondent 1: B's trust received
    is (4 + 1) / 2 over two institutions, not (4 + 4 + 4 + 1) / 4 over four people."""
    conn = new_warehouse()
    add_institutions(conn, [("A", "education", "T1"), ("B", "city", "T1"), ("C", "social", "T1")])
    add_waves(conn, [("W1", dt.date(2025, 5, 1), dt.date(2025, 6, 15))])
    for k in range(3):
        conn.execute(
            "INSERT INTO respondents VALUES ('W1', 'partner', ?, 1, 1, NULL, 'manager', 'A', NULL, NULL, "
            "'strategic', NULL)", [f"P-A-{k}"])
        conn.execute("INSERT INTO ties VALUES ('W1', 'partner_survey', ?, 'A', 'B', 3, 4, 3, NULL, 1)", [f"P-A-{k}"])
    add_partner_answer(conn, "W1", "C", {"B": (3, 1, 1)})
    node = node_table(conn, ALL, "W1").set_index("institution_id").loc["B"]
    assert node["trust_received"] == pytest.approx(2.5) and node["trust_raters"] == 2
    summary = network_summary(conn, ALL).iloc[0]
    assert summary["mean_trust"] == pytest.approx(2.5) and summary["trust_pairs"] == 2


def test_response_coverage_is_share_of_network_institutions_that_answered(
    survey: RandomSurvey,
) -> None:
    """n = institutions that answered the partner survey; coverage = n / nodes."""
    out = network_summary(survey.conn, ALL)
    terr = dict(zip(survey.institutions.institution_id, survey.institutions.territory, strict=True))
    for _, row in out.iterrows():
        expected = sum(
            1 for w, i in survey.answered if w == row["wave_id"] and terr[i] == row["territory"]
        )
        assert row["n"] == expected
        assert row["coverage"] == pytest.approx(expected / row["nodes"])


def test_pooled_network_keeps_ties_across_territories(survey: RandomSurvey) -> None:
    """by_territory=False: one network per wave over all institutions, the T1→T2 rating
    included; territory is None."""
    out = network_summary(survey.conn, ALL, by_territory=False)
    assert out["territory"].isna().all() and list(out["wave_id"]) == ["W1", "W2"]
    per_territory = network_summary(survey.conn, ALL)
    for wave, grp in per_territory.groupby("wave_id"):
        pooled = _row(out, wave_id=wave)
        crossing = int(((survey.ratings.wave == wave) & (survey.ratings.to == "T2-08")
                        & (survey.ratings.rater == "T1-00")).sum())
        assert pooled["ties"] == grp["ties"].sum() + crossing
        assert pooled["nodes"] == grp["nodes"].sum()


def test_a_higher_tie_threshold_keeps_only_stronger_collaborations(survey: RandomSurvey) -> None:
    """min_level=4 (coalition or more) gives networkx's tie count at that threshold."""
    out = network_summary(survey.conn, ALL, min_level=4)
    for _, row in out.iterrows():
        g = _reference_graph(survey, row["wave_id"], row["territory"], "partner_survey", 4)
        assert row["ties"] == g.number_of_edges()
        assert row["min_level"] == 4


def test_tie_threshold_default_comes_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """MAILLAGE_TIE_MIN_LEVEL changes the default rule (2 = cooperation otherwise)."""
    assert tie_rule().min_level == 2
    monkeypatch.setenv("MAILLAGE_TIE_MIN_LEVEL", "3")
    assert tie_rule().min_level == 3
    with pytest.raises(ValueError):
        tie_rule("emails")  # type: ignore[arg-type]


def test_trend_reports_change_from_the_previous_wave_of_the_same_territory(
    survey: RandomSurvey,
) -> None:
    out = network_trend(survey.conn, ALL)
    for territory, grp in out.groupby("territory"):
        grp = grp.sort_values("wave_order")
        assert math.isnan(grp["change_density"].iloc[0])
        assert grp["change_density"].iloc[1] == pytest.approx(
            grp["density"].iloc[1] - grp["density"].iloc[0]
        )
        assert grp["change_ties"].iloc[1] == grp["ties"].iloc[1] - grp["ties"].iloc[0], territory


# --------------------------------------------------------------------------- nodes and edges


def test_node_table_degrees_and_betweenness_equal_networkx(survey: RandomSurvey) -> None:
    """In/out/undirected degrees and normalised betweenness within each territory network."""
    out = node_table(survey.conn, ALL, "W2")
    for territory in ("T1", "T2"):
        g = _reference_graph(survey, "W2", territory, "partner_survey")
        u = g.to_undirected()
        bu = nx.betweenness_centrality(u, normalized=True)
        bd = nx.betweenness_centrality(g, normalized=True)
        part = out[out.territory == territory].set_index("institution_id")
        assert sorted(part.index) == sorted(g.nodes())
        for v in g.nodes():
            assert part.loc[v, "out_degree"] == g.out_degree(v)
            assert part.loc[v, "in_degree"] == g.in_degree(v)
            assert part.loc[v, "degree"] == u.degree(v)
            assert part.loc[v, "betweenness"] == pytest.approx(bu[v], abs=1e-12)
            assert part.loc[v, "betweenness_directed"] == pytest.approx(bd[v], abs=1e-12)
        top = sorted(bu.values(), reverse=True)[math.ceil(len(bu) / 10) - 1]
        brokers = {v for v, b in bu.items() if b > 0 and b >= top}
        assert set(part.index[part["broker"]]) == brokers


def test_trust_received_is_the_mean_over_the_institutions_that_have_a_tie_with_it(
    survey: RandomSurvey,
) -> None:
    out = node_table(survey.conn, ALL, "W1").set_index("institution_id")
    terr = dict(zip(survey.institutions.institution_id, survey.institutions.territory, strict=True))
    r = survey.ratings[survey.ratings.wave == "W1"]
    r = r[r.rater.map(terr) == r.to.map(terr)]
    for inst, grp in r.groupby("to"):
        ties = grp[grp.level >= 2]
        if ties.trust.notna().any():
            assert out.loc[inst, "trust_received"] == pytest.approx(ties.trust.mean())
        assert out.loc[inst, "trust_raters"] == ties.trust.notna().sum()
        if ties.value.notna().any():
            assert out.loc[inst, "value_received"] == pytest.approx(ties.value.mean())
        assert out.loc[inst, "level_raters"] == grp.level.notna().sum()


def _hand_network() -> duckdb.DuckDBPyConnection:
    """T1: school A, city B, association C, health D (never answers); T2: E.

    A→B 3 (B→A 4: reciprocated), A→C 1 (no tie), A→D 2, B→C 2 (C→B 0), C→A 5, B→E 4
    (other territory). Practitioners: two of A and one of C name B; one of D names A.
    """
    conn = new_warehouse()
    add_institutions(
        conn,
        [("A", "education", "T1"), ("B", "city", "T1"), ("C", "association", "T1"),
         ("D", "health", "T1"), ("E", "social", "T2")],
    )
    add_waves(conn, [("W1", dt.date(2025, 5, 1), dt.date(2025, 6, 15))])
    add_partner_answer(conn, "W1", "A", {"B": (3, 4, 3), "C": (1, 2, 2), "D": (2, 3, None)})
    add_partner_answer(conn, "W1", "B", {"A": (4, 3, 4), "C": (2, 1, 1), "E": (4, 4, 4)},
                       level="operational")
    add_partner_answer(conn, "W1", "C", {"A": (5, 4, 4), "B": (0, 1, 1)})
    add_practitioner(conn, "W1", "p1", "A", ["B"])
    add_practitioner(conn, "W1", "p2", "A", ["B", "C"], role="manager")
    add_practitioner(conn, "W1", "p3", "C", ["B"])
    add_practitioner(conn, "W1", "p4", "D", ["A"])
    return conn


def test_edge_list_for_drawing_flags_reciprocated_and_cross_sector_ties() -> None:
    """Hand-worked T1 partner network: A→B, A→D, B→A, B→C, C→A (B→E crosses territories)."""
    drawing = network_edges(_hand_network(), ALL, "W1")
    e = drawing.edges
    assert list(e.columns) == EDGE_COLUMNS
    pairs = list(zip(e.from_institution_id, e.to_institution_id, strict=True))
    assert pairs == [("A", "B"), ("A", "D"), ("B", "A"), ("B", "C"), ("C", "A")]
    assert e.reciprocated.tolist() == [True, False, True, False, False]
    assert e.cross_sector.all()
    assert e.level.tolist() == [3, 2, 4, 2, 5]
    assert e.loc[1, "value"] != e.loc[1, "value"]  # A gave D no value rating: NaN
    assert sorted(drawing.nodes.institution_id) == ["A", "B", "C", "D", "E"]
    d = drawing.nodes.set_index("institution_id")
    assert not d.loc["D", "answered"] and d.loc["D", "in_degree"] == 1
    assert d.loc["A", "level_received"] == pytest.approx((4 + 5) / 2)
    assert d.loc["B", "level_raters"] == 2  # rated by A (3) and C (0)
    assert d.loc["E", "degree"] == 0  # B→E is left out of the per-territory networks


def test_practitioner_ties_weigh_the_number_of_practitioners_naming_the_institution() -> None:
    """A→B named by two practitioners of A: weight 2; min_practitioners=2 keeps only it."""
    conn = _hand_network()
    e = network_edges(conn, ALL, "W1", source="practitioner_survey").edges
    got = {(a, b): w for a, b, w in zip(e.from_institution_id, e.to_institution_id, e.weight, strict=True)}
    assert got == {("A", "B"): 2, ("A", "C"): 1, ("C", "B"): 1, ("D", "A"): 1}
    strong = network_edges(conn, ALL, "W1", source="practitioner_survey", min_practitioners=2)
    assert strong.edges[["from_institution_id", "to_institution_id"]].values.tolist() == [["A", "B"]]
    summary = network_summary(conn, ALL, source="practitioner_survey")
    row = _row(summary, territory="T1")
    assert (row["n"], row["practitioners"], row["nodes"]) == (3, 4, 4)  # A, C, D answered


def test_a_naming_with_a_reported_frequency_counts_from_the_minimum_frequency(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A codebook asking how often: 0.5 per month is below tie_min_frequency (1): no tie,
    unless the setting is lowered; a plain naming (no frequency) always counts."""
    conn = _hand_network()
    conn.execute(
        "INSERT INTO ties VALUES ('W1', 'practitioner_survey', 'p3', 'C', 'D', NULL, NULL, NULL, 0.5, 1)"
    )

    def pairs() -> set[tuple[str, str]]:
        e = network_edges(conn, ALL, "W1", source="practitioner_survey").edges
        return set(zip(e.from_institution_id, e.to_institution_id, strict=True))

    assert ("C", "D") not in pairs() and ("C", "B") in pairs()
    monkeypatch.setenv("MAILLAGE_TIE_MIN_FREQUENCY", "0,5")  # French decimal comma accepted
    assert ("C", "D") in pairs()


def test_both_sources_give_the_union_of_the_two_tie_sets() -> None:
    conn = _hand_network()
    e = network_edges(conn, ALL, "W1", source="both").edges
    pairs = set(zip(e.from_institution_id, e.to_institution_id, strict=True))
    assert pairs == {("A", "B"), ("A", "D"), ("B", "A"), ("B", "C"), ("C", "A"), ("A", "C"),
                     ("C", "B"), ("D", "A")}
    ac = e[(e.from_institution_id == "A") & (e.to_institution_id == "C")].iloc[0]
    assert (ac.partner_tie, ac.practitioner_tie, ac.level) == (False, True, 1)
    row = _row(network_summary(conn, ALL, source="both"), territory="T1")
    assert row["n"] == 4  # A, B, C answered the partner survey, D through a practitioner


def test_roles_and_levels_filter_the_practitioners_not_the_partner_organisations() -> None:
    """A partner-survey answer is an organisation's: a level filter leaves the partner network as is.
    A role filter selects the practitioners whose namings make the ties: only managers: p2's ties."""
    conn = _hand_network()
    e = network_edges(conn, Filters(levels=("operational",), min_group_size=1), "W1").edges
    everyone = network_edges(conn, ALL, "W1").edges
    pd.testing.assert_frame_equal(e, everyone)
    e = network_edges(conn, Filters(roles=("manager",), min_group_size=1), "W1", source="practitioner_survey").edges
    assert e[["from_institution_id", "to_institution_id"]].values.tolist() == [["A", "B"], ["A", "C"]]


def _practitioner_network() -> duckdb.DuckDBPyConnection:
    """A: six practitioners (five teachers naming B, one manager naming C and D); C: three
    practitioners naming B; B answers nothing itself."""
    conn = new_warehouse()
    add_institutions(conn, [("A", "education", "T1"), ("B", "city", "T1"), ("C", "association", "T1"),
                            ("D", "health", "T1")])
    add_waves(conn, [("W1", dt.date(2025, 5, 1), dt.date(2025, 6, 15))])
    for i in range(5):
        add_practitioner(conn, "W1", f"t{i}", "A", ["B"])
    add_practitioner(conn, "W1", "m1", "A", ["C", "D"], role="manager")
    for i in range(3):
        add_practitioner(conn, "W1", f"c{i}", "C", ["B"])
    return conn


def _ties(conn: duckdb.DuckDBPyConnection, filters: Filters) -> list[list[str]]:
    e = network_edges(conn, filters, "W1", source="practitioner_survey").edges
    return e[["from_institution_id", "to_institution_id"]].values.tolist()


def test_an_institutions_reported_ties_need_five_of_its_practitioners() -> None:
    conn = _practitioner_network()
    # A's six practitioners: its ties show; C's three: C's namings are not shown, C counts as not answered
    assert _ties(conn, PROTECTED) == [["A", "B"], ["A", "C"], ["A", "D"]]
    nodes = node_table(conn, PROTECTED, "W1", source="practitioner_survey").set_index("institution_id")
    assert nodes.loc["A", "answered"] and not nodes.loc["C", "answered"]


def test_a_role_filter_cannot_single_out_one_practitioner_of_an_institution() -> None:
    """Managers only: A's lone manager would be shown (A→C, A→D); teachers only: 'A − teachers'
    would reveal the manager's namings. Within A no class of five exists but all six: A is
    shown only without a role filter."""
    conn = _practitioner_network()
    assert _ties(conn, Filters(roles=("manager",), min_group_size=5)) == []
    assert _ties(conn, Filters(roles=("teacher",), min_group_size=5)) == []
    assert _ties(conn, PROTECTED) == [["A", "B"], ["A", "C"], ["A", "D"]]


def test_territory_and_sector_filters_keep_the_network_between_selected_institutions() -> None:
    conn = _hand_network()
    e = network_edges(conn, Filters(sectors=("education", "city")), "W1").edges
    assert e[["from_institution_id", "to_institution_id"]].values.tolist() == [["A", "B"], ["B", "A"]]
    s = network_summary(conn, Filters(territories=("T2",)))
    assert s.empty  # E neither answered nor was rated by a T2 institution
    s = network_summary(conn, Filters(territories=("T1",)))
    assert s["territory"].tolist() == ["T1"] and s["ties"].tolist() == [5]


def test_unknown_wave_or_empty_warehouse_gives_empty_frames_with_the_documented_columns() -> None:
    conn = new_warehouse()
    assert list(network_summary(conn, ALL).columns) == SUMMARY_COLUMNS
    assert network_summary(conn, ALL).empty
    assert list(node_table(conn, ALL, "W1").columns) == NODE_COLUMNS
    d = network_edges(conn, ALL, "W1")
    assert list(d.edges.columns) == EDGE_COLUMNS and d.edges.empty and d.nodes.empty
    st = tie_stability(conn, ALL, "W1", "W2")
    assert list(st.summary.columns) == STABILITY_COLUMNS and st.summary.empty
    assert list(st.new_ties.columns) == TIE_CHANGE_COLUMNS
    assert list(st.missing.columns) == MISSING_COLUMNS
    assert list(disagreeing_dyads(conn, ALL, "W1").columns) == DYAD_COLUMNS
    assert network_trend(conn, ALL).empty
    hand = _hand_network()
    assert node_table(hand, ALL, "W9").empty and network_edges(hand, ALL, "W9").edges.empty


# --------------------------------------------------------------------------- stability


def _two_waves() -> duckdb.DuckDBPyConnection:
    """Institutions A–E in T1. W1 answered by A, B, C, E; W2 by A, B, C, D.

    W1 ties (undirected): A–B, A–C, B–C (via C), C–E, A–D.  W2: A–B, B–C, C–D, A–D.
    Compared on A, B, C (answered both times): W1 {A–B, A–C, B–C}, W2 {A–B, B–C}.
    N11 = 2 (A–B, B–C), N10 = 1 (A–C lost), N01 = 0; Jaccard = 2/3.
    """
    conn = new_warehouse()
    add_institutions(conn, [(x, "education" if x in "AB" else "city", "T1") for x in "ABCDE"])
    add_waves(conn, [("W1", None, None), ("W2", None, None)])
    add_partner_answer(conn, "W1", "A", {"B": (3, 3, 3), "C": (2, 3, 3), "D": (2, 3, 3)})
    add_partner_answer(conn, "W1", "B", {"A": (1, 3, 3)})
    add_partner_answer(conn, "W1", "C", {"B": (4, 3, 3), "E": (5, 3, 3)})
    add_partner_answer(conn, "W1", "E", {})
    add_partner_answer(conn, "W2", "A", {"B": (2, 3, 3), "C": (1, 3, 3)})
    add_partner_answer(conn, "W2", "B", {"C": (3, 3, 3)})
    add_partner_answer(conn, "W2", "C", {"A": (0, 3, 3), "D": (2, 3, 3)})
    add_partner_answer(conn, "W2", "D", {"A": (3, 3, 3)})
    return conn


def test_jaccard_stability_on_institutions_that_answered_both_waves_is_hand_worked() -> None:
    res = tie_stability(_two_waves(), ALL, "W1", "W2")
    row = res.summary.iloc[0]
    assert (row["n11"], row["n10"], row["n01"]) == (2, 1, 0)
    assert row["jaccard"] == pytest.approx(2 / 3)
    assert (row["institutions_a"], row["institutions_b"], row["n"]) == (4, 4, 3)
    assert (row["only_a"], row["only_b"]) == (1, 1)
    assert res.lost_ties[["institution_a", "institution_b"]].values.tolist() == [["A", "C"]]
    assert res.lost_ties[["sector_a", "sector_b"]].values.tolist() == [["education", "city"]]
    assert res.new_ties.empty


def test_institutions_missing_in_one_wave_are_listed_not_counted_as_lost_ties() -> None:
    """E answered only W1 (its tie C–E is not 'lost'), D only W2 (C–D is not 'new')."""
    res = tie_stability(_two_waves(), ALL, "W1", "W2")
    m = res.missing
    assert m[["institution_id", "present_in", "absent_from"]].values.tolist() == [
        ["E", "W1", "W2"], ["D", "W2", "W1"],
    ]
    assert m["name"].tolist() == ["Name E", "Name D"]


def test_reversed_waves_swap_new_and_lost_ties() -> None:
    res = tie_stability(_two_waves(), ALL, "W2", "W1")
    assert res.new_ties[["institution_a", "institution_b"]].values.tolist() == [["A", "C"]]
    assert res.lost_ties.empty
    assert res.summary.iloc[0]["jaccard"] == pytest.approx(2 / 3)


@pytest.mark.parametrize("source", ["partner_survey", "practitioner_survey", "both"])
def test_stability_matches_networkx_edge_sets_on_random_waves(survey: RandomSurvey, source: str) -> None:
    """N11/N10/N01 and the new ties equal set operations on networkx's undirected edges,
    restricted to the institutions that answered (for that source) in both waves."""
    res = tie_stability(survey.conn, ALL, "W1", "W2", source=source)  # type: ignore[arg-type]
    terr = dict(zip(survey.institutions.institution_id, survey.institutions.territory, strict=True))
    answered: set[tuple[str, str]] = set()
    if source != "practitioner_survey":
        answered |= survey.answered
    if source != "partner_survey":
        answered |= survey.practitioners
    for territory in ("T1", "T2"):
        both = {i for w, i in answered if w == "W1" and terr[i] == territory} & {
            i for w, i in answered if w == "W2" and terr[i] == territory
        }
        ea, eb = (
            {frozenset(e) for e in _reference_graph(survey, w, territory, source)
             .subgraph(both).to_undirected().edges()}
            for w in ("W1", "W2")
        )
        row = _row(res.summary, territory=territory)
        assert row["n"] == len(both)
        assert (row["n11"], row["n10"], row["n01"]) == (len(ea & eb), len(ea - eb), len(eb - ea))
        new = res.new_ties[res.new_ties.territory == territory]
        assert {frozenset(p) for p in new[["institution_a", "institution_b"]].values.tolist()} == eb - ea


# --------------------------------------------------------------------------- dyads


def test_disagreeing_dyads_are_pairs_rated_both_ways_two_levels_apart() -> None:
    """A→C 1 vs C→A 5 (gap 4); B→C 2 vs C→B 0 (gap 2); A↔B 3/4 agree enough."""
    out = disagreeing_dyads(_hand_network(), ALL, "W1")
    assert out[["institution_a", "institution_b", "level_a_to_b", "level_b_to_a", "gap"]].values.tolist() == [
        ["A", "C", 1.0, 5.0, 4.0], ["B", "C", 2.0, 0.0, 2.0],
    ]
    assert out["trust_a_to_b"].tolist() == [2.0, 1.0]
    assert len(disagreeing_dyads(_hand_network(), ALL, "W1", min_gap=3)) == 1


# --------------------------------------------------------------------------- catalogue


def test_every_network_indicator_has_a_complete_bilingual_catalogue_entry() -> None:
    ids = [i.id for i in networks.INDICATORS]
    assert len(ids) == len(set(ids))
    for ind in networks.INDICATORS:
        assert ind.id.startswith("network.") and ind.family in FAMILIES
        assert all([ind.title_fr, ind.title_en, ind.definition_fr, ind.definition_en,
                    ind.formula, ind.unit, ind.sources, ind.missing_data])
        module, func = ind.function.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), func))
    assert {"network.density", "network.jaccard_stability", "network.brokers"} <= set(ids)


def _sampled_network(
    seed: int, coverage: float, n: int = 30, density: float = 0.55
) -> tuple[duckdb.DuckDBPyConnection, float]:
    """A symmetric network of n institutions (true density ≈ `density`, reciprocity 1), surveyed
    with random non-response: each institution answers with probability `coverage` and then
    rates every partner (level 3 for a tie, 0 otherwise). Returns the warehouse and the truth."""
    rng = np.random.default_rng(seed)
    ids = [f"I{i:02d}" for i in range(n)]
    upper = np.triu(rng.random((n, n)) < density, 1)
    adj = upper | upper.T
    conn = new_warehouse()
    add_institutions(conn, [(i, "education" if k % 2 else "city", "T1") for k, i in enumerate(ids)])
    add_waves(conn, [("W1", dt.date(2025, 5, 1), dt.date(2025, 6, 15))])
    answered = rng.random(n) < coverage
    answered[:2] = True  # at least two respondents
    for a in range(n):
        if answered[a]:
            add_partner_answer(conn, "W1", ids[a], {ids[b]: (3 if adj[a, b] else 0, 3, 3) for b in range(n) if b != a})
    return conn, float(adj.sum() / (n * (n - 1)))


@pytest.mark.parametrize("coverage", [0.8, 0.6])
def test_density_among_respondents_is_closer_to_the_truth_than_the_naive_density(coverage: float) -> None:
    """Naive density treats a non-respondent's unreported ties as absent: at coverage .8 it falls
    to about .8 of the truth. Among respondents (and reconstructed from what respondents said
    about non-respondents) the estimates stay near the truth, seed after seed."""
    naive, among, rebuilt = [], [], []
    for seed in range(12):
        conn, truth = _sampled_network(seed, coverage)
        row = network_summary(conn, ALL, by_territory=False).iloc[0]
        naive.append(abs(row["density"] - truth))
        among.append(abs(row["density_respondents"] - truth))
        rebuilt.append(abs(row["density_reconstructed"] - truth))
        assert row["coverage"] == pytest.approx(row["n"] / 30)
    assert np.mean(among) < np.mean(naive) / 3
    assert np.mean(rebuilt) < np.mean(naive)
    assert np.mean(among) < 0.03


def test_a_trend_across_waves_with_different_coverage_compares_institutions_that_answered_both() -> None:
    """The same network in two waves; 90 % answer in W1, 60 % in W2. The naive density falls, the
    network did not change: the robust change, on the institutions that answered both, is 0."""
    rng = np.random.default_rng(3)
    n = 30
    ids = [f"I{i:02d}" for i in range(n)]
    upper = np.triu(rng.random((n, n)) < 0.5, 1)
    adj = upper | upper.T
    conn = new_warehouse()
    add_institutions(conn, [(i, "education", "T1") for i in ids])
    add_waves(conn, [("W1", dt.date(2025, 5, 1), dt.date(2025, 6, 15)),
                     ("W2", dt.date(2026, 5, 1), dt.date(2026, 6, 15))])
    for wave, share in (("W1", 0.9), ("W2", 0.6)):
        for a in range(n):
            if rng.random() < share:
                ratings = {ids[b]: (3 if adj[a, b] else 0, 3, 3) for b in range(n) if b != a}
                add_partner_answer(conn, wave, ids[a], ratings)
    trend = network_trend(conn, ALL, by_territory=False).set_index("wave_id")
    w2 = trend.loc["W2"]
    assert w2["change_density"] < -0.05  # the naive change: an artefact of who answered
    assert w2["change_basis"] == "answered_both" and w2["coverage_gap"] > 0.1
    assert w2["change_density_robust"] == pytest.approx(0.0, abs=1e-12)
    assert w2["n_both"] >= 10


def test_disagreeing_dyads_of_each_demo_territory_are_real_pairs_or_none(demo_db: object) -> None:
    """A territory where no pair disagrees by 2 levels gets no dyad (not rows of blanks that
    crashed the network page for one demo territory)."""
    conn = duckdb.connect(str(demo_db), read_only=True)
    territories = [r[0] for r in conn.execute("SELECT DISTINCT territory FROM institutions ORDER BY 1").fetchall()]
    sizes = []
    for territory in territories:
        dyads = networks.disagreeing_dyads(conn, Filters(territories=(territory,)), "2026-1")
        assert dyads["institution_a"].notna().all() and (dyads["gap"] >= 2).all()
        sizes.append(len(dyads))
    assert 0 in sizes  # the case that broke


# --------------------------------------------------------------------------- one institution


def test_the_ego_view_of_a_lists_what_each_side_reports_and_what_changed() -> None:
    """_two_waves, A in W2 against W1: A → B (level 2) kept; A rated C at 1 and C rated A at 0
    in W2 (no tie), A → C was a tie in W1: lost; D → A (3) is a tie but D did not answer W1: not
    compared. Trust counts only where the rating side reports a tie (A gave C trust 3 at level 1)."""
    ego = networks.ego_network(_two_waves(), ALL, "A", "W2", "W1")
    p = ego.partners.set_index("institution_id")
    assert p.index.tolist() == ["B", "D", "C"]  # partners first, then the others, by name
    assert p["status"].tolist() == ["kept", "not_compared", "lost"]
    assert p[["tie_out", "tie_in"]].values.tolist() == [[True, False], [False, True], [False, False]]
    assert p.loc["C", ["level_given", "level_received"]].tolist() == [1.0, 0.0]
    assert math.isnan(p.loc["C", "trust_given"]) and p.loc["B", "trust_given"] == 3.0
    assert p.loc["D", "trust_received"] == 3.0 and math.isnan(p.loc["B", "level_received"])
    s = ego.summary.iloc[0]
    assert (s["partners"], s["out_degree"], s["in_degree"], s["sectors_linked"]) == (2, 1, 1, 1)
    assert (s["partners_before"], s["new"], s["kept"], s["lost"], s["not_compared"]) == (3, 0, 1, 1, 1)
    assert (s["trust_given"], s["trust_received"], s["previous_wave"]) == (3.0, 3.0, "W1")


def test_an_ego_view_without_a_previous_wave_or_outside_the_network() -> None:
    conn = _two_waves()
    alone = networks.ego_network(conn, ALL, "A", "W2")
    assert alone.partners["status"].isna().all() and pd.isna(alone.summary.iloc[0]["new"])
    assert networks.ego_network(conn, ALL, "E", "W2").summary.empty  # E is in no W2 network
    outside = networks.ego_network(conn, Filters(sectors=("city",)), "A", "W2", "W1")
    assert outside.summary.empty and list(outside.partners.columns) == networks.EGO_COLUMNS


def test_a_practitioner_ego_view_never_shows_the_namings_of_too_few_practitioners() -> None:
    """C has three practitioners: what they named stays hidden in C's own view, as on the page."""
    conn = _practitioner_network()
    c = networks.ego_network(conn, PROTECTED, "C", "W1", source="practitioner_survey").partners
    assert c["named_by_ego"].sum() == 0 and not c["tie_out"].any()
    a = networks.ego_network(conn, PROTECTED, "A", "W1", source="practitioner_survey").partners
    assert sorted(a.loc[a["tie_out"], "institution_id"]) == ["B", "C", "D"]


def test_ego_views_of_every_demo_institution_add_up_to_the_network(demo_db: object) -> None:
    """Each institution's degrees are the node table's, and each new / kept / lost tie is counted
    once at each of its two ends of tie_stability's pairs."""
    conn = duckdb.connect(str(demo_db), read_only=True)
    stability = networks.tie_stability(conn, ALL, "2025-2", "2026-1", by_territory=False).summary.iloc[0]
    nodes = networks.node_table(conn, ALL, "2026-1", by_territory=False)
    totals = dict.fromkeys(networks.EGO_STATUSES, 0)
    for node in nodes.itertuples(index=False):
        s = networks.ego_network(conn, ALL, node.institution_id, "2026-1", "2025-2", by_territory=False).summary.iloc[0]
        assert (s["out_degree"], s["in_degree"], s["partners"]) == (node.out_degree, node.in_degree, node.degree)
        for status in totals:
            totals[status] += int(s[status])
    assert (totals["new"], totals["kept"], totals["lost"]) == (
        2 * stability["n01"], 2 * stability["n11"], 2 * stability["n10"])
    assert totals["not_compared"] > 0
