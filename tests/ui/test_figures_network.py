"""Figure builders and display tables of the network page (ui/figures_network.py), on small
hand-built frames shaped like the outputs of indicators.networks."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from indicators.networks import DYAD_COLUMNS, EDGE_COLUMNS, NODE_COLUMNS, STABILITY_COLUMNS, SUMMARY_COLUMNS
from ui import figures_network as fn
from ui.i18n import NNBSP
from ui.style import SECTOR_COLOURS

SECTORS = ["education", "city", "association", "health", "social", "insertion", "parents"]
LABELS = {"education": "Éducation nationale", "health": "Santé", "parents": "Associations de parents"}
INSTITUTIONS = pd.DataFrame(
    {
        "institution_id": ["A", "B", "C", "D", "E"],
        "name": ["Collège Jean Jaurès", "École Pasteur", "PMI des Tilleuls", "FCPE Jaurès", "Maison de santé"],
        "sector_id": ["education", "education", "health", "parents", "health"],
        "territory": ["Nord", "Nord", "Nord", "Nord", "Sud"],
    }
)


def node_row(i: str, answered: bool = True, degree: int = 1, trust: float = math.nan, raters: int = 0, **kw: object):
    info = INSTITUTIONS.set_index("institution_id").loc[i]
    row: dict[str, object] = dict.fromkeys(NODE_COLUMNS, 0)
    row.update(
        wave_id="2026-1", institution_id=i, name=info["name"], sector_id=info["sector_id"],
        territory=info["territory"], answered=answered, out_degree=degree if answered else 0, in_degree=degree,
        degree=degree, betweenness=0.0, betweenness_directed=0.0, sectors_linked=1, broker=False,
        level_received=2.5, level_raters=raters, trust_received=trust, trust_raters=raters,
        value_received=trust - 0.2 if raters else math.nan, value_raters=raters, practitioner_mentions=0,
    )  # fmt: skip
    row.update(kw)
    return row


def edge(a: str, b: str, level: float, recip: bool, weight: int = 0, partner: bool = True) -> dict[str, object]:
    sec = INSTITUTIONS.set_index("institution_id")["sector_id"]
    return {
        "wave_id": "2026-1", "from_institution_id": a, "to_institution_id": b, "from_sector_id": sec[a],
        "to_sector_id": sec[b], "territory": "Nord", "level": level, "trust": 3.0, "value": 3.0,
        "weight": weight, "partner_tie": partner, "practitioner_tie": weight > 0, "reciprocated": recip,
        "cross_sector": sec[a] != sec[b],
    }  # fmt: skip


@pytest.fixture()
def drawing() -> tuple[pd.DataFrame, pd.DataFrame]:
    nodes = pd.DataFrame(
        [
            node_row("A", degree=2, trust=3.2, raters=2, betweenness=0.5, broker=True),
            node_row("B", degree=2, trust=2.5, raters=2, betweenness=0.1),
            node_row("C", degree=3, trust=2.75, raters=3),
            node_row("D", answered=False, degree=1),
        ]
    )[NODE_COLUMNS]
    edges = pd.DataFrame(
        [
            edge("A", "B", 3, True),
            edge("B", "A", 4, True),
            edge("A", "C", 2, False),
            edge("B", "C", 5, True),
            edge("C", "B", 5, True),
            edge("C", "D", 2, False),
        ]
    )[EDGE_COLUMNS]
    return edges, nodes


def layout() -> pd.DataFrame:
    return fn.circle_layout(INSTITUTIONS, SECTORS)


def traces(fig: go.Figure, kind: str) -> list:
    return [tr for tr in fig.data if isinstance(tr.meta, dict) and tr.meta.get("kind") == kind]


def build(drawing: tuple[pd.DataFrame, pd.DataFrame], lang: str = "fr", **kw: object) -> go.Figure:
    edges, nodes = drawing
    return fn.network_figure(
        edges, nodes, layout(), lang, wave="2026-1", source="partner_survey", sector_labels=LABELS, **kw
    )


# --------------------------------------------------------------------------- network drawing


def test_one_marker_per_institution_coloured_by_sector(drawing: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    fig = build(drawing)
    nodes = traces(fig, "institutions")
    assert sum(len(tr.x) for tr in nodes) == 4  # the institutions of the wave (E is not in it)
    by_sector = {tr.meta["sector"]: tr for tr in nodes}
    assert set(by_sector) == {"education", "health", "parents"}
    assert by_sector["education"].name == "Éducation nationale"  # the legend names sectors
    assert list(by_sector["education"].marker.color) == [SECTOR_COLOURS["education"]] * 2
    # D did not answer: an open marker outlined in its sector's colour
    assert list(by_sector["parents"].marker.color) == ["white"]
    assert list(by_sector["parents"].marker.line.color) == [SECTOR_COLOURS["parents"]]
    # sectors also differ by symbol (black-and-white print)
    assert len({tr.marker.symbol for tr in nodes}) == 3
    # bigger for more partners
    assert by_sector["health"].marker.size[0] > by_sector["parents"].marker.size[0]


def test_ties_are_drawn_by_level_and_reciprocity(drawing: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    fig = build(drawing)
    ties = {(tr.meta["band"], tr.meta["reciprocated"]): tr for tr in traces(fig, "ties")}
    assert set(ties) == {("L3", True), ("L5", True), ("L2", False)}
    assert ties[("L5", True)].line.dash == "solid"
    assert ties[("L2", False)].line.dash == "dot"
    assert ties[("L2", False)].meta["pairs"] == 2  # A–C and C–D, one curve per pair
    assert ties[("L5", True)].line.width > ties[("L3", True)].line.width > ties[("L2", False)].line.width
    hover = traces(fig, "tie-hover")[0]
    assert len(hover.hovertext) == 4
    assert any("3 – coordination" in h and "4 – coalition" in h for h in hover.hovertext)
    assert any("pas de lien déclaré" in h for h in hover.hovertext)


def test_title_caption_and_french_numbers(drawing: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    fig = build(drawing)
    assert "vague 2026-1" in fig.layout.title.text
    caption = fig.layout.meta["caption"]
    assert "n = 4" in caption and "questionnaire aux partenaires" in caption
    assert fig.layout.meta["n"] == 4
    assert fig.layout.separators == ", "
    note = next(a.text for a in fig.layout.annotations if a.name == "caption")
    assert f"3 répondantes (75{NNBSP}%)" in note
    health = next(tr for tr in traces(fig, "institutions") if tr.meta["sector"] == "health")
    assert "Confiance reçue (1 à 4) : 2,8 (3 évaluateurs)".replace(" :", f"{NNBSP}:") in health.hovertext[0]


def test_english(drawing: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    fig = build(drawing, "en")
    assert "wave 2026-1" in fig.layout.title.text
    assert "partner survey" in fig.layout.meta["caption"]
    assert fig.layout.separators == ".,"
    assert any(tr.name == "did not answer" for tr in fig.data)


def test_places_do_not_move_between_waves(drawing: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    edges, nodes = drawing
    full = build(drawing)
    fewer = fn.network_figure(
        edges.iloc[:2], nodes[nodes["institution_id"].isin(["A", "B"])], layout(), "fr", wave="2025-2",
        source="partner_survey",
    )  # fmt: skip

    def places(fig: go.Figure) -> dict[str, tuple[float, float]]:
        out = {}
        for tr in traces(fig, "institutions"):
            out.update({i: (x, y) for i, x, y in zip(tr.customdata, tr.x, tr.y, strict=True)})
        return out

    assert places(full)["A"] == places(fewer)["A"]
    assert places(full)["B"] == places(fewer)["B"]
    again = layout()
    pd.testing.assert_frame_equal(again, layout())


def test_circle_layout_groups_sectors_in_order() -> None:
    lay = fn.circle_layout(INSTITUTIONS.iloc[::-1], SECTORS)
    assert list(lay["sector_id"]) == ["education", "education", "health", "health", "parents"]
    assert lay["x"].iloc[0] == pytest.approx(0.0, abs=1e-9) and lay["y"].iloc[0] == pytest.approx(1.0)
    assert ((lay["x"] ** 2 + lay["y"] ** 2) ** 0.5).tolist() == pytest.approx([1.0] * 5)


def test_names_and_highlighted_ties(drawing: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    mark = fn.Highlight(
        fn.highlight_pairs(pd.DataFrame({"institution_a": ["C"], "institution_b": ["A"]})), "new", "#0b6e99"
    )
    fig = build(drawing, highlight=[mark])
    labels = [a for a in fig.layout.annotations if a.name == "label"]
    assert sorted(a.text for a in labels) == sorted(drawing[1]["name"])
    high = traces(fig, "highlight")
    assert len(high) == 1 and high[0].meta["pairs"] == 1 and high[0].name == "new (1)"
    without = build(drawing, labels=False)
    assert not [a for a in without.layout.annotations if a.name == "label"]


def test_empty_wave_says_so() -> None:
    empty = pd.DataFrame(columns=NODE_COLUMNS)
    fig = fn.network_figure(pd.DataFrame(columns=EDGE_COLUMNS), empty, layout(), "fr", wave="2026-1", source="both")
    assert not fig.data
    assert any("Pas de réseau en 2026-1" in a.text for a in fig.layout.annotations)


def test_tie_pairs() -> None:
    pairs = fn.tie_pairs(
        pd.DataFrame(
            [
                edge("B", "A", 4, True),
                edge("A", "B", 2, True),
                edge("C", "D", math.nan, False, weight=3, partner=False),
                edge("D", "E", math.nan, False, weight=4, partner=False),
            ]
        )[EDGE_COLUMNS]
    )
    ab = pairs[pairs["institution_a"] == "A"].iloc[0]
    assert (ab["institution_b"], ab["level_ab"], ab["level_ba"], ab["level"], ab["band"]) == ("B", 2, 4, 3, "L3")
    assert bool(ab["reciprocated"])
    cd = pairs[pairs["institution_a"] == "C"].iloc[0]
    assert cd["band"] == "P2" and not bool(cd["reciprocated"]) and cd["weight"] == 3
    assert pairs[pairs["institution_a"] == "D"].iloc[0]["band"] == "P3"


# --------------------------------------------------------------------------- trends, stability


def summary_rows() -> pd.DataFrame:
    rows = []
    for k, (wave, density, centr) in enumerate((("2025-2", 0.324, 0.317), ("2026-1", 0.432, 0.277))):
        row: dict[str, object] = dict.fromkeys(SUMMARY_COLUMNS, 0)
        row.update(
            wave_id=wave, wave_order=k + 1, territory=None, source="partner_survey", nodes=40, n=28 + 5 * k,
            coverage=(28 + 5 * k) / 40, ties=506 + 168 * k, density=density, reciprocity=0.56 + 0.09 * k,
            degree_centralization=centr, cross_sector_share=0.78 + 0.04 * k, mean_level=1.6 + 0.15 * k,
            density_respondents=density + 0.1, reciprocity_respondents=0.7 + 0.05 * k,
            cross_sector_share_respondents=0.8 + 0.03 * k,
        )  # fmt: skip
        rows.append(row)
    return pd.DataFrame(rows)


def test_trend_small_multiples_in_french() -> None:
    fig = fn.trend_figure(summary_rows(), "fr", source="partner_survey")
    metrics = {tr.meta["metric"]: tr for tr in fig.data}
    # density, reciprocity and cross-sector ties among the institutions that answered, beside the coverage
    assert set(metrics) == {
        "density_respondents",
        "reciprocity_respondents",
        "degree_centralization",
        "cross_sector_share_respondents",
        "mean_level",
        "coverage",
    }
    assert list(metrics["density_respondents"].text) == [f"42{NNBSP}%", f"53{NNBSP}%"]
    assert list(metrics["density_respondents"].y) == pytest.approx([42.4, 53.2])
    assert list(metrics["coverage"].y) == pytest.approx([70.0, 82.5])
    assert list(metrics["degree_centralization"].text) == ["0,32", "0,28"]
    assert list(metrics["mean_level"].text) == ["1,6", "1,8"]
    assert fig.layout.meta["n"] == 40 and "questionnaire aux partenaires" in fig.layout.meta["caption"]


def test_kpis_and_deltas() -> None:
    k = fn.kpi_values(summary_rows(), "2026-1", "2025-2")
    assert k["ties"] == (674, 168)
    assert k["density"][0] == pytest.approx(0.532)  # among the institutions that answered
    assert fn.delta_text(k["density"][1], "percent", "fr") == "+10,8 pts"
    pair = summary_rows().assign(change_density_robust=[math.nan, 0.05], change_basis=[None, "answered_both"],
                                 n_both=[None, 25])
    k = fn.kpi_values(summary_rows(), "2026-1", "2025-2", pair)
    assert fn.delta_text(k["density"][1], "percent", "fr") == "+5,0 pts"  # on the 25 that answered both
    assert k["basis"] == ("answered_both", 25)
    assert fn.delta_text(-3, "count", "fr") == "−3"
    assert fn.delta_text(math.nan, "percent", "fr") is None


def test_a_fall_gets_a_red_arrow_down_whatever_its_minus_sign() -> None:
    """The KPI's delta is written with a typographic minus, which Streamlit reads as a rise."""
    assert fn.delta_text(-0.014, "percent", "fr") == "−1,4 pts"
    assert fn.delta_style(-0.014, "percent") == ("red", "down")
    assert fn.delta_style(0.022, "percent") == ("green", "up")
    assert fn.delta_style(0.0004, "percent") == ("gray", "off")  # shown as +0,0 pts
    assert fn.delta_style(-3, "count") == ("red", "down")
    assert fn.delta_style(math.nan, "percent") == ("gray", "off")


