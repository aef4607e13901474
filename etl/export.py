"""`maillage export`: the warehouse for researchers (R, Stata, Python).

Row-level data about respondents never leaves by default. Writes into OUT:
- `tidy/`: the tables of the warehouse (docs/warehouse.md) that hold no row per respondent
  (waves, reference lists, items and scales, invited population, loads, joint actions without
  their free-text titles, quarantine without values), as CSV or as Parquet;
- with `microdata` (`maillage export --microdata`, for a researcher who asked for it): also the
  respondents, their answers, scale scores and reported ties, pseudonymised again for this export
  (pseudonyms that match no other export) and k-anonymous: quasi-identifiers coarsened (years in
  post in bands, institution → sector, role, level, territory, in that order, only where a
  combination is shared by fewer than min_group_size respondents of a wave), checked and reported
  (`microdata_report.csv`), and the export recorded in the warehouse (`exports`). With Parquet
  the per-wave tables are partitioned by wave (`responses/wave_id=2025-1/…parquet`);
- `indicators/`: every indicator table for the whole warehouse, the same numbers the dashboard
  shows (small groups suppressed);
- with `microdata`, `panel_wide.csv` / `.parquet`, `panel_wide.dta` (Stata 14 and later) and `panel_wide.sav`
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

import datetime as dt
import re
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from etl.errors import WarehouseError
from warehouse.db import ALIAS, OutdatedWarehouse, WarehouseUnavailable, attach_read_only, require_current_schema
from warehouse.safe_text import FORMULA_START, neutralise_frame
from warehouse.settings import min_group_size, setting

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
# tables with a row per respondent: exported only as anonymised microdata, from these temp tables
MICRODATA = {
    "respondents": "export_respondents", "responses": "export_responses",
    "scale_scores": "export_scale_scores", "ties": "export_ties",
}
MICRODATA_COLUMNS = {
    "years_in_post_band": "years in post, in bands (0–1, 2–4, 5–9, 10+); * = grouped (k-anonymity)",
}
GROUPED_EXPORT = "*"  # a coarsened quasi-identifier: not shown at this level of detail
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
    "years_in_post_band": ("Années dans le poste (tranche)", "Years in post (band)"),
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
        conn = attach_read_only(db_path)
    except WarehouseUnavailable:
        raise WarehouseError(
            f"No warehouse at {db_path}. Build one with `maillage demo` or `maillage load`, or pass --db."
        ) from None
    try:
        require_current_schema(conn, db_path)
    except OutdatedWarehouse as exc:
        conn.close()
        raise WarehouseError(str(exc)) from None
    return conn


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
    microdata: bool = False,
    report: list[str] | None = None,
) -> list[tuple[Path, int]]:
    """Write the export; return (path, rows) of each file or folder written. `lang` (fr, en;
    default: the `language` setting) is the language of the .dta/.sav labels. `microdata`: also
    the anonymised respondent-level tables (module docstring); `report` receives the lines that
    say what the microdata contain and how they were coarsened."""
    language = lang or str(setting("language"))
    if language not in ("fr", "en"):
        raise WarehouseError(f"MAILLAGE_LANGUAGE={language!r} is not a language of the export: use fr or en.")
    conn = _open(db_path)
    out.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, int]] = []
    dictionary: list[dict[str, str]] = []
    docs = _documented_columns()
    anonymised: Anonymised | None = None
    try:
        if microdata:
            anonymised = anonymise_microdata(conn, min_group_size())
            if report is not None:
                report.extend(anonymised.lines)
            written.append(_write(conn.from_df(anonymised.report), out, "microdata_report", fmt, partition=False))
        for table, private in TIDY_TABLES.items():
            if table in MICRODATA and anonymised is None:
                continue  # row-level data about respondents: only with --microdata
            source = MICRODATA.get(table, table)
            columns = [c for c in _columns(conn, source) if include_free_text or c[0] not in private]
            rel = _tidy_relation(conn, source, [c for c, _ in columns], include_free_text)
            written.append(_write(rel, out / "tidy", table, fmt, partition=table in PARTITIONED))
            for name, dtype in columns:
                description = docs.get(table, {}).get(name, "") or MICRODATA_COLUMNS.get(name, "")
                if table == "quarantine" and name in QUARANTINE_MESSAGES and not include_free_text:
                    description = QUARANTINE_EXPORT_DESCRIPTION[name]
                dictionary.append({"file": f"tidy/{table}", "column": name, "type": dtype, "description": description})
        if anonymised is not None:
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
    if anonymised is not None:
        record_export(db_path, anonymised, fmt)
    dict_path = out / "data_dictionary.csv"
    _write_frame_csv(pd.DataFrame(dictionary, columns=["file", "column", "type", "description"]), dict_path)
    written.append((dict_path, len(dictionary)))
    return written


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """(name, type) of the columns of `table`: a warehouse table or an export_* temp table (names
    from this module, not from the user)."""
    rows = conn.execute(f"DESCRIBE {table}").fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


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
    """One row per respondent × wave of the survey instruments (``instrument_kinds``), one column
    per scale score under the indicators' scale ids (``survey_scales``: a WHO-5 is score_who5
    whatever its codebook calls it)."""
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE export_survey_scores AS SELECT s.wave_id, s.instrument, s.respondent_id, "
        "m.scale_id, s.score FROM export_scale_scores s "
        "JOIN survey_scales m ON m.instrument = s.instrument AND m.instrument_scale_id = s.scale_id"
    )
    scales = [r[0] for r in conn.execute("SELECT DISTINCT scale_id FROM export_survey_scores ORDER BY 1").fetchall()]
    safe = [re.sub(r"[^a-z0-9_]", "", sid) for sid in scales]  # ids from codebooks, made identifier-safe
    pivots = ", ".join(f"max(s.score) FILTER (WHERE s.scale_id = '{sid}') AS score_{sid}" for sid in safe)
    select = f", {pivots}" if pivots else ""
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE panel AS
        SELECT r.respondent_id, r.wave_id, w.wave_order, r.instrument, r.role, r.institution_id, r.sector_id,
               r.territory, r.level, r.years_in_post_band{select}
        FROM export_respondents r JOIN waves w USING (wave_id)
        LEFT JOIN export_survey_scores s USING (wave_id, instrument, respondent_id)
        WHERE r.instrument IN (SELECT instrument FROM instrument_kinds WHERE kind = 'survey')
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
            "SELECT scale_id, any_value(label_fr), any_value(label_en), min(score_min), max(score_max) "
            "FROM survey_scales GROUP BY scale_id"
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
            "WHERE instrument IN (SELECT instrument FROM instrument_kinds WHERE kind = 'survey') "
            "AND response_set = ? AND code IS NOT NULL "
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
    grouped = (GROUPED_EXPORT, "groupé (anonymisation)" if lang == "fr" else "grouped (anonymisation)")
    references = {column: [*pairs, grouped] for column, pairs in references.items() if column != "wave_id"} | {
        "wave_id": references["wave_id"]
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


# --------------------------------------------------------------------------- microdata


@dataclass(frozen=True)
class Anonymised:
    """What the anonymisation of the microdata did (the temp tables export_* hold the data)."""

    min_group_size: int
    rows: int
    smallest_class: int
    dropped: int
    coarsened: dict[str, int]  # quasi-identifier → rows published coarser than as answered
    report: pd.DataFrame  # one row per instrument × wave
    lines: list[str]


QUASI_IDENTIFIERS = ("years", "role", "level", "institution", "territory")  # coarsened in this order


def anonymise_microdata(conn: duckdb.DuckDBPyConnection, k: int) -> Anonymised:
    """Create the temp tables export_respondents, export_responses, export_scale_scores and
    export_ties: respondents k-anonymous on their quasi-identifiers within each instrument × wave
    (indicators.disclosure.generalise: years in post band → grouped, role, level, institution →
    sector → grouped, territory), pseudonyms replaced by pseudonyms of this export only, free
    timestamps and file row numbers left out; respondents of a wave with fewer than k are left out.
    """
    from indicators.disclosure import GROUPED, Hierarchy, generalise

    band = (
        "CASE WHEN years_in_post IS NULL THEN NULL WHEN years_in_post < 2 THEN '0–1' "
        "WHEN years_in_post < 5 THEN '2–4' WHEN years_in_post < 10 THEN '5–9' ELSE '10+' END"
    )
    conn.execute(f"CREATE OR REPLACE TEMP TABLE export_qi AS SELECT *, {band} AS years_band FROM respondents")
    keys = ["years_band", "role", "level", "institution_id", "sector_id", "territory"]
    counts = conn.execute(
        f"SELECT instrument, wave_id, {', '.join(keys)}, count(*) AS n FROM export_qi GROUP BY ALL ORDER BY ALL"
    ).df()
    hierarchies = [
        Hierarchy("years", ("years_band",)), Hierarchy("role", ("role",)), Hierarchy("level", ("level",)),
        Hierarchy("institution", ("institution_id", "sector_id")), Hierarchy("territory", ("territory",)),
    ]
    classes = generalise(counts, ["instrument", "wave_id"], hierarchies, k)
    inst_level = classes["level_institution"]
    classes["pub_years"] = classes["g_years"]
    classes["pub_role"] = classes["g_role"]
    classes["pub_level"] = classes["g_level"]
    classes["pub_institution"] = np.where(inst_level == 0, classes["institution_id"], GROUPED_EXPORT)
    classes["pub_sector"] = np.where(inst_level <= 1, classes["sector_id"], GROUPED_EXPORT)
    classes["pub_territory"] = classes["g_territory"]
    for column in ("pub_years", "pub_role", "pub_level", "pub_territory"):
        classes[column] = classes[column].where(classes[column] != GROUPED, GROUPED_EXPORT)
    mapping = classes[["instrument", "wave_id", *keys, "publishable", *[c for c in classes if c.startswith("pub_")]]]
    conn.register("export_classes", mapping)
    salt = secrets.token_hex(16)  # never stored: these pseudonyms match no other export
    on = " AND ".join(f"c.{c} IS NOT DISTINCT FROM q.{c}" for c in keys)
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE export_people AS
        SELECT q.wave_id, q.instrument, q.respondent_id,
               'X' || left(sha256(? || q.respondent_id), 16) AS export_id, q.load_id,
               c.pub_role AS role, c.pub_institution AS institution_id, c.pub_sector AS sector_id,
               c.pub_territory AS territory, c.pub_level AS level, c.pub_years AS years_in_post_band,
               c.publishable
        FROM export_qi q JOIN export_classes c ON c.instrument = q.instrument AND c.wave_id = q.wave_id AND {on}
        """,
        [salt],
    )
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE export_respondents AS SELECT wave_id, instrument, export_id AS respondent_id, "
        "load_id, role, institution_id, sector_id, territory, level, years_in_post_band FROM export_people "
        "WHERE publishable"
    )
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE export_scale_scores AS SELECT s.wave_id, s.instrument, "
        "p.export_id AS respondent_id, s.scale_id, s.score, s.n_items_answered, s.n_items_asked, s.load_id "
        "FROM scale_scores s JOIN export_people p USING (wave_id, instrument, respondent_id) WHERE p.publishable"
    )
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE export_responses AS SELECT x.wave_id, x.instrument, "
        "p.export_id AS respondent_id, x.item_id, x.value, x.load_id "
        "FROM responses x JOIN export_people p USING (wave_id, instrument, respondent_id) WHERE p.publishable"
    )
    # a practitioner's reported tie starts from their own institution: published as coarsely as they are
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE export_ties AS SELECT t.wave_id, t.source, p.export_id AS rater_respondent_id, "
        "CASE WHEN t.source = 'practitioner_survey' THEN coalesce(p.institution_id, p.sector_id) "
        "ELSE t.from_institution_id END AS from_institution_id, t.to_institution_id, t.collaboration_level, "
        "t.trust, t.value, t.frequency_per_month, t.load_id "
        "FROM network_ties t JOIN export_people p ON p.wave_id = t.wave_id AND p.respondent_id = t.rater_respondent_id "
        "WHERE p.publishable"
    )
    return _anonymisation_report(conn, classes, k)


