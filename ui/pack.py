"""The steering-committee pack: one zip with a PowerPoint deck (line and bar charts as native,
editable PowerPoint charts; a picture only for the network graph and heatmaps), an XLSX workbook
of the indicator tables in French with a « Définitions » sheet, the pictures as PNG (every chart as
PNG and SVG on request), and a README of what is inside and which loads were used.
`maillage pack` and the dashboard's « Exporter pour le comité » page build the same pack.

Each indicator family shows the latest wave that has its data (indicators.availability) and says
so when it is not the selected one; a comparison pairs two waves that both have the data; a
section without data is a text slide saying what is missing and when it was last available.
Pure Python (no Streamlit); respondent data only through the indicator functions.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go

from indicators import availability, exchanges, models, networks, overview, practice, quality, weights, wellbeing
from indicators import tie_formation as tf
from indicators.catalogue import all_indicators
from indicators.filters import Filters
from ui import deck, exports, workbook
from ui import figures_exchanges as fx
from ui import figures_network as fn
from ui import figures_overview as fo
from ui import figures_practice as fp
from ui import figures_quality as fq
from ui import figures_wellbeing as fw
from ui.events import Event, load_events, marks_for_months, marks_for_waves
from ui.i18n import fmt_date, fmt_int, fmt_number, fmt_percent, fmt_signed, t

RELIABILITY_THRESHOLD = 0.7  # Cronbach's alpha below which a scale's figures carry a warning


@dataclass(frozen=True)
class Context:
    conn: duckdb.DuckDBPyConnection
    filters: Filters
    lang: str
    waves: tuple[str, ...]
    wave_a: str | None
    wave_b: str
    filters_text: str
    events: tuple[Event, ...] = ()


@dataclass
class Chart:
    """One slide: a figure (drawn only when it is a picture, or on request), its native PowerPoint
    chart(s) when PowerPoint has an equivalent, or a text saying what is missing."""

    key: str
    figure: go.Figure | None
    indicators: tuple[str, ...] = ()
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    native: tuple[deck.NativeChart, ...] = ()
    notes: tuple[str, ...] = ()  # lines added to the footnote (waves shown, caveats, CI, events)
    missing: str = ""  # the text of a slide without data
    missing_title: str = ""
    alt: str = ""  # a picture's summary sentence (native charts make theirs from their data)
    caveats: bool = False  # the speaker notes add the catalogue's caveats after each definition

    @property
    def is_picture(self) -> bool:
        return not self.native and not self.missing and self.figure is not None


@dataclass(frozen=True)
class Section:
    id: str
    title_fr: str
    title_en: str
    default: bool
    charts: Callable[[Context], list[Chart]]

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_fr


# --- waves per family ----------------------------------------------------------------------------

SOURCE_KEY = {  # family → the data it needs, as the texts say it
    "practice": "practitioner",
    "wellbeing": "practitioner",
    "exchanges_survey": "practitioner",
    "response_rates": "practitioner",
    "network": "partner",
}


def _what(family: str, lang: str) -> str:
    return t(f"pack.data.{SOURCE_KEY.get(family, 'practitioner')}", lang)


def _shown_note(c: Context, family: str) -> tuple[str | None, str]:
    """The wave `family` shows and, when it is not the selected one, the sentence that says so."""
    shown = availability.shown_wave(c.conn, family, c.waves, c.wave_b)
    if not shown.differs or shown.shown is None:
        return shown.shown, ""
    return shown.shown, t("pack.shown.other", c.lang, what=_what(family, c.lang), shown=shown.shown, wave=c.wave_b)


def _pair_note(c: Context, family: str) -> tuple[availability.Pair, str]:
    pair = availability.compare_pair(c.conn, family, c.waves, c.wave_a, c.wave_b)
    if not pair.possible or not pair.differs:
        return pair, ""
    return pair, t("pack.pair.other", c.lang, a=pair.wave_a, b=pair.wave_b, what=_what(family, c.lang),
                   sa=c.wave_a, sb=c.wave_b)


def _missing(c: Context, family: str, key: str, title: str, indicators: tuple[str, ...] = ()) -> Chart:
    """A text slide: the selected wave lacks `family`'s data; when it was last available."""
    last = availability.latest_loaded(c.conn, family)
    what = _what(family, c.lang)
    text = t("pack.missing.wave", c.lang, what=what, wave=c.wave_b)
    text += " " + (t("pack.missing.last", c.lang, what=what, last=last) if last else t("pack.missing.never", c.lang,
                                                                                       what=what))
    return Chart(key, None, indicators, missing=text, missing_title=title)


def _no_pair(c: Context, family: str, key: str, title: str, indicators: tuple[str, ...] = ()) -> Chart:
    available = availability.waves_with(c.conn, family, c.waves)
    what = _what(family, c.lang)
    if not available:
        return _missing(c, family, key, title, indicators)
    text = t("pack.pair.none", c.lang, what=what, waves=", ".join(available))
    return Chart(key, None, indicators, missing=text, missing_title=title)


def _paired(c: Context, family: str, key: str, title: str, indicators: tuple[str, ...],
            chart: Callable[[str, str, str], Chart]) -> list[Chart]:
    """The slide that compares the two waves `family` can compare (``chart(wave_a, wave_b, note)``),
    or the slide that says why none can be compared; no slide when one wave only is selected."""
    if not c.wave_a:
        return []
    pair, note = _pair_note(c, family)
    if not pair.possible:
        return [_no_pair(c, family, key, title, indicators)]
    return [chart(str(pair.wave_a), str(pair.wave_b), note)]


# --- native chart data ---------------------------------------------------------------------------


def _num(x: Any) -> float | None:
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def _column(frame: pd.DataFrame, column: str, hidden: pd.Series | None = None) -> tuple[float | None, ...]:
    values = [_num(v) for v in frame[column]]
    if hidden is not None:
        values = [None if bool(h) else v for v, h in zip(values, hidden, strict=True)]
    return tuple(values)


def _label(row: Any, lang: str) -> str:
    return str(row["label_en"] if lang == "en" else row["label_fr"])


def _by_wave(frame: pd.DataFrame, key: str, waves: Sequence[str], value: str, low: str | None = None,
             high: str | None = None, label: Callable[[pd.DataFrame], str] | None = None) -> list[deck.Series]:
    """One series per `key` value, one value per wave (None where the wave has none or is hidden)."""
    out = []
    for _, part in frame.groupby(key, sort=False):
        by = part.set_index("wave_id")
        hidden = by["suppressed"].astype(bool) if "suppressed" in by else pd.Series(False, index=by.index)

        def pick(col: str, by: pd.DataFrame = by, hidden: pd.Series = hidden) -> tuple[float | None, ...]:
            return tuple(None if w not in by.index or bool(hidden.get(w)) else _num(by.at[w, col]) for w in waves)

        name = label(part) if label else str(part[key].iloc[0])
        out.append(deck.Series(name, pick(value), pick(low) if low else None, pick(high) if high else None))
    return out


