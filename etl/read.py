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
import pyarrow.compute as pc

from etl.errors import FileRefused

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SPSS_SUFFIXES = (".sav", ".zsav")
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
    notes: list[str] = field(default_factory=list)  # what was read, in English
    notes_fr: list[str] = field(default_factory=list)  # the same in French
    # CSV rows whose number of fields differs from the header's: (row, fields); kept out of raw_all
    ragged: list[tuple[int, int]] = field(default_factory=list)
    width: int = 0  # fields of the header row
    cut_row: int | None = None  # the last row, when the file ends in the middle of it
    header_aliases: list[list[str]] = field(default_factory=list)  # other names of each column (SPSS labels)
    loose_names: bool = False  # match column names on letters and digits only (SPSS variable names)

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
    if suffix in SPSS_SUFFIXES:
        return _read_sav(conn, path)
    raise FileRefused(
        f"{path.name}: Maillage reads CSV ({', '.join(CSV_SUFFIXES)}), spreadsheets "
        f"({', '.join(SHEET_SUFFIXES)}) and SPSS files ({', '.join(SPSS_SUFFIXES)}), not "
        f"`{suffix or 'files without extension'}`. Export the survey as CSV or XLSX and retry.",
        message_fr=f"{path.name} : Maillage lit les fichiers CSV ({', '.join(CSV_SUFFIXES)}), les "
        f"classeurs ({', '.join(SHEET_SUFFIXES)}) et les fichiers SPSS ({', '.join(SPSS_SUFFIXES)}), pas "
        f"`{suffix or 'les fichiers sans extension'}`. Exportez le questionnaire en CSV ou en XLSX et réessayez.",
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


@dataclass
class _Records:
    """What a first pass of Python's csv module says about the records of a CSV text."""

    count: int  # records, trailing blank lines excluded
    width: int  # fields of the first record (the header)
    odd: dict[int, list[str]]  # record number (1-based) → its cells, when its field count differs
    quotes_balanced: bool
    last_start_line: int  # line where the last record starts
    ends_with_newline: bool


def _is_blank(cells: list[str]) -> bool:
    return all(not c.strip() for c in cells)


def _scan_records(text: str, delim: str) -> _Records:
    """Count the fields of every record (quote-aware, multi-line cells included) without keeping
    the rows: the fast DuckDB reader is used only when every record has the header's width."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    width, count, last_blank_run = -1, 0, 0
    odd: dict[int, list[str]] = {}
    line_before, last_start = 0, 1
    for row in reader:
        count += 1
        last_start = line_before + 1
        line_before = reader.line_num
        if width < 0:
            width = len(row)
        elif len(row) != width:
            odd[count] = row
        last_blank_run = last_blank_run + 1 if _is_blank(row) else 0
    for n in range(count - last_blank_run + 1, count + 1):
        odd.pop(n, None)
    return _Records(
        count=count - last_blank_run,
        width=max(width, 0),
        odd=odd,
        quotes_balanced=text.count('"') % 2 == 0,
        last_start_line=last_start,
        ends_with_newline=text.endswith(("\n", "\r")),
    )


def _unclosed_quote(text: str, records: _Records, delim: str, name: str) -> int | None:
    """The row of a quote that is never closed, when it swallows other rows (the file is refused);
    None when it is only the last row cut in the middle of a quoted cell."""
    if records.quotes_balanced or records.count == 0:
        return None
    tail = text.splitlines()[records.last_start_line - 1 :]
    rowlike = sum(1 for line in tail[1:] if line.count(delim) >= max(records.width - 1, 1))
    if rowlike == 0:
        return None
    raise FileRefused(
        f"{name}: a quote (\") opened in the row starting at line {records.last_start_line} is never closed, "
        f"so the {rowlike} line(s) after it would be read as one cell. Open the file in a text editor, "
        "remove the stray quote (or close it) and load the file again.",
        message_fr=f"{name} : un guillemet (\") ouvert dans la ligne qui commence à la ligne {records.last_start_line} "
        f"du fichier n'est jamais fermé : les {rowlike} ligne(s) suivantes seraient lues comme une seule "
        "cellule. Ouvrez le fichier dans un éditeur de texte, retirez (ou fermez) ce guillemet et "
        "rechargez le fichier.",
    )


def _csv_notes(enc: str, delim: str) -> tuple[str, str]:
    shown = "tab" if delim == "\t" else repr(delim)
    shown_fr = "tabulation" if delim == "\t" else f"« {delim} »"
    return f"encoding {enc}, delimiter {shown}", f"encodage {enc}, séparateur {shown_fr}"


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
    first_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    delim = _sniff_delimiter(first_line)
    note, note_fr = _csv_notes(enc, delim)
    records = _scan_records(text, delim)
    _unclosed_quote(text, records, delim, path.name)
    regular = not records.odd and records.quotes_balanced
    if regular:
        raw = _read_csv_duckdb(conn, path, text, enc, delim, workdir, sha, records)
        if raw is not None:
            raw.notes, raw.notes_fr = [note], [note_fr]
            return raw
    # Ragged rows, blank lines or an unusual quoting: Python's csv module, row by row (slower, exact).
    return _read_csv_python(conn, path, text, enc, delim, sha, records, note, note_fr)


def _read_csv_duckdb(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    text: str,
    enc: str,
    delim: str,
    workdir: Path | None,
    sha: str,
    records: _Records,
) -> RawExport | None:
    """DuckDB's reader for a regular file; None when it does not see the same records as the
    first pass (the exact reader is used then)."""
    source = path
    tmp: tempfile.TemporaryDirectory[str] | None = None
    if enc != "utf-8":
        tmp = tempfile.TemporaryDirectory(dir=workdir)
        source = Path(tmp.name) / "transcoded.csv"
        source.write_text(text, encoding="utf-8", newline="")
    try:
        conn.execute(
            "CREATE OR REPLACE TEMP TABLE raw_csv AS SELECT * FROM read_csv(?, delim = ?, "
            "quote = '\"', escape = '\"', header = false, all_varchar = true, "
            "null_padding = false, strict_mode = false, auto_detect = true)",
            [str(source), delim],
        )
    except duckdb.Error:
        return None
    finally:
        if tmp is not None:
            tmp.cleanup()
    first = conn.execute("SELECT min(rowid) FROM raw_csv").fetchall()[0]
    if first and first[0] not in (0, None):
        # rowids of uncommitted rows are transaction-local: row numbers would be wrong.
        raise RuntimeError("read_export must run outside a transaction")
    names = [r[0] for r in conn.execute("SELECT column_name FROM (DESCRIBE raw_csv)").fetchall()]
    n_rows = conn.execute("SELECT count(*) FROM raw_csv").fetchall()[0][0]
    if int(n_rows) != records.count or len(names) != records.width:
        conn.execute("DROP TABLE IF EXISTS raw_csv")
        return None
    cols = ", ".join(f'"{n}" AS c{i}' for i, n in enumerate(names))
    conn.execute(f"CREATE OR REPLACE TEMP VIEW raw_all AS SELECT rowid + 1 AS __row, {cols} FROM raw_csv")
    head_rows = conn.execute(
        "SELECT * EXCLUDE (__row) FROM raw_all WHERE __row <= ? ORDER BY __row", [HEAD_ROWS]
    ).fetchall()
    head = [[v or "" for v in row] for row in head_rows]
    return RawExport(path, sha, "csv", len(names), int(n_rows), head, enc, delim, width=records.width)


def _read_csv_python(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    text: str,
    enc: str,
    delim: str,
    sha: str,
    records: _Records,
    note: str,
    note_fr: str,
) -> RawExport:
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))[: records.count]
    width = records.width
    kept: list[list[str]] = []
    numbers: list[int] = []
    ragged: list[tuple[int, int]] = []
    for number, row in enumerate(rows, start=1):
        if len(row) != width and not _is_blank(row):
            extra = row[width:]
            if len(row) > width and _is_blank(extra):
                row = row[:width]  # trailing empty fields (a ';' at the end of the line): harmless
            else:
                ragged.append((number, len(row)))
                continue
        kept.append(row if not _is_blank(row) or len(row) == width else [])
        numbers.append(number)
    n_cols = _load_rows(conn, kept, numbers, width)
    cut = None
    if ragged and ragged[-1][0] == records.count and ragged[-1][1] < width and not records.ends_with_newline:
        cut = records.count
    if not records.quotes_balanced:
        cut = records.count  # a quoted cell opened in the last row and never closed
        if not ragged or ragged[-1][0] != records.count:
            ragged.append((records.count, len(rows[-1]) if rows else 0))
            keep = [i for i, n in enumerate(numbers) if n != records.count]
            kept = [kept[i] for i in keep]
            numbers = [numbers[i] for i in keep]
            n_cols = _load_rows(conn, kept, numbers, width)
    by_number = dict(zip(numbers, kept, strict=True))
    head = [_head([by_number.get(n, [])])[0] for n in range(1, min(HEAD_ROWS, records.count) + 1)]
    return RawExport(
        path,
        sha,
        "csv",
        n_cols,
        records.count,
        head,
        enc,
        delim,
        notes=[note],
        notes_fr=[note_fr],
        ragged=ragged,
        width=width,
        cut_row=cut,
    )


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


def _columns_from_rows(rows: list[list[Any]], convert: Callable[[Any], str | None], width: int = 0) -> list[pa.Array]:
    """The rows' cells as one Arrow text column each. A column of text cells only (most of an
    export) is converted in Arrow at once, empty text becoming NULL as `_cell_text` does; any
    other column cell by cell."""
    width = max(width, max((len(r) for r in rows), default=0))
    if not rows:
        return [pa.array([], type=pa.string()) for _ in range(width)]
    padded: Iterable[list[Any]] = (r if len(r) == width else r + [""] * (width - len(r)) for r in rows)
    out = []
    for col in zip(*padded, strict=True):
        if convert is _cell_text and set(map(type, col)) == {str}:
            text = pa.array(col, type=pa.string())
            out.append(pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text))
        else:
            out.append(pa.array(list(map(convert, col)), type=pa.string()))
    return out


def _load_rows(
    conn: duckdb.DuckDBPyConnection,
    rows: list[list[Any]],
    numbers: list[int] | None = None,
    width: int = 0,
    convert: Callable[[Any], str | None] = _cell_text,
) -> int:
    """Put rows of cells into table `raw_all` (row numbers `numbers`, else 1, 2, …); return the
    number of columns."""
    columns = _columns_from_rows(rows, convert, width)
    arrays = [pa.array(numbers if numbers is not None else range(1, len(rows) + 1), type=pa.int32())]
    arrays += columns
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
    rows = _sheet_rows(book, chosen)
    if not rows:
        others = [(n, k) for n, k in sheets_with_data(path) if n != chosen]
        listed = ", ".join(f"{n!r} ({k} rows)" for n, k in others)
        listed_fr = ", ".join(f"« {n} » ({k} lignes)" for n, k in others)
        raise FileRefused(
            f"{path.name}: sheet {chosen!r} is empty. "
            + (f"Sheets with data: {listed}. Pass one of them with --sheet." if others else "No sheet has data.")
            ,
            message_fr=f"{path.name} : la feuille « {chosen} » est vide. "
            + (
                f"Feuilles qui contiennent des données : {listed_fr}. Choisissez l'une d'elles (liste « Feuille "
                "du classeur » de la page, ou --sheet en ligne de commande)."
                if others
                else "Aucune feuille ne contient de données."
            ),
        )
    n_cols = _load_rows(conn, rows)
    notes = [f"sheet {chosen!r}" + (f" (of {len(names)})" if len(names) > 1 else "")]
    notes_fr = [f"feuille « {chosen} »" + (f" (sur {len(names)})" if len(names) > 1 else "")]
    return RawExport(
        path, sha, "xlsx", n_cols, len(rows), _head(rows), sheet=chosen, notes=notes, notes_fr=notes_fr,
        width=n_cols,
    )


def _sheet_rows(book: Any, name: str) -> list[list[Any]]:
    rows: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    while rows and all(v in ("", None) for v in rows[-1]):
        rows.pop()
    return rows


def sheets_with_data(path: Path) -> list[tuple[str, int]]:
    """(sheet, rows) of every sheet of a workbook that has at least one non-empty row."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception:  # calamine raises its own error types
        return []
    out = []
    for name in book.sheet_names:
        rows = [r for r in _sheet_rows(book, name) if any(v not in ("", None) for v in r)]
        if rows:
            out.append((str(name), len(rows)))
    return out


