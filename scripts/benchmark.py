"""Maillage benchmark: prints timings and memory; no pass/fail (targets are printed beside).

    python scripts/benchmark.py                 # every section
    python scripts/benchmark.py --only etl      # one section (etl, loads, indicators, pages, models, pack)
    python scripts/benchmark.py --rows 5000     # smaller inputs for a quick look

Each measurement runs in a fresh Python process, so that its peak memory (max RSS) is its own;
ratios compare measurements of one run on the same machine, which is what the targets are about
(absolute times vary with the machine and its load).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECTIONS: dict[str, Callable[[argparse.Namespace, Path], None]] = {}


def section(
    name: str,
) -> Callable[[Callable[[argparse.Namespace, Path], None]], Callable[[argparse.Namespace, Path], None]]:
    def register(func: Callable[[argparse.Namespace, Path], None]) -> Callable[[argparse.Namespace, Path], None]:
        SECTIONS[name] = func
        return func

    return register


# --- measuring in a fresh process ----------------------------------------------------------------

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from scripts.benchmark_tasks import run
extra = run({task!r}, {args!r})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"peak_mb": peak, **extra}}))
"""


def measure(task: str, args: dict[str, Any], repeat: int = 3) -> dict[str, float]:
    """Run `task` `repeat` times, each in a new process; median seconds, max peak memory."""
    runs = []
    for _ in range(repeat):
        code = CHILD.format(root=str(ROOT), task=task, args=args)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"{task} failed:\n{out.stderr}")
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    result = {k: v for k, v in runs[-1].items() if k not in ("seconds", "peak_mb")}
    result["seconds"] = statistics.median(r["seconds"] for r in runs)
    result["peak_mb"] = max(r["peak_mb"] for r in runs)
    return result


def line(label: str, value: str, target: str = "") -> None:
    print(f"  {label:<52} {value:>10}   {target}")


def verdict(value: float, limit: float) -> str:
    return "met" if value <= limit else "NOT met"


# --- ETL: one wave of 25,000 respondents × 80 columns ------------------------------------------


def write_institutions(path: Path, n: int = 40) -> list[str]:
    sectors = ["Éducation nationale", "Ville", "Associations", "Santé", "Social / CAF", "Mission locale", "Parents"]
    ids = [f"INST_{i:02d}" for i in range(n)]
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["id", "nom", "alias", "secteur", "quartier", "niveau"])
        for i, inst in enumerate(ids):
            w.writerow([inst, f"Structure n°{i}", "", sectors[i % 7], f"Quartier {i % 3}", "quartier"])
    return ids


def wave_rows(n: int, institutions: list[str], seed: int = 1) -> tuple[list[str], list[list[Any]]]:
    """A LimeSurvey-like export with question codes: 80 columns."""
    rng = np.random.default_rng(seed)
    codes = [i.replace("_", "") for i in institutions]
    header = ["id", "token", "submitdate", "lastpage", "startlanguage", "G01Q01", "G01Q02", "G01Q03", "G01Q04"]
    likert = [f"G02Q01[SQ00{i}]" for i in range(1, 6)] + [f"G02Q02[SQ00{i}]" for i in range(1, 6)]
    likert += [f"G02Q03[SQ00{i}]" for i in range(1, 5)] + [f"G02Q04[SQ00{i}]" for i in range(1, 4)]
    exchange = [f"G03Q01[SQ00{i}]" for i in range(1, 8)]
    who = [f"G05Q01[SQ00{i}]" for i in range(1, 6)]
    cbi = [f"G06Q01[SQ00{i}]" for i in range(1, 4)] + [f"G06Q02[SQ00{i}]" for i in range(1, 5)]
    roster = [f"G04Q01[{c}]" for c in codes[:27]]
    header += likert + exchange + who + cbi + roster + ["G07Q01"]
    rows: list[list[Any]] = []
    answers = rng.integers(1, 6, size=(n, len(likert) + len(exchange) + len(cbi)))
    who_ans = rng.integers(1, 7, size=(n, len(who)))
    ticks = rng.random((n, len(roster))) < 0.15
    inst_idx = rng.integers(0, len(codes), size=n)
    for r in range(n):
        base = [
            r + 1,
            f"tok{r:06d}",
            f"2025-05-{1 + r % 28:02d} 10:{r % 60:02d}:00",
            8,
            "fr",
            f"A{1 + r % 9}",
            codes[inst_idx[r]],
            f"A{1 + r % 2}",
            str(r % 30),
        ]
        a = [f"A{v}" for v in answers[r]]
        w = [f"A{v}" for v in who_ans[r]]
        t = ["Y" if x else "" for x in ticks[r]]
        rows.append(base + a[: len(likert) + len(exchange)] + w + a[len(likert) + len(exchange) :] + t + ["Très bien"])
    return header, rows


