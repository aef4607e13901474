"""The dashboard's access to the warehouse: one cached read-only handle that reconnects when a
load replaces the file, and indicator results cached per warehouse version (a new load shows at
once; nothing stale is served) in memory and, for results that take time, on disk beside the
warehouse (ui.results: shared by every server process and kept across restarts)."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from indicators.filters import Filters
from ui import results
from warehouse.db import DEFAULT_DB, OutdatedWarehouse, ReadOnlyWarehouse, WarehouseUnavailable, resolve_db_path

R = TypeVar("R")


def configured_db_path() -> Path:
    """The warehouse named by `$MAILLAGE_DB`, else data/maillage.duckdb (the demo on first start)."""
    return resolve_db_path()


def db_path() -> Path:
    """The warehouse the dashboard shows: the one chosen beside the configured one (the load page's
    "create my partnership's warehouse", the sidebar's choice), else the configured one."""
    from ui.loading import active_warehouse

    return active_warehouse(configured_db_path())


def is_default_location() -> bool:
    """True when the user did not choose a warehouse (so the demo may be built there)."""
    return not os.environ.get("MAILLAGE_DB") and configured_db_path() == DEFAULT_DB


@st.cache_resource(show_spinner=False)
def _handle(path: str) -> ReadOnlyWarehouse:
    return ReadOnlyWarehouse(Path(path))


def handle() -> ReadOnlyWarehouse:
    return _handle(str(db_path()))


def cursor() -> duckdb.DuckDBPyConnection:
    """A fresh cursor for this thread on the current state of the warehouse."""
    return handle().cursor()


def version() -> str:
    """Identifies the published state of the warehouse ('' when there is none)."""
    try:
        return handle().version
    except WarehouseUnavailable:
        return ""


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_call(
    module: str,
    name: str,
    warehouse_version: str,
    path: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
) -> Any:
    db = Path(path)
    identity = results.file_identity(db, warehouse_version) if warehouse_version and results.enabled() else None
    key = results.key_of(module, name, args, kwargs) if identity is not None else ""
    if identity is not None:
        found, value = results.load(db, identity, key)
        if found:
            return value
    func = getattr(importlib.import_module(module), name)
    started = time.perf_counter()
    value = func(_handle(path).cursor(), *args, **dict(kwargs))
    if identity is not None and time.perf_counter() - started >= results.MIN_SECONDS:
        results.save(db, identity, key, value)
    return value


def compute(func: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """`func(cursor, *args, **kwargs)`, cached until the warehouse changes.

    `func` is a module-level function of `indicators` (or of `ui.queries`) taking a cursor first;
    arguments must be hashable (Filters is a frozen dataclass)."""
    return _cached_call(
        func.__module__, func.__name__, version(), str(db_path()), args, tuple(sorted(kwargs.items()))
    )


def sql(query: str, params: tuple[Any, ...] = ()) -> pd.DataFrame:
    """A small cached query (dimension lists, metadata)."""
    return compute(_run_sql, query, params)


def _run_sql(cur: duckdb.DuckDBPyConnection, query: str, params: tuple[Any, ...]) -> pd.DataFrame:
    return cur.execute(query, list(params)).df()


def warehouse_state() -> str:
    """'missing', 'outdated' (another schema version), 'empty' or 'ready'."""
    try:
        cur = cursor()
    except OutdatedWarehouse:
        return "outdated"
    except WarehouseUnavailable:
        return "missing"
    rows = cur.execute("SELECT count(*) FROM waves").fetchall()
    return "ready" if rows and rows[0][0] else "empty"


def meta(key: str) -> str | None:
    frame = sql("SELECT value FROM meta WHERE key = ?", (key,))
    return None if frame.empty else str(frame.iloc[0, 0])


def current_filters() -> Filters:
    """The filters chosen in the sidebar (see ui.state)."""
    value = st.session_state.get("_filters")
    return value if isinstance(value, Filters) else Filters()


# --- figures built once per warehouse version -------------------------------------------------


@dataclass(frozen=True)
class Query:
    """An indicator call (``func(cursor, *args, **kwargs)`` through :func:`ui.data.compute`),
    passed to :func:`figure` instead of its frame: the figure is then found without fetching
    or hashing the frame."""

    func: Any
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    def frame(self) -> Any:
        return compute(self.func, *self.args, **dict(self.kwargs))


def q(func: Any, *args: Any, **kwargs: Any) -> Query:
    """``q(practice.scale_summary, filters)``: see :class:`Query`."""
    return Query(func, args, tuple(sorted(kwargs.items())))


FIGURE_CACHE_SIZE = 256


@st.cache_resource(show_spinner=False)
def _figure_store() -> dict[Any, go.Figure]:
    return {}


def figure(builder: Any, *args: Any, **kwargs: Any) -> go.Figure:
    """``builder(*args, **kwargs)`` — a pure figure builder of ui.figures_* or ui.overview —
    built once per warehouse version, day and inputs, then shared (never modified): building a
    styled plotly figure takes 50–150 ms, more than a page's budget. Frames are passed as
    :class:`Query` (``q(indicator, ...)``), other arguments must be hashable."""
    key = (builder, version(), dt.date.today(), args, tuple(sorted(kwargs.items())))
    store = _figure_store()
    found = store.get(key)
    if found is None:
        resolved = [a.frame() if isinstance(a, Query) else a for a in args]
        named = {k: v.frame() if isinstance(v, Query) else v for k, v in kwargs.items()}
        found = builder(*resolved, **named)
        if len(store) >= FIGURE_CACHE_SIZE:
            store.clear()
        store[key] = found
    return found


def cached_figure(build: Callable[[], go.Figure], *key: Any) -> go.Figure:
    """`build()` once per warehouse version, day and `key` (the choices it depends on: page,
    language, filters...), then shared: for builders that close over page variables."""
    full = ("closure", version(), dt.date.today(), *key)
    store = _figure_store()
    found = store.get(full)
    if found is None:
        found = build()
        if len(store) >= FIGURE_CACHE_SIZE:
            store.clear()
        store[full] = found
    return found
