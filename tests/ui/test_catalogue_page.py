"""The indicator catalogue page (pages/8_indicateurs.py): every indicator grouped by family, in the
chosen language, searchable (accents and case ignored), filterable by family."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from indicators.catalogue import FAMILY_TITLES, all_indicators

PAGE = "pages/8_indicateurs.py"


def english(at: AppTest) -> AppTest:
    return at.button_group(key="lang").set_value("en").run()


def titles(at: AppTest) -> list[str]:
    return [e.label for e in at.expander]


def test_every_indicator_is_listed_by_family_in_french(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    assert not at.exception
    assert at.title[0].value == "Indicateurs"
    everything = all_indicators()
    assert titles(at) == [i.title_fr for i in sorted(everything, key=lambda i: _family_rank(i.family))]
    families = {i.family for i in everything}
    assert {FAMILY_TITLES[f][0] for f in families} <= {s.value for s in at.subheader}
    assert any(f"{len(everything)} indicateurs sur {len(everything)}" in c.value for c in at.caption)
    # definition, formula, unit, sources, missing data and caveats of an indicator
    alpha = next(i for i in everything if i.id == "quality.cronbach_alpha")
    body = "\n".join(m.value for m in at.markdown)
    assert alpha.definition_fr in body
    assert f"```text\n{alpha.formula_fr}\n```" in body  # formula, missing data and caveats in French
    assert "IC de Feldt" in alpha.formula_fr
    assert "**Unité** : coefficient (≤ 1)" in body  # the unit in French
    assert "`responses`" in body
    assert f"**Données manquantes** : {alpha.missing_data_fr}" in body
    assert f"**Limites et précautions** : {alpha.caveats_fr}" in body
    assert alpha.formula not in body and alpha.missing_data not in body and alpha.caveats not in body
    assert not any("anglais" in c.value for c in at.caption)  # nothing left in English only


def _family_rank(family: str) -> int:
    from indicators.catalogue import FAMILIES

    return FAMILIES.index(family) if family in FAMILIES else len(FAMILIES)


def test_search_ignores_accents_and_case_and_opens_the_matches(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.text_input(key="ind_q").input("DENSITE").run()
    assert not at.exception
    found = titles(at)
    assert "Densité du réseau" in found and len(found) < len(all_indicators()) / 4
    assert all(e.proto.expanded for e in at.expander)  # matches are opened
    assert any(f"{len(found)} indicateurs sur" in c.value for c in at.caption)
    # several words must all match; English words find French titles too
    at.text_input(key="ind_q").input("alpha reliability").run()
    assert "Fiabilité des échelles (alpha de Cronbach)" in titles(at)
    at.text_input(key="ind_q").input("zzz introuvable").run()
    assert not at.expander
    assert any("Aucun indicateur ne correspond" in i.value for i in at.info)


def test_family_filter(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.button_group(key="ind_family").set_value(["quality", "wellbeing"]).run()
    assert not at.exception
    expected = [i.title_fr for i in all_indicators() if i.family in ("wellbeing", "quality")]
    assert titles(at) == expected
    assert {s.value for s in at.main.subheader} == {"Bien-être", "Qualité des données"}


def test_english(demo_app: Callable[..., AppTest]) -> None:
    at = english(demo_app(PAGE))
    assert not at.exception
    assert at.title[0].value == "Indicators"
    assert titles(at)[0] == all_indicators()[0].title_en
    at.text_input(key="ind_q").input("network density").run()
    assert "Network density" in titles(at)
    body = "\n".join(m.value for m in at.markdown)
    assert "**Unit**: share (0–1)" in body
    density = next(i for i in all_indicators() if i.id == "network.density")
    assert f"```text\n{density.formula}\n```" in body
    assert f"**Missing data**: {density.missing_data}" in body and f"**Caveats**: {density.caveats}" in body
    assert density.formula_fr not in body and density.missing_data_fr not in body


def test_the_search_finds_the_french_texts(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.text_input(key="ind_q").input("triplets connexes").run()  # only in a French formula
    assert not at.exception
    assert titles(at) == ["Transitivité"]
    at.text_input(key="ind_q").input("recalculés sur les items communs").run()  # only in a French missing-data text
    assert titles(at) == ["Indicateurs clés et leur évolution entre deux vagues"]


def test_the_catalogue_needs_no_data(empty_app: Callable[..., AppTest]) -> None:
    at = empty_app(PAGE)
    assert not at.exception
    assert len(at.expander) == len(all_indicators())


def test_every_unit_has_a_french_label() -> None:
    from ui.i18n import TEXTS

    assert not [i.unit for i in all_indicators() if f"catalogue.unit.{i.unit}" not in TEXTS]
