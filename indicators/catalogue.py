"""The indicator catalogue: one entry per indicator, in code. The dashboard's Indicateurs page and
docs/indicators.md are rendered from it (`python -m indicators.catalogue > docs/indicators.md`,
checked by a test).

Each family module (practice, networks, exchanges, wellbeing, quality) declares its entries in a
module-level `INDICATORS` list; this module gathers them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    id: str  # stable: used in exports, URLs and docs (e.g. "practice.scale_mean")
    family: str  # practice | network | exchanges | wellbeing | quality
    title_fr: str
    title_en: str
    definition_fr: str
    definition_en: str
    formula: str
    unit: str
    sources: tuple[str, ...]  # warehouse tables
    missing_data: str  # how missing answers are handled
    caveats: str = ""
    function: str = ""  # module.function that computes it


FAMILIES = ("overview", "practice", "network", "exchanges", "wellbeing", "quality")
FAMILY_TITLES = {
    "overview": ("Vue d'ensemble", "Overview"),
    "practice": ("Pratiques professionnelles", "Professional practice"),
    "network": ("Réseau inter-institutionnel", "Inter-institutional network"),
    "exchanges": ("Échanges", "Exchanges"),
    "wellbeing": ("Bien-être", "Wellbeing"),
    "quality": ("Qualité des données", "Data quality"),
}


def all_indicators() -> list[Indicator]:
    """Every indicator, family by family, in a stable order."""
    import importlib

    found: list[Indicator] = []
    for family in ("overview", "practice", "networks", "exchanges", "wellbeing", "quality"):
        try:
            module = importlib.import_module(f"indicators.{family}")
        except ModuleNotFoundError:
            continue
        found.extend(getattr(module, "INDICATORS", []))
    return found


def by_id() -> dict[str, Indicator]:
    return {i.id: i for i in all_indicators()}


def render_markdown() -> str:
    """docs/indicators.md."""
    lines = [
        "# Indicators",
        "",
        "Generated from `indicators/catalogue.py` (`python -m indicators.catalogue > docs/indicators.md`);",
        "a test fails when this file and the code disagree. Every figure hides groups of fewer than",
        "`min_group_size` respondents (default 5, see docs/settings.md).",
        "",
    ]
    indicators = all_indicators()
    for family in FAMILIES:
        members = [i for i in indicators if i.family == family]
        if not members:
            continue
        fr, en = FAMILY_TITLES[family]
        lines += [f"## {en} ({fr})", ""]
        for ind in members:
            lines += [
                f"### `{ind.id}` — {ind.title_en}",
                "",
                f"*{ind.title_fr}*",
                "",
                ind.definition_en,
                "",
                f"> {ind.definition_fr}",
                "",
                f"- **Formula**: {ind.formula}",
                f"- **Unit**: {ind.unit}",
                f"- **Sources**: {', '.join(f'`{s}`' for s in ind.sources)}",
                f"- **Missing data**: {ind.missing_data}",
            ]
            if ind.caveats:
                lines.append(f"- **Caveats**: {ind.caveats}")
            if ind.function:
                lines.append(f"- **Computed by**: `{ind.function}`")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
