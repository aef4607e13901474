"""Exported files are what French Excel, slides and browsers expect; read back to check."""

from __future__ import annotations

import io
import os
import re
import struct

import pandas as pd
import plotly.graph_objects as go
import pytest
from openpyxl import load_workbook

from ui import exports

needs_chrome = pytest.mark.skipif(
    exports.chrome_path() is None and os.environ.get("MAILLAGE_REQUIRE_BROWSER") != "1",
    reason="static image export needs Chrome/Chromium (Debian: apt install chromium); CI installs it",
)

TABLE = pd.DataFrame(
    {"wave_id": ["2025-1", "2025-2"], "n": [231, 218], "mean": [3.125, 3.5], "share_poor": [0.256, 0.3]}
)


def test_csv_opens_in_french_excel() -> None:
    raw = exports.csv_bytes(TABLE, "fr")
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "wave_id;n;mean;share_poor"
    assert lines[1] == "2025-1;231;3,125;0,256"


def test_csv_in_english_uses_commas_and_points() -> None:
    assert exports.csv_bytes(TABLE, "en").decode("utf-8-sig").splitlines()[1] == "2025-1,231,3.125,0.256"


def test_xlsx_has_typed_cells_styled_header_frozen_panes_and_formats() -> None:
    wb = load_workbook(
        io.BytesIO(
            exports.xlsx_bytes(
                {"Bien-être: résumé/vague": TABLE}, notes={"Bien-être: résumé/vague": "Source : questionnaire"}
            )
        )
    )
    ws = wb[wb.sheetnames[0]]
    assert wb.sheetnames == ["Bien-être_ résumé_vague"]  # Excel forbids : and / in sheet names
    assert [c.value for c in ws[1]] == ["wave_id", "n", "mean", "share_poor"]
    assert ws["A1"].font.bold and ws.freeze_panes == "B2"
    assert ws["B2"].value == 231 and isinstance(ws["B2"].value, int)
    assert ws["C3"].value == 3.5 and ws["C3"].number_format == "0.00"
    assert ws["D2"].number_format == "0.0%" and ws["B2"].number_format == "#,##0"
    assert ws.cell(ws.max_row, 1).value == "Source : questionnaire"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@needs_chrome
def test_png_is_16_9_high_resolution_and_svg_is_vector() -> None:
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    fig.update_layout(title="Réseau")
    with exports.image_server():
        png = exports.image_bytes(fig, "png")
        svg = exports.image_bytes(fig, "svg")
    assert _png_size(png) == (3200, 1800)
    assert svg.lstrip().startswith(b"<svg") and b"R\xc3\xa9seau" in svg


LINK = "<a href='https://exemple.invalid/'>Ville</a>"


def crafted_figure() -> go.Figure:
    """A bar whose category, hover and title carry a name from a user's file made of markup, beside
    Maillage's own markup (bold, line break, the small grey second line)."""
    fig = go.Figure(go.Bar(x=[LINK, "b"], y=[1, 2], hovertext=[f"<b>{LINK}</b><br>n < 5", "b"], name=LINK))
    fig.update_layout(title=f"Réseau de {LINK}<br><span style='font-size:13px;color:#5f6b7a'>2026-1</span>")
    return fig


@needs_chrome
def test_a_name_made_of_markup_is_drawn_as_text_in_the_exported_picture() -> None:
    with exports.image_server():
        svg = exports.image_bytes(crafted_figure(), "svg").decode("utf-8")
    assert "exemple.invalid" in svg  # the name is there...
    assert "<a " not in svg and "xlink:href" not in svg  # ...as text, not as a link
    assert re.search(r"font-size: ?13px", svg)  # Maillage's own markup (the title's grey second line) is drawn


def test_a_name_made_of_markup_stays_text_in_every_string_plotly_draws() -> None:
    fig = exports.safe_figure(crafted_figure())
    assert fig.data[0].x == ("&lt;a href='https://exemple.invalid/'>Ville&lt;/a>", "b")
    assert fig.data[0].name == "&lt;a href='https://exemple.invalid/'>Ville&lt;/a>"
    assert fig.data[0].hovertext[0] == "<b>&lt;a href='https://exemple.invalid/'>Ville&lt;/a></b><br>n < 5"
    assert fig.layout.title.text.endswith("<br><span style='font-size:13px;color:#5f6b7a'>2026-1</span>")
    html = exports.html_bytes(crafted_figure()).decode("utf-8")
    for code, char in (("\\u003c", "<"), ("\\u003e", ">"), ("\\u002f", "/"), ("\\u0026", "&")):
        html = html.replace(code, char)  # plotly's JSON in the page escapes these
    assert "&lt;a href='https://exemple.invalid/'>Ville" in html and "<a href='https://exemple" not in html


def test_html_is_self_contained() -> None:
    html = exports.html_bytes(go.Figure(go.Bar(x=["a"], y=[1])))
    assert b'<script src="http' not in html and b"plotly" in html


def test_missing_chrome_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chrome")
    assert exports.chrome_path() is None
    assert "apt install chromium" in exports.static_export_help("fr")
