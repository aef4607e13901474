"""The dashboard as a reader meets it, in a real browser (`streamlit run app.py` on the demo, headless
Chromium): shared links open in their language and keep it after a reload, the address holds ids,
unknown address values are dropped with a message in the page's language, `<html lang>` follows the
interface language, axe-core finds no WCAG 2.1 A/AA violation on any page in French or in English, no
text of any chart is cut (on the screen and in the exported image), and an officer goes from the demo
to their own partnership's warehouse and back from the browser.

Skipped, with the reason, when Chromium, Playwright or npm (for axe-core) is missing, unless
MAILLAGE_REQUIRE_BROWSER=1 (CI), where that is a failure.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.ui.browser import (
    INSTITUTION_MARKERS,
    PAGE_RUN,
    ROOT,
    SVG_CLIPPED_TEXT,
    WIDTH,
    axe_source,
    axe_violations,
    chromium,
    clipped_texts,
    dismiss_dialogs,
    overlapping_markers,
    problems,
    screenshot,
    streamlit_server,
    wait_until_run,
)

pytestmark = pytest.mark.browser

SHOTS = ROOT / "test-artifacts" / "screenshots"
PAGES = ["", "pack", "practice", "network", "exchanges", "wellbeing", "quality", "load", "indicators"]
TITLES = {
    "fr": {"": "Vue d'ensemble", "practice": "Pratiques en réseau", "load": "Charger une vague"},
    "en": {"": "Overview", "practice": "Network practice", "load": "Load a wave"},
}
# Violations that belong to Streamlit itself and that the project cannot mend, by axe rule id, with
# the Streamlit version and why (docs/accessibility.md). Empty: every violation found is the project's.
STREAMLIT_OWN: dict[str, str] = {}


@pytest.fixture(scope="module")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("a11y") / "server.log"
    with streamlit_server(demo_db, log) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _open(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": WIDTH, "height": 900}, locale="fr-FR")
    context.set_default_timeout(PAGE_RUN * 1000)
    return context


def _go(page: Any, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_until_run(page)


def _warnings(page: Any) -> list[str]:
    return [e.inner_text() for e in page.query_selector_all('[data-testid="stAlertContentWarning"]')]


def _html_lang(page: Any) -> str:
    return str(page.evaluate("() => document.documentElement.lang"))


def _sidebar_choices(page: Any) -> str:
    return str(page.inner_text('[data-testid="stSidebar"]'))


@pytest.fixture(scope="module")
def audit(server: str, browser: Any) -> dict[str, dict[str, Any]]:
    """Every page in French then in English: `<html lang>`, axe's violations, cut chart texts."""
    source = axe_source()
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = _open(browser)
    results: dict[str, dict[str, Any]] = {}
    try:
        page = context.new_page()
        _go(page, f"{server}/load")  # the first session after a start (docs/accessibility.md)
        dismiss_dialogs(page)
        for lang in ("fr", "en"):
            for path in PAGES:
                _go(page, f"{server}/{path}?lang={lang}")
                said = dismiss_dialogs(page)
                results[f"{lang}/{path}"] = {
                    "html_lang": _html_lang(page),
                    "axe": axe_violations(page, source),
                    "clipped": clipped_texts(page),
                    "problems": [p for p in problems(page) if not p.startswith("dialog")] + said,
                    "charts": page.evaluate("() => document.querySelectorAll('[data-testid=stPlotlyChart]').length"),
                }
                if lang == "en" and path in ("", "network"):
                    screenshot(page, SHOTS / f"{path or 'overview'}_en.png")
    finally:
        context.close()
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    (ROOT / "test-artifacts" / "axe.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return results


def test_html_lang_follows_the_interface_language(audit: dict[str, dict[str, Any]]) -> None:
    wrong = {k: v["html_lang"] for k, v in audit.items() if v["html_lang"] != k.split("/")[0]}
    assert not wrong, f"<html lang> does not follow the language: {wrong}"


def test_axe_finds_no_violation_on_any_page_in_french_or_english(audit: dict[str, dict[str, Any]]) -> None:
    found = {
        k: [f"{v['id']} ({len(v['nodes'])}): {v['help']} — {v['nodes'][:2]}" for v in r["axe"]
            if v["id"] not in STREAMLIT_OWN]
        for k, r in audit.items()
    }
    found = {k: v for k, v in found.items() if v}
    assert not found, "axe-core violations:\n" + "\n".join(f"/{k}: {v}" for k, v in found.items())
    assert not any(r["problems"] for r in audit.values()), {k: r["problems"] for k, r in audit.items() if r["problems"]}


def test_no_text_of_any_chart_is_cut(audit: dict[str, dict[str, Any]]) -> None:
    assert sum(r["charts"] for r in audit.values()) >= 40  # every page's charts were drawn and looked at
    cut = {k: r["clipped"] for k, r in audit.items() if r["clipped"]}
    assert not cut, "chart texts past the figure's edge:\n" + "\n".join(f"/{k}: {v}" for k, v in cut.items())


def test_a_shared_link_opens_in_its_language_and_keeps_it(server: str, browser: Any) -> None:
    context = _open(browser)
    try:
        page = context.new_page()
        _go(page, f"{server}/practice?lang=en&sect=education")
        assert page.inner_text("h1") == TITLES["en"]["practice"]
        assert _html_lang(page) == "en"
        assert "National education" in _sidebar_choices(page)  # the id in the address, the label on screen
        page.reload(wait_until="domcontentloaded")
        wait_until_run(page)
        assert page.inner_text("h1") == TITLES["en"]["practice"]  # still English after a reload
        page.locator('[data-testid="stSidebar"] button', has_text="Français").click()
        wait_until_run(page)
        assert page.inner_text("h1") == TITLES["fr"]["practice"]
        assert "Éducation nationale" in _sidebar_choices(page)
        assert "lang=" not in page.url and "sect=education" in page.url  # an id, never "Éducation nationale"
        page.locator('[data-testid="stSidebar"] button', has_text="English").click()
        wait_until_run(page)
        assert "lang=en" in page.url  # the switch writes an id, not a label ("English")
        page.reload(wait_until="domcontentloaded")
        wait_until_run(page)
        assert page.inner_text("h1") == TITLES["en"]["practice"]
        # an in-page choice is drawn in the language shown
        box = page.locator('[data-testid="stSelectbox"]', has_text="Break down by")
        assert box.locator("input").input_value() == "Everyone"
        page.locator('[data-testid="stSidebar"] button', has_text="Français").click()
        wait_until_run(page)
        box = page.locator('[data-testid="stSelectbox"]', has_text="Détailler par")
        assert box.locator("input").input_value() == "Ensemble"
    finally:
        context.close()


def test_unknown_address_values_are_dropped_and_said_in_the_page_language(server: str, browser: Any) -> None:
    context = _open(browser)
    try:
        page = context.new_page()
        _go(page, f"{server}/practice?lang=de&terr=nonexistent&a=1999-1")
        said = " ".join(_warnings(page))
        assert page.inner_text("h1") == TITLES["fr"]["practice"]
        assert "Langue « de » inconnue dans l'adresse : la page est affichée en français" in said
        assert "Territoire « nonexistent » inconnu dans l'adresse : tous les territoires sont affichés" in said
        assert "Vague de départ « 1999-1 » inconnue dans l'adresse" in said
        assert "terr=" not in page.url and "lang=" not in page.url and "a=" not in page.url
        _go(page, f"{server}/nonexistent?lang=en")
        assert not page.query_selector_all('[role="dialog"]')  # not Streamlit's English "Page not found"
        assert page.inner_text("h1") == TITLES["en"][""]
        assert any("There is no page “nonexistent”: here is the overview" in w for w in _warnings(page))
        _go(page, f"{server}/network?lang=en&sect=education&sect=nowhere")
        said = " ".join(_warnings(page))
        assert "Unknown sector “nowhere” in the address, ignored: only the other sectors asked for are kept" in said
        assert "sect=education" in page.url and "nowhere" not in page.url
    finally:
        context.close()


def test_a_headline_card_opens_the_section_behind_it(server: str, browser: Any) -> None:
    context = _open(browser)
    try:
        page = context.new_page()
        _go(page, f"{server}/?sect=education")
        links = page.locator('[data-testid="stPageLink"] a:visible', has_text="Voir le détail")
        assert links.count() == 8  # one per headline card
        links.nth(4).click()  # high burnout → wellbeing, the cut-offs section
        wait_until_run(page)
        page.wait_for_timeout(2000)
        assert page.inner_text("h1") == "Bien-être"
        assert "sect=education" in page.url  # the filters travel with the link
        top = page.evaluate("() => document.getElementById('cutoffs').getBoundingClientRect().top")
        assert 0 <= top < 300  # the section is at the top of the window
    finally:
        context.close()


def _click_institution(page: Any, institution_id: str) -> None:
    """Click an institution's marker where the browser drew it (plotly's drag layer gets the click)."""
    box = page.evaluate(
        """(id) => {
          for (const layer of document.querySelectorAll('.scatterlayer .trace')) {
            const tr = layer.__data__ && layer.__data__[0] && layer.__data__[0].trace;
            if (!tr || !tr.meta || tr.meta.kind !== 'institutions') continue;
            const k = (tr.customdata || []).indexOf(id);
            if (k < 0) continue;
            const pt = layer.querySelectorAll('path.point')[k];
            pt.scrollIntoView({block: 'center'});
            const r = pt.getBoundingClientRect();
            return {x: r.left + r.width / 2, y: r.top + r.height / 2};
          }
          return null;
        }""",
        institution_id,
    )
    assert box, f"{institution_id} is not drawn"
    page.mouse.move(box["x"], box["y"])
    page.wait_for_timeout(300)
    page.mouse.click(box["x"], box["y"])


def test_network_markers_never_overlap_and_a_click_opens_an_institutions_own_network(
    server: str, browser: Any
) -> None:
    context = _open(browser)
    try:
        page = context.new_page()
        _go(page, f"{server}/network")
        dismiss_dialogs(page)
        drawn = page.evaluate(INSTITUTION_MARKERS)
        assert drawn and len(drawn[0]) == 40
        assert overlapping_markers(page) == []
        _click_institution(page, "VI_JEUNESSE")
        wait_until_run(page)
        main = page.inner_text('[data-testid="stMain"]')
        assert "Service jeunesse de la Ville (Ville) a " in main and "partenaires en 2026-1" in main
        assert "Depuis 2025-2 :" in main
        screenshot(page, SHOTS / "network_ego.png")
        # two waves side by side: narrower charts, the markers shrink rather than overlap
        page.get_by_text("Comparer deux vagues", exact=True).click()
        wait_until_run(page)
        assert len(page.evaluate(INSTITUTION_MARKERS)) == 2
        assert overlapping_markers(page) == []
    finally:
        context.close()


def test_from_the_demo_to_my_partnerships_warehouse_and_back(
    demo_db: Path, browser: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    demo = folder / "maillage.duckdb"
    shutil.copy(demo_db, demo)
    context = _open(browser)
    try:
        with streamlit_server(demo, tmp_path / "server.log") as url:
            page = context.new_page()
            _go(page, f"{url}/load")
            dismiss_dialogs(page)
            assert any("Créer l'entrepôt de mon partenariat" in e.inner_text()
                       for e in page.query_selector_all('[data-testid="stAlert"]'))
            page.get_by_label("Nom de votre partenariat").fill("Cité éducative de Rivière")
            page.get_by_role("button", name="Créer l'entrepôt de mon partenariat").click()
            wait_until_run(page)
            text = page.inner_text('[data-testid="stMain"]')
            assert "Entrepôt « Cité éducative de Rivière » créé et affiché (cite-educative-de-riviere.duckdb)" in text
            assert (folder / "cite-educative-de-riviere.duckdb").exists() and demo.exists()
            assert "Données de démonstration" not in text  # the banner is the demo's only
            assert "La liste des structures n'est pas encore chargée" in text  # the next step, said
            screenshot(page, SHOTS / "load_own_warehouse.png")
            # a reload, another browser: the partnership's warehouse is the one shown
            _go(page, f"{url}/quality")
            assert "Données de démonstration" not in page.inner_text('[data-testid="stMain"]')
            # the demo is kept and one choice away
            box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]', has_text="Entrepôt affiché")
            box.click()
            page.get_by_role("option", name="Démonstration (Valmont)").click()
            wait_until_run(page)
            assert "Données de démonstration" in page.inner_text('[data-testid="stMain"]')
    finally:
        context.close()


def test_exported_images_cut_no_text(demo_db: Path, browser: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every chart of every page, exported at slide size (as its PNG/SVG button and the pack make it),
    keeps every title, label and caption inside the image."""
    import plotly.graph_objects as go
    from streamlit.testing.v1 import AppTest

    from ui import exports

    monkeypatch.setenv("MAILLAGE_DB", str(demo_db))
    specs = []
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=PAGE_RUN)
    at.run()
    for script in ("1_vue_ensemble", "2_pratiques", "3_reseau", "4_echanges", "5_bien_etre", "6_qualite"):
        at.switch_page(f"pages/{script}.py").run()
        assert not at.exception
        specs += [(script, json.loads(c.proto.spec)) for c in at.get("plotly_chart")]
    assert len(specs) >= 20
    context = _open(browser)
    cut = []
    try:
        page = context.new_page()
        for script, spec in specs:
            svg = exports.image_bytes(go.Figure(spec), "svg").decode("utf-8")
            page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
            for found in page.evaluate(SVG_CLIPPED_TEXT):
                cut.append((script, spec["layout"].get("meta", {}).get("title"), found))
    finally:
        context.close()
        exports.stop_image_server()
    assert not cut, "texts cut in exported images:\n" + "\n".join(map(str, cut))


FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const cs = getComputedStyle(e);
  return {label: (e.getAttribute('aria-label') || e.innerText || e.tagName).slice(0, 50),
          outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2};
}"""


def test_the_keyboard_reaches_every_control_with_a_visible_focus(server: str, browser: Any) -> None:
    context = _open(browser)
    try:
        page = context.new_page()
        _go(page, f"{server}/load")
        dismiss_dialogs(page)
        reached, hidden = [], []
        for _ in range(40):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS)
            if focus:
                reached.append(focus["label"])
                if not focus["outline"]:
                    hidden.append(focus["label"])
    finally:
        context.close()
    joined = " | ".join(reached)
    for control in ("Charger une vague", "Français", "Territoire", "Nom de votre partenariat",
                    "Créer l'entrepôt de mon partenariat", "Questionnaire ou liste"):
        assert control in joined, f"{control!r} not reached with Tab: {reached}"
    assert not hidden, f"focused without a visible outline: {hidden}"
