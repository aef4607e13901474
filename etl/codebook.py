"""Instrument codebooks: TOML files in `<surveys folder>/<instrument>/<version>.toml`.

A codebook says which columns of a survey export hold which item, how answers map to values,
which items are reverse-keyed, how scales are scored, and what each part means for the
indicators (a scale's `role`, a published `standard` such as the WHO-5, an exchange item's
`target_sector`, a roster's `tie_kind`). See docs/codebooks.md for the format.

Codebooks are searched in the folders given with `--surveys`, then in the `surveys` setting
(`$MAILLAGE_SURVEYS`, several folders separated by the system's path separator), then in the
package's own `surveys/`; the first folder that has an instrument wins. A broken codebook blocks
only its own instrument, and its error names the file, the line and what to fix.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from etl.errors import CodebookError

SURVEYS_DIR = Path(__file__).resolve().parent.parent / "surveys"
SECTORS_TOML = SURVEYS_DIR / "sectors.toml"

KINDS = ("survey", "partner_survey", "activity_log", "institutions", "targets")
FIELD_TYPES = (
    "choice",
    "text",
    "number",
    "date",
    "institution",
    "institution_list",
    "choice_list",
    "text_list",
    "sector",
    "free_text",
)
SCALE_RULES = ("mean", "sum", "sum_times")
ROSTER_KINDS = ("multi_select", "rating")
ROSTER_FIELDS = ("collaboration_level", "trust", "value", "frequency_per_month")
# What a scale measures, for the indicators: wellbeing and burnout pages, practice pages.
SCALE_ROLES = ("wellbeing", "burnout", "practice", "other")
# Published scales whose cut-offs (warehouse settings) apply: standard → (role, score range).
STANDARDS: dict[str, tuple[str, float, float]] = {
    "who5": ("wellbeing", 0.0, 100.0),
    "cbi_personal": ("burnout", 0.0, 100.0),
    "cbi_work": ("burnout", 0.0, 100.0),
    "cbi_client": ("burnout", 0.0, 100.0),
}
# What a tie of a roster question means: an organisation rates its collaboration with another
# (level, trust, value); a person names the organisations they carried out a joint action with;
# a person says how often they exchange with each named organisation.
TIE_KINDS = ("collaboration", "joint_action", "exchange")
TIE_KIND_NEEDS = {"collaboration": "collaboration_level", "exchange": "frequency_per_month"}
EXCHANGE_UNIT = "per_month"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,39}$")  # instrument names (folders, --instrument)

# The fields each kind of instrument may declare (they become warehouse columns).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "survey": ("role", "institution", "sector", "territory", "level", "years_in_post"),
    "partner_survey": ("role", "institution", "sector", "territory", "level", "years_in_post"),
    "activity_log": (
        "activity_id",
        "date",
        "activity_type",
        "territory",
        "institutions",
        "audiences",
        "parents_coorganised",
        "participants",
        "title",
    ),
    "institutions": ("institution_id", "name", "aliases", "sector", "territory", "level"),
    "targets": ("wave", "sector", "territory", "target_n"),
}

# The keys each table of a codebook may have: a misspelt key (`scal = "who5"`) would otherwise be
# ignored and the item silently left out of its scale.
ALLOWED_KEYS: dict[str, tuple[str, ...]] = {
    "": ("extends", "instrument", "respondent", "fields", "response_sets", "scales", "items", "rosters", "changes"),
    "instrument": ("name", "version", "kind", "title_fr", "title_en", "sources", "licence", "load_free_text"),
    "respondent": ("key", "key_is_institution", "submitted", "wave", "ignore"),
    "fields": (
        "label_fr",
        "label_en",
        "columns",
        "type",
        "response_set",
        "min",
        "max",
        "required",
        "separators",
    ),
    "response_sets": ("options", "missing"),
    "options": ("value", "code", "codes", "fr", "en", "aliases"),
    "scales": (
        "id",
        "fr",
        "en",
        "rule",
        "multiplier",
        "min_items",
        "higher_is_better",
        "stem_fr",
        "stem_en",
        "role",
        "standard",
    ),
    "items": (
        "id",
        "scale",
        "response_set",
        "reverse",
        "fr",
        "en",
        "columns",
        "unit",
        "target_sector",
        "stem_fr",
        "stem_en",
    ),
    "rosters": ("id", "kind", "tie_source", "tie_kind", "fr", "en", "choice_columns", "list_columns", "fields"),
    "roster_fields": ("fr", "en", "response_set", "columns"),
    "changes": ("drop_items",),
}


@dataclass(frozen=True)
class Option:
    """One answer option: stored as a number (`value`) or a code (`code`)."""

    value: float | None
    code: str | None
    fr: str
    en: str
    match: tuple[str, ...]  # every explicit spelling that selects this option (labels, codes, aliases)


@dataclass(frozen=True)
class ResponseSet:
    name: str
    options: tuple[Option, ...]
    missing: tuple[str, ...]

    @property
    def numeric(self) -> bool:
        return all(o.value is not None for o in self.options)

    @property
    def value_min(self) -> float | None:
        values = [o.value for o in self.options if o.value is not None]
        return min(values) if values else None

    @property
    def value_max(self) -> float | None:
        values = [o.value for o in self.options if o.value is not None]
        return max(values) if values else None


@dataclass(frozen=True)
class Field:
    name: str
    columns: tuple[str, ...]
    type: str
    label_fr: str
    label_en: str
    response_set: str | None = None
    min: float | None = None
    max: float | None = None
    required: bool = False
    separators: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scale:
    id: str
    fr: str
    en: str
    rule: str
    multiplier: float
    min_items: int
    higher_is_better: bool
    stem_fr: str
    stem_en: str
    role: str = "other"
    standard: str | None = None


@dataclass(frozen=True)
class Item:
    id: str
    fr: str
    en: str
    response_set: str
    columns: tuple[str, ...]
    scale: str | None = None
    reverse: bool = False
    unit: str | None = None
    target_sector: str | None = None
    stem_fr: str = ""
    stem_en: str = ""


@dataclass(frozen=True)
class RosterField:
    name: str
    fr: str
    en: str
    response_set: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Roster:
    id: str
    kind: str
    tie_source: str
    fr: str
    en: str
    choice_columns: tuple[str, ...] = ()
    list_columns: tuple[str, ...] = ()
    fields: tuple[RosterField, ...] = ()
    tie_kind: str = "joint_action"


@dataclass(frozen=True)
class Codebook:
    name: str
    version: str
    kind: str
    title_fr: str
    title_en: str
    sources: tuple[str, ...]
    licence: str
    path: Path
    sha256: str = ""  # of the codebook text (and of the files it extends)
    key_columns: tuple[str, ...] = ()
    key_is_institution: bool = False
    submitted_columns: tuple[str, ...] = ()
    wave_columns: tuple[str, ...] = ()
    ignore_columns: tuple[str, ...] = ()
    load_free_text: bool = False
    fields: tuple[Field, ...] = ()
    response_sets: dict[str, ResponseSet] = field(default_factory=dict)
    scales: tuple[Scale, ...] = ()
    items: tuple[Item, ...] = ()
    rosters: tuple[Roster, ...] = ()
    text: str = ""  # the file's own TOML text (what the warehouse stores)
    extends: str | None = None  # the file it extends, as written
    definition: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)  # merged TOML

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def scale_items(self, scale_id: str) -> list[Item]:
        return [i for i in self.items if i.scale == scale_id]

    def scale_range(self, scale_id: str) -> tuple[float, float]:
        """Lowest and highest possible score of a scale under its rule."""
        scale = next(s for s in self.scales if s.id == scale_id)
        members = self.scale_items(scale_id)
        lo = min(self.response_sets[i.response_set].value_min or 0.0 for i in members)
        hi = max(self.response_sets[i.response_set].value_max or 0.0 for i in members)
        if scale.rule == "mean":
            return lo, hi
        factor = scale.multiplier if scale.rule == "sum_times" else 1.0
        return lo * len(members) * factor, hi * len(members) * factor


# --- Where an error is: file, line ------------------------------------------------------------


@dataclass
class _Source:
    """One codebook file and the chain of files it extends (for error locations)."""

    path: Path
    text: str
    parent: _Source | None = None

    def chain(self) -> list[_Source]:
        out: list[_Source] = []
        current: _Source | None = self
        while current is not None:
            out.append(current)
            current = current.parent
        return out


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _lines_of_entry(text: str, table: str, entry_id: str) -> list[int]:
    """Line numbers of `id = "<entry_id>"` inside `[[table]]` entries."""
    pattern = re.compile(rf"""^\s*id\s*=\s*["']{re.escape(entry_id)}["']""")
    out, current = [], ""
    for n, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            current = header.group(1)
            continue
        if current == table and pattern.match(line):
            out.append(n)
    return out


def _line_of_header(text: str, header: str) -> int | None:
    for n, line in enumerate(text.splitlines(), start=1):
        m = _HEADER.match(line)
        if m and m.group(1) == header:
            return n
    return None


def _line_of_key(text: str, header: str, key: str) -> int | None:
    """Line of `key = ...` (or `key.sub = ...`) under `[header]` ("" for the top level)."""
    current = ""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[=.]")
    for n, line in enumerate(text.splitlines(), start=1):
        m = _HEADER.match(line)
        if m:
            current = m.group(1)
            continue
        if current == header and pattern.match(line):
            return n
    return None


def _line_of_text(text: str, needle: str) -> int | None:
    for n, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return n
    return None


Locator = tuple[str, ...]


def _locate(src: _Source, locator: Locator) -> tuple[Path, int | None]:
    """(file, line) of what `locator` names, searched in the file then in the files it extends:
    ("entry", table, id) | ("header", name) | ("key", header, key) | ("text", needle) | ()."""
    for s in src.chain():
        line: int | None = None
        if not locator:
            return s.path, None
        kind = locator[0]
        if kind == "entry":
            lines = _lines_of_entry(s.text, locator[1], locator[2])
            line = lines[0] if lines else None
        elif kind == "header":
            line = _line_of_header(s.text, locator[1])
        elif kind == "key":
            line = _line_of_key(s.text, locator[1], locator[2])
        elif kind == "text":
            line = _line_of_text(s.text, locator[1])
        if line is not None:
            return s.path, line
    return src.path, None


def _where(path: Path, line: int | None, lang: str = "en") -> str:
    if line is None:
        return str(path)
    return f"{path}, line {line}" if lang == "en" else f"{path}, ligne {line}"


def _fail(src: _Source, locator: Locator, en: str, fr: str) -> CodebookError:
    path, line = _locate(src, locator)
    return CodebookError(f"{_where(path, line)}: {en}", message_fr=f"{_where(path, line, 'fr')} : {fr}")


# --- Reading the TOML -------------------------------------------------------------------------


def _strs(value: Any, src: _Source, locator: Locator, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise _fail(
        src,
        locator,
        f"{what} must be a text or a list of texts, not {value!r}. Write it as \"…\" or [\"…\", \"…\"].",
        f"{what} doit être un texte ou une liste de textes, pas {value!r}. Écrivez-le \"…\" ou [\"…\", \"…\"].",
    )


def _toml_error(path: Path, exc: tomllib.TOMLDecodeError) -> CodebookError:
    text = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", text)
    reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", text).strip()
    if m:
        line, col = int(m.group(1)), int(m.group(2))
        at_en, at_fr = f"line {line}, column {col}", f"ligne {line}, colonne {col}"
    else:
        at_en, at_fr = "at the end of the file", "à la fin du fichier"
    return CodebookError(
        f"{path} is not valid TOML ({at_en}: {reason}). Fix the syntax there (a missing quote, bracket "
        "or `=`, see docs/codebooks.md) and retry.",
        message_fr=f"{path} n'est pas un fichier TOML valide ({at_fr} : {reason}). Corrigez la syntaxe à "
        "cet endroit (guillemet, crochet ou `=` manquant, voir docs/codebooks.md) et réessayez.",
    )


def _check_keys(data: dict[str, Any], src: _Source) -> None:
    """Refuse keys the format does not know (a misspelt key would be silently ignored)."""

    def check(table: dict[str, Any], allowed_key: str, locator_header: str, what: str) -> None:
        allowed = ALLOWED_KEYS[allowed_key]
        for key in table:
            if key not in allowed:
                raise _fail(
                    src,
                    ("key", locator_header, key),
                    f"{what} has an unknown key `{key}`. Allowed keys: {', '.join(allowed)}. Correct the "
                    "spelling (docs/codebooks.md).",
                    f"{what} a une clé inconnue `{key}`. Clés permises : {', '.join(allowed)}. Corrigez "
                    "l'orthographe (docs/codebooks.md).",
                )

    check(data, "", "", "The codebook")
    for name in ("instrument", "respondent", "changes"):
        if isinstance(data.get(name), dict):
            check(data[name], name, name, f"[{name}]")
    for fname, fraw in (data.get("fields") or {}).items():
        if isinstance(fraw, dict):
            check(fraw, "fields", f"fields.{fname}", f"[fields.{fname}]")
    for rname, rraw in (data.get("response_sets") or {}).items():
        if isinstance(rraw, dict):
            check(rraw, "response_sets", f"response_sets.{rname}", f"[response_sets.{rname}]")
            for i, opt in enumerate(rraw.get("options") or []):
                if isinstance(opt, dict):
                    for key in opt:
                        if key not in ALLOWED_KEYS["options"]:
                            raise _fail(
                                src,
                                ("text", f"{key} ="),
                                f"response_sets.{rname}.options[{i}] has an unknown key `{key}`. Allowed keys: "
                                f"{', '.join(ALLOWED_KEYS['options'])}.",
                                f"response_sets.{rname}.options[{i}] a une clé inconnue `{key}`. Clés permises : "
                                f"{', '.join(ALLOWED_KEYS['options'])}.",
                            )
    for table in ("scales", "items", "rosters"):
        for entry in data.get(table) or []:
            if not isinstance(entry, dict):
                continue
            eid = str(entry.get("id", ""))
            for key in entry:
                if key not in ALLOWED_KEYS[table]:
                    raise _fail(
                        src,
                        ("entry", table, eid) if eid else ("header", table),
                        f"[[{table}]] {eid or '(no id)'} has an unknown key `{key}`. Allowed keys: "
                        f"{', '.join(ALLOWED_KEYS[table])}. Correct the spelling (docs/codebooks.md).",
                        f"[[{table}]] {eid or '(sans id)'} a une clé inconnue `{key}`. Clés permises : "
                        f"{', '.join(ALLOWED_KEYS[table])}. Corrigez l'orthographe (docs/codebooks.md).",
                    )
            if table == "rosters":
                for fname, fraw in (entry.get("fields") or {}).items():
                    for key in fraw if isinstance(fraw, dict) else {}:
                        if key not in ALLOWED_KEYS["roster_fields"]:
                            raise _fail(
                                src,
                                ("entry", table, eid),
                                f"roster {eid} field {fname} has an unknown key `{key}`. Allowed keys: "
                                f"{', '.join(ALLOWED_KEYS['roster_fields'])}.",
                                f"le champ {fname} de la question-liste {eid} a une clé inconnue `{key}`. "
                                f"Clés permises : {', '.join(ALLOWED_KEYS['roster_fields'])}.",
                            )


def _check_unique_ids(data: dict[str, Any], src: _Source) -> None:
    """An item (scale, roster) written twice in one file: the second would silently replace the first."""
    for table in ("items", "scales", "rosters"):
        ids = [str(e.get("id", "")) for e in data.get(table) or [] if isinstance(e, dict)]
        for dup in sorted({i for i in ids if i and ids.count(i) > 1}):
            lines = _lines_of_entry(src.text, table, dup)
            where = " and ".join(str(n) for n in lines) if lines else "?"
            where_fr = " et ".join(str(n) for n in lines) if lines else "?"
            line = lines[1] if len(lines) > 1 else (lines[0] if lines else None)
            raise CodebookError(
                f"{_where(src.path, line)}: [[{table}]] id `{dup}` is written twice (lines {where}). Give the "
                "second one its own id, or delete it.",
                message_fr=f"{_where(src.path, line, 'fr')} : l'identifiant [[{table}]] `{dup}` est écrit deux "
                f"fois (lignes {where_fr}). Donnez au second son propre identifiant, ou supprimez-le.",
            )


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    """Merge a child codebook into the one it extends.

    Tables merge key by key; `items`, `scales` and `rosters` merge by `id` (a child entry replaces
    the parent's entry of the same id, new ids are appended); `changes.drop_items` removes items.
    """
    merged: dict[str, Any] = dict(base)
    for key, value in child.items():
        if key in ("extends", "changes"):
            continue
        if key in ("items", "scales", "rosters"):
            entries = {e["id"]: e for e in merged.get(key, [])}
            for entry in value:
                entries[entry["id"]] = entry
            merged[key] = list(entries.values())
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    drops = set(child.get("changes", {}).get("drop_items", []))
    if drops:
        merged["items"] = [i for i in merged.get("items", []) if i["id"] not in drops]
    return merged


def _read_source(path: Path, seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], _Source]:
    """The merged TOML of `path` (following `extends`) and its source chain."""
    if path in seen:
        chain = " → ".join(p.name for p in (*seen, path))
        raise CodebookError(
            f"{seen[-1]}: `extends` makes a loop ({chain}). Point `extends` to an earlier version.",
            message_fr=f"{seen[-1]} : `extends` forme une boucle ({chain}). Faites pointer `extends` vers une "
            "version antérieure.",
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if seen:
            raise CodebookError(
                f"{seen[-1]}: `extends` names {path.name}, which does not exist in {path.parent}. Correct the "
                "file name.",
                message_fr=f"{seen[-1]} : `extends` désigne {path.name}, qui n'existe pas dans {path.parent}. "
                "Corrigez le nom du fichier.",
            ) from None
        raise CodebookError(
            f"Codebook {path} does not exist.", message_fr=f"Le dictionnaire {path} n'existe pas."
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CodebookError(
            f"{path}, line {line}: the file is not UTF-8 text. Save it as UTF-8 in your editor and retry.",
            message_fr=f"{path}, ligne {line} : le fichier n'est pas du texte UTF-8. Enregistrez-le en UTF-8 "
            "dans votre éditeur et réessayez.",
        ) from None
    src = _Source(path, text)
    if not text.strip() or all(ln.strip().startswith("#") for ln in text.splitlines() if ln.strip()):
        raise CodebookError(
            f"{path}, line 1: the codebook is empty. Write at least [instrument] with name, version and kind "
            "(docs/codebooks.md), or delete the file.",
            message_fr=f"{path}, ligne 1 : le dictionnaire est vide. Écrivez au moins [instrument] avec name, "
            "version et kind (docs/codebooks.md), ou supprimez le fichier.",
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(path, exc) from None
    _check_keys(data, src)
    _check_unique_ids(data, src)
    if "extends" in data:
        parent_data, parent_src = _read_source(path.parent / str(data["extends"]), (*seen, path))
        src.parent = parent_src
        known = {str(i.get("id")) for i in parent_data.get("items", [])} | {
            str(i.get("id")) for i in data.get("items", [])
        }
        for drop in data.get("changes", {}).get("drop_items", []):
            if drop not in known:
                raise _fail(
                    src,
                    ("key", "changes", "drop_items"),
                    f"changes.drop_items names `{drop}`, which is not an item of {data['extends']}. Correct "
                    "the id.",
                    f"changes.drop_items désigne `{drop}`, qui n'est pas un item de {data['extends']}. "
                    "Corrigez l'identifiant.",
                )
        data = _merge(parent_data, data)
    return data, src


def _codebook_sha256(path: Path) -> str:
    """Hash of a codebook and the chain of files it extends: a changed codebook is a new input."""
    digest = hashlib.sha256()
    current: Path | None = path
    seen: set[Path] = set()
    while current is not None and current not in seen and current.exists():
        seen.add(current)
        text = current.read_bytes()
        digest.update(text)
        try:
            data = tomllib.loads(text.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            break
        current = current.parent / str(data["extends"]) if "extends" in data else None
    return digest.hexdigest()


# --- Building the codebook --------------------------------------------------------------------


def _option(raw: dict[str, Any], src: _Source, locator: Locator, where: str) -> Option:
    value = raw.get("value")
    code = raw.get("code")
    if (value is None) == (code is None):
        raise _fail(
            src,
            locator,
            f"{where}: give each option either `value` (a number) or `code` (a text).",
            f"{where} : donnez à chaque option soit `value` (un nombre), soit `code` (un texte).",
        )
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise _fail(
            src,
            locator,
            f"{where}: `value` must be a number, not {value!r}.",
            f"{where} : `value` doit être un nombre, pas {value!r}.",
        )
    default = code if code is not None else (f"{value:g}" if isinstance(value, float) else value)
    fr = str(raw.get("fr", default))
    en = str(raw.get("en", fr))
    codes = _strs(raw.get("codes"), src, locator, f"{where}.codes")
    aliases = _strs(raw.get("aliases"), src, locator, f"{where}.aliases")
    match = (fr, en, *codes, *aliases)
    if code is not None:
        match = (*match, str(code))
    return Option(
        value=float(value) if value is not None else None,
        code=str(code) if code is not None else None,
        fr=fr,
        en=en,
        match=match,
    )


def _normaliser() -> duckdb.DuckDBPyConnection:
    from etl.normalize import install_macros

    conn = duckdb.connect()
    install_macros(conn)
    return conn


def _check_spellings(name: str, rs: ResponseSet, src: _Source, conn: duckdb.DuckDBPyConnection) -> None:
    """Two options (or an option and a "missing" answer) spelled the same way once normalised
    would make one of them win silently: refuse, naming the pairs. (A numeric option's value
    written as a number is not an explicit spelling: a code such as Kobo's "1" wins over it.)"""
    from etl.normalize import normalise_many

    spellings: list[tuple[str, int]] = []  # (spelling, option index or -1 for missing)
    for i, opt in enumerate(rs.options):
        spellings += [(s, i) for s in opt.match]
    spellings += [(s, -1) for s in rs.missing if s.strip()]
    normed = normalise_many(conn, [s for s, _ in spellings])
    owner: dict[str, tuple[str, int]] = {}
    clashes: list[str] = []
    clashes_fr: list[str] = []

    def label(i: int) -> str:
        if i < 0:
            return "a missing answer"
        o = rs.options[i]
        return f"option “{o.fr}” ({o.code if o.code is not None else f'value {o.value:g}'})"

    def label_fr(i: int) -> str:
        if i < 0:
            return "une non-réponse (missing)"
        o = rs.options[i]
        value = f"{o.value:g}".replace(".", ",") if o.value is not None else ""
        return f"l'option « {o.fr} » ({o.code if o.code is not None else f'valeur {value}'})"

    for (spelling, i), key in zip(spellings, normed, strict=True):
        if not key:
            continue
        if key in owner and owner[key][1] != i:
            other, j = owner[key]
            clashes.append(f"“{other}” for {label(j)} and “{spelling}” for {label(i)}")
            clashes_fr.append(f"« {other} » pour {label_fr(j)} et « {spelling} » pour {label_fr(i)}")
        else:
            owner.setdefault(key, (spelling, i))
    if clashes:
        raise _fail(
            src,
            ("header", f"response_sets.{name}"),
            f"response set `{name}` spells two answers the same way (ignoring case, accents and spaces): "
            f"{'; '.join(clashes[:5])}. An answer written so could not be told apart: change or remove one "
            "of the spellings.",
            f"le jeu de réponses `{name}` écrit deux réponses de la même façon (sans tenir compte des "
            f"majuscules, accents et espaces) : {' ; '.join(clashes_fr[:5])}. Une réponse écrite ainsi ne "
            "pourrait pas être départagée : changez ou supprimez l'une des orthographes.",
        )


def _response_sets(data: dict[str, Any], src: _Source) -> dict[str, ResponseSet]:
    sets: dict[str, ResponseSet] = {}
    conn: duckdb.DuckDBPyConnection | None = None
    try:
        for name, raw in (data.get("response_sets") or {}).items():
            loc: Locator = ("header", f"response_sets.{name}")
            options = tuple(
                _option(o, src, loc, f"response_sets.{name}.options[{i}]")
                for i, o in enumerate(raw.get("options", []))
            )
            if not options:
                raise _fail(
                    src,
                    loc,
                    f"response_sets.{name} has no options. Add `options = [{{ value = 1, fr = \"…\" }}, …]`.",
                    f"response_sets.{name} n'a aucune option. Ajoutez `options = [{{ value = 1, fr = \"…\" }}, …]`.",
                )
            if len({o.value is None for o in options}) > 1:
                raise _fail(
                    src,
                    loc,
                    f"response_sets.{name} mixes `value` and `code` options; use one kind.",
                    f"response_sets.{name} mélange des options `value` et `code` ; n'utilisez qu'une sorte.",
                )
            rs = ResponseSet(name, options, _strs(raw.get("missing", [""]), src, loc, f"response_sets.{name}.missing"))
            conn = conn or _normaliser()
            _check_spellings(name, rs, src, conn)
            sets[name] = rs
    finally:
        if conn is not None:
            conn.close()
    return sets


def _fields(data: dict[str, Any], kind: str, sets: dict[str, ResponseSet], src: _Source) -> tuple[Field, ...]:
    fields = []
    allowed = KIND_FIELDS[kind]
    for name, raw in (data.get("fields") or {}).items():
        loc: Locator = ("header", f"fields.{name}")
        if name not in allowed:
            raise _fail(
                src,
                loc,
                f"field `{name}` is not a field of a {kind} codebook (allowed: {', '.join(allowed)}).",
                f"le champ `{name}` n'est pas un champ d'un dictionnaire {kind} (champs permis : "
                f"{', '.join(allowed)}).",
            )
        response_set = raw.get("response_set")
        ftype = raw.get("type", "choice" if response_set else "text")
        if ftype not in FIELD_TYPES:
            raise _fail(
                src,
                loc,
                f"fields.{name}.type `{ftype}` is not one of {', '.join(FIELD_TYPES)}.",
                f"fields.{name}.type `{ftype}` n'est pas l'un de {', '.join(FIELD_TYPES)}.",
            )
        if ftype in ("choice", "choice_list") and response_set not in sets:
            raise _fail(
                src,
                loc,
                f"fields.{name} uses response set `{response_set}`, which is not defined. Define "
                f"[response_sets.{response_set}] or correct the name.",
                f"fields.{name} utilise le jeu de réponses `{response_set}`, qui n'est pas défini. Définissez "
                f"[response_sets.{response_set}] ou corrigez le nom.",
            )
        fields.append(
            Field(
                name=name,
                columns=_strs(raw.get("columns"), src, loc, f"fields.{name}.columns"),
                type=ftype,
                label_fr=str(raw.get("label_fr", name)),
                label_en=str(raw.get("label_en", raw.get("label_fr", name))),
                response_set=response_set,
                min=raw.get("min"),
                max=raw.get("max"),
                required=bool(raw.get("required", False)),
                separators=_strs(raw.get("separators"), src, loc, f"fields.{name}.separators"),
            )
        )
    return tuple(fields)


def _scales(data: dict[str, Any], src: _Source) -> tuple[Scale, ...]:
    scales = []
    for raw in data.get("scales") or []:
        sid = str(raw.get("id", ""))
        loc: Locator = ("entry", "scales", sid)
        if not sid:
            raise _fail(src, ("header", "scales"), "a scale has no `id`.", "une échelle n'a pas d'`id`.")
        rule = raw.get("rule", "mean")
        if rule not in SCALE_RULES:
            raise _fail(
                src,
                loc,
                f"scale {sid} has rule `{rule}`; use one of {', '.join(SCALE_RULES)}.",
                f"l'échelle {sid} a la règle `{rule}` ; utilisez l'une de {', '.join(SCALE_RULES)}.",
            )
        role = raw.get("role")
        if role not in SCALE_ROLES:
            raise _fail(
                src,
                loc,
                f"scale {sid} needs `role` = one of {', '.join(SCALE_ROLES)} (it says which pages show the "
                f"scale: wellbeing and burnout on the wellbeing page, practice on the practice page); "
                f"found {role!r}.",
                f"l'échelle {sid} demande `role` = l'un de {', '.join(SCALE_ROLES)} (il dit quelles pages "
                f"montrent l'échelle : wellbeing et burnout sur la page bien-être, practice sur la page "
                f"pratiques) ; trouvé : {role!r}.",
            )
        standard = raw.get("standard")
        if standard is not None and standard not in STANDARDS:
            raise _fail(
                src,
                loc,
                f"scale {sid} has standard `{standard}`; use one of {', '.join(STANDARDS)}, or leave it out "
                "for a scale that is not a published one.",
                f"l'échelle {sid} a le standard `{standard}` ; utilisez l'un de {', '.join(STANDARDS)}, ou "
                "retirez-le pour une échelle qui n'est pas publiée.",
            )
        if standard is not None and STANDARDS[standard][0] != role:
            raise _fail(
                src,
                loc,
                f"scale {sid} is the standard {standard}, whose role is {STANDARDS[standard][0]}, not {role}.",
                f"l'échelle {sid} est le standard {standard}, dont le rôle est {STANDARDS[standard][0]}, pas {role}.",
            )
        scales.append(
            Scale(
                id=sid,
                fr=str(raw.get("fr", sid)),
                en=str(raw.get("en", raw.get("fr", sid))),
                rule=rule,
                multiplier=float(raw.get("multiplier", 1)),
                min_items=int(raw.get("min_items", 1)),
                higher_is_better=bool(raw.get("higher_is_better", True)),
                stem_fr=str(raw.get("stem_fr", "")),
                stem_en=str(raw.get("stem_en", "")),
                role=str(role),
                standard=str(standard) if standard is not None else None,
            )
        )
    return tuple(scales)


def sector_ids() -> tuple[str, ...]:
    """The sector ids of surveys/sectors.toml."""
    return tuple(str(s["id"]) for s in tomllib.loads(SECTORS_TOML.read_text(encoding="utf-8"))["sectors"])


def _items(
    data: dict[str, Any], sets: dict[str, ResponseSet], scales: tuple[Scale, ...], src: _Source
) -> tuple[Item, ...]:
    by_scale = {s.id: s for s in scales}
    sectors = sector_ids()
    items = []
    for raw in data.get("items") or []:
        item_id = str(raw.get("id", ""))
        loc: Locator = ("entry", "items", item_id)
        if not item_id:
            raise _fail(src, ("header", "items"), "an item has no `id`.", "un item n'a pas d'`id`.")
        rs = raw.get("response_set")
        if rs not in sets:
            raise _fail(
                src,
                loc,
                f"item {item_id} uses response set `{rs}`, which is not defined. Define [response_sets.{rs}] "
                "or correct the name.",
                f"l'item {item_id} utilise le jeu de réponses `{rs}`, qui n'est pas défini. Définissez "
                f"[response_sets.{rs}] ou corrigez le nom.",
            )
        if not sets[rs].numeric:
            raise _fail(
                src,
                loc,
                f"item {item_id} needs a numeric response set (options with `value`).",
                f"l'item {item_id} demande un jeu de réponses numérique (options avec `value`).",
            )
        scale = raw.get("scale")
        if scale is not None and scale not in by_scale:
            raise _fail(
                src,
                loc,
                f"item {item_id} belongs to scale `{scale}`, which is not defined. Add a [[scales]] with "
                f"id = \"{scale}\" or correct the name.",
                f"l'item {item_id} appartient à l'échelle `{scale}`, qui n'est pas définie. Ajoutez un "
                f"[[scales]] avec id = \"{scale}\" ou corrigez le nom.",
            )
        target = raw.get("target_sector")
        unit = raw.get("unit")
        if target is not None and target not in sectors:
            raise _fail(
                src,
                loc,
                f"item {item_id} has target_sector `{target}`, which is not a sector id of surveys/sectors.toml "
                f"({', '.join(sectors)}).",
                f"l'item {item_id} a target_sector `{target}`, qui n'est pas un identifiant de secteur de "
                f"surveys/sectors.toml ({', '.join(sectors)}).",
            )
        if target is not None and unit != EXCHANGE_UNIT:
            raise _fail(
                src,
                loc,
                f"item {item_id} is an exchange question (target_sector = \"{target}\") and needs "
                f"unit = \"{EXCHANGE_UNIT}\", its answers' values being times per month.",
                f"l'item {item_id} est une question d'échanges (target_sector = « {target} ») et demande "
                f"unit = \"{EXCHANGE_UNIT}\", les valeurs de ses réponses étant des fois par mois.",
            )
        if target is not None and scale is not None:
            raise _fail(
                src,
                loc,
                f"item {item_id} is an exchange question (target_sector) and cannot also belong to scale {scale}.",
                f"l'item {item_id} est une question d'échanges (target_sector) et ne peut pas appartenir aussi "
                f"à l'échelle {scale}.",
            )
        parent = by_scale.get(scale) if scale else None
        items.append(
            Item(
                id=item_id,
                fr=str(raw.get("fr", item_id)),
                en=str(raw.get("en", raw.get("fr", item_id))),
                response_set=rs,
                columns=_strs(raw.get("columns"), src, loc, f"items.{item_id}.columns"),
                scale=scale,
                reverse=bool(raw.get("reverse", False)),
                unit=unit,
                target_sector=target,
                stem_fr=str(raw.get("stem_fr", parent.stem_fr if parent else "")),
                stem_en=str(raw.get("stem_en", parent.stem_en if parent else "")),
            )
        )
    for scale in scales:
        n = sum(1 for i in items if i.scale == scale.id)
        loc = ("entry", "scales", scale.id)
        if n == 0:
            raise _fail(
                src,
                loc,
                f"scale {scale.id} has no items. Give its items `scale = \"{scale.id}\"`, or delete the scale.",
                f"l'échelle {scale.id} n'a aucun item. Donnez à ses items `scale = \"{scale.id}\"`, ou "
                "supprimez l'échelle.",
            )
        if scale.min_items > n:
            raise _fail(
                src,
                loc,
                f"scale {scale.id} needs {scale.min_items} items (min_items) but has {n}.",
                f"l'échelle {scale.id} demande {scale.min_items} items (min_items) mais n'en a que {n}.",
            )
    return tuple(items)


def _check_standards(book: Codebook, src: _Source) -> None:
    """A published scale must be scored on its published range, or its cut-offs would be wrong."""
    for scale in book.scales:
        if scale.standard is None:
            continue
        _, lo, hi = STANDARDS[scale.standard]
        got = book.scale_range(scale.id)
        if (round(got[0], 6), round(got[1], 6)) != (lo, hi):
            raise _fail(
                src,
                ("entry", "scales", scale.id),
                f"scale {scale.id} is the standard {scale.standard}, scored {lo:g}–{hi:g}, but its rule gives "
                f"{got[0]:g}–{got[1]:g}: its published cut-offs would be misapplied. Fix rule, multiplier or "
                "the answer values (WHO-5: answers 0–5, rule = \"sum_times\", multiplier = 4; CBI: answers "
                "0–100, rule = \"mean\").",
                f"l'échelle {scale.id} est le standard {scale.standard}, noté de {lo:g} à {hi:g}, mais sa règle "
                f"donne {got[0]:g} à {got[1]:g} : ses seuils publiés seraient mal appliqués. Corrigez rule, "
                "multiplier ou les valeurs des réponses (WHO-5 : réponses 0–5, rule = \"sum_times\", "
                "multiplier = 4 ; CBI : réponses 0–100, rule = \"mean\").",
            )


def _rosters(data: dict[str, Any], sets: dict[str, ResponseSet], name: str, src: _Source) -> tuple[Roster, ...]:
    rosters = []
    for raw in data.get("rosters") or []:
        rid = str(raw.get("id", ""))
        loc: Locator = ("entry", "rosters", rid)
        kind = raw.get("kind")
        if kind not in ROSTER_KINDS:
            raise _fail(
                src,
                loc,
                f"roster {rid} has kind `{kind}`; use one of {', '.join(ROSTER_KINDS)}.",
                f"la question-liste {rid} est de sorte `{kind}` ; utilisez l'une de {', '.join(ROSTER_KINDS)}.",
            )
        rfields = []
        for fname, fraw in (raw.get("fields") or {}).items():
            if fname not in ROSTER_FIELDS:
                raise _fail(
                    src,
                    loc,
                    f"roster {rid} field `{fname}` is not one of {', '.join(ROSTER_FIELDS)}.",
                    f"le champ `{fname}` de la question-liste {rid} n'est pas l'un de {', '.join(ROSTER_FIELDS)}.",
                )
            if fraw.get("response_set") not in sets:
                raise _fail(
                    src,
                    loc,
                    f"roster {rid} field {fname} needs a defined response_set.",
                    f"le champ {fname} de la question-liste {rid} demande un response_set défini.",
                )
            rfields.append(
                RosterField(
                    name=fname,
                    fr=str(fraw.get("fr", fname)),
                    en=str(fraw.get("en", fraw.get("fr", fname))),
                    response_set=str(fraw["response_set"]),
                    columns=_strs(fraw.get("columns"), src, loc, f"rosters.{rid}.{fname}"),
                )
            )
        choice_columns = _strs(raw.get("choice_columns"), src, loc, f"rosters.{rid}.choice_columns")
        for pattern in (*choice_columns, *(c for f in rfields for c in f.columns)):
            if "{choice}" not in pattern:
                raise _fail(
                    src,
                    loc,
                    f"roster {rid} column pattern `{pattern}` has no {{choice}}.",
                    f"le modèle de colonne `{pattern}` de la question-liste {rid} ne contient pas {{choice}}.",
                )
        tie_kind = raw.get("tie_kind")
        if tie_kind not in TIE_KINDS:
            raise _fail(
                src,
                loc,
                f"roster {rid} needs `tie_kind` = one of {', '.join(TIE_KINDS)} (collaboration: an organisation "
                "rates its collaboration with others; joint_action: a person names the organisations they "
                "worked with; exchange: how often a person exchanges with each); found "
                f"{tie_kind!r}.",
                f"la question-liste {rid} demande `tie_kind` = l'un de {', '.join(TIE_KINDS)} (collaboration : "
                "une structure note sa collaboration avec les autres ; joint_action : une personne nomme les "
                "structures avec qui elle a travaillé ; exchange : à quelle fréquence une personne échange avec "
                f"chacune) ; trouvé : {tie_kind!r}.",
            )
        needs = TIE_KIND_NEEDS.get(str(tie_kind))
        if needs and needs not in {f.name for f in rfields}:
            raise _fail(
                src,
                loc,
                f"roster {rid} has tie_kind {tie_kind}, which needs a [rosters.fields.{needs}].",
                f"la question-liste {rid} a tie_kind {tie_kind}, qui demande un [rosters.fields.{needs}].",
            )
        rosters.append(
            Roster(
                id=rid,
                kind=kind,
                tie_source=str(raw.get("tie_source", name)),
                fr=str(raw.get("fr", rid)),
                en=str(raw.get("en", raw.get("fr", rid))),
                choice_columns=choice_columns,
                list_columns=_strs(raw.get("list_columns"), src, loc, f"rosters.{rid}.list_columns"),
                fields=tuple(rfields),
                tie_kind=str(tie_kind),
            )
        )
    by_source: dict[str, set[str]] = {}
    for r in rosters:
        by_source.setdefault(r.tie_source, set()).add(r.tie_kind)
    for source, kinds in by_source.items():
        if len(kinds) > 1:
            first = next(r.id for r in rosters if r.tie_source == source)
            raise _fail(
                src,
                ("entry", "rosters", first),
                f"rosters with tie_source `{source}` declare different tie kinds ({', '.join(sorted(kinds))}); "
                "give each kind of tie its own tie_source.",
                f"des questions-listes de tie_source `{source}` déclarent des sortes de liens différentes "
                f"({', '.join(sorted(kinds))}) ; donnez à chaque sorte de lien son propre tie_source.",
            )
    return tuple(rosters)


def _check_columns(book: Codebook, src: _Source) -> None:
    """One column name declared for two different things would be mapped to one of them silently."""
    owners: dict[str, str] = {}
    declared: list[tuple[str, str]] = []
    for f in book.fields:
        declared += [(c, f"field {f.name}") for c in f.columns]
    for i in book.items:
        declared += [(c, f"item {i.id}") for c in (i.id, *i.columns)]
    declared += [(c, "the respondent key") for c in book.key_columns]
    for c, owner in declared:
        key = c.strip().lower()
        if key in owners and owners[key] != owner:
            raise _fail(
                src,
                ("text", f'"{c}"'),
                f"column “{c}” is declared for both {owners[key]} and {owner}: a file's column of that name "
                "could not be told apart. Keep it in one of them.",
                f"la colonne « {c} » est déclarée à la fois pour {owners[key]} et pour {owner} : une colonne de "
                "ce nom ne pourrait pas être attribuée. Gardez-la dans l'un des deux seulement.",
            )
        owners.setdefault(key, owner)
    ids = {i.id for i in book.items}
    for r in book.rosters:
        if r.id in ids:
            raise _fail(
                src,
                ("entry", "rosters", r.id),
                f"roster {r.id} has the id of an item; give it its own id.",
                f"la question-liste {r.id} porte l'identifiant d'un item ; donnez-lui son propre identifiant.",
            )


def build_codebook(data: dict[str, Any], path: Path, sha256: str, text: str = "", src: Any = None) -> Codebook:
    """A checked Codebook from a merged TOML definition (a file's, or one stored in the warehouse)."""
    source: _Source = src if isinstance(src, _Source) else _Source(path, text)
    inst = data.get("instrument", {})
    if not isinstance(inst, dict) or not inst:
        raise _fail(
            source,
            ("header", "instrument"),
            "the codebook has no [instrument] table. Add [instrument] with name, version and kind "
            "(docs/codebooks.md).",
            "le dictionnaire n'a pas de table [instrument]. Ajoutez [instrument] avec name, version et kind "
            "(docs/codebooks.md).",
        )
    for key in ("name", "version", "kind"):
        if key not in inst:
            raise _fail(
                source,
                ("header", "instrument"),
                f"[instrument] needs `{key}`.",
                f"[instrument] demande `{key}`.",
            )
    name = str(inst["name"])
    if not NAME.match(name):
        raise _fail(
            source,
            ("key", "instrument", "name"),
            f"instrument name `{name}` is not usable: letters, digits, '-' and '_' only, at most 40 characters.",
            f"le nom de questionnaire `{name}` n'est pas utilisable : lettres, chiffres, « - » et « _ » "
            "seulement, 40 caractères au plus.",
        )
    kind = inst["kind"]
    if kind not in KINDS:
        raise _fail(
            source,
            ("key", "instrument", "kind"),
            f"instrument kind `{kind}` is not one of {', '.join(KINDS)}.",
            f"la sorte de questionnaire `{kind}` n'est pas l'une de {', '.join(KINDS)}.",
        )
    sets = _response_sets(data, source)
    scales = _scales(data, source)
    resp = data.get("respondent", {})
    loc: Locator = ("header", "respondent")
    book = Codebook(
        name=name,
        version=str(inst["version"]),
        kind=kind,
        title_fr=str(inst.get("title_fr", name)),
        title_en=str(inst.get("title_en", inst.get("title_fr", name))),
        sources=_strs(inst.get("sources"), source, ("header", "instrument"), "instrument.sources"),
        licence=str(inst.get("licence", "")),
        path=path,
        sha256=sha256,
        key_columns=_strs(resp.get("key"), source, loc, "respondent.key"),
        key_is_institution=bool(resp.get("key_is_institution", False)),
        submitted_columns=_strs(resp.get("submitted"), source, loc, "respondent.submitted"),
        wave_columns=_strs(resp.get("wave"), source, loc, "respondent.wave"),
        ignore_columns=_strs(resp.get("ignore"), source, loc, "respondent.ignore"),
        load_free_text=bool(inst.get("load_free_text", False)),
        fields=_fields(data, kind, sets, source),
        response_sets=sets,
        scales=scales,
        items=_items(data, sets, scales, source),
        rosters=_rosters(data, sets, name, source),
        text=source.text,
        extends=_extends_of(source.text),
        definition=data,
    )
    if kind in ("survey", "partner_survey") and not book.key_columns and not book.key_is_institution:
        raise _fail(
            source,
            loc,
            "a survey codebook needs [respondent] key = [...columns] (or key_is_institution = true with an "
            "`institution` field).",
            "un dictionnaire de questionnaire demande [respondent] key = [...colonnes] (ou "
            "key_is_institution = true avec un champ `institution`).",
        )
    if book.key_is_institution and book.field("institution") is None:
        raise _fail(
            source,
            loc,
            "key_is_institution = true needs a [fields.institution].",
            "key_is_institution = true demande un [fields.institution].",
        )
    _check_standards(book, source)
    _check_columns(book, source)
    return book


def _extends_of(text: str) -> str | None:
    m = re.search(r"""^\s*extends\s*=\s*["']([^"']+)["']""", text, re.MULTILINE)
    return m.group(1) if m else None


_CACHE: dict[tuple[Path, int, int], Codebook] = {}


def parse_codebook(path: Path) -> Codebook:
    """Read and check one codebook file (following `extends`); cached while the file is unchanged."""
    st = path.stat() if path.exists() else None
    cache_key = (path.resolve(), st.st_mtime_ns if st else 0, st.st_size if st else 0)
    if st is not None and cache_key in _CACHE and not _extends_changed(_CACHE[cache_key]):
        return _CACHE[cache_key]
    data, src = _read_source(path)
    book = build_codebook(data, path, _codebook_sha256(path), src.text, src)
    if st is not None:
        _CACHE[cache_key] = book
    return book


def _extends_changed(book: Codebook) -> bool:
    return bool(book.sha256) and book.sha256 != _codebook_sha256(book.path)


# --- Finding codebooks ------------------------------------------------------------------------


def surveys_dirs(surveys: Path | Sequence[Path] | None = None) -> list[Path]:
    """The folders searched for codebooks, first wins: `surveys` (the --surveys options), then the
    `surveys` setting ($MAILLAGE_SURVEYS: folders separated by the system's path separator), then
    the package's own surveys/."""
    from warehouse.settings import setting

    given = [surveys] if isinstance(surveys, Path) else list(surveys or [])
    configured = [Path(p) for p in str(setting("surveys")).split(os.pathsep) if p.strip()]
    out: list[Path] = []
    for folder in (*given, *configured):
        if not folder.is_dir():
            raise CodebookError(
                f"Codebook folder {folder} does not exist (given with --surveys or $MAILLAGE_SURVEYS). Correct "
                "the path: it must hold one folder per instrument, e.g. " + str(folder / "myinstrument" / "v1.toml")
                + ".",
                message_fr=f"Le dossier de dictionnaires {folder} n'existe pas (indiqué par --surveys ou "
                "$MAILLAGE_SURVEYS). Corrigez le chemin : il doit contenir un dossier par questionnaire, par ex. "
                + str(folder / "monquestionnaire" / "v1.toml")
                + ".",
            )
        if folder.resolve() not in [o.resolve() for o in out]:
            out.append(folder)
    if SURVEYS_DIR.resolve() not in [o.resolve() for o in out]:
        out.append(SURVEYS_DIR)
    return out


def codebook_paths(surveys: Path | Sequence[Path] | None = None) -> list[Path]:
    """Every codebook file of the search path: `<folder>/<instrument>/<version>.toml`."""
    paths: list[Path] = []
    for folder in surveys_dirs(surveys):
        paths += sorted(
            p for p in folder.glob("*/*.toml") if p.parent.name != "demo" and not p.parent.name.startswith(".")
        )
    return paths


@dataclass
class Catalogue:
    """Every instrument of the search path: the good ones, and the broken ones with their error."""

    instruments: dict[str, list[Codebook]]
    broken: dict[str, CodebookError]
    folders: dict[str, Path]  # instrument → the folder it was found in


def scan_codebooks(surveys: Path | Sequence[Path] | None = None) -> Catalogue:
    """Read every codebook; a broken file blocks its own instrument (named after its folder)."""
    instruments: dict[str, list[Codebook]] = {}
    broken: dict[str, CodebookError] = {}
    folders: dict[str, Path] = {}
    for folder in surveys_dirs(surveys):
        here: dict[str, list[Codebook]] = {}
        here_broken: dict[str, CodebookError] = {}
        for path in sorted(p for p in folder.glob("*/*.toml") if p.parent.name != "demo"):
            if path.parent.name.startswith("."):
                continue
            name = path.parent.name
            if name in folders:
                continue  # an earlier folder of the search path has this instrument
            try:
                book = parse_codebook(path)
            except CodebookError as exc:
                here_broken.setdefault(name, exc)
                continue
            if book.name != name:
                here_broken.setdefault(
                    name,
                    CodebookError(
                        f"{path}: [instrument] name is `{book.name}` but the file is in folder `{name}`; the "
                        f"folder names the instrument. Rename the folder or the name so that they match.",
                        message_fr=f"{path} : le nom [instrument] est `{book.name}` mais le fichier est dans le "
                        f"dossier `{name}` ; c'est le dossier qui nomme le questionnaire. Renommez le dossier ou "
                        "le nom pour qu'ils soient identiques.",
                    ),
                )
                continue
            here.setdefault(name, []).append(book)
        for name, books in here.items():
            versions = [b.version for b in books]
            dupes = sorted({v for v in versions if versions.count(v) > 1})
            if dupes and name not in here_broken:
                paths = ", ".join(str(b.path) for b in books if b.version in dupes)
                here_broken[name] = CodebookError(
                    f"Instrument `{name}` has version {dupes[0]} twice ({paths}). Give each file its own "
                    "[instrument] version.",
                    message_fr=f"Le questionnaire `{name}` a deux fois la version {dupes[0]} ({paths}). Donnez à "
                    "chaque fichier sa propre version [instrument] version.",
                )
        for name in {*here, *here_broken}:
            folders[name] = folder
            if name in here_broken:
                broken[name] = here_broken[name]
            else:
                instruments[name] = sorted(here[name], key=lambda b: _version_key(b.version))
    return Catalogue(dict(sorted(instruments.items())), broken, folders)


def available_instruments(surveys: Path | Sequence[Path] | None = None) -> dict[str, list[Codebook]]:
    """Instrument name → its codebook versions, oldest first (broken instruments left out: see
    `broken_codebooks`)."""
    return scan_codebooks(surveys).instruments


def broken_codebooks(surveys: Path | Sequence[Path] | None = None) -> dict[str, CodebookError]:
    """Instrument name → the error of its broken codebook."""
    return scan_codebooks(surveys).broken


def _version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in version.replace("-", ".").split("."))


def codebook_versions(name: str, surveys: Path | Sequence[Path] | None = None) -> list[Codebook]:
    """The versions of one instrument; `name` may be `practitioner` or `practitioner@2`."""
    base, _, version = name.partition("@")
    if not NAME.match(base):
        raise CodebookError(
            f"`{base}` is not an instrument name (letters, digits, '-' and '_' only). See `maillage instruments`.",
            message_fr=f"`{base}` n'est pas un nom de questionnaire (lettres, chiffres, « - » et « _ » "
            "seulement). Voir `maillage instruments`.",
        )
    catalogue = scan_codebooks(surveys)
    if base in catalogue.broken:
        exc = catalogue.broken[base]
        raise CodebookError(
            f"Instrument `{base}` cannot be loaded until its codebook is fixed (the other instruments are not "
            f"affected): {exc}",
            message_fr=f"Le questionnaire `{base}` ne peut pas être chargé tant que son dictionnaire n'est pas "
            f"corrigé (les autres questionnaires ne sont pas concernés) : {exc.message_fr}",
        )
    instruments = catalogue.instruments
    if base not in instruments:
        known = ", ".join(sorted(instruments))
        raise CodebookError(
            f"Unknown instrument `{base}`. Known instruments: {known}. A new instrument needs a codebook in "
            f"surveys/{base}/v1.toml, or in a folder of your own given with --surveys or $MAILLAGE_SURVEYS "
            "(see docs/codebooks.md).",
            message_fr=f"Questionnaire `{base}` inconnu. Questionnaires connus : {known}. Un nouveau questionnaire "
            f"demande un dictionnaire dans surveys/{base}/v1.toml, ou dans un dossier à vous indiqué par "
            "--surveys ou $MAILLAGE_SURVEYS (voir docs/codebooks.md).",
        )
    books = instruments[base]
    if version:
        chosen = [b for b in books if b.version == version]
        if not chosen:
            versions = ", ".join(b.version for b in books)
            raise CodebookError(
                f"Instrument `{base}` has no version `{version}` (versions: {versions}).",
                message_fr=f"Le questionnaire `{base}` n'a pas de version `{version}` (versions : {versions}).",
            )
        return chosen
    return books


# --- Codebooks stored in the warehouse --------------------------------------------------------


def definition_json(book: Codebook) -> str:
    """The merged definition of a codebook as JSON (what the warehouse stores beside its TOML)."""
    return json.dumps(book.definition, ensure_ascii=False, sort_keys=True, default=str)


def stored_codebooks(conn: duckdb.DuckDBPyConnection) -> dict[str, list[Codebook]]:
    """Every instrument described in the warehouse's `codebooks` table (the newest stored text of
    each version), as Codebooks: what the dashboard and exports know without the codebook folder."""
    rows = conn.execute(
        """
        SELECT instrument, version, file_name, sha256, toml_text, definition_json FROM codebooks
        QUALIFY row_number() OVER (PARTITION BY instrument, version ORDER BY stored_at DESC, sha256) = 1
        """
    ).fetchall()
    out: dict[str, list[Codebook]] = {}
    for _instrument, _version, file_name, sha, text, definition in rows:
        book = build_codebook(json.loads(definition), Path(file_name), sha, text)
        out.setdefault(book.name, []).append(book)
    for books in out.values():
        books.sort(key=lambda b: _version_key(b.version))
    return dict(sorted(out.items()))
