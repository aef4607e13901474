"""Exports are read as their authors wrote them: encodings, delimiters, sheets."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from etl.errors import FileRefused
from etl.read import read_export


def _cells(conn: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return conn.execute("SELECT * FROM raw_all ORDER BY __row").fetchall()


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [("utf-8", b"", "utf-8"), ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"), ("cp1252", b"", "cp1252")],
)
def test_french_text_survives_every_common_encoding(tmp_path: Path, encoding: str, bom: bytes, expected: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(bom + "Quartier;Réponse\nPlateau des Sources;Plutôt d’accord\n".encode(encoding))
    conn = duckdb.connect()
    raw = read_export(conn, path)
    assert raw.encoding == expected
    assert _cells(conn) == [(1, "Quartier", "Réponse"), (2, "Plateau des Sources", "Plutôt d’accord")]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_the_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "f.csv"
    path.write_text(delimiter.join(["a", "b", "c"]) + "\n" + delimiter.join(["1", "2,5", "3"]) + "\n", "utf-8")
    if delimiter == ",":
        path.write_text('a,b,c\n1,"2,5",3\n', "utf-8")
    conn = duckdb.connect()
    raw = read_export(conn, path)
    assert raw.delimiter == delimiter and raw.n_columns == 3
    assert _cells(conn)[1] == (2, "1", "2,5", "3")


def test_an_undecodable_file_says_how_to_fix_it(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"a;b\n\x81\x8d;x\n")
    with pytest.raises(FileRefused, match="save it as 'CSV UTF-8', or pass --encoding=latin-1"):
        read_export(duckdb.connect(), path)


def test_a_forced_encoding_is_used(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes("a;b\n\u00e9;x\n".encode("latin-1"))
    conn = duckdb.connect()
    read_export(conn, path, encoding="latin-1")
    assert _cells(conn)[1] == (2, "é", "x")


def test_spreadsheet_cells_read_as_a_user_sees_them(tmp_path: Path) -> None:
    import datetime as dt

    wb = Workbook()
    ws = wb.active
    ws.append(["n", "x", "d", "t"])
    ws.append([3, 2.5, dt.datetime(2025, 3, 4, 0, 0), "texte"])
    ws2 = wb.create_sheet("Autre")
    ws2.append(["z"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    conn = duckdb.connect()
    raw = read_export(conn, path)
    assert _cells(conn)[1] == (2, "3", "2.5", "2025-03-04", "texte")
    assert raw.sheet == "Sheet"
    read_export(conn, path, sheet="Autre")
    assert _cells(conn) == [(1, "z")]
    with pytest.raises(FileRefused, match=re.escape("there is no sheet named 'Nope'. Sheets: 'Sheet', 'Autre'")):
        read_export(conn, path, sheet="Nope")


def test_unsupported_and_missing_files_are_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / "f.pdf").write_bytes(b"%PDF")
    with pytest.raises(FileRefused, match="Export the survey as CSV or XLSX"):
        read_export(duckdb.connect(), tmp_path / "f.pdf")
    with pytest.raises(FileRefused, match="no such file"):
        read_export(duckdb.connect(), tmp_path / "absent.csv")
    (tmp_path / "renamed.xlsx").write_text("a;b\n", "utf-8")
    with pytest.raises(FileRefused, match="not a renamed CSV"):
        read_export(duckdb.connect(), tmp_path / "renamed.xlsx")
