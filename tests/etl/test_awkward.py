"""Awkward real-style files (tests/data/awkward/): a value is loaded right, or it is reported.

Every file of the corpus spells the same four practitioners' answers (tests/etl/awkward_corpus.py:
TRUTH, written by hand) the way one tool or one accident writes them. Each test states the outcome:
the loaded values equal the truth; or the quarantined rows and cells, with their reason; or the
refusal with its exact message, and the warehouse unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from etl.codebook import codebook_versions, stored_codebooks
from etl.errors import CodebookError, FileRefused
from etl.load import LoadResult, load_file
from tests.etl.awkward_corpus import CORPUS, KEYS, SCORES, TRUTH
from warehouse.db import attach_read_only

DATA = CORPUS.parent
Query = Callable[..., list[tuple[Any, ...]]]
CHECKED: dict[str, int] = {"files": 0, "values": 0, "silent_errors": 0}
ROLE_OF = {k: t["role"] for k, t in TRUTH.items()}


@pytest.fixture(scope="module", autouse=True)
def _counts() -> Iterator[None]:
    yield
    print(f"\nawkward corpus: {CHECKED['files']} files, {CHECKED['values']} values checked, "
          f"{CHECKED['silent_errors']} silent errors")


@pytest.fixture()
def wh(tmp_path: Path, secret: Path) -> Path:
    """A warehouse holding the institutions list."""
    db = tmp_path / "wh" / "maillage.duckdb"
    load_file(DATA / "institutions.csv", "institutions", db=db)
    return db


def _q(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    conn = attach_read_only(db)
    try:
        return conn.execute(sql, params or []).fetchall()
    finally:
        conn.close()


def _rows(result: LoadResult, *scopes: str) -> set[tuple[int | None, str]]:
    p = result.problems
    p = p[p["scope"].isin(scopes)]
    return {(None if pd.isna(r) else int(r), str(c)) for r, c in zip(p["source_row"], p["problem"], strict=True)}


def _same(a: Any, b: Any) -> bool:
    if isinstance(b, float | int) and a is not None:
        return abs(float(a) - float(b)) < 1e-9
    return bool(a == b)


def check_truth(
    db: Path,
    wave: str,
    keys: list[str],
    parts: tuple[str, ...] = ("WHO5", "NET", "EXC"),
    *,
    submitted: dict[str, dt.datetime] | None = None,
    missing: dict[str, set[str]] | None = None,
    institution: dict[str, str | None] | None = None,
    scores: dict[str, dict[str, float | None]] | None = None,
) -> None:
    """Every value of the wave equals the hand-written truth (answers, scores, role, institution,
    submission time); nothing else was loaded. `missing` items are expected absent (reported)."""
    people = _q(db, "SELECT respondent_id, role, institution_id, submitted_at FROM respondents WHERE wave_id = ?",
                [wave])
    by_role = {role: (rid, inst, sub) for rid, role, inst, sub in people}
    expected_roles = {ROLE_OF[k] for k in keys}
    assert set(by_role) == expected_roles, "respondents loaded differ from the truth"
    answers = {(rid, item): value for rid, item, value in _q(
        db, "SELECT respondent_id, item_id, value FROM responses WHERE wave_id = ?", [wave])}
    score_rows = {(rid, sc): v for rid, sc, v in _q(
        db, "SELECT respondent_id, scale_id, score FROM scale_scores WHERE wave_id = ?", [wave])}
    errors: list[str] = []

    def check(what: str, got: Any, want: Any) -> None:
        CHECKED["values"] += 1
        if not _same(got, want):
            CHECKED["silent_errors"] += 1
            errors.append(f"{what}: got {got!r}, truth {want!r}")

    for key in keys:
        t = TRUTH[key]
        rid, inst, sub = by_role[t["role"]]
        check(f"{key} institution", inst, (institution or {}).get(key, t["institution"]))
        want_sub = (submitted or {}).get(key, t["submitted"])
        check(f"{key} submitted", sub.replace(microsecond=0) if sub else sub, want_sub)
        expected: dict[str, float] = {}
        if "WHO5" in parts:
            expected |= {f"WHO5_{i + 1}": v for i, v in enumerate(t["WHO5"])}
        if "NET" in parts:
            expected |= {f"NET{i + 1}": v for i, v in enumerate(t["NET"])}
        if "EXC" in parts:
            expected |= {"EXC_HEALTH": t["EXC_HEALTH"], "EXC_CITY": t["EXC_CITY"]}
        for item, value in expected.items():
            if item in (missing or {}).get(key, set()):
                check(f"{key} {item} (reported, not loaded)", answers.get((rid, item)), None)
            else:
                check(f"{key} {item}", answers.get((rid, item)), value)
        for scale, want in SCORES[key].items():
            if (scale == "who5" and "WHO5" in parts) or (scale == "network_practice" and "NET" in parts):
                want = (scores or {}).get(key, {}).get(scale, want)
                check(f"{key} score {scale}", score_rows.get((rid, scale)), want)
    CHECKED["files"] += 1
    assert errors == []


# --- Files that load: every value as the truth says ------------------------------------------------

LOADS = [
    # (file, parts of the truth it holds, quarantined rows/cells expected)
    ("ls_codes_comma.csv", ("WHO5", "NET", "EXC")),
    ("ls_codes_semicolon_bom_crlf.csv", ("WHO5", "NET", "EXC")),
    ("ls_codes_date_cells.xlsx", ("WHO5", "NET", "EXC")),
    ("excel_serial_numbers.xlsx", ("WHO5", "NET", "EXC")),
    ("ls_fulltext.csv", ("WHO5", "NET", "EXC")),
    ("ls_fulltext_cp1252.csv", ("WHO5", "NET", "EXC")),
    ("ls_fulltext_typographic_quotes.csv", ("WHO5", "NET", "EXC")),
    ("kobo_semicolon_cp1252.csv", ("WHO5", "NET", "EXC")),
    ("kobo_comma_utf8.csv", ("WHO5", "NET", "EXC")),
    ("excel_unicode_text.txt", ("WHO5", "NET", "EXC")),
    ("google_forms_download.csv", ("WHO5", "NET", "EXC")),
    ("google_sheets_us_dates.csv", ("WHO5", "NET", "EXC")),
    ("google_forms_multiline_comments.csv", ("WHO5", "NET", "EXC")),
    ("framaforms_tab.tsv", ("WHO5",)),
    ("framaforms_weekday.csv", ("WHO5",)),
    ("french_dates_dots_h.csv", ("WHO5", "NET", "EXC")),
    ("mac_classic_cr.csv", ("WHO5", "NET", "EXC")),
    ("pipe_delimited.txt", ("WHO5", "NET", "EXC")),
    ("trailing_delimiter.csv", ("WHO5", "NET", "EXC")),
    ("Réponses (copie) – vague 2 final!.csv", ("WHO5", "NET", "EXC")),
    ("nbsp_spaces_case.csv", ("WHO5", "NET", "EXC")),
]


@pytest.mark.parametrize(("name", "parts"), LOADS, ids=[f[0] for f in LOADS])
def test_each_export_style_loads_every_value_as_the_truth_says(wh: Path, name: str, parts: tuple[str, ...]) -> None:
    result = load_file(CORPUS / name, "practitioner", "2026-1", db=wh)
    assert (result.rows_read, result.rows_loaded) == (4, 4)
    assert _rows(result, "row", "cell", "column") == set()  # nothing kept out…
    check_truth(wh, "2026-1", KEYS, parts)  # …and every value right


def test_framaforms_time_and_a_weekday_are_read(wh: Path) -> None:
    result = load_file(CORPUS / "framaforms_weekday.csv", "practitioner", "2026-1", db=wh)
    assert "3 header row(s)" in result.notes
    assert _q(wh, "SELECT min(first_date), max(last_date) FROM waves") == [(dt.date(2026, 3, 2), dt.date(2026, 3, 13))]


def test_us_locale_dates_are_read_month_first_because_one_day_is_above_12(wh: Path) -> None:
    result = load_file(CORPUS / "google_sheets_us_dates.csv", "practitioner", "2026-1", db=wh)
    assert "ambiguous_date_order" not in set(result.problems["problem"])
    check_truth(wh, "2026-1", KEYS)


def test_dates_that_no_day_above_12_can_order_are_read_day_first_and_reported(wh: Path) -> None:
    result = load_file(CORPUS / "ambiguous_day_month.csv", "practitioner", "2026-1", db=wh)
    warning = result.problems[result.problems["problem"] == "ambiguous_date_order"]
    assert list(warning["message"]) == [
        "The dates of column “Date de soumission” could be day/month or month/day (no day above 12): they were "
        "read as day/month, as the French tools write them. If the export wrote month first (a US locale), "
        "export it again with ISO dates (2026-11-26)."
    ]
    # written 02/03/2026 09:00, 03/02/2026 14:30, 04/03/2026, 05/03/2026: read day first
    check_truth(wh, "2026-1", KEYS, submitted={
        "AB12CD": dt.datetime(2026, 3, 2, 9, 0), "EF34GH": dt.datetime(2026, 2, 3, 14, 30),
        "IJ56KL": dt.datetime(2026, 3, 4), "MN78OP": dt.datetime(2026, 3, 5)})


def test_blank_lines_are_empty_rows_and_keep_row_numbers(wh: Path) -> None:
    result = load_file(CORPUS / "blank_lines.csv", "practitioner", "2026-1", db=wh)
    assert _rows(result, "row", "cell") == {(4, "empty_row"), (5, "empty_row")}
    check_truth(wh, "2026-1", KEYS)


def test_an_older_duplicate_submission_is_quarantined_and_the_latest_kept(wh: Path) -> None:
    result = load_file(CORPUS / "duplicate_older_submission.csv", "practitioner", "2026-1", db=wh)
    assert _rows(result, "row", "cell") == {(2, "duplicate_respondent")}
    check_truth(wh, "2026-1", KEYS)  # AB12CD's WHO5_1 is the latest answer (5), not the older one (0)


# --- Rows of the wrong width, cut files: quarantined with their row and reason ---------------------


def test_a_row_with_too_few_fields_is_quarantined_with_its_row_number(wh: Path) -> None:
    result = load_file(CORPUS / "ragged_short_row.csv", "practitioner", "2026-1", db=wh)
    assert _rows(result, "row", "cell", "warning") - {(None, "missing_item")} == {(3, "wrong_field_count")}
    message = result.problems.loc[result.problems["problem"] == "wrong_field_count", "message"].iloc[0]
    assert message == (
        "Row 3 has 13 fields but the header has 17: its last answers are missing (a cut or broken line). The row "
        "was quarantined; export the file again, or complete the row, and load the file again."
    )
    check_truth(wh, "2026-1", ["AB12CD", "IJ56KL", "MN78OP"])


def test_a_row_shifted_by_an_unquoted_semicolon_is_quarantined_not_misread(wh: Path) -> None:
    result = load_file(CORPUS / "kobo_unquoted_semicolon.csv", "practitioner", "2026-1", db=wh)
    assert _rows(result, "row", "cell", "warning") - {(None, "missing_item")} == {(4, "wrong_field_count")}
    problem = result.problems[result.problems["problem"] == "wrong_field_count"].iloc[0]
    assert problem["message"].startswith("Row 4 has 23 fields but the header has 22: a text answer probably holds")
    assert "Marie" not in problem["message"] and "Marie" not in problem["message_fr"]
    check_truth(wh, "2026-1", ["AB12CD", "EF34GH", "MN78OP"])


def test_a_file_cut_in_its_last_row_is_reported_as_cut(wh: Path) -> None:
    result = load_file(CORPUS / "cut_mid_row.csv", "practitioner", "2026-1", db=wh)
    assert _rows(result, "row", "cell") == {(5, "wrong_field_count")}
    cut = result.problems[result.problems["problem"] == "file_cut"]
    assert list(cut["message"]) == [
        "The file ends in the middle of row 5: the export or the copy was probably interrupted, and rows after it "
        "may be missing. Export the file again and load it to be sure nothing is lost."
    ]
    check_truth(wh, "2026-1", ["AB12CD", "EF34GH", "IJ56KL"])


def test_a_file_cut_inside_a_quoted_multi_line_cell_is_reported_as_cut(wh: Path) -> None:
    result = load_file(CORPUS / "cut_inside_quoted_cell.csv", "practitioner", "2026-1", db=wh)
    assert _rows(result, "row", "cell") == {(5, "wrong_field_count")}
    assert "file_cut" in set(result.problems["problem"])
    assert result.problems.loc[result.problems["problem"] == "wrong_field_count", "message"].iloc[0].startswith(
        "Row 5 ends inside a quoted cell that is never closed: the file was cut in this row")
    check_truth(wh, "2026-1", ["AB12CD", "EF34GH", "IJ56KL"])


def test_unknown_and_out_of_range_cells_are_quarantined_without_quoting_them(wh: Path) -> None:
    result = load_file(CORPUS / "unknown_and_out_of_range.csv", "practitioner", "2026-1", db=wh)
    assert _rows(result, "row", "cell") == {(2, "unknown_label"), (3, "out_of_range"), (4, "unknown_institution")}
    check_truth(
        wh, "2026-1", KEYS,
        missing={"AB12CD": {"WHO5_1"}, "EF34GH": {"NET1"}},
        institution={"IJ56KL": None},
        # WHO-5 needs all five items; NET from four: (2 + 1 + 2 + (6 − 5)) / 4 = 1.5
        scores={"AB12CD": {"who5": None}, "EF34GH": {"network_practice": 1.5}},
    )
    stored = _q(wh, "SELECT source_row, value, message, message_fr FROM quarantine WHERE file_name = ? ORDER BY 1",
                ["unknown_and_out_of_range.csv"])
    assert [(r, v) for r, v, _, _ in stored] == [(2, "Peut-être"), (3, "7"), (4, "Autre : Marie Dupont, infirmière")]
    for _row, value, message, message_fr in stored:
        assert value not in message and value not in message_fr  # the value is only in `value`
    assert stored[2][2] == (
        "The institution is not in the institutions list. The cell was quarantined, the rest of the row loaded. "
        "Add the institution or this spelling as an alias to the list, load the list, then load this file again."
    )


def test_the_report_csv_keeps_the_values_for_the_loader_and_neutralises_formulas(wh: Path, tmp_path: Path) -> None:
    from etl.report import write_report

    path = tmp_path / "bad.csv"
    text = (CORPUS / "unknown_and_out_of_range.csv").read_text("utf-8").replace("Peut-être", "=HYPERLINK(\"x\")")
    path.write_text(text, "utf-8")
    result = load_file(path, "practitioner", "2026-1", db=wh)
    report = write_report(tmp_path / "r.csv", path.name, result.problems).read_text("utf-8-sig")
    assert ';"\'=HYPERLINK(""x"")";' in report  # kept for the person who loaded the file, as text
    assert "Marie Dupont" in report


# --- Refusals: the exact message, the warehouse unchanged ------------------------------------------


REFUSALS = [
    ("empty.csv", "empty.csv: the file is empty. Export the survey again."),
    ("header_only.csv", "header_only.csv was not loaded:\n- The file has no data rows after its 1 header row(s)."),
    ("renamed_csv.xlsx", "renamed_csv.xlsx: cannot be opened as a spreadsheet (invalid Zip archive: Could not find "
     "EOCD). Check that it is a real Excel/ODS file (not a renamed CSV) and retry."),
    ("undecodable_bytes.csv", "undecodable_bytes.csv: the file is neither UTF-8 nor Windows-1252 (byte 0x81 at "
     "position 40). Open it in a spreadsheet and save it as 'CSV UTF-8', or pass --encoding=latin-1 if you know "
     "its encoding."),
    ("unclosed_quote.csv", "unclosed_quote.csv: a quote (\") opened in the row starting at line 3 is never closed, "
     "so the 2 line(s) after it would be read as one cell. Open the file in a text editor, remove the stray quote "
     "(or close it) and load the file again."),
    ("empty_first_sheet.xlsx", "empty_first_sheet.xlsx: sheet 'Feuil1' is empty. Sheets with data: 'Données' "
     "(5 rows). Pass one of them with --sheet."),
]


@pytest.mark.parametrize(("name", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_broken_files_are_refused_with_their_message_and_nothing_changes(wh: Path, name: str, message: str) -> None:
    before = wh.read_bytes()
    with pytest.raises(FileRefused) as err:
        load_file(CORPUS / name, "practitioner", "2026-1", db=wh)
    assert str(err.value) == message
    assert wh.read_bytes() == before
    CHECKED["files"] += 1


def test_a_cover_sheet_refusal_names_the_sheet_that_has_the_answers(wh: Path) -> None:
    before = wh.read_bytes()
    with pytest.raises(FileRefused) as err:
        load_file(CORPUS / "cover_sheet_then_answers.xlsx", "practitioner", "2026-1", db=wh)
    assert str(err.value).endswith(
        "\n- Sheet 'Lisez-moi' was read; other sheets with data: 'Réponses' (5 rows). If the answers are on one of "
        "them, pass it with --sheet."
    )
    assert "Feuille du classeur" in err.value.message_fr and "« Réponses » (5 lignes)" in err.value.message_fr
    assert wh.read_bytes() == before
    result = load_file(CORPUS / "cover_sheet_then_answers.xlsx", "practitioner", "2026-1", db=wh, sheet="Réponses")
    assert result.rows_loaded == 4
    check_truth(wh, "2026-1", KEYS)


def test_a_file_holding_two_waves_is_refused(wh: Path) -> None:
    before = wh.read_bytes()
    with pytest.raises(FileRefused) as err:
        load_file(CORPUS / "two_waves.csv", "practitioner", None, db=wh)
    assert str(err.value) == (
        "The file holds several waves (2026-1, 2026-2): load one file per wave, or pass --wave to say which one "
        "this is."
    )
    assert wh.read_bytes() == before
    CHECKED["files"] += 1


CLIMAT_TOML = """\
# A new instrument, written only as this codebook: team climate, WHO-5, exchanges, partners.
[instrument]
name = "climat"
version = "1"
kind = "survey"
title_fr = "Climat d'équipe et bien-être"
title_en = "Team climate and wellbeing"
sources = ["WHO-5 (Topp et al. 2015). Team climate items written for this test."]
licence = "CC BY 4.0"

