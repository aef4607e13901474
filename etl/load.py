"""Load stage, and the pipeline that runs every stage for one file.

`load_file` = read → map → validate → pseudonymise → write, in one transaction on a copy of the
warehouse that replaces the live file only when everything succeeded (warehouse.db.publish).
Loading the same file twice changes nothing; loading a corrected file for a wave replaces that
wave's rows of that instrument in one step.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import validate as v
from etl.codebook import Codebook, codebook_versions, definition_json, scan_codebooks
from etl.errors import FileRefused, WarehouseError
from etl.map import (
    InstitutionIndex,
    Mapping,
    institution_index,
    long_values_sql,
    resolve_columns,
    stage_fields,
    stage_institution_spellings,
    stage_labels,
    stage_roster_lists,
    stage_rows,
    stage_values,
)
from etl.normalize import install_macros
from etl.pseudonymise import default_secret_path, key_fingerprint, load_or_create_secret, pseudonyms
from etl.read import RawExport, read_export, sheets_with_data
from warehouse.db import (
    ALIAS,
    WarehouseUnavailable,
    apply_schema,
    attach_read_only,
    fetch_one,
    meta_value,
    publish,
    resolve_db_path,
    set_meta,
    writer_lock,
)

SURVEY_KINDS = ("survey", "partner_survey")


@dataclass
class LoadResult:
    file_name: str
    sha256: str
    instrument: str
    codebook_version: str
    kind: str
    wave_id: str | None
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    cells_quarantined: int
    warnings: int
    status: str  # loaded | unchanged | dry-run
    problems: pd.DataFrame
    notes: list[str] = field(default_factory=list)  # what was read (English)
    load_id: int | None = None
    replaced_load_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0
    report_path: Path | None = None
    notes_fr: list[str] = field(default_factory=list)  # the same notes in French
    # Already loaded waves whose content this file matches (the same file, or most respondents with
    # the same answers): a warning for the load page, also in `problems` (problem `same_as_loaded_wave`).
    similar_waves: list[SimilarWave] = field(default_factory=list)
    # Scales whose items differ from the waves already loaded (also in `problems`: `scale_items_changed`).
    scale_changes: list[ScaleChange] = field(default_factory=list)

    def notes_in(self, lang: str) -> list[str]:
        """The read summary in `lang` ("fr": French, else English)."""
        return self.notes_fr if lang == "fr" and self.notes_fr else self.notes


@dataclass(frozen=True)
class SimilarWave:
    """An already loaded wave (of the same instrument) whose content this file matches."""

    wave_id: str | None
    load_id: int
    file_name: str
    same_file: bool  # the very same bytes
    matching: int  # respondents of this file found in that wave with the same answers
    respondents: int  # respondents of this file


@dataclass(frozen=True)
class ScaleChange:
    """A scale asked with other items than in already loaded waves."""

    scale_id: str
    added: tuple[str, ...]  # items in this file, not in those waves
    dropped: tuple[str, ...]  # items in those waves, not in this file
    waves: tuple[str, ...]  # the waves compared with (same item set among them)
    versions: tuple[str, ...]  # the codebook versions those waves were loaded with


class _Unchanged(Exception):
    def __init__(self, result: LoadResult) -> None:
        super().__init__("unchanged")
        self.result = result


@dataclass
class Staged:
    raw: RawExport
    book: Codebook
    mapping: Mapping
    index: InstitutionIndex
    wave_id: str | None
    n_data_rows: int
    notes: list[str]
    notes_fr: list[str] = field(default_factory=list)
    versions: list[Codebook] = field(default_factory=list)  # every version of the instrument
    scale_changes: list[ScaleChange] = field(default_factory=list)


# --- Stage (read → map → validate) -------------------------------------------------------------


def _choose_version(
    conn: duckdb.DuckDBPyConnection, raw: RawExport, books: list[Codebook], index: InstitutionIndex
) -> Mapping:
    """The codebook version whose columns match the file best (the newest on a tie)."""
    best: Mapping | None = None
    for book in books:
        mapping = resolve_columns(conn, raw, book, index)
        score = (mapping.recognised, -len(mapping.missing_items))
        if best is None or score >= (best.recognised, -len(best.missing_items)):
            best = mapping
    assert best is not None
    return best


def stage_file(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    instrument: str,
    wave: str | None,
    sheet: str | None = None,
    encoding: str | None = None,
    surveys: Sequence[Path] | None = None,
) -> Staged:
    """Read, map and validate `path` inside `conn` (where the warehouse is attached as `wh`)."""
    install_macros(conn)
    v.check_names(wave, instrument)
    books = codebook_versions(instrument, surveys)
    raw = read_export(conn, path, sheet=sheet, encoding=encoding)
    index = institution_index(conn, ALIAS)
    mapping = _choose_version(conn, raw, books, index)
    book = mapping.book
    n_data_rows = raw.n_rows - mapping.header_rows
    notes = [*raw.notes, f"codebook {book.label}", f"{mapping.header_rows} header row(s)"]
    notes_fr = [*(raw.notes_fr or raw.notes), f"dictionnaire {book.label}", f"{mapping.header_rows} ligne(s) d'en-tête"]
    v.create_problems_table(conn)
    problems = v.file_problems(mapping, n_data_rows, wave, index)
    if book.kind in SURVEY_KINDS and v.too_few_recognised(mapping):
        best = _best_other_instrument(conn, raw, book.name, index, mapping.recognised, surveys)
        if v.questions_found(mapping) > 0 or best is not None:
            problems.append(v.wrong_instrument_problem(mapping, best))
    if raw.file_format == "xlsx" and any(p.scope == "file" for p in problems):
        problems += _other_sheets_problem(raw)
    v.raise_if_refused(problems, path.name)
    v.add_problems(conn, v.ragged_problems(raw.ragged, raw.width, raw.cut_row, mapping.header_rows))
    v.add_problems(conn, v.column_problems(mapping, index))
    v.add_problems(conn, v.mapping_warnings(mapping))
    stage_labels(conn, book)
    stage_institution_spellings(conn, index)
    stage_values(conn, mapping)
    stage_rows(conn, mapping)
    v.add_problems(conn, v.mapping_warnings_dates(mapping))
    stage_fields(conn, mapping)
    stage_roster_lists(conn, mapping)
    wave_id = v.check_wave(conn, mapping, wave) if book.kind in SURVEY_KINDS else wave
    v.check_cells(conn, mapping)
    v.check_fields(conn, mapping, index)
    v.check_rows(conn, mapping)
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE kept AS SELECT * FROM keyed_rows WHERE __row NOT IN "
        "(SELECT source_row FROM problems WHERE scope = 'row' AND source_row IS NOT NULL)"
    )
    n_kept = _count(conn, "SELECT count(*) FROM kept")
    if n_kept == 0 and n_data_rows > 0:
        raise FileRefused(
            f"{path.name} was not loaded: none of its {n_data_rows} rows could be loaded "
            f"(see the report for each row's problem).",
            v.problems_frame(conn).to_dict("records"),
            message_fr=f"{path.name} n'a pas été chargé : aucune de ses {n_data_rows} lignes n'a pu être "
            "chargée (le problème de chaque ligne est indiqué ci-dessous et dans le rapport).",
        )
    staged = Staged(raw, book, mapping, index, wave_id, n_data_rows, notes, notes_fr, books)
    if book.kind in SURVEY_KINDS:
        staged.scale_changes = _scale_changes(conn, staged)
        v.add_problems(conn, [_scale_change_problem(book, c) for c in staged.scale_changes])
    return staged


def _best_other_instrument(
    conn: duckdb.DuckDBPyConnection,
    raw: RawExport,
    name: str,
    index: InstitutionIndex,
    recognised: int,
    surveys: Sequence[Path] | None,
) -> tuple[str, int, int] | None:
    """The instrument (other than `name`) that recognises most of the file's columns, if it
    recognises more than `name` does: (instrument, columns recognised, questions found)."""
    best: tuple[str, int, int] | None = None
    for other, versions in scan_codebooks(surveys).instruments.items():
        if other == name:
            continue
        mapping = resolve_columns(conn, raw, versions[-1], index)
        if mapping.recognised > max(recognised, best[1] if best else 0):
            best = (other, mapping.recognised, v.questions_found(mapping))
    return best


def _other_sheets_problem(raw: RawExport) -> list[v.Problem]:
    """When a workbook is refused, the sheets that hold data (the answers may be on another one)."""
    others = [(n, k) for n, k in sheets_with_data(raw.path) if n != raw.sheet]
    if not others:
        return []
    listed = ", ".join(f"{n!r} ({k} rows)" for n, k in others)
    listed_fr = ", ".join(f"« {n} » ({k} lignes)" for n, k in others)
    return [
        v.Problem(
            None,
            None,
            None,
            "data_on_other_sheet",
            "file",
            f"Sheet {raw.sheet!r} was read; other sheets with data: {listed}. If the answers are on one of them, "
            "pass it with --sheet.",
            f"La feuille « {raw.sheet} » a été lue ; autres feuilles qui contiennent des données : {listed_fr}. "
            "Si les réponses sont sur l'une d'elles, choisissez-la (liste « Feuille du classeur » de la page, ou "
            "--sheet en ligne de commande).",
        )
    ]


def _scale_changes(conn: duckdb.DuckDBPyConnection, s: Staged) -> list[ScaleChange]:
    """Scales of this file asked with other items than in the waves already loaded (issue: a
    change between two waves must compare the same items)."""
    asked = {t.target for t in s.mapping.of_kind("item")}
    rows = conn.execute(
        f"""
        SELECT w.wave_id, i.scale_id, w.item_id, l.codebook_version
        FROM {ALIAS}.wave_items w
        JOIN {ALIAS}.loads l ON l.load_id = w.load_id AND l.status = 'current'
        JOIN {ALIAS}.items i ON i.instrument = w.instrument AND i.item_id = w.item_id
        WHERE w.instrument = ? AND w.wave_id IS DISTINCT FROM ? AND i.scale_id IS NOT NULL
        """,
        [s.book.name, s.wave_id],
    ).fetchall()
    other: dict[tuple[str, str], set[str]] = {}
    versions: dict[str, str] = {}
    for wave_id, scale_id, item_id, version in rows:
        other.setdefault((str(wave_id), str(scale_id)), set()).add(str(item_id))
        versions[str(wave_id)] = str(version)
    changes: list[ScaleChange] = []
    for scale in s.book.scales:
        mine = {i.id for i in s.book.scale_items(scale.id) if i.id in asked}
        if not mine:
            continue  # the scale is not asked in this file: nothing is compared
        groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
        for (wave_id, scale_id), theirs in sorted(other.items()):
            if scale_id != scale.id or theirs == mine:
                continue
            groups.setdefault((tuple(sorted(mine - theirs)), tuple(sorted(theirs - mine))), []).append(wave_id)
        for (added, dropped), waves in groups.items():
            ordered = tuple(sorted(waves, key=natural_key))
            changes.append(
                ScaleChange(scale.id, added, dropped, ordered, tuple(sorted({versions[w] for w in ordered})))
            )
    return changes


def _scale_change_problem(book: Codebook, c: ScaleChange) -> v.Problem:
    scale = next(x for x in book.scales if x.id == c.scale_id)
    parts = [f"{', '.join(c.added)} added"] if c.added else []
    parts += [f"{', '.join(c.dropped)} dropped"] if c.dropped else []
    parts_fr = [f"{', '.join(c.added)} ajouté(s)"] if c.added else []
    parts_fr += [f"{', '.join(c.dropped)} retiré(s)"] if c.dropped else []
    waves, versions = ", ".join(c.waves), ", ".join(c.versions)
    return v.Problem(
        None,
        None,
        ", ".join([*c.added, *c.dropped]),
        "scale_items_changed",
        "warning",
        f"Scale “{scale.en}” ({c.scale_id}) has other items in this file ({book.label}) than in wave(s) {waves} "
        f"(codebook version {versions}): {'; '.join(parts)}. A change between these waves must be computed on "
        "the items both share.",
        f"L'échelle {v.fr_quote(scale.fr)} ({c.scale_id}) n'a pas les mêmes items dans ce fichier ({book.label}) "
        f"qu'à la (aux) vague(s) {waves} (dictionnaire version {versions}) : {' ; '.join(parts_fr)}. Une "
        "évolution entre ces vagues doit être calculée sur les items communs.",
    )


def _count(conn: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    row = fetch_one(conn, sql, params)
    return int(row[0]) if row and row[0] is not None else 0


# --- Write -------------------------------------------------------------------------------------


def _scope_loads(conn: duckdb.DuckDBPyConnection, instrument: str, wave_id: str | None) -> list[int]:
    rows = conn.execute(
        f"SELECT load_id FROM {ALIAS}.loads WHERE instrument = ? AND wave_id IS NOT DISTINCT FROM ? "
        "AND status = 'current'",
        [instrument, wave_id],
    ).fetchall()
    return [int(r[0]) for r in rows]


def _institutions_load(conn: duckdb.DuckDBPyConnection) -> int | None:
    row = fetch_one(
        conn, f"SELECT max(load_id) FROM {ALIAS}.loads WHERE instrument = 'institutions' AND status = 'current'"
    )
    return int(row[0]) if row and row[0] is not None else None


def _already_loaded(conn: duckdb.DuckDBPyConnection, staged: Staged) -> int | None:
    """The load in force of this very file with the same codebook and institutions list, if any
    (a corrected codebook or list makes the same file a new input)."""
    row = fetch_one(
        conn,
        f"SELECT load_id FROM {ALIAS}.loads WHERE instrument = ? AND wave_id IS NOT DISTINCT FROM ? "
        "AND status = 'current' AND file_sha256 = ? AND codebook_version = ? AND codebook_sha256 = ? "
        "AND institutions_load_id IS NOT DISTINCT FROM ?",
        [
            staged.book.name,
            staged.wave_id,
            staged.raw.sha256,
            staged.book.version,
            staged.book.sha256,
            _institutions_load(conn) if staged.book.kind != "institutions" else None,
        ],
    )
    return int(row[0]) if row else None


def _delete_scope(conn: duckdb.DuckDBPyConnection, old: list[int]) -> None:
    if not old:
        return
    for table in (
        "respondents",
        "answers",
        "scale_scores",
        "ties",
        "wave_items",
        "activities",
        "activity_institutions",
        "population_targets",
        "quarantine",
    ):
        conn.execute(f"DELETE FROM {ALIAS}.{table} WHERE list_contains(?, load_id)", [old])


def _insert_frame(
    conn: duckdb.DuckDBPyConnection, table: str, rows: list[tuple[object, ...]], columns: list[str]
) -> None:
    """INSERT many rows at once (executemany is slow in DuckDB)."""
    if not rows:
        return
    conn.register("rows_df", pd.DataFrame(rows, columns=columns).astype("object"))
    try:
        casts = ", ".join(f'"{c}"' for c in columns)
        conn.execute(f"INSERT INTO {ALIAS}.{table} ({casts}) SELECT {casts} FROM rows_df")
    finally:
        conn.unregister("rows_df")


def _write_codebook_metadata(
    conn: duckdb.DuckDBPyConnection, book: Codebook, versions: list[Codebook] | None = None
) -> None:
    """items / scales / response_labels / rosters of every version of the instrument (newest text
    wins), so that waves loaded with older versions keep their items described; item keys are
    stable. The versions are those of the codebook folder and those already stored in the
    warehouse (a version no longer in the folder stays described); each is stored in `codebooks`."""
    versions = _known_versions(conn, book, versions if versions is not None else codebook_versions(book.name))
    _check_tie_kinds(conn, book)
    store_codebooks(conn, versions)
    rosters: dict[str, tuple[object, ...]] = {}
    items: dict[str, tuple[object, ...]] = {}
    scales: dict[str, tuple[object, ...]] = {}
    labels: dict[tuple[str, int], tuple[object, ...]] = {}
    for b in versions:
        for i in b.items:
            rs = b.response_sets[i.response_set]
            items[i.id] = (
                b.name,
                i.id,
                i.scale,
                i.fr,
                i.en,
                i.response_set,
                rs.value_min,
                rs.value_max,
                i.reverse,
                i.unit,
                i.target_sector,
            )
        for r in b.rosters:
            items[r.id] = (b.name, r.id, None, r.fr, r.en, None, 0.0, None, False, "institutions_named", None)
            rosters[r.id] = (b.name, r.id, r.kind, r.tie_source, r.tie_kind, r.fr, r.en, [f.name for f in r.fields])
        for sc in b.scales:
            members = b.scale_items(sc.id)
            lo, hi = _scale_range(b, sc.id)
            scales[sc.id] = (
                b.name,
                sc.id,
                sc.fr,
                sc.en,
                sc.rule,
                sc.multiplier,
                sc.min_items,
                len(members),
                lo,
                hi,
                sc.higher_is_better,
                "; ".join(b.sources),
                sc.role,
                sc.standard,
                len(scales) if sc.id not in scales else scales[sc.id][-1],
            )
        for name, rset in b.response_sets.items():
            for order, o in enumerate(rset.options):
                labels[(name, order)] = (b.name, name, o.value, o.code, o.fr, o.en, order)
    for table in ("items", "scales", "response_labels", "rosters"):
        conn.execute(f"DELETE FROM {ALIAS}.{table} WHERE instrument = ?", [book.name])
    item_cols = [
        "instrument",
        "item_id",
        "scale_id",
        "text_fr",
        "text_en",
        "response_set",
        "value_min",
        "value_max",
        "reverse_keyed",
        "unit",
        "target_sector_id",
    ]
    _insert_frame(conn, "items", list(items.values()), item_cols)
    scale_cols = [
        "instrument",
        "scale_id",
        "label_fr",
        "label_en",
        "rule",
        "multiplier",
        "min_items",
        "n_items",
        "score_min",
        "score_max",
        "higher_is_better",
        "source",
        "role",
        "standard",
        "sort_order",
    ]
    _insert_frame(conn, "scales", list(scales.values()), scale_cols)
    roster_cols = [
        "instrument", "roster_id", "roster_kind", "tie_source", "tie_kind", "label_fr", "label_en", "rating_fields"
    ]
    _insert_frame(conn, "rosters", list(rosters.values()), roster_cols)
    label_cols = ["instrument", "response_set", "value", "code", "label_fr", "label_en", "sort_order"]
    _insert_frame(conn, "response_labels", list(labels.values()), label_cols)
    conn.execute(
        f"""
        INSERT INTO {ALIAS}.item_keys
        SELECT (SELECT coalesce(max(item_key), 0) FROM {ALIAS}.item_keys) + row_number() OVER (ORDER BY item_id),
               instrument, item_id
        FROM {ALIAS}.items i
        WHERE instrument = ? AND NOT EXISTS (
            SELECT 1 FROM {ALIAS}.item_keys k WHERE k.instrument = i.instrument AND k.item_id = i.item_id)
        """,
        [book.name],
    )


def _known_versions(conn: duckdb.DuckDBPyConnection, book: Codebook, versions: list[Codebook]) -> list[Codebook]:
    """The folder's versions, and the versions stored in the warehouse that the folder lacks."""
    from etl.codebook import _version_key, stored_codebooks

    have = {b.version for b in versions}
    try:
        stored = stored_codebooks(conn).get(book.name, [])
    except duckdb.Error:  # a warehouse without the codebooks table (apply_schema adds it)
        stored = []
    merged = [*versions, *(b for b in stored if b.version not in have)]
    if book.version not in {b.version for b in merged}:
        merged.append(book)
    return sorted(merged, key=lambda b: _version_key(b.version))


