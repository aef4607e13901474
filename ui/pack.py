"""The steering-committee pack: one zip with a PowerPoint deck (one slide per key chart, editable
title and footnote), the PNG and SVG of each chart, an XLSX workbook of the indicator tables with
a « Définitions » sheet from the catalogue, and a README of what is inside and how it was
computed. `maillage pack` and the dashboard's « Exporter pour le comité » page build the same
pack. Pure Python (no Streamlit)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import duckdb
import pandas as pd
import plotly.graph_objects as go

from indicators import exchanges, networks, overview, practice, quality, wellbeing
from indicators.catalogue import all_indicators
from indicators.filters import Filters
from ui import deck, exports
from ui import figures_exchanges as fx
from ui import figures_network as fn
from ui import figures_overview as fo
from ui import figures_practice as fp
from ui import figures_quality as fq
from ui import figures_wellbeing as fw
from ui.i18n import fmt_date, t


@dataclass(frozen=True)
class Context:
    conn: duckdb.DuckDBPyConnection
    filters: Filters
    lang: str
    waves: tuple[str, ...]
    wave_a: str | None
    wave_b: str
    filters_text: str


@dataclass
class Chart:
    """One slide: a figure, the indicators it shows (for the notes) and its table(s)."""

    key: str
    figure: go.Figure
    indicators: tuple[str, ...] = ()
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    id: str
    title_fr: str
    title_en: str
    default: bool
    charts: Callable[[Context], list[Chart]]

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_fr


# --- sections ----------------------------------------------------------------------------------


def _overview(c: Context) -> list[Chart]:
    trend = overview.headline_trend(c.conn, c.filters)
    return [
        Chart(
            "tendances",
            fo.headline_trend_figure(trend, c.lang, c.filters_text),
            ("overview.headline_change",),
            {"headline_trend": trend},
        )
    ]


def _practice(c: Context) -> list[Chart]:
    summary = practice.scale_summary(c.conn, c.filters)
    charts = [
        Chart(
            "pratiques",
            fp.scale_trend_figure(summary, c.lang, c.filters_text),
            ("practice.scale_mean",),
            {"practice_scale_means": summary},
        )
    ]
    if c.wave_a:
        panel = practice.panel_change(c.conn, c.filters, c.wave_a, c.wave_b)
        charts.append(
            Chart(
                "evolution-panel",
                fp.panel_change_figure(panel, c.lang, c.filters_text),
                ("practice.panel_change",),
                {"practice_panel_change": panel},
            )
        )
    return charts


def _practice_detail(c: Context) -> list[Chart]:
    gap = practice.level_gap(c.conn, c.filters)
    dist = practice.item_distribution(c.conn, c.filters, "network_practice")
    label = t("pack.scale.network_practice", c.lang)
    waves = [w for w in (c.wave_a, c.wave_b) if w]
    return [
        Chart(
            "ecart-strategique-operationnel",
            fp.level_gap_figure(gap, c.lang, c.filters_text),
            ("practice.level_gap",),
            {"practice_level_gap": gap},
        ),
        Chart(
            "items-pratiques-reseau",
            fp.likert_figure(dist, c.lang, c.filters_text, label, waves),
            ("practice.item_distribution",),
            {"practice_items_network": dist},
        ),
    ]


def _wellbeing(c: Context) -> list[Chart]:
    summary = wellbeing.wellbeing_summary(c.conn, c.filters)
    charts = [
        Chart(
            "bien-etre-seuils",
            fw.cutoff_trend_figure(summary, c.lang, c.filters_text),
            ("wellbeing.who5_poor_share", "wellbeing.cbi_high_share"),
            {"wellbeing_summary": summary},
        )
    ]
    if c.wave_a:
        panel = wellbeing.wellbeing_panel_change(c.conn, c.filters, c.wave_a, c.wave_b)
        charts.append(
            Chart(
                "bien-etre-evolution",
                fw.clinical_change_figure(panel, c.lang, c.filters_text),
                ("wellbeing.who5_clinical_change",),
                {"wellbeing_panel_change": panel},
            )
        )
    return charts


def _sector_labels(c: Context) -> dict[str, str]:
    rows = c.conn.execute("SELECT sector_id, label_fr, label_en FROM sectors ORDER BY sort_order").fetchall()
    return {sid: (en if c.lang == "en" else fr) for sid, fr, en in rows}


def _network(c: Context) -> list[Chart]:
    by_territory = networks.networks_by_territory()
    source: networks.Source = "partner_survey"
    trend = networks.network_trend(c.conn, c.filters, source=source, by_territory=by_territory)
    if trend.empty:
        return []
    labels = _sector_labels(c)
    institutions = c.conn.execute("SELECT institution_id, name, sector_id, territory FROM institutions").df()
    if c.filters.territories is not None:
        institutions = institutions[institutions["territory"].isin(list(c.filters.territories))]
    if c.filters.sectors is not None:
        institutions = institutions[institutions["sector_id"].isin(list(c.filters.sectors))]
    layout = fn.circle_layout(institutions, list(labels))
    drawing = networks.network_edges(c.conn, c.filters, c.wave_b, source, by_territory=by_territory)
    min_level = float(networks.tie_rule(source).min_level or 2)
    charts = [
        Chart(
            "reseau",
            fn.network_figure(
                drawing.edges,
                drawing.nodes,
                layout,
                c.lang,
                wave=c.wave_b,
                source=source,
                min_level=min_level,
                sector_labels=labels,
                filters=c.filters_text,
                height=900,
                width=1600,
            ),
            ("network.ties", "network.degree"),
            {"network_institutions": drawing.nodes},
        ),
        Chart(
            "reseau-indicateurs",
            fn.trend_figure(trend, c.lang, source=source, filters=c.filters_text),
            ("network.density", "network.reciprocity", "network.cross_sector_share"),
            {"network_by_wave": trend},
        ),
    ]
    if c.wave_a:
        stability = networks.tie_stability(c.conn, c.filters, c.wave_a, c.wave_b, source, by_territory=by_territory)
        charts.append(
            Chart(
                "reseau-stabilite",
                fn.stability_figure(stability.summary, c.lang, source=source, filters=c.filters_text),
                ("network.jaccard_stability", "network.new_lost_ties"),
                {
                    "network_stability": stability.summary,
                    "network_new_ties": stability.new_ties,
                    "network_lost_ties": stability.lost_ties,
                },
            )
        )
    return charts


def _exchanges(c: Context) -> list[Chart]:
    monthly = exchanges.activity_monthly(c.conn, c.filters)
    if monthly.empty:
        return []
    waves = c.conn.execute("SELECT wave_id, first_date, last_date FROM waves ORDER BY wave_order").df()
    shares = exchanges.activity_shares(c.conn, c.filters)
    months = fx.covered_months(monthly)
    return [
        Chart(
            "actions-par-mois",
            fx.monthly_figure(
                monthly, c.lang, filters=c.filters_text, waves=waves[waves["wave_id"].isin(list(c.waves))]
            ),
            ("exchanges.joint_actions_per_month",),
            {"exchanges_actions_by_month": monthly},
        ),
        Chart(
            "actions-16-18-parents",
            fx.audience_figure(shares, c.lang, filters=c.filters_text, months=months),
            ("exchanges.actions_16_18", "exchanges.parents_coorganised"),
            {"exchanges_action_shares": shares},
        ),
    ]


def _exchanges_detail(c: Context) -> list[Chart]:
    matrix = exchanges.survey_exchange_matrix(c.conn, c.filters)
    if matrix.empty:
        return []
    labels = _sector_labels(c)
    fig = fx.exchange_heatmap(
        matrix,
        c.lang,
        wave=c.wave_b,
        sector_labels=labels,
        sector_order=list(labels),
        filters=c.filters_text,
        min_group_size=c.filters.min_group_size,
    )
    monthly = exchanges.activity_monthly(c.conn, c.filters)
    shares = exchanges.activity_shares(c.conn, c.filters)
    return [
        Chart("echanges-secteurs", fig, ("exchanges.survey_frequency",), {"exchanges_survey_matrix": matrix}),
        Chart(
            "actions-multi-secteurs",
            fx.shares_figure(shares, c.lang, filters=c.filters_text, months=fx.covered_months(monthly)),
            ("exchanges.multi_sector_share", "exchanges.three_institution_share"),
            {},
        ),
    ]


def _quality(c: Context) -> list[Chart]:
    rates = quality.response_rates(c.conn, c.filters)
    reliability = quality.reliability(c.conn, c.filters)
    size = c.filters.min_group_size
    return [
        Chart(
            "taux-de-reponse",
            fq.response_rate_heatmap(rates, c.lang, c.filters_text, size),
            ("quality.response_rate",),
            {"quality_response_rates": rates},
        ),
        Chart(
            "fiabilite",
            fq.reliability_figure(reliability, c.lang, c.filters_text, size),
            ("quality.cronbach_alpha",),
            {"quality_reliability": reliability},
        ),
    ]


SECTIONS: list[Section] = [
    Section("overview", "Vue d'ensemble", "Overview", True, _overview),
    Section("practice", "Pratiques en réseau", "Network practice", True, _practice),
    Section(
        "practice_detail",
        "Pratiques : détail par item et par niveau",
        "Practice: items and levels",
        False,
        _practice_detail,
    ),
    Section("network", "Réseau inter-institutionnel", "Inter-institutional network", True, _network),
    Section("exchanges", "Échanges et actions communes", "Exchanges and joint actions", True, _exchanges),
    Section(
        "exchanges_detail",
        "Échanges : secteurs et actions multi-secteurs",
        "Exchanges: sectors",
        False,
        _exchanges_detail,
    ),
    Section("wellbeing", "Bien-être", "Wellbeing", True, _wellbeing),
    Section("quality", "Qualité des données", "Data quality", False, _quality),
]


def register(section: Section, after: str | None = None) -> None:
    """Add a section (the network, exchanges and quality sections register themselves here)."""
    ids = [s.id for s in SECTIONS]
    if section.id in ids:
        SECTIONS[ids.index(section.id)] = section
    elif after in ids:
        SECTIONS.insert(ids.index(after) + 1, section)
    else:
        SECTIONS.append(section)


def default_sections() -> list[str]:
    return [s.id for s in SECTIONS if s.default]


# --- building ----------------------------------------------------------------------------------


class PackError(ValueError):
    """The pack cannot be built as asked (unknown wave or section, no data)."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50] or "graphique"