def _waves_in(frame: pd.DataFrame) -> list[str]:
    return [str(w) for w in frame.sort_values("wave_order")["wave_id"].drop_duplicates()]


UNIT_FORMATS = {"share": "0%", "score_1_5": "0.00", "score_0_100": "0.0", "per_month": "0.0"}


def _ci_note(c: Context, series: Sequence[deck.Series], wave: str, fmt: str) -> str:
    """The 95 % interval of each series in `wave` (the bars on the chart), for the footnote."""
    parts = []
    for s in series:
        if s.low is None or s.high is None:
            continue
        i = -1
        value, low, high = s.values[i], s.low[i], s.high[i]
        if value is None or low is None or high is None:
            continue
        parts.append(f"{s.name} {_fmt(value, fmt, c.lang)} [{_fmt(low, fmt, c.lang)} ; {_fmt(high, fmt, c.lang)}]"
                     if c.lang == "fr" else f"{s.name} {_fmt(value, fmt, c.lang)} [{_fmt(low, fmt, c.lang)}, "
                     f"{_fmt(high, fmt, c.lang)}]")
    return t("pack.ci", c.lang, wave=wave, items=" · ".join(parts)) if parts else ""


def _fmt(value: float, fmt: str, lang: str) -> str:
    if fmt.endswith("%"):
        return fmt_percent(value, lang)
    decimals = len(fmt.split(".")[1]) if "." in fmt else 0
    return fmt_number(value, lang, decimals) if decimals else fmt_int(round(value), lang)


def summary_sentence(chart: deck.NativeChart, lang: str) -> str:
    """The chart in one sentence (its alt text): each series from its first to its last value."""
    parts = []
    cats = chart.categories
    for s in chart.series:
        points = [(cats[i], v) for i, v in enumerate(s.values) if v is not None]
        if not points:
            parts.append(f"{s.name} : —" if lang == "fr" else f"{s.name}: —")
        elif len(points) == 1 or chart.kind != "line":
            values = ", ".join(f"{k} {_fmt(v, chart.number_format, lang)}" for k, v in points[:6])
            parts.append(f"{s.name} : {values}" if lang == "fr" else f"{s.name}: {values}")
        else:
            (k0, v0), (k1, v1) = points[0], points[-1]
            a, b = _fmt(v0, chart.number_format, lang), _fmt(v1, chart.number_format, lang)
            parts.append(t("pack.alt.series", lang, name=s.name, a=a, ka=k0, b=b, kb=k1))
    return " ; ".join(parts) + "."


# --- sections ------------------------------------------------------------------------------------


def _overview(c: Context) -> list[Chart]:
    trend = overview.headline_trend(c.conn, c.filters)
    waves = _waves_in(trend) if not trend.empty else []
    charts = []
    for _indicator, part in trend.groupby("indicator", sort=False):
        unit = str(part["unit"].iloc[0])
        name = fo.headline_label(part.iloc[0], c.lang)
        series = [replace(s, name=name) for s in _by_wave(part, "indicator", waves, "value", "ci_low", "ci_high")]
        charts.append(deck.NativeChart("line", tuple(waves), tuple(series), UNIT_FORMATS.get(unit, "0.00"),
                                       title=name, legend=False,
                                       minimum=0 if unit == "share" else None,
                                       marks=marks_for_waves(c.events, waves, c.conn, c.lang)))
    notes = [t("pack.bars_ci", c.lang)]
    if waves:  # the practice headlines whose items a codebook version changed
        notes.append(_item_changes_note(c, waves, trend["indicator"].unique()))
    for family in ("practice", "network"):
        _, note = _shown_note(c, family)
        if note:
            notes.append(note)
    figure = fo.headline_trend_figure(trend, c.lang, c.filters_text, marks_for_waves(c.events, waves, c.conn, c.lang))
    return [Chart("tendances", figure, ("overview.headline_change",),
                  {"headline_trend": trend}, tuple(charts), tuple(notes))]


def _scale_series(c: Context, summary: pd.DataFrame, waves: Sequence[str]) -> list[deck.Series]:
    return _by_wave(summary, "scale_id", waves, "mean", "ci_low", "ci_high", label=lambda p: _label(p.iloc[0], c.lang))


def _reliability_note(c: Context, scales: Sequence[str] | None = None) -> str:
    """The scales whose Cronbach's alpha is below 0.7 in a wave shown (the figures' warning)."""
    alpha = quality.reliability(c.conn, c.filters)
    if alpha.empty:
        return ""
    low = alpha[(~alpha["suppressed"].astype(bool)) & (pd.to_numeric(alpha["alpha"]) < RELIABILITY_THRESHOLD)]
    if scales is not None:
        low = low[low["scale_id"].isin(list(scales))]
    if low.empty:
        return ""
    names = sorted({_label(r, c.lang) for _, r in low.iterrows()})
    return t("pack.low_alpha", c.lang, scales=", ".join(names), threshold=fmt_number(RELIABILITY_THRESHOLD, c.lang, 1))


def _practice(c: Context) -> list[Chart]:
    summary = practice.scale_summary(c.conn, c.filters)
    title = t("pr.fig.trend.title", c.lang) if "pr.fig.trend.title" in _texts() else ""
    if summary.empty:
        return [_missing(c, "practice", "pratiques", title or t("pack.section.practice", c.lang),
                         ("practice.scale_mean",))]
    waves = _waves_in(summary)
    series = _scale_series(c, summary, waves)
    native = deck.NativeChart("line", tuple(waves), tuple(series), "0.00", axis_title=t("pack.axis.score_1_5", c.lang),
                              minimum=1, maximum=5, marks=marks_for_waves(c.events, waves, c.conn, c.lang))
    notes = [t("pack.bars_ci", c.lang), _ci_note(c, series, waves[-1], "0.00"), _reliability_note(c),
             _item_changes_note(c, waves, summary["scale_id"].unique()), _shown_note(c, "practice")[1],
             *_model_notes(c, "practice", tuple(dict.fromkeys(summary["scale_id"].astype(str))), 2)]
    charts = [Chart("pratiques", fp.scale_trend_figure(summary, c.lang, c.filters_text),
                    ("practice.scale_mean", "practice.repeated_measures_change"),
                    {"practice_scale_means": summary}, (native,), tuple(notes))]
    charts += _paired(c, "practice", "evolution-panel", t("pack.title.panel", c.lang), ("practice.panel_change",),
                      lambda a, b, note: _panel_chart(c, practice.panel_change(c.conn, c.filters, a, b), note))
    return charts


