"""Every word and number the dashboard and its exports show, in French (default) and English.

Pure Python (no Streamlit): figure builders and exports take `lang` explicitly. Add a text by
adding a key to TEXTS with both languages; `t(key, lang, **values)` formats it.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

LANGS = ("fr", "en")
NNBSP = "\u202f"  # narrow no-break space: French thousands separator (and before %)

TEXTS: dict[str, tuple[str, str]] = {
    # app frame
    "app.title": ("Maillage", "Maillage"),
    "app.tagline": (
        "Évaluer l'évolution des pratiques professionnelles en réseau",
        "Evaluating how professionals work together",
    ),
    "app.demo_banner": (
        "Données de démonstration : territoire fictif de Valmont. Pour vos propres données : page « Charger une "
        "vague », « Créer l'entrepôt de mon partenariat ». La démonstration reste disponible (« Entrepôt "
        "affiché », dans le panneau latéral).",
        "Demonstration data: the fictional territory of Valmont. For your own data: the “Load a wave” page, "
        "“Create my partnership's warehouse”. The demonstration stays available (“Warehouse shown”, in the "
        "sidebar).",
    ),
    "app.building_demo": (
        "Première ouverture : construction de l'entrepôt de démonstration…",
        "First start: building the demonstration warehouse…",
    ),
    "app.demo_built": ("Entrepôt de démonstration prêt.", "Demonstration warehouse ready."),
    "app.no_warehouse": (
        "Aucun entrepôt à {path}. Chargez votre liste de structures puis une vague depuis la page « Charger une "
        "vague » (l'entrepôt est alors créé), ou lancez `maillage demo` pour le territoire de démonstration.",
        "No warehouse at {path}. Load your institutions list then a wave from the “Load a wave” page (this "
        "creates the warehouse), or run `maillage demo` for the demonstration territory.",
    ),
    "app.outdated_warehouse": (
        "L'entrepôt {path} a été écrit par une autre version de Maillage. Mettez-le à jour avec "
        "`maillage init --db {path}` (ses données sont conservées), puis rechargez la page.",
        "The warehouse {path} was written by another version of Maillage. Bring it up to date with "
        "`maillage init --db {path}` (its data are kept), then reload the page.",
    ),
    "app.empty": (
        "L'entrepôt ne contient encore aucune vague. Chargez un export depuis la page « Charger une vague ».",
        "The warehouse holds no wave yet. Load an export from the “Load a wave” page.",
    ),
    "app.section.overview": ("Synthèse", "Summary"),
    "app.section.analysis": ("Analyses", "Analyses"),
    "app.section.data": ("Données", "Data"),
    "app.login_required": ("Connexion requise.", "Sign-in required."),
    "app.password": ("Mot de passe", "Password"),
    "app.wrong_password": ("Mot de passe incorrect.", "Wrong password."),
    "app.sign_in": ("Se connecter", "Sign in"),
    "access.not_listed": (
        "Le compte {email} n'a pas accès à ce tableau de bord. Demandez à la personne qui l'administre de "
        "l'ajouter à la liste des comptes autorisés.",
        "The account {email} has no access to this dashboard. Ask its administrator to add it to the list of "
        "allowed accounts.",
    ),
    "access.locked": (
        "Trop de mots de passe erronés depuis cette adresse : réessayez dans {minutes} minutes.",
        "Too many wrong passwords from this address: try again in {minutes} minutes.",
    ),
    "access.sign_out": ("Se déconnecter", "Sign out"),
    "access.signed_in_as": ("Connecté·e : {who}", "Signed in: {who}"),
    "access.role.viewer": ("consultation", "viewer"),
    "access.role.editor": ("chargement des données", "editor"),
    "access.editors_only": (
        "Seules les personnes habilitées à charger des données (rôle « chargement ») peuvent charger ou "
        "remplacer une vague.",
        "Only editors can load or replace a wave.",
    ),
    # pages
    "page.overview": ("Vue d'ensemble", "Overview"),
    "page.practice": ("Pratiques en réseau", "Network practice"),
    "page.network": ("Réseau inter-institutionnel", "Inter-institutional network"),
    "page.exchanges": ("Échanges", "Exchanges"),
    "page.wellbeing": ("Bien-être", "Wellbeing"),
    "page.quality": ("Qualité des données", "Data quality"),
    "page.load": ("Charger une vague", "Load a wave"),
    "page.indicators": ("Indicateurs", "Indicators"),
    # filters
    "filters.title": ("Filtres", "Filters"),
    "filters.waves": ("Vagues", "Waves"),
    "filters.compare": ("Comparer", "Compare"),
    "filters.wave_a": ("Vague de départ", "From wave"),
    "filters.wave_b": ("Vague d'arrivée", "To wave"),
    "filters.territory": ("Territoire", "Territory"),
    "filters.sector": ("Secteur", "Sector"),
    "filters.role": ("Fonction", "Role"),
    "filters.level": ("Niveau", "Level"),
    "filters.all": ("Tous", "All"),
    "filters.language": ("Langue", "Language"),
    "filters.privacy": (
        "Confidentialité : avec un filtre ou une répartition, seules comptent les combinaisons de territoire, "
        "secteur, fonction et niveau partagées par au moins {n} répondants ; les autres répondants ne sont "
        "comptés que dans les chiffres d'ensemble.",
        "Confidentiality: with a filter or a breakdown, only combinations of territory, sector, role and level "
        "shared by at least {n} respondents count; the other respondents count in the overall figures only.",
    ),
    "filters.share": (
        "L'adresse de la page garde la page et les filtres : copiez-la pour partager cette vue.",
        "The page address keeps the page and the filters: copy it to share this view.",
    ),
    "level.strategic": ("Stratégique", "Strategic"),
    "level.operational": ("Opérationnel", "Operational"),
    # common chart words
    "chart.n": ("n = {n}", "n = {n}"),
    "chart.respondents": ("{n} répondants", "{n} respondents"),
    "chart.source": ("Source : {source}", "Source: {source}"),
    "chart.made": ("Maillage, {date}", "Maillage, {date}"),
    "chart.filters": ("Filtres : {filters}", "Filters: {filters}"),
    "chart.suppressed": (
        "Groupes de moins de {n} répondants masqués ou regroupés (confidentialité)",
        "Groups of fewer than {n} respondents hidden or grouped (confidentiality)",
    ),
    "chart.privacy": (
        "Confidentialité : aucun groupe de moins de {n} répondants, combinaisons rares regroupées",
        "Confidentiality: no group of fewer than {n} respondents, rare combinations grouped",
    ),
    "chart.suppressed_cell": ("moins de {n} répondants", "fewer than {n} respondents"),
    "chart.wave": ("Vague", "Wave"),
    "chart.ci": ("IC 95 %", "95% CI"),
    "chart.mean": ("Moyenne", "Mean"),
    "chart.share": ("Part", "Share"),
    "chart.month": ("Mois", "Month"),
    "chart.no_data": ("Pas de données pour cette sélection.", "No data for this selection."),
    "chart.alt.expander": ("Ce graphique en texte et en tableau", "This chart as text and a table"),
    "chart.alt.chart": ("Graphique", "Chart"),
    "chart.alt.series": ("Série", "Series"),
    "chart.alt.category": ("Catégorie", "Category"),
    "chart.alt.value": ("Valeur", "Value"),
    "chart.alt.detail": ("Détail", "Detail"),
    "chart.alt.trend": ("de {first} ({a}) à {last} ({b})", "from {first} ({a}) to {last} ({b})"),
    "chart.alt.range": ("le plus haut {high} ({hv}), le plus bas {low} ({lv})",
                        "highest {high} ({hv}), lowest {low} ({lv})"),
    "chart.alt.highest": ("valeur la plus haute : {what} ({value})", "highest value: {what} ({value})"),
    "chart.alt.more": ("et {n} autres séries (voir le tableau)", "and {n} more series (see the table)"),
    "export.csv": ("CSV (Excel)", "CSV"),
    "export.xlsx": ("XLSX", "XLSX"),
    "export.html": ("HTML", "HTML"),
    "export.png": ("PNG", "PNG"),
    "export.svg": ("SVG", "SVG"),
    "export.download": ("Télécharger", "Download"),
    # sources
    "source.practitioner": ("questionnaire aux professionnels", "practitioner survey"),
    "source.partner": ("questionnaire aux partenaires", "partner survey"),
    "source.activities": ("journal des actions communes", "joint activity log"),
    "source.warehouse": ("entrepôt Maillage", "Maillage warehouse"),
}


def _merge_page_texts() -> None:
    import importlib
    import pkgutil

    import ui.texts

    for info in pkgutil.iter_modules(ui.texts.__path__):
        module = importlib.import_module(f"ui.texts.{info.name}")
        for key, value in getattr(module, "TEXTS", {}).items():
            if key in TEXTS and TEXTS[key] != value:
                raise KeyError(f"text key {key!r} is defined twice (ui/texts/{info.name}.py)")
            TEXTS[key] = value


_merge_page_texts()


def t(key: str, lang: str = "fr", **values: Any) -> str:
    """The text `key` in `lang`, with `{name}` placeholders filled."""
    fr, en = TEXTS[key]
    text = en if lang == "en" else fr
    return text.format(**values) if values else text


def is_missing(x: Any) -> bool:
    """None, pandas' NA or a NaN of any numeric type (what every figure and format treats as empty)."""
    if x is None or x is pd.NA:
        return True
    try:
        return bool(math.isnan(float(x)))
    except (TypeError, ValueError):
        return False


