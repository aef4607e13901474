"""`maillage export`: the warehouse for researchers (R, Stata, Python).

Writes into OUT:
- `tidy/`: every table of the warehouse (docs/warehouse.md), as CSV or as Parquet; with Parquet
  the per-wave tables are partitioned by wave (`responses/wave_id=2025-1/…parquet`);
- `indicators/`: every indicator table for the whole warehouse, the same numbers the dashboard
  shows (small groups suppressed);
- `panel_wide.csv` / `.parquet`, `panel_wide.dta` (Stata 14 and later) and `panel_wide.sav`
  (SPSS): one row per respondent and wave, one column per scale score, with the respondent's
  metadata. In the .dta and .sav files every coded variable (wave, role, institution, sector,
  territory, level) is an integer code with value labels, and every variable has a label (French,
  or English with `lang="en"`), within Stata's and SPSS's length limits;
- `data_dictionary.csv`: every exported table and column with its type and meaning, and how the
  codes of the .dta/.sav panel map to ids and labels.
Respondents are pseudonymous; free text (activity titles), raw quarantined values and the
warehouse's quarantine messages (which may quote those values) stay in the warehouse unless
`include_free_text` is asked: the exported quarantine messages are rebuilt from the problem, row
and column only. Every CSV cell of text that a spreadsheet would run as a formula starts with an
apostrophe (warehouse.safe_text); Parquet, .dta and .sav keep the values as they are.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl.errors import WarehouseError
from warehouse.db import ALIAS, WarehouseUnavailable, attach_read_only
from warehouse.safe_text import FORMULA_START, neutralise_frame
from warehouse.settings import setting

DOC = Path(__file__).resolve().parent.parent / "docs" / "warehouse.md"

# table → columns left out by default (free text, raw values of quarantined cells)
TIDY_TABLES: dict[str, tuple[str, ...]] = {
    "waves": (),
    "sectors": (),
    "institutions": (),
    "institution_aliases": (),
    "items": (),
    "scales": (),
    "response_labels": (),
    "wave_items": (),
    "respondents": (),
    "responses": (),
    "scale_scores": (),
    "ties": (),
    "activities": ("title",),
    "activity_institutions": (),
    "population_targets": (),
    "loads": (),
    "quarantine": ("value",),
}
PARTITIONED = ("respondents", "responses", "scale_scores", "ties", "wave_items")
QUARANTINE_MESSAGES = ("message", "message_fr")  # may quote the offending value: rebuilt without it

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
CSV_BATCH_ROWS = 100_000  # rows read from DuckDB and written to a CSV at a time
# Written as DuckDB writes them (2025-05-05, 2025-05-05 10:12:00, true, [a, b]), not as pandas would.
CSV_AS_TEXT = ("DATE", "TIME", "TIMESTAMP", "BOOLEAN", "INTERVAL")

# Label limits: Stata variable labels 80 characters; SPSS variable labels 256 bytes, value labels
# 120 bytes (UTF-8); Stata dataset label 80 characters, value labels far longer.
VARIABLE_LABEL_CHARS, VARIABLE_LABEL_BYTES = 80, 256
VALUE_LABEL_CHARS, VALUE_LABEL_BYTES = 120, 120
STATA_VERSION = 14  # writes format 118: Stata 14 and later open it

PANEL_FILE_LABEL = {  # at most 64 bytes (SPSS file label)
    "fr": "Maillage : panel des praticiens (répondant × vague)",
    "en": "Maillage: practitioner panel (respondent × wave)",
}
PANEL_LABELS: dict[str, tuple[str, str]] = {  # column → (French, English) variable label
    "respondent_id": (
        "Pseudonyme du répondant (le même à chaque vague)",
        "Respondent pseudonym (the same in every wave)",
    ),
    "wave_id": ("Vague d'enquête", "Survey wave"),
    "wave_order": ("Rang de la vague (1 = la première)", "Wave order (1 = the first)"),
    "instrument": ("Questionnaire", "Survey instrument"),
    "role": ("Fonction", "Role"),
    "institution_id": ("Structure", "Institution"),
    "sector_id": ("Secteur", "Sector"),
    "territory": ("Territoire", "Territory"),
    "level": ("Niveau d'intervention", "Level of work"),
    "years_in_post": ("Années dans le poste", "Years in post"),
}
# coded panel columns → SPSS measure level
CODED = {
    "wave_id": "ordinal",
    "role": "nominal",
    "institution_id": "nominal",
    "sector_id": "nominal",
    "territory": "nominal",
    "level": "nominal",
}


def _open(db_path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return attach_read_only(db_path)
    except WarehouseUnavailable:
        raise WarehouseError(
            f"No warehouse at {db_path}. Build one with `maillage demo` or `maillage load`, or pass --db."
        ) from None


def _documented_columns() -> dict[str, dict[str, str]]:
    """table → column → description, from docs/warehouse.md (the one documentation of the schema)."""
    tables: dict[str, dict[str, str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### `(\w+)`", line)
        if heading:
            current = heading.group(1)
            tables[current] = {}
            continue
        row = re.match(r"^\| (\w+) \| [A-Z\[\]]+ \| (.*) \|$", line)
        if row and current:
            tables[current][row.group(1)] = row.group(2).strip()
    return tables


def export_tables(
    db_path: Path,
    out: Path,
    fmt: str,
    include_free_text: bool = False,
    indicators: bool = True,
    lang: str | None = None,
) -> list[tuple[Path, int]]:
    """Write the export; return (path, rows) of each file or folder written. `lang` (fr, en;
    default: the `language` setting) is the language of the .dta/.sav labels."""
    language = lang or str(setting("language"))
    if language not in ("fr", "en"):
        raise WarehouseError(f"MAILLAGE_LANGUAGE={language!r} is not a language of the export: use fr or en.")
    conn = _open(db_path)
    out.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, int]] = []
    dictionary: list[dict[str, str]] = []
    docs = _documented_columns()
    try:
        for table, private in TIDY_TABLES.items():
            columns = [c for c in _columns(conn, table) if include_free_text or c[0] not in private]
            rel = _tidy_relation(conn, table, [c for c, _ in columns], include_free_text)
            written.append(_write(rel, out / "tidy", table, fmt, partition=table in PARTITIONED))
            for name, dtype in columns:
                description = docs.get(table, {}).get(name, "")
                if table == "quarantine" and name in QUARANTINE_MESSAGES and not include_free_text:
                    description = QUARANTINE_EXPORT_DESCRIPTION[name]
                dictionary.append({"file": f"tidy/{table}", "column": name, "type": dtype, "description": description})
        panel = _panel_wide(conn)
        written.append(_write(conn.sql("SELECT * FROM panel"), out, "panel_wide", fmt, partition=False))
        labelled = _labelled_panel(conn, panel, language)
        if not panel.empty:
            written += _write_labelled_panel(labelled, out, language)
        for name, dtype in zip(panel.columns, panel.dtypes, strict=True):
            dictionary.append(
                {
                    "file": "panel_wide",
                    "column": str(name),
                    "type": str(dtype),
                    "description": _panel_description(str(name), labelled),
                }
            )
        if indicators:
            written += _write_indicators(conn, out / "indicators", dictionary)
    finally:
        conn.close()
    dict_path = out / "data_dictionary.csv"
    _write_frame_csv(pd.DataFrame(dictionary, columns=["file", "column", "type", "description"]), dict_path)
    written.append((dict_path, len(dictionary)))
    return written


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = ? AND table_name = ? "
        "ORDER BY ordinal_position",
        [ALIAS, table],
    ).fetchall()
    return [(str(a), str(b)) for a, b in rows]


def _tidy_relation(
    conn: duckdb.DuckDBPyConnection, table: str, columns: list[str], include_free_text: bool
) -> duckdb.DuckDBPyRelation:
    """The rows of `table` to export (`table` and `columns` come from the schema, not the user)."""
    if table == "quarantine" and not include_free_text:
        return _quarantine_without_values(conn, columns)
    listed = ", ".join(f'"{c}"' for c in columns)
    return conn.sql(f"SELECT {listed} FROM {table}")


def _write(rel: duckdb.DuckDBPyRelation, folder: Path, name: str, fmt: str, partition: bool) -> tuple[Path, int]:
    folder.mkdir(parents=True, exist_ok=True)
    count = int(rel.aggregate("count(*)").fetchall()[0][0])
    if fmt == "csv":
        path = folder / f"{name}.csv"
        _write_relation_csv(rel, path)
    elif partition and count:
        path = folder / name
        if path.exists():
            shutil.rmtree(path)
        rel.write_parquet(str(path), partition_by=["wave_id"], write_partition_columns=True)
    else:
        path = folder / f"{name}.parquet"
        rel.write_parquet(str(path))
    return path, count


def _write_frame_csv(frame: pd.DataFrame, path: Path, header: bool = True, mode: str = "w") -> None:
    neutralise_frame(frame, header=False).to_csv(path, index=False, header=header, mode=mode)


def _write_relation_csv(rel: duckdb.DuckDBPyRelation, path: Path) -> None:
    """`rel` as UTF-8 CSV (',' separated, '.' decimals) written by DuckDB itself; dates, times,
    booleans and lists in DuckDB's text form, numbers as numbers, text neutralised in SQL (a cell
    that a spreadsheet would run as a formula starts with an apostrophe)."""
    starts = "[" + ", ".join(f"chr({ord(c)})" for c in FORMULA_START) + "]"

    def column(name: str, dtype: str) -> str:
        quoted = '"' + name.replace('"', '""') + '"'
        if not (_written_as_text(dtype) or dtype == "VARCHAR"):
            return quoted
        text = f"CAST({quoted} AS VARCHAR)"
        return f"CASE WHEN list_contains({starts}, left({text}, 1)) THEN chr(39) || {text} ELSE {text} END AS {quoted}"

    projection = ", ".join(column(str(n), str(d)) for n, d in zip(rel.columns, rel.types, strict=True))
    rel.select(projection).write_csv(str(path), header=True)


def _written_as_text(dtype: str) -> bool:
    return dtype.endswith("]") or dtype.startswith(CSV_AS_TEXT)


QUARANTINE_EXPORT_DESCRIPTION = {
    "message": "what was kept out, in English, from problem, scope, row and column (the warehouse's "
    "message, which may quote the value, is exported only with --include-free-text)",
    "message_fr": "the same in French",
}
SCOPE_TEXT = {
    "row": ("row kept out", "ligne mise en quarantaine"),
    "cell": ("answer kept out", "réponse mise en quarantaine"),
    "column": ("every answer of the column kept out", "toutes les réponses de la colonne mises en quarantaine"),
}


def _quarantine_without_values(conn: duckdb.DuckDBPyConnection, columns: list[str]) -> duckdb.DuckDBPyRelation:
    """The quarantine table without the values: the messages are rebuilt from problem, scope, row
    and column, never quoting a cell."""
    kept = [c for c in columns if c not in QUARANTINE_MESSAGES]
    frame = conn.execute(f"SELECT {', '.join(kept)} FROM quarantine").df()  # columns of the schema
    rows = frame[["problem", "scope", "source_row", "column_name"]].itertuples(index=False)
    texts = [_value_free_message(*row) for row in rows]
    if "message" in columns:
        frame["message"] = pd.Series([en for en, _ in texts], index=frame.index, dtype="str")
    if "message_fr" in columns:
        frame["message_fr"] = pd.Series([fr for _, fr in texts], index=frame.index, dtype="str")
    return conn.from_df(frame[columns])


def _value_free_message(problem: str, scope: str, row: object, column: object) -> tuple[str, str]:
    """(English, French) text of a quarantine row from its codes and position only."""
    en_scope, fr_scope = SCOPE_TEXT.get(scope, (scope, scope))
    en_where, fr_where = [], []
    if not pd.isna(row):
        en_where.append(f"row {int(row)}")  # type: ignore[call-overload]
        fr_where.append(f"ligne {int(row)}")  # type: ignore[call-overload]
    if isinstance(column, str) and column:
        en_where.append(f"column “{column}”")
        fr_where.append(f"colonne « {column} »")
    en = f"{problem}: {en_scope}" + (f" ({', '.join(en_where)})" if en_where else "")
    fr = f"{problem} : {fr_scope}" + (f" ({', '.join(fr_where)})" if fr_where else "")
    return (
        en + ". The value is not exported: see the load's validation report.",
        fr + ". La valeur n'est pas exportée : voir le rapport de validation du chargement.",
    )


def _panel_wide(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per respondent × wave (practitioner survey), one column per scale score."""
    scales = [r[0] for r in conn.execute("SELECT DISTINCT scale_id FROM scale_scores ORDER BY 1").fetchall()]
    safe = [re.sub(r"[^a-z0-9_]", "", sid) for sid in scales]  # ids from codebooks, made identifier-safe
    pivots = ", ".join(f"max(s.score) FILTER (WHERE s.scale_id = '{sid}') AS score_{sid}" for sid in safe)
    select = f", {pivots}" if pivots else ""
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE panel AS
        SELECT r.respondent_id, r.wave_id, w.wave_order, r.instrument, r.role, r.institution_id, r.sector_id,
               r.territory, r.level, r.years_in_post{select}
        FROM respondents r JOIN waves w USING (wave_id)
        LEFT JOIN scale_scores s USING (wave_id, instrument, respondent_id)
        WHERE r.instrument = 'practitioner'
        GROUP BY ALL ORDER BY r.respondent_id, w.wave_order
        """
    )
    return conn.execute("SELECT * FROM panel").df()


@dataclass(frozen=True)
class Code:
    code: int
    id: str
    label: str


@dataclass(frozen=True)
class LabelledPanel:
    """The panel for Stata and SPSS: coded columns as integer codes, with labels."""

    frame: pd.DataFrame
    variable_labels: dict[str, str | None]
    codes: dict[str, list[Code]]  # coded column → its codes in order

    def value_labels(self) -> dict[str, dict[int | float, str]]:
        return {column: {c.code: c.label for c in codes} for column, codes in self.codes.items()}


def _shortened(text: str, chars: int, utf8_bytes: int) -> str:
    """`text` cut to at most `chars` characters and `utf8_bytes` bytes, with … when cut."""
    if len(text) <= chars and len(text.encode("utf-8")) <= utf8_bytes:
        return text
    cut = text[: chars - 1]
    while len((cut + "…").encode("utf-8")) > utf8_bytes:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def _number(x: float) -> str:
    return f"{x:g}"


def _scale_label(label: str, low: float | None, high: float | None) -> str:
    """The scale's title with its range, e.g. "Pratiques en réseau (1–5)"; a title that already
    says its range (e.g. "Bien-être (WHO-5, 0–100)") is kept as it is."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return label
    span = f"{_number(low)}–{_number(high)}"
    return label if span in label else f"{label} ({span})"


