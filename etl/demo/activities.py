"""The hand-kept activity log (XLSX): joint actions, their dates, partners and audiences."""

from __future__ import annotations

import datetime as dt

from numpy.random import Generator

from etl.demo.territory import (
    BY_ID,
    GARE,
    INSTITUTIONS,
    LAGGING,
    SOURCES,
    TILLEULS,
    TOWN,
    Institution,
    Row,
    _pick,
    _weighted,
    affinity,
    working_days,
)

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