def fmt_number(x: Any, lang: str = "fr", decimals: int = 1) -> str:
    """1234.5 → '1 234,5' (fr, narrow no-break space) or '1,234.5' (en); missing → '–'."""
    if is_missing(x):
        return "–"
    text = f"{float(x):,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", NNBSP).replace(".", ",")


def fmt_int(x: Any, lang: str = "fr") -> str:
    return fmt_number(x, lang, 0)


def fmt_percent(share: Any, lang: str = "fr", decimals: int = 0) -> str:
    """0.256 → '26 %' (fr) or '26%' (en)."""
    if is_missing(share):
        return "–"
    number = fmt_number(float(share) * 100, lang, decimals)
    return f"{number}{NNBSP}%" if lang == "fr" else f"{number}%"


def fmt_signed(x: Any, lang: str = "fr", decimals: int = 1) -> str:
    """+0,4 / −0,4 (a real minus sign)."""
    if is_missing(x):
        return "–"
    sign = "+" if float(x) > 0 else ("−" if float(x) < 0 else "±")
    return sign + fmt_number(abs(float(x)), lang, decimals)


def fmt_date(d: dt.date | dt.datetime | None, lang: str = "fr") -> str:
    """26/11/2026 (fr) or 26 Nov 2026 (en)."""
    if d is None:
        return "–"
    return d.strftime("%d/%m/%Y") if lang == "fr" else d.strftime("%d %b %Y")


def plotly_separators(lang: str = "fr") -> str:
    """Plotly's `separators` layout value: decimal then thousands separator."""
    return ", " if lang == "fr" else ".,"


def today(lang: str = "fr") -> str:
    return fmt_date(dt.date.today(), lang)
