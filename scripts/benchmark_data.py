"""Synthetic warehouses for the benchmark: many territories × waves, written set-based in DuckDB
with the same tables, keys and scoring rules as the ETL (the codebook metadata is written by the
ETL's own function). Not realistic in its story; realistic in its size and shape.

    python scripts/benchmark_data.py OUT.duckdb --territories 50 --waves 6
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INSTITUTIONS_PER_TERRITORY = 40
PEOPLE_PER_TERRITORY = 800  # a pool; about 62 % answer each wave → ~500 respondents per territory-wave
ACTIVITIES_PER_TERRITORY_WAVE = 200
SECTORS = ["education", "city", "association", "health", "social", "insertion", "parents"]


def build(path: Path, territories: int, waves: int, seed: int = 7) -> dict[str, int]:
    """Write the warehouse at `path` (replaced if it exists); return row counts."""
    from etl.codebook import codebook_versions
    from etl.load import _write_codebook_metadata
    from warehouse.db import ALIAS, apply_schema, storage_version

    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    conn = duckdb.connect()
    # in the storage version a load publishes (else the first load rewrites the whole file)
    conn.execute(f"ATTACH '{path}' AS {ALIAS} (STORAGE_VERSION '{storage_version()}')")
    conn.execute(f"USE {ALIAS}")
    apply_schema(conn)
    conn.execute("SELECT setseed(?)", [seed / 100])
    practitioner = codebook_versions("practitioner")[-1]
    _write_codebook_metadata(conn, practitioner)
    _write_codebook_metadata(conn, codebook_versions("partner")[-1])
    wave_ids = [f"{2021 + w // 2}-{w % 2 + 1}" for w in range(waves)]
    conn.execute(  # territory names sort as numbers: 'Territoire 007', 'Territoire 1999'
        "CREATE TEMP TABLE p AS SELECT ? AS territories, ? AS waves, greatest(3, length(?))::INTEGER AS digits",
        [territories, waves, str(territories)],
    )
    conn.execute("CREATE TEMP TABLE wave_list AS SELECT unnest(?::VARCHAR[]) AS wave_id, "
                 "generate_subscripts(?::VARCHAR[], 1) AS wave_order", [wave_ids, wave_ids])
    conn.execute("INSERT INTO waves SELECT wave_id, wave_order, make_date(2021 + (wave_order - 1) // 2, "
                 "CASE WHEN wave_order % 2 = 1 THEN 5 ELSE 11 END, 1), NULL FROM temp.wave_list")
    conn.execute("UPDATE waves SET last_date = first_date + 27")
    conn.execute("INSERT INTO wave_keys SELECT wave_order, wave_id FROM temp.wave_list")
    conn.execute(
        """
        INSERT INTO loads
        SELECT row_number() OVER (), 'synthetic_' || w.wave_id || '_' || i || '.csv', 'synthetic', i, '1', 'x',
               NULL, w.wave_id, 0, 0, 0, 0, 0, now()::TIMESTAMP, now()::TIMESTAMP, 'current', NULL
        FROM temp.wave_list w, (VALUES ('practitioner'), ('partner')) t(i)
        """
    )
    conn.execute(
        f"""
        INSERT INTO institutions
        SELECT 'T' || t || '_I' || i, 'Structure ' || i || ' du territoire ' || t,
               list_extract(?::VARCHAR[], 1 + i % 7),
               'Territoire ' || lpad(t::VARCHAR, (SELECT digits FROM temp.p), '0'), 'quartier', NULL
        FROM range(1, (SELECT territories FROM temp.p) + 1) a(t), range({INSTITUTIONS_PER_TERRITORY}) b(i)
        """,
        [SECTORS],
    )
    _people(conn)
    _answers(conn)
    _scores(conn)
    _ties(conn)
    _activities(conn)
    conn.execute(
        """
        INSERT INTO population_targets
        SELECT wave_id, sector_id, territory, (count(*) * 1.4)::INTEGER, 1 FROM respondents
        WHERE instrument = 'practitioner' GROUP BY ALL
        """
    )
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
              for t in ("respondents", "answers", "scale_scores", "ties", "activities", "institutions")}
    conn.execute(f"CHECKPOINT {ALIAS}")
    conn.execute("USE memory")
    conn.execute(f"DETACH {ALIAS}")
    conn.close()
    return counts


def _people(conn: duckdb.DuckDBPyConnection) -> None:
    """A pool of people per territory; each wave about 62 % of them answer (a panel with attrition)."""
    conn.execute(
        f"""
        CREATE TEMP TABLE people AS
        SELECT row_number() OVER () AS respondent_key, md5('person' || t || '-' || k)[:16] AS respondent_id,
               t, 'T' || t || '_I' || (k % {INSTITUTIONS_PER_TERRITORY}) AS institution_id,
               list_extract(['teacher', 'school_staff', 'manager', 'youth_worker', 'social_worker',
                             'health_worker', 'coordinator', 'youth_advisor'], 1 + (k * 7) % 8) AS role,
               CASE WHEN random() < 0.2 THEN 'strategic' ELSE 'operational' END AS level,
               random() * 0.8 - 0.4 AS trait
        FROM range(1, (SELECT territories FROM temp.p) + 1) a(t), range({PEOPLE_PER_TERRITORY}) b(k)
        """
    )
    conn.execute("INSERT INTO respondent_keys SELECT respondent_key, respondent_id FROM temp.people")
    conn.execute(
        """
        CREATE TEMP TABLE answered AS
        SELECT w.wave_id, w.wave_order, p.* FROM temp.people p, temp.wave_list w WHERE random() < 0.62
        """
    )
    conn.execute(
        """
        INSERT INTO respondents
        SELECT a.wave_id, 'practitioner', a.respondent_id, 1, 2, make_timestamp(2021, 5, 10, 10, 0, 0),
               a.role, a.institution_id, i.sector_id, i.territory, a.level, 1 + (a.respondent_key % 20)
        FROM temp.answered a JOIN institutions i USING (institution_id)
        """
    )


def _answers(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(
        """
        INSERT INTO answers
        SELECT a.wave_order, a.respondent_key, k.item_key,
               CASE WHEN i.response_set = 'agree5' THEN least(5, greatest(1, round(3 + a.trait * 2
                        + 0.1 * a.wave_order + (random() - 0.5) * 2.5)))
                    WHEN i.response_set = 'who5'
                        THEN least(5, greatest(0, round(3 + a.trait * 2 + (random() - 0.5) * 3)))
                    WHEN i.response_set LIKE 'cbi%' THEN 25 * least(4, greatest(0, round(2 - a.trait * 2
                        + (random() - 0.5) * 3)))
                    ELSE list_extract([0, 0.5, 1, 2.5, 4.33], 1 + floor(random() * 5)::INTEGER) END,
               1
        FROM temp.answered a
        CROSS JOIN items i
        JOIN item_keys k USING (instrument, item_id)
        WHERE i.instrument = 'practitioner' AND i.unit IS DISTINCT FROM 'institutions_named' AND random() < 0.95
        """
    )
    conn.execute(
        """
        INSERT INTO wave_items
        SELECT w.wave_id, 'practitioner', i.item_id, i.item_id, 1 FROM temp.wave_list w, items i
        WHERE i.instrument = 'practitioner'
        """
    )


def _scores(conn: duckdb.DuckDBPyConnection) -> None:
    """Scale scores by the ETL's rules (reverse-keyed items reversed, minimum items)."""
    conn.execute(
        """
        INSERT INTO scale_scores
        WITH v AS (
            SELECT x.wave_id, x.respondent_id, i.scale_id,
                   CASE WHEN i.reverse_keyed THEN i.value_min + i.value_max - x.value ELSE x.value END AS v
            FROM responses x JOIN items i USING (instrument, item_id)
            WHERE x.instrument = 'practitioner' AND i.scale_id IS NOT NULL
        )
        SELECT v.wave_id, 'practitioner', v.respondent_id, v.scale_id,
               CASE WHEN count(*) >= any_value(s.min_items) THEN
                   CASE any_value(s.rule) WHEN 'mean' THEN avg(v.v)
                        ELSE avg(v.v) * any_value(s.n_items) * any_value(s.multiplier) END END,
               count(*), any_value(s.n_items), 1
        FROM v JOIN scales s ON s.instrument = 'practitioner' AND s.scale_id = v.scale_id
        GROUP BY v.wave_id, v.respondent_id, v.scale_id
        """
    )


