"""Indicator results kept on disk, once per published state of the warehouse.

The warehouse changes only when a load publishes a new file, so an indicator's result for given
arguments is the same until then. The dashboard keeps each result that took a noticeable time to
compute in a folder beside the warehouse (``NAME.duckdb.results/``), under the identity of the
file it was computed from (its published version, size, modification time and inode): a new
server process, another process behind the same proxy, or the first visitor after a restart read
it instead of recomputing. A new load publishes a new file, whose results go to a new folder; the
folders of earlier files are removed when the first result of the new one is written.

What is kept is what the indicator functions return, disclosure control applied (the same tables
the pages show): no respondent row. The files are Python pickles, read only by the dashboard that
wrote them: the folder must be as private as the warehouse itself (docs/privacy.md).
Streamlit-free: the dashboard (ui.data) and `maillage warm` use it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any

from warehouse.settings import SETTINGS, setting

MIN_SECONDS = 0.05  # a result quicker to compute than this is not worth a file
SUFFIX = ".results"


def enabled() -> bool:
    """Off with the setting ``results_cache`` (``MAILLAGE_RESULTS_CACHE=off``: a read-only folder)."""
    return str(setting("results_cache")).strip().lower() not in {"off", "0", "false", "no"}


def folder_of(db: Path) -> Path:
    return db.with_name(db.name + SUFFIX)


def file_identity(db: Path, version: str) -> str | None:
    """Names the published file: its version, size, modification time and inode (a file changed
    in place, as tests do, is another file). None when it cannot be read."""
    try:
        st = db.stat()
    except OSError:
        return None
    raw = f"{version}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def key_of(module: str, name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> str:
    """A file name for one call (its arguments are frozen dataclasses, tuples, strings, numbers)
    under the current settings (a tie definition, the confidence level... change results)."""
    current = tuple((s.name, setting(s.name)) for s in SETTINGS)
    return hashlib.sha256(repr((module, name, args, kwargs, current)).encode()).hexdigest()


def load(db: Path, identity: str, key: str) -> tuple[bool, Any]:
    """(True, result) when this file's result for ``key`` is on disk, else (False, None)."""
    path = folder_of(db) / identity / f"{key}.pkl"
    try:
        with path.open("rb") as f:
            return True, pickle.load(f)  # written by this dashboard beside the warehouse
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return False, None


def save(db: Path, identity: str, key: str, value: Any) -> None:
    """Write ``value`` atomically (a reader sees the whole file or none); never raises (a folder
    that cannot be written only means results are recomputed)."""
    base = folder_of(db)
    target = base / identity
    try:
        fresh = not target.exists()
        target.mkdir(parents=True, exist_ok=True)
        if fresh:
            _remove_other_files_results(base, identity)
        fd, tmp = tempfile.mkstemp(dir=target, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target / f"{key}.pkl")
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return


def _remove_other_files_results(base: Path, identity: str) -> None:
    for other in base.iterdir():
        if other.name != identity and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)


def clear(db: Path) -> None:
    """Remove every kept result of the warehouse ``db``."""
    shutil.rmtree(folder_of(db), ignore_errors=True)