def store_codebooks(conn: duckdb.DuckDBPyConnection, books: list[Codebook]) -> None:
    """Each codebook in `codebooks` (its own TOML text, the merged definition, its hash), once per
    distinct text: what the dashboard and exports read to know an instrument without its folder."""
    now = dt.datetime.now()
    for b in books:
        exists = fetch_one(
            conn,
            f"SELECT 1 FROM {ALIAS}.codebooks WHERE instrument = ? AND version = ? AND sha256 = ?",
            [b.name, b.version, b.sha256],
        )
        if exists:
            continue
        conn.execute(
            f"INSERT INTO {ALIAS}.codebooks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                b.name,
                b.version,
                b.kind,
                b.title_fr,
                b.title_en,
                f"{b.name}/{b.path.name}",
                b.extends,
                b.sha256,
                b.text,
                definition_json(b),
                now,
            ],
        )


def _check_tie_kinds(conn: duckdb.DuckDBPyConnection, book: Codebook) -> None:
    """One tie source means one kind of tie in the whole warehouse (`ties.source` → `rosters`)."""
    from etl.errors import CodebookError

    for r in book.rosters:
        row = fetch_one(
            conn,
            f"SELECT instrument, tie_kind FROM {ALIAS}.rosters WHERE tie_source = ? AND instrument <> ? "
            "AND tie_kind <> ?",
            [r.tie_source, book.name, r.tie_kind],
        )
        if row:
            raise CodebookError(
                f"{book.path}: roster {r.id} gives ties of source `{r.tie_source}` of kind {r.tie_kind}, but "
                f"instrument `{row[0]}` already loaded ties of that source of kind {row[1]}. Give roster {r.id} "
                "its own tie_source.",
                message_fr=f"{book.path} : la question-liste {r.id} donne des liens de source `{r.tie_source}` de "
                f"sorte {r.tie_kind}, mais le questionnaire `{row[0]}` a déjà chargé des liens de cette source de "
                f"sorte {row[1]}. Donnez à la question-liste {r.id} son propre tie_source.",
            )


