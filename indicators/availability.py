"""Which waves have which kind of data, so that every figure shows the latest wave that has it.

The parts of a wave arrive weeks apart (the practitioner survey closes in May, the partner survey
in June, the activity log is updated every month). An indicator family reads one kind of data:

=====================  ===========================================================
family                 data it needs in a wave
=====================  ===========================================================
``practice``           the practitioner survey (scale scores)
``wellbeing``          the practitioner survey (WHO-5, burnout)
``exchanges_survey``   the practitioner survey (reported exchanges)
``response_rates``     the practitioner survey
``network``            the partner survey's ties (``partner_survey``)
``network_practitioner`` the practitioners' reported ties (``practitioner_survey``)
``network_both``       both kinds of ties
=====================  ===========================================================

The activity log is not a wave: it covers months (:func:`activity_span`).

What a wave "has" is read from the load records and the tie table, never from respondents'
answers or attributes under a filter: whether a filtered group has answered is itself a
statistic of that group, so a selection that leaves a figure empty is told so by the figure,
not here. Pure Python (no Streamlit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

PRACTITIONER = "practitioner"
PARTNER = "partner"
TARGETS = "targets"
ACTIVITIES = "activities"

# family → (instrument that must be loaded in the wave, tie sources that must be present)
FAMILIES: dict[str, tuple[str | None, tuple[str, ...]]] = {
    "practice": (PRACTITIONER, ()),
    "wellbeing": (PRACTITIONER, ()),
    "exchanges_survey": (PRACTITIONER, ()),
    "response_rates": (PRACTITIONER, ()),
    "network": (None, ("partner_survey",)),
    "network_practitioner": (None, ("practitioner_survey",)),
    "network_both": (None, ("partner_survey", "practitioner_survey")),
}
NETWORK_FAMILY = {"partner_survey": "network", "practitioner_survey": "network_practitioner", "both": "network_both"}
INSTRUMENTS = (PRACTITIONER, PARTNER, TARGETS)
INVENTORY_COLUMNS = [
    "wave_id", "wave_order", "first_date", "last_date",
    *(f"{i}_loaded_at" for i in INSTRUMENTS),
    *(f"{i}_rows" for i in INSTRUMENTS),
    "partner_survey_ties", "practitioner_survey_ties", "activity_months",
]


class UnknownFamily(ValueError):
    """A family name that is not in FAMILIES."""


def inventory(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per wave (in wave order): when each instrument's current load was made (NaT when it
    is not loaded), how many rows it loaded, whether each kind of tie is present, and how many
    months of the activity log fall in the wave's half-year."""
    waves = conn.execute("SELECT wave_id, wave_order, first_date, last_date FROM waves ORDER BY wave_order").df()
    # by meaning (instrument_kinds): any practitioner-survey instrument, any partner survey
    loads = conn.execute(
        "SELECT l.wave_id, CASE k.kind WHEN 'survey' THEN ? ELSE ? END AS instrument, "
        "max(l.finished_at) AS loaded_at, sum(l.rows_loaded) AS rows_loaded "
        "FROM loads l JOIN instrument_kinds k USING (instrument) "
        "WHERE l.status = 'current' AND l.wave_id IS NOT NULL AND k.kind IN ('survey', 'partner_survey') "
        "GROUP BY ALL "
        # a targets file holds several waves (its load has no wave): its rows per wave
        "UNION ALL SELECT t.wave_id, ?, max(l.finished_at), count(*) FROM population_targets t "
        "JOIN loads l ON l.load_id = t.load_id AND l.status = 'current' GROUP BY ALL",
        [PRACTITIONER, PARTNER, TARGETS],
    ).df()
    ties = conn.execute("SELECT DISTINCT wave_id, source FROM network_ties").fetchall()
    out = waves.copy()
    for instrument in INSTRUMENTS:
        part = loads[loads["instrument"] == instrument]
        when = dict(zip(part["wave_id"], part["loaded_at"], strict=True))
        rows = dict(zip(part["wave_id"], part["rows_loaded"], strict=True))
        out[f"{instrument}_loaded_at"] = pd.to_datetime(pd.Series([when.get(w) for w in out["wave_id"]], dtype=object))
        out[f"{instrument}_rows"] = [int(rows.get(w, 0) or 0) for w in out["wave_id"]]
    present = set(ties)
    for source in ("partner_survey", "practitioner_survey"):
        out[f"{source}_ties"] = [(w, source) in present for w in out["wave_id"]]
    months = _months(conn)
    out["activity_months"] = [_months_in_half_year(months, r.first_date) for r in out.itertuples()]
    return out[INVENTORY_COLUMNS].reset_index(drop=True)


def _months(conn: duckdb.DuckDBPyConnection) -> list[dt.date]:
    rows = conn.execute("SELECT DISTINCT date_trunc('month', activity_date) FROM activities ORDER BY 1").fetchall()
    return [r[0] if isinstance(r[0], dt.date) else pd.Timestamp(r[0]).date() for r in rows]


