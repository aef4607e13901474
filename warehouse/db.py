"""The warehouse file: where it is, how it is created, read and replaced.

DuckDB allows one read-write process or many read-only ones per file. The dashboard must keep
serving while a wave loads, so a load never writes to the live file: it builds the new state in a
copy and atomically replaces the live file (`publish`). Readers open the file read-only through
`ATTACH ... (READ_ONLY)` on a fresh in-memory connection (a cached `duckdb.connect(path)` can
serve stale data after a replace) and reconnect when the file changes (`ReadOnlyWarehouse`).

The file is written in the DuckDB storage version of the setting `storage_version` (default
v1.4.0, which DuckDB 1.4 and every later release read), not in the newest format of the DuckDB
that writes it, so that researchers' tools of the long-term-support line open it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import shutil
import sys
import tempfile
import threading
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from warehouse.settings import SETTINGS, setting

SCHEMA_VERSION = "3"  # 2: the views by meaning (instrument_kinds, survey_*), scales.sort_order; 3: events
SCHEMA_SQL = Path(__file__).with_name("schema.sql")
VIEWS_SQL = Path(__file__).with_name("views.sql")
SECTORS_TOML = Path(__file__).resolve().parent.parent / "surveys" / "sectors.toml"
DEFAULT_DB = Path("data") / "maillage.duckdb"
ALIAS = "wh"


class WarehouseUnavailable(Exception):
    """The warehouse file is missing, unreadable or locked."""


class OutdatedWarehouse(WarehouseUnavailable):
    """The warehouse was written with another schema version (`maillage init` brings it up to date)."""


def resolve_db_path(db: str | os.PathLike[str] | None = None) -> Path:
    """`--db PATH`, else `$MAILLAGE_DB`, else `data/maillage.duckdb`."""
    if db:
        return Path(db)
    env = os.environ.get("MAILLAGE_DB")
    return Path(env) if env else DEFAULT_DB


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def attach_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory connection with the warehouse attached read-only and in use."""
    if not path.exists():
        raise WarehouseUnavailable(f"{path} does not exist")
    conn = duckdb.connect()
    try:
        # ATTACH takes no prepared parameters: the path is quoted as a SQL literal.
        conn.execute(f"ATTACH {_sql_literal(str(path))} AS {ALIAS} (READ_ONLY)")
        conn.execute(f"USE {ALIAS}")
    except duckdb.Error as exc:
        conn.close()
        raise WarehouseUnavailable(f"{path}: {exc}") from exc
    return conn


def storage_version() -> str:
    """The DuckDB storage version published files are written in (setting `storage_version`)."""
    value = str(setting("storage_version")).strip()
    if not re.fullmatch(r"v\d+\.\d+\.\d+|latest", value):
        raise _bad_storage_version(value, "is not a DuckDB release")
    return value


def _bad_storage_version(value: str, why: str) -> WarehouseUnavailable:
    env = next(s.env_var for s in SETTINGS if s.name == "storage_version")
    return WarehouseUnavailable(
        f"{env}={value!r} {why}. Use a DuckDB release such as v1.4.0 (the default: DuckDB 1.4 and "
        "later open the file) or latest, or unset it."
    )


def _release(version: str) -> tuple[int, ...]:
    """'v1.4.0' or the tag 'v1.4.0+' → (1, 4, 0); 'latest' sorts after every release."""
    found = re.fullmatch(r"v(\d+)\.(\d+)\.(\d+)\+?", version)
    return tuple(int(x) for x in found.groups()) if found else (10**9,)


def _file_storage_tag(conn: duckdb.DuckDBPyConnection, path: Path) -> str | None:
    """The storage version DuckDB reports for the file (e.g. 'v1.4.0+'), None if it reports none."""
    conn.execute(f"ATTACH {_sql_literal(str(path))} AS previous (READ_ONLY)")
    try:
        row = fetch_one(conn, "SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = 'previous'")
    finally:
        conn.execute("DETACH previous")
    return None if row is None or row[0] is None else str(row[0])


FICLONE = 0x40049409  # Linux ioctl: make a file share another's blocks, copy-on-write


