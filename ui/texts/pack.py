"""Texts of the steering-committee pack (deck, progress, page)."""

TEXTS = {
    "pack.scale.network_practice": ("Pratiques en réseau", "Network practice"),
    "pack.progress.compute": ("Calcul des indicateurs…", "Computing the indicators…"),
    "pack.progress.draw": ("Dessin des images ({n})…", "Drawing the pictures ({n})…"),
    "pack.progress.files": ("Assemblage du dossier…", "Putting the pack together…"),
    "pack.progress.done": ("Dossier prêt.", "Pack ready."),
    "pack.deck.title": (
        "Évaluation du partenariat éducatif — comité de pilotage",
        "Evaluation of the educational partnership — steering committee",
    ),
    "pack.deck.method": (
        "Méthode\nDonnées : questionnaires aux professionnels et aux partenaires, journal des actions communes, "
        "chargés dans l'entrepôt Maillage.\nLes répondants sont pseudonymisés ; les groupes de moins de {n} "
        "répondants ne sont jamais montrés.\nIntervalles de confiance à 95 %. Les évolutions « panel » portent sur "
        "les mêmes personnes présentes aux deux vagues ; les comparaisons transversales sont signalées comme telles."
        "\nWHO-5 : outil de repérage, pas un diagnostic.\nDéfinitions complètes : feuille « Définitions » du "
        "classeur joint.",
        "Method\nData: practitioner and partner surveys and the joint activity log, loaded into the Maillage "
        "warehouse.\nRespondents are pseudonymous; groups of fewer than {n} respondents are never shown.\n95% "
        "confidence intervals. “Panel” changes concern the same people in both waves; cross-sectional comparisons "
        "are labelled as such.\nWHO-5: a screening tool, not a diagnosis.\nFull definitions: the “Definitions” sheet "
        "of the workbook.",
    ),
    # which wave a family shows, comparisons, missing data
    "pack.data.practitioner": ("questionnaire aux professionnels", "practitioner survey"),
    "pack.data.partner": ("questionnaire aux partenaires", "partner survey"),
    "pack.shown.other": (
        "Vague {shown} : dernier {what} chargé ; celui de la vague {wave} ne l'est pas encore.",
        "Wave {shown}: the latest {what} loaded; that of wave {wave} is not loaded yet.",
    ),
    "pack.pair.other": (
        "Comparaison {a} → {b} : les deux dernières vagues avec le {what} (au lieu de {sa} → {sb}).",
        "Comparison {a} → {b}: the two latest waves with the {what} (instead of {sa} → {sb}).",
    ),
    "pack.pair.none": (
        "Pas de comparaison possible : le {what} n'est chargé que pour une vague de la sélection ({waves}). "
        "Elle sera faite quand une deuxième vague sera chargée.",
        "No comparison can be made: the {what} is loaded for only one wave of the selection ({waves}). It will "
        "be made once a second wave is loaded.",
    ),
    "pack.missing.wave": (
        "Le {what} de la vague {wave} n'est pas encore chargé.",
        "The {what} of wave {wave} is not loaded yet.",
    ),
    "pack.missing.last": (
        "Dernier {what} disponible : vague {last}.",
        "Latest {what} available: wave {last}.",
    ),
    "pack.missing.never": (
        "Aucun {what} n'est encore chargé dans l'entrepôt.",
        "No {what} is loaded in the warehouse yet.",
    ),
    "pack.missing.no_log": (
        "Le journal des actions communes n'est pas encore chargé.",
        "The joint activity log is not loaded yet.",
    ),
    "pack.missing.log_selection": (
        "Aucune action commune du journal pour cette sélection (le journal chargé couvre {start} à {end}).",
        "No joint action of the log for this selection (the log loaded covers {start} to {end}).",
    ),
    "pack.missing.no_browser": (
        "Ce graphique est une image : il faut Chrome ou Chromium pour la dessiner. {help}",
        "This chart is a picture: drawing it needs Chrome or Chromium. {help}",
    ),
    "pack.panel.hidden": (
        "Évolution des mêmes personnes non montrée : moins de {n} personnes présentes aux deux vagues dans "
        "cette sélection.",
        "Change of the same people not shown: fewer than {n} people present in both waves in this selection.",
    ),
    "pack.stability.none": (
        "Aucune structure n'a répondu aux deux vagues comparées : la stabilité des liens ne peut pas être "
        "calculée.",
        "No institution answered both waves compared: tie stability cannot be computed.",
    ),
    "pack.deck.missing": ("Sections sans données dans ce dossier :", "Sections without data in this pack:"),
    # slide titles of slides without data (the charts' own titles otherwise)
    "pack.section.practice": ("Scores de pratiques par vague", "Practice scores by wave"),
    "pack.title.panel": ("Évolution des mêmes personnes (panel)", "Change of the same people (panel)"),
    "pack.title.wb_panel": ("Évolution du bien-être des mêmes personnes", "Wellbeing change of the same people"),
    "pack.title.network": ("Qui travaille avec qui ? Réseau des structures", "Who works with whom? The network"),
    "pack.title.stability": ("Liens maintenus, perdus et nouveaux", "Ties kept, lost and new"),
    "pack.title.monthly": ("Actions communes par mois", "Joint actions per month"),
    "pack.title.multi": ("Actions communes à plusieurs secteurs", "Joint actions with several sectors"),
    "pack.title.exchange_matrix": ("Échanges déclarés entre secteurs", "Reported exchanges between sectors"),
    # native charts: series, axes, footnotes
    "pack.series.mean_diff": ("Écart moyen (mêmes personnes)", "Mean change (same people)"),
    "pack.series.youth": ("public 16–18 ans", "audience 16–18"),
    "pack.series.parents": ("co-organisées avec les parents", "co-organised with parents"),
    "pack.series.multi_sector": ("au moins 2 secteurs", "2 sectors or more"),
    "pack.series.three_plus": ("au moins 3 structures", "3 institutions or more"),
    "pack.series.wave": ("Vague {wave}", "Wave {wave}"),
    "pack.axis.score_1_5": ("Score moyen (1 à 5)", "Mean score (1 to 5)"),
    "pack.axis.diff": ("Écart moyen (points de score)", "Mean change (score points)"),
    "pack.axis.gap": ("Écart stratégique − opérationnel", "Strategic − operational gap"),
    "pack.axis.share": ("Part des professionnels", "Share of practitioners"),
    "pack.axis.actions": ("Actions communes", "Joint actions"),
    "pack.axis.alpha": ("Alpha de Cronbach", "Cronbach's alpha"),
    "pack.bars_ci": (
        "Barres verticales : intervalle de confiance à 95 %.",
        "Vertical bars: 95% confidence interval.",
    ),
    "pack.ci": ("IC à 95 % en {wave} : {items}", "95% CI in {wave}: {items}"),
    "pack.clinical_ci": (
        "{n} personnes présentes aux deux vagues · baisse d'au moins 10 points : {worse} (IC {wl} à {wh}) · "
        "hausse d'au moins 10 points : {better} (IC {bl} à {bh})",
        "{n} people in both waves · fall of 10 points or more: {worse} (CI {wl} to {wh}) · rise of 10 points or "
        "more: {better} (CI {bl} to {bh})",
    ),
    "pack.low_alpha": (
        "Attention : fiabilité faible (alpha de Cronbach < {threshold}) pour {scales} dans au moins une vague ; "
        "interpréter les écarts avec prudence.",
        "Caution: low reliability (Cronbach's alpha < {threshold}) for {scales} in at least one wave; read the "
        "changes with care.",
    ),
    "pack.who5_screening": ("WHO-5 : outil de repérage, pas un diagnostic.", "WHO-5: a screening tool, not a "
                            "diagnosis."),
    "pack.coverage": (
        "Couverture {wave} : {n} structures sur {nodes} ont répondu ({share}) ; les liens des autres ne sont vus "
        "que par ceux qui les citent.",
        "Coverage {wave}: {n} of {nodes} institutions answered ({share}); the others' ties are seen only by those "
        "who name them.",
    ),
    "pack.network_n": ("Structures répondantes / structures du réseau : {items}",
                       "Institutions that answered / institutions: {items}"),
    "pack.log_span": ("Journal : {start} à {end}, {n} actions.", "Log: {start} to {end}, {n} actions."),
    "pack.shares_line": ("Part des actions du semestre (16–18 ans / parents) : {items}",
                         "Share of the half-year's actions (16–18 / parents): {items}"),
    "pack.events": ("Repères : {items}", "Events: {items}"),
    "pack.alt.network": (
        "{nodes} structures, dont {n} ont répondu en {wave} ; {ties} liens déclarés, densité {density}, {cross} des "
        "liens entre secteurs différents.",
        "{nodes} institutions, {n} of which answered in {wave}; {ties} reported ties, density {density}, {cross} of "
        "the ties between different sectors.",
    ),
    "pack.alt.series": ("{name} : de {a} ({ka}) à {b} ({kb})", "{name}: from {a} ({ka}) to {b} ({kb})"),
    # workbook
    "pack.family.practice": ("Pratiques", "Practice"),
    "pack.family.wellbeing": ("Bien-être", "Wellbeing"),
    "pack.family.network": ("Réseau", "Network"),
    "pack.family.exchanges": ("Échanges", "Exchanges"),
    "pack.xlsx.hidden_note": (
        "Cases vides : groupe de moins de 5 répondants masqué (confidentialité) ou valeur non calculable. "
        "Définitions des colonnes : feuille « Définitions ».",
        "Empty cells: a group of fewer than 5 respondents hidden (privacy) or a value that cannot be computed. "
        "Column definitions: the “Definitions” sheet.",
    ),
    "pack.xlsx.value_units": (
        "valeur dans l'unité de l'indicateur : parts en % (points de pourcentage), scores sur leur échelle, "
        "actions par mois",
        "value in the indicator's unit: shares in % (percentage points), scores on their scale, actions per month",
    ),
    # README (LISEZMOI)
    "pack.readme.made": (
        "Produit le {date} à partir de l'entrepôt Maillage (version {version}).",
        "Made on {date} from the Maillage warehouse (version {version}).",
    ),
    "pack.readme.deck": (
        "une diapositive par graphique : graphiques PowerPoint modifiables (données incluses), image pour le "
        "réseau et les cartes de chaleur ; titre et note modifiables, définition dans les notes de l'orateur",
        "one slide per chart: editable PowerPoint charts (data included), a picture for the network and "
        "heatmaps; editable title and footnote, the definition in the speaker notes",
    ),
    "pack.readme.workbook": (
        "les tableaux des indicateurs (une feuille par tableau), la feuille « Définitions » (chaque colonne), "
        "« Indicateurs » (chaque définition) et « Chargements »",
        "the indicator tables (one sheet each), the “Definitions” sheet (every column), “Indicators” (every "
        "definition) and “Loads”",
    ),
    "pack.readme.images": (
        "les images (PNG 16:9, 3200 × 1800 ; avec --images, chaque graphique en PNG et SVG)",
        "the pictures (PNG 16:9, 3200 × 1800; with --images, every chart as PNG and SVG)",
    ),
    "pack.readme.method": (
        "Les groupes de moins de {n} répondants ne sont jamais montrés ni exportés (ni un groupe qu'on pourrait en "
        "déduire). Les intervalles sont à 95 %. Les évolutions « panel » portent sur les mêmes personnes présentes "
        "aux deux vagues. Chaque famille d'indicateurs montre la dernière vague qui a ses données ; une "
        "comparaison porte sur deux vagues qui les ont toutes deux. Définitions complètes : feuilles "
        "« Définitions » et « Indicateurs », docs/indicators.md.",
        "Groups of fewer than {n} respondents are never shown or exported (nor a group that could be worked out "
        "from the others). Intervals are 95%. “Panel” changes concern the same people in both waves. Each "
        "indicator family shows the latest wave that has its data; a comparison pairs two waves that both have "
        "it. Full definitions: the “Definitions” and “Indicators” sheets, docs/indicators.md.",
    ),
    "pack.readme.built": ("Construit en {s} s.", "Built in {s} s."),
    "pack.page.question": (
        "Un dossier prêt à projeter : présentation PowerPoint modifiable, graphiques PNG et SVG, tableaux Excel "
        "avec les définitions.",
        "A pack ready to project: an editable PowerPoint deck, PNG and SVG charts, Excel tables with the definitions.",
    ),
    "pack.page.sections": ("Sections du dossier", "Sections of the pack"),
    "pack.page.build": ("Construire le dossier", "Build the pack"),
    "pack.page.download": ("Télécharger le dossier (.zip)", "Download the pack (.zip)"),
    "pack.page.filters": (
        "Le dossier suit les filtres du panneau latéral : {filters}.",
        "The pack follows the sidebar filters: {filters}.",
    ),
    "pack.page.no_chrome": (
        "Sans Chrome ni Chromium sur ce serveur, le réseau et les cartes de chaleur ne peuvent pas être dessinés : "
        "le dossier les remplace par une diapositive qui le dit (les autres graphiques sont des graphiques "
        "PowerPoint). {help}",
        "Without Chrome or Chromium on this server, the network and heatmaps cannot be drawn: the pack replaces "
        "them with a slide that says so (the other charts are PowerPoint charts). {help}",
    ),
    "pack.page.images": (
        "Ajouter chaque graphique en PNG et SVG (plus lent)",
        "Add every chart as PNG and SVG (slower)",
    ),
    "pack.page.images_help": (
        "Par défaut, les graphiques en courbes et en barres sont des graphiques PowerPoint modifiables et seules "
        "les images (réseau, cartes de chaleur) sont dessinées. Cochez pour avoir aussi chaque graphique en image, "
        "par exemple pour un rapport.",
        "By default, line and bar charts are editable PowerPoint charts and only the pictures (network, heatmaps) "
        "are drawn. Tick to also get every chart as an image, e.g. for a report.",
    ),
    "page.pack": ("Exporter pour le comité", "Export for the committee"),
}
