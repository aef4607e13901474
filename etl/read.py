"""Read stage: a survey export (CSV or spreadsheet) becomes a DuckDB table of text cells.

After `read_export`, the connection holds a table `raw_all` with one VARCHAR column per file
column (`c0`, `c1`, ...) and `__row`, the row number a user sees when opening the file in a
spreadsheet (header rows included). Nothing is interpreted yet: headers are decided by the map
stage, which knows the codebook.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from etl.errors import FileRefused

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
HEAD_ROWS = 3  # enough for Framaforms' three header rows


@dataclass
class RawExport:
    path: Path
    sha256: str
    file_format: str
    n_columns: int
    n_rows: int  # rows in the file, header rows included
    head: list[list[str]]  # the first HEAD_ROWS rows, as text ('' for empty)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return self.path.name


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _drop_raw_all(conn: duckdb.DuckDBPyConnection) -> None:
    """`raw_all` is a view (CSV) or a table (spreadsheets): drop whichever a previous file left."""
    kinds = conn.execute(
        "SELECT 'VIEW' FROM duckdb_views() WHERE view_name = 'raw_all' AND temporary "
        "UNION ALL SELECT 'TABLE' FROM duckdb_tables() WHERE table_name = 'raw_all' AND temporary"
    ).fetchall()
    for (kind,) in kinds:
        conn.execute(f"DROP {kind} IF EXISTS raw_all")


def read_export(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    sheet: str | None = None,
    encoding: str | None = None,
    workdir: Path | None = None,
) -> RawExport:
    """Read `path` into table `raw_all` of `conn` (see module docstring)."""
    if not path.exists():
        raise FileRefused(
            f"{path}: no such file. Check the path and retry.",
            message_fr=f"{path} : fichier introuvable. Vérifiez le chemin et réessayez.",
        )
    if path.is_dir():
        raise FileRefused(
            f"{path} is a folder; give the export file itself.",
            message_fr=f"{path} est un dossier ; indiquez le fichier d'export lui-même.",
        )
    suffix = path.suffix.lower()
    _drop_raw_all(conn)
    if suffix in CSV_SUFFIXES:
        return _read_csv(conn, path, encoding, workdir)
    if suffix in SHEET_SUFFIXES:
        return _read_sheet(conn, path, sheet)
    raise FileRefused(
        f"{path.name}: Maillage reads CSV ({', '.join(CSV_SUFFIXES)}) and spreadsheets "
        f"({', '.join(SHEET_SUFFIXES)}), not `{suffix or 'files without extension'}`. "
        "Export the survey as CSV or XLSX and retry.",
        message_fr=f"{path.name} : Maillage lit les fichiers CSV ({', '.join(CSV_SUFFIXES)}) et les "
        f"classeurs ({', '.join(SHEET_SUFFIXES)}), pas `{suffix or 'les fichiers sans extension'}`. "
        "Exportez le questionnaire en CSV ou en XLSX et réessayez.",
    )


# --- CSV ---------------------------------------------------------------------------------------


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    """Return (text, encoding name). UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise FileRefused(
                f"{name}: cannot be read as {encoding} ({exc}). Try without --encoding, "
                "or with --encoding=utf-8 or --encoding=cp1252.",
                message_fr=f"{name} : illisible avec l'encodage {encoding} ({exc}). Réessayez sans "
                "préciser d'encodage (la page « Charger une vague » le détecte elle-même ; en ligne de "
                "commande, sans --encoding), ou avec --encoding=utf-8 ou --encoding=cp1252.",
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise FileRefused(
            f"{name}: the file is neither UTF-8 nor Windows-1252 (byte {exc.object[exc.start]:#x} "
            f"at position {exc.start}). Open it in a spreadsheet and save it as "
            "'CSV UTF-8', or pass --encoding=latin-1 if you know its encoding.",
            message_fr=f"{name} : le fichier n'est ni en UTF-8 ni en Windows-1252 (octet "
            f"{exc.object[exc.start]:#x} à la position {exc.start}). Ouvrez-le dans un tableur, "
            "enregistrez-le au format « CSV UTF-8 » et déposez-le à nouveau ; en ligne de commande, "
            "vous pouvez aussi passer --encoding=latin-1 si vous connaissez son encodage.",
        ) from None


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: 0 for d in (";", ",", "\t", "|")}
    in_quotes = False
    for ch in first_line:
        if ch == '"':
            in_quotes = not in_quotes
        elif not in_quotes and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ";"


