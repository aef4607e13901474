"""Indicator results kept beside the warehouse (ui.results, `maillage warm`): a new dashboard
process reads them instead of recomputing; a changed file or setting never gets another's."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import streamlit as st
from click.testing import CliRunner

from indicators import practice
from indicators.filters import Filters
from maillage.cli import cli
from ui import data, results


@pytest.fixture()
def demo_copy(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "maillage.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("MAILLAGE_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


def _new_process() -> None:
    """What a new server process starts with: no Streamlit cache."""
    st.cache_data.clear()
    st.cache_resource.clear()


def test_a_new_process_reads_the_kept_result_instead_of_recomputing(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = Filters(sectors=("education",))
    first = data.compute(practice.panel_change, f, "2025-2", "2026-1")
    kept = list(results.folder_of(demo_copy).glob("*/*.pkl"))
    assert kept, "the panel comparison takes more than 50 ms on the demo: its result is kept"
    _new_process()

    def fail(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("recomputed although the result was kept")

    panel_change = practice.panel_change
    monkeypatch.setattr(practice, "panel_change", fail)  # what the dashboard would call to recompute
    again = data.compute(panel_change, f, "2025-2", "2026-1")
    assert again.equals(first)


def test_a_changed_file_or_setting_does_not_read_another_result(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = Filters(sectors=("education",))
    before = data.compute(practice.panel_change, f, "2025-2", "2026-1")
    # a setting that changes the result: the confidence level of the intervals
    _new_process()
    monkeypatch.setenv("MAILLAGE_CI_LEVEL", "0.8")
    narrower = data.compute(practice.panel_change, f, "2025-2", "2026-1")
    assert (narrower["ci_high"] - narrower["ci_low"] < before["ci_high"] - before["ci_low"]).all()
    monkeypatch.delenv("MAILLAGE_CI_LEVEL")
    # the file changed in place (same version): its results are its own
    _new_process()
    with duckdb.connect(str(demo_copy)) as conn:
        conn.execute("DELETE FROM scale_scores WHERE wave_id = '2026-1' AND scale_id = 'network_practice'")
    changed = data.compute(practice.panel_change, f, "2025-2", "2026-1")

    def pairs(frame: object) -> float:
        return float(frame.set_index("scale_id").loc["network_practice", "n_pairs"])  # type: ignore[attr-defined]

    assert pairs(before) > 0 and not pairs(changed) > 0  # no pair left (0, or no figure)
    assert len([p for p in results.folder_of(demo_copy).iterdir() if p.is_dir()]) == 1  # the old file's went


def test_unreadable_kept_files_are_recomputed_and_the_setting_turns_it_off(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = Filters(sectors=("education",))
    first = data.compute(practice.panel_change, f, "2025-2", "2026-1")
    for kept in results.folder_of(demo_copy).glob("*/*.pkl"):
        kept.write_bytes(b"not a pickle")
    _new_process()
    assert data.compute(practice.panel_change, f, "2025-2", "2026-1").equals(first)
    results.clear(demo_copy)
    _new_process()
    monkeypatch.setenv("MAILLAGE_RESULTS_CACHE", "off")
    data.compute(practice.panel_change, f, "2025-2", "2026-1")
    assert not results.folder_of(demo_copy).exists()


def test_maillage_warm_keeps_what_every_page_shows(demo_copy: Path) -> None:
    result = CliRunner().invoke(cli, ["warm", "--db", str(demo_copy)])
    assert result.exit_code == 0, result.output
    assert "Results kept in maillage.duckdb.results/ for 7 of 7 page runs." in result.output
    for page in ("1_vue_ensemble.py", "2_pratiques.py", "3_reseau.py", "5_bien_etre.py", "6_qualite.py"):
        assert page in result.output
    assert len(list(results.folder_of(demo_copy).glob("*/*.pkl"))) >= 10


def test_maillage_warm_errors_are_clear(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    result = CliRunner().invoke(cli, ["warm", "--db", str(missing)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {missing} does not exist. Load a wave first (maillage load) or build the demo "
                             f"(maillage demo --db {missing}).\n")


def test_maillage_warm_a_territory_keeps_that_selection_too(demo_copy: Path) -> None:
    with duckdb.connect(str(demo_copy), read_only=True) as conn:
        territory = conn.execute("SELECT min(territory) FROM institutions").fetchall()[0][0]
    assert CliRunner().invoke(cli, ["warm", "--db", str(demo_copy)]).exit_code == 0
    default_only = len(list(results.folder_of(demo_copy).glob("*/*.pkl")))
    _new_process()
    result = CliRunner().invoke(cli, ["warm", "--territory", territory, "--db", str(demo_copy)])
    assert result.exit_code == 0, result.output
    assert "for 14 of 14 page runs." in result.output and f"{territory} · 2_pratiques.py" in result.output
    # the territory's own selections are kept beside the default ones
    assert len(list(results.folder_of(demo_copy).glob("*/*.pkl"))) > default_only


def test_maillage_warm_refuses_an_unknown_territory(demo_copy: Path) -> None:
    result = CliRunner().invoke(cli, ["warm", "--territory", "Atlantide", "--db", str(demo_copy)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: Unknown territory: Atlantide. Territories in the warehouse: ")
