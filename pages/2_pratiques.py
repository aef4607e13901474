"""Pratiques en réseau — do practices change? Scale trends per wave, the repeated-measures model's
estimated change between the two waves compared (the primary trend estimate, weighted means on
request), panel change (and the cross-sectional comparison, labelled as not a panel), item
answers, strategic/operational gap, reliable change."""

import dataclasses

import streamlit as st

from indicators import availability as av
from indicators import models, practice, weights
from ui import availability as shown_text
from ui import components, data, state
from ui import figures_overview as overview
from ui import figures_practice as fig
from ui.data import q
from ui.i18n import t

sel = state.selection()
lang = sel.lang
components.header(t("page.practice", lang), t("pr.question", lang))
if not sel.waves:
    components.empty_state(t("app.empty", lang))
    st.stop()

filters = sel.filters
ftext = state.filters_text(sel)
wave_a, wave_b = overview.waves_to_compare(sel.waves, sel.wave_a, sel.wave_b)
# the two latest waves with the practitioner survey (a wave may still wait for it)
pair = data.compute(av.compare_pair, "practice", sel.waves, wave_a, wave_b)
pair_note = shown_text.pair_sentence(pair, lang)
if pair.wave_b is not None:
    wave_a, wave_b = pair.wave_a, pair.wave_b
summary = data.compute(practice.scale_summary, filters)
if summary.empty:
    components.empty_state(t("pr.empty.no_scores", lang))
    st.stop()
scales = dict(zip(summary["scale_id"], summary[fig.label_column(lang)], strict=False))
one_wave = pair_note or t("pr.empty.one_wave" if len(state.wave_list()) < 2 else "pr.empty.one_selected", lang)
if pair_note and pair.possible:
    st.caption(pair_note)

# 1. trends, for everyone or by group
st.subheader(t("pr.section.trend", lang), anchor="trend")
left, right = st.columns(2)
dimension = left.selectbox(
    t("pr.breakdown", lang),
    ["all", "territory", "sector_id", "role", "level"],
    format_func=lambda d: t("pr.breakdown.none" if d == "all" else f"pr.dim.{d}", lang),
    key="pr_dim",
)
changed = data.compute(practice.item_set_changes, tuple(sel.waves), tuple(scales))
changes = fig.item_changes_text(changed, lang)
if changes:
    st.info(changes, icon=":material/edit_note:")
if dimension == "all":
    components.chart(data.figure(fig.scale_trend_figure, q(practice.scale_summary, filters), lang, ftext,
                                 item_changes=changes), "pr-trend", lang)
else:
    scale = right.selectbox(
        t("pr.scale", lang), list(scales), format_func=lambda s: scales.get(s, s), key="pr_dim_scale"
    )
    title = t("pr.fig.trend.title_group", lang, scale=scales[scale], dim=t(f"pr.dim.{dimension}", lang).lower())
    by_group = q(practice.scale_summary, filters, ("wave_id", dimension), (scale,))
    labels = tuple(sorted(state.group_labels(dimension, lang).items()))
    figure = data.figure(fig.scale_trend_figure, by_group, lang, ftext, group=dimension, group_labels=labels,
                             title=title)
    components.chart(figure, "pr-trend-group", lang)

# 1b. the repeated-measures model (every respondent of every selected wave): the primary estimate
# of change between the two waves compared, beside the descriptive means; weighted on request
scale_ids = tuple(scales)
if wave_a is None:
    st.subheader(t("model.section_one", lang), anchor="model")
    components.empty_state(one_wave)