[respondent]
key = ["code"]
submitted = ["date"]
ignore = ["remarque", "climat/ambiance"]

[fields.institution]
label_fr = "Structure"
columns = ["structure"]
type = "institution"

[response_sets.accord]
options = [
    { value = 1, codes = ["pas_du_tout"], fr = "Pas du tout d'accord" },
    { value = 2, codes = ["plutot_non"], fr = "Plutôt pas d'accord" },
    { value = 3, codes = ["plutot_oui"], fr = "Plutôt d'accord" },
    { value = 4, codes = ["tout_a_fait"], fr = "Tout à fait d'accord" },
]
missing = ["", "NSP"]

[response_sets.who5]
options = [
    { value = 5, fr = "Tout le temps" },
    { value = 4, fr = "La plupart du temps" },
    { value = 3, fr = "Plus de la moitié du temps" },
    { value = 2, fr = "Moins de la moitié du temps" },
    { value = 1, fr = "De temps en temps" },
    { value = 0, fr = "Jamais" },
]

[response_sets.freq]   # KoboToolbox choice names
options = [
    { value = 0, codes = ["0"], fr = "Jamais" },
    { value = 0.5, codes = ["1"], fr = "Moins d'une fois par mois" },
    { value = 1, codes = ["2"], fr = "Une fois par mois" },
    { value = 2.5, codes = ["3"], fr = "Plusieurs fois par mois" },
    { value = 4.33, codes = ["4"], fr = "Chaque semaine" },
]

