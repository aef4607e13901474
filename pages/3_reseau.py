"""Réseau inter-institutionnel: who works with whom? The network of institutions per wave (or two
waves side by side), its indicators over waves, tie stability between waves A and B, whether joint
actions create ties (odds ratios of forming and keeping a tie), brokers, trust and value received,
and the pairs that rate each other differently. Charts: ui.figures_network."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Hashable, Sequence
from typing import cast

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators import availability as av
from indicators import networks as nw
from indicators import tie_formation as tf
from ui import availability as shown_text
from ui import components, data, state
from ui import figures_network as fn
from ui.i18n import fmt_int, fmt_percent, t
from ui.style import ACCENT, BAD
from warehouse.safe_text import escape_markdown

sel = state.selection()
lang = sel.lang
components.header(t("page.network", lang), t("network.question", lang))


def go_load() -> None:
    st.page_link("pages/7_charger.py", label=t("network.go_load", lang), icon=":material/upload_file:")


def figure(build: Callable[[], go.Figure], *key: Hashable) -> go.Figure:
    return data.cached_figure(build, "network", lang, sel.filters, *key)


if data.warehouse_state() != "ready" or not sel.waves:
    components.empty_state(t("network.empty.warehouse", lang))
    go_load()
    st.stop()

f = sel.filters
filters = state.filters_text(sel)
by_territory = nw.networks_by_territory()

# --- which ties ---------------------------------------------------------------------------------
available = set(data.sql("SELECT DISTINCT source FROM network_ties")["source"].astype(str))
sources = [s for s in fn.SOURCES[:2] if s in available]
if not sources:
    components.empty_state(t("network.empty.no_ties", lang))
    go_load()
    st.stop()
if len(sources) == 2:
    sources.append(fn.BOTH)
source = cast(
    nw.Source,
    st.segmented_control(
        t("network.source", lang),
        sources,
        default=sources[0],
        required=True,
        key="net_src",
        format_func=lambda s: fn.source_label(s, lang),
        help=t("network.source.help", lang),
        bind="query-params",
    )
    or sources[0],
)
min_level = nw.tie_rule(source).min_level
sectors = data.sql("SELECT sector_id, label_fr, label_en FROM sectors ORDER BY sort_order")
sector_labels = dict(zip(sectors["sector_id"], sectors["label_en" if lang == "en" else "label_fr"], strict=True))
if f.roles or f.levels:
    st.caption(t("network.roles_note", lang))
if f.territories or f.sectors:
    st.caption(t("network.sector_note", lang))

trend = data.compute(nw.network_trend, f, source, by_territory=by_territory)
if trend.empty:
    components.empty_state(t("network.empty.no_source", lang, source=fn.source_label(source, lang)))
    st.stop()
waves = fn.waves_in_order(trend)
# the latest waves with this source's ties (the partner survey may arrive after the practitioners')
family = av.NETWORK_FAMILY[source]
net_pair = data.compute(av.compare_pair, family, sel.waves, sel.wave_a, sel.wave_b or sel.waves[-1])
wave_b = net_pair.wave_b if net_pair.wave_b in waves else waves[-1]
wave_a = net_pair.wave_a if net_pair.wave_a in waves and net_pair.wave_a != wave_b else None
for note in (shown_text.shown_sentence(data.compute(av.shown_wave, family, sel.waves, sel.wave_b), lang),
             shown_text.pair_sentence(net_pair, lang) if sel.wave_a else ""):
    if note:
        st.info(note, icon=":material/event_upcoming:")

# --- at a glance --------------------------------------------------------------------------------
if wave_a:
    st.subheader(t("network.section.kpi_since", lang, wave=wave_b, since=wave_a))
else:
    st.subheader(t("network.section.kpi", lang, wave=wave_b))
pair = data.compute(nw.network_trend, dataclasses.replace(f, waves=(wave_a, wave_b)), source,
                    by_territory=by_territory) if wave_a else None
k = fn.kpi_values(trend, wave_b, wave_a, pair)
cols = st.columns(5)
cols[0].metric(
    t("network.kpi.institutions", lang),
    t("network.kpi.institutions_value", lang, k=fmt_int(k["n"][0], lang), n=fmt_int(k["nodes"][0], lang)),
    delta=fmt_percent(k["coverage"][0], lang),
    delta_color="off",
    delta_arrow="off",
    help=t("network.kpi.institutions_help", lang),
    border=True,
)
for col, key, kind, label_key, help_key in (
    (cols[1], "ties", "count", "network.kpi.ties", "network.kpi.ties_help"),
    (cols[2], "density", "percent", "network.metric.density", "network.kpi.density_help"),
    (cols[3], "reciprocity", "percent", "network.metric.reciprocity", "network.kpi.reciprocity_help"),
    (cols[4], "cross_sector_share", "percent", "network.kpi.cross", "network.kpi.cross_help"),
):
    value, change = k[key]
    colour, arrow = fn.delta_style(change, kind)
    col.metric(
        t(label_key, lang),
        fmt_int(value, lang) if kind == "count" else fmt_percent(value, lang),
        delta=fn.delta_text(change, kind, lang),
        delta_color=colour,
        delta_arrow=arrow,
        help=t(help_key, lang),
        border=True,
    )
st.caption(t("network.kpi.robust_note", lang, c=fmt_percent(k["coverage"][0], lang)))
basis, n_both = k.get("basis", (None, None))
if basis == "answered_both" and wave_a:
    st.caption(t("network.kpi.both_note", lang, a=wave_a, b=wave_b, n=fmt_int(n_both, lang)))

# --- the network --------------------------------------------------------------------------------
st.subheader(t("network.section.graph", lang))


def layout() -> pd.DataFrame:
    """Places of every filtered institution (the same in every wave)."""
    institutions = data.sql("SELECT institution_id, name, sector_id, territory FROM institutions")
    if f.territories is not None:
        institutions = institutions[institutions["territory"].isin(list(f.territories))]
    if f.sectors is not None:
        institutions = institutions[institutions["sector_id"].isin(list(f.sectors))]
    return fn.circle_layout(institutions, list(sectors["sector_id"]))


# The charts' width on screen in a 1440-px-wide window (the dashboard's design width, measured in
# Chromium): the legends, the caption and the size of the markers are laid out for it.
PAGE_WIDTH, COMPARE_WIDTH = 940, 462
MAX_DRAWN = 150  # institutions: beyond, a drawing is unreadable (choose a territory or a sector)


def network_chart(
    wave: str, labels: bool, height: int, highlight: Sequence[fn.Highlight], compare: bool = False
) -> go.Figure:
    drawing = data.compute(nw.network_edges, f, wave, source, by_territory=by_territory)
    return fn.network_figure(
        drawing.edges,
        drawing.nodes,
        layout(),
        lang,
        wave=wave,
        source=source,
        min_level=min_level,
        sector_labels=sector_labels,
        filters=filters,
        highlight=highlight,
        labels=labels,
        height=height,
        title=t("network.fig.graph.title_short", lang, wave=wave) if compare else None,
        width=COMPARE_WIDTH if compare else PAGE_WIDTH,
    )


EGO_KEY = "net_ego"


def pick_institution(chart_key: str) -> Callable[[], None]:
    """A click on an institution in the graph chooses it for « Le réseau d'une structure »."""

    def pick() -> None:
        ids = components.selected_ids(chart_key)
        if ids:
            st.session_state[EGO_KEY] = ids[0]

    return pick