def _filters_text(filters: Filters, waves: Sequence[str], lang: str) -> str:
    parts = [f"{t('filters.waves', lang)} {waves[0]}–{waves[-1]}"] if waves else []
    for key, values in (
        ("filters.territory", filters.territories),
        ("filters.sector", filters.sectors),
        ("filters.role", filters.roles),
        ("filters.level", filters.levels),
    ):
        if values:
            parts.append(f"{t(key, lang)}{' : ' if lang == 'fr' else ': '}{', '.join(values)}")
    return " · ".join(parts)


def context(conn: duckdb.DuckDBPyConnection, filters: Filters, lang: str) -> Context:
    """Check the request against the warehouse and resolve the waves to compare."""
    known = [r[0] for r in conn.execute("SELECT wave_id FROM waves ORDER BY wave_order").fetchall()]
    if not known:
        raise PackError(
            "The warehouse holds no wave yet: load survey waves first (maillage load), then build the pack."
        )
    if filters.waves is not None:
        unknown = [w for w in filters.waves if w not in known]
        if unknown:
            raise PackError(f"Unknown wave(s): {', '.join(unknown)}. Waves in the warehouse: {', '.join(known)}.")
        waves = tuple(w for w in known if w in filters.waves)
    else:
        waves = tuple(known)
    filters = replace(filters, waves=waves)
    n = conn.execute("SELECT count(*) FROM respondents WHERE list_contains(?, wave_id)", [list(waves)]).fetchall()[0][0]
    if filters.territories:
        terr = conn.execute(
            "SELECT count(*) FROM respondents WHERE list_contains(?, territory)", [list(filters.territories)]
        ).fetchall()[0][0]
        if not terr:
            raise PackError(
                f"No respondent in territory {', '.join(filters.territories)}: check its spelling "
                "(maillage status lists the data) or leave --territory out."
            )
    if not n:
        raise PackError(f"No respondent in wave(s) {', '.join(waves)}: nothing to put in the pack.")
    wave_a = waves[-2] if len(waves) > 1 else None
    return Context(conn, filters, lang, waves, wave_a, waves[-1], _filters_text(filters, waves, lang))


