"""Exchange indicators: survey-reported exchanges (suppressed) and the activity log, checked on
hand-counted examples."""

from __future__ import annotations

import datetime as dt
import importlib

import duckdb
import pandas as pd
import pytest

from indicators import exchanges
from indicators.catalogue import FAMILIES
from indicators.exchanges import (
    MATRIX_COLUMNS,
    MONTHLY_COLUMNS,
    PAIR_COLUMNS,
    PROJECTION_EDGE_COLUMNS,
    PROJECTION_NODE_COLUMNS,
    SHARE_COLUMNS,
    activity_monthly,
    activity_sector_pairs,
    activity_shares,
    institution_projection,
    survey_exchange_matrix,
)
from indicators.filters import Filters
from tests.indicators.fixtures_network import (
    add_activity,
    add_exchange_items,
    add_institutions,
    add_practitioner,
    add_waves,
    insert_answers,
    new_warehouse,
)

ALL = Filters(min_group_size=5)
EXACT = Filters(min_group_size=1)  # disclosure control off: the computation itself, against the fixture
D = dt.date


# --------------------------------------------------------------------------- survey


def _survey(layout: str = "answers") -> duckdb.DuckDBPyConnection:
    """W1: six education practitioners (5 teachers, 1 manager) answer EXC_CITY 0, 0.5, 1,
    2.5, 4.33, 1 (manager: 1); four of them answer EXC_HEALTH; three city practitioners
    answer EXC_EDUCATION. W2: five education practitioners answer EXC_CITY 4.33."""
    conn = new_warehouse()
    if layout == "responses_table":  # a warehouse storing answers with their string keys
        conn.execute("DROP VIEW responses")
        conn.execute("DROP TABLE answers")
        conn.execute(
            "CREATE TABLE responses (wave_id VARCHAR, instrument VARCHAR, respondent_id VARCHAR, "
            "item_id VARCHAR, value DOUBLE, load_id INTEGER)"
        )
    add_exchange_items(conn)
    add_waves(conn, [("W1", None, None), ("W2", None, None)])
    city = [0, 0.5, 1, 2.5, 4.33, 1]
    for k, v in enumerate(city):
        ex = {"city": v}
        if k < 4:
            ex["health"] = 2.5
        add_practitioner(conn, "W1", f"e{k}", None, role="manager" if k == 5 else "teacher",
                         sector="education", territory="T1" if k < 5 else "T2", exchanges=ex)
    insert_answers(conn, [("W1", "e0", "NET1", 5.0)])
    for k in range(3):
        add_practitioner(conn, "W1", f"c{k}", None, sector="city", territory="T1",
                         exchanges={"education": 1})
    for k in range(5):
        add_practitioner(conn, "W2", f"f{k}", None, sector="education", territory="T1",
                         exchanges={"city": 4.33})
    return conn


def _cell(df: pd.DataFrame, wave: str, rs: str, ts: str) -> pd.Series:
    part = df[(df.wave_id == wave) & (df.respondent_sector_id == rs) & (df.target_sector_id == ts)]
    assert len(part) == 1
    return part.iloc[0]


def test_survey_exchanges_give_mean_times_per_month_and_share_at_least_monthly() -> None:
    out = survey_exchange_matrix(_survey(), EXACT)
    assert list(out.columns) == MATRIX_COLUMNS
    cell = _cell(out, "W1", "education", "city")
    assert cell["n"] == 6
    assert cell["mean_per_month"] == pytest.approx((0 + 0.5 + 1 + 2.5 + 4.33 + 1) / 6)
    assert cell["share_at_least_monthly"] == pytest.approx(4 / 6)
    assert not cell["suppressed"] and not cell["same_sector"]
    assert _cell(out, "W2", "education", "city")["mean_per_month"] == pytest.approx(4.33)
    assert set(out.target_sector_id) == {"city", "health", "education"}  # NET1 is no exchange


def test_survey_exchange_rows_of_fewer_than_five_respondents_are_not_shown() -> None:
    """W1: three city respondents, one education manager in T2: no combination of territory, sector,
    role and level is shared by five, so W1 has no row by sector at all (the five teachers are
    grouped with the four others, else "all − teachers" would reveal them); W2's five are shown."""
    out = survey_exchange_matrix(_survey(), ALL)
    assert out.loc[(out.wave_id == "W1") & ~out.suppressed].empty
    assert _cell(out, "W2", "education", "city")["n"] == 5
    # With groups of 3: the lone manager is grouped with the three city respondents. The four
    # teachers who answered on health are shown; on city, the manager answered too, outside the
    # teachers' class: showing the teachers would reveal the manager's answer (all − teachers).
    shown = survey_exchange_matrix(_survey(), Filters(min_group_size=3))
    w1 = shown.loc[(shown.wave_id == "W1") & ~shown.suppressed]
    assert list(zip(w1.respondent_sector_id, w1.target_sector_id, w1.n, strict=True)) == [("education", "health", 4)]


