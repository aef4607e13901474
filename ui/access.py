"""Who may use the dashboard, and as what: nothing is shown before sign-in when access is protected.

Access is set in `.streamlit/secrets.toml` (docs/access.md):

* nothing → open: whoever reaches the dashboard is an editor (run it on your own machine);
* `password = "…"` → one shared password; whoever signs in is an editor (as before roles existed);
* `[access]` with `viewer_password` / `editor_password` → two passwords, two roles;
* `[auth]` (OpenID Connect through Streamlit's `st.login`) with `[access]` lists of e-mail addresses
  `editors = [...]`, `viewers = [...]` (an entry is an address, `@domain.fr` for a whole domain, or
  `*` for every account the provider signs in). With `[auth]` and no list, nobody is let in: a public
  provider would otherwise let any account in.

A viewer sees every page and every export; only an editor loads or replaces a wave. The role is
decided here and nowhere else (`current_role`); app.py builds the navigation from it and the load
page checks it again.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import streamlit as st

from ui.i18n import t

Role = Literal["viewer", "editor"]
Mode = Literal["open", "password", "oidc"]
ROLES: tuple[Role, ...] = ("editor", "viewer")  # checked in this order
SESSION_ROLE = "_access_role"
MAX_FAILURES = 5  # wrong passwords from one address…
LOCKOUT_SECONDS = 15 * 60  # …within this many seconds lock that address out for as long


@dataclass(frozen=True)
class AccessPolicy:
    """What `.streamlit/secrets.toml` says about access."""

    mode: Mode
    passwords: Mapping[Role, str] = field(default_factory=dict)
    emails: Mapping[Role, tuple[str, ...]] = field(default_factory=dict)


def _secrets() -> Mapping[str, Any]:
    try:
        return {k: st.secrets[k] for k in st.secrets}
    except Exception:  # no secrets.toml (FileNotFoundError, StreamlitSecretNotFoundError): open access
        return {}


def policy_from(secrets: Mapping[str, Any]) -> AccessPolicy:
    """The access policy of a secrets mapping (pure: tested without Streamlit)."""
    section = secrets.get("access") or {}
    if not isinstance(section, Mapping):
        section = {}
    if "auth" in secrets:
        emails: dict[Role, tuple[str, ...]] = {}
        for role in ROLES:
            listed = section.get(f"{role}s") or ()
            if isinstance(listed, str):
                listed = (listed,)
            emails[role] = tuple(str(e).strip().lower() for e in listed if str(e).strip())
        return AccessPolicy("oidc", emails=emails)
    passwords: dict[Role, str] = {}
    for role in ROLES:
        value = section.get(f"{role}_password")
        if value:
            passwords[role] = str(value)
    legacy = secrets.get("password")
    if legacy and "editor" not in passwords:
        passwords["editor"] = str(legacy)
    return AccessPolicy("password", passwords=passwords) if passwords else AccessPolicy("open")


def policy() -> AccessPolicy:
    return policy_from(_secrets())


def role_of_email(email: str | None, emails: Mapping[Role, tuple[str, ...]]) -> Role | None:
    """The role an OIDC account gets from the `[access]` lists (editor first), or None."""
    if not email:
        return None
    address = email.strip().lower()
    domain = address[address.rfind("@"):] if "@" in address else None
    for role in ROLES:
        for entry in emails.get(role, ()):
            if entry == "*" or entry == address or (entry.startswith("@") and entry == domain):
                return role
    return None


def role_of_password(typed: str, passwords: Mapping[Role, str]) -> Role | None:
    """The role whose password was typed (constant-time comparison), or None."""
    matches = [
        role for role in ROLES
        if role in passwords and hmac.compare_digest(typed.encode(), passwords[role].encode())
    ]
    return matches[0] if matches else None


class _Failures:
    """Wrong passwords per client address, to slow down guessing (process-wide)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._times: dict[str, list[float]] = {}

    def locked(self, address: str) -> bool:
        now = time.monotonic()
        with self._lock:
            recent = [x for x in self._times.get(address, []) if now - x < LOCKOUT_SECONDS]
            self._times[address] = recent
            return len(recent) >= MAX_FAILURES

    def add(self, address: str) -> None:
        with self._lock:
            self._times.setdefault(address, []).append(time.monotonic())

    def clear(self, address: str) -> None:
        with self._lock:
            self._times.pop(address, None)


@st.cache_resource(show_spinner=False)
def _failures() -> _Failures:
    return _Failures()


def _client_address() -> str:
    try:
        value = st.context.ip_address
    except Exception:
        return "local"
    return value if isinstance(value, str) and value else "local"


def current_role() -> Role | None:
    """The signed-in user's role, or None before sign-in (or for an account not on the lists)."""
    rules = policy()
    if rules.mode == "open":
        return "editor"
    if rules.mode == "oidc":
        if not st.user.is_logged_in:
            return None
        email = st.user.get("email")
        return role_of_email(str(email) if email else None, rules.emails)
    role = st.session_state.get(SESSION_ROLE)
    return role if role in ROLES else None


def can_edit() -> bool:
    return current_role() == "editor"


def sign_in_form(lang: str) -> None:
    """The only page a visitor sees before sign-in."""
    rules = policy()
    st.title(t("app.title", lang))
    st.caption(t("app.tagline", lang))
    if rules.mode == "oidc":
        if st.user.is_logged_in:  # signed in with the provider, but not on the lists
            st.error(t("access.not_listed", lang, email=str(st.user.get("email") or "?")))
            st.button(t("access.sign_out", lang), on_click=st.logout, key="_access_logout")
            return
        st.info(t("app.login_required", lang))
        st.button(t("app.sign_in", lang), on_click=st.login, type="primary", key="_access_login")
        return
    address = _client_address()
    if _failures().locked(address):
        st.error(t("access.locked", lang, minutes=LOCKOUT_SECONDS // 60))
        return
    with st.form("_sign_in", border=False):
        typed = st.text_input(t("app.password", lang), type="password", key="_password")
        submitted = st.form_submit_button(t("app.sign_in", lang), type="primary")
    if not submitted or not typed:
        return
    role = role_of_password(typed, rules.passwords)
    if role is None:
        _failures().add(address)
        st.error(t("app.wrong_password", lang))
        return
    _failures().clear(address)
    st.session_state[SESSION_ROLE] = role
    st.session_state.pop("_password", None)
    st.rerun()


def sign_out() -> None:
    """Forget the sign-in of this browser session (password) or of the account (OIDC)."""
    st.session_state.pop(SESSION_ROLE, None)
    if policy().mode == "oidc":
        st.logout()


def sign_out_button(lang: str) -> None:
    """In the sidebar, when access is protected: who is signed in, and how to leave."""
    rules = policy()
    if rules.mode == "open":
        return
    role = current_role()
    who = t(f"access.role.{role}", lang) if role else ""
    if rules.mode == "oidc":
        email = st.user.get("email")
        who = f"{email} · {who}" if email else who
    st.sidebar.caption(t("access.signed_in_as", lang, who=who))
    st.sidebar.button(t("access.sign_out", lang), on_click=sign_out, key="_access_sign_out",
                      icon=":material/logout:")