def write_wave_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="cp1252", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(header)
        w.writerows(rows)


def write_wave_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("results")
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)


@section("etl")
def bench_etl(args: argparse.Namespace, work: Path) -> None:
    n = args.rows
    print(f"\nETL — one practitioner wave of {n:,} respondents × 80 columns (median of 3 runs, fresh process each)")
    insts = write_institutions(work / "institutions.csv")
    header, rows = wave_rows(n, insts)
    csv_path, xlsx_path = work / "wave.csv", work / "wave.xlsx"
    write_wave_csv(csv_path, header, rows)
    write_wave_xlsx(xlsx_path, header, rows)
    print(
        f"  files: CSV (Windows-1252, ';') {csv_path.stat().st_size / 1e6:.1f} MB, "
        f"XLSX {xlsx_path.stat().st_size / 1e6:.1f} MB"
    )
    base = {"institutions": str(work / "institutions.csv"), "work": str(work)}
    csv_read = measure("read_csv", {**base, "file": str(csv_path)})
    csv_load = measure("load", {**base, "file": str(csv_path)})
    xlsx_read = measure("read_xlsx", {**base, "file": str(xlsx_path)})
    xlsx_load = measure("load", {**base, "file": str(xlsx_path)})
    line(
        "CSV: bare read (transcode + DuckDB read_csv)",
        f"{csv_read['seconds']:.2f} s",
        f"peak {csv_read['peak_mb']:.0f} MB",
    )
    line(
        "CSV: file → committed wave (read, map, validate, load)",
        f"{csv_load['seconds']:.2f} s",
        f"peak {csv_load['peak_mb']:.0f} MB; {csv_load.get('rows', 0):,.0f} rows loaded",
    )
    ratio = csv_load["seconds"] / csv_read["seconds"]
    line("CSV: ratio load / read", f"{ratio:.2f}", f"target ≤ 2: {verdict(ratio, 2)}")
    line("XLSX: bare read (calamine)", f"{xlsx_read['seconds']:.2f} s", f"peak {xlsx_read['peak_mb']:.0f} MB")
    line(
        "XLSX: file → committed wave",
        f"{xlsx_load['seconds']:.2f} s",
        f"peak {xlsx_load['peak_mb']:.0f} MB; {xlsx_load.get('rows', 0):,.0f} rows loaded",
    )
    ratio = xlsx_load["seconds"] / xlsx_read["seconds"]
    line("XLSX: ratio load / read", f"{ratio:.2f}", f"target ≤ 1.3: {verdict(ratio, 1.3)}")
    for label, path in (("CSV", csv_path), ("XLSX", xlsx_path)):
        prof = measure("load_profile", {**base, "file": str(path)}, repeat=1)
        stages = ", ".join(f"{name} {sec:.2f}" for name, sec in prof["stages"])
        print(f"  {label} load, profiled ({prof['seconds']:.2f} s, cumulative seconds; _write_survey includes "
              f"_write_scores and _write_ties): {stages}")


# --- Loads: a load's time follows the file, not the warehouse --------------------------------------

DEMO_WAVE = ROOT / "surveys" / "demo" / "praticiens_2025-1.xlsx"  # 232 respondents × 90 columns


