"""Shared fixtures of the indicator tests: small synthetic warehouses in in-memory DuckDB.

`wh_*` fixtures build warehouses with the real schema (warehouse.db.apply_schema); the data are
drawn from seeded numpy generators and the scale scores are computed here, in plain pandas, by
the loader's rule (reverse-keyed items as min + max − value; no score below the minimum items).
Tests recompute every expected figure from the frames of `Synthetic`, never from the code tested.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pytest

from warehouse.db import apply_schema

WAVES = ("V1", "V2", "V3")
# scale → (rule, multiplier, min_items, higher_is_better, items, reversed items, value range)
SCALES: dict[str, tuple[str, float, int, bool, tuple[str, ...], tuple[str, ...], tuple[float, float]]] = {
    "network_practice": ("mean", 1.0, 3, True, ("NET1", "NET2", "NET3", "NET4"), ("NET4",), (1, 5)),
    "legibility": ("mean", 1.0, 3, True, ("LEG1", "LEG2", "LEG3", "LEG4"), ("LEG4",), (1, 5)),
    "parents_actors": ("mean", 1.0, 3, True, ("PAR1", "PAR2", "PAR3", "PAR4"), ("PAR4",), (1, 5)),
    "partnership_culture": ("mean", 1.0, 3, True, ("CUL1", "CUL2", "CUL3", "CUL4"), ("CUL4",), (1, 5)),
    "who5": ("sum_times", 4.0, 5, True, tuple(f"WHO5_{i}" for i in range(1, 6)), (), (0, 5)),
    "cbi_work": ("mean", 1.0, 4, False, tuple(f"CBI_W{i}" for i in range(1, 8)), ("CBI_W7",), (0, 100)),
}
NOT_ASKED = {("V3", "CUL4")}  # the second codebook version drops CUL4
AGREE5 = ("Pas du tout d'accord", "Plutôt pas d'accord", "Ni d'accord ni pas d'accord", "Plutôt d'accord",
          "Tout à fait d'accord")


@dataclass
class Synthetic:
    conn: duckdb.DuckDBPyConnection
    respondents: pd.DataFrame  # wave_id, respondent_id, role, sector_id, territory, level
    responses: pd.DataFrame  # wave_id, respondent_id, item_id, value (as answered)
    scores: pd.DataFrame  # wave_id, respondent_id, scale_id, score, n_items_answered, n_items_asked
    items: pd.DataFrame  # item_id, scale_id, reverse_keyed, value_min, value_max


def wh_insert_frame(conn: duckdb.DuckDBPyConnection, table: str, rows: pd.DataFrame | list[dict]) -> None:
    """Insert rows (columns matched by name; absent columns are NULL)."""
    df = pd.DataFrame(rows)
    if df.empty:
        return
    conn.register("_rows", df)
    conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows")
    conn.unregister("_rows")


def wh_insert_responses(conn: duckdb.DuckDBPyConnection, responses: pd.DataFrame) -> None:
    """Answers (wave_id, instrument, respondent_id, item_id, value, load_id) into whatever stores
    them: the `responses` table, or the `answers` table with its integer key tables."""
    kind = conn.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'responses'"
    ).fetchall()
    if kind and kind[0][0] == "BASE TABLE":
        wh_insert_frame(conn, "responses", responses)
        return
    conn.register("_answers", responses)
    keys = (("wave_keys", "wave_key", "wave_id"), ("respondent_keys", "respondent_key", "respondent_id"),
            ("item_keys", "item_key", "instrument, item_id"))
    for table, key, cols in keys:
        conn.execute(
            f"INSERT INTO {table} SELECT (SELECT coalesce(max({key}), 0) FROM {table}) + row_number() OVER (), * "
            f"FROM (SELECT DISTINCT {cols} FROM _answers EXCEPT SELECT {cols} FROM {table})"
        )
    conn.execute(
        "INSERT INTO answers SELECT w.wave_key, p.respondent_key, i.item_key, a.value, a.load_id FROM _answers a "
        "JOIN wave_keys w USING (wave_id) JOIN respondent_keys p USING (respondent_id) "
        "JOIN item_keys i USING (instrument, item_id)"
    )
    conn.unregister("_answers")


def wh_metadata(conn: duckdb.DuckDBPyConnection, waves: tuple[str, ...] = WAVES) -> pd.DataFrame:
    """waves, scales, items, response_labels, wave_items and one current load per wave."""
    now = dt.datetime(2025, 1, 1)
    wh_insert_frame(conn, "waves", [{"wave_id": w, "wave_order": i + 1} for i, w in enumerate(waves)])
    wh_insert_frame(conn, "loads", [
        {"load_id": i + 1, "file_name": f"{w}.csv", "file_sha256": "x", "instrument": "practitioner",
         "codebook_version": "1", "codebook_sha256": "y", "wave_id": w, "rows_read": 0, "rows_loaded": 0,
         "rows_quarantined": 0, "cells_quarantined": 0, "warnings": 0, "started_at": now, "finished_at": now,
         "status": "current"}
        for i, w in enumerate(waves)
    ])
    scales, items = [], []
    for order, (sid, (rule, mult, min_items, better, its, rev, (lo, hi))) in enumerate(SCALES.items()):
        k = len(its)
        smin, smax = (lo, hi) if rule == "mean" else (lo * k * mult, hi * k * mult)
        role = {"who5": "wellbeing", "cbi_work": "burnout"}.get(sid, "practice")
        standard = sid if sid in ("who5", "cbi_work") else None
        scales.append({"instrument": "practitioner", "scale_id": sid, "label_fr": f"{sid} fr",
                       "label_en": f"{sid} en", "rule": rule, "multiplier": mult, "min_items": min_items,
                       "n_items": k, "score_min": smin, "score_max": smax, "higher_is_better": better,
                       "role": role, "standard": standard, "sort_order": order})
        rset = {"who5": "who5", "cbi_work": "cbi"}.get(sid, "agree5")
        items += [{"instrument": "practitioner", "item_id": i, "scale_id": sid, "text_fr": f"{i} texte",
                   "text_en": f"{i} text", "response_set": rset, "value_min": lo, "value_max": hi,
                   "reverse_keyed": i in rev} for i in its]
    wh_insert_frame(conn, "scales", scales)
    wh_insert_frame(conn, "items", items)
    labels = [("agree5", float(v), AGREE5[v - 1]) for v in range(1, 6)]
    labels += [("who5", float(v), f"who5 {v}") for v in range(5, -1, -1)]
    labels += [("cbi", float(v), f"cbi {v}") for v in (100, 75, 50, 25, 0)]
    wh_insert_frame(conn, "response_labels", [
        {"instrument": "practitioner", "response_set": rs, "value": v, "code": f"A{j}", "label_fr": fr,
         "label_en": fr, "sort_order": j}
        for rs in ("agree5", "who5", "cbi") for j, (r, v, fr) in enumerate(x for x in labels if x[0] == rs)
    ])
    wave_items = [{"wave_id": w, "instrument": "practitioner", "item_id": i["item_id"], "column_name": i["item_id"],
                   "load_id": n + 1} for n, w in enumerate(waves) for i in items if (w, i["item_id"]) not in NOT_ASKED]
    wh_insert_frame(conn, "wave_items", wave_items)
    return pd.DataFrame(items)[["item_id", "scale_id", "reverse_keyed", "value_min", "value_max"]]


def wh_scores(responses: pd.DataFrame, respondents: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Scale scores by the loader's rule, in pandas (one row per respondent × scale asked)."""
    x = responses.merge(items, on="item_id")
    x["v"] = np.where(x["reverse_keyed"], x["value_min"] + x["value_max"] - x["value"], x["value"])
    per = x.groupby(["wave_id", "respondent_id", "scale_id"])["v"].agg(["mean", "count"]).reset_index()
    rows = []
    for w in respondents["wave_id"].unique():
        for sid, (rule, mult, min_items, *_rest) in SCALES.items():
            asked = len([i for i in SCALES[sid][4] if (w, i) not in NOT_ASKED])
            ids = respondents.loc[respondents["wave_id"] == w, ["respondent_id"]].assign(wave_id=w, scale_id=sid)
            rows.append(ids.assign(n_items_asked=asked, rule=rule, mult=mult, min_items=min_items))
    out = pd.concat(rows).merge(per, on=["wave_id", "respondent_id", "scale_id"], how="left")
    out["n_items_answered"] = out["count"].fillna(0).astype(int)
    factor = np.where(out["rule"] == "mean", 1.0, out["n_items_asked"] * out["mult"])
    out["score"] = np.where(out["n_items_answered"] >= out["min_items"], out["mean"] * factor, np.nan)
    return out[["wave_id", "respondent_id", "scale_id", "score", "n_items_answered", "n_items_asked"]]


