"""Validate stage: every problem of the file, not only the first.

Problems live in the temp table `problems` (source_row, column_name, value, problem, scope,
message, message_fr): `message` is English (the command line, the CSV report), `message_fr` the
same explanation in French (the dashboard); where the English names a CLI option (--wave, --sheet,
--encoding), the French also names the field of the dashboard's load page. Scope says what happens:
- `file`: the file is refused, nothing is loaded (raised as FileRefused after all checks ran);
- `row`: the row is quarantined (kept in the warehouse's quarantine table with the reason);
- `cell` / `column`: the cell (or every cell of the column) is quarantined, the rest of the row
  loads;
- `warning`: reported, nothing is dropped.
Respondent keys and ignored columns never appear in problem values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import pandas as pd

from etl.closest import ClosestNames
from etl.codebook import Codebook
from etl.errors import FileRefused
from etl.map import InstitutionIndex, Mapping, timestamp_sql
from warehouse.db import fetch_one

WAVE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$")
PROBLEM_COLUMNS = ["source_row", "column_name", "value", "problem", "scope", "message", "message_fr"]


@dataclass
class Problem:
    source_row: int | None
    column_name: str | None
    value: str | None
    problem: str
    scope: str
    message: str  # English (command line, CSV report)
    message_fr: str  # French (dashboard)


def create_problems_table(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE problems (source_row INTEGER, column_name VARCHAR, value VARCHAR, "
        "problem VARCHAR, scope VARCHAR, message VARCHAR, message_fr VARCHAR)"
    )


def add_problems(conn: duckdb.DuckDBPyConnection, problems: list[Problem]) -> None:
    if problems:  # one statement (executemany is one INSERT per problem)
        conn.execute(
            "INSERT INTO problems SELECT unnest(?::INTEGER[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
            "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
            [[getattr(p, c) for p in problems] for c in PROBLEM_COLUMNS],
        )


def problems_frame(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return conn.execute(
        "SELECT * FROM problems ORDER BY CASE scope WHEN 'file' THEN 0 ELSE 1 END, source_row NULLS FIRST, column_name"
    ).df()


def fr_quote(text: object) -> str:
    """« text » (French quotation marks)."""
    return f"« {text} »"


def fr_number(x: float) -> str:
    """A bound as French writes it: 2.5 → 2,5."""
    return f"{x:g}".replace(".", ",")


def _options_text(book: Codebook, response_set: str, limit: int = 6, lang: str = "en") -> str:
    rs = book.response_sets.get(response_set)
    if rs is None:
        return ""
    labels = [o.fr for o in rs.options]
    if lang == "fr":
        more = f", … ({len(labels)} en tout)" if len(labels) > limit else ""
        return " ; ".join(fr_quote(x) for x in labels[:limit]) + more
    more = f", … ({len(labels)} in all)" if len(labels) > limit else ""
    return "; ".join(f"“{x}”" for x in labels[:limit]) + more


def suggest(index: InstitutionIndex, text: str, lang: str = "en") -> str:
    """' Closest known institution: “Collège Jean Jaurès” (EN_CLG_JAURES).' or '' (French with
    lang="fr": ' Structure connue la plus proche : « Collège Jean Jaurès » (EN_CLG_JAURES).')."""
    inst = index.closest_institution(text)
    if inst is None:
        return ""
    name = index.names.get(inst, inst)
    if lang == "fr":
        return f" Structure connue la plus proche : {fr_quote(name)} ({inst})."
    return f" Closest known institution: “{name}” ({inst})."


# --- File-level checks -------------------------------------------------------------------------


def file_problems(
    mapping: Mapping,
    n_data_rows: int,
    wave_arg: str | None,
    institutions: InstitutionIndex,
) -> list[Problem]:
    book = mapping.book
    out: list[Problem] = []

    def refuse(problem: str, message: str, message_fr: str, column: str | None = None) -> None:
        out.append(Problem(None, column, None, problem, "file", message, message_fr))

    more = "…" if len(mapping.headers) > 12 else ""
    found = ", ".join(f"“{h}”" for h in mapping.headers[:12]) + more
    found_fr = ", ".join(fr_quote(h) for h in mapping.headers[:12]) + more
    if n_data_rows <= 0:
        refuse(
            "no_data",
            f"The file has no data rows after its {mapping.header_rows} header row(s).",
            f"Le fichier ne contient aucune ligne de données (après {mapping.header_rows} ligne(s) "
            "d'en-tête). Vérifiez que l'export contient bien les réponses.",
        )
    for label, headers in mapping.duplicate_targets:
        refuse(
            "duplicate_column",
            f"Two columns hold the same question `{label}`: {', '.join(map(repr, headers))}. "
            "Delete one of them and retry.",
            f"Deux colonnes contiennent la même question `{label}` : {', '.join(map(fr_quote, headers))}. "
            "Supprimez l'une des deux et déposez le fichier à nouveau.",
        )
    if book.kind in ("survey", "partner_survey"):
        key = mapping.column_for("key")
        if book.key_is_institution:
            inst = book.field("institution")
            if mapping.column_for("field", "institution") is None and inst is not None:
                expected = ", ".join(f"“{c}”" for c in inst.columns[:5])
                expected_fr = ", ".join(fr_quote(c) for c in inst.columns[:5])
                refuse(
                    "missing_key_column",
                    f"No column says which institution answered. Expected one of {expected}. "
                    f"Columns found: {found}. Rename that column or add its name to "
                    f"[fields.institution] columns in {book.path.name}.",
                    f"Aucune colonne n'indique quelle structure a répondu. Noms attendus : {expected_fr}. "
                    f"Colonnes trouvées : {found_fr}. Renommez cette colonne, ou ajoutez son nom aux "
                    f"colonnes de [fields.institution] dans le dictionnaire {book.path.name}.",
                )
        elif key is None:
            expected = ", ".join(f"“{c}”" for c in book.key_columns[:5])
            expected_fr = ", ".join(fr_quote(c) for c in book.key_columns[:5])
            refuse(
                "missing_key_column",
                f"No respondent key column. Expected one of {expected}. Columns found: {found}. "
                "Rename the column holding the token or anonymous code, or add its name to "
                f"[respondent] key in {book.path.name}.",
                f"Aucune colonne d'identifiant des répondants. Noms attendus : {expected_fr}. "
                f"Colonnes trouvées : {found_fr}. Renommez la colonne qui contient le jeton (token) ou "
                f"le code anonyme, ou ajoutez son nom à la clé [respondent] key du dictionnaire "
                f"{book.path.name}.",
            )
        if not mapping.of_kind("item", "choice", "rating", "list"):
            refuse(
                "no_known_question",
                f"None of the questions of `{book.label}` was found in this file (columns: {found}). "
                "Is it the right --instrument? Otherwise add the export's column names to the "
                "codebook (docs/codebooks.md).",
                f"Aucune question de `{book.label}` n'a été trouvée dans ce fichier (colonnes : {found_fr}). "
                "Est-ce le bon questionnaire (champ « Questionnaire ou liste » de la page, ou "
                "--instrument en ligne de commande) ? Sinon, ajoutez les noms de colonnes de l'export "
                "au dictionnaire du questionnaire (docs/codebooks.md).",
            )
    for f in book.fields:
        if f.required and mapping.column_for("field", f.name) is None:
            expected = ", ".join(f"“{c}”" for c in f.columns[:5])
            expected_fr = ", ".join(fr_quote(c) for c in f.columns[:5])
            refuse(
                "missing_column",
                f"The required column “{f.label_fr}” ({f.name}) is missing. Expected one of "
                f"{expected}. Columns found: {found}.",
                f"La colonne obligatoire {fr_quote(f.label_fr)} ({f.name}) est absente. Noms attendus : "
                f"{expected_fr}. Colonnes trouvées : {found_fr}.",
            )
    needs_institutions = book.kind in ("survey", "partner_survey", "activity_log")
    if needs_institutions and institutions.empty:
        refuse(
            "no_institutions",
            "The warehouse has no institutions list yet, so names in this file cannot be matched. "
            "Load it first: maillage load <institutions.csv> --instrument institutions.",
            "L'entrepôt n'a pas encore de liste des structures : les structures nommées dans ce fichier "
            "ne peuvent pas être reconnues. Chargez d'abord la liste (« Liste des structures » sur "
            "cette page, ou maillage load <institutions.csv> --instrument institutions en ligne de "
            "commande).",
        )
    if book.kind in ("survey", "partner_survey") and not wave_arg and mapping.column_for("wave") is None:
        refuse(
            "missing_wave",
            "This file does not say which wave it belongs to. Pass --wave (e.g. --wave 2025-1).",
            "Ce fichier n'indique pas à quelle vague il appartient. Indiquez la vague (champ « Vague » "
            "de la page, ou --wave en ligne de commande, par ex. --wave 2025-1).",
        )
    if wave_arg is not None and not WAVE_ID.match(wave_arg):
        refuse(
            "bad_wave_id",
            f"Wave id {wave_arg!r} is not usable: use letters, digits, '-', '_' or '.', at most 32 "
            "characters, e.g. 2025-1 or 2025-S2.",
            f"Le nom de vague {fr_quote(wave_arg)} n'est pas utilisable : lettres, chiffres, « - », « _ » "
            "ou « . » seulement, 32 caractères au plus, par ex. 2025-1 ou 2025-S2 (champ « Vague » de "
            "la page, ou --wave en ligne de commande).",
        )
    return out


def column_problems(mapping: Mapping, institutions: InstitutionIndex) -> list[Problem]:
    """Warnings about columns: unknown, missing items, rosters naming unknown institutions."""
    out: list[Problem] = []
    for _j, header in mapping.unknown_columns:
        out.append(
            Problem(
                None,
                header,
                None,
                "unknown_column",
                "warning",
                f"Column “{header}” is not in codebook {mapping.book.label}; it was not loaded. "
                "If it holds a question you need, add its name to the codebook.",
                f"La colonne {fr_quote(header)} ne figure pas dans le dictionnaire {mapping.book.label} : "
                "elle n'a pas été chargée. Si elle contient une question utile, ajoutez son nom au "
                "dictionnaire du questionnaire.",
            )
        )
    for _j, header, text in mapping.unknown_choices:
        out.append(
            Problem(
                None,
                header,
                text,
                "unknown_institution",
                "column",
                f"Column “{header}” names an institution “{text}” that is not in the institutions "
                f"list, so its answers were not loaded.{suggest(institutions, text)} Add the "
                "institution (or this spelling as an alias) to the list, load the list, then load "
                "this file again.",
                f"La colonne {fr_quote(header)} nomme une structure {fr_quote(text)} absente de la liste "
                f"des structures : ses réponses n'ont pas été chargées.{suggest(institutions, text, 'fr')} "
                "Ajoutez la structure (ou cette orthographe aux alias de la liste des structures), "
                "rechargez la liste, puis rechargez ce fichier.",
            )
        )
    if mapping.missing_items:
        items = ", ".join(mapping.missing_items)
        out.append(
            Problem(
                None,
                None,
                items,
                "missing_item",
                "warning",
                f"{len(mapping.missing_items)} item(s) of codebook {mapping.book.label} are not in "
                f"this file ({items}); they are recorded as not asked in this wave. If the export "
                "names them differently, add those column names to the codebook.",
                f"{len(mapping.missing_items)} item(s) du dictionnaire {mapping.book.label} ne figurent "
                f"pas dans ce fichier ({items}) : ils sont enregistrés comme non posés à cette vague. "
                "Si l'export les nomme autrement, ajoutez ces noms de colonnes au dictionnaire du "
                "questionnaire.",
            )
        )
    return out


def raise_if_refused(problems: list[Problem], file_name: str) -> None:
    refused = [p for p in problems if p.scope == "file"]
    if refused:
        lines = "\n".join(f"- {p.message}" for p in refused)
        lines_fr = "\n".join(f"- {p.message_fr}" for p in refused)
        raise FileRefused(
            f"{file_name} was not loaded:\n{lines}",
            problems,
            message_fr=f"{file_name} n'a pas été chargé :\n{lines_fr}",
        )


# --- Row and cell checks (set-based) -----------------------------------------------------------


def check_cells(conn: duckdb.DuckDBPyConnection, mapping: Mapping) -> None:
    """Answer cells whose label is unknown or whose value is out of range."""
    book = mapping.book
    bad = conn.execute(
        """
        SELECT b.__row, m.header, b.raw, m.kind, m.target, m.roster_field, m.response_set,
               try_cast(replace(mnorm(b.raw), ',', '.') AS DOUBLE) AS num
        FROM bad_cells b JOIN colmap m USING (col)
        ORDER BY b.__row, m.header
        """
    ).fetchall()
    problems = []
    for row, header, raw, kind, target, _rfield, rset, num in bad:
        where = f"item {target}" if kind == "item" else f"roster {target}"
        where_fr = f"l'item {target}" if kind == "item" else f"la question {target}"
        rs = book.response_sets.get(rset)
        if kind == "choice":
            msg = (
                f"This answer in a tick-box column of {where} is not a tick: expected Y/1 (ticked) or "
                "empty/0. The cell was quarantined; correct it and load the file again."
            )
            msg_fr = (
                f"Cette réponse, dans une colonne à cocher de {where_fr}, n'est pas une coche : attendu Y/1 "
                "(coché) ou vide/0. La cellule a été mise en quarantaine ; corrigez-la puis rechargez le fichier."
            )
            problems.append(Problem(row, header, raw, "unknown_label", "cell", msg, msg_fr))
        elif num is not None and rs is not None and rs.numeric:
            msg = (
                f"The value is outside the answers of {where} ({rs.value_min:g} to {rs.value_max:g}). "
                "The cell was quarantined; correct it in the export and load the file again."
            )
            lo, hi = fr_number(rs.value_min or 0.0), fr_number(rs.value_max or 0.0)
            msg_fr = (
                f"La valeur est hors des réponses possibles de {where_fr} (de {lo} à {hi}). "
                "La cellule a été mise en quarantaine ; corrigez-la dans l'export puis rechargez le fichier."
            )
            problems.append(Problem(row, header, raw, "out_of_range", "cell", msg, msg_fr))
        else:
            msg = (
                f"The answer is not one of {where}'s answers (expected {_options_text(book, rset)}). The "
                f"cell was quarantined. If it is another spelling of an answer, add it to "
                f"`aliases` in {book.path.parent.name}/{book.path.name}; else correct the export."
            )
            msg_fr = (
                f"La réponse n'est pas une réponse possible de {where_fr} (réponses attendues : "
                f"{_options_text(book, rset, lang='fr')}). La cellule a été mise en quarantaine. S'il "
                "s'agit d'une autre orthographe d'une réponse, ajoutez-la aux `aliases` du dictionnaire "
                f"{book.path.parent.name}/{book.path.name} ; sinon, corrigez l'export."
            )
            problems.append(Problem(row, header, raw, "unknown_label", "cell", msg, msg_fr))
    add_problems(conn, problems)


def check_fields(conn: duckdb.DuckDBPyConnection, mapping: Mapping, index: InstitutionIndex) -> None:
    """Row-level fields (role, institution, dates, numbers...) that did not map."""
    book = mapping.book
    problems: list[Problem] = []
    for f in book.fields:
        if f.type in ("institution_list", "choice_list", "text_list", "text", "free_text"):
            continue
        col = mapping.column_for("field", f.name)
        if col is None:
            continue
        rows = conn.execute(
            f'SELECT __row, "{f.name}_raw" FROM fields WHERE NOT "{f.name}_ok" ORDER BY __row'
        ).fetchall()
        for row, raw in rows:
            problems.append(_field_problem(book, f.name, f.type, col.header, row, raw, index, mapping))
    for f in book.fields:
        if f.name == "territory" and mapping.column_for("field", "territory") and not index.empty:
            col = mapping.column_for("field", "territory")
            assert col is not None
            rows = conn.execute(
                'SELECT "territory_raw", count(*), min(__row) FROM fields WHERE territory_unknown GROUP BY 1 ORDER BY 3'
            ).fetchall()
            known = sorted(index.territories.values())
            lowered = [k.lower() for k in known]
            closest = ClosestNames(lowered, cutoff=0.5)
            for raw, n, first in rows:
                close = closest.closest(raw.lower())
                nearest = known[lowered.index(close)] if close is not None else ""
                hint = f" Did you mean “{nearest}”?" if close is not None else ""
                hint_fr = f" Vouliez-vous dire {fr_quote(nearest)} ?" if close is not None else ""
                problems.append(
                    Problem(
                        first,
                        col.header,
                        raw,
                        "unknown_territory",
                        "warning",
                        f"A territory of this column ({n} row(s), first at row {first}) is not a territory "
                        f"of the institutions list ({', '.join(known)}); it was loaded as written.{hint} "
                        "Correct the export, or add the spelling to the list, to count it with its territory.",
                        f"Un territoire de cette colonne ({n} ligne(s), la première à la ligne {first}) n'est "
                        f"pas un territoire de la liste des structures ({', '.join(known)}) : il a été chargé "
                        f"tel quel.{hint_fr} Corrigez l'export, ou ajoutez cette orthographe à la liste des "
                        "structures, pour le compter avec son territoire.",
                    )
                )
    tokens = conn.execute("SELECT __row, field, token FROM field_tokens WHERE value IS NULL ORDER BY __row").fetchall()
    for row, fname, token in tokens:
        spec = book.field(fname)
        assert spec is not None
        col = mapping.column_for("field", fname)
        header = col.header if col else fname
        if spec.type == "institution_list":
            msg = (
                f"A name of this cell is not in the institutions list.{suggest(index, token)} It was left out "
                "of this row; add the institution or this spelling as an alias to the list, then "
                "load the file again."
            )
            msg_fr = (
                f"Un nom de cette cellule n'est pas dans la liste des structures.{suggest(index, token, 'fr')} "
                "Ce nom a été retiré de cette ligne ; ajoutez la structure à la liste des structures "
                "(ou cette orthographe à ses alias), puis rechargez le fichier."
            )
            problems.append(Problem(row, header, token, "unknown_institution", "cell", msg, msg_fr))
        else:
            msg = (
                f"An answer of this cell is not an answer of {spec.label_en} (expected "
                f"{_options_text(book, spec.response_set or '')}). It was left out of this row."
            )
            msg_fr = (
                f"Une réponse de cette cellule n'est pas une réponse possible de {fr_quote(spec.label_fr)} (réponses "
                f"attendues : {_options_text(book, spec.response_set or '', lang='fr')}). Cette réponse a "
                "été retirée de la ligne."
            )
            problems.append(Problem(row, header, token, "unknown_label", "cell", msg, msg_fr))
    lists = conn.execute(
        "SELECT l.__row, l.col, l.token FROM list_choices l WHERE institution_id IS NULL ORDER BY __row"
    ).fetchall()
    headers = {t.col: t.header for t in mapping.of_kind("list")}
    for row, colname, token in lists:
        msg = (
            f"A name of this answer is not in the institutions list.{suggest(index, token)} It was left out of "
            "this answer; add it (or this spelling as an alias) to the list and load again."
        )
        msg_fr = (
            f"Un nom de cette réponse n'est pas dans la liste des structures.{suggest(index, token, 'fr')} Ce nom "
            "a été retiré de cette réponse ; ajoutez la structure à la liste des structures (ou cette "
            "orthographe à ses alias), puis rechargez le fichier."
        )
        problems.append(Problem(row, headers.get(colname), token, "unknown_institution", "cell", msg, msg_fr))
    add_problems(conn, problems)


def _field_problem(
    book: Codebook,
    name: str,
    ftype: str,
    header: str,
    row: int,
    raw: str,
    index: InstitutionIndex,
    mapping: Mapping,
) -> Problem:
    f = book.field(name)
    assert f is not None
    required = f.required or (name == "institution" and book.key_is_institution)
    scope = "row" if required else "cell"
    fate = "The row was quarantined" if scope == "row" else "The cell was quarantined, the rest of the row loaded"
    fate_fr = (
        "La ligne a été mise en quarantaine"
        if scope == "row"
        else "La cellule a été mise en quarantaine, le reste de la ligne a été chargé"
    )
    if ftype == "institution":
        return Problem(
            row,
            header,
            raw,
            "unknown_institution",
            scope,
            f"The institution is not in the institutions list.{suggest(index, raw)} {fate}. Add the "
            "institution or this spelling as an alias to the list, load the list, then load this "
            "file again.",
            f"La structure n'est pas dans la liste des structures.{suggest(index, raw, 'fr')} {fate_fr}. "
            "Ajoutez la structure à la liste des structures, ou cette orthographe à ses alias, "
            "rechargez la liste, puis rechargez ce fichier.",
        )
    if ftype == "number":
        bounds = f" (allowed {f.min:g} to {f.max:g})" if f.min is not None and f.max is not None else ""
        bounds_fr = (
            f" (valeurs permises : de {fr_number(f.min)} à {fr_number(f.max)})"
            if f.min is not None and f.max is not None
            else ""
        )
        return Problem(
            row,
            header,
            raw,
            "out_of_range",
            scope,
            f"The value is not a valid number for {f.label_en}{bounds}. {fate}.",
            f"La valeur n'est pas un nombre valide pour {fr_quote(f.label_fr)}{bounds_fr}. {fate_fr}. "
            "Corrigez la valeur dans l'export puis rechargez le fichier.",
        )
    if ftype == "date":
        return Problem(
            row,
            header,
            raw,
            "bad_date",
            scope,
            f"The value is not a date Maillage can read (use 26/11/2026 or 2026-11-26). {fate}.",
            f"La valeur n'est pas une date que Maillage sait lire (écrivez 26/11/2026 ou 2026-11-26). {fate_fr}.",
        )
    if ftype == "sector":
        return Problem(
            row,
            header,
            raw,
            "unknown_sector",
            scope,
            f"The value is not a known sector (expected one of surveys/sectors.toml, e.g. "
            f"“Éducation nationale”, “Ville”, “Santé”). {fate}.",
            f"La valeur n'est pas un secteur connu (attendu : l'un des secteurs de "
            f"surveys/sectors.toml, par ex. « Éducation nationale », « Ville », « Santé »). {fate_fr}.",
        )
    return Problem(
        row,
        header,
        raw,
        "unknown_label",
        scope,
        f"The answer is not an answer of “{f.label_fr}” (expected {_options_text(book, f.response_set or '')}). "
        f"{fate}. Add the spelling to `aliases` in the codebook or correct the export.",
        f"La réponse n'est pas une réponse possible de {fr_quote(f.label_fr)} (réponses attendues : "
        f"{_options_text(book, f.response_set or '', lang='fr')}). {fate_fr}. Ajoutez cette orthographe "
        "aux `aliases` du dictionnaire du questionnaire, ou corrigez l'export.",
    )


def check_rows(conn: duckdb.DuckDBPyConnection, mapping: Mapping) -> None:
    """Empty rows, rows without a respondent key, duplicate submissions; builds `keyed_rows`."""
    book = mapping.book
    key_col = mapping.column_for("key")
    key_header = key_col.header if key_col else None
    if book.kind in ("survey", "partner_survey"):
        # the respondent key, normalised (no spaces, upper case); the partner survey's is the institution
        key_expr = '"institution"' if book.key_is_institution else "upper(regexp_replace(_key_raw, '\\s+', '', 'g'))"
    else:
        key_expr = "CAST(__row AS VARCHAR)"
    submitted = timestamp_sql("_submitted_raw", mapping.date_orders.get("submitted", "dmy"))
    conn.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE keyed_rows AS
        SELECT f.*, {key_expr} AS rkey, {submitted} AS submitted_at
        FROM fields f
        """
    )
    conn.execute(
        """
        INSERT INTO problems
        SELECT __row, NULL, NULL, 'empty_row', 'row', 'Empty row: nothing to load (it was skipped).',
               'Ligne vide : rien à charger (elle a été ignorée).'
        FROM keyed_rows WHERE is_empty
        """
    )
    if book.kind not in ("survey", "partner_survey"):
        return
    if book.key_is_institution:
        inst_col = mapping.column_for("field", "institution")
        conn.execute(
            """
            INSERT INTO problems
            SELECT __row, ?, NULL, 'missing_key', 'row',
                   'No institution on this row, so its answers cannot be attributed. The row was '
                   || 'quarantined; fill in the institution and load again.',
                   'Aucune structure sur cette ligne : ses réponses ne peuvent être attribuées à '
                   || 'aucune structure. La ligne a été mise en quarantaine ; indiquez la structure puis '
                   || 'rechargez le fichier.'
            FROM keyed_rows WHERE NOT is_empty AND rkey IS NULL AND institution_raw IS NULL
            """,
            [inst_col.header if inst_col else None],
        )
    else:
        conn.execute(
            """
            INSERT INTO problems
            SELECT __row, ?, NULL, 'missing_key', 'row',
                   'No respondent key (token or anonymous code) on this row, so it cannot be linked '
                   || 'to other waves. The row was quarantined; fill in the key and load again.',
                   'Aucun identifiant de répondant (jeton ou code anonyme) sur cette ligne : elle ne '
                   || 'peut pas être reliée aux autres vagues. La ligne a été mise en quarantaine ; '
                   || 'complétez l''identifiant puis rechargez le fichier.'
            FROM keyed_rows WHERE NOT is_empty AND rkey IS NULL
            """,
            [key_header],
        )
    answered = [f"({t.col} IS NOT NULL AND NOT isnan({t.col}))" for t in mapping.of_kind("item", "rating")]
    answered += [f"coalesce({t.col} = 1, false)" for t in mapping.of_kind("choice")]
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE answered_rows AS "
        f"SELECT __row FROM mapped WHERE {' OR '.join(answered) or 'false'} "
        "UNION SELECT __row FROM list_choices"
    )
    conn.execute(
        """
        INSERT INTO problems
        SELECT __row, NULL, NULL, 'no_answer', 'row',
               'This respondent answered none of the questions (an opened but unanswered '
               || 'questionnaire). The row was quarantined.',
               'Ce répondant n''a répondu à aucune question (questionnaire ouvert mais laissé '
               || 'vide). La ligne a été mise en quarantaine.'
        FROM keyed_rows k
        WHERE NOT is_empty AND rkey IS NOT NULL
          AND NOT k.__row IN (SELECT __row FROM answered_rows)
        """
    )
    conn.execute(
        """
        INSERT INTO problems
        SELECT __row, NULL, NULL, 'duplicate_respondent', 'row',
               'Another submission of the same respondent in this file (row ' || kept_row
               || ') is more recent; this older one was quarantined and the latest kept.',
               'Une autre réponse du même répondant dans ce fichier (ligne ' || kept_row
               || ') est plus récente : celle-ci, plus ancienne, a été mise en quarantaine et la '
               || 'plus récente a été gardée.'
        FROM (
            SELECT __row, first_value(__row) OVER w AS kept_row, row_number() OVER w AS rank
            FROM keyed_rows
            WHERE NOT is_empty AND rkey IS NOT NULL
              AND __row NOT IN (SELECT source_row FROM problems WHERE scope = 'row')
            WINDOW w AS (PARTITION BY rkey ORDER BY submitted_at DESC NULLS LAST, __row DESC)
        ) WHERE rank > 1
        """
    )
    unparsed = fetch_one(
        conn,
        "SELECT count(*), min(__row), any_value(_submitted_raw) FROM keyed_rows "
        "WHERE _submitted_raw IS NOT NULL AND submitted_at IS NULL",
    )
    if unparsed and unparsed[0]:
        sub = mapping.column_for("submitted")
        add_problems(
            conn,
            [
                Problem(
                    unparsed[1],
                    sub.header if sub else None,
                    unparsed[2],
                    "bad_date",
                    "warning",
                    f"{unparsed[0]} submission date(s) could not be read (first at row {unparsed[1]}); "
                    "duplicates among them are resolved by row order. Write them as 26/11/2026 10:00 or "
                    "2026-11-26 10:00.",
                    f"{unparsed[0]} date(s) de soumission illisible(s) (la première à la ligne "
                    f"{unparsed[1]}) ; les doublons parmi ces lignes sont départagés par l'ordre des lignes. "
                    "Écrivez-les 26/11/2026 10:00 ou 2026-11-26 10:00.",
                )
            ],
        )