def _variable_labels(conn: duckdb.DuckDBPyConnection, columns: Iterable[str], lang: str) -> dict[str, str | None]:
    scales = {
        f"score_{re.sub(r'[^a-z0-9_]', '', sid)}": _scale_label(fr if lang == "fr" else en, low, high)
        for sid, fr, en, low, high in conn.execute(
            "SELECT scale_id, label_fr, label_en, score_min, score_max FROM scales WHERE instrument = 'practitioner'"
        ).fetchall()
    }
    labels: dict[str, str | None] = {}
    for column in columns:
        fixed = PANEL_LABELS.get(column)
        text = (fixed[0] if lang == "fr" else fixed[1]) if fixed else scales.get(column, column)
        labels[column] = _shortened(text, VARIABLE_LABEL_CHARS, VARIABLE_LABEL_BYTES)
    return labels


def _numbered(pairs: Iterable[tuple[str, str]], present: Iterable[object]) -> list[Code]:
    """Codes 1, 2, … for the (id, label) pairs in their order, then for ids found in the panel
    but not in the reference (labelled with the id itself), in alphabetical order."""
    known = dict(pairs)
    extra = sorted({str(v) for v in present if isinstance(v, str) and v not in known})
    ids = [*known, *extra]
    return [
        Code(i, id_, _shortened(known.get(id_, id_) or id_, VALUE_LABEL_CHARS, VALUE_LABEL_BYTES))
        for i, id_ in enumerate(ids, start=1)
    ]