_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n(?!\Z)|\A\r?\n")


def _read_csv(conn: duckdb.DuckDBPyConnection, path: Path, encoding: str | None, workdir: Path | None) -> RawExport:
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    text, enc = _decode(data, path.name, encoding)
    del data
    if not text.strip():
        raise FileRefused(
            f"{path.name}: the file is empty. Export the survey again.",
            message_fr=f"{path.name} : le fichier est vide. Exportez à nouveau le questionnaire.",
        )
    first_line = text.split("\n", 1)[0]
    delim = _sniff_delimiter(first_line)
    notes = [f"encoding {enc}, delimiter {'tab' if delim == chr(9) else repr(delim)}"]
    if _BLANK_LINE.search(text):
        # DuckDB skips blank lines, which would shift row numbers in error messages: read with
        # Python's csv module instead (slower, exact).
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
        n_cols = _load_rows(conn, rows)
        return RawExport(path, sha, "csv", n_cols, len(rows), _head(rows), enc, delim, notes=notes)
    source = path
    tmp: tempfile.TemporaryDirectory[str] | None = None
    if enc != "utf-8":
        tmp = tempfile.TemporaryDirectory(dir=workdir)
        source = Path(tmp.name) / "transcoded.csv"
        source.write_text(text, encoding="utf-8", newline="")
    del text
    try:
        conn.execute(
            "CREATE OR REPLACE TEMP TABLE raw_csv AS SELECT * FROM read_csv(?, delim = ?, "
            "quote = '\"', escape = '\"', header = false, all_varchar = true, "
            "null_padding = true, strict_mode = false, auto_detect = true)",
            [str(source), delim],
        )
    except duckdb.Error as exc:
        raise FileRefused(
            f"{path.name}: the CSV cannot be parsed ({_first_line(exc)}). Open it in a "
            "spreadsheet, check the row named above, save as CSV and retry.",
            message_fr=f"{path.name} : le CSV ne peut pas être lu ({_first_line(exc)}). Ouvrez-le "
            "dans un tableur, vérifiez la ligne indiquée, enregistrez-le en CSV et réessayez.",
        ) from None
    finally:
        if tmp is not None:
            tmp.cleanup()
    first = conn.execute("SELECT min(rowid) FROM raw_csv").fetchall()[0]
    if first and first[0] not in (0, None):
        # rowids of uncommitted rows are transaction-local: row numbers would be wrong.
        raise RuntimeError("read_export must run outside a transaction")
    names = [r[0] for r in conn.execute("SELECT column_name FROM (DESCRIBE raw_csv)").fetchall()]
    cols = ", ".join(f'"{n}" AS c{i}' for i, n in enumerate(names))
    conn.execute(f"CREATE OR REPLACE TEMP VIEW raw_all AS SELECT rowid + 1 AS __row, {cols} FROM raw_csv")
    n_rows = conn.execute("SELECT count(*) FROM raw_csv").fetchall()[0][0]
    head_rows = conn.execute(
        "SELECT * EXCLUDE (__row) FROM raw_all WHERE __row <= ? ORDER BY __row", [HEAD_ROWS]
    ).fetchall()
    head = [[v or "" for v in row] for row in head_rows]
    return RawExport(path, sha, "csv", len(names), int(n_rows), head, enc, delim, notes=notes)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# --- Spreadsheets ------------------------------------------------------------------------------


