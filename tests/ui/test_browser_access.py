"""Access control in a real browser against a real `streamlit run`: with a password, then with
OpenID Connect (a fake provider on loopback), a visitor who has not signed in gets the sign-in form
and nothing else at every address; nobody can load a wave without signing in as an editor; after
sign-in the pages work, a viewer has no load page, and a download is served once only.
"""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.browser import (
    LOCAL_HOSTS,
    chromium,
    free_port,
    record_hosts,
    streamlit_server,
    wait_until_run,
)
from tests.ui.fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeProvider

pytestmark = pytest.mark.browser

# Every address a visitor might try: the pages' url paths, the names Streamlit derives from the files
# in pages/ (its older multipage mode), the sign-in page's own path and nonsense.
ADDRESSES = [
    "", "overview", "pack", "practice", "network", "exchanges", "wellbeing", "quality", "load",
    "indicators", "connexion", "vue_ensemble", "comite", "pratiques", "reseau", "echanges",
    "bien_etre", "qualite", "charger", "indicateurs", "7_charger", "nonexistent",
    "quality?lang=en",
]
VIEWER, EDITOR = "lecture seule 2026", "chargement 2026"
DATA_SELECTORS = [
    '[data-testid="stSidebarNav"]', '[data-testid="stSidebar"] [data-testid="stMultiSelect"]',
    '[data-testid="stMetric"]', '[data-testid="stPlotlyChart"]', '[data-testid="stDataFrame"]',
    '[data-testid="stFileUploader"]', 'input[type="file"]', '[data-testid="stDownloadButton"]',
]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def password_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("password")
    secrets = folder / "secrets.toml"
    secrets.write_text(f'[access]\nviewer_password = "{VIEWER}"\neditor_password = "{EDITOR}"\n', encoding="utf-8")
    with streamlit_server(demo_db, folder / "server.log", extra_args=["--secrets.files", str(secrets)]) as url:
        yield url


@pytest.fixture(scope="module")
def oidc(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FakeProvider]]:
    folder = tmp_path_factory.mktemp("oidc")
    port = free_port()
    with FakeProvider() as provider:
        secrets = folder / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{uuid.uuid4().hex}"\n'
            f'client_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{provider.metadata_url}"\n'
            "[access]\n"
            'editors = ["cheffe.projet@ville.example"]\nviewers = ["@prefecture.example"]\n',
            encoding="utf-8",
        )
        args = ["--secrets.files", str(secrets)]
        with streamlit_server(demo_db, folder / "server.log", port=port, extra_args=args) as url:
            yield url, provider


def _only_sign_in(browser: Any, url: str, expected: tuple[str, str]) -> None:
    """Each address, each time in a fresh browser profile: the sign-in form and nothing else."""
    for address in ADDRESSES:
        context = browser.new_context(locale="fr-FR")
        try:
            page = context.new_page()
            hosts = record_hosts(page)
            page.goto(f"{url}/{address}", wait_until="domcontentloaded")
            wait_until_run(page, timeout=60)
            text = page.inner_text("body")
            assert any(e in text for e in expected), f"/{address}: no sign-in form"
            shown = [s for s in DATA_SELECTORS if page.query_selector(s) is not None]
            assert not shown, f"/{address} shows {shown} before sign-in"
            for title in ("Vue d'ensemble", "Qualité des données", "Charger une vague", "Data quality"):
                assert title not in text, f"/{address} shows the page {title!r} before sign-in"
            assert hosts <= LOCAL_HOSTS, f"/{address}: requests to {sorted(hosts - LOCAL_HOSTS)}"
        finally:
            context.close()


def _nav_links(page: Any) -> list[str]:
    return [a.inner_text().strip().split("\n")[-1] for a in page.query_selector_all('[data-testid="stSidebarNav"] a')]


def _password_sign_in(page: Any, url: str, password: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_until_run(page, timeout=60)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=60_000)
    wait_until_run(page)


def _open_from_sidebar(page: Any, title: str) -> None:
    page.click(f'[data-testid="stSidebarNav"] a:has-text("{title}")')
    page.wait_for_function(
        "t => [...document.querySelectorAll('h1')].some(h => h.innerText.includes(t))", arg=title, timeout=120_000
    )
    wait_until_run(page)