def _slide_figure(fig: go.Figure) -> go.Figure:
    """The chart for a slide: the slide carries the title and the footnote as editable text."""
    slide = go.Figure(fig, skip_invalid=True)
    slide.update_layout(title=None, margin={"t": 40, "b": 60})
    slide.layout.annotations = [a for a in slide.layout.annotations if a.name != "caption"]
    return slide


def _footnote(fig: go.Figure) -> str:
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    return str(meta.get("caption", "")).replace("<br>", "\n")


def _title(fig: go.Figure) -> str:
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    return str(meta.get("title", ""))


def _definitions(lang: str) -> pd.DataFrame:
    from ui.i18n import TEXTS

    def unit(code: str) -> str:  # the catalogue's units are English; ui/texts/catalogue.py has them in French
        key = f"catalogue.unit.{code}"
        return t(key, lang) if key in TEXTS else code

    rows = [
        {
            "id": i.id,
            "famille" if lang == "fr" else "family": i.family_in(lang),
            "titre" if lang == "fr" else "title": i.title_in(lang),
            "définition" if lang == "fr" else "definition": i.definition_in(lang),
            "formule" if lang == "fr" else "formula": i.formula_in(lang),
            "unité" if lang == "fr" else "unit": unit(i.unit),
            "sources": ", ".join(i.sources),
            "données manquantes" if lang == "fr" else "missing data": i.missing_data_in(lang),
            "précautions" if lang == "fr" else "caveats": i.caveats_in(lang),
        }
        for i in all_indicators()
    ]
    return pd.DataFrame(rows)