def _months_in_half_year(months: Sequence[dt.date], first: object) -> int:
    """Months of the log in the half-year of a wave's fieldwork (January–June or July–December)."""
    if first is None or pd.isna(first):
        return 0
    day = pd.Timestamp(first).date()
    start = 1 if day.month <= 6 else 7
    return sum(1 for m in months if m.year == day.year and start <= m.month < start + 6)


@dataclass(frozen=True)
class ActivitySpan:
    """The months the activity log covers and when it was last loaded."""

    first_month: dt.date
    last_month: dt.date
    months: int
    actions: int
    loaded_at: dt.datetime | None


def activity_span(conn: duckdb.DuckDBPyConnection) -> ActivitySpan | None:
    """The activity log's months (None when no action is loaded)."""
    row = conn.execute(
        "SELECT min(activity_date), max(activity_date), count(DISTINCT date_trunc('month', activity_date)), "
        "count(*) FROM activities"
    ).fetchall()[0]
    if not row[3]:
        return None
    loaded = conn.execute(
        "SELECT max(finished_at) FROM loads WHERE status = 'current' AND (instrument = ? OR instrument IN "
        "(SELECT instrument FROM instrument_kinds WHERE kind = 'activity_log'))",
        [ACTIVITIES],
    ).fetchall()[0][0]
    first, last = pd.Timestamp(row[0]).date(), pd.Timestamp(row[1]).date()
    return ActivitySpan(first.replace(day=1), last.replace(day=1), int(row[2]), int(row[3]), loaded)


def waves_with(conn: duckdb.DuckDBPyConnection, family: str, waves: Sequence[str] | None = None) -> list[str]:
    """The waves (of `waves`, else all; in wave order) that hold the data `family` needs."""
    if family not in FAMILIES:
        raise UnknownFamily(f"unknown indicator family {family!r}; families: {', '.join(FAMILIES)}")
    instrument, sources = FAMILIES[family]
    inv = inventory(conn)
    keep = pd.Series(True, index=inv.index)
    if instrument is not None:
        keep &= inv[f"{instrument}_rows"] > 0
    for source in sources:
        keep &= inv[f"{source}_ties"]
    found = [str(w) for w in inv.loc[keep, "wave_id"]]
    return [w for w in found if waves is None or w in set(waves)]


@dataclass(frozen=True)
class Shown:
    """The wave a family shows for a selection: the selected wave, or the latest before it that
    has the data (`latest` is the latest wave of the whole selection that has it)."""

    family: str
    selected: str | None
    shown: str | None
    available: tuple[str, ...]

    @property
    def differs(self) -> bool:
        """The family shows another wave than the one selected (or none)."""
        return self.shown != self.selected


def shown_wave(
    conn: duckdb.DuckDBPyConnection, family: str, waves: Sequence[str], selected: str | None = None
) -> Shown:
    """The latest wave of `waves` up to `selected` (default: the last of `waves`) with `family`'s
    data; when none is at or before it, the earliest one after it."""
    ordered = list(waves)
    chosen = selected if selected is not None else (ordered[-1] if ordered else None)
    available = tuple(waves_with(conn, family, ordered))
    if chosen is None or not available:
        return Shown(family, chosen, None, available)
    limit = ordered.index(chosen) if chosen in ordered else len(ordered) - 1
    before = [w for w in available if ordered.index(w) <= limit]
    shown = before[-1] if before else available[0]
    return Shown(family, chosen, shown, available)


@dataclass(frozen=True)
class Pair:
    """Two waves to compare for a family: both have its data (`wave_a` is None when no pair can
    be made, `wave_b` None when no wave has the data); `selected` is the pair the user chose."""

    family: str
    selected: tuple[str | None, str | None]
    wave_a: str | None
    wave_b: str | None
    available: tuple[str, ...]

    @property
    def possible(self) -> bool:
        return self.wave_a is not None and self.wave_b is not None

    @property
    def differs(self) -> bool:
        return (self.wave_a, self.wave_b) != self.selected


def compare_pair(
    conn: duckdb.DuckDBPyConnection,
    family: str,
    waves: Sequence[str],
    wave_a: str | None,
    wave_b: str | None,
) -> Pair:
    """The pair of waves `family` can compare for the chosen (wave_a, wave_b): the chosen waves
    when both have the data; otherwise the latest wave with the data up to wave_b, compared with
    wave_a when it has the data and comes before, else with the previous wave that has it."""
    ordered = list(waves)
    available = tuple(waves_with(conn, family, ordered))
    shown = shown_wave(conn, family, ordered, wave_b)
    b = shown.shown
    if b is None:
        return Pair(family, (wave_a, wave_b), None, None, available)
    earlier = [w for w in available if ordered.index(w) < ordered.index(b)]
    if wave_a in earlier:
        a: str | None = wave_a
    elif wave_a is None or wave_a == wave_b:
        a = None  # the user compares nothing
    else:
        a = earlier[-1] if earlier else None
    return Pair(family, (wave_a, wave_b), a, b, available)


def latest_loaded(conn: duckdb.DuckDBPyConnection, family: str) -> str | None:
    """The latest wave of the whole warehouse that has `family`'s data (for "last available")."""
    found = waves_with(conn, family)
    return found[-1] if found else None
