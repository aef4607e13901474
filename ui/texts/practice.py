"""Texts of the « Pratiques en réseau » page and of its figures (ui/figures_practice.py)."""

TEXTS: dict[str, tuple[str, str]] = {
    "pr.question": (
        "Les pratiques professionnelles en réseau évoluent-elles ? Scores par vague, évolution des "
        "mêmes personnes (panel), réponses item par item, écart entre niveau stratégique et terrain.",
        "Do professionals' network practices change? Scores per wave, change of the same people "
        "(panel), answers item by item, gap between the strategic level and the field.",
    ),
    # sections
    "pr.section.trend": ("Les scores évoluent-ils d'une vague à l'autre ?", "Do scores change from wave to wave?"),
    "pr.section.panel": (
        "Les mêmes personnes ont-elles changé ? (panel {a} → {b})",
        "Did the same people change? (panel {a} → {b})",
    ),
    "pr.section.items": ("Réponses item par item", "Answers item by item"),
    "pr.section.gap": (
        "Niveau stratégique et terrain voient-ils la même chose ?",
        "Do the strategic level and the field see the same thing?",
    ),
    "pr.section.reliable": (
        "Combien de personnes ont changé au-delà de l'erreur de mesure ?",
        "How many people changed beyond measurement error?",
    ),
    # widgets
    "pr.breakdown": ("Détailler par", "Break down by"),
    "pr.breakdown.none": ("Ensemble", "Everyone"),
    "pr.scale": ("Échelle", "Scale"),
    "pr.dim.territory": ("Territoire", "Territory"),
    "pr.dim.sector_id": ("Secteur", "Sector"),
    "pr.dim.role": ("Fonction", "Role"),
    "pr.dim.level": ("Niveau", "Level"),
    "pr.cross_expander": (
        "Comparaison hors panel : tous les répondants de chaque vague (ce n'est pas un panel)",
        "Comparison without the panel: all respondents of each wave (not a panel)",
    ),
    "pr.cross_intro": (
        "Cette comparaison prend tous les répondants de chaque vague, qu'ils aient répondu aux deux ou "
        "non : une différence peut venir de qui a répondu (arrivées, départs) autant que d'un changement "
        "de pratiques. Préférez l'évolution panel ci-dessus pour juger d'un changement.",
        "This comparison takes every respondent of each wave, whether or not they answered both: a "
        "difference may come from who answered (arrivals, departures) as much as from a change of "
        "practice. Prefer the panel change above to judge a change.",
    ),
    # empty states
    "pr.empty.one_wave": (
        "Une seule vague chargée : les évolutions apparaîtront avec la deuxième vague.",
        "A single wave is loaded: changes will appear with the second wave.",
    ),
    "pr.empty.one_selected": (
        "Une seule vague sélectionnée : élargissez la plage de vagues dans le panneau latéral pour "
        "comparer deux vagues.",
        "A single wave is selected: widen the range of waves in the sidebar to compare two waves.",
    ),
    "pr.empty.no_panel": (
        "Personne n'a répondu aux deux vagues {a} et {b} avec les filtres choisis (ou moins de {n} "
        "personnes) : pas d'évolution panel. Vérifiez que les questionnaires gardent le même code "
        "anonyme d'une vague à l'autre.",
        "Nobody answered both waves {a} and {b} with the chosen filters (or fewer than {n} people): no "
        "panel change. Check that the questionnaires keep the same anonymous code from wave to wave.",
    ),
    "pr.empty.no_scores": (
        "Aucun score de pratiques pour cette sélection : élargissez les filtres.",
        "No practice score for this selection: widen the filters.",
    ),
    "pr.empty.level_filter": (
        "L'écart entre niveaux compare les deux niveaux : le filtre « Niveau » est ignoré ici.",
        "The gap between levels compares both levels: the “Level” filter is ignored here.",
    ),
    # figure titles and axes
    "pr.fig.trend.title": ("Scores de pratiques par vague", "Practice scores by wave"),
    "pr.fig.trend.title_group": ("{scale} par {dim}", "{scale} by {dim}"),
    "pr.fig.trend.subtitle": (
        "Moyenne des répondants de chaque vague et intervalle de confiance à 95 % (échelle de 1 à 5)",
        "Mean of each wave's respondents and 95% confidence interval (scale from 1 to 5)",
    ),
    "pr.axis.score": ("Score moyen (1 à 5)", "Mean score (1 to 5)"),
    "pr.axis.wave": ("Vague", "Wave"),
    "pr.fig.panel.title": (
        "Évolution des mêmes personnes entre {a} et {b} (panel)",
        "Change of the same people between {a} and {b} (panel)",
    ),
    "pr.fig.panel.subtitle": (
        "Écart moyen (score {b} − score {a}) et IC 95 % ; d_z = taille d'effet ; p corrigée par Holm",
        "Mean difference (score {b} − score {a}) and 95% CI; d_z = effect size; Holm-adjusted p",
    ),
    "pr.fig.cross.title": (
        "Écart entre les moyennes de {a} et de {b} — hors panel",
        "Difference between the means of {a} and {b} — not a panel",
    ),
    "pr.fig.cross.subtitle": (
        "Tous les répondants de chaque vague (pas les mêmes personnes) ; g de Hedges ; p corrigée par Holm",
        "All respondents of each wave (not the same people); Hedges' g; Holm-adjusted p",
    ),
    "pr.axis.diff": ("Écart de score (points sur l'échelle de 1 à 5)", "Score difference (points on the 1–5 scale)"),
    "pr.fig.diff.annot_panel": (
        "d_z = {d} · p = {p} · {n} paires",
        "d_z = {d} · p = {p} · {n} pairs",
    ),
    "pr.fig.diff.annot_cross": (
        "g = {g} · p = {p} · n = {na} + {nb}",
        "g = {g} · p = {p} · n = {na} + {nb}",
    ),
    "pr.fig.diff.worse": ("◀ recul", "◀ decline"),
    "pr.fig.diff.better": ("progrès ▶", "progress ▶"),
    "pr.fig.panel.note": (
        "Panel : professionnels présents aux deux vagues (même code anonyme) ; filtres appliqués à leurs "
        "réponses de {b}.",
        "Panel: professionals present in both waves (same anonymous code); filters applied to their {b} answers.",
    ),
    "pr.fig.cross.note": (
        "Pas un panel : les répondants peuvent différer d'une vague à l'autre.",
        "Not a panel: respondents may differ from one wave to the next.",
    ),
    "pr.fig.likert.title": ("{scale} : réponses par item", "{scale}: answers per item"),
    "pr.fig.likert.subtitle": (
        "Part des répondants ; désaccord à gauche, accord à droite, réponse neutre centrée",
        "Share of respondents; disagreement on the left, agreement on the right, neutral answer centred",
    ),
    "pr.axis.share_resp": ("Part des répondants", "Share of respondents"),
    "pr.fig.likert.reverse": ("(formulé négativement)", "(negatively worded)"),
    "pr.fig.likert.note_reverse": (
        "Items formulés négativement : y être d'accord est défavorable (ils sont inversés dans le score).",
        "Negatively worded items: agreeing is unfavourable (they are reversed in the score).",
    ),
    "pr.fig.likert.not_asked": ("non posé à cette vague", "not asked in this wave"),
    "pr.fig.gap.title": (
        "Écart entre niveau stratégique et niveau opérationnel",
        "Gap between the strategic and the operational level",
    ),
    "pr.fig.gap.subtitle": (
        "Moyenne stratégique − moyenne opérationnelle, IC 95 % ; au-dessus de 0 : le niveau stratégique "
        "est plus positif",
        "Strategic mean − operational mean, 95% CI; above 0: the strategic level is more positive",
    ),
    "pr.axis.gap": ("Écart (points sur l'échelle de 1 à 5)", "Gap (points on the 1–5 scale)"),
    "pr.fig.gap.zero": ("pas d'écart", "no gap"),
    "pr.fig.rc.title": (
        "Changements fiables entre {a} et {b} (panel)",
        "Reliable changes between {a} and {b} (panel)",
    ),
    "pr.fig.rc.subtitle": (
        "Part des personnes présentes aux deux vagues dont le score a changé au-delà de l'erreur de "
        "mesure (indice de Jacobson et Truax)",
        "Share of people present in both waves whose score changed beyond measurement error (Jacobson–Truax index)",
    ),
    "pr.rc.deteriorated": ("Recul fiable", "Reliable decline"),
    "pr.rc.unchanged": ("Pas de changement fiable", "No reliable change"),
    "pr.rc.improved": ("Progrès fiable", "Reliable improvement"),
    "pr.fig.rc.note": (
        "Seuil : un changement compte s'il dépasse {points} (variable selon l'échelle, de 1 à 5).",
        "Threshold: a change counts beyond {points} (depends on the scale, 1 to 5).",
    ),
    "pr.fig.hidden": ("Masqués (moins de {n} répondants) : {items}", "Hidden (fewer than {n} respondents): {items}"),
    "pr.fig.all_waves": ("toutes les vagues", "every wave"),
    "pr.fig.n_per_wave": ("n par vague : {items}", "n per wave: {items}"),
    # tables
    "pr.col.scale": ("Échelle", "Scale"),
    "pr.col.n_pairs": ("Paires (n)", "Pairs (n)"),
    "pr.col.mean_a": ("Moyenne {a}", "Mean {a}"),
    "pr.col.mean_b": ("Moyenne {b}", "Mean {b}"),
    "pr.col.diff": ("Écart", "Difference"),
    "pr.col.ci": ("IC 95 %", "95% CI"),
    "pr.col.d_z": ("d_z", "d_z"),
    "pr.col.g": ("g de Hedges", "Hedges' g"),
    "pr.col.p_holm": ("p (Holm)", "p (Holm)"),
    "pr.col.p_wilcoxon": ("p Wilcoxon", "Wilcoxon p"),
    "pr.col.design": ("Plan", "Design"),
    "pr.col.n_a": ("n {a}", "n {a}"),
    "pr.col.n_b": ("n {b}", "n {b}"),
    "pr.design.panel": ("panel (mêmes personnes)", "panel (same people)"),
    "pr.design.cross": ("hors panel (tous les répondants)", "not a panel (all respondents)"),
    "pr.items_changed": (
        "Questions changées entre les vagues : {items}. Chaque vague est montrée sur ses propres "
        "questions ; les évolutions entre deux vagues sont calculées sur les questions communes.",
        "Questions changed between waves: {items}. Each wave is shown on its own questions; changes "
        "between two waves are computed on the common questions.",
    ),
    "pr.items_changed.item": ("{scale}, {item} posé en {asked} seulement", "{scale}, {item} asked in {asked} only"),
    "pr.items_compared": (
        "Comparé sur les questions posées aux deux vagues : {scales}.",
        "Compared on the questions both waves asked: {scales}.",
    ),
    "pr.items_compared.scale": ("{scale} ({items} ; sans {left})", "{scale} ({items}; without {left})"),
}
