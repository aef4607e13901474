"""What the "Charger une vague" page does, without Streamlit: list the instruments, keep an
uploaded file under its own name, validate it (dry run), load it, build its report.

Every ETL error the user can act on (etl.errors.MaillageError) comes back as an `Outcome` with
its message in English and in French, never as an exception, so the page shows a clear message in
the reader's language and no traceback. Each problem has `message` (English) and `message_fr`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from etl.codebook import available_instruments, codebook_paths
from etl.errors import CodebookError, FileRefused, MaillageError, WarehouseError
from etl.load import SURVEY_KINDS, LoadResult, load_file, unavailable_fr
from etl.read import CSV_SUFFIXES, SHEET_SUFFIXES
from etl.report import default_report_path, french_messages, write_report
from etl.validate import PROBLEM_COLUMNS, WAVE_ID
from warehouse.db import WarehouseUnavailable, attach_read_only, publish, set_meta, writer_lock

# The order a new warehouse is filled in: the institutions list first (surveys name institutions),
# then the target populations, then survey waves and the activity log.
LOAD_ORDER = ("institutions", "targets", "practitioner", "partner", "activities")
UPLOAD_TYPES = [s.lstrip(".") for s in (*CSV_SUFFIXES, *SHEET_SUFFIXES)]


@dataclass(frozen=True)
class InstrumentChoice:
    """One instrument that can be loaded (from its codebooks in surveys/)."""

    name: str
    kind: str
    title_fr: str
    title_en: str
    versions: tuple[str, ...]

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_fr

    @property
    def needs_wave(self) -> bool:
        """Survey waves need a wave id; lists and the activity log do not."""
        return self.kind in SURVEY_KINDS


def _codebooks_signature() -> tuple[tuple[str, int], ...]:
    out = []
    for p in codebook_paths():
        with contextlib.suppress(OSError):
            out.append((str(p), p.stat().st_mtime_ns))
    return tuple(out)


@functools.lru_cache(maxsize=4)
def _choices(signature: tuple[tuple[str, int], ...]) -> tuple[InstrumentChoice, ...]:
    found = []
    for name, books in available_instruments().items():
        newest = books[-1]
        found.append(
            InstrumentChoice(name, newest.kind, newest.title_fr, newest.title_en, tuple(b.version for b in books))
        )

    def rank(c: InstrumentChoice) -> tuple[int, str]:
        return (LOAD_ORDER.index(c.name) if c.name in LOAD_ORDER else len(LOAD_ORDER), c.name)

    return tuple(sorted(found, key=rank))


def instrument_choices() -> list[InstrumentChoice]:
    """Every instrument with a codebook, in the order a new warehouse is filled in.

    Raises CodebookError when a codebook is malformed (the page shows its message)."""
    return list(_choices(_codebooks_signature()))


def instrument_titles(lang: str) -> dict[str, str]:
    """Instrument name → codebook title (empty when a codebook cannot be read)."""
    try:
        return {c.name: c.title(lang) for c in instrument_choices()}
    except MaillageError:
        return {}


# --------------------------------------------------------------------------- the warehouse


@dataclass(frozen=True)
class WarehouseFacts:
    """What the load page needs to know about the target warehouse."""

    exists: bool
    institutions: int = 0
    waves: tuple[str, ...] = ()
    is_demo: bool = False
    loaded: tuple[tuple[str, str | None], ...] = ()  # (instrument, wave) of the loads in force


def warehouse_facts(db: Path) -> WarehouseFacts:
    try:
        conn = attach_read_only(db)
    except WarehouseUnavailable:
        return WarehouseFacts(exists=False)
    try:
        n_inst = conn.execute("SELECT count(*) FROM institutions").fetchall()[0][0]
        waves = tuple(r[0] for r in conn.execute("SELECT wave_id FROM waves ORDER BY wave_order").fetchall())
        demo = conn.execute("SELECT value FROM meta WHERE key = 'is_demo'").fetchall()
        loaded = tuple(
            (str(r[0]), None if r[1] is None else str(r[1]))
            for r in conn.execute("SELECT instrument, wave_id FROM loads WHERE status = 'current'").fetchall()
        )
    finally:
        conn.close()
    return WarehouseFacts(True, int(n_inst), waves, bool(demo and demo[0][0] == "true"), loaded)


# --------------------------------------------------------------------------- which warehouse

# The dashboard shows the warehouse named in this file (in the folder of the configured warehouse,
# `data/` by default), else the configured one: "Créer l'entrepôt de mon partenariat" writes it, the
# sidebar's "Entrepôt" choice rewrites it. The command line is not affected (`--db` names a warehouse).
ACTIVE_FILE = "active-warehouse.txt"
PARTNERSHIP_KEY = "partnership_name"  # meta key: the name given when the warehouse was created
MAX_NAME = 80


@dataclass(frozen=True)
class WarehouseEntry:
    """A warehouse of the folder the dashboard can show."""

    path: Path
    is_demo: bool
    name: str  # the partnership's name ("" for the demo or a warehouse made otherwise)

    def label(self, lang: str) -> str:
        if self.is_demo:
            return "Démonstration (Valmont)" if lang == "fr" else "Demonstration (Valmont)"
        return self.name or self.path.stem


def active_warehouse(configured: Path) -> Path:
    """The warehouse the dashboard shows: the one chosen in `configured`'s folder, else `configured`."""
    pointer = configured.parent / ACTIVE_FILE
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except OSError:
        return configured
    if not name or "/" in name or "\\" in name or name.startswith(".") or not name.endswith(".duckdb"):
        return configured
    chosen = configured.parent / name
    return chosen if chosen.exists() else configured