def _scale_range(book: Codebook, scale_id: str) -> tuple[float, float]:
    scale = next(s for s in book.scales if s.id == scale_id)
    members = book.scale_items(scale_id)
    lo = min(book.response_sets[i.response_set].value_min or 0.0 for i in members)
    hi = max(book.response_sets[i.response_set].value_max or 0.0 for i in members)
    if scale.rule == "mean":
        return lo, hi
    factor = scale.multiplier if scale.rule == "sum_times" else 1.0
    return lo * len(members) * factor, hi * len(members) * factor


def _register_pseudonyms(conn: duckdb.DuckDBPyConnection, key: bytes) -> None:
    keys = [r[0] for r in conn.execute("SELECT DISTINCT rkey FROM kept WHERE rkey IS NOT NULL").fetchall()]
    df = pd.DataFrame({"rkey": keys, "respondent_id": pseudonyms(key, keys)}, dtype="object")
    conn.register("pseudonyms_df", df)
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE pseudonyms AS SELECT rkey::VARCHAR AS rkey, "
        "respondent_id::VARCHAR AS respondent_id FROM pseudonyms_df"
    )
    conn.unregister("pseudonyms_df")


def _write_keys(conn: duckdb.DuckDBPyConnection, wave_id: str | None) -> int:
    """Integer keys of the wave and of new respondents; returns the wave key."""
    conn.execute(
        f"INSERT INTO {ALIAS}.wave_keys SELECT (SELECT coalesce(max(wave_key), 0) + 1 FROM {ALIAS}.wave_keys), ? "
        f"WHERE NOT EXISTS (SELECT 1 FROM {ALIAS}.wave_keys WHERE wave_id = ?)",
        [wave_id, wave_id],
    )
    conn.execute(
        f"""
        INSERT INTO {ALIAS}.respondent_keys
        SELECT (SELECT coalesce(max(respondent_key), 0) FROM {ALIAS}.respondent_keys)
               + row_number() OVER (ORDER BY respondent_id), respondent_id
        FROM (SELECT DISTINCT respondent_id FROM pseudonyms) p
        WHERE NOT EXISTS (SELECT 1 FROM {ALIAS}.respondent_keys k WHERE k.respondent_id = p.respondent_id)
        """
    )
    row = fetch_one(conn, f"SELECT wave_key FROM {ALIAS}.wave_keys WHERE wave_id = ?", [wave_id])
    assert row is not None
    return int(row[0])


