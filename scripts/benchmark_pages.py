"""Dashboard page timings: how long each page's script takes to run, cold and warm.

    python scripts/benchmark_pages.py data/maillage.duckdb

`page_timings(db_path)` is what scripts/benchmark.py calls (on the demo warehouse and on a larger
synthetic one). Each page is run with Streamlit's AppTest (the real app.py frame: sidebar filters,
then the page), so the time is the server-side script run a user waits for, without the browser's
drawing. Three figures per page:
- first visit after a load: every Streamlit cache cleared and no result kept on disk (what the
  first visitor waits for when `maillage warm` was not run after the load);
- cold: every Streamlit cache cleared, the results of this warehouse version kept on disk
  (ui.results: a new server process, another process behind the proxy, or any visitor after
  `maillage warm`, which the README asks to run after a load);
- warm: the same page run again (coming back to it, or a widget that does not change the data).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
PAGES = ROOT / "pages"
TIMEOUT = 600  # seconds, per script run


def _clear_caches() -> None:
    import logging

    import streamlit as st

    # Clearing outside a running server logs "No runtime found" at every call: not news here.
    logging.getLogger("streamlit.runtime.caching").setLevel(logging.ERROR)
    st.cache_data.clear()
    st.cache_resource.clear()


def _run(page: Path, db: Path, keep_results: bool) -> tuple[float, float]:
    """Open the app (default page), clear every cache (and, unless `keep_results`, the results
    kept on disk), then time the switch to `page` (cold) and a second run of it (warm) — the way
    a user reaches a page from the sidebar."""
    from streamlit.testing.v1 import AppTest

    from ui import results

    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    _clear_caches()
    if not keep_results:
        results.clear(db)
    started = time.perf_counter()
    at.switch_page(str(page.relative_to(ROOT))).run()
    cold = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page.name} raised: {at.exception[0].value}")
    started = time.perf_counter()
    at.run()
    warm = time.perf_counter() - started
    return cold, warm


def page_timings(db_path: Path) -> list[tuple[str, float, float, float]]:
    """(page file, first-visit seconds, cold seconds, warm seconds) for every page of pages/, on
    the warehouse `db_path` (see the module docstring)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    old = os.environ.get("MAILLAGE_DB")
    os.environ["MAILLAGE_DB"] = str(db_path)
    pages = sorted(PAGES.glob("*.py"))
    try:
        # Imports (pandas, plotly, each page's modules…) are paid once per server process, not
        # per visit: a first pass over every page takes them out of the cold times.
        for page in pages:
            _run(page, db_path, keep_results=False)
        timings = []
        for page in pages:
            _clear_caches()
            first, _ = _run(page, db_path, keep_results=False)  # leaves this page's results on disk
            cold, warm = _run(page, db_path, keep_results=True)
            timings.append((page.name, first, cold, warm))
        return timings
    finally:
        _clear_caches()
        from ui import results

        results.clear(db_path)
        if old is None:
            os.environ.pop("MAILLAGE_DB", None)
        else:
            os.environ["MAILLAGE_DB"] = old


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: python scripts/benchmark_pages.py WAREHOUSE.duckdb")
    db = Path(argv[0])
    if not db.exists():
        raise SystemExit(f"{db} does not exist (build the demo with `maillage demo --db {db}`)")
    print(f"{'page':<24} {'first visit (s)':>15} {'cold (s)':>9} {'warm (s)':>9}")
    for name, first, cold, warm in page_timings(db):
        print(f"{name:<24} {first:>15.2f} {cold:>9.2f} {warm:>9.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
