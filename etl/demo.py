"""The demo territory: a seeded generator of realistic exports, and the demo warehouse built from them.

"Cité éducative de Valmont" is fictional. Three neighbourhoods (Les Tilleuls, Centre-Gare,
Plateau des Sources) and town-wide services ("Valmont"); 40 institutions in the 7 sectors of
surveys/sectors.toml; four half-yearly waves 2024-2 (fieldwork November 2024), 2025-1 (May 2025),
2025-2 (November 2025), 2026-1 (May 2026). The practitioner survey uses codebook version 1 for the
first two waves and version 2 (LEG5 added, CUL4 dropped) for the last two. 320 posts: after each
wave 10 % of the holders leave (a third of those posts stay vacant for one wave); everyone in post
is invited, 72 % of people answer 93 % of the time and the others 30 %. That gives 218-232
respondents a wave (response rates 70-75 %), 21-26 % panel attrition, 361 distinct respondents,
~18 % of them strategic. Everything is drawn from `numpy.random.default_rng` streams derived from
one seed (2026): `write_demo_exports()` rewrites the files of surveys/demo/ identically.

The files are written as the real tools write them:
- institutions.csv, effectifs_cibles.csv: `;`, UTF-8 with BOM (Excel "CSV UTF-8"), French headers;
- praticiens_<wave>.xlsx: LimeSurvey "question code" headings and "answer codes" (A1…, Y),
  token/submitdate/startdate/datestamp as text, a free-text comment column (G07Q01) that the
  codebook ignores, "NSP" (Je ne sais pas) answer codes, a few empty answers;
- partenaires_<wave>.csv: a KoboToolbox "XML values and headers" export opened in Excel and saved
  as "CSV (séparateur : point-virgule)": Windows-1252, CRLF, choice names as values;
- actions_2024-2026.xlsx: a hand-kept activity log, dates partly real Excel dates and partly text
  "dd/mm/yyyy", institutions named by name or alias separated by " ; ".

The story the indicators should reveal: latent effects built in, and [observed with seed 2026].
- Network practice (NET, 1-5): +0.50 over the four waves outside Plateau des Sources
  [wave means 3.11 → 3.26 → 3.46 → 3.61], none inside it [3.19 → 3.23 → 3.16 → 3.13].
- Partnership culture: +0.40 (+0.15 in Plateau des Sources) [3.08 → 3.34]; strategic respondents
  rate it higher, the latent gap narrowing 0.75 → 0.15 [observed 0.78 → 0.37].
- Legibility of schemes: flat, then +0.40 at wave 3 and +0.55 at wave 4 [2.77, 2.74, 3.16, 3.28].
- Parents as actors: +0.25 [3.28 → 3.52].
- WHO-5 item means 3.1, 2.72, 2.6, 3.04 [scores 61.3, 52.7, 50.6, 59.4]; CBI work burnout latent
  1.6, 1.95, 2.05, 1.7 on the 0-4 item scale [39.0, 48.8, 51.4, 43.4]; teachers and social
  workers a little lower, parents' representatives a little higher.
- Partner survey: levels of collaboration grow +0.3 a wave for cross-sector pairs, +0.1 for
  same-sector pairs, +0.05 for pairs involving an institution of Plateau des Sources, and +0.4 at a
  wave for the pairs listed together in a joint action of the log since the previous wave's
  fieldwork [mean level 1.20 → 1.88; share of cross-sector ratings at level ≥ 2: 0.29, 0.46, 0.59,
  0.61; indicators.tie_formation: pairs that acted together 3.6 times the odds of forming a tie
  (CI 1.7–7.9), 5.2 times the odds of keeping one (1.9–14.2)].
- Practitioners' WORKED_WITH: logit +0.3 a wave for institutions of another sector (+0.06 in
  Plateau des Sources) [cross-sector institutions named per respondent 2.0 → 3.7].
- Activity log (1,201 actions, Sept 2024 – June 2026): actions for 16-18 year olds only from
  September 2025 [10.5 % of actions in 2025-26]; parents co-organise more [9.9 % → 20.1 %];
  partners picked from another sector 25 % → 65 % (25 % → 28 % in Plateau des Sources) [actions
  with ≥ 2 sectors 62 % → 84 %, Plateau des Sources 46 % → 58 %].

Planted flaws, so that the validation report has true things to say (nothing else is quarantined;
`planted_flaws()` gives their exact file, row and column):
- praticiens_2024-2.xlsx: years in post "99" (G01Q04) → out_of_range, cell;
- praticiens_2025-1.xlsx: one token submitted twice (two days apart) → the older row is
  quarantined as duplicate_respondent;
- partenaires_2025-2.csv: a level of collaboration "7" → out_of_range, cell;
- actions_2024-2026.xlsx: "Colège Jean Jaurès" (misspelt) → unknown_institution, cell, with the
  suggestion Collège Jean Jaurès (EN_CLG_JAURES); and an empty row left at the summer break →
  empty_row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import numpy as np
from numpy.random import Generator

from etl.codebook import SURVEYS_DIR
from etl.errors import MaillageError, WarehouseError
from etl.load import LoadResult, load_into
from warehouse.db import (
    WarehouseUnavailable,
    attach_read_only,
    meta_value,
    publish,
    set_meta,
    writer_lock,
)

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


# --- People ------------------------------------------------------------------------------------


@dataclass
class Person:
    token: str
    inst: Institution
    role: str
    strategic: bool
    years0: float  # years in post at first_wave
    first_wave: int
    last_wave: int  # last wave in post (inclusive)
    propensity: float
    traits: dict[str, float]

    @property
    def lagging(self) -> bool:
        return _lagging(self.inst)

    def years(self, wave: int) -> int:
        return int(self.years0 + 0.5 * (wave - self.first_wave))


_TOKEN_ALPHABET = string.ascii_letters + string.digits


def _token(rng: Generator, used: set[str]) -> str:
    """A LimeSurvey-like 15-character token, unique ignoring case (the ETL upper-cases keys)."""
    while True:
        token = "".join(_pick(rng, _TOKEN_ALPHABET) for _ in range(15))
        if token.upper() not in used:
            used.add(token.upper())
            return token


def _strategic(rng: Generator, role: str) -> bool:
    p = {MANAGER: 0.85, COORDINATOR: 0.6}.get(role, 0.08)
    return bool(rng.random() < p)


def _traits(rng: Generator) -> dict[str, float]:
    engagement = float(rng.normal(0, 0.35))
    return {
        "net": engagement + float(rng.normal(0, 0.4)),
        "leg": 0.5 * engagement + float(rng.normal(0, 0.45)),
        "par": 0.5 * engagement + float(rng.normal(0, 0.4)),
        "cul": engagement + float(rng.normal(0, 0.4)),
        "wellbeing": float(rng.normal(0, 0.6)),
        "ties": float(rng.normal(0, 0.5)),
    }


def _new_person(rng: Generator, inst: Institution, wave: int, used: set[str]) -> Person:
    role = _weighted(rng, inst.roles)
    if wave == 0:
        years0 = float(min(38, rng.gamma(1.6, 4.5))) if role != PARENT_REP else float(rng.integers(0, 5))
    else:
        years0 = float(rng.random() * 0.5)
    propensity = LOYAL_P if rng.random() < LOYAL_SHARE else OCCASIONAL_P
    return Person(
        _token(rng, used),
        inst,
        role,
        _strategic(rng, role),
        years0,
        wave,
        len(WAVES) - 1,
        propensity,
        _traits(rng),
    )


def _post_holders(rng: Generator, inst: Institution, used: set[str]) -> list[Person]:
    """The successive holders of one post: after each wave the holder leaves with probability
    TURNOVER, and the post may stay vacant for one wave."""
    holders = [_new_person(rng, inst, 0, used)]
    wave = 1
    while wave < len(WAVES):
        if rng.random() < TURNOVER:
            holders[-1].last_wave = wave - 1
            wave += int(rng.random() < VACANCY)
            if wave >= len(WAVES):
                break
            holders.append(_new_person(rng, inst, wave, used))
        wave += 1
    return holders


def make_people(rng: Generator) -> list[Person]:
    """Everyone in post over the period, post by post."""
    used: set[str] = set()
    return [p for inst in INSTITUTIONS for _post in range(inst.staff) for p in _post_holders(rng, inst, used)]


def respondents_by_wave(rng: Generator, people: list[Person]) -> list[list[Person]]:
    """Who answers each wave (everyone in post is invited)."""
    out: list[list[Person]] = []
    for wave in range(len(WAVES)):
        active = [p for p in people if p.first_wave <= wave <= p.last_wave]
        out.append([p for p in active if rng.random() < p.propensity])
    return out


# --- Practitioner survey (LimeSurvey XLSX) -----------------------------------------------------

LIMESURVEY_META = ["id", "submitdate", "lastpage", "startlanguage", "seed", "token", "startdate", "datestamp", "ipaddr"]
EXC_HEADERS = [f"G03Q01[SQ00{i + 1}]" for i in range(len(SECTORS))]
WHO5_HEADERS = [f"G05Q01[SQ00{i + 1}]" for i in range(5)]
CBI_HEADERS = [f"G06Q01[SQ00{i + 1}]" for i in range(3)] + [f"G06Q02[SQ00{i + 1}]" for i in range(4)]
COMMENTS = (
    "Merci pour ce questionnaire.",
    "Les temps de concertation avec les partenaires ne sont pas prévus dans nos services.",
    "Difficile de savoir vers qui orienter un jeune de plus de 16 ans qui a quitté le collège.",
    "Le café des parents a vraiment changé la relation avec certaines familles.",
    "Trop de réunions, pas assez d'actions concrètes.",
    "Beaucoup de départs dans l'équipe cette année, le partenariat repose sur quelques personnes.",
    "Les cellules de veille sont utiles, il faudrait les étendre au lycée.",
    "Questionnaire un peu long.",
    "Besoin d'un annuaire des partenaires à jour.",
    "La fatigue de l'équipe est forte depuis la rentrée.",
    "Plus de liens avec le CMP seraient bienvenus, les délais sont très longs.",
    "On se connaît mieux entre structures depuis les formations communes.",
)


def practitioner_headers(version: int) -> list[str]:
    items = [h for h, _s, _o, _r, versions in PRACTICE_ITEMS if version in versions]
    roster = [f"G04Q01[{i.code}]" for i in INSTITUTIONS]
    return [
        *LIMESURVEY_META,
        "G01Q01",
        "G01Q02",
        "G01Q03",
        "G01Q04",
        *items,
        *EXC_HEADERS,
        *roster,
        *WHO5_HEADERS,
        *CBI_HEADERS,
        "G07Q01",
    ]


def _practice_answers(rng: Generator, p: Person, wave: Wave) -> Row:
    growth = LAGGING_GROWTH if p.lagging else GROWTH
    out: Row = {}
    for header, scale, offset, reverse, versions in PRACTICE_ITEMS:
        if wave.version not in versions:
            continue
        mu = BASE[scale] + p.traits[scale] + growth[scale][wave.index] + offset
        if scale == "cul" and p.strategic:
            mu += STRATEGIC_CULTURE_GAP[wave.index]
        value = _likert(mu + rng.normal(0, 0.75), 1, 5)
        value = 6 - value if reverse else value
        draw = rng.random()
        dont_know = 0.03 if scale == "leg" else 0.006
        if draw < 0.012:
            out[header] = None
        elif draw < 0.012 + dont_know:
            out[header] = "NSP"
        else:
            out[header] = f"A{value}"
    return out


def _exchange_answers(rng: Generator, p: Person, wave: Wave) -> Row:
    growth = (0.05 if p.lagging else 0.2) * wave.index
    out: Row = {}
    for header, sector in zip(EXC_HEADERS, SECTORS, strict=True):
        mu = affinity(p.inst.sector, sector) + (0.0 if sector == p.inst.sector else growth)
        mu += 0.5 * p.traits["net"]
        out[header] = None if rng.random() < 0.01 else f"A{_likert(mu + rng.normal(0, 0.7), 1, 5)}"
    return out


def _tick_probability(p: Person, other: Institution, wave: Wave) -> float:
    own = p.inst
    x = -3.6 + 1.1 * (affinity(own.sector, other.sector) - 2.5) + p.traits["ties"]
    x += 1.0 if _close(own, other) else -0.6
    if other.sector != own.sector:
        x += (0.06 if p.lagging or _lagging(other) else 0.3) * wave.index
    if p.strategic:
        x += 0.4
    return _sigmoid(x)


def _roster_answers(rng: Generator, p: Person, wave: Wave) -> Row:
    out: Row = {}
    for other in INSTITUTIONS:
        ticked = other is not p.inst and rng.random() < _tick_probability(p, other, wave)
        out[f"G04Q01[{other.code}]"] = "Y" if ticked else None
    return out


def _wellbeing_answers(rng: Generator, p: Person, wave: Wave) -> Row:
    level = p.traits["wellbeing"] + ROLE_WELLBEING.get(p.role, 0.0)
    out: Row = {}
    for header, offset in zip(WHO5_HEADERS, WHO5_OFFSETS, strict=True):
        value = _likert(WHO5_ITEM_MEAN[wave.index] + level + offset + rng.normal(0, 0.85), 0, 5)
        out[header] = f"A{6 - value}"  # A1 = "Tout le temps" (5) … A6 = "Jamais" (0)
    burnout = CBI_LATENT[wave.index] - 0.6 * level
    for header, offset in zip(CBI_HEADERS[:6], CBI_OFFSETS, strict=True):
        degree = _likert(burnout + offset + rng.normal(0, 0.8), 0, 4)
        out[header] = f"A{5 - degree}"  # A1 = 100 … A5 = 0
    energy = 4 - _likert(burnout + rng.normal(0, 0.8), 0, 4)  # W7 is reverse-keyed
    out[CBI_HEADERS[6]] = f"A{5 - energy}"
    for header in CBI_HEADERS:
        if rng.random() < 0.008:
            out[header] = None
    return out


def _masked_ip(rng: Generator) -> str:
    """LimeSurvey with "anonymise IP address" keeps the first two bytes."""
    return f"{_pick(rng, (90, 109, 176, 185, 193))}.{int(rng.integers(1, 255))}.0.0"


def _practitioner_row(rng: Generator, p: Person, wave: Wave, started: dt.datetime) -> Row:
    submitted = started + dt.timedelta(seconds=int(rng.integers(6 * 60, 28 * 60)))
    row: Row = {
        "submitdate": _stamp(submitted),
        "lastpage": 7,
        "startlanguage": "fr",
        "seed": int(rng.integers(10**8, 2 * 10**9)),
        "token": p.token,
        "startdate": _stamp(started),
        "datestamp": _stamp(submitted),
        "ipaddr": _masked_ip(rng),
        "G01Q01": p.role,
        "G01Q02": p.inst.code,
        "G01Q03": "A1" if p.strategic else "A2",
        "G01Q04": None if rng.random() < 0.03 else p.years(wave.index),
    }
    row.update(_practice_answers(rng, p, wave))
    row.update(_exchange_answers(rng, p, wave))
    row.update(_roster_answers(rng, p, wave))
    row.update(_wellbeing_answers(rng, p, wave))
    row["G07Q01"] = _pick(rng, COMMENTS) if rng.random() < 0.12 else None
    return row


def practitioner_rows(rng: Generator, respondents: list[Person], wave: Wave) -> list[Row]:
    """One LimeSurvey response per respondent, ordered by start time, with response ids."""
    starts = [_moment(rng, wave.start, wave.end) for _ in respondents]
    rows = [_practitioner_row(rng, p, wave, s) for p, s in zip(respondents, starts, strict=True)]
    rows.sort(key=lambda r: r["startdate"])
    return rows


def number_responses(rng: Generator, rows: list[Row]) -> None:
    """LimeSurvey response ids: increasing, with gaps where incomplete responses were not exported."""
    next_id = int(rng.integers(3, 12))
    for row in rows:
        row["id"] = next_id
        next_id += 1 + int(rng.random() < 0.2) * int(rng.integers(1, 4))


# --- Partner survey (KoboToolbox CSV) ----------------------------------------------------------

KOBO_FIELDS = ("niveau", "confiance", "valeur")
KOBO_TAIL = [
    "commentaire",
    "meta/instanceID",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]
KOBO_VERSION = "vRqT8nWz5bKxH3dLpE9mYc"
PARTNER_COMMENTS = (
    "Les réunions trimestrielles de la Cité éducative nous ont permis de mieux connaître les équipes.",
    "Nous manquons d'interlocuteurs identifiés à l'Éducation nationale.",
    "Relations très dépendantes des personnes ; beaucoup de changements cette année.",
    "La coopération autour des 16-18 ans s'est nettement renforcée.",
    "Délais d'attente trop longs pour les orientations vers le soin.",
    "Très bonne dynamique avec le centre social et les associations de parents.",
)
PARTNER_ROLES = {
    "education": "direction",
    "city": "coordination",
    "association": "direction",
    "health": "direction",
    "social": "coordination",
    "insertion": "direction",
    "parents": "elu",
}


def partner_headers() -> list[str]:
    ratings = [KOBO_RATING.format(choice=i.choice, field=f) for i in INSTITUTIONS for f in KOBO_FIELDS]
    return ["start", "end", KOBO_STRUCTURE, "identification/fonction", "identification/niveau", *ratings, *KOBO_TAIL]


JOINT_ACTION_BONUS = 0.4  # levels of collaboration gained at a wave by pairs that acted together since the last


@dataclass
class PairStrength:
    """Latent strength of each pair's relationship, in levels of collaboration (0-5). `joint[w]`: the
    pairs that took part in a joint action together between waves w - 1 and w (the planted effect)."""

    base: dict[tuple[str, str], float] = field(default_factory=dict)
    joint: dict[int, set[tuple[str, str]]] = field(default_factory=dict)

    def at(self, a: Institution, b: Institution, wave: int) -> float:
        step = 0.1 if a.sector == b.sector else 0.3
        if _lagging(a) or _lagging(b):
            step = 0.05
        bonus = JOINT_ACTION_BONUS if _pair(a, b) in self.joint.get(wave, set()) else 0.0
        return self.base[_pair(a, b)] + step * wave + bonus


def _pair(a: Institution, b: Institution) -> tuple[str, str]:
    return (a.id, b.id) if a.id < b.id else (b.id, a.id)


def pair_strengths(rng: Generator) -> PairStrength:
    strengths = PairStrength()
    for i, a in enumerate(INSTITUTIONS):
        for b in INSTITUTIONS[i + 1 :]:
            x = 0.9 * (affinity(a.sector, b.sector) - 1.3) + (0.5 if _close(a, b) else -0.6)
            strengths.base[_pair(a, b)] = x + float(rng.normal(0, 0.6)) - 0.3
    return strengths


def joint_pairs(activities: list[Row]) -> dict[int, set[tuple[str, str]]]:
    """Wave index w → pairs of institutions listed together in an action dated strictly between the
    end of wave w - 1's fieldwork and the start of wave w's (the log as typed, names or aliases)."""
    spelling = {name: i.id for i in INSTITUTIONS for name in (i.name, *i.aliases)}
    out: dict[int, set[tuple[str, str]]] = {}
    for row in activities:
        day = _row_date(row)
        wave = next((w.index for w in WAVES[1:] if WAVES[w.index - 1].end < day < w.start), None)
        if wave is None:
            continue
        ids = sorted({spelling[n] for n in row["Structures impliquées"].split(" ; ") if n in spelling})
        out.setdefault(wave, set()).update((a, b) for k, a in enumerate(ids) for b in ids[k + 1 :])
    return out


def _rating(rng: Generator, strength: float, bias: float) -> tuple[str, str, str]:
    """(level, trust, value) as Kobo choice names, blank when the partner is not known."""
    unknown = 0.45 if strength < 0.5 else 0.12 if strength < 1.5 else 0.02
    if rng.random() < unknown:
        return "", "", ""
    level = _likert(strength + bias + rng.normal(0, 0.5), 0, 5)
    if level == 0:
        return "0", "", ""
    trust = _likert(1.6 + 0.45 * level + rng.normal(0, 0.6), 1, 4)
    value = _likert(1.4 + 0.5 * level + rng.normal(0, 0.6), 1, 4)
    blank = rng.random() < 0.04
    return str(level), "" if blank else str(trust), "" if blank else str(value)


def _uuid(rng: Generator) -> str:
    h = "".join(_pick(rng, "0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_pick(rng, '89ab')}{h[17:20]}-{h[20:]}"


def _partner_row(rng: Generator, inst: Institution, wave: Wave, strengths: PairStrength, when: dt.datetime) -> Row:
    role = PARTNER_ROLES[inst.sector] if rng.random() < 0.75 else _pick(rng, ("direction", "coordination", "terrain"))
    level = "strategique" if role in ("direction", "elu") or rng.random() < 0.4 else "operationnel"
    started = when - dt.timedelta(seconds=int(rng.integers(10 * 60, 40 * 60)))
    zone = 2 if 4 <= when.month <= 10 else 1  # Paris time, summer or winter
    row: Row = {
        "start": started.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(rng.integers(1000)):03d}+0{zone}:00",
        "end": when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(rng.integers(1000)):03d}+0{zone}:00",
        KOBO_STRUCTURE: inst.choice,
        "identification/fonction": role,
        "identification/niveau": level,
    }
    bias = float(rng.normal(0, 0.3))
    for other in INSTITUTIONS:
        ratings = ("", "", "") if other is inst else _rating(rng, strengths.at(inst, other, wave.index), bias)
        for name, text in zip(KOBO_FIELDS, ratings, strict=True):
            row[KOBO_RATING.format(choice=other.choice, field=name)] = text
    uuid = _uuid(rng)
    row.update(
        {
            "commentaire": _pick(rng, PARTNER_COMMENTS) if rng.random() < 0.2 else "",
            "meta/instanceID": f"uuid:{uuid}",
            "_uuid": uuid,
            "_submission_time": (when - dt.timedelta(hours=zone)).strftime("%Y-%m-%dT%H:%M:%S"),  # UTC
            "_validation_status": "",
            "_notes": "",
            "_status": "submitted_via_web",
            "_submitted_by": "",
            "__version__": KOBO_VERSION,
            "_tags": "",
        }
    )
    return row


def partner_rows(rng: Generator, strengths: PairStrength, wave: Wave, answering: list[Institution]) -> list[Row]:
    moments = [_moment(rng, wave.start, wave.end) for _ in answering]
    rows = [_partner_row(rng, i, wave, strengths, m) for i, m in zip(answering, moments, strict=True)]
    rows.sort(key=lambda r: r["_submission_time"])
    first_id = 312_000_000 + 9_000_000 * wave.index + int(rng.integers(0, 100_000))
    for index, row in enumerate(rows, start=1):
        row["_id"] = first_id + 37 * index + int(rng.integers(0, 30))
        row["_index"] = index
    return rows


def partner_answering(rng: Generator) -> list[list[Institution]]:
    """Institutions answering each wave: most answer, a few rarely do."""
    propensity = {i.id: 0.88 if rng.random() < 0.8 else 0.5 for i in INSTITUTIONS}
    return [[i for i in INSTITUTIONS if rng.random() < propensity[i.id]] for _ in WAVES]


# --- Activity log (hand-kept XLSX) -------------------------------------------------------------

ACTIVITY_HEADERS = [
    "N° action",
    "Date",
    "Type d'action",
    "Quartier",
    "Structures impliquées",
    "Public",
    "Parents co-organisateurs",
    "Nombre de participants",
    "Intitulé",
]
PERIOD_START, PERIOD_END = dt.date(2024, 9, 2), dt.date(2026, 6, 30)
START_16_18 = dt.date(2025, 9, 1)
MONTH_WEIGHT = {9: 0.9, 10: 1.0, 11: 1.05, 12: 0.7, 1: 1.0, 2: 0.8, 3: 1.1, 4: 0.8, 5: 0.95, 6: 1.0, 7: 0.35, 8: 0.05}
TYPE_LABELS: dict[str, tuple[str, ...]] = {
    "coordination_meeting": (
        "Réunion de coordination",
        "Réunion de coordination",
        "Réunion partenariale",
        "Comité technique",
    ),
    "joint_intervention": ("Intervention conjointe", "Intervention conjointe", "Co-intervention", "Action commune"),
    "joint_training": ("Formation commune", "Formation croisée", "Formation"),
    "parents_meeting": ("Rencontre avec les parents", "Café des parents", "Réunion de parents"),
    "case_review": ("Étude de situation partagée", "Cellule de veille", "Réunion de situation"),
    "youth_event": ("Événement jeunesse", "Forum", "Événement"),
    "steering": ("Comité de pilotage", "COPIL"),
}
TITLES: dict[str, tuple[str, ...]] = {
    "coordination_meeting": (
        "Réunion de coordination REP+ – {quartier}",
        "Coordination des actions périscolaires – {quartier}",
        "Préparation de la semaine de la parentalité",
        "Réunion partenariale accompagnement à la scolarité",
        "Bilan des vacances apprenantes",
        "Coordination du CLAS – {quartier}",
        "Point partenaires santé mentale",
        "Réunion de rentrée des partenaires – {quartier}",
    ),
    "joint_intervention": (
        "Atelier estime de soi – {lead}",
        "Prévention du harcèlement – {lead}",
        "Séance prévention écrans – {lead}",
        "Atelier lecture parents-enfants – {lead}",
        "Atelier sommeil et rythmes de l'enfant – {lead}",
        "Atelier citoyenneté – {lead}",
        "Aide aux devoirs partagée – {quartier}",
        "Sortie culturelle – {lead}",
    ),
    "joint_training": (
        "Formation commune : repérer le mal-être des adolescents",
        "Formation croisée protection de l'enfance",
        "Formation laïcité et valeurs de la République",
        "Premiers secours en santé mentale",
        "Accueillir les familles allophones",
    ),
    "parents_meeting": (
        "Café des parents : {topic}",
        "Petit-déjeuner des parents – {lead}",
        "Soirée parents : {topic}",
        "Réunion d'information parents : {topic}",
        "Rencontre parents-professionnels – {lead}",
    ),
    "case_review": (
        "Cellule de veille éducative – {quartier}",
        "Étude de situation pluriprofessionnelle",
        "Réunion de situation",
        "Commission de suivi de l'absentéisme – {lead}",
    ),
    "youth_event": (
        "Forum des métiers",
        "Fête de quartier – {quartier}",
        "Tournoi sportif inter-quartiers",
        "Festival jeunesse de Valmont",
        "Nuit de la lecture",
        "Portes ouvertes – {lead}",
    ),
    "steering": ("Comité de pilotage Cité éducative", "Comité technique PEDT", "COPIL bilan annuel"),
}
PROFESSIONALS_ONLY = ("coordination_meeting", "case_review", "joint_training")
PRIMARY_SCHOOLS = ("EN_EM_", "EN_EE_", "EN_GS_", "EN_EP_")
CHILDREN = ("Enfants (3–11 ans)", "Enfants (3–11 ans)", "Enfants", "Élèves du primaire")
TEENAGERS = ("Adolescents (11–16 ans)", "Adolescents (11–16 ans)", "Adolescents", "Collégiens", "Ados")
TITLES_16_18 = (
    "Permanence mission locale au LP Brassens",
    "Cellule de veille décrochage 16-18 ans",
    "Forum « Et après ? » pour les 16-18 ans",
    "Information collective E2C",
    "Rencontre PSAD / mission locale / prévention spécialisée",
    "Atelier CV et stages 16-18 ans",
    "Repérage des jeunes sans solution",
    "Accompagnement vers l'apprentissage",
)
TOPICS = (
    "l'orientation après la 3e",
    "le sommeil",
    "le harcèlement",
    "les écrans",
    "l'aide aux devoirs",
    "parler avec l'école",
    "l'entrée au collège",
)
YOUTH_16_18 = ("IN_ML", "EN_LP_BRASSENS", "IN_E2C", "SO_PREV", "VI_JEUNESSE", "IN_PJJ", "EN_CIO", "SA_PAEJ")
PARTICIPANTS = {
    "coordination_meeting": (5, 16),
    "joint_intervention": (12, 60),
    "joint_training": (8, 30),
    "parents_meeting": (6, 40),
    "case_review": (3, 9),
    "youth_event": (30, 280),
    "steering": (10, 22),
}


def _progress(day: dt.date) -> float:
    """0 at the start of the period, 1 at its end."""
    return (day - PERIOD_START).days / (PERIOD_END - PERIOD_START).days


def activity_dates(rng: Generator, total: int = 1200) -> list[dt.date]:
    """Weekdays of the period, more in term time and more as the partnership grows."""
    months: list[tuple[int, int]] = []
    y, m = PERIOD_START.year, PERIOD_START.month
    while (y, m) <= (PERIOD_END.year, PERIOD_END.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    weights = [MONTH_WEIGHT[m] * (1 + 0.4 * _progress(dt.date(y, m, 15))) for y, m in months]
    scale = total / sum(weights)
    dates: list[dt.date] = []
    for (y, m), w in zip(months, weights, strict=True):
        first = dt.date(y, m, 1)
        last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(1)) if m != 7 else dt.date(y, 7, 14)
        days = working_days(max(first, PERIOD_START), min(last, PERIOD_END))
        dates.extend(days[int(i)] for i in rng.integers(0, len(days), round(w * scale)))
    return sorted(dates)


def _activity_type(rng: Generator, progress: float, territory: str) -> str:
    weights = [
        ("coordination_meeting", 0.30 - 0.1 * progress),
        ("joint_intervention", 0.22 + 0.06 * progress),
        ("joint_training", 0.07),
        ("parents_meeting", 0.12 + 0.06 * progress),
        ("case_review", 0.14),
        ("youth_event", 0.09),
        ("steering", 0.03 if territory == TOWN else 0.0),
    ]
    return _weighted(rng, [(t, w) for t, w in weights if w > 0])


def _territory(rng: Generator) -> str:
    return _weighted(rng, [(TILLEULS, 0.3), (GARE, 0.28), (SOURCES, 0.2), (TOWN, 0.22)])


def _pool(territory: str) -> list[Institution]:
    if territory == TOWN:
        return list(INSTITUTIONS)
    return [i for i in INSTITUTIONS if i.territory in (territory, TOWN)]


def _partners(
    rng: Generator, kind: str, lead: Institution, territory: str, progress: float, n: int
) -> list[Institution]:
    """The lead and `n` partners; partners of another sector are picked more often as time goes
    (not in the lagging neighbourhood). Parents' associations do not sit in professional meetings."""
    cross = 0.25 + 0.03 * progress if territory == LAGGING else 0.25 + 0.4 * progress
    chosen = [lead]
    pool = [i for i in _pool(territory) if kind not in PROFESSIONALS_ONLY or i.sector != "parents"]
    for _ in range(n):
        want_cross = rng.random() < cross
        cands = [i for i in pool if i not in chosen and (i.sector != lead.sector) == want_cross]
        if not cands:
            continue
        weights = [affinity(lead.sector, i.sector) ** 2 for i in cands]
        chosen.append(_weighted(rng, list(zip(cands, weights, strict=True))))
    return chosen


