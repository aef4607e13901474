"""The data quality page (pages/6_qualite.py) in AppTest: on the demo, with filters, in English,
on an empty warehouse and without a warehouse."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, TIMEOUT, page_tables

PAGE = "pages/6_qualite.py"


def english(at: AppTest) -> AppTest:
    """Choose English in the sidebar (the language lives in the bound `lang` control)."""
    return at.button_group(key="lang").set_value("en").run()


def charts(at: AppTest) -> dict[str, dict[str, Any]]:
    """Plotly figures shown, by title."""
    out = {}
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        out[spec["layout"]["meta"]["title"]] = spec
    return out


def table(at: AppTest, first_column: str, second_column: str) -> pd.DataFrame:
    return next(d.value for d in page_tables(at) if list(d.value.columns[:2]) == [first_column, second_column])


def test_the_demo_answers_can_we_trust_this(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    assert not at.exception
    assert at.title[0].value == "Qualité des données"
    assert [m.label for m in at.metric] == [
        "Fichiers en vigueur",
        "Taux de réponse",
        "Maintien du panel",
        "Échelles fiables",
        "Écartées",
    ]
    assert at.metric[0].value == "11"
    assert at.metric[1].value.endswith("\u202f%")  # French percent
    assert [s.value for s in at.subheader][:9] == [
        "Ce que chaque vague contient",
        "Chargements",
        "Taux de réponse",
        "Maintien du panel",
        "Pondérations : taille effective et plus grands poids",
        "Attrition du panel 2025-2 → 2026-1 : modèle et équilibre",
        "Non-réponse aux items",
        "Fiabilité des échelles",
        "Lignes et réponses écartées au chargement",
    ]
    shown = charts(at)
    assert set(shown) == {
        "Taux de réponse par groupe et par vague",
        "Taux de réponse, vague 2026-1",
        "Part des répondants retrouvés à la vague suivante",
        "Réponses manquantes par échelle et par vague",
        "Alpha de Cronbach par échelle et par vague",
    }
    for spec in shown.values():  # every chart states its source and date
        footer = next(a["text"] for a in spec["layout"]["annotations"] if a.get("name") == "caption")
        assert "Source :" in footer and "Maillage," in footer
    # the 0.7 reference line of Cronbach's alpha
    alpha = shown["Alpha de Cronbach par échelle et par vague"]
    assert any(s.get("x0") == 0.7 for s in alpha["layout"]["shapes"])
    # hidden groups are drawn as such
    heat = shown["Taux de réponse par groupe et par vague"]
    assert any("< 5" in row for row in heat["data"][0]["text"])
    loads = table(at, "N°", "Fichier")
    assert set(loads["Statut"]) == {"En vigueur"} and len(loads) == 11


def test_quarantined_values_are_hidden_until_asked_for(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    rows = table(at, "Fichier", "Ligne du fichier")
    assert "Valeur" not in rows.columns
    assert "structure inconnue" in set(rows["Motif"])
    at.checkbox(key="q_values").check().run()
    assert not at.exception
    rows = table(at, "Fichier", "Ligne du fichier")
    assert "Colège Jean Jaurès" in set(rows["Valeur"])  # the misspelt institution of the demo log


def test_quarantine_reasons_are_explained_in_the_reader_language(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    rows = table(at, "Fichier", "Ligne du fichier")
    unknown = rows.loc[rows["Motif"] == "structure inconnue", "Explication"]
    assert any(
        "n'est pas dans la liste des structures. Structure connue la plus proche : « Collège Jean Jaurès » "
        "(EN_CLG_JAURES)." in m
        for m in unknown
    )
    assert not any("institutions list" in m for m in rows["Explication"])
    at = english(at)
    rows = table(at, "File", "File row")
    unknown = rows.loc[rows["Reason"] == "unknown institution", "Explanation"]
    assert any("Closest known institution: “Collège Jean Jaurès” (EN_CLG_JAURES)." in m for m in unknown)


def test_filters_and_the_wave_selector_change_what_is_shown(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    groups = set(table(at, "Vague", "Groupe")["Groupe"])
    assert any(g.startswith("Ville") for g in groups)
    at.sidebar.multiselect(key="sect").set_value(["education"]).run()
    assert not at.exception
    groups = set(table(at, "Vague", "Groupe")["Groupe"])
    assert groups and all(g.startswith("Éducation nationale") for g in groups)
    at.selectbox(key="q_rate_wave").set_value("2025-1").run()
    assert "Taux de réponse, vague 2025-1" in charts(at)
    # the waves filter narrows the retention pairs
    at.sidebar.select_slider(key="waves").set_value(("2025-1", "2026-1")).run()
    pairs = table(at, "Vagues", "Répondants de la 1re vague")["Vagues"]
    assert list(pairs) == ["2025-1 → 2025-2", "2025-2 → 2026-1"]


def test_role_filter_is_said_not_to_apply_to_response_rates(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    role = at.sidebar.multiselect(key="role")
    at = role.set_value([role.options[0]]).run()
    assert not at.exception
    assert any("ne s'appliquent pas aux taux de réponse" in c.value for c in at.caption)


def test_only_loads_in_force_toggle(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.toggle(key="q_current").set_value(True).run()
    assert not at.exception and len(table(at, "N°", "Fichier")) == 11


def test_english(demo_app: Callable[..., AppTest]) -> None:
    at = english(demo_app(PAGE))
    assert not at.exception
    assert at.title[0].value == "Data quality"
    assert "Response rates" in [s.value for s in at.subheader]
    assert "Cronbach's alpha by scale and wave" in charts(at)
    assert at.metric[1].value.endswith("%") and "\u202f" not in at.metric[1].value


def test_an_empty_warehouse_says_what_to_do(empty_app: Callable[..., AppTest]) -> None:
    at = empty_app(PAGE)
    assert not at.exception
    assert any("aucune vague" in i.value for i in at.info)
    assert not at.get("plotly_chart")
    at = english(at)
    assert any("no survey wave yet" in i.value for i in at.info)


def test_no_warehouse_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any("Aucun entrepôt pour l'instant" in i.value for i in at.info)


def test_weights_and_attrition_are_shown_for_the_selected_waves(
    demo_app: Callable[..., AppTest], demo_db: Path
) -> None:
    """Effective sample size and design effect per wave, the largest cell weights of a wave (hidden
    cells not listed), the attrition model between the two waves compared and its balance."""
    from indicators import weights
    from indicators.filters import Filters
    from warehouse.db import ReadOnlyWarehouse

    at = demo_app(PAGE)
    assert not at.exception
    cur = ReadOnlyWarehouse(demo_db).cursor()
    summary = weights.weight_summary(cur, Filters()).set_index("wave_id")
    shown = table(at, "Vague", "Méthode").set_index("Vague")
    assert list(shown.index) == ["2024-2", "2025-1", "2025-2", "2026-1"]
    assert shown.at["2026-1", "Taille effective"] == f"{summary.at['2026-1', 'n_effective']:.0f}"
    assert shown.at["2026-1", "Effet de plan (Kish)"] == f"{summary.at['2026-1', 'deff_kish']:.2f}".replace(".", ",")
    assert shown.at["2025-2", "Méthode"].startswith("calage sur marges")  # the demo's 2025-2 has empty cells
    largest = table(at, "Secteur", "Territoire")
    weights_shown = [float(w.replace(",", ".")) for w in largest["Poids"]]
    assert weights_shown == sorted(weights_shown, reverse=True) and len(weights_shown) <= 10
    assert any("ne sont pas listées" in c.value for c in at.caption)  # the demo has small cells
    attrition = weights.attrition_weights(cur, Filters(), "2025-2", "2026-1").summary.iloc[0]
    said = " ".join(m.value for m in at.markdown)
    assert f"{int(attrition['n_retained'])} personnes sur {int(attrition['n'])} sont restées" in said
    balance = table(at, "Caractéristique", "Modalité")
    assert "Écart std. avant" in balance.columns and "Écart std. après" in balance.columns
    assert "score de la première vague" in set(balance["Caractéristique"])


def test_attrition_under_the_threshold_is_not_shown(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.sidebar.multiselect(key="sect").select("health").run()
    assert not at.exception
    said = " ".join(m.value for m in at.markdown)
    assert "Pas de modèle d'attrition pour cette sélection : moins de 5 personnes restées ou parties" in said
    assert not [d for d in page_tables(at) if "Écart std. avant" in d.value.columns]
