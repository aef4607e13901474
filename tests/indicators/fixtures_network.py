"""Small hand-built warehouses for the network and exchange tests (fresh in-memory DuckDB)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import duckdb

from warehouse.db import apply_schema

SECTORS = ("education", "city", "association", "health", "social", "insertion", "parents")


def _insert_many(conn: duckdb.DuckDBPyConnection, sql: str, rows: list[tuple[object, ...]]) -> None:
    if rows:  # DuckDB refuses executemany with no rows
        conn.executemany(sql, rows)


def new_warehouse() -> duckdb.DuckDBPyConnection:
    """An empty warehouse: schema, views and the sectors reference."""
    conn = duckdb.connect()
    apply_schema(conn)
    return conn


def add_institutions(
    conn: duckdb.DuckDBPyConnection, rows: Iterable[tuple[str, str, str | None]]
) -> None:
    """rows: (institution_id, sector_id, territory); the name is "Name <id>"."""
    conn.executemany(
        "INSERT INTO institutions VALUES (?, ?, ?, ?, NULL, 1)",
        [(i, f"Name {i}", s, t) for i, s, t in rows],
    )


def add_waves(
    conn: duckdb.DuckDBPyConnection,
    waves: Sequence[tuple[str, dt.date | None, dt.date | None]],
) -> None:
    """waves: (wave_id, first_date, last_date) in wave order."""
    conn.executemany(
        "INSERT INTO waves VALUES (?, ?, ?, ?)",
        [(w, k + 1, a, b) for k, (w, a, b) in enumerate(waves)],
    )


def add_partner_answer(
    conn: duckdb.DuckDBPyConnection,
    wave: str,
    institution: str,
    ratings: dict[str, tuple[float | None, float | None, float | None]],
    role: str = "manager",
    level: str = "strategic",
) -> None:
    """One partner-survey answer: the institution rates others with (level, trust, value)."""
    rid = f"P-{institution}-{wave}"
    conn.execute(
        "INSERT INTO respondents VALUES (?, 'partner', ?, 1, 1, NULL, ?, ?, NULL, NULL, ?, NULL)",
        [wave, rid, role, institution, level],
    )
    _insert_many(
        conn,
        "INSERT INTO ties VALUES (?, 'partner_survey', ?, ?, ?, ?, ?, ?, NULL, 1)",
        [(wave, rid, institution, to, lv, tr, va) for to, (lv, tr, va) in ratings.items()],
    )


def add_practitioner(
    conn: duckdb.DuckDBPyConnection,
    wave: str,
    respondent: str,
    institution: str | None,
    named: Sequence[str] = (),
    role: str = "teacher",
    level: str = "operational",
    sector: str | None = None,
    territory: str | None = None,
    exchanges: dict[str, float] | None = None,
) -> None:
    """One practitioner: the institutions they worked with and their EXC_* answers."""
    conn.execute(
        "INSERT INTO respondents VALUES (?, 'practitioner', ?, 1, 1, NULL, ?, ?, ?, ?, ?, NULL)",
        [wave, respondent, role, institution, sector, territory, level],
    )
    _insert_many(
        conn,
        "INSERT INTO ties VALUES (?, 'practitioner_survey', ?, ?, ?, NULL, NULL, NULL, NULL, 1)",
        [(wave, respondent, institution, to) for to in named],
    )
    insert_answers(
        conn,
        [(wave, respondent, f"EXC_{s.upper()}", v) for s, v in (exchanges or {}).items()],
    )


def insert_answers(
    conn: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, str, float]]
) -> None:
    """Practitioner answers (wave_id, respondent_id, item_id, value) into whatever stores them:
    a `responses` table, or `answers` with its integer key tables (read via the view)."""
    if not rows:
        return
    kind = conn.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'responses'"
    ).fetchall()
    if kind and kind[0][0] == "BASE TABLE":
        conn.executemany(
            "INSERT INTO responses VALUES (?, 'practitioner', ?, ?, ?, 1)", rows
        )
        return
    for w, r, i, v in rows:
        conn.execute(
            "INSERT INTO wave_keys SELECT (SELECT coalesce(max(wave_key), 0) + 1 FROM wave_keys), ? "
            "WHERE NOT EXISTS (SELECT 1 FROM wave_keys WHERE wave_id = ?)", [w, w]
        )
        conn.execute(
            "INSERT INTO respondent_keys SELECT "
            "(SELECT coalesce(max(respondent_key), 0) + 1 FROM respondent_keys), ? WHERE NOT EXISTS "
            "(SELECT 1 FROM respondent_keys WHERE respondent_id = ?)", [r, r]
        )
        conn.execute(
            "INSERT INTO item_keys SELECT (SELECT coalesce(max(item_key), 0) + 1 FROM item_keys), "
            "'practitioner', ? WHERE NOT EXISTS (SELECT 1 FROM item_keys WHERE item_id = ?)", [i, i]
        )
        conn.execute(
            "INSERT INTO answers SELECT w.wave_key, p.respondent_key, k.item_key, ?, 1 "
            "FROM wave_keys w, respondent_keys p, item_keys k "
            "WHERE w.wave_id = ? AND p.respondent_id = ? AND k.item_id = ?",
            [v, w, r, i],
        )


def add_exchange_items(conn: duckdb.DuckDBPyConnection) -> None:
    """The EXC_* items of the practitioner codebook (unit per_month, one per target sector)
    and one ordinary item that must be ignored."""
    conn.executemany(
        "INSERT INTO items VALUES ('practitioner', ?, NULL, ?, ?, 'frequency_month', 0, 4.33, "
        "false, 'per_month', ?)",
        [(f"EXC_{s.upper()}", s, s, s) for s in SECTORS],
    )
    conn.execute(
        "INSERT INTO items VALUES ('practitioner', 'NET1', 'network_practice', 'x', 'x', "
        "'agree5', 1, 5, false, NULL, NULL)"
    )


def add_activity(
    conn: duckdb.DuckDBPyConnection,
    activity_id: str,
    date: dt.date,
    institutions: Sequence[str],
    activity_type: str = "coordination_meeting",
    territory: str | None = "T1",
    participants: int | None = 10,
    for_16_18: bool = False,
    parents: bool | None = False,
    wave: str | None = None,
    load_id: int = 1,
) -> None:
    conn.execute(
        "INSERT INTO activities VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, [], NULL)",
        [activity_id, load_id, wave, date, activity_type, territory, participants, for_16_18,
         parents],
    )
    _insert_many(
        conn,
        "INSERT INTO activity_institutions VALUES (?, ?, ?)",
        [(activity_id, i, load_id) for i in institutions],
    )