def _demo_warehouse(work: Path) -> tuple[Path, Path]:
    demo, secret = work / "demo" / "maillage.duckdb", work / "demo" / "key"
    if not demo.exists():
        subprocess.run([sys.executable, "-m", "etl", "demo", "--db", str(demo), "--secret", str(secret)],
                       check=True, capture_output=True, cwd=ROOT)
    return demo, secret


def _with_demo_institutions(synthetic: Path, out: Path, secret: Path) -> int:
    """A copy of `synthetic` whose institutions list also holds the demo's 40 (loaded as a list is:
    one file, every institution kept); returns the number of institutions."""
    import shutil

    import duckdb

    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(synthetic, out)
    conn = duckdb.connect(str(synthetic), read_only=True)
    rows = conn.execute("SELECT institution_id, name, '', sector_id, territory, level FROM institutions").fetchall()
    conn.close()
    listing = out.with_name("institutions.csv")
    with listing.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        with (ROOT / "surveys" / "demo" / "institutions.csv").open(encoding="utf-8-sig", newline="") as demo:
            w.writerows(csv.reader(demo, delimiter=";"))
        w.writerows(rows)
    code = (f"import os, sys; sys.path.insert(0, {str(ROOT)!r}); os.environ['MAILLAGE_SECRET'] = {str(secret)!r}; "
            "from pathlib import Path; from etl.load import load_file; "
            f"load_file(Path({str(listing)!r}), 'institutions', db=Path({str(out)!r}))")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=ROOT)
    return len(rows) + 40


@section("loads")
def bench_loads(args: argparse.Namespace, work: Path) -> None:
    """The demo's 232-row practitioner wave loaded into the demo warehouse and into the 200 × 8
    synthetic one (institutions known), dry-run where its institutions are unknown to the 8,000;
    the copy every publish makes of the warehouse, at 200 × 8 and (--national) 2,000 × 8."""
    from scripts.benchmark_data import build

    demo, demo_secret = _demo_warehouse(work)
    synthetic = work / "synthetic-200x8.duckdb"
    if not synthetic.exists():
        build(synthetic, 200, 8)
    known = work / "loads" / "synthetic-200x8-known.duckdb"
    secret = work / "loads" / "key"
    n_inst = _with_demo_institutions(synthetic, known, secret)
    mb = {p: p.stat().st_size / 1e6 for p in (demo, synthetic)}
    print(f"\nLoads — {DEMO_WAVE.name} (232 respondents × 90 columns, as wave 2026-2), fresh process each, "
          "median of 3")
    base = {"file": str(DEMO_WAVE), "wave": "2026-2", "work": str(work)}
    a = measure("wave_load", {**base, "db": str(demo), "secret": str(demo_secret)})
    b = measure("wave_load", {**base, "db": str(known), "secret": str(secret)})
    line(f"known institutions: into the demo warehouse ({mb[demo]:.0f} MB)", f"{a['seconds']:.2f} s",
         f"{a['rows']:,.0f} rows loaded")
    line(f"  into 200 × 8 synthetic ({mb[synthetic]:.0f} MB, {n_inst:,} inst.)", f"{b['seconds']:.2f} s",
         f"{b['rows']:,.0f} rows loaded")
    ratio = b["seconds"] / a["seconds"]
    line("  ratio synthetic / demo", f"{ratio:.2f}", f"target ≤ 1.5: {verdict(ratio, 1.5)}")
    c = measure("wave_load", {**base, "db": str(demo), "secret": str(demo_secret), "dry_run": True})
    d = measure("wave_load", {**base, "db": str(synthetic), "secret": str(secret), "dry_run": True})
    line("unknown institutions, dry run: into the demo", f"{c['seconds']:.2f} s", f"{c['unknown']:.0f} unknown")
    line("  into 200 × 8 (8,000 institutions, none the demo's)", f"{d['seconds']:.2f} s",
         f"{d['unknown']:.0f} unknown-institution problems, each with its closest-name search")
    ratio = d["seconds"] / c["seconds"]
    line("  ratio synthetic / demo", f"{ratio:.2f}", f"target ≤ 1.5: {verdict(ratio, 1.5)}")
    warehouses = [("200 × 8", synthetic)]
    if args.national:
        national = work / "synthetic-2000x8.duckdb"
        t0 = time.perf_counter()
        build(national, 2000, 8)
        print(f"  (2,000 × 8 synthetic warehouse built in {time.perf_counter() - t0:.0f} s)")
        warehouses.append(("2,000 × 8", national))
    print("  publish: copy of the live file, checkpoint, atomic rename (a load that changes nothing else)")
    for label, db in warehouses:
        pub = measure("publish", {"db": str(db), "work": str(work)})
        line(f"  {label} ({pub['mb']:,.0f} MB)", f"{pub['seconds']:.2f} s",
             f"of which the bare copy {pub['copy_seconds']:.2f} s; no target of its own (part of every load)")
    if not args.national:
        print("  (--national also builds the 2,000 × 8 warehouse, ~2 GB, and times its publish)")


