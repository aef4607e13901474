"""Codebooks describe instruments without code; a broken codebook is named precisely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from etl.codebook import available_instruments, codebook_versions, parse_codebook
from etl.errors import CodebookError


def test_every_shipped_codebook_parses_and_cites_its_sources() -> None:
    instruments = available_instruments()
    assert set(instruments) >= {"practitioner", "partner", "activities", "institutions", "targets"}
    for books in instruments.values():
        for book in books:
            assert book.sources and book.licence, book.path


def test_version_2_of_the_practitioner_survey_adds_and_drops_items_keeping_ids() -> None:
    v1, v2 = codebook_versions("practitioner")
    ids1, ids2 = {i.id for i in v1.items}, {i.id for i in v2.items}
    assert ids2 - ids1 == {"LEG5"} and ids1 - ids2 == {"CUL4"}
    net3 = {b.version: next(i for i in b.items if i.id == "NET3").fr for b in (v1, v2)}
    assert net3["1"] != net3["2"]
    assert codebook_versions("practitioner@1") == [v1]


def test_the_instruments_scoring_rules_are_as_published() -> None:
    book = codebook_versions("practitioner")[-1]
    scales = {s.id: s for s in book.scales}
    assert (scales["who5"].rule, scales["who5"].multiplier, scales["who5"].min_items) == ("sum_times", 4, 5)
    assert (scales["cbi_work"].rule, scales["cbi_work"].min_items) == ("mean", 4)
    cbi = book.scale_items("cbi_work")
    assert len(cbi) == 7 and [i.reverse for i in cbi] == [False] * 6 + [True]
    assert book.response_sets["cbi_frequency"].value_max == 100


def test_unknown_instrument_lists_the_known_ones() -> None:
    expected = "Unknown instrument `praticiens`. Known instruments: activities,"
    with pytest.raises(CodebookError, match=re.escape(expected)):
        codebook_versions("praticiens")


def test_a_malformed_codebook_is_named_with_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "v1.toml"
    bad.write_text('[instrument]\nname = "x"\nversion = "1"\nkind = "survey"\n[respondent]\nkey = ["t"]\n'
                   '[[items]]\nid = "A"\nresponse_set = "nope"\n', "utf-8")
    with pytest.raises(CodebookError, match="item A uses response set `nope`, which is not defined"):
        parse_codebook(bad)
    bad.write_text("[instrument\n", "utf-8")
    with pytest.raises(CodebookError, match=re.escape("v1.toml is not valid TOML")):
        parse_codebook(bad)
