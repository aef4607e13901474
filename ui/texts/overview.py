"""Texts of the « Vue d'ensemble » page: headline cards and automatic findings (ui/overview.py)."""

TEXTS: dict[str, tuple[str, str]] = {
    "ov.question": (
        "Où en est-on ? Les indicateurs clés de la vague d'arrivée, leur évolution depuis la vague de "
        "départ (choisies dans le panneau latéral), et ce qui ressort.",
        "Where are we? The headline indicators of the later wave, their change since the earlier wave "
        "(chosen in the sidebar), and what stands out.",
    ),
    "ov.cards": ("Indicateurs clés en {b}", "Headline indicators in {b}"),
    "ov.cards_since": ("Indicateurs clés en {b}, évolution depuis {a}", "Headline indicators in {b}, change since {a}"),
    "ov.findings": ("Ce qui ressort entre {a} et {b}", "What stands out between {a} and {b}"),
    "ov.trend_section": ("Les indicateurs clés, vague par vague", "Headline indicators, wave by wave"),
    # card labels
    "ov.kpi.network_practice": ("Pratiques en réseau (1 à 5)", "Network practice (1 to 5)"),
    "ov.kpi.partnership_culture": ("Culture du partenariat (1 à 5)", "Partnership culture (1 to 5)"),
    "ov.kpi.who5_mean": ("Bien-être WHO-5 (0 à 100)", "WHO-5 wellbeing (0 to 100)"),
    "ov.kpi.who5_poor_share": ("Bien-être faible (WHO-5 ≤ 50)", "Poor wellbeing (WHO-5 ≤ 50)"),
    "ov.kpi.cbi_high_share": ("Épuisement élevé (CBI ≥ 50)", "High burnout (CBI ≥ 50)"),
    "ov.kpi.network_density": ("Densité du réseau", "Network density"),
    "ov.kpi.cross_sector_share": ("Liens entre secteurs", "Cross-sector ties"),
    "ov.kpi.actions_per_month": ("Actions communes par mois", "Joint actions per month"),
    # names in sentences
    "ov.name.network_practice": ("les pratiques en réseau", "network practice"),
    "ov.name.partnership_culture": ("la culture du partenariat", "partnership culture"),
    "ov.name.who5_mean": ("le bien-être (WHO-5)", "wellbeing (WHO-5)"),
    "ov.name.who5_poor_share": (
        "la part en bien-être faible (WHO-5 ≤ 50)",
        "the share with poor wellbeing (WHO-5 ≤ 50)",
    ),
    "ov.name.cbi_high_share": ("la part en épuisement élevé (CBI ≥ 50)", "the share with high burnout (CBI ≥ 50)"),
    "ov.name.network_density": ("la densité du réseau", "network density"),
    "ov.name.cross_sector_share": ("la part des liens entre secteurs", "the cross-sector tie share"),
    "ov.name.actions_per_month": ("les actions communes par mois", "joint actions per month"),
    # deltas
    "ov.verdict.beyond": ("au-delà du bruit", "beyond noise"),
    "ov.verdict.noise": ("dans le bruit", "within noise"),
    "ov.verdict.untested": ("sans test", "not tested"),
    "ov.verdict.better": ("favorable, au-delà du bruit", "favourable, beyond noise"),
    "ov.verdict.worse": ("défavorable, au-delà", "unfavourable, beyond"),
    "ov.detail": ("Voir le détail", "See the detail"),
    "ov.detail_help": ("Ouvre la page « {page} » à la section qui détaille cet indicateur.",
                       "Opens the “{page}” page at the section that details this indicator."),
    "ov.spark": ("{label}, par vague : {values}.", "{label}, by wave: {values}."),
    "ov.verdict.suppressed": ("moins de {n} répondants", "fewer than {n} respondents"),
    "ov.unit.points": ("pts", "pts"),
    "ov.unit.pp": ("pts", "pp"),
    # card help
    "ov.help.values": (
        "{b} : {vb} ({nb}). {a} : {va} ({na}).",
        "{b}: {vb} ({nb}). {a}: {va} ({na}).",
    ),
    "ov.help.value_only": ("{b} : {vb} ({nb}).", "{b}: {vb} ({nb})."),
    "ov.help.respondents": ("{n} répondants", "{n} respondents"),
    "ov.help.institutions": ("{n} partenaires ont répondu, couverture {c}", "{n} partners answered, coverage {c}"),
    "ov.help.actions": ("{n} actions", "{n} actions"),
    "ov.help.panel": (
        "Les {n} mêmes personnes, présentes aux deux vagues : {d} (IC 95 % {low} à {high}).",
        "The same {n} people, present in both waves: {d} (95% CI {low} to {high}).",
    ),
    "ov.help.ci": (
        "Évolution {d} (toutes les personnes de chaque vague), IC {level} {low} à {high}. Au-delà du bruit "
        "si l'intervalle exclut 0 ; son niveau tient compte des {m} comparaisons de la page.",
        "Change {d} (everyone of each wave), {level} CI {low} to {high}. Beyond noise if the interval "
        "excludes 0; its level accounts for the page's {m} comparisons.",
    ),
    "ov.help.ci_actions": (
        "Évolution {d}, IC {level} {low} à {high} (loi de Poisson surdispersée). Au-delà du bruit si "
        "l'intervalle exclut 0 ; son niveau tient compte des {m} comparaisons de la page.",
        "Change {d}, {level} CI {low} to {high} (overdispersed Poisson). Beyond noise if the interval "
        "excludes 0; its level accounts for the page's {m} comparisons.",
    ),
    "ov.help.network": (
        "Réseau des partenaires (questionnaire aux partenaires, niveau de collaboration ≥ 2), mesuré parmi "
        "les structures qui ont répondu : pas d'échantillon, donc pas de test.",
        "Partner network (partner survey, level of collaboration ≥ 2), measured among the institutions that "
        "answered: no sample, hence no test.",
    ),
    "ov.help.network_both": (
        "La couverture a changé : l'évolution {d} est mesurée sur les {n} structures qui ont répondu aux "
        "deux vagues.",
        "Coverage changed: the change {d} is measured on the {n} institutions that answered both waves.",
    ),
    "ov.help.items": (
        "Les deux vagues n'ont pas posé les mêmes questions : l'évolution est calculée sur les items "
        "communs ({items}) ; {left} n'a été posé qu'à l'une des deux.",
        "The two waves did not ask the same questions: the change is computed on the common items "
        "({items}); {left} was asked in one of them only.",
    ),
    "ov.help.low_alpha": (
        "Fiabilité faible : α de Cronbach {alpha} à la vague {b} (en dessous de {min}) ; à lire avec "
        "prudence.",
        "Low reliability: Cronbach's alpha {alpha} in wave {b} (below {min}); read with care.",
    ),
    "ov.verdict.low_alpha": ("fiabilité faible", "low reliability"),
    "ov.verdict.everyone": ("toutes les personnes", "everyone"),
    "ov.def.network_practice": (
        "Moyenne des scores de pratiques en réseau (coordination dans et hors l'école, échanges entre "
        "institutions), de 1 à 5.",
        "Mean network practice score (coordination inside and outside school, exchanges between institutions), 1 to 5.",
    ),
    "ov.def.scale": (
        "Moyenne des scores « {label} », une échelle de pratiques que déclare le dictionnaire de l'enquête.",
        "Mean “{label}” score, a practice scale declared by the survey's codebook.",
    ),
    "ov.title.network_practice": ("Pratiques en réseau", "Network practice"),
    "ov.title.partnership_culture": ("Culture du partenariat", "Partnership culture"),
    "ov.def.partnership_culture": (
        "Moyenne des scores de culture du partenariat, de 1 à 5.",
        "Mean partnership culture score, 1 to 5.",
    ),
    "ov.def.who5_mean": (
        "Score moyen de bien-être WHO-5, de 0 à 100 (plus haut = mieux). Outil de repérage, pas un diagnostic.",
        "Mean WHO-5 wellbeing score, 0 to 100 (higher is better). A screening tool, not a diagnosis.",
    ),
    "ov.def.who5_poor_share": (
        "Part des répondants dont le score WHO-5 est inférieur ou égal à 50 (plus bas = mieux).",
        "Share of respondents with a WHO-5 score at or below 50 (lower is better).",
    ),
    "ov.def.cbi_high_share": (
        "Part des répondants dont l'épuisement lié au travail (CBI) est supérieur ou égal à 50 (plus bas = mieux).",
        "Share of respondents with work-related burnout (CBI) at or above 50 (lower is better).",
    ),
    "ov.def.network_density": (
        "Part des relations possibles entre partenaires qui existent (réseau de tous les territoires retenus).",
        "Share of the possible relationships between partners that exist (network of every selected territory).",
    ),
    "ov.def.cross_sector_share": (
        "Part des liens du réseau des partenaires qui relient deux secteurs différents.",
        "Share of the partner network's ties that link two different sectors.",
    ),
    "ov.def.actions_per_month": (
        "Actions communes du journal dans la période couverte par la vague (six mois avant l'enquête), par mois.",
        "Logged joint actions in the period the wave covers (six months before fieldwork), per month.",
    ),
    "ov.method": (
        "**Au-delà du bruit** — l'évolution compare toutes les personnes de chaque vague (les mêmes "
        "personnes sont données dans l'aide de chaque carte) sur les questions posées aux deux vagues ; "
        "elle est au-delà du bruit quand son intervalle de confiance exclut 0, au niveau qui tient compte "
        "de toutes les comparaisons de la page (Benjamini–Hochberg). Flèche colorée : au-delà du bruit "
        "(vert favorable, rouge défavorable) ; grise : dans la marge d'incertitude. Le réseau est mesuré "
        "parmi les structures qui ont répondu : pas de test.",
        "**Beyond noise** — the change compares everyone of each wave (the same people are given in "
        "each card's help) on the questions both waves asked; it is beyond noise when its confidence "
        "interval excludes 0, at the level that accounts for every comparison of the page "
        "(Benjamini–Hochberg). Coloured arrow: beyond noise (green favourable, red unfavourable); grey: "
        "within the margin of error. The network is measured among the institutions that answered: no test.",
    ),
    "ov.no_network": (
        "Indicateurs de réseau indisponibles (module réseau absent) : densité et liens entre secteurs non affichés.",
        "Network indicators unavailable (network module missing): density and cross-sector ties not shown.",
    ),
    "ov.hidden_cards": (
        "Moins de {n} répondants pour : {items}. Ces indicateurs sont masqués ; élargissez les filtres.",
        "Fewer than {n} respondents for: {items}. These indicators are hidden; widen the filters.",
    ),
    "ov.one_wave": (
        "Une seule vague chargée : les évolutions apparaîtront avec la deuxième vague.",
        "A single wave is loaded: changes will appear with the second wave.",
    ),
    "ov.one_selected": (
        "Une seule vague sélectionnée : élargissez la plage de vagues dans le panneau latéral pour voir "
        "les évolutions et les constats.",
        "A single wave is selected: widen the range of waves in the sidebar to see changes and findings.",
    ),
    "ov.nothing": (
        "Aucun indicateur pour cette sélection : élargissez les filtres.",
        "No indicator for this selection: widen the filters.",
    ),
    # findings
    "ov.f.improvement.found": (
        "**Plus forte amélioration : {name}.** {values} — {change}, au-delà du bruit ({test}).",
        "**Largest improvement: {name}.** {values} — {change}, beyond noise ({test}).",
    ),
    "ov.f.improvement.within_noise": (
        "**Aucune amélioration au-delà du bruit.** La plus nette va dans le bon sens pour {name} : "
        "{values} — {change}, dans la marge d'incertitude ({test}).",
        "**No improvement beyond noise.** The clearest favourable change is in {name}: {values} — "
        "{change}, within the margin of error ({test}).",
    ),
    "ov.f.improvement.none": (
        "**Aucune amélioration** des indicateurs d'enquête entre {a} et {b}.",
        "**No improvement** in the survey indicators between {a} and {b}.",
    ),
    "ov.f.decline.found": (
        "**Plus forte dégradation : {name}.** {values} — {change}, au-delà du bruit ({test}).",
        "**Largest decline: {name}.** {values} — {change}, beyond noise ({test}).",
    ),
    "ov.f.decline.within_noise": (
        "**Aucune dégradation au-delà du bruit.** La plus nette en sens défavorable concerne {name} : "
        "{values} — {change}, dans la marge d'incertitude ({test}).",
        "**No decline beyond noise.** The clearest unfavourable change is in {name}: {values} — "
        "{change}, within the margin of error ({test}).",
    ),
    "ov.f.decline.none": (
        "**Aucune dégradation** des indicateurs d'enquête entre {a} et {b}.",
        "**No decline** in the survey indicators between {a} and {b}.",
    ),
    "ov.f.lag.found": (
        "**{group} reste en retard.** {scale} : {change} entre {a} et {b}, contre {rest} "
        "pour les autres répondants (écart {gap}, IC {level} {low} à {high}, au-delà du bruit ; {na} et "
        "{nb} répondants).",
        "**{group} lags behind.** {scale}: {change} between {a} and {b}, against {rest} for "
        "the other respondents (gap {gap}, {level} CI {low} to {high}, beyond noise; {na} and {nb} "
        "respondents).",
    ),
    "ov.f.lag.within_noise": (
        "**{group} progresse moins que les autres**, dans la marge d'incertitude. {scale} : "
        "{change} entre {a} et {b}, contre {rest} pour les autres répondants (écart {gap}, IC {level} "
        "{low} à {high} ; {na} et {nb} répondants) : à suivre à la prochaine vague.",
        "**{group} progresses less than the others**, within the margin of error. {scale}: "
        "{change} between {a} and {b}, against {rest} for the other respondents (gap {gap}, {level} CI "
        "{low} to {high}; {na} and {nb} respondents): to watch at the next wave.",
    ),
    "ov.f.lag.none": (
        "**Aucun groupe ne progresse moins que les autres** sur {name} (territoires, "
        "secteurs, fonctions et niveaux d'au moins {n} répondants à chaque vague).",
        "**No group progresses less than the others** on {name} (territories, sectors, roles "
        "and levels with at least {n} respondents in each wave).",
    ),
    "ov.f.values": ("{va} en {a} → {vb} en {b}", "{va} in {a} → {vb} in {b}"),
    "ov.f.test.ci": ("IC {level} de l'évolution {low} à {high}", "{level} CI of the change {low} to {high}"),
    "ov.group.territory": ("Le territoire {g}", "The territory {g}"),
    "ov.group.sector_id": ("Le secteur {g}", "The sector {g}"),
    "ov.group.role": ("La fonction {g}", "The role {g}"),
    "ov.group.level": ("Le niveau {g}", "The {g} level"),
    # trend figure
    "ov.fig.trend.title": ("Indicateurs clés, vague par vague", "Headline indicators, wave by wave"),
    "ov.fig.trend.subtitle": (
        "Valeur par vague et intervalle de confiance à 95 % (indicateurs d'enquête et actions)",
        "Value per wave and 95% confidence interval (survey indicators and actions)",
    ),
    "ov.fig.trend.note": (
        "n par vague : répondants (enquête), partenaires ayant répondu (réseau), actions (journal).",
        "n per wave: respondents (survey), partners who answered (network), actions (log).",
    ),
    "ov.fig.hidden": ("Masqués (moins de {n} répondants) : {items}", "Hidden (fewer than {n} respondents): {items}"),
}
