"""Text that leaves Maillage in a spreadsheet or in Markdown stays text.

A cell that begins with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
LibreOffice when the CSV is opened (OWASP "CSV injection"): an institution named
`=HYPERLINK("http://x","y")` would become a live link. Every CSV writer of the project passes text
cells through :func:`neutralise_formula_text` (a leading apostrophe, which spreadsheets show as text
and do not display); XLSX writers store text cells as strings, never formulas. Numbers are never
touched: a change of −0.2 stays the number −0.2. Data shown through Markdown (territory names in the
overview's findings) goes through :func:`escape_markdown`. Charts: plotly reads its own markup in
every label, hover, tick and legend (`<a href>` is a link, `<span style>` restyles), so every figure
leaves through :func:`neutralise_chart_markup` (ui.exports.safe_figure: the page, its PNG, SVG and
HTML, the pack's pictures): only the markup Maillage writes stays markup, anything else shows as text.
"""

from __future__ import annotations

import re

import pandas as pd

FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# The markup of Maillage's own chart texts: line breaks, bold, italic, plotly's <extra> of hover
# templates, and the small grey second lines of labels and subtitles.
_CHART_MARKUP = re.compile(
    r"<br>|<br />|</?b>|</?i>|</?extra>|</span>"
    r"|<span style='font-size:(?:9|1[0-6])px(?:;color:#[0-9A-Fa-f]{3,8})?'>"
)
_TAG_START = re.compile(r"<(?=[A-Za-z/])")


def neutralise_formula_text(value: object) -> object:
    """``value`` with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame, header: bool = True) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and, with ``header``, column names) are neutralised;
    numeric, boolean and date columns are left as they are."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.StringDtype) or values.dtype == object:
            out[column] = values.map(neutralise_formula_text)
    if header:
        out.columns = [neutralise_formula_text(str(c)) for c in out.columns]
    return out


def escape_markdown(text: str) -> str:
    """``text`` with every Markdown and HTML special character escaped, for data values (names
    loaded from users' files) placed inside Markdown that Streamlit renders."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def neutralise_chart_markup(text: str) -> str:
    """``text`` for a plotly label: every ``<`` that could open a tag (before a letter or ``/``) and
    is not Maillage's own markup (see ``_CHART_MARKUP``) as an entity, so that a name from a user's
    file (an institution named ``<a href='…'>``) shows as the text it is, never as a link or a style.
    Plotly reads a tag only from ``<`` and a name: « < 5 » and « a > b » stay as they are."""
    if "<" not in text:
        return text
    parts: list[str] = []
    at = 0
    for kept in _CHART_MARKUP.finditer(text):
        parts += [_as_text(text[at:kept.start()]), kept.group()]
        at = kept.end()
    parts.append(_as_text(text[at:]))
    return "".join(parts)


def _as_text(text: str) -> str:
    return _TAG_START.sub("&lt;", text)
