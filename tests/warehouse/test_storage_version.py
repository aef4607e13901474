"""The warehouse file opens in DuckDB 1.4 (the long-term-support line of R's duckdb package, the
DuckDB command line and DBeaver), after `maillage demo`, `maillage init` and every load.

DuckDB records the storage format at the start of the file: a main header (checksum, the magic
bytes DUCK, the storage version number; DuckDB 1.4 reads numbers 64 to 67 and refuses others with
"Trying to read a database file with version number 999, but we can only read versions between
64 and 67") and two database headers, the active one (highest iteration) holding the
serialization compatibility of what was written (6 in the newest format DuckDB 1.4 writes; the
reader test below checks that on a file made by DuckDB 1.4 itself).
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from etl.cli import cli

DATA = Path(__file__).resolve().parents[1] / "data"
LTS_VERSIONS = range(64, 68)
LTS_SERIALIZATION = 6
MAIN_HEADER = struct.Struct("<Q4sQ")  # checksum, magic, storage version number
# checksum, iteration, meta block, free list, block count, block size, vector size, serialization compatibility
DATABASE_HEADER = struct.Struct("<8Q")
HEADER_SIZE = 4096


def storage_numbers(path: Path) -> tuple[int, int]:
    """(storage version number, serialization compatibility of the active database header)."""
    with path.open("rb") as fh:
        head = fh.read(3 * HEADER_SIZE)
    _checksum, magic, version = MAIN_HEADER.unpack_from(head, 0)
    assert magic == b"DUCK", f"{path} is not a DuckDB file"
    headers = [DATABASE_HEADER.unpack_from(head, HEADER_SIZE * i) for i in (1, 2)]
    active = max(headers, key=lambda h: h[1])
    return version, active[7]


def assert_lts_readable(path: Path) -> None:
    version, serialization = storage_numbers(path)
    assert version in LTS_VERSIONS and serialization <= LTS_SERIALIZATION, (version, serialization)


def every_table(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table of the warehouse with its rows, sorted (to compare two files)."""
    conn = duckdb.connect(str(path), read_only=True)
    try:
        names = [r[0] for r in conn.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        conn.close()


def cli_ok(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_warehouse_is_written_in_a_version_duckdb_1_4_reads(demo_db: Path) -> None:
    assert_lts_readable(demo_db)


def test_init_and_every_load_keep_the_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAILLAGE_STORAGE_VERSION", raising=False)
    db, key = tmp_path / "w.duckdb", tmp_path / "k"
    cli_ok("init", "--db", str(db))
    assert_lts_readable(db)
    cli_ok("load", str(DATA / "institutions.csv"), "-i", "institutions", "--db", str(db), "--secret", str(key))
    assert_lts_readable(db)
    cli_ok("load", str(DATA / "framaforms.csv"), "-i", "practitioner", "-w", "2025-2", "--db", str(db),
           "--secret", str(key))  # fmt: skip
    assert_lts_readable(db)
    cli_ok("init", "--db", str(db))
    assert_lts_readable(db)


def _newer_format_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A warehouse with data, written in DuckDB's newest format (as before the setting existed)."""
    db, key = tmp_path / "old.duckdb", tmp_path / "k"
    monkeypatch.setenv("MAILLAGE_STORAGE_VERSION", "latest")
    cli_ok("load", str(DATA / "institutions.csv"), "-i", "institutions", "--db", str(db), "--secret", str(key))
    cli_ok("load", str(DATA / "framaforms.csv"), "-i", "practitioner", "-w", "2025-2", "--db", str(db),
           "--secret", str(key))  # fmt: skip
    monkeypatch.delenv("MAILLAGE_STORAGE_VERSION")
    return db


def test_a_file_in_a_newer_version_is_rewritten_in_the_setting_at_the_next_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _newer_format_warehouse(tmp_path, monkeypatch)
    version, _ = storage_numbers(db)
    assert version not in LTS_VERSIONS  # DuckDB 1.4 could not open it
    before = every_table(db)
    assert len(before["answers"]) > 0 and len(before["institutions"]) > 0
    cli_ok("init", "--db", str(db))
    assert_lts_readable(db)
    after = every_table(db)
    warehouse_version = [r for r in after.pop("meta") if r[0] == "warehouse_version"]
    assert int(warehouse_version[0][1]) == int(dict(before.pop("meta"))["warehouse_version"]) + 1
    assert after == {k: v for k, v in before.items() if k != "meta"}
    conn = duckdb.connect(str(db), read_only=True)
    n_scores = conn.execute("SELECT count(*) FROM scores_long").fetchall()[0][0]
    conn.close()
    assert n_scores == len(before["scale_scores"])


@pytest.mark.parametrize(
    ("value", "why"),
    [("banana", "is not a DuckDB release"), ("v9.9.9", f"is not a storage version DuckDB {duckdb.__version__} knows")],
)
def test_a_wrong_setting_is_one_clear_error_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, why: str
) -> None:
    db, key = tmp_path / "w.duckdb", tmp_path / "k"
    cli_ok("load", str(DATA / "institutions.csv"), "-i", "institutions", "--db", str(db), "--secret", str(key))
    before = db.read_bytes()
    monkeypatch.setenv("MAILLAGE_STORAGE_VERSION", value)
    expected = (
        f"Error: MAILLAGE_STORAGE_VERSION={value!r} {why}. Use a DuckDB release such as v1.4.0 (the default: "
        "DuckDB 1.4 and later open the file) or latest, or unset it.\n"
    )
    for args in (["init"], ["load", str(DATA / "targets.csv"), "-i", "targets", "--secret", str(key)]):
        result = CliRunner().invoke(cli, [*args, "--db", str(db)])
        assert (result.exit_code, result.output) == (4, expected)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["w.duckdb", "w.duckdb.lock"]


READER = """
import json, sys, duckdb
conn = duckdb.connect(sys.argv[1], read_only=True)
rels = [r[0] for r in conn.execute(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
counts = {r: conn.execute(f'SELECT count(*) FROM "{r}"').fetchall()[0][0] for r in rels}
means = conn.execute(
    "SELECT wave_id, sector_id, count(score), round(avg(score), 6) FROM scores_long "
    "WHERE scale_id = 'who5' AND score IS NOT NULL GROUP BY ALL ORDER BY ALL").fetchall()
print(json.dumps({"counts": counts, "means": [list(m) for m in means]}))
"""

NEWEST_OWN_FILE = """
import sys, duckdb
conn = duckdb.connect()
conn.execute(f"ATTACH '{sys.argv[1]}' AS own (STORAGE_VERSION 'latest')")
conn.execute("CREATE TABLE own.t AS SELECT 1 AS x")
conn.execute("DETACH own")
"""


def _read_with(python: Path, db: Path) -> dict[str, Any]:
    out = subprocess.run([str(python), "-c", READER, str(db)], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    return dict(json.loads(out.stdout))


def test_duckdb_1_4_opens_the_demo_warehouse_and_reads_the_same_rows(
    demo_db: Path, duckdb_lts_python: tuple[Path, str], tmp_path: Path
) -> None:
    python, version = duckdb_lts_python
    assert version.startswith("1.4.")
    seen_by_lts = _read_with(python, demo_db)
    seen_here = subprocess.run([sys.executable, "-c", READER, str(demo_db)], capture_output=True, text=True, check=True)
    assert seen_by_lts == json.loads(seen_here.stdout)
    assert seen_by_lts["counts"]["answers"] > 10_000 and len(seen_by_lts["counts"]) >= 25
    # the numbers of the newest format DuckDB 1.4 itself writes bound the ones checked without it
    own = tmp_path / "made_by_1_4.duckdb"
    subprocess.run([str(python), "-c", NEWEST_OWN_FILE, str(own)], check=True)
    own_version, own_serialization = storage_numbers(own)
    assert own_version in LTS_VERSIONS and own_serialization == LTS_SERIALIZATION
    demo_version, demo_serialization = storage_numbers(demo_db)
    assert demo_version <= own_version and demo_serialization <= own_serialization


def test_duckdb_1_4_opens_a_warehouse_rewritten_from_the_newer_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, duckdb_lts_python: tuple[Path, str]
) -> None:
    db = _newer_format_warehouse(tmp_path, monkeypatch)
    python, _ = duckdb_lts_python
    refused = subprocess.run([str(python), "-c", READER, str(db)], capture_output=True, text=True, check=False)
    assert refused.returncode != 0 and "version number" in refused.stderr
    cli_ok("init", "--db", str(db))
    counts = _read_with(python, db)["counts"]
    assert counts["respondents"] == len(every_table(db)["respondents"]) > 0
