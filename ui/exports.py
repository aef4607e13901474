"""Files users download: tables for French Excel, charts as self-contained HTML.

Pure Python (no Streamlit), so the command line can build the same files.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go


def csv_bytes(df: pd.DataFrame, lang: str = "fr") -> bytes:
    """CSV that Excel opens correctly: in French `;`-separated with decimal commas; UTF-8 with BOM."""
    text = df.to_csv(sep=";", decimal=",", index=False) if lang == "fr" else df.to_csv(sep=",", index=False)
    return ("\ufeff" + text).encode("utf-8")


def html_bytes(fig: go.Figure) -> bytes:
    """The interactive chart as one HTML file that works offline (plotly.js embedded)."""
    return fig.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False}).encode("utf-8")
