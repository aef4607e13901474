"""Texts of the « Réseau inter-institutionnel » page (pages/3_reseau.py) and its figures
(ui/figures_network.py)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "network.question": (
        "Qui travaille avec qui entre institutions, et ces liens se renforcent-ils d'une vague à l'autre ? "
        "Réseau des structures partenaires, indicateurs de réseau, liens nouveaux et perdus, structures "
        "passerelles, confiance et relations perçues différemment.",
        "Which institutions work with which, and do these ties grow stronger from wave to wave? Network of "
        "the partner institutions, network indicators, new and lost ties, brokers, trust and relationships "
        "seen differently by the two sides.",
    ),
    # controls
    "network.source": ("Source des liens", "Source of ties"),
    "network.source.help": (
        "Questionnaire partenaires : chaque structure évalue son niveau de collaboration avec chacune des "
        "autres. Professionnels : les structures que les professionnels disent avoir sollicitées. Les deux : "
        "un lien si l'une ou l'autre source en donne un.",
        "Partner survey: each institution rates its level of collaboration with every other one. "
        "Practitioners: the institutions practitioners say they worked with. Both: a tie if either source "
        "gives one.",
    ),
    "network.source.partner_survey": ("Questionnaire partenaires", "Partner survey"),
    "network.source.practitioner_survey": ("Professionnels", "Practitioners"),
    "network.source.both": ("Les deux", "Both"),
    "network.view": ("Affichage", "View"),
    "network.view.one": ("Une vague", "One wave"),
    "network.view.compare": ("Comparer deux vagues", "Compare two waves"),
    "network.wave": ("Vague affichée", "Wave shown"),
    "network.labels": ("Noms des structures", "Institution names"),
    "network.highlight": ("Montrer les liens nouveaux et perdus", "Show new and lost ties"),
    "network.compare_hint": (
        "Vagues comparées : {a} et {b} (choix « Vague de départ » et « Vague d'arrivée » du panneau latéral). "
        "Chaque structure garde sa place d'une vague à l'autre.",
        "Waves compared: {a} and {b} (“From wave” and “To wave” in the sidebar). Each institution keeps "
        "its place from wave to wave.",
    ),
    "network.roles_note": (
        "Filtre « Fonction » ou « Niveau » actif : seuls les liens déclarés par ces répondants sont pris en compte.",
        "“Role” or “Level” filter on: only the ties reported by these respondents are counted.",
    ),
    "network.sector_note": (
        "Filtre « Secteur » ou « Territoire » actif : le réseau ne contient que les structures choisies et "
        "les liens entre elles.",
        "“Sector” or “Territory” filter on: the network holds only the chosen institutions and the ties between them.",
    ),
    # sections
    "network.section.kpi": ("Le réseau en {wave}", "The network in {wave}"),
    "network.section.kpi_since": (
        "Le réseau en {wave} (évolution depuis {since})",
        "The network in {wave} (change since {since})",
    ),
    "network.kpi.cross": ("Inter-secteurs", "Cross-sector"),
    "network.section.graph": ("Qui travaille avec qui ?", "Who works with whom?"),
    "network.section.trend": (
        "Le réseau se densifie-t-il d'une vague à l'autre ?",
        "Does the network grow denser from wave to wave?",
    ),
    "network.section.stability": (
        "Les liens durent-ils ? ({a} → {b})",
        "Do ties last? ({a} → {b})",
    ),
    "network.section.brokers": (
        "Quelles structures font le lien entre les autres ? ({wave})",
        "Which institutions connect the others? ({wave})",
    ),
    "network.section.trust": (
        "Quelle confiance et quel apport chaque structure reçoit-elle ? ({wave})",
        "How much trust and value does each institution receive? ({wave})",
    ),
    "network.section.dyads": (
        "Relations perçues différemment : à discuter en comité ({wave})",
        "Relationships seen differently: to discuss in committee ({wave})",
    ),
    "network.section.method": ("Méthode et lecture", "Method and how to read"),
    # KPIs
    "network.kpi.institutions": ("Répondantes", "Answered"),
    "network.kpi.institutions_value": ("{k} sur {n}", "{k} of {n}"),
    "network.kpi.institutions_help": (
        "Structures du réseau ayant répondu, sur l'ensemble des structures du réseau (répondantes ou citées "
        "par une autre). Les liens d'une structure qui n'a pas répondu ne sont vus que du côté des autres.",
        "Institutions of the network that answered, out of all institutions in the network (answering or "
        "named by another). Ties of a non-responding institution are only seen from the others' side.",
    ),
    "network.kpi.ties": ("Liens déclarés", "Reported ties"),
    "network.kpi.ties_help": (
        "Nombre de relations A → B déclarées selon la règle de lien (un lien réciproque compte deux fois).",
        "Number of A → B relationships reported under the tie rule (a reciprocated tie counts twice).",
    ),
    "network.kpi.density_help": (
        "Part des relations possibles entre structures qui ont répondu qui existent : 100 % si chacune "
        "travaille avec toutes les autres.",
        "Share of the possible relationships between institutions that answered that exist: 100% if each one "
        "works with all the others.",
    ),
    "network.kpi.reciprocity_help": (
        "Part des liens déclarés par une structure qui sont aussi déclarés par l'autre.",
        "Share of the ties reported by one institution that the other one reports too.",
    ),
    "network.kpi.cross_help": (
        "Part des liens qui relient deux secteurs différents (école, ville, associations, santé, social, "
        "insertion, parents).",
        "Share of ties joining two different sectors (school, city, associations, health, social, youth "
        "employment, parents).",
    ),
    "network.points": ("pts", "pts"),
    # metrics
    "network.metric.density": ("Densité", "Density"),
    "network.metric.reciprocity": ("Réciprocité", "Reciprocity"),
    "network.metric.degree_centralization": ("Centralisation (0 à 1)", "Degree centralization (0 to 1)"),
    "network.metric.cross_sector_share": ("Liens entre secteurs différents", "Cross-sector ties"),
    "network.metric.mean_level": ("Niveau moyen de collaboration (0 à 5)", "Mean level of collaboration (0 to 5)"),
    "network.metric.coverage": ("Structures répondantes", "Institutions that answered"),
    "network.metric.density_respondents": ("Densité (parmi les répondantes)", "Density (among respondents)"),
    "network.metric.reciprocity_respondents": (
        "Réciprocité (parmi les répondantes)", "Reciprocity (among respondents)"),
    "network.metric.cross_sector_share_respondents": (
        "Liens entre secteurs (parmi les répondantes)", "Cross-sector ties (among respondents)"),
    "network.kpi.robust_note": (
        "Densité, réciprocité et liens entre secteurs sont mesurés parmi les structures qui ont répondu "
        "({c} de couverture) : une structure sans réponse ne compte pas comme sans lien.",
        "Density, reciprocity and cross-sector ties are measured among the institutions that answered "
        "(coverage {c}): an institution that did not answer does not count as having no ties.",
    ),
    "network.kpi.both_note": (
        "La couverture a changé entre {a} et {b} : les évolutions sont mesurées sur les {n} structures qui "
        "ont répondu aux deux vagues.",
        "Coverage changed between {a} and {b}: the changes are measured on the {n} institutions that "
        "answered both waves.",
    ),
    "network.all_territories": ("Ensemble du partenariat", "Whole partnership"),
    # levels of collaboration (Frey et al. 2006)
    "network.level.0": ("aucune relation", "no relationship"),
    "network.level.1": ("mise en réseau", "networking"),
    "network.level.2": ("coopération", "cooperation"),
    "network.level.3": ("coordination", "coordination"),
    "network.level.4": ("coalition", "coalition"),
    "network.level.5": ("collaboration", "collaboration"),
    "network.band.P1": ("cité par 1 professionnel", "named by 1 practitioner"),
    "network.band.P2": ("cité par 2 ou 3 professionnels", "named by 2 or 3 practitioners"),
    "network.band.P3": ("cité par 4 professionnels ou plus", "named by 4 practitioners or more"),
    "network.rule.partner": (
        "Lien : une structure déclare un niveau de collaboration d'au moins {level}",
        "Tie: an institution reports a level of collaboration of at least {level}",
    ),
    "network.rule.practitioner": (
        "Lien : au moins un professionnel de la structure cite l'autre structure",
        "Tie: at least one practitioner of the institution names the other institution",
    ),
    "network.rule.both": (
        "Lien : niveau de collaboration d'au moins {level}, ou au moins un professionnel qui cite la structure",
        "Tie: level of collaboration of at least {level}, or at least one practitioner naming the institution",
    ),
    # network drawing
    "network.fig.graph.title": (
        "Qui travaille avec qui ? Réseau des structures, vague {wave}",
        "Who works with whom? Network of institutions, wave {wave}",
    ),
    "network.fig.graph.title_short": ("Réseau des structures, vague {wave}", "Network of institutions, wave {wave}"),
    "network.fig.graph.subtitle": (
        "taille = nombre de partenaires · trait plein = lien déclaré des deux côtés",
        "size = number of partners · solid line = tie reported by both sides",
    ),
    "network.fig.graph.note": (
        "n = structures du réseau, dont {k} répondantes ({share}) ; {ties} paires liées. Symbole vide : structure qui "
        "n'a pas répondu (ses liens ne sont vus que du côté des autres). Chaque secteur occupe un arc du cercle.",
        "n = institutions in the network, of which {k} answered ({share}); {ties} tied pairs. Open symbol: institution "
        "that did not answer (its ties are only seen from the others' side). Each sector has its own arc.",
    ),
    "network.legend.sectors": ("Secteurs", "Sectors"),
    "network.legend.ties": ("Liens", "Ties"),
    "network.legend.reciprocated": ("déclaré des deux côtés", "reported by both sides"),
    "network.legend.one_way": ("déclaré d'un seul côté", "reported by one side"),
    "network.legend.not_answered": ("n'a pas répondu", "did not answer"),
    "network.legend.new": ("lien nouveau depuis {a}", "new tie since {a}"),
    "network.legend.lost": ("lien perdu en {b}", "tie lost by {b}"),
    "network.legend.ego": ("liens de {name}", "ties of {name}"),
    "network.hover.no_tie": ("pas de lien déclaré", "no tie reported"),
    "network.hover.tie": ("lien déclaré", "tie reported"),
    "network.hover.named_by": ("cité par {n} professionnel(s)", "named by {n} practitioner(s)"),
    "network.hover.reciprocated": ("Lien réciproque", "Reciprocated tie"),
    "network.hover.one_way": ("Lien déclaré d'un seul côté", "Tie reported by one side"),
    "network.hover.out_in": ("{out} déclarés, {inn} reçus", "{out} reported, {inn} received"),
    "network.hover.trust_received": ("Confiance reçue (1 à 4)", "Trust received (1 to 4)"),
    "network.hover.value_received": ("Apport reçu (1 à 4)", "Value received (1 to 4)"),
    "network.hover.level_received": (
        "Niveau de collaboration reçu (0 à 5)",
        "Level of collaboration received (0 to 5)",
    ),
    "network.hover.raters": ("{n} évaluateurs", "{n} raters"),
    "network.hover.not_answered": ("N'a pas répondu à cette vague", "Did not answer this wave"),
    # trends
    "network.fig.trend.title": ("Indicateurs du réseau par vague", "Network indicators by wave"),
    "network.fig.trend.subtitle": (
        "Densité : part des relations possibles qui existent · centralisation : 1 si tout passe par une "
        "structure · structures répondantes : couverture de l'enquête",
        "Density: share of possible relationships that exist · centralization: 1 if everything goes through "
        "one institution · institutions that answered: survey coverage",
    ),
    "network.fig.trend.note": (
        "n = structures du réseau. Quand moins de structures répondent, la densité et la réciprocité baissent "
        "mécaniquement : lisez-les avec la couverture.",
        "n = institutions in the network. When fewer institutions answer, density and reciprocity fall "
        "mechanically: read them with the coverage.",
    ),
    "network.fig.trend.partner_only": (
        "questionnaire partenaires seulement",
        "partner survey only",
    ),
    # stability
    "network.stability.kept": ("maintenus (N11)", "kept (N11)"),
    "network.stability.lost": ("perdus (N10)", "lost (N10)"),
    "network.stability.new": ("nouveaux (N01)", "new (N01)"),
    "network.stability.axis": ("Paires de structures liées", "Pairs of tied institutions"),
    "network.stability.sentence": (
        "Entre **{a}** et **{b}**, on compare les **{n} structures qui ont répondu aux deux vagues** "
        "({only_a} n'ont répondu qu'en {a}, {only_b} qu'en {b} : elles sont mises de côté, car on ne peut pas "
        "dire qu'un lien est perdu quand une structure n'a pas répondu). Parmi elles, **{n11} liens existent "
        "aux deux vagues** (N11), **{n10} liens de {a} ont disparu** en {b} (N10) et **{n01} liens sont "
        "apparus** (N01). La stabilité de Jaccard vaut N11 / (N01 + N10 + N11) = **{jaccard}** : {share} des "
        "liens vus à l'une ou l'autre vague sont présents aux deux. Un lien compte ici dans les deux sens "
        "(une paire est liée si l'une des deux structures déclare le lien).",
        "Between **{a}** and **{b}**, the **{n} institutions that answered both waves** are compared ({only_a} "
        "answered only in {a}, {only_b} only in {b}: they are set aside, since a tie cannot be called lost "
        "when an institution did not answer). Among them, **{n11} ties exist in both waves** (N11), **{n10} "
        "ties of {a} disappeared** by {b} (N10) and **{n01} ties appeared** (N01). Jaccard stability is "
        "N11 / (N01 + N10 + N11) = **{jaccard}**: {share} of the ties seen in either wave are present in "
        "both. A tie counts both ways here (a pair is tied if either institution reports the tie).",
    ),
    "network.fig.stability.title": (
        "Liens maintenus, perdus et nouveaux entre {a} et {b}",
        "Ties kept, lost and new between {a} and {b}",
    ),
    "network.fig.stability.title_short": ("Liens maintenus, perdus et nouveaux", "Ties kept, lost and new"),
    "network.fig.stability.subtitle": (
        "Stabilité de Jaccard = N11 / (N01 + N10 + N11) = {n11} / ({n01} + {n10} + {n11}) = {jaccard}",
        "Jaccard stability = N11 / (N01 + N10 + N11) = {n11} / ({n01} + {n10} + {n11}) = {jaccard}",
    ),
    "network.fig.stability.note": (
        "n = structures ayant répondu aux deux vagues ; liens non orientés entre elles.",
        "n = institutions that answered both waves; undirected ties between them.",
    ),
    "network.new_ties": ("Liens nouveaux ({n})", "New ties ({n})"),
    "network.lost_ties": ("Liens perdus ({n})", "Lost ties ({n})"),
    "network.missing": (
        "Structures mises de côté : n'ont répondu qu'à une des deux vagues ({n})",
        "Institutions set aside: answered only one of the two waves ({n})",
    ),
    # brokers
    "network.brokers.intro": (
        "L'intermédiarité mesure la part des plus courts chemins entre deux autres structures qui passent par "
        "une structure : une structure passerelle relie des partenaires qui, sans elle, seraient éloignés. "
        "« Passerelle » = premier décile du réseau. Une structure qui n'a pas répondu peut cacher des chemins.",
        "Betweenness is the share of the shortest paths between two other institutions that go through an "
        "institution: a broker connects partners who would otherwise be far apart. “Broker” = top decile of "
        "the network. A non-responding institution can hide paths.",
    ),
    # trust
    "network.fig.trust.title": (
        "Confiance et apport reçus par chaque structure, vague {wave}",
        "Trust and value received by each institution, wave {wave}",
    ),
    "network.fig.trust.subtitle": (
        "Moyenne des notes données par les autres structures (1 = pas du tout, 4 = tout à fait)",
        "Mean of the ratings given by the other institutions (1 = not at all, 4 = completely)",
    ),
    "network.fig.trust.trust": ("Confiance reçue", "Trust received"),
    "network.fig.trust.value": ("Apport reçu", "Value received"),
    "network.fig.trust.axis": ("Note moyenne (1 à 4)", "Mean rating (1 to 4)"),
    "network.fig.trust.note": (
        "n = structures évaluées ; chaque moyenne repose sur {lo} à {hi} structures évaluatrices (détail au "
        "survol). Toujours issu du questionnaire partenaires.",
        "n = institutions rated; each mean rests on {lo} to {hi} rating institutions (details on hover). "
        "Always from the partner survey.",
    ),
    "network.trust.partner_note": (
        "La confiance et l'apport viennent toujours du questionnaire partenaires, quelle que soit la source "
        "des liens choisie.",
        "Trust and value always come from the partner survey, whatever the source of ties chosen.",
    ),
    # dyads
    "network.dyads.intro": (
        "Paires de structures qui se sont évaluées mutuellement avec au moins 2 niveaux d'écart sur l'échelle "
        "de collaboration (0 aucune relation à 5 collaboration) : l'une pense travailler étroitement avec "
        "l'autre, qui le voit moins. Ces écarts sont de bons points de départ pour un échange en comité.",
        "Pairs of institutions that rated each other at least 2 levels apart on the collaboration scale (0 no "
        "relationship to 5 collaboration): one thinks it works closely with the other, which sees it less so. "
        "These gaps are good starting points for a committee discussion.",
    ),
    "network.dyads.count": ("{n} paires", "{n} pairs"),
    # columns
    "network.col.institution": ("Structure", "Institution"),
    "network.col.institution_a": ("Structure A", "Institution A"),
    "network.col.institution_b": ("Structure B", "Institution B"),
    "network.col.sector": ("Secteur", "Sector"),
    "network.col.sector_a": ("Secteur A", "Sector A"),
    "network.col.sector_b": ("Secteur B", "Sector B"),
    "network.col.territory": ("Territoire", "Territory"),
    "network.col.partners": ("Partenaires", "Partners"),
    "network.col.sectors_linked": ("Autres secteurs", "Other sectors"),
    "network.col.betweenness": ("Part des chemins", "Share of paths"),
    "network.col.broker": ("Passerelle", "Broker"),
    "network.col.answered_in": ("A répondu en", "Answered in"),
    "network.col.absent_from": ("Absente en", "Missing in"),
    "network.col.a_rates_b": ("A évalue B", "A rates B"),
    "network.col.b_rates_a": ("B évalue A", "B rates A"),
    "network.col.gap": ("Écart", "Gap"),
    "network.col.trust_ab": ("Confiance A → B", "Trust A → B"),
    "network.col.trust_ba": ("Confiance B → A", "Trust B → A"),
    "network.yes": ("oui", "yes"),
    "network.no": ("non", "no"),
    # empty states
    "network.empty.no_ties": (
        "Aucun lien entre structures dans l'entrepôt : chargez le questionnaire partenaires (une ligne par "
        "structure, qui évalue chacune des autres) ou un questionnaire aux professionnels qui demande avec "
        "quelles structures ils ont travaillé, depuis la page « Charger une vague ».",
        "No tie between institutions in the warehouse: load the partner survey (one row per institution, "
        "rating each of the others) or a practitioner survey asking which institutions they worked with, from "
        "the “Load a wave” page.",
    ),
    "network.empty.no_source": (
        "Pas de données « {source} » pour la sélection : choisissez une autre source de liens ou élargissez "
        "les filtres.",
        "No “{source}” data for the selection: choose another source of ties or widen the filters.",
    ),
    "network.empty.no_network_wave": (
        "Pas de réseau en {wave} pour cette sélection (aucune réponse ni évaluation).",
        "No network in {wave} for this selection (no answer nor rating).",
    ),
    "network.empty.one_wave": (
        "Une seule vague sélectionnée : la stabilité des liens se calcule entre deux vagues. Élargissez la "
        "plage de vagues dans le panneau latéral (ou chargez une deuxième vague).",
        "A single wave is selected: tie stability is computed between two waves. Widen the range of waves in "
        "the sidebar (or load a second wave).",
    ),
    "network.empty.same_wave": (
        "La vague de départ et la vague d'arrivée sont identiques : choisissez deux vagues différentes dans le "
        "panneau latéral.",
        "The from and to waves are the same: choose two different waves in the sidebar.",
    ),
    "network.empty.no_common": (
        "Aucune structure n'a répondu à la fois en {a} et en {b} pour cette source : la stabilité ne peut pas "
        "être calculée.",
        "No institution answered both in {a} and in {b} for this source: stability cannot be computed.",
    ),
    "network.empty.no_change": ("Aucun lien dans cette catégorie.", "No tie in this category."),
    "network.empty.no_partner": (
        "Pas de questionnaire partenaires pour {wave} : la confiance, l'apport et les écarts d'appréciation "
        "viennent de ce questionnaire. Chargez-le depuis la page « Charger une vague ».",
        "No partner survey for {wave}: trust, value and disagreements come from that survey. Load it from the "
        "“Load a wave” page.",
    ),
    "network.empty.no_brokers": (
        "Aucune structure n'est sur un chemin entre deux autres (réseau complet ou sans lien).",
        "No institution lies on a path between two others (complete network or no ties).",
    ),
    "network.empty.no_dyads": (
        "Aucune paire de structures ne s'évalue avec 2 niveaux d'écart ou plus en {wave} : les perceptions concordent.",
        "No pair of institutions rates each other 2 or more levels apart in {wave}: perceptions agree.",
    ),
    "network.empty.warehouse": (
        "L'entrepôt ne contient encore aucune vague : chargez la liste des structures puis un questionnaire "
        "depuis la page « Charger une vague ».",
        "The warehouse holds no wave yet: load the institutions list then a survey from the “Load a wave” page.",
    ),
    "network.go_load": ("Charger une vague", "Load a wave"),
    # method
    "network.method": (
        "- {rule}. Le seuil se règle avec `tie_min_level` (défaut 2, coopération, échelle de Frey "
        "et al. 2006 : 0 aucune relation, 1 mise en réseau, 2 coopération, 3 coordination, 4 coalition, 5 "
        "collaboration).\n"
        "- **Structures du réseau** : celles qui ont répondu, et celles qu'une autre a évaluées ou citées. "
        "Une structure qui n'a pas répondu garde les liens que les autres déclarent vers elle, mais les siens "
        "ne sont pas observés : densité et réciprocité sont alors des minimums.\n"
        "- **Périmètre** : {scope}\n"
        "- **Confiance et apport** (1 à 4, à la manière de PARTNER) : moyennes des notes données par les "
        "autres structures, liées ou non.\n"
        "- Les indicateurs portent sur des organisations, pas sur des personnes : ils ne sont pas masqués "
        "sous 5 répondants. Définitions complètes : page « Indicateurs ».",
        "- {rule}. The threshold is set with `tie_min_level` (default 2, cooperation, on the Frey et "
        "al. 2006 scale: 0 none, 1 networking, 2 cooperation, 3 coordination, 4 coalition, 5 collaboration).\n"
        "- **Institutions in the network**: those that answered, and those another one rated or named. A "
        "non-responding institution keeps the ties others report towards it, but its own are unobserved: "
        "density and reciprocity are then lower bounds.\n"
        "- **Scope**: {scope}\n"
        "- **Trust and value** (1 to 4, PARTNER-style): means of the ratings given by the other "
        "institutions, tied or not.\n"
        "- These indicators are about organisations, not people: they are not hidden below 5 respondents. "
        "Full definitions: “Indicators” page.",
    ),
    "network.scope.pooled": (
        "un seul réseau pour l'ensemble du partenariat (les territoires sont des quartiers d'un même "
        "partenariat ; réglage `network_scope`).",
        "one network for the whole partnership (territories are neighbourhoods of one partnership; "
        "`network_scope` setting).",
    ),
    "network.scope.territory": (
        "un réseau par territoire (chaque territoire est un partenariat ; les liens entre territoires ne sont "
        "pas comptés ; réglage `network_scope`).",
        "one network per territory (each territory is a partnership; ties between territories are not "
        "counted; `network_scope` setting).",
    ),
    "network.too_many": (
        "La sélection compte {n} structures : au-delà de {max}, le graphe serait illisible. Choisissez un "
        "territoire ou un secteur dans le panneau latéral pour le dessiner ; les indicateurs ci-dessous portent "
        "sur toute la sélection.",
        "The selection holds {n} institutions: above {max} the graph would be unreadable. Choose a territory or a "
        "sector in the sidebar to draw it; the indicators below cover the whole selection.",
    ),
    # one institution's network (ego view)
    "network.section.ego": ("Le réseau d'une structure ({wave})", "One institution's network ({wave})"),
    "network.ego.intro": (
        "Choisissez une structure (ou cliquez sur elle dans le graphe) : ses partenaires, ce qu'elle déclare de "
        "chacun et ce que chacun déclare d'elle, et ce qui a changé depuis la vague précédente.",
        "Choose an institution (or click it in the graph): its partners, what it reports about each and what "
        "each reports about it, and what changed since the previous wave.",
    ),
    "network.ego.choose": ("Structure", "Institution"),
    "network.ego.placeholder": ("Choisir une structure…", "Choose an institution…"),
    "network.ego.partners": (
        "{name} ({sector}) a {partners} en {wave} (liens déclarés par elle : {out} ; vers elle : {into}).",
        "{name} ({sector}) has {partners} in {wave} (ties it reports: {out}; reported to it: {into}).",
    ),
    "network.ego.n_partners.one": ("{n} partenaire", "{n} partner"),
    "network.ego.n_partners.many": ("{n} partenaires", "{n} partners"),
    "network.ego.sectors.none": ("Tous relèvent de son secteur.", "All are in its own sector."),
    "network.ego.sectors.one": ("Parmi eux, des structures d'un autre secteur.",
                                "Among them, institutions of one other sector."),
    "network.ego.sectors.many": ("Parmi eux, des structures de {n} autres secteurs.",
                                 "Among them, institutions of {n} other sectors."),
    "network.ego.no_partner": (
        "{name} ({sector}) n'a aucun partenaire en {wave} selon la règle de lien choisie.",
        "{name} ({sector}) has no partner in {wave} under the chosen tie rule.",
    ),
    "network.ego.not_answered": (
        "Elle n'a pas répondu en {wave} : seuls les liens que les autres déclarent envers elle sont connus.",
        "It did not answer in {wave}: only the ties others report towards it are known.",
    ),
    "network.ego.trust": (
        "Confiance moyenne qu'elle accorde à ses partenaires : {given} ; qu'ils lui accordent : {received} "
        "(échelle 1 à 4).",
        "Mean trust it gives its partners: {given}; they give it: {received} (scale 1 to 4).",
    ),
    "network.ego.change": ("Depuis {prev} : {new}, {kept}, {lost}.", "Since {prev}: {new}, {kept}, {lost}."),
    "network.ego.n_new.one": ("{n} nouveau lien", "{n} new tie"),
    "network.ego.n_new.many": ("{n} nouveaux liens", "{n} new ties"),
    "network.ego.n_kept.one": ("{n} maintenu", "{n} kept"),
    "network.ego.n_kept.many": ("{n} maintenus", "{n} kept"),
    "network.ego.n_lost.one": ("{n} perdu", "{n} lost"),
    "network.ego.n_lost.many": ("{n} perdus", "{n} lost"),
    "network.ego.not_compared.one": (
        "{n} lien n'est pas comparé : l'une des deux structures n'a pas répondu à l'une des deux vagues.",
        "{n} tie is not compared: one of the two institutions did not answer one of the two waves.",
    ),
    "network.ego.not_compared.many": (
        "{n} liens ne sont pas comparés : l'une des deux structures n'a pas répondu à l'une des deux vagues.",
        "{n} ties are not compared: one of the two institutions did not answer one of the two waves.",
    ),
    "network.ego.none": (
        "Cette structure ne fait pas partie du réseau de {wave} pour cette sélection.",
        "This institution is not in the {wave} network for this selection.",
    ),
    "network.col.ego_answered": ("A répondu", "Answered"),
    "network.col.tie_out": ("Lien déclaré par elle", "Tie it reports"),
    "network.col.tie_in": ("Lien déclaré vers elle", "Tie reported to it"),
    "network.col.level_given": ("Niveau donné", "Level given"),
    "network.col.level_received": ("Niveau reçu", "Level received"),
    "network.col.trust_given": ("Confiance donnée", "Trust given"),
    "network.col.trust_received": ("Confiance reçue", "Trust received"),
    "network.col.value_given": ("Apport donné", "Value given"),
    "network.col.value_received": ("Apport reçu", "Value received"),
    "network.col.named_by_ego": ("Ses professionnels qui citent le partenaire", "Its practitioners naming the partner"),
    "network.col.named_by_partner": (
        "Professionnels du partenaire qui la citent", "The partner's practitioners naming it"
    ),
    "network.col.since": ("Depuis {prev}", "Since {prev}"),
    "network.ego.status.new": ("Nouveau", "New"),
    "network.ego.status.kept": ("Maintenu", "Kept"),
    "network.ego.status.lost": ("Perdu", "Lost"),
    "network.ego.status.not_compared": ("Non comparé", "Not compared"),
}
