"""Where the indicators find their data: by meaning, never by an instrument's name.

Every codebook says what its instrument is (``kind``: ``survey`` for the practitioners'
questionnaire, ``partner_survey`` for the one answer per organisation…), what each scale measures
(``role``: practice, wellbeing, burnout, other; ``standard``: a published scale such as the WHO-5)
and which questions give ties (``rosters.tie_source``) or exchanges (an item's target sector and
``per_month`` unit). The warehouse's views ``instrument_kinds``, ``survey_scales``,
``survey_respondents``, ``survey_scores`` and ``survey_items`` (warehouse/views.sql, documented
in docs/warehouse.md) turn those declarations into the relations the indicators read, so that a
new instrument written only as a codebook reaches every page, export and the pack.

Scale ids: a published scale is known by its standard (``who5``, ``cbi_work``: the cut-offs of
the settings apply to it whatever its codebook calls it), any other by its own id.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

SURVEY_KIND = "survey"
PARTNER_KIND = "partner_survey"
PRACTICE = "practice"
WELLBEING_ROLES: tuple[str, ...] = ("wellbeing", "burnout")

# Fixed SQL (no value from outside): the instruments of each kind, for `instrument IN ...`.
SURVEY_INSTRUMENTS_SQL = "(SELECT instrument FROM instrument_kinds WHERE kind = 'survey')"
PARTNER_INSTRUMENTS_SQL = "(SELECT instrument FROM instrument_kinds WHERE kind = 'partner_survey')"


def scales_with_role(conn: duckdb.DuckDBPyConnection, roles: Sequence[str]) -> tuple[str, ...]:
    """The scale ids (indicators' ids) of the survey instruments whose role is among ``roles``,
    in codebook order (then by id)."""
    rows = conn.execute(
        "SELECT scale_id FROM survey_scales WHERE list_contains(?, role) "
        "GROUP BY scale_id ORDER BY min(sort_order) NULLS LAST, scale_id",
        [list(roles)],
    ).fetchall()
    return tuple(str(r[0]) for r in rows)


def practice_scales(conn: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The practice scales of every survey instrument (role ``practice``)."""
    return scales_with_role(conn, (PRACTICE,))


def wellbeing_scales(conn: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The wellbeing and burnout scales of every survey instrument (WHO-5, CBI, …)."""
    return scales_with_role(conn, WELLBEING_ROLES)


def survey_scale_ids(conn: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """Every scale of the survey instruments: practice first, then wellbeing and burnout, then
    the others."""
    practice, wellbeing = practice_scales(conn), wellbeing_scales(conn)
    rows = conn.execute("SELECT DISTINCT scale_id FROM survey_scales ORDER BY scale_id").fetchall()
    others = [str(r[0]) for r in rows if r[0] not in practice and r[0] not in wellbeing]
    return (*practice, *wellbeing, *others)


def has_answers_table(conn: duckdb.DuckDBPyConnection) -> bool:
    """The warehouse stores answers with integer keys (the ``answers`` table behind the ``responses``
    view); older test warehouses store ``responses`` itself as a table."""
    found = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'answers' AND table_type = 'BASE TABLE'"
    ).fetchone()
    return bool(found and found[0])


def has_survey_data(conn: duckdb.DuckDBPyConnection) -> bool:
    """Whether any survey instrument has respondents."""
    rows = conn.execute("SELECT count(*) FROM survey_respondents").fetchall()
    return bool(rows and rows[0][0])
