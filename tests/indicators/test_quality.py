"""Data-quality indicators checked on hand-built warehouses and against plain numpy / scipy."""

from __future__ import annotations

import datetime as dt
import importlib

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from indicators.filters import Filters
from indicators.quality import (
    MISSING_COLUMNS,
    QUARANTINE_SUMMARY_COLUMNS,
    RELIABILITY_COLUMNS,
    RESPONSE_RATE_COLUMNS,
    RETENTION_COLUMNS,
    loads_table,
    missing_items,
    panel_retention,
    quarantine_rows,
    quarantine_summary,
    reliability,
    response_rates,
)
from tests.indicators.conftest import NOT_ASKED, SCALES, Synthetic, wh_insert_frame

ALL = Filters(min_group_size=5)


def _wilson(k: int, n: int) -> tuple[float, float]:
    ci = st.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return ci.low, ci.high


def _people(conn: duckdb.DuckDBPyConnection, wave: str, ids: list[str], **meta: object) -> None:
    wh_insert_frame(conn, "respondents", pd.DataFrame(
        {"wave_id": wave, "instrument": "practitioner", "respondent_id": ids, "load_id": 1, "source_row": 1, **meta}))


# --------------------------------------------------------------------------- response rates


@pytest.fixture
def rates_warehouse(wh_empty: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """W1 targets per sector; W2 targets per sector and territory."""
    wh_insert_frame(wh_empty, "waves", [{"wave_id": "W1", "wave_order": 1}, {"wave_id": "W2", "wave_order": 2}])
    for wave, sector, territory, n in (
        ("W1", "education", "Nord", 12), ("W1", "education", "Sud", 8), ("W1", "city", "Nord", 12),
        ("W1", "association", "Sud", 6), ("W2", "education", "Nord", 10), ("W2", "education", "Sud", 4),
        ("W2", "city", "Nord", 7),
    ):
        _people(wh_empty, wave, [f"{wave}{sector}{territory}{i}" for i in range(n)],
                sector_id=sector, territory=territory, role="teacher")
    wh_insert_frame(wh_empty, "population_targets", [
        {"wave_id": "W1", "sector_id": "education", "territory": None, "target_n": 40, "load_id": 9},
        {"wave_id": "W1", "sector_id": "city", "territory": None, "target_n": 10, "load_id": 9},
        {"wave_id": "W2", "sector_id": "education", "territory": "Nord", "target_n": 20, "load_id": 9},
        {"wave_id": "W2", "sector_id": "education", "territory": "Sud", "target_n": 25, "load_id": 9},
    ])
    return wh_empty


def _row(df: pd.DataFrame, wave: str, sector: str, territory: str | None = None) -> pd.Series:
    sel = (df["wave_id"] == wave) & (df["sector_id"] == sector)
    sel &= df["territory"].isna() if territory is None else df["territory"] == territory
    assert sel.sum() == 1
    return df[sel].iloc[0]


def test_response_rate_is_respondents_over_target_with_wilson_ci(rates_warehouse) -> None:
    out = response_rates(rates_warehouse, ALL)
    assert list(out.columns) == RESPONSE_RATE_COLUMNS
    edu = _row(out, "W1", "education")
    assert (edu["respondents"], edu["target_n"], edu["rate"]) == (20, 40, 0.5)
    assert (edu["ci_low"], edu["ci_high"]) == pytest.approx(_wilson(20, 40), rel=1e-9)
    assert edu["sector_label_fr"] == "Éducation nationale" and pd.isna(edu["note"])
    nord = _row(out, "W2", "education", "Nord")
    assert (nord["respondents"], nord["target_n"], nord["rate"]) == (10, 20, 0.5)


def test_groups_without_a_target_and_above_their_target_say_so(rates_warehouse) -> None:
    out = response_rates(rates_warehouse, ALL)
    assoc = _row(out, "W1", "association")
    assert assoc["note"] == "no_target" and np.isnan(assoc["rate"]) and assoc["respondents"] == 6
    city = _row(out, "W1", "city")
    assert city["note"] == "above_target" and city["rate"] == pytest.approx(1.2) and np.isnan(city["ci_low"])
    # W2 targets are per territory, so its uncovered respondents are listed per territory too
    assert _row(out, "W2", "city", "Nord")["note"] == "no_target"


def test_small_response_groups_are_hidden_with_their_complement_but_keep_the_target(rates_warehouse) -> None:
    out = response_rates(rates_warehouse, ALL)
    sud, city = _row(out, "W2", "education", "Sud"), _row(out, "W2", "city", "Nord")
    assert sud["suppressed"] and city["suppressed"] and not _row(out, "W2", "education", "Nord")["suppressed"]
    assert np.isnan([sud["respondents"], sud["rate"], sud["n"], city["respondents"]]).all()
    assert sud["target_n"] == 25


def test_territory_filter_keeps_only_targets_given_for_that_territory(rates_warehouse) -> None:
    out = response_rates(rates_warehouse, Filters(territories=("Nord",), min_group_size=5))
    assert _row(out, "W1", "education")["note"] == "no_target"  # W1 targets are not per territory
    assert _row(out, "W1", "education")["respondents"] == 12
    assert _row(out, "W2", "education", "Nord")["rate"] == 0.5
    assert "Sud" not in set(out["territory"].dropna())
    ignored = response_rates(rates_warehouse, Filters(roles=("manager",), min_group_size=5))
    pd.testing.assert_frame_equal(ignored, response_rates(rates_warehouse, ALL))


# --------------------------------------------------------------------------- panel retention


@pytest.fixture
def panel_warehouse(wh_empty: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    wh_insert_frame(wh_empty, "waves", [{"wave_id": w, "wave_order": i + 1} for i, w in enumerate(("W1", "W2", "W3"))])
    r = [f"r{i}" for i in range(10)]
    _people(wh_empty, "W1", r)
    _people(wh_empty, "W2", [*r[:6], "n0", "n1", "n2", "n3"])
    _people(wh_empty, "W3", [*r[:3], "r6", "r7", "n0", "m0", "m1", "m2", "m3", "m4"])
    return wh_empty


def test_panel_retention_counts_retained_returning_and_new_respondents(panel_warehouse) -> None:
    out = panel_retention(panel_warehouse, ALL)
    assert list(out.columns) == RETENTION_COLUMNS
    got = out[["wave_a", "wave_b", "n_a", "n_retained", "n_b", "n_newcomers", "n_returning"]]
    assert got.values.tolist() == [["W1", "W2", 10, 6, 10, 4, 0], ["W2", "W3", 10, 4, 11, 5, 2]]
    assert out["retention"].tolist() == pytest.approx([0.6, 0.4])
    assert (out.loc[0, "ci_low"], out.loc[0, "ci_high"]) == pytest.approx(_wilson(6, 10), rel=1e-9)


def test_panel_retention_pairs_the_selected_waves_only(panel_warehouse) -> None:
    out = panel_retention(panel_warehouse, Filters(waves=("W1", "W3"), min_group_size=5))
    row = out.iloc[0]
    assert (row["wave_a"], row["wave_b"], row["n_retained"], row["n_newcomers"], row["n_returning"]) == (
        "W1", "W3", 5, 5, 1)


# --------------------------------------------------------------------------- missing items


def test_missing_item_share_and_missing_scores_equal_counts_on_the_answers(wh_synthetic: Synthetic) -> None:
    out = missing_items(wh_synthetic.conn, ALL)
    assert list(out.columns) == MISSING_COLUMNS
    assert len(out) == 3 * len(SCALES)
    for row in out.itertuples():
        items = [i for i in SCALES[row.scale_id][4] if (row.wave_id, i) not in NOT_ASKED]
        n = (wh_synthetic.respondents["wave_id"] == row.wave_id).sum()
        answered = wh_synthetic.responses[
            (wh_synthetic.responses["wave_id"] == row.wave_id) & wh_synthetic.responses["item_id"].isin(items)]
        scores = wh_synthetic.scores[(wh_synthetic.scores["wave_id"] == row.wave_id)
                                     & (wh_synthetic.scores["scale_id"] == row.scale_id)]
        assert (row.items_asked, row.n) == (len(items), n)
        assert row.missing_share == pytest.approx(1 - len(answered) / (n * len(items)), rel=1e-12)
        assert row.no_score_share == pytest.approx(scores["score"].isna().mean(), rel=1e-12)


# --------------------------------------------------------------------------- reliability


def _reference_alpha(syn: Synthetic, wave: str, scale: str, keep: pd.Index | None = None,
                     reverse: bool = True) -> tuple[float, int, int]:
    """Cronbach's alpha of a wave's complete cases, plain numpy on the generated answers."""
    items = [i for i in SCALES[scale][4] if (wave, i) not in NOT_ASKED]
    x = syn.responses[(syn.responses["wave_id"] == wave) & syn.responses["item_id"].isin(items)]
    m = x.pivot(index="respondent_id", columns="item_id", values="value").reindex(columns=items).dropna()
    if keep is not None:
        m = m[m.index.isin(keep)]
    if reverse:
        lo, hi = SCALES[scale][6]
        for item in SCALES[scale][5]:
            if item in m:
                m[item] = lo + hi - m[item]
    v = m.to_numpy()
    k = v.shape[1]
    return k / (k - 1) * (1 - v.var(axis=0, ddof=1).sum() / v.sum(axis=1).var(ddof=1)), len(m), k


def test_cronbach_alpha_per_wave_equals_numpy_with_feldt_ci(wh_synthetic: Synthetic) -> None:
    out = reliability(wh_synthetic.conn, ALL)
    assert list(out.columns) == RELIABILITY_COLUMNS
    assert len(out) == 3 * len(SCALES)
    for row in out.itertuples():
        alpha, n, k = _reference_alpha(wh_synthetic, row.wave_id, row.scale_id)
        df1, df2 = n - 1, (n - 1) * (k - 1)
        low = 1 - (1 - alpha) * st.f.ppf(0.975, df1, df2)
        high = 1 - (1 - alpha) * st.f.ppf(0.025, df1, df2)
        assert (row.k, row.n) == (k, n)
        assert (row.alpha, row.ci_low, row.ci_high) == pytest.approx((alpha, low, high), rel=1e-9)
    # partnership_culture lost CUL4 in V3: its alpha there is over 3 items
    assert out.set_index(["wave_id", "scale_id"]).loc[("V3", "partnership_culture"), "k"] == 3


def test_reverse_keyed_items_are_reversed_before_alpha(wh_synthetic: Synthetic) -> None:
    row = reliability(wh_synthetic.conn, ALL, scales=["legibility"]).iloc[0]
    unreversed, _, _ = _reference_alpha(wh_synthetic, row["wave_id"], "legibility", reverse=False)
    assert row["alpha"] > 0.5 > unreversed


def test_alpha_of_one_territory_uses_only_its_respondents(wh_synthetic: Synthetic) -> None:
    out = reliability(wh_synthetic.conn, Filters(territories=("Sud",), min_group_size=1), scales=["cbi_work"])
    for row in out.itertuples():
        r = wh_synthetic.respondents
        sud = r[(r["wave_id"] == row.wave_id) & (r["territory"] == "Sud")]["respondent_id"]
        alpha, n, _ = _reference_alpha(wh_synthetic, row.wave_id, "cbi_work", keep=pd.Index(sud))
        assert (row.n, row.alpha) == pytest.approx((n, alpha), rel=1e-9)


def test_alpha_of_a_group_below_the_minimum_size_is_hidden(wh_synthetic: Synthetic) -> None:
    out = reliability(wh_synthetic.conn, Filters(min_group_size=1000))
    assert out["suppressed"].all() and out["alpha"].isna().all() and out["k"].notna().all()


# --------------------------------------------------------------------------- loads and quarantine


@pytest.fixture
def loads_warehouse(wh_empty: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    t = dt.datetime(2025, 3, 1)
    base = {"file_sha256": "x", "instrument": "practitioner", "codebook_version": "1", "codebook_sha256": "y",
            "rows_read": 10, "rows_loaded": 9, "rows_quarantined": 1, "cells_quarantined": 1, "warnings": 0,
            "started_at": t, "finished_at": t}
    wh_insert_frame(wh_empty, "loads", [
        {**base, "load_id": 1, "file_name": "old.csv", "wave_id": "W1", "status": "replaced", "replaced_by_load_id": 2},
        {**base, "load_id": 2, "file_name": "w1.csv", "wave_id": "W1", "status": "current"},
        {**base, "load_id": 3, "file_name": "w2.xlsx", "wave_id": "W2", "status": "current"},
    ])
    q = {"column_name": "NET1", "scope": "cell", "message": "Libellé inconnu."}
    wh_insert_frame(wh_empty, "quarantine", [
        {**q, "load_id": 1, "file_name": "old.csv", "source_row": 2, "value": "bof", "problem": "unknown_label"},
        {**q, "load_id": 2, "file_name": "w1.csv", "source_row": 4, "value": "je ne sais", "problem": "unknown_label"},
        {**q, "load_id": 2, "file_name": "w1.csv", "source_row": 7, "value": "Mme Durand", "problem": "unknown_label"},
        {**q, "load_id": 3, "file_name": "w2.xlsx", "source_row": 3, "value": None, "problem": "missing_key",
         "scope": "row", "column_name": None},
    ])
    return wh_empty


def test_quarantine_summary_counts_problems_of_the_loads_in_force_only(loads_warehouse) -> None:
    out = quarantine_summary(loads_warehouse)
    assert list(out.columns) == QUARANTINE_SUMMARY_COLUMNS
    assert out[["file_name", "problem", "scope", "n"]].values.tolist() == [
        ["w1.csv", "unknown_label", "cell", 2], ["w2.xlsx", "missing_key", "row", 1]]
    assert quarantine_summary(loads_warehouse, Filters(waves=("W2",)))["file_name"].tolist() == ["w2.xlsx"]


def test_quarantined_rows_hide_the_typed_values_unless_asked(loads_warehouse) -> None:
    rows = quarantine_rows(loads_warehouse)
    assert "value" not in rows.columns and len(rows) == 3
    assert rows[["file_name", "source_row"]].values.tolist() == [["w1.csv", 4], ["w1.csv", 7], ["w2.xlsx", 3]]
    shown = quarantine_rows(loads_warehouse, limit=2, include_values=True)
    assert shown["value"].tolist() == ["je ne sais", "Mme Durand"]


def test_load_history_lists_replaced_loads_newest_first(loads_warehouse) -> None:
    out = loads_table(loads_warehouse)
    assert out["load_id"].tolist() == [3, 2, 1]
    assert out["status"].tolist() == ["current", "current", "replaced"] and out["n"].eq(9).all()


# --------------------------------------------------------------------------- empty warehouse


def test_every_quality_indicator_returns_an_empty_frame_on_an_empty_warehouse(
    wh_empty: duckdb.DuckDBPyConnection,
) -> None:
    for columns, df in (
        (RESPONSE_RATE_COLUMNS, response_rates(wh_empty, ALL)),
        (RETENTION_COLUMNS, panel_retention(wh_empty, ALL)),
        (MISSING_COLUMNS, missing_items(wh_empty, ALL)),
        (RELIABILITY_COLUMNS, reliability(wh_empty, ALL)),
        (QUARANTINE_SUMMARY_COLUMNS, quarantine_summary(wh_empty)),
    ):
        assert df.empty and list(df.columns) == columns
    assert quarantine_rows(wh_empty).empty and loads_table(wh_empty).empty


def test_each_quality_indicator_has_a_bilingual_catalogue_entry_naming_its_function() -> None:
    module = importlib.import_module("indicators.quality")
    entries = module.INDICATORS
    assert len({e.id for e in entries}) == len(entries) and entries
    for e in entries:
        assert e.id.startswith("quality.") and e.family == "quality"
        assert all([e.title_fr, e.title_en, e.definition_fr, e.definition_en, e.formula, e.unit, e.missing_data])
        assert e.sources and e.definition_fr != e.definition_en
        mod, func = e.function.rsplit(".", 1)
        assert mod == "indicators.quality" and callable(getattr(module, func))
