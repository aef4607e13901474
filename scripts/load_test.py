"""Load test: many officers on the dashboard at once (not a timed test; it prints figures).

    python scripts/load_test.py                     # N = 1, 5, 10, 20 on the 50-territory warehouse
    python scripts/load_test.py --users 1,5 --db data/maillage.duckdb

Starts the real dashboard (`streamlit run app.py`, one server process) on a synthetic warehouse
of 50 territories × 6 waves (scripts/benchmark_data.py) or on `--db`, then drives N concurrent
headless Chromium sessions (Playwright, Debian's /usr/bin/chromium; one browser, one context per
user) through a realistic path:

    overview → practice → the practice page with one territory chosen (a shared link with a
    filter; each user a territory no earlier user chose, so filtered results are computed, not
    served from the cache) → network → exchanges (sidebar links, in the same session)

A page's time runs from the click (or the link) to the moment the page stopped running with its
title shown and every chart drawn. Per N it prints p50 / p95 page time, errors (exceptions, error
alerts, timeouts) and the server's peak memory (resident set of the server process).

Target (issue 13): 0 errors, p95 at N = 10 ≤ 3 × p95 at N = 1. The browsers run on the same
machine as the server, so their drawing competes with the server for the CPU: on a small machine
the figures are pessimistic for the server alone.

Before the measured runs, one user goes through the path once (not counted): the server's imports
and the unfiltered results of this warehouse version are then in place, as they are for every user
but the first after a load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
PAGE_TIMEOUT = 300.0  # seconds for one page to finish
QUIET = 1.0  # seconds without "running" before a page counts as finished (not counted in its time)

PAGE_STATE = """() => {
    const running = document.querySelector('[data-testid="stStatusWidget"]') !== null
        || document.querySelector('[data-testid="stSkeleton"]') !== null;
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    const drawn = charts.every(c => c.querySelector('.main-svg'));
    const title = document.querySelector('h1');
    const errors = [...document.querySelectorAll('[data-testid="stException"], [data-testid="stAlertContentError"]')]
        .map(e => e.innerText.slice(0, 300));
    return {busy: running || !drawn || title === null, title: title ? title.innerText : '', errors};
}"""


@dataclass
class Result:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid` and its children (MB), from /proc."""
    total = 0.0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for text in Path(f"/proc/{p}/status").read_text().splitlines():
                if text.startswith("VmRSS:"):
                    total += int(text.split()[1]) / 1024
        except OSError:
            continue
    return total


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process `pid` has used, from /proc (0 when unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def machine_busy_seconds() -> float:
    """CPU time every process of the machine has used (all cores), from /proc/stat."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class MemoryWatch:
    """Samples the server's resident memory every 0.2 s; `peak` is the largest since `reset`;
    `cpu_split()` says which share of the machine's CPU the server and everything else (the
    browsers) used since `reset`."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._cpu0, self._busy0, self._wall0 = 0.0, 0.0, time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            time.sleep(0.2)

    def reset(self) -> None:
        self.peak = rss_mb(self.pid)
        self._cpu0, self._busy0, self._wall0 = cpu_seconds(self.pid), machine_busy_seconds(), time.monotonic()

    def cpu_split(self) -> tuple[float, float]:
        """(server %, others %) of the machine's CPU capacity since `reset`."""
        capacity = (time.monotonic() - self._wall0) * (os.cpu_count() or 1)
        if capacity <= 0:
            return float("nan"), float("nan")
        server = cpu_seconds(self.pid) - self._cpu0
        others = max(machine_busy_seconds() - self._busy0 - server, 0.0)
        return 100 * server / capacity, 100 * others / capacity

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


async def finished(page: Any, started: float, before_title: str | None) -> tuple[float, list[str]]:
    """Seconds from `started` until the page was no longer busy (and, after a sidebar click, shows
    another title than `before_title`), held for QUIET seconds; the errors it shows."""
    deadline = started + PAGE_TIMEOUT
    quiet_since: float | None = None
    while time.perf_counter() < deadline:
        state = await page.evaluate(PAGE_STATE)
        busy = state["busy"] or (before_title is not None and state["title"] == before_title)
        now = time.perf_counter()
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= QUIET:
            return quiet_since - started, list(state["errors"])
        await asyncio.sleep(0.1)
    return PAGE_TIMEOUT, [f"timeout after {PAGE_TIMEOUT:.0f} s on {page.url}"]


async def title_of(page: Any) -> str:
    return str((await page.evaluate(PAGE_STATE))["title"])


