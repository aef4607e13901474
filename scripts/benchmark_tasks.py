"""Tasks timed by scripts/benchmark.py, each in its own process. `run` returns the seconds of the
measured operation only (imports and set-up excluded) and any figures worth printing."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any


def _fresh_warehouse(work: Path, institutions: str) -> Path:
    from etl.load import load_file

    db = Path(work) / f"wh-{os.getpid()}" / "maillage.duckdb"
    os.environ["MAILLAGE_SECRET"] = str(db.parent / "key")
    load_file(Path(institutions), "institutions", db=db)
    return db


def run(task: str, args: dict[str, Any]) -> dict[str, Any]:
    if task == "read_csv":
        import duckdb

        utf8 = Path(args["work"]) / f"utf8-{os.getpid()}.csv"
        utf8.write_text(Path(args["file"]).read_bytes().decode("cp1252"), encoding="utf-8")
        conn = duckdb.connect()
        t0 = time.perf_counter()
        conn.execute(
            "CREATE TABLE t AS SELECT * FROM read_csv(?, delim = ';', header = true, all_varchar = true)",
            [str(utf8)],
        )
        seconds = time.perf_counter() - t0
        return {"seconds": seconds}
    if task == "read_xlsx":
        from python_calamine import CalamineWorkbook

        t0 = time.perf_counter()
        book = CalamineWorkbook.from_path(args["file"])
        rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
        seconds = time.perf_counter() - t0
        return {"seconds": seconds, "rows": len(rows) - 1}
    if task == "load":
        from etl.load import load_file

        db = _fresh_warehouse(Path(args["work"]), args["institutions"])
        t0 = time.perf_counter()
        result = load_file(Path(args["file"]), "practitioner", "2025-1", db=db)
        seconds = time.perf_counter() - t0
        return {"seconds": seconds, "rows": result.rows_loaded}
    if task == "load_profile":
        return load_profile(args)
    if task == "wave_load":
        return wave_load(args)
    if task == "publish":
        return publish_timing(Path(args["db"]), Path(args["work"]))
    if task == "models":
        return model_timings(Path(args["db"]), bool(args.get("statsmodels", False)))
    raise ValueError(f"unknown task {task}")


def load_profile(args: dict[str, Any]) -> dict[str, Any]:
    """Where a load's time goes: the cumulative seconds of the pipeline's stages (cProfile)."""
    import cProfile
    import pstats

    from etl.load import load_file

    db = _fresh_warehouse(Path(args["work"]), args["institutions"])
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    load_file(Path(args["file"]), "practitioner", "2025-1", db=db)
    prof.disable()
    seconds = time.perf_counter() - t0
    stages = ("read_export", "stage_values", "stage_rows", "stage_fields", "check_cells", "check_fields",
              "check_rows", "_register_pseudonyms", "_write_survey", "_write_scores", "_write_ties",
              "_write_codebook_metadata", "attach_next_state", "apply_schema")
    found: dict[str, float] = {}
    for (file, _line, name), stat in pstats.Stats(prof).stats.items():  # type: ignore[attr-defined]
        if name in stages and ("/etl/" in file or "/warehouse/" in file):
            found[name] = found.get(name, 0.0) + stat[3]
    return {"seconds": seconds, "stages": sorted(found.items(), key=lambda kv: -kv[1])}


def wave_load(args: dict[str, Any]) -> dict[str, Any]:
    """One survey wave loaded (or dry-run) into a warehouse: a real load works on a copy of
    `db` made beforehand (not timed), so that every run starts from the same state; the time
    includes the load's own copy of the warehouse at publish."""
    import shutil

    from etl.load import load_file

    os.environ["MAILLAGE_SECRET"] = args["secret"]
    db = Path(args["db"])
    if not args.get("dry_run"):
        copy = Path(args["work"]) / f"load-{os.getpid()}" / db.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db, copy)
        db = copy
    t0 = time.perf_counter()
    result = load_file(Path(args["file"]), "practitioner", args["wave"], db=db, dry_run=bool(args.get("dry_run")))
    seconds = time.perf_counter() - t0
    unknown = int((result.problems["problem"] == "unknown_institution").sum()) if len(result.problems) else 0
    if not args.get("dry_run"):
        shutil.rmtree(db.parent)
    return {"seconds": seconds, "rows": result.rows_loaded, "unknown": unknown, "status": result.status}


