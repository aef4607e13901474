"""The committee workbook (tableaux.xlsx of the pack): the indicator tables a committee reads, with
French sheet and column names, labels instead of ids, number formats, a « Définitions » sheet that
describes every column of every sheet, the indicators' definitions and the loads used. Header rows
are Excel tables (screen readers announce the column of each cell). Pure Python."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from ui import exports
from ui import figures_exchanges as fx
from ui import figures_network as fn
from ui.i18n import TEXTS, t

PCT, DEC1, DEC2, INT, P4, MONTH, DAY = "0.0%", "0.0", "0.00", "#,##0", "0.0000", "mm/yyyy", "dd/mm/yyyy hh:mm"


@dataclass(frozen=True)
class Column:
    fr: str
    en: str
    fmt: str | None
    meaning_fr: str
    meaning_en: str
    label: str = ""  # how ids are turned into labels: indicator, sector, source, territory, period, yes_no, …

    def name(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr

    def meaning(self, lang: str) -> str:
        return self.meaning_en if lang == "en" else self.meaning_fr


C = Column
COLUMNS: dict[str, Column] = {
    "indicator": C("Indicateur", "Indicator", None, "indicateur clé (libellé)", "headline indicator (label)",
                   "indicator"),
    "family": C("Famille", "Family", None, "famille d'indicateurs", "indicator family", "family"),
    "wave_id": C("Vague", "Wave", None, "vague d'enquête", "survey wave"),
    "wave_a": C("Vague A", "Wave A", None, "première vague comparée", "first wave compared"),
    "wave_b": C("Vague B", "Wave B", None, "seconde vague comparée", "second wave compared"),
    "label": C("Échelle", "Scale", None, "échelle mesurée", "scale measured"),
    "territory": C("Territoire", "Territory", None, "territoire (« Ensemble » : tout le partenariat)",
                   "territory (“All”: the whole partnership)", "territory"),
    "sector_id": C("Secteur", "Sector", None, "secteur de la structure", "sector of the institution", "sector"),
    "respondent_sector_id": C("Secteur des répondants", "Respondents' sector", None,
                              "secteur des professionnels qui déclarent les échanges",
                              "sector of the practitioners who report the exchanges", "sector"),
    "target_sector_id": C("Secteur partenaire", "Partner sector", None, "secteur avec lequel ils échangent",
                          "sector they exchange with", "sector"),
    "source": C("Source des liens", "Source of the ties", None, "questionnaire d'où viennent les liens",
                "survey the ties come from", "source"),
    "n": C("Effectif (n)", "Count (n)", INT, "nombre de répondants (ou de structures, d'actions) sur lequel porte "
           "la ligne", "number of respondents (or institutions, actions) the row rests on"),
    "n_pairs": C("Personnes présentes aux deux vagues", "People in both waves", INT,
                 "répondants présents aux deux vagues (panel)", "respondents present in both waves (panel)"),
    "value": C("Valeur", "Value", DEC2, "valeur de l'indicateur (part en %, score ou nombre selon l'unité)",
               "value of the indicator (share in %, score or count by unit)"),
    "mean": C("Moyenne", "Mean", DEC2, "score moyen", "mean score"),
    "ci_low": C("IC 95 % bas", "95% CI low", DEC2, "borne basse de l'intervalle de confiance à 95 %",
                "lower bound of the 95% confidence interval"),
    "ci_high": C("IC 95 % haut", "95% CI high", DEC2, "borne haute de l'intervalle de confiance à 95 %",
                 "upper bound of the 95% confidence interval"),
    "mean_a": C("Moyenne vague A", "Mean wave A", DEC2, "score moyen des mêmes personnes à la vague A",
                "mean score of the same people in wave A"),
    "mean_b": C("Moyenne vague B", "Mean wave B", DEC2, "score moyen des mêmes personnes à la vague B",
                "mean score of the same people in wave B"),
    "mean_diff": C("Écart moyen", "Mean change", DEC2, "évolution moyenne des mêmes personnes (B − A)",
                   "mean change of the same people (B − A)"),
    "p_holm": C("p (Holm)", "p (Holm)", P4, "probabilité d'un écart au moins aussi grand par hasard, corrigée pour "
                "le nombre d'échelles (Holm)", "probability of a change at least as large by chance, corrected for "
                "the number of scales (Holm)"),
    "d_z": C("Taille d'effet (d_z)", "Effect size (d_z)", DEC2, "écart moyen / écart type des écarts",
             "mean change / standard deviation of the changes"),
    "gap": C("Écart stratégique − opérationnel", "Strategic − operational gap", DEC2,
             "score moyen des cadres moins celui des professionnels de terrain",
             "mean score of strategic staff minus that of operational staff"),
    "n_strategic": C("n stratégique", "n strategic", INT, "répondants de niveau stratégique",
                     "strategic-level respondents"),
    "n_operational": C("n opérationnel", "n operational", INT, "répondants de niveau opérationnel",
                       "operational-level respondents"),
    "who5_poor_share": C("Bien-être faible (WHO-5 ≤ 50)", "Poor wellbeing (WHO-5 ≤ 50)", PCT,
                         "part des répondants au score WHO-5 ≤ 50", "share of respondents with a WHO-5 score ≤ 50"),
    "who5_depression_share": C("Dépression probable (WHO-5 ≤ 28)", "Likely depression (WHO-5 ≤ 28)", PCT,
                               "part des répondants au score WHO-5 ≤ 28 (repérage, pas un diagnostic)",
                               "share with a WHO-5 score ≤ 28 (screening, not a diagnosis)"),
    "cbi_high_share": C("Épuisement élevé (CBI ≥ 50)", "High burnout (CBI ≥ 50)", PCT,
                        "part des répondants au score CBI travail ≥ 50", "share with a work CBI score ≥ 50"),
    "share_improved_clinical": C("Hausse d'au moins 10 points", "Rise of 10 points or more", PCT,
                                 "part des mêmes personnes dont le WHO-5 monte d'au moins 10 points",
                                 "share of the same people whose WHO-5 rises by 10 points or more"),
    "share_worsened_clinical": C("Baisse d'au moins 10 points", "Fall of 10 points or more", PCT,
                                 "part des mêmes personnes dont le WHO-5 baisse d'au moins 10 points",
                                 "share of the same people whose WHO-5 falls by 10 points or more"),
    "nodes": C("Structures du réseau", "Institutions in the network", INT, "structures de la liste de référence",
               "institutions of the reference list"),
    "coverage": C("Part des structures répondantes", "Share of institutions that answered", PCT,
                  "structures ayant répondu / structures du réseau", "institutions that answered / institutions"),
    "ties": C("Liens", "Ties", INT, "liens déclarés (niveau de collaboration ≥ 2)", "reported ties (level ≥ 2)"),
    "density": C("Densité", "Density", PCT, "liens déclarés / liens possibles", "reported ties / possible ties"),
    "reciprocity": C("Réciprocité", "Reciprocity", PCT, "part des liens déclarés des deux côtés",
                     "share of ties reported by both sides"),
    "degree_centralization": C("Centralisation", "Centralization", DEC2,
                               "0 : tous également liés ; 1 : tout passe par une structure",
                               "0: all equally linked; 1: everything goes through one institution"),
    "cross_sector_share": C("Liens entre secteurs", "Cross-sector ties", PCT,
                            "part des liens entre structures de secteurs différents",
                            "share of ties between institutions of different sectors"),
    "mean_level": C("Niveau moyen de collaboration", "Mean level of collaboration", DEC2,
                    "moyenne du niveau de collaboration (0 à 5) sur les paires évaluées",
                    "mean level of collaboration (0 to 5) over the rated pairs"),
    "n11": C("Liens maintenus", "Ties kept", INT, "liens présents aux deux vagues", "ties present in both waves"),
    "n10": C("Liens perdus", "Ties lost", INT, "liens de la vague A absents à la vague B",
             "ties of wave A absent in wave B"),
    "n01": C("Liens nouveaux", "New ties", INT, "liens de la vague B absents à la vague A",
             "ties of wave B absent in wave A"),
    "jaccard": C("Stabilité (Jaccard)", "Stability (Jaccard)", DEC2, "liens maintenus / tous les liens des deux "
                 "vagues, entre les structures ayant répondu aux deux", "ties kept / all ties of both waves, among "
                 "institutions that answered both"),
    "name": C("Structure", "Institution", None, "nom de la structure", "name of the institution"),
    "name_a": C("Structure A", "Institution A", None, "une structure de la paire", "one institution of the pair"),
    "name_b": C("Structure B", "Institution B", None, "l'autre structure", "the other institution"),
    "sector_a": C("Secteur A", "Sector A", None, "secteur de la structure A", "sector of institution A", "sector"),
    "sector_b": C("Secteur B", "Sector B", None, "secteur de la structure B", "sector of institution B", "sector"),
    "answered": C("A répondu", "Answered", None, "la structure a répondu au questionnaire partenaires",
                  "the institution answered the partner survey", "yes_no"),
    "degree": C("Liens (degré)", "Ties (degree)", INT, "liens donnés et reçus", "ties given and received"),
    "sectors_linked": C("Secteurs liés", "Sectors linked", INT, "nombre d'autres secteurs avec qui elle est liée",
                        "number of other sectors it is linked with"),
    "broker": C("Passerelle", "Broker", None, "structure qui relie des secteurs peu liés entre eux",
                "institution linking sectors that are otherwise weakly linked", "yes_no"),
    "month": C("Mois", "Month", MONTH, "mois des actions", "month of the actions"),
    "period": C("Semestre", "Half-year", None, "semestre des actions", "half-year of the actions", "period"),
    "actions": C("Actions communes", "Joint actions", INT, "actions du journal", "actions of the log"),
    "multi_sector": C("Actions à plusieurs secteurs", "Multi-sector actions", INT,
                      "actions réunissant au moins 2 secteurs", "actions with at least 2 sectors"),
    "participants": C("Participants", "Participants", INT, "participants déclarés (somme)",
                      "reported participants (sum)"),
    "share_multi_sector": C("Part à plusieurs secteurs", "Multi-sector share", PCT,
                            "actions à au moins 2 secteurs / actions", "actions with ≥ 2 sectors / actions"),
    "share_three_plus_institutions": C("Part à 3 structures ou plus", "Share with 3+ institutions", PCT,
                                       "actions à au moins 3 structures / actions",
                                       "actions with ≥ 3 institutions / actions"),
    "for_16_18": C("Actions pour les 16–18 ans", "Actions for 16–18 year olds", INT,
                   "actions dont le public comprend les 16–18 ans", "actions whose audience includes 16–18 year olds"),
    "share_16_18": C("Part pour les 16–18 ans", "Share for 16–18", PCT, "actions 16–18 ans / actions",
                     "actions for 16–18 / actions"),
    "parents_coorganised": C("Co-organisées avec les parents", "Co-organised with parents", INT,
                             "actions co-organisées avec des parents", "actions co-organised with parents"),
    "share_parents_coorganised": C("Part co-organisée avec les parents", "Share co-organised with parents", PCT,
                                   "actions co-organisées avec les parents / actions renseignées",
                                   "actions co-organised with parents / actions known"),
    "mean_per_month": C("Échanges par mois (moyenne)", "Exchanges per month (mean)", DEC1,
                        "fréquence moyenne déclarée des échanges", "mean reported frequency of exchanges"),
    "share_at_least_monthly": C("Au moins une fois par mois", "At least monthly", PCT,
                                "part des répondants qui échangent au moins une fois par mois",
                                "share of respondents exchanging at least monthly"),
    "respondents": C("Répondants", "Respondents", INT, "professionnels ayant répondu", "practitioners who answered"),
    "target_n": C("Effectif cible", "Target population", INT, "professionnels invités", "practitioners invited"),
    "rate": C("Taux de réponse", "Response rate", PCT, "répondants / effectif cible", "respondents / target"),
    "alpha": C("Alpha de Cronbach", "Cronbach's alpha", DEC2, "cohérence interne de l'échelle (≥ 0,7 attendu)",
               "internal consistency of the scale (≥ 0.7 expected)"),
    "k": C("Items", "Items", INT, "nombre d'items de l'échelle", "number of items of the scale"),
    "item": C("Item", "Item", None, "énoncé de l'item", "wording of the item"),
    "answer": C("Réponse", "Answer", None, "modalité de réponse", "answer option"),
    "count": C("Nombre", "Count", INT, "répondants ayant choisi cette réponse", "respondents who chose this answer"),
    "share": C("Part", "Share", PCT, "part des répondants à l'item", "share of the item's respondents"),
    "suppressed": C("Masqué", "Hidden", None, "oui : moins de 5 répondants, valeurs masquées (confidentialité)",
                    "yes: fewer than 5 respondents, values hidden (privacy)", "yes_no"),
}

# table key of the pack → (sheet in French, sheet in English, columns)
SHEETS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "headline_trend": ("Indicateurs clés", "Headline indicators",
                       ("indicator", "family", "wave_id", "n", "value", "ci_low", "ci_high", "suppressed")),
    "practice_scale_means": ("Pratiques par vague", "Practice by wave",
                             ("label", "wave_id", "n", "mean", "ci_low", "ci_high", "suppressed")),
    "practice_panel_change": ("Pratiques évolution panel", "Practice panel change",
                              ("label", "wave_a", "wave_b", "n_pairs", "mean_a", "mean_b", "mean_diff", "ci_low",
                               "ci_high", "p_holm", "d_z", "suppressed")),
    "practice_level_gap": ("Écart stratégique-opérat.", "Strategic-operational gap",
                           ("label", "wave_id", "n_strategic", "n_operational", "gap", "ci_low", "ci_high",
                            "suppressed")),
    "practice_items_network": ("Items pratiques en réseau", "Network practice items",
                               ("wave_id", "item", "answer", "count", "share", "n", "suppressed")),
    "wellbeing_summary": ("Bien-être par vague", "Wellbeing by wave",
                          ("label", "wave_id", "n", "mean", "ci_low", "ci_high", "who5_poor_share",
                           "who5_depression_share", "cbi_high_share", "suppressed")),
    "wellbeing_panel_change": ("Bien-être évolution panel", "Wellbeing panel change",
                               ("label", "wave_a", "wave_b", "n_pairs", "mean_a", "mean_b", "mean_diff", "ci_low",
                                "ci_high", "share_worsened_clinical", "share_improved_clinical", "suppressed")),
    "network_institutions": ("Réseau structures", "Network institutions",
                             ("wave_id", "name", "sector_id", "territory", "answered", "degree", "sectors_linked",
                              "broker")),
    "network_by_wave": ("Réseau par vague", "Network by wave",
                        ("wave_id", "territory", "source", "nodes", "n", "coverage", "ties", "density", "reciprocity",
                         "degree_centralization", "cross_sector_share", "mean_level")),
    "network_stability": ("Stabilité des liens", "Tie stability",
                          ("territory", "wave_a", "wave_b", "n", "n11", "n10", "n01", "jaccard")),
    "network_new_ties": ("Liens nouveaux", "New ties", ("territory", "name_a", "sector_a", "name_b", "sector_b")),
    "network_lost_ties": ("Liens perdus", "Lost ties", ("territory", "name_a", "sector_a", "name_b", "sector_b")),
    "exchanges_actions_by_month": ("Actions par mois", "Actions by month",
                                   ("month", "period", "actions", "multi_sector", "participants")),
    "exchanges_action_shares": ("Actions par semestre", "Actions by half-year",
                                ("period", "actions", "multi_sector", "share_multi_sector",
                                 "share_three_plus_institutions", "for_16_18", "share_16_18", "parents_coorganised",
                                 "share_parents_coorganised")),
    "exchanges_survey_matrix": ("Échanges entre secteurs", "Exchanges between sectors",
                                ("wave_id", "respondent_sector_id", "target_sector_id", "n", "mean_per_month",
                                 "share_at_least_monthly", "suppressed")),
    "quality_response_rates": ("Taux de réponse", "Response rates",
                               ("wave_id", "sector_id", "territory", "respondents", "target_n", "rate", "ci_low",
                                "ci_high", "suppressed")),
    "quality_reliability": ("Fiabilité des échelles", "Scale reliability",
                            ("label", "wave_id", "k", "n", "alpha", "ci_low", "ci_high", "suppressed")),
}
SHARE_UNITS = ("share",)


def _labeller(conn: duckdb.DuckDBPyConnection, lang: str) -> dict[str, Callable[[Any], Any]]:
    rows = conn.execute("SELECT sector_id, label_fr, label_en FROM sectors").fetchall()
    sectors = {sid: (en if lang == "en" else fr) for sid, fr, en in rows}
    yes, no = ("yes", "no") if lang == "en" else ("oui", "non")
    whole = "All" if lang == "en" else "Ensemble"

    def missing(x: Any) -> bool:
        return x is None or (isinstance(x, float) and x != x) or x is pd.NA

    def family(x: Any) -> Any:
        key = f"pack.family.{x}"
        return t(key, lang) if key in TEXTS else x

    # a practice scale the texts do not know is named by its codebook
    own = {sid: (en if lang == "en" and en else fr) for sid, fr, en in
           conn.execute("SELECT DISTINCT scale_id, label_fr, label_en FROM survey_scales").fetchall()}

    def indicator(x: Any) -> Any:
        key = f"ov.kpi.{x}"
        return t(key, lang) if key in TEXTS else own.get(x, x)

    return {
        "indicator": indicator,
        "family": family,
        "sector": lambda x: None if missing(x) else sectors.get(str(x), str(x)),
        "source": lambda x: None if missing(x) else fn.source_label(str(x), lang),
        "territory": lambda x: whole if missing(x) else x,
        "period": lambda x: None if missing(x) else fx.period_label(x, lang),
        "yes_no": lambda x: None if missing(x) else (yes if bool(x) else no),
    }


def _derive(key: str, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Columns the committee reads that are spelled otherwise in the indicator table."""
    out = frame.copy()
    suffix = "en" if lang == "en" else "fr"
    if f"label_{suffix}" in out.columns and "label" not in out.columns and key != "practice_items_network":
        out["label"] = out[f"label_{suffix}"]
    if key == "practice_items_network":
        out["item"] = out["item_id"].astype(str) + " — " + out[f"text_{suffix}"].astype(str)
        out["answer"] = out[f"label_{suffix}"]
    if key == "headline_trend" and "unit" in out.columns:
        # shares as shares (%), scores and counts as such: one number format per row is not possible
        # in a column, so shares are written as percentages in points
        shares = out["unit"].isin(SHARE_UNITS)
        for col in ("value", "ci_low", "ci_high"):
            out[col] = out[col].where(~shares, out[col] * 100)
    return out


