"""Maillage dashboard: `streamlit run app.py`.

The entry point is the frame around every page: access control, the warehouse (the demo territory
is built on first start when no warehouse exists), navigation and the shared sidebar filters.
"""

from __future__ import annotations

import hmac

import streamlit as st

from ui import data, state
from ui.i18n import t

st.set_page_config(page_title="Maillage", page_icon=":material/hub:", layout="wide")


def _secret(name: str) -> str | None:
    try:
        value = st.secrets.get(name)
    except Exception:  # no secrets.toml: access is open
        return None
    return str(value) if value else None


def _signed_in(lang: str) -> bool:
    """Nothing is shown before sign-in when `.streamlit/secrets.toml` sets a password or an OIDC
    provider ([auth] section, used through st.login)."""
    try:
        has_oidc = "auth" in st.secrets
    except Exception:
        has_oidc = False
    if has_oidc:
        if st.user.is_logged_in:
            return True
        st.title(t("app.title", lang))
        st.info(t("app.login_required", lang))
        st.button(t("app.sign_in", lang), on_click=st.login)
        return False
    password = _secret("password")
    if password is None or st.session_state.get("_signed_in"):
        return True
    st.title(t("app.title", lang))
    typed = st.text_input(t("app.password", lang), type="password", key="_password")
    if typed and hmac.compare_digest(typed.encode(), password.encode()):
        st.session_state["_signed_in"] = True
        st.rerun()
    elif typed:
        st.error(t("app.wrong_password", lang))
    return False


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


def _pages(lang: str) -> dict[str, list[st.Page]]:
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
            page("pages/7_charger.py", "load", ":material/upload_file:"),
            page("pages/8_indicateurs.py", "indicators", ":material/menu_book:"),
        ],
    }


def main() -> None:
    lang = state.lang()
    if not _signed_in(lang):
        return
    warehouse = _ensure_warehouse(lang)
    navigation = st.navigation(_pages(lang))
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
    navigation.run()


main()
