"""The partner survey as KoboToolbox exports it (XML values and headers, saved from Excel as
Windows-1252 CSV), and the pair strengths behind its ratings (the planted joint-action effect)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from numpy.random import Generator

from etl.demo.flaws import _row_date
from etl.demo.territory import (
    INSTITUTIONS,
    KOBO_RATING,
    KOBO_STRUCTURE,
    WAVES,
    Institution,
    Row,
    Wave,
    _close,
    _lagging,
    _likert,
    _moment,
    _pick,
    affinity,
)

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