def _loads(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return conn.execute(
        "SELECT load_id, file_name, instrument, codebook_version, wave_id, rows_loaded, finished_at, file_sha256 "
        "FROM loads WHERE status = 'current' ORDER BY load_id"
    ).df()


def _readme(
    c: Context,
    sections: list[Section],
    charts: list[tuple[str, Chart]],
    version: str,
    loads: pd.DataFrame,
    seconds: float,
) -> str:
    fr = c.lang == "fr"
    lines = [
        "# Maillage — " + ("dossier pour le comité de pilotage" if fr else "steering committee pack"),
        "",
        (
            f"Produit le {fmt_date(dt.date.today(), 'fr')} à partir de l'entrepôt Maillage (version {version})."
            if fr
            else f"Made on {fmt_date(dt.date.today(), 'en')} from the Maillage warehouse (version {version})."
        ),
        ("Filtres : " if fr else "Filters: ") + c.filters_text,
        ("Comparaison : " if fr else "Comparison: ") + (f"{c.wave_a} → {c.wave_b}" if c.wave_a else c.wave_b),
        "",
        "## " + ("Contenu" if fr else "Contents"),
        "",
        "- `presentation.pptx` — "
        + (
            "une diapositive par graphique (titre et note modifiables, définition dans les notes de l'orateur)"
            if fr
            else "one slide per chart (editable title and footnote, definition in the speaker notes)"
        ),
        "- `graphiques/` — "
        + (
            "chaque graphique en PNG (16:9, 3200 × 1800) et en SVG"
            if fr
            else "each chart as PNG (16:9, 3200 × 1800) and SVG"
        ),
        "- `tableaux.xlsx` — "
        + (
            "les tableaux des indicateurs et une feuille « Définitions »"
            if fr
            else "the indicator tables and a “Définitions” sheet"
        ),
        "",
        "## Sections",
        "",
    ]
    for s in sections:
        names = [_title(ch.figure) for sid, ch in charts if sid == s.id]
        lines.append(f"- **{s.title(c.lang)}** : {' ; '.join(names) if names else '—'}")
    lines += [
        "",
        "## " + ("Méthode" if fr else "Method"),
        "",
        (
            "Les groupes de moins de {n} répondants ne sont jamais montrés ni exportés (ni un groupe qu'on pourrait "
            "en déduire). Les intervalles sont à 95 %. Les évolutions « panel » portent sur les mêmes personnes "
            "présentes aux deux vagues. Définitions complètes : feuille « Définitions » et docs/indicators.md."
            if fr
            else "Groups of fewer than {n} respondents are never shown or exported (nor a group that could be "
            "worked out from the others). Intervals are 95 %. “Panel” changes concern the same people in both "
            "waves. Full definitions: the “Définitions” sheet and docs/indicators.md."
        ).format(n=c.filters.min_group_size),
        "",
        "## " + ("Données utilisées" if fr else "Data used"),
        "",
        "| load | "
        + (
            "fichier | instrument | vague | lignes chargées | date"
            if fr
            else "file | instrument | wave | rows loaded | date"
        )
        + " |",
        "|---|---|---|---|---|---|",
    ]
    for r in loads.itertuples():
        lines.append(
            f"| {r.load_id} | {r.file_name} | {r.instrument}@{r.codebook_version} | {r.wave_id or '–'} | "
            f"{r.rows_loaded} | {r.finished_at:%d/%m/%Y %H:%M} |"
        )
    lines += ["", ("Construit en {s:.1f} s." if fr else "Built in {s:.1f} s.").format(s=seconds), ""]
    return "\n".join(lines)


def build_pack(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    lang: str = "fr",
    sections: Sequence[str] | None = None,
    progress: Callable[[float, str], None] | None = None,
    version: str = "",
) -> bytes:
    """The pack as zip bytes. `progress(fraction, message)` is called along the way."""
    import time

    started = time.perf_counter()
    say = progress or (lambda _f, _m: None)
    chosen_ids = list(sections) if sections else default_sections()
    known = {s.id: s for s in SECTIONS}
    unknown = [s for s in chosen_ids if s not in known]
    if unknown:
        raise PackError(f"Unknown section(s): {', '.join(unknown)}. Sections: {', '.join(known)}.")
    chosen = [known[s] for s in chosen_ids]
    ctx = context(conn, filters, lang)
    say(0.02, t("pack.progress.compute", lang))
    charts: list[tuple[str, Chart]] = []
    for i, section in enumerate(chosen):
        for chart in section.charts(ctx):
            charts.append((section.id, chart))
        say(0.05 + 0.35 * (i + 1) / len(chosen), section.title(lang))
    by_id = {ind.id: ind for ind in all_indicators()}
    slides: list[deck.Slide] = []
    files: dict[str, bytes] = {}
    say(0.4, t("pack.progress.draw", lang, n=3 * len(charts)))
    jobs: list[tuple[go.Figure, str]] = []
    for _sid, chart in charts:
        jobs += [(chart.figure, "png"), (chart.figure, "svg"), (_slide_figure(chart.figure), "png")]
    images = exports.images_batch(
        jobs, progress=lambda done, total: say(0.4 + 0.5 * done / total, t("pack.progress.draw", lang, n=total))
    )
    for i, (_sid, chart) in enumerate(charts):
        name = f"{i + 1:02d}-{_slug(chart.key)}"
        png, svg, picture = images[3 * i : 3 * i + 3]
        files[f"graphiques/{name}.png"] = png
        files[f"graphiques/{name}.svg"] = svg
        notes = "\n\n".join(
            f"{by_id[x].title_en if lang == 'en' else by_id[x].title_fr} — "
            f"{by_id[x].definition_en if lang == 'en' else by_id[x].definition_fr}"
            for x in chart.indicators
            if x in by_id
        )
        slides.append(deck.Slide(_title(chart.figure), picture, _footnote(chart.figure), notes))
    say(0.92, t("pack.progress.files", lang))
    tables: dict[str, pd.DataFrame] = {}
    for _sid, chart in charts:
        tables.update(chart.tables)
    tables["Définitions" if lang == "fr" else "Definitions"] = _definitions(lang)
    loads = _loads(conn)
    tables["Chargements" if lang == "fr" else "Loads"] = loads
    files["tableaux.xlsx"] = exports.xlsx_bytes(tables)
    title = t("pack.deck.title", lang)
    subtitle = f"{ctx.filters_text}\n{fmt_date(dt.date.today(), lang)} · Maillage"
    method = t("pack.deck.method", lang, n=ctx.filters.min_group_size)
    files["presentation.pptx"] = deck.build_deck(title, subtitle, slides, method)
    readme = _readme(ctx, chosen, charts, version, loads, time.perf_counter() - started)
    files["LISEZMOI.md" if lang == "fr" else "README.md"] = readme.encode("utf-8")
    buffer = io.BytesIO()
    folder = f"maillage-comite-{dt.date.today():%Y-%m-%d}" if lang == "fr" else f"maillage-committee-{dt.date.today()}"
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path, data in files.items():
            zf.writestr(f"{folder}/{path}", data)
    say(1.0, t("pack.progress.done", lang))
    return buffer.getvalue()