[[scales]]
id = "equipe"
role = "practice"
fr = "Climat d'équipe"
rule = "mean"
min_items = 2

[[scales]]
id = "bien_etre"
role = "wellbeing"
standard = "who5"
fr = "Bien-être (WHO-5)"
rule = "sum_times"
multiplier = 4
min_items = 5

[[items]]
id = "EQ1"
scale = "equipe"
response_set = "accord"
columns = ["climat/q1"]

[[items]]
id = "EQ2"
scale = "equipe"
response_set = "accord"
columns = ["climat/q2"]

[[items]]
id = "EQ3"
scale = "equipe"
response_set = "accord"
reverse = true
columns = ["climat/q3"]
""" + "".join(
    f'\n[[items]]\nid = "W{i}"\nscale = "bien_etre"\nresponse_set = "who5"\ncolumns = ["climat/w{i}"]\n'
    for i in range(1, 6)
) + """
[[items]]
id = "X_SANTE"
response_set = "freq"
target_sector = "health"
unit = "per_month"
columns = ["echanges/sante"]

[[items]]
id = "X_VILLE"
response_set = "freq"
target_sector = "city"
unit = "per_month"
columns = ["echanges/ville"]

[[rosters]]
id = "PARTENAIRES"
kind = "multi_select"
tie_kind = "joint_action"
tie_source = "climat_survey"
fr = "Avec quelles structures avez-vous mené une action commune ?"
choice_columns = ["partenaires/{choice}"]
"""


@pytest.fixture()
def climat_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "mes_questionnaires"
    (folder / "climat").mkdir(parents=True)
    (folder / "climat" / "v1.toml").write_text(CLIMAT_TOML, "utf-8")
    return folder


def test_a_file_of_another_instrument_is_refused_naming_the_one_it_matches(wh: Path, climat_dir: Path) -> None:
    before = wh.read_bytes()
    with pytest.raises(FileRefused) as err:
        load_file(CORPUS / "climat_other_instrument.csv", "practitioner", "2026-1", db=wh, surveys=[climat_dir])
    wrong = next(p for p in err.value.problems if p.problem == "wrong_instrument")
    assert wrong.message == (
        "Only 1 of the 37 questions of `practitioner@2` were found in this file, and only 2 of its 10 columns are "
        "known to this codebook. It looks like a file of instrument `climat` (5 of its 10 columns recognised): "
        "load it with --instrument climat. If it is this instrument, add the export's column names to its codebook "
        "(docs/codebooks.md)."
    )
    assert wh.read_bytes() == before
    CHECKED["files"] += 1


def test_a_new_instrument_written_only_as_toml_lands_with_its_declared_meanings(wh: Path, climat_dir: Path) -> None:
    """The new-instrument test at the ETL level: a codebook in a folder of one's own, a messy
    export (cp1252, CRLF, odd header case, Kobo choice names, Framaforms dates, a shifted row, an
    older duplicate), and the warehouse knows the instrument's values and meanings."""
    result = load_file(CORPUS / "climat_messy_export.csv", "climat", "2026-1", db=wh, surveys=[climat_dir])
    assert _rows(result, "row", "cell") == {(4, "wrong_field_count"), (5, "duplicate_respondent")}
    assert result.rows_loaded == 3
    # the truth, by hand (EQ3 reverse-keyed: 5 − answer; WHO-5: sum × 4)
    truth = {
        "EN_CLG_JAURES": ({"EQ1": 4, "EQ2": 3, "EQ3": 1, "W1": 5, "W2": 5, "W3": 4, "W4": 4, "W5": 3,
                           "X_SANTE": 0.5, "X_VILLE": 4.33, "PARTENAIRES": 1},
                          {"equipe": (4 + 3 + 4) / 3, "bien_etre": 84}, dt.datetime(2026, 3, 5, 10, 0)),
        "SANTE_CMP": ({"EQ1": 2, "EQ3": 3, "W1": 1, "W2": 2, "W3": 1, "W4": 0, "W5": 2,
                       "X_SANTE": 1.0, "X_VILLE": 0.0, "PARTENAIRES": 1},
                      {"equipe": (2 + 2) / 2, "bien_etre": 24}, dt.datetime(2026, 3, 6, 11, 30)),
        "VILLE_JEUNESSE": ({"EQ1": 4, "EQ2": 3, "EQ3": 1, "W1": 3, "W2": 3, "W3": 3, "W4": 3, "W5": 3,
                            "X_SANTE": 2.5, "X_VILLE": 0.5, "PARTENAIRES": 0},
                           {"equipe": (4 + 3 + 4) / 3, "bien_etre": 60}, dt.datetime(2026, 3, 13, 9, 15)),
    }
    people = {inst: (rid, sub) for rid, inst, sub in _q(
        wh, "SELECT respondent_id, institution_id, submitted_at FROM respondents WHERE instrument = 'climat'")}
    assert set(people) == set(truth)
    answers = {(r, i): v for r, i, v in _q(wh, "SELECT respondent_id, item_id, value FROM responses "
                                               "WHERE instrument = 'climat'")}
    scores = {(r, s): v for r, s, v in _q(wh, "SELECT respondent_id, scale_id, score FROM scale_scores "
                                              "WHERE instrument = 'climat'")}
    for inst, (items, scale_scores, submitted) in truth.items():
        rid, sub = people[inst]
        assert sub == submitted
        assert {i: v for (r, i), v in answers.items() if r == rid} == pytest.approx(items)
        assert {s: v for (r, s), v in scores.items() if r == rid} == pytest.approx(scale_scores)
        CHECKED["values"] += 1 + len(items) + len(scale_scores)
    assert _q(wh, "SELECT from_institution_id, to_institution_id, source FROM ties ORDER BY 1") == [
        ("EN_CLG_JAURES", "VILLE_JEUNESSE", "climat_survey"), ("SANTE_CMP", "EN_CLG_JAURES", "climat_survey")]
    # declared meanings, as the indicators will query them
    assert _q(wh, "SELECT scale_id, role, standard FROM scales WHERE instrument = 'climat' ORDER BY 1") == [
        ("bien_etre", "wellbeing", "who5"), ("equipe", "practice", None)]
    assert _q(wh, "SELECT item_id, target_sector_id, unit FROM items WHERE instrument = 'climat' "
                  "AND target_sector_id IS NOT NULL ORDER BY 1") == [
        ("X_SANTE", "health", "per_month"), ("X_VILLE", "city", "per_month")]
    assert _q(wh, "SELECT roster_id, roster_kind, tie_source, tie_kind FROM rosters WHERE instrument = 'climat'") == [
        ("PARTENAIRES", "multi_select", "climat_survey", "joint_action")]
    text, sha, kind, file_name = _q(wh, "SELECT toml_text, sha256, kind, file_name FROM codebooks "
                                        "WHERE instrument = 'climat'")[0]
    assert text == CLIMAT_TOML and sha == hashlib.sha256(CLIMAT_TOML.encode("utf-8")).hexdigest()
    assert (kind, file_name) == ("survey", "climat/v1.toml")
    # without the folder, the warehouse alone still describes the instrument
    shutil.rmtree(climat_dir)
    conn = attach_read_only(wh)
    try:
        (book,) = stored_codebooks(conn)["climat"]
    finally:
        conn.close()
    assert [(s.id, s.role, s.standard) for s in book.scales] == [("equipe", "practice", None),
                                                                 ("bien_etre", "wellbeing", "who5")]
    assert [r.tie_kind for r in book.rosters] == ["joint_action"]
    CHECKED["files"] += 1


