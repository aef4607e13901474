"""Warehouses whose last wave arrived in part: the demo territory without some of its 2026-1 files.

- ``practitioner_only``: 2026-1 has its practitioner survey, not yet its partner survey;
- ``partner_only``: 2026-1 has its partner survey, not yet its practitioner survey;
- ``log_only``: 2026-1 has neither survey, only its invited population (targets) and the activity
  log's months (the log runs to June 2026).
"""

from __future__ import annotations

from pathlib import Path

from etl.demo import demo_files
from etl.load import load_into
from warehouse.db import publish, writer_lock

LAST = "2026-1"
LEFT_OUT: dict[str, tuple[str, ...]] = {
    "practitioner_only": ("partner",),
    "partner_only": ("practitioner",),
    "log_only": ("practitioner", "partner"),
}


def build_partial_warehouse(path: Path, kind: str, secret_path: Path) -> Path:
    """The demo warehouse at `path` without the 2026-1 files that `kind` leaves out."""
    files = [f for f in demo_files() if not (f.wave == LAST and f.instrument in LEFT_OUT[kind])]

    def build(conn: object) -> None:
        for f in files:
            load_into(conn, f.path, f.instrument, f.wave, secret_path=secret_path)  # type: ignore[arg-type]

    with writer_lock(path):
        publish(path, build, fresh=True)
    return path
