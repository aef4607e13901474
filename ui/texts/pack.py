"""Texts of the steering-committee pack (deck, progress, page)."""

TEXTS = {
    "pack.scale.network_practice": ("Pratiques en réseau", "Network practice"),
    "pack.progress.compute": ("Calcul des indicateurs…", "Computing the indicators…"),
    "pack.progress.draw": ("Dessin des graphiques ({n} images)…", "Drawing the charts ({n} images)…"),
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
        "Impossible de construire le dossier sans navigateur pour dessiner les graphiques. {help}",
        "The pack cannot be built without a browser to draw the charts. {help}",
    ),
    "page.pack": ("Exporter pour le comité", "Export for the committee"),
}
