"""Bien-être — how are professionals doing? WHO-5 and burnout distributions per wave, shares
beyond the cut-offs with Wilson CIs, by role, and the panel change against the 10-point
threshold, and the repeated-measures model's estimated change between the two waves compared (the
primary trend estimate, weighted means on request). WHO-5 is a screening tool, not a diagnosis."""

import streamlit as st

from indicators import availability as av
from indicators import models, weights, wellbeing
from ui import availability as shown_text
from ui import components, data, state
from ui import figures_overview as overview
from ui import figures_practice as fp
from ui import figures_wellbeing as fig
from ui.data import q
from ui.i18n import t

sel = state.selection()
lang = sel.lang
components.header(t("page.wellbeing", lang), t("wb.question", lang))
st.info(t("wb.screening", lang), icon=":material/health_and_safety:")
if not sel.waves:
    components.empty_state(t("app.empty", lang))
    st.stop()

filters = sel.filters
ftext = state.filters_text(sel)
wave_a, wave_b = overview.waves_to_compare(sel.waves, sel.wave_a, sel.wave_b)
# the two latest waves with the practitioner survey (a wave may still wait for it)
pair = data.compute(av.compare_pair, "wellbeing", sel.waves, wave_a, wave_b)
pair_note = shown_text.pair_sentence(pair, lang)
if pair.wave_b is not None:
    wave_a, wave_b = pair.wave_a, pair.wave_b
summary = data.compute(wellbeing.wellbeing_summary, filters)
if summary.empty:
    components.empty_state(t("wb.empty.no_scores", lang))
    st.stop()
summary_query = q(wellbeing.wellbeing_summary, filters)
if pair_note and pair.possible:
    st.caption(pair_note)

# 1. distributions
st.subheader(t("wb.section.distribution", lang))
scale = st.segmented_control(
    t("wb.measure", lang),
    [fig.WHO5, fig.CBI],
    default=fig.WHO5,
    required=True,
    format_func=lambda s: t(f"wb.scale.{s}", lang),
    key="wb_scale",
)
distribution = q(wellbeing.wellbeing_distribution, filters)
figure = data.figure(fig.distribution_figure, distribution, summary_query, lang, ftext, scale or fig.WHO5)
components.chart(figure, "wb-dist", lang)

# 2. shares beyond the cut-offs
st.subheader(t("wb.section.cutoffs", lang), anchor="cutoffs")
components.chart(data.figure(fig.cutoff_trend_figure, summary_query, lang, ftext), "wb-cutoffs", lang)

# 2b. the repeated-measures model (every respondent of every selected wave): the primary estimate
# of change between the two waves compared, beside the descriptive means; weighted on request
scale_ids = tuple(dict.fromkeys(summary["scale_id"].astype(str)))
if wave_a is None:
    st.subheader(t("model.section_one", lang), anchor="model")
    key = "pr.empty.one_wave" if len(state.wave_list()) < 2 else "pr.empty.one_selected"
    components.empty_state(pair_note or t(key, lang))
else:
    st.subheader(t("model.section", lang, a=wave_a, b=wave_b), anchor="model")
    st.caption(t("model.intro", lang))
    rm = data.compute(models.repeated_measures, filters)
    if fp.model_hidden(rm.models, scale_ids):
        components.empty_state(t("model.hidden", lang, n=filters.min_group_size))
    else:
        weighted_on = st.toggle(t("weights.toggle", lang), key="wb_weighted", help=t("weights.toggle_help", lang))
        trend_w = data.compute(weights.weighted_trend, filters, scale_ids) if weighted_on else None
        has_weights = trend_w is not None and bool((trend_w["n_weighted"].fillna(0) > 0).any())
        sentences = fp.model_sentences(rm.models, rm.changes, lang, wave_a, wave_b, scale_ids, decimals=1)
        if not sentences:
            components.empty_state(t("model.hidden_pair", lang, a=wave_a, b=wave_b, n=filters.min_group_size))
        components.model_section(
            fp.model_table(rm.models, rm.changes, lang, wave_a, wave_b, scale_ids, summary,
                           trend_w if has_weights else None, decimals=1),
            sentences, fp.model_notes(rm.models, lang, scale_ids), "wb-model", lang,
            f"bien-etre-modele-{wave_a}-{wave_b}", t("model.icc_help", lang),
        )
        if weighted_on and not has_weights:
            components.empty_state(t("weights.none", lang))
        elif trend_w is not None:
            components.chart(data.figure(fp.weighted_trend_figure, q(weights.weighted_trend, filters, scale_ids),
                                         lang, ftext, t("wb.axis.score_mean", lang), 1), "wb-weighted", lang)
            for line in fp.weighted_sentences(trend_w, lang, wave_a, wave_b, scale_ids, decimals=1):
                st.caption(line)

# 3. by role
st.subheader(t("wb.section.roles", lang))
measure = st.selectbox(
    t("wb.measure", lang),
    [*fig.SHARE_MEASURES, *fig.MEAN_MEASURES],
    format_func=lambda m: fig.measure_label(m, lang),
    key="wb_measure",
)
by_role = q(wellbeing.wellbeing_summary, filters, ("wave_id", "role"))
role_waves = (wave_a, wave_b) if wave_a else (wave_b,)
labels = tuple(sorted(state.group_labels("role", lang).items()))
figure = data.figure(fig.role_figure, by_role, lang, ftext, measure, role_waves, labels, overall=summary_query)
components.chart(figure, "wb-roles", lang)

# 4. panel change against the clinical threshold
if wave_a is None:
    st.subheader(t("wb.section.panel", lang, a="…", b=wave_b), anchor="panel")
    key = "pr.empty.one_wave" if len(state.wave_list()) < 2 else "pr.empty.one_selected"
    components.empty_state(pair_note or t(key, lang))
else:
    st.subheader(t("wb.section.panel", lang, a=wave_a, b=wave_b), anchor="panel")
    panel = data.compute(wellbeing.wellbeing_panel_change, filters, wave_a, wave_b)
    if panel.empty or panel["suppressed"].all():
        components.empty_state(t("wb.empty.no_panel", lang, a=wave_a, b=wave_b, n=filters.min_group_size))
    else:
        panel_query = q(wellbeing.wellbeing_panel_change, filters, wave_a, wave_b)
        components.chart(data.figure(fig.clinical_change_figure, panel_query, lang, ftext), "wb-panel", lang)
        components.table(fig.panel_table(panel, lang), "wb-panel", lang, name=f"bien-etre-panel-{wave_a}-{wave_b}")
