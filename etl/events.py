"""Events an evaluation officer marks once (the launch of a scheme, a training, a school year) and
that every time chart shows: added one by one or from a `;`/`,` CSV or XLSX file with the columns
``date``, ``libellé`` (or ``label``), optionally ``label_en`` and ``territoire`` (or ``territory``).
A file is checked whole before anything is written; the warehouse changes in one step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import FileRefused, MaillageError, WarehouseError
from warehouse.db import WarehouseUnavailable, attach_read_only, publish, writer_lock

MAX_LABEL = 40
COLUMNS = {
    "date": "date",
    "libellé": "label_fr",
    "libelle": "label_fr",
    "label": "label_fr",
    "label_fr": "label_fr",
    "label_en": "label_en",
    "territoire": "territory",
    "territory": "territory",
}


@dataclass(frozen=True)
class NewEvent:
    event_date: dt.date
    label_fr: str
    label_en: str
    territory: str | None


def parse_date(text: str, where: str) -> dt.date:
    """A date written 2025-09-01 or 01/09/2025."""
    value = str(text).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise MaillageError(
        f"{where}: the date “{value}” is not a date: write it 2025-09-01 or 01/09/2025.",
        message_fr=f"{where} : la date « {value} » n'est pas une date : écrivez-la 2025-09-01 ou 01/09/2025.",
    )


def new_event(date: str, label: str, label_en: str | None = None, territory: str | None = None,
              where: str = "--date") -> NewEvent:
    day = parse_date(date, where)
    text = " ".join(str(label).split())
    if not text:
        raise MaillageError(f"{where}: the event has no label: give one (--label).",
                            message_fr=f"{where} : l'événement n'a pas de libellé : indiquez-en un.")
    if len(text) > MAX_LABEL or len(label_en or "") > MAX_LABEL:
        raise MaillageError(
            f"{where}: the label “{text[:60]}” is longer than {MAX_LABEL} characters: shorten it (it is written on "
            "the charts).",
            message_fr=f"{where} : le libellé « {text[:60]} » dépasse {MAX_LABEL} caractères : raccourcissez-le (il "
            "s'écrit sur les graphiques).",
        )
    english = " ".join(str(label_en).split()) if label_en else text
    return NewEvent(day, text, english or text, (territory or "").strip() or None)


def read_events_file(path: Path) -> list[NewEvent]:
    """Every event of a CSV/XLSX file, or a FileRefused naming the row and column at fault."""
    if not path.exists():
        raise FileRefused(f"{path.name}: no such file.", message_fr=f"{path.name} : fichier introuvable.")
    if path.suffix.lower() in (".xlsx", ".xls", ".ods"):
        frame = pd.read_excel(path, dtype=str)
    else:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig") if _is_utf8(raw) else raw.decode("cp1252")
        sep = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
        frame = pd.read_csv(pd.io.common.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    names = {c: COLUMNS.get(str(c).strip().lower()) for c in frame.columns}
    frame = frame.rename(columns={c: n for c, n in names.items() if n})
    missing = [c for c in ("date", "label_fr") if c not in frame.columns]
    absent = " and ".join("date" if c == "date" else "libellé" for c in missing)
    absent_fr = " ni ".join("date" if c == "date" else "libellé" for c in missing)
    if missing:
        raise FileRefused(
            f"{path.name}: no column {absent}: the file "
            "needs the columns date;libellé (and optionally label_en;territoire).",
            message_fr=f"{path.name} : pas de colonne {absent_fr}"
            " : le fichier doit avoir les colonnes date;libellé (et, si besoin, label_en;territoire).",
        )
    events = []
    for i, row in enumerate(frame.to_dict("records"), start=2):
        if not any(str(v or "").strip() for v in row.values()):
            continue
        try:
            events.append(new_event(str(row.get("date") or ""), str(row.get("label_fr") or ""),
                                    str(row.get("label_en") or "") or None, str(row.get("territory") or "") or None,
                                    where=f"{path.name}, row {i}"))
        except MaillageError as exc:
            raise FileRefused(str(exc), message_fr=exc.message_fr) from None
    return events


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def add_events(db_path: Path, events: list[NewEvent]) -> list[int]:
    """Add `events` to the warehouse in one step; their ids."""
    ids: list[int] = []

    def build(conn: duckdb.DuckDBPyConnection) -> None:
        start = conn.execute("SELECT coalesce(max(event_id), 0) FROM events").fetchall()[0][0]
        now = dt.datetime.now().replace(microsecond=0)
        for k, e in enumerate(events, start=1):
            conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)",
                         [start + k, e.event_date, e.label_fr, e.label_en, e.territory, now])
            ids.append(start + k)

    _write(db_path, build)
    return ids


def remove_event(db_path: Path, event_id: int) -> None:
    def build(conn: duckdb.DuckDBPyConnection) -> None:
        found = conn.execute("SELECT count(*) FROM events WHERE event_id = ?", [event_id]).fetchall()[0][0]
        if not found:
            raise MaillageError(f"No event #{event_id}: `maillage events list` shows their numbers.",
                                message_fr=f"Pas d'événement n° {event_id} : `maillage events list` donne les numéros.")
        conn.execute("DELETE FROM events WHERE event_id = ?", [event_id])

    _write(db_path, build)


def list_events(db_path: Path) -> list[tuple[int, dt.date, str, str, str | None]]:
    try:
        conn = attach_read_only(db_path)
    except WarehouseUnavailable:
        raise WarehouseError(f"No warehouse at {db_path}. Create one with `maillage init` (or pass --db).") from None
    try:
        rows = conn.execute(
            "SELECT event_id, event_date, label_fr, label_en, territory FROM events ORDER BY event_date, event_id"
        ).fetchall()
    finally:
        conn.close()
    return [(int(r[0]), r[1], str(r[2]), str(r[3]), r[4]) for r in rows]


def _write(db_path: Path, build: object) -> None:
    if not db_path.exists():
        raise WarehouseError(f"No warehouse at {db_path}. Create one with `maillage init` (or pass --db).")
    try:
        with writer_lock(db_path):
            publish(db_path, build)  # type: ignore[arg-type]
    except WarehouseUnavailable as exc:
        raise WarehouseError(str(exc)) from None