def _lead(rng: Generator, kind: str, territory: str) -> Institution:
    pool = _pool(territory)
    if kind == "steering":
        return BY_ID["VI_CITE_EDUC"]
    if kind == "parents_meeting":
        pool = [i for i in pool if i.sector in ("education", "association", "parents", "city")]
    elif kind in PROFESSIONALS_ONLY:
        pool = [i for i in pool if i.sector != "parents"]
    local = [i for i in pool if i.territory == territory] or pool
    return _weighted(rng, [(i, float(i.staff) ** 0.5) for i in local])


def _audiences(rng: Generator, kind: str, lead: Institution, for_16_18: bool) -> list[str]:
    if for_16_18:
        out = [_pick(rng, ("16-18 ans", "Jeunes de 16 à 18 ans", "Jeunes décrocheurs", "16–18 ans"))]
        return out + (["Familles"] if rng.random() < 0.2 else [])
    if kind in ("coordination_meeting", "case_review", "steering", "joint_training"):
        return [_pick(rng, ("Professionnels", "Professionnels", "Équipes", "Partenaires"))]
    if kind == "parents_meeting":
        return [_pick(rng, ("Parents", "Parents", "Familles"))] + (
            ["Enfants (3–11 ans)"] if rng.random() < 0.25 else []
        )
    if kind == "youth_event":
        return [_pick(rng, ("Tout public", "Habitants", "Adolescents (11–16 ans)", "Ados"))]
    if lead.id.startswith(PRIMARY_SCHOOLS):
        young = _pick(rng, CHILDREN)
    elif lead.sector == "education":
        young = _pick(rng, TEENAGERS)
    else:
        young = _pick(rng, _pick(rng, (CHILDREN, TEENAGERS)))
    return [young] + (["Parents"] if rng.random() < 0.2 else [])


