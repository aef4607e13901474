"""The dashboard frame: demo banner, filters, language, empty warehouse."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest


def test_the_demo_opens_in_french_with_its_banner_and_filters(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app()
    assert not at.exception
    assert any("Données de démonstration" in i.value for i in at.info)
    labels = {w.label for w in at.sidebar.multiselect}
    assert labels == {"Territoire", "Secteur", "Fonction"}
    assert at.sidebar.select_slider[0].value == ("2024-2", "2026-1")


def test_english_on_request(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(lang="en")
    assert not at.exception
    assert any("Demonstration data" in i.value for i in at.info)
    assert {w.label for w in at.sidebar.multiselect} == {"Territory", "Sector", "Role"}


def test_an_empty_warehouse_has_no_filters_and_no_error(empty_app: Callable[..., AppTest]) -> None:
    at = empty_app()
    assert not at.exception
    assert not at.sidebar.multiselect