def _code_lists(conn: duckdb.DuckDBPyConnection, panel: pd.DataFrame, lang: str) -> dict[str, list[Code]]:
    """Coded column → its codes: waves by wave order, sectors, roles and levels in the order of
    their reference lists, institutions by id, territories alphabetically."""
    pick = 0 if lang == "fr" else 1

    def response_set(name: str) -> list[tuple[str, str]]:
        rows = conn.execute(
            "SELECT code, any_value(label_fr), any_value(label_en) FROM response_labels "
            "WHERE instrument = 'practitioner' AND response_set = ? AND code IS NOT NULL "
            "GROUP BY code ORDER BY min(sort_order), code",
            [name],
        ).fetchall()
        return [(r[0], r[1 + pick]) for r in rows]

    waves = [(r[0], r[0]) for r in conn.execute("SELECT wave_id FROM waves ORDER BY wave_order").fetchall()]
    sectors = [
        (r[0], r[1 + pick])
        for r in conn.execute("SELECT sector_id, label_fr, label_en FROM sectors ORDER BY sort_order").fetchall()
    ]
    institutions = conn.execute("SELECT institution_id, name FROM institutions ORDER BY institution_id").fetchall()
    territories = {t for (t,) in conn.execute("SELECT DISTINCT territory FROM institutions").fetchall() if t}
    if "territory" in panel:
        territories |= {str(t) for t in panel["territory"].dropna()}
    references = {
        "wave_id": waves,
        "role": response_set("roles"),
        "institution_id": [(str(a), str(b)) for a, b in institutions],
        "sector_id": sectors,
        "territory": [(t, t) for t in sorted(territories, key=str.casefold)],
        "level": response_set("levels"),
    }
    return {column: _numbered(pairs, panel[column]) for column, pairs in references.items() if column in panel}


