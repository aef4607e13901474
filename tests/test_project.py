"""Project rules a user or a maintainer relies on."""

from __future__ import annotations

import ast
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


STREAMLIT_IMPORTS = """
import ast, sys
from pathlib import Path
root = Path(sys.argv[1])
for package in ("etl", "indicators", "warehouse"):
    for path in sorted((root / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                print(path.relative_to(root))
"""


def test_etl_and_indicators_never_import_streamlit() -> None:
    # In a fresh interpreter: CPython 3.11.7's AST builder can be left in a bad state by an
    # earlier parse in the same process (gh-106905), which would fail this check for no reason.
    out = subprocess.run([sys.executable, "-c", STREAMLIT_IMPORTS, str(ROOT)], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == []


# each package and the packages above it, which it must never import (pages → ui → indicators →
# warehouse ← etl; the command line, maillage, above them all)
HIGHER = {
    "warehouse": ("etl", "indicators", "ui", "pages", "maillage", "app"),
    "etl": ("ui", "pages", "maillage", "app"),
    "indicators": ("etl", "ui", "pages", "maillage", "app"),
    "ui": ("pages", "maillage", "app"),
}


def _imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


def test_no_import_runs_up_the_layers() -> None:
    upward = [
        f"{path.relative_to(ROOT)} imports {name}"
        for package, higher in HIGHER.items()
        for path in (ROOT / package).rglob("*.py")
        for name in _imported_modules(path)
        if name.split(".")[0] in higher
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
