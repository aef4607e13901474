"""Figures and display tables of the « Bien-être » page.

Pure functions (no Streamlit): frames of :mod:`indicators.wellbeing` and ``lang`` in, a
``go.Figure`` in the house style (caption with n, source, filters, date) or a formatted
DataFrame out. Hidden groups (fewer than ``min_group_size`` respondents) are drawn as grey
placeholders and listed in the caption. Cut-offs come from the settings
(:func:`indicators.wellbeing.cutoffs`) unless given.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from indicators.wellbeing import cutoffs as default_cutoffs
from ui.figures_practice import (
    fmt_ci,
    fmt_p,
    hidden_note,
    is_missing,
    join_notes,
    label_column,
    legend_above,
    min_size,
    n_per_wave,
    num,
    percent_axis,
    total_n,
    wave_positions,
)
from ui.i18n import fmt_int, fmt_number, fmt_percent, fmt_signed, t
from ui.recipes import Hidden, ci_bars, ci_line, dodge, hide_where, series_colour, wave_axis
from ui.style import GRID, INK, MUTED, SYMBOLS, Caption, empty_figure, finish

WHO5, CBI = "who5", "cbi_work"
# zones, darkest = most worrying (readable in grey): WHO-5 ≤ 28, ≤ 50, > 50; CBI ≥ 50, < 50
ZONE_COLOURS = {"depression": "#8c1a27", "poor": "#ef8a62", "ok": "#c6dbef", "high": "#b2182b", "low": "#c6dbef"}
SHARE_MEASURES = ("who5_poor_share", "who5_depression_share", "cbi_high_share")
MEAN_MEASURES = ("who5_mean", "cbi_mean")


def _cut(cut: dict[str, float] | None) -> dict[str, float]:
    return cut if cut is not None else default_cutoffs()


def _source(lang: str) -> str:
    return t("source.practitioner", lang)


def _c(x: float, lang: str) -> str:
    """A cut-off as written in labels (50, 12,5)."""
    return fmt_number(x, lang, 0 if float(x).is_integer() else 1)


def measure_label(measure: str, lang: str, cut: dict[str, float] | None = None) -> str:
    """'Bien-être faible (WHO-5 ≤ 50)' etc."""
    c = _cut(cut)
    key = {"who5_poor_share": "who5_poor", "who5_depression_share": "who5_depression", "cbi_high_share": "cbi_high"}
    if measure in key:
        return t(f"wb.measure.{measure}", lang, c=_c(c[key[measure]], lang))
    return t(f"wb.measure.{measure}", lang)


def measure_columns(measure: str) -> tuple[str, str, str, str]:
    """(scale_id, value, ci_low, ci_high) columns of ``wellbeing_summary`` for a measure."""
    if measure in SHARE_MEASURES:
        stem = measure.removesuffix("_share")
        return (CBI if measure.startswith("cbi") else WHO5), measure, f"{stem}_ci_low", f"{stem}_ci_high"
    if measure in MEAN_MEASURES:
        return (CBI if measure.startswith("cbi") else WHO5), "mean", "ci_low", "ci_high"
    raise ValueError(f"unknown measure {measure!r}")


# --------------------------------------------------------------------------- distributions


def _zone(scale_id: str, low: float, high: float, cut: dict[str, float]) -> str:
    if scale_id == WHO5:
        mid = (low + high) / 2
        if mid <= cut["who5_depression"]:
            return "depression"
        return "poor" if mid <= cut["who5_poor"] else "ok"
    return "high" if low >= cut["cbi_high"] - 1e-9 else "low"


def distribution_figure(
    dist: pd.DataFrame,
    summary: pd.DataFrame,
    lang: str,
    filters: str = "",
    scale_id: str = WHO5,
    cut: dict[str, float] | None = None,
) -> go.Figure:
    """Histogram of the scores of one scale, one row per wave, bars shaded by zone (beyond
    the cut-offs darker), the cut-offs drawn as dashed lines; each row titled with the wave's
    mean, CI and n (``wellbeing_distribution`` and ``wellbeing_summary``). A hidden wave says
    "moins de 5 répondants" instead of bars."""
    c = _cut(cut)
    scale_name = t(f"wb.scale.{scale_id}", lang)
    title = t("wb.fig.dist.title", lang, scale=scale_name)
    caption_base: dict[str, Any] = {"source": _source(lang), "filters": filters, "min_group_size": min_size()}
    dist = dist.loc[dist["scale_id"] == scale_id]
    if dist.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, **caption_base), lang)
    waves = wave_positions(dist)
    stats = summary.loc[summary["scale_id"] == scale_id].set_index("wave_id")
    titles = []
    for w in waves:
        hidden = bool(dist.loc[dist["wave_id"] == w, "suppressed"].any())
        if hidden or w not in stats.index:
            titles.append(t("wb.fig.dist.panel_hidden", lang, wave=w, n=min_size()))
        else:
            r = stats.loc[w]
            titles.append(
                t(
                    "wb.fig.dist.panel",
                    lang,
                    wave=w,
                    mean=fmt_number(r["mean"], lang, 1),
                    low=fmt_number(r["ci_low"], lang, 1),
                    high=fmt_number(r["ci_high"], lang, 1),
                    n=fmt_int(r["n"], lang),
                )
            )
    fig = make_subplots(
        rows=len(waves), cols=1, shared_xaxes=True, vertical_spacing=0.38 / max(len(waves), 1), subplot_titles=titles
    )
    if scale_id == WHO5:
        zones = [
            ("depression", t("wb.zone.depression", lang, c=_c(c["who5_depression"], lang))),
            ("poor", t("wb.zone.poor", lang, c=_c(c["who5_poor"], lang))),
            ("ok", t("wb.zone.ok", lang, c=_c(c["who5_poor"], lang))),
        ]
    else:
        zones = [
            ("high", t("wb.zone.high", lang, c=_c(c["cbi_high"], lang))),
            ("low", t("wb.zone.low", lang, c=_c(c["cbi_high"], lang))),
        ]
    dist = dist.assign(
        zone=[_zone(scale_id, lo, hi, c) for lo, hi in zip(dist["bin_low"], dist["bin_high"], strict=True)]
    )
    y_max = float(pd.to_numeric(dist["share"], errors="coerce").max() or 0.0) * 100 * 1.15 or 10.0
    hidden_waves = []
    for row, w in enumerate(waves, start=1):
        part = dist.loc[dist["wave_id"] == w]
        if part["suppressed"].any():
            hidden_waves.append(w)
            fig.add_trace(
                go.Bar(
                    x=[50],
                    y=[y_max],
                    width=[100],
                    marker={
                        "color": "#f2f2f2",
                        "pattern": {"shape": "/", "fgcolor": "#bdbdbd", "size": 10},
                        "line": {"width": 0},
                    },
                    text=[t("chart.suppressed_cell", lang, n=min_size())],
                    textposition="inside",
                    insidetextanchor="middle",
                    textfont={"color": INK, "size": 13},
                    hoverinfo="skip",
                    showlegend=False,
                ),
                row=row,
                col=1,
            )
            continue
        for zone, label in zones:
            z = part.loc[part["zone"] == zone]
            if z.empty:
                continue
            fig.add_trace(
                go.Bar(
                    x=z["bin_mid"].tolist(),
                    y=(z["share"].astype(float) * 100).tolist(),
                    width=(z["bin_high"] - z["bin_low"]).astype(float).mul(0.92).tolist(),
                    marker={"color": ZONE_COLOURS[zone], "line": {"width": 0.5, "color": "white"}},
                    name=label,
                    legendgroup=zone,
                    showlegend=row == 1,
                    hovertext=[
                        f"{w}<br>{fmt_number(lo, lang, 1)} – {fmt_number(hi, lang, 1)} : "
                        f"{fmt_percent(s, lang)} ({fmt_int(k, lang)})"
                        for lo, hi, s, k in zip(
                            z["bin_low"].clip(lower=0),
                            z["bin_high"].clip(upper=100),
                            z["share"],
                            z["count"],
                            strict=True,
                        )
                    ],
                    hoverinfo="text",
                ),
                row=row,
                col=1,
            )
    # cut-off lines at the edge between the zones
    edges: list[tuple[float, str]] = []
    if scale_id == WHO5:
        for name in ("who5_depression", "who5_poor"):
            inside = dist.loc[(dist["bin_low"] + dist["bin_high"]) / 2 <= c[name], "bin_high"]
            if len(inside):
                edges.append((float(inside.max()), _c(c[name], lang)))
    else:
        edges.append((c["cbi_high"], _c(c["cbi_high"], lang)))
    for x, _label in edges:
        fig.add_vline(x=x, line={"color": INK, "width": 1.5, "dash": "dash"}, row="all", col=1)
    fig.update_xaxes(range=[-3, 103], tickvals=list(range(0, 101, 10)), showgrid=False)
    axis = "wb.axis.score_who5" if scale_id == WHO5 else "wb.axis.score_cbi"
    fig.update_xaxes(title_text=t(axis, lang), row=len(waves), col=1)
    fig.update_yaxes(range=[0, y_max], gridcolor=GRID, **percent_axis(lang))
    fig.update_yaxes(title_text=t("wb.axis.share", lang), row=(len(waves) + 1) // 2, col=1)
    fig.update_layout(bargap=0.05, barmode="overlay")
    fig.update_annotations(font={"size": 12, "color": INK}, selector={"xref": "paper", "yref": "paper"})
    subtitle = (
        t("wb.fig.dist.subtitle_who5", lang, poor=_c(c["who5_poor"], lang), dep=_c(c["who5_depression"], lang))
        if scale_id == WHO5
        else t("wb.fig.dist.subtitle_cbi", lang, high=_c(c["cbi_high"], lang))
    )
    note = join_notes(hidden_note([(scale_name, w) for w in hidden_waves], lang, waves))
    caption = Caption(total_n(dist), note=note, **caption_base)
    fig = finish(fig, title, caption, lang, subtitle=subtitle, height=170 + 150 * len(waves))
    fig.update_layout(margin={"t": 120})
    return legend_above(fig, 26)


# --------------------------------------------------------------------------- shares beyond cut-offs


def cutoff_trend_figure(
    summary: pd.DataFrame, lang: str, filters: str = "", cut: dict[str, float] | None = None
) -> go.Figure:
    """Share of respondents beyond each cut-off per wave with its Wilson CI: WHO-5 ≤ 50,
    WHO-5 ≤ 28, CBI ≥ 50 (``wellbeing_summary``); hidden waves are grey crosses."""
    title = t("wb.fig.cut.title", lang)
    caption_base: dict[str, Any] = {"source": _source(lang), "filters": filters, "min_group_size": min_size()}
    if summary.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, **caption_base), lang)
    waves = wave_positions(summary)
    pos = {w: i for i, w in enumerate(waves)}
    fig = go.Figure()
    hidden = Hidden(lang, min_size())
    highs = [0.1]
    for i, measure in enumerate(SHARE_MEASURES):
        scale, value, low_col, high_col = measure_columns(measure)
        part = summary.loc[summary["scale_id"] == scale]
        label = measure_label(measure, lang, cut)
        x = [pos[str(w)] + dodge(i, len(SHARE_MEASURES)) for w in part["wave_id"]]
        v = pd.to_numeric(part[value], errors="coerce").to_numpy(float) * 100
        lo = pd.to_numeric(part[low_col], errors="coerce").to_numpy(float) * 100
        hi = pd.to_numeric(part[high_col], errors="coerce").to_numpy(float) * 100
        highs.append(float(np.nanmax(np.r_[hi, 0.0])))
        hover = [
            f"<b>{label}</b><br>{w}<br>{fmt_percent(a / 100, lang)} ({t('chart.ci', lang)} "
            f"{fmt_percent(b / 100, lang)} – {fmt_percent(d / 100, lang)})<br>n = {fmt_int(n, lang)}"
            for w, a, b, d, n in zip(part["wave_id"], v, lo, hi, part["n"], strict=True)
        ]
        fig.add_trace(ci_line(x, v, lo, hi, i, label, hover))
        hidden.add(label, part["wave_id"], x, part["suppressed"])
    hidden.draw(fig, 1.0)
    top = min(100.0, max(highs) * 1.15 + 2)
    fig.update_yaxes(range=[0, top], title_text=t("wb.axis.share", lang), **percent_axis(lang))
    fig.update_xaxes(**wave_axis(waves, t("chart.wave", lang)))
    shown = summary.loc[~summary["suppressed"]]
    note = join_notes(hidden_note(hidden.items, lang, waves), n_per_wave(shown, lang), t("wb.screening_short", lang))
    caption = Caption(total_n(summary), note=note, **caption_base)
    return finish(fig, title, caption, lang, subtitle=t("wb.fig.cut.subtitle", lang), height=460)


# --------------------------------------------------------------------------- by role


def role_figure(
    by_role: pd.DataFrame,
    lang: str,
    filters: str = "",
    measure: str = "who5_poor_share",
    waves: Sequence[str] | None = None,
    role_labels: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    overall: pd.DataFrame | None = None,
    cut: dict[str, float] | None = None,
) -> go.Figure:
    """Dot plot of a measure by role (rows) for one or two waves (``wellbeing_summary`` by
    wave_id and role), with CIs; ``overall``: ``wellbeing_summary`` by wave, drawn as a dotted
    reference line for the last wave. Hidden role × wave: a grey cross at the left edge and
    the role listed in the caption."""
    label = measure_label(measure, lang, cut)
    title = t("wb.fig.roles.title", lang, measure=label)
    caption_base: dict[str, Any] = {"source": _source(lang), "filters": filters, "min_group_size": min_size()}
    scale, value, low_col, high_col = measure_columns(measure)
    data = by_role.loc[(by_role["scale_id"] == scale) & by_role["role"].notna()]
    all_waves = wave_positions(data)
    chosen = [w for w in (waves or all_waves[-2:]) if w in all_waves]
    data = data.loc[data["wave_id"].astype(str).isin(chosen)]
    if data.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, **caption_base), lang)
    is_share = measure in SHARE_MEASURES
    k = 100.0 if is_share else 1.0
    names = dict(role_labels or {})
    labels = {r: names.get(str(r), str(r)) for r in data["role"].unique()}
    roles = sorted(labels, key=lambda r: labels[r].lower())
    ypos = {r: i for i, r in enumerate(roles)}
    fig = go.Figure()
    hidden = Hidden(lang, min_size())
    lows, highs = [], []
    for i, w in enumerate(chosen):
        part = data.loc[data["wave_id"].astype(str) == w]
        off = dodge(i, len(chosen), 0.22)
        v = pd.to_numeric(part[value], errors="coerce").to_numpy(float) * k
        lo = pd.to_numeric(part[low_col], errors="coerce").to_numpy(float) * k
        hi = pd.to_numeric(part[high_col], errors="coerce").to_numpy(float) * k
        lows.append(np.nanmin(np.r_[lo, np.inf]))
        highs.append(np.nanmax(np.r_[hi, -np.inf]))
        y = [ypos[r] + off for r in part["role"]]
        fmt = (lambda x: fmt_percent(x / 100, lang)) if is_share else (lambda x: fmt_number(x, lang, 1))
        fig.add_trace(
            go.Scatter(
                x=[None if math.isnan(a) else a for a in v],
                y=y,
                mode="markers",
                name=w,
                marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "color": series_colour(i), "size": 11},
                error_x=ci_bars(v, lo, hi, series_colour(i), width=4),
                hovertext=[
                    f"<b>{labels[r]}</b> · {w}<br>{fmt(a)} ({t('chart.ci', lang)} {fmt(b)} – {fmt(d)})"
                    f"<br>n = {fmt_int(n, lang)}"
                    for r, a, b, d, n in zip(part["role"], v, lo, hi, part["n"], strict=True)
                ],
                hoverinfo="text",
            )
        )
        for r, yy, sup in zip(part["role"], y, part["suppressed"], strict=True):
            if sup:
                hidden.add_point(labels[r], w, yy)
    x_lo = 0.0 if is_share else max(0.0, float(np.nanmin(np.r_[lows, 100.0])) - 5)
    x_hi = min(100.0, float(np.nanmax(np.r_[highs, 10.0])) * (1.1 if is_share else 1.0) + (0 if is_share else 5))
    hidden.draw(fig, x_lo + 0.01 * (x_hi - x_lo), horizontal=True)
    if overall is not None and len(chosen):
        ref = overall.loc[(overall["scale_id"] == scale) & (overall["wave_id"].astype(str) == chosen[-1])]
        if len(ref) and not bool(ref["suppressed"].iloc[0]) and not is_missing(ref[value].iloc[0]):
            x_ref = float(ref[value].iloc[0]) * k
            text = fmt_percent(x_ref / 100, lang) if is_share else fmt_number(x_ref, lang, 1)
            fig.add_vline(
                x=x_ref,
                line={"color": MUTED, "width": 1.5, "dash": "dot"},
                annotation_text=f"{t('pr.breakdown.none', lang)} {chosen[-1]} : {text}"
                if lang == "fr"
                else f"{t('pr.breakdown.none', lang)} {chosen[-1]}: {text}",
                annotation_position="bottom right",
                annotation_font={"color": MUTED, "size": 11},
            )
    fig.update_yaxes(
        tickvals=list(range(len(roles))),
        ticktext=[_role_tick(labels[r], data.loc[data["role"] == r], chosen, lang) for r in roles],
        autorange="reversed",
        showgrid=False,
        range=[len(roles) - 0.5, -0.5],
    )
    axis: dict[str, Any] = {"range": [x_lo, x_hi], "showgrid": True, "gridcolor": GRID}
    if is_share:
        axis.update(percent_axis(lang), title_text=t("wb.axis.share", lang))
    else:
        axis["title_text"] = t("wb.axis.score_mean", lang)
    fig.update_xaxes(**axis)
    subtitle = t("wb.fig.roles.subtitle", lang, waves=", ".join(chosen))
    if overall is not None:
        ref_n = overall.loc[(overall["scale_id"] == scale) & overall["wave_id"].astype(str).isin(chosen)]
        n_note, n_total = n_per_wave(ref_n, lang), total_n(ref_n)
    else:
        shown = data.loc[~data["suppressed"]]
        n_note, n_total = n_per_wave(shown, lang, how="sum"), total_n(shown, how="sum")
    note = join_notes(hidden_note(hidden.items, lang, chosen), n_note)
    caption = Caption(n_total, note=note, **caption_base)
    # the caption starts at the plot's left edge, 200 px in: fewer characters per line
    fig = finish(fig, title, caption, lang, subtitle=subtitle, height=190 + 44 * len(roles), width=100)
    fig.update_layout(margin={"l": 200})
    return fig


def _role_tick(label: str, rows: pd.DataFrame, waves: Sequence[str], lang: str) -> str:
    """« Enseignant·e<br>n = 40 · 38 »: the role and its respondents in each wave shown (a dot at
    0 % is then read as a share of n, not as missing; a hidden group says « < 5 »)."""
    parts = []
    for w in waves:
        row = rows.loc[rows["wave_id"].astype(str) == w]
        if row.empty:
            parts.append("–")
        elif bool(row["suppressed"].iloc[0]) or is_missing(row["n"].iloc[0]):
            parts.append(f"< {min_size()}")
        else:
            parts.append(fmt_int(row["n"].iloc[0], lang))
    return f"{label}<br><span style='font-size:11px'>n = {' · '.join(parts)}</span>"


# --------------------------------------------------------------------------- panel change


def clinical_change_figure(panel: pd.DataFrame, lang: str, filters: str = "") -> go.Figure:
    """Among the people present in both waves, share whose WHO-5 fell by at least 10 points,
    changed less, or rose by at least 10 points (``wellbeing_panel_change``), with the Wilson
    CIs in the labels and the mean change in the caption. Hidden (fewer than 5 pairs): a
    hatched grey bar."""
    row = panel.loc[panel["scale_id"] == WHO5]
    a, b = (str(panel["wave_a"].iloc[0]), str(panel["wave_b"].iloc[0])) if len(panel) else ("", "")
    threshold = (
        float(row["clinical_change"].iloc[0])
        if len(row) and not is_missing(row["clinical_change"].iloc[0])
        else _cut(None)["who5_clinical_change"]
    )
    cc = _c(threshold, lang)
    title = t("wb.fig.clin.title", lang, a=a, b=b)
    subtitle = t("wb.fig.clin.subtitle", lang, c=cc)
    caption_base: dict[str, Any] = {"source": _source(lang), "filters": filters, "min_group_size": min_size()}
    if row.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, **caption_base), lang)
    r = row.iloc[0]
    label = t("wb.scale.who5", lang)
    fig = go.Figure()
    if bool(r["suppressed"]):
        fig.add_trace(
            go.Bar(
                x=[100],
                y=[label],
                orientation="h",
                name=t("chart.suppressed_cell", lang, n=min_size()),
                marker={"color": "#eeeeee", "pattern": {"shape": "/", "fgcolor": "#8c8c8c", "size": 8}},
                text=[t("chart.suppressed_cell", lang, n=min_size())],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": INK},
                hoverinfo="skip",
            )
        )
        note = join_notes(hidden_note([label], lang), t("wb.fig.panel.note", lang, b=b))
        n = None
    else:
        worse, better = float(r["share_worsened_clinical"]), float(r["share_improved_clinical"])
        parts = [
            ("worse", worse, r["worsened_ci_low"], r["worsened_ci_high"], "#ef8a62", "/"),
            ("same", 1.0 - worse - better, None, None, "#d9d9d9", ""),
            ("better", better, r["improved_ci_low"], r["improved_ci_high"], "#2166ac", ""),
        ]
        for key, share, lo, hi, colour, pattern in parts:
            ci = "" if lo is None else f"<br>{t('chart.ci', lang)} {fmt_percent(lo, lang)} – {fmt_percent(hi, lang)}"
            fig.add_trace(
                go.Bar(
                    x=[share * 100],
                    y=[label],
                    orientation="h",
                    name=t(f"wb.clin.{key}", lang, c=cc),
                    marker={
                        "color": colour,
                        "pattern": {"shape": pattern, "fgcolor": "#7f2704", "size": 6},
                        "line": {"width": 0.5, "color": "white"},
                    },
                    text=[fmt_percent(share, lang) if share >= 0.04 else ""],
                    textposition="inside",
                    insidetextanchor="middle",
                    textangle=0,
                    textfont={"color": "white" if key == "better" else INK, "size": 13},
                    hovertext=[f"{t(f'wb.clin.{key}', lang, c=cc)} : {fmt_percent(share, lang)}{ci}"],
                    hoverinfo="text",
                )
            )
        mean = t(
            "wb.fig.clin.mean",
            lang,
            d=fmt_signed(r["mean_diff"], lang, 1),
            low=fmt_signed(r["ci_low"], lang, 1),
            high=fmt_signed(r["ci_high"], lang, 1),
            n=fmt_int(r["n_pairs"], lang),
        )
        ci_text = ", ".join(
            f"{t(f'wb.clin.{key}', lang, c=cc)} {fmt_percent(s, lang)} ({t('chart.ci', lang)} "
            f"{fmt_percent(lo, lang)} – {fmt_percent(hi, lang)})"
            for key, s, lo, hi, *_ in parts
            if lo is not None
        )
        note = join_notes(mean, ci_text, t("wb.fig.panel.note", lang, b=b))
        n = int(r["n_pairs"])
    fig.update_layout(barmode="stack", bargap=0.45, legend={"traceorder": "normal"})
    fig.update_xaxes(range=[0, 100], title_text=t("wb.axis.share", lang), **percent_axis(lang))
    fig.update_yaxes(showgrid=False)
    caption = Caption(n, note=note, **caption_base)
    return finish(fig, title, caption, lang, subtitle=subtitle, height=340)


def panel_table(panel: pd.DataFrame, lang: str) -> pd.DataFrame:
    """WHO-5 and CBI panel changes as a display table (formatted for ``lang``)."""
    if panel.empty:
        return pd.DataFrame()
    a, b = str(panel["wave_a"].iloc[0]), str(panel["wave_b"].iloc[0])
    col = hide_where(panel["suppressed"].astype(bool), t("chart.suppressed_cell", lang, n=min_size()))
    c = panel["clinical_change"].dropna()
    cc = _c(float(c.iloc[0]) if len(c) else _cut(None)["who5_clinical_change"], lang)

    def shares(change: str) -> list[str]:
        """The share of pairs `change` ("improved", "worsened") beyond the clinical change, with its CI."""
        return col([
            "–" if is_missing(s) else f"{fmt_percent(s, lang)} ({fmt_percent(lo, lang)} – {fmt_percent(hi, lang)})"
            for s, lo, hi in zip(panel[f"share_{change}_clinical"], panel[f"{change}_ci_low"],
                                 panel[f"{change}_ci_high"], strict=True)
        ])

    return pd.DataFrame(
        {
            t("wb.col.scale", lang): panel[label_column(lang)].astype(str).tolist(),
            t("wb.col.direction", lang): [
                t("wb.dir.up" if h else "wb.dir.down", lang) for h in panel["higher_is_better"].astype(bool)
            ],
            t("wb.col.n_pairs", lang): col([fmt_int(v, lang) for v in panel["n_pairs"]]),
            t("wb.col.mean_a", lang, a=a): col([fmt_number(v, lang, 1) for v in panel["mean_a"]]),
            t("wb.col.mean_b", lang, b=b): col([fmt_number(v, lang, 1) for v in panel["mean_b"]]),
            t("wb.col.diff", lang): col([fmt_signed(v, lang, 1) for v in panel["mean_diff"]]),
            t("wb.col.ci", lang): col(
                [fmt_ci(lo, hi, lang, 1, signed=True) for lo, hi in zip(panel["ci_low"], panel["ci_high"], strict=True)]
            ),
            t("wb.col.d_z", lang): col([num(v, lang) for v in panel["d_z"]]),
            t("wb.col.p_holm", lang): col([fmt_p(p, lang) for p in panel["p_holm"]]),
            t("wb.col.better", lang, c=cc): shares("improved"),
            t("wb.col.worse", lang, c=cc): shares("worsened"),
        }
    )
