"""Maillage dashboard: `streamlit run app.py`.

The entry point is the frame around every page: access control (ui.access: before sign-in the
navigation holds the sign-in page only, whatever the address), the warehouse (the demo territory is
built on first start when no warehouse exists), navigation and the shared sidebar filters.
"""

from __future__ import annotations

import streamlit as st

from ui import access, data, downloads, state
from ui.i18n import t

# An emoji icon is drawn by the browser itself; a ":material/…:" page icon makes every browser fetch
# it from a Google host, and nothing is to leave the machine.
st.set_page_config(page_title="Maillage", page_icon="🕸️", layout="wide")
downloads.serve_each_download_once()


def _ensure_warehouse(lang: str) -> str:
    """Build the demo warehouse on first start (default location only); return the state."""
    current = data.warehouse_state()
    if current == "missing" and data.is_default_location():
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
            page("pages/1_vue_ensemble.py", "overview", ":material/dashboard:", default=True),
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


def _sign_in_only(lang: str) -> None:
    """Before sign-in the app has one page, the sign-in form, served whatever the address asked."""
    page = st.Page(lambda: access.sign_in_form(lang), title=t("app.sign_in", lang), url_path="connexion",
                   default=True)
    st.navigation([page], position="hidden").run()


def main() -> None:
    lang = state.lang()
    role = access.current_role()
    if role is None:
        _sign_in_only(lang)
        return
    warehouse = _ensure_warehouse(lang)
    navigation = st.navigation(_pages(lang, role))
    if warehouse == "missing":
        st.sidebar.segmented_control(
            t("filters.language", lang),
            ["fr", "en"],
            default="fr",
            key="lang",
            format_func=lambda x: {"fr": "Français", "en": "English"}[x],
            bind="query-params",
        )
        st.warning(t("app.no_warehouse", lang, path=data.db_path()), icon=":material/database:")
    else:
        state.sidebar(lang)
        if data.meta("is_demo") == "true":
            st.info(t("app.demo_banner", lang), icon=":material/science:")
    access.sign_out_button(lang)
    navigation.run()


main()