def _parents_coorganise(rng: Generator, kind: str, progress: float) -> bool:
    base = {"parents_meeting": (0.3, 0.8), "joint_intervention": (0.02, 0.25), "youth_event": (0.08, 0.45)}
    lo, hi = base.get(kind, (0.01, 0.06))
    return bool(rng.random() < lo + (hi - lo) * progress)


def _parents_association(rng: Generator, territory: str) -> Institution:
    local = [i for i in INSTITUTIONS if i.sector == "parents" and (territory == TOWN or i.territory == territory)]
    return _pick(rng, local)


def _spelling(rng: Generator, inst: Institution) -> str:
    return inst.name if rng.random() < 0.6 or not inst.aliases else _pick(rng, inst.aliases)


def _activity(rng: Generator, day: dt.date) -> Row:
    progress = _progress(day)
    for_16_18 = day >= START_16_18 and rng.random() < 0.13
    territory = _territory(rng)
    kind = _activity_type(rng, progress, territory)
    if for_16_18:
        kind = _pick(rng, ("case_review", "joint_intervention", "youth_event", "coordination_meeting"))
        lead = BY_ID[_pick(rng, YOUTH_16_18[:3])]
        territory = TOWN if lead.territory == TOWN else lead.territory
    else:
        lead = _lead(rng, kind, territory)
    n = 1 + int(rng.poisson(1.0 + (0.0 if territory == LAGGING else 0.6) * progress))
    involved = _partners(rng, kind, lead, territory, progress, n)
    if for_16_18:
        involved += [BY_ID[i] for i in YOUTH_16_18 if BY_ID[i] not in involved and rng.random() < 0.3]
    parents = _parents_coorganise(rng, kind, progress)
    if parents and not any(i.sector == "parents" for i in involved):
        involved.append(_parents_association(rng, territory))
    low, high = PARTICIPANTS[kind]
    title = _pick(rng, TITLES_16_18) if for_16_18 else _pick(rng, TITLES[kind])
    return {
        "Date": day,
        "Type d'action": _pick(rng, TYPE_LABELS[kind]),
        "Quartier": territory,
        "Structures impliquées": " ; ".join(_spelling(rng, i) for i in involved),
        "Public": ", ".join(_audiences(rng, kind, lead, for_16_18)),
        "Parents co-organisateurs": "Oui" if parents else "Non",
        "Nombre de participants": None if rng.random() < 0.03 else int(rng.integers(low, high + 1)),
        "Intitulé": title.format(
            quartier=territory, lead=lead.aliases[0] if lead.aliases else lead.name, topic=_pick(rng, TOPICS)
        ),
    }