def _labelled_panel(conn: duckdb.DuckDBPyConnection, panel: pd.DataFrame, lang: str) -> LabelledPanel:
    codes = _code_lists(conn, panel, lang)
    frame = panel.copy()
    for column, listed in codes.items():
        mapping = {c.id: c.code for c in listed}
        frame[column] = panel[column].map(mapping).astype("Int64")
    return LabelledPanel(frame, _variable_labels(conn, panel.columns, lang), codes)


def _write_labelled_panel(panel: LabelledPanel, out: Path, lang: str) -> list[tuple[Path, int]]:
    """panel_wide.dta (Stata 14+) and panel_wide.sav (SPSS), with variable and value labels."""
    import pyreadstat

    file_label = PANEL_FILE_LABEL[lang]
    value_labels = panel.value_labels()
    stata, spss = out / "panel_wide.dta", out / "panel_wide.sav"
    pyreadstat.write_dta(
        panel.frame, stata, file_label=file_label, column_labels=panel.variable_labels, version=STATA_VERSION,
        variable_value_labels=value_labels,
    )  # fmt: skip
    measure = {c: CODED.get(c, "scale") for c in panel.frame.columns if c not in ("respondent_id", "instrument")}
    pyreadstat.write_sav(
        panel.frame, spss, file_label=file_label, column_labels=panel.variable_labels,
        variable_value_labels=value_labels, variable_measure=measure,
    )  # fmt: skip
    return [(stata, len(panel.frame)), (spss, len(panel.frame))]


