"""Texts saying which wave a page shows when the selected one lacks the data (issue: waves that
arrive in parts), and the per-wave table of what is loaded."""

TEXTS = {
    "avail.what.practice": ("Pratiques", "Practice"),
    "avail.what.wellbeing": ("Bien-être", "Wellbeing"),
    "avail.what.exchanges_survey": ("Échanges déclarés", "Reported exchanges"),
    "avail.what.response_rates": ("Taux de réponse", "Response rates"),
    "avail.what.network": ("Réseau", "Network"),
    "avail.what.network_practitioner": ("Réseau", "Network"),
    "avail.what.network_both": ("Réseau", "Network"),
    "avail.data.practice": ("questionnaire aux professionnels", "practitioner survey"),
    "avail.data.wellbeing": ("questionnaire aux professionnels", "practitioner survey"),
    "avail.data.exchanges_survey": ("questionnaire aux professionnels", "practitioner survey"),
    "avail.data.response_rates": ("questionnaire aux professionnels", "practitioner survey"),
    "avail.data.network": ("questionnaire aux partenaires", "partner survey"),
    "avail.data.network_practitioner": ("questionnaire aux professionnels", "practitioner survey"),
    "avail.data.network_both": ("questionnaire aux partenaires (et aux professionnels)",
                                "partner and practitioner surveys"),
    "avail.shown": (
        "{what} : dernière vague avec le {data}, {shown} ; celui de la vague {wave} n'est pas encore chargé.",
        "{what}: the latest wave with the {data}, {shown}; that of wave {wave} is not loaded yet.",
    ),
    "avail.none": (
        "{what} : le {data} n'est chargé pour aucune vague de la sélection.",
        "{what}: the {data} is loaded for no wave of the selection.",
    ),
    "avail.pair": (
        "{what} : comparaison {a} → {b}, les deux dernières vagues avec le {data} (au lieu de {sa} → {sb}).",
        "{what}: comparison {a} → {b}, the two latest waves with the {data} (instead of {sa} → {sb}).",
    ),
    "avail.no_pair": (
        "{what} : pas de comparaison possible, le {data} n'est chargé que pour la vague {waves} de la sélection.",
        "{what}: no comparison can be made, the {data} is loaded only for wave {waves} of the selection.",
    ),
    "avail.table.title": ("Ce que chaque vague contient", "What each wave holds"),
    "avail.table.intro": (
        "Par vague, les questionnaires chargés (lignes · date du chargement) : une vague peut attendre son "
        "enquête partenaires ou son questionnaire aux professionnels ; chaque page montre alors la dernière "
        "vague qui a ses données et le dit.",
        "Per wave, the surveys loaded (rows · date of the load): a wave may still wait for its partner or "
        "practitioner survey; each page then shows the latest wave that has its data and says so.",
    ),
    "avail.col.wave": ("Vague", "Wave"),
    "avail.col.fieldwork": ("Collecte", "Fieldwork"),
    "avail.col.practitioner": ("Questionnaire aux professionnels", "Practitioner survey"),
    "avail.col.partner": ("Enquête partenaires", "Partner survey"),
    "avail.col.targets": ("Effectifs cibles", "Target population"),
    "avail.col.log": ("Journal des actions (mois du semestre)", "Activity log (months of the half-year)"),
    "avail.not_loaded": ("pas encore chargé", "not loaded yet"),
    "avail.loaded": ("{n} · {date}", "{n} · {date}"),
    "avail.log_line": (
        "Journal des actions communes : {start} à {end} ({months} mois, {n} actions), chargé le {date}.",
        "Joint activity log: {start} to {end} ({months} months, {n} actions), loaded on {date}.",
    ),
    "avail.no_log": ("Journal des actions communes : pas encore chargé.", "Joint activity log: not loaded yet."),
}