def activity_rows(rng: Generator) -> list[Row]:
    """The log as typed: about a quarter of the dates are text (pasted from mails), in runs."""
    rows = [_activity(rng, day) for day in activity_dates(rng)]
    as_text = False
    for number, row in enumerate(rows, start=1):
        row["N° action"] = f"A{number:04d}"
        if rng.random() < 0.08:
            as_text = not as_text
        if as_text or rng.random() < 0.05:
            row["Date"] = row["Date"].strftime("%d/%m/%Y")
    return rows


# --- Reference lists ---------------------------------------------------------------------------

INSTITUTION_HEADERS = ["id", "nom", "alias", "secteur", "quartier", "niveau"]
TARGET_HEADERS = ["vague", "secteur", "quartier", "effectif"]


def institution_rows() -> list[Row]:
    return [
        {
            "id": i.id,
            "nom": i.name,
            "alias": "|".join(i.aliases),
            "secteur": SECTOR_SPELLINGS.get(i.id, SECTOR_LABELS[i.sector]),
            "quartier": i.territory,
            "niveau": i.level,
        }
        for i in INSTITUTIONS
    ]


def target_rows(people: list[Person]) -> list[Row]:
    """Professionals invited per wave, sector and neighbourhood (everyone in post)."""
    rows: list[Row] = []
    territories = (*NEIGHBOURHOODS, TOWN)
    for wave in WAVES:
        active = [p for p in people if p.first_wave <= wave.index <= p.last_wave]
        for sector in SECTORS:
            for territory in territories:
                n = sum(1 for p in active if p.inst.sector == sector and p.inst.territory == territory)
                if n:
                    rows.append(
                        {"vague": wave.id, "secteur": SECTOR_LABELS[sector], "quartier": territory, "effectif": n}
                    )
    return rows


