"""Data quality indicators: response rates, panel retention, missing items, reliability, and
what the ETL quarantined.

Conventions are those of :mod:`indicators.practice` (tidy frames with ``n`` and
``suppressed``, NaN when undefined, parameterised SQL). The load and quarantine tables describe
files, not respondents' answers: they are not suppressed (``suppressed`` is always False) and
their ``n`` counts rows or cells.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import duckdb
import numpy as np
import pandas as pd

from indicators.catalogue import Indicator
from indicators.filters import Filters
from indicators.practice import (
    all_scale_ids,
    alpha_statistics,
    ci_level,
    finish,
    query_frame,
    scale_metadata,
    selected,
    sort_rows,
    wave_orders,
)
from indicators.stats import alpha_from_variances, proportion_ci

NOTE_NO_TARGET = "no_target"
NOTE_ABOVE_TARGET = "above_target"
NOTES: dict[str, tuple[str, str]] = {
    NOTE_NO_TARGET: (
        "pas d'effectif cible pour ce groupe : taux non calculable",
        "no target population for this group: no rate",
    ),
    NOTE_ABOVE_TARGET: (
        "plus de répondants que l'effectif cible : vérifier l'effectif",
        "more respondents than the target population: check the target",
    ),
}

RESPONSE_RATE_COLUMNS = [
    "wave_id", "wave_order", "sector_id", "sector_label_fr", "sector_label_en", "territory",
    "respondents", "target_n", "rate", "ci_low", "ci_high", "note", "n", "suppressed",
]
RETENTION_COLUMNS = [
    "wave_a", "wave_b", "wave_order_a", "wave_order_b", "n", "n_a", "n_retained", "retention",
    "ci_low", "ci_high", "n_b", "n_newcomers", "n_returning", "suppressed",
]
MISSING_COLUMNS = [
    "wave_id", "wave_order", "scale_id", "label_fr", "label_en", "items_asked", "n",
    "answers_expected", "answers_missing", "missing_share", "n_no_score", "no_score_share",
    "suppressed",
]
RELIABILITY_COLUMNS = [
    "wave_id", "wave_order", "scale_id", "label_fr", "label_en", "k", "n", "alpha", "ci_low",
    "ci_high", "suppressed",
]
QUARANTINE_SUMMARY_COLUMNS = [
    "load_id", "file_name", "instrument", "wave_id", "problem", "scope", "n", "suppressed",
]
QUARANTINE_ROW_COLUMNS = [
    "load_id", "file_name", "instrument", "wave_id", "source_row", "column_name", "problem",
    "scope", "message",
]


def response_rates(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Response rate of the practitioner survey per wave × sector (× territory when the
    targets are given per territory), against ``population_targets``.

    Method: each target row (wave, sector or all sectors when NULL, territory or all
    territories when NULL) is matched with the respondents of that wave in that sector and
    territory; rate = respondents / target_n with a Wilson CI. Respondents that no target
    covers are reported per wave × sector (× territory when that wave's targets have
    territories) with target_n and rate NaN and ``note`` = "no_target"; a rate above 1 has
    ``note`` = "above_target" (CI NaN). Labels of the notes: :data:`NOTES`.
    Filters: wave, sector and territory apply to respondents and targets alike (a target row
    for all sectors, or all territories, cannot be split and is left out when that filter is
    set); role and level are ignored (targets are not broken down by them).
    Missing data: respondents without a sector or territory only count toward targets that
    do not need them.
    Suppression: respondents < min_group_size blanks respondents, rate and CI (target_n stays),
    with complementary suppression within each wave.

    Columns: wave_id, wave_order, sector_id, sector_label_fr, sector_label_en, territory,
    respondents, target_n, rate, ci_low, ci_high, note, n (= respondents), suppressed.
    """
    sel = dataclasses.replace(filters, roles=None, levels=None)
    r_where, r_params = sel.respondent_where("r")
    t_where, t_params = sel.institution_where("t")
    w_where, w_params = sel.wave_where("t.wave_id")
    sql = f"""
        WITH resp AS (
            SELECT r.wave_id, r.sector_id, r.territory, count(*) AS respondents
            FROM survey_respondents r WHERE {r_where} GROUP BY ALL
        ),
        tg AS (
            SELECT t.wave_id, t.sector_id, t.territory, sum(t.target_n) AS target_n
            FROM population_targets t WHERE {t_where} AND {w_where} GROUP BY ALL
        ),
        flags AS (SELECT wave_id, bool_or(territory IS NOT NULL) AS by_territory FROM tg GROUP BY wave_id),
        matched AS (
            SELECT tg.wave_id, tg.sector_id, tg.territory, tg.target_n,
                   coalesce(sum(resp.respondents), 0) AS respondents
            FROM tg LEFT JOIN resp ON resp.wave_id = tg.wave_id
                 AND (tg.sector_id IS NULL OR resp.sector_id = tg.sector_id)
                 AND (tg.territory IS NULL OR resp.territory = tg.territory)
            GROUP BY ALL
        ),
        uncovered AS (
            SELECT resp.wave_id, resp.sector_id,
                   CASE WHEN coalesce(f.by_territory, false) THEN resp.territory END AS territory,
                   CAST(NULL AS HUGEINT) AS target_n, sum(resp.respondents) AS respondents
            FROM resp LEFT JOIN flags f USING (wave_id)
            WHERE NOT EXISTS (
                SELECT 1 FROM tg WHERE tg.wave_id = resp.wave_id
                   AND (tg.sector_id IS NULL OR tg.sector_id = resp.sector_id)
                   AND (tg.territory IS NULL OR tg.territory = resp.territory))
            GROUP BY ALL
        )
        SELECT u.*, w.wave_order, s.label_fr AS sector_label_fr, s.label_en AS sector_label_en,
               s.sort_order AS sector_order
        FROM (SELECT * FROM matched UNION ALL SELECT * FROM uncovered) u
        LEFT JOIN waves w USING (wave_id)
        LEFT JOIN sectors s USING (sector_id)
    """
    df = query_frame(conn, sql, [*r_params, *t_params, *w_params])
    df["respondents"] = df["respondents"].astype("int64")
    df["target_n"] = pd.to_numeric(df["target_n"], errors="coerce").astype("float64")
    df["rate"] = df["respondents"] / df["target_n"].where(df["target_n"] > 0)
    df["ci_low"], df["ci_high"] = proportion_ci(df["respondents"], df["target_n"], ci_level())
    df["note"] = pd.Series(None, index=df.index, dtype=object)
    df.loc[df["rate"] > 1, "note"] = NOTE_ABOVE_TARGET
    df.loc[df["target_n"].isna(), "note"] = NOTE_NO_TARGET
    df["n"] = df["respondents"]
    df = sort_rows(df, ["wave_order", "wave_id", "sector_order", "sector_id", "territory"])
    out = finish(df, filters, RESPONSE_RATE_COLUMNS, ["respondents", "rate", "ci_low", "ci_high"], ["wave_id"])
    out.loc[out["suppressed"] & (out["note"] == NOTE_ABOVE_TARGET), "note"] = None
    return out


