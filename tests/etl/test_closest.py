"""Closest-name suggestions for institutions that match nothing: the name a person meant, among
thousands (a national programme's list), the same suggestion difflib gave before."""

from __future__ import annotations

import csv
import difflib
import itertools
import random
import unicodedata
from pathlib import Path

import pytest

from etl.closest import ClosestNames
from etl.map import InstitutionIndex
from etl.validate import suggest

DEMO_INSTITUTIONS = Path(__file__).resolve().parents[2] / "surveys" / "demo" / "institutions.csv"

TYPES = ["École élémentaire", "École maternelle", "Groupe scolaire", "Collège", "Lycée", "Lycée professionnel",
         "Centre social", "Médiathèque", "Maison de santé", "Club de prévention", "MJC", "Conseil local FCPE"]
PEOPLE = ["Jean Jaurès", "Jules Ferry", "Victor Hugo", "Marie Curie", "Louise Michel", "Pasteur", "Jean Moulin",
          "Paul Éluard", "Jacques Prévert", "Anatole France", "Albert Camus", "Simone Veil", "Pablo Neruda",
          "Georges Brassens", "Romain Rolland", "Jean Macé", "Condorcet", "Voltaire", "Émile Zola", "Paul Langevin"]
TOWNS = ["Saint-Martin", "Saint-Denis", "Villeneuve", "Montigny", "Bourg-la-Reine", "Neuilly", "Fontaine",
         "Beaulieu", "Belleville", "Château-Rouge", "Clairefontaine", "Mont-Saint-Aignan", "Pontoise", "Rosny",
         "Sainte-Marie", "Vaulx", "Villers", "Bellevue", "La Chapelle", "Le Mesnil", "Les Ulis", "Moulins",
         "Noisy", "Orly", "Palaiseau", "Quimper", "Rezé", "Saint-Herblain", "Trappes", "Vénissieux",
         "Vitry", "Wattrelos", "Yerres", "Évry"]  # fmt: skip


def demo_rows() -> list[dict[str, str]]:
    with DEMO_INSTITUTIONS.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def demo_spellings() -> dict[str, str]:
    """Every spelling (id, name, aliases) of the demo's 40 institutions → id."""
    out: dict[str, str] = {}
    for r in demo_rows():
        for s in [r["id"], r["nom"], *filter(None, r["alias"].split("|"))]:
            out[s] = r["id"]
    return out


def national_names(towns: int = len(TOWNS)) -> list[str]:
    """Schools, social centres... named after the same people in many towns: 12 × 20 × towns names."""
    return [f"{t} {p} ({town})" for t, p, town in itertools.product(TYPES, PEOPLE, TOWNS[:towns])]


def index_of(spellings: dict[str, str], names: dict[str, str]) -> InstitutionIndex:
    return InstitutionIndex({}, {}, names, spellings, {})


@pytest.fixture(scope="module")
def national_index() -> InstitutionIndex:
    """The demo's institutions among 8,160 others (a national programme's pooled list)."""
    spellings = demo_spellings()
    national = {f"NAT_{i:05d}": n for i, n in enumerate(national_names())}
    spellings.update({n: inst for inst, n in national.items()})
    assert len(spellings) > 8_000
    return index_of(spellings, {**{r["id"]: r["nom"] for r in demo_rows()}, **national})


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("College Jean Jaures", "EN_CLG_JAURES"),  # accents left out
        ("Colège Jean Jaurès", "EN_CLG_JAURES"),  # a letter missing
        ("Clg Marie Curie", "EN_CLG_CURIE"),  # abbreviation
        ("Ecole maternelle les tilleuls", "EN_EM_TILLEULS"),
        ("Ecole elementaire des Tilleuls", "EN_EE_TILLEULS"),
        ("Centre social des tilleul", "AS_CS_TILLEULS"),
        ("cmp enfants ados", "SA_CMP"),
        ("Lycee pro Brassens", "EN_LP_BRASSENS"),
        ("MJC centre gare", "AS_MJC"),
        ("Mission locale Valmont", "IN_ML"),
        ("Médiathèque L. Michel", "VI_MEDIATHEQUE"),
        ("PMI Tilleuls", "SA_PMI"),
        ("CAF Valmont", "SO_CAF"),
        ("Programme réussite éducative", "VI_PRE"),
    ],
)
def test_a_misspelt_name_is_matched_to_the_institution_meant_among_8000(
    national_index: InstitutionIndex, written: str, meant: str
) -> None:
    assert national_index.closest_institution(written) == meant


def test_the_report_names_the_closest_institution_in_both_languages(national_index: InstitutionIndex) -> None:
    assert suggest(national_index, "College Jean Jaures") == (
        " Closest known institution: “Collège Jean Jaurès” (EN_CLG_JAURES)."
    )
    assert suggest(national_index, "College Jean Jaures", "fr") == (
        " Structure connue la plus proche : « Collège Jean Jaurès » (EN_CLG_JAURES)."
    )


def test_a_name_close_to_nothing_gets_no_suggestion(national_index: InstitutionIndex) -> None:
    assert national_index.closest_institution("Gendarmerie nationale") is None
    assert suggest(national_index, "Gendarmerie nationale") == ""


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _misspell(rng: random.Random, name: str) -> str:
    """How names are miswritten in exports: accents, word order, a letter, abbreviations, case."""
    kind = rng.randrange(6)
    if kind == 0:
        return _strip_accents(name)
    if kind == 1:
        words = name.split()
        rng.shuffle(words)
        return " ".join(words)
    if kind == 2:
        i = rng.randrange(len(name))
        return name[:i] + name[i + 1 :]
    if kind == 3:
        return name.replace("Collège", "Clg").replace("École", "Ec.").replace("Lycée professionnel", "LP")
    if kind == 4:
        i = rng.randrange(len(name))
        return name[:i] + rng.choice("aeiouxz") + name[i:]
    return name.upper()


def test_the_suggestion_is_the_one_difflib_gave() -> None:
    """On misspellings of a list where many names differ by one word (ties included), the
    suggestion is difflib.get_close_matches' (the suggestion of earlier versions)."""
    spellings = demo_spellings()
    spellings.update({n: f"NAT_{i:05d}" for i, n in enumerate(national_names(towns=2))})
    lowered = [s.lower() for s in spellings]
    rng = random.Random(13)
    written = [_misspell(rng, s) for s in rng.sample(sorted(spellings), 60)]
    written += ["Jaurès Jean Collège", "Maison des solidarités", "Gendarmerie", "Collège", "École Jaurès"]
    for cutoff in (0.6, 0.5):
        closest = ClosestNames(lowered, cutoff)
        for text in written:
            expected = difflib.get_close_matches(text.lower(), lowered, n=1, cutoff=cutoff)
            assert closest.closest(text.lower()) == (expected[0] if expected else None), text
