"""Every problem of a load is explained in French too (`message_fr`), for the dashboard: in the
LoadResult, in the warehouse's quarantine table and in the CSV report; file refusals carry a French
paragraph that names the dashboard's field as well as the CLI option. The English stays as it was."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from etl.codebook import codebook_versions
from etl.errors import CodebookError, FileRefused
from etl.load import LoadResult
from etl.report import write_report
from indicators.quality import quarantine_rows
from warehouse.db import attach_read_only

Query = Callable[..., list[tuple[Any, ...]]]
Key = tuple[int | None, str | None]
pytestmark = pytest.mark.usefixtures("with_institutions")


def _problems(result: LoadResult) -> dict[Key, dict[str, Any]]:
    """The LoadResult's problems by (row, column)."""
    out = {}
    for p in result.problems.to_dict("records"):
        row = None if pd.isna(p["source_row"]) else int(p["source_row"])
        column = None if pd.isna(p["column_name"]) else str(p["column_name"])
        out[(row, column)] = p
    return out


def _quarantine_fr(query: Query, file_name: str) -> dict[Key, str]:
    rows = query("SELECT source_row, column_name, message_fr FROM quarantine WHERE file_name = ?", [file_name])
    return {(r, c): m for r, c, m in rows}


def test_limesurvey_problems_are_explained_in_french_in_the_result_and_the_quarantine(
    load: Callable[..., LoadResult], query: Query
) -> None:
    result = load("limesurvey_codes.xlsx", "practitioner", "2025-2")
    p = _problems(result)
    duplicate = p[(2, None)]["message_fr"]
    assert duplicate == (
        "Une autre réponse du même répondant dans ce fichier (ligne 4) est plus récente : celle-ci, plus "
        "ancienne, a été mise en quarantaine et la plus récente a été gardée."
    )
    out_of_range = p[(3, "G01Q04")]
    assert out_of_range["message_fr"].startswith(
        "La valeur n'est pas un nombre valide pour « Depuis combien d'années occupez-vous ce poste ? » "
        "(valeurs permises : de 0 à 45). La cellule a été mise en quarantaine, le reste de la ligne a été chargé."
    )
    assert "allowed 0 to 45" in out_of_range["message"]  # the English is still there, unchanged
    unknown = p[(5, "G02Q01[SQ002]")]["message_fr"]
    assert unknown.startswith("La réponse n'est pas une réponse possible de l'item NET2 (réponses attendues : ")
    assert "« Pas du tout d'accord » ; « Plutôt pas d'accord »" in unknown
    assert "ajoutez-la aux `aliases` du dictionnaire practitioner/v2.toml ; sinon, corrigez l'export." in unknown
    assert p[(6, None)]["message_fr"] == "Ligne vide : rien à charger (elle a été ignorée)."
    assert p[(None, None)]["message_fr"].startswith("26 item(s) du dictionnaire practitioner@2 ne figurent pas")

    # the warehouse keeps the same French explanations for the quality page
    quarantined = _quarantine_fr(query, "limesurvey_codes.xlsx")
    assert set(quarantined) == {(2, None), (3, "G01Q04"), (5, "G02Q01[SQ002]"), (6, None)}
    for key, message in quarantined.items():
        assert message == p[key]["message_fr"]


def test_out_of_range_rating_and_duplicate_partner_in_french(load: Callable[..., LoadResult], query: Query) -> None:
    load("kobo_partner_cp1252.csv", "partner", "2025-1")
    q = _quarantine_fr(query, "kobo_partner_cp1252.csv")
    assert q[(4, "partenaires/en_clg_jaures/niveau")] == (
        "La valeur est hors des réponses possibles de la question PARTNER_RATINGS (de 0 à 5). La cellule a "
        "été mise en quarantaine ; corrigez-la dans l'export puis rechargez le fichier."
    )
    assert q[(5, None)].startswith("Une autre réponse du même répondant dans ce fichier (ligne 4)")


def test_unknown_institution_gets_its_suggestion_in_french(load: Callable[..., LoadResult], query: Query) -> None:
    result = load("activities.xlsx", "activities")
    expected = (
        "Un nom de cette cellule n'est pas dans la liste des structures. Structure connue la plus proche : "
        "« Collège Jean Jaurès » (EN_CLG_JAURES). Ce nom a été retiré de cette ligne ; ajoutez la structure à "
        "la liste des structures (ou cette orthographe à ses alias), puis rechargez le fichier."
    )
    assert _problems(result)[(5, "Structures impliquées")]["message_fr"] == expected
    q = _quarantine_fr(query, "activities.xlsx")
    assert q[(5, "Structures impliquées")] == expected
    assert q[(7, "Date")].endswith("(écrivez 26/11/2026 ou 2026-11-26). La ligne a été mise en quarantaine.")
    assert q[(8, None)].startswith("L'identifiant d'action de cette ligne est déjà utilisé à la ligne 3")
    territory = _problems(result)[(4, "Quartier")]["message_fr"]
    assert "Vouliez-vous dire « Les Tilleuls » ?" in territory


def test_unknown_institution_of_a_respondent_in_french(load: Callable[..., LoadResult], query: Query) -> None:
    load("google_forms.csv", "practitioner", "2025-1")
    q = _quarantine_fr(query, "google_forms.csv")
    assert q[(4, "Dans quelle structure travaillez-vous ?")] == (
        "La structure n'est pas dans la liste des structures. La cellule a été mise en "
        "quarantaine, le reste de la ligne a été chargé. Ajoutez la structure à la liste des structures, ou "
        "cette orthographe à ses alias, rechargez la liste, puis rechargez ce fichier."
    )


