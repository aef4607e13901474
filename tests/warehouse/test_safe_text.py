"""Text cells a spreadsheet would run as formulas are neutralised; numbers stay numbers; chart text
keeps only Maillage's own markup."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from warehouse.safe_text import neutralise_chart_markup, neutralise_formula_text, neutralise_frame


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("=1", "'=1"),
    ],
)
def test_text_that_starts_like_a_formula_gets_an_apostrophe(text: str, expected: str) -> None:
    assert neutralise_formula_text(text) == expected


@pytest.mark.parametrize("text", ["Collège Jean Jaurès", "a = b", "", "Autre : Marie", "1+1", "'=déjà échappé"])
def test_plain_text_is_unchanged(text: str) -> None:
    assert neutralise_formula_text(text) == text


@pytest.mark.parametrize("value", [-0.2, -3, 0, None, True])
def test_numbers_and_missing_values_are_returned_as_they_are(value: object) -> None:
    assert neutralise_formula_text(value) is value


def test_a_frame_written_as_csv_has_no_formula_cell_and_keeps_its_numbers() -> None:
    frame = pd.DataFrame(
        {
            "institution": ['=HYPERLINK("http://x","y")', "Mairie", None],
            "change": [-0.2, 0.1, 1.5],
            "n": [12, 7, 5],
            "=col": ["@x", "-y", "ok"],
        }
    )
    safe = neutralise_frame(frame)
    assert frame.loc[0, "institution"].startswith("=")  # the original is not modified
    assert list(safe["institution"])[:2] == ['\'=HYPERLINK("http://x","y")', "Mairie"]
    assert pd.isna(safe.loc[2, "institution"])
    assert list(safe["change"]) == [-0.2, 0.1, 1.5] and safe["change"].dtype == frame["change"].dtype
    assert list(safe["n"]) == [12, 7, 5]
    assert list(safe.columns) == ["institution", "change", "n", "'=col"]
    rows = list(csv.reader(io.StringIO(safe.to_csv(index=False))))
    texts = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in texts)
    assert "-0.2" in texts  # a negative number (a float) is still written as a number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<a href='https://x.invalid'>Ville</a>", "&lt;a href='https://x.invalid'>Ville&lt;/a>"),
        ("<span style='font-size:90px'>Ville</span>", "&lt;span style='font-size:90px'>Ville</span>"),
        ("<SCRIPT>x</SCRIPT>", "&lt;SCRIPT>x&lt;/SCRIPT>"),
        ("Ville<br><span style='font-size:11px;color:#5f6b7a'>n = 12</span>",
         "Ville<br><span style='font-size:11px;color:#5f6b7a'>n = 12</span>"),
        ("<b>%{x}</b><br>%{y}<extra></extra>", "<b>%{x}</b><br>%{y}<extra></extra>"),
        ("masqué (< 5 répondants), a > b", "masqué (< 5 répondants), a > b"),
    ],
)
def test_chart_text_keeps_only_maillages_own_markup(text: str, expected: str) -> None:
    assert neutralise_chart_markup(text) == expected
