"""The indicator catalogue: one entry per indicator, in code. The dashboard's Indicateurs page and
docs/indicators.md are rendered from it (`python -m indicators.catalogue > docs/indicators.md`,
checked by a test).

Each family module (overview, practice, networks, exchanges, wellbeing, quality) and each analysis
module (models, weights, tie_formation) declares its entries in a module-level `INDICATORS` list; this
module gathers them (an entry's `family` says where it is listed). Every text is in French and English:
`formula`, `missing_data` and `caveats` are the English ones, `formula_fr`, `missing_data_fr` and
`caveats_fr` the French ones; `Indicator.formula_in(lang)` and its siblings pick the language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Indicator:
    id: str  # stable: used in exports, URLs and docs (e.g. "practice.scale_mean")
    family: str  # practice | network | exchanges | wellbeing | quality
    title_fr: str
    title_en: str
    definition_fr: str
    definition_en: str
    formula: str  # English, like missing_data and caveats; the French ones are the *_fr fields
    unit: str
    sources: tuple[str, ...]  # warehouse tables
    missing_data: str  # how missing answers are handled
    caveats: str = ""
    function: str = ""  # module.function that computes it
    formula_fr: str = ""
    missing_data_fr: str = ""
    caveats_fr: str = ""

    def title_in(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_fr

    def definition_in(self, lang: str) -> str:
        return self.definition_en if lang == "en" else self.definition_fr

    def formula_in(self, lang: str) -> str:
        return self.formula if lang == "en" else self.formula_fr or self.formula

    def missing_data_in(self, lang: str) -> str:
        return self.missing_data if lang == "en" else self.missing_data_fr or self.missing_data

    def caveats_in(self, lang: str) -> str:
        return self.caveats if lang == "en" else self.caveats_fr or self.caveats

    def family_in(self, lang: str) -> str:
        fr, en = FAMILY_TITLES.get(self.family, (self.family, self.family))
        return en if lang == "en" else fr

    def with_french(self, formula: str, missing_data: str, caveats: str = "") -> Indicator:
        """This entry with its French formula, missing-data and caveats texts (for entries made by a
        family module's helper, such as networks._net)."""
        return replace(self, formula_fr=formula, missing_data_fr=missing_data, caveats_fr=caveats)


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
    """Every indicator, family by family (FAMILIES order), in a stable order."""
    import importlib

    found: list[Indicator] = []
    modules = ("overview", "practice", "models", "weights", "networks", "tie_formation", "exchanges", "wellbeing",
               "quality")
    for family in modules:
        try:
            module = importlib.import_module(f"indicators.{family}")
        except ModuleNotFoundError:
            continue
        found.extend(getattr(module, "INDICATORS", []))
    rank = {f: i for i, f in enumerate(FAMILIES)}
    return sorted(found, key=lambda ind: rank.get(ind.family, len(rank)))  # stable: module order within a family


def by_id() -> dict[str, Indicator]:
    return {i.id: i for i in all_indicators()}


def render_markdown() -> str:
    """docs/indicators.md."""
    lines = [
        "# Indicators",
        "",
        "Generated from `indicators/catalogue.py` (`python -m indicators.catalogue > docs/indicators.md`);",
        "a test fails when this file and the code disagree. Every figure hides groups of fewer than",
        "`min_group_size` respondents (default 5, see docs/settings.md). Each English text is followed by",
        "its French version (the title in italics, the other texts quoted).",
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
                f"  > {ind.formula_fr}",
                f"- **Unit**: {ind.unit}",
                f"- **Sources**: {', '.join(f'`{s}`' for s in ind.sources)}",
                f"- **Missing data**: {ind.missing_data}",
                f"  > {ind.missing_data_fr}",
            ]
            if ind.caveats:
                lines += [f"- **Caveats**: {ind.caveats}", f"  > {ind.caveats_fr}"]
            if ind.function:
                lines.append(f"- **Computed by**: `{ind.function}`")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