def _panel_chart(c: Context, panel: pd.DataFrame, note: str) -> Chart:
    figure = fp.panel_change_figure(panel, c.lang, c.filters_text)
    if panel.empty or panel["suppressed"].all():
        return Chart("evolution-panel", None, ("practice.panel_change",),
                     missing=t("pack.panel.hidden", c.lang, n=c.filters.min_group_size),
                     missing_title=_meta(figure, "title"))
    shown = panel[~panel["suppressed"].astype(bool)]
    cats = tuple(_label(r, c.lang) for _, r in shown.iterrows())
    series = deck.Series(t("pack.series.mean_diff", c.lang), _column(shown, "mean_diff"),
                         _column(shown, "ci_low"), _column(shown, "ci_high"))
    native = deck.NativeChart("bar", cats, (series,), "+0.00;-0.00;0.00", axis_title=t("pack.axis.diff", c.lang),
                              labels=True, legend=False)
    n_line = " · ".join(
        f"{_label(r, c.lang)} : n = {fmt_int(r['n_pairs'], c.lang)}, IC [{fmt_number(r['ci_low'], c.lang, 2)} ; "
        f"{fmt_number(r['ci_high'], c.lang, 2)}]" if c.lang == "fr" else
        f"{_label(r, c.lang)}: n = {fmt_int(r['n_pairs'], c.lang)}, CI [{fmt_number(r['ci_low'], c.lang, 2)}, "
        f"{fmt_number(r['ci_high'], c.lang, 2)}]"
        for _, r in shown.iterrows()
    )
    return Chart("evolution-panel", figure, ("practice.panel_change",), {"practice_panel_change": panel}, (native,),
                 (n_line, fp.items_compared_text(panel, c.lang), _reliability_note(c, list(shown["scale_id"])), note))


def _item_changes_note(c: Context, waves: Sequence[str], scales: Sequence[str]) -> str:
    """The items a codebook version added or dropped in the waves shown (the slide says that each
    wave is shown on its own items and changes are computed on the common ones)."""
    return fp.item_changes_text(practice.item_set_changes(c.conn, tuple(waves), tuple(str(x) for x in scales)), c.lang)


def _practice_detail(c: Context) -> list[Chart]:
    gap = practice.level_gap(c.conn, c.filters)
    waves = [w for w in (c.wave_a, c.wave_b) if w]
    shown, note = _shown_note(c, "practice")
    if shown and shown != c.wave_b:
        pair = availability.compare_pair(c.conn, "practice", c.waves, c.wave_a, c.wave_b)
        waves = [w for w in (pair.wave_a, pair.wave_b) if w]
    dist = practice.item_distribution(c.conn, replace(c.filters, waves=tuple(waves)), "network_practice")
    label = t("pack.scale.network_practice", c.lang)
    charts = []
    gap_figure = fp.level_gap_figure(gap, c.lang, c.filters_text)
    if "gap" in gap.columns and not gap.empty:
        gw = _waves_in(gap)
        series = _by_wave(gap, "scale_id", gw, "gap", "ci_low", "ci_high", label=lambda p: _label(p.iloc[0], c.lang))
        native = (deck.NativeChart("line", tuple(gw), tuple(series), "+0.00;-0.00;0.00",
                                   axis_title=t("pack.axis.gap", c.lang)),)
        charts.append(Chart("ecart-strategique-operationnel", gap_figure, ("practice.level_gap",),
                            {"practice_level_gap": gap}, native, (t("pack.bars_ci", c.lang), note)))
    else:
        charts.append(Chart("ecart-strategique-operationnel", gap_figure, ("practice.level_gap",),
                            {"practice_level_gap": gap}))
    charts.append(Chart("items-pratiques-reseau", fp.likert_figure(dist, c.lang, c.filters_text, label, waves),
                        ("practice.item_distribution",), {"practice_items_network": dist}, notes=(note,)))
    return charts


def _wellbeing(c: Context) -> list[Chart]:
    summary = wellbeing.wellbeing_summary(c.conn, c.filters)
    figure = fw.cutoff_trend_figure(summary, c.lang, c.filters_text)
    if summary.empty:
        return [_missing(c, "wellbeing", "bien-etre-seuils", _meta(figure, "title"),
                         ("wellbeing.who5_poor_share", "wellbeing.cbi_high_share"))]
    waves = _waves_in(summary)
    series = []
    for measure, scale in (("who5_poor", "who5"), ("who5_depression", "who5"), ("cbi_high", "cbi_work")):
        part = summary[summary["scale_id"] == scale]
        found = _by_wave(part, "scale_id", waves, f"{measure}_share", f"{measure}_ci_low", f"{measure}_ci_high")
        for s in found:
            series.append(replace(s, name=fw.measure_label(f"{measure}_share", c.lang)))
    native = deck.NativeChart("line", tuple(waves), tuple(series), "0%", axis_title=t("pack.axis.share", c.lang),
                              minimum=0, marks=marks_for_waves(c.events, waves, c.conn, c.lang))
    notes = (t("pack.bars_ci", c.lang), _ci_note(c, series, waves[-1], "0%"), t("pack.who5_screening", c.lang),
             _shown_note(c, "wellbeing")[1],
             *_model_notes(c, "wellbeing", tuple(dict.fromkeys(summary["scale_id"].astype(str))), 1))
    charts = [Chart("bien-etre-seuils", figure, ("wellbeing.who5_poor_share", "wellbeing.cbi_high_share",
                                                 "practice.repeated_measures_change"),
                    {"wellbeing_summary": summary}, (native,), notes)]
    charts += _paired(
        c, "wellbeing", "bien-etre-evolution", t("pack.title.wb_panel", c.lang), ("wellbeing.who5_clinical_change",),
        lambda a, b, note: _clinical_chart(c, wellbeing.wellbeing_panel_change(c.conn, c.filters, a, b), note))
    return charts


