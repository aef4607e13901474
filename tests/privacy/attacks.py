"""Attacks on the published figures, as a curious user of the dashboard, the packs or the exports
would run them. Each attack uses only what Maillage publishes (indicator tables, the way the
dashboard and the packs compute them) and reports every group of fewer than ``k`` respondents whose
size, mean or count it recovered; the truth to compare with is read from the warehouse directly.

The module has no test of its own: tests/privacy/test_attacks.py runs it and expects nothing
found. It uses only the stable public indicator functions, so it can also be run against an older
version of Maillage to measure what that one let through (the closing notes' "before").
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import duckdb
import numpy as np
import pandas as pd

from indicators import networks, practice
from indicators.filters import Filters
from indicators.instruments import practice_scales, wellbeing_scales

DIMENSIONS = ("territories", "sectors", "roles", "levels")
COLUMN = {"territories": "territory", "sectors": "sector_id", "roles": "role", "levels": "level"}


@dataclass(frozen=True)
class Finding:
    """A group of fewer than k respondents whose figures two published selections gave away."""

    attack: str
    wave: str
    measure: str
    big: Filters
    small: Filters
    group_size: float  # what the difference of the published n says
    recovered_mean: float  # (n1·m1 − n2·m2) / (n1 − n2)


def values(conn: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every value of each filter dimension (practitioner respondents)."""
    out = {}
    for dim, column in COLUMN.items():
        rows = conn.execute(
            f"SELECT DISTINCT {column} FROM respondents WHERE instrument = 'practitioner' AND {column} IS NOT NULL "
            "ORDER BY 1"
        ).fetchall()
        out[dim] = [str(r[0]) for r in rows]
    return out


def _with(f: Filters, dim: str, chosen: Sequence[str] | None) -> Filters:
    return replace(f, **{dim: None if chosen is None else tuple(chosen)})


def complement_pairs(
    conn: duckdb.DuckDBPyConnection, k: int, bases: int = 40, seed: int = 1
) -> list[tuple[Filters, Filters]]:
    """(big, small) pairs where small = big with one value taken out of one dimension (every value
    of the others): the differencing attack of a pack with and without "every sector but one",
    and of the dashboard's multi-select filters. ``bases``: how many big selections (no filter,
    each single value of each dimension, then random two-dimension ones)."""
    vals = values(conn)
    base_list: list[Filters] = [Filters(min_group_size=k)]
    for dim in DIMENSIONS:
        base_list += [_with(Filters(min_group_size=k), dim, [v]) for v in vals[dim]]
    rng = random.Random(seed)
    while len(base_list) < bases + 1 + sum(len(v) for v in vals.values()):
        d1, d2 = rng.sample(DIMENSIONS, 2)
        if not vals[d1] or not vals[d2]:
            break
        f = _with(Filters(min_group_size=k), d1, [rng.choice(vals[d1])])
        base_list.append(_with(f, d2, [rng.choice(vals[d2])]))
    pairs = []
    for big in base_list:
        for dim in DIMENSIONS:
            if getattr(big, dim) is not None or len(vals[dim]) < 2:
                continue
            for v in vals[dim]:
                pairs.append((big, _with(big, dim, [x for x in vals[dim] if x != v])))
    return pairs


def _key_frame(frame: pd.DataFrame, keys: Sequence[str], measure: str) -> pd.DataFrame:
    shown = frame.loc[~frame["suppressed"].astype(bool)] if "suppressed" in frame else frame
    return shown.set_index(list(keys))[["n", measure]].astype(float)


def difference(
    attack: str, big: Filters, small: Filters, fb: pd.DataFrame, fs: pd.DataFrame, k: int, keys: Sequence[str],
    measure: str,
) -> list[Finding]:
    """Groups of fewer than k revealed by subtracting the small selection's rows from the big one's."""
    a, b = _key_frame(fb, keys, measure), _key_frame(fs, keys, measure)
    found = []
    for key in a.index.intersection(b.index):
        n1, m1 = a.loc[key, "n"], a.loc[key, measure]
        n2, m2 = b.loc[key, "n"], b.loc[key, measure]
        gap = float(n1 - n2)
        if 0 < gap < k:
            found.append(Finding(attack, str(key if isinstance(key, str) else key[0]), str(key), big, small, gap,
                                 float((n1 * m1 - n2 * m2) / gap)))
    # a group shown in the big selection but not in the small one is fine only if the small one hid it
    return found


