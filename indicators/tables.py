"""Every indicator table for the whole warehouse (or a filtered part of it), as the dashboard
computes them: `maillage export` writes them for researchers and the committee pack puts them in
its workbook, so everyone gets the same numbers."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import duckdb
import pandas as pd

from indicators import exchanges, networks, practice, quality, wellbeing
from indicators.filters import Filters
from indicators.instruments import practice_scales


def _waves(conn: duckdb.DuckDBPyConnection, filters: Filters) -> list[str]:
    rows = conn.execute("SELECT wave_id FROM waves ORDER BY wave_order").fetchall()
    waves = [r[0] for r in rows]
    return [w for w in waves if filters.waves is None or w in filters.waves]


def _pairs(waves: list[str]) -> list[tuple[str, str]]:
    """Consecutive waves, plus first → last when there are more than two."""
    pairs = list(itertools.pairwise(waves))
    if len(waves) > 2:
        pairs.append((waves[0], waves[-1]))
    return pairs


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _has(conn: duckdb.DuckDBPyConnection, sql: str) -> bool:
    rows = conn.execute(sql).fetchall()
    return bool(rows and rows[0][0])


def indicator_tables(conn: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> dict[str, pd.DataFrame]:
    """Table name → DataFrame (small groups already suppressed). Names are stable file names."""
    f = filters or Filters()
    waves = _waves(conn, f)
    pairs = _pairs(waves)
    by_territory = networks.networks_by_territory()
    out: dict[str, pd.DataFrame] = {}

    def add(name: str, func: Callable[[], pd.DataFrame]) -> None:
        out[name] = func()

    has_practitioners = _has(conn, "SELECT count(*) FROM survey_scores")
    if has_practitioners:
        add("practice_scale_means", lambda: practice.scale_summary(conn, f))
        add("practice_scale_means_by_territory", lambda: practice.scale_summary(conn, f, by=("wave_id", "territory")))
        add("practice_scale_means_by_sector", lambda: practice.scale_summary(conn, f, by=("wave_id", "sector_id")))
        add(
            "practice_item_distributions",
            lambda: _stack(
                [
                    practice.item_distribution(conn, f, s)
                    for s in practice_scales(conn)
                ]
            ),
        )
        add("practice_level_gap", lambda: practice.level_gap(conn, f))
        add("practice_panel_change", lambda: _stack([practice.panel_change(conn, f, a, b) for a, b in pairs]))
        add(
            "practice_cross_sectional_change",
            lambda: _stack([practice.cross_sectional_change(conn, f, a, b) for a, b in pairs]),
        )
        add("practice_reliable_change", lambda: _stack([practice.reliable_change(conn, f, a, b) for a, b in pairs]))
        add("wellbeing_summary", lambda: wellbeing.wellbeing_summary(conn, f))
        add("wellbeing_summary_by_role", lambda: wellbeing.wellbeing_summary(conn, f, by=("wave_id", "role")))
        add("wellbeing_distribution", lambda: wellbeing.wellbeing_distribution(conn, f))
        add(
            "wellbeing_panel_change",
            lambda: _stack([wellbeing.wellbeing_panel_change(conn, f, a, b) for a, b in pairs]),
        )
        add("exchanges_survey_by_sector_pair", lambda: exchanges.survey_exchange_matrix(conn, f))
    if _has(conn, "SELECT count(*) FROM ties"):
        for source in ("partner_survey", "practitioner_survey"):
            short = "partners" if source == "partner_survey" else "practitioners"
            out[f"network_{short}_by_wave"] = networks.network_trend(
                conn, f, source=source, by_territory=by_territory
            )
        add(
            "network_institutions",
            lambda: _stack([networks.node_table(conn, f, w, by_territory=by_territory) for w in waves]),
        )
        stability = [networks.tie_stability(conn, f, a, b, by_territory=by_territory) for a, b in pairs]
        out["network_stability"] = _stack([s.summary for s in stability])
        out["network_new_ties"] = _stack(
            [s.new_ties.assign(wave_a=a, wave_b=b) for s, (a, b) in zip(stability, pairs, strict=True)]
        )
        out["network_lost_ties"] = _stack(
            [s.lost_ties.assign(wave_a=a, wave_b=b) for s, (a, b) in zip(stability, pairs, strict=True)]
        )
        add("network_disagreeing_dyads", lambda: _stack([networks.disagreeing_dyads(conn, f, w) for w in waves]))
    if _has(conn, "SELECT count(*) FROM activities"):
        add("exchanges_actions_by_month", lambda: exchanges.activity_monthly(conn, f, by="activity_type"))
        add("exchanges_actions_by_month_territory", lambda: exchanges.activity_monthly(conn, f, by="territory"))
        add("exchanges_action_shares", lambda: exchanges.activity_shares(conn, f, by=("period", "territory")))
        add("exchanges_actions_by_sector_pair", lambda: exchanges.activity_sector_pairs(conn, f))
        add("exchanges_institution_pairs", lambda: exchanges.institution_projection(conn, f).edges)
    add("quality_response_rates", lambda: quality.response_rates(conn, f))
    add("quality_panel_retention", lambda: quality.panel_retention(conn, f))
    add("quality_missing_items", lambda: quality.missing_items(conn, f))
    add("quality_reliability", lambda: quality.reliability(conn, f))
    add("quality_quarantine", lambda: quality.quarantine_summary(conn))
    add("quality_loads", lambda: quality.loads_table(conn))
    return out