def _model_notes(c: Context, family: str, scales: Sequence[str], decimals: int) -> list[str]:
    """The repeated-measures model's change between the two waves compared (the primary trend
    estimate) for a trend slide's footnote, with the fallback sentences; nothing for one wave."""
    if not c.wave_a:
        return []
    pair = availability.compare_pair(c.conn, family, c.waves, c.wave_a, c.wave_b)
    if not pair.possible or pair.wave_a is None or pair.wave_b is None:
        return []
    a, b = str(pair.wave_a), str(pair.wave_b)
    rm = models.repeated_measures(c.conn, c.filters)
    if fp.model_hidden(rm.models, scales):
        return [t("pack.model.hidden", c.lang, n=c.filters.min_group_size)]
    labels = dict(zip(rm.models["scale_id"], rm.models[fp.label_column(c.lang)], strict=True))
    items = []
    for scale_id in scales:
        row = rm.changes[(rm.changes["scale_id"] == scale_id) & (rm.changes["wave_a"] == a)
                         & (rm.changes["wave_b"] == b)]
        if row.empty or bool(row["suppressed"].iloc[0]) or pd.isna(row["change"].iloc[0]):
            continue
        r = row.iloc[0]
        items.append(t("pack.model.item", c.lang, scale=labels.get(scale_id, scale_id),
                       change=fmt_signed(r["change"], c.lang, decimals),
                       low=fmt_signed(r["ci_low"], c.lang, decimals), high=fmt_signed(r["ci_high"], c.lang,
                                                                                              decimals)))
    if not items:
        return [t("pack.model.hidden", c.lang, n=c.filters.min_group_size)]
    return [t("pack.model.note", c.lang, a=a, b=b, items=" · ".join(items)), *fp.model_notes(rm.models, c.lang, scales)]


def _clinical_chart(c: Context, panel: pd.DataFrame, note: str) -> Chart:
    figure = fw.clinical_change_figure(panel, c.lang, c.filters_text)
    who5 = panel[(panel["scale_id"] == "who5") & ~panel["suppressed"].astype(bool)] if not panel.empty else panel
    if who5.empty or _num(who5["share_improved_clinical"].iloc[0]) is None:
        return Chart("bien-etre-evolution", None, ("wellbeing.who5_clinical_change",),
                     missing=t("pack.panel.hidden", c.lang, n=c.filters.min_group_size),
                     missing_title=_meta(figure, "title"))
    r = who5.iloc[0]
    worse, better = float(r["share_worsened_clinical"]), float(r["share_improved_clinical"])
    names = [str(tr.name) for tr in figure.data if isinstance(tr, go.Bar)][-3:]
    values = (worse, max(1.0 - worse - better, 0.0), better)
    series = tuple(deck.Series(name, (v,)) for name, v in zip(names, values, strict=True))
    native = deck.NativeChart("bar_stacked_100", (t("wb.scale.who5", c.lang),), series, "0%", labels=True)
    ci = t("pack.clinical_ci", c.lang, n=fmt_int(r["n_pairs"], c.lang),
           worse=fmt_percent(worse, c.lang), wl=fmt_percent(r["worsened_ci_low"], c.lang),
           wh=fmt_percent(r["worsened_ci_high"], c.lang), better=fmt_percent(better, c.lang),
           bl=fmt_percent(r["improved_ci_low"], c.lang), bh=fmt_percent(r["improved_ci_high"], c.lang))
    return Chart("bien-etre-evolution", figure, ("wellbeing.who5_clinical_change",), {"wellbeing_panel_change": panel},
                 (native,), (ci, note))


def _sector_labels(c: Context) -> dict[str, str]:
    rows = c.conn.execute("SELECT sector_id, label_fr, label_en FROM sectors ORDER BY sort_order").fetchall()
    return {sid: (en if c.lang == "en" else fr) for sid, fr, en in rows}


def _network(c: Context) -> list[Chart]:
    by_territory = networks.networks_by_territory()
    source: networks.Source = "partner_survey"
    graph_title = t("pack.title.network", c.lang)
    ids = ("network.ties", "network.degree")
    trend = networks.network_trend(c.conn, c.filters, source=source, by_territory=by_territory)
    if trend.empty:
        return [_missing(c, "network", "reseau", graph_title, ids)]
    shown, shown_note = _shown_note(c, "network")
    wave = shown or c.wave_b
    labels = _sector_labels(c)
    institutions = c.conn.execute("SELECT institution_id, name, sector_id, territory FROM institutions").df()
    if c.filters.territories is not None:
        institutions = institutions[institutions["territory"].isin(list(c.filters.territories))]
    if c.filters.sectors is not None:
        institutions = institutions[institutions["sector_id"].isin(list(c.filters.sectors))]
    layout = fn.circle_layout(institutions, list(labels))
    drawing = networks.network_edges(c.conn, c.filters, wave, source, by_territory=by_territory)
    min_level = float(networks.tie_rule(source).min_level or 2)
    coverage = _coverage_note(c, trend, wave)
    charts = []
    if drawing.edges.empty:
        charts.append(_missing(c, "network", "reseau", graph_title, ids))
    else:
        figure = fn.network_figure(drawing.edges, drawing.nodes, layout, c.lang, wave=wave, source=source,
                                   min_level=min_level, sector_labels=labels, filters=c.filters_text, height=900,
                                   width=1600)
        charts.append(Chart("reseau", figure, ids, {"network_institutions": drawing.nodes},
                            notes=(coverage, shown_note), alt=_network_alt(c, trend, wave)))
    charts.append(_network_trend_chart(c, trend, source))
    charts += _paired(
        c, "network", "reseau-stabilite", t("pack.title.stability", c.lang),
        ("network.jaccard_stability", "network.new_lost_ties"),
        lambda a, b, note: _stability_chart(
            c, networks.tie_stability(c.conn, c.filters, a, b, source, by_territory=by_territory), source, note))
    charts.append(_tie_formation_chart(c, by_territory))
    return charts


def _tie_formation_chart(c: Context, by_territory: bool) -> Chart:
    """Do joint actions create ties? The odds ratios of forming and keeping a tie for the pairs
    that acted together, with their intervals as error bars; a text slide without an estimate."""
    ids = ("network.tie_formation",)
    result = tf.tie_formation(c.conn, c.filters, by_territory=by_territory)
    effects = result.effects
    figure = fn.tie_formation_figure(effects, c.lang, c.filters_text)
    if not fn.tie_formation_estimated(effects):
        text = " ".join([t("tie.none", c.lang), *fn.tie_formation_sentences(effects, c.lang)])
        return Chart("liens-actions-communes", None, ids, missing=text, missing_title=t("tie.section", c.lang),
                     caveats=True)
    shown = effects[pd.to_numeric(effects["odds_ratio"], errors="coerce").notna()]
    cats = tuple(t(f"tie.effect.{e}", c.lang) for e in shown["effect"])
    series = deck.Series(t("tie.col.or", c.lang), _column(shown, "odds_ratio"), _column(shown, "or_ci_low"),
                         _column(shown, "or_ci_high"))
    native = deck.NativeChart("bar", cats, (series,), "0.00", axis_title=t("tie.col.or", c.lang), minimum=0,
                              labels=True, legend=False)
    return Chart("liens-actions-communes", figure, ids, {}, (native,),
                 (*fn.tie_formation_sentences(effects, c.lang), t("tie.caveat", c.lang)), caveats=True)


