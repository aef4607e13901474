"""With access protected in .streamlit/secrets.toml, nothing is shown before sign-in, and only an
editor can load a wave (AppTest; tests/ui/test_browser_access.py does the same in a real browser)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, TIMEOUT
from ui import access, downloads

PASSWORD = "comité de pilotage 2026"


@pytest.fixture(autouse=True)
def _no_lockout_left() -> Any:
    """Wrong passwords are counted per address for the whole process: start and end clean."""
    access._failures().clear("local")
    yield
    access._failures().clear("local")


def _app(demo_db: Path, monkeypatch: pytest.MonkeyPatch, secrets: dict[str, Any]) -> AppTest:
    monkeypatch.setenv("MAILLAGE_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in secrets.items():
        at.secrets[key] = value
    return at.run()


def _sign_in(at: AppTest, password: str) -> AppTest:
    at.text_input(key="_password").input(password)
    return at.button[0].click().run()


def _nothing_shown(at: AppTest) -> None:
    assert not at.exception
    assert [t.value for t in at.title] == ["Maillage"]
    assert not at.sidebar.multiselect and not at.metric and not at.get("plotly_chart")  # no filter, no figure


def test_nothing_is_shown_before_the_password(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(demo_db, monkeypatch, {"password": PASSWORD})
    _nothing_shown(at)
    _sign_in(at, "mauvais")
    assert [e.value for e in at.error] == ["Mot de passe incorrect."]
    _nothing_shown(at)
    _sign_in(at, PASSWORD)
    assert not at.exception
    assert "Vue d'ensemble" in [t.value for t in at.title]
    assert at.metric and at.sidebar.multiselect


def test_a_page_asked_by_name_before_sign_in_shows_the_form_only(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(demo_db, monkeypatch, {"password": PASSWORD})
    for page in ("pages/6_qualite.py", "pages/7_charger.py"):
        with pytest.raises(Exception, match="Could not find a navigation page"):  # not in the navigation at all
            at.switch_page(page).run()


def test_a_viewer_cannot_reach_the_load_page(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(demo_db, monkeypatch, {"access": {"viewer_password": "lecture", "editor_password": "ecriture"}})
    _sign_in(at, "lecture")
    assert "Vue d'ensemble" in [t.value for t in at.title]
    assert "consultation" in " ".join(c.value for c in at.sidebar.caption)
    at.switch_page("pages/6_qualite.py").run()
    assert "Qualité des données" in [t.value for t in at.title]
    with pytest.raises(Exception, match="Could not find a navigation page"):
        at.switch_page("pages/7_charger.py").run()


def test_an_editor_reaches_the_load_page(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(demo_db, monkeypatch, {"access": {"viewer_password": "lecture", "editor_password": "ecriture"}})
    _sign_in(at, "ecriture")
    at.switch_page("pages/7_charger.py").run()
    assert not at.exception
    assert "Charger une vague" in [t.value for t in at.title]
    assert at.get("file_uploader")


def test_repeated_wrong_passwords_lock_the_address_out(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(demo_db, monkeypatch, {"password": PASSWORD})
    for _ in range(access.MAX_FAILURES):
        _sign_in(at, "mauvais")
    at.run()
    assert any("Trop de mots de passe" in e.value for e in at.error)
    assert not at.text_input  # no form while locked out, even for the right password


def test_oidc_without_an_account_list_lets_nobody_in() -> None:
    rules = access.policy_from({"auth": {"client_id": "x"}})
    assert rules.mode == "oidc"
    assert access.role_of_email("directrice@ville.fr", rules.emails) is None


def test_oidc_roles_come_from_the_access_lists() -> None:
    rules = access.policy_from(
        {"auth": {}, "access": {"editors": ["Chef.Projet@ville.fr"], "viewers": ["@prefecture.gouv.fr"]}}
    )
    assert access.role_of_email("chef.projet@ville.fr", rules.emails) == "editor"
    assert access.role_of_email("agent@prefecture.gouv.fr", rules.emails) == "viewer"
    assert access.role_of_email("agent@autre.fr", rules.emails) is None
    everyone = access.policy_from({"auth": {}, "access": {"viewers": ["*"]}})
    assert access.role_of_email("qui@que.ce.soit", everyone.emails) == "viewer"


def test_password_roles_and_the_legacy_single_password() -> None:
    legacy = access.policy_from({"password": "p"})
    assert access.role_of_password("p", legacy.passwords) == "editor"
    both = access.policy_from({"access": {"viewer_password": "v", "editor_password": "e"}})
    assert access.role_of_password("v", both.passwords) == "viewer"
    assert access.role_of_password("e", both.passwords) == "editor"
    assert access.role_of_password("x", both.passwords) is None
    assert access.policy_from({}).mode == "open"


def test_a_download_is_handed_out_to_the_clicking_browser_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.runtime.media_file_storage import MediaFileKind, MediaFileStorageError
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    assert downloads.serve_each_download_once()
    store = MemoryMediaFileStorage("/media")
    file_id = store.load_and_get_id(b"a;b\n1;2\n", "text/csv", MediaFileKind.DOWNLOADABLE, "t.csv")
    url = store.get_url(file_id)
    name = url.rsplit("/", 1)[1]
    assert store.get_file(name).content == b"a;b\n1;2\n"  # Streamlit's page checks the address…
    assert store.get_file(name).content == b"a;b\n1;2\n"  # …then downloads it
    with pytest.raises(MediaFileStorageError):
        store.get_file(name)  # anyone later: gone
    late = store.load_and_get_id(b"x", "text/csv", MediaFileKind.DOWNLOADABLE, "late.csv")
    monkeypatch.setattr(downloads, "MAX_AGE_SECONDS", -1.0)
    with pytest.raises(MediaFileStorageError):
        store.get_file(late)  # a download not fetched within the minute is gone too
    image = store.load_and_get_id(b"\x89PNG", "image/png", MediaFileKind.MEDIA)
    store.get_file(image)
    assert store.get_file(image).content == b"\x89PNG"  # shown images stay