def publish_timing(db: Path, work: Path) -> dict[str, Any]:
    """A publish that changes nothing but the warehouse version (copy, schema check, checkpoint,
    atomic rename) on a copy of `db`; and the bare file copy it includes."""
    import shutil

    from warehouse.db import publish, writer_lock

    live = work / f"publish-{os.getpid()}" / db.name
    live.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(db, live)
    t0 = time.perf_counter()
    shutil.copyfile(live, live.with_name("bare-copy"))
    copy_seconds = time.perf_counter() - t0
    live.with_name("bare-copy").unlink()
    t0 = time.perf_counter()
    with writer_lock(live):
        publish(live, lambda conn: None)
    seconds = time.perf_counter() - t0
    shutil.rmtree(live.parent)
    return {"seconds": seconds, "copy_seconds": copy_seconds, "mb": db.stat().st_size / 1e6}


def _model_calls(wh: Any) -> list[tuple[str, Any]]:
    """(label, call) of each analysis of indicators.models, .weights and .tie_formation, as the
    dashboard fits them (once per warehouse version)."""
    from indicators import models, tie_formation, weights
    from indicators.filters import Filters

    waves = [r[0] for r in wh.cursor().execute("SELECT wave_id FROM waves ORDER BY wave_order").fetchall()]
    a, b = waves[0], waves[1]
    f = Filters()
    return [
        ("repeated_measures (6 scales)", lambda: models.repeated_measures(wh.cursor(), f)),
        ("repeated_measures (network_practice)",
         lambda: models.repeated_measures(wh.cursor(), f, scales=("network_practice",))),
        ("weight_summary", lambda: weights.weight_summary(wh.cursor(), f)),
        ("weight_cells", lambda: weights.weight_cells(wh.cursor(), f)),
        ("weighted_trend (4 practice scales)", lambda: weights.weighted_trend(wh.cursor(), f)),
        (f"attrition_weights {a} → {b}", lambda: weights.attrition_weights(wh.cursor(), f, a, b)),
        ("tie_formation (one network per territory)",
         lambda: tie_formation.tie_formation(wh.cursor(), f, by_territory=True)),
        ("tie_formation (pooled network)", lambda: tie_formation.tie_formation(wh.cursor(), f, by_territory=False)),
    ]


def _statsmodels_mixedlm(conn: Any) -> float:
    """Seconds of statsmodels' own MixedLM fit of the same nested model for one scale (the
    reference the production fit is checked against), data read once beforehand."""
    import warnings

    import statsmodels.formula.api as smf

    df = conn.execute(
        "SELECT s.score, w.wave_order AS wave, s.respondent_id AS resp, r.institution_id AS inst "
        "FROM scale_scores s JOIN respondents r USING (wave_id, instrument, respondent_id) "
        "JOIN waves w USING (wave_id) WHERE s.instrument = 'practitioner' AND s.scale_id = 'network_practice' "
        "AND s.score IS NOT NULL"
    ).df()
    t0 = time.perf_counter()
    model = smf.mixedlm("score ~ C(wave)", df, groups="inst", re_formula="1", vc_formula={"resp": "0 + C(resp)"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(reml=True)
    return time.perf_counter() - t0


def model_timings(db: Path, with_statsmodels: bool) -> dict[str, Any]:
    """Cold (first call in a fresh process, imports excluded) and warm (median of 3) seconds of
    each analysis; the cProfile top of any call over one second."""
    import cProfile
    import io
    import pstats
    import statistics

    from warehouse.db import ReadOnlyWarehouse

    t0 = time.perf_counter()
    import statsmodels.discrete.discrete_model  # noqa: F401  (imported once per dashboard process)

    import_seconds = time.perf_counter() - t0
    wh = ReadOnlyWarehouse(db)
    conn = wh.cursor()
    rows = []
    for label, call in _model_calls(wh):
        t0 = time.perf_counter()
        call()
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(3):
            t0 = time.perf_counter()
            call()
            warm.append(time.perf_counter() - t0)
        profile = ""
        if statistics.median(warm) > 1.0:
            prof = cProfile.Profile()
            prof.enable()
            call()
            prof.disable()
            out = io.StringIO()
            pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(8)
            profile = "\n".join(line for line in out.getvalue().splitlines() if line.strip())[-1800:]
        rows.append({"label": label, "cold": cold, "warm": statistics.median(warm), "profile": profile})
    extra: dict[str, Any] = {"calls": rows, "seconds": sum(r["warm"] for r in rows), "import": import_seconds}
    if with_statsmodels:
        extra["statsmodels_mixedlm"] = _statsmodels_mixedlm(conn)
    wh.close()
    return extra
