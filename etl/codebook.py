"""Instrument codebooks: TOML files in `surveys/<instrument>/<version>.toml`.

A codebook says which columns of a survey export hold which item, how answers map to values,
which items are reverse-keyed and how scales are scored. See docs/codebooks.md for the format.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl.errors import CodebookError

SURVEYS_DIR = Path(__file__).resolve().parent.parent / "surveys"

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


@dataclass(frozen=True)
class Option:
    """One answer option: stored as a number (`value`) or a code (`code`)."""

    value: float | None
    code: str | None
    fr: str
    en: str
    match: tuple[str, ...]  # every spelling that selects this option (labels, codes, aliases)


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

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def scale_items(self, scale_id: str) -> list[Item]:
        return [i for i in self.items if i.scale == scale_id]


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise CodebookError(
        f"{where} must be a string or a list of strings, not {value!r}.",
        message_fr=f"{where} doit être un texte ou une liste de textes, pas {value!r}.",
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


def _codebook_sha256(path: Path) -> str:
    """Hash of a codebook and the chain of files it extends: a changed codebook is a new input."""
    digest = hashlib.sha256()
    current: Path | None = path
    seen: set[Path] = set()
    while current is not None and current not in seen and current.exists():
        seen.add(current)
        text = current.read_bytes()
        digest.update(text)
        data = tomllib.loads(text.decode("utf-8"))
        current = current.parent / str(data["extends"]) if "extends" in data else None
    return digest.hexdigest()


def _read_toml(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    if path in seen:
        chain = " → ".join(p.name for p in seen)
        raise CodebookError(
            f"{path.name}: `extends` makes a loop ({chain}).",
            message_fr=f"{path.name} : `extends` forme une boucle ({chain}).",
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CodebookError(
            f"Codebook {path} does not exist.", message_fr=f"Le dictionnaire {path} n'existe pas."
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise CodebookError(
            f"{path.name} is not valid TOML: {exc}. Fix the file and retry.",
            message_fr=f"{path.name} n'est pas un fichier TOML valide : {exc}. Corrigez le fichier et réessayez.",
        ) from None
    if "extends" in data:
        parent = _read_toml(path.parent / str(data["extends"]), (*seen, path))
        data = _merge(parent, data)
    return data


def _option(raw: dict[str, Any], where: str) -> Option:
    value = raw.get("value")
    code = raw.get("code")
    if (value is None) == (code is None):
        raise CodebookError(
            f"{where}: give each option either `value` (a number) or `code` (a text).",
            message_fr=f"{where} : donnez à chaque option soit `value` (un nombre), soit `code` (un texte).",
        )
    if value is not None and not isinstance(value, int | float):
        raise CodebookError(
            f"{where}: `value` must be a number, not {value!r}.",
            message_fr=f"{where} : `value` doit être un nombre, pas {value!r}.",
        )
    fr = str(raw.get("fr", code if code is not None else value))
    en = str(raw.get("en", fr))
    match = (fr, en, *_strs(raw.get("codes"), f"{where}.codes"), *_strs(raw.get("aliases"), where))
    if code is not None:
        match = (*match, str(code))
    return Option(
        value=float(value) if value is not None else None,
        code=str(code) if code is not None else None,
        fr=fr,
        en=en,
        match=match,
    )


def _response_sets(data: dict[str, Any], where: str) -> dict[str, ResponseSet]:
    sets: dict[str, ResponseSet] = {}
    for name, raw in data.get("response_sets", {}).items():
        options = tuple(
            _option(o, f"{where} response_sets.{name}.options[{i}]") for i, o in enumerate(raw.get("options", []))
        )
        if not options:
            raise CodebookError(
                f"{where}: response_sets.{name} has no options.",
                message_fr=f"{where} : response_sets.{name} n'a aucune option.",
            )
        kinds = {o.value is None for o in options}
        if len(kinds) > 1:
            raise CodebookError(
                f"{where}: response_sets.{name} mixes `value` and `code` options; use one kind.",
                message_fr=f"{where} : response_sets.{name} mélange des options `value` et `code` ; "
                "n'utilisez qu'une sorte.",
            )
        sets[name] = ResponseSet(name, options, _strs(raw.get("missing", [""]), name))
    return sets


def _fields(data: dict[str, Any], kind: str, sets: dict[str, ResponseSet], where: str) -> tuple[Field, ...]:
    fields = []
    allowed = KIND_FIELDS[kind]
    for name, raw in data.get("fields", {}).items():
        if name not in allowed:
            raise CodebookError(
                f"{where}: field `{name}` is not a field of a {kind} codebook (allowed: {', '.join(allowed)}).",
                message_fr=f"{where} : le champ `{name}` n'est pas un champ d'un dictionnaire {kind} "
                f"(champs permis : {', '.join(allowed)}).",
            )
        response_set = raw.get("response_set")
        ftype = raw.get("type", "choice" if response_set else "text")
        if ftype not in FIELD_TYPES:
            raise CodebookError(
                f"{where}: fields.{name}.type `{ftype}` is not one of {FIELD_TYPES}.",
                message_fr=f"{where} : fields.{name}.type `{ftype}` n'est pas l'un de {FIELD_TYPES}.",
            )
        if ftype in ("choice", "choice_list") and response_set not in sets:
            raise CodebookError(
                f"{where}: fields.{name} uses response set `{response_set}`, which is not defined.",
                message_fr=f"{where} : fields.{name} utilise le jeu de réponses `{response_set}`, qui "
                "n'est pas défini.",
            )
        fields.append(
            Field(
                name=name,
                columns=_strs(raw.get("columns"), f"{where} fields.{name}.columns"),
                type=ftype,
                label_fr=str(raw.get("label_fr", name)),
                label_en=str(raw.get("label_en", raw.get("label_fr", name))),
                response_set=response_set,
                min=raw.get("min"),
                max=raw.get("max"),
                required=bool(raw.get("required", False)),
                separators=_strs(raw.get("separators"), f"{where} fields.{name}.separators"),
            )
        )
    return tuple(fields)


def _scales(data: dict[str, Any], where: str) -> tuple[Scale, ...]:
    scales = []
    for raw in data.get("scales", []):
        rule = raw.get("rule", "mean")
        if rule not in SCALE_RULES:
            raise CodebookError(
                f"{where}: scale {raw.get('id')} has rule `{rule}`; use one of {SCALE_RULES}.",
                message_fr=f"{where} : l'échelle {raw.get('id')} a la règle `{rule}` ; utilisez l'une de "
                f"{SCALE_RULES}.",
            )
        scales.append(
            Scale(
                id=str(raw["id"]),
                fr=str(raw.get("fr", raw["id"])),
                en=str(raw.get("en", raw.get("fr", raw["id"]))),
                rule=rule,
                multiplier=float(raw.get("multiplier", 1)),
                min_items=int(raw.get("min_items", 1)),
                higher_is_better=bool(raw.get("higher_is_better", True)),
                stem_fr=str(raw.get("stem_fr", "")),
                stem_en=str(raw.get("stem_en", "")),
            )
        )
    return tuple(scales)


def _items(
    data: dict[str, Any], sets: dict[str, ResponseSet], scales: tuple[Scale, ...], where: str
) -> tuple[Item, ...]:
    by_scale = {s.id: s for s in scales}
    items = []
    for raw in data.get("items", []):
        item_id = str(raw.get("id", ""))
        if not item_id:
            raise CodebookError(f"{where}: an item has no `id`.", message_fr=f"{where} : un item n'a pas d'`id`.")
        rs = raw.get("response_set")
        if rs not in sets:
            raise CodebookError(
                f"{where}: item {item_id} uses response set `{rs}`, which is not defined.",
                message_fr=f"{where} : l'item {item_id} utilise le jeu de réponses `{rs}`, qui n'est pas défini.",
            )
        if not sets[rs].numeric:
            raise CodebookError(
                f"{where}: item {item_id} needs a numeric response set (options with `value`).",
                message_fr=f"{where} : l'item {item_id} demande un jeu de réponses numérique (options avec `value`).",
            )
        scale = raw.get("scale")
        if scale is not None and scale not in by_scale:
            raise CodebookError(
                f"{where}: item {item_id} belongs to scale `{scale}`, which is not defined.",
                message_fr=f"{where} : l'item {item_id} appartient à l'échelle `{scale}`, qui n'est pas définie.",
            )
        parent = by_scale.get(scale) if scale else None
        items.append(
            Item(
                id=item_id,
                fr=str(raw.get("fr", item_id)),
                en=str(raw.get("en", raw.get("fr", item_id))),
                response_set=rs,
                columns=_strs(raw.get("columns"), f"{where} items.{item_id}.columns"),
                scale=scale,
                reverse=bool(raw.get("reverse", False)),
                unit=raw.get("unit"),
                target_sector=raw.get("target_sector"),
                stem_fr=str(raw.get("stem_fr", parent.stem_fr if parent else "")),
                stem_en=str(raw.get("stem_en", parent.stem_en if parent else "")),
            )
        )
    ids = [i.id for i in items]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CodebookError(
            f"{where}: item ids must be unique; repeated: {', '.join(dupes)}.",
            message_fr=f"{where} : les identifiants d'items doivent être uniques ; répétés : {', '.join(dupes)}.",
        )
    for scale in scales:
        n = sum(1 for i in items if i.scale == scale.id)
        if n == 0:
            raise CodebookError(
                f"{where}: scale {scale.id} has no items.",
                message_fr=f"{where} : l'échelle {scale.id} n'a aucun item.",
            )
        if scale.min_items > n:
            raise CodebookError(
                f"{where}: scale {scale.id} needs {scale.min_items} items but has {n}.",
                message_fr=f"{where} : l'échelle {scale.id} demande {scale.min_items} items mais n'en a que {n}.",
            )
    return tuple(items)


def _rosters(data: dict[str, Any], sets: dict[str, ResponseSet], where: str) -> tuple[Roster, ...]:
    rosters = []
    for raw in data.get("rosters", []):
        rid = str(raw.get("id", ""))
        kind = raw.get("kind")
        if kind not in ROSTER_KINDS:
            raise CodebookError(
                f"{where}: roster {rid} has kind `{kind}`; use one of {ROSTER_KINDS}.",
                message_fr=f"{where} : la question-liste {rid} est de sorte `{kind}` ; utilisez l'une de "
                f"{ROSTER_KINDS}.",
            )
        rfields = []
        for name, fraw in raw.get("fields", {}).items():
            if name not in ROSTER_FIELDS:
                raise CodebookError(
                    f"{where}: roster {rid} field `{name}` is not one of {ROSTER_FIELDS}.",
                    message_fr=f"{where} : le champ `{name}` de la question-liste {rid} n'est pas l'un de "
                    f"{ROSTER_FIELDS}.",
                )
            if fraw.get("response_set") not in sets:
                raise CodebookError(
                    f"{where}: roster {rid} field {name} needs a defined response_set.",
                    message_fr=f"{where} : le champ {name} de la question-liste {rid} demande un response_set défini.",
                )
            rfields.append(
                RosterField(
                    name=name,
                    fr=str(fraw.get("fr", name)),
                    en=str(fraw.get("en", fraw.get("fr", name))),
                    response_set=str(fraw["response_set"]),
                    columns=_strs(fraw.get("columns"), f"{where} rosters.{rid}.{name}"),
                )
            )
        for pattern in (*_strs(raw.get("choice_columns"), rid), *(c for f in rfields for c in f.columns)):
            if "{choice}" not in pattern:
                raise CodebookError(
                    f"{where}: roster {rid} column pattern `{pattern}` has no {{choice}}.",
                    message_fr=f"{where} : le modèle de colonne `{pattern}` de la question-liste {rid} ne "
                    "contient pas {choice}.",
                )
        rosters.append(
            Roster(
                id=rid,
                kind=kind,
                tie_source=str(raw.get("tie_source", "survey")),
                fr=str(raw.get("fr", rid)),
                en=str(raw.get("en", raw.get("fr", rid))),
                choice_columns=_strs(raw.get("choice_columns"), f"{where} rosters.{rid}"),
                list_columns=_strs(raw.get("list_columns"), f"{where} rosters.{rid}"),
                fields=tuple(rfields),
            )
        )
    return tuple(rosters)


_CACHE: dict[tuple[Path, int, int], Codebook] = {}


def parse_codebook(path: Path) -> Codebook:
    """Read and check one codebook file (following `extends`); cached while the file is unchanged."""
    st = path.stat() if path.exists() else None
    cache_key = (path.resolve(), st.st_mtime_ns if st else 0, st.st_size if st else 0)
    if st is not None and cache_key in _CACHE and not _extends_changed(_CACHE[cache_key]):
        return _CACHE[cache_key]
    book = _parse_codebook(path)
    if st is not None:
        _CACHE[cache_key] = book
    return book


def _extends_changed(book: Codebook) -> bool:
    return bool(book.sha256) and book.sha256 != _codebook_sha256(book.path)


def _parse_codebook(path: Path) -> Codebook:
    data = _read_toml(path)
    where = path.name if path.parent == SURVEYS_DIR else f"{path.parent.name}/{path.name}"
    inst = data.get("instrument", {})
    for key in ("name", "version", "kind"):
        if key not in inst:
            raise CodebookError(
                f"{where}: [instrument] needs `{key}`.", message_fr=f"{where} : [instrument] demande `{key}`."
            )
    kind = inst["kind"]
    if kind not in KINDS:
        raise CodebookError(
            f"{where}: instrument kind `{kind}` is not one of {KINDS}.",
            message_fr=f"{where} : la sorte de questionnaire `{kind}` n'est pas l'une de {KINDS}.",
        )
    sets = _response_sets(data, where)
    scales = _scales(data, where)
    resp = data.get("respondent", {})
    book = Codebook(
        name=str(inst["name"]),
        version=str(inst["version"]),
        kind=kind,
        title_fr=str(inst.get("title_fr", inst["name"])),
        title_en=str(inst.get("title_en", inst.get("title_fr", inst["name"]))),
        sources=_strs(inst.get("sources"), f"{where} instrument.sources"),
        licence=str(inst.get("licence", "")),
        path=path,
        sha256=_codebook_sha256(path),
        key_columns=_strs(resp.get("key"), f"{where} respondent.key"),
        key_is_institution=bool(resp.get("key_is_institution", False)),
        submitted_columns=_strs(resp.get("submitted"), f"{where} respondent.submitted"),
        wave_columns=_strs(resp.get("wave"), f"{where} respondent.wave"),
        ignore_columns=_strs(resp.get("ignore"), f"{where} respondent.ignore"),
        load_free_text=bool(inst.get("load_free_text", False)),
        fields=_fields(data, kind, sets, where),
        response_sets=sets,
        scales=scales,
        items=_items(data, sets, scales, where),
        rosters=_rosters(data, sets, where),
    )
    if kind in ("survey", "partner_survey") and not book.key_columns and not book.key_is_institution:
        raise CodebookError(
            f"{where}: a survey codebook needs [respondent] key = [...columns] "
            "(or key_is_institution = true with an `institution` field).",
            message_fr=f"{where} : un dictionnaire de questionnaire demande [respondent] key = [...colonnes] "
            "(ou key_is_institution = true avec un champ `institution`).",
        )
    if book.key_is_institution and book.field("institution") is None:
        raise CodebookError(
            f"{where}: key_is_institution = true needs a [fields.institution].",
            message_fr=f"{where} : key_is_institution = true demande un [fields.institution].",
        )
    return book


def codebook_paths(surveys_dir: Path = SURVEYS_DIR) -> list[Path]:
    """Every codebook file: `surveys/<instrument>/<version>.toml`."""
    return sorted(p for p in surveys_dir.glob("*/*.toml") if p.parent.name != "demo")


def available_instruments(surveys_dir: Path = SURVEYS_DIR) -> dict[str, list[Codebook]]:
    """Instrument name → its codebook versions, oldest first."""
    found: dict[str, list[Codebook]] = {}
    for path in codebook_paths(surveys_dir):
        book = parse_codebook(path)
        found.setdefault(book.name, []).append(book)
    for books in found.values():
        books.sort(key=lambda b: _version_key(b.version))
    return found


def _version_key(version: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))


def codebook_versions(name: str, surveys_dir: Path = SURVEYS_DIR) -> list[Codebook]:
    """The versions of one instrument; `name` may be `practitioner` or `practitioner@2`."""
    base, _, version = name.partition("@")
    instruments = available_instruments(surveys_dir)
    if base not in instruments:
        known = ", ".join(sorted(instruments))
        raise CodebookError(
            f"Unknown instrument `{base}`. Known instruments: {known}. "
            f"A new instrument needs a codebook in surveys/{base}/v1.toml (see docs/codebooks.md).",
            message_fr=f"Questionnaire `{base}` inconnu. Questionnaires connus : {known}. Un nouveau "
            f"questionnaire demande un dictionnaire dans surveys/{base}/v1.toml (voir docs/codebooks.md).",
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
