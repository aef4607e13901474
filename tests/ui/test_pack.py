"""The committee pack on the demo: read back the zip, the deck (native charts against the
indicator tables, alt text, reading order, titles that fit), the workbook and the README."""

from __future__ import annotations

import io
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from indicators import exchanges, networks, practice, wellbeing
from indicators.filters import Filters
from maillage.cli import cli
from tests.ui import packcheck
from ui import exports

WAVES = ["2024-2", "2025-1", "2025-2", "2026-1"]
needs_chrome = pytest.mark.skipif(
    exports.chrome_path() is None and os.environ.get("MAILLAGE_REQUIRE_BROWSER") != "1",
    reason="the pack draws its pictures with Chrome/Chromium (Debian: apt install chromium); CI installs it",
)


@pytest.fixture(scope="module")
def demo_pack(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    if exports.chrome_path() is None and os.environ.get("MAILLAGE_REQUIRE_BROWSER") != "1":
        pytest.skip("the pack draws its pictures with Chrome/Chromium (Debian: apt install chromium)")
    out = tmp_path_factory.mktemp("pack") / "comite.zip"
    result = CliRunner().invoke(cli, ["pack", "--out", str(out), "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    assert "Pack written" in result.output
    return zipfile.ZipFile(out)


@pytest.fixture(scope="module")
def conn(demo_db: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(demo_db), read_only=True)


def _slide(prs: object, title_start: str) -> packcheck.SlideView:
    return next(v for v in packcheck.slides(prs) if v.title.startswith(title_start))


@needs_chrome
def test_the_pack_holds_a_deck_a_workbook_a_readme_and_the_pictures_it_needs(demo_pack: zipfile.ZipFile) -> None:
    names = demo_pack.namelist()
    assert any(n.endswith("presentation.pptx") for n in names)
    assert any(n.endswith("tableaux.xlsx") for n in names)
    # only the network is a picture by default (line and bar charts are PowerPoint charts)
    assert [n.rsplit("/", 1)[-1] for n in names if n.endswith((".png", ".svg"))] == ["04-reseau.png"]
    png = packcheck.member(demo_pack, "04-reseau.png")
    assert struct.unpack(">II", png[16:24]) == (3200, 1800)
    assert b"iTXt" in png[:4000] and b"Qui travaille avec qui" in png[:4000]  # title in the file


@needs_chrome
def test_every_slide_is_readable_title_chart_footnote_with_alt_text_and_nothing_overflows(
    demo_pack: zipfile.ZipFile,
) -> None:
    prs = packcheck.deck(demo_pack)
    assert packcheck.check_deck(prs) == []
    views = packcheck.slides(prs)
    titles = [v.title for v in views]
    assert titles == [
        "Évaluation du partenariat éducatif — comité de pilotage",
        "Indicateurs clés, vague par vague",
        "Scores de pratiques par vague",
        "Évolution des mêmes personnes entre 2025-2 et 2026-1 (panel)",
        "Qui travaille avec qui ? Réseau des structures, vague 2026-1",
        "Indicateurs du réseau par vague",
        "Liens maintenus, perdus et nouveaux entre 2025-2 et 2026-1",
        "Agir ensemble et nouer ou garder un lien",
        "Actions communes par mois, dont celles à plusieurs secteurs",
        "Actions pour les 16–18 ans et avec les parents co-organisateurs, par semestre",
        "Part des professionnels au-delà des seuils",
        "Évolution du bien-être des mêmes personnes entre 2025-2 et 2026-1",
        "Méthode",
    ]
    network = _slide(prs, "Qui travaille")
    assert network.kinds == ["title", "picture", "note"] and not network.charts
    assert "40" in packcheck.alt_text(network.pictures[0])
    assert sum(len(v.pictures) for v in views) == 1
    practice_slide = _slide(prs, "Scores de pratiques")
    assert practice_slide.kinds == ["title", "chart", "note"]
    assert "Pratiques en réseau : de 3,13 (2024-2) à 3,49 (2026-1)" in packcheck.alt_text(practice_slide.charts[0])
    note = practice_slide.texts["Note"]
    assert "n = 232" in note and "IC à 95 % en 2026-1" in note and "Filtres" in note
    assert "fiabilité faible" in note  # the demo has scales with alpha < 0.7
    assert practice_slide.shapes[0].has_text_frame  # the slide's title is its first shape
    first = prs.slides[2]
    assert first.has_notes_slide and "Score moyen par échelle" in first.notes_slide.notes_text_frame.text


@needs_chrome
def test_native_charts_hold_the_indicator_tables(demo_pack: zipfile.ZipFile, conn: duckdb.DuckDBPyConnection) -> None:
    from pptx.enum.chart import XL_CHART_TYPE

    prs = packcheck.deck(demo_pack)
    f = Filters(waves=tuple(WAVES))
    summary = practice.scale_summary(conn, f)
    chart = _slide(prs, "Scores de pratiques").charts[0]
    assert chart.chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert packcheck.categories(chart) == WAVES
    values = packcheck.chart_values(chart)
    assert list(values) == list(summary.drop_duplicates("scale_id")["label_fr"])
    for label, part in summary.groupby("label_fr"):
        assert values[label] == pytest.approx(list(part.sort_values("wave_order")["mean"]))
    # the CI is in the chart: one error bar element per series
    assert chart.chart._chartSpace.xml.count("<c:errBars>") == len(values)

    wb = wellbeing.wellbeing_summary(conn, f)
    cut = packcheck.chart_values(_slide(prs, "Part des professionnels").charts[0])
    who5 = wb[wb["scale_id"] == "who5"].sort_values("wave_order")
    assert cut["Bien-être faible (WHO-5 ≤ 50)"] == pytest.approx(list(who5["who5_poor_share"]))
    assert cut["Repérage d'une dépression probable (WHO-5 ≤ 28)"] == pytest.approx(list(who5["who5_depression_share"]))

    stab = networks.tie_stability(conn, f, "2025-2", "2026-1", "partner_survey",
                                  by_territory=networks.networks_by_territory()).summary
    frame = _slide(prs, "Liens maintenus").charts[0]
    assert frame.chart.chart_type == XL_CHART_TYPE.BAR_STACKED
    assert [v[0] for v in packcheck.chart_values(frame).values()] == [
        float(stab["n11"].iloc[0]), float(stab["n10"].iloc[0]), float(stab["n01"].iloc[0])
    ]
    monthly = exchanges.activity_monthly(conn, f)
    frame = _slide(prs, "Actions communes par mois").charts[0]
    assert frame.chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    got = packcheck.chart_values(frame)
    assert got["avec au moins 2 secteurs"] == [float(x) for x in monthly["multi_sector"]]
    assert got["un seul secteur"] == [float(a - m) for a, m in zip(monthly["actions"], monthly["multi_sector"],
                                                                    strict=True)]
    overview = _slide(prs, "Indicateurs clés")
    assert len(overview.charts) == 8 and all(packcheck.categories(c) == WAVES for c in overview.charts)


@needs_chrome
def test_the_workbook_is_in_french_with_labels_formats_tables_and_definitions(demo_pack: zipfile.ZipFile) -> None:
    wb = load_workbook(io.BytesIO(packcheck.member(demo_pack, "tableaux.xlsx")))
    assert "Définitions" in wb.sheetnames and "Indicateurs" in wb.sheetnames and "Chargements" in wb.sheetnames
    assert "Pratiques par vague" in wb.sheetnames and "headline_trend" not in wb.sheetnames
    sheet = wb["Pratiques par vague"]
    header = [c.value for c in sheet[1]]
    assert header == ["Échelle", "Vague", "Effectif (n)", "Moyenne", "IC 95 % bas", "IC 95 % haut", "Masqué"]
    assert sheet["A2"].value == "Pratiques en réseau" and sheet["G2"].value == "non"
    assert sheet["D2"].number_format == "0.00" and sheet["C2"].number_format == "#,##0"
    assert list(sheet.tables) and sheet.tables[next(iter(sheet.tables))].ref.startswith("A1:G")
    trend = wb["Indicateurs clés"]
    assert "Pratiques en réseau (1 à 5)" in [c.value for c in trend["A"]]  # labels, not ids
    defs = wb["Définitions"]
    rows = [tuple(c.value for c in r) for r in defs.iter_rows(min_row=2)]
    described = {(r[0], r[1]) for r in rows}
    for name in wb.sheetnames:
        if name in ("Définitions", "Indicateurs", "Chargements"):
            continue
        for cell in wb[name][1]:
            assert (name, cell.value) in described, f"{name} / {cell.value} has no definition"
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            assert "nan" not in [str(v).lower() for v in row if v is not None]
    n_col = header.index("Effectif (n)")
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] is None:
            break
        assert row[6] == "oui" or (row[n_col] is not None and row[n_col] >= 5)


@needs_chrome
def test_the_readme_is_french(demo_pack: zipfile.ZipFile) -> None:
    readme = packcheck.member(demo_pack, "LISEZMOI.md").decode("utf-8")
    assert "| N° | Fichier | Questionnaire | Vague | Lignes chargées | Date du chargement |" in readme
    assert "praticiens\\_2026-1.xlsx" in readme and "nan" not in readme
    built = next(line for line in readme.splitlines() if line.startswith("Construit en"))
    assert "," in built and "." not in built.removesuffix(".")


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


def test_events_are_added_listed_and_shown_on_the_time_charts(demo_db: Path, tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "events.duckdb"
    shutil.copy(demo_db, db)
    runner = CliRunner()
    bad = runner.invoke(cli, ["events", "add", "--db", str(db), "--date", "31/13/2025", "--label", "x"])
    assert bad.exit_code == 1
    assert bad.output == "Error: --date: the date “31/13/2025” is not a date: write it 2025-09-01 or 01/09/2025.\n"
    events_file = tmp_path / "reperes.csv"
    events_file.write_text("date;libellé;label_en\n01/09/2025;Formation commune;Joint training\n"
                           "15/01/2026;Lancement du PEDT;PEDT launch\n", encoding="utf-8")
    loaded = runner.invoke(cli, ["events", "load", str(events_file), "--db", str(db)])
    assert loaded.output == "2 event(s) added from reperes.csv.\n"
    listed = runner.invoke(cli, ["events", "list", "--db", str(db)])
    assert listed.output.splitlines() == ["#1   01/09/2025  Formation commune  (Joint training)",
                                          "#2   15/01/2026  Lancement du PEDT  (PEDT launch)"]
    broken = tmp_path / "broken.csv"
    broken.write_text("date;libellé\n2025-09-01;ok\nlundi;Réunion\n", encoding="utf-8")
    refused = runner.invoke(cli, ["events", "load", str(broken), "--db", str(db)])
    assert refused.exit_code == 2
    assert refused.output == ("Error: broken.csv, row 3: the date “lundi” is not a date: write it 2025-09-01 or "
                              "01/09/2025.\n")
    assert len(runner.invoke(cli, ["events", "list", "--db", str(db)]).output.splitlines()) == 2

    from ui import events

    conn = duckdb.connect(str(db), read_only=True)
    # 09/2025 falls between the 2025-1 (May) and 2025-2 (November) waves; 01/2026 between 2025-2 and 2026-1
    assert events.wave_marks(conn, tuple(WAVES), "fr") == ((1.5, "Formation commune"), (2.5, "Lancement du PEDT"))
    monthly = exchanges.activity_monthly(conn, Filters(waves=tuple(WAVES)))
    months = [f"{m:%Y-%m}" for m in monthly["month"]]
    assert events.marks_for_months(events.load_events(conn), list(monthly["month"]), "en") == (
        (float(months.index("2025-09")), "Joint training"), (float(months.index("2026-01")), "PEDT launch"))
    if exports.chrome_path() is None:
        return
    out = tmp_path / "p.zip"
    assert runner.invoke(cli, ["pack", "--out", str(out), "--db", str(db)]).exit_code == 0
    prs = packcheck.deck(zipfile.ZipFile(out))
    slide = _slide(prs, "Scores de pratiques")
    assert [k for k in slide.kinds if k == "mark"] == ["mark", "mark"]
    assert "Repères : 09/2025 Formation commune · 01/2026 Lancement du PEDT" in slide.texts["Note"]


def test_pack_page_offers_the_headline_sections(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app("pages/9_comite.py")
    assert not at.exception
    assert at.multiselect(key="pack_sections").value == ["overview", "practice", "network", "exchanges", "wellbeing"]
    assert at.checkbox(key="pack_images").value is False
    en = demo_app("pages/9_comite.py", lang="en")
    assert not en.exception and en.title[0].value == "Export for the committee"


@needs_chrome
def test_practice_slides_say_which_items_a_codebook_version_added_or_dropped(
    demo_pack: zipfile.ZipFile, conn: duckdb.DuckDBPyConnection
) -> None:
    """The practitioner codebook v2 drops items and adds others: the trend slide says so, with the
    waves that asked them, and the panel slide says the change is computed on the common items."""
    import tomllib

    surveys = Path(__file__).resolve().parents[2] / "surveys" / "practitioner"
    v1 = tomllib.loads((surveys / "v1.toml").read_text(encoding="utf-8"))
    v2 = tomllib.loads((surveys / "v2.toml").read_text(encoding="utf-8"))
    dropped = set(v2["changes"]["drop_items"])
    added = {i["id"] for i in v2["items"]} - {i["id"] for i in v1["items"]}
    assert dropped and added  # the demo's codebooks do change the item set
    by_version = dict(conn.execute(
        "SELECT codebook_version, string_agg(DISTINCT wave_id, ', ' ORDER BY wave_id) FROM loads "
        "WHERE instrument = 'practitioner' GROUP BY 1").fetchall())
    prs = packcheck.deck(demo_pack)
    note = _slide(prs, "Scores de pratiques").texts["Note"]
    for item in dropped:
        assert f"{item} posé en {by_version['1']} seulement" in note, note
    for item in added:
        assert f"{item} posé en {by_version['2']} seulement" in note, note
    # the panel slide compares two waves of the same version: nothing was rescored, nothing is said
    assert by_version["2"].endswith("2025-2, 2026-1")
    panel_note = _slide(prs, "Évolution des mêmes personnes").texts["Note"]
    assert "questions posées aux deux vagues" not in panel_note
    # the footnote box wraps the text itself: no line break in the middle of a sentence
    assert "filtres appliqués à leurs réponses de 2026-1." in panel_note


@needs_chrome
def test_the_tie_formation_slide_holds_the_odds_ratios_the_indicator_estimates(
    demo_pack: zipfile.ZipFile, conn: duckdb.DuckDBPyConnection
) -> None:
    from indicators import tie_formation

    effects = tie_formation.tie_formation(conn, Filters(waves=tuple(WAVES)),
                                          by_territory=networks.networks_by_territory()).effects.set_index("effect")
    prs = packcheck.deck(demo_pack)
    view = _slide(prs, "Agir ensemble")
    assert view.kinds == ["title", "chart", "note"]
    chart = view.charts[0]
    assert packcheck.categories(chart) == ["Nouer un lien", "Garder un lien"]
    values = packcheck.chart_values(chart)["Rapport des chances"]
    assert values == pytest.approx([effects.at["formation", "odds_ratio"], effects.at["persistence", "odds_ratio"]])
    assert chart.chart._chartSpace.xml.count("<c:errBars>") == 1  # the intervals are in the chart
    assert "Nouer un lien" in packcheck.alt_text(chart)
    note = view.texts["Note"]
    low = f"{effects.at['formation', 'or_ci_low']:.2f}".replace(".", ",")
    assert "fois plus de chances de nouer un lien" in note and low in note
    assert "sélection des partenaires" in note and "observationnelle" in note
    speaker = prs.slides[view.index].notes_slide.notes_text_frame.text
    assert "Précautions :" in speaker and "sélection des partenaires" in speaker


@needs_chrome
def test_the_trend_slides_and_the_method_name_the_repeated_measures_model(
    demo_pack: zipfile.ZipFile, conn: duckdb.DuckDBPyConnection
) -> None:
    from indicators import models

    fit = models.repeated_measures(conn, Filters(waves=tuple(WAVES)))
    row = fit.changes[(fit.changes["scale_id"] == "network_practice") & (fit.changes["wave_a"] == "2025-2")
                      & (fit.changes["wave_b"] == "2026-1")].iloc[0]
    prs = packcheck.deck(demo_pack)
    note = _slide(prs, "Scores de pratiques").texts["Note"]
    assert "Modèle à mesures répétées" in note and "évolution 2025-2 → 2026-1" in note
    assert f"Pratiques en réseau {row['change']:+.2f}".replace(".", ",") in note
    assert "répondant seulement" in note  # the demo's parents scale: the fallback is said
    assert "Modèle à mesures répétées" in _slide(prs, "Part des professionnels").texts["Note"]
    method = _slide(prs, "Méthode").texts["Texte"]
    assert "modèle à mesures répétées" in method and "Poids de non-réponse" in method
    assert "effet de plan" in method and "modèle logistique par paire de structures" in method
