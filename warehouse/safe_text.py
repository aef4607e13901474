"""Text that leaves Maillage in a spreadsheet or in Markdown stays text.

A cell that begins with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
LibreOffice when the CSV is opened (OWASP "CSV injection"): an institution named
`=HYPERLINK("http://x","y")` would become a live link. Every CSV writer of the project passes text
cells through :func:`neutralise_formula_text` (a leading apostrophe, which spreadsheets show as text
and do not display); XLSX writers store text cells as strings, never formulas. Numbers are never
touched: a change of −0.2 stays the number −0.2. Data shown through Markdown (territory names in the
overview's findings) goes through :func:`escape_markdown`.
"""

from __future__ import annotations

import re

import pandas as pd

FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


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