def test_password_nothing_before_sign_in(password_server: str, browser: Any) -> None:
    _only_sign_in(browser, password_server, ("Mot de passe", "Password"))


def test_password_no_upload_without_sign_in(password_server: str, browser: Any, demo_db: Path) -> None:
    before = _sha(demo_db)
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(f"{password_server}/load", wait_until="domcontentloaded")
        wait_until_run(page, timeout=60)
        assert page.query_selector('input[type="file"]') is None
        # A hand-made upload to Streamlit's endpoint, as a script would try it: refused.
        target = f"{password_server}/_stcore/upload_file/{uuid.uuid4()}/{uuid.uuid4()}"
        body = b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"w.csv\"\r\n\r\nid;NET1\r\n--x--\r\n"
        response = page.request.put(target, data=body, headers={"Content-Type": "multipart/form-data; boundary=x"})
        assert response.status >= 400
    finally:
        context.close()
    assert _sha(demo_db) == before  # the warehouse did not change


def test_password_roles_and_downloads_served_once(password_server: str, browser: Any) -> None:
    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    try:
        page = context.new_page()
        _password_sign_in(page, password_server, VIEWER)
        links = _nav_links(page)
        assert "Qualité des données" in links and "Charger une vague" not in links
        _open_from_sidebar(page, "Qualité des données")
        assert page.query_selector('input[type="file"]') is None
        button = page.locator('[data-testid="stDownloadButton"] button:has-text("CSV")').first
        with page.expect_download(timeout=120_000) as info:
            button.click()
        download = info.value
        assert Path(download.path()).stat().st_size > 0  # the signed-in browser got the file
        with pytest.raises(urllib.error.HTTPError) as again:
            urllib.request.urlopen(download.url, timeout=10)
        assert again.value.code == 404  # …and nobody else can fetch it afterwards
    finally:
        context.close()
    context = browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        _password_sign_in(page, password_server, EDITOR)
        assert "Charger une vague" in _nav_links(page)
        _open_from_sidebar(page, "Charger une vague")
        assert page.query_selector('input[type="file"]') is not None
    finally:
        context.close()


def test_oidc_nothing_before_sign_in(oidc: tuple[str, FakeProvider], browser: Any) -> None:
    url, _ = oidc
    _only_sign_in(browser, url, ("Se connecter", "Sign in"))


def _oidc_sign_in(browser: Any, url: str, provider: FakeProvider, email: str) -> tuple[Any, Any]:
    provider.email = email
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_until_run(page, timeout=60)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{url}/**", timeout=60_000)
    page.wait_for_timeout(500)
    wait_until_run(page, timeout=120)
    return context, page


def test_oidc_editor_viewer_and_unlisted_accounts(oidc: tuple[str, FakeProvider], browser: Any) -> None:
    url, provider = oidc
    context, page = _oidc_sign_in(browser, url, provider, "cheffe.projet@ville.example")
    try:
        assert "Vue d'ensemble" in page.inner_text("h1")
        assert "Charger une vague" in _nav_links(page)
        page.goto(f"{url}/load", wait_until="domcontentloaded")  # the sign-in is a cookie: it lasts
        wait_until_run(page)
        assert page.query_selector('input[type="file"]') is not None
    finally:
        context.close()
    context, page = _oidc_sign_in(browser, url, provider, "agent@prefecture.example")
    try:
        assert "Vue d'ensemble" in page.inner_text("h1")
        assert "Charger une vague" not in _nav_links(page)
        page.goto(f"{url}/load", wait_until="domcontentloaded")
        wait_until_run(page)
        assert page.query_selector('input[type="file"]') is None
    finally:
        context.close()
    context, page = _oidc_sign_in(browser, url, provider, "curieux@ailleurs.example")
    try:
        assert "n'a pas accès" in page.inner_text("body")
        assert not [s for s in DATA_SELECTORS if page.query_selector(s) is not None]
    finally:
        context.close()