# --- Planted flaws -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlantedFlaw:
    """A deliberate error of the demo files, and what the validation report must say about it."""

    file: str
    row: int  # spreadsheet row (header = 1)
    column: str | None
    value: str | None
    problem: str  # problem code in the quarantine table
    note: str


MISSPELLING = ("Collège Jean Jaurès", "Colège Jean Jaurès")


def _plant_years(rows: list[Row], file: str) -> PlantedFlaw:
    index = 57
    rows[index]["G01Q04"] = 99
    return PlantedFlaw(file, index + 2, "G01Q04", "99", "out_of_range", "years in post typed as 99")


def _plant_duplicate(rng: Generator, rows: list[Row], file: str) -> PlantedFlaw:
    """The respondent of row `index` had submitted an earlier, slightly different response."""
    index = 103
    later = rows[index]
    earlier = dict(later)
    started = dt.datetime.strptime(later["startdate"], "%Y-%m-%d %H:%M:%S") - dt.timedelta(days=2, minutes=47)
    submitted = started + dt.timedelta(minutes=14, seconds=int(rng.integers(60)))
    earlier.update(
        startdate=_stamp(started),
        submitdate=_stamp(submitted),
        datestamp=_stamp(submitted),
        seed=int(rng.integers(10**8, 2 * 10**9)),
        G07Q01=None,
    )
    for header in ("G02Q01[SQ002]", "G02Q04[SQ001]", "G05Q01[SQ003]"):
        earlier[header] = f"A{int(rng.integers(2, 5))}"
    rows.append(earlier)
    rows.sort(key=lambda r: r["startdate"])
    position = next(i for i, r in enumerate(rows) if r is earlier)
    return PlantedFlaw(
        file,
        position + 2,
        None,
        None,
        "duplicate_respondent",
        f"token of row {rows.index(later) + 2} also submitted two days earlier",
    )


