"""The demo territory: reproducible files in the real export formats, a warehouse that loads with
only the planted flaws quarantined, and the story the indicators will have to show.

The warehouse is built once for the module (about ten seconds). Counts are checked against the
files read independently (python-calamine, csv), not through the ETL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
from python_calamine import CalamineWorkbook

from etl import demo
from etl.errors import MaillageError
from etl.load import LoadResult
from warehouse.db import attach_read_only, publish, writer_lock

WAVE_IDS = ["2024-2", "2025-1", "2025-2", "2026-1"]
LAGGING = "Plateau des Sources"


# --- Reading the files independently -----------------------------------------------------------


def sheet_rows(path: Path) -> list[list[Any]]:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)


def csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    text = data[3:].decode("utf-8") if data.startswith(b"\xef\xbb\xbf") else data.decode("cp1252")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def parsed(path: Path) -> list[list[Any]]:
    return csv_rows(path) if path.suffix == ".csv" else sheet_rows(path)


def records(path: Path) -> list[dict[str, Any]]:
    """Data rows as dicts by header (empty rows kept as all-empty dicts)."""
    rows = parsed(path)
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


@pytest.fixture(scope="module")
def flaws() -> list[demo.PlantedFlaw]:
    return demo.planted_flaws()


@dataclass
class Demo:
    conn: duckdb.DuckDBPyConnection
    results: list[LoadResult]
    lines: list[str]
    path: Path

    def all(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params or []).fetchall()

    def one(self, sql: str, params: list[Any] | None = None) -> Any:
        return self.all(sql, params)[0][0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    tmp = tmp_path_factory.mktemp("demo")
    db = tmp / "maillage.duckdb"
    lines: list[str] = []
    with writer_lock(db):  # a warehouse that is not the demo: replaced only because of force=True
        publish(db, lambda conn: None)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAILLAGE_SECRET", str(tmp / "secret" / "pseudonym.key"))
        mp.setenv("XDG_CONFIG_HOME", str(tmp / "config"))
        results = demo.build_demo_warehouse(db, force=True, echo=lines.append)
    conn = attach_read_only(db)
    yield Demo(conn, results, lines, db)
    conn.close()


# --- Reproducible, small, real formats ---------------------------------------------------------


def test_regenerating_with_the_default_seed_reproduces_the_committed_files(tmp_path: Path) -> None:
    written = demo.write_demo_exports(tmp_path)
    committed = sorted(p.name for p in demo.DEMO_DIR.iterdir() if p.suffix in (".csv", ".xlsx"))
    assert sorted(p.name for p in written) == committed
    for path in written:
        assert parsed(path) == parsed(demo.DEMO_DIR / path.name), f"{path.name} differs from surveys/demo/"


def test_another_seed_gives_another_territory() -> None:
    default, other = demo.build_territory(), demo.build_territory(seed=7)
    assert default.institutions == other.institutions  # the territory's reference list is fixed
    assert default.practitioners["2024-2"] != other.practitioners["2024-2"]
    assert default.activities != other.activities


def test_demo_files_are_small() -> None:
    for f in demo.demo_files():
        assert f.path.stat().st_size < 300_000, f.path.name


def test_partner_csvs_are_windows_1252_with_accents() -> None:
    for wave in WAVE_IDS:
        data = (demo.DEMO_DIR / f"partenaires_{wave}.csv").read_bytes()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        text = data.decode("cp1252")
        assert "é" in text and "\r\n" in text
        head = text.splitlines()[0].split(";")
        assert head[:3] == ["start", "end", "identification/structure"]
        assert "partenaires/en_clg_jaures/niveau" in head and "_submission_time" in head


def test_reference_lists_are_utf8_with_bom_and_french_headers() -> None:
    for name, header in (("institutions.csv", "id;nom;alias;secteur;quartier;niveau"),
                         ("effectifs_cibles.csv", "vague;secteur;quartier;effectif")):
        data = (demo.DEMO_DIR / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf" + header.encode())
        data.decode("utf-8-sig")


def test_activity_log_mixes_excel_dates_and_french_text_dates() -> None:
    dates = [r["Date"] for r in records(demo.DEMO_DIR / demo.ACTIVITIES_FILE) if r["Date"] != ""]
    cells = [d for d in dates if isinstance(d, dt.date)]
    texts = [d for d in dates if isinstance(d, str)]
    assert len(cells) + len(texts) == len(dates)
    assert len(cells) > 0.5 * len(dates) and len(texts) > 0.1 * len(dates)
    assert all(re.fullmatch(r"\d\d/\d\d/20\d\d", t) for t in texts)


def test_practitioner_files_look_like_limesurvey_answer_code_exports() -> None:
    for wave in WAVE_IDS:
        path = demo.DEMO_DIR / f"praticiens_{wave}.xlsx"
        assert CalamineWorkbook.from_path(str(path)).sheet_names[0].startswith("results-survey")
        rows = records(path)
        head = list(rows[0])
        assert head[:9] == ["id", "submitdate", "lastpage", "startlanguage", "seed", "token", "startdate",
                            "datestamp", "ipaddr"]
        assert "G07Q01" in head and "G04Q01[ENCLGJAURES]" in head
        assert ("G02Q02[SQ005]" in head) == (wave >= "2025-2")  # LEG5 from version 2
        assert ("G02Q04[SQ004]" in head) == (wave < "2025-2")  # CUL4 until version 1
        assert all(re.fullmatch(r"20\d\d-\d\d-\d\d \d\d:\d\d:\d\d", r["submitdate"]) for r in rows)
        assert {r["G02Q01[SQ001]"] for r in rows} <= {"A1", "A2", "A3", "A4", "A5", "NSP", ""}
        assert {r["G04Q01[ENCLGJAURES]"] for r in rows} == {"Y", ""}


# --- The warehouse -----------------------------------------------------------------------------


def test_every_file_loads_and_the_warehouse_is_marked_demo(built: Demo) -> None:
    assert [r.file_name for r in built.results] == [f.path.name for f in demo.demo_files()]
    assert all(r.status == "loaded" for r in built.results)
    assert built.one("SELECT value FROM meta WHERE key = 'is_demo'") == "true"
    for f in demo.demo_files():
        assert any(f.path.name in line for line in built.lines)


def test_four_waves_in_order_with_the_right_codebook_versions(built: Demo) -> None:
    assert [r[0] for r in built.all("SELECT wave_id FROM waves ORDER BY wave_order")] == WAVE_IDS
    versions = built.all(
        "SELECT wave_id, codebook_version FROM loads WHERE instrument = 'practitioner' ORDER BY wave_id"
    )
    assert versions == list(zip(WAVE_IDS, ["1", "1", "2", "2"], strict=True))


def test_forty_institutions_in_seven_sectors(built: Demo) -> None:
    assert built.one("SELECT count(*) FROM institutions") == len(records(demo.DEMO_DIR / "institutions.csv")) == 40
    assert built.one("SELECT count(DISTINCT sector_id) FROM institutions") == 7
    territories = {r[0] for r in built.all("SELECT DISTINCT territory FROM institutions")}
    assert territories == {"Les Tilleuls", "Centre-Gare", LAGGING, "Valmont"}


def test_respondents_per_wave_match_the_files(built: Demo) -> None:
    for wave in WAVE_IDS:
        tokens = {r["token"].upper() for r in records(demo.DEMO_DIR / f"praticiens_{wave}.xlsx")}
        partners = [r for r in records(demo.DEMO_DIR / f"partenaires_{wave}.csv")
                    if r["identification/structure"]]
        counts = dict(built.all(
            "SELECT instrument, count(*) FROM respondents WHERE wave_id = ? GROUP BY 1", [wave]))
        assert counts == {"practitioner": len(tokens), "partner": len(partners)}
        assert 200 <= len(tokens) <= 260 and 0.7 * 40 <= len(partners) <= 0.85 * 40


def test_response_rates_and_panel_are_plausible(built: Demo) -> None:
    rates = built.all(
        """
        SELECT t.wave_id, (SELECT count(*) FROM respondents r WHERE r.wave_id = t.wave_id
                           AND r.instrument = 'practitioner') / sum(t.target_n)
        FROM population_targets t GROUP BY 1 ORDER BY 1
        """
    )
    assert [w for w, _ in rates] == WAVE_IDS
    assert all(0.5 <= rate <= 0.8 for _, rate in rates)
    distinct = built.one("SELECT count(DISTINCT respondent_id) FROM respondents WHERE instrument = 'practitioner'")
    assert 320 <= distinct <= 400
    for before, after in itertools.pairwise(WAVE_IDS):
        kept = built.one(
            """
            SELECT count(*) / (SELECT count(*) FROM respondents WHERE wave_id = ? AND instrument = 'practitioner')
            FROM respondents a JOIN respondents b USING (respondent_id, instrument)
            WHERE a.wave_id = ? AND b.wave_id = ? AND instrument = 'practitioner'
            """,
            [before, before, after],
        )
        assert 0.7 <= kept <= 0.9, (before, after, kept)


def test_ties_come_from_both_surveys(built: Demo) -> None:
    ties = dict(built.all("SELECT source, count(*) FROM ties GROUP BY 1"))
    assert set(ties) == {"partner_survey", "practitioner_survey"}
    assert min(ties.values()) > 1000
    assert built.one("SELECT count(*) FROM ties WHERE from_institution_id = to_institution_id") == 0


def test_about_1200_activities_as_in_the_log(built: Demo) -> None:
    rows = [r for r in records(demo.DEMO_DIR / demo.ACTIVITIES_FILE) if any(v != "" for v in r.values())]
    assert built.one("SELECT count(*) FROM activities") == len(rows)
    assert 1100 <= len(rows) <= 1300
    first, last = built.all("SELECT min(activity_date), max(activity_date) FROM activities")[0]
    assert dt.date(2024, 9, 1) <= first < dt.date(2024, 9, 15) and dt.date(2026, 6, 1) <= last <= dt.date(2026, 6, 30)


# --- Planted flaws: reported, and nothing else -------------------------------------------------


def test_exactly_the_planted_flaws_are_quarantined(built: Demo, flaws: list[demo.PlantedFlaw]) -> None:
    quarantined = built.all(
        "SELECT file_name, source_row, column_name, value, problem FROM quarantine ORDER BY ALL"
    )
    planted = sorted((f.file, f.row, f.column, f.value, f.problem) for f in flaws)
    assert sorted(quarantined) == planted
    assert {p[4] for p in planted} == {"out_of_range", "duplicate_respondent", "unknown_institution", "empty_row"}


def test_misspelt_institution_gets_the_right_suggestion(built: Demo) -> None:
    message = built.one("SELECT message FROM quarantine WHERE problem = 'unknown_institution'")
    assert "“Collège Jean Jaurès” (EN_CLG_JAURES)" in message


def test_planted_flaws_are_where_a_user_would_look(flaws: list[demo.PlantedFlaw]) -> None:
    """Open each file at the reported row (header = row 1) and find the flaw there."""
    for flaw in flaws:
        rows = records(demo.DEMO_DIR / flaw.file)
        row = rows[flaw.row - 2]
        if flaw.problem == "empty_row":
            assert all(v == "" for v in row.values())
        elif flaw.problem == "duplicate_respondent":
            later = [r for r in rows if r["token"] == row["token"] and r is not row]
            assert len(later) == 1 and later[0]["submitdate"] > row["submitdate"]
        else:
            assert flaw.column is not None and flaw.value is not None
            assert flaw.value in str(row[flaw.column]).replace(".0", "")


def test_build_output_names_the_planted_flaws(built: Demo, flaws: list[demo.PlantedFlaw]) -> None:
    text = "\n".join(built.lines)
    assert "planted on purpose" in text
    for flaw in flaws:
        assert f"{flaw.file} row {flaw.row}" in text


def test_a_demo_warehouse_may_be_rebuilt_without_force(built: Demo) -> None:
    demo._refuse_if_not_demo(built.path, force=False)  # no error: it is the demo


def test_refuses_to_replace_a_warehouse_that_is_not_the_demo(tmp_path: Path) -> None:
    db = tmp_path / "real.duckdb"
    with writer_lock(db):
        publish(db, lambda conn: None)
    before = db.read_bytes()
    with pytest.raises(MaillageError, match=r"--force.*--db"):
        demo.build_demo_warehouse(db, secret_path=tmp_path / "key", echo=lambda _line: None)
    assert db.read_bytes() == before
    junk = tmp_path / "notes.duckdb"
    junk.write_text("not a warehouse")
    with pytest.raises(MaillageError, match="--force"):
        demo.build_demo_warehouse(junk, secret_path=tmp_path / "key", echo=lambda _line: None)


# --- The story, in raw form --------------------------------------------------------------------


def _net_means(built: Demo, lagging: bool) -> list[float]:
    rows = built.all(
        """
        SELECT x.wave_id, avg(CASE WHEN i.reverse_keyed THEN 6 - x.value ELSE x.value END)
        FROM responses x
        JOIN respondents r USING (wave_id, instrument, respondent_id)
        JOIN items i USING (instrument, item_id)
        WHERE i.scale_id = 'network_practice' AND (r.territory = ?) = ?
        GROUP BY 1 ORDER BY 1
        """,
        [LAGGING, lagging],
    )
    return [m for _, m in rows]


def test_network_practice_grows_except_in_plateau_des_sources(built: Demo) -> None:
    outside, inside = _net_means(built, False), _net_means(built, True)
    assert outside[3] - outside[0] >= 0.3
    assert outside == sorted(outside)
    assert abs(inside[3] - inside[0]) <= 0.15


def _scale_means(built: Demo, scale: str, where: str = "true") -> list[float]:
    rows = built.all(
        f"SELECT wave_id, avg(score) FROM scores_long WHERE scale_id = ? AND {where} GROUP BY 1 ORDER BY 1", [scale]
    )
    return [m for _, m in rows]


def test_wellbeing_dips_then_recovers(built: Demo) -> None:
    who5 = _scale_means(built, "who5")
    assert 56 <= who5[0] <= 64 and who5[2] <= 53 and who5[3] >= 55
    assert who5[0] - who5[2] >= 8 and who5[3] - who5[2] >= 5
    burnout = _scale_means(built, "cbi_work")
    assert burnout[2] - burnout[0] >= 8 and burnout[2] - burnout[3] >= 5


def test_legibility_grows_mostly_from_wave_three(built: Demo) -> None:
    leg = _scale_means(built, "legibility")
    assert leg[2] - leg[1] > 0.25 and abs(leg[1] - leg[0]) < 0.15


def test_strategic_respondents_rate_partnership_culture_higher_gap_narrowing(built: Demo) -> None:
    strategic = _scale_means(built, "partnership_culture", "level = 'strategic'")
    operational = _scale_means(built, "partnership_culture", "level = 'operational'")
    gaps = [s - o for s, o in zip(strategic, operational, strict=True)]
    assert all(g > 0 for g in gaps)
    assert gaps[0] >= 0.5 and gaps[3] <= gaps[0] - 0.25


def test_no_action_for_16_18_year_olds_before_september_2025(built: Demo) -> None:
    before = built.one("SELECT count(*) FROM activities WHERE for_16_18 AND activity_date < DATE '2025-09-01'")
    after = built.one("SELECT count(*) FROM activities WHERE for_16_18 AND activity_date >= DATE '2025-09-01'")
    assert before == 0 and after >= 50


def test_parents_coorganise_more_actions_over_time(built: Demo) -> None:
    first, second = (
        built.one(
            "SELECT avg(parents_coorganised::INT) FROM activities WHERE activity_date BETWEEN ? AND ?", [lo, hi]
        )
        for lo, hi in (("2024-09-01", "2025-06-30"), ("2025-09-01", "2026-06-30"))
    )
    assert second >= first + 0.05


def test_cross_sector_collaboration_rises_in_the_partner_survey(built: Demo) -> None:
    shares = [r[1] for r in built.all(
        """
        SELECT wave_id, avg((collaboration_level >= 2)::INT)
        FROM ties_long WHERE source = 'partner_survey' AND from_sector_id <> to_sector_id
        GROUP BY 1 ORDER BY 1
        """
    )]
    assert shares == sorted(shares) and shares[3] - shares[0] >= 0.15


def test_practitioners_name_more_institutions_of_other_sectors(built: Demo) -> None:
    per_respondent = [r[1] for r in built.all(
        """
        SELECT wave_id, count(*) FILTER (WHERE from_sector_id <> to_sector_id) / count(DISTINCT rater_respondent_id)
        FROM ties_long WHERE source = 'practitioner_survey' GROUP BY 1 ORDER BY 1
        """
    )]
    assert per_respondent == sorted(per_respondent) and per_respondent[3] >= 1.5 * per_respondent[0]
