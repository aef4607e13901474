"""A load changes the warehouse in one step or not at all, never disturbs readers, and is
idempotent; respondents are pseudonymous."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import etl.load
from etl.errors import WarehouseError
from warehouse.db import attach_read_only

Query = Callable[..., list[tuple[Any, ...]]]
DATA = Path(__file__).resolve().parent.parent / "data"
pytestmark = pytest.mark.usefixtures("with_institutions")


def _snapshot(query: Query) -> dict[str, list[tuple[Any, ...]]]:
    tables = ["respondents", "responses", "scale_scores", "ties", "loads", "quarantine", "waves", "meta"]
    return {t: sorted(query(f"SELECT * FROM {t}"), key=repr) for t in tables}


def test_a_failure_in_the_middle_of_a_load_leaves_the_warehouse_unchanged(
    load: Callable[..., Any], query: Query, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load("google_forms.csv", "practitioner", "2025-1")
    before_bytes, before = db.read_bytes(), _snapshot(query)

    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full (injected)")

    # respondents and responses are written before the scores: fail there
    monkeypatch.setattr(etl.load, "_write_scores", explode)
    with pytest.raises(RuntimeError, match="injected"):
        load("limesurvey_codes.xlsx", "practitioner", "2025-1")
    assert db.read_bytes() == before_bytes
    assert _snapshot(query) == before
    leftovers = [p.name for p in db.parent.iterdir() if p.name not in (db.name, db.name + ".lock", "reports")]
    assert leftovers == []


def test_loading_the_same_file_twice_changes_nothing(load: Callable[..., Any], db: Path, query: Query) -> None:
    first = load("limesurvey_codes.xlsx", "practitioner", "2025-2")
    stat_before, before = db.stat(), _snapshot(query)
    second = load("limesurvey_codes.xlsx", "practitioner", "2025-2")
    assert (first.status, second.status) == ("loaded", "unchanged")
    after = db.stat()
    assert (after.st_ino, after.st_mtime_ns) == (stat_before.st_ino, stat_before.st_mtime_ns)
    assert _snapshot(query) == before


def test_a_corrected_file_replaces_the_wave_in_one_step(
    load: Callable[..., Any], query: Query, tmp_path: Path
) -> None:
    first = load("google_forms.csv", "practitioner", "2025-1")
    corrected = tmp_path / "google_forms_corrige.csv"
    text = (DATA / "google_forms.csv").read_text(encoding="utf-8")
    corrected.write_text(text.replace("Stratégique (direction pilotage)", "Stratégique"), "utf-8")
    second = load(corrected, "practitioner", "2025-1")
    assert second.replaced_load_ids == [first.load_id]
    assert query("SELECT count(*) FROM respondents WHERE wave_id = '2025-1'")[0][0] == 3
    levels = dict(query("SELECT role, level FROM respondents WHERE wave_id = '2025-1'"))
    assert levels["youth_worker"] == "strategic"
    statuses = dict(query("SELECT load_id, status FROM loads WHERE instrument = 'practitioner'"))
    assert statuses == {first.load_id: "replaced", second.load_id: "current"}
    # the replaced load's quarantine went with it: only the unknown institution is left
    assert query("SELECT problem FROM quarantine WHERE file_name LIKE 'google_forms%'") == [("unknown_institution",)]


def test_a_corrected_codebook_or_list_makes_the_same_file_a_new_input(
    load: Callable[..., Any], query: Query, tmp_path: Path
) -> None:
    load("activities.xlsx", "activities")
    fixed = tmp_path / "institutions.csv"
    text = (DATA / "institutions.csv").read_text(encoding="utf-8-sig")
    fixed.write_text(text.replace("Collège Jaurès|CLG Jaurès", "Collège Jaurès|CLG Jaurès|Colège Jean Jaures"), "utf-8")
    load(fixed, "institutions")
    again = load("activities.xlsx", "activities")
    assert again.status == "loaded"
    members = query("SELECT institution_id FROM activity_institutions WHERE activity_id = 'A-004' ORDER BY 1")
    assert members == [("EN_CLG_JAURES",), ("ML_VALMONT",)]


READER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from warehouse.db import ReadOnlyWarehouse
    wh = ReadOnlyWarehouse(Path(sys.argv[1]))
    seen, errors, deadline = set(), 0, time.time() + float(sys.argv[2])
    print("ready", flush=True)
    while time.time() < deadline:
        try:
            seen.add(wh.cursor().execute("SELECT count(*) FROM respondents").fetchone()[0])
        except Exception as exc:
            errors += 1
            print("error", type(exc).__name__, exc, file=sys.stderr, flush=True)
        time.sleep(0.01)
    print(sorted(seen), errors, flush=True)
    """
)