def check_wave(conn: duckdb.DuckDBPyConnection, mapping: Mapping, wave_arg: str | None) -> str | None:
    """The wave of the file: --wave, else the single value of its wave column. Raises if unclear."""
    if mapping.column_for("wave") is None:
        return wave_arg
    values = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT _wave_raw FROM rows WHERE NOT is_empty AND _wave_raw IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]
    name = mapping.book.label
    if wave_arg is not None:
        other = [v for v in values if v != wave_arg]
        if other:
            raise FileRefused(
                f"{name}: --wave {wave_arg} was given but the file's wave column says "
                f"{', '.join(other[:5])}. Fix the column or the --wave option.",
                message_fr=f"{name} : la vague {wave_arg} a été indiquée (champ « Vague » de la page, ou "
                f"--wave en ligne de commande) mais la colonne de vague du fichier indique "
                f"{', '.join(other[:5])}. Corrigez la colonne, ou la vague indiquée.",
            )
        return wave_arg
    if len(values) == 1 and WAVE_ID.match(values[0]):
        return values[0]
    if not values:
        raise FileRefused(
            "The wave column of this file is empty. Pass --wave (e.g. --wave 2025-1).",
            message_fr="La colonne de vague de ce fichier est vide. Indiquez la vague (champ « Vague » "
            "de la page, ou --wave en ligne de commande, par ex. --wave 2025-1).",
        )
    raise FileRefused(
        f"The file holds several waves ({', '.join(values[:5])}): load one file per wave, or pass "
        "--wave to say which one this is.",
        message_fr=f"Le fichier contient plusieurs vagues ({', '.join(values[:5])}) : chargez un fichier "
        "par vague, ou indiquez de quelle vague il s'agit (champ « Vague » de la page, ou --wave en "
        "ligne de commande).",
    )


