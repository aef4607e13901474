"""Every problem of a file is reported with its file, row, column, value and what to do; cell and
row problems quarantine, file problems refuse the load and change nothing."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from etl.errors import FileRefused
from etl.report import write_report

Query = Callable[..., list[tuple[Any, ...]]]
pytestmark = pytest.mark.usefixtures("with_institutions")


def _quarantine(query: Query, file_name: str) -> dict[tuple[int | None, str | None], tuple[str, str, str | None, str]]:
    rows = query(
        "SELECT source_row, column_name, problem, scope, value, message FROM quarantine WHERE file_name = ?",
        [file_name],
    )
    return {(r, c): (p, s, v, m) for r, c, p, s, v, m in rows}


def test_each_flaw_of_a_limesurvey_export_is_quarantined_with_its_row_and_reason(
    load: Callable[..., Any], query: Query
) -> None:
    load("limesurvey_codes.xlsx", "practitioner", "2025-2")
    q = _quarantine(query, "limesurvey_codes.xlsx")
    assert set(q) == {(2, None), (3, "G01Q04"), (5, "G02Q01[SQ002]"), (6, None)}
    dup = q[(2, None)]
    assert dup[:2] == ("duplicate_respondent", "row")
    assert "row 4" in dup[3] and "latest kept" in dup[3]
    assert q[(3, "G01Q04")][:3] == ("out_of_range", "cell", "99")
    assert "allowed 0 to 45" in q[(3, "G01Q04")][3]
    unknown = q[(5, "G02Q01[SQ002]")]
    assert unknown[:3] == ("unknown_label", "cell", "A9")
    assert "item NET2" in unknown[3] and "aliases" in unknown[3]
    assert q[(6, None)][:2] == ("empty_row", "row")


def test_out_of_range_partner_rating_and_duplicate_partner_submission(load: Callable[..., Any], query: Query) -> None:
    load("kobo_partner_cp1252.csv", "partner", "2025-1")
    q = _quarantine(query, "kobo_partner_cp1252.csv")
    assert q[(4, "partenaires/en_clg_jaures/niveau")][:3] == ("out_of_range", "cell", "7")
    assert "0 to 5" in q[(4, "partenaires/en_clg_jaures/niveau")][3]
    assert q[(5, None)][0] == "duplicate_respondent"


def test_unknown_institution_suggests_the_closest_known_one(load: Callable[..., Any], query: Query) -> None:
    load("activities.xlsx", "activities")
    q = _quarantine(query, "activities.xlsx")
    problem, scope, value, message = q[(5, "Structures impliquées")]
    assert (problem, scope, value) == ("unknown_institution", "cell", "Colège Jean Jaures")
    assert "Closest known institution: “Collège Jean Jaurès” (EN_CLG_JAURES)" in message
    assert q[(7, "Date")][:3] == ("bad_date", "row", "31/02/2025")
    assert q[(8, None)][0] == "duplicate_activity"
    # the rest of the row loaded: the mission locale is still part of action A-004
    members = query("SELECT institution_id FROM activity_institutions WHERE activity_id = 'A-004'")
    assert members == [("ML_VALMONT",)]


def test_unknown_columns_are_reported_not_loaded(load: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "with_extra.csv"
    path.write_text("token;G05Q01[SQ001];Couleur préférée\nt1;A1;bleu\n", encoding="utf-8")
    result = load(path, "practitioner", "2025-1")
    warnings = result.problems[result.problems["problem"] == "unknown_column"]
    assert list(warnings["column_name"]) == ["Couleur préférée"]
    assert "was not loaded" in warnings["message"].iloc[0]


def test_a_file_without_respondent_key_is_refused_and_nothing_changes(
    load: Callable[..., Any], query: Query, db: Path, tmp_path: Path
) -> None:
    before = db.read_bytes()
    path = tmp_path / "nokey.csv"
    path.write_text("G01Q01;G05Q01[SQ001]\nA1;A1\n", encoding="utf-8")
    with pytest.raises(FileRefused) as err:
        load(path, "practitioner", "2025-1")
    assert "No respondent key column. Expected one of “token”, “Code anonyme”" in str(err.value)
    assert "Columns found: “G01Q01”, “G05Q01[SQ001]”" in str(err.value)
    assert db.read_bytes() == before


def test_wrong_instrument_is_refused_with_a_hint(load: Callable[..., Any]) -> None:
    with pytest.raises(FileRefused, match="Is it the right --instrument"):
        load("kobo_partner_cp1252.csv", "practitioner", "2025-1")


def test_several_file_problems_are_reported_together(load: Callable[..., Any], tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("colonne1;colonne2\n", encoding="utf-8")
    with pytest.raises(FileRefused) as err:
        load(path, "practitioner", None)
    codes = {p.problem for p in err.value.problems}
    assert codes == {"no_data", "missing_key_column", "no_known_question", "missing_wave"}


def test_surveys_need_the_institutions_list_first(tmp_path: Path, secret: Path) -> None:
    from etl.load import load_file

    expected = "Load it first: maillage load <institutions.csv> --instrument institutions"
    with pytest.raises(FileRefused, match=re.escape(expected)):
        load_file(Path(__file__).parent.parent / "data" / "google_forms.csv", "practitioner", "2025-1",
                  db=tmp_path / "empty.duckdb")


def test_blank_lines_and_multi_line_cells_keep_spreadsheet_row_numbers(
    load: Callable[..., Any], query: Query, tmp_path: Path
) -> None:
    path = tmp_path / "blank.csv"
    path.write_text(
        'token;G05Q01[SQ001];G07Q01\nt1;A1;"two\nlines"\n\nt2;A9;\n', encoding="utf-8"
    )
    load(path, "practitioner", "2025-1")
    q = _quarantine(query, "blank.csv")
    # header = row 1, t1 = row 2 (its cell spans two lines), blank = row 3, t2 = row 4
    assert q[(4, "G05Q01[SQ001]")][:3] == ("unknown_label", "cell", "A9")
    assert q[(3, None)][0] == "empty_row"


def test_dry_run_reports_without_writing(load: Callable[..., Any], db: Path) -> None:
    before = db.read_bytes()
    result = load("limesurvey_codes.xlsx", "practitioner", "2025-2", dry_run=True)
    assert result.status == "dry-run"
    assert result.rows_loaded == 4 and result.rows_quarantined == 2 and result.cells_quarantined == 2
    assert db.read_bytes() == before


def test_report_csv_opens_in_french_excel(load: Callable[..., Any], tmp_path: Path) -> None:
    result = load("limesurvey_codes.xlsx", "practitioner", "2025-2")
    path = write_report(tmp_path / "r.csv", "limesurvey_codes.xlsx", result.problems)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert list(rows[0]) == ["file", "row", "column", "value", "problem", "action", "message", "message_fr"]
    out_of_range = next(r for r in rows if r["problem"] == "out_of_range")
    assert (out_of_range["file"], out_of_range["row"], out_of_range["column"], out_of_range["value"]) == (
        "limesurvey_codes.xlsx", "3", "G01Q04", "99"
    )
    assert out_of_range["action"] == "cell quarantined"