def _cell_text(value: Any) -> str | None:
    """A spreadsheet cell as the text a user sees (numbers without a spurious '.0')."""
    kind = type(value)
    if kind is str:
        return value if value != "" else None
    if kind is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if kind is int:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is dt.datetime:
        return value.isoformat(sep=" ")
    if kind in (dt.date, dt.time):
        return value.isoformat()
    if value is None:
        return None
    return str(value)


def _columns_from_rows(rows: list[list[Any]], convert: Callable[[Any], str | None]) -> list[list[str | None]]:
    width = max((len(r) for r in rows), default=0)
    padded: Iterable[list[Any]] = (r if len(r) == width else r + [""] * (width - len(r)) for r in rows)
    return [list(map(convert, col)) for col in zip(*padded, strict=True)] if rows else []


def _load_rows(
    conn: duckdb.DuckDBPyConnection, rows: list[list[Any]], convert: Callable[[Any], str | None] = _cell_text
) -> int:
    """Put rows of cells into table `raw_all`; return the number of columns."""
    columns = _columns_from_rows(rows, convert)
    arrays = [pa.array(range(1, len(rows) + 1), type=pa.int32())]
    arrays += [pa.array(col, type=pa.string()) for col in columns]
    names = ["__row"] + [f"c{i}" for i in range(len(columns))]
    conn.register("raw_arrow", pa.Table.from_arrays(arrays, names=names))
    conn.execute("CREATE OR REPLACE TEMP TABLE raw_all AS SELECT * FROM raw_arrow")
    conn.unregister("raw_arrow")
    return len(columns)


def _head(rows: list[list[Any]]) -> list[list[str]]:
    return [[_cell_text(v) or "" for v in row] for row in rows[:HEAD_ROWS]]


def _read_sheet(conn: duckdb.DuckDBPyConnection, path: Path, sheet: str | None) -> RawExport:
    from python_calamine import CalamineWorkbook

    sha = file_sha256(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise FileRefused(
            f"{path.name}: cannot be opened as a spreadsheet ({_first_line(exc)}). "
            "Check that it is a real Excel/ODS file (not a renamed CSV) and retry.",
            message_fr=f"{path.name} : ne peut pas être ouvert comme classeur ({_first_line(exc)}). "
            "Vérifiez qu'il s'agit d'un vrai fichier Excel ou ODS (et non d'un CSV renommé) et réessayez.",
        ) from None
    names = list(book.sheet_names)
    if sheet is None:
        visible = [s.name for s in book.sheets_metadata if str(s.visible).lower().endswith("visible")]
        chosen = visible[0] if visible else names[0]
    elif sheet in names:
        chosen = sheet
    else:
        raise FileRefused(
            f"{path.name}: there is no sheet named {sheet!r}. Sheets: {', '.join(map(repr, names))}. "
            "Pass one of them with --sheet.",
            message_fr=f"{path.name} : il n'y a pas de feuille nommée « {sheet} ». Feuilles : "
            f"{', '.join(f'« {n} »' for n in names)}. Choisissez l'une d'elles (liste « Feuille du "
            "classeur » de la page, ou --sheet en ligne de commande).",
        )
    rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    while rows and all(v in ("", None) for v in rows[-1]):
        rows.pop()
    if not rows:
        raise FileRefused(
            f"{path.name}: sheet {chosen!r} is empty. Pick another with --sheet.",
            message_fr=f"{path.name} : la feuille « {chosen} » est vide. Choisissez-en une autre (liste "
            "« Feuille du classeur » de la page, ou --sheet en ligne de commande).",
        )
    n_cols = _load_rows(conn, rows)
    notes = [f"sheet {chosen!r}" + (f" (of {len(names)})" if len(names) > 1 else "")]
    return RawExport(path, sha, "xlsx", n_cols, len(rows), _head(rows), sheet=chosen, notes=notes)