def scale_means(conn: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    return practice.scale_summary(conn, f, scales=practice_scales(conn) + wellbeing_scales(conn))


def differencing_attack(
    conn: duckdb.DuckDBPyConnection, k: int, pairs: Iterable[tuple[Filters, Filters]],
    figure: Callable[[duckdb.DuckDBPyConnection, Filters], pd.DataFrame] = scale_means,
    keys: Sequence[str] = ("wave_id", "scale_id"), measure: str = "mean", name: str = "differencing",
) -> list[Finding]:
    cache: dict[Filters, pd.DataFrame] = {}

    def get(f: Filters) -> pd.DataFrame:
        if f not in cache:
            cache[f] = figure(conn, f)
        return cache[f]

    found: list[Finding] = []
    for big, small in pairs:
        found += difference(name, big, small, get(big), get(small), k, keys, measure)
    return found


def breakdown_attack(
    conn: duckdb.DuckDBPyConnection, k: int, dims: Sequence[str] = ("territory", "sector_id", "role", "level")
) -> list[Finding]:
    """Linked tables: the wave total (one sheet) minus every group of a breakdown shown (another
    sheet) — whatever the number of hidden groups — must leave nobody, or at least k people."""
    total = _key_frame(practice.scale_summary(conn, Filters(min_group_size=k)), ["wave_id", "scale_id"], "mean")
    found = []
    for dim in dims:
        by = practice.scale_summary(conn, Filters(min_group_size=k), by=("wave_id", dim))
        shown = by.loc[~by["suppressed"].astype(bool)].astype({"n": float})
        shown = shown.assign(_s=shown["n"] * shown["mean"])
        sums = shown.groupby(["wave_id", "scale_id"])[["n", "_s"]].sum()
        for key in sums.index.intersection(total.index):
            gap = total.loc[key, "n"] - sums.loc[key, "n"]
            if 0 < gap < k:
                rec = (total.loc[key, "n"] * total.loc[key, "mean"] - sums.loc[key, "_s"]) / gap
                found.append(Finding(f"breakdown by {dim}", key[0], key[1], Filters(), Filters(), float(gap),
                                     float(rec)))
    return found


def panel_attack(conn: duckdb.DuckDBPyConnection, k: int, wave_a: str, wave_b: str) -> list[Finding]:
    """Wave-b mean × n minus the panel's mean_b × n_pairs: the people who joined (same for wave a:
    those who left), for every single-value filter."""
    found = []
    vals = values(conn)
    selections = [Filters(min_group_size=k)] + [
        _with(Filters(min_group_size=k), dim, [v]) for dim in DIMENSIONS for v in vals[dim]
    ]
    for f in selections:
        panel = practice.panel_change(conn, f, wave_a, wave_b, practice_scales(conn))
        cross = practice.scale_summary(conn, replace(f, waves=(wave_a, wave_b)), scales=practice_scales(conn))
        for side, wave in (("b", wave_b), ("a", wave_a)):
            c = cross.loc[(cross["wave_id"] == wave) & ~cross["suppressed"]].set_index("scale_id")
            p = panel.loc[~panel["suppressed"].astype(bool)].set_index("scale_id")
            for scale in c.index.intersection(p.index):
                gap = float(c.loc[scale, "n"] - p.loc[scale, "n_pairs"])
                if 0 < gap < k:
                    rec = c.loc[scale, "n"] * c.loc[scale, "mean"]
                    rec -= p.loc[scale, "n_pairs"] * p.loc[scale, f"mean_{side}"]
                    found.append(Finding(f"panel vs wave {side}", wave, scale, f, f, gap, float(rec / gap)))
    return found


def raters_used(conn: duckdb.DuckDBPyConnection, f: Filters, wave: str) -> pd.DataFrame:
    """institution_id, respondent_id of the practitioners whose reported ties a network figure of
    ``f`` uses (what Maillage computes its practitioner network from)."""
    sql, params = networks._practitioner_raters(conn, f, [wave])
    return conn.execute(
        f"SELECT r.institution_id, r.respondent_id FROM ({sql}) p JOIN respondents r "
        "ON r.wave_id = p.wave_id AND r.respondent_id = p.respondent_id AND r.instrument = 'practitioner'",
        params,
    ).df()


def network_attack(
    conn: duckdb.DuckDBPyConnection, k: int,
    raters: Callable[[duckdb.DuckDBPyConnection, Filters, str], pd.DataFrame] = raters_used,
) -> list[Finding]:
    """The practitioner-reported network seen by each role and level, against everyone: an
    institution's reported ties (their weights: how many of its practitioners named each partner)
    differenced between two selections describe the practitioners in one and not the other; they
    must be none or at least k (per institution), and so must those behind any tie shown."""
    vals = values(conn)
    found = []
    waves = [r[0] for r in conn.execute("SELECT wave_id FROM waves ORDER BY wave_order").fetchall()]
    for wave in waves:
        everyone = raters(conn, Filters(min_group_size=k), wave)
        selections = [_with(Filters(min_group_size=k), dim, chosen) for dim in ("roles", "levels")
                      for v in vals[dim] for chosen in ([v], [x for x in vals[dim] if x != v])]
        for f in [Filters(min_group_size=k), *selections]:
            used = raters(conn, f, wave)
            for inst, part in used.groupby("institution_id"):
                if 0 < len(part) < k:
                    found.append(Finding("network: raters shown", wave, str(inst), f, f, float(len(part)), np.nan))
                theirs = set(everyone.loc[everyone["institution_id"] == inst, "respondent_id"])
                outside = theirs - set(part["respondent_id"])
                if 0 < len(outside) < k:
                    found.append(Finding("network: differenced raters", wave, str(inst), Filters(), f,
                                         float(len(outside)), np.nan))
    return found


def microdata_attack(respondents: pd.DataFrame, k: int) -> list[Finding]:
    """Re-identification through quasi-identifiers: every combination of role, institution,
    sector, territory, level and years in post (as exported) shared by fewer than k rows of a wave."""
    qi = [c for c in ("role", "institution_id", "sector_id", "territory", "level", "years_in_post",
                      "years_in_post_band") if c in respondents.columns]
    sizes = respondents.fillna("∅").groupby(["instrument", "wave_id", *qi]).size()
    return [
        Finding("microdata re-identification", str(key[1]), str(key[2:]), Filters(), Filters(), float(n), np.nan)
        for key, n in sizes.items() if n < k
    ]


def all_pairs(items: Sequence[Filters]) -> list[tuple[Filters, Filters]]:
    return list(itertools.permutations(items, 2))