def test_survey_exchange_filters_select_the_respondents() -> None:
    """Teachers only: five education answers on city (the manager's 1 is left out);
    territory T2 holds one respondent only, hidden; wave W2 alone."""
    teachers = survey_exchange_matrix(_survey(), Filters(roles=("teacher",), waves=("W1",), min_group_size=1))
    cell = _cell(teachers, "W1", "education", "city")
    assert cell["n"] == 5 and cell["mean_per_month"] == pytest.approx(8.33 / 5)
    t2 = survey_exchange_matrix(_survey(), Filters(territories=("T2",)))
    assert t2.loc[~t2["suppressed"]].empty
    assert set(survey_exchange_matrix(_survey(), Filters(waves=("W2",))).wave_id) == {"W2"}


def test_same_matrix_whether_answers_are_stored_with_integer_keys_or_string_keys() -> None:
    keyed = survey_exchange_matrix(_survey(), ALL)
    plain = survey_exchange_matrix(_survey("responses_table"), ALL)
    pd.testing.assert_frame_equal(keyed, plain)


def test_monthly_threshold_follows_the_tie_frequency_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_TIE_MIN_FREQUENCY", "2")
    cell = _cell(survey_exchange_matrix(_survey(), EXACT), "W1", "education", "city")
    assert cell["share_at_least_monthly"] == pytest.approx(2 / 6)
    assert cell["min_frequency"] == 2


# --------------------------------------------------------------------------- activity log


def _log() -> duckdb.DuckDBPyConnection:
    """Five actions (A, F schools; B city; C association; D health; E parents' association).

    a1 2025-01-15 A B (10 participants); a2 2025-01-20 A B C, for 16–18, parents unknown (25);
    a3 2025-03-05 A F (participants unknown); a4 2025-07-10 C D B A, 16–18, parents (40);
    a5 2025-08-01 E alone, territory T2, parents (100).
    """
    conn = new_warehouse()
    add_institutions(
        conn,
        [("A", "education", "T1"), ("B", "city", "T1"), ("C", "association", "T1"),
         ("D", "health", "T1"), ("E", "parents", "T2"), ("F", "education", "T1")],
    )
    add_waves(conn, [("W1", D(2025, 6, 1), D(2025, 6, 30)), ("W2", None, None)])
    add_activity(conn, "a1", D(2025, 1, 15), ["A", "B"], participants=10)
    add_activity(conn, "a2", D(2025, 1, 20), ["A", "B", "C"], "joint_intervention",
                 participants=25, for_16_18=True, parents=None)
    add_activity(conn, "a3", D(2025, 3, 5), ["A", "F"], "joint_training", participants=None)
    add_activity(conn, "a4", D(2025, 7, 10), ["C", "D", "B", "A"], "parents_meeting",
                 participants=40, for_16_18=True, parents=True)
    add_activity(conn, "a5", D(2025, 8, 1), ["E"], "youth_event", territory="T2",
                 participants=100, parents=True)
    return conn


def _pairs(df: pd.DataFrame) -> dict[tuple[str, str], int]:
    return {(a, b): int(n) for a, b, n in zip(df.sector_a, df.sector_b, df.actions, strict=True)}


def test_sector_pairs_count_each_action_once_per_pair_of_sectors_per_half_year() -> None:
    out = activity_sector_pairs(_log(), ALL)
    assert list(out.columns) == PAIR_COLUMNS
    s1, s2 = out[out.period == "2025-S1"], out[out.period == "2025-S2"]
    assert _pairs(s1) == {
        ("education", "education"): 1, ("education", "city"): 2,
        ("education", "association"): 1, ("city", "association"): 1,
    }
    assert _pairs(s2) == {
        ("education", "city"): 1, ("education", "association"): 1, ("education", "health"): 1,
        ("city", "association"): 1, ("city", "health"): 1, ("association", "health"): 1,
    }
    # sectors in display order (education, city, association, health…), same-sector flagged
    assert list(s1.sector_a[:2]) == ["education", "education"]
    assert s1[s1.same_sector][["sector_a", "sector_b"]].values.tolist() == [["education", "education"]]


def test_joint_actions_per_month_divide_by_the_months_the_log_covers() -> None:
    """The log runs January–August 2025: 6 months in 2025-S1, 2 in 2025-S2, 8 in all."""
    out = activity_sector_pairs(_log(), ALL)
    row = out[(out.period == "2025-S1") & (out.sector_b == "city")].iloc[0]
    assert (row["months"], row["actions_per_month"]) == (6, pytest.approx(2 / 6))
    assert set(out[out.period == "2025-S2"].months) == {2}
    total = activity_sector_pairs(_log(), ALL, by_period=False)
    assert _pairs(total)[("education", "city")] == 3
    assert set(total.months) == {8}
    one = activity_sector_pairs(_log(), ALL, period="2025-S2", by_period=False)
    assert _pairs(one)[("education", "city")] == 1 and set(one.months) == {2}