async def user_path(browser: Any, base: str, territory: str, result: Result) -> None:
    """One user's visit: overview, practice, practice with a territory, network, exchanges."""
    context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="fr-FR")
    page = await context.new_page()
    try:
        steps: list[tuple[str, str]] = [("goto", f"{base}/"), ("click", "practice"),
                                        ("goto", f"{base}/practice?terr={territory}"),
                                        ("click", "network"), ("click", "exchanges")]
        for kind, target in steps:
            before = None if kind == "goto" else await title_of(page)
            started = time.perf_counter()
            if kind == "goto":
                await page.goto(target, timeout=PAGE_TIMEOUT * 1000)
            else:
                await page.click(f'[data-testid="stSidebarNav"] a[href$="/{target}"]', timeout=PAGE_TIMEOUT * 1000)
            seconds, errors = await finished(page, started, before)
            result.times.append(seconds)
            result.errors += [f"{target}: {e}" for e in errors]
    except Exception as exc:  # a user who could not finish the path is an error, not a crash of the test
        result.errors.append(f"{type(exc).__name__}: {str(exc)[:300]}")
    finally:
        await context.close()


async def run_users(base: str, territories: list[str]) -> Result:
    from playwright.async_api import async_playwright

    result = Result()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            await asyncio.gather(*(user_path(browser, base, t, result) for t in territories))
        finally:
            await browser.close()
    return result


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def territories_of(db: Path) -> list[str]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as conn:
        return [r[0] for r in conn.execute(
            "SELECT DISTINCT territory FROM institutions WHERE territory IS NOT NULL ORDER BY 1").fetchall()]


def start_server(db: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MAILLAGE_DB": str(db), "MAILLAGE_SECRET": str(db.parent / "pseudonym.key"),
           "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
    out = log.open("w")
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while not healthy(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise SystemExit(f"the dashboard did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)
    return proc, url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", default="1,5,10,20", help="comma-separated numbers of concurrent users")
    parser.add_argument("--db", type=Path, help="warehouse to serve (default: a synthetic 50 × 6 one, built here)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium (apt install chromium)")
    counts = [int(x) for x in args.users.split(",")]
    with tempfile.TemporaryDirectory(prefix="maillage-load-") as tmp:
        work = Path(tmp)
        db = args.db
        if db is None:
            from scripts.benchmark_data import build

            db = work / "synthetic-50x6.duckdb"
            t0 = time.perf_counter()
            build(db, 50, 6)
            print(f"synthetic warehouse 50 territories × 6 waves built in {time.perf_counter() - t0:.0f} s")
        territories = territories_of(db)
        needed = 1 + sum(counts) + 2 * (counts.count(1))
        if len(territories) < needed:
            print(f"note: {len(territories)} territories for {needed} users: some users share a territory")
        proc, url = start_server(db, work / "server.log")
        memory = MemoryWatch(proc.pid)
        try:
            print(f"Load test — one dashboard process, {os.cpu_count()} CPU(s); path: overview → practice → "
                  "practice with a territory → network → exchanges; page time in seconds")
            t0 = time.perf_counter()
            warm = asyncio.run(run_users(url, territories[:1]))
            print(f"  warm-up user (not counted): {time.perf_counter() - t0:.1f} s, "
                  f"{len(warm.errors)} error(s) {warm.errors[:2]}")
            next_t = 1
            rows = []
            for n in counts:
                memory.reset()
                result = Result()
                # N = 1: three users one after the other, for more than five page times
                for _ in range(3 if n == 1 else 1):
                    chosen = [territories[(next_t + i) % len(territories)] for i in range(n)]
                    next_t += n
                    got = asyncio.run(run_users(url, chosen))
                    result.times += got.times
                    result.errors += got.errors
                rows.append((n, percentile(result.times, 50), percentile(result.times, 95), len(result.errors),
                             memory.peak, len(result.times)))
                server_cpu, other_cpu = memory.cpu_split()
                print(f"  N = {n:>2}: p50 {rows[-1][1]:5.2f} s, p95 {rows[-1][2]:5.2f} s, errors {rows[-1][3]}, "
                      f"server peak memory {rows[-1][4]:,.0f} MB ({rows[-1][5]} page times); CPU of the machine: "
                      f"server {server_cpu:.0f} %, browsers and the rest {other_cpu:.0f} %")
                for error in result.errors[:3]:
                    print(f"      {error}")
        finally:
            memory.stop()
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        print(f"\n  {'users':>5} {'p50 (s)':>8} {'p95 (s)':>8} {'errors':>7} {'server MB':>10}")
        for n, p50, p95, errors, peak, _ in rows:
            print(f"  {n:>5} {p50:>8.2f} {p95:>8.2f} {errors:>7} {peak:>10,.0f}")
        base = next((r for r in rows if r[0] == 1), None)
        ten = next((r for r in rows if r[0] == 10), None)
        if base and ten:
            ratio = ten[2] / base[2] if base[2] else float("nan")
            met = "met" if ratio <= 3 and sum(r[3] for r in rows) == 0 else "NOT met"
            print(f"  target: 0 errors and p95(N=10) ≤ 3 × p95(N=1): ratio {ratio:.1f}, "
                  f"errors {sum(r[3] for r in rows)} — {met}")


if __name__ == "__main__":
    main()
