"""Which waves hold which kind of data, on the demo and on warehouses whose last wave is partial."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from indicators import availability as av
from tests.partial_waves import build_partial_warehouse

WAVES = ["2024-2", "2025-1", "2025-2", "2026-1"]


@pytest.fixture(scope="module")
def partial(tmp_path_factory: pytest.TempPathFactory) -> dict[str, duckdb.DuckDBPyConnection]:
    folder = tmp_path_factory.mktemp("partial")
    out = {}
    for kind in ("practitioner_only", "partner_only", "log_only"):
        path = build_partial_warehouse(folder / f"{kind}.duckdb", kind, folder / "key")
        out[kind] = duckdb.connect(str(path), read_only=True)
    return out


def test_the_demo_has_every_kind_of_data_in_every_wave(demo_db: Path) -> None:
    conn = duckdb.connect(str(demo_db), read_only=True)
    inv = av.inventory(conn)
    assert list(inv["wave_id"]) == WAVES
    assert (inv["practitioner_rows"] > 200).all() and (inv["partner_rows"] >= 28).all()
    assert inv["partner_loaded_at"].notna().all() and inv["targets_loaded_at"].notna().all()
    span = av.activity_span(conn)
    assert span is not None
    assert (span.first_month.isoformat(), span.last_month.isoformat()) == ("2024-09-01", "2026-06-01")
    for family in av.FAMILIES:
        assert av.waves_with(conn, family) == WAVES


def test_a_wave_without_its_partner_survey_shows_the_previous_network(
    partial: dict[str, duckdb.DuckDBPyConnection],
) -> None:
    conn = partial["practitioner_only"]
    row = av.inventory(conn).set_index("wave_id").loc["2026-1"]
    assert row["practitioner_rows"] == 232 and row["partner_rows"] == 0 and not row["partner_survey_ties"]
    assert av.waves_with(conn, "network") == WAVES[:3]
    shown = av.shown_wave(conn, "network", WAVES)
    assert (shown.selected, shown.shown, shown.differs) == ("2026-1", "2025-2", True)
    assert not av.shown_wave(conn, "practice", WAVES).differs
    pair = av.compare_pair(conn, "network", WAVES, "2025-2", "2026-1")
    assert (pair.wave_a, pair.wave_b, pair.possible) == ("2025-1", "2025-2", True)
    assert av.compare_pair(conn, "practice", WAVES, "2025-2", "2026-1").differs is False


def test_a_wave_without_its_practitioner_survey_keeps_its_network(
    partial: dict[str, duckdb.DuckDBPyConnection],
) -> None:
    conn = partial["partner_only"]
    assert av.waves_with(conn, "practice") == WAVES[:3]
    assert av.waves_with(conn, "network") == WAVES
    # the practitioners' reported ties come with the practitioner survey
    assert av.waves_with(conn, "network_practitioner") == WAVES[:3]
    assert av.shown_wave(conn, "wellbeing", WAVES).shown == "2025-2"
    # a comparison the user asked between 2024-2 and 2026-1 keeps 2024-2
    assert av.compare_pair(conn, "practice", WAVES, "2024-2", "2026-1").wave_a == "2024-2"


def test_a_wave_with_only_the_log_has_no_survey_family(partial: dict[str, duckdb.DuckDBPyConnection]) -> None:
    conn = partial["log_only"]
    inv = av.inventory(conn).set_index("wave_id")
    assert list(inv.index) == WAVES  # the wave exists: its invited population is loaded
    assert inv.loc["2026-1", "targets_rows"] > 0 and inv.loc["2026-1", "practitioner_rows"] == 0
    for family in av.FAMILIES:
        assert "2026-1" not in av.waves_with(conn, family)
    span = av.activity_span(conn)
    assert span is not None and span.last_month.isoformat() == "2026-06-01"


def test_a_comparison_needs_two_waves_with_the_data(demo_db: Path) -> None:
    conn = duckdb.connect(str(demo_db), read_only=True)
    one = av.compare_pair(conn, "network", ["2026-1"], None, "2026-1")
    assert not one.possible and one.wave_b == "2026-1"
    with pytest.raises(av.UnknownFamily, match="unknown indicator family 'nope'"):
        av.waves_with(conn, "nope")