def test_shares_of_multi_sector_three_institution_16_18_and_parent_actions_per_half_year() -> None:
    out = activity_shares(_log(), ALL).set_index("period")
    assert list(out.reset_index().columns) == ["period", *SHARE_COLUMNS]
    s1, s2 = out.loc["2025-S1"], out.loc["2025-S2"]
    assert (s1.actions, s1.multi_sector, s1.three_plus_institutions, s1.for_16_18) == (3, 2, 1, 1)
    assert s1.share_multi_sector == pytest.approx(2 / 3)
    assert s1.share_16_18 == pytest.approx(1 / 3)
    # parents: a1 no, a2 unknown, a3 no → 0 of 2 known
    assert (s1.parents_coorganised, s1.parents_known, s1.share_parents_coorganised) == (0, 2, 0.0)
    assert (s1.participants, s1.participants_known) == (35, 2)
    assert (s2.actions, s2.multi_sector, s2.three_plus_institutions) == (2, 1, 1)
    assert (s2.share_parents_coorganised, s2.participants) == (1.0, 140)


def test_shares_by_territory_and_in_total() -> None:
    out = activity_shares(_log(), ALL, by=("territory",)).set_index("territory")
    assert out.loc["T1", "actions"] == 4 and out.loc["T2", "actions"] == 1
    total = activity_shares(_log(), ALL, by=())
    assert total["actions"].tolist() == [5] and total["for_16_18"].tolist() == [2]
    with pytest.raises(ValueError):
        activity_shares(_log(), ALL, by=("wave",))


def test_monthly_joint_actions_list_months_without_action_as_zero() -> None:
    out = activity_monthly(_log(), ALL)
    assert list(out.columns) == MONTHLY_COLUMNS
    assert [m.strftime("%Y-%m") for m in out.month] == [f"2025-{k:02d}" for k in range(1, 9)]
    assert out.actions.tolist() == [2, 0, 1, 0, 0, 0, 1, 1]
    assert out.multi_sector.tolist() == [2, 0, 0, 0, 0, 0, 1, 0]
    assert out.participants.tolist() == [35, 0, 0, 0, 0, 0, 40, 100]
    assert out.period.tolist() == ["2025-S1"] * 6 + ["2025-S2"] * 2


def test_monthly_joint_actions_by_activity_type() -> None:
    out = activity_monthly(_log(), ALL, by="activity_type")
    assert len(out) == 8 * 5  # every month × every type
    jan = out[out.month == pd.Timestamp("2025-01-01")].set_index("activity_type")
    assert jan.loc["coordination_meeting", "actions"] == 1
    assert jan.loc["joint_intervention", "actions"] == 1
    assert jan.loc["youth_event", "actions"] == 0
    assert out.groupby("activity_type").actions.sum().to_dict() == {
        "coordination_meeting": 1, "joint_intervention": 1, "joint_training": 1,
        "parents_meeting": 1, "youth_event": 1,
    }


def test_institution_projection_counts_joint_actions_per_pair_of_institutions() -> None:
    proj = institution_projection(_log(), ALL)
    assert list(proj.edges.columns) == PROJECTION_EDGE_COLUMNS
    got = {(a, b): n for a, b, n in zip(proj.edges.institution_a, proj.edges.institution_b,
                                        proj.edges.actions, strict=True)}
    assert got == {("A", "B"): 3, ("A", "C"): 2, ("B", "C"): 2, ("A", "F"): 1, ("A", "D"): 1,
                   ("B", "D"): 1, ("C", "D"): 1}
    assert not proj.edges.set_index(["institution_a", "institution_b"]).loc[("A", "F"), "cross_sector"]
    nodes = proj.nodes.set_index("institution_id")
    assert list(proj.nodes.columns) == PROJECTION_NODE_COLUMNS
    assert nodes.actions.to_dict() == {"A": 4, "B": 3, "C": 2, "D": 1, "E": 1, "F": 1}
    assert nodes.partners.to_dict() == {"A": 4, "B": 3, "C": 3, "D": 3, "E": 0, "F": 1}


def test_sector_filter_keeps_actions_and_pairs_involving_the_sector() -> None:
    """Health: only a4, and only the pairs with the health centre D."""
    f = Filters(sectors=("health",))
    assert _pairs(activity_sector_pairs(_log(), f, by_period=False)) == {
        ("education", "health"): 1, ("city", "health"): 1, ("association", "health"): 1,
    }
    assert activity_shares(_log(), f, by=())["actions"].tolist() == [1]
    proj = institution_projection(_log(), f)
    assert proj.edges[["institution_a", "institution_b"]].values.tolist() == [
        ["A", "D"], ["B", "D"], ["C", "D"],
    ]
    assert sorted(proj.nodes.institution_id) == ["A", "B", "C", "D"]