def choose_warehouse(configured: Path, name: str) -> Path:
    """Make the dashboard show warehouse `name` of `configured`'s folder (for every browser)."""
    pointer = configured.parent / ACTIVE_FILE
    if name == configured.name:
        pointer.unlink(missing_ok=True)
        return configured
    target = configured.parent / Path(name).name
    if not target.exists():
        raise FileNotFoundError(target)
    temporary = pointer.with_suffix(".tmp")
    temporary.write_text(target.name + "\n", encoding="utf-8")
    temporary.replace(pointer)
    return target


def _meta(path: Path) -> dict[str, str]:
    try:
        conn = attach_read_only(path)
    except WarehouseUnavailable:
        return {}
    try:
        return {str(k): str(v) for k, v in conn.execute("SELECT key, value FROM meta").fetchall()}
    except Exception:  # not a Maillage warehouse
        return {}
    finally:
        conn.close()


@functools.lru_cache(maxsize=8)
def _entries(signature: tuple[tuple[str, int], ...]) -> tuple[WarehouseEntry, ...]:
    out = []
    for name, _ in signature:
        meta = _meta(Path(name))
        if meta:
            out.append(WarehouseEntry(Path(name), meta.get("is_demo") == "true", meta.get(PARTNERSHIP_KEY, "")))
    return tuple(out)


def warehouses(configured: Path) -> list[WarehouseEntry]:
    """The configured warehouse and those created beside it from the load page (the demo first)."""
    folder = configured.parent
    candidates = [configured] if configured.exists() else []
    with contextlib.suppress(OSError):
        candidates += sorted(p for p in folder.glob("*.duckdb") if p != configured)
    signature = []
    for p in candidates:
        with contextlib.suppress(OSError):
            signature.append((str(p), p.stat().st_mtime_ns))
    found = list(_entries(tuple(signature)))
    return [w for w in found if w.path == configured or w.name]


def warehouse_file_name(name: str) -> str:
    """A file name for a partnership's warehouse: its name in plain letters (« Cité éducative de
    Rivière » → cite-educative-de-riviere.duckdb)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    stem = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60] or "partenariat"
    return f"{stem}.duckdb"


class NameProblem(ValueError):
    """The partnership's name cannot be used (empty, too long)."""


def create_partnership_warehouse(configured: Path, name: str) -> Path:
    """An empty warehouse for the partnership `name`, beside `configured` (the demo is kept), shown
    from now on by the dashboard. A name already used gets a number (…-2.duckdb)."""
    clean = " ".join(name.split())
    if not clean:
        raise NameProblem("empty")
    if len(clean) > MAX_NAME:
        raise NameProblem("long")
    folder = configured.parent
    folder.mkdir(parents=True, exist_ok=True)
    base = warehouse_file_name(clean)
    path = folder / base
    number = 2
    while path.exists() or path == configured:
        path = folder / base.replace(".duckdb", f"-{number}.duckdb")
        number += 1
    with writer_lock(path):
        publish(path, lambda conn: set_meta(conn, PARTNERSHIP_KEY, clean))
    choose_warehouse(configured, path.name)
    return path


def wave_id_problem(wave: str | None) -> bool:
    """True when `wave` is given but is not a usable wave id (letters, digits, - _ ., ≤ 32)."""
    return bool(wave) and not WAVE_ID.match(str(wave))


# --------------------------------------------------------------------------- the uploaded file


def safe_file_name(name: str) -> str:
    """The uploaded file's own name, without any folder part or characters a file system refuses."""
    base = re.split(r"[\\/]", name or "")[-1].strip()
    base = re.sub(r"[\x00-\x1f<>:\"|?*]", "_", base).lstrip(".")
    return base or "export.csv"


@contextlib.contextmanager
def saved_upload(name: str, content: bytes) -> Iterator[Path]:
    """The upload written to a private temporary folder under its original name (the warehouse
    records the file name), removed afterwards: a survey export is personal data."""
    folder = Path(tempfile.mkdtemp(prefix="maillage-upload-"))
    try:
        path = folder / safe_file_name(name)
        path.write_bytes(content)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def content_digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def sheet_names(name: str, content: bytes) -> list[str]:
    """The sheets of a spreadsheet upload ([] for CSV or an unreadable file)."""
    if Path(safe_file_name(name)).suffix.lower() not in SHEET_SUFFIXES:
        return []
    try:
        from python_calamine import CalamineWorkbook

        with saved_upload(name, content) as path:
            book = CalamineWorkbook.from_path(str(path))
            return [str(s) for s in book.sheet_names]
    except Exception:  # an unreadable workbook is reported by the dry run itself
        return []


