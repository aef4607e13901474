"""Every page of the real app in a real browser: `streamlit run app.py` on the demo warehouse,
opened in headless Chromium (Playwright); no exception block, no error alert; a full-page
screenshot of each page in test-artifacts/screenshots/ (one page also in English).

Skipped, with the reason, when /usr/bin/chromium (or Playwright) is missing, unless
MAILLAGE_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.browser import (
    LOCAL_HOSTS,
    PAGE_RUN,
    ROOT,
    WIDTH,
    chromium,
    dismiss_dialogs,
    problems,
    record_hosts,
    screenshot,
    streamlit_server,
    wait_until_run,
)

pytestmark = pytest.mark.browser

SHOTS = ROOT / "test-artifacts" / "screenshots"
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


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on the demo warehouse (open access), on a free port."""
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with streamlit_server(demo_db, log) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def test_every_page_opens_without_error(server: str, browser: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, locale="fr-FR")
    context.set_default_timeout(PAGE_RUN * 1000)
    failures: dict[str, list[str]] = {}
    dialogs: dict[str, list[str]] = {}
    started = time.monotonic()
    try:
        page = context.new_page()
        hosts = record_hosts(page)
        # Warm-up: the first session after `streamlit run` shows Streamlit's "Page not found"
        # (a folder named pages/ next to app.py is first read as a v1 multipage app).
        page.goto(f"{server}/load", wait_until="domcontentloaded")
        wait_until_run(page)
        dismiss_dialogs(page)
        for path, name in PAGES:
            page.goto(f"{server}/{path}", wait_until="domcontentloaded")
            wait_until_run(page)
            found = [p for p in problems(page) if not p.startswith("dialog")]
            said = dismiss_dialogs(page)
            if said:
                dialogs[path] = said
            screenshot(page, SHOTS / f"{name}.png")
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
    # Nothing leaves the machine: no font, icon or script fetched from another host.
    assert hosts <= LOCAL_HOSTS, f"requests to other hosts: {sorted(hosts - LOCAL_HOSTS)}"
