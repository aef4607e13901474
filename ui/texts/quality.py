"""Texts of the data quality page (pages/6_qualite.py) and its figures (ui/figures_quality.py)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "quality.question": (
        "Peut-on se fier aux chiffres ? Chargements en vigueur, taux de réponse, maintien du panel, "
        "non-réponse, fiabilité des échelles et lignes écartées au chargement.",
        "Can we trust the figures? Loads in force, response rates, panel retention, item non-response, "
        "scale reliability and rows kept out at load time.",
    ),
    "quality.empty": (
        "L'entrepôt ne contient encore aucune vague d'enquête : il n'y a pas de qualité à mesurer. "
        "Chargez d'abord la liste des structures, puis un export du questionnaire, depuis la page "
        "« Charger une vague ».",
        "The warehouse holds no survey wave yet: there is no quality to measure. Load the institutions "
        "list first, then a survey export, from the “Load a wave” page.",
    ),
    "quality.missing_warehouse": (
        "Aucun entrepôt pour l'instant. Il sera créé au premier chargement depuis la page « Charger une vague ».",
        "No warehouse yet. It is created by the first load from the “Load a wave” page.",
    ),
    "quality.go_load": ("Charger une vague", "Load a wave"),
    "quality.table": ("Tableau détaillé", "Detailed table"),
    "quality.source.rates": (
        "questionnaire aux professionnels et effectifs cibles",
        "practitioner survey and target populations",
    ),
    "quality.source.loads": ("journal des chargements de l'entrepôt", "warehouse load log"),
    # KPIs
    "quality.kpi.loads": ("Fichiers en vigueur", "Files in force"),
    "quality.kpi.loads_help": (
        "Fichiers dont les données sont dans l'entrepôt (un fichier rechargé pour la même vague remplace "
        "le précédent).",
        "Files whose data are in the warehouse (a file loaded again for the same wave replaces the earlier one).",
    ),
    "quality.kpi.last_load_caption": ("Dernier chargement le {when}.", "Last load on {when}."),
    "quality.kpi.replaced": ("{n} remplacé(s)", "{n} replaced"),
    "quality.kpi.wave": ("vague {wave}", "wave {wave}"),
    "quality.kpi.no_target": ("pas d'effectif cible", "no target"),
    "quality.kpi.one_wave": ("une seule vague", "a single wave"),
    "quality.kpi.rows_cells": ("lignes et réponses", "rows and answers"),
    "quality.kpi.rate": ("Taux de réponse", "Response rate"),
    "quality.kpi.rate_help": (
        "Répondants au questionnaire aux professionnels rapportés aux effectifs cibles (groupes masqués "
        "et groupes sans effectif cible exclus).",
        "Practitioner survey respondents over the target populations (hidden groups and groups without "
        "a target left out).",
    ),
    "quality.kpi.retention": ("Maintien du panel", "Panel retention"),
    "quality.kpi.retention_help": (
        "Part des répondants de la vague {a} qui ont aussi répondu à la vague {b}.",
        "Share of wave {a} respondents who also answered wave {b}.",
    ),
    "quality.kpi.alpha": ("Échelles fiables", "Reliable scales"),
    "quality.kpi.alpha_help": (
        "Échelles dont l'alpha de Cronbach atteint le seuil usuel de 0,7 à la dernière vague, sur les "
        "échelles mesurées.",
        "Scales whose Cronbach's alpha reaches the usual 0.7 threshold in the latest wave, of the scales measured.",
    ),
    "quality.kpi.quarantine": ("Écartées", "Kept out"),
    "quality.kpi.quarantine_help": (
        "Lignes et réponses que le contrôle de chargement n'a pas chargées, dans les fichiers en vigueur "
        "des vagues sélectionnées.",
        "Rows and answers the load checks kept out, in the files in force.",
    ),
    "quality.kpi.of": ("{k} / {n}", "{k} / {n}"),
    # Sections
    "quality.loads.title": ("Chargements", "Loads"),
    "quality.loads.intro": (
        "Chaque fichier chargé, du plus récent au plus ancien. « En vigueur » : ses données sont celles "
        "que montrent les pages ; « remplacé » : un fichier plus récent pour le même questionnaire et la "
        "même vague l'a remplacé.",
        "Each file loaded, newest first. “In force”: its data are those the pages show; “replaced”: a "
        "later file for the same instrument and wave replaced it.",
    ),
    "quality.loads.only_current": ("Seulement les chargements en vigueur", "Only the loads in force"),
    "quality.loads.none": (
        "Aucun fichier chargé pour l'instant. Commencez par la liste des structures sur la page « Charger une vague ».",
        "No file loaded yet. Start with the institutions list on the “Load a wave” page.",
    ),
    "quality.col.load_id": ("N°", "No."),
    "quality.col.finished_at": ("Chargé le", "Loaded on"),
    "quality.col.file": ("Fichier", "File"),
    "quality.col.instrument": ("Questionnaire ou liste", "Instrument or list"),
    "quality.col.version": ("Version du dictionnaire", "Codebook version"),
    "quality.col.wave": ("Vague", "Wave"),
    "quality.col.rows_read": ("Lignes lues", "Rows read"),
    "quality.col.rows_loaded": ("Lignes chargées", "Rows loaded"),
    "quality.col.rows_quarantined": ("Lignes écartées", "Rows kept out"),
    "quality.col.cells_quarantined": ("Cellules écartées", "Cells kept out"),
    "quality.col.warnings": ("Avertissements", "Warnings"),
    "quality.col.status": ("Statut", "Status"),
    "quality.status.current": ("En vigueur", "In force"),
    "quality.status.replaced": ("Remplacé par le n° {by}", "Replaced by no. {by}"),
    "quality.status.replaced_plain": ("Remplacé", "Replaced"),
    "quality.no_wave": ("–", "–"),
    # Response rates
    "quality.rates.title": ("Taux de réponse", "Response rates"),
    "quality.rates.intro": (
        "Répondants au questionnaire aux professionnels rapportés à l'effectif ciblé de chaque groupe, "
        "avec l'intervalle de confiance de Wilson. Un taux faible ou très inégal entre secteurs limite "
        "la portée des comparaisons.",
        "Practitioner survey respondents over each group's target population, with the Wilson "
        "confidence interval. A low rate, or very unequal rates across sectors, limits comparisons.",
    ),
    "quality.rates.heatmap_title": ("Taux de réponse par groupe et par vague", "Response rate by group and wave"),
    "quality.rates.heatmap_subtitle": (
        "Répondants / effectif ciblé ; cases grises : groupes masqués (moins de {n} répondants)",
        "Respondents / target population; grey cells: hidden groups (fewer than {n} respondents)",
    ),
    "quality.rates.detail_title": ("Taux de réponse, vague {wave}", "Response rate, wave {wave}"),
    "quality.rates.detail_subtitle": (
        "Point : taux de réponse ; trait : intervalle de confiance à 95 % (Wilson)",
        "Dot: response rate; line: 95% confidence interval (Wilson)",
    ),
    "quality.rates.limited": (
        "Les {n} groupes au taux le plus bas à leur dernière vague, sur {total} : choisissez des "
        "territoires ou des secteurs dans les filtres pour voir les autres",
        "The {n} groups with the lowest rate at their latest wave, of {total}: choose territories or "
        "sectors in the filters to see the others",
    ),
    "quality.rates.wave": ("Vague détaillée", "Wave in detail"),
    "quality.rates.axis": ("Taux de réponse", "Response rate"),
    "quality.rates.group": ("Groupe", "Group"),
    "quality.rates.no_target": ("sans effectif cible", "no target"),
    "quality.rates.above": ("au-dessus de l'effectif cible", "above the target"),
    "quality.rates.all_sectors": ("Tous secteurs", "All sectors"),
    "quality.rates.no_sector": ("Secteur non renseigné", "Sector unknown"),
    "quality.rates.ignored_filters": (
        "Les filtres Fonction et Niveau ne s'appliquent pas aux taux de réponse : les effectifs cibles "
        "ne sont pas ventilés ainsi.",
        "The Role and Level filters do not apply to response rates: targets are not broken down that way.",
    ),
    "quality.rates.none": (
        "Pas de taux de réponse : aucun effectif cible ni répondant pour cette sélection. Chargez les "
        "effectifs cibles (liste « targets ») depuis la page « Charger une vague ».",
        "No response rate: no target population nor respondent for this selection. Load the target "
        "populations (“targets” list) from the “Load a wave” page.",
    ),
    "quality.rates.notes_title": ("Groupes à vérifier", "Groups to check"),
    "quality.col.group": ("Groupe", "Group"),
    "quality.col.sector": ("Secteur", "Sector"),
    "quality.col.territory": ("Territoire", "Territory"),
    "quality.col.respondents": ("Répondants", "Respondents"),
    "quality.col.target": ("Effectif ciblé", "Target population"),
    "quality.col.rate": ("Taux", "Rate"),
    "quality.col.ci": ("IC 95 %", "95% CI"),
    "quality.col.note": ("Remarque", "Note"),
    "quality.hidden": ("masqué (moins de {n} répondants)", "hidden (fewer than {n} respondents)"),
    "quality.hidden_short": ("< {n}", "< {n}"),
    "quality.hover.rate": (
        "{group}<br>Vague {wave}<br>Taux : {rate}<br>IC 95 % : {lo} – {hi}<br>{resp} répondants / {target} ciblés",
        "{group}<br>Wave {wave}<br>Rate: {rate}<br>95% CI: {lo} – {hi}<br>{resp} respondents / {target} targeted",
    ),
    # Retention
    "quality.retention.title": ("Maintien du panel", "Panel retention"),
    "quality.retention.intro": (
        "Part des répondants d'une vague qui répondent aussi à la suivante (même code anonyme). Les "
        "évolutions individuelles (page « Pratiques en réseau ») ne portent que sur eux.",
        "Share of a wave's respondents who also answer the next one (same anonymous code). Individual "
        "changes (“Network practice” page) rest on them only.",
    ),
    "quality.retention.chart_title": (
        "Part des répondants retrouvés à la vague suivante",
        "Share of respondents found again in the next wave",
    ),
    "quality.retention.subtitle": (
        "Point : part retrouvée ; trait : intervalle de confiance à 95 % (Wilson)",
        "Dot: share found again; line: 95% confidence interval (Wilson)",
    ),
    "quality.retention.axis": ("Maintien", "Retention"),
    "quality.retention.pair": ("Vagues", "Waves"),
    "quality.retention.none": (
        "Le maintien du panel se mesure entre deux vagues : sélectionnez au moins deux vagues du "
        "questionnaire aux professionnels.",
        "Panel retention is measured between two waves: select at least two waves of the practitioner survey.",
    ),
    "quality.col.pair": ("Vagues", "Waves"),
    "quality.col.n_a": ("Répondants de la 1re vague", "Respondents of the first wave"),
    "quality.col.n_retained": ("Retrouvés", "Found again"),
    "quality.col.retention": ("Maintien", "Retention"),
    "quality.col.n_b": ("Répondants de la 2e vague", "Respondents of the second wave"),
    "quality.col.newcomers": ("Nouveaux", "Newcomers"),
    "quality.col.returning": ("Revenus après une absence", "Back after a gap"),
    "quality.hover.retention": (
        "{pair}<br>Maintien : {rate}<br>IC 95 % : {lo} – {hi}<br>{kept} retrouvés sur {n}",
        "{pair}<br>Retention: {rate}<br>95% CI: {lo} – {hi}<br>{kept} found again of {n}",
    ),
    # Missing items
    "quality.missing.title": ("Non-réponse aux items", "Item non-response"),
    "quality.missing.intro": (
        "Part des réponses attendues qui manquent (« je ne sais pas », question sautée, réponse écartée), "
        "par échelle et par vague, et part des répondants sans score faute d'avoir répondu à assez d'items.",
        "Share of expected answers that are missing (“don't know”, skipped, answer kept out), per scale "
        "and wave, and share of respondents without a score for answering too few items.",
    ),
    "quality.missing.chart_title": (
        "Réponses manquantes par échelle et par vague",
        "Missing answers by scale and wave",
    ),
    "quality.missing.subtitle": (
        "Part des réponses attendues qui manquent ; cases grises : groupes masqués",
        "Share of expected answers that are missing; grey cells: hidden groups",
    ),
    "quality.missing.none": (
        "Pas de réponses aux échelles pour cette sélection.",
        "No scale answers for this selection.",
    ),
    "quality.col.scale": ("Échelle", "Scale"),
    "quality.col.items": ("Items posés", "Items asked"),
    "quality.col.n": ("Répondants", "Respondents"),
    "quality.col.missing_share": ("Réponses manquantes", "Missing answers"),
    "quality.col.no_score": ("Sans score", "Without a score"),
    "quality.hover.missing": (
        "{scale}<br>Vague {wave}<br>Réponses manquantes : {share}<br>Sans score : {no_score} ({k} répondants)",
        "{scale}<br>Wave {wave}<br>Missing answers: {share}<br>Without a score: {no_score} ({k} respondents)",
    ),
    # Reliability
    "quality.alpha.title": ("Fiabilité des échelles", "Scale reliability"),
    "quality.alpha.intro": (
        "Alpha de Cronbach de chaque échelle à chaque vague, avec son intervalle de confiance (Feldt), "
        "calculé sur les répondants ayant répondu à tous les items. Au-dessus de 0,7, l'échelle est en "
        "général jugée assez fiable pour comparer des groupes ; en dessous, lisez ses scores avec prudence.",
        "Cronbach's alpha of each scale in each wave, with its confidence interval (Feldt), computed on "
        "respondents who answered every item. Above 0.7 a scale is usually deemed reliable enough to "
        "compare groups; below it, read its scores with caution.",
    ),
    "quality.alpha.chart_title": ("Alpha de Cronbach par échelle et par vague", "Cronbach's alpha by scale and wave"),
    "quality.alpha.subtitle": (
        "Point : alpha ; trait : intervalle de confiance à 95 % (Feldt) ; ligne pointillée : seuil usuel {ref}",
        "Dot: alpha; line: 95% confidence interval (Feldt); dotted line: usual threshold {ref}",
    ),
    "quality.alpha.reference": ("seuil usuel {ref}", "usual threshold {ref}"),
    "quality.alpha.axis": ("Alpha de Cronbach", "Cronbach's alpha"),
    "quality.alpha.none": ("Pas d'échelle mesurable pour cette sélection.", "No measurable scale for this selection."),
    "quality.alpha.note": (
        "n = répondants ayant répondu à tous les items de l'échelle",
        "n = respondents who answered every item of the scale",
    ),
    "quality.col.k": ("Items", "Items"),
    "quality.col.complete": ("Répondants complets", "Complete respondents"),
    "quality.col.alpha": ("Alpha", "Alpha"),
    "quality.col.reading": ("Lecture", "Reading"),
    "quality.alpha.ok": ("fiable (≥ {ref})", "reliable (≥ {ref})"),
    "quality.alpha.low": ("à lire avec prudence (< {ref})", "read with caution (< {ref})"),
    "quality.hover.alpha": (
        "{scale}<br>Vague {wave}<br>α = {alpha}<br>IC 95 % : {lo} – {hi}<br>{k} items, {n} répondants complets",
        "{scale}<br>Wave {wave}<br>α = {alpha}<br>95% CI: {lo} – {hi}<br>{k} items, {n} complete respondents",
    ),
    # Quarantine
    "quality.quarantine.title": ("Lignes et réponses écartées au chargement", "Rows and answers kept out at load time"),
    "quality.quarantine.intro": (
        "Ce que le contrôle de chargement a laissé de côté dans les fichiers en vigueur, et pourquoi. "
        "Pour récupérer ces données, corrigez le fichier (ou la liste des structures, ou le dictionnaire "
        "du questionnaire) puis rechargez-le : il remplacera le précédent.",
        "What the load checks left out of the files in force, and why. To recover these data, correct "
        "the file (or the institutions list, or the codebook) and load it again: it replaces the earlier one.",
    ),
    "quality.quarantine.none": (
        "Rien n'a été écarté dans les fichiers en vigueur.",
        "Nothing was kept out of the files in force.",
    ),
    "quality.quarantine.summary": ("Par fichier et par motif", "By file and reason"),
    "quality.quarantine.summary_total": (
        "Par fichier et par motif ({n} lignes et réponses écartées)",
        "By file and reason ({n} rows and answers kept out)",
    ),
    "quality.quarantine.rows": ("Détail ligne par ligne", "Row by row"),
    "quality.quarantine.show_values": (
        "Afficher les valeurs écartées",
        "Show the values kept out",
    ),
    "quality.quarantine.show_values_help": (
        "Les valeurs peuvent être du texte libre saisi par un répondant (nom, commentaire) : ne les "
        "affichez pas en réunion.",
        "Values may be free text typed by a respondent (a name, a comment): do not show them in a meeting.",
    ),
    "quality.quarantine.limit": (
        "Seules les {n} premières lignes sont affichées ; le rapport complet de chaque chargement est dans "
        "le dossier reports/ de l'entrepôt.",
        "Only the first {n} rows are shown; each load's full report is in the warehouse's reports/ folder.",
    ),
    "quality.col.problem": ("Motif", "Reason"),
    "quality.col.action": ("Conséquence", "Consequence"),
    "quality.col.count": ("Nombre", "Count"),
    "quality.col.row": ("Ligne du fichier", "File row"),
    "quality.col.column": ("Colonne", "Column"),
    "quality.col.message": ("Explication", "Explanation"),
    "quality.col.value": ("Valeur", "Value"),
    # scopes (what happened)
    "quality.scope.file": ("fichier refusé", "file refused"),
    "quality.scope.row": ("ligne écartée", "row kept out"),
    "quality.scope.cell": ("réponse écartée", "answer kept out"),
    "quality.scope.column": ("colonne non chargée", "column not loaded"),
    "quality.scope.warning": ("avertissement", "warning"),
    # problems found by the load checks (etl/validate.py, etl/load.py)
    "quality.problem.no_data": ("fichier sans données", "no data rows"),
    "quality.problem.duplicate_column": ("question en double", "question in two columns"),
    "quality.problem.missing_key_column": ("colonne d'identifiant absente", "no respondent key column"),
    "quality.problem.no_known_question": ("aucune question reconnue", "no known question"),
    "quality.problem.missing_column": ("colonne obligatoire absente", "required column missing"),
    "quality.problem.no_institutions": ("liste des structures pas encore chargée", "institutions list not loaded yet"),
    "quality.problem.missing_wave": ("vague non précisée", "wave not given"),
    "quality.problem.bad_wave_id": ("nom de vague invalide", "invalid wave id"),
    "quality.problem.unknown_column": ("colonne inconnue du dictionnaire", "column not in the codebook"),
    "quality.problem.unknown_institution": ("structure inconnue", "unknown institution"),
    "quality.problem.missing_item": ("item absent du fichier", "item missing from the file"),
    "quality.problem.unknown_territory": ("territoire inconnu", "unknown territory"),
    "quality.problem.out_of_range": ("valeur hors bornes", "value out of range"),
    "quality.problem.bad_date": ("date illisible", "unreadable date"),
    "quality.problem.unknown_sector": ("secteur inconnu", "unknown sector"),
    "quality.problem.unknown_label": ("réponse non reconnue", "unknown answer"),
    "quality.problem.empty_row": ("ligne vide", "empty row"),
    "quality.problem.missing_key": ("code anonyme manquant", "missing anonymous code"),
    "quality.problem.no_answer": ("aucune réponse", "no answer"),
    "quality.problem.duplicate_respondent": ("réponse en double du même répondant", "same respondent twice"),
    "quality.problem.duplicate_activity": ("action en double", "duplicate action"),
    "quality.problem.duplicate_institution": ("structure en double", "duplicate institution"),
    "quality.problem.missing_sector": ("secteur manquant", "missing sector"),
    "quality.problem.missing_target": ("effectif cible manquant", "missing target"),
}

TEXTS.update(
    {
        # short names of the shipped instruments (codebook titles are used for others)
        "quality.instrument.practitioner": ("Questionnaire aux professionnels", "Practitioner survey"),
        "quality.instrument.partner": ("Questionnaire aux partenaires", "Partner survey"),
        "quality.instrument.activities": ("Journal des actions communes", "Joint activity log"),
        "quality.instrument.institutions": ("Liste des structures", "Institutions list"),
        "quality.instrument.targets": ("Effectifs ciblés", "Target populations"),
        "quality.n_range": ("n = {lo} à {hi} {what}", "n = {lo} to {hi} {what}"),
        "quality.n_one": ("n = {lo} {what}", "n = {lo} {what}"),
        "quality.what.respondents_wave": ("répondants par vague", "respondents per wave"),
        "quality.what.respondents_pair": (
            "répondants de la première vague de chaque paire",
            "respondents of the first wave of each pair",
        ),
        "quality.what.complete": (
            "répondants complets selon l'échelle et la vague",
            "complete respondents depending on scale and wave",
        ),
    }
)
