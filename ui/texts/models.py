"""Texts of the analyses of issue 10 on the pages: the repeated-measures model (practice and
wellbeing pages), the response and attrition weights (practice, wellbeing and quality pages) and
"do joint actions create ties?" (network page); figures and tables of ui.figures_*."""

TEXTS: dict[str, tuple[str, str]] = {
    # --- repeated-measures model (practice and wellbeing pages)
    "model.name": ("modèle à mesures répétées", "repeated-measures model"),
    "model.section": (
        "Évolution estimée {a} → {b} : modèle à mesures répétées",
        "Estimated change {a} → {b}: repeated-measures model",
    ),
    "model.section_one": (
        "Évolution estimée : modèle à mesures répétées",
        "Estimated change: repeated-measures model",
    ),
    "model.intro": (
        "Estimation principale de la tendance. Un modèle à mesures répétées (modèle linéaire mixte, "
        "effet aléatoire par répondant et par structure) utilise toutes les réponses de toutes les "
        "vagues sélectionnées, panel et nouveaux venus, en tenant compte de ce que les réponses d'une "
        "même personne, et celles des collègues d'une même structure, se ressemblent. Les moyennes "
        "descriptives sont données à côté pour comparaison.",
        "Primary trend estimate. A repeated-measures model (linear mixed model, random intercept per "
        "respondent and per institution) uses every answer of every selected wave, panel and newcomers, "
        "taking into account that the answers of one person, and those of colleagues in one "
        "institution, are alike. The descriptive means are given beside it for comparison.",
    ),
    "model.sentence": (
        "« {scale} » : {change} entre {a} et {b} (IC 95 % {low} à {high}).",
        "“{scale}”: {change} between {a} and {b} (95% CI {low} to {high}).",
    ),
    "model.fallback": (
        "« {scale} » : estimation affichée : {estimate} — {reason}.",
        "“{scale}”: estimate shown: {estimate} — {reason}.",
    ),
    "model.fallback_plain": (
        "« {scale} » : estimation affichée : {estimate}.",
        "“{scale}”: estimate shown: {estimate}.",
    ),
    "model.not_estimable": (
        "« {scale} » : le modèle n'a pas pu être estimé ({reason}) ; aucune évolution n'est affichée.",
        "“{scale}”: the model could not be fitted ({reason}); no change is shown.",
    ),
    "model.hidden": (
        "Pas d'estimation du modèle pour cette sélection : moins de {n} répondants (confidentialité).",
        "No model estimate for this selection: fewer than {n} respondents (confidentiality).",
    ),
    "model.hidden_pair": (
        "Pas d'évolution estimée entre {a} et {b} pour cette sélection : moins de {n} répondants à l'une "
        "des deux vagues (confidentialité).",
        "No estimated change between {a} and {b} for this selection: fewer than {n} respondents in one of "
        "the two waves (confidentiality).",
    ),
    "model.icc_help": (
        "CCI structure : part de la variance due aux différences entre structures (ressemblance des "
        "scores de deux collègues). CCI répondant : corrélation des scores d'une même personne à deux "
        "vagues. Intervalles de Wald (loi normale). Le modèle n'est pas pondéré.",
        "ICC institution: share of the variance due to differences between institutions (how alike two "
        "colleagues' scores are). ICC respondent: correlation of one person's scores at two waves. Wald "
        "intervals (normal). The model is not weighted.",
    ),
    "model.col.estimate": ("Estimation", "Estimate"),
    "model.col.change": ("Évolution {a} → {b} (modèle)", "Change {a} → {b} (model)"),
    "model.col.ci": ("IC 95 % (modèle)", "95% CI (model)"),
    "model.col.descriptive": ("Écart des moyennes", "Difference of means"),
    "model.col.weighted": ("Écart des moyennes pondérées", "Difference of weighted means"),
    "model.col.icc_inst": ("CCI structure", "ICC institution"),
    "model.col.icc_resp": ("CCI répondant", "ICC respondent"),
    "model.col.n_resp": ("Répondants", "Respondents"),
    "model.col.n_inst": ("Structures", "Institutions"),
    "model.col.n_waves": ("Vagues", "Waves"),
    "model.points": ("{x} pt", "{x} pt"),
    # --- weighted trends
    "weights.toggle": ("Pondérer sur la population invitée", "Weight to the invited population"),
    "weights.toggle_help": (
        "Pondération de non-réponse : chaque secteur et chaque territoire pèse autant que dans la "
        "population invitée (effectifs ciblés), par post-stratification ou calage sur marges, poids "
        "écrêtés à 5 fois le poids moyen.",
        "Non-response weighting: each sector and territory counts as much as in the invited population "
        "(targets), by post-stratification or raking, weights trimmed at 5 times the mean weight.",
    ),
    "weights.fig.title": ("Moyennes pondérées et non pondérées par vague", "Weighted and unweighted means per wave"),
    "weights.fig.subtitle": (
        "Trait plein : pondéré sur la population invitée (IC 95 %) ; pointillé : non pondéré",
        "Solid: weighted to the invited population (95% CI); dotted: unweighted",
    ),
    "weights.series.weighted": ("{scale} (pondéré)", "{scale} (weighted)"),
    "weights.series.unweighted": ("{scale} (non pondéré)", "{scale} (unweighted)"),
    "weights.sentence": (
        "« {scale} » : écart des moyennes {a} → {b} pondéré {w}, non pondéré {u}.",
        "“{scale}”: difference of means {a} → {b} weighted {w}, unweighted {u}.",
    ),
    "weights.none": (
        "Aucun effectif ciblé (instrument « targets ») pour ces vagues : les moyennes ne peuvent pas être "
        "pondérées.",
        "No target population (the “targets” instrument) for these waves: the means cannot be weighted.",
    ),
    "weights.fig.note": (
        "Poids de non-réponse par secteur × territoire (effectifs ciblés), écrêtés ; taille effective "
        "par vague : {items}",
        "Non-response weights by sector × territory (targets), trimmed; effective sample size per wave: "
        "{items}",
    ),
    # --- quality page: weights and attrition
    "quality.weights.title": (
        "Pondérations : taille effective et plus grands poids",
        "Weights: effective sample size and largest weights",
    ),
    "quality.weights.intro": (
        "Pour représenter la population invitée (effectifs ciblés par secteur et territoire), chaque "
        "répondant reçoit un poids. L'effet de plan dit ce que la pondération coûte en précision : la "
        "taille effective est le nombre de répondants non pondérés qui donneraient la même précision. "
        "Les plus grands poids signalent les groupes qui ont peu répondu.",
        "To represent the invited population (targets by sector and territory), each respondent gets a "
        "weight. The design effect says what weighting costs in precision: the effective sample size is "
        "the number of unweighted respondents that would give the same precision. The largest weights "
        "point to the groups that answered little.",
    ),
    "quality.weights.none": (
        "Aucun effectif ciblé chargé pour les vagues sélectionnées : pas de pondération (chargez "
        "l'instrument « targets »).",
        "No target population loaded for the selected waves: no weights (load the “targets” instrument).",
    ),
    "quality.weights.largest": ("Plus grands poids, vague {wave}", "Largest weights, wave {wave}"),
    "quality.weights.wave": ("Vague", "Wave"),
    "quality.weights.hidden_cells": (
        "{k} cellules secteur × territoire de moins de {n} répondants (ou masquées avec elles) ne sont pas "
        "listées : leur poids révélerait leur nombre de répondants.",
        "{k} sector × territory cells with fewer than {n} respondents (or hidden with them) are not listed: "
        "their weight would reveal their number of respondents.",
    ),
    "quality.weights.col.method": ("Méthode", "Method"),
    "quality.weights.col.n": ("Répondants", "Respondents"),
    "quality.weights.col.population": ("Population représentée", "Population represented"),
    "quality.weights.col.n_effective": ("Taille effective", "Effective sample size"),
    "quality.weights.col.deff": ("Effet de plan (Kish)", "Design effect (Kish)"),
    "quality.weights.col.weight_max": ("Plus grand poids", "Largest weight"),
    "quality.weights.col.ratio": ("Plus grand / moyen", "Largest / mean"),
    "quality.weights.col.trimmed": ("Poids écrêtés", "Trimmed weights"),
    "quality.weights.col.uncovered": ("Sans effectif ciblé", "Without a target"),
    "quality.weights.col.sector": ("Secteur", "Sector"),
    "quality.weights.col.territory": ("Territoire", "Territory"),
    "quality.weights.col.weight": ("Poids", "Weight"),
    "quality.weights.col.cell_ratio": ("Poids / poids moyen", "Weight / mean weight"),
    "quality.weights.col.target": ("Effectif ciblé", "Target"),
    "quality.weights.yes": ("oui", "yes"),
    "quality.weights.no": ("non", "no"),
    "quality.attrition.title": (
        "Attrition du panel {a} → {b} : modèle et équilibre",
        "Panel attrition {a} → {b}: model and balance",
    ),
    "quality.attrition.title_none": ("Attrition du panel : modèle et équilibre", "Panel attrition: model and balance"),
    "quality.attrition.intro": (
        "Parmi les répondants de la première vague, qui a répondu de nouveau ? Un modèle logistique sur "
        "leurs caractéristiques de la première vague donne à chaque personne restée un poids inverse de "
        "sa probabilité de rester. Le tableau d'équilibre vérifie que, pondérées, les personnes restées "
        "ressemblent de nouveau à la première vague (écart standardisé sous 0,1 en valeur absolue).",
        "Among the first wave's respondents, who answered again? A logistic model on their first-wave "
        "characteristics gives each person who stayed a weight equal to the inverse of their probability "
        "of staying. The balance table checks that, weighted, the people who stayed look like the first "
        "wave again (standardised difference below 0.1 in absolute value).",
    ),
    "quality.attrition.sentence": (
        "{kept} personnes sur {n} sont restées ({rate}). Modèle logistique sur {covariates} : pseudo-R² "
        "{r2}, AUC {auc}. Plus grand écart standardisé : {before} avant pondération, {after} après ; "
        "taille effective des personnes restées pondérées {n_eff}.",
        "{kept} people of {n} stayed ({rate}). Logistic model on {covariates}: pseudo-R² {r2}, AUC {auc}. "
        "Largest standardised difference: {before} before weighting, {after} after; effective sample size "
        "of the weighted stayers {n_eff}.",
    ),
    "quality.attrition.hidden": (
        "Pas de modèle d'attrition pour cette sélection : moins de {n} personnes restées ou parties "
        "(confidentialité).",
        "No attrition model for this selection: fewer than {n} people stayed or left (confidentiality).",
    ),
    "quality.attrition.one_wave": (
        "Sélectionnez deux vagues avec le questionnaire aux professionnels pour voir l'attrition du panel.",
        "Select two waves with the practitioner survey to see panel attrition.",
    ),
    "quality.attrition.balance": ("Équilibre des caractéristiques", "Balance of the characteristics"),
    "quality.attrition.model": ("Modèle logistique de rester dans le panel", "Logistic model of staying in the panel"),
    "quality.attrition.col.covariate": ("Caractéristique", "Characteristic"),
    "quality.attrition.col.level": ("Modalité", "Level"),
    "quality.attrition.col.n": ("Personnes", "People"),
    "quality.attrition.col.mean_a": ("Moyenne {a}", "Mean {a}"),
    "quality.attrition.col.mean_kept": ("Restées", "Stayed"),
    "quality.attrition.col.mean_weighted": ("Restées, pondérées", "Stayed, weighted"),
    "quality.attrition.col.smd_before": ("Écart std. avant", "Std. difference before"),
    "quality.attrition.col.smd_after": ("Écart std. après", "Std. difference after"),
    "quality.attrition.col.or": ("Rapport des chances", "Odds ratio"),
    "quality.attrition.col.ci": ("IC 95 %", "95% CI"),
    "quality.attrition.col.p": ("p", "p"),
    "quality.attrition.cov.sector_id": ("secteur", "sector"),
    "quality.attrition.cov.territory": ("territoire", "territory"),
    "quality.attrition.cov.level": ("niveau", "level"),
    "quality.attrition.cov.years_in_post": ("ancienneté dans le poste", "years in post"),
    "quality.attrition.cov.score": ("score de la première vague", "first-wave score"),
    "quality.attrition.cov.(intercept)": ("constante", "intercept"),
    "quality.attrition.other": ("(autres, regroupés)", "(others, grouped)"),
    "quality.attrition.missing": ("(non renseigné)", "(missing)"),
    # --- network page: tie formation
    "tie.section": ("Les actions communes créent-elles des liens ?", "Do joint actions create ties?"),
    "tie.intro": (
        "Pour chaque paire de structures ayant répondu au questionnaire partenaires à deux vagues "
        "successives : les paires qui ont mené ensemble une action commune entre les deux enquêtes "
        "(journal des actions) sont-elles plus souvent liées à la vague suivante, à lien antérieur, "
        "secteur, territoire et volume d'actions comparables ? Modèle logistique, erreurs standard "
        "robustes à la dépendance des paires qui partagent une structure.",
        "For every pair of institutions that answered the partner survey in two consecutive waves: are "
        "the pairs that took part in a joint action together between the two fieldworks (activity log) "
        "more often tied at the next wave, at equal earlier tie, sector, territory and activity volume? "
        "Logistic model, standard errors robust to the dependence of pairs sharing an institution.",
    ),
    "tie.formation_sentence": (
        "Les paires qui ont agi ensemble avaient {x} fois plus de chances de nouer un lien (IC 95 % "
        "{low}–{high}).",
        "Pairs that acted together had {x} times the odds of forming a tie (95% CI {low}–{high}).",
    ),
    "tie.persistence_sentence": (
        "Les paires déjà liées qui ont agi ensemble avaient {x} fois plus de chances de garder leur lien "
        "(IC 95 % {low}–{high}).",
        "Tied pairs that acted together had {x} times the odds of keeping their tie (95% CI {low}–{high}).",
    ),
    "tie.period": (
        "Entre {first} et {last} ({k} passages d'une vague à la suivante, {n} structures).",
        "Between {first} and {last} ({k} transitions from one wave to the next, {n} institutions).",
    ),
    "tie.not_estimated": ("{effect} : pas d'estimation ({reason}).", "{effect}: no estimate ({reason})."),
    "tie.not_estimated_plain": ("{effect} : pas d'estimation.", "{effect}: no estimate."),
    "tie.caveat": (
        "Prudence : c'est une étude observationnelle. Les structures choisissent avec qui agir "
        "(sélection des partenaires), et des partenaires qui s'entendent déjà peuvent à la fois agir "
        "ensemble et mieux se noter : les variables de contrôle réduisent ce biais sans l'éliminer. "
        "C'est une association, pas la preuve qu'agir ensemble crée le lien.",
        "Caution: this is an observational study. Institutions choose whom they act with (selection of "
        "partners), and partners who already get on may both act together and rate each other higher: "
        "the controls reduce this bias but do not remove it. It is an association, not proof that acting "
        "together creates the tie.",
    ),
    "tie.none": (
        "Pas assez de données pour ce modèle : il faut le questionnaire partenaires à deux vagues "
        "successives, leurs dates d'enquête et le journal des actions entre les deux.",
        "Not enough data for this model: it needs the partner survey in two consecutive waves, their "
        "fieldwork dates and the activity log between them.",
    ),
    "tie.effect.formation": ("Nouer un lien", "Forming a tie"),
    "tie.effect.persistence": ("Garder un lien", "Keeping a tie"),
    "tie.fig.title": (
        "Agir ensemble et nouer ou garder un lien",
        "Acting together and forming or keeping a tie",
    ),
    "tie.fig.subtitle": (
        "Rapport des chances (paires ayant agi ensemble / autres) et IC 95 % ; 1 = pas de différence",
        "Odds ratio (pairs that acted together / others) and 95% CI; 1 = no difference",
    ),
    "tie.fig.axis": ("Rapport des chances (échelle logarithmique)", "Odds ratio (log scale)"),
    "tie.fig.no_difference": ("pas de différence", "no difference"),
    "tie.fig.note": (
        "Paires de structures ayant répondu aux deux vagues ; modèle logistique avec lien antérieur, même "
        "secteur, même territoire et volume d'actions ; erreurs standard robustes (paires partageant une "
        "structure). Association observée, pas un effet prouvé (sélection des partenaires).",
        "Pairs of institutions that answered both waves; logistic model with the earlier tie, same sector, "
        "same territory and activity volume; robust standard errors (pairs sharing an institution). An "
        "observed association, not a proven effect (selection of partners).",
    ),
    "tie.col.effect": ("Effet", "Effect"),
    "tie.col.pairs": ("Paires × passages", "Pairs × transitions"),
    "tie.col.joint": ("Dont ayant agi ensemble", "Of which acted together"),
    "tie.col.rate_joint": ("Liées ensuite : ayant agi ensemble", "Tied next: acted together"),
    "tie.col.rate_other": ("Liées ensuite : autres", "Tied next: others"),
    "tie.col.or": ("Rapport des chances", "Odds ratio"),
    "tie.col.or_ci": ("IC 95 %", "95% CI"),
    "tie.col.rr": ("Rapport des probabilités", "Risk ratio"),
    "tie.col.rr_ci": ("IC 95 % (probabilités)", "95% CI (risk ratio)"),
    "tie.col.p": ("p", "p"),
}

