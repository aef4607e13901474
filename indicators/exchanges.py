"""Exchange indicators: how often professionals of different sectors work together.

Two sources, kept apart because they measure different things:

* **Survey-reported exchanges** (practitioner survey, items with unit ``per_month`` and a
  ``target_sector_id``: the EXC_* grid, already stored in times per month): how often a
  practitioner of sector A says they exchange with professionals of sector B. These aggregate
  people's answers, so every cell with fewer than ``filters.min_group_size`` respondents is
  suppressed (:func:`indicators.filters.suppress`).
* **Activity logs** (one row per joint action and the institutions involved): the two-mode
  institution × activity network, projected to institution × institution (each action links
  every pair of distinct institutions involved in it). Counts of actions are about actions,
  not about respondents: they are not suppressed.

**Periods.** Activities are reported by calendar month (``2025-03``) or calendar half-year
(``period`` = ``2025-S1`` for January–June, ``2025-S2`` for July–December): stable, the same in
every territory, and independent of survey fieldwork dates.

**Filters on activities.** ``territories`` → ``activities.territory``; ``sectors`` → actions
involving at least one institution of those sectors (and, for sector pairs and the
institution projection, only pairs with at least one side in those sectors); ``waves`` → an
action belongs to a wave when it was loaded for that wave (``activities.wave_id``) or when its
date falls in the wave's recall window: from six months before the first fieldwork date to the
last fieldwork date (``waves.first_date``/``last_date``; the practitioner survey asks about
"the last six months"). A wave without fieldwork dates selects only the actions loaded for it.
``roles`` and ``levels`` describe respondents and do not apply to actions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import duckdb
import numpy as np
import pandas as pd

from indicators.catalogue import Indicator
from indicators.disclosure import StateCache, selected_rows, suppress
from indicators.filters import Filters
from indicators.instruments import has_answers_table
from warehouse.settings import setting

MonthlyBy = Literal["activity_type", "territory"]
SHARE_BY = ("period", "territory", "activity_type")

MATRIX_COLUMNS = [
    "wave_id", "wave_order", "respondent_sector_id", "target_sector_id", "same_sector", "n",
    "mean_per_month", "share_at_least_monthly", "min_frequency",
    "suppressed",
]
MONTHLY_COLUMNS = ["month", "period", "actions", "multi_sector", "participants"]
PAIR_COLUMNS = [
    "period", "sector_a", "sector_b", "same_sector", "actions", "months", "actions_per_month",
]
SHARE_COLUMNS = [
    "actions", "n", "multi_sector", "share_multi_sector", "three_plus_institutions",
    "share_three_plus_institutions", "for_16_18", "share_16_18", "parents_coorganised",
    "parents_known", "share_parents_coorganised", "participants", "participants_known",
]
PROJECTION_EDGE_COLUMNS = [
    "institution_a", "name_a", "sector_a", "territory_a", "institution_b", "name_b",
    "sector_b", "territory_b", "cross_sector", "actions", "first_date", "last_date",
]
PROJECTION_NODE_COLUMNS = ["institution_id", "name", "sector_id", "territory", "actions", "partners"]


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return num.astype(float) / den.where(den > 0).astype(float)


def _period_sql(column: str) -> str:
    """Calendar half-year label of a date column: 2025-S1 (Jan–Jun) or 2025-S2 (Jul–Dec)."""
    return (
        f"CAST(year({column}) AS VARCHAR) || '-S' || "
        f"CASE WHEN month({column}) <= 6 THEN '1' ELSE '2' END"
    )


# --------------------------------------------------------------------------- survey


def survey_exchange_matrix(
    conn: duckdb.DuckDBPyConnection, filters: Filters, min_frequency: float | None = None
) -> pd.DataFrame:
    """Survey-reported exchanges per wave × respondent's sector × target sector.

    Method: the answers to the items with unit ``per_month`` and a target sector (EXC_*,
    already in times per month: never 0, less than monthly 0.5, monthly 1, several times a
    month 2.5, weekly 4.33), grouped by the respondent's sector. Columns: wave_id,
    wave_order, respondent_sector_id, target_sector_id, same_sector (within one's own
    sector), n (respondents who answered the item), mean_per_month,
    share_at_least_monthly (share answering ≥ ``min_frequency`` per month, setting
    ``tie_min_frequency``, default 1 = monthly), min_frequency, suppressed.

    Filters apply to the respondents (wave, territory, sector, role, level); every target
    sector is kept. Missing data: unanswered items ("je ne sais pas", "non concerné", blank)
    are not answers and do not count in n; respondents without a sector form a cell with
    respondent_sector_id missing. Privacy (indicators.disclosure): rows are respondents' published
    sectors (classes of at least min_group_size people), each wave × target sector a population of
    its own; cells with n < ``filters.min_group_size`` are blanked (suppressed = True).
    """
    threshold = float(setting("tie_min_frequency")) if min_frequency is None else min_frequency
    wave_where, wave_params = filters.wave_where("r.wave_id")
    answers, params = _exchange_answers_sql(conn, wave_where, wave_params)
    # one population per wave × target sector; rows broken down by the respondent's (published) sector
    rel, rel_params = selected_rows(conn, answers, params, filters, ("wave_id", "target_sector_id"),
                                    by=("sector_id",))
    df = conn.execute(
        f"""
        WITH x AS ({rel})
        SELECT x.wave_id, w.wave_order, x.sector_id AS respondent_sector_id,
               x.target_sector_id,
               x.sector_id IS NOT DISTINCT FROM x.target_sector_id AS same_sector,
               count(*) AS n, avg(x.value) AS mean_per_month,
               avg(CASE WHEN x.value >= ? THEN 1.0 ELSE 0.0 END) AS share_at_least_monthly,
               any_value(rs.sort_order) AS rs_order, any_value(ts.sort_order) AS ts_order
        FROM x
        LEFT JOIN waves w ON w.wave_id = x.wave_id
        LEFT JOIN sectors rs ON rs.sector_id = x.sector_id
        LEFT JOIN sectors ts ON ts.sector_id = x.target_sector_id
        GROUP BY x.wave_id, w.wave_order, x.sector_id, x.target_sector_id
        ORDER BY w.wave_order NULLS LAST, x.wave_id, rs_order NULLS LAST,
                 respondent_sector_id NULLS LAST, ts_order NULLS LAST, x.target_sector_id
        """,
        [*rel_params, threshold],
    ).df()
    df = _with_hidden_rows(conn, df, answers, params, filters)
    if df.empty:
        return _empty(MATRIX_COLUMNS)
    df["min_frequency"] = threshold
    df["wave_order"] = df["wave_order"].astype("Int64")
    df["n"] = df["n"].fillna(0).astype(np.int64)
    out = suppress(
        df,
        filters.min_group_size,
        n_col="n",
        value_cols=["mean_per_month", "share_at_least_monthly"],
    )
    return out[MATRIX_COLUMNS]


_TARGETS = StateCache(32, without_file=False)


def _wave_targets(conn: duckdb.DuckDBPyConnection, answers: str, params: list[object]) -> pd.DataFrame:
    """wave_id, target_sector_id of the exchange items answered (anyone's) in the waves of
    ``answers``; kept per published state of the warehouse file and waves (it reads every exchange
    answer: 310 ms a call on 200 × 8, whatever the selection)."""
    return _TARGETS.get(_TARGETS.key(conn, (answers, repr(params))), lambda: conn.execute(
        f"SELECT DISTINCT wave_id, target_sector_id FROM ({answers})", params).df())


def _with_hidden_rows(
    conn: duckdb.DuckDBPyConnection, df: pd.DataFrame, answers: str, params: list[object], filters: Filters
) -> pd.DataFrame:
    """Every sector of the reference list (within the sector filter) gets its row for each wave and
    target sector with answers: a sector whose respondents cannot be shown is a hidden row (n = 0,
    suppressed), not a missing one. The grid comes from the reference list, not from who answered."""
    chosen = "list_contains(?, s.sector_id)" if filters.sectors is not None else "true"
    pairs = _wave_targets(conn, answers, params)
    grid = conn.execute(
        f"""
        SELECT g.wave_id, w.wave_order, s.sector_id AS respondent_sector_id, g.target_sector_id,
               s.sector_id IS NOT DISTINCT FROM g.target_sector_id AS same_sector,
               s.sort_order AS rs_order, ts.sort_order AS ts_order
        FROM (SELECT unnest(?) AS wave_id, unnest(?) AS target_sector_id) g
        CROSS JOIN sectors s
        LEFT JOIN waves w ON w.wave_id = g.wave_id
        LEFT JOIN sectors ts ON ts.sector_id = g.target_sector_id
        WHERE {chosen}
        """,
        [pairs["wave_id"].astype(str).tolist(), pairs["target_sector_id"].astype(str).tolist(),
         *([list(filters.sectors)] if filters.sectors is not None else [])],
    ).df()
    keys = ["wave_id", "respondent_sector_id", "target_sector_id"]
    missing = grid.merge(df[keys], on=keys, how="left", indicator=True)
    missing = missing.loc[missing["_merge"] == "left_only"].drop(columns="_merge").assign(n=0)
    out = pd.concat([df, missing], ignore_index=True) if len(missing) else df
    return out.sort_values(["wave_order", "wave_id", "rs_order", "respondent_sector_id", "ts_order",
                            "target_sector_id"], na_position="last", kind="stable").reset_index(drop=True)


def _exchange_answers_sql(
    conn: duckdb.DuckDBPyConnection, respondent_where: str, respondent_params: list[object]
) -> tuple[str, list[object]]:
    """SELECT of the respondents' exchange answers: wave_id, respondent_id, target_sector_id,
    value — one row per respondent × exchange item (an item of a survey instrument with a target
    sector and the ``per_month`` unit, whatever the instrument), with its parameters.
    ``respondent_where`` is a condition on alias ``r`` (respondents: the waves).

    Reads the integer-keyed ``answers`` table when the warehouse has one, keeping only the
    exchange items' keys before any join (the ``responses`` view, or a join the planner may
    order badly, joins millions of answers first: several times slower); else ``responses``.
    """
    exc = "i.unit = 'per_month' AND i.target_sector_id IS NOT NULL"
    if not has_answers_table(conn):
        sql = f"""
            SELECT r.wave_id, r.respondent_id, i.target_sector_id, x.value
            FROM responses x
            JOIN survey_items i ON i.instrument = x.instrument AND i.item_id = x.item_id
            JOIN respondents r ON r.wave_id = x.wave_id AND r.instrument = x.instrument
                              AND r.respondent_id = x.respondent_id
            WHERE {exc} AND {respondent_where}
        """
        return sql, list(respondent_params)
    keys = conn.execute(
        "SELECT k.item_key, k.instrument, i.target_sector_id FROM survey_items i "
        f"JOIN item_keys k ON k.instrument = i.instrument AND k.item_id = i.item_id WHERE {exc} "
        "ORDER BY k.item_key"
    ).fetchall()
    item_keys = [int(k) for k, _, _ in keys]
    instruments = [str(ins) for _, ins, _ in keys]
    targets = [str(t) for _, _, t in keys]
    sql = f"""
        SELECT r.wave_id, r.respondent_id,
               list_extract(?, list_position(?, a.item_key)) AS target_sector_id, a.value
        FROM (SELECT * FROM answers WHERE list_contains(?, item_key)) a
        JOIN (
            SELECT wk.wave_key, rk.respondent_key, r.instrument, r.wave_id, r.respondent_id
            FROM respondents r
            JOIN wave_keys wk ON wk.wave_id = r.wave_id
            JOIN respondent_keys rk ON rk.respondent_id = r.respondent_id
            WHERE {respondent_where}
        ) r ON r.wave_key = a.wave_key AND r.respondent_key = a.respondent_key
        WHERE r.instrument = list_extract(?, list_position(?, a.item_key))
    """
    params = [targets, item_keys, item_keys, *respondent_params, instruments, item_keys]
    return sql, params


# --------------------------------------------------------------------------- activities


def _activity_where(filters: Filters, alias: str = "a") -> tuple[str, list[object]]:
    """SQL condition selecting the activities of the filters (module docstring)."""
    clauses: list[str] = []
    params: list[object] = []
    if filters.territories is not None:
        clauses.append(f"list_contains(?, {alias}.territory)")
        params.append(list(filters.territories))
    if filters.sectors is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM activity_institutions ax "
            "JOIN institutions ix ON ix.institution_id = ax.institution_id "
            f"WHERE ax.activity_id = {alias}.activity_id AND ax.load_id = {alias}.load_id "
            "AND list_contains(?, ix.sector_id))"
        )
        params.append(list(filters.sectors))
    if filters.waves is not None:
        clauses.append(
            f"(list_contains(?, {alias}.wave_id) OR EXISTS (SELECT 1 FROM waves wx "
            "WHERE list_contains(?, wx.wave_id) "
            f"AND {alias}.activity_date > coalesce(wx.first_date, wx.last_date) - INTERVAL 6 MONTH "
            f"AND {alias}.activity_date <= coalesce(wx.last_date, wx.first_date)))"
        )
        params += [list(filters.waves), list(filters.waves)]
    return (" AND ".join(clauses) or "true"), params


def _activity_ctes(filters: Filters, period: str | None = None) -> tuple[str, list[object]]:
    """CTEs ``acts`` (selected actions with period, month and an integer ``act_key``),
    ``links`` (their institutions with sector and sector sort order, one row per action ×
    institution) and ``per_act`` (institutions and sectors per action). An action is
    (activity_id, load_id): two logs may use the same ids."""
    where, params = _activity_where(filters)
    if period is not None:
        where += f" AND {_period_sql('a.activity_date')} = ?"
        params.append(period)
    sql = f"""
        acts AS (
            SELECT a.activity_id, a.load_id, row_number() OVER () AS act_key, a.activity_date,
                   a.activity_type, a.territory, a.participants, a.for_16_18,
                   a.parents_coorganised, {_period_sql('a.activity_date')} AS period,
                   CAST(date_trunc('month', a.activity_date) AS DATE) AS month
            FROM activities a WHERE {where}
        ),
        links AS (
            SELECT DISTINCT x.activity_id, x.load_id, a.act_key, a.activity_date, a.period,
                   x.institution_id, i.sector_id, coalesce(s.sort_order, 999) AS sector_order
            FROM activity_institutions x
            JOIN acts a ON a.activity_id = x.activity_id AND a.load_id = x.load_id
            LEFT JOIN institutions i ON i.institution_id = x.institution_id
            LEFT JOIN sectors s ON s.sector_id = i.sector_id
        ),
        per_act AS (
            SELECT activity_id, load_id, count(*) AS n_institutions,
                   count(DISTINCT sector_id) AS n_sectors
            FROM links GROUP BY activity_id, load_id
        )
    """
    return sql, params


def activity_monthly(
    conn: duckdb.DuckDBPyConnection, filters: Filters, by: MonthlyBy | None = None
) -> pd.DataFrame:
    """Joint actions per calendar month (optionally per activity type or territory).

    Columns: month (timestamp of the month's first day), period (half-year), [activity_type | territory],
    actions (the n: logged joint actions), multi_sector (actions involving ≥ 2 sectors),
    participants (sum of the reported participant counts). Months without any action between
    the first and the last month of the selection are listed with 0 (for each value of
    ``by``), so that trend lines do not skip them. Missing data: actions without a
    participant count add nothing to participants; actions without a type or territory form
    a group with a missing value.
    """
    if by is not None and by not in ("activity_type", "territory"):
        raise ValueError("by must be None, 'activity_type' or 'territory'")
    ctes, params = _activity_ctes(filters)
    group = "" if by is None else f", a.{by}"
    df = conn.execute(
        f"""
        WITH {ctes}
        SELECT a.month{group}, count(*) AS actions,
               count(*) FILTER (WHERE coalesce(p.n_sectors, 0) >= 2) AS multi_sector,
               CAST(coalesce(sum(a.participants), 0) AS BIGINT) AS participants
        FROM acts a LEFT JOIN per_act p USING (activity_id, load_id)
        GROUP BY ALL ORDER BY ALL
        """,
        params,
    ).df()
    columns = [*MONTHLY_COLUMNS[:2], *([by] if by else []), *MONTHLY_COLUMNS[2:]]
    if df.empty:
        return _empty(columns)
    return _fill_months(df, by)[columns]


def _fill_months(df: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Add the months without any action (0) between the first and last month."""
    months = pd.date_range(df["month"].min(), df["month"].max(), freq="MS")
    keys: list[str] = ["month", *([by] if by else [])]
    if by:
        grid = pd.MultiIndex.from_product(
            [months, df[by].astype(object).drop_duplicates().tolist()], names=keys
        )
    else:
        grid = pd.Index(months, name="month")
    df = df.assign(month=pd.to_datetime(df["month"]))
    if by:
        df[by] = df[by].astype(object)
    out = df.set_index(keys).reindex(grid).reset_index()
    for col in ("actions", "multi_sector", "participants"):
        out[col] = out[col].fillna(0).astype(np.int64)
    month = out["month"].dt
    out["period"] = month.year.astype(str) + "-S" + np.where(month.month <= 6, "1", "2")
    return out


def _covered_months(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Months the activity log covers (first to last logged month, whole warehouse), within
    the selected waves' recall windows when waves are filtered: month, period."""
    wave_clause, params = "true", []
    if filters.waves is not None:
        wave_clause = (
            "EXISTS (SELECT 1 FROM waves wx WHERE list_contains(?, wx.wave_id) "
            "AND m.month <= coalesce(wx.last_date, wx.first_date) "
            "AND m.month + INTERVAL 1 MONTH > "
            "coalesce(wx.first_date, wx.last_date) - INTERVAL 6 MONTH)"
        )
        params = [list(filters.waves)]
    return conn.execute(
        f"""
        WITH span AS (SELECT min(activity_date) AS lo, max(activity_date) AS hi FROM activities),
        m AS (
            SELECT CAST(unnest(generate_series(date_trunc('month', lo), date_trunc('month', hi),
                                               INTERVAL 1 MONTH)) AS DATE) AS month
            FROM span WHERE lo IS NOT NULL
        )
        SELECT m.month, {_period_sql('m.month')} AS period FROM m WHERE {wave_clause}
        """,
        params,
    ).df()


def activity_sector_pairs(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    period: str | None = None,
    by_period: bool = True,
) -> pd.DataFrame:
    """Joint actions per pair of sectors, from the projection of the activity log.

    Method: each action links every pair of distinct institutions involved in it; a sector
    pair (unordered, sector_a before sector_b in the sectors' display order; same-sector
    pairs such as two schools included, same_sector = True) counts each action once, however
    many institution pairs of the action fall in it. ``period`` (e.g. "2025-S1") keeps one
    half-year; ``by_period`` gives one row per half-year × pair (else the whole selection,
    period missing). actions_per_month = actions / months, months = calendar months of the
    period covered by the log (from its first to its last logged month, whole warehouse, and
    within the selected waves' windows).

    Columns: period, sector_a, sector_b, same_sector, actions, months, actions_per_month.
    Missing data: an action naming a single institution links no pair; institutions unknown
    to the reference list cannot exist (the ETL refuses them).
    """
    ctes, params = _activity_ctes(filters, period)
    sector_clause = "true"
    if filters.sectors is not None:
        sector_clause = "(list_contains(?, p.sector_a) OR list_contains(?, p.sector_b))"
        params += [list(filters.sectors), list(filters.sectors)]
    df = conn.execute(
        f"""
        WITH {ctes},
        pairs AS (
            SELECT DISTINCT l1.act_key, l1.period,
                   CASE WHEN l1.sector_order < l2.sector_order OR (l1.sector_order =
                        l2.sector_order AND l1.sector_id <= l2.sector_id)
                        THEN l1.sector_id ELSE l2.sector_id END AS sector_a,
                   CASE WHEN l1.sector_order < l2.sector_order OR (l1.sector_order =
                        l2.sector_order AND l1.sector_id <= l2.sector_id)
                        THEN l2.sector_id ELSE l1.sector_id END AS sector_b,
                   least(l1.sector_order, l2.sector_order) AS order_a,
                   greatest(l1.sector_order, l2.sector_order) AS order_b
            FROM links l1 JOIN links l2 ON l1.act_key = l2.act_key
                 AND l1.institution_id < l2.institution_id
        )
        SELECT p.period, p.sector_a, p.sector_b, count(*) AS actions,
               min(p.order_a) AS order_a, min(p.order_b) AS order_b
        FROM pairs p
        WHERE {sector_clause}
        GROUP BY p.period, p.sector_a, p.sector_b
        """,
        params,
    ).df()
    if df.empty:
        return _empty(PAIR_COLUMNS)
    covered = _covered_months(conn, filters)
    if period is not None:
        covered = covered[covered["period"] == period]
    if by_period:
        df["months"] = df["period"].map(covered.groupby("period").size()).fillna(0)
    else:
        df = df.groupby(["sector_a", "sector_b"], as_index=False, dropna=False).agg(
            actions=("actions", "sum"), order_a=("order_a", "min"), order_b=("order_b", "min")
        )
        df["period"] = period
        df["months"] = len(covered)
    df["months"] = df["months"].astype(np.int64)
    df["actions"] = df["actions"].astype(np.int64)
    df["same_sector"] = df["sector_a"] == df["sector_b"]
    df["actions_per_month"] = _ratio(df["actions"], df["months"])
    df = df.sort_values(["period", "order_a", "order_b", "sector_a", "sector_b"])
    return df.reset_index(drop=True)[PAIR_COLUMNS]


def activity_shares(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    by: Sequence[str] = ("period",),
) -> pd.DataFrame:
    """What the joint actions look like, per half-year (and/or territory, activity type).

    ``by``: any of "period" (calendar half-year), "territory", "activity_type"; () for one
    total row. Columns: the ``by`` columns, actions (= n), multi_sector and
    share_multi_sector (actions involving ≥ 2 sectors), three_plus_institutions and its
    share (≥ 3 institutions), for_16_18 and share_16_18 (audience includes 16–18 year olds),
    parents_coorganised, parents_known and share_parents_coorganised (over the actions for
    which the log says yes or no), participants (sum) and participants_known (actions with a
    count).

    Missing data: an action whose audience was not recorded counts as not for 16–18 (the
    ETL stores no audience as "not 16–18"); "parents co-organised" left blank is excluded from
    its share's denominator; participant counts left blank add nothing.
    """
    by = list(by)
    unknown = set(by) - set(SHARE_BY)
    if unknown:
        raise ValueError(f"by must be among {SHARE_BY}, not {sorted(unknown)}")
    ctes, params = _activity_ctes(filters)
    cols = ", ".join(f"a.{c}" for c in by)
    group = f"GROUP BY {cols} ORDER BY {cols}" if by else ""
    df = conn.execute(
        f"""
        WITH {ctes}
        SELECT {cols + ',' if by else ''} count(*) AS actions,
               count(*) FILTER (WHERE coalesce(p.n_sectors, 0) >= 2) AS multi_sector,
               count(*) FILTER (WHERE coalesce(p.n_institutions, 0) >= 3)
                   AS three_plus_institutions,
               count(*) FILTER (WHERE a.for_16_18) AS for_16_18,
               count(*) FILTER (WHERE a.parents_coorganised) AS parents_coorganised,
               count(a.parents_coorganised) AS parents_known,
               CAST(coalesce(sum(a.participants), 0) AS BIGINT) AS participants,
               count(a.participants) AS participants_known
        FROM acts a LEFT JOIN per_act p USING (activity_id, load_id)
        {group}
        """,
        params,
    ).df()
    df = df[df["actions"] > 0]
    if df.empty:
        return _empty([*by, *SHARE_COLUMNS])
    df = df.assign(n=df["actions"])
    df["share_multi_sector"] = _ratio(df["multi_sector"], df["actions"])
    df["share_three_plus_institutions"] = _ratio(df["three_plus_institutions"], df["actions"])
    df["share_16_18"] = _ratio(df["for_16_18"], df["actions"])
    df["share_parents_coorganised"] = _ratio(df["parents_coorganised"], df["parents_known"])
    return df.reset_index(drop=True)[[*by, *SHARE_COLUMNS]]


@dataclass(frozen=True)
class Projection:
    """Institution × institution projection of the activity log, for a network drawing."""

    edges: pd.DataFrame  # PROJECTION_EDGE_COLUMNS
    nodes: pd.DataFrame  # PROJECTION_NODE_COLUMNS


def institution_projection(
    conn: duckdb.DuckDBPyConnection, filters: Filters, period: str | None = None
) -> Projection:
    """Pairs of institutions with the number of joint actions they took part in together.

    Method: the two-mode institution × action network projected onto institutions: A–B gets
    one action for each action involving both (undirected; institution_a before
    institution_b in id order). ``period`` keeps one half-year. With a sector filter only
    pairs with at least one side in those sectors are kept. edges: institution_a, name_a,
    sector_a, territory_a, institution_b, name_b, sector_b, territory_b, cross_sector,
    actions, first_date, last_date. nodes: the institutions of the selected actions (those
    of the filtered sectors, or tied by a kept pair): institution_id, name, sector_id,
    territory, actions (selected actions it took part in), partners (institutions it shares
    an action with, among kept pairs). Missing data: as :func:`activity_sector_pairs`.
    """
    ctes, params = _activity_ctes(filters, period)
    found = conn.execute(
        f"""
        WITH {ctes},
        pairs AS (
            SELECT l1.institution_id AS institution_a, l2.institution_id AS institution_b,
                   count(*) AS actions, min(l1.activity_date) AS first_date,
                   max(l1.activity_date) AS last_date
            FROM links l1 JOIN links l2 ON l1.act_key = l2.act_key
                 AND l1.institution_id < l2.institution_id
            GROUP BY ALL
        )
        SELECT true AS is_pair, institution_a, institution_b, actions, first_date, last_date
        FROM pairs
        UNION ALL
        SELECT false, institution_id, NULL, count(*), NULL, NULL FROM links GROUP BY ALL
        """,
        params,
    ).df()
    info = conn.execute(
        "SELECT institution_id, name, sector_id, territory FROM institutions"
    ).df().set_index("institution_id")
    is_pair = found["is_pair"].to_numpy(dtype=bool)
    edges = _projection_edges(found[is_pair], info, filters.sectors)
    nodes = found[~is_pair].rename(columns={"institution_a": "institution_id"})
    if filters.sectors is not None:  # the filtered sectors' institutions and their partners
        in_sector = nodes["institution_id"].map(info["sector_id"]).isin(list(filters.sectors))
        nodes = nodes[in_sector | nodes["institution_id"].isin(_endpoints(edges))]
    if nodes.empty:
        return Projection(_empty(PROJECTION_EDGE_COLUMNS), _empty(PROJECTION_NODE_COLUMNS))
    nodes = nodes.assign(
        name=nodes["institution_id"].map(info["name"]),
        sector_id=nodes["institution_id"].map(info["sector_id"]),
        territory=nodes["institution_id"].map(info["territory"]),
        actions=nodes["actions"].astype(np.int64),
    )
    degree = pd.concat([edges["institution_a"], edges["institution_b"]]).value_counts()
    nodes["partners"] = nodes["institution_id"].map(degree).fillna(0).astype(np.int64)
    nodes = nodes.sort_values("institution_id", ignore_index=True)
    return Projection(edges, nodes[PROJECTION_NODE_COLUMNS])


def _projection_edges(
    pairs: pd.DataFrame, info: pd.DataFrame, sectors: tuple[str, ...] | None
) -> pd.DataFrame:
    """Institution pairs with names, sectors and territories (pairs touching the filtered
    sectors only, when a sector filter is set)."""
    if pairs.empty:
        return _empty(PROJECTION_EDGE_COLUMNS)
    out = pairs.drop(columns=["is_pair"]).reset_index(drop=True)
    for side in ("a", "b"):
        ids = out[f"institution_{side}"]
        out[f"name_{side}"] = ids.map(info["name"])
        out[f"sector_{side}"] = ids.map(info["sector_id"])
        out[f"territory_{side}"] = ids.map(info["territory"])
    if sectors is not None:
        out = out[out["sector_a"].isin(list(sectors)) | out["sector_b"].isin(list(sectors))]
    out["cross_sector"] = out["sector_a"] != out["sector_b"]
    out["actions"] = out["actions"].astype(np.int64)
    out = out.sort_values(["institution_a", "institution_b"], ignore_index=True)
    return out[PROJECTION_EDGE_COLUMNS] if not out.empty else _empty(PROJECTION_EDGE_COLUMNS)


def _endpoints(edges: pd.DataFrame) -> list[str]:
    return sorted(
        set(edges["institution_a"].astype(object)) | set(edges["institution_b"].astype(object))
    )


# --------------------------------------------------------------------------- catalogue

_SURVEY_SOURCES = ("responses", "respondents", "items", "waves")
_LOG_SOURCES = ("activities", "activity_institutions", "institutions", "waves")
_LOG_MISSING = (
    "Actions are counted as logged; an action missing from the log is invisible. Filters: "
    "territory of the action; sector = actions involving that sector; wave = actions loaded "
    "for the wave or dated within its six-month recall window."
)


def _exc(
    id_: str, fr: tuple[str, str], en: tuple[str, str], formula: str, unit: str,
    function: str, sources: tuple[str, ...] = _LOG_SOURCES, missing: str = _LOG_MISSING,
    caveats: str = "",
) -> Indicator:
    return Indicator(
        id=id_, family="exchanges", title_fr=fr[0], title_en=en[0], definition_fr=fr[1],
        definition_en=en[1], formula=formula, unit=unit, sources=sources, missing_data=missing,
        caveats=caveats, function=f"indicators.exchanges.{function}",
    )


_LOG_MISSING_FR = (
    "Les actions sont comptées telles qu'inscrites au journal ; une action absente du journal est "
    "invisible. Filtres : territoire de l'action ; secteur = actions impliquant ce secteur ; vague "
    "= actions chargées pour la vague ou datées dans sa période de rappel de six mois."
)

INDICATORS: list[Indicator] = [
    _exc(
        "exchanges.survey_frequency",
        ("Fréquence déclarée des échanges entre secteurs", "Nombre moyen d'échanges par mois "
         "que les professionnels d'un secteur déclarent avoir avec les professionnels de chaque "
         "secteur (jamais = 0, moins d'une fois par mois = 0,5, une fois par mois = 1, "
         "plusieurs fois par mois = 2,5, chaque semaine = 4,33)."),
        ("Reported exchange frequency between sectors", "Mean number of exchanges per month "
         "practitioners of one sector report with professionals of each sector."),
        "mean of the EXC_* answers (times per month) per wave × respondent sector × target "
        "sector", "exchanges per month", "survey_exchange_matrix", sources=_SURVEY_SOURCES,
        missing="Unanswered items ('je ne sais pas', blank) are not counted. Cells with fewer "
        "than min_group_size respondents are hidden.",
        caveats="Self-reported; the answer scale is banded, so the mean is approximate.",
    ).with_french(
        formula=(
            "moyenne des réponses EXC_* (en nombre de fois par mois) par vague × secteur du "
            "répondant × secteur cible"
        ),
        missing_data=(
            "Les items sans réponse (« je ne sais pas », vide) ne sont pas comptés. Les cases de "
            "moins de min_group_size répondants sont masquées."
        ),
        caveats=(
            "Données déclaratives ; l'échelle de réponse est en classes, la moyenne n'est donc "
            "qu'approchée."
        ),
    ),
    _exc(
        "exchanges.survey_share_monthly",
        ("Part des professionnels échangeant au moins une fois par mois", "Part des "
         "professionnels d'un secteur qui déclarent échanger au moins une fois par mois avec "
         "les professionnels d'un secteur donné."),
        ("Share exchanging at least monthly", "Share of practitioners of one sector who report "
         "exchanging at least once a month with professionals of a given sector."),
        "respondents answering ≥ tie_min_frequency (default 1) per month / respondents "
        "answering the item", "share (0–1)", "survey_exchange_matrix",
        sources=_SURVEY_SOURCES,
        missing="Unanswered items are not counted. Cells with fewer than min_group_size "
        "respondents are hidden.",
    ).with_french(
        formula=(
            "répondants déclarant au moins tie_min_frequency (1 par défaut) échange(s) par mois / "
            "répondants ayant répondu à l'item"
        ),
        missing_data=(
            "Les items sans réponse ne sont pas comptés. Les cases de moins de min_group_size "
            "répondants sont masquées."
        ),
    ),
    _exc(
        "exchanges.joint_actions_per_month",
        ("Actions communes par mois", "Nombre d'actions communes inscrites au journal chaque "
         "mois (réunions, interventions conjointes, formations, rencontres avec les "
         "parents…), au total ou par type d'action ou par territoire."),
        ("Joint actions per month", "Number of joint actions logged each month, in all or by "
         "type of action or territory."),
        "count of logged actions per calendar month (months without action = 0)", "actions",
        "activity_monthly",
    ).with_french(
        formula="nombre d'actions inscrites par mois calendaire (mois sans action = 0)",
        missing_data=_LOG_MISSING_FR,
    ),
    _exc(
        "exchanges.sector_pair_actions",
        ("Actions communes par paire de secteurs", "Pour chaque paire de secteurs, nombre "
         "d'actions communes réunissant au moins une structure de chacun, et ce nombre "
         "rapporté au mois."),
        ("Joint actions per pair of sectors", "For each pair of sectors, number of joint "
         "actions bringing together at least one institution of each, and per month."),
        "projection institution × action → institution × institution; per unordered sector "
        "pair, count of actions (each action once); / months covered by the log",
        "actions (per month)", "activity_sector_pairs",
    ).with_french(
        formula=(
            "projection structure × action → structure × structure ; par paire non ordonnée de "
            "secteurs, nombre d'actions (chaque action comptée une fois) ; / nombre de mois "
            "couverts par le journal"
        ),
        missing_data=_LOG_MISSING_FR,
    ),
    _exc(
        "exchanges.multi_sector_share",
        ("Part des actions inter-secteurs", "Part des actions communes qui réunissent des "
         "structures d'au moins deux secteurs différents."),
        ("Share of multi-sector actions", "Share of joint actions bringing together "
         "institutions of at least two sectors."),
        "actions with ≥ 2 distinct sectors / actions", "share (0–1)", "activity_shares",
    ).with_french(
        formula="actions réunissant ≥ 2 secteurs distincts / actions",
        missing_data=_LOG_MISSING_FR,
    ),
    _exc(
        "exchanges.three_institution_share",
        ("Part des actions à trois structures ou plus", "Part des actions communes qui "
         "impliquent au moins trois structures."),
        ("Share of actions with three or more institutions", "Share of joint actions "
         "involving at least three institutions."),
        "actions with ≥ 3 distinct institutions / actions", "share (0–1)", "activity_shares",
    ).with_french(
        formula="actions réunissant ≥ 3 structures distinctes / actions",
        missing_data=_LOG_MISSING_FR,
    ),
    _exc(
        "exchanges.actions_16_18",
        ("Actions pour les 16-18 ans", "Nombre et part des actions communes dont le public "
         "comprend des jeunes de 16 à 18 ans (dont les décrocheurs)."),
        ("Actions for 16–18 year olds", "Number and share of joint actions whose audience "
         "includes young people aged 16–18."),
        "actions with audience 16_18 / actions", "actions, share (0–1)", "activity_shares",
        missing="An action whose audience was not recorded counts as not for 16–18. "
        + _LOG_MISSING,
    ).with_french(
        formula="actions dont le public comprend les 16-18 ans (16_18) / actions",
        missing_data=(
            "Une action dont le public n'a pas été renseigné compte comme ne visant pas les "
            "16-18 ans. " + _LOG_MISSING_FR
        ),
    ),
    _exc(
        "exchanges.parents_coorganised",
        ("Actions co-organisées avec les parents", "Nombre et part des actions communes "
         "co-organisées avec des parents."),
        ("Actions co-organised with parents", "Number and share of joint actions co-organised "
         "with parents."),
        "actions co-organised with parents / actions where the log says yes or no",
        "actions, share (0–1)", "activity_shares",
        missing="Actions where the field was left blank are excluded from the denominator "
        "(parents_known). " + _LOG_MISSING,
    ).with_french(
        formula=(
            "actions co-organisées avec les parents / actions pour lesquelles le journal indique "
            "oui ou non"
        ),
        missing_data=(
            "Les actions dont le champ est resté vide sont exclues du dénominateur "
            "(parents_known). " + _LOG_MISSING_FR
        ),
    ),
    _exc(
        "exchanges.participants",
        ("Participants aux actions communes", "Nombre total de participants déclarés aux "
         "actions communes."),
        ("Participants in joint actions", "Total number of participants reported for joint "
         "actions."),
        "sum of participants (actions with a count: participants_known)", "people",
        "activity_shares",
        caveats="The same person attending several actions is counted each time.",
    ).with_french(
        formula="somme des participants (actions dont l'effectif est renseigné : participants_known)",
        missing_data=_LOG_MISSING_FR,
        caveats="Une même personne présente à plusieurs actions est comptée à chaque fois.",
    ),
    _exc(
        "exchanges.institution_projection",
        ("Réseau des actions communes", "Pour chaque paire de structures, nombre d'actions "
         "communes auxquelles elles ont participé ensemble (réseau issu du journal des "
         "actions)."),
        ("Joint-action network", "For each pair of institutions, number of joint actions "
         "they took part in together (network from the activity log)."),
        "projection of the institution × action network: actions involving both A and B",
        "actions", "institution_projection",
    ).with_french(
        formula="projection du réseau structures × actions : actions impliquant à la fois A et B",
        missing_data=_LOG_MISSING_FR,
    ),
]
