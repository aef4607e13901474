"""A Python with DuckDB of the long-term-support line (1.4.x), as researchers' tools have it.

It is a separate virtual environment made with pip from PyPI, cached in the system's temporary
folder between runs. Without PyPI its tests are skipped with the reason; with
MAILLAGE_REQUIRE_DUCKDB_LTS=1 (CI) that is a failure.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

LTS_REQUIREMENT = "duckdb>=1.4,<1.5"
LTS_LINE = "1.4."


def _lts_version(python: Path) -> str | None:
    """The DuckDB version importable by `python`, None if none is."""
    if not python.exists():
        return None
    found = subprocess.run(
        [str(python), "-c", "import duckdb; print(duckdb.__version__)"], capture_output=True, text=True, check=False
    )
    return found.stdout.strip() if found.returncode == 0 else None


def _unavailable(problem: str) -> None:
    if os.environ.get("MAILLAGE_REQUIRE_DUCKDB_LTS") == "1":
        pytest.fail(f"MAILLAGE_REQUIRE_DUCKDB_LTS=1 but {problem}")
    pytest.skip(problem)


def _build(target: Path) -> str | None:
    """Make the environment in a sibling folder and move it into place; the problem, or None."""
    building = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    try:
        subprocess.run([sys.executable, "-m", "venv", str(building)], check=True, capture_output=True)
        pip = subprocess.run(
            [str(building / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
             "--timeout", "60", LTS_REQUIREMENT],
            capture_output=True, text=True, check=False, timeout=900,
        )  # fmt: skip
        if pip.returncode != 0:
            last = (pip.stderr.strip().splitlines() or ["no output"])[-1]
            return f"pip could not install {LTS_REQUIREMENT} from PyPI (unreachable?): {last}"
        shutil.rmtree(target, ignore_errors=True)
        building.rename(target)
        return None
    finally:
        shutil.rmtree(building, ignore_errors=True)


@pytest.fixture(scope="session")
def duckdb_lts_python() -> tuple[Path, str]:
    """(python executable, DuckDB version) of an environment with DuckDB 1.4.x."""
    folder = Path(tempfile.gettempdir()) / f"maillage-duckdb-lts-py{sys.version_info[0]}{sys.version_info[1]}"
    python = folder / "bin" / "python"
    with (folder.parent / (folder.name + ".lock")).open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another test run may be building it
        version = _lts_version(python)
        if version is None or not version.startswith(LTS_LINE):
            problem = _build(folder)
            if problem:
                _unavailable(problem)
            version = _lts_version(python)
    if version is None or not version.startswith(LTS_LINE):
        _unavailable(f"the environment in {folder} has DuckDB {version}, not {LTS_LINE}x")
    return python, str(version)