# --- Names that become paths, rows of the wrong width, recognition of the instrument -----------


def check_names(wave: str | None, instrument: str) -> None:
    """Refuse a wave id or instrument name that is not a plain name, before anything is written
    (both become parts of file names: the report, the codebook folder)."""
    from etl.codebook import NAME

    base = instrument.partition("@")[0]
    if not NAME.match(base):
        raise FileRefused(
            f"`{instrument}` is not an instrument name: letters, digits, '-' and '_' only (see `maillage "
            "instruments`). Nothing was written.",
            message_fr=f"`{instrument}` n'est pas un nom de questionnaire : lettres, chiffres, « - » et « _ » "
            "seulement (voir `maillage instruments`). Rien n'a été écrit.",
        )
    if wave is not None and not WAVE_ID.match(wave):
        en = (
            f"Wave id {wave!r} is not usable: use letters, digits, '-', '_' or '.', at most 32 characters, "
            "e.g. 2025-1 or 2025-S2. Nothing was written."
        )
        fr = (
            f"Le nom de vague {fr_quote(wave)} n'est pas utilisable : lettres, chiffres, « - », « _ » ou « . » "
            "seulement, 32 caractères au plus, par ex. 2025-1 ou 2025-S2 (champ « Vague » de la page, ou --wave "
            "en ligne de commande). Rien n'a été écrit."
        )
        raise FileRefused(en, [Problem(None, None, None, "bad_wave_id", "file", en, fr)], message_fr=fr)


