"""Professional practice indicators of the practitioner survey (scales from the `scales` table).

Conventions shared by every public function of this module (and reused by
``indicators.wellbeing`` and ``indicators.quality``):

* ``conn`` is a DuckDB connection or cursor where the warehouse tables are reachable
  unqualified; ``filters`` is what the user selected. Results are tidy DataFrames with an
  ``n`` column (respondents behind the row) and a ``suppressed`` column set by
  :func:`indicators.filters.suppress`: rows with ``n < filters.min_group_size`` have their
  values and ``n`` blanked (NaN).
* Statistics are aggregated in DuckDB (count, mean, stddev_samp, var_samp) and finished with
  the vectorised functions of :mod:`indicators.stats`; only paired comparisons fetch
  per-respondent score vectors (one pair of columns per scale).
* Undefined values are NaN, never an exception. An empty warehouse gives empty frames with the
  documented columns.
* Scale scores come from ``scale_scores``: the loader has already applied each scale's
  minimum-items rule (the score is NULL when too few items were answered), so a respondent
  without a score is left out of that scale's statistics (available-case analysis).
* Confidence level: the ``ci_level`` setting (default 0.95).
* Two-wave comparisons (``wave_a`` → ``wave_b``) ignore ``filters.waves``. In panel
  comparisons the metadata filters (territory, sector, role, level) apply to each
  respondent's **wave b** answers (the current position of the respondent); in
  cross-sectional comparisons they apply to each wave's own respondents.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import duckdb
import numpy as np
import pandas as pd

from indicators.catalogue import Indicator
from indicators.disclosure import StateCache, selected_pairs, selected_rows, smoothed_quantiles_sql, suppress
from indicators.filters import Filters
from indicators.instruments import SURVEY_INSTRUMENTS_SQL, has_answers_table, practice_scales, survey_scale_ids
from indicators.stats import (
    alpha_from_variances,
    hedges_g,
    holm_adjust,
    paired_change,
    reliable_change_index,
    reliable_change_share,
    t_interval,
    welch_from_stats,
)
from warehouse.settings import setting

GROUP_COLUMNS: tuple[str, ...] = ("territory", "sector_id", "role", "level")
LEVELS: tuple[str, str] = ("strategic", "operational")
DESIGN_PANEL = "panel"
DESIGN_CROSS_SECTIONAL = "cross-sectional (not panel)"

SCALE_SUMMARY_COLUMNS = [
    "wave_id", "wave_order", "scale_id", "label_fr", "label_en",
    "n", "mean", "sd", "ci_low", "ci_high", "suppressed",
]
ITEM_DISTRIBUTION_COLUMNS = [
    "wave_id", "wave_order", "item_id", "text_fr", "text_en", "reverse_keyed", "value", "code",
    "label_fr", "label_en", "sort_order", "count", "share", "n", "suppressed",
]
PANEL_COLUMNS = [
    "scale_id", "label_fr", "label_en", "higher_is_better", "wave_a", "wave_b", "n", "n_pairs",
    "mean_a", "mean_b", "mean_diff", "sd_diff", "ci_low", "ci_high", "t", "df", "p_ttest",
    "p_wilcoxon", "p_holm", "d_z", "d_z_ci_low", "d_z_ci_high", "effect_size", "design",
    "items_compared", "items_left_out", "suppressed",
]
_PANEL_STATS = [
    "scale_id", "n", "n_pairs", "mean_a", "mean_b", "mean_diff", "sd_diff", "ci_low", "ci_high",
    "t", "df", "p_ttest", "p_wilcoxon", "d_z", "d_z_ci_low", "d_z_ci_high", "effect_size",
]
PANEL_VALUES = [
    "n_pairs", "mean_a", "mean_b", "mean_diff", "sd_diff", "ci_low", "ci_high", "t", "df",
    "p_ttest", "p_wilcoxon", "p_holm", "d_z", "d_z_ci_low", "d_z_ci_high",
]
CROSS_SECTIONAL_COLUMNS = [
    "scale_id", "label_fr", "label_en", "higher_is_better", "wave_a", "wave_b", "n", "n_a", "n_b",
    "mean_a", "sd_a", "mean_b", "sd_b", "mean_diff", "ci_low", "ci_high", "t", "df", "p_welch",
    "p_holm", "hedges_g", "g_ci_low", "g_ci_high", "effect_size", "design", "items_compared",
    "items_left_out", "suppressed",
]
_CROSS_SECTIONAL_VALUES = [
    "n", "n_a", "n_b", "mean_a", "sd_a", "mean_b", "sd_b", "mean_diff", "ci_low", "ci_high", "t",
    "df", "p_welch", "p_holm", "hedges_g", "g_ci_low", "g_ci_high",
]
LEVEL_GAP_COLUMNS = [
    "wave_id", "wave_order", "scale_id", "label_fr", "label_en", "n",
    "n_strategic", "mean_strategic", "sd_strategic",
    "n_operational", "mean_operational", "sd_operational",
    "gap", "ci_low", "ci_high", "p_welch", "hedges_g",
    "suppressed_strategic", "suppressed_operational", "suppressed",
]
RELIABLE_CHANGE_COLUMNS = [
    "scale_id", "label_fr", "label_en", "higher_is_better", "wave_a", "wave_b", "n", "n_pairs",
    "sd_a", "alpha_a", "n_alpha_a", "threshold", "reliable_change_points",
    "n_improved", "n_deteriorated", "n_unchanged",
    "share_improved", "share_deteriorated", "share_unchanged", "items_compared", "items_left_out",
    "suppressed",
]
_RELIABLE_CHANGE_VALUES = [
    "n_pairs", "sd_a", "alpha_a", "n_alpha_a", "reliable_change_points", "n_improved",
    "n_deteriorated", "n_unchanged", "share_improved", "share_deteriorated", "share_unchanged",
]


# --------------------------------------------------------------------------- shared helpers


def ci_level() -> float:
    """Confidence level of every interval (setting ``ci_level``)."""
    return float(setting("ci_level"))


def query_frame(
    conn: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()
) -> pd.DataFrame:
    """Run a parameterised query and return its result as a DataFrame."""
    return conn.execute(sql, list(params)).df()


def metadata_filters(filters: Filters) -> Filters:
    """The same selection without its wave clause (for explicit wave comparisons)."""
    return dataclasses.replace(filters, waves=None)


def has_metadata_filter(filters: Filters) -> bool:
    """Whether the selection restricts respondents by territory, sector, role or level."""
    return any(v is not None for v in (filters.territories, filters.sectors, filters.roles, filters.levels))


def selected(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    rows_sql: str,
    params: Sequence[object],
    partition: Sequence[str],
    by: Sequence[str] = (),
) -> tuple[str, list[object]]:
    """The rows of ``rows_sql`` (survey respondents' wave_id, respondent_id, the partition
    columns and payload, over the selected waves) that a figure may use under ``filters``, with
    the respondents' published territory, sector_id, role and level: see
    :func:`indicators.disclosure.selected_rows`, the one disclosure rule."""
    return selected_rows(conn, rows_sql, params, filters, partition, by)


def extra_group_columns(by: Sequence[str], allowed: Sequence[str] = GROUP_COLUMNS) -> list[str]:
    """The grouping columns of ``by`` besides ``wave_id`` (always grouped on), validated."""
    extra = [c for c in by if c != "wave_id"]
    unknown = [c for c in extra if c not in allowed]
    if unknown or len(set(extra)) != len(extra):
        raise ValueError(f"by must be 'wave_id' plus distinct columns among {tuple(allowed)}, got {tuple(by)}")
    return extra


def scale_metadata(conn: duckdb.DuckDBPyConnection, scales: Sequence[str]) -> pd.DataFrame:
    """Scales of the survey instruments among ``scales`` (indicators' ids), in the requested
    order: scale_id, label_fr, label_en, higher_is_better, score_min, score_max, scale_order (a
    scale two instruments share is described by the first instrument's codebook, by name)."""
    df = query_frame(
        conn,
        "SELECT scale_id, label_fr, label_en, higher_is_better, score_min, score_max "
        "FROM survey_scales WHERE list_contains(?, scale_id) "
        "QUALIFY row_number() OVER (PARTITION BY scale_id ORDER BY instrument) = 1",
        [list(scales)],
    )
    order = {s: i for i, s in enumerate(scales)}
    df["scale_order"] = df["scale_id"].map(order).astype("int64")
    df["higher_is_better"] = df["higher_is_better"].astype(bool)
    return df.sort_values("scale_order", kind="stable").reset_index(drop=True)


def all_scale_ids(conn: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """Every scale of the survey instruments: practice scales first, then wellbeing and
    burnout, then the others."""
    return survey_scale_ids(conn)


def wave_orders(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """wave_id → wave_order (the `waves` table)."""
    return query_frame(conn, "SELECT wave_id, wave_order FROM waves")


def sort_rows(df: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Rows sorted by ``keys`` (missing values last), with a fresh index."""
    present = [k for k in keys if k in df.columns]
    if not present or df.empty:
        return df.reset_index(drop=True)
    return df.sort_values(present, na_position="last", kind="stable").reset_index(drop=True)


def finish(
    df: pd.DataFrame,
    filters: Filters,
    columns: Sequence[str],
    value_cols: Sequence[str],
    within: Sequence[str] | None = None,
    n_col: str = "n",
) -> pd.DataFrame:
    """Small-cell suppression (``n_col`` < min_group_size) then the documented columns."""
    out = suppress(df, filters.min_group_size, n_col=n_col, value_cols=list(value_cols), within=within)
    if "wave_order" in out.columns:
        out["wave_order"] = pd.to_numeric(out["wave_order"], errors="coerce").astype("Int64")
    out["suppressed"] = out["suppressed"].astype(bool)
    return out.reindex(columns=list(columns)).reset_index(drop=True)


def score_rows(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    scales: Sequence[str],
    by: Sequence[str] = (),
    compare: tuple[str, str] | None = None,
) -> tuple[str, list[object]]:
    """SQL of the scale scores a figure may use (wave_id, scale_id, respondent_id, score and the
    published attributes): respondents with a score, in the selected waves, under the
    disclosure rule (population: wave × scale). With ``compare`` (two waves), a scale whose
    items differ between them is scored on the items both waves asked (:func:`comparable_scores`)."""
    source, source_params = comparable_scores(conn, compare, scales) if compare else (None, [])
    wave_where, wave_params = filters.wave_where("s.wave_id")
    table = f"({source})" if source else "survey_scores"
    rows = f"""
        SELECT s.wave_id, s.scale_id, s.respondent_id, s.score FROM {table} s
        WHERE list_contains(?, s.scale_id) AND s.score IS NOT NULL AND {wave_where}
    """
    params = [*source_params, list(scales), *wave_params]
    return selected(conn, filters, rows, params, ("wave_id", "scale_id"), by)


def item_sets(
    conn: duckdb.DuckDBPyConnection, waves: Sequence[str], scales: Sequence[str]
) -> dict[str, dict[str, tuple[str, ...]]]:
    """scale_id → wave_id → the scale's items asked in that wave (``wave_items``), sorted."""
    rows = conn.execute(
        "SELECT i.scale_id, wi.wave_id, list(DISTINCT wi.item_id ORDER BY wi.item_id) FROM wave_items wi "
        "JOIN survey_items i ON i.instrument = wi.instrument AND i.item_id = wi.item_id "
        "WHERE list_contains(?, wi.wave_id) AND list_contains(?, i.scale_id) GROUP BY ALL",
        [list(waves), list(scales)],
    ).fetchall()
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for scale, wave, items in rows:
        out.setdefault(str(scale), {})[str(wave)] = tuple(str(i) for i in items)
    return out


def common_items(
    conn: duckdb.DuckDBPyConnection, wave_a: str, wave_b: str, scales: Sequence[str]
) -> dict[str, tuple[str, ...]]:
    """The scales whose items differ between two waves → the items both asked (a scale asked
    alike, or not asked in one of the waves, is not listed)."""
    sets = item_sets(conn, (wave_a, wave_b), scales)
    out = {}
    for scale, by_wave in sets.items():
        a, b = by_wave.get(wave_a), by_wave.get(wave_b)
        if a is not None and b is not None and a != b:
            out[scale] = tuple(sorted(set(a) & set(b)))
    return out


ITEM_SET_COLUMNS = ["scale_id", "label_fr", "label_en", "item_id", "waves_asked", "waves_not_asked"]


def item_set_changes(
    conn: duckdb.DuckDBPyConnection, waves: Sequence[str], scales: Sequence[str]
) -> pd.DataFrame:
    """Items not asked in every one of ``waves`` (a codebook version added or dropped them):
    one row per scale × item with the waves that asked it and those that did not (comma lists).
    Empty when every scale asked the same items in every wave it was asked. Rows in the order of
    ``scales`` (the order figures and captions list them), items sorted."""
    sets = item_sets(conn, waves, scales)
    meta = scale_metadata(conn, scales).set_index("scale_id")
    rows = []
    for scale in dict.fromkeys(scales):
        by_wave = sets.get(scale)
        if by_wave is None:
            continue
        asked_in = [w for w in waves if w in by_wave]
        every = set().union(*by_wave.values()) if by_wave else set()
        for item in sorted(every):
            yes = [w for w in asked_in if item in by_wave[w]]
            no = [w for w in asked_in if item not in by_wave[w]]
            if no:
                known = scale in meta.index
                rows.append({"scale_id": scale, "label_fr": meta.loc[scale, "label_fr"] if known else scale,
                             "label_en": meta.loc[scale, "label_en"] if known else scale,
                             "item_id": item, "waves_asked": ", ".join(yes), "waves_not_asked": ", ".join(no)})
    return pd.DataFrame(rows, columns=ITEM_SET_COLUMNS)


def comparable_scores(
    conn: duckdb.DuckDBPyConnection, compare: tuple[str, str], scales: Sequence[str]
) -> tuple[str | None, list[object]]:
    """SQL of scale scores comparable between the two waves of ``compare`` (columns of
    ``survey_scores``: wave_id, instrument, respondent_id, scale_id, score), or None when every
    scale asked the same items in both. A scale whose items differ is rescored, in both waves,
    on the items both asked: reverse-keyed items reversed, the mean of the common items answered
    ("mean" scales), or that mean × the scale's number of items × its multiplier (sum scales:
    prorated to the full scale's range); no score with fewer common items answered than the
    scale's minimum in proportion (⌈min_items · common / items⌉, at least 1)."""
    common = common_items(conn, compare[0], compare[1], scales)
    if not common:
        return None, []
    keys = [(scale, item) for scale, items in common.items() for item in items]
    values = ", ".join("(?, ?)" for _ in keys)
    sql = f"""
        WITH common(scale_id, item_id) AS (VALUES {values}),
        rescored AS (
            SELECT x.wave_id, x.instrument, x.respondent_id, c.scale_id,
                   avg(CASE WHEN i.reverse_keyed THEN i.value_min + i.value_max - x.value ELSE x.value END) AS m,
                   count(*) AS answered
            FROM responses x
            JOIN common c ON c.item_id = x.item_id
            JOIN survey_items i ON i.instrument = x.instrument AND i.item_id = x.item_id AND i.scale_id = c.scale_id
            WHERE list_contains(?, x.wave_id)
            GROUP BY ALL
        ),
        k AS (SELECT scale_id, count(*) AS k_common FROM common GROUP BY ALL)
        SELECT r.wave_id, r.instrument, r.respondent_id, r.scale_id,
               CASE WHEN r.answered >= greatest(1, ceil(sc.min_items * k.k_common / sc.n_items))
                    THEN CASE sc.rule WHEN 'mean' THEN r.m
                                      ELSE r.m * sc.n_items * CASE sc.rule WHEN 'sum_times' THEN sc.multiplier
                                                                           ELSE 1 END END
               END AS score
        FROM rescored r JOIN k USING (scale_id)
        JOIN survey_scales sc ON sc.instrument = r.instrument AND sc.scale_id = r.scale_id
        UNION ALL BY NAME
        SELECT s.wave_id, s.instrument, s.respondent_id, s.scale_id, s.score FROM survey_scores s
        WHERE NOT list_contains(?, s.scale_id)
    """
    params: list[object] = [x for pair in keys for x in pair]
    params += [list(compare), list(common)]
    return sql, params


def group_values(conn: duckdb.DuckDBPyConnection, dimension: str, filters: Filters) -> list[object]:
    """The values a breakdown by ``dimension`` can take, within its filter: sectors from the
    reference list, both levels, the roles and territories of the whole warehouse (not of the
    selection: listing them tells nothing about who answered)."""
    chosen = {"territory": filters.territories, "sector_id": filters.sectors, "role": filters.roles,
              "level": filters.levels}[dimension]
    if dimension == "sector_id":
        rows = conn.execute("SELECT sector_id FROM sectors ORDER BY sort_order").fetchall()
        values: list[object] = [r[0] for r in rows]
    elif dimension == "level":
        values = list(LEVELS)
    else:  # role, territory: fixed column names
        rows = conn.execute(
            f"SELECT DISTINCT {dimension} FROM survey_respondents WHERE {dimension} IS NOT NULL ORDER BY 1"
        ).fetchall()
        values = [r[0] for r in rows]
    return [v for v in values if chosen is None or v in chosen]


def with_hidden_groups(
    conn: duckdb.DuckDBPyConnection,
    out: pd.DataFrame,
    filters: Filters,
    extra: Sequence[str],
    scales: Sequence[str],
    order: Sequence[str],
) -> pd.DataFrame:
    """A breakdown by one attribute lists every value of it (:func:`group_values`) in every
    wave × scale with scores: a group that cannot be shown (fewer than min_group_size, grouped
    with others, or nobody) is a hidden row (``suppressed``, values NaN), not a missing one."""
    if len(extra) != 1 or out.empty:
        return out
    dim = extra[0]
    grid = wave_scale_grid(conn, filters, scales).merge(
        pd.DataFrame({dim: group_values(conn, dim, filters)}), how="cross"
    )
    keys = ["wave_id", dim, "scale_id"]
    missing = grid.merge(out[keys], on=keys, how="left", indicator=True)
    missing = missing.loc[missing["_merge"] == "left_only", [*keys, "wave_order"]]
    if missing.empty:
        return out
    info = out.drop_duplicates("scale_id").set_index("scale_id")
    missing = missing.assign(suppressed=True)
    for col in ("label_fr", "label_en"):
        if col in out.columns:
            missing[col] = missing["scale_id"].map(info[col])
    both = pd.concat([out, missing.reindex(columns=out.columns)], ignore_index=True)
    both["suppressed"] = both["suppressed"].astype(bool)
    both["wave_order"] = pd.to_numeric(both["wave_order"], errors="coerce").astype("Int64")
    position = {s: i for i, s in enumerate(scales)}
    both["_s"] = both["scale_id"].map(position)
    return sort_rows(both, [c if c != "scale_order" else "_s" for c in order]).drop(columns="_s")


def score_aggregates(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    extra_keys: Sequence[str],
    scales: Sequence[str],
    extra_select: str = "",
    extra_params: Sequence[object] = (),
    compare: tuple[str, str] | None = None,
    quantiles: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Per wave × extra keys × scale: wave_order, n (respondents with a score), mean, sd
    (stddev_samp) of ``survey_scores``, respondents filtered on their metadata of that wave.

    ``extra_select`` adds aggregate expressions over ``s.score`` (fixed SQL from this
    package, its ``?`` placeholders bound to ``extra_params``). ``compare``: scores comparable
    between these two waves (:func:`score_rows`). ``quantiles`` (column name → q): also those
    quantiles of the scores (:func:`indicators.disclosure.smoothed_quantiles_sql`), from the same
    reading of the selection."""
    rel, rel_params = score_rows(conn, filters, scales, extra_keys, compare)
    keys = "".join(f", s.{c}" for c in extra_keys)
    aggregates = f"""
        SELECT s.wave_id, min(w.wave_order) AS wave_order{keys}, s.scale_id,
               count(s.score) AS n, avg(s.score) AS mean, stddev_samp(s.score) AS sd{extra_select}
        FROM {{rows}} s
        LEFT JOIN waves w ON w.wave_id = s.wave_id
        GROUP BY s.wave_id{keys}, s.scale_id
    """
    if not quantiles:
        sql, params = aggregates.replace("{rows}", f"({rel})"), [*extra_params, *rel_params]
    else:
        group = ["wave_id", *extra_keys, "scale_id"]
        on = " AND ".join(f"q.{c} IS NOT DISTINCT FROM a.{c}" for c in group)
        picked = ", ".join(f"q.{name}" for name in quantiles)
        quantile_sql = smoothed_quantiles_sql("score", dict(quantiles), int(filters.min_group_size), group, "_s")
        sql = f"""
            WITH _s AS MATERIALIZED ({rel}),
            a AS ({aggregates.replace("{rows}", "_s")}),
            q AS ({quantile_sql})
            SELECT a.*, {picked} FROM a LEFT JOIN q ON {on}
        """
        params = [*rel_params, *extra_params]
    df = query_frame(conn, sql, params)
    if not extra_keys and has_metadata_filter(filters):
        df = _with_empty_cells(conn, filters, df, scales)
    df["n"] = df["n"].astype("int64")
    return df


def _with_empty_cells(
    conn: duckdb.DuckDBPyConnection, filters: Filters, df: pd.DataFrame, scales: Sequence[str]
) -> pd.DataFrame:
    """Every wave × scale with scores gets a row, n = 0 when the selection keeps nobody there: a
    figure says "hidden (fewer than k)" instead of leaving the wave out."""
    out = wave_scale_grid(conn, filters, scales).merge(
        df.drop(columns=["wave_order"]), on=["wave_id", "scale_id"], how="left"
    )
    out["n"] = out["n"].fillna(0)
    return out


_GRIDS = StateCache(16, without_file=False)


def _all_wave_scales(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """wave_id, wave_order, scale_id of every wave × scale with a score, once per published state of
    the warehouse (it reads every score: 130 ms of each page's figures on 200 × 8, whatever the
    selection)."""
    return _GRIDS.get(_GRIDS.key(conn, ()), lambda: query_frame(
        conn,
        "SELECT DISTINCT s.wave_id, w.wave_order, s.scale_id FROM survey_scores s "
        "LEFT JOIN waves w ON w.wave_id = s.wave_id WHERE s.score IS NOT NULL",
        [],
    ))


def wave_scale_grid(conn: duckdb.DuckDBPyConnection, filters: Filters, scales: Sequence[str]) -> pd.DataFrame:
    """wave_id, wave_order, scale_id of every selected wave with scores on each scale (anyone's)."""
    grid = _all_wave_scales(conn)
    keep = grid["scale_id"].isin(list(scales))
    if filters.waves is not None:
        keep &= grid["wave_id"].isin(list(filters.waves))
    return grid[keep].reset_index(drop=True)


def paired_scores(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    wave_a: str,
    wave_b: str,
    scales: Sequence[str],
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """scale_id → (scores in wave a, scores in wave b) of the respondents (same respondent_id)
    with a score in both waves, aligned; metadata filters on the wave-b answers."""
    scores = comparable_scores(conn, (wave_a, wave_b), scales)
    rel, params = selected_pairs(conn, metadata_filters(filters), wave_a, wave_b, scales, scores)
    sql = f"SELECT scale_id, score_a, score_b FROM ({rel}) ORDER BY scale_id, respondent_id"
    res = conn.execute(sql, params).fetchnumpy()
    ids = np.asarray(res["scale_id"], dtype=object)
    a = np.asarray(res["score_a"], dtype=np.float64)
    b = np.asarray(res["score_b"], dtype=np.float64)
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if ids.size == 0:
        return out
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    ends = np.r_[starts[1:], ids.size]
    for s, e in zip(starts, ends, strict=True):
        out[str(ids[s])] = (a[s:e], b[s:e])
    return out


def with_item_basis(
    conn: duckdb.DuckDBPyConnection, df: pd.DataFrame, wave_a: str, wave_b: str, scales: Sequence[str]
) -> pd.DataFrame:
    """Columns items_compared (the items both waves asked, when the scale's items differ between
    them: its scores were rescored on these) and items_left_out (asked in one wave only); None
    when both waves asked the same items."""
    sets = item_sets(conn, (wave_a, wave_b), scales)
    compared, left = {}, {}
    for scale, by_wave in sets.items():
        a, b = set(by_wave.get(wave_a, ())), set(by_wave.get(wave_b, ()))
        if a and b and a != b:
            compared[scale] = ", ".join(sorted(a & b))
            left[scale] = ", ".join(sorted(a ^ b))
    out = df.copy()
    out["items_compared"] = out["scale_id"].map(compared).astype(object)
    out["items_left_out"] = out["scale_id"].map(left).astype(object)
    return out


def _check_two_waves(wave_a: str, wave_b: str) -> None:
    if wave_a == wave_b:
        raise ValueError(f"compare two different waves (got {wave_a!r} twice)")


def panel_frame(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    wave_a: str,
    wave_b: str,
    scales: Sequence[str],
) -> tuple[pd.DataFrame, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Unsuppressed panel comparison (one row per scale, PANEL_COLUMNS but `suppressed`) and
    the paired score vectors it was computed from. Holm is applied over the scales that
    will be shown (n_pairs >= min_group_size)."""
    _check_two_waves(wave_a, wave_b)
    meta = scale_metadata(conn, scales)
    pairs = paired_scores(conn, filters, wave_a, wave_b, list(meta["scale_id"]))
    level = ci_level()
    empty = np.empty(0)
    rows = []
    for scale_id in meta["scale_id"]:
        a, b = pairs.get(scale_id, (empty, empty))
        pc = paired_change(a, b, level=level)
        rows.append(
            {
                "scale_id": scale_id, "n": pc.n_pairs, "n_pairs": pc.n_pairs,
                "mean_a": pc.mean_before, "mean_b": pc.mean_after, "mean_diff": pc.mean_diff,
                "sd_diff": pc.sd_diff, "ci_low": pc.ci_low, "ci_high": pc.ci_high, "t": pc.t,
                "df": pc.df, "p_ttest": pc.p_ttest, "p_wilcoxon": pc.wilcoxon_p, "d_z": pc.d_z,
                "d_z_ci_low": pc.d_z_ci_low, "d_z_ci_high": pc.d_z_ci_high,
                "effect_size": pc.effect_size_name,
            }
        )
    df = meta.merge(pd.DataFrame(rows, columns=_PANEL_STATS), on="scale_id", how="left")
    df["wave_a"], df["wave_b"], df["design"] = wave_a, wave_b, DESIGN_PANEL
    df = with_item_basis(conn, df, wave_a, wave_b, list(meta["scale_id"]))
    shown = df["n_pairs"] >= filters.min_group_size
    df["p_holm"] = holm_adjust(df["p_ttest"].where(shown))
    return df, pairs


# --------------------------------------------------------------------------- indicators


def scale_summary(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    by: Sequence[str] = ("wave_id",),
    scales: Sequence[str] | None = None,
    compare: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """Mean score of each scale per wave (and per ``by`` group) with its t confidence interval.
    With ``compare`` (two waves, for a change between them), a scale whose items differ between
    the two is scored on the items both asked (:func:`comparable_scores`): like with like.

    Method: for each wave × group × scale, n = respondents with a score, mean, sd
    (``stddev_samp``), CI = mean ± t(n−1) · sd/√n at the ``ci_level`` setting.
    ``by``: ``wave_id`` plus optionally columns among territory, sector_id, role, level (the
    respondents' metadata in that wave; a missing value is its own group). ``scales``: the
    practice scales (role ``practice``) by default; any scale id of the survey instruments (e.g.
    who5, cbi_work) may be asked for.
    Missing data: respondents without a score for a scale (too few items answered) are left
    out of that scale (available cases); n says how many remain.
    Suppression: n < min_group_size blanks the row; with a breakdown, complementary
    suppression within each wave × scale (so a hidden group cannot be recovered from the
    wave total).

    Columns: wave_id, wave_order, [by columns], scale_id, label_fr, label_en, n, mean, sd,
    ci_low, ci_high, suppressed.
    """
    extra = extra_group_columns(by)
    chosen = tuple(scales) if scales is not None else practice_scales(conn)
    meta = scale_metadata(conn, chosen)
    df = score_aggregates(conn, filters, extra, chosen, compare=compare)
    df = df.merge(meta[["scale_id", "label_fr", "label_en", "scale_order"]], on="scale_id")
    df["ci_low"], df["ci_high"] = t_interval(df["mean"], df["sd"], df["n"], ci_level())
    df = sort_rows(df, ["wave_order", "wave_id", *extra, "scale_order"])
    within = ["wave_id", *extra[:-1], "scale_id"] if extra else None
    columns = [*SCALE_SUMMARY_COLUMNS[:2], *extra, *SCALE_SUMMARY_COLUMNS[2:]]
    out = finish(df, filters, columns, ["mean", "sd", "ci_low", "ci_high"], within)
    return with_hidden_groups(conn, out, filters, extra, chosen, ["wave_order", "wave_id", *extra, "scale_order"])


def _item_answer_counts(
    conn: duckdb.DuckDBPyConnection, filters: Filters, item_ids: Sequence[str]
) -> pd.DataFrame:
    """wave_id, item_id, value, count of the filtered respondents' answers."""
    wave_where, wave_params = filters.wave_where("x.wave_id")
    rows = f"""
        SELECT x.wave_id, x.item_id, x.respondent_id, x.value FROM responses x
        WHERE x.instrument IN {SURVEY_INSTRUMENTS_SQL} AND list_contains(?, x.item_id) AND {wave_where}
    """
    rel, params = selected(conn, filters, rows, [list(item_ids), *wave_params], ("wave_id", "item_id"))
    sql = f"SELECT x.wave_id, x.item_id, x.value, count(*) AS count FROM ({rel}) x GROUP BY ALL"
    return query_frame(conn, sql, params)


def _items_asked(
    conn: duckdb.DuckDBPyConnection, filters: Filters, item_ids: Sequence[str]
) -> pd.DataFrame:
    """wave_id, item_id of the items asked in each (selected) wave (``wave_items``)."""
    where, params = filters.wave_where("wave_id")
    return query_frame(
        conn,
        f"SELECT DISTINCT wave_id, item_id FROM wave_items "
        f"WHERE instrument IN {SURVEY_INSTRUMENTS_SQL} AND list_contains(?, item_id) AND {where}",
        [list(item_ids), *params],
    )


def item_distribution(
    conn: duckdb.DuckDBPyConnection, filters: Filters, scale_id: str
) -> pd.DataFrame:
    """Distribution of the answers to each item of a scale, per wave (diverging Likert bars).

    Method: for each wave × item asked (``wave_items``, or answered) × answer option of the
    item's response set (``response_labels``, every option even when nobody chose it):
    count of respondents who gave that answer and share = count / n, n = respondents who
    answered the item in that wave. Answers are shown as given (reverse-keyed items are not
    reversed: their text is negative, see ``reverse_keyed``).
    Missing data: respondents who did not answer an item are not in its n (shares are among
    those who answered); "don't know" answers are stored as missing by the loader.
    Suppression: a wave × item with n < min_group_size has count, share and n blanked.

    Columns: wave_id, wave_order, item_id, text_fr, text_en, reverse_keyed, value, code,
    label_fr, label_en, sort_order, count, share, n, suppressed.
    """
    items = query_frame(
        conn,
        "SELECT item_id, text_fr, text_en, response_set, reverse_keyed, instrument FROM survey_items "
        "WHERE scale_id = ? QUALIFY row_number() OVER (PARTITION BY item_id ORDER BY instrument) = 1",
        [scale_id],
    )
    ids = list(items["item_id"])
    counts = _item_answer_counts(conn, filters, ids)
    asked = pd.concat([_items_asked(conn, filters, ids), counts[["wave_id", "item_id"]]])
    asked = asked.drop_duplicates().merge(items, on="item_id")
    labels = query_frame(
        conn,
        "SELECT instrument, response_set, value, code, label_fr, label_en, sort_order FROM response_labels "
        "WHERE list_contains(?, instrument) AND list_contains(?, response_set)",
        [list(items["instrument"].unique()), list(items["response_set"].dropna().unique())],
    )
    grid = asked.merge(labels, on=["instrument", "response_set"], how="left")
    df = grid.merge(counts, on=["wave_id", "item_id", "value"], how="outer")
    info = items.set_index("item_id")
    for col in ("text_fr", "text_en", "reverse_keyed"):
        df[col] = df["item_id"].map(info[col])
    df["count"] = df["count"].fillna(0).astype("int64")
    df["n"] = df.groupby(["wave_id", "item_id"])["count"].transform("sum").astype("int64")
    df["share"] = df["count"] / df["n"].where(df["n"] > 0)
    df = df.merge(wave_orders(conn), on="wave_id", how="left")
    df = sort_rows(df, ["wave_order", "wave_id", "item_id", "sort_order", "value"])
    return finish(df, filters, ITEM_DISTRIBUTION_COLUMNS, ["count", "share"])


def panel_change(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    wave_a: str,
    wave_b: str,
    scales: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Within-respondent change of each scale between two waves (panel design).

    Method: the respondents present in both waves (same pseudonymous respondent_id) with a
    score in both; diff = score_b − score_a. Mean difference with its t CI, paired Student t
    test, Wilcoxon signed-rank test (zero differences discarded), effect size d_z =
    mean_diff / sd_diff (column ``effect_size`` = "d_z" says which one is reported), and
    Holm-adjusted t p-values across the scales of this comparison (scales shown only).
    Filters: ``filters.waves`` is ignored; territory, sector, role and level select the
    respondents on their **wave-b** answers.
    Missing data: pairwise deletion — a respondent without a score in either wave (too few
    items answered, or absent) is not a pair; n = n_pairs.
    Suppression: n_pairs < min_group_size blanks the row.

    Columns: scale_id, label_fr, label_en, higher_is_better, wave_a, wave_b, n, n_pairs,
    mean_a, mean_b, mean_diff, sd_diff, ci_low, ci_high, t, df, p_ttest, p_wilcoxon, p_holm,
    d_z, d_z_ci_low, d_z_ci_high, effect_size, design ("panel"), suppressed.
    """
    chosen = tuple(scales) if scales is not None else practice_scales(conn)
    df, _ = panel_frame(conn, filters, wave_a, wave_b, chosen)
    return finish(df, filters, PANEL_COLUMNS, PANEL_VALUES)


def _two_wave_aggregates(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    wave_a: str,
    wave_b: str,
    scales: Sequence[str],
) -> pd.DataFrame:
    """Per scale: n_a, mean_a, sd_a, n_b, mean_b, sd_b (every respondent of each wave)."""
    both = dataclasses.replace(filters, waves=(wave_a, wave_b))
    agg = score_aggregates(conn, both, [], scales, compare=(wave_a, wave_b))
    cols = ["scale_id", "n", "mean", "sd"]
    a = agg.loc[agg["wave_id"] == wave_a, cols].rename(columns=lambda c: c if c == "scale_id" else f"{c}_a")
    b = agg.loc[agg["wave_id"] == wave_b, cols].rename(columns=lambda c: c if c == "scale_id" else f"{c}_b")
    return a.merge(b, on="scale_id", how="outer")


def cross_sectional_change(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    wave_a: str,
    wave_b: str,
    scales: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Change of each scale's mean between two waves, comparing all respondents of each wave
    (cross-sectional design, not a panel: people may differ between waves).

    Method: mean_diff = mean_b − mean_a with the Welch (unequal variances) t test and CI, and
    Hedges' g (pooled-SD standardised difference, small-sample corrected) with its
    approximate CI; Holm-adjusted Welch p-values across the scales shown.
    Filters: ``filters.waves`` is ignored; the metadata filters select each wave's
    respondents on their answers of that wave.
    Missing data: respondents without a score are left out of that scale (available cases).
    Caveat: respondents answering both waves make the two samples dependent; use
    :func:`panel_change` for them.
    Suppression: the row is blanked when either wave has n < min_group_size;
    n = n_a + n_b.

    Columns: scale_id, label_fr, label_en, higher_is_better, wave_a, wave_b, n, n_a, n_b,
    mean_a, sd_a, mean_b, sd_b, mean_diff, ci_low, ci_high, t, df, p_welch, p_holm, hedges_g,
    g_ci_low, g_ci_high, effect_size ("hedges_g"), design ("cross-sectional (not panel)"),
    suppressed.
    """
    _check_two_waves(wave_a, wave_b)
    chosen = tuple(scales) if scales is not None else practice_scales(conn)
    meta = scale_metadata(conn, chosen)
    df = meta.merge(_two_wave_aggregates(conn, filters, wave_a, wave_b, chosen), on="scale_id", how="left")
    for side in ("a", "b"):
        df[f"n_{side}"] = df[f"n_{side}"].fillna(0).astype("int64")
    level = ci_level()
    w = welch_from_stats(df["mean_b"], df["sd_b"], df["n_b"], df["mean_a"], df["sd_a"], df["n_a"], level)
    g = hedges_g(df["mean_b"], df["sd_b"], df["n_b"], df["mean_a"], df["sd_a"], df["n_a"], level)
    df["mean_diff"] = df["mean_b"] - df["mean_a"]
    df["ci_low"], df["ci_high"], df["t"], df["df"], df["p_welch"] = w.ci_low, w.ci_high, w.t, w.df, w.p
    df["hedges_g"], df["g_ci_low"], df["g_ci_high"] = g.g, g.ci_low, g.ci_high
    df["n"] = df["n_a"] + df["n_b"]
    df["_n_min"] = np.minimum(df["n_a"], df["n_b"])
    df["p_holm"] = holm_adjust(df["p_welch"].where(df["_n_min"] >= filters.min_group_size))
    df["wave_a"], df["wave_b"] = wave_a, wave_b
    df["effect_size"], df["design"] = "hedges_g", DESIGN_CROSS_SECTIONAL
    df = with_item_basis(conn, df, wave_a, wave_b, chosen)
    return finish(df, filters, CROSS_SECTIONAL_COLUMNS, _CROSS_SECTIONAL_VALUES, n_col="_n_min")


def level_gap(conn: duckdb.DuckDBPyConnection, filters: Filters, scales: Sequence[str] | None = None) -> pd.DataFrame:
    """Gap between strategic and operational respondents on each scale, per wave.

    Method: per wave × scale × level (respondents' ``level`` in that wave): n, mean, sd;
    gap = mean_strategic − mean_operational with the Welch t test and CI, and Hedges' g.
    Filters: ``filters.levels`` is ignored (both levels are needed); the other filters apply.
    Missing data: respondents without a level or without a score are left out.
    Suppression: each side with n < min_group_size is hidden (``suppressed_strategic`` /
    ``suppressed_operational``), and the other side with it (complementary suppression,
    else it could be recovered from the wave mean); the gap is shown only when both sides
    are (``suppressed``). n = n_strategic + n_operational.

    Columns: wave_id, wave_order, scale_id, label_fr, label_en, n, n_strategic,
    mean_strategic, sd_strategic, n_operational, mean_operational, sd_operational, gap,
    ci_low, ci_high, p_welch, hedges_g, suppressed_strategic, suppressed_operational,
    suppressed.
    """
    chosen = tuple(scales) if scales is not None else practice_scales(conn)
    meta = scale_metadata(conn, chosen)
    both_levels = dataclasses.replace(filters, levels=LEVELS)
    long = score_aggregates(conn, both_levels, ["level"], chosen)
    long = suppress(long, filters.min_group_size, value_cols=["mean", "sd"], within=["wave_id", "scale_id"])
    keys = ["wave_id", "wave_order", "scale_id"]
    df = wave_scale_grid(conn, filters, chosen)[keys]  # a wave whose levels are both hidden keeps its row
    for lev in LEVELS:
        side = long.loc[long["level"] == lev, [*keys, "n", "mean", "sd"]]
        df = df.merge(side.rename(columns={c: f"{c}_{lev}" for c in ("n", "mean", "sd")}), on=keys, how="left")
        # hidden (n blanked by suppress) or nobody at this level
        df[f"suppressed_{lev}"] = df[f"n_{lev}"].isna()
    df = df.merge(meta[["scale_id", "label_fr", "label_en", "scale_order"]], on="scale_id")
    ms, ss, ns = df["mean_strategic"], df["sd_strategic"], df["n_strategic"]
    mo, so, no = df["mean_operational"], df["sd_operational"], df["n_operational"]
    level = ci_level()
    w = welch_from_stats(ms, ss, ns, mo, so, no, level)
    g = hedges_g(ms, ss, ns, mo, so, no, level)
    df["gap"] = df["mean_strategic"] - df["mean_operational"]
    df["ci_low"], df["ci_high"], df["p_welch"], df["hedges_g"] = w.ci_low, w.ci_high, w.p, g.g
    df["n"] = df["n_strategic"] + df["n_operational"]
    df["suppressed"] = df["suppressed_strategic"] | df["suppressed_operational"]
    gap_cols = ["n", "gap", "ci_low", "ci_high", "p_welch", "hedges_g"]
    df.loc[df["suppressed"], gap_cols] = np.nan
    df = sort_rows(df, ["wave_order", "wave_id", "scale_order"])
    df["wave_order"] = pd.to_numeric(df["wave_order"], errors="coerce").astype("Int64")
    return df.reindex(columns=LEVEL_GAP_COLUMNS).reset_index(drop=True)


def answers_of(conn: duckdb.DuckDBPyConnection, selection: str) -> str:
    """A subquery of the answers of the respondents of ``selection`` (the name of a relation with
    wave_id and respondent_id, e.g. a CTE): wave_id, instrument, respondent_id, item_id, value.

    The integer-keyed ``answers`` are joined with the selection's keys first, so that a small
    selection costs an integer join, not string ids for every answer of the warehouse (the
    ``responses`` view; reliability of one territory of 200 × 8: 3.6 s → 0.5 s). A warehouse that
    stores ``responses`` as a table (older tests' fixtures) reads it."""
    people = f"(SELECT DISTINCT wave_id, respondent_id FROM {selection})"
    if not has_answers_table(conn):
        return (
            "(SELECT x.wave_id, x.instrument, x.respondent_id, x.item_id, x.value FROM responses x "
            f"SEMI JOIN {people} q ON q.wave_id = x.wave_id AND q.respondent_id = x.respondent_id)"
        )
    return f"""(SELECT q.wave_id, ik.instrument, q.respondent_id, ik.item_id, a.value
        FROM answers a
        JOIN (SELECT wk.wave_key, rk.respondent_key, q.wave_id, q.respondent_id FROM {people} q
              JOIN wave_keys wk ON wk.wave_id = q.wave_id
              JOIN respondent_keys rk ON rk.respondent_id = q.respondent_id) q
          ON q.wave_key = a.wave_key AND q.respondent_key = a.respondent_key
        JOIN item_keys ik ON ik.item_key = a.item_key)"""


def alpha_statistics(
    conn: duckdb.DuckDBPyConnection, filters: Filters, scales: Sequence[str]
) -> pd.DataFrame:
    """Sufficient statistics of Cronbach's alpha per wave × scale, on complete cases.

    Complete cases: the selected respondents who answered every item of the scale asked in
    that wave (``scale_scores.n_items_answered = n_items_asked``; k = n_items_asked, the items
    of ``wave_items``) — listwise deletion. Returns wave_id, scale_id, k, n (complete cases),
    sum_item_var = Σ var_samp of each item's answers (from ``responses``; reverse-keyed items
    reversed as value_min + value_max − value, which leaves a variance unchanged) and
    total_var = var_samp of the sum of the (reversed) items, which for a complete case is the
    scale score × k ("mean" rule), the score ("sum") or the score / multiplier ("sum_times").
    """
    wave_where, wave_params = filters.wave_where("s.wave_id")
    rows = f"""
        SELECT s.wave_id, s.scale_id, s.respondent_id, s.n_items_asked AS k,
               s.score * coalesce(sc.factor, s.n_items_asked) AS total
        FROM survey_scores s
        JOIN (SELECT instrument, scale_id, CASE rule WHEN 'mean' THEN NULL WHEN 'sum_times' THEN 1.0 / multiplier
                                                     ELSE 1.0 END AS factor
              FROM survey_scales WHERE list_contains(?, scale_id)) sc
          ON sc.instrument = s.instrument AND sc.scale_id = s.scale_id
        WHERE s.n_items_asked > 0 AND s.n_items_answered = s.n_items_asked
          AND s.score IS NOT NULL AND {wave_where}
    """
    # complete cases of the selection (the population of alpha: wave × scale)
    rel, rel_params = selected(
        conn, filters, rows, [list(scales), *wave_params], ("wave_id", "scale_id")
    )
    x_where, x_params = filters.wave_where("x.wave_id")
    sql = f"""
        WITH complete AS ({rel}),
        tot AS (
            SELECT wave_id, scale_id, max(k) AS k, count(*) AS n, var_samp(total) AS total_var
            FROM complete GROUP BY ALL
        ),
        it AS (
            SELECT instrument, item_id, scale_id, reverse_keyed, value_min, value_max FROM survey_items
            WHERE list_contains(?, scale_id)
        ),
        iv AS (
            SELECT x.wave_id, it.scale_id, x.item_id,
                   var_samp(CASE WHEN it.reverse_keyed THEN it.value_min + it.value_max - x.value
                                 ELSE x.value END) AS item_var
            FROM {answers_of(conn, "complete")} x
            JOIN it ON it.instrument = x.instrument AND it.item_id = x.item_id
            SEMI JOIN complete c ON c.wave_id = x.wave_id AND c.respondent_id = x.respondent_id
                                 AND c.scale_id = it.scale_id
            WHERE {x_where}
            GROUP BY ALL
        )
        SELECT t.wave_id, t.scale_id, t.k, t.n, v.sum_item_var, t.total_var
        FROM tot t
        LEFT JOIN (SELECT wave_id, scale_id, sum(item_var) AS sum_item_var FROM iv GROUP BY ALL) v
               USING (wave_id, scale_id)
    """
    df = query_frame(conn, sql, [*rel_params, list(scales), *x_params])
    for col in ("k", "n"):
        df[col] = pd.to_numeric(df[col]).astype("int64")
    return df


def reliable_change(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    wave_a: str,
    wave_b: str,
    scales: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Share of panel respondents whose score changed reliably (Jacobson & Truax 1991).

    Method: for each respondent with a score in both waves (as :func:`panel_change`),
    RCI = (score_b − score_a) / (√2 · sd_a · √(1 − α_a)), where sd_a is the SD of the
    scale in wave a and α_a its Cronbach's alpha in wave a (all wave-a respondents within the
    filters, on their wave-a answers; alpha on complete cases, reverse-keyed items reversed).
    Reliable improvement: RCI beyond the ``rci_threshold`` setting (1.96) in the scale's
    better direction (``higher_is_better``); deterioration in the other; else unchanged.
    ``reliable_change_points`` = threshold · √2 · sd_a · √(1 − α_a), the smallest change in
    score points that counts.
    Missing data: pairwise (respondents with both scores); alpha listwise.
    Suppression: n_pairs < min_group_size blanks the row.

    Columns: scale_id, label_fr, label_en, higher_is_better, wave_a, wave_b, n, n_pairs, sd_a,
    alpha_a, n_alpha_a, threshold, reliable_change_points, n_improved, n_deteriorated,
    n_unchanged, share_improved, share_deteriorated, share_unchanged, suppressed.
    """
    _check_two_waves(wave_a, wave_b)
    chosen = tuple(scales) if scales is not None else practice_scales(conn)
    meta = scale_metadata(conn, chosen)
    only_a = dataclasses.replace(filters, waves=(wave_a,))
    sd = score_aggregates(conn, only_a, [], chosen, compare=(wave_a, wave_b)).set_index("scale_id")["sd"]
    common = common_items(conn, wave_a, wave_b, chosen)
    alpha = _alpha_by_scale(conn, only_a, chosen, common)
    pairs = paired_scores(conn, filters, wave_a, wave_b, list(meta["scale_id"]))
    threshold = float(setting("rci_threshold"))
    rows = []
    for rec in meta.itertuples(index=False):
        a, b = pairs.get(rec.scale_id, (np.empty(0), np.empty(0)))
        sd_a = float(sd.get(rec.scale_id, np.nan))
        alpha_a, n_alpha = alpha.get(rec.scale_id, (np.nan, 0))
        rci = reliable_change_index(a, b, sd_a, alpha_a)
        share = reliable_change_share(rci, threshold, bool(rec.higher_is_better))
        counted = share.n > 0
        rows.append(
            {
                "scale_id": rec.scale_id, "n": a.size, "n_pairs": a.size, "sd_a": sd_a,
                "alpha_a": alpha_a, "n_alpha_a": n_alpha, "threshold": threshold,
                "reliable_change_points": threshold * np.sqrt(2.0) * sd_a * np.sqrt(1.0 - alpha_a)
                if 0.0 <= alpha_a < 1.0 else np.nan,
                "n_improved": share.n_improved if counted else np.nan,
                "n_deteriorated": share.n_deteriorated if counted else np.nan,
                "n_unchanged": share.n_unchanged if counted else np.nan,
                "share_improved": share.share_improved,
                "share_deteriorated": share.share_deteriorated,
                "share_unchanged": share.share_unchanged,
            }
        )
    stats_cols = ["scale_id", "n", *_RELIABLE_CHANGE_VALUES[:3], "threshold", *_RELIABLE_CHANGE_VALUES[3:]]
    df = pd.DataFrame(rows, columns=stats_cols)
    df = meta.merge(df, on="scale_id", how="left")
    df["wave_a"], df["wave_b"] = wave_a, wave_b
    df = with_item_basis(conn, df, wave_a, wave_b, chosen)
    return finish(df, filters, RELIABLE_CHANGE_COLUMNS, _RELIABLE_CHANGE_VALUES)


def alpha_statistics_on_items(
    conn: duckdb.DuckDBPyConnection, filters: Filters, items: dict[str, tuple[str, ...]]
) -> pd.DataFrame:
    """As :func:`alpha_statistics`, for each scale of ``items`` on those items only (complete
    cases: the respondents who answered all of them), e.g. the items two waves share."""
    if not items:
        return pd.DataFrame(columns=["wave_id", "scale_id", "k", "n", "sum_item_var", "total_var"])
    keys = [(scale, item) for scale, its in items.items() for item in its]
    values = ", ".join("(?, ?)" for _ in keys)
    wave_where, wave_params = filters.wave_where("x.wave_id")
    rows = f"""
        WITH common(scale_id, item_id) AS (VALUES {values}),
        k AS (SELECT scale_id, count(*) AS k FROM common GROUP BY ALL),
        ans AS (
            SELECT x.wave_id, x.respondent_id, c.scale_id,
                   CASE WHEN i.reverse_keyed THEN i.value_min + i.value_max - x.value ELSE x.value END AS v
            FROM responses x JOIN common c ON c.item_id = x.item_id
            JOIN survey_items i ON i.instrument = x.instrument AND i.item_id = x.item_id AND i.scale_id = c.scale_id
            WHERE {wave_where}
        )
        SELECT a.wave_id, a.scale_id, a.respondent_id, max(k.k) AS k, sum(a.v) AS total
        FROM ans a JOIN k USING (scale_id) GROUP BY ALL HAVING count(*) = max(k.k)
    """
    params: list[object] = [*[x for pair in keys for x in pair], *wave_params]
    rel, rel_params = selected(conn, filters, rows, params, ("wave_id", "scale_id"))
    sql = f"""
        WITH common(scale_id, item_id) AS (VALUES {values}),
        complete AS ({rel}),
        tot AS (SELECT wave_id, scale_id, max(k) AS k, count(*) AS n, var_samp(total) AS total_var
                FROM complete GROUP BY ALL),
        iv AS (
            SELECT x.wave_id, c.scale_id, x.item_id,
                   var_samp(CASE WHEN i.reverse_keyed THEN i.value_min + i.value_max - x.value ELSE x.value END)
                       AS item_var
            FROM {answers_of(conn, "complete")} x JOIN common c ON c.item_id = x.item_id
            JOIN survey_items i ON i.instrument = x.instrument AND i.item_id = x.item_id AND i.scale_id = c.scale_id
            SEMI JOIN complete p ON p.wave_id = x.wave_id AND p.respondent_id = x.respondent_id
                                 AND p.scale_id = c.scale_id
            GROUP BY ALL
        )
        SELECT t.wave_id, t.scale_id, t.k, t.n, v.sum_item_var, t.total_var FROM tot t
        LEFT JOIN (SELECT wave_id, scale_id, sum(item_var) AS sum_item_var FROM iv GROUP BY ALL) v
               USING (wave_id, scale_id)
    """
    df = query_frame(conn, sql, [*[x for pair in keys for x in pair], *rel_params])
    for col in ("k", "n"):
        df[col] = pd.to_numeric(df[col]).astype("int64")
    return df


def _alpha_by_scale(
    conn: duckdb.DuckDBPyConnection, filters: Filters, scales: Sequence[str],
    items: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, tuple[float, int]]:
    """scale_id → (Cronbach's alpha, complete cases) in the single wave of ``filters``; the
    scales of ``items`` on those items only."""
    items = items or {}
    full = [sc for sc in scales if sc not in items]
    parts = [alpha_statistics(conn, filters, full)] if full else []
    if items:
        parts.append(alpha_statistics_on_items(conn, filters, items))
    st = pd.concat(parts, ignore_index=True) if parts else alpha_statistics(conn, filters, scales)
    res = alpha_from_variances(st["k"], st["sum_item_var"], st["total_var"], st["n"], ci_level())
    return {
        str(s): (float(a), int(n))
        for s, a, n in zip(st["scale_id"], np.ravel(res.alpha), st["n"], strict=True)
    }


# --------------------------------------------------------------------------- catalogue

_SCALES_FR = (
    "Échelles de pratiques : pratiques en réseau, lisibilité des dispositifs, parents acteurs "
    "éducatifs, culture du partenariat (moyennes des items de 1 à 5, items inversés recodés)."
)
_SCALES_EN = (
    "Practice scales: network practice, legibility of schemes, parents as educational actors, "
    "partnership culture (mean of 1–5 items, reverse-keyed items recoded)."
)
_SCORE_MISSING = (
    "Scale score missing when fewer than the scale's minimum number of items were answered "
    "(loader rule); such respondents are left out of that scale (available cases)."
)

_COMMON_ITEMS = (
    " Like with like: when a codebook version changed a scale's items between the two waves, both "
    "waves are rescored on the items both asked (items_compared; items_left_out lists the others), "
    "mean of the answered common items (sum scales: prorated to the full scale), no score below the "
    "minimum number of items in proportion; one wave alone keeps its full-scale score."
)
_COMMON_ITEMS_FR = (
    " À questions égales : quand une version du questionnaire a changé les items d'une échelle "
    "entre les deux vagues, les deux vagues sont recalculées sur les items posés aux deux "
    "(items_compared ; items_left_out donne les autres), moyenne des items communs renseignés "
    "(échelles en somme : ramenées à l'étendue complète), pas de score sous le nombre minimal "
    "d'items au prorata ; une vague seule garde son score sur l'échelle complète."
)

_SCORE_MISSING_FR = (
    "Score d'échelle manquant quand le répondant a renseigné moins d'items que le minimum fixé "
    "pour l'échelle (règle du chargement) ; il est alors écarté de cette échelle (analyse sur cas "
    "disponibles)."
)

INDICATORS: list[Indicator] = [
    Indicator(
        id="practice.scale_mean",
        family="practice",
        title_fr="Score moyen par échelle de pratiques",
        title_en="Mean practice scale score",
        definition_fr=(
            "Moyenne des scores des répondants à chaque vague, avec son intervalle de confiance "
            "à 95 %, éventuellement par territoire, secteur, fonction ou niveau. " + _SCALES_FR
        ),
        definition_en=(
            "Mean of the respondents' scores in each wave, with its 95 % confidence interval, "
            "optionally by territory, sector, role or level. " + _SCALES_EN
        ),
        formula="mean ± t(n−1; 0.975) · sd / √n, sd = sample SD (n − 1)",
        formula_fr="moyenne ± t(n − 1 ; 0,975) · s / √n, s = écart-type de l'échantillon (dénominateur n − 1)",
        unit="score 1–5",
        sources=("survey_scores", "survey_respondents", "survey_scales", "waves"),
        missing_data=_SCORE_MISSING,
        missing_data_fr=_SCORE_MISSING_FR,
        caveats=(
            "Waves are compared as they are: the respondents may differ from one wave to the "
            "next (see practice.panel_change for the same people). Scales written for Maillage, "
            "not validated instruments: check their reliability (quality.cronbach_alpha)."
        ),
        caveats_fr=(
            "Les vagues sont comparées telles quelles : les répondants peuvent changer d'une vague "
            "à l'autre (voir practice.panel_change pour les mêmes personnes). Échelles conçues "
            "pour Maillage et non instruments validés : vérifier leur fiabilité "
            "(quality.cronbach_alpha)."
        ),
        function="indicators.practice.scale_summary",
    ),
    Indicator(
        id="practice.item_distribution",
        family="practice",
        title_fr="Répartition des réponses par item",
        title_en="Answers to each item",
        definition_fr=(
            "Pour chaque item d'une échelle et chaque vague, part des répondants ayant choisi "
            "chaque réponse (de « Pas du tout d'accord » à « Tout à fait d'accord »)."
        ),
        definition_en=(
            "For each item of a scale and each wave, share of the respondents who chose each "
            "answer (from 'Strongly disagree' to 'Strongly agree')."
        ),
        formula="share = count(answer) / n, n = respondents who answered the item in the wave",
        formula_fr="part = effectif(réponse) / n, n = répondants ayant répondu à l'item lors de la vague",
        unit="share (0–1)",
        sources=("responses", "survey_respondents", "survey_items", "response_labels", "wave_items"),
        missing_data=(
            "Respondents who skipped the item, or answered \"don't know\", are not in its n."
        ),
        missing_data_fr=(
            "Les répondants qui n'ont pas répondu à l'item, ou ont répondu « je ne sais pas », ne "
            "sont pas comptés dans son n."
        ),
        caveats=(
            "Reverse-keyed items are shown as answered (agreeing is unfavourable). An item's text "
            "is the newest codebook version's."
        ),
        caveats_fr=(
            "Les items inversés sont présentés tels que répondus (être d'accord y est "
            "défavorable). Le libellé d'un item est celui de la version la plus récente du "
            "dictionnaire."
        ),
        function="indicators.practice.item_distribution",
    ),
    Indicator(
        id="practice.panel_change",
        family="practice",
        title_fr="Évolution individuelle entre deux vagues (panel)",
        title_en="Within-person change between two waves (panel)",
        definition_fr=(
            "Pour les professionnels ayant répondu aux deux vagues (même code anonyme), écart "
            "moyen entre leur score à la seconde vague et leur score à la première, avec "
            "intervalle de confiance, test t apparié, test de Wilcoxon et taille d'effet d_z. "
            "Les p-valeurs sont corrigées par la méthode de Holm sur l'ensemble des échelles "
            "comparées. Les filtres (territoire, secteur, fonction, niveau) portent sur les "
            "réponses à la seconde vague."
        ),
        definition_en=(
            "For the professionals who answered both waves (same anonymous code), mean difference "
            "between their score in the second wave and in the first, with confidence interval, "
            "paired t test, Wilcoxon signed-rank test and effect size d_z. P-values are "
            "Holm-adjusted across the scales compared. Filters (territory, sector, role, level) "
            "apply to the second-wave answers."
        ),
        formula=(
            "diff = score_b − score_a; mean_diff ± t(n−1) · sd_diff/√n; t = mean_diff / "
            "(sd_diff/√n); d_z = mean_diff / sd_diff with its exact CI from the noncentral t "
            "(t = d_z·√n ~ t'(n − 1, δ·√n)); identical differences: zero variance, t and d_z "
            "undefined; Holm step-down over the scales." + _COMMON_ITEMS
        ),
        formula_fr=(
            "écart = score_b − score_a ; écart_moyen ± t(n − 1) · s_écart / √n ; t = écart_moyen / "
            "(s_écart / √n) ; d_z = écart_moyen / s_écart, son IC exact par la loi de Student non "
            "centrale (t = d_z·√n ~ t'(n − 1, δ·√n)) ; écarts tous identiques : variance nulle, t et d_z "
            "non définis ; correction de Holm (procédure séquentielle descendante) sur l'ensemble des "
            "échelles." + _COMMON_ITEMS_FR
        ),
        unit="score points (1–5 scale); d_z in SD units",
        sources=("survey_scores", "survey_respondents", "survey_scales"),
        missing_data="Pairwise: only respondents with a score in both waves. " + _SCORE_MISSING,
        missing_data_fr=(
            "Données appariées : seuls les répondants ayant un score aux deux vagues sont retenus. "
            + _SCORE_MISSING_FR
        ),
        caveats=(
            "Panel respondents may not represent all professionals (those who stay answer "
            "again). The Wilcoxon test discards zero differences."
        ),
        caveats_fr=(
            "Les répondants du panel ne représentent pas forcément l'ensemble des professionnels "
            "(ceux qui restent en poste répondent de nouveau). Le test de Wilcoxon écarte les "
            "écarts nuls."
        ),
        function="indicators.practice.panel_change",
    ),
    Indicator(
        id="practice.cross_sectional_change",
        family="practice",
        title_fr="Évolution entre deux vagues (ensemble des répondants, hors panel)",
        title_en="Change between two waves (all respondents, not a panel)",
        definition_fr=(
            "Différence entre les scores moyens de deux vagues en prenant tous les répondants "
            "de chaque vague, qu'ils aient répondu ou non aux deux : test de Welch et g de "
            "Hedges. Ce n'est pas une évolution individuelle : les répondants peuvent changer."
        ),
        definition_en=(
            "Difference between the mean scores of two waves using every respondent of each wave, "
            "whether or not they answered both: Welch test and Hedges' g. This is not "
            "within-person change: respondents may differ."
        ),
        formula=(
            "mean_b − mean_a; Welch t with Welch–Satterthwaite df; g = J · (mean_b − mean_a) / "
            "s_pooled, J = 1 − 3/(4(n_a + n_b) − 9)." + _COMMON_ITEMS
        ),
        formula_fr=(
            "moyenne_b − moyenne_a ; t de Welch, degrés de liberté de Welch–Satterthwaite ; "
            "g = J · (moyenne_b − moyenne_a) / s_p, s_p = écart-type commun, "
            "J = 1 − 3/(4(n_a + n_b) − 9)." + _COMMON_ITEMS_FR
        ),
        unit="score points; g in SD units",
        sources=("survey_scores", "survey_respondents", "survey_scales"),
        missing_data=_SCORE_MISSING,
        missing_data_fr=_SCORE_MISSING_FR,
        caveats=(
            "Panel respondents appear in both samples, which are then not independent; prefer "
            "practice.panel_change for them. Differences may reflect who answered."
        ),
        caveats_fr=(
            "Les répondants du panel figurent dans les deux échantillons, qui ne sont alors pas "
            "indépendants ; pour eux, préférer practice.panel_change. Un écart peut tenir à la "
            "composition des répondants plutôt qu'à une évolution."
        ),
        function="indicators.practice.cross_sectional_change",
    ),
    Indicator(
        id="practice.level_gap",
        family="practice",
        title_fr="Écart entre niveau stratégique et niveau opérationnel",
        title_en="Strategic–operational gap",
        definition_fr=(
            "À chaque vague, différence entre le score moyen des professionnels du niveau "
            "stratégique (direction, pilotage) et celui du niveau opérationnel (terrain), avec "
            "intervalle de confiance (test de Welch). Un écart positif : le niveau stratégique "
            "voit les choses plus favorablement que le terrain."
        ),
        definition_en=(
            "In each wave, difference between the mean score of strategic-level professionals "
            "(management, steering) and of operational-level ones (field work), with confidence "
            "interval (Welch test). A positive gap: the strategic level sees things more "
            "favourably than the field."
        ),
        formula="gap = mean_strategic − mean_operational; Welch t CI; Hedges' g",
        formula_fr="écart = moyenne_stratégique − moyenne_opérationnelle ; IC du t de Welch ; g de Hedges",
        unit="score points (1–5 scale)",
        sources=("survey_scores", "survey_respondents", "survey_scales"),
        missing_data="Respondents without a level are left out. " + _SCORE_MISSING,
        missing_data_fr="Les répondants dont le niveau n'est pas renseigné sont écartés. " + _SCORE_MISSING_FR,
        caveats="The level filter is ignored (both levels are needed).",
        caveats_fr="Le filtre de niveau est ignoré (les deux niveaux sont nécessaires).",
        function="indicators.practice.level_gap",
    ),
    Indicator(
        id="practice.reliable_change",
        family="practice",
        title_fr="Part des professionnels dont la pratique a changé de façon fiable",
        title_en="Share of professionals whose practice changed reliably",
        definition_fr=(
            "Parmi les répondants aux deux vagues, part de ceux dont le score s'est amélioré, "
            "a régressé ou est resté stable au-delà de l'erreur de mesure (indice de changement "
            "fiable de Jacobson et Truax, calculé avec l'écart-type et l'alpha de Cronbach de la "
            "première vague)."
        ),
        definition_en=(
            "Among respondents to both waves, share whose score improved, deteriorated or stayed "
            "the same beyond measurement error (Jacobson–Truax reliable change index, using the "
            "first wave's SD and Cronbach's alpha)."
        ),
        formula=(
            "RCI = (score_b − score_a) / (√2 · sd_a · √(1 − α_a)); improved if RCI > 1.96 in the "
            "better direction, deteriorated if beyond −1.96 (α_a on the items compared)." + _COMMON_ITEMS
        ),
        formula_fr=(
            "RCI = (score_b − score_a) / (√2 · s_a · √(1 − α_a)), orienté dans le sens favorable ; "
            "amélioration si RCI > 1,96, dégradation si RCI < −1,96 (s_a et α_a : écart-type et "
            "alpha de Cronbach de la première vague, sur les items comparés)." + _COMMON_ITEMS_FR
        ),
        unit="share (0–1)",
        sources=("survey_scores", "responses", "survey_respondents", "survey_items", "survey_scales", "wave_items"),
        missing_data=(
            "Pairwise for the change; alpha on complete cases (listwise). " + _SCORE_MISSING
        ),
        missing_data_fr=(
            "Données appariées pour l'évolution ; alpha calculé sur les cas complets (répondants "
            "ayant renseigné tous les items). " + _SCORE_MISSING_FR
        ),
        caveats=(
            "With a 1–5 scale of 4–5 items, the smallest reliable change is often more than one "
            "point: few respondents cross it. See reliable_change_points."
        ),
        caveats_fr=(
            "Sur une échelle de 1 à 5 à 4 ou 5 items, le plus petit changement fiable dépasse "
            "souvent un point : peu de répondants le franchissent. Voir la colonne "
            "reliable_change_points."
        ),
        function="indicators.practice.reliable_change",
    ),
]