def _coverage_note(c: Context, trend: pd.DataFrame, wave: str) -> str:
    """How many institutions answered the partner survey in `wave` (a network's coverage)."""
    row = trend[(trend["wave_id"] == wave) & trend["territory"].isna()]
    if row.empty:
        row = trend[trend["wave_id"] == wave]
    if row.empty:
        return ""
    r = row.iloc[0]
    return t("pack.coverage", c.lang, wave=wave, n=fmt_int(r["n"], c.lang), nodes=fmt_int(r["nodes"], c.lang),
             share=fmt_percent(r["coverage"], c.lang))


def _network_alt(c: Context, trend: pd.DataFrame, wave: str) -> str:
    row = trend[(trend["wave_id"] == wave) & trend["territory"].isna()]
    if row.empty:
        return ""
    r = row.iloc[0]
    return t("pack.alt.network", c.lang, wave=wave, nodes=fmt_int(r["nodes"], c.lang), n=fmt_int(r["n"], c.lang),
             ties=fmt_int(r["ties"], c.lang), density=fmt_percent(r["density"], c.lang),
             cross=fmt_percent(r["cross_sector_share"], c.lang))


NETWORK_METRICS = (("density", "0%"), ("reciprocity", "0%"), ("degree_centralization", "0.00"),
                   ("cross_sector_share", "0%"), ("mean_level", "0.00"), ("coverage", "0%"))


def _network_trend_chart(c: Context, trend: pd.DataFrame, source: str) -> Chart:
    waves = _waves_in(trend)
    whole = trend[trend["territory"].isna()] if trend["territory"].isna().any() else trend
    charts = []
    for metric, fmt in NETWORK_METRICS:
        series = []
        for territory, part in whole.groupby(whole["territory"].fillna(""), sort=False):
            by = part.set_index("wave_id")
            name = str(territory) or t("network.all_territories", c.lang)
            series.append(deck.Series(name, tuple(_num(by.at[w, metric]) if w in by.index else None for w in waves)))
        charts.append(deck.NativeChart("line", tuple(waves), tuple(series), fmt,
                                       title=t(f"network.metric.{metric}", c.lang), legend=False, minimum=0,
                                       marks=marks_for_waves(c.events, waves, c.conn, c.lang)))
    n_line = t("pack.network_n", c.lang, items=" · ".join(
        f"{r.wave_id} : {fmt_int(r.n, c.lang)}/{fmt_int(r.nodes, c.lang)}" for r in whole.itertuples()))
    figure = fn.trend_figure(trend, c.lang, source=source, filters=c.filters_text)
    return Chart("reseau-indicateurs", figure, ("network.density", "network.reciprocity", "network.cross_sector_share"),
                 {"network_by_wave": trend}, tuple(charts), (n_line, _shown_note(c, "network")[1]))


def _stability_chart(c: Context, stability: Any, source: str, note: str) -> Chart:
    summary = stability.summary
    figure = fn.stability_figure(summary, c.lang, source=source, filters=c.filters_text)
    ids = ("network.jaccard_stability", "network.new_lost_ties")
    tables = {"network_stability": summary, "network_new_ties": stability.new_ties,
              "network_lost_ties": stability.lost_ties}
    if summary.empty or int(pd.to_numeric(summary["n"], errors="coerce").fillna(0).sum()) == 0:
        return Chart("reseau-stabilite", None, ids, missing=t("pack.stability.none", c.lang),
                     missing_title=_meta(figure, "title"))
    cats = tuple(t("network.all_territories", c.lang) if pd.isna(x) else str(x) for x in summary["territory"])
    names = [str(tr.name) for tr in figure.data if isinstance(tr, go.Bar)]
    series = tuple(deck.Series(name, _column(summary, col)) for name, col in zip(names, ("n11", "n10", "n01"),
                                                                                 strict=True))
    native = deck.NativeChart("bar_stacked", cats, series, "0", labels=True)
    jaccard = " · ".join(f"{cat} : Jaccard {fmt_number(j, c.lang, 2)}, n = {fmt_int(n, c.lang)}" if c.lang == "fr"
                         else f"{cat}: Jaccard {fmt_number(j, c.lang, 2)}, n = {fmt_int(n, c.lang)}"
                         for cat, j, n in zip(cats, summary["jaccard"], summary["n"], strict=True))
    return Chart("reseau-stabilite", figure, ids, tables, (native,), (jaccard, note))


def _exchanges(c: Context) -> list[Chart]:
    monthly = exchanges.activity_monthly(c.conn, c.filters)
    ids = ("exchanges.joint_actions_per_month",)
    if monthly.empty:
        return [Chart("actions-par-mois", None, ids, missing=_no_log(c), missing_title=t("pack.title.monthly", c.lang))]
    waves = c.conn.execute("SELECT wave_id, first_date, last_date FROM waves ORDER BY wave_order").df()
    shares = exchanges.activity_shares(c.conn, c.filters)
    months = fx.covered_months(monthly)
    month_marks = marks_for_months(c.events, list(monthly["month"]), c.lang)
    figure = fx.monthly_figure(monthly, c.lang, filters=c.filters_text,
                               waves=waves[waves["wave_id"].isin(list(c.waves))], events=month_marks)
    cats = tuple(fx.month_label(m, c.lang) for m in monthly["month"])
    multi = _column(monthly, "multi_sector")
    single = tuple(None if a is None or m is None else a - m
                   for a, m in zip(_column(monthly, "actions"), multi, strict=True))
    series = (deck.Series(t("exchanges.fig.monthly.multi", c.lang), multi),
              deck.Series(t("exchanges.fig.monthly.single", c.lang), single))
    native = deck.NativeChart("column_stacked", cats, series, "0", axis_title=t("pack.axis.actions", c.lang),
                              marks=month_marks)
    span = t("pack.log_span", c.lang, start=cats[0], end=cats[-1], n=fmt_int(int(monthly["actions"].sum()), c.lang))
    charts = [Chart("actions-par-mois", figure, ids, {"exchanges_actions_by_month": monthly}, (native,), (span,))]
    periods = shares.sort_values("period")
    pcats = tuple(_period(p, months, n, c.lang) for p, n in zip(periods["period"], periods["actions"], strict=True))
    aseries = (deck.Series(t("pack.series.youth", c.lang), _column(periods, "for_16_18")),
               deck.Series(t("pack.series.parents", c.lang), _column(periods, "parents_coorganised")))
    anative = deck.NativeChart("column", pcats, aseries, "0", axis_title=t("pack.axis.actions", c.lang), labels=True)
    share_line = " · ".join(
        f"{cat} : {fmt_percent(y, c.lang)} / {fmt_percent(p, c.lang)}" for cat, y, p in
        zip(pcats, periods["share_16_18"], periods["share_parents_coorganised"], strict=True))
    charts.append(Chart("actions-16-18-parents", fx.audience_figure(shares, c.lang, filters=c.filters_text,
                                                                    months=months),
                        ("exchanges.actions_16_18", "exchanges.parents_coorganised"),
                        {"exchanges_action_shares": shares}, (anative,), (t("pack.shares_line", c.lang,
                                                                               items=share_line),)))
    return charts


