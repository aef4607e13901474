"""What the user reads after a load: the console summary, the CSV report, `maillage status`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from warehouse.db import OutdatedWarehouse, WarehouseUnavailable, attach_read_only, require_current_schema
from warehouse.safe_text import neutralise_frame

REPORT_COLUMNS = ["file", "row", "column", "value", "problem", "action", "message", "message_fr"]
ACTIONS = {
    "file": "file refused",
    "row": "row quarantined",
    "cell": "cell quarantined",
    "column": "column not loaded",
    "warning": "warning",
}
ACTIONS_FR = {  # as the dashboard says them (ui/texts/quality.py, quality.scope.*)
    "file": "fichier refusé",
    "row": "ligne écartée",
    "cell": "réponse écartée",
    "column": "colonne non chargée",
    "warning": "avertissement",
}
SHOWN = 12


def default_report_path(db_path: Path, file: Path, wave: str | None) -> Path:
    """reports/<file>.<wave>.report.csv beside the warehouse; both names made safe (no folder part,
    no '..'), so that a report is never written elsewhere."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", file.stem).lstrip(".") or "export"
    safe_wave = re.sub(r"[^A-Za-z0-9_-]+", "_", wave) if wave else ""
    suffix = f".{safe_wave}" if safe_wave else ""
    return db_path.parent / "reports" / f"{stem}{suffix}.report.csv"


def french_messages(problems: pd.DataFrame) -> pd.Series:
    """The French message of each problem (the English one where a problem has none)."""
    if "message_fr" not in problems.columns:
        return problems["message"]
    fr = problems["message_fr"].astype("object")
    return fr.where(fr.notna() & (fr.astype(str) != ""), problems["message"])