def test_a_reader_process_keeps_reading_during_loads(load: Callable[..., Any], db: Path, tmp_path: Path) -> None:
    script = tmp_path / "reader.py"
    script.write_text(READER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    reader = subprocess.Popen(
        [sys.executable, str(script), str(db), "12"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert reader.stdout is not None
    assert reader.stdout.readline().strip() == "ready"
    time.sleep(0.5)
    load("google_forms.csv", "practitioner", "2025-1")
    load("limesurvey_codes.xlsx", "practitioner", "2025-2")
    out, err = reader.communicate(timeout=60)
    seen, errors = out.strip().rsplit(" ", 1)
    assert int(errors) == 0, err
    # it read the warehouse before, between and after the two loads (0, 3, then 3 + 4 respondents)
    assert {0, 7} <= set(eval(seen))


def test_pseudonyms_link_waves_and_no_key_or_identifier_is_stored(
    load: Callable[..., Any], query: Query, db: Path, secret: Path
) -> None:
    load("limesurvey_codes.xlsx", "practitioner", "2025-1")
    load("limesurvey_codes.xlsx", "practitioner", "2025-2")
    linked = query(
        "SELECT count(*) FROM respondents a JOIN respondents b USING (respondent_id) "
        "WHERE a.wave_id = '2025-1' AND b.wave_id = '2025-2'"
    )
    assert linked[0][0] == 4
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    # no token, IP address or free-text comment anywhere in the warehouse file
    raw = db.read_bytes()
    for secret_text in (b"tok001", b"tok002", b"10.0.0.1", b"Dupont"):
        assert secret_text not in raw


def test_a_load_with_another_key_is_refused(load: Callable[..., Any], tmp_path: Path, db: Path) -> None:
    load("google_forms.csv", "practitioner", "2025-1")
    before = db.read_bytes()
    other = tmp_path / "other.key"
    other.write_text("ab" * 32 + "\n", "ascii")
    other.chmod(0o600)
    with pytest.raises(WarehouseError, match="pseudonymised with another key"):
        load("limesurvey_codes.xlsx", "practitioner", "2025-2", secret_path=other)
    assert db.read_bytes() == before


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_missing_key_file_is_refused_before_any_key_is_created(
    load: Callable[..., Any], tmp_path: Path, db: Path, dry_run: bool
) -> None:
    load("google_forms.csv", "practitioner", "2025-1")
    before = db.read_bytes()
    typo = tmp_path / "typo" / "pseudonym.key"
    with pytest.raises(WarehouseError) as err:
        load("limesurvey_codes.xlsx", "practitioner", "2025-2", secret_path=typo, dry_run=dry_run)
    assert str(err.value).startswith(f"The pseudonymisation key file {typo} does not exist, and this warehouse")
    assert "nothing was created" in str(err.value) and "Point --secret" in str(err.value)
    assert not typo.exists() and not typo.parent.exists()
    assert db.read_bytes() == before


def test_a_dry_run_checks_the_key_and_creates_none(load: Callable[..., Any], tmp_path: Path, db: Path) -> None:
    load("google_forms.csv", "practitioner", "2025-1")
    other = tmp_path / "other.key"
    other.write_text("cd" * 32 + "\n", "ascii")
    other.chmod(0o600)
    with pytest.raises(WarehouseError, match="pseudonymised with another key"):
        load("limesurvey_codes.xlsx", "practitioner", "2025-2", secret_path=other, dry_run=True)
    fresh = tmp_path / "new" / "w.duckdb"
    key = tmp_path / "new" / "k"
    from etl.load import load_file

    load_file(DATA / "institutions.csv", "institutions", db=fresh)
    result = load_file(DATA / "google_forms.csv", "practitioner", "2025-1", db=fresh, secret_path=key, dry_run=True)
    assert f"a new pseudonymisation key would be created at {key} (back it up)" in result.notes
    assert not key.exists()


def test_a_key_readable_by_others_is_refused(load: Callable[..., Any], secret: Path) -> None:
    load("google_forms.csv", "practitioner", "2025-1")
    secret.chmod(0o644)
    with pytest.raises(WarehouseError, match=r"chmod 600"):
        load("limesurvey_codes.xlsx", "practitioner", "2025-2")


def test_readers_see_a_new_load_at_once(load: Callable[..., Any], db: Path) -> None:
    from warehouse.db import ReadOnlyWarehouse

    wh = ReadOnlyWarehouse(db)
    version_before = wh.version
    assert wh.cursor().execute("SELECT count(*) FROM respondents").fetchone() == (0,)
    load("google_forms.csv", "practitioner", "2025-1")
    assert wh.version != version_before
    assert wh.cursor().execute("SELECT count(*) FROM respondents").fetchone() == (3,)
    conn = attach_read_only(db)
    # one published state for the institutions list, one for the wave
    assert conn.execute("SELECT value FROM meta WHERE key = 'warehouse_version'").fetchone() == ("2",)
