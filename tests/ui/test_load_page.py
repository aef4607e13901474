"""The load page (pages/7_charger.py): the real flow in AppTest (instrument, wave, upload, dry-run
report, confirmation) on a warehouse that does not exist yet, and its helpers (ui.loading) on the
real export files of tests/data/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, TIMEOUT, page_tables
from ui import loading
from warehouse.db import attach_read_only

PAGE = "pages/7_charger.py"
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture()
def new_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A warehouse path where nothing exists yet, and a throwaway pseudonymisation key."""
    monkeypatch.setenv("MAILLAGE_SECRET", str(tmp_path / "key" / "pseudonym.key"))
    db = tmp_path / "wh" / "territoire.duckdb"
    monkeypatch.setenv("MAILLAGE_DB", str(db))
    return db


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = attach_read_only(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def open_page(lang: str = "fr") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    if lang == "en":
        at.button_group(key="lang").set_value("en").run()
    return at


def upload(at: AppTest, name: str, mime: str = "text/csv") -> AppTest:
    return at.file_uploader[0].upload(name, (DATA / name).read_bytes(), mime).run()


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    """The table shown that has `column`."""
    return next(d.value for d in page_tables(at) if column in d.value.columns)


def texts(elements: object) -> str:
    return "\n".join(e.value for e in elements)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- the page


def test_first_loads_into_a_warehouse_that_does_not_exist_yet(new_db: Path) -> None:
    at = open_page()
    assert not at.exception
    assert "sera créé par le premier chargement" in texts(at.info)
    assert "La liste des structures n'est pas encore chargée" in texts(at.warning)
    assert at.selectbox(key="load_instrument").value == "institutions"  # first things first
    assert not at.button  # nothing to confirm before a file is checked

    at = upload(at, "institutions.csv")
    assert not at.exception
    assert "**institutions.csv** peut être chargé : 6 lignes sur 6" in texts(at.success)
    assert [m.value for m in at.metric][:2] == ["6", "6"]
    assert any(b.label == "Rapport de vérification (CSV)" for b in at.get("download_button"))
    assert not new_db.exists()  # the check wrote nothing

    at.button(key="load_confirm").click().run()
    assert not at.exception
    assert "**institutions.csv** est chargé : 6 lignes sur 6" in texts(at.success)
    assert query(new_db, "SELECT count(*) FROM institutions") == [(6,)]
    assert (new_db.parent / "reports" / "institutions.report.csv").exists()
    # the uploader is empty again and the next step is proposed
    assert at.file_uploader[0].value is None
    assert at.selectbox(key="load_instrument").value == "targets"
    assert "Étape suivante" in texts(at.markdown)

    at = upload(at, "targets.csv")
    at.button(key="load_confirm").click().run()
    assert query(new_db, "SELECT count(*) FROM population_targets")[0][0] > 0

    # a survey wave: new wave id, problems listed with the rows they concern
    assert at.selectbox(key="load_instrument").value == "practitioner"
    at.text_input(key="load_wave_new").input("2025-1").run()
    at = upload(at, "google_forms.csv")
    assert not at.exception
    assert "3 lignes sur 3 seraient chargées (vague 2025-1, Questionnaire aux professionnels)" in texts(at.success)
    problems = frame_with(at, "Motif")
    assert {"réponse non reconnue", "structure inconnue"} <= set(problems["Motif"])
    assert "Valeur" not in problems.columns
    # the explanations are in French, with what to do
    assert (
        "La structure n'est pas dans la liste des structures. La cellule a été mise en "
        "quarantaine, le reste de la ligne a été chargé. Ajoutez la structure à la liste des structures, ou "
        "cette orthographe à ses alias, rechargez la liste, puis rechargez ce fichier."
    ) in set(problems["Explication"])
    assert not any("is not" in m for m in problems["Explication"])
    at.checkbox(key="load_show_values").check().run()
    assert "Mairie annexe du Plateau" in set(frame_with(at, "Motif")["Valeur"])

    at.button(key="load_confirm").click().run()
    assert not at.exception
    assert query(new_db, "SELECT wave_id, count(*) FROM respondents GROUP BY 1") == [("2025-1", 3)]
    # the frame reran: the caches see the new warehouse version (the wave is in the filters)
    assert "vague 2025-1" in texts(at.success)
    assert at.sidebar.multiselect  # filters appear once a wave exists
    assert [p.proto.page for p in at.get("page_link")][:3] == [
        "quality",
        "",
        "practice",
    ]  # overview is the default page


def test_the_same_file_again_changes_nothing(new_db: Path) -> None:
    at = open_page()
    at = upload(at, "institutions.csv")
    at.button(key="load_confirm").click().run()
    at.selectbox(key="load_instrument").set_value("institutions").run()
    at = upload(at, "institutions.csv")
    assert "déjà chargé pour cette vague" in texts(at.info)
    assert at.button(key="load_confirm").disabled


def test_a_refused_file_says_why_and_cannot_be_loaded(new_db: Path) -> None:
    at = open_page()
    at.selectbox(key="load_instrument").set_value("practitioner").run()
    at.text_input(key="load_wave_new").input("2025-1").run()
    at = upload(at, "google_forms.csv")
    assert not at.exception
    error = texts(at.error)
    assert "ne peut pas être chargé tel quel" in error
    assert "liste des structures pas encore chargée" in error  # the problem's reader name
    assert "L'entrepôt n'a pas encore de liste des structures" in error  # its explanation, in French
    assert "The warehouse has no institutions list yet" not in error
    assert at.button(key="load_confirm").disabled
    assert any(b.label == "Rapport de vérification (CSV)" for b in at.get("download_button"))
    assert not new_db.exists()


def test_a_bad_wave_id_is_caught_before_the_check(new_db: Path) -> None:
    at = open_page()
    at.selectbox(key="load_instrument").set_value("practitioner").run()
    at.text_input(key="load_wave_new").input("vague de mai !").run()
    assert "n'est pas un nom de vague utilisable" in texts(at.error)
    at = upload(at, "google_forms.csv")
    assert not at.success and not at.button


def test_english(new_db: Path) -> None:
    at = open_page("en")
    assert not at.exception
    assert at.title[0].value == "Load a wave"
    assert [s.value for s in at.subheader][:3] == ["1. What are you loading?", "2. The file", "3. Check"]
    at = upload(at, "institutions.csv")
    assert "**institutions.csv** can be loaded: 6 of 6 rows would be loaded" in texts(at.success)
    at.selectbox(key="load_instrument").set_value("practitioner").run()
    at.text_input(key="load_wave_new").input("2025-1").run()
    at = upload(at, "google_forms.csv")
    assert "The warehouse has no institutions list yet" in texts(at.error)  # the English explanation


def test_on_the_demo_the_user_is_warned_before_mixing_data(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    assert not at.exception
    assert "données fictives de démonstration" in texts(at.warning)
    # existing waves can be chosen to replace a wave's file
    at.button_group(key="load_wave_mode").set_value("existing").run()
    assert at.selectbox(key="load_wave_existing").options[-1] == "2026-1"
    assert frame_with(at, "Statut").shape[0] == 8


# --------------------------------------------------------------------------- ui.loading


def test_instruments_come_from_the_codebooks_in_load_order() -> None:
    choices = loading.instrument_choices()
    names = [c.name for c in choices]
    assert names[:2] == ["institutions", "targets"]
    assert {"practitioner", "partner", "activities"} <= set(names)
    by_name = {c.name: c for c in choices}
    assert by_name["practitioner"].needs_wave and not by_name["institutions"].needs_wave
    assert by_name["practitioner"].versions == ("1", "2")
    assert loading.instrument_titles("en")["partner"].startswith("Partner survey")


def test_uploaded_names_keep_the_original_name_without_folders() -> None:
    assert loading.safe_file_name("praticiens 2025.xlsx") == "praticiens 2025.xlsx"
    assert loading.safe_file_name("../../etc/passwd") == "passwd"
    assert loading.safe_file_name("C:\\Users\\moi\\export.csv") == "export.csv"
    assert loading.safe_file_name("") == "export.csv"
    with loading.saved_upload("réponses.csv", b"a;b\n") as path:
        assert path.name == "réponses.csv" and path.read_bytes() == b"a;b\n"
        folder = path.parent
    assert not folder.exists()  # personal data does not stay behind


def test_dry_run_then_load_then_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_SECRET", str(tmp_path / "pseudonym.key"))
    db = tmp_path / "wh.duckdb"
    content = (DATA / "limesurvey_codes.xlsx").read_bytes()
    refused = loading.validate_upload("limesurvey_codes.xlsx", content, "practitioner", "2025-2", db)
    assert refused.status == "refused" and refused.error_kind == "refused"
    assert list(refused.refusals["problem"]) == ["no_institutions"]
    assert not refused.can_load and not db.exists()

    inst = loading.load_upload("institutions.csv", (DATA / "institutions.csv").read_bytes(), "institutions", None, db)
    assert inst.status == "loaded" and inst.result is not None and inst.result.load_id == 1

    check = loading.validate_upload("limesurvey_codes.xlsx", content, "practitioner", "2025-2", db)
    assert check.can_load and check.result is not None
    assert (check.result.rows_read, check.result.rows_loaded) == (6, 4)
    assert {"duplicate_respondent", "empty_row", "out_of_range"} <= set(check.problems["problem"])
    assert query(db, "SELECT count(*) FROM respondents") == [(0,)]  # a dry run writes nothing

    done = loading.load_upload("limesurvey_codes.xlsx", content, "practitioner", "2025-2", db)
    assert done.status == "loaded"
    assert query(db, "SELECT count(*) FROM respondents WHERE wave_id = '2025-2'") == [(4,)]
    assert query(db, "SELECT file_name FROM loads WHERE load_id = 2") == [("limesurvey_codes.xlsx",)]
    assert done.report_path is not None and done.report_path.exists()

    again = loading.validate_upload("limesurvey_codes.xlsx", content, "practitioner", "2025-2", db)
    assert again.already_loaded
    assert loading.load_upload("limesurvey_codes.xlsx", content, "practitioner", "2025-2", db).status == "unchanged"


def test_report_csv_is_the_etl_report_for_french_excel() -> None:
    problems = loading.problems_frame(
        [
            {
                "source_row": 4,
                "column_name": "Q1",
                "value": "xx",
                "problem": "unknown_label",
                "scope": "cell",
                "message": "“xx” is not an answer",
            }
        ]
    )
    raw = loading.report_csv("f.csv", problems)
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "file;row;column;value;problem;action;message;message_fr"
    assert lines[1].startswith("f.csv;4;Q1;xx;unknown_label;cell quarantined;")
    assert lines[1].endswith(";“xx” is not an answer;“xx” is not an answer")  # no French given: the English
    french = loading.report_csv("f.csv", problems, "fr").decode("utf-8-sig").splitlines()
    assert french[0] == lines[0] and french[1].startswith("f.csv;4;Q1;xx;unknown_label;réponse écartée;")
    assert loading.report_file_name("export mai.csv", "2025-1") == "export_mai.2025-1.report.csv"


def test_workbook_sheets_are_listed() -> None:
    assert loading.sheet_names("limesurvey_codes.xlsx", (DATA / "limesurvey_codes.xlsx").read_bytes()) == [
        "results-survey845211"
    ]
    assert loading.sheet_names("institutions.csv", b"x") == []
    assert loading.sheet_names("broken.xlsx", b"not a workbook") == []


def test_errors_come_back_as_messages_not_exceptions(tmp_path: Path) -> None:
    bad = loading.validate_upload("notes.pdf", b"%PDF", "practitioner", "2025-1", tmp_path / "wh.duckdb")
    assert bad.status == "refused" and "Export the survey as CSV or XLSX" in bad.message
    assert bad.text("fr").endswith("Exportez le questionnaire en CSV ou en XLSX et réessayez.")
    assert bad.text("en") == bad.message
    unknown = loading.validate_upload("x.csv", b"a;b\n1;2\n", "no_such_instrument", None, tmp_path / "wh.duckdb")
    assert unknown.status == "error" and unknown.error_kind == "codebook"
    assert loading.wave_id_problem("2025 mai") and not loading.wave_id_problem("2025-S2")
