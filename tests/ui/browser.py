"""Helpers of the real-browser tests: `streamlit run app.py` on a free port, headless Debian
Chromium driven by Playwright, waiting for a page to finish, and the hosts a page contacted.

Skipped, with the reason, when /usr/bin/chromium (or Playwright) is missing, unless
MAILLAGE_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
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
SERVER_START = 90  # seconds for `streamlit run` to answer its health check
PAGE_RUN = 180  # seconds for one page's script to finish
WIDTH = 1400
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def require_browser() -> None:
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


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextlib.contextmanager
def streamlit_server(
    db: Path, log: Path, port: int | None = None, extra_args: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """`streamlit run app.py` on warehouse `db`; yields its base URL; stopped afterwards."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    full_env = {
        **os.environ,
        "MAILLAGE_DB": str(db),
        "MAILLAGE_SECRET": str(db.parent / "pseudonym.key"),
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        **(env or {}),
    }
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false",
        *(extra_args or []),
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT)
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


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    # Playwright gives each launch a new temporary profile (its own --user-data-dir).
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(chart => chart.querySelector('.main-svg'))"""


def wait_until_run(page: Any, timeout: float = PAGE_RUN) -> None:
    """The page title is shown, the app is no longer running (the status widget that says
    "Running…" stays away for a moment) and every chart is drawn."""
    page.wait_for_selector("h1", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
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
    raise AssertionError(f"{page.url} was still running after {timeout} s")


def record_hosts(page: Any) -> set[str]:
    """Every host the page sends a request to, from now on (data: and blob: URLs have none)."""
    hosts: set[str] = set()

    def note(request: Any) -> None:
        parsed = urllib.parse.urlparse(request.url)
        if parsed.scheme in ("http", "https", "ws", "wss"):
            hosts.add(parsed.hostname or "")

    page.on("request", note)
    return hosts


def problems(page: Any) -> list[str]:
    found = []
    for element in page.query_selector_all('[data-testid="stException"]'):
        found.append("exception: " + element.inner_text()[:600])
    for element in page.query_selector_all('[data-testid="stAlertContentError"]'):
        found.append("error alert: " + element.inner_text()[:600])
    for dialog in page.query_selector_all('[role="dialog"]'):
        found.append("dialog: " + dialog.inner_text()[:300])
    return found


def dismiss_dialogs(page: Any) -> list[str]:
    """Close Streamlit's modal dialogs (after noting what they said) so screenshots are clean."""
    said = [d.inner_text()[:300] for d in page.query_selector_all('[role="dialog"]')]
    if said:
        page.keyboard.press("Escape")
        page.wait_for_timeout(300)
    return said


def screenshot(page: Any, path: Path) -> None:
    """The whole page: the app scrolls inside its main block, so the window is made as tall as it."""
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    page.set_viewport_size({"width": WIDTH, "height": int(min(max(height, 800), 20000)) + 40})
    page.wait_for_timeout(700)  # charts resize to the new window
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": WIDTH, "height": 900})


# --------------------------------------------------------------------------- accessibility checks

AXE_DIR = ROOT / "tests" / "ui" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    """axe-core's axe.min.js, the version pinned by tests/ui/axe/package-lock.json.

    .ci/run installs it (`npm ci` in tests/ui/axe); on a fresh machine the test installs it the same
    way the first time (npm, from the npm registry, integrity checked against the lock file). Without
    npm the test is skipped with the reason, unless MAILLAGE_REQUIRE_BROWSER=1 (CI): a failure."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        problem = None
        if npm is None:
            problem = "npm is missing (Debian: apt install npm), needed once to install axe-core"
        else:
            done = subprocess.run(
                [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=AXE_DIR,
                capture_output=True, text=True, timeout=300,
            )
            if done.returncode != 0 or not AXE_JS.exists():
                problem = f"`npm ci` in tests/ui/axe failed: {done.stderr[-800:]}"
        if problem:
            if os.environ.get("MAILLAGE_REQUIRE_BROWSER") == "1":
                pytest.fail(f"MAILLAGE_REQUIRE_BROWSER=1 but {problem}")
            pytest.skip(f"accessibility test skipped: {problem}")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page: Any, source: str) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations of the page as it is now: [{id, impact, nodes: [html]}]."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    found: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.html.slice(0, 200))}));
        }""",
        AXE_TAGS,
    )
    return found


