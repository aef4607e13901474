"""`maillage export`: the Stata (.dta) and SPSS (.sav) panel carries variable labels and value
labels, read back with pyreadstat as Stata and SPSS users would see them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
import pytest
from click.testing import CliRunner

from etl.cli import cli
from warehouse.db import attach_read_only, publish

CODED = ("wave_id", "role", "institution_id", "sector_id", "territory", "level")
READERS: dict[str, Callable[..., tuple[pd.DataFrame, Any]]] = {
    "dta": pyreadstat.read_dta,
    "sav": pyreadstat.read_sav,
}


def export(db: Path, out: Path, *extra: str) -> Path:
    """The anonymised microdata export of a copy of `db` (a microdata export is recorded in the warehouse)."""
    copy = out.parent / f"{out.name}.duckdb"
    shutil.copyfile(db, copy)
    result = CliRunner().invoke(
        cli, ["export", "--db", str(copy), "--out", str(out), "--no-indicators", "--microdata", *extra]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def exports(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("exports")
    return {lang: export(demo_db, root / lang, "--lang", lang) for lang in ("fr", "en")}


def warehouse_rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = attach_read_only(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("ext", ["dta", "sav"])
def test_scale_scores_are_labelled_with_their_title_and_range(exports: dict[str, Path], ext: str) -> None:
    _, fr = READERS[ext](exports["fr"] / f"panel_wide.{ext}", metadataonly=True)
    _, en = READERS[ext](exports["en"] / f"panel_wide.{ext}", metadataonly=True)
    assert fr.column_names_to_labels["score_who5"] == "Bien-être (WHO-5, 0–100)"
    assert fr.column_names_to_labels["score_network_practice"] == "Pratiques en réseau (1–5)"
    assert fr.column_names_to_labels["score_cbi_work"] == "Épuisement lié au travail (CBI, 0–100)"
    assert en.column_names_to_labels["score_who5"] == "Wellbeing (WHO-5, 0–100)"
    assert en.column_names_to_labels["score_network_practice"] == "Network practice (1–5)"
    assert fr.column_names_to_labels["sector_id"] == "Secteur" and en.column_names_to_labels["sector_id"] == "Sector"
    for meta in (fr, en):
        labels = meta.column_names_to_labels
        assert all(labels[c] and labels[c] != c and len(labels[c]) <= 80 for c in meta.column_names), labels


@pytest.mark.parametrize("ext", ["dta", "sav"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_coded_variable_is_an_integer_code_whose_label_is_the_reference_label(
    exports: dict[str, Path], demo_db: Path, ext: str, lang: str
) -> None:
    coded, meta = READERS[ext](exports[lang] / f"panel_wide.{ext}")
    text = pd.read_csv(exports[lang] / "panel_wide.csv")
    assert len(coded) == len(text) > 500
    assert list(coded["respondent_id"]) == list(text["respondent_id"])
    label = f"label_{lang}"

    def labels_of(response_set: str) -> dict[str, str]:
        return dict(warehouse_rows(demo_db, f"SELECT code, {label} FROM response_labels WHERE response_set = "
                                            f"'{response_set}' AND instrument = 'practitioner'"))  # fmt: skip

    reference = {
        "sector_id": dict(warehouse_rows(demo_db, f"SELECT sector_id, {label} FROM sectors")),
        "role": labels_of("roles"),
        "level": labels_of("levels"),
        "institution_id": dict(warehouse_rows(demo_db, "SELECT institution_id, name FROM institutions")),
        "wave_id": {w: w for (w,) in warehouse_rows(demo_db, "SELECT wave_id FROM waves")},
        "territory": {t: t for t in text["territory"].dropna()},
    }
    grouped = "groupé (anonymisation)" if lang == "fr" else "grouped (anonymisation)"
    for column in CODED:
        if column != "wave_id":
            reference[column]["*"] = grouped  # a quasi-identifier coarsened for k-anonymity
    for column in CODED:
        value_labels = meta.variable_value_labels[column]
        codes = coded[column].dropna()
        assert (codes == codes.round()).all() and set(codes) <= set(value_labels), column
        decoded = coded[column].map(value_labels)
        expected = text[column].map(reference[column])
        assert decoded.fillna("").tolist() == expected.fillna("").tolist(), column
    # waves are coded by their order
    assert (coded["wave_id"] == text["wave_order"]).all()
    for score in [c for c in text.columns if c.startswith("score_")]:
        pd.testing.assert_series_equal(coded[score], text[score], check_names=False, check_dtype=False)


def test_data_dictionary_says_how_codes_map(exports: dict[str, Path]) -> None:
    dictionary = pd.read_csv(exports["fr"] / "data_dictionary.csv")
    panel = dictionary[dictionary["file"] == "panel_wide"].set_index("column")["description"]
    _, meta = pyreadstat.read_dta(exports["fr"] / "panel_wide.dta", metadataonly=True)
    for column in CODED:
        for code, label in meta.variable_value_labels[column].items():
            assert f"{code} = " in panel[column] and label in panel[column], (column, code)
    assert "1 = education (Éducation nationale)" in panel["sector_id"]
    assert "1 = 2024-2; 2 = 2025-1; 3 = 2025-2; 4 = 2026-1" in panel["wave_id"]


def test_long_names_are_cut_to_the_stata_and_spss_limits(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "long.duckdb"
    shutil.copyfile(demo_db, db)
    long_name = "Association pour la réussite éducative et l'accompagnement des familles " * 4
    long_scale = "Pratiques professionnelles en réseau avec les partenaires éducatifs du territoire élargi"

    def rename(conn: Any) -> None:
        conn.execute("UPDATE institutions SET name = ? WHERE institution_id = 'AS_MJC'", [long_name])
        conn.execute("UPDATE scales SET label_fr = ? WHERE scale_id = 'network_practice'", [long_scale])

    publish(db, rename)
    out = export(db, tmp_path / "out")
    ids = sorted(r[0] for r in warehouse_rows(db, "SELECT institution_id FROM institutions"))
    code = ids.index("AS_MJC") + 1  # institutions are coded in the order of their ids
    for ext in ("dta", "sav"):
        _, meta = READERS[ext](out / f"panel_wide.{ext}", metadataonly=True)
        variable = meta.column_names_to_labels["score_network_practice"]
        assert len(variable) <= 80 and variable.endswith("…") and variable.startswith("Pratiques professionnelles")
        value = meta.variable_value_labels["institution_id"][code]
        assert len(value.encode("utf-8")) <= 120 and value.endswith("…") and value.startswith("Association pour")


def test_an_unknown_language_setting_is_one_clear_error(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILLAGE_LANGUAGE", "de")
    result = CliRunner().invoke(cli, ["export", "--db", str(demo_db), "--out", str(tmp_path / "out")])
    assert (result.exit_code, result.output) == (
        4,
        "Error: MAILLAGE_LANGUAGE='de' is not a language of the export: use fr or en.\n",
    )