def test_kobo_choice_names_0_to_4_are_codes_not_numbers(wh: Path) -> None:
    """Code "1" is the option worth 0.5 per month, although another option is worth 1."""
    result = load_file(CORPUS / "kobo_choice_names_0_to_4.csv", "frequences", "2026-1", db=wh,
                       surveys=[CORPUS / "codebooks"])
    assert _rows(result, "row", "cell") == set()
    got = {(inst, item): v for inst, item, v in _q(
        wh, "SELECT r.institution_id, x.item_id, x.value FROM responses x JOIN respondents r "
            "USING (wave_id, instrument, respondent_id)")}
    want = {}
    for t in TRUTH.values():
        want[(t["institution"], "F_HEALTH")] = t["EXC_HEALTH"]
        want[(t["institution"], "F_CITY")] = t["EXC_CITY"]
    assert got == pytest.approx(want)
    CHECKED["values"] += len(want)
    CHECKED["files"] += 1


# --- Broken codebooks: only their own instrument is blocked ----------------------------------------

BROKEN = {
    "vide": "{p}, line 1: the codebook is empty. Write at least [instrument] with name, version and kind "
    "(docs/codebooks.md), or delete the file.",
    "syntaxe": "{p} is not valid TOML (line 5, column 18: Illegal character '\\n'). Fix the syntax there (a missing "
    "quote, bracket or `=`, see docs/codebooks.md) and retry.",
    "doublon": "{p}, line 21: [[items]] id `Q1` is written twice (lines 13 and 21). Give the second one its own id, "
    "or delete it.",
    "cle_inconnue": "{p}, line 17: [[items]] Q1 has an unknown key `scal`. Allowed keys: id, scale, response_set, "
    "reverse, fr, en, columns, unit, target_sector, stem_fr, stem_en. Correct the spelling (docs/codebooks.md).",
    "orthographe": "{p}, line 9: response set `freq` spells two answers the same way (ignoring case, accents and "
    "spaces): “1” for option “Une fois” (value 0.5) and “1” for option “Une fois par mois” (value 1). An answer "
    "written so could not be told apart: change or remove one of the spellings.",
    "standard": "{p}, line 13: scale bien_etre is the standard who5, scored 0–100, but its rule gives 0–25: its "
    "published cut-offs would be misapplied. Fix rule, multiplier or the answer values (WHO-5: answers 0–5, "
    "rule = \"sum_times\", multiplier = 4; CBI: answers 0–100, rule = \"mean\").",
    "secteur": "{p}, line 13: item E1 has target_sector `sante`, which is not a sector id of surveys/sectors.toml "
    "(education, city, association, health, social, insertion, parents).",
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_codebook_blocks_only_its_instrument_naming_file_line_and_fix(wh: Path, name: str) -> None:
    folders = [CORPUS / "codebooks_broken", CORPUS / "codebooks"]
    path = CORPUS / "codebooks_broken" / name / "v1.toml"
    with pytest.raises(CodebookError) as err:
        codebook_versions(name, folders)
    assert str(err.value) == (
        f"Instrument `{name}` cannot be loaded until its codebook is fixed (the other instruments are not "
        f"affected): " + BROKEN[name].format(p=path)
    )
    # the other instruments of the same folders load
    result = load_file(CORPUS / "kobo_choice_names_0_to_4.csv", "frequences", "2026-1", db=wh, surveys=folders)
    assert result.rows_loaded == 4
    CHECKED["files"] += 1


def test_the_corpus_has_at_least_40_files() -> None:
    files = [p for p in CORPUS.rglob("*") if p.is_file()]
    assert len(files) >= 40
