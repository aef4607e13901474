"""The `maillage` command: every command helps, every user mistake is one clear paragraph."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from maillage.cli import cli

DATA = Path(__file__).resolve().parent.parent / "data"
COMMANDS = sorted(cli.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage: maillage" in result.output and len(result.output.splitlines()) > 3


def test_python_dash_m_maillage_is_the_same_command() -> None:
    out = subprocess.run([sys.executable, "-m", "maillage", "--help"], capture_output=True, text=True, check=True)
    assert "Usage: maillage" in out.stdout and "load" in out.stdout and "pack" in out.stdout


def test_python_dash_m_etl_is_the_etl_commands_without_the_pack_and_warm() -> None:
    """`pack` and `warm` draw on the dashboard's package (ui): they are `maillage` commands only."""
    from etl.cli import cli as etl_commands

    out = subprocess.run([sys.executable, "-m", "etl", "--help"], capture_output=True, text=True, check=True)
    assert "Usage: python -m etl" in out.stdout and "load" in out.stdout and "\n  pack " not in out.stdout
    assert sorted(etl_commands.commands) == sorted(  # type: ignore[attr-defined]
        c for c in COMMANDS if c not in {"pack", "warm"})


def test_missing_file_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "absent.csv"), "-i", "practitioner", "-w", "2025-1",
                                      "--db", str(db), "--secret", str(tmp_path / "k")])
    assert result.exit_code == 2
    assert result.output == f"Error: {tmp_path / 'absent.csv'}: no such file. Check the path and retry.\n"


def test_unknown_instrument_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["load", str(DATA / "targets.csv"), "-i", "cantine", "--db",
                                      str(tmp_path / "w.duckdb"), "--secret", str(tmp_path / "k")])
    assert result.exit_code == 3
    assert result.output == (
        "Error: Unknown instrument `cantine`. Known instruments: activities, institutions, partner, "
        "practitioner, targets. A new instrument needs a codebook in surveys/cantine/v1.toml, or in a folder "
        "of your own given with --surveys or $MAILLAGE_SURVEYS (see docs/codebooks.md).\n"
    )


def test_status_without_warehouse_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["status", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 4
    assert result.output == (
        f"Error: No warehouse at {tmp_path / 'none.duckdb'}. Create one with `maillage init` or build the "
        "demo with `maillage demo` (or pass --db).\n"
    )


def test_refused_file_prints_every_reason_and_writes_the_report(tmp_path: Path) -> None:
    db, key = str(tmp_path / "w.duckdb"), str(tmp_path / "k")
    runner = CliRunner()
    assert runner.invoke(cli, ["load", str(DATA / "institutions.csv"), "-i", "institutions", "--db", db,
                               "--secret", key]).exit_code == 0
    bad = tmp_path / "vide.csv"
    bad.write_text("a;b\n", "utf-8")
    result = runner.invoke(cli, ["load", str(bad), "-i", "practitioner", "--db", db, "--secret", key])
    assert result.exit_code == 2
    assert "Error: vide.csv was not loaded:\n- The file has no data rows after its 1 header row(s).\n" in result.output
    assert "- This file does not say which wave it belongs to. Pass --wave (e.g. --wave 2025-1).\n" in result.output
    assert (tmp_path / "reports" / "vide.report.csv").exists()
    assert "Traceback" not in result.output


def test_load_then_status_then_export(tmp_path: Path) -> None:
    db, key = str(tmp_path / "w.duckdb"), str(tmp_path / "k")
    runner = CliRunner()
    runner.invoke(cli, ["load", str(DATA / "institutions.csv"), "-i", "institutions", "--db", db, "--secret", key])
    loaded = runner.invoke(cli, ["load", str(DATA / "limesurvey_codes.xlsx"), "-i", "practitioner", "-w", "2025-2",
                                 "--db", db, "--secret", key])
    assert loaded.exit_code == 0, loaded.output
    assert "loaded 4 of 6 rows; 2 row(s) and 2 cell(s) quarantined" in loaded.output
    status = runner.invoke(cli, ["status", "--db", db])
    row = next(line for line in status.output.splitlines() if line.strip().startswith("2025-2"))
    # the practitioner survey loaded (4 rows, today), the partner survey and targets not yet
    assert row.split()[2:4] == ["4", "·"] and row.count("not loaded") == 2
    assert "duplicate_respondent (row quarantined)" in status.output
    out = tmp_path / "export"
    exported = runner.invoke(cli, ["export", "--out", str(out), "--db", db, "--format", "parquet"])
    assert exported.exit_code == 0, exported.output
    assert "No respondent-level data exported (add --microdata for anonymised microdata)." in exported.output
    assert not (out / "tidy" / "respondents").exists() and not (out / "panel_wide.parquet").exists()
    micro = runner.invoke(cli, ["export", "--out", str(out), "--db", db, "--format", "parquet", "--microdata"])
    assert micro.exit_code == 0, micro.output
    # four respondents in the wave: fewer than five, so none of them leaves, and the export says so
    assert "Left out: 4 respondent-waves of waves with fewer than 5 respondents." in micro.output
    import duckdb
    import pandas as pd

    conn = duckdb.connect()
    n = conn.execute("SELECT count(*) FROM read_parquet(?)", [str(out / "tidy" / "respondents.parquet")]).fetchall()
    assert n == [(0,)]
    with duckdb.connect(db, read_only=True) as log:
        logged = log.execute("SELECT kind, rows_exported, rows_left_out FROM exports").fetchall()
    assert logged == [("microdata", 0, 4)]
    cols = [r[0] for r in conn.execute("DESCRIBE SELECT * FROM read_parquet(?)",
                                       [str(out / "tidy" / "quarantine.parquet")]).fetchall()]
    assert "value" not in cols
    dictionary = pd.read_csv(out / "data_dictionary.csv")
    described = dictionary[(dictionary["file"] == "tidy/scale_scores") & (dictionary["column"] == "score")]
    assert "min_items" in described["description"].iloc[0]
    assert (out / "indicators" / "practice_scale_means.csv").exists()
    # with groups of one allowed (MAILLAGE_MIN_GROUP_SIZE=1) the four leave, as they were answered
    again = runner.invoke(cli, ["export", "--out", str(tmp_path / "all"), "--db", db, "--microdata"],
                          env={"MAILLAGE_MIN_GROUP_SIZE": "1"})
    assert again.exit_code == 0, again.output
    panel = pd.read_stata(tmp_path / "all" / "panel_wide.dta")
    assert len(panel) == 4 and "score_who5" in panel.columns
    assert sorted(panel["score_who5"].dropna()) == [8.0, 60.0, 60.0, 80.0]