def copy_file(src: Path, dst: Path) -> None:
    """`dst` becomes a copy of `src`: a copy-on-write clone where the filesystem makes one (Btrfs,
    XFS, bcachefs: instant, whatever the size; a block is copied only when the load writes it),
    else a byte copy (ext4: about 1 s per GB from the page cache)."""
    if sys.platform.startswith("linux"):
        with src.open("rb") as source, dst.open("wb") as target:
            try:
                fcntl.ioctl(target.fileno(), FICLONE, source.fileno())
                return
            except OSError:
                pass  # not supported here (or across filesystems): copy the bytes
    shutil.copyfile(src, dst)


def attach_next_state(conn: duckdb.DuckDBPyConnection, live: Path | None, tmp: Path) -> None:
    """Attach `tmp` as `wh`: a copy of the `live` file (None: an empty file), in the storage
    version of the setting.

    DuckDB raises a file's storage version in place when it is attached with a higher one, but
    never lowers it: a live file in a newer version than the setting (e.g. written with DuckDB 2's
    default before the setting existed) is rewritten table by table (COPY FROM DATABASE) instead
    of being copied byte for byte; every later publish then copies it as it is.
    """
    version = storage_version()
    tag = _file_storage_tag(conn, live) if live is not None else None
    rewrite = tag is not None and _release(tag) > _release(version)
    if live is not None and not rewrite:
        copy_file(live, tmp)
    try:
        conn.execute(f"ATTACH {_sql_literal(str(tmp))} AS {ALIAS} (STORAGE_VERSION {_sql_literal(version)})")
    except duckdb.InvalidInputException:
        raise _bad_storage_version(version, f"is not a storage version DuckDB {duckdb.__version__} knows") from None
    if rewrite and live is not None:
        conn.execute(f"ATTACH {_sql_literal(str(live))} AS previous (READ_ONLY)")
        conn.execute(f"COPY FROM DATABASE previous TO {ALIAS}")
        conn.execute("DETACH previous")


def schema_statements() -> list[str]:
    text = SCHEMA_SQL.read_text(encoding="utf-8") + "\n" + VIEWS_SQL.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def apply_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create every table and view (idempotent) and refresh the sectors reference."""
    for statement in schema_statements():
        conn.execute(statement)
    sectors = tomllib.loads(SECTORS_TOML.read_text(encoding="utf-8"))["sectors"]
    conn.execute("DELETE FROM sectors")
    conn.executemany(
        "INSERT INTO sectors VALUES (?, ?, ?, ?)",
        [(s["id"], s["fr"], s["en"], i + 1) for i, s in enumerate(sectors)],
    )
    now = dt.datetime.now().isoformat(timespec="seconds")
    for key, value in (("created_at", now), ("warehouse_version", "0")):
        conn.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT DO NOTHING", [key, value])
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])


def require_current_schema(conn: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a warehouse written by an earlier Maillage (its views and columns are older than the
    indicators' queries), saying how to bring it up to date."""
    try:
        row = fetch_one(conn, f"SELECT value FROM {ALIAS}.meta WHERE key = 'schema_version'")
    except duckdb.Error:
        row = None
    found = str(row[0]) if row else "none"
    if found != SCHEMA_VERSION:
        raise OutdatedWarehouse(
            f"{path} was written by another version of Maillage (schema {found}; this one reads schema "
            f"{SCHEMA_VERSION}). Bring it up to date with `maillage init --db {path}` (its data are kept)."
        )


def sector_aliases() -> dict[str, list[str]]:
    """Sector id → every spelling of it (id, labels, aliases) from surveys/sectors.toml."""
    sectors = tomllib.loads(SECTORS_TOML.read_text(encoding="utf-8"))["sectors"]
    return {s["id"]: [s["id"], s["fr"], s["en"], *s.get("aliases", [])] for s in sectors}


