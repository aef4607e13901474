"""A new instrument needs only its codebook (issue 11 §2).

An instrument written only as TOML in a folder of one's own (team climate with a reverse-keyed item,
a WHO-5 under another scale id, exchange frequencies with two sectors, a roster of joint actions
under a tie source of its own), loaded from messy exports (cp1252, `;`, CRLF, odd header case,
KoboToolbox choice names, Framaforms dates) with `maillage load --surveys DIR`, reaches every page
of the dashboard, the indicator tables, the microdata panel and the committee pack — by what its
codebook declares, with no code naming it. Expected figures are computed here from the generated
answers, not by the code under test.
"""

from __future__ import annotations

import json
import random
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from maillage.cli import cli
from tests.etl.test_awkward import CLIMAT_TOML
from ui.i18n import fmt_number

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
APP = str(ROOT / "app.py")
WAVES = ("2026-1", "2026-2")
# institution id → how the export spells it (the institutions list's aliases)
INSTITUTIONS = {"EN_CLG_JAURES": "Collège Jaurès", "SANTE_CMP": "CMP", "VILLE_JEUNESSE": "Service jeunesse",
                "ASSO_ESPOIR": "Espoir et Réussite"}
PER_INSTITUTION = 6
ACCORD = ("Pas du tout d'accord", "Plutôt pas d'accord", "Plutôt d'accord", "Tout à fait d'accord")
WHO5 = ("Jamais", "De temps en temps", "Moins de la moitié du temps", "Plus de la moitié du temps",
        "La plupart du temps", "Tout le temps")
FREQ_CODES = {"0": 0.0, "1": 0.5, "2": 1.0, "3": 2.5, "4": 4.33}


@dataclass(frozen=True)
class Answer:
    code: str
    institution: str
    eq: tuple[int, int, int]  # 1–4 as answered (EQ3 reverse-keyed)
    who5: tuple[int, int, int, int, int]  # 0–5
    freq: tuple[str, str]  # Kobo choice names for health, city
    partners: tuple[str, ...]  # institution ids named

    @property
    def equipe(self) -> float:
        return (self.eq[0] + self.eq[1] + (5 - self.eq[2])) / 3

    @property
    def bien_etre(self) -> float:
        return sum(self.who5) * 4.0


def answers(wave: int) -> list[Answer]:
    """Each wave's answers: 4 institutions × 6 people; in wave 2 the team climate improves and the
    first five people of each institution answer again (a panel of 20)."""
    rng = random.Random(1000 + wave)
    out = []
    for inst in INSTITUTIONS:
        for j in range(PER_INSTITUTION):
            code = f"{inst[:3]}{j:02d}" if wave == 1 or j < 5 else f"{inst[:3]}N{j:02d}"
            base = 2 + (wave == 2)
            eq = (min(4, base + rng.randint(0, 1)), min(4, base + rng.randint(-1, 1)),
                  max(1, 4 - base + rng.randint(-1, 0)))
            who5 = tuple(rng.randint(1, 5) for _ in range(5))
            others = [o for o in INSTITUTIONS if o != inst]
            out.append(Answer(code, inst, eq, who5, (str(rng.randint(0, 4)), str(rng.randint(0, 4))),  # type: ignore[arg-type]
                              tuple(o for o in others if rng.random() < 0.7)))
    return out


def export_text(wave: int) -> str:
    """The wave's export as a KoboToolbox-style `;` CSV (the headers' case as a person typed them)."""
    header = ["CODE", "Date", "Structure", "Climat/Q1", "climat/q2", "CLIMAT/Q3",
              *[f"climat/w{i}" for i in range(1, 6)], "echanges/sante", "Echanges/Ville",
              *[f"partenaires/{i.lower()}" for i in INSTITUTIONS], "Remarque"]
    lines = [";".join(header)]
    for n, a in enumerate(answers(wave)):
        day = 3 + n % 20
        row = [a.code, f"{day:02d}/{3 + 6 * (wave - 1):02d}/2026 - 09:{n % 60:02d}", INSTITUTIONS[a.institution],
               *(ACCORD[v - 1] if k != 1 else ACCORD[v - 1].upper() for k, v in enumerate(a.eq)),
               *(WHO5[v] for v in a.who5), *a.freq,
               *("1" if i in a.partners else "0" for i in INSTITUTIONS), "RAS" if n % 3 == 0 else ""]
        lines.append(";".join(row))
    return "\r\n".join(lines) + "\r\n"