def _panel_description(column: str, labelled: LabelledPanel) -> str:
    if column.startswith("score_"):
        text = f"score on scale {column[6:]} (see tidy/scales: rule, range; NULL when too few items answered)"
    else:
        text = f"see tidy/respondents.{column}" if column != "wave_order" else "see tidy/waves.wave_order"
    codes = labelled.codes.get(column)
    if codes:
        listed = "; ".join(f"{c.code} = {c.id}" + (f" ({c.label})" if c.label != c.id else "") for c in codes)
        text += f". In panel_wide.dta and panel_wide.sav: an integer code with value labels: {listed}"
    label = labelled.variable_labels.get(column)
    if label and label != column:
        text += f". Variable label: {label}"
    return text


def _write_indicators(
    conn: duckdb.DuckDBPyConnection, folder: Path, dictionary: list[dict[str, str]]
) -> list[tuple[Path, int]]:
    from indicators.tables import indicator_tables

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    cur = conn.cursor()
    cur.execute(f"USE {ALIAS}")
    for name, frame in indicator_tables(cur).items():
        path = folder / f"{name}.csv"
        _write_frame_csv(frame, path)
        written.append((path, len(frame)))
        for column, dtype in zip(frame.columns, frame.dtypes, strict=True):
            dictionary.append(
                {
                    "file": f"indicators/{name}",
                    "column": str(column),
                    "type": str(dtype),
                    "description": "see docs/indicators.md",
                }
            )
    return written