# --------------------------------------------------------------------------- validate and load


@dataclass
class Outcome:
    """What happened to one file: validated (dry run), loaded, unchanged, refused or error."""

    status: str  # dry-run | loaded | unchanged | refused | error
    file_name: str
    instrument: str
    wave: str | None
    result: LoadResult | None = None
    message: str = ""  # English (as the command line says it)
    error_kind: str = ""  # refused | warehouse | codebook | other
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))
    report_path: Path | None = None
    message_fr: str = ""  # French ("" when the same as `message`)

    def text(self, lang: str) -> str:
        """The message in the reader's language."""
        return (self.message_fr or self.message) if lang == "fr" else self.message

    @property
    def can_load(self) -> bool:
        """A dry run that found no file-level problem (rows may still be quarantined)."""
        return self.status == "dry-run" and self.result is not None

    @property
    def already_loaded(self) -> bool:
        r = self.result
        return r is not None and any("already loaded" in n for n in r.notes)

    @property
    def refusals(self) -> pd.DataFrame:
        """Problems that refuse the whole file."""
        p = self.problems
        return p[p["scope"] == "file"] if len(p) else p


def problems_frame(items: Any) -> pd.DataFrame:
    """A problems frame (source_row, column_name, value, problem, scope, message, message_fr)
    from a DataFrame or from FileRefused.problems (Problem dataclasses or dicts); a problem
    without a French message gets the English one."""
    if isinstance(items, pd.DataFrame):
        df = items.copy()
    elif items:
        df = pd.DataFrame(items)
    else:
        df = pd.DataFrame(columns=PROBLEM_COLUMNS)
    df = df.reindex(columns=PROBLEM_COLUMNS)
    if len(df):
        df["message_fr"] = french_messages(df)
    return df


def _failure(exc: MaillageError, file_name: str, instrument: str, wave: str | None) -> Outcome:
    if isinstance(exc, FileRefused):
        kind = "refused"
    elif isinstance(exc, WarehouseError):
        kind = "warehouse"
    elif isinstance(exc, CodebookError):
        kind = "codebook"
    else:
        kind = "other"
    problems = problems_frame(getattr(exc, "problems", None))
    return Outcome(
        "refused" if kind == "refused" else "error",
        file_name,
        instrument,
        wave,
        None,
        str(exc),
        kind,
        problems,
        message_fr=exc.message_fr,
    )


def _run(
    name: str,
    content: bytes,
    instrument: str,
    wave: str | None,
    db: Path,
    sheet: str | None,
    dry_run: bool,
    secret_path: Path | None,
) -> Outcome:
    file_name = safe_file_name(name)
    wave = (wave or "").strip() or None
    try:
        with saved_upload(name, content) as path:
            result = load_file(path, instrument, wave, db=db, dry_run=dry_run, secret_path=secret_path, sheet=sheet)
    except MaillageError as exc:
        return _failure(exc, file_name, instrument, wave)
    except WarehouseUnavailable as exc:
        return Outcome(
            "error", file_name, instrument, wave, None, str(exc), "warehouse", message_fr=unavailable_fr(exc)
        )
    return Outcome(result.status, file_name, instrument, wave, result, "", "", problems_frame(result.problems))


def validate_upload(
    name: str,
    content: bytes,
    instrument: str,
    wave: str | None,
    db: Path,
    sheet: str | None = None,
    secret_path: Path | None = None,
) -> Outcome:
    """Dry run: every check of a real load, nothing written (works without a warehouse)."""
    return _run(name, content, instrument, wave, db, sheet, True, secret_path)


def load_upload(
    name: str,
    content: bytes,
    instrument: str,
    wave: str | None,
    db: Path,
    sheet: str | None = None,
    secret_path: Path | None = None,
    lang: str = "en",
) -> Outcome:
    """The real load (creates the warehouse if needed); the report is written beside the
    warehouse like `maillage load` does (reports/<file>.<wave>.report.csv), its `action` column
    in `lang` (the messages are in both languages)."""
    outcome = _run(name, content, instrument, wave, db, sheet, False, secret_path)
    if outcome.status in ("loaded", "unchanged", "refused") and (outcome.status != "refused" or len(outcome.problems)):
        path = default_report_path(db, Path(outcome.file_name), outcome.wave)
        with contextlib.suppress(OSError):
            outcome.report_path = write_report(path, outcome.file_name, outcome.problems, lang)
    return outcome


def report_csv(file_name: str, problems: pd.DataFrame, lang: str = "en") -> bytes:
    """The validation report (etl.report.write_report: `;`-separated UTF-8 with BOM, messages in
    English and French, `action` in `lang`) as bytes."""
    with tempfile.TemporaryDirectory(prefix="maillage-report-") as folder:
        path = write_report(Path(folder) / "report.csv", file_name, problems_frame(problems), lang)
        return path.read_bytes()


def report_file_name(file_name: str, wave: str | None) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(file_name).stem)
    return f"{stem}{'.' + wave if wave else ''}.report.csv"
