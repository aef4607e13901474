"""The views by meaning (instrument_kinds, survey_*, tie_sources, network_ties): what the
indicators read instead of naming instruments, and how a warehouse of an earlier schema is told
to upgrade."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from etl.cli import cli
from indicators.instruments import practice_scales, wellbeing_scales
from tests.indicators.conftest import wh_insert_frame, wh_metadata
from warehouse.db import ALIAS, SCHEMA_VERSION, OutdatedWarehouse, ReadOnlyWarehouse, apply_schema, publish, writer_lock


@pytest.fixture()
def conn() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    apply_schema(c)
    wh_metadata(c)
    return c


def test_scales_are_found_by_their_declared_role_in_codebook_order(conn: duckdb.DuckDBPyConnection) -> None:
    assert practice_scales(conn) == ("network_practice", "legibility", "parents_actors", "partnership_culture")
    assert wellbeing_scales(conn) == ("who5", "cbi_work")


def test_rows_written_before_roles_existed_keep_the_bundled_meaning(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("UPDATE scales SET role = NULL, standard = NULL, sort_order = NULL")
    assert set(practice_scales(conn)) == {"network_practice", "legibility", "parents_actors", "partnership_culture"}
    assert set(wellbeing_scales(conn)) == {"who5", "cbi_work"}


def test_a_published_scale_is_known_by_its_standard_whatever_its_codebook_calls_it(
    conn: duckdb.DuckDBPyConnection,
) -> None:
    conn.execute("UPDATE scales SET scale_id = 'bien_etre' WHERE scale_id = 'who5'")
    conn.execute("UPDATE items SET scale_id = 'bien_etre' WHERE scale_id = 'who5'")
    assert "who5" in wellbeing_scales(conn)
    assert conn.execute("SELECT count(*) FROM survey_items WHERE scale_id = 'who5'").fetchall() == [(5,)]


def test_an_instrument_of_another_kind_is_not_a_survey(conn: duckdb.DuckDBPyConnection) -> None:
    wh_insert_frame(conn, "codebooks", [{
        "instrument": "practitioner", "version": "1", "kind": "partner_survey", "title_fr": "x", "title_en": "x",
        "file_name": "practitioner/v1.toml", "sha256": "s", "toml_text": "", "definition_json": "{}",
        "stored_at": "2026-01-01 00:00:00"}])
    assert practice_scales(conn) == ()


def test_a_person_who_answered_two_survey_instruments_counts_once(conn: duckdb.DuckDBPyConnection) -> None:
    wh_insert_frame(conn, "respondents", [
        {"wave_id": "V1", "instrument": ins, "respondent_id": "P1", "load_id": 1, "source_row": 1}
        for ins in ("practitioner", "climat")])
    wh_insert_frame(conn, "codebooks", [{
        "instrument": "climat", "version": "1", "kind": "survey", "title_fr": "x", "title_en": "x",
        "file_name": "climat/v1.toml", "sha256": "s", "toml_text": "", "definition_json": "{}",
        "stored_at": "2026-01-01 00:00:00"}])
    assert conn.execute("SELECT count(*) FROM respondents").fetchall() == [(2,)]
    assert conn.execute("SELECT instrument FROM survey_respondents").fetchall() == [("climat",)]


def test_ties_feed_the_network_their_kind_of_tie_says(conn: duckdb.DuckDBPyConnection) -> None:
    wh_insert_frame(conn, "rosters", [
        {"instrument": "climat", "roster_id": "PART", "roster_kind": "multi_select", "tie_source": "climat_survey",
         "tie_kind": "joint_action", "label_fr": "x", "label_en": "x", "rating_fields": []},
        {"instrument": "orga", "roster_id": "NOTE", "roster_kind": "rating", "tie_source": "orga_survey",
         "tie_kind": "collaboration", "label_fr": "x", "label_en": "x", "rating_fields": ["collaboration_level"]}])
    wh_insert_frame(conn, "ties", [
        {"wave_id": "V1", "source": s, "rater_respondent_id": "R", "from_institution_id": "A",
         "to_institution_id": "B", "load_id": 1} for s in ("climat_survey", "orga_survey", "other_survey")])
    # a source no roster declares keeps its name
    assert conn.execute("SELECT source FROM network_ties ORDER BY 1").fetchall() == [
        ("other_survey",), ("partner_survey",), ("practitioner_survey",)]
    # the fixture's loads are the practitioner instrument's: every source it wrote counts for it too
    assert ("practitioner_survey", "climat") in conn.execute("SELECT * FROM tie_source_instruments").fetchall()
    assert ("partner_survey", "orga") in conn.execute("SELECT * FROM tie_source_instruments").fetchall()


# --------------------------------------------------------------------------- earlier schemas


@pytest.fixture()
def old_warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A warehouse as an earlier Maillage left it (schema 1: no views by meaning)."""
    path = tmp_path_factory.mktemp("old") / "maillage.duckdb"
    with writer_lock(path):
        publish(path, lambda c: None)
    c = duckdb.connect(str(path))
    c.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    c.execute("DROP VIEW survey_scores")
    c.execute("INSERT INTO waves VALUES ('2025-1', 1, NULL, NULL)")
    c.close()
    return str(path)


def test_an_earlier_schema_is_refused_with_the_command_that_upgrades_it(old_warehouse: str) -> None:
    with pytest.raises(OutdatedWarehouse) as err:
        ReadOnlyWarehouse(Path(old_warehouse)).cursor()
    assert str(err.value) == (
        f"{old_warehouse} was written by another version of Maillage (schema 1; this one reads schema "
        f"{SCHEMA_VERSION}). Bring it up to date with `maillage init --db {old_warehouse}` (its data are kept)."
    )


def test_maillage_init_upgrades_it_and_keeps_its_data(old_warehouse: str) -> None:
    done = CliRunner().invoke(cli, ["init", "--db", old_warehouse])
    assert done.exit_code == 0, done.output
    cur = ReadOnlyWarehouse(Path(old_warehouse)).cursor()
    assert cur.execute(f"SELECT wave_id FROM {ALIAS}.waves").fetchall() == [("2025-1",)]
    assert cur.execute("SELECT count(*) FROM survey_scores").fetchall() == [(0,)]


def test_the_dashboard_says_how_to_upgrade_it(old_warehouse: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_DB", old_warehouse)
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"L'entrepôt {old_warehouse} a été écrit par une autre version de Maillage. Mettez-le à jour avec "
        f"`maillage init --db {old_warehouse}` (ses données sont conservées), puis rechargez la page."
    ]