def _write_survey(conn: duckdb.DuckDBPyConnection, s: Staged, load_id: int) -> int:
    book, wave = s.book, s.wave_id
    has = {f.name for f in book.fields}

    def col(name: str) -> str:
        return f'k."{name}"' if name in has else "NULL"

    wave_key = _write_keys(conn, wave)
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE final_rows AS
        SELECT k.__row, p.respondent_id, rk.respondent_key, CAST(k.submitted_at AS TIMESTAMP) AS submitted_at,
               {col("role")} AS role, {col("institution")} AS institution_id,
               coalesce({col("sector")}, i.sector_id) AS sector_id,
               coalesce({col("territory")}, i.territory) AS territory,
               {col("level")} AS level, {col("years_in_post")} AS years_in_post
        FROM kept k JOIN pseudonyms p USING (rkey)
        JOIN {ALIAS}.respondent_keys rk ON rk.respondent_id = p.respondent_id
        LEFT JOIN {ALIAS}.institutions i ON i.institution_id = {col("institution")}
        """
    )
    conn.execute(
        f"""
        INSERT INTO {ALIAS}.respondents
        SELECT ?, ?, respondent_id, ?, __row, submitted_at, role, institution_id, sector_id, territory,
               level, years_in_post
        FROM final_rows ORDER BY __row
        """,
        [wave, book.name, load_id],
    )
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE col_keys AS
        SELECT c.col, k.item_key FROM colmap c
        JOIN {ALIAS}.item_keys k ON k.instrument = ? AND k.item_id = c.target
        WHERE c.kind = 'item'
        """,
        [book.name],
    )
    conn.execute(
        f"""
        INSERT INTO {ALIAS}.answers
        SELECT ?, f.respondent_key, k.item_key, l.value, ?
        FROM {long_values_sql(s.mapping, "item")} l
        JOIN final_rows f USING (__row) JOIN col_keys k USING (col)
        """,
        [wave_key, load_id],
    )
    asked = sorted({(t.target, t.header) for t in s.mapping.of_kind("item")})
    rosters_asked = sorted({(t.target, t.header) for t in s.mapping.of_kind("choice", "rating", "list")})
    seen: set[str] = set()
    wave_items: list[tuple[object, ...]] = []
    for item_id, header in [*asked, *rosters_asked]:
        if item_id not in seen:
            seen.add(item_id)
            wave_items.append((wave, book.name, item_id, header, load_id))
    _insert_frame(conn, "wave_items", wave_items, ["wave_id", "instrument", "item_id", "column_name", "load_id"])
    _write_scores(conn, s, load_id)
    _write_ties(conn, s, load_id, wave_key)
    return _count(conn, "SELECT count(*) FROM final_rows")


def _score_sql(s: Staged, scale_id: str) -> tuple[str, str, int] | None:
    """(answered-items expression, sum expression, items asked) of one scale, in wide form."""
    book = s.book
    cols = {t.target: t.col for t in s.mapping.of_kind("item")}
    members = [i for i in book.scale_items(scale_id) if i.id in cols]
    if not members:
        return None
    parts = []
    for i in members:
        rs = book.response_sets[i.response_set]
        c = f"nullif(m.{cols[i.id]}, 'NaN'::DOUBLE)"
        parts.append(f"({rs.value_min} + {rs.value_max} - {c})" if i.reverse else c)
    answered = " + ".join(f"CAST({p} IS NOT NULL AS INTEGER)" for p in parts)
    total = " + ".join(f"coalesce({p}, 0)" for p in parts)
    return answered, total, len(members)


def _write_scores(conn: duckdb.DuckDBPyConnection, s: Staged, load_id: int) -> None:
    """Scale scores computed on the wide answers: reverse-keyed items reversed, the scale's rule
    applied when at least `min_items` items are answered."""
    selects = []
    for scale in s.book.scales:
        parts = _score_sql(s, scale.id)
        if parts is None:
            continue
        answered, total, n_asked = parts
        factor = 1.0 if scale.rule == "mean" else n_asked * (scale.multiplier if scale.rule == "sum_times" else 1.0)
        selects.append(
            f"SELECT respondent_id, '{scale.id}' AS scale_id, CASE WHEN n >= {scale.min_items} "
            f"THEN total / n * {factor} END AS score, n, {n_asked} AS n_asked "
            f"FROM (SELECT f.__row, f.respondent_id, {answered} AS n, {total} AS total "
            f"FROM final_rows f JOIN mapped m USING (__row))"
        )
    if not selects:
        return
    conn.execute(
        f"INSERT INTO {ALIAS}.scale_scores SELECT ?, ?, respondent_id, scale_id, score, n, n_asked, ? "
        f"FROM ({' UNION ALL '.join(selects)})",
        [s.wave_id, s.book.name, load_id],
    )


