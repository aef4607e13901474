"""Streamlit pieces shared by the pages: charts with their downloads, KPI cards, tables, empty
states, the page header."""

from __future__ import annotations

import re

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


def chart(fig: go.Figure, key: str, lang: str) -> None:
    """A chart, then its download buttons."""
    st.plotly_chart(fig, key=f"chart-{key}", config={"displaylogo": False})
    name = slug(str(fig.layout.meta.get("title", key)) if isinstance(fig.layout.meta, dict) else key)
    cols = st.columns([1, 1, 6])
    cols[0].download_button(
        t("export.html", lang),
        exports.html_bytes(fig),
        file_name=f"{name}.html",
        mime="text/html",
        key=f"dl-html-{key}",
        icon=":material/download:",
    )


def table(df: pd.DataFrame, key: str, lang: str, name: str | None = None) -> None:
    """A table, then its CSV download (French Excel friendly)."""
    st.dataframe(df, hide_index=True, key=f"table-{key}")
    st.download_button(
        t("export.csv", lang),
        exports.csv_bytes(df, lang),
        file_name=f"{slug(name or key)}.csv",
        mime="text/csv",
        key=f"dl-csv-{key}",
        icon=":material/download:",
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
) -> None:
    column.metric(
        label, value, delta=delta, help=help_text, delta_color="normal" if good_if_up else "inverse", border=True
    )