def _anonymisation_report(conn: duckdb.DuckDBPyConnection, classes: pd.DataFrame, k: int) -> Anonymised:
    """Check the k-anonymity of the exported respondents and say what was coarsened."""
    published = ["role", "institution_id", "sector_id", "territory", "level", "years_in_post_band"]
    check = conn.execute(
        f"SELECT instrument, wave_id, min(n) AS smallest_class, sum(n) AS rows, count(*) AS classes FROM ("
        f"SELECT instrument, wave_id, {', '.join(published)}, count(*) AS n FROM export_respondents GROUP BY ALL"
        ") GROUP BY ALL ORDER BY ALL"
    ).df()
    levels = {"years": 0, "role": 0, "level": 0, "institution": 0, "territory": 0}
    coarsened = {
        q: int(classes.loc[classes[f"level_{q}"] > levels[q], "n"].sum()) for q in QUASI_IDENTIFIERS
    }
    dropped = int(classes.loc[~classes["publishable"], "n"].sum())
    rows = int(check["rows"].sum()) if len(check) else 0
    smallest = int(check["smallest_class"].min()) if len(check) else 0
    if len(check) and smallest < k:  # never expected: generalise guarantees it
        raise WarehouseError(f"microdata export refused: a combination of quasi-identifiers has {smallest} < {k} rows")
    per_wave = classes.assign(
        **{f"coarsened_{q}": np.where(classes[f"level_{q}"] > 0, classes["n"], 0) for q in QUASI_IDENTIFIERS}
    ).groupby(["instrument", "wave_id"], as_index=False)[[f"coarsened_{q}" for q in QUASI_IDENTIFIERS]].sum()
    report = check.merge(per_wave, on=["instrument", "wave_id"], how="right").fillna({"rows": 0, "classes": 0})
    names = {"years": "years in post (band)", "role": "role", "level": "level", "institution": "institution",
             "territory": "territory"}
    lines = [
        f"Microdata: {rows} respondent-waves (pseudonyms of this export only), their answers, scale scores and "
        "reported ties; no timestamps, file rows or free text.",
        f"k-anonymity checked: every combination of role, institution, sector, territory, level and years in post "
        f"(band) is shared by at least {k} rows of its wave (smallest: {smallest}).",
        "Coarsened to reach it: " + ", ".join(f"{names[q]} {n} rows" for q, n in coarsened.items()) + ".",
    ]
    if dropped:
        lines.append(f"Left out: {dropped} respondent-waves of waves with fewer than {k} respondents.")
    lines.append("Pseudonyms link the waves of one person: a rare sequence of answers across waves can still single "
                 "someone out; share the files only with people bound to confidentiality.")
    return Anonymised(k, rows, smallest, dropped, coarsened, report, lines)


def record_export(db_path: Path, anonymised: Anonymised, fmt: str) -> None:
    """Add the microdata export to the warehouse's `exports` table (one transaction, like a load)."""
    from warehouse.db import publish, writer_lock

    now = dt.datetime.now().replace(microsecond=0)
    coarsened = "; ".join(f"{q} {n}" for q, n in anonymised.coarsened.items())

    def build(conn: duckdb.DuckDBPyConnection) -> None:
        conn.execute(
            "INSERT INTO exports SELECT coalesce(max(export_id), 0) + 1, ?, 'microdata', ?, ?, ?, ?, ?, ? FROM exports",
            [now, fmt, anonymised.min_group_size, anonymised.rows, anonymised.smallest_class, coarsened,
             anonymised.dropped],
        )

    with writer_lock(db_path):
        publish(db_path, build)