controls = st.columns([2, 3, 2])
compare = False
if wave_a is not None:
    view = controls[0].segmented_control(
        t("network.view", lang),
        ["one", "compare"],
        default="one",
        required=True,
        key="net_view",
        format_func=lambda v: t(f"network.view.{v}", lang),
    )
    compare = view == "compare"
n_drawn = len(layout())
if n_drawn > MAX_DRAWN:
    st.info(t("network.too_many", lang, n=n_drawn, max=MAX_DRAWN), icon=":material/filter_alt:")
    detail_wave = wave_b
elif compare and wave_a is not None:
    controls[1].caption(t("network.compare_hint", lang, a=wave_a, b=wave_b))
    show_changes = controls[2].toggle(t("network.highlight", lang), value=True, key="net_highlight")
    changes = data.compute(nw.tie_stability, f, wave_a, wave_b, source, by_territory=by_territory)
    lost = fn.Highlight(fn.highlight_pairs(changes.lost_ties), t("network.legend.lost", lang, b=wave_b), BAD, "dash")
    new = fn.Highlight(fn.highlight_pairs(changes.new_ties), t("network.legend.new", lang, a=wave_a), ACCENT)
    for column, wave, extra in zip(st.columns(2), (wave_a, wave_b), (lost, new), strict=True):

        def side(w: str = wave, m: tuple[fn.Highlight, ...] = (extra,) if show_changes else ()) -> go.Figure:
            return network_chart(w, False, 700, m, compare=True)

        fig = figure(
            side,
            "compare",
            source,
            wave_a,
            wave_b,
            wave,
            show_changes,
        )
        with column:
            components.chart(fig, f"net-graph-{wave}", lang, on_select=pick_institution(f"net-graph-{wave}"))
    detail_wave = wave_b
