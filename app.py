"""Maillage dashboard: `streamlit run app.py`.

The entry point is the frame around every page: access control (ui.access: before sign-in the
navigation holds the sign-in page only, whatever the address), the warehouse (the demo territory is
built on first start when no warehouse exists), navigation, the shared sidebar filters, and what the
address asked but could not be shown (an unknown page, a territory the warehouse does not know…),
said in the page's language.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui import access, components, data, downloads, loading, state
from ui.i18n import t

# An emoji icon is drawn by the browser itself; a ":material/…:" page icon makes every browser fetch
# it from a Google host, and nothing is to leave the machine.
st.set_page_config(page_title="Maillage", page_icon="🕸️", layout="wide")
downloads.serve_each_download_once()

OVERVIEW = "pages/1_vue_ensemble.py"
EDITORS_ONLY = ("load",)


def _ensure_warehouse(lang: str) -> str:
    """Build the demo warehouse on first start (default location only); return the state."""
    current = data.warehouse_state()
    if current == "missing" and data.is_default_location() and data.db_path() == data.configured_db_path():
        from etl.demo import build_demo_warehouse

        with st.status(t("app.building_demo", lang), expanded=False) as status:
            build_demo_warehouse(data.db_path(), echo=status.write)
            status.update(label=t("app.demo_built", lang), state="complete")
        current = data.warehouse_state()
    return current


def _pages(lang: str, role: access.Role) -> dict[str, list[st.Page]]:
    def page(path: str, key: str, icon: str, default: bool = False) -> st.Page:
        # the default page is served at "/" (its url_path is what st.switch_page and AppTest use)
        return st.Page(path, title=t(f"page.{key}", lang), icon=icon, url_path=key,
                       default=default)

    return {
        t("app.section.overview", lang): [
            page(OVERVIEW, "overview", ":material/dashboard:", default=True),
            page("pages/9_comite.py", "pack", ":material/co_present:"),
        ],
        t("app.section.analysis", lang): [
            page("pages/2_pratiques.py", "practice", ":material/groups:"),
            page("pages/3_reseau.py", "network", ":material/hub:"),
            page("pages/4_echanges.py", "exchanges", ":material/swap_horiz:"),
            page("pages/5_bien_etre.py", "wellbeing", ":material/favorite:"),
        ],
        t("app.section.data", lang): [
            page("pages/6_qualite.py", "quality", ":material/fact_check:"),
            *([page("pages/7_charger.py", "load", ":material/upload_file:")] if role == "editor" else []),
            page("pages/8_indicateurs.py", "indicators", ":material/menu_book:"),
        ],
    }


def _requested_page() -> str:
    """The page name the browser asked for ('' for the root or a click in the navigation).

    Streamlit answers an unknown name with its own English "Page not found" dialog; it has no option
    to replace it (1.67: `st.navigation` sends `page_not_found` itself), so the frame reads the name
    first and serves an unknown one with a page of its own."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is None or ctx.pages_manager.intended_page_script_hash:
            return ""
        return str(ctx.pages_manager.intended_page_name or "").strip("/")
    except Exception:  # a Streamlit without these internals: its own dialog answers
        return ""


def _unknown_page(name: str, lang: str, role: access.Role) -> Callable[[], None]:
    """A page that notes what was asked and opens the overview instead."""

    def run() -> None:
        key = "url.ignored.page_editors" if name in EDITORS_ONLY and role != "editor" else "url.ignored.page"
        state.add_url_note(key, value=name)
        st.switch_page(OVERVIEW)

    return run


def _with_unknown_page(pages: dict[str, list[st.Page]], lang: str, role: access.Role) -> dict[str, list[st.Page]]:
    asked = _requested_page()
    known = {p.url_path for group in pages.values() for p in group}
    if not asked or asked in known or "/" in asked:
        return pages
    stray = st.Page(_unknown_page(asked, lang, role), title=asked, url_path=asked, visibility="hidden")
    return {**pages, "": [stray]}


def _sign_in_only(lang: str) -> None:
    """Before sign-in the app has one page, the sign-in form, served whatever the address asked."""
    page = st.Page(lambda: access.sign_in_form(lang), title=t("app.sign_in", lang), url_path="connexion",
                   default=True)
    components.page_language(lang)
    st.navigation([page], position="hidden").run()


def _warehouse_switch(lang: str) -> None:
    """Editors choose which warehouse of the folder the dashboard shows (the demo stays there)."""
    if not access.can_edit():
        return
    found = loading.warehouses(data.configured_db_path())
    if len(found) < 2:
        return
    paths = [w.path.name for w in found]
    names = {w.path.name: w.label(lang) for w in found}
    current = data.db_path().name
    key = f"_warehouse_{current}"  # a new widget when the warehouse shown changes (here or elsewhere)

    def switch() -> None:
        chosen = st.session_state.get(key)
        if chosen and chosen != current:
            loading.choose_warehouse(data.configured_db_path(), chosen)

    st.sidebar.selectbox(t("app.warehouse", lang), paths, index=paths.index(current) if current in paths else 0,
                         key=key, format_func=lambda n: names.get(n, n), help=t("app.warehouse_help", lang),
                         on_change=switch)


def main() -> None:
    lang = state.lang()
    role = access.current_role()
    if role is None:
        _sign_in_only(lang)
        return
    components.page_language(lang)
    state.relabel_on_language_change(lang)
    warehouse = _ensure_warehouse(lang)
    if warehouse == "outdated":
        state.language_switch(lang)
        st.error(t("app.outdated_warehouse", lang, path=data.db_path()), icon=":material/update:")
        access.sign_out_button(lang)
        return
    navigation = st.navigation(_with_unknown_page(_pages(lang, role), lang, role))
    if warehouse == "missing":
        state.language_switch(lang)
        st.warning(t("app.no_warehouse", lang, path=data.db_path()), icon=":material/database:")
    else:
        state.sidebar(lang)
        if data.meta("is_demo") == "true":
            st.info(t("app.demo_banner", lang), icon=":material/science:")
    _warehouse_switch(lang)
    for note in state.url_notes(lang):
        st.warning(note, icon=":material/link_off:")
    access.sign_out_button(lang)
    components.scroll_to_section()
    navigation.run()


main()
