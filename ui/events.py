"""Events marked by the evaluation officer (warehouse table `events`), placed on time charts: on a
wave axis between the waves they fall between, on a month axis at their month. Pure Python."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd


@dataclass(frozen=True)
class Event:
    event_date: dt.date
    label_fr: str
    label_en: str
    territory: str | None = None

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_fr

    def text(self, lang: str) -> str:
        """« 09/2025 Lancement du dispositif » (month and label, for footnotes)."""
        return f"{self.event_date:%m/%Y} {self.label(lang)}"

    def applies_to(self, territories: Sequence[str] | None) -> bool:
        """Shown on a chart of `territories` (None: every territory)."""
        return self.territory is None or territories is None or self.territory in territories


def load_events(conn: duckdb.DuckDBPyConnection) -> list[Event]:
    """Every event, by date (none in a warehouse made before the events table)."""
    try:
        rows = conn.execute(
            "SELECT event_date, label_fr, label_en, territory FROM events ORDER BY event_date, event_id"
        ).fetchall()
    except duckdb.CatalogException:
        return []
    return [Event(pd.Timestamp(r[0]).date(), str(r[1]), str(r[2]), r[3]) for r in rows]


def wave_dates(conn: duckdb.DuckDBPyConnection) -> dict[str, dt.date]:
    """The first fieldwork day of each wave that has one."""
    rows = conn.execute("SELECT wave_id, first_date FROM waves WHERE first_date IS NOT NULL").fetchall()
    return {str(w): pd.Timestamp(d).date() for w, d in rows}


def wave_position(day: dt.date, waves: Sequence[str], dates: dict[str, dt.date]) -> float | None:
    """Where `day` falls on an axis of `waves` (categories 0, 1, …): halfway between the wave before
    and the wave after it; None outside the waves shown."""
    known = [(i, dates[w]) for i, w in enumerate(waves) if w in dates]
    for (i, before), (j, after) in itertools.pairwise(known):
        if before <= day < after:
            return (i + j) / 2
    return None


def marks_for_waves(events: Sequence[Event], waves: Sequence[str], conn: duckdb.DuckDBPyConnection,
                    lang: str = "fr") -> tuple[tuple[float, str], ...]:
    """(position on the wave axis, label) of each event between two waves shown."""
    if not events:
        return ()
    dates = wave_dates(conn)
    out = []
    for e in events:
        where = wave_position(e.event_date, waves, dates)
        if where is not None:
            out.append((where, e.label(lang)))
    return tuple(out)


def marks_for_months(events: Sequence[Event], months: Sequence[object],
                     lang: str = "fr") -> tuple[tuple[float, str], ...]:
    """(index of its month on a month axis, label) of each event within the months shown."""
    keys = [pd.Timestamp(m).to_period("M") for m in months]
    out = []
    for e in events:
        month = pd.Timestamp(e.event_date).to_period("M")
        if month in keys:
            out.append((float(keys.index(month)), e.label(lang)))
    return tuple(out)


def wave_marks(conn: duckdb.DuckDBPyConnection, waves: tuple[str, ...], lang: str,
               territories: tuple[str, ...] | None = None) -> tuple[tuple[float, str], ...]:
    """The events of a selection placed on its wave axis (cursor first: cacheable by ui.data)."""
    events = [e for e in load_events(conn) if e.applies_to(territories)]
    return marks_for_waves(events, waves, conn, lang)