def _write_ties(conn: duckdb.DuckDBPyConnection, s: Staged, load_id: int, wave_key: int) -> None:
    book, wave = s.book, s.wave_id
    rosters = {r.id: r for r in book.rosters}
    if not rosters:
        return
    mapping = s.mapping
    # Multi-select rosters: a tie from the respondent's institution to each ticked institution.
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE chosen AS
        SELECT l.__row, m.target AS roster_id, m.institution_id
        FROM {long_values_sql(mapping, "choice")} l JOIN colmap m USING (col) WHERE l.value = 1
        UNION
        SELECT __row, roster_id, institution_id FROM list_choices WHERE institution_id IS NOT NULL
        """
    )
    sources = {r.id: r.tie_source for r in rosters.values()}
    src_case = "CASE roster_id " + " ".join(f"WHEN '{rid}' THEN '{src}'" for rid, src in sources.items()) + " END"
    conn.execute(
        f"""
        INSERT INTO {ALIAS}.ties
        SELECT ?, {src_case}, f.respondent_id, f.institution_id, c.institution_id,
               NULL, NULL, NULL, NULL, ?
        FROM chosen c JOIN final_rows f USING (__row)
        WHERE f.institution_id IS NOT NULL AND c.institution_id <> f.institution_id
        """,
        [wave, load_id],
    )
    # Rating rosters: one tie per rated institution, with its level / trust / value.
    conn.execute(
        f"""
        INSERT INTO {ALIAS}.ties
        SELECT ?, {src_case}, f.respondent_id, f.institution_id, r.institution_id,
               max(r.value) FILTER (WHERE r.roster_field = 'collaboration_level'),
               max(r.value) FILTER (WHERE r.roster_field = 'trust'),
               max(r.value) FILTER (WHERE r.roster_field = 'value'),
               max(r.value) FILTER (WHERE r.roster_field = 'frequency_per_month'), ?
        FROM (SELECT l.__row, l.value, m.target AS roster_id, m.roster_field, m.institution_id
              FROM {long_values_sql(mapping, "rating")} l JOIN colmap m USING (col)) r
        JOIN final_rows f USING (__row)
        WHERE f.institution_id IS NOT NULL AND r.institution_id <> f.institution_id
        GROUP BY ALL
        """,
        [wave, load_id],
    )
    # Whether each respondent answered each roster question (value = institutions named or rated).
    conn.execute(
        f"""
        INSERT INTO {ALIAS}.answers
        SELECT ?, f.respondent_key, k.item_key, a.n, ?
        FROM (
            SELECT __row, roster_id, count(DISTINCT institution_id) FILTER (WHERE named) AS n
            FROM (
                SELECT l.__row, m.target AS roster_id, m.institution_id, (m.kind <> 'choice' OR l.value = 1) AS named
                FROM {long_values_sql(mapping, "choice", "rating")} l JOIN colmap m USING (col)
                UNION ALL
                SELECT __row, roster_id, institution_id, true FROM list_choices
            ) GROUP BY ALL
        ) a
        JOIN final_rows f USING (__row)
        JOIN {ALIAS}.item_keys k ON k.instrument = ? AND k.item_id = a.roster_id
        """,
        [wave_key, load_id, book.name],
    )


def _write_activities(conn: duckdb.DuckDBPyConnection, s: Staged, load_id: int) -> int:
    has = {f.name for f in s.book.fields}

    def col(name: str) -> str:
        return f'k."{name}"' if name in has else "NULL"

    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE final_acts AS
        SELECT k.__row, coalesce({col("activity_id")}, 'row-' || k.__row) AS activity_id,
               {col("date")} AS activity_date, {col("activity_type")} AS activity_type,
               {col("territory")} AS territory, CAST({col("participants")} AS INTEGER) AS participants,
               CASE {col("parents_coorganised")} WHEN 'yes' THEN true WHEN 'no' THEN false END AS parents_coorganised,
               {col("title")} AS title
        FROM kept k
        WHERE {col("date")} IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY activity_id ORDER BY k.__row) = 1
        """
    )
    dupes = conn.execute(
        f"""
        SELECT k.__row, {col("activity_id")}, f.__row FROM kept k
        JOIN final_acts f ON f.activity_id = {col("activity_id")}
        WHERE {col("date")} IS NOT NULL AND k.__row NOT IN (SELECT __row FROM final_acts)
        """
    ).fetchall()
    v.add_problems(
        conn,
        [
            v.Problem(
                row,
                None,
                act,
                "duplicate_activity",
                "row",
                f"This row's activity id is already used at row {first}; this later row was quarantined. "
                "Give each action its own id.",
                f"L'identifiant d'action de cette ligne est déjà utilisé à la ligne {first} : cette ligne, plus "
                "bas, a été mise en quarantaine. Donnez à chaque action son propre identifiant.",
            )
            for row, act, first in dupes
        ],
    )
    conn.execute(
        f"""
        INSERT INTO {ALIAS}.activities
        SELECT a.activity_id, ?, ?, a.__row, a.activity_date, a.activity_type, a.territory, a.participants,
               coalesce(list_contains(t.audiences, '16_18'), false), a.parents_coorganised,
               coalesce(t.audiences, []), a.title
        FROM final_acts a
        LEFT JOIN (SELECT __row, list_sort(list_distinct(list(value))) AS audiences FROM field_tokens
                   WHERE field = 'audiences' AND value IS NOT NULL GROUP BY __row) t USING (__row)
        ORDER BY a.__row
        """,
        [load_id, s.wave_id],
    )
    conn.execute(
        f"""
        INSERT INTO {ALIAS}.activity_institutions
        SELECT DISTINCT a.activity_id, t.value, ?
        FROM final_acts a JOIN field_tokens t USING (__row)
        WHERE t.field = 'institutions' AND t.value IS NOT NULL
        ORDER BY a.activity_id, t.value
        """,
        [load_id],
    )
    return _count(conn, "SELECT count(*) FROM final_acts")


