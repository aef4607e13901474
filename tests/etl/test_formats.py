"""Real exports of each survey tool load into the right values.

Expected values are worked out by hand from the fixture files in tests/data/ and the scoring
rules of the instruments (WHO-5: raw sum × 4; practice scales: mean, reverse-keyed items scored
6 − answer).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

Query = Callable[..., list[tuple[Any, ...]]]


def _scores(query: Query, wave: str, scale: str) -> dict[str, float | None]:
    """institution_id|role → score (the fixtures have one respondent per pair)."""
    rows = query(
        "SELECT r.institution_id, r.role, s.score FROM scale_scores s JOIN respondents r "
        "USING (wave_id, instrument, respondent_id) WHERE s.wave_id = ? AND s.scale_id = ?",
        [wave, scale],
    )
    return {f"{inst}|{role}": score for inst, role, score in rows}


def _ties(query: Query, wave: str, source: str) -> set[tuple[str, str]]:
    rows = query(
        "SELECT from_institution_id, to_institution_id FROM ties WHERE wave_id = ? AND source = ?",
        [wave, source],
    )
    return set(rows)


@pytest.mark.usefixtures("with_institutions")
def test_limesurvey_xlsx_with_question_codes_and_answer_codes(load: Callable[..., Any], query: Query) -> None:
    result = load("limesurvey_codes.xlsx", "practitioner", "2025-2")
    assert result.rows_read == 6 and result.rows_loaded == 4
    who5 = _scores(query, "2025-2", "who5")
    # tok001's latest submission (row 4): A1..A5 = 5,4,3,2,1 → 15 × 4 = 60
    assert who5["EN_CLG_JAURES|teacher"] == 60
    # tok002: five "A2" (most of the time = 4) → 20 × 4 = 80
    assert who5["VILLE_JEUNESSE|coordinator"] == 80
    # tok004: A5,A6,A6,A5,A6 = 1,0,0,1,0 → 2 × 4 = 8
    assert who5["SANTE_CMP|health_worker"] == 8
    net = _scores(query, "2025-2", "network_practice")
    # 4,4,4,5 and NET5 = A2 (2) reverse-keyed → 4: mean 4.2
    assert net["EN_CLG_JAURES|teacher"] == pytest.approx(4.2)
    # 2,2,1,2 and NET5 = A5 → 1: mean 1.6
    assert net["SANTE_CMP|health_worker"] == pytest.approx(1.6)
    # tok003 answered one NET item (the other is an unknown code): below the 3-item minimum
    assert net["EN_CLG_JAURES|manager"] is None
    # the answer code "CLGJAURES" is matched through the alias "CLG Jaurès"
    assert _ties(query, "2025-2", "practitioner_survey") == {
        ("VILLE_JEUNESSE", "EN_CLG_JAURES"),
        ("EN_CLG_JAURES", "VILLE_JEUNESSE"),
        ("EN_CLG_JAURES", "SANTE_CMP"),
    }
    years = dict(query("SELECT role, years_in_post FROM respondents WHERE wave_id = '2025-2'"))
    assert years == {"teacher": 6, "coordinator": None, "manager": 2.5, "health_worker": None}


@pytest.mark.usefixtures("with_institutions")
def test_limesurvey_csv_with_full_text_headings_and_answers(load: Callable[..., Any], query: Query) -> None:
    load("limesurvey_fulltext.csv", "practitioner", "2024-2")
    net = _scores(query, "2024-2", "network_practice")
    # "Plutôt d’accord" (typographic apostrophe) = 4, 5, 3, 4, and NET5 "Pas du tout d'accord" → 5
    assert net["EN_CLG_JAURES|teacher"] == pytest.approx(4.2)
    # "Je ne sais pas" is a missing answer: 2, 2, 2 and NET5 "Tout à fait d'accord" → 1
    assert net["EN_ECOLE_PREVERT|manager"] == pytest.approx(1.75)
    submitted = query("SELECT min(submitted_at) FROM respondents WHERE wave_id = '2024-2'")[0][0]
    assert submitted == dt.datetime(2025, 5, 12, 10, 0, 0)


@pytest.mark.usefixtures("with_institutions")
def test_google_forms_csv_with_grid_questions_and_decimal_commas(load: Callable[..., Any], query: Query) -> None:
    result = load("google_forms.csv", "practitioner", "2025-1")
    assert result.rows_loaded == 3
    who5 = _scores(query, "2025-1", "who5")
    assert who5["EN_CLG_JAURES|teacher"] == 60  # 5+4+3+2+1 = 15
    assert who5["VILLE_JEUNESSE|youth_worker"] == 8  # 0+0+1+0+1 = 2
    assert who5["None|coordinator"] == 80  # labels in any case and spacing: 4+4+4+3+5 = 20
    years = dict(query("SELECT role, years_in_post FROM respondents WHERE wave_id = '2025-1'"))
    assert years["teacher"] == 2.5
    # the multi-select answer "Service jeunesse, CMP" names two institutions by their aliases
    assert _ties(query, "2025-1", "practitioner_survey") == {
        ("EN_CLG_JAURES", "VILLE_JEUNESSE"),
        ("EN_CLG_JAURES", "SANTE_CMP"),
        ("VILLE_JEUNESSE", "EN_CLG_JAURES"),
    }
    stamp = query("SELECT submitted_at FROM respondents WHERE role = 'teacher'")[0][0]
    assert stamp == dt.datetime(2025, 5, 12, 10, 23, 11)


@pytest.mark.usefixtures("with_institutions")
def test_framaforms_csv_with_three_header_rows(load: Callable[..., Any], query: Query) -> None:
    result = load("framaforms.csv", "practitioner", "2025-3")
    assert "3 header row(s)" in result.notes
    assert result.rows_read == 2 and result.rows_loaded == 2
    who5 = _scores(query, "2025-3", "who5")
    assert who5 == {"None|teacher": 100, "None|health_worker": 12}  # 25 × 4; (0+1+0+0+2) × 4


@pytest.mark.usefixtures("with_institutions")
def test_kobo_multi_select_in_both_forms(load: Callable[..., Any], query: Query) -> None:
    load("kobo_practitioner.csv", "practitioner", "2025-4")
    assert _ties(query, "2025-4", "practitioner_survey") == {
        ("EN_CLG_JAURES", "VILLE_JEUNESSE"),
        ("EN_CLG_JAURES", "SANTE_CMP"),
        ("SANTE_CMP", "EN_CLG_JAURES"),
    }
    named = dict(
        query(
            "SELECT r.institution_id, x.value FROM responses x JOIN respondents r "
            "USING (wave_id, instrument, respondent_id) WHERE x.item_id = 'WORKED_WITH'"
        )
    )
    # EF34GH answered the question and ticked nothing (all 0); MN78OP left it blank (no row)
    assert named == {"EN_CLG_JAURES": 2, "VILLE_JEUNESSE": 0, "SANTE_CMP": 1}
    who5 = _scores(query, "2025-4", "who5")
    assert who5["VILLE_JEUNESSE|youth_worker"] == 92  # choice names are the values: 23 × 4
    assert who5["SANTE_CMP|health_worker"] is None  # one item missing: WHO-5 needs all five
    years = dict(query("SELECT role, years_in_post FROM respondents WHERE wave_id = '2025-4'"))
    assert years["teacher"] == 3.5


@pytest.mark.usefixtures("with_institutions")
def test_kobo_partner_survey_in_windows_1252(load: Callable[..., Any], query: Query) -> None:
    result = load("kobo_partner_cp1252.csv", "partner", "2025-1")
    assert "encoding cp1252" in result.notes[0]
    rows = query(
        "SELECT from_institution_id, to_institution_id, collaboration_level, trust, value FROM ties "
        "WHERE wave_id = '2025-1' AND source = 'partner_survey'"
    )
    ties = {(a, b): (lv, tr, va) for a, b, lv, tr, va in rows}
    assert ties[("EN_CLG_JAURES", "VILLE_JEUNESSE")] == (3, 4, 3)
    assert ties[("VILLE_JEUNESSE", "ML_VALMONT")] == (0, None, None)  # "no interaction" is data
    # the level 7 was quarantined; trust and value of the same rating were kept
    assert ties[("ASSO_ESPOIR", "EN_CLG_JAURES")] == (None, 3, 3)
    # the older submission of ASSO_ESPOIR (level 1 for the collège) did not load
    assert len(rows) == 10
    raters = query("SELECT count(*) FROM respondents WHERE wave_id = '2025-1' AND instrument = 'partner'")
    assert raters[0][0] == 4


@pytest.mark.usefixtures("with_institutions")
def test_activity_log_xlsx_with_french_dates_and_aliases(load: Callable[..., Any], query: Query) -> None:
    result = load("activities.xlsx", "activities")
    assert result.rows_loaded == 5
    acts = {
        a: (d, t, p16, par, n)
        for a, d, t, p16, par, n in query(
            "SELECT activity_id, activity_date, activity_type, for_16_18, parents_coorganised, participants "
            "FROM activities"
        )
    }
    assert acts["A-001"] == (dt.date(2025, 3, 4), "coordination_meeting", False, False, 8)  # Excel date cell
    assert acts["A-002"][0] == dt.date(2025, 3, 18)  # "18/03/2025"
    assert acts["A-004"][1:3] == ("youth_event", True)  # "Forum" is an alias; "16-18 ans"
    assert acts["A-005"][0] == dt.date(2025, 10, 7)  # "7 octobre 2025"
    assert acts["A-005"][3] is True  # "Oui"
    members = query("SELECT institution_id FROM activity_institutions WHERE activity_id = 'A-001' ORDER BY 1")
    assert [m[0] for m in members] == ["EN_CLG_JAURES", "SANTE_CMP", "VILLE_JEUNESSE"]
    # free-text titles stay out of the warehouse unless the codebook asks for them
    assert query("SELECT count(*) FROM activities WHERE title IS NOT NULL")[0][0] == 0


@pytest.mark.usefixtures("with_institutions")
def test_targets_list_with_sector_labels(load: Callable[..., Any], query: Query) -> None:
    load("targets.csv", "targets")
    rows = query("SELECT wave_id, sector_id, target_n FROM population_targets ORDER BY sector_id")
    assert rows == [("2025-1", "city", 4), ("2025-1", "education", 10), ("2025-1", "health", 3)]


def test_institutions_list_with_aliases(load: Callable[..., Any], query: Query) -> None:
    load("institutions.csv", "institutions")
    rows = query("SELECT institution_id, sector_id, territory FROM institutions ORDER BY 1")
    assert len(rows) == 6
    assert ("VILLE_JEUNESSE", "city", "Les Tilleuls") in rows
    aliases = query("SELECT alias FROM institution_aliases WHERE institution_id = 'EN_CLG_JAURES' ORDER BY 1")
    assert [a[0] for a in aliases] == ["CLG Jaurès", "Collège Jaurès"]