def _ties(conn: duckdb.DuckDBPyConnection) -> None:
    """Partner survey: 80 % of institutions answer each wave and rate every partner of their
    territory; practitioners name about two institutions each."""
    conn.execute(
        """
        INSERT INTO respondents
        SELECT w.wave_id, 'partner', md5('inst' || i.institution_id)[:16], 2, 2, NULL, 'manager',
               i.institution_id, i.sector_id, i.territory, 'strategic', NULL
        FROM institutions i, temp.wave_list w WHERE random() < 0.8
        """
    )
    conn.execute(
        """
        INSERT INTO ties
        SELECT r.wave_id, 'partner_survey', r.respondent_id, r.institution_id, o.institution_id,
               least(5, greatest(0, round(random() * 3 + 0.15 * w.wave_order))), 1 + floor(random() * 4),
               1 + floor(random() * 4), NULL, 2
        FROM respondents r JOIN temp.wave_list w USING (wave_id)
        JOIN institutions o ON o.territory = r.territory AND o.institution_id <> r.institution_id
        WHERE r.instrument = 'partner' AND random() < 0.6
        """
    )
    conn.execute(
        """
        INSERT INTO ties
        SELECT a.wave_id, 'practitioner_survey', a.respondent_id, a.institution_id,
               'T' || a.t || '_I' || floor(random() * 40)::INTEGER, NULL, NULL, NULL, NULL, 1
        FROM temp.answered a, range(2)
        """
    )
    conn.execute("DELETE FROM ties WHERE from_institution_id = to_institution_id")


