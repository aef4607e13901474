"""The indicator catalogue is complete, unique and the docs are generated from it."""

from __future__ import annotations

import importlib
from pathlib import Path

from indicators.catalogue import FAMILIES, all_indicators, render_markdown

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