def _plant_level(rows: list[Row], file: str) -> PlantedFlaw:
    index = 11
    headers = [KOBO_RATING.format(choice=i.choice, field="niveau") for i in INSTITUTIONS]
    header = next(h for h in headers if rows[index][h] in ("3", "4"))
    rows[index][header] = "7"
    return PlantedFlaw(file, index + 2, header, "7", "out_of_range", "level of collaboration typed as 7")


def _plant_activity_flaws(rows: list[Row]) -> tuple[list[Row | None], list[PlantedFlaw]]:
    """A misspelt institution in February 2025 and an empty line left at the 2025 summer break."""
    gap = next(i for i, r in enumerate(rows) if _row_date(r) >= dt.date(2025, 8, 1))
    out: list[Row | None] = [*rows[:gap], None, *rows[gap:]]
    target = next(
        i
        for i, r in enumerate(out)
        if r is not None and _row_date(r) >= dt.date(2025, 2, 1) and MISSPELLING[0] in r["Structures impliquées"]
    )
    row = out[target]
    assert row is not None
    row["Structures impliquées"] = row["Structures impliquées"].replace(*MISSPELLING)
    flaws = [
        PlantedFlaw(
            ACTIVITIES_FILE,
            target + 2,
            "Structures impliquées",
            MISSPELLING[1],
            "unknown_institution",
            "misspelt; the report suggests Collège Jean Jaurès (EN_CLG_JAURES)",
        ),
        PlantedFlaw(ACTIVITIES_FILE, gap + 2, None, None, "empty_row", "an empty line in the log"),
    ]
    return out, flaws


