"""The practitioner survey as LimeSurvey exports it (question codes, answer codes, XLSX)."""

from __future__ import annotations

import datetime as dt

from numpy.random import Generator

from etl.demo.people import Person
from etl.demo.territory import (
    BASE,
    CBI_LATENT,
    CBI_OFFSETS,
    GROWTH,
    INSTITUTIONS,
    LAGGING_GROWTH,
    PRACTICE_ITEMS,
    ROLE_WELLBEING,
    SECTORS,
    STRATEGIC_CULTURE_GAP,
    WHO5_ITEM_MEAN,
    WHO5_OFFSETS,
    Institution,
    Row,
    Wave,
    _close,
    _lagging,
    _likert,
    _moment,
    _pick,
    _sigmoid,
    _stamp,
    affinity,
)

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
