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
    raise ValueError(f"unknown task {task}")
