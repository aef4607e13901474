"""The « Réseau inter-institutionnel » page (pages/3_reseau.py) run with AppTest."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, TIMEOUT, page_tables
from warehouse.safe_text import escape_markdown

PAGE = "pages/3_reseau.py"


def specs(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def institutions_drawn(spec: dict[str, Any]) -> int:
    return sum(
        len(tr.get("x") or [])
        for tr in spec["data"]
        if isinstance(tr.get("meta"), dict) and tr["meta"].get("kind") == "institutions"
    )


def titles(at: AppTest) -> list[str]:
    return [s["layout"]["meta"]["title"] for s in specs(at)]


def test_demo_in_french(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    assert not at.exception
    assert at.title[0].value == "Réseau inter-institutionnel"
    shown = titles(at)
    assert shown[0] == "Qui travaille avec qui ? Réseau des structures, vague 2026-1"
    assert "Indicateurs du réseau par vague" in shown
    assert "Liens maintenus, perdus et nouveaux entre 2025-2 et 2026-1" in shown
    assert "Confiance et apport reçus par chaque structure, vague 2026-1" in shown
    assert institutions_drawn(specs(at)[0]) == 40
    # KPIs, new/lost ties, brokers, disagreeing dyads
    assert [m.label for m in at.metric] == ["Répondantes", "Liens déclarés", "Densité", "Réciprocité", "Inter-secteurs"]
    assert at.metric[0].value == "33 sur 40"
    assert len(page_tables(at)) >= 4
    assert any("N11" in m.value and "Jaccard" in m.value for m in at.markdown)
    assert any("à discuter en comité" in s.value for s in at.subheader)


def test_english(demo_app: Callable[..., AppTest]) -> None:
    # demo_app(lang="en") sets ?lang=en before the page switch, which drops it: use the sidebar
    at = demo_app(PAGE)
    at.button_group(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Inter-institutional network"
    assert titles(at)[0] == "Who works with whom? Network of institutions, wave 2026-1"
    assert [m.label for m in at.metric][:2] == ["Answered", "Reported ties"]


def test_a_sector_filter_narrows_the_network(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    before = institutions_drawn(specs(at)[0])
    at.sidebar.multiselect(key="sect").select("health").select("education").run()
    assert not at.exception
    after = institutions_drawn(specs(at)[0])
    assert 0 < after < before
    assert any("Secteur" in c.value for c in at.caption)  # the page says the network is induced


def test_compare_two_waves_side_by_side(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.segmented_control(key="net_view").set_value("compare").run()
    assert not at.exception
    shown = specs(at)
    assert [s["layout"]["meta"]["title"] for s in shown[:2]] == [
        "Réseau des structures, vague 2025-2",
        "Réseau des structures, vague 2026-1",
    ]
    kinds = [tr["meta"]["kind"] for tr in shown[1]["data"] if isinstance(tr.get("meta"), dict)]
    assert "highlight" in kinds  # new ties drawn in colour
    assert institutions_drawn(shown[0]) == institutions_drawn(shown[1]) == 40


def test_other_sources_and_waves(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.segmented_control(key="net_src").set_value("practitioner_survey").run()
    assert not at.exception
    assert any("questionnaire aux professionnels" in s["layout"]["meta"]["caption"] for s in specs(at))
    assert any("viennent toujours du questionnaire partenaires" in c.value for c in at.caption)
    at.select_slider(key="net_wave").set_value("2024-2").run()
    assert not at.exception
    assert titles(at)[0].endswith("vague 2024-2")


def test_a_single_wave_explains_why_there_is_no_stability(demo_app: Callable[..., AppTest]) -> None:
    at = demo_app(PAGE)
    at.sidebar.select_slider(key="waves").set_value(("2026-1", "2026-1")).run()
    assert not at.exception
    assert any("Une seule vague sélectionnée" in i.value for i in at.info)
    assert at.get("plotly_chart")  # the network and the trend are still shown


def test_empty_warehouse(empty_app: Callable[..., AppTest]) -> None:
    at = empty_app(PAGE)
    assert not at.exception
    assert any("aucune vague" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_do_joint_actions_create_ties(demo_app: Callable[..., AppTest], demo_db: Path) -> None:
    """The odds ratios of forming and keeping a tie, as the indicator estimates them on the demo
    (its generator plants an effect), in a sentence, a figure and a table, with the caveats."""
    from indicators import networks, tie_formation
    from indicators.filters import Filters
    from warehouse.db import ReadOnlyWarehouse

    at = demo_app(PAGE)
    assert not at.exception
    assert "Les actions communes créent-elles des liens ?" in [s.value for s in at.subheader]
    effects = tie_formation.tie_formation(ReadOnlyWarehouse(demo_db).cursor(), Filters(),
                                          by_territory=networks.networks_by_territory()).effects.set_index("effect")
    formation = effects.loc["formation"]
    assert formation["or_ci_low"] > 1  # the demo's planted effect is found

    def ratio(x: float) -> str:
        return f"{x:.2f}".replace(".", ",") if x < 9.995 else f"{x:.1f}".replace(".", ",")

    said = "\n".join(m.value for m in at.markdown)
    assert (f"avaient {ratio(formation['odds_ratio'])} fois plus de chances de nouer un lien (IC 95 % "
            f"{ratio(formation['or_ci_low'])}–{ratio(formation['or_ci_high'])})") in said
    assert "de garder leur lien" in said
    assert "Agir ensemble et nouer ou garder un lien" in titles(at)
    shown = next(d.value for d in page_tables(at) if "Rapport des chances" in d.value.columns)
    assert list(shown["Effet"]) == ["Nouer un lien", "Garder un lien"]
    assert any("sélection des partenaires" in w.value and "observationnelle" in w.value for w in at.warning)


def test_one_institutions_own_network(demo_app: Callable[..., AppTest], demo_db: Path) -> None:
    """Choosing an institution shows its partners as the indicator finds them, what each side reports,
    and the change since the previous wave; the sentences say the same counts."""
    from indicators import networks
    from indicators.filters import Filters
    from warehouse.db import ReadOnlyWarehouse

    at = demo_app(PAGE)
    assert "Le réseau d'une structure (2026-1)" in [s.value for s in at.subheader]
    assert at.selectbox(key="net_ego").value is None  # nothing computed until one is chosen
    at.selectbox(key="net_ego").set_value("VI_JEUNESSE").run()
    assert not at.exception
    ego = networks.ego_network(ReadOnlyWarehouse(demo_db).cursor(), Filters(), "VI_JEUNESSE", "2026-1", "2025-2",
                               by_territory=networks.networks_by_territory())
    s = ego.summary.iloc[0]
    shown = next(d.value for d in page_tables(at) if "Lien déclaré par elle" in d.value.columns)
    assert list(shown["Structure"]) == list(ego.partners["name"])
    counts = shown["Depuis 2025-2"].value_counts()
    shown_counts = (counts.get("Nouveau", 0), counts.get("Maintenu", 0), counts.get("Perdu", 0))
    assert shown_counts == (s["new"], s["kept"], s["lost"])
    assert (shown["Lien déclaré par elle"] == "oui").sum() == s["out_degree"]
    said = "\n".join(m.value for m in at.markdown)
    assert escape_markdown(f"Service jeunesse de la Ville (Ville) a {s['partners']} partenaires en 2026-1 (liens "
                           f"déclarés par elle : {s['out_degree']} ; vers elle : {s['in_degree']})") in said
    assert escape_markdown("Depuis 2025-2 : ") in said
    # the graph draws its ties in colour, one per partner
    marks = [tr for tr in specs(at)[0]["data"]
             if isinstance(tr.get("meta"), dict) and tr["meta"].get("kind") == "highlight"]
    assert [m["name"] for m in marks] == [f"liens de Service jeunesse de la Ville ({s['partners']})"]
    assert marks[0]["meta"]["pairs"] == s["partners"]
    # another wave: the choice stays, compared with the wave before it
    at.select_slider(key="net_wave").set_value("2025-1").run()
    assert not at.exception
    assert "Depuis 2024-2" in next(d.value for d in page_tables(at) if "Lien déclaré par elle" in d.value.columns)


def test_an_institutions_name_cannot_inject_markup_into_its_own_network(
    demo_db: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """A name loaded from a user's file is shown as text: no link, no bold, in the sentences or the
    graph's legend."""
    import shutil

    import duckdb

    db = tmp_path / "names.duckdb"
    shutil.copy(demo_db, db)
    conn = duckdb.connect(str(db))
    evil = "[Cliquez ici](https://exemple.invalid) **urgent** <a href='https://exemple.invalid'>x</a>"
    conn.execute("UPDATE institutions SET name = ? WHERE institution_id = 'VI_JEUNESSE'", [evil])
    conn.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key = 'warehouse_version'")
    conn.close()
    monkeypatch.setenv("MAILLAGE_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    at.selectbox(key="net_ego").set_value("VI_JEUNESSE").run()
    assert not at.exception
    said = "\n".join(m.value for m in at.markdown)
    assert escape_markdown(evil) in said and "[Cliquez ici](https" not in said and "**urgent**" not in said
    legend = [tr["name"] for tr in specs(at)[0]["data"]
              if isinstance(tr.get("meta"), dict) and tr["meta"].get("kind") == "highlight"]
    assert legend and "<a href" not in legend[0] and "&lt;a href" in legend[0]