else:
    detail_wave = (
        controls[1].select_slider(t("network.wave", lang), options=waves, value=wave_b, key="net_wave")
        if len(waves) > 1
        else waves[0]
    )
    show_labels = controls[2].toggle(t("network.labels", lang), value=True, key="net_labels")
    height = 900 if show_labels else 720
    ego_id = st.session_state.get(EGO_KEY)  # the institution chosen below, its ties drawn in colour

    def one_wave() -> go.Figure:
        marks: list[fn.Highlight] = []
        if ego_id:
            drawing = data.compute(nw.network_edges, f, detail_wave, source, by_territory=by_territory)
            pairs = fn.ego_pairs(drawing.edges, str(ego_id))
            named = drawing.nodes.loc[drawing.nodes["institution_id"] == ego_id, "name"]
            if pairs and len(named):
                # a name made of markup is drawn as text by components.chart (ui.exports.safe_figure)
                marks.append(fn.Highlight(pairs, t("network.legend.ego", lang, name=str(named.iloc[0])), ACCENT))
        return network_chart(detail_wave, show_labels, height, marks)

    fig = figure(one_wave, "graph", source, detail_wave, show_labels, ego_id)
    components.chart(fig, "net-graph", lang, on_select=pick_institution("net-graph"))

# --- one institution's network ------------------------------------------------------------------
st.subheader(t("network.section.ego", lang, wave=detail_wave), anchor="ego")
st.caption(t("network.ego.intro", lang))
in_wave = data.compute(nw.node_table, f, detail_wave, source, by_territory=by_territory)
in_wave = in_wave.sort_values(["name", "institution_id"], kind="stable")
ego_options = in_wave["institution_id"].astype(str).tolist()
ego_names = dict(zip(ego_options, in_wave["name"].astype(str), strict=True))
if st.session_state.get(EGO_KEY) not in ego_names:
    st.session_state.pop(EGO_KEY, None)  # chosen in another wave or selection
chosen = st.selectbox(
    t("network.ego.choose", lang),
    ego_options,
    index=None,
    placeholder=t("network.ego.placeholder", lang),
    key=EGO_KEY,
    format_func=lambda i: ego_names.get(i, i),
)
if chosen:
    position = waves.index(detail_wave) if detail_wave in waves else 0
    since = wave_a if detail_wave == wave_b and wave_a else (waves[position - 1] if position > 0 else None)
    ego = data.compute(nw.ego_network, f, chosen, detail_wave, since, source, by_territory=by_territory)
    if ego.summary.empty:
        components.empty_state(t("network.ego.none", lang, wave=detail_wave))
    else:
        lines = fn.ego_sentences(ego.summary, lang, sector_labels)  # names come from the users' files
        st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines))
        components.table(
            fn.ego_table(ego.partners, lang, sector_labels, since, source),
            "net-ego",
            lang,
            f"reseau-{chosen}-{detail_wave}" if lang == "fr" else f"network-{chosen}-{detail_wave}",
        )

# --- trends -------------------------------------------------------------------------------------
st.subheader(t("network.section.trend", lang), anchor="trend")
fig = figure(lambda: fn.trend_figure(trend, lang, source=source, filters=filters), "trend", source)
components.chart(fig, "net-trend", lang)

# --- stability ----------------------------------------------------------------------------------
if wave_a is None:
    st.subheader(t("network.section.stability", lang, a=waves[0], b=waves[-1]))
    key = "network.empty.same_wave" if len(sel.waves) > 1 else "network.empty.one_wave"
    components.empty_state(t(key, lang))