def _period(period: Any, months: dict[str, int], n: Any, lang: str) -> str:
    label = fx.period_label(period, lang)
    m = months.get(str(period))
    extra = f" {t('exchanges.fig.months', lang, m=m)}" if m and m < 6 else ""
    return f"{label}{extra} · n = {fmt_int(n, lang)}"


def _no_log(c: Context) -> str:
    span = availability.activity_span(c.conn)
    if span is None:
        return t("pack.missing.no_log", c.lang)
    return t("pack.missing.log_selection", c.lang, start=fx.month_label(span.first_month, c.lang),
             end=fx.month_label(span.last_month, c.lang))


def _exchanges_detail(c: Context) -> list[Chart]:
    matrix = exchanges.survey_exchange_matrix(c.conn, c.filters)
    charts = []
    title = t("pack.title.exchange_matrix", c.lang)
    shown, note = _shown_note(c, "exchanges_survey")
    if matrix.empty or shown is None:
        charts.append(_missing(c, "exchanges_survey", "echanges-secteurs", title, ("exchanges.survey_frequency",)))
    else:
        labels = _sector_labels(c)
        fig = fx.exchange_heatmap(matrix, c.lang, wave=shown, sector_labels=labels, sector_order=list(labels),
                                  filters=c.filters_text, min_group_size=c.filters.min_group_size)
        charts.append(Chart("echanges-secteurs", fig, ("exchanges.survey_frequency",),
                            {"exchanges_survey_matrix": matrix}, notes=(note,)))
    monthly = exchanges.activity_monthly(c.conn, c.filters)
    ids = ("exchanges.multi_sector_share", "exchanges.three_institution_share")
    if monthly.empty:
        charts.append(Chart("actions-multi-secteurs", None, ids, missing=_no_log(c),
                            missing_title=t("pack.title.multi", c.lang)))
        return charts
    shares = exchanges.activity_shares(c.conn, c.filters).sort_values("period")
    months = fx.covered_months(monthly)
    cats = tuple(_period(p, months, n, c.lang) for p, n in zip(shares["period"], shares["actions"], strict=True))
    series = (deck.Series(t("pack.series.multi_sector", c.lang), _column(shares, "share_multi_sector")),
              deck.Series(t("pack.series.three_plus", c.lang), _column(shares, "share_three_plus_institutions")))
    native = deck.NativeChart("line", cats, series, "0%", minimum=0, maximum=1, labels=True)
    charts.append(Chart("actions-multi-secteurs", fx.shares_figure(shares, c.lang, filters=c.filters_text,
                                                                   months=months), ids, {}, (native,)))
    return charts


def _quality(c: Context) -> list[Chart]:
    rates = quality.response_rates(c.conn, c.filters)
    reliability = quality.reliability(c.conn, c.filters)
    size = c.filters.min_group_size
    charts = [Chart("taux-de-reponse", fq.response_rate_heatmap(rates, c.lang, c.filters_text, size),
                    ("quality.response_rate",), {"quality_response_rates": rates})]
    figure = fq.reliability_figure(reliability, c.lang, c.filters_text, size)
    if reliability.empty:
        charts.append(_missing(c, "practice", "fiabilite", _meta(figure, "title"), ("quality.cronbach_alpha",)))
        return charts
    scales = reliability.drop_duplicates("scale_id")
    cats = tuple(_label(r, c.lang) for _, r in scales.iterrows())
    series = []
    for wave, part in reliability.sort_values("wave_order").groupby("wave_id", sort=False):
        by = part.set_index("scale_id")
        series.append(deck.Series(t("pack.series.wave", c.lang, wave=wave), tuple(
            None if s not in by.index or bool(by.at[s, "suppressed"]) else _num(by.at[s, "alpha"])
            for s in scales["scale_id"])))
    native = deck.NativeChart("column", cats, tuple(series), "0.00", minimum=0, maximum=1,
                              axis_title=t("pack.axis.alpha", c.lang))
    note = _reliability_note(c)
    charts.append(Chart("fiabilite", figure, ("quality.cronbach_alpha",), {"quality_reliability": reliability},
                        (native,), (note,)))
    return charts


SECTIONS: list[Section] = [
    Section("overview", "Vue d'ensemble", "Overview", True, _overview),
    Section("practice", "Pratiques en réseau", "Network practice", True, _practice),
    Section("practice_detail", "Pratiques : détail par item et par niveau", "Practice: items and levels", False,
            _practice_detail),
    Section("network", "Réseau inter-institutionnel", "Inter-institutional network", True, _network),
    Section("exchanges", "Échanges et actions communes", "Exchanges and joint actions", True, _exchanges),
    Section("exchanges_detail", "Échanges : secteurs et actions multi-secteurs", "Exchanges: sectors", False,
            _exchanges_detail),
    Section("wellbeing", "Bien-être", "Wellbeing", True, _wellbeing),
    Section("quality", "Qualité des données", "Data quality", False, _quality),
]


def register(section: Section, after: str | None = None) -> None:
    """Add a section (or replace the one with its id)."""
    ids = [s.id for s in SECTIONS]
    if section.id in ids:
        SECTIONS[ids.index(section.id)] = section
    elif after in ids:
        SECTIONS.insert(ids.index(after) + 1, section)
    else:
        SECTIONS.append(section)


def default_sections() -> list[str]:
    return [s.id for s in SECTIONS if s.default]


# --- building ------------------------------------------------------------------------------------


class PackError(ValueError):
    """The pack cannot be built as asked (unknown wave or section, no data)."""


def _texts() -> dict[str, tuple[str, str]]:
    from ui.i18n import TEXTS

    return TEXTS


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
    if filters.territories:
        terr = conn.execute(
            "SELECT count(*) FROM (SELECT territory FROM respondents UNION ALL SELECT territory FROM institutions) "
            "WHERE list_contains(?, territory)", [list(filters.territories)]
        ).fetchall()[0][0]
        if not terr:
            raise PackError(
                f"No respondent in territory {', '.join(filters.territories)}: check its spelling "
                "(maillage status lists the data) or leave --territory out."
            )
    inv = availability.inventory(conn)
    has_data = inv[inv["wave_id"].isin(list(waves))]
    span = availability.activity_span(conn)
    if not (has_data[["practitioner_rows", "partner_rows"]].to_numpy().sum() or span):
        raise PackError(f"No respondent in wave(s) {', '.join(waves)}: nothing to put in the pack.")
    wave_a = waves[-2] if len(waves) > 1 else None
    events = tuple(e for e in load_events(conn) if e.applies_to(filters.territories))
    return Context(conn, filters, lang, waves, wave_a, waves[-1], _filters_text(filters, waves, lang), events)