def wh_build(seed: int = 1, people: int = 160, conn: duckdb.DuckDBPyConnection | None = None) -> Synthetic:
    """Three waves of a practitioner survey: a panel core, newcomers, people changing territory,
    real change in network_practice (+0.4 per wave) and wellbeing, ~7 % of answers missing."""
    rng = np.random.default_rng(seed)
    conn = conn or duckdb.connect()
    apply_schema(conn)
    items = wh_metadata(conn)
    ids = np.array([f"p{i:04d}" for i in range(people)])
    trait = rng.normal(0, 0.8, people)
    person = pd.DataFrame({"respondent_id": ids, "trait": trait,
                           "sector_id": rng.choice(["education", "city", "association"], people, p=[.5, .3, .2]),
                           "role": rng.choice(["teacher", "youth_worker", "manager"], people),
                           "level": rng.choice(["strategic", "operational", None], people, p=[.3, .65, .05]),
                           "home": rng.choice(["Nord", "Sud"], people, p=[.6, .4])})
    present = {"V1": rng.random(people) < 0.7, "V2": rng.random(people) < 0.65, "V3": rng.random(people) < 0.6}
    resp, answers = [], []
    for w_i, w in enumerate(WAVES):
        who = person[present[w]].copy()
        moved = rng.random(len(who)) < 0.1  # some people work in the other territory this wave
        who["territory"] = np.where(moved, np.where(who["home"] == "Nord", "Sud", "Nord"), who["home"])
        who["wave_id"] = w
        resp.append(who)
        for sid, (_r, _m, _k, _b, its, rev, (lo, hi)) in SCALES.items():
            shift = {"network_practice": 0.4 * w_i, "who5": -0.3 * w_i, "cbi_work": 0.25 * w_i}.get(sid, 0.0)
            for item in its:
                if (w, item) in NOT_ASKED:
                    continue
                latent = who["trait"].to_numpy() * (1 if sid != "cbi_work" else -1) + shift
                if sid == "cbi_work":
                    raw = np.clip(np.round(2 + latent + rng.normal(0, .9, len(who))), 0, 4) * 25
                elif sid == "who5":
                    raw = np.clip(np.round(3 + latent + rng.normal(0, .9, len(who))), 0, 5)
                else:
                    raw = np.clip(np.round(3 + latent + rng.normal(0, .8, len(who))), 1, 5)
                value = lo + hi - raw if item in rev else raw
                keep = rng.random(len(who)) > 0.07
                answers.append(pd.DataFrame({"wave_id": w, "respondent_id": who["respondent_id"].to_numpy()[keep],
                                             "item_id": item, "value": value[keep].astype(float)}))
    respondents = pd.concat(resp)[["wave_id", "respondent_id", "role", "sector_id", "territory", "level"]]
    responses = pd.concat(answers, ignore_index=True)
    scores = wh_scores(responses, respondents, items)
    wh_load_facts(conn, respondents, responses, scores)
    return Synthetic(conn, respondents.reset_index(drop=True), responses, scores, items)