def _write_institutions(conn: duckdb.DuckDBPyConnection, s: Staged, load_id: int) -> int:
    missing_sector = conn.execute("SELECT __row, sector_raw FROM kept WHERE sector IS NULL ORDER BY __row").fetchall()
    v.add_problems(
        conn,
        [
            v.Problem(
                row,
                "sector",
                raw,
                "missing_sector",
                "row",
                "Every institution needs a sector (one of surveys/sectors.toml); the row was quarantined.",
                "Chaque structure doit avoir un secteur (l'un de ceux de surveys/sectors.toml) : la ligne "
                "a été mise en quarantaine. Indiquez son secteur puis rechargez la liste.",
            )
            for row, raw in missing_sector
        ],
    )
    conn.execute(
        """
        CREATE OR REPLACE TEMP TABLE final_inst AS
        SELECT __row, trim(institution_id) AS institution_id, name, sector, territory, level FROM kept
        WHERE sector IS NOT NULL AND institution_id IS NOT NULL AND name IS NOT NULL
        QUALIFY row_number() OVER (PARTITION BY upper(trim(institution_id)) ORDER BY __row) = 1
        """
    )
    dupes = conn.execute(
        "SELECT k.__row, k.institution_id, f.__row FROM kept k JOIN final_inst f "
        "ON upper(trim(f.institution_id)) = upper(trim(k.institution_id)) "
        "WHERE k.sector IS NOT NULL AND k.__row NOT IN (SELECT __row FROM final_inst) ORDER BY k.__row"
    ).fetchall()
    v.add_problems(
        conn,
        [
            v.Problem(
                row,
                "id",
                inst,
                "duplicate_institution",
                "row",
                f"This row's institution id is already used at row {first} of the list; this row was quarantined.",
                f"L'identifiant de structure de cette ligne est déjà utilisé à la ligne {first} de la liste : "
                "cette ligne a été mise en quarantaine.",
            )
            for row, inst, first in dupes
        ],
    )
    gone = conn.execute(
        f"""
        SELECT institution_id FROM (
            SELECT institution_id FROM {ALIAS}.respondents WHERE institution_id IS NOT NULL
            UNION SELECT from_institution_id FROM {ALIAS}.ties
            UNION SELECT to_institution_id FROM {ALIAS}.ties
            UNION SELECT institution_id FROM {ALIAS}.activity_institutions
        ) WHERE institution_id NOT IN (SELECT institution_id FROM final_inst) ORDER BY 1
        """
    ).fetchall()
    if gone:
        names = ", ".join(r[0] for r in gone[:10])
        more = "…" if len(gone) > 10 else ""
        raise FileRefused(
            f"{s.raw.file_name} was not loaded: it drops institutions that loaded data refers to "
            f"({names}{more}). Keep them in the list (an institution "
            "that closed stays in the history), then load it again.",
            message_fr=f"{s.raw.file_name} n'a pas été chargé : il retire des structures auxquelles "
            f"des données déjà chargées font référence ({names}{more}). Gardez-les dans la liste (une "
            "structure qui a fermé reste dans l'historique), puis rechargez-la.",
        )
    conn.execute(f"DELETE FROM {ALIAS}.institution_aliases")
    conn.execute(f"DELETE FROM {ALIAS}.institutions")
    conn.execute(
        f"INSERT INTO {ALIAS}.institutions SELECT institution_id, name, sector, territory, level, ? FROM final_inst",
        [load_id],
    )
    conn.execute(
        f"""
        INSERT INTO {ALIAS}.institution_aliases
        SELECT DISTINCT t.token, f.institution_id FROM field_tokens t JOIN final_inst f USING (__row)
        WHERE t.field = 'aliases'
        """
    )
    return _count(conn, "SELECT count(*) FROM final_inst")


def _write_targets(conn: duckdb.DuckDBPyConnection, s: Staged, load_id: int) -> int:
    bad = conn.execute("SELECT __row, target_n_raw FROM kept WHERE target_n IS NULL OR wave IS NULL").fetchall()
    v.add_problems(
        conn,
        [
            v.Problem(
                row,
                "target_n",
                raw,
                "missing_target",
                "row",
                "A target row needs a wave and a number of people; the row was quarantined.",
                "Une ligne d'effectifs ciblés doit indiquer une vague et un nombre de personnes : la "
                "ligne a été mise en quarantaine.",
            )
            for row, raw in bad
        ],
    )
    conn.execute(
        f"""
        INSERT INTO {ALIAS}.population_targets
        SELECT wave, sector, territory, CAST(target_n AS INTEGER), ? FROM kept
        WHERE target_n IS NOT NULL AND wave IS NOT NULL
        """,
        [load_id],
    )
    return _count(conn, "SELECT count(*) FROM kept WHERE target_n IS NOT NULL AND wave IS NOT NULL")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", text) if p)


def _refresh_waves(conn: duckdb.DuckDBPyConnection) -> None:
    """Waves present in any fact table, ordered naturally (2025-2 before 2025-10), with dates."""
    ids = [
        r[0]
        for r in conn.execute(
            f"SELECT DISTINCT wave_id FROM (SELECT wave_id FROM {ALIAS}.respondents UNION ALL "
            f"SELECT wave_id FROM {ALIAS}.ties UNION ALL SELECT wave_id FROM {ALIAS}.population_targets "
            f"UNION ALL SELECT wave_id FROM {ALIAS}.activities) WHERE wave_id IS NOT NULL"
        ).fetchall()
    ]
    ordered = sorted(ids, key=natural_key)
    conn.execute(f"DELETE FROM {ALIAS}.waves")
    if ordered:
        conn.executemany(
            f"INSERT INTO {ALIAS}.waves VALUES (?, ?, NULL, NULL)",
            [(w, i + 1) for i, w in enumerate(ordered)],
        )
        conn.execute(
            f"""
            UPDATE {ALIAS}.waves w SET first_date = d.first_date, last_date = d.last_date
            FROM (SELECT wave_id, CAST(min(submitted_at) AS DATE) AS first_date,
                         CAST(max(submitted_at) AS DATE) AS last_date
                  FROM {ALIAS}.respondents GROUP BY wave_id) d
            WHERE d.wave_id = w.wave_id
            """
        )


def _check_key(conn: duckdb.DuckDBPyConnection, key: bytes, secret_path: Path) -> None:
    stored = meta_value(conn, "key_fingerprint")
    mine = key_fingerprint(key)
    if stored is None:
        set_meta(conn, "key_fingerprint", mine)
    elif stored != mine:
        raise WarehouseError(
            f"This warehouse was pseudonymised with another key than {secret_path}: loading with it "
            "would break the links between waves. Point --secret (or $MAILLAGE_SECRET) to the key "
            "file used for the earlier loads.",
            message_fr=f"Cet entrepôt a été pseudonymisé avec une autre clé que {secret_path} : charger "
            "avec celle-ci casserait les liens entre les vagues. Indiquez le fichier de clé utilisé "
            "pour les chargements précédents (variable MAILLAGE_SECRET au lancement du tableau de "
            "bord, ou --secret en ligne de commande).",
        )


def write_staged(
    conn: duckdb.DuckDBPyConnection,
    s: Staged,
    key: bytes | None,
    secret_path: Path,
    started: dt.datetime,
) -> LoadResult:
    """Write a staged file into the attached warehouse (replacing its scope)."""
    book = s.book
    if _already_loaded(conn, s) is not None:
        raise _Unchanged(_result(conn, s, "unchanged", None, [], 0, started))
    old = _scope_loads(conn, book.name, s.wave_id)
    load_id = _count(conn, f"SELECT coalesce(max(load_id), 0) + 1 FROM {ALIAS}.loads")
    similar: list[SimilarWave] = []
    if book.kind in SURVEY_KINDS:
        assert key is not None
        _check_key(conn, key, secret_path)
        _register_pseudonyms(conn, key)
        similar = similar_waves(conn, s)
        _delete_scope(conn, old)
        _write_codebook_metadata(conn, book, s.versions or None)
        loaded = _write_survey(conn, s, load_id)
    elif book.kind == "activity_log":
        similar = similar_waves(conn, s)
        _delete_scope(conn, old)
        _write_codebook_metadata(conn, book, s.versions or None)  # activity types and audiences: their labels
        loaded = _write_activities(conn, s, load_id)
    elif book.kind == "institutions":
        _delete_scope(conn, old)
        store_codebooks(conn, s.versions or [book])
        loaded = _write_institutions(conn, s, load_id)
    else:
        _delete_scope(conn, old)
        store_codebooks(conn, s.versions or [book])
        loaded = _write_targets(conn, s, load_id)
    result = _result(conn, s, "loaded", load_id, old, loaded, started, similar)
    # A warehouse created before `message_fr` existed gets the column (at the end, where it is in
    # schema.sql), so that its quarantine says in French why each row was kept out.
    conn.execute(f"ALTER TABLE {ALIAS}.quarantine ADD COLUMN IF NOT EXISTS message_fr VARCHAR")
    conn.execute(
        f"""
        INSERT INTO {ALIAS}.quarantine
            (load_id, file_name, source_row, column_name, value, problem, scope, message, message_fr)
        SELECT ?, ?, source_row, column_name, value, problem, scope, message, message_fr
        FROM problems WHERE scope IN ('row', 'cell', 'column')
        """,
        [load_id, s.raw.file_name],
    )
    inst_load = _institutions_load(conn) if book.kind != "institutions" else None
    conn.execute(
        f"INSERT INTO {ALIAS}.loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'current', NULL)",
        [
            load_id,
            s.raw.file_name,
            s.raw.sha256,
            book.name,
            book.version,
            book.sha256,
            inst_load,
            s.wave_id,
            result.rows_read,
            result.rows_loaded,
            result.rows_quarantined,
            result.cells_quarantined,
            result.warnings,
            started,
            dt.datetime.now(),
        ],
    )
    if old:
        conn.execute(
            f"UPDATE {ALIAS}.loads SET status = 'replaced', replaced_by_load_id = ? WHERE list_contains(?, load_id)",
            [load_id, old],
        )
    _refresh_waves(conn)
    return result


