"""On the demo territory, the indicators find the story the generator tells (etl/demo.py):
practice and cross-sector ties grow, wellbeing dips then recovers, 16–18 actions come late,
parents co-organise more, the strategic–operational gap narrows, Plateau des Sources lags."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from indicators import exchanges, networks, practice, wellbeing
from indicators.filters import Filters

FIRST, LAST = "2024-2", "2026-1"
LAGGING = "Plateau des Sources"


@pytest.fixture(scope="module")
def demo(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    from warehouse.db import ReadOnlyWarehouse

    yield ReadOnlyWarehouse(demo_db).cursor()


def test_network_practice_grows_for_the_same_people(demo: duckdb.DuckDBPyConnection) -> None:
    panel = practice.panel_change(demo, Filters(), FIRST, LAST).set_index("scale_id")
    row = panel.loc["network_practice"]
    assert row["design"] == "panel" and row["effect_size"] == "d_z"
    assert row["mean_diff"] > 0.2 and row["ci_low"] > 0 and row["p_holm"] < 0.05


def test_plateau_des_sources_lags_on_network_practice(demo: duckdb.DuckDBPyConnection) -> None:
    by_place = practice.scale_summary(demo, Filters(), by=("wave_id", "territory"), scales=("network_practice",))
    change = {}
    for place, rows in by_place.groupby("territory"):
        means = rows.set_index("wave_id")["mean"]
        change[place] = means[LAST] - means[FIRST]
    assert min(change, key=change.get) == LAGGING  # type: ignore[arg-type]
    assert change[LAGGING] < 0.15 < min(v for k, v in change.items() if k != LAGGING)


def test_wellbeing_dips_then_recovers(demo: duckdb.DuckDBPyConnection) -> None:
    summary = wellbeing.wellbeing_summary(demo, Filters())
    who5 = summary[summary["scale_id"] == "who5"].set_index("wave_id")["mean"]
    assert who5["2025-1"] < who5[FIRST] - 5 and who5["2025-2"] < who5[FIRST] - 5
    assert who5[LAST] > who5["2025-2"] + 5


def test_cross_sector_ties_grow_in_the_partner_network(demo: duckdb.DuckDBPyConnection) -> None:
    trend = networks.network_summary(demo, Filters(), by_territory=False).set_index("wave_id")
    assert trend.loc[LAST, "mean_level"] > trend.loc[FIRST, "mean_level"] + 0.3
    assert trend.loc[LAST, "density"] > trend.loc[FIRST, "density"]


def test_actions_for_16_18_year_olds_come_late_and_parents_co_organise_more(demo: duckdb.DuckDBPyConnection) -> None:
    shares = exchanges.activity_shares(demo, Filters()).set_index("period")
    assert shares.loc["2024-S2", "for_16_18"] == 0 and shares.loc["2025-S1", "for_16_18"] == 0
    assert shares.loc["2025-S2", "for_16_18"] > 0 and shares.loc["2026-S1", "for_16_18"] > 0
    share = shares["share_parents_coorganised"]
    assert share["2026-S1"] > share["2024-S2"]


def test_the_strategic_operational_gap_on_partnership_culture_narrows(demo: duckdb.DuckDBPyConnection) -> None:
    gap = practice.level_gap(demo, Filters(), scales=("partnership_culture",)).set_index("wave_id")["gap"]
    assert gap[FIRST] > 0.5 and gap[LAST] < gap[FIRST]


def test_a_territory_filter_isolates_the_lag(demo: duckdb.DuckDBPyConnection) -> None:
    plateau = replace(Filters(), territories=(LAGGING,))
    panel = practice.panel_change(demo, plateau, FIRST, LAST).set_index("scale_id")
    assert abs(panel.loc["network_practice", "mean_diff"]) < 0.15