else:
    st.subheader(t("model.section", lang, a=wave_a, b=wave_b), anchor="model")
    st.caption(t("model.intro", lang))
    rm = data.compute(models.repeated_measures, filters)
    if fig.model_hidden(rm.models, scale_ids):
        components.empty_state(t("model.hidden", lang, n=filters.min_group_size))
    else:
        weighted_on = st.toggle(t("weights.toggle", lang), key="pr_weighted", help=t("weights.toggle_help", lang))
        trend_w = data.compute(weights.weighted_trend, filters, scale_ids) if weighted_on else None
        has_weights = trend_w is not None and bool((trend_w["n_weighted"].fillna(0) > 0).any())
        sentences = fig.model_sentences(rm.models, rm.changes, lang, wave_a, wave_b, scale_ids)
        if not sentences:
            components.empty_state(t("model.hidden_pair", lang, a=wave_a, b=wave_b, n=filters.min_group_size))
        components.model_section(
            fig.model_table(rm.models, rm.changes, lang, wave_a, wave_b, scale_ids, summary,
                            trend_w if has_weights else None),
            sentences, fig.model_notes(rm.models, lang, scale_ids), "pr-model", lang,
            f"modele-{wave_a}-{wave_b}", t("model.icc_help", lang),
        )
        if weighted_on and not has_weights:
            components.empty_state(t("weights.none", lang))
        elif trend_w is not None:
            components.chart(data.figure(fig.weighted_trend_figure, q(weights.weighted_trend, filters, scale_ids),
                                         lang, ftext), "pr-weighted", lang)
            for line in fig.weighted_sentences(trend_w, lang, wave_a, wave_b, scale_ids):
                st.caption(line)

# 2. panel change; the cross-sectional comparison apart, labelled as not a panel
if wave_a is None:
    st.subheader(t("pr.section.panel", lang, a="…", b=wave_b), anchor="panel")
    components.empty_state(one_wave)
else:
    st.subheader(t("pr.section.panel", lang, a=wave_a, b=wave_b), anchor="panel")
    panel = data.compute(practice.panel_change, filters, wave_a, wave_b)
    if panel.empty or panel["suppressed"].all():
        components.empty_state(t("pr.empty.no_panel", lang, a=wave_a, b=wave_b, n=filters.min_group_size))
    else:
        panel_query = q(practice.panel_change, filters, wave_a, wave_b)
        components.chart(data.figure(fig.panel_change_figure, panel_query, lang, ftext), "pr-panel", lang)
        components.table(fig.panel_table(panel, lang), "pr-panel", lang, name=f"panel-{wave_a}-{wave_b}")
    with st.expander(t("pr.cross_expander", lang), icon=":material/warning:"):
        st.caption(t("pr.cross_intro", lang))
        cross = q(practice.cross_sectional_change, filters, wave_a, wave_b)
        components.chart(data.figure(fig.cross_sectional_figure, cross, lang, ftext), "pr-cross", lang)
        components.table(fig.cross_sectional_table(cross.frame(), lang), "pr-cross", lang,
                         name=f"hors-panel-{wave_a}-{wave_b}")

# 3. item answers (the two waves compared)
st.subheader(t("pr.section.items", lang))
item_scale = st.selectbox(
    t("pr.scale", lang), list(scales), format_func=lambda s: scales.get(s, s), key="pr_item_scale"
)
item_waves = (wave_a, wave_b) if wave_a else (wave_b,)
items = q(practice.item_distribution, dataclasses.replace(filters, waves=item_waves), item_scale)
components.chart(data.figure(fig.likert_figure, items, lang, ftext, scales[item_scale], item_waves), "pr-items",
               lang)

# 4. strategic vs operational
st.subheader(t("pr.section.gap", lang))
if filters.levels is not None:
    st.caption(t("pr.empty.level_filter", lang))
components.chart(data.figure(fig.level_gap_figure, q(practice.level_gap, filters), lang, ftext), "pr-gap", lang)

# 5. reliable change
st.subheader(t("pr.section.reliable", lang))
if wave_a is None:
    components.empty_state(one_wave)
else:
    reliable = q(practice.reliable_change, filters, wave_a, wave_b)
    components.chart(data.figure(fig.reliable_change_figure, reliable, lang, ftext), "pr-reliable", lang)
