"""The posts of the demo territory, the people who hold them wave after wave, and who answers."""

from __future__ import annotations

import string
from dataclasses import dataclass

from numpy.random import Generator

from etl.demo.territory import (
    COORDINATOR,
    INSTITUTIONS,
    LOYAL_P,
    LOYAL_SHARE,
    MANAGER,
    OCCASIONAL_P,
    PARENT_REP,
    TURNOVER,
    VACANCY,
    WAVES,
    Institution,
    _lagging,
    _pick,
    _weighted,
)

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