def committee_table(conn: duckdb.DuckDBPyConnection, key: str, frame: pd.DataFrame, lang: str,
                    labeller: Mapping[str, Callable[[Any], Any]] | None = None) -> tuple[str, pd.DataFrame,
                                                                                      dict[str, str]]:
    """(sheet name, the table as the committee reads it, {column name: number format})."""
    fr_name, en_name, columns = SHEETS[key]
    labels = labeller or _labeller(conn, lang)
    source = _derive(key, frame, lang)
    out = pd.DataFrame(index=source.index)
    formats: dict[str, str] = {}
    for col in columns:
        if col not in source.columns:
            continue
        spec = COLUMNS[col]
        values = source[col]
        if spec.label:
            values = values.astype(object).map(labels[spec.label])
        elif spec.fmt in (PCT, DEC1, DEC2, P4):
            values = pd.to_numeric(values, errors="coerce").round(4)
        out[spec.name(lang)] = values
        if spec.fmt:
            formats[spec.name(lang)] = spec.fmt
    if key == "headline_trend":
        formats[COLUMNS["value"].name(lang)] = DEC2
    return (en_name if lang == "en" else fr_name), out.reset_index(drop=True), formats


def definitions_table(used: Mapping[str, pd.DataFrame], lang: str) -> pd.DataFrame:
    """One row per column of every sheet: the sheet, the column, what it means."""
    rows = []
    for key in used:
        fr_name, en_name, columns = SHEETS[key]
        sheet = en_name if lang == "en" else fr_name
        for col in columns:
            spec = COLUMNS[col]
            if spec.name(lang) in used[key].columns:
                rows.append({("Sheet" if lang == "en" else "Feuille"): sheet,
                             ("Column" if lang == "en" else "Colonne"): spec.name(lang),
                             ("Meaning" if lang == "en" else "Signification"): spec.meaning(lang)})
    if "headline_trend" in used:
        fr_name, en_name, _ = SHEETS["headline_trend"]
        rows.append({("Sheet" if lang == "en" else "Feuille"): en_name if lang == "en" else fr_name,
                     ("Column" if lang == "en" else "Colonne"): COLUMNS["value"].name(lang),
                     ("Meaning" if lang == "en" else "Signification"): t("pack.xlsx.value_units", lang)})
    return pd.DataFrame(rows)