def _result(
    conn: duckdb.DuckDBPyConnection,
    s: Staged,
    status: str,
    load_id: int | None,
    old: list[int],
    loaded: int,
    started: dt.datetime,
    similar: list[SimilarWave] | None = None,
) -> LoadResult:
    problems = v.problems_frame(conn)
    rows_q = int(problems.loc[problems["scope"] == "row", "source_row"].nunique()) if len(problems) else 0
    cells_q = int((problems["scope"] == "cell").sum()) if len(problems) else 0
    warnings = int(problems["scope"].isin(["warning", "column"]).sum()) if len(problems) else 0
    if status == "dry-run":
        loaded = max(s.n_data_rows - rows_q, 0)
    return LoadResult(
        file_name=s.raw.file_name,
        sha256=s.raw.sha256,
        instrument=s.book.name,
        codebook_version=s.book.version,
        kind=s.book.kind,
        wave_id=s.wave_id,
        rows_read=s.n_data_rows,
        rows_loaded=loaded,
        rows_quarantined=rows_q,
        cells_quarantined=cells_q,
        warnings=warnings,
        status=status,
        problems=problems,
        notes=list(s.notes),
        load_id=load_id,
        replaced_load_ids=old,
        seconds=(dt.datetime.now() - started).total_seconds(),
        notes_fr=list(s.notes_fr),
        similar_waves=list(similar or []),
        scale_changes=list(s.scale_changes),
    )


# --- A file that is a wave already loaded --------------------------------------------------------

SIMILAR_SHARE = 0.5  # of the file's respondents found with the same answers in another wave
SIMILAR_MIN_ITEMS = 3  # answers in common for a respondent to count as "the same answers"


def similar_waves(conn: duckdb.DuckDBPyConnection, s: Staged) -> list[SimilarWave]:
    """Already loaded waves (other than this file's) whose content this file matches: the same
    bytes, or (surveys, once pseudonyms are staged) at least half of its respondents with the
    same answers. Each one also becomes a warning in `problems`."""
    found: dict[tuple[str | None, int], SimilarWave] = {}
    same = conn.execute(
        f"SELECT wave_id, load_id, file_name FROM {ALIAS}.loads WHERE status = 'current' AND file_sha256 = ? "
        "AND instrument = ? AND wave_id IS DISTINCT FROM ?",
        [s.raw.sha256, s.book.name, s.wave_id],
    ).fetchall()
    respondents = _count(conn, "SELECT count(DISTINCT rkey) FROM kept") if s.book.kind in SURVEY_KINDS else 0
    for wave_id, load_id, file_name in same:
        found[(wave_id, load_id)] = SimilarWave(wave_id, int(load_id), str(file_name), True, respondents, respondents)
    if s.book.kind in SURVEY_KINDS and respondents and _has_table(conn, "pseudonyms"):
        for wave_id, load_id, file_name, matching in _matching_respondents(conn, s):
            if matching >= 2 and matching >= SIMILAR_SHARE * respondents and (wave_id, load_id) not in found:
                found[(wave_id, load_id)] = SimilarWave(
                    wave_id, int(load_id), str(file_name), False, int(matching), respondents
                )
    out = sorted(found.values(), key=lambda w: (natural_key(w.wave_id or ""), w.load_id))
    v.add_problems(conn, [_similar_problem(w) for w in out])
    return out


