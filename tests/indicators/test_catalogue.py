"""The indicator catalogue is complete, unique and the docs are generated from it."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from indicators.catalogue import FAMILIES, Indicator, all_indicators, render_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


def test_docs_indicators_md_is_generated_from_the_catalogue() -> None:
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "Regenerate it: python -m indicators.catalogue > docs/indicators.md"
    )


def test_every_indicator_has_a_unique_id_both_languages_and_an_existing_function() -> None:
    indicators = all_indicators()
    ids = [i.id for i in indicators]
    assert len(ids) == len(set(ids))
    assert {i.family for i in indicators} == set(FAMILIES)
    for ind in indicators:
        assert ind.title_fr and ind.title_en and ind.definition_fr and ind.definition_en, ind.id
        assert ind.formula and ind.unit and ind.sources and ind.missing_data, ind.id
        module, _, name = ind.function.rpartition(".")
        assert callable(getattr(importlib.import_module(module), name)), ind.function


# words that never occur in French prose: an English text containing one needs a real translation
ENGLISH_WORDS = re.compile(
    r"\b(the|of|and|with|when|without|which|whose|per|is|are|as|not|only|each|that|from|than|by|to|for|"
    r"mean|share|count|respondents?|missing|answered|gap|ties?|directed|undirected|connected|level|default|"
    r"degree|new|lost|paired|interval|raw|scale|work|(?-i:CI|SD))\b",
    re.IGNORECASE,
)
WORD = re.compile(r"\b[^\W\d_]{3,}\b")  # a word, not a symbol, a number or an identifier like n_a


def texts(ind: Indicator) -> dict[str, tuple[str, str]]:
    """Every text of an entry, as (French, English)."""
    return {
        "title": (ind.title_fr, ind.title_en),
        "definition": (ind.definition_fr, ind.definition_en),
        "formula": (ind.formula_fr, ind.formula),
        "missing_data": (ind.missing_data_fr, ind.missing_data),
        "caveats": (ind.caveats_fr, ind.caveats),
    }


@pytest.mark.parametrize("ind", all_indicators(), ids=lambda i: i.id)
def test_every_text_is_in_french_and_in_english(ind: Indicator) -> None:
    for field, (fr, en) in texts(ind).items():
        if field == "caveats" and not en:  # caveats are optional, but then in both languages
            assert not fr, (ind.id, field)
            continue
        assert fr.strip() and en.strip(), (ind.id, field)
        if WORD.search(en):
            assert fr != en, (ind.id, field, "the French is a copy of the English")
        assert not ENGLISH_WORDS.findall(fr), (ind.id, field, ENGLISH_WORDS.findall(fr))


def test_the_accessors_pick_the_language() -> None:
    ind = next(i for i in all_indicators() if i.id == "quality.cronbach_alpha")
    assert ind.formula_in("en") == ind.formula and ind.formula_in("fr") == ind.formula_fr
    assert ind.missing_data_in("en") == ind.missing_data and ind.missing_data_in("fr") == ind.missing_data_fr
    assert ind.caveats_in("en") == ind.caveats and ind.caveats_in("fr") == ind.caveats_fr
    assert ind.title_in("fr") == "Fiabilité des échelles (alpha de Cronbach)"
    assert ind.family_in("fr") == "Qualité des données" and ind.family_in("en") == "Data quality"
    assert "IC de Feldt" in ind.formula_in("fr")


def test_the_docs_give_the_french_under_the_english() -> None:
    text = render_markdown()
    for ind in all_indicators():
        assert f"- **Formula**: {ind.formula}\n  > {ind.formula_fr}\n" in text, ind.id
        assert f"- **Missing data**: {ind.missing_data}\n  > {ind.missing_data_fr}\n" in text, ind.id
        if ind.caveats:
            assert f"- **Caveats**: {ind.caveats}\n  > {ind.caveats_fr}\n" in text, ind.id