def test_a_file_without_respondent_key_is_refused_in_french_too(
    load: Callable[..., LoadResult], db: Path, tmp_path: Path
) -> None:
    before = db.read_bytes()
    path = tmp_path / "nokey.csv"
    path.write_text("G01Q01;G05Q01[SQ001]\nA1;A1\n", encoding="utf-8")
    with pytest.raises(FileRefused) as err:
        load(path, "practitioner", "2025-1")
    assert str(err.value).startswith("nokey.csv was not loaded:\n- No respondent key column.")
    assert err.value.message_fr.startswith(
        "nokey.csv n'a pas été chargé :\n- Aucune colonne d'identifiant des répondants. Noms attendus : "
        "« token », « Code anonyme »"
    )
    assert "Colonnes trouvées : « G01Q01 », « G05Q01[SQ001] »." in err.value.message_fr
    assert err.value.text("fr") == err.value.message_fr and err.value.text("en") == str(err.value)
    (problem,) = err.value.problems
    assert problem.problem == "missing_key_column" and problem.message_fr.startswith("Aucune colonne d'identifiant")
    assert db.read_bytes() == before


def test_refusals_name_the_page_field_and_the_cli_option(load: Callable[..., LoadResult], tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("colonne1;colonne2\n", encoding="utf-8")
    with pytest.raises(FileRefused) as err:
        load(path, "practitioner", None)
    by_code = {p.problem: p.message_fr for p in err.value.problems}
    assert by_code["missing_wave"] == (
        "Ce fichier n'indique pas à quelle vague il appartient. Indiquez la vague (champ « Vague » de la page, "
        "ou --wave en ligne de commande, par ex. --wave 2025-1)."
    )
    assert (
        "(champ « Questionnaire ou liste » de la page, ou --instrument en ligne de commande)"
        in by_code["no_known_question"]
    )
    wave_path = tmp_path / "two_waves.csv"
    wave_path.write_text("token;G05Q01[SQ001];vague\nt1;A1;2025-1\nt2;A2;2025-2\n", encoding="utf-8")
    with pytest.raises(FileRefused) as waves:
        load(wave_path, "practitioner", None)
    assert str(waves.value).endswith("load one file per wave, or pass --wave to say which one this is.")
    assert waves.value.message_fr == (
        "Le fichier contient plusieurs vagues (2025-1, 2025-2) : chargez un fichier par vague, ou indiquez de "
        "quelle vague il s'agit (champ « Vague » de la page, ou --wave en ligne de commande)."
    )


def test_read_refusals_are_in_french(load: Callable[..., LoadResult], tmp_path: Path) -> None:
    pdf = tmp_path / "notes.pdf"
    pdf.write_bytes(b"%PDF")
    with pytest.raises(FileRefused) as err:
        load(pdf, "practitioner", "2025-1")
    assert "Export the survey as CSV or XLSX" in str(err.value)
    assert err.value.message_fr.endswith("Exportez le questionnaire en CSV ou en XLSX et réessayez.")
    data = Path(__file__).resolve().parents[1] / "data" / "limesurvey_codes.xlsx"
    with pytest.raises(FileRefused) as sheet:
        load(data, "practitioner", "2025-2", sheet="Feuil9")
    assert str(sheet.value).endswith("Pass one of them with --sheet.")
    assert sheet.value.message_fr.endswith(
        "Choisissez l'une d'elles (liste « Feuille du classeur » de la page, ou --sheet en ligne de commande)."
    )
    with pytest.raises(CodebookError) as book:
        codebook_versions("no_such_instrument")
    assert book.value.message_fr.startswith("Questionnaire `no_such_instrument` inconnu. Questionnaires connus :")


def test_report_has_a_final_french_column(load: Callable[..., LoadResult], tmp_path: Path) -> None:
    result = load("limesurvey_codes.xlsx", "practitioner", "2025-2")

    def rows(lang: str) -> list[dict[str, str]]:
        path = write_report(tmp_path / f"r.{lang}.csv", "limesurvey_codes.xlsx", result.problems, lang=lang)
        return list(csv.DictReader(path.read_bytes().decode("utf-8-sig").splitlines(), delimiter=";"))

    english, french = rows("en"), rows("fr")
    columns = ["file", "row", "column", "value", "problem", "action", "message", "message_fr"]
    assert list(english[0]) == columns and list(french[0]) == columns
    en = next(r for r in english if r["problem"] == "out_of_range")
    fr = next(r for r in french if r["problem"] == "out_of_range")
    assert en["action"] == "cell quarantined" and fr["action"] == "réponse écartée"
    assert en["message"] == fr["message"] and "allowed 0 to 45" in en["message"]
    assert en["message_fr"] == fr["message_fr"] and "(valeurs permises : de 0 à 45)" in fr["message_fr"]


def test_a_warehouse_made_before_french_messages_gets_them_at_its_next_load(
    load: Callable[..., LoadResult], db: Path, query: Query
) -> None:
    conn = duckdb.connect(str(db))  # the institutions list is loaded: drop the new column
    conn.execute("ALTER TABLE quarantine DROP COLUMN message_fr")
    conn.close()
    conn = attach_read_only(db)
    try:
        assert quarantine_rows(conn).empty and "message_fr" in quarantine_rows(conn).columns
    finally:
        conn.close()
    load("limesurvey_codes.xlsx", "practitioner", "2025-2")
    assert (
        _quarantine_fr(query, "limesurvey_codes.xlsx")[(6, None)] == "Ligne vide : rien à charger (elle a été ignorée)."
    )
    conn = attach_read_only(db)
    try:
        rows = quarantine_rows(conn)
    finally:
        conn.close()
    assert "Ligne vide : rien à charger (elle a été ignorée)." in set(rows["message_fr"])
    assert rows["message"].str.contains("Empty row").any()
