"""Texts of the dashboard's frame: what the address asked and was ignored, the warehouse choice."""

TEXTS: dict[str, tuple[str, str]] = {
    "url.ignored.lang": (
        "Langue « {value} » inconnue dans l'adresse : la page est affichée en français (English : ?lang=en).",
        "Unknown language “{value}” in the address: the page is shown in French (English: ?lang=en).",
    ),
    "url.ignored.waves": (
        "Vagues « {value} » inconnues dans l'adresse : toutes les vagues sont affichées.",
        "Unknown waves “{value}” in the address: every wave is shown.",
    ),
    "url.ignored.a": (
        "Vague de départ « {value} » inconnue dans l'adresse : l'avant-dernière vague est comparée à la dernière.",
        "Unknown earlier wave “{value}” in the address: the last wave is compared with the one before.",
    ),
    "url.ignored.b": (
        "Vague d'arrivée « {value} » inconnue dans l'adresse : la dernière vague est affichée.",
        "Unknown later wave “{value}” in the address: the last wave is shown.",
    ),
    "url.ignored.territory.all": (
        "Territoire « {value} » inconnu dans l'adresse : tous les territoires sont affichés.",
        "Unknown territory “{value}” in the address: every territory is shown.",
    ),
    "url.ignored.territory.known": (
        "Territoire « {value} » inconnu dans l'adresse, ignoré : seuls les autres territoires demandés sont retenus.",
        "Unknown territory “{value}” in the address, ignored: only the other territories asked for are kept.",
    ),
    "url.ignored.sector.all": (
        "Secteur « {value} » inconnu dans l'adresse : tous les secteurs sont affichés.",
        "Unknown sector “{value}” in the address: every sector is shown.",
    ),
    "url.ignored.sector.known": (
        "Secteur « {value} » inconnu dans l'adresse, ignoré : seuls les autres secteurs demandés sont retenus.",
        "Unknown sector “{value}” in the address, ignored: only the other sectors asked for are kept.",
    ),
    "url.ignored.role.all": (
        "Fonction « {value} » inconnue dans l'adresse : toutes les fonctions sont affichées.",
        "Unknown role “{value}” in the address: every role is shown.",
    ),
    "url.ignored.role.known": (
        "Fonction « {value} » inconnue dans l'adresse, ignorée : seules les autres fonctions demandées sont retenues.",
        "Unknown role “{value}” in the address, ignored: only the other roles asked for are kept.",
    ),
    "url.ignored.level": (
        "Niveau « {value} » inconnu dans l'adresse : les deux niveaux sont affichés.",
        "Unknown level “{value}” in the address: both levels are shown.",
    ),
    "url.ignored.page": (
        "La page « {value} » n'existe pas : voici la vue d'ensemble. Les pages sont listées dans le panneau "
        "latéral.",
        "There is no page “{value}”: here is the overview. The pages are listed in the sidebar.",
    ),
    "url.ignored.page_editors": (
        "La page « {value} » est réservée aux personnes qui chargent les données : voici la vue d'ensemble.",
        "The page “{value}” is for editors only: here is the overview.",
    ),
    "app.warehouse": ("Entrepôt affiché", "Warehouse shown"),
    "app.warehouse_help": (
        "Les entrepôts de ce dossier : la démonstration et ceux créés depuis la page « Charger une vague ». "
        "Le choix vaut pour toutes les personnes qui consultent ce tableau de bord.",
        "The warehouses of this folder: the demonstration and those created from the “Load a wave” page. "
        "The choice holds for everyone who uses this dashboard.",
    ),
}
