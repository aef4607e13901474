"""Streamlit pieces shared by the pages: charts with their downloads, KPI cards, tables, empty
states, the page header."""

from __future__ import annotations

import re
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import exports
from ui.i18n import t


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "maillage"


def header(title: str, question: str) -> None:
    """Page title and the question the page answers."""
    st.title(title)
    st.caption(question)


def _safe_image(fig: go.Figure, fmt: str) -> bytes:
    try:
        return exports.image_bytes(fig, fmt)
    except exports.StaticExportUnavailable as exc:
        return str(exc).encode("utf-8")


def chart(fig: go.Figure, key: str, lang: str) -> None:
    """A chart, then its downloads: PNG (16:9, for slides), SVG and self-contained HTML.

    Files are made only when a button is clicked (callables), so drawing a page stays fast."""
    st.plotly_chart(fig, key=f"chart-{key}", config={"displaylogo": False}, theme=None)
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    name = slug(str(meta.get("title", key)))
    cols = st.columns([1, 1, 1, 5])
    static_ok = exports.chrome_path() is not None
    help_text = None if static_ok else exports.static_export_help(lang)
    cols[0].download_button(
        t("export.png", lang),
        lambda: _safe_image(fig, "png"),
        file_name=f"{name}.png",
        mime="image/png",
        key=f"dl-png-{key}",
        icon=":material/image:",
        disabled=not static_ok,
        help=help_text,
        on_click="ignore",
    )
    cols[1].download_button(
        t("export.svg", lang),
        lambda: _safe_image(fig, "svg"),
        file_name=f"{name}.svg",
        mime="image/svg+xml",
        key=f"dl-svg-{key}",
        icon=":material/draw:",
        disabled=not static_ok,
        help=help_text,
        on_click="ignore",
    )
    cols[2].download_button(
        t("export.html", lang),
        lambda: exports.html_bytes(fig),
        file_name=f"{name}.html",
        mime="text/html",
        key=f"dl-html-{key}",
        icon=":material/code:",
        on_click="ignore",
    )


def table(df: pd.DataFrame, key: str, lang: str, name: str | None = None,
          column_config: dict[str, Any] | None = None) -> None:
    """A table, then its downloads: CSV for French Excel (`;`, decimal comma, BOM) and XLSX."""
    st.dataframe(df, hide_index=True, key=f"table-{key}", column_config=column_config)
    file_name = slug(name or key)
    cols = st.columns([1, 1, 6])
    cols[0].download_button(
        t("export.csv", lang),
        lambda: exports.csv_bytes(df, lang),
        file_name=f"{file_name}.csv",
        mime="text/csv",
        key=f"dl-csv-{key}",
        icon=":material/download:",
        on_click="ignore",
    )
    cols[1].download_button(
        t("export.xlsx", lang),
        lambda: exports.xlsx_bytes({name or key: df}),
        file_name=f"{file_name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dl-xlsx-{key}",
        icon=":material/table:",
        on_click="ignore",
    )


def empty_state(message: str) -> None:
    st.info(message, icon=":material/info:")


def kpi(
    column: st.delta_generator.DeltaGenerator,
    label: str,
    value: str,
    delta: str | None = None,
    help_text: str | None = None,
    good_if_up: bool = True,
    *,
    beyond_noise: bool = True,
    arrow: Literal["auto", "up", "down", "off"] = "auto",
    chart_data: list[float] | None = None,
    delta_description: str | None = None,
) -> None:
    """A KPI card. A change within noise is grey; `arrow` ("up", "down", "off", "auto") is given
    explicitly because Streamlit reads a typographic minus (−) as positive."""
    colour: Literal["normal", "inverse", "off"] = ("normal" if good_if_up else "inverse") if beyond_noise else "off"
    column.metric(
        label, value, delta=delta, help=help_text, delta_color=colour, border=True, chart_data=chart_data,
        delta_description=delta_description, delta_arrow=arrow,
    )