def panel_retention(conn: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Panel retention between consecutive waves of the practitioner survey.

    Method: waves with practitioner respondents, in wave order (restricted to
    ``filters.waves`` when set; "consecutive" is among those). For each pair a → b: n_a =
    respondents of a; n_retained = those of them who also answered b (same pseudonymous
    respondent_id); retention = n_retained / n_a with a Wilson CI; n_b = respondents of b,
    of whom n_newcomers answered for the first time and n_returning had answered a wave before
    a but not a.
    Filters: metadata filters select wave-a respondents on their wave-a answers (n_a,
    n_retained) and wave-b respondents on their wave-b answers (n_b, newcomers, returning).
    Missing data: none (presence only).
    Suppression: the row is blanked when n_a or n_b < min_group_size. n = n_a.

    Columns: wave_a, wave_b, wave_order_a, wave_order_b, n, n_a, n_retained, retention,
    ci_low, ci_high, n_b, n_newcomers, n_returning, suppressed.
    """
    keep, keep_params = dataclasses.replace(filters, waves=None).respondent_where("r")
    w_where, w_params = filters.wave_where("wave_id")
    sql = f"""
        WITH rw AS (
            SELECT r.respondent_id, r.wave_id, w.wave_order, ({keep}) AS keep
            FROM survey_respondents r JOIN waves w USING (wave_id)
        ),
        wl AS (SELECT DISTINCT wave_id, wave_order FROM rw WHERE {w_where}),
        pairs AS (
            SELECT wave_id AS wave_a, wave_order AS order_a,
                   lead(wave_id) OVER (ORDER BY wave_order) AS wave_b,
                   lead(wave_order) OVER (ORDER BY wave_order) AS order_b
            FROM wl
        ),
        first_seen AS (SELECT respondent_id, min(wave_order) AS first_order FROM rw GROUP BY 1),
        a_side AS (
            SELECT p.wave_a, count(*) AS n_a, count(b.respondent_id) AS n_retained
            FROM pairs p JOIN rw a ON a.wave_id = p.wave_a AND a.keep
            LEFT JOIN rw b ON b.wave_id = p.wave_b AND b.respondent_id = a.respondent_id
            GROUP BY p.wave_a
        ),
        b_side AS (
            SELECT p.wave_a, count(*) AS n_b,
                   count(*) FILTER (WHERE a.respondent_id IS NULL AND f.first_order = p.order_b) AS n_newcomers,
                   count(*) FILTER (WHERE a.respondent_id IS NULL AND f.first_order < p.order_b) AS n_returning
            FROM pairs p JOIN rw b ON b.wave_id = p.wave_b AND b.keep
            LEFT JOIN rw a ON a.wave_id = p.wave_a AND a.respondent_id = b.respondent_id
            JOIN first_seen f ON f.respondent_id = b.respondent_id
            GROUP BY p.wave_a
        )
        SELECT p.wave_a, p.wave_b, p.order_a AS wave_order_a, p.order_b AS wave_order_b,
               coalesce(a.n_a, 0) AS n_a, coalesce(a.n_retained, 0) AS n_retained,
               coalesce(b.n_b, 0) AS n_b, coalesce(b.n_newcomers, 0) AS n_newcomers,
               coalesce(b.n_returning, 0) AS n_returning
        FROM pairs p LEFT JOIN a_side a USING (wave_a) LEFT JOIN b_side b USING (wave_a)
        WHERE p.wave_b IS NOT NULL
        ORDER BY p.order_a
    """
    df = query_frame(conn, sql, [*keep_params, *w_params])
    counts = ["n_a", "n_retained", "n_b", "n_newcomers", "n_returning"]
    df[counts] = df[counts].astype("int64")
    df["retention"] = df["n_retained"] / df["n_a"].where(df["n_a"] > 0)
    df["ci_low"], df["ci_high"] = proportion_ci(df["n_retained"], df["n_a"], ci_level())
    df["n"] = df["n_a"]
    df["_n_min"] = np.minimum(df["n_a"], df["n_b"])
    values = ["n", *counts, "retention", "ci_low", "ci_high"]
    return finish(df, filters, RETENTION_COLUMNS, values, n_col="_n_min")


def missing_items(
    conn: duckdb.DuckDBPyConnection, filters: Filters, scales: Sequence[str] | None = None
) -> pd.DataFrame:
    """Item non-response per wave × scale, and respondents left without a score.

    Method: for the respondents of the wave (within the filters) and the items of the scale
    asked that wave (``wave_items``; ``scale_scores.n_items_asked`` if the wave has none):
    missing_share = 1 − answers given / (respondents × items asked) (from
    ``scale_scores.n_items_answered``), no_score_share = respondents whose score is NULL
    because they answered fewer than the scale's minimum items / respondents.
    Scales: every scale of the survey instruments by default.
    Suppression: n (respondents) < min_group_size blanks the row.

    Columns: wave_id, wave_order, scale_id, label_fr, label_en, items_asked, n,
    answers_expected, answers_missing, missing_share, n_no_score, no_score_share, suppressed.
    """
    chosen = tuple(scales) if scales is not None else all_scale_ids(conn)
    s_where, s_params = filters.wave_where("s.wave_id")
    rows = f"""
        SELECT s.wave_id, s.scale_id, s.respondent_id, s.n_items_asked, s.n_items_answered, s.score
        FROM survey_scores s WHERE list_contains(?, s.scale_id) AND {s_where}
    """
    rel, params = selected(conn, filters, rows, [list(chosen), *s_params], ("wave_id", "scale_id"))
    w_where, w_params = filters.wave_where("wi.wave_id")
    sql = f"""
        WITH listed AS (
            SELECT wi.wave_id, i.scale_id, count(DISTINCT wi.item_id) AS k
            FROM wave_items wi JOIN survey_items i ON i.instrument = wi.instrument AND i.item_id = wi.item_id
            WHERE {w_where} GROUP BY ALL
        ),
        agg AS (
            SELECT s.wave_id, s.scale_id, count(*) AS n, max(s.n_items_asked) AS k_scores,
                   sum(s.n_items_asked) AS answers_expected,
                   sum(s.n_items_asked - least(s.n_items_answered, s.n_items_asked)) AS answers_missing,
                   count(*) FILTER (WHERE s.score IS NULL) AS n_no_score
            FROM ({rel}) s
            GROUP BY ALL
        )
        SELECT agg.*, coalesce(l.k, agg.k_scores) AS items_asked, w.wave_order
        FROM agg LEFT JOIN listed l USING (wave_id, scale_id) LEFT JOIN waves w USING (wave_id)
    """
    df = query_frame(conn, sql, [*w_params, *params])
    for col in ("n", "answers_expected", "answers_missing", "n_no_score", "items_asked"):
        df[col] = pd.to_numeric(df[col]).astype("int64")
    df["missing_share"] = df["answers_missing"] / df["answers_expected"].where(df["answers_expected"] > 0)
    df["no_score_share"] = df["n_no_score"] / df["n"].where(df["n"] > 0)
    meta = scale_metadata(conn, chosen)
    df = df.merge(meta[["scale_id", "label_fr", "label_en", "scale_order"]], on="scale_id")
    df = sort_rows(df, ["wave_order", "wave_id", "scale_order"])
    values = ["answers_expected", "answers_missing", "missing_share", "n_no_score", "no_score_share"]
    return finish(df, filters, MISSING_COLUMNS, values)


def reliability(
    conn: duckdb.DuckDBPyConnection, filters: Filters, scales: Sequence[str] | None = None
) -> pd.DataFrame:
    """Cronbach's alpha of each scale per wave, with its Feldt confidence interval.

    Method: set-based sufficient statistics in DuckDB on complete cases — Σ var_samp(item_i)
    over the answers (``responses``) and var_samp(Σ items), the sum of the reversed items
    being the complete case's scale score × k ("mean" rule) — then alpha = k/(k − 1) ·
    (1 − Σ var_i / var_total) (:func:`indicators.stats.alpha_from_variances`) and the Feldt
    (1965) interval at the ``ci_level`` setting. Reverse-keyed items are reversed first
    (value_min + value_max − value). k = items of the scale asked in that wave, so a scale
    shortened by a new codebook version has its own k. See
    :func:`indicators.practice.alpha_statistics`.
    Missing data: listwise — only respondents who answered all k items (n = complete cases).
    Scales: every scale of the survey instruments by default.
    Suppression: n < min_group_size blanks the row.

    Columns: wave_id, wave_order, scale_id, label_fr, label_en, k, n, alpha, ci_low,
    ci_high, suppressed.
    """
    chosen = tuple(scales) if scales is not None else all_scale_ids(conn)
    df = alpha_statistics(conn, filters, chosen)
    res = alpha_from_variances(df["k"], df["sum_item_var"], df["total_var"], df["n"], ci_level())
    df["alpha"], df["ci_low"], df["ci_high"] = res.alpha, res.ci_low, res.ci_high
    meta = scale_metadata(conn, chosen)
    df = df.merge(meta[["scale_id", "label_fr", "label_en", "scale_order"]], on="scale_id")
    df = df.merge(wave_orders(conn), on="wave_id", how="left")
    df = sort_rows(df, ["wave_order", "wave_id", "scale_order"])
    return finish(df, filters, RELIABILITY_COLUMNS, ["alpha", "ci_low", "ci_high"])


def _load_wave_filter(filters: Filters | None) -> tuple[str, list[object]]:
    """Loads of the selected waves, plus loads without a wave (reference lists)."""
    if filters is None or filters.waves is None:
        return "true", []
    return "(l.wave_id IS NULL OR list_contains(?, l.wave_id))", [list(filters.waves)]


def quarantine_summary(conn: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """What the ETL kept out of the loads in force, per file and problem.

    Method: quarantine rows of the loads with status 'current', counted per load × problem ×
    scope (row: row kept out; cell: one answer kept out; column: a whole column kept out).
    ``filters.waves`` (optional) keeps the loads of those waves and the loads without a wave;
    other filters do not apply. Not suppressed: counts of file problems, not of answers.

    Columns: load_id, file_name, instrument, wave_id, problem, scope, n (rows or cells),
    suppressed (always False).
    """
    where, params = _load_wave_filter(filters)
    df = query_frame(
        conn,
        f"""
        SELECT l.load_id, l.file_name, l.instrument, l.wave_id, q.problem, q.scope, count(*) AS n
        FROM quarantine q JOIN loads l ON l.load_id = q.load_id
        WHERE l.status = 'current' AND {where}
        GROUP BY ALL ORDER BY l.load_id, n DESC, q.problem
        """,
        params,
    )
    df["n"] = df["n"].astype("int64")
    df["suppressed"] = False
    return df.reindex(columns=QUARANTINE_SUMMARY_COLUMNS)


def quarantine_rows(
    conn: duckdb.DuckDBPyConnection,
    limit: int = 1000,
    include_values: bool = False,
    filters: Filters | None = None,
) -> pd.DataFrame:
    """The quarantined rows and cells of the loads in force, with the reason, first ``limit``.

    The offending ``value`` is left out unless ``include_values`` (it can be free text typed by
    a respondent). Ordered by load, row, column. ``filters.waves`` as in
    :func:`quarantine_summary`.

    Columns: load_id, file_name, instrument, wave_id, source_row, column_name, problem, scope,
    message (English), message_fr (French; the English one for rows loaded before the warehouse
    had French messages), [value], n (always 1), suppressed (always False).
    """
    where, params = _load_wave_filter(filters)
    value = ", q.value" if include_values else ""
    has_fr = conn.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
        "AND table_name = 'quarantine' AND column_name = 'message_fr'"
    ).fetchall()[0][0]
    message_fr = "coalesce(q.message_fr, q.message)" if has_fr else "q.message"
    df = query_frame(
        conn,
        f"""
        SELECT l.load_id, q.file_name, l.instrument, l.wave_id, q.source_row, q.column_name,
               q.problem, q.scope, q.message, {message_fr} AS message_fr{value}
        FROM quarantine q JOIN loads l ON l.load_id = q.load_id
        WHERE l.status = 'current' AND {where}
        ORDER BY l.load_id, q.source_row NULLS FIRST, q.column_name
        LIMIT ?
        """,
        [*params, int(limit)],
    )
    columns = [*QUARANTINE_ROW_COLUMNS, "message_fr", *(["value"] if include_values else [])]
    df = df.reindex(columns=columns)
    df["n"] = 1
    df["suppressed"] = False
    return df


def loads_table(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The history of loads (every column of ``loads``, newest first), in force or replaced.

    Adds n (= rows_loaded) and suppressed (always False).
    """
    df = query_frame(conn, "SELECT * FROM loads ORDER BY load_id DESC")
    df["n"] = pd.to_numeric(df["rows_loaded"]).astype("int64")
    df["suppressed"] = False
    return df


# --------------------------------------------------------------------------- catalogue

INDICATORS: list[Indicator] = [
    Indicator(
        id="quality.response_rate",
        family="quality",
        title_fr="Taux de réponse",
        title_en="Response rate",
        definition_fr=(
            "Nombre de professionnels ayant répondu au questionnaire rapporté à l'effectif ciblé, "
            "par vague et par secteur (et par quartier quand les effectifs cibles le précisent), "
            "avec son intervalle de confiance de Wilson."
        ),
        definition_en=(
            "Number of professionals who answered the survey over the target population, per wave "
            "and sector (and neighbourhood when targets give it), with its Wilson confidence "
            "interval."
        ),
        formula="respondents / target_n; Wilson score interval",
        formula_fr="répondants / effectif ciblé (target_n) ; intervalle de Wilson",
        unit="share (0–1)",
        sources=("survey_respondents", "population_targets", "sectors", "waves"),
        missing_data=(
            "Groups without a target get no rate (note no_target). Role and level filters are "
            "ignored: targets are not broken down by them."
        ),
        missing_data_fr=(
            "Les groupes sans effectif cible n'ont pas de taux (note no_target). Les filtres de "
            "fonction et de niveau sont ignorés : les effectifs cibles ne sont pas ventilés selon "
            "ces critères."
        ),
        caveats="A rate above 1 means the target is out of date (note above_target).",
        caveats_fr="Un taux supérieur à 1 signale un effectif cible périmé (note above_target).",
        function="indicators.quality.response_rates",
    ),
    Indicator(
        id="quality.panel_retention",
        family="quality",
        title_fr="Maintien dans le panel d'une vague à la suivante",
        title_en="Panel retention between consecutive waves",
        definition_fr=(
            "Part des répondants d'une vague qui répondent aussi à la vague suivante (même code "
            "anonyme), avec le nombre de nouveaux répondants et de répondants revenus après une "
            "absence."
        ),
        definition_en=(
            "Share of a wave's respondents who also answer the next wave (same anonymous code), "
            "with the number of newcomers and of respondents back after missing a wave."
        ),
        formula="n_retained / n_a; Wilson score interval",
        formula_fr="n_maintenus / n_a ; intervalle de Wilson",
        unit="share (0–1)",
        sources=("survey_respondents", "waves"),
        missing_data="A respondent who changed anonymous code counts as lost and as a newcomer.",
        missing_data_fr=(
            "Un répondant qui a changé de code anonyme compte à la fois comme perdu et comme "
            "nouveau répondant."
        ),
        caveats="Panel comparisons rest on these respondents: low retention limits them.",
        caveats_fr=(
            "Les comparaisons en panel reposent sur ces répondants : un faible maintien (forte "
            "attrition) en limite la portée."
        ),
        function="indicators.quality.panel_retention",
    ),
    Indicator(
        id="quality.missing_items",
        family="quality",
        title_fr="Non-réponse aux items et scores non calculés",
        title_en="Item non-response and missing scores",
        definition_fr=(
            "Pour chaque échelle et chaque vague : part des réponses attendues qui manquent, et "
            "part des répondants sans score parce qu'ils ont répondu à trop peu d'items."
        ),
        definition_en=(
            "For each scale and wave: share of the expected answers that are missing, and share of "
            "respondents without a score because they answered too few items."
        ),
        formula=(
            "1 − Σ items answered / (respondents × items asked); respondents with NULL score / "
            "respondents"
        ),
        formula_fr=(
            "1 − Σ items renseignés / (répondants × items posés) ; répondants sans score (NULL) / "
            "répondants"
        ),
        unit="share (0–1)",
        sources=("survey_scores", "survey_respondents", "wave_items", "survey_items"),
        missing_data=(
            "\"Don't know\" answers and quarantined cells count as missing; items not asked in a "
            "wave are not expected."
        ),
        missing_data_fr=(
            "Les réponses « je ne sais pas » et les cellules écartées au chargement comptent comme "
            "manquantes ; les items non posés lors d'une vague ne sont pas attendus."
        ),
        function="indicators.quality.missing_items",
    ),
    Indicator(
        id="quality.cronbach_alpha",
        family="quality",
        title_fr="Fiabilité des échelles (alpha de Cronbach)",
        title_en="Scale reliability (Cronbach's alpha)",
        definition_fr=(
            "Cohérence interne de chaque échelle à chaque vague : alpha de Cronbach et son "
            "intervalle de confiance (Feldt). Au-dessus de 0,7 l'échelle est en général jugée "
            "suffisamment fiable pour comparer des groupes."
        ),
        definition_en=(
            "Internal consistency of each scale in each wave: Cronbach's alpha and its Feldt "
            "confidence interval. Above 0.7 a scale is usually deemed reliable enough to compare "
            "groups."
        ),
        formula=(
            "α = k/(k − 1) · (1 − Σ var(item_i) / var(Σ items)); Feldt CI with F(n − 1, "
            "(n − 1)(k − 1))"
        ),
        formula_fr=(
            "α = k/(k − 1) · (1 − Σ var(item_i) / var(Σ items)) ; IC de Feldt avec "
            "F(n − 1, (n − 1)(k − 1))"
        ),
        unit="coefficient (≤ 1)",
        sources=("responses", "survey_respondents", "survey_items", "wave_items"),
        missing_data="Listwise: respondents who answered every item asked (n = complete cases).",
        missing_data_fr=(
            "Cas complets : seuls les répondants ayant répondu à tous les items posés sont retenus "
            "(n = cas complets)."
        ),
        caveats=(
            "Reverse-keyed items are reversed first. Alpha grows with the number of items; a "
            "negative alpha signals an item scored in the wrong direction."
        ),
        caveats_fr=(
            "Les items inversés sont d'abord recodés. L'alpha augmente avec le nombre d'items ; un "
            "alpha négatif signale un item codé dans le mauvais sens."
        ),
        function="indicators.quality.reliability",
    ),
    Indicator(
        id="quality.quarantine",
        family="quality",
        title_fr="Lignes et cellules mises en quarantaine au chargement",
        title_en="Rows and cells quarantined by the loader",
        definition_fr=(
            "Pour chaque fichier chargé en vigueur : nombre de lignes ou de réponses écartées par "
            "le contrôle de chargement, par motif (libellé inconnu, valeur hors bornes, doublon, "
            "code anonyme manquant…)."
        ),
        definition_en=(
            "For each load in force: number of rows or answers kept out by the load checks, per "
            "problem (unknown label, out-of-range value, duplicate, missing anonymous code…)."
        ),
        formula="count of quarantine rows per load × problem × scope",
        formula_fr=(
            "nombre de lignes de la table quarantine par chargement × motif × portée (ligne, "
            "cellule ou colonne)"
        ),
        unit="rows or cells",
        sources=("quarantine", "loads"),
        missing_data="Not applicable.",
        missing_data_fr="Sans objet.",
        caveats="The offending values are hidden by default: they may be free text.",
        caveats_fr="Les valeurs en cause sont masquées par défaut : il peut s'agir de texte libre.",
        function="indicators.quality.quarantine_summary",
    ),
    Indicator(
        id="quality.loads",
        family="quality",
        title_fr="Historique des chargements",
        title_en="Load history",
        definition_fr=(
            "Chaque fichier chargé : date, questionnaire, vague, lignes lues, chargées et écartées, "
            "et s'il est en vigueur ou remplacé par un chargement plus récent."
        ),
        definition_en=(
            "Each file loaded: date, instrument, wave, rows read, loaded and kept out, and whether "
            "it is in force or replaced by a later load."
        ),
        formula="rows of the loads table",
        formula_fr="lignes de la table loads",
        unit="loads",
        sources=("loads",),
        missing_data="Not applicable.",
        missing_data_fr="Sans objet.",
        function="indicators.quality.loads_table",
    ),
]
