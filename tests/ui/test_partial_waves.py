"""A last wave that arrived in part (practitioner survey only; partner survey only; neither, the
log only): every page and the pack show the latest wave that has each kind of data, say which,
never draw an empty chart, and the status table shows what is missing."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from maillage.cli import cli
from tests.partial_waves import build_partial_warehouse
from tests.ui import packcheck
from tests.ui.conftest import APP, TIMEOUT
from ui import exports

KINDS = ("practitioner_only", "partner_only", "log_only")
PAGES = ("pages/1_vue_ensemble.py", "pages/2_pratiques.py", "pages/3_reseau.py", "pages/4_echanges.py",
         "pages/5_bien_etre.py", "pages/6_qualite.py", "pages/9_comite.py")


@pytest.fixture(scope="module")
def partial(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("partial-waves")
    return {k: build_partial_warehouse(folder / f"{k}.duckdb", k, folder / "key") for k in KINDS}


def _page(db: Path, page: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("MAILLAGE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(page).run()
    return at


def _texts(at: AppTest) -> str:
    parts: list[Any] = [*at.caption, *at.info, *at.markdown, *at.subheader, *at.warning]
    return "\n".join(str(p.value) for p in parts)


def _has_data(trace: dict[str, Any]) -> bool:
    for key in ("x", "y", "z", "values"):
        values = trace.get(key)
        if isinstance(values, dict):  # plotly's typed arrays
            return True
        if isinstance(values, list) and any(v is not None for v in values):
            return True
    return False


def _empty_charts(at: AppTest) -> list[str]:
    out = []
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        if not any(_has_data(tr) for tr in spec.get("data", [])):
            title = spec.get("layout", {}).get("title", {}).get("text", "")
            out.append(str(title)[:80])
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_runs_and_draws_no_empty_chart(
    partial: dict[str, Path], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for page in PAGES:
        at = _page(partial[kind], page, monkeypatch)
        assert not at.exception, (page, [e.message for e in at.exception])
        assert _empty_charts(at) == [], page


def test_without_the_partner_survey_the_network_names_the_wave_it_shows(
    partial: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _page(partial["practitioner_only"], "pages/3_reseau.py", monkeypatch)
    texts = _texts(at)
    assert ("Réseau : dernière vague avec le questionnaire aux partenaires, 2025-2 ; celui de la vague 2026-1 "
            "n'est pas encore chargé.") in texts
    assert "Réseau : comparaison 2025-1 → 2025-2" in texts
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "vague 2025-2" in spec["layout"]["title"]["text"]
    overview = _texts(_page(partial["practitioner_only"], "pages/1_vue_ensemble.py", monkeypatch))
    assert "Réseau : comparaison 2025-1 → 2025-2, les deux dernières vagues avec le questionnaire aux partenaires" in (
        overview)


def test_without_the_practitioner_survey_practice_and_wellbeing_compare_the_waves_that_have_it(
    partial: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    for page in ("pages/2_pratiques.py", "pages/5_bien_etre.py"):
        at = _page(partial["partner_only"], page, monkeypatch)
        texts = _texts(at)
        assert "comparaison 2025-1 → 2025-2, les deux dernières vagues avec le questionnaire aux professionnels" in (
            texts), page
        assert "2025-1 et 2025-2" in texts or "2025-1 → 2025-2" in texts
    network = _texts(_page(partial["partner_only"], "pages/3_reseau.py", monkeypatch))
    assert "dernière vague avec" not in network  # the partner survey of 2026-1 is there


def test_the_quality_page_and_status_show_what_each_wave_waits_for(
    partial: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _page(partial["practitioner_only"], "pages/6_qualite.py", monkeypatch)
    table = next(df.value for df in at.dataframe if "Enquête partenaires" in df.value.columns)
    last = table.set_index("Vague").loc["2026-1"]
    assert last["Enquête partenaires"] == "pas encore chargé"
    assert last["Questionnaire aux professionnels"].startswith("232 · ")
    status = CliRunner().invoke(cli, ["status", "--db", str(partial["log_only"])])
    row = next(line for line in status.output.splitlines() if line.strip().startswith("2026-1"))
    assert row.split()[1:4] == ["no", "dates", "not"] and row.count("not loaded") == 2 and "21 rows" in row
    assert "Activity log: 09/2024–06/2026 (22 months, 1201 actions)" in status.output


needs_chrome = pytest.mark.skipif(
    exports.chrome_path() is None and os.environ.get("MAILLAGE_REQUIRE_BROWSER") != "1",
    reason="the pack draws its network picture with Chrome/Chromium (Debian: apt install chromium)",
)


def _pack(db: Path, tmp: Path) -> Any:
    out = tmp / f"{db.stem}.zip"
    result = CliRunner().invoke(cli, ["pack", "--out", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return packcheck.deck(zipfile.ZipFile(out))


@needs_chrome
@pytest.mark.parametrize("kind", KINDS)
def test_the_pack_of_a_partial_wave_has_no_empty_chart_and_no_title_overflow(
    partial: dict[str, Path], kind: str, tmp_path: Path
) -> None:
    prs = _pack(partial[kind], tmp_path)
    assert packcheck.check_deck(prs) == []
    views = packcheck.slides(prs)
    texts = {v.title: v.texts.get("Texte", "") for v in views if not v.charts and not v.pictures}
    notes = "\n".join(v.texts.get("Note", "") for v in views)
    if kind == "practitioner_only":
        network = next(v for v in views if v.title.startswith("Qui travaille"))
        assert network.title.endswith("vague 2025-2") and network.pictures
        assert ("Vague 2025-2 : dernier questionnaire aux partenaires chargé ; celui de la vague 2026-1 ne l'est "
                "pas") in notes
        assert any(v.title == "Liens maintenus, perdus et nouveaux entre 2025-1 et 2025-2" for v in views)
    if kind == "partner_only":
        assert any(v.title == "Évolution des mêmes personnes entre 2025-1 et 2025-2 (panel)" for v in views)
        assert "Comparaison 2025-1 → 2025-2 : les deux dernières vagues avec le questionnaire aux professionnels" in (
            notes)
        assert any(v.title.endswith("vague 2026-1") for v in views if v.pictures)
    if kind == "log_only":
        assert "Vague 2025-2 : dernier questionnaire aux professionnels chargé" in notes
        assert any(v.title.endswith("vague 2025-2") for v in views if v.pictures)
    for title, text in texts.items():
        if title not in ("Méthode", "Évaluation du partenariat éducatif — comité de pilotage"):
            assert "pas encore chargé" in text or "Pas de comparaison" in text, (title, text)


def test_a_section_without_data_is_a_text_slide_saying_when_it_was_last_available(
    partial: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "one.zip"
    result = CliRunner().invoke(cli, ["pack", "--out", str(out), "--db", str(partial["practitioner_only"]),
                                      "--waves", "2026-1"])
    assert result.exit_code == 0, result.output
    z = zipfile.ZipFile(out)
    prs = packcheck.deck(z)
    assert packcheck.check_deck(prs) == []
    network = next(v for v in packcheck.slides(prs) if v.title.startswith("Qui travaille"))
    assert network.kinds == ["title", "text"]
    assert network.texts["Texte"] == ("Le questionnaire aux partenaires de la vague 2026-1 n'est pas encore chargé. "
                                      "Dernier questionnaire aux partenaires disponible : vague 2025-2.")
    method = packcheck.slides(prs)[-1].texts["Texte"]
    assert "Sections sans données dans ce dossier :" in method and "Qui travaille avec qui" in method
    assert not [n for n in z.namelist() if n.endswith(".png")]  # no picture in this pack