# --- Indicators: every family over large warehouses -------------------------------------------


def indicator_calls(waves: list[str]) -> dict[str, list[tuple[str, Callable[..., Any], dict[str, Any]]]]:
    """(label, function, keyword arguments) of each indicator family, as the dashboard calls them."""
    from indicators import exchanges, networks, practice, quality, wellbeing

    a, b = waves[-2], waves[-1]
    return {
        "practice": [
            ("scale_summary", practice.scale_summary, {}),
            ("scale_summary by sector", practice.scale_summary, {"by": ("wave_id", "sector_id")}),
            ("item_distribution", practice.item_distribution, {"scale_id": "network_practice"}),
            ("panel_change", practice.panel_change, {"wave_a": a, "wave_b": b}),
            ("cross_sectional_change", practice.cross_sectional_change, {"wave_a": a, "wave_b": b}),
            ("level_gap", practice.level_gap, {}),
            ("reliable_change", practice.reliable_change, {"wave_a": a, "wave_b": b}),
        ],
        "wellbeing": [
            ("wellbeing_summary", wellbeing.wellbeing_summary, {}),
            ("wellbeing_summary by role", wellbeing.wellbeing_summary, {"by": ("wave_id", "role")}),
            ("wellbeing_distribution", wellbeing.wellbeing_distribution, {}),
            ("wellbeing_panel_change", wellbeing.wellbeing_panel_change, {"wave_a": a, "wave_b": b}),
        ],
        "quality": [
            ("response_rates", quality.response_rates, {}),
            ("panel_retention", quality.panel_retention, {}),
            ("missing_items", quality.missing_items, {}),
            ("reliability", quality.reliability, {}),
            ("quarantine_summary", quality.quarantine_summary, {}),
        ],
        "networks": [
            ("network_summary (each territory)", networks.network_summary, {"by_territory": True}),
            ("node_table", networks.node_table, {"wave_id": b, "by_territory": True}),
            ("tie_stability", networks.tie_stability, {"wave_a": a, "wave_b": b, "by_territory": True}),
            ("disagreeing_dyads", networks.disagreeing_dyads, {"wave_id": b}),
        ],
        "exchanges": [
            ("survey_exchange_matrix", exchanges.survey_exchange_matrix, {}),
            ("activity_monthly", exchanges.activity_monthly, {"by": "activity_type"}),
            ("activity_sector_pairs", exchanges.activity_sector_pairs, {}),
            ("activity_shares", exchanges.activity_shares, {}),
            ("institution_projection", exchanges.institution_projection, {}),
        ],
    }