def write_report(path: Path, file_name: str, problems: pd.DataFrame, lang: str = "en") -> Path:
    """The validation report: one line per problem; `;`-separated UTF-8 with BOM (French Excel).

    The columns are the same in both languages (file, row, column, value, problem, action,
    message, message_fr): `message` is English, `message_fr` French; `lang="fr"` writes the
    `action` column in French (the dashboard's report), "en" in English (the command line's).
    This full report is the only place besides the quarantine table that holds the rejected
    values; text cells a spreadsheet would run as formulas are neutralised (warehouse.safe_text)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if len(problems):
        actions = ACTIONS_FR if lang == "fr" else ACTIONS
        df = pd.DataFrame(
            {
                "file": file_name,
                "row": problems["source_row"].astype("Int64"),
                "column": problems["column_name"],
                "value": problems["value"],
                "problem": problems["problem"],
                "action": problems["scope"].map(actions).fillna(problems["scope"]),
                "message": problems["message"],
                "message_fr": french_messages(problems),
            }
        )
    else:
        df = pd.DataFrame(columns=REPORT_COLUMNS)
    neutralise_frame(df).to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    return path


def _problem_line(p: dict[str, Any], lang: str = "en") -> str:
    where = []
    if pd.notna(p.get("source_row")):
        where.append(f"row {int(p['source_row'])}" if lang == "en" else f"ligne {int(p['source_row'])}")
    if isinstance(p.get("column_name"), str):
        where.append(f"column “{p['column_name']}”" if lang == "en" else f"colonne « {p['column_name']} »")
    prefix = ", ".join(where)
    message = p.get("message_fr") if lang == "fr" and isinstance(p.get("message_fr"), str) else p["message"]
    return f"  - {prefix + (': ' if lang == 'en' else ' : ') if prefix else ''}{message}"


_HEADS = {
    "en": {"loaded": "Loaded", "unchanged": "Unchanged", "dry-run": "Dry run (nothing written)"},
    "fr": {"loaded": "Chargé", "unchanged": "Inchangé", "dry-run": "Essai (rien n'a été écrit)"},
}


def summary_lines(result: Any, report: Path | None, lang: str = "en") -> list[str]:
    """The console summary of a load, in English (the command line) or French (`lang="fr"`)."""
    fr = lang == "fr"
    if result.wave_id:
        what = f"vague {result.wave_id}" if fr else f"wave {result.wave_id}"
    else:
        what = result.kind.replace("_", " ")
    notes = result.notes_in(lang) if hasattr(result, "notes_in") else result.notes
    if fr:
        lines = [f"{_HEADS['fr'][result.status]} : {result.file_name} → {what} ({' ; '.join(notes)})"]
    else:
        lines = [f"{_HEADS['en'][result.status]}: {result.file_name} → {what} ({'; '.join(notes)})"]
    if result.status == "unchanged":
        lines.append(
            "  Ce fichier exact est déjà chargé pour cette vague : rien n'a changé."
            if fr
            else "  This exact file is already loaded for this wave: nothing changed."
        )
    else:
        if fr:
            verb = "chargerait" if result.status == "dry-run" else "chargé :"
            seconds = f"{result.seconds:.2f}".replace(".", ",")
            lines.append(
                f"  {verb} {result.rows_loaded} ligne(s) sur {result.rows_read} ; {result.rows_quarantined} "
                f"ligne(s) et {result.cells_quarantined} réponse(s) écartées ; {result.warnings} "
                f"avertissement(s) ; {seconds} s"
            )
        else:
            verb = "would load" if result.status == "dry-run" else "loaded"
            lines.append(
                f"  {verb} {result.rows_loaded} of {result.rows_read} rows; "
                f"{result.rows_quarantined} row(s) and {result.cells_quarantined} cell(s) quarantined; "
                f"{result.warnings} warning(s); {result.seconds:.2f} s"
            )
        if result.replaced_load_ids:
            ids = ", ".join(f"#{i}" for i in result.replaced_load_ids)
            if fr:
                verb = "remplacerait" if result.status == "dry-run" else "a remplacé"
                lines.append(f"  {verb} le chargement {ids} (même questionnaire, même vague)")
            else:
                verb = "would replace" if result.status == "dry-run" else "replaced"
                lines.append(f"  {verb} load {ids} (same instrument and wave)")
        lines += _attention_lines(result, fr)
    problems = result.problems
    if len(problems) and result.status != "unchanged":
        for p in problems.head(SHOWN).to_dict("records"):
            lines.append(_problem_line(p, lang))
        if len(problems) > SHOWN:
            more = len(problems) - SHOWN
            lines.append(f"  … et {more} autre(s) dans le rapport" if fr else f"  … and {more} more in the report")
    if report is not None:
        lines.append(f"Rapport : {report}" if fr else f"Report: {report}")
    return lines


def _attention_lines(result: Any, fr: bool) -> list[str]:
    """What the loader must not miss: a file that is a wave already loaded, scales whose items changed."""
    out: list[str] = []
    for w in getattr(result, "similar_waves", []):
        wave = w.wave_id or "-"
        if w.same_file:
            out.append(
                f"  ATTENTION : fichier identique à {w.file_name}, déjà chargé comme vague {wave} (n° {w.load_id})"
                if fr
                else f"  WARNING: the same file as {w.file_name}, already loaded as wave {wave} (#{w.load_id})"
            )
        else:
            out.append(
                f"  ATTENTION : {w.matching} des {w.respondents} répondants ont exactement les mêmes réponses qu'à "
                f"la vague {wave} (n° {w.load_id}) : est-ce bien une nouvelle vague ?"
                if fr
                else f"  WARNING: {w.matching} of {w.respondents} respondents have exactly the same answers as in "
                f"wave {wave} (#{w.load_id}): is this really a new wave?"
            )
    for c in getattr(result, "scale_changes", []):
        changes = ([f"+{i}" for i in c.added]) + [f"-{i}" for i in c.dropped]
        out.append(
            f"  Échelle {c.scale_id} : items changés par rapport aux vagues {', '.join(c.waves)} "
            f"(version {', '.join(c.versions)}) : {' '.join(changes)}"
            if fr
            else f"  Scale {c.scale_id}: items changed compared with waves {', '.join(c.waves)} "
            f"(version {', '.join(c.versions)}): {' '.join(changes)}"
        )
    return out


def status_lines(db_path: Path) -> list[str]:
    from etl.errors import WarehouseError

    try:
        conn = attach_read_only(db_path)
    except WarehouseUnavailable:
        raise WarehouseError(
            f"No warehouse at {db_path}. Create one with `maillage init` or build the demo with "
            "`maillage demo` (or pass --db)."
        ) from None
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        lines = [
            f"Warehouse {db_path} (schema {meta.get('schema_version')}, version "
            f"{meta.get('warehouse_version')}{', DEMO DATA' if meta.get('is_demo') == 'true' else ''})",
        ]
        try:
            require_current_schema(conn, db_path)
        except OutdatedWarehouse as exc:
            lines.append(str(exc))
            return lines
        n_inst = conn.execute("SELECT count(*) FROM institutions").fetchall()[0][0]
        n_act = conn.execute("SELECT count(*) FROM activities").fetchall()[0][0]
        lines.append(f"Institutions: {n_inst}    Activities: {n_act}")
        lines += wave_table_lines(conn)
        loads = conn.execute(
            """
            SELECT load_id, finished_at, file_name, instrument, codebook_version, wave_id, rows_loaded,
                   rows_read, rows_quarantined, cells_quarantined
            FROM loads WHERE status = 'current' ORDER BY load_id DESC LIMIT 10
            """
        ).fetchall()
        lines.append("Last loads:")
        if not loads:
            lines.append("  none yet: maillage load FILE --instrument NAME --wave ID")
        for lid, when, name, inst, ver, wave, ok, read, rq, cq in loads:
            lines.append(
                f"  #{lid:<3} {when:%d/%m/%Y %H:%M}  {name}  {inst}@{ver} {wave or '-'}  "
                f"{ok}/{read} rows, {rq} rows and {cq} cells quarantined"
            )
        quarantine = conn.execute(
            """
            SELECT q.problem, q.scope, count(*) FROM quarantine q
            JOIN loads l ON l.load_id = q.load_id AND l.status = 'current'
            GROUP BY ALL ORDER BY 3 DESC
            """
        ).fetchall()
        total = sum(r[2] for r in quarantine)
        lines.append(f"Quarantine: {total} problem(s)" + (":" if total else ""))
        for problem, scope, n in quarantine:
            lines.append(f"  {n:>5}  {problem} ({ACTIONS.get(scope, scope)})")
    finally:
        conn.close()
    return lines


def _loaded(rows: int, when: Any, unit: str = "") -> str:
    """« 232 · 02/12/2026 » for an instrument loaded in a wave, « not loaded » otherwise."""
    if not rows or when is None or pd.isna(when):
        return "not loaded"
    return f"{rows}{unit} · {pd.Timestamp(when):%d/%m/%Y}"


def wave_table_lines(conn: Any) -> list[str]:
    """Per wave, which instruments are loaded (rows · date of the load), the ties present, and
    the activity log's months: an officer sees at a glance what a wave is still waiting for."""
    from indicators.availability import activity_span, inventory

    inv = inventory(conn)
    lines = [f"Waves: {len(inv)}"]
    if len(inv):
        lines.append(
            f"  {'wave':<10} {'fieldwork':<23} {'practitioner survey':<21} {'partner survey':<21} "
            f"{'targets':<21} ties"
        )
    for r in inv.itertuples():
        dates = (
            f"{pd.Timestamp(r.first_date):%d/%m/%Y}–{pd.Timestamp(r.last_date):%d/%m/%Y}"
            if not pd.isna(r.first_date) and not pd.isna(r.last_date)
            else "no dates"
        )
        sources = [name for name, present in (("partner", r.partner_survey_ties),
                                              ("practitioner", r.practitioner_survey_ties)) if present]
        lines.append(
            f"  {r.wave_id:<10} {dates:<23} {_loaded(r.practitioner_rows, r.practitioner_loaded_at):<21} "
            f"{_loaded(r.partner_rows, r.partner_loaded_at):<21} "
            f"{_loaded(r.targets_rows, r.targets_loaded_at, ' rows'):<21} {', '.join(sources) or '-'}"
        )
    span = activity_span(conn)
    if span is None:
        lines.append("Activity log: not loaded")
    else:
        when = f", loaded {span.loaded_at:%d/%m/%Y %H:%M}" if span.loaded_at else ""
        lines.append(
            f"Activity log: {span.first_month:%m/%Y}–{span.last_month:%m/%Y} ({span.months} months, "
            f"{span.actions} actions){when}"
        )
    return lines
