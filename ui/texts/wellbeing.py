"""Texts of the « Bien-être » page and of its figures (ui/figures_wellbeing.py)."""

TEXTS: dict[str, tuple[str, str]] = {
    "wb.question": (
        "Comment vont les professionnels ? Bien-être (WHO-5) et épuisement lié au travail (CBI), "
        "vague par vague, par fonction, et évolution des mêmes personnes.",
        "How are professionals doing? Wellbeing (WHO-5) and work-related burnout (CBI), wave by "
        "wave, by role, and change of the same people.",
    ),
    "wb.screening": (
        "Le WHO-5 est un outil de repérage, pas un diagnostic : un score bas invite à proposer un "
        "échange ou un accompagnement, il ne dit pas qu'une personne est malade. Les résultats sont "
        "collectifs ; aucun score individuel n'est montré.",
        "WHO-5 is a screening tool, not a diagnosis: a low score is a reason to offer a conversation "
        "or support, it does not say that someone is ill. Results are collective; no individual score "
        "is shown.",
    ),
    "wb.screening_short": (
        "WHO-5 : outil de repérage, pas un diagnostic.",
        "WHO-5: a screening tool, not a diagnosis.",
    ),
    "wb.section.distribution": ("Comment se répartissent les scores ?", "How are scores distributed?"),
    "wb.section.cutoffs": (
        "Combien de professionnels dépassent les seuils ?",
        "How many professionals are beyond the cut-offs?",
    ),
    "wb.section.roles": ("Selon la fonction", "By role"),
    "wb.section.panel": (
        "Les mêmes personnes vont-elles mieux ? (panel {a} → {b})",
        "Are the same people doing better? (panel {a} → {b})",
    ),
    "wb.measure": ("Indicateur", "Measure"),
    "wb.scale.who5": ("Bien-être (WHO-5)", "Wellbeing (WHO-5)"),
    "wb.scale.cbi_work": ("Épuisement lié au travail (CBI)", "Work-related burnout (CBI)"),
    "wb.measure.who5_poor_share": ("Bien-être faible (WHO-5 ≤ {c})", "Poor wellbeing (WHO-5 ≤ {c})"),
    "wb.measure.who5_depression_share": (
        "Repérage d'une dépression probable (WHO-5 ≤ {c})",
        "Screening positive for likely depression (WHO-5 ≤ {c})",
    ),
    "wb.measure.cbi_high_share": ("Épuisement élevé (CBI ≥ {c})", "High burnout (CBI ≥ {c})"),
    "wb.measure.who5_mean": ("Bien-être moyen (WHO-5)", "Mean wellbeing (WHO-5)"),
    "wb.measure.cbi_mean": ("Épuisement moyen (CBI)", "Mean burnout (CBI)"),
    # empty states
    "wb.empty.no_scores": (
        "Aucun score de bien-être pour cette sélection : élargissez les filtres.",
        "No wellbeing score for this selection: widen the filters.",
    ),
    "wb.empty.no_panel": (
        "Moins de {n} personnes ont répondu aux deux vagues {a} et {b} avec les filtres choisis : pas "
        "d'évolution individuelle à montrer.",
        "Fewer than {n} people answered both waves {a} and {b} with the chosen filters: no individual change to show.",
    ),
    # figures
    "wb.fig.dist.title": ("{scale} : répartition des scores par vague", "{scale}: distribution of scores by wave"),
    "wb.fig.dist.subtitle_who5": (
        "Part des répondants par score (0 à 100, plus haut = meilleur bien-être) ; seuils {poor} "
        "(bien-être faible) et {dep} (dépression probable)",
        "Share of respondents per score (0 to 100, higher = better wellbeing); cut-offs {poor} (poor "
        "wellbeing) and {dep} (likely depression)",
    ),
    "wb.fig.dist.subtitle_cbi": (
        "Part des répondants par tranche de 12,5 points (0 à 100, plus haut = plus d'épuisement) ; "
        "seuil {high} (épuisement élevé)",
        "Share of respondents per 12.5-point band (0 to 100, higher = more burnout); cut-off {high} (high burnout)",
    ),
    "wb.fig.dist.panel": (
        "{wave} · moyenne {mean} (IC {low} – {high}) · n = {n}",
        "{wave} · mean {mean} (CI {low} – {high}) · n = {n}",
    ),
    "wb.fig.dist.panel_hidden": ("{wave} · moins de {n} répondants", "{wave} · fewer than {n} respondents"),
    "wb.axis.score_who5": ("Score WHO-5 (0 à 100)", "WHO-5 score (0 to 100)"),
    "wb.axis.score_cbi": ("Score d'épuisement CBI (0 à 100)", "CBI burnout score (0 to 100)"),
    "wb.axis.share": ("Part des répondants", "Share of respondents"),
    "wb.zone.depression": ("≤ {c} : dépression probable (repérage)", "≤ {c}: likely depression (screening)"),
    "wb.zone.poor": ("≤ {c} : bien-être faible", "≤ {c}: poor wellbeing"),
    "wb.zone.ok": ("> {c}", "> {c}"),
    "wb.zone.high": ("≥ {c} : épuisement élevé", "≥ {c}: high burnout"),
    "wb.zone.low": ("< {c}", "< {c}"),
    "wb.fig.cut.title": ("Part des professionnels au-delà des seuils", "Share of professionals beyond the cut-offs"),
    "wb.fig.cut.subtitle": (
        "Par vague, avec l'intervalle de confiance à 95 % (Wilson)",
        "By wave, with the 95% confidence interval (Wilson)",
    ),
    "wb.fig.roles.title": ("{measure} selon la fonction", "{measure} by role"),
    "wb.fig.roles.subtitle": (
        "Vagues {waves} ; point = estimation, trait = intervalle de confiance à 95 %",
        "Waves {waves}; dot = estimate, line = 95% confidence interval",
    ),
    "wb.axis.score_mean": ("Score moyen (0 à 100)", "Mean score (0 to 100)"),
    "wb.fig.clin.title": (
        "Évolution du bien-être des mêmes personnes entre {a} et {b}",
        "Change in wellbeing of the same people between {a} and {b}",
    ),
    "wb.fig.clin.subtitle": (
        "Part des personnes présentes aux deux vagues dont le WHO-5 a changé d'au moins {c} points "
        "(changement cliniquement significatif)",
        "Share of people present in both waves whose WHO-5 changed by at least {c} points (clinically "
        "relevant change)",
    ),
    "wb.clin.worse": ("Baisse d'au moins {c} points", "Fall of at least {c} points"),
    "wb.clin.same": ("Variation de moins de {c} points", "Change of less than {c} points"),
    "wb.clin.better": ("Hausse d'au moins {c} points", "Rise of at least {c} points"),
    "wb.fig.clin.mean": (
        "Écart moyen WHO-5 : {d} points (IC {low} à {high}) · {n} personnes",
        "Mean WHO-5 change: {d} points (CI {low} to {high}) · {n} people",
    ),
    "wb.fig.hidden": ("Masqués (moins de {n} répondants) : {items}", "Hidden (fewer than {n} respondents): {items}"),
    "wb.fig.panel.note": (
        "Panel : professionnels présents aux deux vagues (même code anonyme) ; filtres appliqués à leurs "
        "réponses de {b}.",
        "Panel: professionals present in both waves (same anonymous code); filters applied to their {b} answers.",
    ),
    # table
    "wb.col.scale": ("Échelle", "Scale"),
    "wb.col.n_pairs": ("Personnes (n)", "People (n)"),
    "wb.col.mean_a": ("Moyenne {a}", "Mean {a}"),
    "wb.col.mean_b": ("Moyenne {b}", "Mean {b}"),
    "wb.col.diff": ("Écart moyen", "Mean change"),
    "wb.col.ci": ("IC 95 %", "95% CI"),
    "wb.col.d_z": ("d_z", "d_z"),
    "wb.col.p_holm": ("p (Holm)", "p (Holm)"),
    "wb.col.better": ("Hausse ≥ {c} pts", "Rise ≥ {c} pts"),
    "wb.col.worse": ("Baisse ≥ {c} pts", "Fall ≥ {c} pts"),
    "wb.col.direction": ("Sens favorable", "Favourable direction"),
    "wb.dir.up": ("hausse", "rise"),
    "wb.dir.down": ("baisse", "fall"),
}
