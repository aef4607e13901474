"""Practice indicators checked against scipy / plain numpy on the same synthetic data."""

from __future__ import annotations

import importlib
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from scipy import stats as st

from indicators.filters import Filters
from indicators.practice import (
    CROSS_SECTIONAL_COLUMNS,
    ITEM_DISTRIBUTION_COLUMNS,
    LEVEL_GAP_COLUMNS,
    PANEL_COLUMNS,
    RELIABLE_CHANGE_COLUMNS,
    SCALE_SUMMARY_COLUMNS,
    cross_sectional_change,
    item_distribution,
    level_gap,
    panel_change,
    reliable_change,
    scale_summary,
)
from tests.indicators.conftest import NOT_ASKED, SCALES, Synthetic, wh_add_scored, wh_metadata

ALL = Filters(min_group_size=5)

# the fixture's practice scales, in codebook order
PRACTICE_SCALES = ("network_practice", "legibility", "parents_actors", "partnership_culture")


def _scored(syn: Synthetic, wave: str | None = None) -> pd.DataFrame:
    """Scores with the respondent's metadata of the same wave, score present."""
    df = syn.scores.merge(syn.respondents, on=["wave_id", "respondent_id"]).dropna(subset=["score"])
    return df if wave is None else df[df["wave_id"] == wave]


def _common(scale: str, a: str, b: str) -> list[str]:
    """The scale's items both waves asked (the fixture's NOT_ASKED: CUL4 is not asked in V3)."""
    return [i for i in SCALES[scale][4] if (a, i) not in NOT_ASKED and (b, i) not in NOT_ASKED]


def _comparable(syn: Synthetic, a: str, b: str) -> pd.DataFrame:
    """The scores of waves a and b as the documented like-with-like rule makes them: a scale whose
    items differ between the two is rescored in both on the items both asked (mean of the answered
    common items, reverse-keyed reversed; none below ⌈min_items · common / items⌉ answered)."""
    ref = _scored(syn)
    ref = ref[ref["wave_id"].isin([a, b])]
    for scale, (_rule, _mult, min_items, _b, items, rev, (lo, hi)) in SCALES.items():
        common = _common(scale, a, b)
        if len(common) == len(items):
            continue
        x = syn.responses[syn.responses["wave_id"].isin([a, b]) & syn.responses["item_id"].isin(common)].copy()
        x["v"] = np.where(x["item_id"].isin(rev), lo + hi - x["value"], x["value"])
        g = x.groupby(["wave_id", "respondent_id"])["v"].agg(["mean", "count"]).reset_index()
        g = g[g["count"] >= max(1, math.ceil(min_items * len(common) / len(items)))]
        redone = g.rename(columns={"mean": "score"})[["wave_id", "respondent_id", "score"]].assign(scale_id=scale)
        redone = redone.merge(syn.respondents, on=["wave_id", "respondent_id"])
        ref = pd.concat([ref[ref["scale_id"] != scale], redone], ignore_index=True)
    return ref


def _pairs(syn: Synthetic, a: str, b: str, scale: str) -> pd.DataFrame:
    """Respondents with a (comparable) score in both waves, with their wave-b metadata."""
    s = _comparable(syn, a, b)
    s = s[s["scale_id"] == scale]
    return s[s["wave_id"] == a][["respondent_id", "score"]].merge(
        s[s["wave_id"] == b], on="respondent_id", suffixes=("_a", "_b")
    )


def _holm(p: list[float]) -> list[float]:
    """Holm (1979) by hand: sorted ascending, (m − rank) · p, running maximum, capped at 1."""
    order = sorted(range(len(p)), key=lambda i: p[i])
    out, running = [0.0] * len(p), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        out[i] = running
    return out


