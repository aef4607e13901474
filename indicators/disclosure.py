"""The one disclosure policy: no statistic of fewer than ``min_group_size`` respondents can be read
or inferred from anything Maillage shows or exports, whatever sequence of selections is made.

Threat model (docs/privacy.md): a signed-in user makes any sequence of filter choices (waves,
territories, sectors, roles, levels, several values at once), breakdowns and exports (dashboard
downloads, committee packs, `maillage export`), and subtracts or combines the figures. Figures are
exact; what protects respondents is *which sets of respondents a figure can be about*.

**Publication classes.** In each wave, every respondent is given published attributes: their
territory, sector, role and level, or ``GROUPED`` for an attribute that would single them out.
They are chosen so that the respondents sharing the same published attributes (a *class*) are
never fewer than ``min_group_size`` (k-anonymity by local suppression, as sdcMicro's
``localSuppression``, computed by :func:`generalise`). A filter keeps a class when every filtered
attribute of the class is one of the chosen values (``GROUPED`` never is); a breakdown groups by the
published attribute and leaves out the ``GROUPED`` group. So every figure computed with a filter or
a breakdown is about a *union of classes*, and so is the difference of any two of them, or any
linear combination: differencing can isolate a class (k respondents or more), never a person.
Figures without any filter or breakdown use every respondent (they are about the whole wave).

**Sub-populations.** A figure is often about part of a class: respondents with a score on a scale,
who answered an item, who answered two waves. Within each such population (and its partition:
wave × scale, wave × item, institution…) a class with fewer than k members there is left out of
every filtered or broken-down figure; when the left-out members are fewer than k in a partition,
the smallest other classes are left out with them (so that they cannot be recovered as "everything
minus every filtered figure"). Panel figures (the same people in two waves) follow a stricter rule
(:func:`selected_pairs`): the people who joined or left a class between the two waves must be none
or at least k, else the class's pairs are left out, since "wave mean − panel mean" would reveal them.

**Cells.** Every output row with n < min_group_size is blanked (:func:`suppress`), with
complementary suppression inside a breakdown so that hidden cells never total fewer than k and are
never alone. Order statistics are averages of at least k scores (:func:`smoothed_quantile_sql`).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from indicators.filters import Filters
from indicators.instruments import SURVEY_INSTRUMENTS_SQL
from warehouse.settings import setting

GROUPED = "*"  # a published attribute that is not shown at this level of detail
DIMENSIONS: tuple[str, ...] = ("territory", "sector_id", "role", "level")
CLASSES_VIEW = "_maillage_classes"
SURVEY = "survey"  # the population of the survey instruments' respondents (publication classes)
_NULL = "\x00"  # internal stand-in for a missing attribute (its own value, never GROUPED)


# --------------------------------------------------------------------------- settings


def generalise_order() -> tuple[str, ...]:
    """Which attribute gives way first when a class is too small (setting ``disclosure_order``)."""
    raw = str(setting("disclosure_order"))
    order = tuple(x.strip() for x in raw.split(",") if x.strip())
    if sorted(order) != sorted(DIMENSIONS):
        raise ValueError(
            f"MAILLAGE_DISCLOSURE_ORDER must list {', '.join(DIMENSIONS)} once each, got {raw!r}"
        )
    return order


def active_dimensions(filters: Filters, by: Sequence[str] = ()) -> tuple[str, ...]:
    """The attributes a figure depends on: those filtered, and those broken down by."""
    chosen = {
        "territory": filters.territories, "sector_id": filters.sectors, "role": filters.roles,
        "level": filters.levels,
    }
    return tuple(d for d in DIMENSIONS if chosen[d] is not None or d in by)


# --------------------------------------------------------------------------- generalisation


@dataclass(frozen=True)
class Hierarchy:
    """The successive values a quasi-identifier can be published as, finest first: the columns of
    the counts frame, then GROUPED (e.g. institution → sector → GROUPED)."""

    dimension: str
    columns: tuple[str, ...]


def generalise(
    counts: pd.DataFrame,
    partition: Sequence[str],
    hierarchies: Sequence[Hierarchy],
    k: int,
) -> pd.DataFrame:
    """Published values for every combination of quasi-identifiers, so that within each partition
    every class (the rows published alike) has at least ``k`` people.

    ``counts``: one row per partition × combination of the hierarchies' finest columns (and their
    coarser columns), with ``n`` people. Returns ``counts`` with one column ``g_<dimension>`` per
    hierarchy (the published value: a value of one of its columns, or GROUPED), ``level_<dimension>``
    (which of its columns it comes from, len(columns) for GROUPED) and ``publishable`` (False when
    the whole partition has fewer than k people: nothing of it can be shown).

    Method (greedy local recoding, deterministic): in rounds, each class smaller than k moves one
    step up the hierarchy of the first dimension, in the hierarchies' order, that can still move
    (so the last dimensions are kept the most: with the default order a territory is almost always
    published). When no class can move further, what is still small is published as GROUPED
    everywhere (the partition's *remainder*); a remainder of fewer than k is completed with the
    smallest classes, whole.
    """
    out = counts.reset_index(drop=True).copy()
    dims = [h.dimension for h in hierarchies]
    part = list(partition)
    level = {d: np.zeros(len(out), dtype=np.int64) for d in dims}
    cols = {h.dimension: [_as_keys(out[c]) for c in h.columns] for h in hierarchies}
    depth = {h.dimension: len(h.columns) for h in hierarchies}
    n = out["n"].to_numpy(dtype=np.int64)
    part_keys = [_as_keys(out[c]) for c in part]

    def published(d: str, lv: np.ndarray | None = None) -> np.ndarray:
        lv = level[d] if lv is None else lv
        values = np.full(len(out), GROUPED, dtype=object)
        for i, column in enumerate(cols[d]):
            values = np.where(lv == i, column, values)
        return values

    def class_sizes(frame_cols: list[np.ndarray], weights: np.ndarray) -> np.ndarray:
        keys = pd.DataFrame({str(i): c for i, c in enumerate(frame_cols)})
        return keys.assign(_w=weights).groupby(list(keys.columns), sort=False)["_w"].transform("sum").to_numpy()

    for _ in range(sum(depth.values())):
        current = {d: published(d) for d in dims}
        size = class_sizes([*part_keys, *current.values()], n)
        small = size < k
        if not small.any():
            break
        movable = np.zeros(len(out), dtype=bool)
        pots = np.full((len(out), len(dims)), -1, dtype=np.int64)
        for j, d in enumerate(dims):
            can = small & (level[d] < depth[d])
            movable |= can
            up = published(d, np.where(can, level[d] + 1, level[d]))
            target = [*part_keys, *[up if e == d else current[e] for e in dims]]
            # people there after the move: small classes moving along d, plus whoever already
            # publishes exactly that combination
            arrive = class_sizes(target, np.where(can, n, 0))
            here = pd.DataFrame({str(i): c for i, c in enumerate([*part_keys, *current.values()])})
            there = pd.DataFrame({str(i): c for i, c in enumerate(target)})
            existing = here.assign(_w=np.where(small, 0, n)).groupby(list(here.columns), sort=False)["_w"].sum()
            already = there.merge(existing.reset_index(), how="left", on=list(here.columns))["_w"].fillna(0)
            pots[:, j] = np.where(can, arrive + already.to_numpy(dtype=np.int64), -1)
        if not movable.any():
            break
        choice = (pots >= 0).argmax(axis=1)  # the first dimension (in order) that can still move
        for j, d in enumerate(dims):
            move = movable & (choice == j) & (pots[:, j] >= 0)
            level[d] = np.where(move, level[d] + 1, level[d])
    current = {d: published(d) for d in dims}
    size = class_sizes([*part_keys, *current.values()], n)
    remainder = size < k
    for d in dims:
        current[d] = np.where(remainder, GROUPED, current[d])
    current = _complete_remainders(out, part, current, n, k)
    for d in dims:
        out[f"g_{d}"] = pd.Series(current[d], dtype=object).where(current[d] != _NULL, None).to_numpy()
        out[f"level_{d}"] = np.where(current[d] == GROUPED, depth[d], level[d])
    totals = out.groupby(part, sort=False, dropna=False)["n"].transform("sum") if part else out["n"].sum()
    out["publishable"] = np.asarray(totals >= k)
    return out


def _as_keys(values: pd.Series) -> np.ndarray:
    return values.astype(object).where(values.notna(), _NULL).astype(str).to_numpy(dtype=object)


def _complete_remainders(
    frame: pd.DataFrame, part: list[str], current: dict[str, np.ndarray], n: np.ndarray, k: int
) -> dict[str, np.ndarray]:
    """Make each partition's all-GROUPED remainder none or at least k people."""
    dims = list(current)
    table = pd.DataFrame({d: current[d] for d in dims})
    for c in part:
        table[f"_p_{c}"] = _as_keys(frame[c])
    table["_n"] = n
    table["_all"] = np.logical_and.reduce([current[d] == GROUPED for d in dims])
    pcols = [f"_p_{c}" for c in part]
    groups = table.groupby(pcols, sort=False) if pcols else [((), table)]
    for _, rows in groups:
        left = int(rows.loc[rows["_all"], "_n"].sum())
        if left == 0 or left >= k:
            continue
        others = rows.loc[~rows["_all"]]
        sizes = others.groupby(dims, sort=False)["_n"].sum().reset_index().sort_values(["_n", *dims], kind="stable")
        for values, size in zip(sizes[dims].itertuples(index=False, name=None), sizes["_n"], strict=True):
            if left >= k:
                break
            same = np.logical_and.reduce([others[d].to_numpy() == v for d, v in zip(dims, values, strict=True)])
            for d in dims:
                current[d][others.index[same]] = GROUPED
            left += int(size)
    return current


# --------------------------------------------------------------------------- publication classes

def warehouse_key(conn: duckdb.DuckDBPyConnection) -> tuple[object, ...]:
    """Identifies the published state of the warehouse a cursor reads (path + version)."""
    rows = conn.execute(
        "SELECT (SELECT path FROM duckdb_databases() WHERE database_name = current_database()), "
        "(SELECT value FROM meta WHERE key = 'warehouse_version'), "
        "(SELECT value FROM meta WHERE key = 'created_at')"
    ).fetchall()
    return tuple(rows[0]) if rows else ()


class StateCache:
    """Tables that depend only on the published state of the warehouse a cursor reads (its
    :func:`warehouse_key` and the caller's parts): computed once, shared by every cursor and
    thread, all forgotten when ``size`` entries are reached. ``without_file``: also keep those of
    an in-memory warehouse (no path: its key is not unique to it)."""

    def __init__(self, size: int, without_file: bool = True) -> None:
        self._store: dict[tuple[object, ...], pd.DataFrame] = {}
        self._lock = threading.Lock()
        self._size = size
        self._without_file = without_file

    def key(self, conn: duckdb.DuckDBPyConnection, parts: tuple[object, ...]) -> tuple[object, ...]:
        return (*warehouse_key(conn), *parts)

    def get(self, key: tuple[object, ...], make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        with self._lock:
            found = self._store.get(key)
        if found is not None:
            return found
        value = make()
        if self._without_file or (key and key[0] is not None):
            with self._lock:
                if len(self._store) >= self._size:
                    self._store.clear()
                self._store[key] = value
        return value


_CLASSES = StateCache(16)
_KEPT = StateCache(512)


def publication_classes(conn: duckdb.DuckDBPyConnection, k: int) -> pd.DataFrame:
    """Published attributes of every combination of attributes of each population × wave.

    Populations: ``survey`` (the respondents of every survey instrument, ``survey_respondents``:
    the people of the practitioner indicators) and each other instrument on its own (by name).
    Columns: population, wave_id, territory, sector_id, role, level (the respondents' own,
    missing values included), n, g_territory, g_sector_id, g_role, g_level, publishable.
    Computed once per published warehouse state and k."""
    return _CLASSES.get(_CLASSES.key(conn, (k, generalise_order())), lambda: _publication_classes(conn, k))


def _publication_classes(conn: duckdb.DuckDBPyConnection, k: int) -> pd.DataFrame:
    counts = conn.execute(
        "SELECT population, wave_id, territory, sector_id, role, level, count(*) AS n FROM ("
        "SELECT CAST(? AS VARCHAR) AS population, * FROM survey_respondents UNION ALL BY NAME "
        f"SELECT instrument AS population, * FROM respondents WHERE instrument NOT IN {SURVEY_INSTRUMENTS_SQL}"
        ") GROUP BY ALL ORDER BY ALL",
        [SURVEY],
    ).df()
    order = generalise_order()
    return generalise(counts, ["population", "wave_id"], [Hierarchy(d, (d,)) for d in order], k)


def register_classes(conn: duckdb.DuckDBPyConnection, k: int) -> str:
    """Make the survey population's :func:`publication_classes` readable by this cursor's SQL as
    ``CLASSES_VIEW``."""
    classes = publication_classes(conn, k)
    conn.register(CLASSES_VIEW, classes.loc[classes["population"] == SURVEY])
    return CLASSES_VIEW


def _classes_join(r: str) -> str:
    """JOIN of relation ``r`` (wave_id and the true attributes of survey respondents) with
    its publication class."""
    on = " AND ".join(f"m.{d} IS NOT DISTINCT FROM {r}.{d}" for d in DIMENSIONS)
    return f"JOIN {CLASSES_VIEW} m ON m.wave_id = {r}.wave_id AND {on}"


def _filter_sql(filters: Filters, alias: str, prefix: str = "") -> tuple[str, list[object]]:
    """Conditions of the metadata filters on columns ``alias.<prefix><attribute>``."""
    chosen = (
        ("territory", filters.territories), ("sector_id", filters.sectors), ("role", filters.roles),
        ("level", filters.levels),
    )
    clauses: list[str] = []
    params: list[object] = []
    for column, values in chosen:
        if values is not None:
            clauses.append(f"list_contains(?, {alias}.{prefix}{column})")
            params.append(list(values))
    return " AND ".join(clauses) or "true", params


def _published(rows_sql: str) -> str:
    """SELECT of ``rows_sql`` (rows with the true attributes) with the published attributes of
    its class instead (the classes registered by :func:`register_classes`)."""
    g = ", ".join(f"m.g_{d} AS {d}" for d in DIMENSIONS)
    return f"SELECT x.* EXCLUDE (territory, sector_id, role, level), {g} FROM ({rows_sql}) x {_classes_join('x')}"


def selected_rows(
    conn: duckdb.DuckDBPyConnection,
    rows_sql: str,
    params: Sequence[object],
    filters: Filters,
    partition: Sequence[str],
    by: Sequence[str] = (),
    class_dimensions: Sequence[str] = DIMENSIONS,
    unit_minimum: bool = False,
) -> tuple[str, list[object]]:
    """SQL (and parameters) of the rows of ``rows_sql`` a figure may use under ``filters``, each
    with its respondent's published attributes (columns territory, sector_id, role, level).

    ``rows_sql`` selects the population of one statistic — unfiltered by territory, sector, role and
    level — with at least the columns wave_id and respondent_id (``survey_respondents``)
    and the ``partition`` columns (e.g. wave_id, scale_id: where classes are counted). ``by``: the
    attributes the figure is broken down by. Without filter or breakdown, every row (true
    attributes). Otherwise the module's rules: classes thinner than k in their partition left out,
    the GROUPED group of a breakdown left out, filters on published attributes.
    ``class_dimensions``: the attributes that make a class within the partition (e.g. role and
    level within an institution). ``unit_minimum``: a partition with fewer than k rows in total is
    left out even without filter (when each partition is published on its own: an institution's
    reported ties)."""
    k = int(filters.min_group_size)
    active = active_dimensions(filters, by)
    base = f"""
        SELECT x.*, r.territory, r.sector_id, r.role, r.level
        FROM ({rows_sql}) x
        JOIN survey_respondents r ON r.wave_id = x.wave_id AND r.respondent_id = x.respondent_id
    """
    base_params = list(params)
    if not active and not unit_minimum:
        return rows_sql, list(params)  # the whole population: attributes are not used
    if k <= 1:  # min_group_size = 1 turns disclosure control off: true attributes
        where, where_params = _filter_sql(filters, "b")
        return f"SELECT * FROM ({base}) b WHERE {where}", [*base_params, *where_params]
    if not active:
        sql = f"""
            SELECT * EXCLUDE (_total) FROM (
                SELECT b.*, count(*) OVER (PARTITION BY {", ".join(f"b.{c}" for c in partition)}) AS _total
                FROM ({base}) b
            ) WHERE _total >= ?
        """
        return sql, [*base_params, k]
    register_classes(conn, k)
    dims = list(class_dimensions)
    kept = _register_kept_classes(conn, base, base_params, partition, dims, k, unit_minimum)
    on = " AND ".join([*[f"f.{c} = p.{c}" for c in partition], *[f"f.{d} IS NOT DISTINCT FROM p.{d}" for d in dims]])
    where, where_params = _filter_sql(filters, "p")
    # A published attribute is the true one or GROUPED (never chosen), so the rows a filter keeps
    # are among those whose true attributes it would keep: reading only those is the same
    # selection, at the cost of the selection instead of the whole population.
    true_where, true_params = _filter_sql(filters, "b")
    grouped_out = " AND ".join(f"p.{d} IS DISTINCT FROM '{GROUPED}'" for d in by if d in DIMENSIONS) or "true"
    sql = f"""
        WITH _p AS ({_published(f"SELECT * FROM ({base}) b WHERE {true_where}")})
        SELECT p.* FROM _p p JOIN {kept} f ON {on}
        WHERE {where} AND {grouped_out}
    """
    return sql, [*base_params, *true_params, *where_params]




def _register_kept_classes(
    conn: duckdb.DuckDBPyConnection,
    base: str,
    base_params: Sequence[object],
    partition: Sequence[str],
    dims: Sequence[str],
    k: int,
    unit_minimum: bool,
) -> str:
    """Name of a relation (registered on this cursor) of the classes of one population that
    filtered figures may use: partition columns and published ``dims``. Which classes are left
    out (thin ones, and the smallest others with them) depends on the whole population, not on the
    selection: computed once per published warehouse state, so that later selections read only
    their own rows."""
    key = _KEPT.key(conn, (base, repr(list(base_params)), tuple(partition), tuple(dims), k, unit_minimum,
                           generalise_order()))
    name = "_maillage_kept_" + hashlib.sha256(repr(key).encode()).hexdigest()[:16]
    found = _KEPT.get(key, lambda: _kept_classes(conn, base, base_params, partition, dims, k, unit_minimum))
    conn.register(name, found)
    return name


def _kept_classes(
    conn: duckdb.DuckDBPyConnection,
    base: str,
    base_params: Sequence[object],
    partition: Sequence[str],
    dims: Sequence[str],
    k: int,
    unit_minimum: bool,
) -> pd.DataFrame:
    """Within each partition: classes of at least k rows, unless the thin classes left out total
    fewer than k, in which case the smallest other classes are left out with them (so that the
    left-out rows are never fewer than k); with ``unit_minimum``, partitions of fewer than k rows."""
    cls_cols = ", ".join([*partition, *dims])
    order = ", ".join(f"{d} NULLS FIRST" for d in dims)
    part_list = ", ".join(partition)
    unit = "AND _total >= ?" if unit_minimum else ""
    sql = f"""
        WITH _p AS ({_published(base)}),
        _c AS (SELECT {cls_cols}, count(*) AS _n FROM _p GROUP BY ALL),
        _f AS (
            SELECT *,
                   sum(CASE WHEN _n < ? THEN _n ELSE 0 END) OVER (PARTITION BY {part_list}) AS _thin,
                   sum(_n) OVER (PARTITION BY {part_list}) AS _total,
                   coalesce(sum(CASE WHEN _n >= ? THEN _n ELSE 0 END) OVER (
                       PARTITION BY {part_list} ORDER BY _n >= ?, _n, {order}
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS _before
            FROM _c
        )
        SELECT {cls_cols} FROM _f
        WHERE _n >= ? AND NOT (_thin > 0 AND _thin + _before < ?) {unit}
    """
    params: list[object] = [*base_params, k, k, k, k, k]
    if unit_minimum:
        params.append(k)
    return conn.execute(sql, params).df()


def selected_pairs(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    wave_a: str,
    wave_b: str,
    scales: Sequence[str],
    scores: tuple[str | None, list[object]] = (None, []),
) -> tuple[str, list[object]]:
    """SQL of the panel pairs a figure may use: scale_id, respondent_id, score_a, score_b of the
    respondents with a score on the scale in both waves, selected on their wave-b attributes.
    ``scores``: SQL (and parameters) of the scale scores to pair (columns of survey_scores; e.g.
    scores on the items both waves asked), by default the table itself.

    A pair is used by a filtered figure only when its respondent is published alike in both waves
    (same class), its class has at least k pairs, and the class's other members in each wave (who
    joined, or left, or changed class) are none or at least k — else "wave mean − panel mean"
    would reveal them; left-out pairs fewer than k are completed with the smallest classes, whole.
    Without a filter every pair is used, unless fewer than k people (but some) joined or left
    between the two waves on that scale: then no pair is (the panel comparison is not shown)."""
    k = int(filters.min_group_size)
    source, source_params = scores
    table = f"({source})" if source else "survey_scores"
    scored = f"""
        SELECT s.respondent_id, s.scale_id, s.score, r.territory, r.sector_id, r.role, r.level, r.wave_id
        FROM {table} s
        JOIN survey_respondents r ON r.wave_id = s.wave_id AND r.respondent_id = s.respondent_id
        WHERE s.wave_id = ? AND list_contains(?, s.scale_id) AND s.score IS NOT NULL
    """
    wave_params = lambda w: [*source_params, w, list(scales)]  # noqa: E731
    if k <= 1 and active_dimensions(filters):  # disclosure control off: wave-b attributes as they are
        where, where_params = _filter_sql(filters, "b")
        sql = f"""
            WITH qa AS ({scored}), qb AS ({scored})
            SELECT b.respondent_id, b.scale_id, a.score AS score_a, b.score AS score_b
            FROM qb b JOIN qa a USING (respondent_id, scale_id) WHERE {where}
        """
        return sql, [*wave_params(wave_a), *wave_params(wave_b), *where_params]
    if not active_dimensions(filters):
        sql = f"""
            WITH qa AS ({scored}), qb AS ({scored}),
            pr AS (SELECT b.respondent_id, b.scale_id, a.score AS score_a, b.score AS score_b
                   FROM qb b JOIN qa a USING (respondent_id, scale_id)),
            moves AS (
                SELECT p.scale_id, count(*) AS n_pairs,
                       (SELECT count(*) FROM qa WHERE qa.scale_id = p.scale_id) - count(*) AS left_,
                       (SELECT count(*) FROM qb WHERE qb.scale_id = p.scale_id) - count(*) AS joined
                FROM pr p GROUP BY p.scale_id
            )
            SELECT pr.* FROM pr JOIN moves USING (scale_id)
            WHERE (moves.left_ = 0 OR moves.left_ >= ?) AND (moves.joined = 0 OR moves.joined >= ?)
        """
        return sql, [*wave_params(wave_a), *wave_params(wave_b), k, k]
    register_classes(conn, k)
    kept = _register_kept_pairs(conn, scored, wave_params(wave_a), wave_params(wave_b), k)
    on = " AND ".join(["f.scale_id = p.scale_id", *[f"f.g_{d} IS NOT DISTINCT FROM p.g_{d}" for d in DIMENSIONS]])
    where, where_params = _filter_sql(filters, "p", prefix="g_")
    # A pair is used only when its respondent is published alike in both waves, as one of the
    # chosen values (never GROUPED): then the true attributes of both waves are the chosen ones,
    # so reading only the rows whose true attributes the filters keep is the same selection.
    true_where, true_params = _filter_sql(filters, "q")
    sql = f"""
        WITH {_pairs_ctes(scored, true_where)}
        SELECT p.respondent_id, p.scale_id, p.score_a, p.score_b
        FROM pr p JOIN {kept} f ON {on}
        WHERE p.same_class AND {where}
    """
    params = [*wave_params(wave_a), *true_params, *wave_params(wave_b), *true_params, *where_params]
    return sql, params


def _pairs_ctes(scored: str, where: str) -> str:
    """CTEs qa, qb (the scores of ``scored`` in wave a and b, with their published attributes g_*,
    rows kept by ``where`` on the true ones) and pr (the pairs: scale_id, respondent_id, score_a,
    score_b, wave b's published attributes, same_class when published alike in both waves)."""
    g = ", ".join(f"m.g_{d}" for d in DIMENSIONS)
    same = " AND ".join(f"a.g_{d} IS NOT DISTINCT FROM b.g_{d}" for d in DIMENSIONS)
    return f"""
        qa AS (SELECT q.*, {g} FROM ({scored}) q {_classes_join("q")} WHERE {where}),
        qb AS (SELECT q.*, {g} FROM ({scored}) q {_classes_join("q")} WHERE {where}),
        pr AS (
            SELECT b.respondent_id, b.scale_id, a.score AS score_a, b.score AS score_b,
                   b.g_territory, b.g_sector_id, b.g_role, b.g_level, ({same}) AS same_class
            FROM qb b JOIN qa a USING (respondent_id, scale_id)
        )"""


_KEPT_PAIRS = StateCache(256, without_file=False)  # an in-memory warehouse's key is not unique to it


def _register_kept_pairs(
    conn: duckdb.DuckDBPyConnection, scored: str, params_a: list[object], params_b: list[object], k: int
) -> str:
    """Name of a relation (registered on this cursor) of the pair classes (scale_id and published
    attributes) that filtered panel figures may use. Which classes are left out depends on the
    whole population of the two waves, not on the selection: computed once per published
    warehouse state, so that later selections read only their own rows."""
    key = _KEPT_PAIRS.key(conn, (scored, repr(params_a), repr(params_b), k, generalise_order()))
    name = "_maillage_pairs_" + hashlib.sha256(repr(key).encode()).hexdigest()[:16]
    found = _KEPT_PAIRS.get(key, lambda: _kept_pairs(conn, scored, params_a, params_b, k))
    conn.register(name, found)
    return name


def _kept_pairs(
    conn: duckdb.DuckDBPyConnection, scored: str, params_a: list[object], params_b: list[object], k: int
) -> pd.DataFrame:
    """Pair classes of at least k pairs whose other members in each wave are none or at least k;
    when the pairs left out (of all classes, and those who changed class) are fewer than k, the
    smallest other classes are left out with them, whole."""
    dims = ", ".join(f"g_{d}" for d in DIMENSIONS)
    on = lambda x, y: " AND ".join(  # noqa: E731
        [f"{x}.scale_id = {y}.scale_id", *[f"{x}.g_{d} IS NOT DISTINCT FROM {y}.g_{d}" for d in DIMENSIONS]]
    )
    order = ", ".join(f"g_{d} NULLS FIRST" for d in DIMENSIONS)
    sql = f"""
        WITH {_pairs_ctes(scored, "true")},
        np AS (SELECT scale_id, {dims}, count(*) AS n FROM pr WHERE same_class GROUP BY ALL),
        na AS (SELECT scale_id, {dims}, count(*) AS n FROM qa GROUP BY ALL),
        nb AS (SELECT scale_id, {dims}, count(*) AS n FROM qb GROUP BY ALL),
        ok AS (
            SELECT np.*,
                   np.n >= ? AND (coalesce(na.n, 0) - np.n = 0 OR coalesce(na.n, 0) - np.n >= ?)
                             AND (coalesce(nb.n, 0) - np.n = 0 OR coalesce(nb.n, 0) - np.n >= ?) AS ok
            FROM np LEFT JOIN na ON {on("na", "np")} LEFT JOIN nb ON {on("nb", "np")}
        ),
        out_n AS (
            SELECT scale_id, count(*) FILTER (WHERE NOT same_class) AS n FROM pr GROUP BY scale_id
        ),
        flags AS (
            SELECT ok.*,
                   coalesce(o.n, 0) + sum(CASE WHEN ok.ok THEN 0 ELSE ok.n END) OVER (PARTITION BY ok.scale_id)
                       AS _out,
                   coalesce(sum(CASE WHEN ok.ok THEN ok.n ELSE 0 END) OVER (
                       PARTITION BY ok.scale_id ORDER BY ok.ok, ok.n, {order}
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS _before
            FROM ok LEFT JOIN out_n o USING (scale_id)
        )
        SELECT scale_id, {dims} FROM flags WHERE ok AND NOT (_out > 0 AND _out + _before < ?)
    """
    return conn.execute(sql, [*params_a, *params_b, k, k, k, k]).df()


# --------------------------------------------------------------------------- cells


def suppress(
    df: pd.DataFrame,
    min_size: int,
    n_col: str = "n",
    value_cols: Sequence[str] | None = None,
    within: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Hide every row with fewer than ``min_size`` respondents.

    Sets ``suppressed`` = True and blanks the value columns (every numeric column but the keys and
    ``n`` when ``value_cols`` is None; ``n`` itself is blanked too). With ``within`` (the columns
    that identify one breakdown, e.g. ["wave_id"] for a by-sector table per wave), the rows of a
    breakdown whose total is published elsewhere are protected together: as long as the hidden
    rows are a single one, or hold fewer than ``min_size`` respondents together, the smallest
    shown row is hidden too (complementary suppression: the hidden rows cannot be recovered as
    the total minus the shown ones, whatever their number).
    """
    out = df.copy()
    if out.empty:
        out["suppressed"] = pd.Series(dtype=bool)
        return out
    n = pd.to_numeric(out[n_col], errors="coerce").fillna(0)
    hidden = n < min_size
    if within is not None:
        hidden = _complementary(out.assign(_n=n, _hidden=hidden), list(within), min_size)
    out["suppressed"] = hidden.to_numpy()
    keys_kept = {*(within or []), "suppressed", "wave_order", "sort_order"}
    cols = list(value_cols) if value_cols is not None else [
        c for c in out.columns if c not in keys_kept and out[c].dtype.kind in "fiub"
    ]
    for c in [*cols, n_col]:
        if c in out.columns:
            if out[c].dtype.kind in "iub":
                out[c] = out[c].astype("float64")
            out.loc[out["suppressed"], c] = np.nan
    return out


def _complementary(df: pd.DataFrame, within: list[str], min_size: int) -> pd.Series:
    hidden = df["_hidden"].copy()
    keys: str | list[str] = within[0] if len(within) == 1 else within
    groups = df.groupby(keys, dropna=False, sort=False).groups if within else {None: df.index}
    for idx in groups.values():
        part = df.loc[idx]
        hide = part["_hidden"].copy()
        if not hide.any():
            continue
        shown = part.loc[~hide].sort_values("_n", kind="stable")
        for row in shown.index:
            total = float(part.loc[hide, "_n"].sum())
            if int(hide.sum()) >= 2 and total >= min_size:
                break
            hide.loc[row] = True
        hidden.loc[idx] = hide
    return hidden


def smoothed_quantiles_sql(
    value: str, quantiles: dict[str, float], k: int, keys: Sequence[str], source: str
) -> str:
    """SQL of quantiles of ``value`` per ``keys`` in relation ``source`` (one column per name of
    ``quantiles``), each the mean of the k consecutive sorted values starting (k − 1) // 2 before the
    quantile's position ⌊q·(m − 1) + ½⌋ (m values), kept inside the data: never one person's score.
    Groups of fewer than k values get NULL."""
    keys_sql = ", ".join(keys)
    half = (k - 1) // 2

    def window(q: float) -> str:
        start = f"greatest(least(floor({float(q)} * (_m - 1) + 0.5) - {half}, _m - {k}), 0)"
        return f"_i >= {start} AND _i < {start} + {k} AND _m >= {k}"

    columns = ", ".join(f"avg({value}) FILTER (WHERE {window(q)}) AS {name}" for name, q in quantiles.items())
    return f"""
        SELECT {keys_sql}, {columns} FROM (
            SELECT {keys_sql}, {value},
                   row_number() OVER (PARTITION BY {keys_sql} ORDER BY {value}) - 1 AS _i,
                   count(*) OVER (PARTITION BY {keys_sql}) AS _m
            FROM {source}
        ) GROUP BY {keys_sql}
    """