def loads_table(loads: pd.DataFrame, lang: str) -> pd.DataFrame:
    fr = lang == "fr"
    return pd.DataFrame({
        "N°" if fr else "No.": loads["load_id"],
        "Fichier" if fr else "File": loads["file_name"],
        "Questionnaire" if fr else "Instrument": loads["instrument"] + " (v" + loads["codebook_version"].astype(str)
        + ")",
        "Vague" if fr else "Wave": loads["wave_id"].fillna("–"),
        "Lignes chargées" if fr else "Rows loaded": loads["rows_loaded"],
        "Date du chargement" if fr else "Loaded on": loads["finished_at"],
        "Empreinte SHA-256" if fr else "SHA-256": loads["file_sha256"],
    })


def committee_workbook(conn: duckdb.DuckDBPyConnection, tables: Mapping[str, pd.DataFrame],
                       indicators: pd.DataFrame, loads: pd.DataFrame, lang: str) -> bytes:
    """The workbook: the committee tables, « Définitions » (every column), « Indicateurs » (the
    catalogue) and « Chargements » (the loads used)."""
    labels = _labeller(conn, lang)
    sheets: dict[str, pd.DataFrame] = {}
    formats: dict[str, dict[str, str]] = {}
    used: dict[str, pd.DataFrame] = {}
    for key, frame in tables.items():
        if key not in SHEETS or frame is None:
            continue
        name, table, fmts = committee_table(conn, key, frame, lang, labels)
        sheets[name], formats[name], used[key] = table, fmts, table
    defs = "Definitions" if lang == "en" else "Définitions"
    sheets[defs] = definitions_table(used, lang)
    sheets["Indicators" if lang == "en" else "Indicateurs"] = indicators
    loads_name = "Loads" if lang == "en" else "Chargements"
    sheets[loads_name] = loads_table(loads, lang)
    formats[loads_name] = {("Loaded on" if lang == "en" else "Date du chargement"): DAY}
    notes = {name: t("pack.xlsx.hidden_note", lang) for name in sheets if name in formats and name != loads_name}
    return exports.xlsx_bytes(sheets, notes=notes, formats=formats, lang=lang)