# --- SPSS ----------------------------------------------------------------------------------------


def _read_sav(conn: duckdb.DuckDBPyConnection, path: Path) -> RawExport:
    """An SPSS file: one header row of variable names (their labels, the question texts, are
    other names of the columns), then one row per case. A variable with value labels is read by
    its labels, which the codebook matches like any answer text: the numeric codes of an SPSS
    file are numbered by the tool that wrote it and need not be the codebook's values. A
    variable without value labels is read by its values; user-missing values are empty."""
    import pyreadstat

    sha = file_sha256(path)
    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=False, user_missing=False)
    except Exception as exc:  # pyreadstat raises its own error types
        raise FileRefused(
            f"{path.name}: cannot be read as an SPSS file ({_first_line(exc)}). Export it again from SPSS "
            "(File > Save As > .sav) or as CSV, and retry.",
            message_fr=f"{path.name} : ne peut pas être lu comme un fichier SPSS ({_first_line(exc)}). "
            "Exportez-le à nouveau depuis SPSS (Fichier > Enregistrer sous > .sav) ou en CSV, et réessayez.",
        ) from None
    names = [str(n) for n in meta.column_names]
    labels = meta.variable_value_labels or {}
    columns: list[list[str | None]] = []
    for name in names:
        value_labels = {_label_key(k): str(v) for k, v in labels.get(name, {}).items()}
        cells = [_cell_text(_plain(v)) for v in frame[name].tolist()]
        columns.append([value_labels.get(c, c) if c is not None else None for c in cells])
    rows: list[list[Any]] = [list(names)]
    rows += [list(r) for r in zip(*columns, strict=True)] if columns else []
    n_cols = _load_rows(conn, rows, convert=lambda v: v)
    aliases = [[str(lbl)] if lbl else [] for lbl in (meta.column_labels or [None] * len(names))]
    notes = [f"SPSS file, {len(names)} variables, {len(frame)} cases"]
    notes_fr = [f"fichier SPSS, {len(names)} variables, {len(frame)} observations"]
    return RawExport(
        path, sha, "sav", n_cols, len(rows), _head(rows), notes=notes, notes_fr=notes_fr, width=n_cols,
        header_aliases=aliases, loose_names=True,
    )


def _plain(value: Any) -> Any:
    """A pandas cell as a plain Python value (NaN → None, numpy scalars → int/float)."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _label_key(code: Any) -> str | None:
    return _cell_text(_plain(float(code) if isinstance(code, int | float) else code))
