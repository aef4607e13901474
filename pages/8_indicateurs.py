"""Indicateurs: the catalogue of every indicator (indicators.catalogue), grouped by family, in the
chosen language, searchable (accents and case ignored)."""

from __future__ import annotations

import unicodedata

import pandas as pd
import streamlit as st

from indicators.catalogue import FAMILIES, FAMILY_TITLES, Indicator, all_indicators
from ui import components, exports, state
from ui.i18n import TEXTS, fmt_int, fmt_percent, t
from warehouse.settings import min_group_size, setting

sel = state.selection()
lang = sel.lang
components.header(t("page.indicators", lang), t("catalogue.question", lang))


def fold(text: str) -> str:
    """Lower case without accents, so that "densite" finds "densité"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def family_title(family: str) -> str:
    fr, en = FAMILY_TITLES.get(family, (family, family))
    return en if lang == "en" else fr


def unit_label(unit: str) -> str:
    key = f"catalogue.unit.{unit}"
    return t(key, lang) if key in TEXTS else unit


def haystack(ind: Indicator) -> str:
    parts = [
        ind.id,
        ind.title_fr,
        ind.title_en,
        ind.definition_fr,
        ind.definition_en,
        ind.formula,
        ind.formula_fr,
        ind.unit,
        unit_label(ind.unit),
        " ".join(ind.sources),
        ind.missing_data,
        ind.missing_data_fr,
        ind.caveats,
        ind.caveats_fr,
        ind.function,
        family_title(ind.family),
    ]
    return fold(" ".join(parts))


def label(key: str) -> str:
    """A field name followed by the colon of the language ("Unité :" / "Unit:")."""
    return f"**{t(key, lang)}**" + (" :" if lang == "fr" else ":")


def card(ind: Indicator) -> str:
    """Everything about one indicator, as one Markdown text."""
    parts = [
        ind.definition_in(lang),
        f"{label('catalogue.formula')}\n```text\n{ind.formula_in(lang)}\n```",
        f"{label('catalogue.unit')} {unit_label(ind.unit)}  \n"
        f"{label('catalogue.sources')} {', '.join(f'`{s}`' for s in ind.sources)}  \n"
        f"{label('catalogue.id')} `{ind.id}`"
        + (f"  \n{label('catalogue.function')} `{ind.function}`" if ind.function else ""),
        f"{label('catalogue.missing')} {ind.missing_data_in(lang)}",
    ]
    if ind.caveats:
        parts.append(f"{label('catalogue.caveats')} {ind.caveats_in(lang)}")
    return "\n\n".join(parts)


def matches(ind: Indicator, query: str) -> bool:
    """Every word of the query appears somewhere in the indicator (both languages)."""
    text = haystack(ind)
    return all(word in text for word in fold(query).split())


indicators = all_indicators()
if not indicators:
    components.empty_state(t("catalogue.empty", lang))
    st.stop()

families = [f for f in FAMILIES if any(i.family == f for i in indicators)]
families += sorted({i.family for i in indicators} - set(families))
query = (
    st.columns([2, 3])[0].text_input(
        t("catalogue.search", lang),
        placeholder=t("catalogue.search_placeholder", lang),
        key="ind_q",
        icon=":material/search:",
        bind="query-params",
    )
    or ""
).strip()
chosen = st.pills(
    t("catalogue.families", lang),
    families,
    selection_mode="multi",
    format_func=family_title,
    key="ind_family",
)
shown = [i for i in indicators if (not chosen or i.family in chosen) and (not query or matches(i, query))]
st.caption(
    t("catalogue.count", lang, k=fmt_int(len(shown), lang), n=fmt_int(len(indicators), lang))
    + " · "
    + t(
        "catalogue.suppression",
        lang,
        n=min_group_size(),
        level=fmt_percent(float(setting("ci_level")), lang),
    )
)

if not shown:
    components.empty_state(t("catalogue.none", lang, q=query))
    st.stop()

rows = []
for family in families:
    members = [i for i in shown if i.family == family]
    if not members:
        continue
    st.subheader(family_title(family))
    for ind in members:
        rows.append(
            {
                t("catalogue.col.family", lang): family_title(family),
                t("catalogue.id", lang): ind.id,
                t("catalogue.col.title", lang): ind.title_in(lang),
                t("catalogue.definition", lang): ind.definition_in(lang),
                t("catalogue.formula", lang): ind.formula_in(lang),
                t("catalogue.unit", lang): unit_label(ind.unit),
                t("catalogue.sources", lang): ", ".join(ind.sources),
                t("catalogue.missing", lang): ind.missing_data_in(lang),
                t("catalogue.caveats", lang): ind.caveats_in(lang),
                t("catalogue.function", lang): ind.function,
            }
        )
        with st.expander(ind.title_in(lang), expanded=bool(query)):
            st.markdown(card(ind))  # one element per indicator keeps a 46-entry page light

st.divider()
st.download_button(
    t("catalogue.download", lang),
    lambda: exports.csv_bytes(pd.DataFrame(rows), lang),  # made on click only
    file_name="maillage-indicateurs.csv" if lang == "fr" else "maillage-indicators.csv",
    mime="text/csv",
    icon=":material/download:",
    key="dl-catalogue",
    on_click="ignore",
)