def ragged_problems(ragged: list[tuple[int, int]], width: int, cut_row: int | None, header_rows: int) -> list[Problem]:
    """Rows whose number of fields differs from the header's are quarantined whole: their values
    would sit under the wrong questions (an unquoted ';' in a text answer) or be missing."""
    out: list[Problem] = []
    for row, n in ragged:
        if row <= header_rows:
            continue
        if n == width:  # the row's last quoted cell is never closed: the file ends inside it
            why = (
                f"Row {row} ends inside a quoted cell that is never closed: the file was cut in this row, so "
                "its last answers are missing. The row was quarantined; export the file again and load it."
            )
            why_fr = (
                f"La ligne {row} se termine dans une cellule entre guillemets jamais fermée : le fichier a été "
                "coupé dans cette ligne, et ses dernières réponses manquent. La ligne a été mise en quarantaine ; "
                "exportez à nouveau le fichier puis rechargez-le."
            )
        elif n > width:
            why = (
                f"Row {row} has {n} fields but the header has {width}: a text answer probably holds the "
                "delimiter without quotes, so its values would land under the wrong questions. The row was "
                "quarantined; put that answer in quotes (or remove the delimiter) and load the file again."
            )
            why_fr = (
                f"La ligne {row} a {n} champs alors que l'en-tête en a {width} : une réponse en texte contient "
                "sans doute le séparateur sans guillemets, et ses valeurs tomberaient sous les mauvaises "
                "questions. La ligne a été mise en quarantaine ; mettez cette réponse entre guillemets (ou "
                "retirez le séparateur) puis rechargez le fichier."
            )
        else:
            why = (
                f"Row {row} has {n} fields but the header has {width}: its last answers are missing (a cut or "
                "broken line). The row was quarantined; export the file again, or complete the row, and load "
                "the file again."
            )
            why_fr = (
                f"La ligne {row} a {n} champs alors que l'en-tête en a {width} : ses dernières réponses "
                "manquent (ligne coupée ou abîmée). La ligne a été mise en quarantaine ; exportez à nouveau le "
                "fichier, ou complétez la ligne, puis rechargez le fichier."
            )
        out.append(Problem(row, None, None, "wrong_field_count", "row", why, why_fr))
    if cut_row is not None:
        out.append(
            Problem(
                cut_row,
                None,
                None,
                "file_cut",
                "warning",
                f"The file ends in the middle of row {cut_row}: the export or the copy was probably interrupted, "
                "and rows after it may be missing. Export the file again and load it to be sure nothing is lost.",
                f"Le fichier s'arrête au milieu de la ligne {cut_row} : l'export ou la copie a sans doute été "
                "interrompu, et des lignes suivantes peuvent manquer. Exportez à nouveau le fichier et "
                "rechargez-le pour ne rien perdre.",
            )
        )
    return out