def test_territory_filter_uses_the_territory_of_the_action() -> None:
    f = Filters(territories=("T2",))
    assert activity_shares(_log(), f, by=())["actions"].tolist() == [1]
    assert activity_sector_pairs(_log(), f).empty  # a5 involves one institution only
    assert activity_monthly(_log(), f).actions.tolist() == [1]


def test_wave_filter_keeps_actions_of_the_six_months_before_fieldwork_or_loaded_for_it() -> None:
    """W1 fieldwork June 2025: window December 2024 – 30 June 2025 → a1, a2, a3. An action
    loaded for W2 (no fieldwork dates) belongs to W2 whatever its date."""
    conn = _log()
    add_activity(conn, "a1", D(2025, 8, 20), ["A", "B"], wave="W2", load_id=2)  # same id, other log
    w1 = activity_shares(conn, Filters(waves=("W1",)), by=())
    assert w1["actions"].tolist() == [3]
    w2 = activity_shares(conn, Filters(waves=("W2",)), by=())
    assert w2["actions"].tolist() == [1]
    assert activity_shares(conn, ALL, by=())["actions"].tolist() == [6]
    pairs = activity_sector_pairs(conn, Filters(waves=("W1",)), by_period=False)
    assert set(pairs.months) == {6}  # January–June 2025 inside the log and the window


def test_actions_with_the_same_id_in_two_logs_are_two_actions() -> None:
    conn = _log()
    add_activity(conn, "a1", D(2025, 1, 16), ["A", "B"], load_id=2)
    proj = institution_projection(conn, ALL).edges.set_index(["institution_a", "institution_b"])
    assert proj.loc[("A", "B"), "actions"] == 4
    assert activity_monthly(conn, ALL).actions.iloc[0] == 3


def test_empty_warehouse_gives_empty_frames_with_the_documented_columns() -> None:
    conn = new_warehouse()
    assert list(survey_exchange_matrix(conn, ALL).columns) == MATRIX_COLUMNS
    assert list(activity_monthly(conn, ALL).columns) == MONTHLY_COLUMNS
    assert list(activity_monthly(conn, ALL, by="territory").columns) == [
        "month", "period", "territory", "actions", "multi_sector", "participants",
    ]
    assert list(activity_sector_pairs(conn, ALL).columns) == PAIR_COLUMNS
    assert list(activity_shares(conn, ALL).columns) == ["period", *SHARE_COLUMNS]
    assert list(activity_shares(conn, ALL, by=()).columns) == SHARE_COLUMNS
    proj = institution_projection(conn, ALL)
    assert list(proj.edges.columns) == PROJECTION_EDGE_COLUMNS and proj.edges.empty
    assert list(proj.nodes.columns) == PROJECTION_NODE_COLUMNS and proj.nodes.empty
    for df in (survey_exchange_matrix(conn, ALL), activity_monthly(conn, ALL),
               activity_sector_pairs(conn, ALL), activity_shares(conn, ALL, by=())):
        assert df.empty


def test_every_exchange_indicator_has_a_complete_bilingual_catalogue_entry() -> None:
    ids = [i.id for i in exchanges.INDICATORS]
    assert len(ids) == len(set(ids))
    for ind in exchanges.INDICATORS:
        assert ind.id.startswith("exchanges.") and ind.family in FAMILIES
        assert all([ind.title_fr, ind.title_en, ind.definition_fr, ind.definition_en,
                    ind.formula, ind.unit, ind.sources, ind.missing_data])
        module, func = ind.function.rsplit(".", 1)
        assert callable(getattr(importlib.import_module(module), func))
    assert "exchanges.joint_actions_per_month" in ids


def test_the_matrix_grid_follows_each_publish_of_the_file(demo_db: object, tmp_path: object) -> None:
    """The waves × target sectors of the matrix's rows are kept per published state: a wave whose
    answers are gone leaves the matrix once the change is published."""
    import shutil
    from pathlib import Path

    db = Path(str(tmp_path)) / "copy.duckdb"
    shutil.copy(str(demo_db), db)
    conn = duckdb.connect(str(db))
    assert "2026-1" in set(survey_exchange_matrix(conn, Filters())["wave_id"])
    conn.execute("DELETE FROM answers WHERE wave_key = (SELECT wave_key FROM wave_keys WHERE wave_id = '2026-1')")
    conn.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key = 'warehouse_version'")
    assert "2026-1" not in set(survey_exchange_matrix(conn, Filters())["wave_id"])
    conn.close()
