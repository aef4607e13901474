"""The demo territory: its neighbourhoods, institutions and waves, the story's parameters (latent
effects) and the small random helpers every generator uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from numpy.random import Generator

from etl.codebook import SURVEYS_DIR

T = TypeVar("T")
Row = dict[str, Any]

DEFAULT_SEED = 2026
DEMO_DIR = SURVEYS_DIR / "demo"

TILLEULS, GARE, SOURCES, TOWN = "Les Tilleuls", "Centre-Gare", "Plateau des Sources", "Valmont"
NEIGHBOURHOODS = (TILLEULS, GARE, SOURCES)
LAGGING = SOURCES  # the neighbourhood where practice and ties do not grow

INSTITUTIONS_FILE = "institutions.csv"
TARGETS_FILE = "effectifs_cibles.csv"
ACTIVITIES_FILE = "actions_2024-2026.xlsx"

# KoboToolbox "XML values and headers": group paths as headers, one group per partner.
KOBO_STRUCTURE = "identification/structure"
KOBO_RATING = "partenaires/{choice}/{field}"




# --- The territory -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Wave:
    id: str
    index: int
    version: int  # practitioner codebook version
    start: dt.date  # fieldwork
    end: dt.date


WAVES = (
    Wave("2024-2", 0, 1, dt.date(2024, 11, 4), dt.date(2024, 11, 29)),
    Wave("2025-1", 1, 1, dt.date(2025, 5, 5), dt.date(2025, 5, 28)),
    Wave("2025-2", 2, 2, dt.date(2025, 11, 3), dt.date(2025, 11, 28)),
    Wave("2026-1", 3, 2, dt.date(2026, 5, 4), dt.date(2026, 5, 29)),
)

# LimeSurvey answer codes of the practitioner role question (surveys/practitioner/v1.toml).
TEACHER, SCHOOL_STAFF, MANAGER, YOUTH_WORKER, SOCIAL_WORKER = "A1", "A2", "A3", "A4", "A5"
HEALTH_WORKER, COORDINATOR, YOUTH_ADVISOR, PARENT_REP = "A6", "A7", "A8", "A9"

Roles = tuple[tuple[str, float], ...]
SCHOOL: Roles = ((TEACHER, 0.8), (SCHOOL_STAFF, 0.1), (MANAGER, 0.07), (COORDINATOR, 0.03))
COLLEGE: Roles = (
    (TEACHER, 0.68),
    (SCHOOL_STAFF, 0.16),
    (MANAGER, 0.07),
    (HEALTH_WORKER, 0.04),
    (SOCIAL_WORKER, 0.03),
    (COORDINATOR, 0.02),
)
YOUTH: Roles = ((YOUTH_WORKER, 0.72), (MANAGER, 0.14), (COORDINATOR, 0.14))
SOCIAL: Roles = ((SOCIAL_WORKER, 0.8), (MANAGER, 0.2))
HEALTH: Roles = ((HEALTH_WORKER, 0.8), (MANAGER, 0.2))
PARENTS: Roles = ((PARENT_REP, 1.0),)


@dataclass(frozen=True)
class Institution:
    id: str
    name: str
    aliases: tuple[str, ...]
    sector: str  # sector id of surveys/sectors.toml
    territory: str
    level: str  # quartier | commune | département
    staff: int  # professionals in post, all invited to the practitioner survey
    roles: Roles

    @property
    def code(self) -> str:
        """LimeSurvey answer / subquestion code (letters and digits only)."""
        return self.id.replace("_", "")

    @property
    def choice(self) -> str:
        """KoboToolbox choice name."""
        return self.id.lower()


def _inst(
    id_: str,
    name: str,
    aliases: tuple[str, ...],
    sector: str,
    territory: str,
    level: str,
    staff: int,
    roles: Roles,
) -> Institution:
    return Institution(id_, name, aliases, sector, territory, level, staff, roles)


INSTITUTIONS: tuple[Institution, ...] = (
    _inst(
        "EN_EM_TILLEULS",
        "École maternelle Les Tilleuls",
        ("Maternelle des Tilleuls",),
        "education",
        TILLEULS,
        "quartier",
        9,
        SCHOOL,
    ),
    _inst(
        "EN_EE_TILLEULS",
        "École élémentaire Les Tilleuls",
        ("Élémentaire des Tilleuls", "École des Tilleuls"),
        "education",
        TILLEULS,
        "quartier",
        14,
        SCHOOL,
    ),
    _inst(
        "EN_GS_FERRY",
        "Groupe scolaire Jules Ferry",
        ("École Jules Ferry", "GS Ferry"),
        "education",
        GARE,
        "quartier",
        16,
        SCHOOL,
    ),
    _inst(
        "EN_EP_SOURCES",
        "École primaire des Sources",
        ("École des Sources",),
        "education",
        SOURCES,
        "quartier",
        14,
        SCHOOL,
    ),
    _inst(
        "EN_EM_PASTEUR",
        "École maternelle Pasteur",
        ("Maternelle Pasteur",),
        "education",
        SOURCES,
        "quartier",
        8,
        SCHOOL,
    ),
    _inst(
        "EN_CLG_JAURES",
        "Collège Jean Jaurès",
        ("Collège Jaurès", "Jaurès"),
        "education",
        TILLEULS,
        "quartier",
        30,
        COLLEGE,
    ),
    _inst(
        "EN_CLG_CURIE", "Collège Marie Curie", ("Collège Curie", "Curie"), "education", SOURCES, "quartier", 26, COLLEGE
    ),
    _inst(
        "EN_LP_BRASSENS",
        "Lycée professionnel Georges Brassens",
        ("LP Brassens", "Lycée Brassens"),
        "education",
        GARE,
        "commune",
        24,
        COLLEGE,
    ),
    _inst(
        "EN_MED_SCOL",
        "Centre médico-scolaire de Valmont",
        ("Médecine scolaire",),
        "education",
        TOWN,
        "commune",
        4,
        ((HEALTH_WORKER, 0.75), (MANAGER, 0.25)),
    ),
    _inst(
        "EN_CIO",
        "CIO de Valmont",
        ("CIO", "Centre d'information et d'orientation"),
        "education",
        TOWN,
        "commune",
        3,
        ((HEALTH_WORKER, 0.7), (MANAGER, 0.3)),
    ),
    _inst(
        "VI_JEUNESSE", "Service jeunesse de la Ville", ("Service jeunesse", "SMJ"), "city", TOWN, "commune", 16, YOUTH
    ),
    _inst(
        "VI_CITE_EDUC",
        "Mission Cité éducative et PEDT",
        ("Cité éducative", "Coordination PEDT", "PEDT"),
        "city",
        TOWN,
        "commune",
        4,
        ((COORDINATOR, 0.6), (MANAGER, 0.4)),
    ),
    _inst(
        "VI_MEDIATHEQUE",
        "Médiathèque Louise-Michel",
        ("Médiathèque",),
        "city",
        GARE,
        "commune",
        6,
        ((YOUTH_WORKER, 0.7), (MANAGER, 0.3)),
    ),
    _inst(
        "VI_CSM_SOURCES",
        "Centre social municipal des Sources",
        ("CSM des Sources", "Centre social des Sources"),
        "city",
        SOURCES,
        "quartier",
        9,
        ((YOUTH_WORKER, 0.5), (SOCIAL_WORKER, 0.3), (MANAGER, 0.2)),
    ),
    _inst(
        "VI_PRE",
        "Programme de réussite éducative",
        ("PRE", "Réussite éducative"),
        "city",
        TOWN,
        "commune",
        5,
        ((SOCIAL_WORKER, 0.4), (COORDINATOR, 0.4), (MANAGER, 0.2)),
    ),
    _inst(
        "VI_SPORTS",
        "Service municipal des sports",
        ("Service des sports",),
        "city",
        TOWN,
        "commune",
        8,
        ((YOUTH_WORKER, 0.85), (MANAGER, 0.15)),
    ),
    _inst(
        "AS_CS_TILLEULS",
        "Centre social associatif des Tilleuls",
        ("Centre social des Tilleuls", "CSA Tilleuls"),
        "association",
        TILLEULS,
        "quartier",
        10,
        ((YOUTH_WORKER, 0.5), (SOCIAL_WORKER, 0.3), (MANAGER, 0.1), (COORDINATOR, 0.1)),
    ),
    _inst(
        "AS_USV",
        "Union sportive de Valmont",
        ("USV", "Club USV"),
        "association",
        TOWN,
        "commune",
        7,
        ((YOUTH_WORKER, 0.85), (MANAGER, 0.15)),
    ),
    _inst(
        "AS_REUSSIR",
        "Réussir Ensemble",
        ("Association Réussir Ensemble", "CLAS Réussir Ensemble"),
        "association",
        GARE,
        "quartier",
        6,
        YOUTH,
    ),
    _inst(
        "AS_ARTS_PLATEAU",
        "Compagnie Les Arts du Plateau",
        ("Arts du Plateau",),
        "association",
        SOURCES,
        "quartier",
        4,
        ((YOUTH_WORKER, 0.75), (MANAGER, 0.25)),
    ),
    _inst(
        "AS_MJC",
        "MJC Centre-Gare",
        ("MJC", "Maison des jeunes et de la culture"),
        "association",
        GARE,
        "quartier",
        7,
        YOUTH,
    ),
    _inst(
        "SA_CMP",
        "CMP enfants-adolescents",
        ("CMP", "CMPEA", "Centre médico-psychologique"),
        "health",
        TOWN,
        "commune",
        7,
        HEALTH,
    ),
    _inst(
        "SA_PMI",
        "PMI des Tilleuls",
        ("PMI", "Protection maternelle et infantile"),
        "health",
        TILLEULS,
        "département",
        5,
        HEALTH,
    ),
    _inst(
        "SA_MSP",
        "Maison de santé du Plateau",
        ("MSP du Plateau", "Maison de santé"),
        "health",
        SOURCES,
        "quartier",
        5,
        HEALTH,
    ),
    _inst(
        "SA_PAEJ",
        "Point accueil écoute jeunes",
        ("PAEJ",),
        "health",
        TOWN,
        "commune",
        3,
        ((HEALTH_WORKER, 0.6), (SOCIAL_WORKER, 0.4)),
    ),
    _inst(
        "SO_CAF",
        "Caisse d'allocations familiales (antenne de Valmont)",
        ("CAF", "CAF de Valmont"),
        "social",
        TOWN,
        "département",
        5,
        ((SOCIAL_WORKER, 0.5), (COORDINATOR, 0.3), (MANAGER, 0.2)),
    ),
    _inst(
        "SO_MDS",
        "Maison départementale des solidarités",
        ("MDS", "Service social départemental"),
        "social",
        TOWN,
        "département",
        10,
        SOCIAL,
    ),
    _inst("SO_ASE", "Aide sociale à l'enfance", ("ASE",), "social", TOWN, "département", 6, SOCIAL),
    _inst(
        "SO_PREV",
        "Club de prévention Horizon",
        ("Prévention spécialisée", "Horizon"),
        "social",
        SOURCES,
        "quartier",
        5,
        SOCIAL,
    ),
    _inst(
        "SO_CCAS",
        "CCAS de Valmont",
        ("CCAS", "Centre communal d'action sociale"),
        "social",
        TOWN,
        "commune",
        5,
        ((SOCIAL_WORKER, 0.7), (MANAGER, 0.3)),
    ),
    _inst(
        "IN_ML",
        "Mission locale de Valmont",
        ("Mission locale", "ML Valmont"),
        "insertion",
        TOWN,
        "commune",
        8,
        ((YOUTH_ADVISOR, 0.8), (MANAGER, 0.1), (COORDINATOR, 0.1)),
    ),
    _inst(
        "IN_E2C",
        "École de la 2e chance",
        ("E2C",),
        "insertion",
        TOWN,
        "département",
        4,
        ((YOUTH_ADVISOR, 0.6), (TEACHER, 0.2), (MANAGER, 0.2)),
    ),
    _inst(
        "IN_PJJ", "Unité éducative de milieu ouvert (PJJ)", ("PJJ", "UEMO"), "insertion", TOWN, "département", 4, SOCIAL
    ),
    _inst(
        "IN_REGIE",
        "Régie de quartier du Plateau",
        ("Régie de quartier",),
        "insertion",
        SOURCES,
        "quartier",
        3,
        ((YOUTH_ADVISOR, 0.6), (MANAGER, 0.4)),
    ),
    _inst(
        "PA_FCPE_JAURES",
        "Conseil local FCPE du collège Jaurès",
        ("FCPE Jaurès",),
        "parents",
        TILLEULS,
        "quartier",
        4,
        PARENTS,
    ),
    _inst("PA_FCPE_FERRY", "Conseil local FCPE Jules Ferry", ("FCPE Ferry",), "parents", GARE, "quartier", 4, PARENTS),
    _inst("PA_PEEP_BRASSENS", "PEEP du lycée Brassens", ("PEEP Brassens",), "parents", GARE, "quartier", 2, PARENTS),
    _inst(
        "PA_FCPE_CURIE", "Conseil local FCPE Marie Curie", ("FCPE Curie",), "parents", SOURCES, "quartier", 3, PARENTS
    ),
    _inst(
        "PA_PARENTS_PLATEAU",
        "Association des parents du Plateau",
        ("Parents du Plateau",),
        "parents",
        SOURCES,
        "quartier",
        4,
        PARENTS,
    ),
    _inst(
        "PA_CAFE_TILLEULS",
        "Café des parents des Tilleuls",
        ("Café des parents",),
        "parents",
        TILLEULS,
        "quartier",
        3,
        PARENTS,
    ),
)
BY_ID = {i.id: i for i in INSTITUTIONS}

# How sectors are written in the files (labels or aliases of surveys/sectors.toml).
SECTOR_LABELS = {
    "education": "Éducation nationale",
    "city": "Ville",
    "association": "Associations",
    "health": "Santé",
    "social": "Social / CAF",
    "insertion": "Insertion / Mission locale",
    "parents": "Associations de parents",
}
# A few rows of the hand-kept institutions list use another accepted spelling.
SECTOR_SPELLINGS = {
    "VI_SPORTS": "Mairie",
    "AS_USV": "Association",
    "SO_CAF": "CAF",
    "IN_ML": "Mission locale",
    "PA_PEEP_BRASSENS": "Parents d'élèves",
}

SECTORS = tuple(SECTOR_LABELS)
# Affinity between sectors (how often they work together at baseline, ~1 never … 4 constantly).
_AFFINITY_PAIRS = {
    ("education", "city"): 2.6,
    ("education", "association"): 2.4,
    ("education", "health"): 2.5,
    ("education", "social"): 2.4,
    ("education", "insertion"): 1.7,
    ("education", "parents"): 2.8,
    ("city", "association"): 2.9,
    ("city", "health"): 1.8,
    ("city", "social"): 2.4,
    ("city", "insertion"): 2.2,
    ("city", "parents"): 2.2,
    ("association", "health"): 1.7,
    ("association", "social"): 2.4,
    ("association", "insertion"): 2.0,
    ("association", "parents"): 2.4,
    ("health", "social"): 2.6,
    ("health", "insertion"): 1.6,
    ("health", "parents"): 1.5,
    ("social", "insertion"): 2.4,
    ("social", "parents"): 1.8,
    ("insertion", "parents"): 1.3,
}


def affinity(a: str, b: str) -> float:
    if a == b:
        return 3.6
    return _AFFINITY_PAIRS.get((a, b)) or _AFFINITY_PAIRS[(b, a)]


def _lagging(inst: Institution) -> bool:
    return inst.territory == LAGGING


def _close(a: Institution, b: Institution) -> bool:
    """Same neighbourhood, or one of them serves the whole town."""
    return a.territory == b.territory or TOWN in (a.territory, b.territory)


# --- Story parameters (latent effects; see the module docstring) ------------------------------

BASE = {"net": 3.05, "leg": 2.85, "par": 3.3, "cul": 3.0}
GROWTH = {
    "net": (0.0, 0.17, 0.33, 0.5),
    "leg": (0.0, 0.0, 0.4, 0.55),
    "par": (0.0, 0.08, 0.17, 0.25),
    "cul": (0.0, 0.13, 0.27, 0.4),
}
LAGGING_GROWTH = {
    "net": (0.0, 0.0, 0.0, 0.0),
    "leg": (0.0, 0.0, 0.4, 0.55),
    "par": (0.0, 0.05, 0.1, 0.15),
    "cul": (0.0, 0.05, 0.1, 0.15),
}
STRATEGIC_CULTURE_GAP = (0.75, 0.55, 0.35, 0.15)
WHO5_ITEM_MEAN = (3.1, 2.72, 2.6, 3.04)  # × 20 = the WHO-5 score
CBI_LATENT = (1.6, 1.95, 2.05, 1.7)  # on the 0-4 item scale (× 25 = the CBI score)
TURNOVER = 0.1
VACANCY = 0.3  # share of departures whose post stays empty for one wave
LOYAL_SHARE, LOYAL_P, OCCASIONAL_P = 0.72, 0.93, 0.3

# Practice items: (LimeSurvey heading, scale, offset, reverse-keyed, versions asking it).
PRACTICE_ITEMS: tuple[tuple[str, str, float, bool, tuple[int, ...]], ...] = (
    ("G02Q01[SQ001]", "net", 0.15, False, (1, 2)),
    ("G02Q01[SQ002]", "net", 0.3, False, (1, 2)),
    ("G02Q01[SQ003]", "net", -0.25, False, (1, 2)),
    ("G02Q01[SQ004]", "net", -0.15, False, (1, 2)),
    ("G02Q01[SQ005]", "net", -0.05, True, (1, 2)),
    ("G02Q02[SQ001]", "leg", 0.3, False, (1, 2)),
    ("G02Q02[SQ002]", "leg", -0.3, False, (1, 2)),
    ("G02Q02[SQ003]", "leg", -0.4, False, (1, 2)),
    ("G02Q02[SQ004]", "leg", 0.0, True, (1, 2)),
    ("G02Q02[SQ005]", "leg", -0.1, False, (2,)),
    ("G02Q03[SQ001]", "par", 0.5, False, (1, 2)),
    ("G02Q03[SQ002]", "par", -0.3, False, (1, 2)),
    ("G02Q03[SQ003]", "par", 0.1, False, (1, 2)),
    ("G02Q03[SQ004]", "par", -0.2, True, (1, 2)),
    ("G02Q04[SQ001]", "cul", 0.1, False, (1, 2)),
    ("G02Q04[SQ002]", "cul", -0.35, False, (1, 2)),
    ("G02Q04[SQ003]", "cul", 0.1, False, (1, 2)),
    ("G02Q04[SQ004]", "cul", -0.2, True, (1,)),
)
WHO5_OFFSETS = (0.1, -0.1, -0.15, -0.2, 0.35)
CBI_OFFSETS = (0.1, -0.15, 0.05, 0.35, -0.4, -0.3)  # W1..W6; W7 is reverse-keyed
ROLE_WELLBEING = {TEACHER: -0.15, SOCIAL_WORKER: -0.2, SCHOOL_STAFF: -0.1, PARENT_REP: 0.25}


# --- Small helpers -----------------------------------------------------------------------------


def _streams(seed: int) -> dict[str, Generator]:
    """One independent random stream per part, so that changing one part keeps the others."""
    names = ("people", "practitioner", "partner", "activities", "flaws")
    return {n: np.random.default_rng([seed, i]) for i, n in enumerate(names)}


def _likert(x: float, lo: int, hi: int) -> int:
    return int(min(hi, max(lo, round(x))))


def _sigmoid(x: float) -> float:
    return float(1.0 / (1.0 + np.exp(-x)))


def _pick(rng: Generator, seq: Sequence[T]) -> T:
    return seq[int(rng.integers(len(seq)))]


def _weighted(rng: Generator, options: Sequence[tuple[T, float]]) -> T:
    weights = np.array([w for _, w in options], dtype=float)
    return options[int(rng.choice(len(options), p=weights / weights.sum()))][0]


# French public holidays of the period, and the Christmas break (no joint work on those days).
HOLIDAYS = {
    dt.date(2024, 11, 1),
    dt.date(2024, 11, 11),
    dt.date(2025, 4, 21),
    dt.date(2025, 5, 1),
    dt.date(2025, 5, 8),
    dt.date(2025, 5, 29),
    dt.date(2025, 6, 9),
    dt.date(2025, 7, 14),
    dt.date(2025, 8, 15),
    dt.date(2025, 11, 11),
    dt.date(2026, 4, 6),
    dt.date(2026, 5, 1),
    dt.date(2026, 5, 8),
    dt.date(2026, 5, 14),
    dt.date(2026, 5, 25),
    *(dt.date(2024, 12, 23) + dt.timedelta(d) for d in range(12)),
    *(dt.date(2025, 12, 22) + dt.timedelta(d) for d in range(13)),
}


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Weekdays from `start` to `end` (inclusive) that are not holidays."""
    days = (start + dt.timedelta(d) for d in range((end - start).days + 1))
    return [d for d in days if d.weekday() < 5 and d not in HOLIDAYS]


def _moment(rng: Generator, start: dt.date, end: dt.date) -> dt.datetime:
    """A working-hours moment of a working day between two dates (inclusive)."""
    day = _pick(rng, working_days(start, end))
    seconds = int(rng.integers(8 * 3600, 19 * 3600))
    return dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")