def mapping_warnings(mapping: Mapping) -> list[Problem]:
    """Columns that could be two questions."""
    out: list[Problem] = []
    for _j, header, candidates in mapping.ambiguous_columns:
        out.append(
            Problem(
                None,
                header,
                None,
                "ambiguous_column",
                "warning",
                f"Column “{header}” could be any of {candidates} of codebook {mapping.book.label} (they share "
                "this wording); it was not loaded. Add the export's column name to the `columns` of the right "
                "item in the codebook.",
                f"La colonne {fr_quote(header)} pourrait être l'un de {candidates} du dictionnaire "
                f"{mapping.book.label} (ils ont le même libellé) : elle n'a pas été chargée. Ajoutez le nom de "
                "colonne de l'export aux `columns` du bon item dans le dictionnaire.",
            )
        )
    return out


def mapping_warnings_dates(mapping: Mapping) -> list[Problem]:
    """Date columns whose day/month order no date told (known once `rows` is staged)."""
    out: list[Problem] = []
    for name in mapping.ambiguous_dates:
        col = mapping.column_for("submitted") if name == "submitted" else mapping.column_for("field", name)
        header = col.header if col else name
        out.append(
            Problem(
                None,
                header,
                None,
                "ambiguous_date_order",
                "warning",
                f"The dates of column “{header}” could be day/month or month/day (no day above 12): they were "
                "read as day/month, as the French tools write them. If the export wrote month first (a US "
                "locale), export it again with ISO dates (2026-11-26).",
                f"Les dates de la colonne {fr_quote(header)} peuvent se lire jour/mois ou mois/jour (aucun jour "
                "au-delà de 12) : elles ont été lues jour/mois, comme les outils français les écrivent. Si "
                "l'export a mis le mois en premier (réglages américains), exportez-le à nouveau avec des dates "
                "ISO (2026-11-26).",
            )
        )
    return out


