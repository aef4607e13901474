"""Overview indicators: headline values and changes, the group that lags, the findings —
checked against values computed here by hand (numpy / scipy) on small warehouses, and against
the story planted in the demo territory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from indicators import overview as ov
from indicators.filters import Filters
from tests.indicators.conftest import wh_insert_frame, wh_metadata

ALL = Filters(min_group_size=5)
Z = float(sps.norm.ppf(0.975))

# network practice, wave V1 → V2: the same 12 people; Nord improves by 0.5, Sud barely moves
NORD_1 = [3.0, 3.5, 2.5, 3.0, 4.0, 3.5]
NORD_2 = [3.5, 4.0, 3.0, 3.5, 4.5, 4.0]
SUD_1 = [3.0, 2.5, 3.5, 3.0, 2.0, 3.0]
SUD_2 = [3.0, 2.75, 3.25, 3.0, 2.25, 3.0]
# WHO-5 of the same people (scores 0–100): 6 of 12 ≤ 50 in V1, 2 of 12 in V2
WHO5_1 = [40, 48, 52, 60, 28, 72, 44, 56, 64, 50, 68, 76]
WHO5_2 = [60, 64, 52, 48, 72, 76, 68, 56, 80, 44, 72, 80]


def _add_scores(
    conn: duckdb.DuckDBPyConnection, wave: str, ids: list[str], scale: str, scores: Sequence[float]
) -> None:
    wh_insert_frame(conn, "scale_scores", pd.DataFrame({
        "wave_id": wave, "instrument": "practitioner", "respondent_id": ids, "scale_id": scale,
        "score": [float(s) for s in scores], "n_items_answered": 4, "n_items_asked": 4, "load_id": 1,
    }))


@pytest.fixture
def small(wh_empty: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    conn = wh_empty
    wh_metadata(conn, ("V1", "V2"))
    conn.execute("UPDATE waves SET first_date = DATE '2025-05-05', last_date = DATE '2025-05-28' WHERE wave_id = 'V1'")
    conn.execute("UPDATE waves SET first_date = DATE '2025-11-03', last_date = DATE '2025-11-28' WHERE wave_id = 'V2'")
    ids = [f"p{i:02d}" for i in range(12)]
    for wave in ("V1", "V2"):
        wh_insert_frame(conn, "respondents", pd.DataFrame({
            "wave_id": wave, "instrument": "practitioner", "respondent_id": ids, "load_id": 1, "source_row": 1,
            "territory": ["Nord"] * 6 + ["Sud"] * 6,
        }))
    _add_scores(conn, "V1", ids, "network_practice", NORD_1 + SUD_1)
    _add_scores(conn, "V2", ids, "network_practice", NORD_2 + SUD_2)
    _add_scores(conn, "V1", ids, "who5", WHO5_1)
    _add_scores(conn, "V2", ids, "who5", WHO5_2)
    # joint actions: V1 recall window (2024-11-05, 2025-05-28]: 6 in February, 3 in April 2025 → 9 / 3
    # months; V2 window (2025-05-03, 2025-11-28]: 4 in September, 8 in October → 12 / 2 months
    dates = [dt.date(2025, 2, 10)] * 6 + [dt.date(2025, 4, 2)] * 3 + [dt.date(2025, 9, 15)] * 4 + [
        dt.date(2025, 10, 1)] * 8
    wh_insert_frame(conn, "activities", pd.DataFrame({
        "activity_id": [f"a{i}" for i in range(len(dates))], "load_id": 9, "source_row": range(len(dates)),
        "activity_date": dates, "territory": "Nord",
    }))
    return conn


def _row(frame: pd.DataFrame, indicator: str) -> pd.Series:
    rows = frame.loc[frame["indicator"] == indicator]
    assert len(rows) == 1, indicator
    return rows.iloc[0]


# --------------------------------------------------------------------------- headline change


def test_a_mean_changes_for_everyone_with_welch_at_the_familys_level(small: duckdb.DuckDBPyConnection) -> None:
    """One definition: value_b − value_a over everyone of each wave; the interval is Welch's at
    the level the family of the page's tests gives; the same people's change is beside it."""
    change = ov.headline_change(small, ALL, "V1", "V2")
    r = _row(change, "network_practice")
    before, after = np.array(NORD_1 + SUD_1), np.array(NORD_2 + SUD_2)
    assert (r["value_a"], r["value_b"]) == pytest.approx((before.mean(), after.mean()))
    assert r["change"] == pytest.approx(after.mean() - before.mean())
    assert r["design"] == ov.ALL_RESPONDENTS and r["test"] == ov.WELCH
    res = sps.ttest_ind(after, before, equal_var=False)
    ci = res.confidence_interval(float(r["ci_level"]))
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((ci.low, ci.high))
    assert r["p"] == pytest.approx(res.pvalue)
    assert bool(r["significant"]) == (ci.low > 0 or ci.high < 0)
    sp = np.sqrt((before.var(ddof=1) + after.var(ddof=1)) / 2)
    assert r["effect"] == pytest.approx((1 - 3 / (4 * 24 - 9)) * (after.mean() - before.mean()) / sp)
    assert r["effect_name"] == "hedges_g"
    diff = after - before
    paired = sps.ttest_rel(after, before).confidence_interval(0.95)
    assert r["panel_n_pairs"] == 12 and r["panel_change"] == pytest.approx(diff.mean())
    assert (r["panel_ci_low"], r["panel_ci_high"]) == pytest.approx((paired.low, paired.high))
    # four tests in this frame (network practice, WHO-5 mean and share, actions): their family level
    tested = change.loc[change["p"].notna()]
    assert len(tested) == 4 and (tested["family_size"] == 4).all()
    level, _ = ov.family_level(tested["p"].tolist())
    assert r["ci_level"] == pytest.approx(level)


def test_the_family_level_is_benjamini_hochberg_and_its_false_coverage_rate_interval() -> None:
    """p = .001, .02, .03, .6 at q = .05: BH keeps the first three (.03 ≤ 3 · .05 / 4), so the
    intervals are at 1 − 3 · .05 / 4 = .9625; a changed verdict would disagree with its interval."""
    level, found = ov.family_level([0.001, 0.02, 0.03, 0.6])
    assert (found, level) == (3, pytest.approx(0.9625))
    level, found = ov.family_level([0.2, 0.6])
    assert (found, level) == (0, pytest.approx(1 - 0.05 / 2))
    adjusted = ov.bh_adjusted(np.array([0.001, 0.02, 0.03, 0.6]))
    assert adjusted == pytest.approx([0.004, 0.04, 0.04, 0.6])


def test_a_share_changes_with_a_newcombe_interval_at_the_familys_level(small: duckdb.DuckDBPyConnection) -> None:
    r = _row(ov.headline_change(small, ALL, "V1", "V2"), "who5_poor_share")
    k1, k2, n = sum(s <= 50 for s in WHO5_1), sum(s <= 50 for s in WHO5_2), 12
    p1, p2 = k1 / n, k2 / n
    assert (r["value_a"], r["value_b"], r["change"]) == pytest.approx((p1, p2, p2 - p1))
    level = float(r["ci_level"])
    w1 = sps.binomtest(k1, n).proportion_ci(confidence_level=level, method="wilson")
    w2 = sps.binomtest(k2, n).proportion_ci(confidence_level=level, method="wilson")
    low = (p2 - p1) - np.sqrt((p2 - w2.low) ** 2 + (w1.high - p1) ** 2)
    high = (p2 - p1) + np.sqrt((w2.high - p2) ** 2 + (p1 - w1.low) ** 2)
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((low, high))
    assert r["test"] == ov.NEWCOMBE and r["design"] == ov.ALL_RESPONDENTS
    assert bool(r["significant"]) == (high < 0 or low > 0)
    h = 2 * np.arcsin(np.sqrt(p2)) - 2 * np.arcsin(np.sqrt(p1))
    assert r["effect"] == pytest.approx(h) and r["effect_name"] == "cohen_h"
    assert r["oriented_effect"] == pytest.approx(-h)  # fewer people with poor wellbeing is better


def test_actions_per_month_over_the_months_of_each_recall_window(small: duckdb.DuckDBPyConnection) -> None:
    """The log covers February to October 2025. V1's window (Nov 2024 – May 2025) holds four of
    those months: 6, 0, 3, 0 actions → 9 / 4; V2's (May – Nov 2025) six: 0, 0, 0, 0, 4, 8 → 12 / 6.
    Dispersion χ²/(M − 1): 11 / 3 and 28 / 5 — actions come in bursts."""
    trend = ov.headline_trend(small, ALL)
    actions = trend.loc[trend["indicator"] == "actions_per_month"].set_index("wave_id")
    assert actions.loc["V1", "value"] == pytest.approx(9 / 4) and actions.loc["V1", "n"] == 9
    assert actions.loc["V2", "value"] == pytest.approx(12 / 6)
    phi1, phi2 = 11 / 3, 28 / 5
    half1 = Z * np.sqrt(phi1 * 9) / 4
    low1 = max(9 / 4 - half1, 0.0)  # a rate is never negative
    assert (actions.loc["V1", "ci_low"], actions.loc["V1", "ci_high"]) == pytest.approx((low1, 9 / 4 + half1))
    r = _row(ov.headline_change(small, ALL, "V1", "V2"), "actions_per_month")
    z = sps.norm.ppf(0.5 + float(r["ci_level"]) / 2)
    half = z * np.sqrt(phi1 * 9 / 4**2 + phi2 * 12 / 6**2)
    assert (r["change"], r["ci_low"], r["ci_high"]) == pytest.approx((-0.25, -0.25 - half, -0.25 + half))
    assert not bool(r["significant"]) and r["test"] == ov.POISSON


def test_only_indicators_with_data_are_given_and_a_single_wave_has_no_change(small: duckdb.DuckDBPyConnection) -> None:
    change = ov.headline_change(small, ALL, None, "V2")
    assert set(change["indicator"]) == {"network_practice", "who5_mean", "who5_poor_share", "actions_per_month"}
    assert change["change"].isna().all() and change["value_b"].notna().all()
    assert list(change.columns) == ov.CHANGE_COLUMNS


def test_small_groups_are_blanked_not_dropped(small: duckdb.DuckDBPyConnection) -> None:
    few = Filters(territories=("Nord",), min_group_size=7)
    change = ov.headline_change(small, few, "V1", "V2")
    r = _row(change, "network_practice")
    assert bool(r["suppressed"]) and np.isnan(r["value_b"]) and np.isnan(r["change"])
    trend = ov.headline_trend(small, few)
    hidden = trend.loc[trend["indicator"] == "network_practice"]
    assert hidden["suppressed"].all() and hidden["value"].isna().all() and len(hidden) == 2


def test_without_the_network_module_the_network_indicators_are_skipped(
    small: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ov, "networks_module", lambda: None)
    trend = ov.headline_trend(small, ALL)
    assert not trend["indicator"].isin(["network_density", "cross_sector_share"]).any()


def test_an_empty_warehouse_gives_empty_frames(wh_empty: duckdb.DuckDBPyConnection) -> None:
    assert ov.headline_trend(wh_empty, ALL).empty
    assert list(ov.headline_trend(wh_empty, ALL).columns) == ov.TREND_COLUMNS
    assert ov.group_changes(wh_empty, ALL, "V1", "V2").empty


# --------------------------------------------------------------------------- the group that lags


def test_group_change_against_the_rest_by_hand(small: duckdb.DuckDBPyConnection) -> None:
    groups = ov.group_changes(small, ALL, "V1", "V2").set_index("group")
    assert set(groups.index) == {"Nord", "Sud"}  # no sector, role or level recorded
    n1, n2, s1, s2 = (np.array(x) for x in (NORD_1, NORD_2, SUD_1, SUD_2))
    gap = (s2.mean() - s1.mean()) - (n2.mean() - n1.mean())
    v = [x.var(ddof=1) / 6 for x in (n1, n2, s1, s2)]
    se = np.sqrt(sum(v))
    dof = sum(v) ** 2 / sum(x**2 / 5 for x in v)  # Welch–Satterthwaite over the four samples
    p = 2 * sps.t.sf(abs(gap / se), dof)
    level, _ = ov.family_level([p, p])  # the two groups' gaps are one test each, the same p
    crit = sps.t.ppf(0.5 + level / 2, dof)
    sud = groups.loc["Sud"]
    assert sud["change"] == pytest.approx(s2.mean() - s1.mean())
    assert sud["rest_change"] == pytest.approx(n2.mean() - n1.mean())
    assert (sud["gap"], sud["gap_ci_low"], sud["gap_ci_high"]) == pytest.approx((gap, gap - crit * se, gap + crit * se))
    assert sud["df"] == pytest.approx(dof) and sud["p"] == pytest.approx(p)
    assert sud["p_adjusted"] == pytest.approx(p)  # BH over two equal p-values leaves them as they are
    assert groups.loc["Nord", "gap"] == pytest.approx(-gap)
    assert sud["n_a"] == 6 and sud["rest_n_b"] == 6 and sud["dimension"] == "territory"


def test_groups_smaller_than_the_threshold_or_without_a_rest_are_not_compared(
    small: duckdb.DuckDBPyConnection,
) -> None:
    assert ov.group_changes(small, Filters(min_group_size=7), "V1", "V2").empty
    assert ov.group_changes(small, Filters(territories=("Nord",), min_group_size=5), "V1", "V2").empty


# --------------------------------------------------------------------------- findings (pure)


def _change_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    base = {"wave_a": "A", "wave_b": "B", "design": ov.CROSS_SECTIONAL, "unit": ov.SHARE}
    family = {h.id: h.family for h in ov.HEADLINES}
    return pd.DataFrame([{**base, "family": family[str(r["indicator"])], **r} for r in rows]).reindex(
        columns=ov.CHANGE_COLUMNS)


def test_findings_rank_significant_changes_by_oriented_effect() -> None:
    change = _change_frame([
        {"indicator": "network_practice", "oriented_effect": 0.30, "significant": True, "change": 0.2},
        {"indicator": "who5_mean", "oriented_effect": 0.60, "significant": False, "change": 5.0},
        {"indicator": "cbi_high_share", "oriented_effect": -0.40, "significant": True, "change": 0.15},
        {"indicator": "who5_poor_share", "oriented_effect": -0.20, "significant": True, "change": 0.05},
        {"indicator": "network_density", "oriented_effect": np.nan, "significant": pd.NA, "change": 0.3},
    ])
    found = ov.pick_findings(change, pd.DataFrame(columns=ov.GROUP_COLUMNS)).set_index("kind")
    assert found.loc["improvement", "indicator"] == "network_practice"  # who5 is larger but within noise
    assert found.loc["improvement", "status"] == ov.FOUND
    assert found.loc["decline", "indicator"] == "cbi_high_share" and found.loc["decline", "status"] == ov.FOUND
    assert found.loc["lag", "status"] == ov.NONE and found.loc["lag", "wave_a"] == "A"


def test_findings_say_when_nothing_is_beyond_noise() -> None:
    change = _change_frame([
        {"indicator": "network_practice", "oriented_effect": 0.10, "significant": False},
        {"indicator": "who5_mean", "oriented_effect": 0.05, "significant": False},
    ])
    groups = pd.DataFrame([
        {"scale_id": "network_practice", "dimension": "territory", "group": "Sud", "wave_a": "A", "wave_b": "B",
         "gap": -0.2, "oriented_gap": -0.2, "z": -1.2, "p_holm": 0.6, "mean_a": 3.0, "mean_b": 3.0, "change": 0.0,
         "rest_change": 0.2, "n_a": 30, "n_b": 31},
        {"scale_id": "network_practice", "dimension": "level", "group": "operational", "wave_a": "A", "wave_b": "B",
         "gap": -0.1, "oriented_gap": -0.1, "z": -0.5, "p_holm": 1.0},
    ]).reindex(columns=ov.GROUP_COLUMNS)
    found = ov.pick_findings(change, groups).set_index("kind")
    assert found.loc["improvement", "status"] == ov.WITHIN_NOISE
    assert found.loc["improvement", "indicator"] == "network_practice"
    assert found.loc["decline", "status"] == ov.NONE
    assert found.loc["lag", "group"] == "Sud" and found.loc["lag", "status"] == ov.WITHIN_NOISE


# --------------------------------------------------------------------------- the demo story


@pytest.fixture(scope="module")
def demo(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    from warehouse.db import ReadOnlyWarehouse

    yield ReadOnlyWarehouse(demo_db).cursor()


def test_demo_network_practice_improves_and_plateau_des_sources_lags_over_the_two_years(
    demo: duckdb.DuckDBPyConnection,
) -> None:
    found = ov.findings(demo, Filters(), "2024-2", "2026-1").set_index("kind")
    assert found.loc["improvement", "indicator"] == "network_practice"
    assert found.loc["improvement", "status"] == ov.FOUND
    assert found.loc["lag", "group"] == "Plateau des Sources" and found.loc["lag", "status"] == ov.FOUND
    assert found.loc["lag", "change"] < 0.1 < found.loc["lag", "rest_change"]


def test_demo_wellbeing_dips_then_recovers(demo: duckdb.DuckDBPyConnection) -> None:
    dip = ov.findings(demo, Filters(), "2024-2", "2025-1").set_index("kind")
    assert dip.loc["decline", "indicator"] in {"who5_mean", "who5_poor_share", "cbi_high_share"}
    assert dip.loc["decline", "status"] == ov.FOUND
    recovery = ov.findings(demo, Filters(), "2025-2", "2026-1").set_index("kind")
    assert recovery.loc["improvement", "indicator"] in {"who5_mean", "who5_poor_share", "cbi_high_share"}
    assert recovery.loc["improvement", "status"] == ov.FOUND
    # the planted lag (network practice flat in Plateau des Sources) is clear over the whole period;
    # over one wave it is within noise, and a published role group can look as low by chance
    whole = ov.findings(demo, Filters(), "2024-2", "2026-1").set_index("kind")
    assert whole.loc["lag", "group"] == "Plateau des Sources" and whole.loc["lag", "status"] == ov.FOUND


def test_demo_headlines_match_the_family_indicators(demo: duckdb.DuckDBPyConnection) -> None:
    trend = ov.headline_trend(demo, Filters())
    assert set(trend["indicator"]) == {h.id for h in ov.HEADLINES}
    practice = trend.loc[trend["indicator"] == "network_practice"].set_index("wave_id")["value"]
    direct = demo.execute(
        "SELECT wave_id, avg(score) FROM scale_scores WHERE scale_id = 'network_practice' AND score IS NOT NULL "
        "GROUP BY wave_id"
    ).fetchall()
    for wave, mean in direct:
        assert practice[wave] == pytest.approx(mean)
    density = trend.loc[trend["indicator"] == "network_density", "value"]
    assert density.is_monotonic_increasing  # the partner network densifies wave after wave