def stability() -> pd.DataFrame:
    row = dict(
        zip(STABILITY_COLUMNS, [None, "2025-2", "2026-1", 28, 33, 23, 5, 10, 142, 14, 32, 142 / 188], strict=True)
    )
    return pd.DataFrame([row])


def test_stability_bar_and_sentence() -> None:
    fig = fn.stability_figure(stability(), "fr", source="partner_survey")
    parts = {tr.meta["part"]: tr for tr in fig.data}
    assert [list(parts[p].x) for p in ("n11", "n10", "n01")] == [[142], [14], [32]]
    assert parts["n10"].marker.pattern.shape and parts["n01"].marker.pattern.shape  # told apart in grey
    assert "0,76" in fig.layout.title.text and "2025-2 et 2026-1" in fig.layout.title.text
    assert fig.layout.meta["n"] == 23
    text = fn.stability_sentence(stability(), "fr")
    for part in ("**23 structures", "**142 liens", "**14 liens", "**32 liens", "**0,76**", f"76{NNBSP}%"):
        assert part in text


# --------------------------------------------------------------------------- trust, tables


def test_trust_bars_sorted_with_raters(drawing: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, nodes = drawing
    fig = fn.trust_figure(nodes, "fr", wave="2026-1", sector_labels=LABELS)
    trust, value = fig.data
    assert trust.meta["measure"] == "trust" and value.meta["measure"] == "value"
    assert list(trust.y) == ["Collège Jean Jaurès", "PMI des Tilleuls", "École Pasteur"]  # D: nobody rated it
    assert list(trust.text) == ["3,2", "2,8", "2,5"]
    assert value.marker.pattern.shape == "/"
    assert fig.layout.meta["n"] == 3
    assert "2 à 3 structures évaluatrices" in next(a.text for a in fig.layout.annotations if a.name == "caption")


def test_tables(drawing: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, nodes = drawing
    brokers = fn.brokers_table(nodes, "fr", LABELS)
    assert list(brokers["Structure"]) == ["Collège Jean Jaurès", "École Pasteur"]
    assert list(brokers["Passerelle"]) == ["oui", ""]
    assert list(brokers["Part des chemins"]) == [f"50,0{NNBSP}%", f"10,0{NNBSP}%"]
    ties = pd.DataFrame(
        [["Nord", "A", "Collège Jean Jaurès", "education", "C", "PMI des Tilleuls", "health"]],
        columns=["territory", "institution_a", "name_a", "sector_a", "institution_b", "name_b", "sector_b"],
    )
    shown = fn.ties_table(ties, "fr", LABELS)
    assert shown.iloc[0].tolist() == ["Collège Jean Jaurès (Éducation nationale)", "PMI des Tilleuls (Santé)"]
    dyads = pd.DataFrame(
        [
            [
                "2026-1",
                "A",
                "Collège",
                "education",
                "Nord",
                "B",
                "École",
                "education",
                "Nord",
                5.0,
                2.0,
                3.0,
                4.0,
                math.nan,
            ]
        ],
        columns=DYAD_COLUMNS,
    )
    row = fn.dyads_table(dyads, "fr").iloc[0].tolist()
    assert row == ["Collège", "École", "5 – collaboration", "2 – coopération", "3", "4", "–"]
    assert fn.dyads_table(dyads, "en").columns[2] == "A rates B"
    assert fn.brokers_table(nodes.iloc[0:0], "fr").empty


def _effects() -> pd.DataFrame:
    return pd.DataFrame([
        {"effect": "formation", "wave_first": "V1", "wave_last": "V3", "n_transitions": 2, "n": 120,
         "n_institutions": 20, "n_joint": 40, "observed_rate_joint": 0.5, "observed_rate_other": 0.2,
         "odds_ratio": 3.0, "or_ci_low": 1.5, "or_ci_high": 6.0, "risk_ratio": 2.0, "rr_ci_low": 1.2,
         "rr_ci_high": 3.3, "p_value": 0.002, "note": None},
        {"effect": "persistence", "wave_first": "V1", "wave_last": "V3", "n_transitions": 2, "n": 80,
         "n_institutions": 18, "n_joint": 0, "observed_rate_joint": math.nan, "observed_rate_other": 0.7,
         "odds_ratio": math.nan, "or_ci_low": math.nan, "or_ci_high": math.nan, "risk_ratio": math.nan,
         "rr_ci_low": math.nan, "rr_ci_high": math.nan, "p_value": math.nan, "note": "no_joint_pairs"},
    ])


def test_tie_formation_figure_draws_each_estimated_odds_ratio_with_its_interval() -> None:
    fig = fn.tie_formation_figure(_effects(), "fr")
    assert len(fig.data) == 1
    assert list(fig.data[0].x) == [3.0] and list(fig.data[0].y) == ["Nouer un lien"]
    assert list(fig.data[0].error_x.array) == [3.0] and list(fig.data[0].error_x.arrayminus) == [1.5]
    assert fig.layout.xaxis.type == "log"
    assert any(s.x0 == 1.0 for s in fig.layout.shapes)  # the line of no difference


def test_tie_formation_sentences_give_the_ratio_and_say_why_one_is_missing() -> None:
    lines = fn.tie_formation_sentences(_effects(), "fr")
    assert lines[0] == ("Les paires qui ont agi ensemble avaient 3,00 fois plus de chances de nouer un lien "
                        "(IC 95 % 1,50–6,00).")
    assert lines[1].startswith("Garder un lien : pas d'estimation") and "action commune" in lines[1]
    assert fn.tie_formation_estimated(_effects())
    assert list(fn.tie_formation_table(_effects(), "en")["Odds ratio"]) == ["3.00", "–"]


def test_markers_shrink_on_a_narrow_chart_and_keep_their_order() -> None:
    """40 institutions on a chart two waves side by side: the largest symbols, which reach 1/√2 of
    their size from their centre (a square's corner), fit the space between two neighbours."""
    order = ["education", "city", "association", "health", "social", "insertion", "parents"]
    ids = [f"I{k:02d}" for k in range(40)]
    sectors = [order[k % 7] for k in range(40)]
    inst = pd.DataFrame({"institution_id": ids, "name": ids, "sector_id": sectors, "territory": "T"})
    layout = fn.circle_layout(inst, order)
    nodes = pd.DataFrame({c: [None] * 40 for c in NODE_COLUMNS}).assign(
        wave_id="W1", institution_id=ids, name=ids, sector_id=sectors, territory="T", answered=True,
        degree=[float(k % 9) for k in range(40)], out_degree=0, in_degree=0)

    def sizes(width: int) -> list[float]:
        fig = fn.network_figure(pd.DataFrame(columns=EDGE_COLUMNS), nodes, layout, "fr", wave="W1",
                                source="partner_survey", labels=False, height=700, width=width)
        return [v for tr in fig.data if isinstance(tr.meta, dict) and tr.meta.get("kind") == "institutions"
                for v in tr.marker.size]

    wide, narrow = sizes(1400), sizes(462)
    assert max(narrow) < max(wide)
    assert len({round(n / w, 2) for n, w in zip(narrow, wide, strict=True)}) == 1  # one factor: order kept
    # the ring's radius is at most (462 − 40 px of margins) / 2 / 1.08 (the axis range), its 47 places
    # (40 institutions, 7 gaps between sectors) a chord of 2 R sin(π / 47) apart
    chord = 2 * math.sin(math.pi / 47) * (462 - 40) / 2 / 1.08
    assert 2 * 0.71 * max(narrow) <= chord + 0.1


def test_the_ego_sentences_agree_in_number_in_french_and_english() -> None:
    from indicators.networks import EGO_SUMMARY_COLUMNS

    row = dict.fromkeys(EGO_SUMMARY_COLUMNS)
    row.update(wave_id="2026-1", previous_wave="2025-2", name="CIO", sector_id="education", answered=False,
               partners=1, out_degree=0, in_degree=1, sectors_linked=0, trust_given=math.nan, trust_received=3.0,
               new=1, kept=0, lost=2, not_compared=1)
    fr = fn.ego_sentences(pd.DataFrame([row]), "fr", {"education": "Éducation nationale"})
    assert fr == [
        "CIO (Éducation nationale) a 1 partenaire en 2026-1 (liens déclarés par elle : 0 ; vers elle : 1).",
        "Elle n'a pas répondu en 2026-1 : seuls les liens que les autres déclarent envers elle sont connus.",
        "Confiance moyenne qu'elle accorde à ses partenaires : – ; qu'ils lui accordent : 3 (échelle 1 à 4).",
        "Depuis 2025-2 : 1 nouveau lien, 0 maintenu, 2 perdus.",
        "1 lien n'est pas comparé : l'une des deux structures n'a pas répondu à l'une des deux vagues.",
    ]
    row.update(partners=12, out_degree=12, in_degree=9, sectors_linked=4, answered=True, new=0, kept=1, lost=1,
               not_compared=0)
    en = fn.ego_sentences(pd.DataFrame([row]), "en", {"education": "National education"})
    assert en[:2] == ["CIO (National education) has 12 partners in 2026-1 (ties it reports: 12; reported to it: 9).",
                      "Among them, institutions of 4 other sectors."]
    assert en[-1] == "Since 2025-2: 0 new ties, 1 kept, 1 lost."
