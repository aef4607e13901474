"""Texts of the « Échanges » page (pages/4_echanges.py) and its figures (ui/figures_exchanges.py)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "exchanges.question": (
        "À quelle fréquence les institutions échangent-elles, et sur quelles actions communes ? Fréquence "
        "des échanges déclarée par les professionnels, secteur par secteur, et actions communes inscrites au "
        "journal : chaque mois, entre quels secteurs, pour quels publics.",
        "How often do institutions exchange, and on which joint actions? Exchange frequency reported by "
        "practitioners, sector by sector, and joint actions in the activity log: each month, between which "
        "sectors, for which audiences.",
    ),
    # sections
    "exchanges.section.survey": (
        "À quelle fréquence les secteurs échangent-ils ?",
        "How often do sectors exchange?",
    ),
    "exchanges.section.monthly": (
        "Combien d'actions communes chaque mois ?",
        "How many joint actions each month?",
    ),
    "exchanges.section.shares": (
        "Les actions réunissent-elles plusieurs secteurs ?",
        "Do actions bring several sectors together?",
    ),
    "exchanges.section.audience": (
        "Les 16–18 ans et les parents sont-ils concernés ?",
        "Are 16–18 year olds and parents involved?",
    ),
    "exchanges.section.pairs": (
        "Quels secteurs agissent ensemble ?",
        "Which sectors act together?",
    ),
    # controls
    "exchanges.measure": ("Mesure", "Measure"),
    "exchanges.measure.mean_per_month": ("Fois par mois", "Times a month"),
    "exchanges.measure.share_at_least_monthly": ("Au moins mensuel", "At least monthly"),
    "exchanges.view": ("Affichage", "View"),
    "exchanges.view.wave": ("Une vague", "One wave"),
    "exchanges.view.change": ("Évolution entre deux vagues", "Change between two waves"),
    "exchanges.wave": ("Vague affichée", "Wave shown"),
    "exchanges.by": ("Détailler par", "Break down by"),
    "exchanges.by.sectors": ("Secteurs réunis", "Sectors involved"),
    "exchanges.by.activity_type": ("Type d'action", "Type of action"),
    "exchanges.by.territory": ("Territoire", "Territory"),
    "exchanges.period": ("Période", "Period"),
    "exchanges.period.all": ("toute la période", "whole period"),
    "exchanges.period.s1": ("1er sem. {year}", "H1 {year}"),
    "exchanges.period.s2": ("2e sem. {year}", "H2 {year}"),
    "exchanges.span": (
        "Actions communes de {start} à {end} : {n} actions inscrites au journal pour la sélection.",
        "Joint actions from {start} to {end}: {n} actions logged for the selection.",
    ),
    "exchanges.waves_note": (
        "Filtre « Vagues » : une action compte pour une vague si elle a été chargée avec elle ou si elle a eu "
        "lieu dans les six mois précédant la fin de son enquête.",
        "“Waves” filter: an action counts for a wave if it was loaded with it or took place in the six months "
        "before the end of its survey.",
    ),
    "exchanges.people_filters": (
        "Les filtres « Fonction » et « Niveau » décrivent des personnes : ils ne s'appliquent pas au journal "
        "des actions.",
        "The “Role” and “Level” filters describe people: they do not apply to the activity log.",
    ),
    "exchanges.change_note": (
        "Comparaison des répondants de {a} et de {b} (pas forcément les mêmes personnes).",
        "Comparison of the respondents of {a} and of {b} (not necessarily the same people).",
    ),
    "exchanges.table": ("Tableau détaillé", "Detailed table"),
    "exchanges.pairs_table": (
        "Les {n} paires de structures qui agissent le plus souvent ensemble",
        "The {n} pairs of institutions that act together most often",
    ),
    # labels
    "exchanges.no_sector": ("Secteur non renseigné", "Sector not given"),
    "exchanges.no_territory": ("Territoire non renseigné", "Territory not given"),
    "exchanges.type.unknown": ("Type non renseigné", "Type not given"),
    "exchanges.points": ("pts", "pts"),
    "exchanges.yes": ("oui", "yes"),
    # survey heatmap
    "exchanges.fig.heatmap.title.mean_per_month": (
        "Échanges déclarés entre secteurs (fois par mois), vague {wave}",
        "Reported exchanges between sectors (times per month), wave {wave}",
    ),
    "exchanges.fig.heatmap.title.share_at_least_monthly": (
        "Part des professionnels échangeant au moins une fois par mois, vague {wave}",
        "Share of practitioners exchanging at least monthly, wave {wave}",
    ),
    "exchanges.fig.heatmap.subtitle.mean_per_month": (
        "Ligne : secteur du professionnel qui répond · colonne : secteur avec lequel il échange · nombre moyen "
        "d'échanges par mois (jamais = 0, chaque semaine = 4,3)",
        "Row: sector of the practitioner answering · column: sector they exchange with · mean number of "
        "exchanges per month (never = 0, weekly = 4.3)",
    ),
    "exchanges.fig.heatmap.subtitle.share_at_least_monthly": (
        "Ligne : secteur du professionnel qui répond · colonne : secteur avec lequel il échange · part des "
        "répondants qui échangent au moins une fois par mois",
        "Row: sector of the practitioner answering · column: sector they exchange with · share of "
        "respondents exchanging at least once a month",
    ),
    "exchanges.fig.heatmap.note": (
        "n = répondants (le plus grand nombre de réponses de chaque ligne). Cases en pointillés : échanges au "
        "sein du même secteur. Cases grises : moins de répondants que le seuil de confidentialité, la valeur "
        "n'est pas montrée (ce n'est pas un zéro).",
        "n = respondents (the largest number of answers in each row). Dotted cells: exchanges within the same "
        "sector. Grey cells: fewer respondents than the privacy threshold, the value is not shown (it is not "
        "a zero).",
    ),
    "exchanges.hover.hidden": (
        "{who} → {whom} : masqué (moins de {n} répondants)",
        "{who} → {whom}: hidden (fewer than {n} respondents)",
    ),
    "exchanges.hover.mean_per_month": (
        "Professionnels {who} → {whom}<br>{value} échanges par mois en moyenne<br>{n} répondants",
        "Practitioners {who} → {whom}<br>{value} exchanges a month on average<br>{n} respondents",
    ),
    "exchanges.hover.share_at_least_monthly": (
        "Professionnels {who} → {whom}<br>{value} échangent au moins une fois par mois<br>{n} répondants",
        "Practitioners {who} → {whom}<br>{value} exchange at least once a month<br>{n} respondents",
    ),
    "exchanges.axis.mean_per_month": ("échanges<br>par mois", "exchanges<br>per month"),
    "exchanges.axis.share_at_least_monthly": ("au moins<br>mensuel", "at least<br>monthly"),
    "exchanges.axis.from": ("Professionnels du secteur…", "Practitioners of…"),
    "exchanges.axis.to": ("… échangent avec le secteur", "… exchange with"),
    "exchanges.axis.change.mean_per_month": ("écart<br>(par mois)", "change<br>(per month)"),
    "exchanges.axis.change.share_at_least_monthly": ("écart<br>(points)", "change<br>(points)"),
    "exchanges.axis.actions": ("Actions communes", "Joint actions"),
    "exchanges.axis.per_month": ("actions<br>par mois", "actions<br>per month"),
    # change heatmap
    "exchanges.fig.change.title.mean_per_month": (
        "Évolution des échanges par mois entre {a} et {b}",
        "Change in exchanges per month between {a} and {b}",
    ),
    "exchanges.fig.change.title.share_at_least_monthly": (
        "Évolution de la part d'échanges au moins mensuels entre {a} et {b}",
        "Change in the share exchanging at least monthly between {a} and {b}",
    ),
    "exchanges.fig.change.subtitle": (
        "Bleu : davantage d'échanges qu'à la vague de départ · rouge : moins · valeur écrite dans chaque case",
        "Blue: more exchanges than in the first wave · red: fewer · value written in each cell",
    ),
    "exchanges.fig.change.note": (
        "n = répondants de {b}. Différence entre les répondants des deux vagues, pas un suivi des mêmes "
        "personnes. Une case masquée à l'une des vagues reste grise.",
        "n = respondents of {b}. Difference between the two waves' respondents, not a follow-up of the same "
        "people. A cell hidden in either wave stays grey.",
    ),
    "exchanges.hover.hidden_change": (
        "Masqué : moins de {n} répondants en {a} ou en {b}",
        "Hidden: fewer than {n} respondents in {a} or in {b}",
    ),
    "exchanges.hover.one_wave": (
        "Pas de réponse à l'une des vagues {a} ou {b} : pas d'évolution",
        "No answer in one of the waves {a} or {b}: no change",
    ),
    "exchanges.hover.change": (
        "Professionnels {who} → {whom}<br>{a} : {before} · {b} : {after}",
        "Practitioners {who} → {whom}<br>{a}: {before} · {b}: {after}",
    ),
    # monthly
    "exchanges.fig.monthly.title.all": (
        "Actions communes par mois, dont celles à plusieurs secteurs",
        "Joint actions per month, of which with several sectors",
    ),
    "exchanges.fig.monthly.title.activity_type": (
        "Actions communes par mois et par type d'action",
        "Joint actions per month by type of action",
    ),
    "exchanges.fig.monthly.title.territory": (
        "Actions communes par mois et par territoire",
        "Joint actions per month by territory",
    ),
    "exchanges.fig.monthly.subtitle": (
        "Nombre d'actions inscrites au journal chaque mois (total au-dessus de chaque barre) · bande grise : "
        "mois de l'enquête d'une vague",
        "Number of actions logged each month (total above each bar) · grey band: fieldwork month of a survey wave",
    ),
    "exchanges.fig.monthly.multi": ("avec au moins 2 secteurs", "with 2 sectors or more"),
    "exchanges.fig.monthly.single": ("un seul secteur", "a single sector"),
    "exchanges.fig.monthly.wave": ("vague {wave}", "wave {wave}"),
    "exchanges.fig.monthly.note": (
        "n = actions communes. Un mois sans action compte zéro. Une action absente du journal est invisible.",
        "n = joint actions. A month without any action counts zero. An action missing from the log is invisible.",
    ),
    "exchanges.fig.months": ("({m} mois)", "({m} months)"),
    # shares
    "exchanges.fig.shares.title": (
        "Part des actions communes à plusieurs secteurs ou structures, par semestre",
        "Share of joint actions with several sectors or institutions, per half-year",
    ),
    "exchanges.fig.shares.subtitle": (
        "n = actions du semestre ; un semestre incomplet dans le journal indique son nombre de mois",
        "n = actions of the half-year; a half-year only partly in the log shows its number of months",
    ),
    "exchanges.fig.shares.multi": ("au moins 2 secteurs", "2 sectors or more"),
    "exchanges.fig.shares.three": ("au moins 3 structures", "3 institutions or more"),
    "exchanges.fig.shares.note": (
        "n = actions communes. Secteurs et structures d'après la liste des structures partenaires.",
        "n = joint actions. Sectors and institutions from the partner institutions list.",
    ),
    # audience
    "exchanges.fig.audience.title": (
        "Actions pour les 16–18 ans et avec les parents co-organisateurs, par semestre",
        "Actions for 16–18 year olds and co-organised with parents, per half-year",
    ),
    "exchanges.fig.audience.subtitle": (
        "Nombre d'actions et, entre parenthèses, part des actions communes du semestre",
        "Number of actions and, in brackets, share of the half-year's joint actions",
    ),
    "exchanges.fig.audience.youth": ("public 16–18 ans", "audience aged 16–18"),
    "exchanges.fig.audience.parents": ("co-organisées avec les parents", "co-organised with parents"),
    "exchanges.fig.audience.note": (
        "n = actions communes. Une action sans public renseigné compte comme « pas pour les 16–18 ans » ; la "
        "part « parents » ne compte que les actions où la case est renseignée.",
        "n = joint actions. An action without a recorded audience counts as “not for 16–18”; the “parents” "
        "share only counts actions where the field is filled in.",
    ),
    # sector pairs
    "exchanges.fig.pairs.title": (
        "Actions communes par mois entre deux secteurs, {period}",
        "Joint actions per month between two sectors, {period}",
    ),
    "exchanges.fig.pairs.subtitle": (
        "Nombre d'actions réunissant au moins une structure de chacun des deux secteurs, rapporté au mois · "
        "diagonale : deux structures du même secteur",
        "Number of actions bringing together at least one institution of each of the two sectors, per month "
        "· diagonal: two institutions of the same sector",
    ),
    "exchanges.fig.pairs.note": (
        "n = actions communes. Une action compte une fois par paire de secteurs, quel que soit le nombre de "
        "structures ; divisé par {months} mois couverts par le journal. Une action ne citant qu'une structure "
        "ne relie aucune paire.",
        "n = joint actions. An action counts once per pair of sectors, however many institutions; divided by "
        "the {months} months the log covers. An action naming a single institution links no pair.",
    ),
    "exchanges.hover.pair": (
        "{a} – {b}<br>{value} actions par mois<br>{actions} actions sur {months} mois",
        "{a} – {b}<br>{value} actions per month<br>{actions} actions over {months} months",
    ),
    # columns
    "exchanges.col.institution_a": ("Structure A", "Institution A"),
    "exchanges.col.institution_b": ("Structure B", "Institution B"),
    "exchanges.col.actions": ("Actions communes", "Joint actions"),
    "exchanges.col.cross_sector": ("Secteurs différents", "Different sectors"),
    "exchanges.col.first": ("Première", "First"),
    "exchanges.col.last": ("Dernière", "Last"),
    "exchanges.col.period": ("Semestre", "Half-year"),
    "exchanges.col.participants": ("Participants (cumul)", "Participants (total)"),
    # empty states
    "exchanges.empty.warehouse": (
        "L'entrepôt ne contient encore aucune vague : chargez la liste des structures, le questionnaire aux "
        "professionnels et le journal des actions depuis la page « Charger une vague ».",
        "The warehouse holds no wave yet: load the institutions list, the practitioner survey and the "
        "activity log from the “Load a wave” page.",
    ),
    "exchanges.empty.no_survey": (
        "Pas de fréquence d'échanges pour cette sélection : le questionnaire aux professionnels chargé ne "
        "comporte pas la grille « échanges avec les autres secteurs » (questions EXC_*), ou les filtres ne "
        "retiennent aucun répondant. Chargez une vague qui la contient, ou élargissez les filtres.",
        "No exchange frequency for this selection: the practitioner survey loaded has no “exchanges with "
        "other sectors” grid (EXC_* items), or the filters keep no respondent. Load a wave that has it, or "
        "widen the filters.",
    ),
    "exchanges.empty.one_wave": (
        "Une seule vague avec la grille d'échanges dans la sélection : l'évolution apparaîtra avec une "
        "deuxième vague (ou élargissez la plage de vagues dans le panneau latéral).",
        "A single wave with the exchange grid in the selection: the change will appear with a second wave (or "
        "widen the range of waves in the sidebar).",
    ),
    "exchanges.empty.no_log": (
        "Aucun journal des actions communes n'est chargé : chargez-le depuis la page « Charger une vague » "
        "(une ligne par action : date, type, territoire, structures impliquées, public, parents "
        "co-organisateurs).",
        "No joint activity log is loaded: load it from the “Load a wave” page (one row per action: date, "
        "type, territory, institutions involved, audience, parents co-organising).",
    ),
    "exchanges.empty.no_actions": (
        "Aucune action commune pour cette sélection : élargissez les filtres (territoire, secteur, vagues).",
        "No joint action for this selection: widen the filters (territory, sector, waves).",
    ),
    "exchanges.empty.no_pairs": (
        "Aucune action ne réunit deux structures pour cette sélection.",
        "No action brings two institutions together for this selection.",
    ),
    "exchanges.go_load": ("Charger une vague", "Load a wave"),
}