def _has_table(conn: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(fetch_one(conn, "SELECT 1 FROM duckdb_tables() WHERE table_name = ? AND temporary", [name]))


def _matching_respondents(conn: duckdb.DuckDBPyConnection, s: Staged) -> list[tuple[str | None, int, str, int]]:
    """(wave, load, file, respondents of this file with the same answers there) per other wave."""
    others = _count(
        conn,
        f"SELECT count(*) FROM {ALIAS}.loads WHERE status = 'current' AND instrument = ? "
        "AND wave_id IS DISTINCT FROM ?",
        [s.book.name, s.wave_id],
    )
    if not others or not s.mapping.of_kind("item"):
        return []
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE new_answers AS
        SELECT rk.respondent_key, ik.item_key, l.value
        FROM {long_values_sql(s.mapping, "item")} l
        JOIN kept k USING (__row) JOIN pseudonyms p USING (rkey)
        JOIN {ALIAS}.respondent_keys rk ON rk.respondent_id = p.respondent_id
        JOIN colmap c USING (col)
        JOIN {ALIAS}.item_keys ik ON ik.instrument = ? AND ik.item_id = c.target
        """,
        [s.book.name],
    )
    rows = conn.execute(
        f"""
        WITH old AS (
            SELECT l.wave_id, l.load_id, l.file_name, a.respondent_key, a.item_key, a.value
            FROM {ALIAS}.answers a JOIN {ALIAS}.loads l ON l.load_id = a.load_id
            WHERE l.status = 'current' AND l.instrument = ? AND l.wave_id IS DISTINCT FROM ?
        ), per AS (
            SELECT o.wave_id, o.load_id, o.file_name, n.respondent_key, count(*) AS common,
                   count(*) FILTER (WHERE n.value = o.value) AS same
            FROM new_answers n JOIN old o USING (respondent_key, item_key) GROUP BY ALL
        )
        SELECT wave_id, load_id, file_name, count(*) FILTER (WHERE same = common AND common >= ?)
        FROM per GROUP BY ALL ORDER BY load_id
        """,
        [s.book.name, s.wave_id, SIMILAR_MIN_ITEMS],
    ).fetchall()
    return [(r[0], int(r[1]), str(r[2]), int(r[3])) for r in rows]


def _similar_problem(w: SimilarWave) -> v.Problem:
    where = f"wave {w.wave_id}" if w.wave_id else "the load without wave"
    where_fr = f"la vague {w.wave_id}" if w.wave_id else "le chargement sans vague"
    if w.same_file:
        en = (
            f"This file is byte for byte the file {w.file_name} already loaded as {where} (load #{w.load_id}). "
            "If it is last wave's export, do not load it as a new wave; export the new wave's answers instead."
        )
        fr = (
            f"Ce fichier est identique, octet pour octet, au fichier {w.file_name} déjà chargé comme {where_fr} "
            f"(chargement n° {w.load_id}). S'il s'agit de l'export de la vague précédente, ne le chargez pas comme "
            "une nouvelle vague ; exportez plutôt les réponses de la nouvelle vague."
        )
    else:
        en = (
            f"{w.matching} of this file's {w.respondents} respondents are in {where} (file {w.file_name}, load "
            f"#{w.load_id}) with exactly the same answers: this looks like that wave's export again. Check the "
            "file before loading it as a new wave."
        )
        fr = (
            f"{w.matching} des {w.respondents} répondants de ce fichier figurent dans {where_fr} (fichier "
            f"{w.file_name}, chargement n° {w.load_id}) avec exactement les mêmes réponses : cela ressemble à "
            "l'export de cette vague. Vérifiez le fichier avant de le charger comme une nouvelle vague."
        )
    return v.Problem(None, None, None, "same_as_loaded_wave", "warning", en, fr)


# --- Entry points ------------------------------------------------------------------------------


def load_into(
    conn: duckdb.DuckDBPyConnection,
    path: Path,
    instrument: str,
    wave: str | None = None,
    *,
    secret_path: Path | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    surveys: Sequence[Path] | None = None,
) -> LoadResult:
    """Load one file into the warehouse attached to `conn` as `wh` (used by `load_file` and by the
    demo build, which loads several files into one new warehouse)."""
    started = dt.datetime.now()
    t0 = time.perf_counter()
    # Staging uses temp tables only and must run outside the transaction (etl.read relies on
    # committed row ids for row numbers); the warehouse changes inside one transaction.
    staged = stage_file(conn, path, instrument, wave, sheet, encoding, surveys)
    key = None
    secret = secret_path or default_secret_path()
    if staged.book.kind in SURVEY_KINDS:
        key = pseudonymisation_key(conn, secret, create=True)
    conn.execute("BEGIN TRANSACTION")
    try:
        result = write_staged(conn, staged, key, secret, started)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    result.seconds = time.perf_counter() - t0
    return result


def pseudonymisation_key(conn: duckdb.DuckDBPyConnection, secret: Path, create: bool) -> bytes | None:
    """The key at `secret`, checked against the warehouse's fingerprint. A missing key file is
    created only for a warehouse that holds no pseudonyms yet (and only when `create`: a dry run
    never creates it, and returns None); for a warehouse already pseudonymised the load is refused
    before anything is created."""
    stored = meta_value(conn, "key_fingerprint")
    if not secret.exists():
        if stored is not None:
            raise WarehouseError(
                f"The pseudonymisation key file {secret} does not exist, and this warehouse was pseudonymised "
                f"with a key (fingerprint {stored}). Point --secret (or $MAILLAGE_SECRET) to that key file, "
                "restored from your backup if needed; nothing was created. A new key is made only on the "
                "first load into a new warehouse (another --db).",
                message_fr=f"Le fichier de clé de pseudonymisation {secret} n'existe pas, et cet entrepôt a été "
                f"pseudonymisé avec une clé (empreinte {stored}). Indiquez ce fichier de clé (variable "
                "MAILLAGE_SECRET au lancement du tableau de bord, ou --secret en ligne de commande), restauré "
                "depuis votre sauvegarde si besoin ; rien n'a été créé. Une nouvelle clé n'est créée qu'au "
                "premier chargement dans un nouvel entrepôt (un autre --db).",
            )
        if not create:
            return None
    key = load_or_create_secret(secret)
    if stored is not None and stored != key_fingerprint(key):
        _check_key(conn, key, secret)
    return key


def unavailable_fr(exc: Exception) -> str:
    """The French of a WarehouseUnavailable (its English text comes from warehouse.db)."""
    return (
        f"L'entrepôt n'est pas accessible pour l'instant ({exc}). Si un autre chargement est en cours, "
        "attendez qu'il se termine, puis réessayez."
    )


def load_file(
    path: Path,
    instrument: str,
    wave: str | None = None,
    *,
    db: Path | None = None,
    dry_run: bool = False,
    secret_path: Path | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    surveys: Sequence[Path] | None = None,
) -> LoadResult:
    """The whole pipeline for one file; on any error the warehouse is exactly as before (and
    names that would become paths are checked before anything is written)."""
    v.check_names(wave, instrument)
    db_path = resolve_db_path(db)
    if dry_run:
        return _dry_run(db_path, path, instrument, wave, sheet, encoding, secret_path, surveys)
    outcome: list[LoadResult] = []

    def build(conn: duckdb.DuckDBPyConnection) -> None:
        outcome.append(
            load_into(
                conn, path, instrument, wave, secret_path=secret_path, sheet=sheet, encoding=encoding, surveys=surveys
            )
        )

    try:
        with writer_lock(db_path):
            publish(db_path, build)
    except _Unchanged as unchanged:
        return unchanged.result
    except WarehouseUnavailable as exc:
        raise WarehouseError(str(exc), message_fr=unavailable_fr(exc)) from None
    return outcome[0]


def _dry_run(
    db_path: Path,
    path: Path,
    instrument: str,
    wave: str | None,
    sheet: str | None,
    encoding: str | None,
    secret_path: Path | None = None,
    surveys: Sequence[Path] | None = None,
) -> LoadResult:
    started = dt.datetime.now()
    t0 = time.perf_counter()
    if db_path.exists():
        try:
            conn = attach_read_only(db_path)
        except WarehouseUnavailable as exc:
            raise WarehouseError(str(exc), message_fr=unavailable_fr(exc)) from None
    else:
        conn = duckdb.connect()
        conn.execute(f"ATTACH ':memory:' AS {ALIAS}")
        conn.execute(f"USE {ALIAS}")
        apply_schema(conn)
    try:
        staged = stage_file(conn, path, instrument, wave, sheet, encoding, surveys)
        similar: list[SimilarWave] = []
        extra, extra_fr = [], []
        if staged.book.kind in SURVEY_KINDS:
            secret = secret_path or default_secret_path()
            key = pseudonymisation_key(conn, secret, create=False)  # the same checks as a real load
            if key is None:
                extra.append(f"a new pseudonymisation key would be created at {secret} (back it up)")
                extra_fr.append(f"une nouvelle clé de pseudonymisation serait créée dans {secret} (sauvegardez-la)")
            else:
                _register_pseudonyms(conn, key)
        if staged.book.kind in (*SURVEY_KINDS, "activity_log"):
            similar = similar_waves(conn, staged)
        result = _result(conn, staged, "dry-run", None, [], 0, started, similar)
        result.notes += extra
        result.notes_fr += extra_fr
        result.replaced_load_ids = _scope_loads(conn, staged.book.name, staged.wave_id)
        if _already_loaded(conn, staged) is not None:
            result.notes.append("this exact file is already loaded for this wave: loading it would change nothing")
            result.notes_fr.append(
                "ce fichier exact est déjà chargé pour cette vague : le charger ne changerait rien"
            )
    finally:
        conn.close()
    result.seconds = time.perf_counter() - t0
    return result