else:
    st.subheader(t("network.section.stability", lang, a=wave_a, b=wave_b))
    stability = data.compute(nw.tie_stability, f, wave_a, wave_b, source, by_territory=by_territory)
    summary = stability.summary
    if summary.empty or int(pd.to_numeric(summary["n"], errors="coerce").sum()) == 0:
        components.empty_state(t("network.empty.no_common", lang, a=wave_a, b=wave_b))
    else:
        st.markdown(fn.stability_sentence(summary, lang))
        fig = figure(
            lambda: fn.stability_figure(summary, lang, source=source, filters=filters),
            "stability",
            source,
            wave_a,
            wave_b,
        )
        components.chart(fig, "net-stability", lang)
        frames = ((stability.new_ties, "network.new_ties", "new"), (stability.lost_ties, "network.lost_ties", "lost"))
        tabs = st.tabs([t(key, lang, n=fmt_int(len(frame), lang)) for frame, key, _ in frames])
        for tab, (frame, _, name) in zip(tabs, frames, strict=True):
            with tab:
                if frame.empty:
                    st.caption(t("network.empty.no_change", lang))
                else:
                    components.table(
                        fn.ties_table(frame, lang, sector_labels), f"net-{name}", lang, f"{name}-{wave_a}-{wave_b}"
                    )
        if not stability.missing.empty:
            with st.expander(t("network.missing", lang, n=fmt_int(len(stability.missing), lang))):
                components.table(fn.missing_table(stability.missing, lang, sector_labels), "net-missing", lang)

# --- do joint actions create ties? --------------------------------------------------------------
st.subheader(t("tie.section", lang), anchor="tie-formation")
st.caption(t("tie.intro", lang))
if nw.PARTNER not in available:
    components.empty_state(t("tie.none", lang))
else:
    formation = data.compute(tf.tie_formation, f, by_territory=by_territory)
    if not fn.tie_formation_estimated(formation.effects):
        components.empty_state(" ".join([t("tie.none", lang), *fn.tie_formation_sentences(formation.effects, lang)]))
    else:
        st.markdown("\n".join(f"- {line}" for line in fn.tie_formation_sentences(formation.effects, lang)))
        fig = figure(lambda: fn.tie_formation_figure(formation.effects, lang, filters), "tie-formation")
        components.chart(fig, "net-tie-formation", lang)
        components.table(fn.tie_formation_table(formation.effects, lang), "net-tie-formation", lang, "liens-actions")
    st.warning(t("tie.caveat", lang), icon=":material/warning:")

# --- brokers ------------------------------------------------------------------------------------
st.subheader(t("network.section.brokers", lang, wave=detail_wave))
st.caption(t("network.brokers.intro", lang))
nodes = data.compute(nw.node_table, f, detail_wave, source, by_territory=by_territory)
brokers = fn.brokers_table(nodes, lang, sector_labels)
if brokers.empty:
    components.empty_state(t("network.empty.no_brokers", lang))
else:
    components.table(brokers, "net-brokers", lang, f"brokers-{detail_wave}")

# --- trust and value ----------------------------------------------------------------------------
st.subheader(t("network.section.trust", lang, wave=detail_wave))
partner_nodes = (
    data.compute(nw.node_table, f, detail_wave, nw.PARTNER, by_territory=by_territory)
    if nw.PARTNER in available
    else nodes.iloc[0:0]
)
rated = pd.to_numeric(partner_nodes["trust_raters"], errors="coerce").fillna(0)
if not bool((rated > 0).any()):
    components.empty_state(t("network.empty.no_partner", lang, wave=detail_wave))
else:
    if source != nw.PARTNER:
        st.caption(t("network.trust.partner_note", lang))
    fig = figure(
        lambda: fn.trust_figure(partner_nodes, lang, wave=detail_wave, sector_labels=sector_labels, filters=filters),
        "trust",
        detail_wave,
    )
    components.chart(fig, "net-trust", lang)

# --- disagreeing dyads --------------------------------------------------------------------------
st.subheader(t("network.section.dyads", lang, wave=detail_wave))
st.caption(t("network.dyads.intro", lang))
if nw.PARTNER not in available:
    components.empty_state(t("network.empty.no_partner", lang, wave=detail_wave))
else:
    dyads = data.compute(nw.disagreeing_dyads, f, detail_wave)
    if dyads.empty:
        components.empty_state(t("network.empty.no_dyads", lang, wave=detail_wave))
    else:
        st.markdown(f"**{t('network.dyads.count', lang, n=fmt_int(len(dyads), lang))}**")
        components.table(fn.dyads_table(dyads, lang, sector_labels), "net-dyads", lang, f"dyads-{detail_wave}")

# --- method -------------------------------------------------------------------------------------
with st.expander(t("network.section.method", lang), icon=":material/menu_book:"):
    st.markdown(
        t(
            "network.method",
            lang,
            rule=fn.tie_rule_text(source, min_level, lang),
            scope=t("network.scope.territory" if by_territory else "network.scope.pooled", lang),
        )
    )