@contextlib.contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """Serialise writers of one warehouse (loads, demo builds) across processes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with lock_path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WarehouseUnavailable(
                f"another load is writing to {path} right now; wait for it to finish and retry"
            ) from None
        try:
            remove_stale_builds(path)
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def remove_stale_builds(path: Path) -> list[Path]:
    """Remove the copies (`.NAME.*.building` and their `.wal`) that killed loads left beside `path`.

    Called with `writer_lock(path)` held: every writer of this warehouse (load, init, demo) holds
    that lock while it builds, so no cooperating writer is using a copy now. Each copy is also
    opened read-only first: a process that still has it open for writing holds DuckDB's own lock
    on it, the open fails, and the copy is left alone. Returns the files removed."""
    removed: list[Path] = []
    for building in sorted(path.parent.glob(f".{path.name}.*.building")):
        try:
            probe = duckdb.connect(str(building), read_only=True)
        except duckdb.Error as exc:
            if "lock" in str(exc).lower():
                continue  # in use by another process
        else:
            probe.close()
        for leftover in (building, building.with_name(building.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
                removed.append(leftover)
    for wal in sorted(path.parent.glob(f".{path.name}.*.building.wal")):
        if not wal.with_name(wal.name[: -len(".wal")]).exists():
            with contextlib.suppress(FileNotFoundError):
                wal.unlink()
                removed.append(wal)
    return removed


def publish(path: Path, build: Callable[[duckdb.DuckDBPyConnection], None], fresh: bool = False) -> None:
    """Build the next state of the warehouse in a copy, then atomically replace `path` with it.

    `build` receives an in-memory connection where the copy is attached as `wh` (and in use). If
    it raises, the copy is discarded and `path` is exactly as before. The caller holds
    `writer_lock(path)`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".building", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        conn = duckdb.connect()
        try:
            attach_next_state(conn, path if path.exists() and not fresh else None, tmp)
            conn.execute(f"USE {ALIAS}")
            apply_schema(conn)
            build(conn)
            conn.execute(
                "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key = 'warehouse_version'"
            )
            conn.execute(f"CHECKPOINT {ALIAS}")
            conn.execute("USE memory")
            conn.execute(f"DETACH {ALIAS}")
        finally:
            conn.close()
        wal = tmp.with_name(tmp.name + ".wal")
        if wal.exists():  # never expected after CHECKPOINT; refuse to publish half a state
            raise RuntimeError(f"{wal} left behind after checkpoint")
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass(frozen=True)
class FileIdentity:
    inode: int
    mtime_ns: int
    size: int


def file_identity(path: Path) -> FileIdentity | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return FileIdentity(st.st_ino, st.st_mtime_ns, st.st_size)


class ReadOnlyWarehouse:
    """A shared read-only handle that reconnects when the file is replaced by a load.

    `cursor()` returns a new cursor for the calling thread (DuckDB connections are not
    thread-safe; cursors of one connection are). `version` identifies the published state, for
    cache keys.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: duckdb.DuckDBPyConnection | None = None
        self._identity: FileIdentity | None = None
        self._version = ""

    def _refresh(self) -> duckdb.DuckDBPyConnection:
        identity = file_identity(self.path)
        if identity is None:
            raise WarehouseUnavailable(f"{self.path} does not exist")
        if self._conn is None or identity != self._identity:
            old = self._conn
            conn = attach_read_only(self.path)
            try:
                require_current_schema(conn, self.path)
            except WarehouseUnavailable:
                conn.close()
                raise
            self._conn = conn
            self._identity = identity
            row = fetch_one(self._conn.cursor(), f"SELECT value FROM {ALIAS}.meta WHERE key = 'warehouse_version'")
            self._version = f"{identity.inode}-{identity.mtime_ns}-{row[0] if row else 0}"
            if old is not None:
                with contextlib.suppress(duckdb.Error):
                    old.close()
        return self._conn

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            conn = self._refresh()
            cur = conn.cursor()
        cur.execute(f"USE {ALIAS}")
        return cur

    @property
    def version(self) -> str:
        """Changes whenever a new state is published (file identity + warehouse_version). A
        publish replaces the file, so the version is read once per (re)connection: this is
        called by every cached dashboard query and costs only a stat."""
        with self._lock:
            self._refresh()
            return self._version

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
            self._conn = None
            self._identity = None


def fetch_one(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> tuple[Any, ...] | None:
    """The first row of a query, reading the whole result.

    DuckDB 2 streams results: a result left half-read (`fetchone()`) keeps the connection busy,
    and the next `register()` or relation call on it fails. Small queries read everything.
    """
    rows = conn.execute(sql, params or []).fetchall()
    return tuple(rows[0]) if rows else None


def meta_value(conn: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = fetch_one(conn, "SELECT value FROM meta WHERE key = ?", [key])
    return None if row is None else str(row[0])


def set_meta(conn: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