def _meta(fig: go.Figure | None, key: str) -> str:
    if fig is None:
        return ""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    return str(meta.get(key, ""))


def _slide_figure(fig: go.Figure) -> go.Figure:
    """The chart for a slide: the slide carries the title and the footnote as editable text."""
    slide = go.Figure(fig, skip_invalid=True)
    slide.update_layout(title=None, margin={"t": 40, "b": 60})
    slide.layout.annotations = [a for a in slide.layout.annotations if a.name != "caption"]
    return slide


def _footnote(chart: Chart, c: Context) -> str:
    base = _meta(chart.figure, "caption").replace("<br>", "\n") if chart.figure is not None else ""
    base = re.sub(r"<[^>]+>", "", base)
    lines = [x for x in (base, *chart.notes) if x]
    if chart.native and any(n.marks for n in chart.native) and c.events:
        lines.append(t("pack.events", c.lang, items=" · ".join(e.text(c.lang) for e in c.events)))
    return "\n".join(lines)


def _definitions(lang: str) -> pd.DataFrame:
    from ui.i18n import TEXTS

    def unit(code: str) -> str:  # the catalogue's units are English; ui/texts/catalogue.py has them in French
        key = f"catalogue.unit.{code}"
        return t(key, lang) if key in TEXTS else code

    fr = lang == "fr"
    rows = [
        {
            "Identifiant" if fr else "Id": i.id,
            "Famille" if fr else "Family": i.family_in(lang),
            "Indicateur" if fr else "Indicator": i.title_in(lang),
            "Définition" if fr else "Definition": i.definition_in(lang),
            "Formule" if fr else "Formula": i.formula_in(lang),
            "Unité" if fr else "Unit": unit(i.unit),
            "Sources": ", ".join(i.sources),
            "Données manquantes" if fr else "Missing data": i.missing_data_in(lang),
            "Précautions" if fr else "Caveats": i.caveats_in(lang),
        }
        for i in all_indicators()
    ]
    return pd.DataFrame(rows)


