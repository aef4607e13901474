"""Dashboard page timings: how long each page's script takes to run, cold and warm.

    python scripts/benchmark_pages.py data/maillage.duckdb

`page_timings(db_path)` is what scripts/benchmark.py calls (on the demo warehouse and on a larger
synthetic one). Each page is run with Streamlit's AppTest (the real app.py frame: sidebar filters,
then the page), so the time is the server-side script run a user waits for, without the browser's
drawing. Cold = first run after every Streamlit cache was cleared (indicator results, the
warehouse handle); warm = the same page run again (what a user gets when coming back to it or
touching a widget that does not change the data).
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


def _run(page: Path) -> tuple[float, float]:
    """Open the app (default page), clear every cache, then time the switch to `page` (cold) and
    a second run of it (warm) — the way a user reaches a page from the sidebar."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    _clear_caches()
    started = time.perf_counter()
    at.switch_page(str(page.relative_to(ROOT))).run()
    cold = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page.name} raised: {at.exception[0].value}")
    started = time.perf_counter()
    at.run()
    warm = time.perf_counter() - started
    return cold, warm


def page_timings(db_path: Path) -> list[tuple[str, float, float]]:
    """(page file, cold seconds, warm seconds) for every page of pages/, on the warehouse `db_path`."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    old = os.environ.get("MAILLAGE_DB")
    os.environ["MAILLAGE_DB"] = str(db_path)
    pages = sorted(PAGES.glob("*.py"))
    try:
        # Imports (pandas, plotly, each page's modules…) are paid once per server process, not
        # per visit: a first pass over every page takes them out of the cold times.
        for page in pages:
            _run(page)
        timings = []
        for page in pages:
            _clear_caches()
            cold, warm = _run(page)
            timings.append((page.name, cold, warm))
        return timings
    finally:
        _clear_caches()
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
    print(f"{'page':<24} {'cold (s)':>9} {'warm (s)':>9}")
    for name, cold, warm in page_timings(db):
        print(f"{name:<24} {cold:>9.2f} {warm:>9.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
