"""Compute, once after a load, what every page shows by default, so that the first visitors (and
every new server process) read the results from disk (ui.results) instead of waiting for them.

Each page is run headless with Streamlit's AppTest on the warehouse, with the default selection,
exactly as a visitor's first view of it: the results it computes are kept beside the warehouse.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_TIMEOUT = 900  # seconds for one page's first run on a large warehouse


@contextmanager
def _warehouse(db: Path) -> Iterator[None]:
    old = os.environ.get("MAILLAGE_DB")
    os.environ["MAILLAGE_DB"] = str(db)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("MAILLAGE_DB", None)
        else:
            os.environ["MAILLAGE_DB"] = old


def page_files() -> list[Path]:
    """The dashboard's pages that show indicators (not the load and pack pages, which compute
    nothing until asked)."""
    skip = {"7_charger.py", "9_comite.py"}
    return [p for p in sorted((ROOT / "pages").glob("*.py")) if p.name not in skip]


def warm(
    db: Path, echo: Callable[[str], None] = print, territories: Sequence[str | None] = (None,)
) -> list[tuple[str, float, list[str]]]:
    """Run every page once on ``db`` for each selection of ``territories`` (None: no territory
    filter, the default view; a territory id: that territory chosen, as a shared link would);
    (page, seconds, problems) for each run."""
    import logging

    from streamlit.testing.v1 import AppTest

    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "No runtime found" outside a server
    done = []
    with _warehouse(db):
        for territory in territories:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=PAGE_TIMEOUT)
            if territory is not None:
                at.query_params["terr"] = territory
            at.run()
            for page in page_files():
                started = time.perf_counter()
                at.switch_page(str(page.relative_to(ROOT))).run()
                seconds = time.perf_counter() - started
                problems = [str(e.value)[:200] for e in at.exception]
                where = f"{territory} · " if territory is not None else ""
                echo(f"{where}{page.name:<22} {seconds:6.1f} s" + (f"  problem: {problems[0]}" if problems else ""))
                done.append((f"{where}{page.name}", seconds, problems))
    return done
