"""No group of fewer than min_group_size respondents can be read or inferred from what Maillage
publishes, whatever sequence of selections an attacker makes (docs/privacy.md).

Each test runs an attack of tests/privacy/attacks.py on the demo warehouse and on a synthetic
warehouse with many small groups (two territories × three sectors × three roles × three levels
for ~110 respondents a wave) and expects it to find nothing. The same attacks on the code before
disclosure control recovered thousands of small groups exactly (the closing note of issue 8)."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from indicators import models, practice, weights, wellbeing
from indicators.filters import Filters
from indicators.instruments import practice_scales
from maillage.cli import cli
from tests.indicators.conftest import wh_add_scored, wh_build, wh_metadata
from tests.privacy import attacks
from ui import pack
from warehouse.db import apply_schema, attach_read_only

K = 5


@pytest.fixture(scope="module")
def demo(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    conn = attach_read_only(demo_db)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def synthetic() -> duckdb.DuckDBPyConnection:
    conn = wh_build(seed=20250101).conn
    conn.execute("INSERT INTO meta VALUES ('warehouse_version', '1') ON CONFLICT DO NOTHING")
    return conn


@pytest.fixture(params=["demo", "synthetic"])
def warehouse(request: pytest.FixtureRequest) -> duckdb.DuckDBPyConnection:
    return request.getfixturevalue(request.param)  # type: ignore[no-any-return]


def _show(found: list[attacks.Finding]) -> str:
    lines = [f"{f.attack} {f.wave} {f.measure}: {f.big} − {f.small} → {f.group_size:g} people" for f in found[:5]]
    return "\n".join(lines)


def test_differencing_two_selections_never_isolates_a_small_group(warehouse: duckdb.DuckDBPyConnection) -> None:
    """Every selection with one value taken out of one dimension (the pack "every sector but
    health", the dashboard's multi-select), against the selection itself: the difference is
    nobody, or at least K respondents, for every scale of every wave."""
    pairs = attacks.complement_pairs(warehouse, K, bases=10)
    assert len(pairs) > 100
    found = attacks.differencing_attack(warehouse, K, pairs)
    assert not found, _show(found)


def test_wellbeing_shares_cannot_be_differenced(warehouse: duckdb.DuckDBPyConnection) -> None:
    pairs = attacks.complement_pairs(warehouse, K, bases=0)
    found = attacks.differencing_attack(
        warehouse, K, pairs, figure=lambda c, f: wellbeing.wellbeing_summary(c, f),
        measure="who5_poor_share", name="wellbeing",
    )
    assert not found, _show(found)


def test_total_minus_a_breakdown_reveals_nobody(warehouse: duckdb.DuckDBPyConnection) -> None:
    found = attacks.breakdown_attack(warehouse, K)
    assert not found, _show(found)


def test_two_hidden_groups_of_two_are_not_recovered_from_the_total() -> None:
    """20 + 9 + 6 respondents and two sectors of 2: 'total − shown' must not give a group of 4."""
    conn = duckdb.connect()
    apply_schema(conn)
    wh_metadata(conn, ("W1",))
    sizes = {"education": 20, "city": 9, "social": 6, "health": 2, "parents": 2}
    sectors = [s for s, n in sizes.items() for _ in range(n)]
    people = pd.DataFrame({"wave_id": "W1", "respondent_id": [f"r{i}" for i in range(len(sectors))],
                           "sector_id": sectors})
    wh_add_scored(conn, people, "legibility", list(np.linspace(1, 5, len(sectors))))
    total = practice.scale_summary(conn, Filters(min_group_size=K), scales=["legibility"])
    by = practice.scale_summary(conn, Filters(min_group_size=K), by=("wave_id", "sector_id"), scales=["legibility"])
    gap = float(total["n"].iloc[0]) - float(by.loc[~by["suppressed"], "n"].sum())
    assert gap == 0 or gap >= K, gap
    assert by.set_index("sector_id").loc[["health", "parents"], "suppressed"].all()


def test_panel_and_wave_means_do_not_reveal_who_joined_or_left(warehouse: duckdb.DuckDBPyConnection) -> None:
    waves = [r[0] for r in warehouse.execute("SELECT wave_id FROM waves ORDER BY wave_order").fetchall()]
    found = [f for a, b in itertools.pairwise(waves) for f in attacks.panel_attack(warehouse, K, a, b)]
    assert not found, _show(found)


def test_the_network_by_role_or_level_rests_on_classes_of_practitioners(demo: duckdb.DuckDBPyConnection) -> None:
    found = attacks.network_attack(demo, K)
    assert not found, _show(found)


def test_one_institutions_network_shows_only_the_namings_the_attacked_network_uses(
    demo: duckdb.DuckDBPyConnection,
) -> None:
    """The ego view's practitioner namings are the network's own tie weights, for every role and
    level selection: what the network attack above checks covers them (no new way to difference)."""
    from indicators import networks

    vals = attacks.values(demo)
    selections = [Filters(min_group_size=K)] + [
        attacks._with(Filters(min_group_size=K), dim, [v]) for dim in ("roles", "levels") for v in vals[dim]]
    institutions = [r[0] for r in demo.execute(
        "SELECT institution_id FROM respondents WHERE wave_id = '2026-1' AND instrument = 'practitioner' "
        "GROUP BY 1 ORDER BY count(*) DESC LIMIT 3").fetchall()]
    for f in selections:
        edges = networks.network_edges(demo, f, "2026-1", "practitioner_survey").edges
        weights = {(a, b): w for a, b, w in edges[["from_institution_id", "to_institution_id", "weight"]].itertuples(
            index=False)}
        for inst in institutions:
            partners = networks.ego_network(demo, f, inst, "2026-1", source="practitioner_survey").partners
            for row in partners.itertuples(index=False):
                assert row.named_by_ego == weights.get((inst, row.institution_id), 0)
                assert row.named_by_partner == weights.get((row.institution_id, inst), 0)
            named = partners.loc[partners["named_by_ego"] > 0, "institution_id"]
            assert set(named) <= {b for a, b in weights if a == inst}


def test_the_issues_own_pack_attack_gives_nothing(demo: duckdb.DuckDBPyConnection) -> None:
    """Two packs, 2025-1 in Plateau des Sources, with and without the health sector: the single
    health professional's WHO-5, CBI and four practice scores came out exactly. Now the tables of
    the two packs (the workbook the committee gets) differ by nobody or by at least five people."""
    sectors = [r[0] for r in demo.execute("SELECT sector_id FROM sectors").fetchall()]
    plateau = Filters(waves=("2025-1",), territories=("Plateau des Sources",), min_group_size=K)
    without_health = Filters(waves=("2025-1",), territories=("Plateau des Sources",),
                             sectors=tuple(s for s in sectors if s != "health"), min_group_size=K)

    def tables(f: Filters) -> dict[str, pd.DataFrame]:
        c = pack.context(demo, f, "fr")
        out: dict[str, pd.DataFrame] = {}
        for section in ("practice", "wellbeing"):
            for chart in next(s for s in pack.SECTIONS if s.id == section).charts(c):
                out.update(chart.tables)
        return out

    a, b = tables(plateau), tables(without_health)
    compared = 0
    for name in a.keys() & b.keys():
        ta, tb = a[name], b[name]
        if not {"n", "wave_id", "scale_id"} <= set(ta.columns) or "mean" not in ta.columns:
            continue
        keys = [c for c in ("wave_id", "scale_id") if c in ta.columns]
        found = attacks.difference("pack", plateau, without_health, ta, tb, K, keys, "mean")
        assert not found, (name, _show(found))
        compared += 1
    assert compared >= 2


def _parquet(folder: Path) -> pd.DataFrame:
    """A table exported as Parquet partitioned by wave (the files keep their wave_id column)."""
    return duckdb.sql(f"SELECT * FROM read_parquet('{folder.as_posix()}/*/*.parquet', hive_partitioning = false)").df()


def test_the_microdata_export_is_k_anonymous(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_db, copy)
    out = tmp_path / "export"
    result = CliRunner().invoke(cli, ["export", "--db", str(copy), "--out", str(out), "--no-indicators",
                                      "--microdata", "--format", "parquet"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "k-anonymity checked" in result.output
    exported = _parquet(out / "tidy" / "respondents")
    assert len(exported) > 800 and "years_in_post" not in exported.columns
    assert not attacks.microdata_attack(exported, K)
    # the export's pseudonyms are its own: none is a warehouse pseudonym, and a second export has others
    conn = attach_read_only(copy)
    try:
        known = {r[0] for r in conn.execute("SELECT respondent_id FROM respondents").fetchall()}
        logged = conn.execute("SELECT kind, rows_exported, smallest_class FROM exports").fetchall()
    finally:
        conn.close()
    assert not known & set(exported["respondent_id"])
    assert logged == [("microdata", len(exported), int(exported.groupby(
        ["instrument", "wave_id", "role", "institution_id", "sector_id", "territory", "level", "years_in_post_band"],
        dropna=False).size().min()))]
    again = CliRunner().invoke(cli, ["export", "--db", str(copy), "--out", str(tmp_path / "again"), "--no-indicators",
                                     "--microdata", "--format", "parquet"])  # fmt: skip
    assert again.exit_code == 0
    assert not set(_parquet(tmp_path / "again" / "tidy" / "respondents")["respondent_id"]) & set(
        exported["respondent_id"]
    )


def test_nothing_respondent_level_leaves_without_asking(demo_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_db, copy)
    out = tmp_path / "export"
    result = CliRunner().invoke(cli, ["export", "--db", str(copy), "--out", str(out), "--no-indicators"])
    assert result.exit_code == 0, result.output
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    for private in ("tidy/respondents.csv", "tidy/responses.csv", "tidy/scale_scores.csv", "tidy/ties.csv",
                    "panel_wide.csv", "panel_wide.dta", "panel_wide.sav"):
        assert private not in files
    conn = attach_read_only(copy)
    try:
        pseudonyms = [r[0] for r in conn.execute("SELECT respondent_id FROM respondents LIMIT 50").fetchall()]
    finally:
        conn.close()
    text = "".join((out / f).read_text(encoding="utf-8", errors="replace") for f in files if f.endswith(".csv"))
    assert not any(p in text for p in pseudonyms)


def test_the_model_and_the_weighted_trend_cannot_be_differenced(warehouse: duckdb.DuckDBPyConnection) -> None:
    """The analyses of issue 10 publish, for any selection, n and an estimate per wave (the
    repeated-measures model's wave means, the weighted and unweighted trend): the same
    differencing over every filter dimension finds nobody."""
    pairs = attacks.complement_pairs(warehouse, K, bases=0)
    scale = practice_scales(warehouse)[:1]  # one scale: every model fit is one call per selection
    trends: dict[Filters, pd.DataFrame] = {}

    def trend(c: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
        if f not in trends:
            trends[f] = weights.weighted_trend(c, f, scales=scale)
        return trends[f]

    found = attacks.differencing_attack(warehouse, K, pairs, figure=trend, name="weighted trend")
    found += attacks.differencing_attack(
        warehouse, K, pairs, figure=lambda c, f: trend(c, f).drop(columns="n").rename(columns={"n_weighted": "n"}),
        measure="mean_weighted", name="weighted mean")
    found += attacks.differencing_attack(
        warehouse, K, pairs, figure=lambda c, f: models.repeated_measures(c, f, scales=scale).means,
        name="model wave means")
    assert not found, _show(found)