def _loads(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return conn.execute(
        "SELECT load_id, file_name, instrument, codebook_version, wave_id, rows_loaded, finished_at, file_sha256 "
        "FROM loads WHERE status = 'current' ORDER BY load_id"
    ).df()


def _seconds(seconds: float, lang: str) -> str:
    return fmt_number(seconds, lang, 1)


def _readme(c: Context, sections: list[Section], slides: list[tuple[str, Chart, str]], version: str,
            loads: pd.DataFrame, seconds: float, files: Sequence[str], left_out: Sequence[str]) -> str:
    fr = c.lang == "fr"
    lang = c.lang
    lines = [
        "# Maillage — " + ("dossier pour le comité de pilotage" if fr else "steering committee pack"),
        "",
        t("pack.readme.made", lang, date=fmt_date(dt.date.today(), lang), version=version or "—"),
        ("Filtres : " if fr else "Filters: ") + c.filters_text,
        ("Comparaison : " if fr else "Comparison: ") + (f"{c.wave_a} → {c.wave_b}" if c.wave_a else c.wave_b),
        "",
        "## " + ("Contenu" if fr else "Contents"),
        "",
        "- `presentation.pptx` — " + t("pack.readme.deck", lang),
        "- `tableaux.xlsx` — " + t("pack.readme.workbook", lang),
    ]
    if any(f.startswith("graphiques/") for f in files):
        lines.append("- `graphiques/` — " + t("pack.readme.images", lang))
    lines += ["", "## Sections", ""]
    for s in sections:
        names = [title for sid, _ch, title in slides if sid == s.id]
        lines.append(f"- **{s.title(lang)}** : {' ; '.join(names) if names else '—'}")
    lines += ["", "## " + ("Méthode" if fr else "Method"), "", t("pack.readme.method", lang,
                                                                 n=c.filters.min_group_size)]
    for note in left_out:
        lines.append(f"- {note}")
    lines += ["", "## " + ("Données utilisées" if fr else "Data used"), ""]
    header = (["N°", "Fichier", "Questionnaire", "Vague", "Lignes chargées", "Date du chargement"] if fr
              else ["No.", "File", "Instrument", "Wave", "Rows loaded", "Loaded on"])
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in loads.itertuples():
        wave = r.wave_id if isinstance(r.wave_id, str) and r.wave_id else "–"
        lines.append(f"| {r.load_id} | {_md(r.file_name)} | {r.instrument} (v{r.codebook_version}) | {wave} | "
                     f"{fmt_int(r.rows_loaded, lang)} | {r.finished_at:%d/%m/%Y %H:%M} |")
    lines += ["", t("pack.readme.built", lang, s=_seconds(seconds, lang)), ""]
    return "\n".join(lines)


def _md(text: Any) -> str:
    return re.sub(r"([\\`*_{}\[\]<>|#])", r"\\\1", str(text))


class _Browser:
    """The image browser, started in the background while the indicators are computed (its start
    is most of a picture's cost); None of it when no Chrome/Chromium is installed."""

    def __init__(self) -> None:
        self.session: exports.ImageSession | None = None
        if exports.chrome_path() is not None:
            try:
                self.session = exports.ImageSession()
            except exports.StaticExportUnavailable:
                self.session = None

    def draw(self, jobs: list[tuple[go.Figure, str, dict[str, str]]],
             progress: Callable[[int, int], None], lang: str) -> list[bytes]:
        if not jobs:
            return []
        if self.session is None:
            raise exports.StaticExportUnavailable(exports.static_export_help(lang))
        return self.session.draw([(f, fmt) for f, fmt, _ in jobs], progress=progress,
                                 metadata=[m for _, _, m in jobs])

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


def build_pack(
    conn: duckdb.DuckDBPyConnection,
    filters: Filters,
    lang: str = "fr",
    sections: Sequence[str] | None = None,
    progress: Callable[[float, str], None] | None = None,
    version: str = "",
    images: bool = False,
) -> bytes:
    """The pack as zip bytes. `images` adds every chart as PNG and SVG (slower: a browser draws
    each); by default only the pictures the deck needs are drawn, once each, and their PNG is kept
    in graphiques/. `progress(fraction, message)` is called along the way."""
    started = time.perf_counter()
    say = progress or (lambda _f, _m: None)
    chosen_ids = list(sections) if sections else default_sections()
    known = {s.id: s for s in SECTIONS}
    unknown = [s for s in chosen_ids if s not in known]
    if unknown:
        raise PackError(f"Unknown section(s): {', '.join(unknown)}. Sections: {', '.join(known)}.")
    chosen = [known[s] for s in chosen_ids]
    ctx = context(conn, filters, lang)
    browser = _Browser()
    try:
        say(0.02, t("pack.progress.compute", lang))
        charts: list[tuple[str, Chart]] = []
        for i, section in enumerate(chosen):
            for chart in section.charts(ctx):
                charts.append((section.id, chart))
            say(0.05 + 0.45 * (i + 1) / len(chosen), section.title(lang))
        if browser.session is None and not images:
            charts = [(sid, _no_browser(ch, lang) if ch.is_picture else ch) for sid, ch in charts]
        jobs: list[tuple[go.Figure, str, dict[str, str]]] = []
        where: dict[tuple[int, str], int] = {}
        for i, (_sid, chart) in enumerate(charts):
            if chart.figure is None or chart.missing:
                continue
            meta = {"title": _meta(chart.figure, "title"), "description": _alt_picture(chart, lang)}
            wanted = ["png", "svg"] if images else (["png"] if chart.is_picture else [])
            if chart.is_picture:
                wanted.append("slide")
            for kind in wanted:
                where[(i, kind)] = len(jobs)
                figure = _slide_figure(chart.figure) if kind == "slide" else chart.figure
                jobs.append((figure, "png" if kind == "slide" else kind, meta))
        say(0.5, t("pack.progress.draw", lang, n=len(jobs)))
        drawn = browser.draw(jobs, lambda done, total: say(0.5 + 0.4 * done / max(total, 1),
                                                            t("pack.progress.draw", lang, n=total)), lang)
    finally:
        browser.close()
    by_id = {ind.id: ind for ind in all_indicators()}
    slides: list[deck.Slide] = []
    files: dict[str, bytes] = {}
    listed: list[tuple[str, Chart, str]] = []
    for i, (sid, chart) in enumerate(charts):
        name = f"{i + 1:02d}-{_slug(chart.key)}"
        for kind in ("png", "svg"):
            if (i, kind) in where:
                files[f"graphiques/{name}.{kind}"] = drawn[where[(i, kind)]]
        notes = "\n\n".join(
            f"{by_id[x].title_in(lang)} — {by_id[x].definition_in(lang)}"
            + (f"\n{t('pack.notes.caveats', lang)} {by_id[x].caveats_in(lang)}" if chart.caveats else "")
            for x in chart.indicators if x in by_id
        )
        title = chart.missing_title if chart.missing else _meta(chart.figure, "title")
        listed.append((sid, chart, title))
        if chart.missing:
            slides.append(deck.Slide(title, "", notes, text=chart.missing, key=chart.key))
            continue
        alt = _alt_picture(chart, lang) if chart.is_picture else (
            f"{title}. {summary_sentence(chart.native[0], lang)}" if len(chart.native) == 1 else title)
        extra = {n.title: summary_sentence(n, lang) for n in chart.native}
        picture = drawn[where[(i, "slide")]] if (i, "slide") in where else None
        slides.append(deck.Slide(title, _footnote(chart, ctx), notes, alt, chart.native, picture, key=chart.key,
                                 extra=extra))
    say(0.92, t("pack.progress.files", lang))
    loads = _loads(conn)
    tables: dict[str, pd.DataFrame] = {}
    for _sid, chart in charts:
        tables.update(chart.tables)
    files["tableaux.xlsx"] = workbook.committee_workbook(conn, tables, _definitions(lang), loads, lang)
    left_out = [f"{title} : {chart.missing}" if lang == "fr" else f"{title}: {chart.missing}"
                for _sid, chart, title in listed if chart.missing]
    title = t("pack.deck.title", lang)
    subtitle = f"{ctx.filters_text}\n{fmt_date(dt.date.today(), lang)} · Maillage"
    method_lines, _, definitions = t("pack.deck.method", lang, n=ctx.filters.min_group_size).rpartition("\n")
    method = "\n".join((method_lines, _method_models(ctx), definitions))
    if left_out:
        method += "\n" + t("pack.deck.missing", lang) + "\n" + "\n".join(f"– {x}" for x in left_out)
    files["presentation.pptx"] = deck.build_deck(title, subtitle, slides, method)
    readme = _readme(ctx, chosen, listed, version, loads, time.perf_counter() - started, list(files), left_out)
    files["LISEZMOI.md" if lang == "fr" else "README.md"] = readme.encode("utf-8")
    buffer = io.BytesIO()
    folder = f"maillage-comite-{dt.date.today():%Y-%m-%d}" if lang == "fr" else f"maillage-committee-{dt.date.today()}"
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path, data in files.items():
            zf.writestr(f"{folder}/{path}", data)
    say(1.0, t("pack.progress.done", lang))
    return buffer.getvalue()


def _method_models(c: Context) -> str:
    """The method slide's line on the repeated-measures model, the response weights (their cost in
    precision for the latest weighted wave) and the tie-formation model."""
    summary = weights.weight_summary(c.conn, c.filters)
    done = summary[(summary["method"] != weights.METHOD_NONE) & ~summary["suppressed"].astype(bool)] if len(
        summary) else summary
    extra = ""
    if len(done):
        r = done.iloc[-1]
        extra = t("pack.method.weights", c.lang, deff=fmt_number(r["deff_kish"], c.lang, 2),
                  n_eff=fmt_int(r["n_effective"], c.lang), n=fmt_int(r["n"], c.lang), wave=r["wave_id"])
    return t("pack.method.models", c.lang, weights=extra)


def _no_browser(chart: Chart, lang: str) -> Chart:
    """A picture that cannot be drawn (no Chrome/Chromium): a text slide that says so."""
    return replace(chart, missing=t("pack.missing.no_browser", lang, help=exports.static_export_help(lang)),
                   missing_title=_meta(chart.figure, "title"))


def _alt_picture(chart: Chart, lang: str) -> str:
    """A picture's summary sentence: its title and what its footnote says it counts."""
    title = _meta(chart.figure, "title")
    if chart.alt:
        return f"{title}. {chart.alt}"
    if chart.native:
        return f"{title}. {summary_sentence(chart.native[0], lang)}"
    caption = re.sub(r"<[^>]+>", " ", _meta(chart.figure, "caption").replace("<br>", "\n"))
    lines = [x.strip() for x in caption.split("\n") if x.strip()]
    detail = next((x for x in lines if x.startswith("n =") and "·" not in x), lines[0] if lines else "")
    return f"{title}. {detail}".strip()
