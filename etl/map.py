"""Map stage: the codebook says which column holds what; answers become values, set-based.

Input: table `raw_all` (see etl.read). Output, in the same DuckDB connection:
- `colmap`: one row per recognised answer column (items, roster choices, roster ratings);
- `mapped`: the answers as numbers, wide (one column per answer column), and `bad_cells`, the
  non-empty answers that match no label;
- `rows`: one row per data row, with its metadata fields mapped (role, institution, ...) and the
  raw text kept beside each so the validate stage can report what did not map.
Nothing is checked here beyond mapping; etl.validate decides what is a problem.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from etl.closest import ClosestNames
from etl.codebook import Codebook, Roster
from etl.normalize import install_macros, keys_many, normalise_many
from etl.read import RawExport
from warehouse.db import sector_aliases

# Answers meaning "ticked" / "not ticked" in one-column-per-choice multi-selects
# (LimeSurvey Y/empty, KoboToolbox 1/0, Google Sheets TRUE/FALSE).
SELECTED = ("y", "yes", "oui", "1", "true", "vrai", "x", "selected", "coche", "checked")
NOT_SELECTED = ("n", "no", "non", "0", "false", "faux")

WEEKDAYS = (
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "lun", "mar", "mer", "jeu", "ven", "sam", "dim", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
)  # fmt: skip
DATE_ORDERS = ("dmy", "mdy")


def date_formats(order: str = "dmy") -> list[str]:
    """The strptime formats tried on dates that are not ISO, day first (`dmy`: French exports,
    Framaforms, LimeSurvey in French) or month first (`mdy`: Google Sheets in a US locale)."""
    first, second = ("%d", "%m") if order == "dmy" else ("%m", "%d")
    times = (" %H:%M:%S", " %H:%M", " %I:%M:%S %p", " %I:%M %p", "")
    return [f"{first}{sep}{second}{sep}%Y{t}" for sep in ("/", "-", ".", " ") for t in times]


YMD_FORMATS = [f"%Y/%m/%d{t}" for t in (" %H:%M:%S", " %H:%M", " %I:%M:%S %p", " %I:%M %p", "")]


DATE_FORMATS = date_formats("dmy")
FRENCH_MONTHS = [
    ("janvier", "01"),
    ("fevrier", "02"),
    ("mars", "03"),
    ("avril", "04"),
    ("mai", "05"),
    ("juin", "06"),
    ("juillet", "07"),
    ("aout", "08"),
    ("septembre", "09"),
    ("octobre", "10"),
    ("novembre", "11"),
    ("decembre", "12"),
    ("janv.", "01"),
    ("fevr.", "02"),
    ("avr.", "04"),
    ("juil.", "07"),
    ("sept.", "09"),
    ("oct.", "10"),
    ("nov.", "11"),
    ("dec.", "12"),
]


@dataclass
class ColumnTarget:
    index: int
    header: str
    kind: str  # key | submitted | wave | field | item | choice | list | rating | ignore
    target: str
    roster_field: str | None = None
    choice_text: str | None = None
    institution_id: str | None = None

    @property
    def col(self) -> str:
        return f"c{self.index}"


@dataclass
class Mapping:
    book: Codebook
    header_rows: int
    headers: list[str]
    targets: list[ColumnTarget]
    unknown_columns: list[tuple[int, str]] = field(default_factory=list)
    unknown_choices: list[tuple[int, str, str]] = field(default_factory=list)  # index, header, text
    missing_items: list[str] = field(default_factory=list)
    duplicate_targets: list[tuple[str, list[str]]] = field(default_factory=list)
    ambiguous_columns: list[tuple[int, str, str]] = field(default_factory=list)  # index, header, candidates
    date_orders: dict[str, str] = field(default_factory=dict)  # "submitted" or a date field → dmy | mdy
    ambiguous_dates: list[str] = field(default_factory=list)  # the same, when no date told the order

    def of_kind(self, *kinds: str) -> list[ColumnTarget]:
        return [t for t in self.targets if t.kind in kinds]

    def column_for(self, kind: str, target: str | None = None) -> ColumnTarget | None:
        for t in self.targets:
            if t.kind == kind and (target is None or t.target == target):
                return t
        return None

    @property
    def recognised(self) -> int:
        return sum(1 for t in self.targets if t.kind != "ignore")


# --- Institutions (for matching names written in exports) --------------------------------------


@dataclass
class InstitutionIndex:
    """Every spelling of every institution, normalised two ways (mnorm and letters/digits only)."""

    by_norm: dict[str, str]
    by_key: dict[str, str]
    names: dict[str, str]  # id → display name
    spellings: dict[str, str]  # any spelling → id (for suggestions)
    territories: dict[str, str]  # mnorm(territory) → canonical spelling

    @property
    def empty(self) -> bool:
        return not self.names

    @functools.cached_property
    def _lowered(self) -> dict[str, str]:
        """Lower-cased spelling → the spelling (the last one written wins)."""
        return {s.lower(): s for s in self.spellings}

    @functools.cached_property
    def _closest(self) -> ClosestNames:
        return ClosestNames(self._lowered, cutoff=0.6)

    def closest_institution(self, text: str) -> str | None:
        """The id of the institution whose spelling is closest to `text` (case ignored; difflib's
        ratio ≥ 0.6), None when none is close enough."""
        close = self._closest.closest(text.lower())
        return None if close is None else self.spellings[self._lowered[close]]


def institution_index(conn: duckdb.DuckDBPyConnection, schema: str = "wh") -> InstitutionIndex:
    """Read the institutions and their aliases from the attached warehouse."""
    install_macros(conn)
    rows = conn.execute(
        f"""
        WITH spellings AS (
            SELECT institution_id, institution_id AS s FROM {schema}.institutions
            UNION ALL SELECT institution_id, name FROM {schema}.institutions
            UNION ALL SELECT institution_id, alias FROM {schema}.institution_aliases
        )
        SELECT institution_id, s, mnorm(s), mkey(s) FROM spellings
        """
    ).fetchall()
    by_norm: dict[str, str] = {}
    by_key: dict[str, str] = {}
    spellings: dict[str, str] = {}
    for inst, s, n, k in rows:
        by_norm.setdefault(n, inst)
        if k:
            by_key.setdefault(k, inst)
        spellings[s] = inst
    names = dict(conn.execute(f"SELECT institution_id, name FROM {schema}.institutions").fetchall())
    terr = conn.execute(
        f"SELECT DISTINCT mnorm(territory), territory FROM {schema}.institutions WHERE territory IS NOT NULL"
    ).fetchall()
    return InstitutionIndex(by_norm, by_key, names, spellings, {n: t for n, t in terr})


def match_institution(index: InstitutionIndex, norm_text: str, key_text: str) -> str | None:
    return index.by_norm.get(norm_text) or (index.by_key.get(key_text) if key_text else None)


# --- Column resolution -------------------------------------------------------------------------


def _candidates_for(book: Codebook) -> list[tuple[str, str, str, float]]:
    """(column name, kind, target, priority): lower priority wins when two targets share a name."""
    out: list[tuple[str, str, str, float]] = []
    # key / submitted / wave: when several columns match, the codebook's first-listed wins.
    for i, c in enumerate(book.key_columns):
        out.append((c, "key", "key", i / 1000))
    for i, c in enumerate(book.submitted_columns):
        out.append((c, "submitted", "submitted", i / 1000))
    for i, c in enumerate(book.wave_columns):
        out.append((c, "wave", "wave", i / 1000))
    for c in book.ignore_columns:
        out.append((c, "ignore", "ignore", 5))
    for f in book.fields:
        for c in f.columns:
            out.append((c, "field", f.name, 1))
        for c in (f.label_fr, f.label_en):
            out.append((c, "field", f.name, 3))
    for item in book.items:
        for c in (item.id, *item.columns):
            out.append((c, "item", item.id, 1))
        for c in (item.fr, item.en):
            out.append((c, "item", item.id, 3))
        if item.stem_fr:
            out.append((f"{item.stem_fr} [{item.fr}]", "item", item.id, 2))
        if item.stem_en:
            out.append((f"{item.stem_en} [{item.en}]", "item", item.id, 2))
    for roster in book.rosters:
        for c in roster.list_columns:
            out.append((c, "list", roster.id, 1))
        if roster.kind == "multi_select":
            out.append((roster.fr, "list", roster.id, 3))
            out.append((roster.en, "list", roster.id, 3))
    return out


def _patterns_for(book: Codebook) -> list[tuple[str, str, str, str | None]]:
    """(pattern with {choice}, kind, roster id, roster field)."""
    out: list[tuple[str, str, str, str | None]] = []
    for roster in book.rosters:
        if roster.kind == "multi_select":
            for p in roster.choice_columns:
                out.append((p, "choice", roster.id, None))
            out.append((f"{roster.fr} [{{choice}}]", "choice", roster.id, None))
            out.append((f"{roster.en} [{{choice}}]", "choice", roster.id, None))
        for rf in roster.fields:
            for p in rf.columns:
                out.append((p, "rating", roster.id, rf.name))
            out.append((f"{rf.fr} [{{choice}}]", "rating", roster.id, rf.name))
    return out


@dataclass
class _Resolver:
    names: dict[str, tuple[str, str, float]]
    patterns: list[tuple[re.Pattern[str], str, str, str | None]]
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # name → the targets it could be
    by_key: dict[str, tuple[str, str, float]] = field(default_factory=dict)  # letters/digits-only names


def _resolver(conn: duckdb.DuckDBPyConnection, book: Codebook) -> _Resolver:
    """Every name a column may have, normalised. A name that two targets share at the same
    priority (two items with the same wording) is ambiguous: such a column is reported, not
    given to one of them at random."""
    cands = _candidates_for(book)
    texts = [c[0] for c in cands]
    normed = normalise_many(conn, texts)
    keyed = keys_many(conn, texts)
    names: dict[str, tuple[str, str, float]] = {}
    ambiguous: dict[str, list[str]] = {}
    by_key: dict[str, tuple[str, str, float]] = {}
    key_clash: set[str] = set()
    for (_, kind, target, prio), n, k in zip(cands, normed, keyed, strict=True):
        if not n:
            continue
        if n not in names or prio < names[n][2]:
            names[n] = (kind, target, prio)
            ambiguous.pop(n, None)
        elif prio == names[n][2] and (kind, target) != names[n][:2] and kind != "ignore":
            ambiguous.setdefault(n, [names[n][1]])
            if target not in ambiguous[n]:
                ambiguous[n].append(target)
        if k:
            if k in by_key and by_key[k][:2] != (kind, target) and by_key[k][2] == prio:
                key_clash.add(k)
            if k not in by_key or prio < by_key[k][2]:
                by_key[k] = (kind, target, prio)
    for k in key_clash:
        by_key.pop(k, None)
    pats = _patterns_for(book)
    pnormed = normalise_many(conn, [p[0] for p in pats])
    patterns = []
    for (_, kind, roster, rfield), pn in zip(pats, pnormed, strict=True):
        regex = re.escape(pn).replace(re.escape("{choice}"), "(.+?)")
        patterns.append((re.compile(f"^{regex}$"), kind, roster, rfield))
    return _Resolver(names, patterns, ambiguous, by_key)


def _header_variants(head: list[list[str]], k: int, n_cols: int) -> list[list[str]]:
    """Candidate names of each column when the first `k` rows are headers.

    One header row: the cell. Several (Framaforms): each cell, and "<group> [<question>]" with the
    group carried right across the cells it spans.
    """
    rows = [(r + [""] * n_cols)[:n_cols] for r in head[:k]]
    variants: list[list[str]] = [[] for _ in range(n_cols)]
    carried = [""] * k
    for j in range(n_cols):
        cells = [rows[i][j].strip() for i in range(k)]
        for i in range(k - 1):
            if cells[i]:
                carried[i] = cells[i]
        last = next((c for c in reversed(cells) if c), "")
        variants[j].extend(c for c in reversed(cells) if c)
        if k > 1 and last:
            for i in range(k - 1):
                if carried[i] and carried[i] != last:
                    variants[j].append(f"{carried[i]} [{last}]")
    return variants


def _split_prefix(name: str) -> list[str]:
    """'G02Q01[SQ001]. Je coordonne…' → ['G02Q01[SQ001]']; 'groupe/question' → ['question']."""
    out = []
    for sep in (". ", " - ", ": "):
        if sep in name:
            out.append(name.split(sep, 1)[0])
    if "/" in name:
        out.append(name.rsplit("/", 1)[1])
    return out


def _resolve_column(
    resolver: _Resolver, variants_norm: list[str], patterns: bool = True
) -> tuple[str, str, str | None, str | None, float] | None:
    """(kind, target, roster field, choice text, priority) for one column, or None; kind is
    "ambiguous" (target: the candidates) when its only matching names are ambiguous."""
    unclear = [v for v in variants_norm if v in resolver.ambiguous]
    for v in variants_norm:
        hit = resolver.names.get(v)
        if hit and v not in resolver.ambiguous:
            return hit[0], hit[1], None, None, hit[2]
    if patterns:
        for v in variants_norm:
            for regex, kind, roster, rfield in resolver.patterns:
                m = regex.match(v)
                if m:
                    return kind, roster, rfield, m.group(1), 1.0
    if unclear:
        return "ambiguous", ", ".join(resolver.ambiguous[unclear[0]]), None, None, 9.0
    return None


def resolve_columns(
    conn: duckdb.DuckDBPyConnection, raw: RawExport, book: Codebook, institutions: InstitutionIndex
) -> Mapping:
    """Decide the number of header rows and the target of every column."""
    install_macros(conn)
    resolver = _resolver(conn, book)
    best: Mapping | None = None
    for k in range(1, min(3, max(raw.n_rows, 1)) + 1):
        mapping = _mapping_for(conn, raw, book, institutions, resolver, k)
        if best is None or mapping.recognised > best.recognised:
            best = mapping
    assert best is not None
    return best


def _mapping_for(
    conn: duckdb.DuckDBPyConnection,
    raw: RawExport,
    book: Codebook,
    institutions: InstitutionIndex,
    resolver: _Resolver,
    k: int,
) -> Mapping:
    variants = _header_variants(raw.head, k, raw.n_columns)
    flat: list[str] = []
    owners: list[tuple[int, bool]] = []
    for j, vs in enumerate(variants):
        for v in vs:
            flat.append(v)
            owners.append((j, True))
        for v in (p for x in vs for p in _split_prefix(x)):
            flat.append(v)
            owners.append((j, False))
    aliases = raw.header_aliases if k == 1 else []
    for j, names in enumerate(aliases):
        for v in names:  # SPSS variable labels: the question text beside the variable name
            flat.append(v)
            owners.append((j, True))
    normed = normalise_many(conn, flat)
    keyed = keys_many(conn, flat) if raw.loose_names else [""] * len(flat)
    # whole header names first; 'code. text' prefixes and last path segments only as a fallback
    by_col: list[list[str]] = [[] for _ in range(raw.n_columns)]
    fallback: list[list[str]] = [[] for _ in range(raw.n_columns)]
    loose: list[list[str]] = [[] for _ in range(raw.n_columns)]
    for (j, whole), n, key in zip(owners, normed, keyed, strict=True):
        if n:
            (by_col if whole else fallback)[j].append(n)
        if key and whole:
            loose[j].append(key)
    headers = [vs[0] if vs else "" for vs in variants]
    headers = [h or f"(column {j + 1})" for j, h in enumerate(headers)]
    mapping = Mapping(book, k, headers, [])
    choice_texts: list[tuple[int, str, str, str | None, str]] = []
    single: dict[str, list[tuple[float, int]]] = {}
    for j, cands in enumerate(by_col):
        if not cands:
            continue
        hit = _resolve_column(resolver, cands) or _resolve_column(resolver, fallback[j], patterns=False)
        if hit is None and loose[j]:
            # SPSS variable names cannot hold "[", "/" or spaces (G02Q01[SQ001] is G02Q01_SQ001):
            # match them on letters and digits only
            loose_hit = next((resolver.by_key[x] for x in loose[j] if x in resolver.by_key), None)
            hit = (loose_hit[0], loose_hit[1], None, None, loose_hit[2]) if loose_hit else None
        if hit is None:
            mapping.unknown_columns.append((j, headers[j]))
            continue
        kind, target, rfield, choice, prio = hit
        if kind == "ambiguous":
            mapping.ambiguous_columns.append((j, headers[j], target))
            continue
        if kind in ("choice", "rating"):
            choice_texts.append((j, kind, target, rfield, choice or ""))
        elif kind in ("key", "submitted", "wave"):
            single.setdefault(kind, []).append((prio, j))
        else:
            mapping.targets.append(ColumnTarget(j, headers[j], kind, target))
    for kind, found in single.items():
        found.sort()
        mapping.targets.append(ColumnTarget(found[0][1], headers[found[0][1]], kind, kind))
        for _, j in found[1:]:
            mapping.targets.append(ColumnTarget(j, headers[j], "ignore", "ignore"))
    if choice_texts:
        _attach_choices(conn, mapping, institutions, choice_texts)
    _check_duplicates(mapping)
    asked = {t.target for t in mapping.of_kind("item")}
    mapping.missing_items = [i.id for i in book.items if i.id not in asked]
    return mapping


def _attach_choices(
    conn: duckdb.DuckDBPyConnection,
    mapping: Mapping,
    institutions: InstitutionIndex,
    choice_texts: list[tuple[int, str, str, str | None, str]],
) -> None:
    texts = [c[4] for c in choice_texts]
    keys = [re.sub(r"[^a-z0-9]", "", t) for t in texts]  # texts are already mnorm'ed
    for (j, kind, roster, rfield, text), key in zip(choice_texts, keys, strict=True):
        inst = match_institution(institutions, text, key)
        if inst is None:
            mapping.unknown_choices.append((j, mapping.headers[j], text))
            continue
        mapping.targets.append(ColumnTarget(j, mapping.headers[j], kind, roster, rfield, text, inst))


def _check_duplicates(mapping: Mapping) -> None:
    """Two columns for one single-valued target (e.g. two 'role' columns) is a file problem."""
    seen: dict[tuple[str, str, str | None, str | None], list[str]] = {}
    for t in mapping.targets:
        if t.kind in ("ignore",):
            continue
        seen.setdefault((t.kind, t.target, t.roster_field, t.institution_id), []).append(t.header)
    for (kind, target, rfield, inst), headers in seen.items():
        if len(headers) > 1 and kind != "list":
            label = target if kind != "rating" else f"{target}.{rfield} for {inst}"
            mapping.duplicate_targets.append((label, headers))


# --- Staging tables ----------------------------------------------------------------------------


def _label_rows(book: Codebook) -> list[tuple[str, str, float | None, str | None, bool, int]]:
    rows: list[tuple[str, str, float | None, str | None, bool, int]] = []
    for name, rs in book.response_sets.items():
        for order, opt in enumerate(rs.options):
            for spelling in opt.match:
                rows.append((name, spelling, opt.value, opt.code, False, order))
        for spelling in rs.missing:
            rows.append((name, spelling, None, None, True, -1))
    for s in SELECTED:
        rows.append(("_selected", s, 1.0, None, False, 1))
    for s in NOT_SELECTED:
        rows.append(("_selected", s, 0.0, None, False, 0))
    for sector, spellings in sector_aliases().items():
        for s in spellings:
            rows.append(("_sector", s, None, sector, False, 0))
    return rows


def stage_labels(conn: duckdb.DuckDBPyConnection, book: Codebook) -> None:
    """Table `labels`: (response_set, key = mnorm(spelling)) → value / code / is_missing."""
    df = pd.DataFrame(_label_rows(book), columns=["response_set", "spelling", "value", "code", "is_missing", "ord"])
    conn.register("labels_df", df)
    conn.execute(
        """
        CREATE OR REPLACE TEMP TABLE labels AS
        SELECT DISTINCT ON (response_set, mnorm(spelling))
               response_set, mnorm(spelling) AS key, value, code, is_missing
        FROM labels_df ORDER BY response_set, mnorm(spelling), is_missing, ord
        """
    )
    conn.unregister("labels_df")


def _numeric_sql(expr: str) -> str:
    """Text → DOUBLE, accepting decimal commas and thousands spaces ('1 234,5')."""
    return f"try_cast(replace(regexp_replace(trim({expr}), '[\\s{chr(160)}{chr(8239)}]', '', 'g'), ',', '.') AS DOUBLE)"


def timestamp_sql(expr: str, order: str = "dmy") -> str:
    """Text → TIMESTAMP: ISO (time zone dropped: local time as written), the day-first (or, with
    order="mdy", month-first) dates of every supported tool, French month names, Excel serials.

    The common case (ISO text, as LimeSurvey, KoboToolbox and spreadsheets write it) is tried first;
    the other formats are only tried on the rows it does not read (CASE branches are lazy)."""
    slow = _slow_timestamp_sql(expr, order)
    # DuckDB's cast also reads "20/11/25" (as the year 20): only ISO text takes the fast path
    iso = f"regexp_matches({expr}, '^\\s*[0-9]{{4}}-[0-9]')"
    return (
        f"CASE WHEN {expr} IS NULL THEN NULL WHEN {iso} AND try_cast({expr} AS TIMESTAMP) IS NOT NULL "
        f"THEN try_cast({expr} AS TIMESTAMP) ELSE {slow} END"
    )


def _clean_date_sql(expr: str) -> str:
    """A date text made plain for strptime: lower case, no accents, no weekday in front
    ("mar., 03/02/2026", "Tue, 03/02/2026"), no separator between date and time (Framaforms
    "02/03/2026 - 09:00", "12/05/2025 à 10:23", "12/05/2025, 10:23"), "10h23" → "10:23", no trailing
    time zone (Google Forms "… PM GMT+2")."""
    days = "|".join(WEEKDAYS)
    x = f"regexp_replace(lower(strip_accents(trim({expr}))), '\\s+', ' ', 'g')"
    x = f"regexp_replace({x}, '^({days})\\.?,? ?([0-9])', '\\2')"
    x = f"regexp_replace({x}, '([0-9]{{2,4}}),? (- |a |at )?([0-9]{{1,2}}[:h][0-9])', '\\1 \\3')"
    x = f"regexp_replace({x}, '([0-9]{{1,2}})h([0-9]{{2}})', '\\1:\\2', 'g')"
    # a two-digit year (20/11/25) is this century's: %Y would read it as the year 25
    x = f"regexp_replace({x}, '^([0-9]{{1,2}}[/. -][0-9]{{1,2}}[/. -])([0-9]{{2}})( |$)', '\\120\\2\\3')"
    return f"trim(regexp_replace({x}, ' ?(gmt|utc|z)([+-][0-9]{{1,2}}(:?[0-9]{{2}})?)?$', ''))"


def _slow_timestamp_sql(expr: str, order: str = "dmy") -> str:
    zone = "(\\.\\d+)?(Z|[+-]\\d\\d:?\\d\\d)$"
    starts_iso = f"regexp_matches({expr}, '^\\s*[0-9]{{4}}-[0-9]')"
    iso = f"CASE WHEN {starts_iso} THEN regexp_replace(trim({expr}), '{zone}', '') END"
    clean = _clean_date_sql(expr)
    months = clean
    for name, num in FRENCH_MONTHS:
        months = f"replace({months}, '{name}', '{num}')"
    formats = ", ".join(f"'{f}'" for f in date_formats(order))
    ymd = ", ".join(f"'{f}'" for f in YMD_FORMATS)
    day_first = ", ".join(f"'{f}'" for f in date_formats("dmy"))  # "12 mai 2025" is always day first
    serial = _numeric_sql(expr)
    parsed = (
        f"coalesce(try_cast({iso} AS TIMESTAMP), "
        f"CASE WHEN regexp_matches({clean}, '^[0-9]{{4}}/') THEN try_strptime({clean}, [{ymd}]) "
        f"ELSE try_strptime({clean}, [{formats}]) END, "
        f"try_strptime(regexp_replace({months}, '\\s+', ' ', 'g'), [{day_first}]), "
        # Excel keeps times to the millisecond: rounding there gives 14:30:00, not 14:29:59.999999
        f"CASE WHEN {serial} BETWEEN 20000 AND 80000 "
        f"THEN TIMESTAMP '1899-12-30' + to_milliseconds(CAST(round({serial} * 86400e3) AS BIGINT)) END)"
    )
    # a date outside 1900-2100 is a misreading (a number or a code), not a submission date
    return f"(SELECT CASE WHEN year(d) BETWEEN 1900 AND 2100 THEN d END FROM (SELECT {parsed} AS d))"


def date_order_sql(table: str, column: str) -> str:
    """(day-first evidence, month-first evidence, slash dates) of a column of text dates: a first
    number above 12 proves day/month, a second one above 12 proves month/day."""
    pattern = "^[a-z., ]*([0-9]{1,2})[/.-]([0-9]{1,2})[/.-][0-9]{2,4}"
    head = f"regexp_extract(lower(strip_accents(trim({column}))), '{pattern}', ['a', 'b'])"
    return (
        f"SELECT count(*) FILTER (WHERE try_cast(p.a AS INTEGER) > 12), "
        f"count(*) FILTER (WHERE try_cast(p.b AS INTEGER) > 12), count(*) FILTER (WHERE p.a <> '') "
        f"FROM (SELECT unnest({head}) FROM {table} WHERE {column} IS NOT NULL "
        f"AND try_cast({column} AS TIMESTAMP) IS NULL) p"
    )


def detect_date_order(conn: duckdb.DuckDBPyConnection, table: str, column: str) -> tuple[str, bool]:
    """(order, ambiguous) of a date column: `mdy` only when some date proves month first and none
    day first; ambiguous when it has d/m/y dates and none has a number above 12 in either place
    (read day first, as the French tools write them, and reported)."""
    row = conn.execute(date_order_sql(table, column)).fetchall()[0]
    day_first, month_first, slashed = (int(v or 0) for v in row)
    if month_first and not day_first:
        return "mdy", False
    return "dmy", bool(slashed) and not day_first and not month_first


def numeric_sql(expr: str) -> str:
    return _numeric_sql(expr)


def _spelling_variants(text: str) -> set[str]:
    return {text, text.strip(), text.lower(), text.upper(), text.capitalize()}


def _number_spellings(value: float) -> set[str]:
    out = {repr(value), f"{value:g}"}
    if value.is_integer():
        out |= {str(int(value)), f"{int(value)}.0", f"{int(value)},0"}
    else:
        out.add(f"{value:g}".replace(".", ","))
    return out


def exact_value_map(book: Codebook, response_set: str) -> dict[str, float]:
    """Spellings → value, as they are commonly written (a fast exact lookup; anything else goes
    through the normalised match). Missing-answer spellings map to NaN."""
    out: dict[str, float] = {}
    if response_set == "_selected":
        for s in SELECTED:
            for v in _spelling_variants(s):
                out[v] = 1.0
        for s in NOT_SELECTED:
            for v in _spelling_variants(s):
                out[v] = 0.0
        return out
    rs = book.response_sets[response_set]
    # Lowest priority first, so that a later write wins: an option's value written as a number,
    # then "missing" spellings, then the explicit spellings (labels, codes, aliases). A Kobo code
    # "1" of the option worth 0.5 thus beats the number 1 of the option worth 1 (the codebook
    # declared that code); two explicit spellings never collide (etl.codebook refuses them).
    for opt in rs.options:
        assert opt.value is not None
        for spelling in _number_spellings(opt.value):
            for v in _spelling_variants(spelling):
                out[v] = opt.value
    for spelling in rs.missing:
        for v in _spelling_variants(spelling):
            out[v] = float("nan")
    for opt in rs.options:
        assert opt.value is not None
        for spelling in opt.match:
            for v in _spelling_variants(spelling):
                out[v] = opt.value
    out.pop("", None)
    return out


def _colmap_frame(mapping: Mapping) -> pd.DataFrame:
    book = mapping.book
    items = {i.id: i for i in book.items}
    rosters: dict[str, Roster] = {r.id: r for r in book.rosters}
    records: list[dict[str, Any]] = []
    for t in mapping.of_kind("item", "choice", "rating"):
        if t.kind == "item":
            rset = items[t.target].response_set
        elif t.kind == "choice":
            rset = "_selected"
        else:
            rf = next(f for f in rosters[t.target].fields if f.name == t.roster_field)
            rset = rf.response_set
        records.append(
            {
                "col": t.col,
                "header": t.header,
                "kind": t.kind,
                "target": t.target,
                "roster_field": t.roster_field,
                "institution_id": t.institution_id,
                "response_set": rset,
            }
        )
    columns = ["col", "header", "kind", "target", "roster_field", "institution_id", "response_set"]
    return pd.DataFrame(records, columns=columns).astype("object")


def stage_values(conn: duckdb.DuckDBPyConnection, mapping: Mapping) -> None:
    """Tables `colmap` (one row per answer column), `mapped` (the answers as numbers, wide: one
    column per answer column, NaN for "don't know"-style answers, NULL when empty or unknown) and
    `bad_cells` (non-empty answers that match no label).

    Answers are mapped column by column with an exact lookup of the spellings a codebook gives
    (set-based, no per-cell normalisation); only the few distinct values that miss it go through
    the normalised match (case, accents, spaces, typographic quotes)."""
    colmap = _colmap_frame(mapping)
    conn.register("colmap_df", colmap)
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE colmap AS SELECT col::VARCHAR AS col, header::VARCHAR AS header, "
        "kind::VARCHAR AS kind, target::VARCHAR AS target, roster_field::VARCHAR AS roster_field, "
        "institution_id::VARCHAR AS institution_id, response_set::VARCHAR AS response_set FROM colmap_df"
    )
    conn.unregister("colmap_df")
    conn.execute("CREATE OR REPLACE TEMP TABLE bad_cells (__row INTEGER, col VARCHAR, raw VARCHAR)")
    k = mapping.header_rows
    if colmap.empty:
        conn.execute(f"CREATE OR REPLACE TEMP TABLE mapped AS SELECT __row FROM raw_all WHERE __row > {k}")
        return
    sets = sorted(set(colmap["response_set"]))
    maps = {rs: exact_value_map(mapping.book, rs) for rs in sets}
    params: list[object] = []
    map_exprs = []
    for i, rs in enumerate(sets):
        map_exprs.append(f"MAP(?::VARCHAR[], ?::DOUBLE[]) AS m{i}")
        params += [list(maps[rs]), list(maps[rs].values())]
    index = {rs: i for i, rs in enumerate(sets)}
    cols = list(colmap["col"])
    sel = ", ".join(
        f"map_extract_value(m{index[rs]}, {c}) AS {c}" for c, rs in zip(cols, colmap["response_set"], strict=True)
    )
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE mapped AS SELECT __row, {sel} FROM raw_all, "
        f"(SELECT {', '.join(map_exprs)}) WHERE __row > {k}",
        params,
    )
    _resolve_inexact(conn, mapping, colmap, k)


def _resolve_inexact(conn: duckdb.DuckDBPyConnection, mapping: Mapping, colmap: pd.DataFrame, k: int) -> None:
    """Values the exact lookup missed: match them normalised, else record them as bad cells."""
    cols = list(colmap["col"])
    counts = conn.execute(
        f"SELECT {', '.join(f'count({c})' for c in cols)} FROM raw_all WHERE __row > {k} "
        f"UNION ALL SELECT {', '.join(f'count({c})' for c in cols)} FROM mapped"
    ).fetchall()
    flagged = [c for c, raw_n, mapped_n in zip(cols, counts[0], counts[1], strict=True) if raw_n != mapped_n]
    if not flagged:
        return
    rset = dict(zip(colmap["col"], colmap["response_set"], strict=True))
    parts = " UNION ALL ".join(
        f"SELECT DISTINCT '{c}' AS col, r.{c} AS raw FROM raw_all r JOIN mapped m USING (__row) "
        f"WHERE r.{c} IS NOT NULL AND m.{c} IS NULL"
        for c in flagged
    )
    conn.execute(f"CREATE OR REPLACE TEMP TABLE missed AS {parts}")
    sets_df = pd.DataFrame({"col": flagged, "response_set": [rset[c] for c in flagged]}).astype("object")
    conn.register("missed_sets", sets_df)
    resolved = conn.execute(
        """
        WITH keyed AS (
            SELECT m.col, m.raw, s.response_set, mnorm(m.raw) AS key,
                   try_cast(replace(mnorm(m.raw), ',', '.') AS DOUBLE) AS num
            FROM missed m JOIN missed_sets s USING (col)
        )
        SELECT k.col, k.raw,
               CASE WHEN k.key = '' OR l.is_missing THEN 'NaN'::DOUBLE ELSE coalesce(l.value, n.value) END AS value
        FROM keyed k
        LEFT JOIN labels l ON l.response_set = k.response_set AND l.key = k.key
        LEFT JOIN (SELECT DISTINCT response_set, value FROM labels WHERE value IS NOT NULL) n
               ON n.response_set = k.response_set AND n.value = k.num
        """
    ).fetchall()
    conn.unregister("missed_sets")
    fixes: dict[str, dict[str, float]] = {}
    bad: dict[str, list[str]] = {}
    for col, raw, value in resolved:
        if value is None:
            bad.setdefault(col, []).append(raw)
        else:
            fixes.setdefault(col, {})[raw] = value
    for col, fix in fixes.items():
        conn.execute(
            f"UPDATE mapped SET {col} = map_extract_value(MAP(?::VARCHAR[], ?::DOUBLE[]), r.{col}) "
            f"FROM raw_all r WHERE r.__row = mapped.__row AND mapped.{col} IS NULL AND list_contains(?, r.{col})",
            [list(fix), list(fix.values()), list(fix)],
        )
    for col, raws in bad.items():
        conn.execute(
            f"INSERT INTO bad_cells SELECT __row, '{col}', {col} FROM raw_all WHERE __row > {k} "
            f"AND list_contains(?, {col})",
            [raws],
        )


def long_values_sql(mapping: Mapping, *kinds: str) -> str:
    """SQL of (__row, col, value) for the answer columns of these kinds: one row per answered
    cell (empty, unknown and "don't know" answers left out)."""
    cols = [t.col for t in mapping.of_kind(*kinds)]
    if not cols:
        return (
            "(SELECT CAST(NULL AS INTEGER) AS __row, CAST(NULL AS VARCHAR) AS col, "
            "CAST(NULL AS DOUBLE) AS value WHERE false)"
        )
    listed = ", ".join(cols)
    return (
        f"(SELECT __row, col, value FROM (UNPIVOT (SELECT __row, {listed} FROM mapped) ON {listed} "
        "INTO NAME col VALUE value) WHERE NOT isnan(value))"
    )


def _col_expr(mapping: Mapping, kind: str, target: str | None = None) -> str:
    t = mapping.column_for(kind, target)
    return f"nullif(trim({t.col}), '')" if t else "CAST(NULL AS VARCHAR)"


def stage_rows(conn: duckdb.DuckDBPyConnection, mapping: Mapping) -> None:
    """Table `rows`: one row per data row with the raw text of each row-level field."""
    book = mapping.book
    k = mapping.header_rows
    exprs = [
        "__row",
        f"{_col_expr(mapping, 'key')} AS _key_raw",
        f"{_col_expr(mapping, 'submitted')} AS _submitted_raw",
        f"{_col_expr(mapping, 'wave')} AS _wave_raw",
    ]
    for f in book.fields:
        exprs.append(f'{_col_expr(mapping, "field", f.name)} AS "{f.name}_raw"')
    all_cols = [f"c{j}" for j in range(len(mapping.headers))]
    empty = f"coalesce({', '.join(all_cols)}) IS NULL" if all_cols else "true"
    exprs.append(f"{empty} AS is_empty")
    conn.execute(f"CREATE OR REPLACE TEMP TABLE rows AS SELECT {', '.join(exprs)} FROM raw_all WHERE __row > {k}")
    dated = [("submitted", "_submitted_raw")] if mapping.column_for("submitted") else []
    dated += [
        (f.name, f'"{f.name}_raw"') for f in book.fields if f.type == "date" and mapping.column_for("field", f.name)
    ]
    for name, column in dated:
        order, unclear = detect_date_order(conn, "rows", column)
        mapping.date_orders[name] = order
        if unclear:
            mapping.ambiguous_dates.append(name)


def stage_institution_spellings(conn: duckdb.DuckDBPyConnection, index: InstitutionIndex) -> None:
    """Table `inst_spellings(norm, key, institution_id)` for set-based matching of names."""
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE inst_spellings AS "
        "SELECT unnest(?::VARCHAR[]) AS norm, CAST(NULL AS VARCHAR) AS key, unnest(?::VARCHAR[]) AS institution_id "
        "UNION ALL SELECT NULL, unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
        [list(index.by_norm), list(index.by_norm.values()), list(index.by_key), list(index.by_key.values())],
    )
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE known_territories AS "
        "SELECT unnest(?::VARCHAR[]) AS norm, unnest(?::VARCHAR[]) AS territory",
        [list(index.territories), list(index.territories.values())],
    )


def _institution_match_sql(raw: str) -> str:
    return (
        f"coalesce((SELECT institution_id FROM inst_spellings WHERE norm = mnorm({raw})), "
        f"(SELECT institution_id FROM inst_spellings WHERE key = mkey({raw}) AND key <> ''))"
    )


def stage_fields(conn: duckdb.DuckDBPyConnection, mapping: Mapping) -> None:
    """Table `fields`: per data row, each single-valued field as `<name>` (mapped) and
    `<name>_ok` (false when a non-empty cell could not be mapped or is out of range); table
    `field_tokens` for list fields: one row per token of a list cell, with its mapped value."""
    book = mapping.book
    selects = ["r.*"]
    joins: list[str] = []
    _stage_field_norms(conn, mapping)
    for f in book.fields:
        raw = f'r."{f.name}_raw"'
        if f.type in ("institution_list", "choice_list", "text_list"):
            continue
        norm = f"fn_{f.name}.norm"
        if f.type in ("choice", "sector", "institution") or f.name == "territory":
            joins.append(
                f"LEFT JOIN field_norms fn_{f.name} ON fn_{f.name}.field = '{f.name}' AND fn_{f.name}.raw = {raw}"
            )
        if f.type == "choice":
            alias = f"lbl_{f.name}"
            joins.append(
                f"LEFT JOIN labels {alias} ON {alias}.response_set = '{f.response_set}' AND {alias}.key = {norm}"
            )
            selects.append(f'{alias}.code AS "{f.name}"')
            selects.append(f'({raw} IS NULL OR {alias}.key IS NOT NULL) AS "{f.name}_ok"')
            selects.append(f'coalesce({alias}.is_missing, false) AS "{f.name}_missing"')
        elif f.type == "sector":
            alias = f"lbl_{f.name}"
            joins.append(f"LEFT JOIN labels {alias} ON {alias}.response_set = '_sector' AND {alias}.key = {norm}")
            selects.append(f'{alias}.code AS "{f.name}"')
            selects.append(f'({raw} IS NULL OR {alias}.key IS NOT NULL) AS "{f.name}_ok"')
        elif f.type == "number":
            num = numeric_sql(raw)
            lo = f"{num} >= {f.min}" if f.min is not None else "true"
            hi = f"{num} <= {f.max}" if f.max is not None else "true"
            selects.append(f'CASE WHEN {lo} AND {hi} THEN {num} END AS "{f.name}"')
            selects.append(f'({raw} IS NULL OR ({num} IS NOT NULL AND {lo} AND {hi})) AS "{f.name}_ok"')
        elif f.type == "date":
            ts = timestamp_sql(raw, mapping.date_orders.get(f.name, "dmy"))
            selects.append(f'CAST({ts} AS DATE) AS "{f.name}"')
            selects.append(f'({raw} IS NULL OR {ts} IS NOT NULL) AS "{f.name}_ok"')
        elif f.type == "institution":
            alias = f"inst_{f.name}"
            joins.append(
                f"LEFT JOIN (SELECT norm, any_value(institution_id) AS institution_id FROM inst_spellings "
                f"WHERE norm IS NOT NULL GROUP BY norm) {alias}n ON {alias}n.norm = {norm}"
            )
            joins.append(
                f"LEFT JOIN (SELECT key, any_value(institution_id) AS institution_id FROM inst_spellings "
                f"WHERE key IS NOT NULL AND key <> '' GROUP BY key) {alias}k ON {alias}k.key = fn_{f.name}.key"
            )
            selects.append(f'coalesce({alias}n.institution_id, {alias}k.institution_id) AS "{f.name}"')
            selects.append(
                f"({raw} IS NULL OR coalesce({alias}n.institution_id, {alias}k.institution_id) IS NOT NULL) "
                f'AS "{f.name}_ok"'
            )
        elif f.type == "text" and f.name == "territory":
            alias = f"terr_{f.name}"
            joins.append(f"LEFT JOIN known_territories {alias} ON {alias}.norm = {norm}")
            selects.append(f'coalesce({alias}.territory, {raw}) AS "{f.name}"')
            selects.append(f'true AS "{f.name}_ok"')
            selects.append(f'({raw} IS NOT NULL AND {alias}.norm IS NULL) AS "{f.name}_unknown"')
        elif f.type == "free_text":
            keep = raw if book.load_free_text else "CAST(NULL AS VARCHAR)"
            selects.append(f'{keep} AS "{f.name}"')
            selects.append(f'true AS "{f.name}_ok"')
        else:  # text
            selects.append(f'{raw} AS "{f.name}"')
            selects.append(f'true AS "{f.name}_ok"')
    conn.execute(f"CREATE OR REPLACE TEMP TABLE fields AS SELECT {', '.join(selects)} FROM rows r {' '.join(joins)}")
    _stage_field_tokens(conn, mapping)


def _stage_field_norms(conn: duckdb.DuckDBPyConnection, mapping: Mapping) -> None:
    """Table `field_norms(field, raw, norm, key)`: the normalised forms of each distinct value of
    the fields matched by text (a field has few distinct values; normalising each row would be
    the slow part)."""
    parts = [
        f'SELECT DISTINCT \'{f.name}\' AS field, "{f.name}_raw" AS raw FROM rows WHERE "{f.name}_raw" IS NOT NULL'
        for f in mapping.book.fields
        if f.type in ("choice", "sector", "institution") or f.name == "territory"
    ]
    body = " UNION ALL ".join(parts) if parts else "SELECT NULL::VARCHAR AS field, NULL::VARCHAR AS raw WHERE false"
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE field_norms AS "
        f"SELECT field, raw, mnorm(raw) AS norm, mkey(raw) AS key FROM ({body})"
    )


def _stage_field_tokens(conn: duckdb.DuckDBPyConnection, mapping: Mapping) -> None:
    parts: list[str] = []
    for f in mapping.book.fields:
        if f.type not in ("institution_list", "choice_list", "text_list"):
            continue
        seps = "".join(re.escape(s) for s in (f.separators or (";",)))
        split = (
            f"SELECT __row, '{f.name}' AS field, trim(unnest(regexp_split_to_array(\"{f.name}_raw\", "
            f"'[{seps}]'))) AS token FROM rows WHERE \"{f.name}_raw\" IS NOT NULL"
        )
        if f.type == "institution_list":
            value = _institution_match_sql("t.token")
        elif f.type == "choice_list":
            value = f"(SELECT code FROM labels WHERE response_set = '{f.response_set}' AND key = mnorm(t.token))"
        else:
            value = "t.token"
        parts.append(f"SELECT t.__row, t.field, t.token, {value} AS value FROM ({split}) t WHERE t.token <> ''")
    if not parts:
        conn.execute(
            "CREATE OR REPLACE TEMP TABLE field_tokens (__row INTEGER, field VARCHAR, token VARCHAR, value VARCHAR)"
        )
        return
    conn.execute(f"CREATE OR REPLACE TEMP TABLE field_tokens AS {' UNION ALL '.join(parts)}")


def stage_roster_lists(conn: duckdb.DuckDBPyConnection, mapping: Mapping) -> None:
    """Table `list_choices`: one row per institution named in a one-column multi-select
    (Kobo: space-separated names; Google Forms: ', '-separated labels)."""
    lists = mapping.of_kind("list")
    if not lists:
        conn.execute(
            "CREATE OR REPLACE TEMP TABLE list_choices (__row INTEGER, col VARCHAR, roster_id VARCHAR, "
            "token VARCHAR, institution_id VARCHAR)"
        )
        return
    k = mapping.header_rows
    parts = []
    for t in lists:
        parts.append(
            f"SELECT __row, '{t.col}' AS col, '{t.target}' AS roster_id, trim(unnest(regexp_split_to_array("
            f"{t.col}, '[;,\\n]'))) AS token FROM raw_all WHERE __row > {k} AND trim({t.col}) <> ''"
        )
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE list_tokens AS
        SELECT *, {_institution_match_sql("token")} AS institution_id
        FROM ({" UNION ALL ".join(parts)}) WHERE token <> ''
        """
    )
    # A token that names no institution may be several space-separated choice names (Kobo).
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE list_choices AS
        SELECT __row, col, roster_id, token, institution_id FROM list_tokens WHERE institution_id IS NOT NULL
        UNION ALL
        SELECT __row, col, roster_id, piece AS token, {_institution_match_sql("piece")} AS institution_id
        FROM (SELECT __row, col, roster_id, unnest(regexp_split_to_array(token, '\\s+')) AS piece
              FROM list_tokens WHERE institution_id IS NULL)
        WHERE piece <> ''
        """
    )
