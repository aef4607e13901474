"""The awkward-files corpus of tests/data/awkward/: its truth, and the script that wrote it.

The truth (TRUTH, SCORES) is written by hand: four practitioners, what each answered (as values of
the practitioner codebook), when, and their hand-computed scale scores. Each file of the corpus
spells the same answers the way one tool (or one accident) writes them; tests/etl/test_awkward.py
loads every file and compares the warehouse with this truth, never with what the ETL computes.

`python -m tests.etl.awkward_corpus` rewrites the files (they are committed; the tests only read
them). The spellings below are the tools' own (LimeSurvey answer codes, KoboToolbox choice names,
Google Forms labels), written out by hand, not taken from the codebook.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "data" / "awkward"

# --- The truth -----------------------------------------------------------------------------------

TRUTH: dict[str, dict[str, Any]] = {
    "AB12CD": {
        "role": "teacher",
        "institution": "EN_CLG_JAURES",
        "submitted": dt.datetime(2026, 3, 2, 9, 0),
        "WHO5": [5, 4, 3, 2, 1],
        "NET": [4, 4, 5, 3, 2],
        "EXC_HEALTH": 0.5,
        "EXC_CITY": 2.5,
    },
    "EF34GH": {
        "role": "youth_worker",
        "institution": "VILLE_JEUNESSE",
        "submitted": dt.datetime(2026, 3, 3, 14, 30),
        "WHO5": [0, 1, 0, 1, 0],
        "NET": [2, 2, 1, 2, 5],
        "EXC_HEALTH": 1.0,
        "EXC_CITY": 4.33,
    },
    "IJ56KL": {
        "role": "health_worker",
        "institution": "SANTE_CMP",
        "submitted": dt.datetime(2026, 3, 4, 8, 15),
        "WHO5": [3, 3, 3, 3, 3],
        "NET": [5, 5, 5, 5, 1],
        "EXC_HEALTH": 4.33,
        "EXC_CITY": 0.0,
    },
    "MN78OP": {
        "role": "social_worker",
        "institution": "ASSO_ESPOIR",
        "submitted": dt.datetime(2026, 3, 13, 17, 45),
        "WHO5": [4, 4, 4, 4, 4],
        "NET": [3, 3, 3, 3, 3],
        "EXC_HEALTH": 0.0,
        "EXC_CITY": 1.0,
    },
}
# Worked out by hand: WHO-5 = raw sum × 4; network practice = mean of NET1–NET5 with NET5
# reverse-keyed (6 − answer).
SCORES: dict[str, dict[str, float]] = {
    "AB12CD": {"who5": 60, "network_practice": 4.0},  # 15 × 4; (4+4+5+3+4)/5
    "EF34GH": {"who5": 8, "network_practice": 1.6},  # 2 × 4; (2+2+1+2+1)/5
    "IJ56KL": {"who5": 60, "network_practice": 5.0},  # 15 × 4; (5+5+5+5+5)/5
    "MN78OP": {"who5": 80, "network_practice": 3.0},  # 20 × 4; (3+3+3+3+3)/5
}
KEYS = list(TRUTH)

# --- How the tools spell them --------------------------------------------------------------------

ROLE_LABEL = {
    "teacher": "Enseignant·e",
    "youth_worker": "Animateur·rice, éducateur·rice sportif·ve",
    "health_worker": "Professionnel·le de santé",
    "social_worker": "Travailleur·se social·e, éducateur·rice spécialisé·e",
}
ROLE_LS = {"teacher": "A1", "youth_worker": "A4", "health_worker": "A6", "social_worker": "A5"}
ROLE_KOBO = {"teacher": "enseignant", "youth_worker": "animateur", "health_worker": "sante",
             "social_worker": "travailleur_social"}
INST_NAME = {"EN_CLG_JAURES": "Collège Jean Jaurès", "VILLE_JEUNESSE": "Service jeunesse", "SANTE_CMP": "CMP",
             "ASSO_ESPOIR": "Espoir et Réussite"}
INST_KOBO = {"EN_CLG_JAURES": "en_clg_jaures", "VILLE_JEUNESSE": "ville_jeunesse", "SANTE_CMP": "sante_cmp",
             "ASSO_ESPOIR": "asso_espoir"}
WHO5_LABEL = {5: "Tout le temps", 4: "La plupart du temps", 3: "Plus de la moitié du temps",
              2: "Moins de la moitié du temps", 1: "De temps en temps", 0: "Jamais"}
WHO5_LS = {5: "A1", 4: "A2", 3: "A3", 2: "A4", 1: "A5", 0: "A6"}
AGREE_LABEL = {1: "Pas du tout d'accord", 2: "Plutôt pas d'accord", 3: "Ni d'accord ni pas d'accord",
               4: "Plutôt d'accord", 5: "Tout à fait d'accord"}
FREQ_LABEL = {0.0: "Jamais", 0.5: "Moins d'une fois par mois", 1.0: "Environ une fois par mois",
              2.5: "Plusieurs fois par mois", 4.33: "Une fois par semaine ou plus"}
FREQ_LS = {0.0: "A1", 0.5: "A2", 1.0: "A3", 2.5: "A4", 4.33: "A5"}
FREQ_KOBO_CODE = {0.0: "0", 0.5: "1", 1.0: "2", 2.5: "3", 4.33: "4"}  # codebook frequences (corpus)

WHO5_TEXT = [
    "Je me suis senti·e bien et de bonne humeur",
    "Je me suis senti·e calme et tranquille",
    "Je me suis senti·e plein·e d'énergie et vigoureux·se",
    "Je me suis réveillé·e en me sentant frais·che et dispos·e",
    "Ma vie quotidienne a été remplie de choses intéressantes",
]
NET_TEXT = [
    "Je coordonne mes interventions avec les autres professionnels qui suivent les mêmes enfants.",
    "Je sais à qui m'adresser dans les autres institutions quand une situation le demande.",
    "J'échange régulièrement avec des professionnels d'autres institutions sur les situations que je suis.",
    "Mes interventions à l'école et hors de l'école sont articulées avec celles des partenaires.",
    "Je traite seul·e les situations complexes, sans associer de partenaires.",
]
WHO5_STEM = "Au cours des deux dernières semaines :"
NET_STEM = "Dans votre travail au cours des six derniers mois :"
EXC_STEM = "À quelle fréquence échangez-vous avec des professionnels des secteurs suivants ?"


def _ls_header() -> list[str]:
    return (
        ["id", "token", "submitdate", "G01Q01", "G01Q02"]
        + [f"G05Q01[SQ00{i}]" for i in range(1, 6)]
        + [f"G02Q01[SQ00{i}]" for i in range(1, 6)]
        + ["G03Q01[SQ004]", "G03Q01[SQ002]", "ipaddr"]
    )


def _ls_row(n: int, key: str, stamp: str | None = None) -> list[str]:
    t = TRUTH[key]
    return (
        [str(n), key, stamp or t["submitted"].strftime("%Y-%m-%d %H:%M:%S"), ROLE_LS[t["role"]],
         INST_NAME[t["institution"]]]
        + [WHO5_LS[v] for v in t["WHO5"]]
        + [f"A{v}" for v in t["NET"]]
        + [FREQ_LS[t["EXC_HEALTH"]], FREQ_LS[t["EXC_CITY"]], f"10.0.0.{n}"]
    )


def _full_header(stems: bool = True) -> list[str]:
    who = [f"{WHO5_STEM} [{x}]" for x in WHO5_TEXT] if stems else list(WHO5_TEXT)
    net = [f"{NET_STEM} [{x}]" for x in NET_TEXT]
    return [
        "Date de soumission",
        "Code anonyme",
        "Quelle est votre fonction ?",
        "Dans quelle structure travaillez-vous ?",
        *who,
        *net,
        f"{EXC_STEM} [Santé]",
        f"{EXC_STEM} [Ville]",
        "Commentaires",
    ]


def _full_row(key: str, stamp: str, comment: str = "") -> list[str]:
    t = TRUTH[key]
    return (
        [stamp, key, ROLE_LABEL[t["role"]], INST_NAME[t["institution"]]]
        + [WHO5_LABEL[v] for v in t["WHO5"]]
        + [AGREE_LABEL[v] for v in t["NET"]]
        + [FREQ_LABEL[t["EXC_HEALTH"]], FREQ_LABEL[t["EXC_CITY"]], comment]
    )


def _kobo_header() -> list[str]:
    return (
        ["start", "end", "identification/code_anonyme", "identification/fonction", "identification/structure"]
        + [f"bienetre/who5_{i}" for i in range(1, 6)]
        + [f"pratiques/net{i}" for i in range(1, 6)]
        + ["echanges/exc_health", "echanges/exc_city", "commentaires/commentaire", "_id", "_uuid", "_submission_time",
           "_index"]
    )


def _kobo_row(n: int, key: str, comment: str = "") -> list[str]:
    t = TRUTH[key]
    stamp = t["submitted"].strftime("%Y-%m-%dT%H:%M:%S.000+01:00")
    return (
        ["", "", key, ROLE_KOBO[t["role"]], INST_KOBO[t["institution"]]]
        + [str(v) for v in t["WHO5"]]
        + [str(v) for v in t["NET"]]
        + [FREQ_LABEL[t["EXC_HEALTH"]], FREQ_LABEL[t["EXC_CITY"]], comment, str(n), f"uuid-{n}", stamp, str(n)]
    )


def _csv(rows: list[list[str]], delim: str = ";", line_end: str = "\n", quoting: int = csv.QUOTE_MINIMAL) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator=line_end, quoting=quoting)
    w.writerows(rows)
    return buf.getvalue()


def _stamp(key: str, fmt: str) -> str:
    return TRUTH[key]["submitted"].strftime(fmt)


def _us(key: str) -> str:
    d = TRUTH[key]["submitted"]
    return f"{d.month}/{d.day}/{d.year} {d.hour}:{d.minute:02d}:00"


def _google(key: str) -> str:
    d = TRUTH[key]["submitted"]
    hour = d.hour % 12 or 12
    return f"{d.year}/{d.month:02d}/{d.day:02d} {hour}:{d.minute:02d}:00 {'PM' if d.hour >= 12 else 'AM'} UTC+1"


def _frama(key: str, weekday: bool = False) -> str:
    d = TRUTH[key]["submitted"]
    days = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
    return (f"{days[d.weekday()]}, " if weekday else "") + d.strftime("%d/%m/%Y - %H:%M")


def _framaforms(delim: str, weekday: bool) -> str:
    top = ["", "", "", "", "", "", "", "", "Votre bien-être", "", "", "", ""]
    mid = ["", "", "", "", "", "", "", "", WHO5_STEM, "", "", "", ""]
    low = ["Serial", "SID", "Time", "Draft", "IP Address", "Code anonyme", "Quelle est votre fonction ?",
           "Dans quelle structure travaillez-vous ?", *WHO5_TEXT]
    rows = [top, mid, low]
    for n, key in enumerate(KEYS, start=1):
        t = TRUTH[key]
        rows.append([str(n), str(100 + n), _frama(key, weekday), "0", f"10.1.1.{n}", key, ROLE_LABEL[t["role"]],
                     INST_NAME[t["institution"]], *[WHO5_LABEL[v] for v in t["WHO5"]]])
    return _csv(rows, delim)


def _xlsx(path: Path, sheets: list[tuple[str, list[list[Any]]]]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets:
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)


def _ls_rows_typed(serial: bool) -> list[list[Any]]:
    rows: list[list[Any]] = [_ls_header()]
    for n, key in enumerate(KEYS, start=1):
        row: list[Any] = _ls_row(n, key)
        d = TRUTH[key]["submitted"]
        if serial:
            row[2] = (d - dt.datetime(1899, 12, 30)).total_seconds() / 86400
            row[0] = float(n)
        else:
            row[2] = d
            row[0] = n
        rows.append(row)
    return rows


FREQUENCES_TOML = '''# Exchange frequencies as a KoboToolbox form exports them: choice names "0" to "4" (corpus).
[instrument]
name = "frequences"
version = "1"
kind = "survey"
title_fr = "Fréquence des échanges (Kobo)"
sources = ["Corpus de test."]
licence = "CC BY 4.0"

[respondent]
key = ["code"]
submitted = ["_submission_time"]

[fields.institution]
label_fr = "Structure"
columns = ["structure"]
type = "institution"

[response_sets.freq]
options = [
    { value = 0, codes = ["0"], fr = "Jamais" },
    { value = 0.5, codes = ["1"], fr = "Une fois", aliases = ["Moins d'une fois par mois"] },
    { value = 1, codes = ["2"], fr = "Une fois par mois" },
    { value = 2.5, codes = ["3"], fr = "Plusieurs fois par mois" },
    { value = 4.33, codes = ["4"], fr = "Chaque semaine" },
]

[[items]]
id = "F_HEALTH"
response_set = "freq"
target_sector = "health"
unit = "per_month"
columns = ["echanges/sante"]

[[items]]
id = "F_CITY"
response_set = "freq"
target_sector = "city"
unit = "per_month"
columns = ["echanges/ville"]
'''

BROKEN: dict[str, str] = {
    "vide": "# nothing here yet\n\n",
    "syntaxe": '[instrument]\nname = "syntaxe"\nversion = "1"\nkind = "survey"\ntitle_fr = "Oubli\n',
    "doublon": (
        '[instrument]\nname = "doublon"\nversion = "1"\nkind = "survey"\n\n[respondent]\nkey = ["code"]\n\n'
        '[response_sets.oui]\noptions = [{ value = 1, fr = "Oui" }, { value = 0, fr = "Non" }]\n\n'
        '[[items]]\nid = "Q1"\nresponse_set = "oui"\n\n[[items]]\nid = "Q2"\nresponse_set = "oui"\n\n'
        '[[items]]\nid = "Q1"\nresponse_set = "oui"\n'
    ),
    "cle_inconnue": (
        '[instrument]\nname = "cle_inconnue"\nversion = "1"\nkind = "survey"\n\n[respondent]\nkey = ["code"]\n\n'
        '[response_sets.oui]\noptions = [{ value = 1, fr = "Oui" }, { value = 0, fr = "Non" }]\n\n'
        '[[scales]]\nid = "s"\nrole = "practice"\n\n'
        '[[items]]\nid = "Q1"\nresponse_set = "oui"\nscal = "s"\n'
    ),
    "orthographe": (
        '[instrument]\nname = "orthographe"\nversion = "1"\nkind = "survey"\n\n[respondent]\nkey = ["code"]\n\n'
        "[response_sets.freq]\noptions = [\n"
        '    { value = 0.5, codes = ["1"], fr = "Une fois" },\n'
        '    { value = 1, codes = ["2"], fr = "Une fois par mois", aliases = ["1"] },\n]\n\n'
        '[[items]]\nid = "Q1"\nresponse_set = "freq"\n'
    ),
    "standard": (
        '[instrument]\nname = "standard"\nversion = "1"\nkind = "survey"\n\n[respondent]\nkey = ["code"]\n\n'
        '[response_sets.who5]\noptions = [{ value = 0, fr = "Jamais" }, { value = 5, fr = "Tout le temps" }]\n\n'
        '[[scales]]\nid = "bien_etre"\nrole = "wellbeing"\nstandard = "who5"\nrule = "sum"\n\n'
        + "".join(f'[[items]]\nid = "W{i}"\nscale = "bien_etre"\nresponse_set = "who5"\n\n' for i in range(1, 6))
    ),
    "secteur": (
        '[instrument]\nname = "secteur"\nversion = "1"\nkind = "survey"\n\n[respondent]\nkey = ["code"]\n\n'
        '[response_sets.freq]\noptions = [{ value = 0, fr = "Jamais" }, { value = 1, fr = "Souvent" }]\n\n'
        '[[items]]\nid = "E1"\nresponse_set = "freq"\ntarget_sector = "sante"\nunit = "per_month"\n'
    ),
}


def write_corpus(folder: Path = CORPUS) -> list[Path]:
    """Write every file of the corpus; returns them."""
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []

    def text(name: str, content: str, encoding: str = "utf-8", newline: str = "") -> None:
        path = folder / name
        path.write_bytes(content.encode(encoding) if newline == "" else content.replace("\n", newline).encode(encoding))
        out.append(path)

    ls = [_ls_header()] + [_ls_row(n, k) for n, k in enumerate(KEYS, start=1)]
    text("ls_codes_comma.csv", _csv(ls, ","))
    text("ls_codes_semicolon_bom_crlf.csv", "\ufeff" + _csv(ls, ";", "\r\n"))
    full = [_full_header()] + [_full_row(k, _stamp(k, "%d/%m/%Y %H:%M:%S")) for k in KEYS]
    text("ls_fulltext.csv", _csv(full, ";"))
    text("ls_fulltext_cp1252.csv", _csv(full, ";", "\r\n"), "cp1252")
    typographic = [[c.replace("'", "\u2019") for c in r] for r in full]
    text("ls_fulltext_typographic_quotes.csv", _csv(typographic, ","))
    kobo = [_kobo_header()] + [_kobo_row(n, k) for n, k in enumerate(KEYS, start=1)]
    kobo_fr = [_kobo_header()] + [_kobo_row(n, k, "Très bien, à refaire") for n, k in enumerate(KEYS, start=1)]
    text("kobo_semicolon_cp1252.csv", _csv(kobo_fr, ";"), "cp1252")
    text("kobo_comma_utf8.csv", _csv(kobo, ","))
    text("excel_unicode_text.txt", "\ufeff" + _csv(full, "\t", "\r\n"), "utf-16-le")
    google = [[*_full_header(), "Adresse e-mail"]]
    google[0][0] = "Horodateur"
    for k in KEYS:
        google.append([*_full_row(k, _google(k)), f"{k.lower()}@example.org"])
    text("google_forms_download.csv", _csv(google, ",", quoting=csv.QUOTE_ALL))
    sheets_us = [["Timestamp", *_full_header()[1:]]] + [_full_row(k, _us(k)) for k in KEYS]
    text("google_sheets_us_dates.csv", _csv(sheets_us, ","))
    comments = ["Très bien,\nmerci", "", 'Il a dit "oui"\r\npuis "non"', "une\n\nligne vide dedans"]
    multiline = [_full_header()] + [
        _full_row(k, _stamp(k, "%d/%m/%Y %H:%M"), c) for k, c in zip(KEYS, comments, strict=True)
    ]
    text("google_forms_multiline_comments.csv", _csv(multiline, ",", quoting=csv.QUOTE_ALL))
    text("framaforms_tab.tsv", _framaforms("\t", False))
    text("framaforms_weekday.csv", _framaforms(",", True))
    text("mac_classic_cr.csv", _csv(full, ";", "\r"))
    text("pipe_delimited.txt", _csv(full, "|"))
    trailing = _csv(full, ";").replace("\n", ";\n")
    text("trailing_delimiter.csv", trailing)
    text("Réponses (copie) – vague 2 final!.csv", _csv(full, ";"))
    blank = _csv(full[:3], ";") + "\n\n" + _csv(full[3:], ";")
    text("blank_lines.csv", blank)
    nbsp = "\u00a0"
    spaced = [full[0], *(["  " + c.replace(" ", nbsp, 1) + "  " if i > 1 else c for i, c in enumerate(r)]
                         for r in full[1:])]
    spaced = [[c.upper() if i == 4 else c for i, c in enumerate(r)] if n else r for n, r in enumerate(spaced)]
    text("nbsp_spaces_case.csv", _csv(spaced, ";"))
    dup = [full[0], _full_row("AB12CD", "01/03/2026 08:00:00"), *full[1:]]
    dup[1][4] = WHO5_LABEL[0]  # the older submission answered otherwise: it must not load
    text("duplicate_older_submission.csv", _csv(dup, ";"))
    french_dates = [full[0]] + [_full_row(k, _stamp(k, "%d.%m.%Y %Hh%M")) for k in KEYS]
    text("french_dates_dots_h.csv", _csv(french_dates, ";"))
    ambiguous = [full[0]] + [
        _full_row(k, s) for k, s in zip(KEYS, ["02/03/2026 09:00", "03/02/2026 14:30", "04/03/2026", "05/03/2026"],
                                         strict=True)
    ]
    text("ambiguous_day_month.csv", _csv(ambiguous, ";"))

    # ragged, shifted and cut rows
    rows = _csv(full, ";").splitlines()
    short = [*rows[:2], ";".join(rows[2].split(";")[:-4]), *rows[3:]]
    text("ragged_short_row.csv", "\n".join(short) + "\n")
    kobo_rows = [_kobo_header()] + [_kobo_row(n, k) for n, k in enumerate(KEYS, start=1)]
    kobo_text = _csv(kobo_rows, ";").splitlines()
    cells = kobo_text[3].split(";")
    cells[17] = "Autre ; Marie Dupont, infirmière"  # an unquoted ';' in a free-text answer
    kobo_text[3] = ";".join(cells)
    text("kobo_unquoted_semicolon.csv", "\n".join(kobo_text) + "\n")
    cut = _csv(full, ";")
    text("cut_mid_row.csv", cut[: cut.rindex("\n", 0, len(cut) - 1) + 1] + ";".join(rows[4].split(";")[:9]) + ";")
    cut_quote = _csv(multiline, ",", quoting=csv.QUOTE_ALL)
    text("cut_inside_quoted_cell.csv", cut_quote[: cut_quote.rindex("ligne vide")])
    bad_cells = [full[0]] + [list(r) for r in full[1:]]
    bad_cells[1][4] = "Peut-être"  # WHO5_1 of AB12CD: not an answer
    bad_cells[2][9] = "7"  # NET1 of EF34GH: out of range
    bad_cells[3][3] = "Autre : Marie Dupont, infirmière"  # an institution in free text
    text("unknown_and_out_of_range.csv", _csv(bad_cells, ";"))

    # refused files
    text("empty.csv", "")
    text("header_only.csv", _csv(full[:1], ";"))
    text("renamed_csv.xlsx", _csv(full, ";"))
    stray = _csv(full, ";").splitlines()
    stray[2] = stray[2].replace("Service jeunesse", '"Service jeunesse', 1)
    text("unclosed_quote.csv", "\n".join(stray) + "\n")
    text("undecodable_bytes.csv", "", "utf-8")
    (folder / "undecodable_bytes.csv").write_bytes(_csv(full, ";").encode("utf-8")[:40] + b"\x81\x8d\x8f\x90;x\n")
    waves = [[*full[0], "vague"]] + [[*r, w] for r, w in zip(full[1:], ["2026-1", "2026-1", "2026-2", "2026-1"],
                                                                 strict=True)]
    text("two_waves.csv", _csv(waves, ";"))
    climat = [["code", "date", "climat/q1", "climat/q2", "climat/q3", "climat/q4", "climat/q5", "climat/q6",
               "climat/ambiance", "bienetre/who5_1"]]
    for n, k in enumerate(KEYS, start=1):
        climat.append([k, f"2026-03-0{n}", "3", "4", "2", "5", "1", "3", "Bonne", "4"])
    text("climat_other_instrument.csv", _csv(climat, ";"))

    # a new instrument's export (codebook `climat`, written by tests/etl/test_awkward.py), messy:
    # Windows-1252, ';', CRLF, headers in other cases, labels in odd case, Kobo choice names "0"…"4",
    # Framaforms dates, a row shifted by an unquoted ';', an older duplicate submission
    messy = [
        "CODE;Date;Structure;Climat/Q1;climat/q2;CLIMAT/Q3;climat/w1;climat/w2;climat/w3;climat/w4;climat/w5;"
        "echanges/sante;echanges/ville;partenaires/ville_jeunesse;partenaires/en_clg_jaures;Remarque",
        "C001;05/03/2026 - 10:00;Collège Jaurès;Tout à fait d'accord;Plutôt d'accord;pas du tout d'accord;"
        "Tout le temps;Tout le temps;La plupart du temps;La plupart du temps;Plus de la moitié du temps;1;4;1;0;",
        "C002;06/03/2026 - 11:30;CMP;Plutôt pas d'accord;NSP;PLUTÔT D'ACCORD;De temps en temps;"
        "Moins de la moitié du temps;De temps en temps;Jamais;Moins de la moitié du temps;2;0;0;1;RAS",
        "C003;07/03/2026 - 08:00;Service jeunesse;Plutôt d'accord;Plutôt d'accord;Plutôt d'accord;Jamais;Jamais;"
        "Jamais;Jamais;Jamais;0;0;0;0;Autre ; Marie Dupont",
        "C004;01/03/2026 - 08:00;Service jeunesse;Pas du tout d'accord;Pas du tout d'accord;Pas du tout d'accord;"
        "Jamais;Jamais;Jamais;Jamais;Jamais;0;0;0;0;ancienne réponse",
        "C004;13/03/2026 - 09:15;Service jeunesse;TOUT À FAIT D'ACCORD;plutôt d'accord;pas du tout d'accord;"
        "Plus de la moitié du temps;Plus de la moitié du temps;Plus de la moitié du temps;Plus de la moitié du temps;"
        "Plus de la moitié du temps;3;1;0;0;",
    ]
    text("climat_messy_export.csv", "\r\n".join(messy) + "\r\n", "cp1252")

    # spreadsheets
    path = folder / "ls_codes_date_cells.xlsx"
    _xlsx(path, [("Réponses", _ls_rows_typed(serial=False))])
    out.append(path)
    path = folder / "excel_serial_numbers.xlsx"
    _xlsx(path, [("results", _ls_rows_typed(serial=True))])
    out.append(path)
    path = folder / "cover_sheet_then_answers.xlsx"
    _xlsx(path, [("Lisez-moi", [["Export du questionnaire"], ["Ne pas modifier"]]), ("Réponses", ls)])
    out.append(path)
    path = folder / "empty_first_sheet.xlsx"
    _xlsx(path, [("Feuil1", []), ("Données", ls)])
    out.append(path)

    # KoboToolbox choice names "0"…"4" (codebook `frequences`)
    kobo_codes = [["code", "structure", "_submission_time", "echanges/sante", "echanges/ville"]]
    for k in KEYS:
        t = TRUTH[k]
        kobo_codes.append([k, INST_KOBO[t["institution"]], t["submitted"].isoformat(), FREQ_KOBO_CODE[t["EXC_HEALTH"]],
                           FREQ_KOBO_CODE[t["EXC_CITY"]]])
    text("kobo_choice_names_0_to_4.csv", _csv(kobo_codes, ","))
    (folder / "codebooks" / "frequences").mkdir(parents=True, exist_ok=True)
    text("codebooks/frequences/v1.toml", FREQUENCES_TOML)
    for name, body in BROKEN.items():
        (folder / "codebooks_broken" / name).mkdir(parents=True, exist_ok=True)
        text(f"codebooks_broken/{name}/v1.toml", body)
    return out


if __name__ == "__main__":
    for p in write_corpus():
        print(p.relative_to(CORPUS))