@dataclass(frozen=True)
class Loaded:
    db: Path
    surveys: Path


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    """The institutions list and two waves of the new instrument, loaded from the command line
    with the codebook folder outside the package."""
    base = tmp_path_factory.mktemp("new_instrument")
    surveys = base / "mes_questionnaires"
    (surveys / "climat").mkdir(parents=True)
    (surveys / "climat" / "v1.toml").write_text(CLIMAT_TOML, "utf-8")
    db = base / "wh" / "maillage.duckdb"
    env = {"MAILLAGE_SECRET": str(base / "secret" / "pseudonym.key")}
    runner = CliRunner()
    done = runner.invoke(cli, ["load", str(DATA / "institutions.csv"), "-i", "institutions", "--db", str(db)], env=env)
    assert done.exit_code == 0, done.output
    for w, wave in enumerate(WAVES, start=1):
        export = base / f"Export climat vague {w}.csv"
        export.write_bytes(export_text(w).encode("cp1252"))
        done = runner.invoke(cli, ["load", str(export), "-i", "climat", "--wave", wave, "--surveys", str(surveys),
                                   "--db", str(db)], env=env)
        assert done.exit_code == 0, done.output
        assert f"{PER_INSTITUTION * len(INSTITUTIONS)} of {PER_INSTITUTION * len(INSTITUTIONS)}" in done.output
    yield Loaded(db, surveys)


def expected_mean(wave: int, attr: str) -> float:
    values = [getattr(a, attr) for a in answers(wave)]
    return sum(values) / len(values)


