"""Exporter pour le comité — the one-click steering-committee pack (same as `maillage pack`)."""

import datetime as dt

import streamlit as st

from ui import components, data, exports, state
from ui.i18n import t
from ui.pack import SECTIONS, build_pack, default_sections

sel = state.selection()
lang = sel.lang
components.header(t("page.pack", lang), t("pack.page.question", lang))

if not sel.waves:
    components.empty_state(t("app.empty", lang))
    st.stop()

st.caption(t("pack.page.filters", lang, filters=state.filters_text(sel)))
titles = {s.id: s.title(lang) for s in SECTIONS}
chosen = st.multiselect(
    t("pack.page.sections", lang),
    list(titles),
    default=default_sections(),
    format_func=lambda s: titles[s],
    key="pack_sections",
)
no_browser = exports.chrome_path() is None
if no_browser:
    st.warning(t("pack.page.no_chrome", lang, help=exports.static_export_help(lang)), icon=":material/warning:")
images = st.checkbox(t("pack.page.images", lang), key="pack_images", disabled=no_browser,
                     help=t("pack.page.images_help", lang))

if st.button(t("pack.page.build", lang), type="primary", icon=":material/inventory_2:", disabled=not chosen):
    bar = st.progress(0.0, text=t("pack.progress.compute", lang))

    def show(fraction: float, message: str) -> None:
        bar.progress(min(fraction, 1.0), text=message)

    pack = build_pack(
        data.cursor(),
        sel.filters,
        lang,
        chosen,
        version=data.version(),
        progress=show,
        images=images and not no_browser,
    )
    st.session_state["_pack"] = (pack, f"maillage-comite-{dt.date.today():%Y-%m-%d}.zip")

if "_pack" in st.session_state:
    pack, name = st.session_state["_pack"]
    st.download_button(
        t("pack.page.download", lang),
        pack,
        file_name=name,
        mime="application/zip",
        icon=":material/download:",
        type="primary",
        on_click="ignore",
    )
