"""Every page of the real app in a real browser: `streamlit run app.py` on the demo warehouse,
opened in headless Chromium (Playwright); no exception block, no error alert; a full-page
screenshot of each page in test-artifacts/screenshots/ (one page also in English).

Skipped, with the reason, when /usr/bin/chromium (or Playwright) is missing, unless
MAILLAGE_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "test-artifacts" / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# URL path → screenshot name (every page of app.py); the last one checks the English interface.
PAGES = [
    ("", "overview"),  # the default page is served at "/"
    ("pack", "pack"),  # the steering-committee pack
    ("practice", "practice"),
    ("network", "network"),
    ("exchanges", "exchanges"),
    ("wellbeing", "wellbeing"),
    ("quality", "quality"),
    ("load", "load"),
    ("indicators", "indicators"),
    ("quality?lang=en", "quality_en"),
]
SERVER_START = 90  # seconds for `streamlit run` to answer its health check
PAGE_RUN = 180  # seconds for one page's script to finish
WIDTH = 1400


def _require_browser() -> None:
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (Debian: apt install chromium); browser downloads are not used"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright Python package is not installed (pip install playwright)"
    if problem is None:
        return
    if os.environ.get("MAILLAGE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"MAILLAGE_REQUIRE_BROWSER=1 but {problem}")
    pytest.skip(f"browser test skipped: {problem}")


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on the demo warehouse, on a free port; stopped afterwards."""
    _require_browser()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {
        **os.environ,
        "MAILLAGE_DB": str(demo_db),
        "MAILLAGE_SECRET": str(demo_db.parent / "pseudonym.key"),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    }
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + SERVER_START
            while not _healthy(url):
                if proc.poll() is not None:
                    pytest.fail(f"streamlit exited with code {proc.returncode}:\n{log.read_text()[-3000:]}")
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not answer within {SERVER_START} s:\n{log.read_text()[-3000:]}")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    # Playwright gives each launch a new temporary profile (its own --user-data-dir).
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(chart => chart.querySelector('.main-svg'))"""


def _wait_until_run(page: Any) -> None:
    """The page title is shown, the app is no longer running (the status widget that says
    "Running…" stays away for a moment) and every chart is drawn."""
    page.wait_for_selector("h1", timeout=PAGE_RUN * 1000)
    deadline = time.monotonic() + PAGE_RUN
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.query_selector('[data-testid="stStatusWidget"]') is not None
        skeleton = page.query_selector('[data-testid="stSkeleton"]') is not None
        drawn = page.evaluate(CHARTS_DRAWN)
        if running or skeleton or not drawn:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 1.5:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"{page.url} was still running after {PAGE_RUN} s")


def _problems(page: Any) -> list[str]:
    found = []
    for element in page.query_selector_all('[data-testid="stException"]'):
        found.append("exception: " + element.inner_text()[:600])
    for element in page.query_selector_all('[data-testid="stAlertContentError"]'):
        found.append("error alert: " + element.inner_text()[:600])
    for dialog in page.query_selector_all('[role="dialog"]'):
        found.append("dialog: " + dialog.inner_text()[:300])
    return found


def _screenshot(page: Any, path: Path) -> None:
    """The whole page: the app scrolls inside its main block, so the window is made as tall as it."""
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    page.set_viewport_size({"width": WIDTH, "height": int(min(max(height, 800), 20000)) + 40})
    page.wait_for_timeout(700)  # charts resize to the new window
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": WIDTH, "height": 900})


def _dismiss_dialogs(page: Any) -> list[str]:
    """Close Streamlit's modal dialogs (after noting what they said) so screenshots are clean."""
    said = [d.inner_text()[:300] for d in page.query_selector_all('[role="dialog"]')]
    if said:
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
    return said


def test_every_page_opens_without_error(server: str, browser: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, locale="fr-FR")
    context.set_default_timeout(PAGE_RUN * 1000)
    failures: dict[str, list[str]] = {}
    dialogs: dict[str, list[str]] = {}
    started = time.monotonic()
    try:
        page = context.new_page()
        # Warm-up: the first session after `streamlit run` shows Streamlit's "Page not found"
        # (a folder named pages/ next to app.py is first read as a v1 multipage app).
        page.goto(f"{server}/load", wait_until="domcontentloaded")
        _wait_until_run(page)
        _dismiss_dialogs(page)
        for path, name in PAGES:
            page.goto(f"{server}/{path}", wait_until="domcontentloaded")
            _wait_until_run(page)
            found = [p for p in _problems(page) if not p.startswith("dialog")]
            said = _dismiss_dialogs(page)
            if said:
                dialogs[path] = said
            _screenshot(page, SHOTS / f"{name}.png")
            if found:
                failures[path] = found
            if name.endswith("_en"):
                assert "Data quality" in page.inner_text("h1")  # the English page is in English
    finally:
        context.close()
    print(f"{len(PAGES)} pages checked and photographed in {time.monotonic() - started:.1f} s")
    if dialogs:
        # Streamlit may show "Page not found" to the first session after the server starts
        # (a pages/ folder next to app.py); the page still runs underneath.
        warnings.warn(f"Streamlit dialogs shown: {dialogs}", stacklevel=1)
    assert not failures, "pages with errors:\n" + "\n".join(f"/{k}: {v}" for k, v in failures.items())
    assert all((SHOTS / f"{name}.png").stat().st_size > 10_000 for _, name in PAGES)
