"""Qualité des données: can we trust the figures? Loads, response rates, panel retention, the
response weights (effective sample size, design effect, largest weights) and the attrition model
with its balance, missing items, reliability and what the loader kept out. Charts:
ui.figures_quality."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators import availability as av
from indicators import quality as q
from indicators import weights as wt
from ui import availability as shown_text
from ui import components, data, exports, loading, state
from ui import figures_overview as overview
from ui import figures_quality as fq
from ui.i18n import fmt_int, fmt_percent, t

QUARANTINE_LIMIT = 1000

sel = state.selection()
lang = sel.lang
components.header(t("page.quality", lang), t("quality.question", lang))


def go_load() -> None:
    st.page_link("pages/7_charger.py", label=t("quality.go_load", lang), icon=":material/upload_file:")


def table(display: pd.DataFrame, raw: pd.DataFrame, key: str, name: str, max_rows: int = 15) -> None:
    """The table as the reader sees it, and the tidy numbers as CSV (suppressed rows blank)."""
    message = t("quality.col.message", lang)
    config = {message: st.column_config.TextColumn(message, width="large")} if message in display.columns else None
    height = 38 + 35 * min(max(len(display), 1), max_rows)
    st.dataframe(display, hide_index=True, key=f"table-{key}", column_config=config, height=height)
    tidy = raw.drop(columns=["wave_order", "wave_order_a", "wave_order_b"], errors="ignore")
    st.download_button(
        t("export.csv", lang),
        lambda: exports.csv_bytes(tidy, lang),  # made on click only
        file_name=f"{components.slug(name)}.csv",
        mime="text/csv",
        key=f"dl-csv-{key}",
        icon=":material/download:",
        on_click="ignore",
    )


warehouse = data.warehouse_state()
if warehouse == "missing":
    components.empty_state(t("quality.missing_warehouse", lang))
    go_load()
    st.stop()

titles = loading.instrument_titles(lang)
loads = data.compute(q.loads_table)
f = sel.filters
mgs = f.min_group_size
filters = state.filters_text(sel)


def loads_section() -> None:
    st.subheader(t("quality.loads.title", lang))
    st.caption(t("quality.loads.intro", lang))
    if loads.empty:
        components.empty_state(t("quality.loads.none", lang))
        go_load()
        return
    only_current = st.toggle(t("quality.loads.only_current", lang), key="q_current")
    shown = loads[loads["status"] == "current"] if only_current else loads
    table(fq.loads_display(shown, lang, titles), shown, "loads", t("quality.loads.title", lang))


if warehouse == "empty":
    components.empty_state(t("quality.empty", lang))
    go_load()
    loads_section()
    st.stop()

rates = data.compute(q.response_rates, f)
retention = data.compute(q.panel_retention, f)
missing = data.compute(q.missing_items, f)
alpha = data.compute(q.reliability, f)
summary = data.compute(q.quarantine_summary, f)

# --- at a glance --------------------------------------------------------------------------------
g = fq.glance(loads, rates, retention, alpha, summary)


def kpi(column: st.delta_generator.DeltaGenerator, label: str, value: str, context: str, help_text: str) -> None:
    """A headline number with what it refers to (a wave, a pair of waves) in grey below it."""
    column.metric(
        label, value, delta=context or None, delta_color="off", delta_arrow="off", help=help_text, border=True
    )


cols = st.columns(5)
kpi(
    cols[0],
    t("quality.kpi.loads", lang),
    fmt_int(g.current_loads, lang),
    t("quality.kpi.replaced", lang, n=fmt_int(g.replaced_loads, lang)),
    t("quality.kpi.loads_help", lang),
)
kpi(
    cols[1],
    t("quality.kpi.rate", lang),
    fmt_percent(g.rate, lang),
    t("quality.kpi.wave", lang, wave=g.rate_wave) if g.rate_wave else t("quality.kpi.no_target", lang),
    t("quality.kpi.rate_help", lang),
)
pair = g.retention_pair
kpi(
    cols[2],
    t("quality.kpi.retention", lang),
    fmt_percent(g.retention, lang),
    f"{pair[0]} → {pair[1]}" if pair else t("quality.kpi.one_wave", lang),
    t("quality.kpi.retention_help", lang, a=pair[0], b=pair[1]) if pair else t("quality.retention.none", lang),
)
kpi(
    cols[3],
    t("quality.kpi.alpha", lang),
    t("quality.kpi.of", lang, k=g.alpha_ok, n=g.alpha_measured) if g.alpha_measured else "–",
    t("quality.kpi.wave", lang, wave=g.alpha_wave) if g.alpha_wave else "",
    t("quality.kpi.alpha_help", lang),
)
kpi(
    cols[4],
    t("quality.kpi.quarantine", lang),
    fmt_int(g.kept_out, lang),
    t("quality.kpi.rows_cells", lang),
    t("quality.kpi.quarantine_help", lang),
)
st.caption(t("quality.kpi.last_load_caption", lang, when=fq.timestamp_text(g.last_load, lang)))

# --- what each wave holds ----------------------------------------------------------------------
st.subheader(t("avail.table.title", lang))
st.caption(t("avail.table.intro", lang))
inventory = data.compute(av.inventory)
st.dataframe(shown_text.inventory_display(inventory, lang), hide_index=True, key="table-waves")
st.caption(shown_text.log_sentence(data.compute(av.activity_span), lang))

loads_section()

# --- response rates -----------------------------------------------------------------------------
st.subheader(t("quality.rates.title", lang))
st.caption(t("quality.rates.intro", lang))
ignored = t("quality.rates.ignored_filters", lang) if (f.roles or f.levels) else ""
if rates.empty:
    components.empty_state(t("quality.rates.none", lang))
else:
    if ignored:
        st.caption(ignored)
    components.chart(
        data.figure(fq.response_rate_heatmap, data.q(q.response_rates, f), lang, filters, mgs, note=ignored),
        "q-rates-heatmap",
        lang,
    )
    wave = st.columns([1, 3])[0].selectbox(
        t("quality.rates.wave", lang), g.rate_waves, index=len(g.rate_waves) - 1, key="q_rate_wave"
    )
    components.chart(
        data.figure(fq.response_rate_detail, data.q(q.response_rates, f), wave, lang, filters, mgs, note=ignored),
        "q-rates-detail",
        lang,
    )
    with st.expander(t("quality.table", lang), icon=":material/table:"):
        table(fq.rates_display(rates, lang, mgs), rates, "rates", t("quality.rates.title", lang))

# --- panel retention ----------------------------------------------------------------------------
st.subheader(t("quality.retention.title", lang))
st.caption(t("quality.retention.intro", lang))
if retention.empty:
    components.empty_state(t("quality.retention.none", lang))
else:
    components.chart(
        data.figure(fq.retention_figure, data.q(q.panel_retention, f), lang, filters, mgs), "q-retention", lang
    )
    table(fq.retention_display(retention, lang, mgs), retention, "retention", t("quality.retention.title", lang))

# --- response weights ---------------------------------------------------------------------------
st.subheader(t("quality.weights.title", lang), anchor="weights")
st.caption(t("quality.weights.intro", lang))
weight_summary = data.compute(wt.weight_summary, f)
weighted = weight_summary[weight_summary["method"] != wt.METHOD_NONE] if len(weight_summary) else weight_summary
if weighted.empty:
    components.empty_state(t("quality.weights.none", lang))
else:
    table(fq.weights_display(weight_summary, lang, mgs), weight_summary, "weights", t("quality.weights.title", lang))
    weight_waves = [str(w) for w in weighted["wave_id"]]
    weight_wave = st.columns([1, 3])[0].selectbox(
        t("quality.rates.wave", lang), weight_waves, index=len(weight_waves) - 1, key="q_weight_wave"
    )
    sectors = data.sql("SELECT sector_id, label_fr, label_en FROM sectors")
    sector_labels = dict(zip(sectors["sector_id"], sectors["label_en" if lang == "en" else "label_fr"], strict=True))
    cells = data.compute(wt.weight_cells, f)
    largest, n_hidden = fq.weight_cells_display(cells, weight_wave, lang, sector_labels)
    st.markdown(f"**{t('quality.weights.largest', lang, wave=weight_wave)}**")
    shown_cells = cells[(cells["wave_id"].astype(str) == weight_wave) & ~cells["suppressed"].astype(bool)]
    table(largest, shown_cells.head(len(largest)), "weight-cells", t("quality.weights.largest", lang, wave=weight_wave))
    if n_hidden:
        st.caption(t("quality.weights.hidden_cells", lang, k=fmt_int(n_hidden, lang), n=mgs))

# --- panel attrition -----------------------------------------------------------------------------
att_a, att_b = overview.waves_to_compare(sel.waves, sel.wave_a, sel.wave_b)
att_pair = data.compute(av.compare_pair, "practice", sel.waves, att_a, att_b)
if att_pair.wave_b is not None:
    att_a, att_b = att_pair.wave_a, att_pair.wave_b
if att_a is None or att_b is None or att_a == att_b:
    st.subheader(t("quality.attrition.title_none", lang), anchor="attrition")
    components.empty_state(t("quality.attrition.one_wave", lang))
else:
    st.subheader(t("quality.attrition.title", lang, a=att_a, b=att_b), anchor="attrition")
    st.caption(t("quality.attrition.intro", lang))
    attrition = data.compute(wt.attrition_weights, f, att_a, att_b)
    st.markdown(fq.attrition_sentence(attrition.summary, lang, mgs))
    if not attrition.balance.empty and not attrition.balance["suppressed"].astype(bool).all():
        sectors = data.sql("SELECT sector_id, label_fr, label_en FROM sectors")
        labels = dict(zip(sectors["sector_id"], sectors["label_en" if lang == "en" else "label_fr"], strict=True))
        st.markdown(f"**{t('quality.attrition.balance', lang)}**")
        table(fq.balance_display(attrition.balance, att_a, lang, labels, mgs), attrition.balance, "attrition-balance",
              t("quality.attrition.balance", lang))
        with st.expander(t("quality.attrition.model", lang), icon=":material/functions:"):
            table(fq.attrition_model_display(attrition.model, lang, labels, mgs), attrition.model, "attrition-model",
                  t("quality.attrition.model", lang))

# --- missing items ------------------------------------------------------------------------------
st.subheader(t("quality.missing.title", lang))
st.caption(t("quality.missing.intro", lang))
if missing.empty:
    components.empty_state(t("quality.missing.none", lang))
else:
    components.chart(data.figure(fq.missing_heatmap, data.q(q.missing_items, f), lang, filters, mgs), "q-missing", lang)
    with st.expander(t("quality.table", lang), icon=":material/table:"):
        table(fq.missing_display(missing, lang, mgs), missing, "missing", t("quality.missing.title", lang))

# --- reliability --------------------------------------------------------------------------------
st.subheader(t("quality.alpha.title", lang))
st.caption(t("quality.alpha.intro", lang))
if alpha.empty:
    components.empty_state(t("quality.alpha.none", lang))
else:
    components.chart(data.figure(fq.reliability_figure, data.q(q.reliability, f), lang, filters, mgs), "q-alpha", lang)
    with st.expander(t("quality.table", lang), icon=":material/table:"):
        table(fq.reliability_display(alpha, lang, mgs), alpha, "alpha", t("quality.alpha.title", lang))

# --- quarantine ---------------------------------------------------------------------------------
st.subheader(t("quality.quarantine.title", lang))
st.caption(t("quality.quarantine.intro", lang))
if summary.empty:
    components.empty_state(t("quality.quarantine.none", lang))
else:
    total = int(pd.to_numeric(summary["n"]).sum())
    st.markdown(f"**{t('quality.quarantine.summary_total', lang, n=fmt_int(total, lang))}**")
    table(
        fq.quarantine_summary_display(summary, lang, titles), summary, "quarantine", t("quality.quarantine.title", lang)
    )
    st.markdown(f"**{t('quality.quarantine.rows', lang)}**")
    show_values = st.checkbox(
        t("quality.quarantine.show_values", lang), help=t("quality.quarantine.show_values_help", lang), key="q_values"
    )
    rows = data.compute(q.quarantine_rows, limit=QUARANTINE_LIMIT, include_values=show_values, filters=f)
    table(fq.problems_display(rows, lang, show_values), rows, "quarantine-rows", t("quality.quarantine.rows", lang))
    notes = []
    if len(rows) >= QUARANTINE_LIMIT:
        notes.append(t("quality.quarantine.limit", lang, n=fmt_int(QUARANTINE_LIMIT, lang)))
    if notes:
        st.caption(" ".join(notes))
