"""Vue d'ensemble — where are we? Headline indicators with their change between the two
waves chosen in the sidebar, three automatic findings, and the headline trends."""

import pandas as pd
import streamlit as st

from indicators import availability as av
from indicators import overview as ind
from ui import availability as shown_text
from ui import components, data, events, state
from ui import figures_overview as overview
from ui.data import q
from ui.i18n import t

sel = state.selection()
lang = sel.lang
components.header(t("page.overview", lang), t("ov.question", lang))

if not sel.waves:
    components.empty_state(t("app.empty", lang))
    st.stop()

wave_a, wave_b = overview.waves_to_compare(sel.waves, sel.wave_a, sel.wave_b)
filters_text = state.filters_text(sel)
trend = data.compute(ind.headline_trend, sel.filters)
if wave_a is None:
    change, groups = data.compute(ind.headline_change, sel.filters, None, wave_b), None
else:  # every test of the page in one family: the cards' changes and the groups' gaps
    change, groups = data.compute(ind.comparisons, sel.filters, wave_a, wave_b)
# each family compares the two latest waves that have its data (a wave arrives in parts)
notes = []
for family, families in (("practice", ("practice", "wellbeing")), ("network", ("network",))):
    pair = data.compute(av.compare_pair, family, sel.waves, wave_a, wave_b)
    notes.append(shown_text.pair_sentence(pair, lang) if wave_a else
                 shown_text.shown_sentence(data.compute(av.shown_wave, family, sel.waves, wave_b), lang))
    if pair.possible and pair.differs and not change.empty:
        other, _ = data.compute(ind.comparisons, sel.filters, pair.wave_a, pair.wave_b)
        keep = ~change["family"].isin(families)
        change = pd.concat([change[keep], other[other["family"].isin(families)]]).sort_index(kind="stable")

if change.empty:
    components.empty_state(t("ov.nothing", lang))
    st.stop()

st.subheader(t("ov.cards_since", lang, a=wave_a, b=wave_b) if wave_a else t("ov.cards", lang, b=wave_b))
if wave_a is None:
    one_loaded = len(state.wave_list()) < 2
    components.empty_state(t("ov.one_wave" if one_loaded else "ov.one_selected", lang))
shown = overview.cards(change, trend, lang)
for start in range(0, len(shown), 4):
    columns = st.columns(4)
    for column, card in zip(columns, shown[start : start + 4], strict=False):
        components.metric_card(column, card, lang, sel.waves, link=state.current_address())
for note in notes:
    if note:
        st.caption(note)
hidden = [c.label for c in shown if c.value == "–"]
if hidden:
    st.caption(t("ov.hidden_cards", lang, n=sel.filters.min_group_size, items=", ".join(hidden)))
if ind.networks_module() is None:
    st.caption(t("ov.no_network", lang))
st.caption(t("ov.method", lang))

if wave_a is not None:
    st.subheader(t("ov.findings", lang, a=wave_a, b=wave_b))
    found = ind.pick_findings(change, groups, data.compute(ind.lag_headline))
    for _, row in found.iterrows():
        with st.container(border=True):
            st.markdown(f"{overview.finding_icon(row)} {overview.finding_text(row, lang)}")

trend_query = q(ind.headline_trend, sel.filters)
marks = data.compute(events.wave_marks, sel.waves, lang, sel.filters.territories)
trend_figure = data.figure(overview.headline_trend_figure, trend_query, lang, filters_text, marks)
components.chart(trend_figure, "overview-trend", lang)
