"""The « Bien-être » page (AppTest): screening warning, distributions, shares beyond the
cut-offs, roles, panel change; filters, English, empty states."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from indicators import models
from indicators.filters import Filters
from tests.ui.conftest import page_tables
from tests.ui.test_overview import choose_language
from warehouse.db import ReadOnlyWarehouse

PAGE = "pages/5_bien_etre.py"


def specs(at: AppTest) -> str:
    """The plotly JSON of every chart, as readable text (titles, captions, labels)."""
    return "\n".join(json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart"))


def panel_table(at: AppTest) -> Any:
    return next(d.value for d in page_tables(at) if "Personnes (n)" in d.value.columns)


def test_the_page_shows_the_screening_warning_and_every_chart(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    assert not at.exception
    assert at.title[0].value == "Bien-être"
    assert any("outil de repérage, pas un diagnostic" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 4  # distribution, cut-offs, roles, panel change
    text = specs(at)
    assert "Bien-être (WHO-5) : répartition des scores par vague" in text
    assert "Part des professionnels au-delà des seuils" in text and "selon la fonction" in text
    table = next(d.value for d in page_tables(at) if "Sens favorable" in d.value.columns)
    assert list(table["Sens favorable"]) == ["hausse", "baisse"]
    assert table["Personnes (n)"].iloc[0] == "162"


def test_switching_to_burnout_and_filtering_change_what_is_shown(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    scale: Any = next(b for b in at.get("button_group") if getattr(b, "key", None) == "wb_scale")
    scale.set_value("cbi_work").run()
    assert "Épuisement lié au travail (CBI) : répartition" in specs(at)
    before = panel_table(at)["Personnes (n)"].iloc[0]
    at.sidebar.multiselect(key="terr").select("Plateau des Sources").run()
    assert not at.exception
    assert panel_table(at)["Personnes (n)"].iloc[0] != before


def test_small_groups_by_role_are_listed_as_hidden(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.sidebar.multiselect(key="terr").select("Plateau des Sources").run()
    assert not at.exception
    assert "moins de 5 répondants" in specs(at)


def test_english_on_request(demo_app: Callable[..., AppTest]) -> None:
    at = choose_language(demo_app(PAGE), "en")
    assert not at.exception
    assert at.title[0].value == "Wellbeing"
    assert any("screening tool, not a diagnosis" in i.value for i in at.info)
    assert "Share of professionals beyond the cut-offs" in specs(at)


def test_an_empty_warehouse_says_what_to_do(empty_app: Callable[..., AppTest]) -> None:
    at = empty_app(PAGE)
    assert not at.exception
    assert any("aucune vague" in i.value for i in at.info)


def test_the_repeated_measures_model_is_shown_beside_the_means(
    demo_app: Callable[..., AppTest], demo_db: Path
) -> None:
    at = demo_app(PAGE)
    assert "Évolution estimée 2025-2 → 2026-1 : modèle à mesures répétées" in [s.value for s in at.subheader]
    fit = models.repeated_measures(ReadOnlyWarehouse(demo_db).cursor(), Filters())
    row = fit.changes[(fit.changes["scale_id"] == "who5") & (fit.changes["wave_a"] == "2025-2")
                      & (fit.changes["wave_b"] == "2026-1")].iloc[0]
    icc = fit.models.set_index("scale_id").at["who5", "icc_respondent"]
    table = next(d.value for d in page_tables(at) if "CCI répondant" in d.value.columns)
    who5 = table.set_index("Échelle").loc["Bien-être (WHO-5, 0–100)"]
    assert who5["Évolution 2025-2 → 2026-1 (modèle)"] == f"{row['change']:+.1f}".replace(".", ",")
    low, high = (f"{v:+.1f}".replace(".", ",").replace("-", "−") for v in (row["ci_low"], row["ci_high"]))
    assert who5["IC 95 % (modèle)"] == f"{low} à {high}"
    assert who5["CCI répondant"] == f"{icc:.2f}".replace(".", ",")
    at.toggle(key="wb_weighted").set_value(True).run()
    assert not at.exception
    assert "Écart des moyennes pondérées" in next(
        d.value for d in page_tables(at) if "CCI répondant" in d.value.columns).columns