def _alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of a complete respondents × items frame, plain numpy."""
    x = items.to_numpy(dtype=float)
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


# --------------------------------------------------------------------------- scale means


def test_scale_mean_and_ci_of_each_wave_equal_scipy_t_interval(wh_synthetic: Synthetic) -> None:
    out = scale_summary(wh_synthetic.conn, ALL)
    assert list(out.columns) == SCALE_SUMMARY_COLUMNS
    ref = _scored(wh_synthetic)
    assert len(out) == 3 * len(PRACTICE_SCALES)
    for row in out.itertuples():
        x = ref[(ref["wave_id"] == row.wave_id) & (ref["scale_id"] == row.scale_id)]["score"].to_numpy()
        low, high = st.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=st.sem(x))
        assert (row.n, row.mean, row.sd) == pytest.approx((len(x), x.mean(), x.std(ddof=1)), rel=1e-12)
        assert (row.ci_low, row.ci_high) == pytest.approx((low, high), rel=1e-12)
        assert not row.suppressed
    assert out["wave_order"].tolist() == sorted(out["wave_order"].tolist())
    assert set(out["label_fr"]) == {f"{s} fr" for s in PRACTICE_SCALES}


def test_territory_filter_restricts_the_means_to_that_territory(wh_synthetic: Synthetic) -> None:
    # min_group_size=1 turns disclosure control off: the filter's own effect, against pandas
    nord = scale_summary(wh_synthetic.conn, Filters(territories=("Nord",), min_group_size=1))
    everyone = scale_summary(wh_synthetic.conn, ALL)
    ref = _scored(wh_synthetic)
    ref = ref[ref["territory"] == "Nord"]
    for row in nord.itertuples():
        x = ref[(ref["wave_id"] == row.wave_id) & (ref["scale_id"] == row.scale_id)]["score"]
        assert (row.n, row.mean) == pytest.approx((len(x), x.mean()), rel=1e-12)
    assert (nord["n"] < everyone["n"]).all()


def test_scale_summary_by_sector_gives_each_sectors_mean(wh_synthetic: Synthetic) -> None:
    out = scale_summary(wh_synthetic.conn, Filters(min_group_size=1), by=("wave_id", "sector_id"))
    assert "sector_id" in out.columns
    ref = _scored(wh_synthetic).groupby(["wave_id", "sector_id", "scale_id"])["score"].agg(["size", "mean"])
    shown = out[~out["suppressed"]]
    assert len(shown) > 0
    for row in shown.itertuples():
        assert (row.n, row.mean) == pytest.approx(tuple(ref.loc[(row.wave_id, row.sector_id, row.scale_id)]))


def test_a_sector_of_four_respondents_is_grouped_with_the_next_smallest(
    wh_empty: duckdb.DuckDBPyConnection,
) -> None:
    """Four health workers cannot be shown; the six social workers are grouped with them, else
    'wave total − others' would reveal the health mean. The grouped ten are not a sector."""
    wh_metadata(wh_empty, ("W1",))
    sizes = {"education": 20, "city": 9, "social": 6, "health": 4}
    sectors = [s for s, n in sizes.items() for _ in range(n)]
    people = pd.DataFrame({"wave_id": "W1", "respondent_id": [f"r{i}" for i in range(len(sectors))],
                           "sector_id": sectors})
    scores = list(np.linspace(1, 5, len(sectors)))
    wh_add_scored(wh_empty, people, "legibility", scores)
    out = scale_summary(wh_empty, ALL, by=("wave_id", "sector_id"), scales=["legibility"]).set_index("sector_id")
    assert out.loc[["health", "social"], "suppressed"].all()
    assert out.loc[["health", "social"], ["n", "mean", "sd", "ci_low", "ci_high"]].isna().all().all()
    assert out.loc["education", "n"] == 20 and out.loc["city", "n"] == 9
    assert out.loc["city", "mean"] == pytest.approx(np.mean(scores[20:29]))
    total = scale_summary(wh_empty, ALL, scales=["legibility"])
    assert total["n"].tolist() == [39] and not total["suppressed"].any()


def test_unknown_breakdown_column_is_refused(wh_empty: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="by must be"):
        scale_summary(wh_empty, ALL, by=("wave_id", "respondent_id"))


# --------------------------------------------------------------------------- item distribution


def test_item_distribution_counts_every_answer_option_per_wave_and_item(wh_synthetic: Synthetic) -> None:
    out = item_distribution(wh_synthetic.conn, ALL, "partnership_culture")
    assert list(out.columns) == ITEM_DISTRIBUTION_COLUMNS
    ref = wh_synthetic.responses[wh_synthetic.responses["item_id"].str.startswith("CUL")]
    counts = ref.groupby(["wave_id", "item_id", "value"]).size()
    totals = ref.groupby(["wave_id", "item_id"]).size()
    # all five options of every item asked, empty ones included; CUL4 was not asked in V3
    assert out.groupby(["wave_id", "item_id"]).size().eq(5).all()
    assert set(out.loc[out["wave_id"] == "V3", "item_id"]) == {"CUL1", "CUL2", "CUL3"}
    for row in out.itertuples():
        expected = counts.get((row.wave_id, row.item_id, row.value), 0)
        assert row.count == expected
        assert row.n == totals[(row.wave_id, row.item_id)]
        assert row.share == pytest.approx(expected / totals[(row.wave_id, row.item_id)])
    assert out.groupby(["wave_id", "item_id"])["share"].sum().to_numpy() == pytest.approx(1.0)
    first = out.iloc[0]
    assert (first["value"], first["label_fr"]) == (1.0, "Pas du tout d'accord")
    assert out.loc[out["item_id"] == "CUL4", "reverse_keyed"].all()


# --------------------------------------------------------------------------- panel change


def test_panel_change_equals_scipy_paired_t_and_wilcoxon_with_holm_by_hand(wh_synthetic: Synthetic) -> None:
    out = panel_change(wh_synthetic.conn, ALL, "V1", "V2")
    assert list(out.columns) == PANEL_COLUMNS
    assert out["scale_id"].tolist() == list(PRACTICE_SCALES)
    raw_p = []
    for row in out.itertuples():
        p = _pairs(wh_synthetic, "V1", "V2", row.scale_id)
        diff = p["score_b"] - p["score_a"]
        t = st.ttest_rel(p["score_b"], p["score_a"])
        ci = t.confidence_interval(0.95)
        assert row.n_pairs == row.n == len(p)
        assert (row.mean_a, row.mean_b, row.mean_diff) == pytest.approx(
            (p["score_a"].mean(), p["score_b"].mean(), diff.mean()), rel=1e-12)
        assert (row.ci_low, row.ci_high, row.p_ttest) == pytest.approx((ci.low, ci.high, t.pvalue), rel=1e-9)
        assert row.p_wilcoxon == pytest.approx(st.wilcoxon(np.round(diff, 9)).pvalue, rel=1e-9)
        assert row.d_z == pytest.approx(diff.mean() / diff.std(ddof=1), rel=1e-12)
        assert (row.effect_size, row.design) == ("d_z", "panel")
        raw_p.append(t.pvalue)
    assert out["p_holm"].tolist() == pytest.approx(_holm(raw_p), rel=1e-12)
    # the simulated gain in network practice is found
    assert out.set_index("scale_id").loc["network_practice", "mean_diff"] > 0


def test_panel_filters_select_people_on_their_wave_b_territory(wh_synthetic: Synthetic) -> None:
    out = panel_change(wh_synthetic.conn, Filters(territories=("Nord",), min_group_size=1), "V1", "V2")
    row = out.set_index("scale_id").loc["legibility"]
    p = _pairs(wh_synthetic, "V1", "V2", "legibility")
    assert row["n_pairs"] == (p["territory"] == "Nord").sum()
    # some people moved, so filtering on wave a would give another panel
    r = wh_synthetic.respondents
    a_terr = r[r["wave_id"] == "V1"].set_index("respondent_id")["territory"]
    assert (p["respondent_id"].map(a_terr) == "Nord").sum() != row["n_pairs"]
    b = p[p["territory"] == "Nord"]
    assert row["mean_diff"] == pytest.approx((b["score_b"] - b["score_a"]).mean(), rel=1e-12)


def test_panel_ignores_the_wave_filter_and_refuses_one_wave_twice(wh_synthetic: Synthetic) -> None:
    only_v2 = panel_change(wh_synthetic.conn, Filters(waves=("V2",), min_group_size=5), "V1", "V2")
    assert only_v2["n"].tolist() == panel_change(wh_synthetic.conn, ALL, "V1", "V2")["n"].tolist()
    with pytest.raises(ValueError):
        panel_change(wh_synthetic.conn, ALL, "V1", "V1")


def test_panel_of_fewer_than_five_pairs_is_blanked_and_left_out_of_holm(
    wh_empty: duckdb.DuckDBPyConnection,
) -> None:
    wh_metadata(wh_empty, ("W1", "W2"))
    for wave, shift in (("W1", 0.0), ("W2", 0.5)):
        people = pd.DataFrame({"wave_id": wave, "respondent_id": [f"r{i}" for i in range(4)]})
        wh_add_scored(wh_empty, people, "legibility", [1 + i + shift for i in range(4)])
    out = panel_change(wh_empty, ALL, "W1", "W2").set_index("scale_id")
    assert out.loc["legibility", "suppressed"] and math.isnan(out.loc["legibility", "mean_diff"])
    assert math.isnan(out.loc["legibility", "p_holm"]) and math.isnan(out.loc["legibility", "n"])
    assert out.loc["network_practice", "suppressed"]  # no pairs at all


# --------------------------------------------------------------------------- cross-sectional


def test_cross_sectional_change_is_welch_with_hedges_g_and_says_not_panel(wh_synthetic: Synthetic) -> None:
    out = cross_sectional_change(wh_synthetic.conn, ALL, "V1", "V3")
    assert list(out.columns) == CROSS_SECTIONAL_COLUMNS
    ref = _comparable(wh_synthetic, "V1", "V3")  # CUL4 is not asked in V3: culture on CUL1–CUL3
    for row in out.itertuples():
        a = ref[(ref["wave_id"] == "V1") & (ref["scale_id"] == row.scale_id)]["score"].to_numpy()
        b = ref[(ref["wave_id"] == "V3") & (ref["scale_id"] == row.scale_id)]["score"].to_numpy()
        res = st.ttest_ind(b, a, equal_var=False)
        ci = res.confidence_interval(0.95)
        sp = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
        g = (1 - 3 / (4 * (len(a) + len(b)) - 9)) * (b.mean() - a.mean()) / sp
        assert (row.n_a, row.n_b, row.n) == (len(a), len(b), len(a) + len(b))
        assert (row.mean_diff, row.ci_low, row.ci_high, row.p_welch) == pytest.approx(
            (b.mean() - a.mean(), ci.low, ci.high, res.pvalue), rel=1e-9)
        assert row.hedges_g == pytest.approx(g, rel=1e-12)
        assert (row.design, row.effect_size) == ("cross-sectional (not panel)", "hedges_g")


# --------------------------------------------------------------------------- level gap


def test_level_gap_is_strategic_minus_operational_with_welch_ci(wh_synthetic: Synthetic) -> None:
    out = level_gap(wh_synthetic.conn, Filters(min_group_size=1))
    assert list(out.columns) == LEVEL_GAP_COLUMNS
    ref = _scored(wh_synthetic)
    for row in out.itertuples():
        cell = ref[(ref["wave_id"] == row.wave_id) & (ref["scale_id"] == row.scale_id)]
        s = cell.loc[cell["level"] == "strategic", "score"].to_numpy()
        o = cell.loc[cell["level"] == "operational", "score"].to_numpy()
        res = st.ttest_ind(s, o, equal_var=False)
        ci = res.confidence_interval(0.95)
        assert (row.n_strategic, row.n_operational) == (len(s), len(o))
        assert (row.gap, row.ci_low, row.ci_high, row.p_welch) == pytest.approx(
            (s.mean() - o.mean(), ci.low, ci.high, res.pvalue), rel=1e-9)


def test_level_gap_hides_both_levels_when_one_has_three_respondents(
    wh_empty: duckdb.DuckDBPyConnection,
) -> None:
    wh_metadata(wh_empty, ("W1",))
    people = pd.DataFrame({"wave_id": "W1", "respondent_id": [f"r{i}" for i in range(23)],
                           "level": ["strategic"] * 3 + ["operational"] * 20})
    wh_add_scored(wh_empty, people, "parents_actors", [4.0, 4.5, 5.0, *np.linspace(1, 4, 20)])
    row = level_gap(wh_empty, Filters(levels=("strategic",), min_group_size=5)).iloc[0]
    assert row["suppressed_strategic"] and row["suppressed_operational"] and row["suppressed"]
    assert np.isnan([row["mean_strategic"], row["mean_operational"], row["gap"], row["n"]]).all()


# --------------------------------------------------------------------------- reliable change


def _reliable_change_reference(syn: Synthetic, scale: str, a: str, b: str) -> tuple[int, int, int]:
    items = _common(scale, a, b)
    resp = syn.responses[(syn.responses["wave_id"] == a) & syn.responses["item_id"].isin(items)].copy()
    lo, hi = SCALES[scale][6]
    rev = resp["item_id"].isin(SCALES[scale][5])
    resp.loc[rev, "value"] = lo + hi - resp.loc[rev, "value"]
    complete = resp.pivot(index="respondent_id", columns="item_id", values="value").dropna()
    alpha = _alpha(complete)
    scores = _comparable(syn, a, b)
    scores = scores[scores["wave_id"] == a]
    sd = scores.loc[scores["scale_id"] == scale, "score"].std(ddof=1)
    p = _pairs(syn, a, b, scale)
    rci = (p["score_b"] - p["score_a"]) / (math.sqrt(2) * sd * math.sqrt(1 - alpha))
    sign = 1 if SCALES[scale][3] else -1
    return int((sign * rci > 1.96).sum()), int((sign * rci < -1.96).sum()), len(p)


def test_reliable_change_counts_equal_jacobson_truax_by_hand(wh_synthetic: Synthetic) -> None:
    out = reliable_change(wh_synthetic.conn, ALL, "V1", "V3")
    assert list(out.columns) == RELIABLE_CHANGE_COLUMNS
    for row in out.itertuples():
        up, down, n = _reliable_change_reference(wh_synthetic, row.scale_id, "V1", "V3")
        assert (row.n_improved, row.n_deteriorated, row.n_pairs) == (up, down, n)
        assert row.share_improved + row.share_deteriorated + row.share_unchanged == pytest.approx(1.0)
    assert out.set_index("scale_id").loc["network_practice", "share_improved"] > 0.05


def test_reliable_change_on_burnout_counts_a_fall_as_improvement(wh_synthetic: Synthetic) -> None:
    out = reliable_change(wh_synthetic.conn, ALL, "V1", "V3", scales=["cbi_work"]).iloc[0]
    up, down, n = _reliable_change_reference(wh_synthetic, "cbi_work", "V1", "V3")
    assert not out["higher_is_better"]
    assert (out["n_improved"], out["n_deteriorated"], out["n"]) == (up, down, n)
    assert down > up  # the simulated burnout rises: deterioration


# --------------------------------------------------------------------------- empty warehouse


def test_every_practice_indicator_returns_an_empty_frame_on_an_empty_warehouse(
    wh_empty: duckdb.DuckDBPyConnection,
) -> None:
    frames = {
        tuple(SCALE_SUMMARY_COLUMNS): scale_summary(wh_empty, ALL),
        tuple(ITEM_DISTRIBUTION_COLUMNS): item_distribution(wh_empty, ALL, "legibility"),
        tuple(PANEL_COLUMNS): panel_change(wh_empty, ALL, "V1", "V2"),
        tuple(CROSS_SECTIONAL_COLUMNS): cross_sectional_change(wh_empty, ALL, "V1", "V2"),
        tuple(LEVEL_GAP_COLUMNS): level_gap(wh_empty, ALL),
        tuple(RELIABLE_CHANGE_COLUMNS): reliable_change(wh_empty, ALL, "V1", "V2"),
    }
    for columns, df in frames.items():
        assert df.empty and tuple(df.columns) == columns


def test_each_practice_indicator_has_a_bilingual_catalogue_entry_naming_its_function() -> None:
    module = importlib.import_module("indicators.practice")
    entries = module.INDICATORS
    assert len({e.id for e in entries}) == len(entries) and entries
    for e in entries:
        assert e.id.startswith("practice.") and e.family == "practice"
        assert all([e.title_fr, e.title_en, e.definition_fr, e.definition_en, e.formula, e.unit, e.missing_data])
        assert e.sources and e.definition_fr != e.definition_en
        mod, func = e.function.rsplit(".", 1)
        assert mod == "indicators.practice" and callable(getattr(module, func))


def test_the_waves_and_scales_with_scores_are_read_again_after_a_publish(demo_db: Path, tmp_path: Path) -> None:
    """The wave × scale grid is kept per published state of the file: a change shows once published."""
    import shutil

    from indicators import practice as pr

    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, db)
    conn = duckdb.connect(str(db))
    first = pr.wave_scale_grid(conn, Filters(), ["network_practice"])
    assert sorted(first["wave_id"]) == ["2024-2", "2025-1", "2025-2", "2026-1"]
    conn.execute("DELETE FROM scale_scores WHERE wave_id = '2026-1'")
    assert pr.wave_scale_grid(conn, Filters(), ["network_practice"]).equals(first)  # same published state
    conn.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key = 'warehouse_version'")
    after = pr.wave_scale_grid(conn, Filters(), ["network_practice"])
    assert sorted(after["wave_id"]) == ["2024-2", "2025-1", "2025-2"]
    assert list(pr.wave_scale_grid(conn, Filters(waves=("2025-1",)), ["network_practice"])["wave_id"]) == ["2025-1"]
    conn.close()


def test_a_filtered_panel_change_after_a_publish_is_what_a_fresh_dashboard_shows(demo_db: Path, tmp_path: Path) -> None:
    """Which panel classes a filtered comparison may use is kept per published state: after a
    publish that changes who answered, the figure is the one a dashboard opened afresh shows."""
    import shutil

    db = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, db)
    conn = duckdb.connect(str(db))
    education = Filters(sectors=("education",))
    before = panel_change(conn, education, "2025-2", "2026-1")
    # the education staff of two territories but two do not answer the practice scales in 2026-1, then it is published
    conn.execute("""
        DELETE FROM scale_scores WHERE wave_id = '2026-1' AND respondent_id IN (
            SELECT respondent_id FROM respondents WHERE wave_id = '2026-1' AND territory IN ('Valmont', 'Centre-Gare')
            AND sector_id = 'education' ORDER BY respondent_id OFFSET 2)
    """)
    conn.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key = 'warehouse_version'")
    after = panel_change(conn, education, "2025-2", "2026-1")
    conn.close()
    fresh_db = tmp_path / "fresh.duckdb"  # another file: nothing kept from the first one applies
    shutil.copy(db, fresh_db)
    fresh = duckdb.connect(str(fresh_db))
    assert_frame_equal(after, panel_change(fresh, education, "2025-2", "2026-1"))
    assert (after["n"] < before["n"])[before["n"].notna()].all()
    fresh.close()


def test_the_items_that_changed_are_listed_in_the_order_of_the_scales_asked_for(demo_db: Path) -> None:
    """The caption « Questions changées… » lists scales as the figure does, the same at every run."""
    from indicators.practice import item_set_changes

    conn = duckdb.connect(str(demo_db), read_only=True)
    waves = ["2024-2", "2025-1", "2025-2", "2026-1"]
    scales = ["network_practice", "legibility", "parents_actors", "partnership_culture"]
    assert list(item_set_changes(conn, waves, scales)["scale_id"]) == ["legibility", "partnership_culture"]
    assert list(item_set_changes(conn, waves, scales[::-1])["scale_id"]) == ["partnership_culture", "legibility"]
    conn.close()