def _row_date(row: Row) -> dt.date:
    value = row["Date"]
    return value if isinstance(value, dt.date) else dt.datetime.strptime(value, "%d/%m/%Y").date()


# --- The whole territory, and writing it -------------------------------------------------------


@dataclass
class Territory:
    institutions: list[Row]
    targets: list[Row]
    practitioners: dict[str, list[Row]]  # wave id → rows
    partners: dict[str, list[Row]]
    activities: list[Row | None]  # None: an empty row
    flaws: list[PlantedFlaw]


def practitioner_file(wave: Wave) -> str:
    return f"praticiens_{wave.id}.xlsx"


def partner_file(wave: Wave) -> str:
    return f"partenaires_{wave.id}.csv"


def build_territory(seed: int = DEFAULT_SEED) -> Territory:
    """Every row of every demo file, and the flaws planted in them (deterministic in `seed`)."""
    rng = _streams(seed)
    people = make_people(rng["people"])
    answering = respondents_by_wave(rng["people"], people)
    practitioners = {w.id: practitioner_rows(rng["practitioner"], answering[w.index], w) for w in WAVES}
    logged = activity_rows(rng["activities"])
    strengths = pair_strengths(rng["partner"])
    strengths.joint = joint_pairs(logged)
    institutions_by_wave = partner_answering(rng["partner"])
    partners = {w.id: partner_rows(rng["partner"], strengths, w, institutions_by_wave[w.index]) for w in WAVES}
    flaws = [
        _plant_years(practitioners["2024-2"], practitioner_file(WAVES[0])),
        _plant_duplicate(rng["flaws"], practitioners["2025-1"], practitioner_file(WAVES[1])),
        _plant_level(partners["2025-2"], partner_file(WAVES[2])),
    ]
    for rows in practitioners.values():
        number_responses(rng["practitioner"], rows)
    activities, activity_flaws = _plant_activity_flaws(logged)
    return Territory(
        institution_rows(), target_rows(people), practitioners, partners, activities, [*flaws, *activity_flaws]
    )