def time_indicators(db: Path, repeat: int = 3) -> dict[str, dict[str, list[float]]]:
    """Median in-process seconds of each call, for the whole warehouse and for one territory."""
    from indicators.filters import Filters
    from warehouse.db import ReadOnlyWarehouse

    wh = ReadOnlyWarehouse(db)
    conn = wh.cursor()
    waves = [r[0] for r in conn.execute("SELECT wave_id FROM waves ORDER BY wave_order").fetchall()]
    territory = conn.execute("SELECT min(territory) FROM institutions").fetchall()[0][0]
    scopes = {"whole warehouse": Filters(), f"one territory ({territory})": Filters(territories=(territory,))}
    out: dict[str, dict[str, list[float]]] = {}
    for scope, filters in scopes.items():
        for family, calls in indicator_calls(waves).items():
            for label, func, kwargs in calls:
                func(wh.cursor(), filters, **kwargs)  # warm DuckDB and imports
                runs = []
                for _ in range(repeat):
                    t0 = time.perf_counter()
                    func(wh.cursor(), filters, **kwargs)
                    runs.append(time.perf_counter() - t0)
                out.setdefault(scope, {}).setdefault(family, []).append(statistics.median(runs))
                out[scope].setdefault(f"{family}:labels", []).append(label)  # type: ignore[arg-type]
    wh.close()
    return out


# (territories of the synthetic warehouse, whole warehouse?) → target in ms for each family's sum
INDICATOR_TARGETS_MS = {(50, True): 300, (200, False): 100}


@section("indicators")
def bench_indicators(args: argparse.Namespace, work: Path) -> None:
    from scripts.benchmark_data import build

    for territories, waves in ((50, 6), (200, 8)):
        db = work / f"synthetic-{territories}x{waves}.duckdb"
        t0 = time.perf_counter()
        counts = build(db, territories, waves)
        print(f"\nIndicators — synthetic warehouse {territories} territories × {waves} waves "
              f"({counts['respondents']:,} respondent-waves, {counts['answers']:,} answers, "
              f"{counts['ties']:,} ties, {counts['activities']:,} activities; "
              f"built in {time.perf_counter() - t0:.0f} s)")
        print("  in-process, median of 3 warm runs; targets: each family over the whole 50 × 6 warehouse < 300 ms, "
              "for one territory of the 200 × 8 one < 100 ms (cost follows the selection)")
        timings = time_indicators(db)
        for scope, families in timings.items():
            print(f"  — {scope}")
            limit = INDICATOR_TARGETS_MS.get((territories, scope.startswith("whole")))
            for family in ("practice", "wellbeing", "quality", "networks", "exchanges"):
                secs = families[family]
                labels = families[f"{family}:labels"]
                detail = ", ".join(f"{lab} {1000 * sec:.0f}" for lab, sec in zip(labels, secs, strict=True))
                mark = f"< {limit} ms {verdict(1000 * sum(secs), limit)}; " if limit else ""
                line(f"{family} (sum of {len(secs)} calls, ms)", f"{1000 * sum(secs):.0f}", mark + detail)