def _activities(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(
        f"""
        CREATE TEMP TABLE acts AS
        SELECT 'A' || t || '-' || w.wave_order || '-' || k AS activity_id, t, w.wave_order,
               w.first_date + (random() * 180)::INTEGER AS d, 2 + floor(random() * 3)::INTEGER AS n_inst
        FROM range(1, (SELECT territories FROM temp.p) + 1) a(t), waves w, range({ACTIVITIES_PER_TERRITORY_WAVE}) b(k)
        """
    )
    conn.execute(
        """
        INSERT INTO activities
        SELECT activity_id, 3, NULL, 2, d,
               list_extract(['coordination_meeting', 'joint_intervention', 'joint_training', 'parents_meeting',
                             'case_review', 'youth_event'], 1 + floor(random() * 6)::INTEGER),
               'Territoire ' || lpad(t::VARCHAR, (SELECT digits FROM temp.p), '0'), 5 + floor(random() * 40)::INTEGER,
               random() < 0.1, random() < 0.15, ['professionals'], NULL
        FROM temp.acts
        """
    )
    conn.execute(
        """
        INSERT INTO activity_institutions
        SELECT DISTINCT activity_id, 'T' || t || '_I' || floor(random() * 40)::INTEGER, 3
        FROM temp.acts, range(4) r(j) WHERE j < n_inst
        """
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--territories", type=int, default=50)
    parser.add_argument("--waves", type=int, default=6)
    args = parser.parse_args()
    t0 = time.perf_counter()
    counts = build(args.out, args.territories, args.waves)
    print(f"built {args.out} in {time.perf_counter() - t0:.1f} s: {counts}")


if __name__ == "__main__":
    main()