def wh_load_facts(conn: duckdb.DuckDBPyConnection, respondents: pd.DataFrame, responses: pd.DataFrame,
                  scores: pd.DataFrame) -> None:
    """respondents, responses and scale_scores rows of the practitioner instrument."""
    load = {w: i + 1 for i, w in enumerate(WAVES)}
    common = {"instrument": "practitioner"}
    r = respondents.assign(**common, load_id=respondents["wave_id"].map(load).fillna(9), source_row=1)
    wh_insert_frame(conn, "respondents", r)
    wh_insert_responses(conn, responses.assign(**common, load_id=1))
    wh_insert_frame(conn, "scale_scores", scores.assign(**common, load_id=1))


def wh_add_scored(conn: duckdb.DuckDBPyConnection, people: pd.DataFrame, scale_id: str, scores: list[float]) -> None:
    """Respondents (wave_id, respondent_id and metadata columns) with one score each on a scale
    (no item answers: for tests of score-based indicators)."""
    wh_insert_frame(conn, "respondents", people.assign(instrument="practitioner", load_id=1, source_row=1))
    k = len(SCALES[scale_id][4])
    wh_insert_frame(conn, "scale_scores", people[["wave_id", "respondent_id"]].assign(
        instrument="practitioner", scale_id=scale_id, score=scores, n_items_answered=k, n_items_asked=k, load_id=1))


@pytest.fixture
def wh_empty() -> duckdb.DuckDBPyConnection:
    """A warehouse with the schema and nothing loaded."""
    conn = duckdb.connect()
    apply_schema(conn)
    return conn


@pytest.fixture(scope="session")
def wh_synthetic() -> Synthetic:
    """The shared synthetic warehouse (read-only: tests that add rows build their own)."""
    return wh_build(seed=20250101)