def run_page(db: Path, monkeypatch: pytest.MonkeyPatch, page: str | None) -> AppTest:
    monkeypatch.setenv("MAILLAGE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_text(at: AppTest) -> str:
    return "\n".join(json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart"))


def page_text(at: AppTest) -> str:
    parts: list[str] = [chart_text(at)]
    for kind in ("markdown", "caption", "subheader", "info", "warning", "metric"):
        for el in at.get(kind):
            parts.append(str(getattr(el, "value", "")) + " " + str(getattr(el, "label", "")))
    for df in at.dataframe:
        parts.append(df.value.to_csv())
    for box in at.selectbox:
        parts.append(" ".join(str(o) for o in box.options))
    return "\n".join(parts)


def metric(at: AppTest, label: str) -> Any:
    found = [m for m in at.metric if m.label == label]
    assert found, [m.label for m in at.metric]
    return found[0]


# --------------------------------------------------------------------------- dashboard pages


def test_the_overview_headlines_the_new_instruments_practice_scale_and_its_who5(
    loaded: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(loaded.db, monkeypatch, None)
    card = metric(at, "Climat d'équipe")  # the codebook's name: no text of the code names this scale
    assert card.value == fmt_number(expected_mean(2, "equipe"), "fr", 2)
    who5 = metric(at, "Bien-être WHO-5 (0 à 100)")
    assert who5.value == fmt_number(expected_mean(2, "bien_etre"), "fr", 1)


def test_the_practice_page_shows_the_new_scale(loaded: Loaded, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_page(loaded.db, monkeypatch, "pages/2_pratiques.py")
    text = page_text(at)
    assert "Climat d'équipe" in text
    assert fmt_number(expected_mean(1, "equipe"), "fr", 2) in text or f"{expected_mean(1, 'equipe'):.2f}" in text


def test_the_wellbeing_page_reads_the_who5_under_its_own_id(loaded: Loaded, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_page(loaded.db, monkeypatch, "pages/5_bien_etre.py")
    text = page_text(at)
    assert "WHO-5" in text
    assert fmt_number(expected_mean(2, "bien_etre"), "fr", 1) in text or f"{expected_mean(2, 'bien_etre'):.1f}" in text


def test_the_exchanges_page_shows_the_declared_exchange_questions(
    loaded: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = run_page(loaded.db, monkeypatch, "pages/4_echanges.py")
    traces = [trace for c in at.get("plotly_chart") for trace in json.loads(c.proto.spec)["data"]]
    cells = [x for trace in traces if trace.get("type") == "heatmap"
             for row in trace.get("z", []) for x in row if isinstance(x, (int, float))]
    assert "Santé" in chart_text(at) and "Ville" in chart_text(at)
    # the college's practitioners' exchanges with health and with the city, in the last wave
    for target in (0, 1):
        college = [FREQ_CODES[a.freq[target]] for a in answers(2) if a.institution == "EN_CLG_JAURES"]
        assert any(x == pytest.approx(sum(college) / len(college), abs=0.01) for x in cells), cells


def test_the_network_page_draws_the_new_rosters_ties(loaded: Loaded, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_page(loaded.db, monkeypatch, "pages/3_reseau.py")
    text = page_text(at)
    # every institution had 6 respondents naming partners: their ties are shown
    for name in ("Collège Jean Jaurès", "CMP enfants-adolescents", "Association Espoir et Réussite"):
        assert name in text


def test_the_quality_page_lists_the_new_instrument(loaded: Loaded, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_page(loaded.db, monkeypatch, "pages/6_qualite.py")
    text = page_text(at)
    assert "Climat d'équipe" in text  # reliability and missing items of its scales
    assert "Export climat vague 2.csv" in text  # the loads table


# --------------------------------------------------------------------------- exports and pack


def test_the_indicator_tables_and_the_panel_carry_the_new_instrument(loaded: Loaded, tmp_path: Path) -> None:
    out = tmp_path / "export"
    done = CliRunner().invoke(cli, ["export", "--out", str(out), "--microdata", "--db", str(loaded.db)])
    assert done.exit_code == 0, done.output
    means = pd.read_csv(out / "indicators" / "practice_scale_means.csv")
    row = means.loc[(means["scale_id"] == "equipe") & (means["wave_id"] == "2026-2")].iloc[0]
    assert row["mean"] == pytest.approx(expected_mean(2, "equipe"))
    wb = pd.read_csv(out / "indicators" / "wellbeing_summary.csv")
    who5 = wb.loc[(wb["scale_id"] == "who5") & (wb["wave_id"] == "2026-1")].iloc[0]
    assert who5["mean"] == pytest.approx(expected_mean(1, "bien_etre"))
    panel = pd.read_csv(next(out.rglob("panel_wide.csv")))
    assert {"score_equipe", "score_who5"} <= set(panel.columns)
    assert panel["score_who5"].mean() == pytest.approx(
        (sum(a.bien_etre for w in (1, 2) for a in answers(w))) / (2 * PER_INSTITUTION * len(INSTITUTIONS)))


def test_the_committee_pack_shows_the_new_scale(loaded: Loaded, tmp_path: Path) -> None:
    out = tmp_path / "pack.zip"
    done = CliRunner().invoke(cli, ["pack", "--out", str(out), "--db", str(loaded.db)])
    assert done.exit_code == 0, done.output
    with zipfile.ZipFile(out) as z:
        deck = next(n for n in z.namelist() if n.endswith(".pptx"))
        (tmp_path / "deck.pptx").write_bytes(z.read(deck))
    from pptx import Presentation

    text = []
    for slide in Presentation(str(tmp_path / "deck.pptx")).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                text.append(shape.text_frame.text)
    assert "Climat d'équipe" in "\n".join(text)
