"""The committee pack: read back the zip, the deck, the workbook and the images."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from etl.cli import cli
from ui import exports

needs_chrome = pytest.mark.skipif(
    exports.chrome_path() is None and os.environ.get("MAILLAGE_REQUIRE_BROWSER") != "1",
    reason="the pack draws its charts with Chrome/Chromium (Debian: apt install chromium); CI installs it",
)


@pytest.fixture(scope="module")
def demo_pack(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    if exports.chrome_path() is None and os.environ.get("MAILLAGE_REQUIRE_BROWSER") != "1":
        pytest.skip("the pack draws its charts with Chrome/Chromium (Debian: apt install chromium)")
    out = tmp_path_factory.mktemp("pack") / "comite.zip"
    result = CliRunner().invoke(cli, ["pack", "--out", str(out), "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    assert "Pack written" in result.output
    return zipfile.ZipFile(out)


def _member(z: zipfile.ZipFile, suffix: str) -> bytes:
    return z.read(next(n for n in z.namelist() if n.endswith(suffix)))


@needs_chrome
def test_the_pack_holds_a_deck_charts_a_workbook_and_a_readme(demo_pack: zipfile.ZipFile) -> None:
    names = demo_pack.namelist()
    pngs = [n for n in names if n.endswith(".png")]
    svgs = [n for n in names if n.endswith(".svg")]
    assert len(pngs) == len(svgs) >= 4
    assert any(n.endswith("presentation.pptx") for n in names)
    assert any(n.endswith("tableaux.xlsx") for n in names)
    readme = _member(demo_pack, "LISEZMOI.md").decode("utf-8")
    assert "Données utilisées" in readme and "praticiens_2026-1.xlsx" in readme


@needs_chrome
def test_the_deck_has_a_titled_slide_per_chart_with_its_footnote(demo_pack: zipfile.ZipFile) -> None:
    prs = Presentation(io.BytesIO(_member(demo_pack, "presentation.pptx")))
    n_charts = len([n for n in demo_pack.namelist() if n.endswith(".png")])
    slides = list(prs.slides)
    assert len(slides) == n_charts + 2  # title slide, charts, method slide
    chart_slide = slides[1]
    texts = [sh.text_frame.text for sh in chart_slide.shapes if sh.has_text_frame]
    assert texts[0] == "Indicateurs clés, vague par vague"
    assert any("Source" in x and "Maillage" in x for x in texts)
    practice_texts = [sh.text_frame.text for sh in slides[2].shapes if sh.has_text_frame]
    assert any("n =" in x and "Filtres" in x for x in practice_texts)
    assert any(sh.shape_type == 13 for sh in chart_slide.shapes)  # a picture
    assert chart_slide.has_notes_slide and chart_slide.notes_slide.notes_text_frame.text


@needs_chrome
def test_the_workbook_has_definitions_and_suppression_holds(demo_pack: zipfile.ZipFile) -> None:
    wb = load_workbook(io.BytesIO(_member(demo_pack, "tableaux.xlsx")))
    assert "Définitions" in wb.sheetnames
    defs = wb["Définitions"]
    assert [c.value for c in defs[1]][:3] == ["id", "famille", "titre"]
    sheet = wb["practice_scale_means"]
    header = [c.value for c in sheet[1]]
    n_col = header.index("n") + 1
    suppressed_col = header.index("suppressed") + 1
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] is None:
            break
        n = row[n_col - 1]
        assert row[suppressed_col - 1] or (n is not None and n >= 5)


@needs_chrome
def test_pack_pngs_are_slide_sized(demo_pack: zipfile.ZipFile) -> None:
    import struct

    png = _member(demo_pack, "01-tendances.png")
    assert struct.unpack(">II", png[16:24]) == (3200, 1800)


def test_pack_errors_are_clear(demo_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    bad_wave = runner.invoke(cli, ["pack", "--out", str(tmp_path / "p.zip"), "--db", str(demo_db), "--waves", "2030-1"])
    assert bad_wave.exit_code == 1
    assert bad_wave.output == (
        "Error: Unknown wave(s): 2030-1. Waves in the warehouse: 2024-2, 2025-1, 2025-2, 2026-1.\n"
    )
    empty = tmp_path / "empty.duckdb"
    from warehouse.db import publish, writer_lock

    with writer_lock(empty):
        publish(empty, lambda conn: None)
    no_data = runner.invoke(cli, ["pack", "--out", str(tmp_path / "p.zip"), "--db", str(empty)])
    assert no_data.output == (
        "Error: The warehouse holds no wave yet: load survey waves first (maillage load), then build the pack.\n"
    )
    assert not (tmp_path / "p.zip").exists()


def test_pack_page_offers_the_headline_sections(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app("pages/9_comite.py")
    assert not at.exception
    assert at.multiselect(key="pack_sections").value == ["overview", "practice", "network", "exchanges", "wellbeing"]
    en = demo_app("pages/9_comite.py", lang="en")
    assert not en.exception and en.title[0].value == "Export for the committee"
