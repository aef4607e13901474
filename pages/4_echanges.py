"""Échanges: how often do institutions exchange? Survey-reported exchanges sector × sector per
wave (or their change between waves A and B), joint actions per month from the activity log, the
share of actions with several sectors or institutions, actions for 16–18 year olds and with
parents, and the sector pairs of the activity projection. Charts: ui.figures_exchanges."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import plotly.graph_objects as go
import streamlit as st

from indicators import availability as av
from indicators import exchanges as ex
from ui import availability as shown_text
from ui import components, data, events, state
from ui import figures_exchanges as fx
from ui.figures_network import waves_in_order
from ui.i18n import fmt_int, t

sel = state.selection()
lang = sel.lang
components.header(t("page.exchanges", lang), t("exchanges.question", lang))


def go_load() -> None:
    st.page_link("pages/7_charger.py", label=t("exchanges.go_load", lang), icon=":material/upload_file:")


def figure(build: Callable[[], go.Figure], *key: Hashable) -> go.Figure:
    return data.cached_figure(build, "exchanges", lang, sel.filters, *key)


if data.warehouse_state() != "ready" or not sel.waves:
    components.empty_state(t("exchanges.empty.warehouse", lang))
    go_load()
    st.stop()

f = sel.filters
filters = state.filters_text(sel)
mgs = f.min_group_size
sectors = data.sql("SELECT sector_id, label_fr, label_en FROM sectors ORDER BY sort_order")
sector_labels = dict(zip(sectors["sector_id"], sectors["label_en" if lang == "en" else "label_fr"], strict=True))
sector_order = list(sectors["sector_id"])

# --- survey: sector × sector --------------------------------------------------------------------
st.subheader(t("exchanges.section.survey", lang))
matrix = data.compute(ex.survey_exchange_matrix, f)
if matrix.empty:
    components.empty_state(t("exchanges.empty.no_survey", lang))
else:
    waves = waves_in_order(matrix)
    controls = st.columns([4, 4, 3])
    measure = (
        controls[0].segmented_control(
            t("exchanges.measure", lang),
            list(fx.MEASURES),
            default=fx.MEASURES[0],
            required=True,
            key="exc_measure",
            format_func=lambda m: t(f"exchanges.measure.{m}", lang),
        )
        or fx.MEASURES[0]
    )
    can_compare = len(waves) > 1
    view = (
        controls[1].segmented_control(
            t("exchanges.view", lang),
            ["wave", "change"],
            default="wave",
            required=True,
            key="exc_view",
            format_func=lambda v: t(f"exchanges.view.{v}", lang),
        )
        if can_compare
        else "wave"
    )
    if view == "change":
        wave_b = sel.wave_b if sel.wave_b in waves else waves[-1]
        wave_a = sel.wave_a if sel.wave_a in waves and sel.wave_a != wave_b else waves[max(waves.index(wave_b) - 1, 0)]
        if wave_a == wave_b:
            wave_a = waves[0] if wave_b != waves[0] else waves[1]
        controls[2].caption(t("exchanges.change_note", lang, a=wave_a, b=wave_b))
        fig = figure(
            lambda: fx.exchange_change_heatmap(
                matrix,
                lang,
                wave_a=wave_a,
                wave_b=wave_b,
                measure=measure,
                sector_labels=sector_labels,
                sector_order=sector_order,
                filters=filters,
                min_group_size=mgs,
            ),
            "change",
            measure,
            wave_a,
            wave_b,
        )
        components.chart(fig, "exc-change", lang)
    else:
        default = sel.wave_b if sel.wave_b in waves else waves[-1]
        note = shown_text.shown_sentence(data.compute(av.shown_wave, "exchanges_survey", sel.waves, sel.wave_b), lang)
        if note:
            st.caption(note)
        wave = (
            controls[2].select_slider(t("exchanges.wave", lang), options=waves, value=default, key="exc_wave")
            if can_compare
            else waves[0]
        )
        fig = figure(
            lambda: fx.exchange_heatmap(
                matrix,
                lang,
                wave=wave,
                measure=measure,
                sector_labels=sector_labels,
                sector_order=sector_order,
                filters=filters,
                min_group_size=mgs,
            ),
            "heatmap",
            measure,
            wave,
        )
        components.chart(fig, "exc-heatmap", lang)

# --- activity log -------------------------------------------------------------------------------
has_log = int(data.sql("SELECT count(*) AS n FROM activities")["n"].iloc[0]) > 0
st.subheader(t("exchanges.section.monthly", lang), anchor="monthly")
if not has_log:
    components.empty_state(t("exchanges.empty.no_log", lang))
    go_load()
    st.stop()
total = data.compute(ex.activity_monthly, f)
if total.empty:
    components.empty_state(t("exchanges.empty.no_actions", lang))
    st.stop()
st.caption(
    " ".join(
        x
        for x in (
            t(
                "exchanges.span",
                lang,
                start=fx.month_label(total["month"].min(), lang),
                end=fx.month_label(total["month"].max(), lang),
                n=fmt_int(int(total["actions"].sum()), lang),
            ),
            t("exchanges.waves_note", lang),
            t("exchanges.people_filters", lang) if (f.roles or f.levels) else "",
        )
        if x
    )
)
by = st.segmented_control(
    t("exchanges.by", lang),
    ["sectors", "activity_type", "territory"],
    default="sectors",
    required=True,
    key="exc_by",
    format_func=lambda b: t(f"exchanges.by.{b}", lang),
)
by_column = None if by in (None, "sectors") else str(by)
monthly = total if by_column is None else data.compute(ex.activity_monthly, f, by_column)
survey_waves = data.sql("SELECT wave_id, first_date, last_date FROM waves ORDER BY wave_order")
survey_waves = survey_waves[survey_waves["wave_id"].isin(list(sel.waves))]
month_marks = events.marks_for_months(
    [e for e in data.compute(events.load_events) if e.applies_to(f.territories)], list(monthly["month"]), lang
)
fig = figure(
    lambda: fx.monthly_figure(monthly, lang, by=by_column, filters=filters, waves=survey_waves, events=month_marks),
    "monthly",
    by_column,
    month_marks,
)
components.chart(fig, "exc-monthly", lang)

# --- shares per half-year -----------------------------------------------------------------------
shares = data.compute(ex.activity_shares, f)
months = fx.covered_months(total)
st.subheader(t("exchanges.section.shares", lang))
components.chart(
    figure(lambda: fx.shares_figure(shares, lang, filters=filters, months=months), "shares"), "exc-shares", lang
)
st.subheader(t("exchanges.section.audience", lang))
components.chart(
    figure(lambda: fx.audience_figure(shares, lang, filters=filters, months=months), "audience"), "exc-audience", lang
)
with st.expander(t("exchanges.table", lang), icon=":material/table:"):
    components.table(fx.shares_table(shares, lang), "exc-shares", lang, "actions-semestre")

# --- sector pairs -------------------------------------------------------------------------------
st.subheader(t("exchanges.section.pairs", lang))
periods = sorted(shares["period"].astype(str).unique().tolist()) if not shares.empty else []
options = ["all", *periods]
period_choice = (
    st.segmented_control(
        t("exchanges.period", lang),
        options,
        default="all",
        required=True,
        key="exc_period",
        format_func=lambda p: fx.period_label(None if p == "all" else p, lang).capitalize(),
    )
    if len(options) > 2
    else "all"
)
period = None if period_choice == "all" else str(period_choice)
pairs = data.compute(ex.activity_sector_pairs, f, period, by_period=False)
n_actions = (
    int(shares["actions"].sum())
    if period is None
    else int(shares.loc[shares["period"].astype(str) == period, "actions"].sum())
)
fig = figure(
    lambda: fx.sector_pairs_figure(
        pairs,
        lang,
        period=period,
        sector_labels=sector_labels,
        sector_order=sector_order,
        filters=filters,
        n_actions=n_actions,
    ),
    "pairs",
    period,
)
components.chart(fig, "exc-pairs", lang)
projection = data.compute(ex.institution_projection, f, period)
if not projection.edges.empty:
    top = fx.institution_pairs_table(projection.edges, lang, sector_labels)
    with st.expander(t("exchanges.pairs_table", lang, n=len(top)), icon=":material/table:"):
        components.table(top, "exc-institution-pairs", lang, f"paires-{period or 'toutes'}")