# Every text of every chart inside its figure: a title, subtitle, legend, label or caption whose box
# passes the figure's edge by more than a pixel is cut (plotly never wraps nor shrinks text).
CLIPPED_TEXT = """(root) => {
  const out = [];
  (root || document).querySelectorAll('[data-testid="stPlotlyChart"], .js-plotly-plot').forEach((chart, i) => {
    const box = chart.querySelector('.svg-container') || chart;
    const r = box.getBoundingClientRect();
    if (!r.width) return;
    const title = (chart.querySelector('.gtitle') || {}).textContent || '';
    chart.querySelectorAll('svg.main-svg text').forEach(t => {
      if (t.closest('.hoverlayer')) return;
      const text = (t.textContent || '').trim();
      const b = t.getBoundingClientRect();
      if (!text || (!b.width && !b.height)) return;
      const over = Math.max(r.left - b.left, b.right - r.right, r.top - b.top, b.bottom - r.bottom);
      if (over > 1) out.push({chart: i, title: title.slice(0, 80), text: text.slice(0, 80), by: Math.round(over)});
    });
  });
  return out;
}"""

SVG_CLIPPED_TEXT = """() => {
  const svg = document.querySelector('svg');
  const r = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => (t.textContent || '').trim()).map(t => {
    const b = t.getBoundingClientRect();
    return {text: t.textContent.trim().slice(0, 80),
            by: Math.round(Math.max(r.left - b.left, b.right - r.right, r.top - b.top, b.bottom - r.bottom))};
  }).filter(x => x.by > 1);
}"""


def clipped_texts(page: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(CLIPPED_TEXT)
    return found


# Institutions drawn on the network charts, as the browser placed them: centre (the point's
# translate) and reach (the farthest vertex of its symbol's path from the centre; a circle's radius).
INSTITUTION_MARKERS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
  const marks = [];
  gd.querySelectorAll('.scatterlayer .trace').forEach(layer => {
    const bound = layer.__data__ && layer.__data__[0] && layer.__data__[0].trace;
    if (!bound || !bound.meta || bound.meta.kind !== 'institutions') return;
    layer.querySelectorAll('path.point').forEach((pt, k) => {
      const m = /translate\\(([-\\d.e]+),\\s*([-\\d.e]+)\\)/.exec(pt.getAttribute('transform') || '');
      const d = pt.getAttribute('d') || '';
      if (!m || !d) return;
      let reach = 0;
      if (d.includes('A')) {
        reach = parseFloat(d.slice(1));
      } else {
        const n = (d.match(/-?[\\d.]+(?:e-?\\d+)?/g) || []).map(Number);
        for (let j = 0; j + 1 < n.length; j += 2) reach = Math.max(reach, Math.hypot(n[j], n[j + 1]));
      }
      const id = Array.isArray(bound.customdata) ? String(bound.customdata[k]) : String(k);
      marks.push({id: id, x: +m[1], y: +m[2], reach: reach});
    });
  });
  return marks;
}).filter(marks => marks.length)"""


def overlapping_markers(page: Any) -> list[str]:
    """Pairs of institution markers of one chart whose symbols could touch (their reaches add up
    to more than the distance between their centres, by more than half a pixel)."""
    found = []
    for marks in page.evaluate(INSTITUTION_MARKERS):
        for i, a in enumerate(marks):
            for b in marks[i + 1:]:
                if math.hypot(a["x"] - b["x"], a["y"] - b["y"]) < a["reach"] + b["reach"] - 0.5:
                    found.append(f"{a['id']} / {b['id']}")
    return found