def planted_flaws(seed: int = DEFAULT_SEED) -> list[PlantedFlaw]:
    """The flaws planted in the demo files of `seed` (file, spreadsheet row, column, problem)."""
    return build_territory(seed).flaws


def _write_csv(path: Path, headers: list[str], rows: list[Row], encoding: str) -> Path:
    """`;`-separated, CRLF line ends, as Excel saves a CSV."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row[h] for h in headers])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _write_xlsx(
    path: Path, sheet: str, headers: list[str], rows: Sequence[Row | None], widths: dict[str, int] | None = None
) -> Path:
    """A one-sheet workbook: bold headings, frozen first row, dates shown as dd/mm/yyyy."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    for index, header in enumerate(headers, start=1):
        width = (widths or {}).get(header, max(9, min(len(header) + 2, 18)))
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    heading = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = Font(bold=True)
        heading.append(cell)
    ws.append(heading)
    for row in rows:
        values = [None] * len(headers) if row is None else [row.get(h) for h in headers]
        ws.append([_date_cell(ws, v) if isinstance(v, dt.date) else v for v in values])
    book.save(path)
    return path


def _date_cell(ws: Any, value: dt.date) -> Any:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "DD/MM/YYYY"
    return cell


def write_demo_exports(out_dir: Path = DEMO_DIR, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the demo territory's exports into `out_dir` (created if needed); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    t = build_territory(seed)
    paths = [
        _write_csv(out_dir / INSTITUTIONS_FILE, INSTITUTION_HEADERS, t.institutions, "utf-8-sig"),
        _write_csv(out_dir / TARGETS_FILE, TARGET_HEADERS, t.targets, "utf-8-sig"),
    ]
    for wave in WAVES:
        sheet = f"results-survey{428_113 + 1_117 * wave.index}"
        paths.append(
            _write_xlsx(
                out_dir / practitioner_file(wave), sheet, practitioner_headers(wave.version), t.practitioners[wave.id]
            )
        )
        paths.append(_write_csv(out_dir / partner_file(wave), partner_headers(), t.partners[wave.id], "cp1252"))
    widths = {
        "Date": 12,
        "Structures impliquées": 60,
        "Public": 30,
        "Intitulé": 55,
        "Type d'action": 24,
        "Quartier": 20,
    }
    paths.append(_write_xlsx(out_dir / ACTIVITIES_FILE, "Journal 2024-2026", ACTIVITY_HEADERS, t.activities, widths))
    return paths


# --- The demo warehouse ------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoFile:
    path: Path
    instrument: str
    wave: str | None


def demo_files(demo_dir: Path = DEMO_DIR) -> list[DemoFile]:
    """The demo exports in load order: reference lists, then each wave's surveys, then the log."""
    files = [
        DemoFile(demo_dir / INSTITUTIONS_FILE, "institutions", None),
        DemoFile(demo_dir / TARGETS_FILE, "targets", None),
    ]
    for wave in WAVES:
        files.append(DemoFile(demo_dir / practitioner_file(wave), "practitioner", wave.id))
        files.append(DemoFile(demo_dir / partner_file(wave), "partner", wave.id))
    files.append(DemoFile(demo_dir / ACTIVITIES_FILE, "activities", None))
    return files


def _refuse_if_not_demo(db_path: Path, force: bool) -> None:
    """Never replace a warehouse holding real data unless asked to."""
    if force or not db_path.exists():
        return
    is_demo: str | None = None
    try:
        conn = attach_read_only(db_path)
    except WarehouseUnavailable:
        pass
    else:
        try:
            is_demo = meta_value(conn, "is_demo")
        except duckdb.Error:  # not a Maillage warehouse: treat it as real data
            is_demo = None
        finally:
            conn.close()
    if is_demo != "true":
        raise MaillageError(
            f"{db_path} exists and is not a demo warehouse: building the demo would replace its data. "
            "Pass --force to replace it anyway, or use another file with --db."
        )


def _file_line(result: LoadResult) -> str:
    wave = result.wave_id or "-"
    return (
        f"  {result.file_name:<26} {wave:<7} {result.rows_loaded:>5} rows loaded, "
        f"{result.rows_quarantined} row(s) and {result.cells_quarantined} cell(s) quarantined"
    )


def build_demo_warehouse(
    db_path: Path,
    secret_path: Path | None = None,
    force: bool = False,
    echo: Callable[[str], None] = print,
    demo_dir: Path = DEMO_DIR,
) -> list[LoadResult]:
    """Load every demo file into one new warehouse state at `db_path` (replacing it).

    Refuses when `db_path` holds a warehouse that is not the demo, unless `force`. The quarantine
    of the result holds exactly the planted flaws (see the module docstring): they are listed at
    the end of the output so that nobody mistakes them for a loading problem.
    """

    files = demo_files(demo_dir)
    missing = [f.path.name for f in files if not f.path.exists()]
    if missing:
        raise MaillageError(
            f"Demo files missing in {demo_dir}: {', '.join(missing)}. Run `maillage demo --regenerate`."
        )
    _refuse_if_not_demo(db_path, force)
    results: list[LoadResult] = []
    quarantined: list[tuple[Any, ...]] = []

    def build(conn: duckdb.DuckDBPyConnection) -> None:
        for f in files:
            result = load_into(conn, f.path, f.instrument, f.wave, secret_path=secret_path)
            results.append(result)
            echo(_file_line(result))
        set_meta(conn, "is_demo", "true")
        quarantined.extend(
            conn.execute(
                "SELECT file_name, source_row, column_name, value, problem FROM quarantine ORDER BY load_id, source_row"
            ).fetchall()
        )

    echo(f"Building the demo warehouse {db_path} from {demo_dir}:")
    try:
        with writer_lock(db_path):
            publish(db_path, build, fresh=True)
    except WarehouseUnavailable as exc:
        raise WarehouseError(str(exc)) from None
    echo(f"{len(quarantined)} problem(s) quarantined, all planted on purpose to show the validation report:")
    for file_name, row, column, value, problem in quarantined:
        where = f"row {row}" + (f", column “{column}”" if column else "") + (f": “{value}”" if value else "")
        echo(f"  {file_name} {where} → {problem}")
    return results
