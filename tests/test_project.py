"""Project rules a user or a maintainer relies on."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from maillage.cli import cli
from warehouse.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Two commands", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [ln.strip() for ln in block.splitlines() if ln.strip() and not ln.strip().startswith("#")]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    _install_and_run, test = _readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci.splitlines()
    assert "pytest" in test


# Printed by a fresh interpreter: CPython 3.11.7's AST builder keeps its recursion depth in state
# shared between threads (gh-106905), so an ast.parse in this process can fail with "AST constructor
# recursion depth mismatch" while a thread left by an earlier test (Streamlit's script runner parses
# pages, kaleido) parses too. Prints one JSON object: file (relative to the root) → modules it imports.
IMPORTS_OF_EVERY_FILE = """
import ast, json, sys
from pathlib import Path
root = Path(sys.argv[1])
out = {}
for package in sys.argv[2:]:
    for path in sorted((root / package).rglob("*.py")):
        names = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
        out[path.relative_to(root).as_posix()] = names
print(json.dumps(out))
"""


def _imports_of_every_file(*packages: str) -> dict[str, list[str]]:
    out = subprocess.run([sys.executable, "-c", IMPORTS_OF_EVERY_FILE, str(ROOT), *packages],
                         capture_output=True, text=True, check=True)
    imports: dict[str, list[str]] = json.loads(out.stdout)
    assert imports, "no Python file found"
    return imports


def test_etl_and_indicators_never_import_streamlit() -> None:
    found = [
        f"{path} imports {name}"
        for path, names in _imports_of_every_file("etl", "indicators", "warehouse").items()
        for name in names
        if name.split(".")[0] == "streamlit"
    ]
    assert found == []


# The modules that draw and export charts (the figures, their recipes and style, the committee pack
# and its deck and workbook, the texts): the pack builds them from the command line, without Streamlit.
CHART_MODULES = ("ui/figures_", "ui/style.py", "ui/recipes.py", "ui/pack.py", "ui/deck.py", "ui/workbook.py",
                 "ui/exports.py", "ui/i18n.py", "ui/texts/")


def test_chart_and_export_modules_never_import_streamlit() -> None:
    imports = {path: names for path, names in _imports_of_every_file("ui").items() if path.startswith(CHART_MODULES)}
    assert {"ui/figures_practice.py", "ui/recipes.py", "ui/pack.py", "ui/texts/practice.py"} <= set(imports)
    found = [f"{path} imports {name}" for path, names in imports.items() for name in names
             if name.split(".")[0] == "streamlit"]
    assert found == []
    # nor through the modules they import: in a fresh interpreter, importing them all leaves Streamlit out
    modules = [path.removesuffix(".py").removesuffix("/__init__").replace("/", ".") for path in imports]
    code = f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\nprint('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# each package and the packages above it, which it must never import (pages → ui → indicators →
# warehouse ← etl; the command line, maillage, above them all)
HIGHER = {
    "warehouse": ("etl", "indicators", "ui", "pages", "maillage", "app"),
    "etl": ("ui", "pages", "maillage", "app"),
    "indicators": ("etl", "ui", "pages", "maillage", "app"),
    "ui": ("pages", "maillage", "app"),
}


def test_no_import_runs_up_the_layers() -> None:
    imports = _imports_of_every_file(*HIGHER)
    upward = [
        f"{path} imports {name}"
        for path, names in imports.items()
        for name in names
        if name.split(".")[0] in HIGHER[path.split("/")[0]]
    ]
    assert upward == []


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in cli.commands if not re.search(rf"maillage {c}\b", readme)]  # type: ignore[attr-defined]
    assert missing == []


def test_every_setting_is_documented_with_its_default() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| `([^`]*)` \|", doc, flags=re.M))
    assert rows == {s.name: str(s.default) for s in SETTINGS}


def test_every_document_the_readme_links_to_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)\)", readme)
    missing = [link for link in links if not link.startswith("http") and not (ROOT / link).exists()]
    assert links and missing == []