# Recognition of the instrument: a file of another instrument must not load as this one.
MIN_ITEM_SHARE = 0.25  # of the codebook's questions
MIN_COLUMN_SHARE = 0.5  # of the file's columns


def questions_found(mapping: Mapping) -> int:
    """The codebook's questions (items and rosters) found in the file."""
    return len({t.target for t in mapping.of_kind("item", "choice", "rating", "list")})


def questions_total(book: Codebook) -> int:
    return len(book.items) + len(book.rosters)


def too_few_recognised(mapping: Mapping) -> bool:
    """True when few of the codebook's questions are in the file AND most of the file's columns
    are unknown to it (a short file with a few known columns is a partial wave, not another
    instrument)."""
    total = questions_total(mapping.book)
    if total == 0:
        return False
    columns = len(mapping.headers)
    recognised = mapping.recognised
    return questions_found(mapping) < MIN_ITEM_SHARE * total and recognised < MIN_COLUMN_SHARE * columns


def wrong_instrument_problem(mapping: Mapping, best: tuple[str, int, int] | None) -> Problem:
    """The refusal of a file whose columns are mostly not this instrument's; `best` is the
    instrument that recognises most of them (name, columns recognised, its questions found)."""
    book = mapping.book
    found, total = questions_found(mapping), questions_total(book)
    columns = len(mapping.headers)
    hint = " Is it the right --instrument?"
    hint_fr = (
        " Est-ce le bon questionnaire (champ « Questionnaire ou liste » de la page, ou --instrument en ligne de "
        "commande) ?"
    )
    if best is not None:
        hint = (
            f" It looks like a file of instrument `{best[0]}` ({best[1]} of its {columns} columns recognised): "
            f"load it with --instrument {best[0]}."
        )
        hint_fr = (
            f" Il ressemble à un fichier du questionnaire `{best[0]}` ({best[1]} de ses {columns} colonnes "
            f"reconnues) : chargez-le avec ce questionnaire (champ « Questionnaire ou liste » de la page, ou "
            f"--instrument {best[0]} en ligne de commande)."
        )
    return Problem(
        None,
        None,
        None,
        "wrong_instrument",
        "file",
        f"Only {found} of the {total} questions of `{book.label}` were found in this file, and only "
        f"{mapping.recognised} of its {columns} columns are known to this codebook.{hint} "
        "If it is this instrument, add the export's column names to its codebook (docs/codebooks.md).",
        f"Seules {found} des {total} questions de `{book.label}` ont été trouvées dans ce fichier, et seules "
        f"{mapping.recognised} de ses {columns} colonnes sont connues de ce dictionnaire."
        f"{hint_fr} "
        "S'il s'agit bien de ce questionnaire, ajoutez les noms de colonnes de l'export à son dictionnaire "
        "(docs/codebooks.md).",
    )
