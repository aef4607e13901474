"""Texts of the indicator catalogue page (pages/8_indicateurs.py)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "catalogue.question": (
        "Que mesure chaque chiffre du tableau de bord, et comment ? Définition, formule, unité, sources, "
        "traitement des données manquantes et limites de chaque indicateur.",
        "What does each figure of the dashboard measure, and how? Definition, formula, unit, sources, "
        "missing-data handling and caveats of each indicator.",
    ),
    "catalogue.search": ("Rechercher un indicateur", "Search an indicator"),
    "catalogue.search_placeholder": (
        "ex. densité, alpha, 16-18, parents, WHO-5…",
        "e.g. density, alpha, 16-18, parents, WHO-5…",
    ),
    "catalogue.families": ("Familles", "Families"),
    "catalogue.count": ("{k} indicateurs sur {n}", "{k} of {n} indicators"),
    "catalogue.none": (
        "Aucun indicateur ne correspond à « {q} ». Essayez un autre mot (sans accent ni majuscule, c'est "
        "pareil) ou effacez la recherche.",
        "No indicator matches “{q}”. Try another word, or clear the search.",
    ),
    "catalogue.empty": (
        "Le catalogue est vide : aucun module d'indicateurs n'est installé.",
        "The catalogue is empty: no indicator module is installed.",
    ),
    "catalogue.definition": ("Définition", "Definition"),
    "catalogue.formula": ("Formule", "Formula"),
    "catalogue.unit": ("Unité", "Unit"),
    "catalogue.sources": ("Tables sources de l'entrepôt", "Warehouse source tables"),
    "catalogue.missing": ("Données manquantes", "Missing data"),
    "catalogue.caveats": ("Limites et précautions", "Caveats"),
    "catalogue.function": ("Calculé par", "Computed by"),
    "catalogue.id": ("Identifiant", "Identifier"),
    "catalogue.suppression": (
        "Tous les indicateurs masquent les groupes de moins de {n} répondants (réglage min_group_size) ; "
        "les intervalles de confiance sont à {level}.",
        "Every indicator hides groups of fewer than {n} respondents (min_group_size setting); confidence "
        "intervals are at {level}.",
    ),
    "catalogue.download": ("Catalogue (CSV)", "Catalogue (CSV)"),
    "catalogue.col.family": ("Famille", "Family"),
    "catalogue.col.title": ("Indicateur", "Indicator"),
    # units used in the catalogue (indicators/*.py INDICATORS), in French
    "catalogue.unit.actions": ("actions", "actions"),
    "catalogue.unit.actions (per month)": ("actions (par mois)", "actions (per month)"),
    "catalogue.unit.actions, share (0–1)": ("actions, part (0–1)", "actions, share (0–1)"),
    "catalogue.unit.actions per month": ("actions par mois", "actions per month"),
    "catalogue.unit.coefficient (≤ 1)": ("coefficient (≤ 1)", "coefficient (≤ 1)"),
    "catalogue.unit.exchanges per month": ("échanges par mois", "exchanges per month"),
    "catalogue.unit.flag": ("indicateur oui/non", "flag"),
    "catalogue.unit.index (0–1)": ("indice (0–1)", "index (0–1)"),
    "catalogue.unit.institutions": ("structures", "institutions"),
    "catalogue.unit.level (0–5)": ("niveau (0–5)", "level (0–5)"),
    "catalogue.unit.loads": ("chargements", "loads"),
    "catalogue.unit.pairs": ("paires de structures", "pairs"),
    "catalogue.unit.people": ("personnes", "people"),
    "catalogue.unit.rating (1–4)": ("note (1–4)", "rating (1–4)"),
    "catalogue.unit.rows or cells": ("lignes ou cellules", "rows or cells"),
    "catalogue.unit.score 0–100": ("score 0–100", "score 0–100"),
    "catalogue.unit.score 1–5": ("score 1–5", "score 1–5"),
    "catalogue.unit.score points (0–100)": ("points de score (0–100)", "score points (0–100)"),
    "catalogue.unit.score points (1–5 scale)": ("points de score (échelle 1–5)", "score points (1–5 scale)"),
    "catalogue.unit.score points of the scale": ("points de score de l'échelle", "score points of the scale"),
    "catalogue.unit.odds ratio; risk ratio": ("rapport des cotes ; rapport de risques", "odds ratio; risk ratio"),
    "catalogue.unit.weight (people represented per respondent); deff; respondents": (
        "poids (personnes représentées par répondant) ; effet de plan ; répondants",
        "weight (people represented per respondent); deff; respondents",
    ),
    "catalogue.unit.odds ratios; weights; standardised mean differences": (
        "rapports des cotes ; poids ; différences moyennes standardisées",
        "odds ratios; weights; standardised mean differences",
    ),
    "catalogue.unit.score points (1–5 scale); d_z in SD units": (
        "points de score (échelle 1–5) ; d_z en écarts-types",
        "score points (1–5 scale); d_z in SD units",
    ),
    "catalogue.unit.score points; g in SD units": (
        "points de score ; g en écarts-types",
        "score points; g in SD units",
    ),
    "catalogue.unit.share (0–1)": ("part (0–1)", "share (0–1)"),
    "catalogue.unit.text": ("texte", "text"),
    "catalogue.unit.ties": ("liens", "ties"),
    "catalogue.unit.unit of each indicator (score 1–5, score 0–100, share 0–1, actions per month)": (
        "unité de chaque indicateur (score 1–5, score 0–100, part 0–1, actions par mois)",
        "unit of each indicator (score 1–5, score 0–100, share 0–1, actions per month)",
    ),
}