@section("pages")
def bench_pages(args: argparse.Namespace, work: Path) -> None:
    """Each page's script run (AppTest), cold (caches cleared) and warm, in a fresh process per
    warehouse: on the demo territory and on the synthetic 50-territory warehouse."""
    from scripts.benchmark_data import build

    demo = work / "demo" / "maillage.duckdb"
    secret = work / "demo" / "key"
    subprocess.run([sys.executable, "-m", "etl", "demo", "--db", str(demo), "--secret", str(secret)],
                   check=True, capture_output=True, cwd=ROOT)
    big = work / "synthetic-50x6.duckdb"
    if not big.exists():
        build(big, 50, 6)
    print("\nPages — AppTest script run of each page (app frame included), seconds; target on the 50-territory "
          "warehouse: cold ≤ 1.5 (results of the version kept on disk: `maillage warm` after a load, or any "
          "visitor before), warm ≤ 0.3; the first visit after a load without `maillage warm` has no target")
    for label, db in (("demo territory", demo), ("50 territories × 6 waves", big)):
        code = (f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from pathlib import Path; "
                "from scripts.benchmark_pages import page_timings; "
                f"print(json.dumps(page_timings(Path({str(db)!r}))))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
        timings = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  — {label}")
        for page, first, cold, warm in timings:
            verdict = ""
            if db == big:
                verdict = "met" if cold <= 1.5 and warm <= 0.3 else "NOT met"
            line(page, f"{first:.2f} / {cold:.2f} / {warm:.2f}", f"first visit / cold / warm  {verdict}")


@section("models")
def bench_models(args: argparse.Namespace, work: Path) -> None:
    """The analyses (repeated-measures model, weights, tie formation) on the demo and on the
    synthetic 50-territory warehouse, each warehouse in a fresh process: cold and warm seconds,
    statsmodels' own MixedLM for comparison, and the profile of any call over one second."""
    from scripts.benchmark_data import build

    demo = work / "demo" / "maillage.duckdb"
    if not demo.exists():
        subprocess.run([sys.executable, "-m", "etl", "demo", "--db", str(demo), "--secret", str(work / "demo" / "key")],
                       check=True, capture_output=True, cwd=ROOT)
    big = work / "synthetic-50x6.duckdb"
    if not big.exists():
        build(big, 50, 6)
    print("\nModels — fit once per warehouse version (the dashboard caches them); seconds, cold (first call in a "
          "fresh process) / warm (median of 3); target: each fit ≤ 1 s on the 50-territory warehouse")
    for label, db in (("demo territory", demo), ("50 territories × 6 waves", big)):
        res = measure("models", {"db": str(db), "statsmodels": True}, repeat=1)
        print(f"  — {label}")
        line("import of statsmodels' Logit (once per process)", f"{res['import']:.2f}")
        for call in res["calls"]:
            line(call["label"], f"{call['cold']:.2f} / {call['warm']:.2f}", "cold / warm")
        line("statsmodels MixedLM, same model, network_practice", f"{res['statsmodels_mixedlm']:.2f}",
             "reference only (not used by the dashboard)")
        for call in res["calls"]:
            if call["profile"]:
                print(f"    profile of {call['label']} (over 1 s):")
                for text in call["profile"].splitlines():
                    print(f"      {text}")


@section("pack")
def bench_pack(args: argparse.Namespace, work: Path) -> None:
    """`maillage pack` on the demo, the whole command in a fresh process (imports, indicators, the
    browser drawing the pictures, the deck, workbook and zip): median of 3; and with --images."""
    demo = work / "demo" / "maillage.duckdb"
    if not demo.exists():
        subprocess.run([sys.executable, "-m", "etl", "demo", "--db", str(demo), "--secret", str(work / "demo" / "key")],
                       check=True, capture_output=True, cwd=ROOT)
    print("\nPack — `maillage pack` on the demo territory, the whole command in a fresh process (median of 3)")
    for label, extra, target in (("default sections (native charts, network picture)", [], "target < 10 s"),
                                 ("default sections with --images (every chart as PNG and SVG)", ["--images"],
                                  "no target (on request)")):
        times = []
        for i in range(3):
            out = work / f"pack-{i}.zip"
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "maillage", "pack", "--out", str(out), "--db", str(demo), *extra],
                           check=True, capture_output=True, cwd=ROOT)
            times.append(time.perf_counter() - t0)
        size = out.stat().st_size / 1e6
        line(label, f"{statistics.median(times):.1f} s", f"{target}; {size:.1f} MB; runs "
             + ", ".join(f"{x:.1f}" for x in times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated sections: " + ", ".join(SECTIONS) + " (pages needs the "
                        "demo exports and takes a few minutes)")
    parser.add_argument("--rows", type=int, default=25_000, help="respondents in the ETL wave (default 25,000)")
    parser.add_argument("--national", action="store_true", help="loads: also build a 2,000-territory × 8-wave "
                        "warehouse (~2 GB, several minutes) and time a publish on it")
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else list(SECTIONS)
    print(f"Maillage benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)")
    with tempfile.TemporaryDirectory(prefix="maillage-bench-") as tmp:
        for name in chosen:
            t0 = time.perf_counter()
            SECTIONS[name](args, Path(tmp))
            print(f"  (section {name}: {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