TEXTS.update({
    # --- the committee pack
    "pack.model.note": (
        "Modèle à mesures répétées (tous les répondants de toutes les vagues), évolution {a} → {b} : {items}.",
        "Repeated-measures model (every respondent of every wave), change {a} → {b}: {items}.",
    ),
    "pack.model.item": ("{scale} {change} [IC {low} ; {high}]", "{scale} {change} [CI {low}, {high}]"),
    "pack.notes.caveats": ("Précautions :", "Caveats:"),
    "pack.model.hidden": (
        "Modèle à mesures répétées : pas d'estimation pour cette sélection (moins de {n} répondants).",
        "Repeated-measures model: no estimate for this selection (fewer than {n} respondents).",
    ),
    "pack.method.models": (
        "Tendances : l'estimation principale est un modèle à mesures répétées (modèle linéaire mixte, effet "
        "aléatoire par répondant et par structure, sur tous les répondants de toutes les vagues) ; les moyennes "
        "par vague sont descriptives et non pondérées. Poids de non-réponse sur la population invitée (secteur × "
        "territoire, effectifs ciblés, poids écrêtés){weights}, au tableau de bord. Actions communes et liens : "
        "modèle logistique par paire de structures, erreurs robustes aux paires partageant une structure ; une "
        "association, pas un effet prouvé.",
        "Trends: the primary estimate is a repeated-measures model (linear mixed model, random intercept per "
        "respondent and per institution, on every respondent of every wave); the means per wave are descriptive "
        "and unweighted. Non-response weights to the invited population (sector × territory, targets, trimmed)"
        "{weights}, on the dashboard. Joint actions and ties: logistic model per pair of institutions, errors "
        "robust to pairs sharing an institution; an association, not a proven effect.",
    ),
    "pack.method.weights": (
        " : effet de plan {deff}, taille effective {n_eff} pour {n} répondants en {wave}",
        ": design effect {deff}, effective sample size {n_eff} for {n} respondents in {wave}",
    ),
})
