"""Figures and display tables of the « Pratiques en réseau » page.

Pure functions (no Streamlit): tidy DataFrames of :mod:`indicators.practice` and ``lang`` in,
a ``go.Figure`` (house style of :mod:`ui.style`, caption with n, source, filters and date) or a
formatted DataFrame out. Small groups hidden by the indicators (``suppressed``) are drawn as
grey placeholders and listed in the caption, never dropped silently nor drawn as zeros.

A few helpers here (``wrap``, ``label_column``, ``hidden_note``, ``wave_positions``…) are
shared with :mod:`ui.figures_wellbeing` and :mod:`ui.figures_overview`; the traces they share
(lines with CI bars, the crosses of hidden groups) are :mod:`ui.recipes`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from indicators.filters import Filters
from indicators.models import ESTIMATE_FULL, ESTIMATE_NONE, ESTIMATES, NOTES
from ui.i18n import NNBSP, fmt_int, fmt_number, fmt_percent, fmt_signed, is_missing, t
from ui.recipes import Hidden, ci_bars, ci_line, dodge, hide_where, placeholder_trace, series_colour, wave_axis
from ui.style import (
    GRID,
    INK,
    LIKERT_COLOURS,
    MUTED,
    Caption,
    empty_figure,
    finish,
    set_top,
)

# --------------------------------------------------------------------------- shared helpers


def min_size() -> int:
    """The small-group threshold (setting ``min_group_size``)."""
    return Filters().min_group_size


def label_column(lang: str, stem: str = "label") -> str:
    return f"{stem}_en" if lang == "en" else f"{stem}_fr"



def wrap(text: str, width: int = 42) -> str:
    """Break a long label into lines of about `width` characters (plotly `<br>`)."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


def hidden_note(
    items: Sequence[str | tuple[str, str]], lang: str, all_waves: Sequence[str] = (), key: str = "pr.fig.hidden"
) -> str:
    """'Masqués (moins de 5 répondants) : a (2024-2, 2025-1), b (toutes les vagues)' from
    hidden labels or (label, wave) pairs; empty when nothing is hidden."""
    grouped: dict[str, list[str]] = {}
    for item in items:
        label, wave = (item, "") if isinstance(item, str) else item
        grouped.setdefault(label, [])
        if wave and wave not in grouped[label]:
            grouped[label].append(wave)
    if not grouped:
        return ""
    every = t("pr.fig.all_waves", lang)
    parts = []
    for label, waves in grouped.items():
        if not waves:
            parts.append(label)
        elif all_waves and set(waves) >= set(all_waves) and len(all_waves) > 1:
            parts.append(f"{label} ({every})")
        else:
            parts.append(f"{label} ({', '.join(waves)})")
    return t(key, lang, n=min_size(), items=", ".join(parts))


def join_notes(*notes: str) -> str:
    """Caption notes, one per line (`style.finish` wraps the caption to the figure's width; the
    pack's footnote box wraps it to the slide's)."""
    return "<br>".join(n for n in notes if n)


def num(x: Any, lang: str, decimals: int = 2) -> str:
    """A number with a real minus sign (−0,06)."""
    return fmt_number(x, lang, decimals).replace("-", "−")


def n_per_wave(frame: pd.DataFrame, lang: str, n_col: str = "n", how: str = "max") -> str:
    """'n par vague : 2024-2 : 230, 2025-1 : 231': per wave the largest n of the rows
    (``how="max"``: rows are scales or items of the same respondents) or their sum
    (``how="sum"``: rows are disjoint groups of one scale; hidden groups are not counted)."""
    if frame.empty:
        return ""
    values = pd.to_numeric(frame[n_col], errors="coerce")
    per = values.groupby(frame["wave_id"].astype(str), sort=False).agg(how)
    parts = [f"{w} : {fmt_int(n, lang)}" if lang == "fr" else f"{w}: {fmt_int(n, lang)}" for w, n in per.items()]
    return t("pr.fig.n_per_wave", lang, items=", ".join(parts))


def total_n(frame: pd.DataFrame, n_col: str = "n", how: str = "max") -> int | None:
    """The n of a caption: the largest n shown (``how="max"``), or the largest per-wave sum of
    the groups shown (``how="sum"``); None when every group is hidden."""
    if frame.empty or n_col not in frame:
        return None
    values = pd.to_numeric(frame[n_col], errors="coerce")
    if how == "sum" and "wave_id" in frame:
        values = values.groupby(frame["wave_id"].astype(str)).sum(min_count=1)
    values = values.dropna()
    return int(values.max()) if len(values) else None


def legend_above(fig: go.Figure, pixels: float) -> go.Figure:
    """Lift the legend `pixels` above the plot area (above subplot titles)."""
    layout = fig.layout
    plot_h = float(layout.height or 460) - float(layout.margin.t or 0) - float(layout.margin.b or 0)
    fig.update_layout(legend={"y": 1.0 + pixels / max(plot_h, 50.0)})
    return fig


def wave_positions(frame: pd.DataFrame) -> list[str]:
    """The waves of a frame in wave order."""
    if frame.empty:
        return []
    cols = [c for c in ("wave_order", "wave_id") if c in frame]
    return list(dict.fromkeys(frame.sort_values(cols, kind="stable")["wave_id"].astype(str)))


def percent_axis(lang: str) -> dict[str, Any]:
    """Axis settings for values given in percent (0–100): '10 %' in French."""
    return {"ticksuffix": f"{NNBSP}%" if lang == "fr" else "%"}


def fmt_p(p: Any, lang: str) -> str:
    """p-values: '< 0,001' below 0.001, else 3 decimals (2 above 0.1)."""
    if is_missing(p):
        return "–"
    p = float(p)
    if p < 0.001:
        return f"< {fmt_number(0.001, lang, 3)}"
    return fmt_number(p, lang, 3 if p < 0.1 else 2)


def fmt_ci(low: Any, high: Any, lang: str, decimals: int = 2, signed: bool = False) -> str:
    if is_missing(low) or is_missing(high):
        return "–"
    f = fmt_signed if signed else fmt_number
    sep = " à " if lang == "fr" else " to "
    return f"{f(low, lang, decimals)}{sep}{f(high, lang, decimals)}"


def _scale_label(row: Any, lang: str) -> str:
    return str(getattr(row, label_column(lang)))


def _source(lang: str) -> str:
    return t("source.practitioner", lang)


# --------------------------------------------------------------------------- trends


def scale_trend_figure(
    summary: pd.DataFrame,
    lang: str,
    filters: str = "",
    group: str | None = None,
    group_labels: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    title: str | None = None,
    item_changes: str = "",
) -> go.Figure:
    """Mean score per wave with its 95 % CI (line + error bars), one series per scale, or per
    value of ``group`` (a column of ``summary``, e.g. "territory") for a single scale.
    ``item_changes``: the sentence of :func:`item_changes_text` when the waves shown did not ask
    a scale's same items (put in the caption).

    ``summary``: :func:`indicators.practice.scale_summary` (``by`` = wave_id [+ group]).
    Hidden waves × series are grey crosses at the bottom of the plot, listed in the caption.
    """
    title = title or t("pr.fig.trend.title", lang)
    caption_base: dict[str, Any] = {"source": _source(lang), "filters": filters, "min_group_size": min_size()}
    if summary.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, **caption_base), lang)
    waves = wave_positions(summary)
    pos = {w: i for i, w in enumerate(waves)}
    key = group or "scale_id"
    series = list(dict.fromkeys(summary[key].astype(object).where(summary[key].notna(), None)))
    labels: dict[Any, str] = {}
    names = dict(group_labels or {})
    for s in series:
        if group is None:
            row = summary.loc[summary["scale_id"] == s].iloc[0]
            labels[s] = str(row[label_column(lang)])
        else:
            labels[s] = names.get(str(s), str(s)) if s is not None else "–"
    shown = summary.loc[~summary["suppressed"]]
    lows = pd.to_numeric(shown["ci_low"], errors="coerce").fillna(shown["mean"])
    highs = pd.to_numeric(shown["ci_high"], errors="coerce").fillna(shown["mean"])
    y_lo = max(1.0, float(lows.min()) - 0.15) if len(shown) else 1.0
    y_hi = min(5.0, float(highs.max()) + 0.15) if len(shown) else 5.0
    fig = go.Figure()
    hidden = Hidden(lang, min_size())
    for i, s in enumerate(series):
        part = summary.loc[(summary[key] == s) if s is not None else summary[key].isna()]
        offset = dodge(i, len(series))
        x = [pos[str(w)] + offset for w in part["wave_id"]]
        mean = pd.to_numeric(part["mean"], errors="coerce").to_numpy(float)
        low = pd.to_numeric(part["ci_low"], errors="coerce").to_numpy(float)
        high = pd.to_numeric(part["ci_high"], errors="coerce").to_numpy(float)
        hover = [
            f"<b>{labels[s]}</b><br>{t('chart.wave', lang)} {w}<br>{t('chart.mean', lang)} "
            f"{fmt_number(m, lang, 2)}<br>{t('chart.ci', lang)} {fmt_ci(lo, hi, lang)}<br>n = {fmt_int(n, lang)}"
            for w, m, lo, hi, n in zip(part["wave_id"], mean, low, high, part["n"], strict=True)
        ]
        fig.add_trace(ci_line(x, mean, low, high, i, labels[s], hover))
        hidden.add(labels[s], part["wave_id"], x, part["suppressed"])
    hidden.draw(fig, y_lo + 0.04 * (y_hi - y_lo))
    fig.update_xaxes(**wave_axis(waves, t("pr.axis.wave", lang)))
    fig.update_yaxes(range=[y_lo, y_hi], title_text=t("pr.axis.score", lang), tickformat=".1f")
    how = "sum" if group else "max"
    note = join_notes(
        hidden_note(hidden.items, lang, waves), n_per_wave(summary.loc[~summary["suppressed"]], lang, how=how),
        item_changes,
    )
    caption = Caption(total_n(summary, how=how), note=note, **caption_base)
    return finish(fig, title, caption, lang, subtitle=t("pr.fig.trend.subtitle", lang), height=480)


def item_changes_text(changes: pd.DataFrame, lang: str) -> str:
    """« Culture du partenariat : CUL4 posé en 2024-2, 2025-1 seulement » for every item not asked
    in every wave shown (``practice.item_set_changes``); "" when the items did not change."""
    if changes.empty:
        return ""
    label = label_column(lang)
    parts = [
        t("pr.items_changed.item", lang, scale=row[label], item=row["item_id"], asked=row["waves_asked"])
        for _, row in changes.iterrows()
    ]
    return t("pr.items_changed", lang, items=" ; ".join(parts) if lang == "fr" else "; ".join(parts))


def items_compared_text(frame: pd.DataFrame, lang: str) -> str:
    """« Comparé sur les items communs : culture du partenariat (CUL1, CUL2, CUL3 ; sans CUL4) »
    for the scales of a two-wave comparison rescored on their common items; "" otherwise."""
    if frame.empty or "items_compared" not in frame.columns:
        return ""
    rows = frame.loc[frame["items_compared"].notna()].drop_duplicates("scale_id")
    if rows.empty:
        return ""
    label = label_column(lang)
    parts = [t("pr.items_compared.scale", lang, scale=r[label], items=r["items_compared"], left=r["items_left_out"])
             for _, r in rows.iterrows()]
    return t("pr.items_compared", lang, scales=" ; ".join(parts) if lang == "fr" else "; ".join(parts))


# --------------------------------------------------------------------------- two-wave differences


def _diff_figure(
    frame: pd.DataFrame,
    lang: str,
    filters: str,
    *,
    title: str,
    subtitle: str,
    note: str,
    annotation: Any,
    n: int | None,
) -> go.Figure:
    caption_base: dict[str, Any] = {"source": _source(lang), "filters": filters, "min_group_size": min_size()}
    if frame.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, **caption_base), lang)
    rows = list(frame.itertuples(index=False))
    ticks = []
    hidden_items = []
    for r in rows:
        label = _scale_label(r, lang)
        if r.suppressed:
            ticks.append(
                f"{label}<br><span style='font-size:11px;color:{MUTED}'>"
                f"{t('chart.suppressed_cell', lang, n=min_size())}</span>"
            )
            hidden_items.append(label)
        else:
            ticks.append(f"{label}<br><span style='font-size:11px;color:{MUTED}'>{annotation(r)}</span>")
    y = list(range(len(rows)))
    diff = np.array([float(r.mean_diff) if not r.suppressed else np.nan for r in rows])
    low = np.array([float(r.ci_low) if not r.suppressed else np.nan for r in rows])
    high = np.array([float(r.ci_high) if not r.suppressed else np.nan for r in rows])
    sig = np.array([not is_missing(r.p_holm) and float(r.p_holm) < 0.05 for r in rows])
    fig = go.Figure()
    for flag, name, symbol in (
        (True, "p < 0,05" if lang == "fr" else "p < 0.05", "diamond"),
        (False, "p ≥ 0,05" if lang == "fr" else "p ≥ 0.05", "diamond-open"),
    ):
        mask = (sig == flag) & ~np.isnan(diff)
        if not mask.any():
            continue
        hover = [
            f"<b>{ticks[i].split('<br>')[0]}</b><br>{t('pr.col.diff', lang)} {fmt_signed(diff[i], lang, 2)}"
            f"<br>{t('chart.ci', lang)} {fmt_ci(low[i], high[i], lang, signed=True)}"
            for i in np.flatnonzero(mask)
        ]
        fig.add_trace(
            go.Scatter(
                x=diff[mask].tolist(),
                y=[y[i] for i in np.flatnonzero(mask)],
                mode="markers",
                name=f"{t('pr.col.p_holm', lang)} : {name.split(' ', 1)[1]}"
                if lang == "fr"
                else f"{t('pr.col.p_holm', lang)}: {name.split(' ', 1)[1]}",
                marker={"symbol": symbol, "size": 13, "color": INK, "line": {"width": 2, "color": INK}},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (high - diff)[mask].tolist(),
                    "arrayminus": (diff - low)[mask].tolist(),
                    "thickness": 2,
                    "width": 6,
                    "color": INK,
                },
                hovertext=hover,
                hoverinfo="text",
            )
        )
    hid = [i for i, r in enumerate(rows) if r.suppressed]
    if hid:
        fig.add_trace(
            placeholder_trace(
                [0.0] * len(hid),
                hid,
                lang,
                [f"{hidden_items[j]} : {t('chart.suppressed_cell', lang, n=min_size())}" for j in range(len(hid))],
                min_size(),
            )
        )
    extent = np.nanmax(np.abs(np.r_[low, high, 0.1])) if np.isfinite(np.r_[low, high]).any() else 0.5
    extent = float(extent) * 1.2
    fig.add_vline(x=0, line={"color": MUTED, "width": 1.5, "dash": "dot"})
    for text, side, anchor in ((t("pr.fig.diff.worse", lang), -1, "right"), (t("pr.fig.diff.better", lang), 1, "left")):
        fig.add_annotation(
            x=side * extent * 0.02,
            y=1.0,
            xref="x",
            yref="paper",
            yanchor="bottom",
            xanchor=anchor,
            text=text,
            showarrow=False,
            font={"size": 12, "color": MUTED},
        )
    fig.update_yaxes(tickvals=y, ticktext=ticks, autorange="reversed", showgrid=False, range=[len(rows) - 0.5, -0.7])
    fig.update_xaxes(
        range=[-extent, extent],
        title_text=t("pr.axis.diff", lang),
        zeroline=False,
        showgrid=True,
        gridcolor=GRID,
        tickformat="+.2f",
    )
    caption = Caption(n, note=join_notes(hidden_note(hidden_items, lang), note), **caption_base)
    # the caption starts at the plot's left edge, 250 px in: fewer characters per line
    fig = finish(fig, title, caption, lang, subtitle=subtitle, height=140 + 80 * len(rows), width=95)
    fig.update_layout(margin={"l": 250})
    return fig


def panel_change_figure(panel: pd.DataFrame, lang: str, filters: str = "") -> go.Figure:
    """Dot-and-whisker of the panel mean differences (wave b − wave a) with their CI, one row
    per scale, annotated with d_z, Holm p and the number of pairs (``practice.panel_change``).
    Filled markers: Holm-adjusted p < 0.05."""
    a, b = (str(panel["wave_a"].iloc[0]), str(panel["wave_b"].iloc[0])) if len(panel) else ("", "")

    def annotation(r: Any) -> str:
        return t(
            "pr.fig.diff.annot_panel", lang, d=num(r.d_z, lang), p=fmt_p(r.p_holm, lang), n=fmt_int(r.n_pairs, lang)
        )

    return _diff_figure(
        panel,
        lang,
        filters,
        title=t("pr.fig.panel.title", lang, a=a, b=b),
        subtitle=t("pr.fig.panel.subtitle", lang, a=a, b=b),
        note=join_notes(t("pr.fig.panel.note", lang, b=b), items_compared_text(panel, lang)),
        annotation=annotation,
        n=total_n(panel, "n_pairs"),
    )


def cross_sectional_figure(cross: pd.DataFrame, lang: str, filters: str = "") -> go.Figure:
    """The same chart for the cross-sectional comparison (``practice.cross_sectional_change``),
    titled and captioned as not a panel; annotated with Hedges' g, Holm p, n of each wave."""
    a, b = (str(cross["wave_a"].iloc[0]), str(cross["wave_b"].iloc[0])) if len(cross) else ("", "")

    def annotation(r: Any) -> str:
        return t(
            "pr.fig.diff.annot_cross",
            lang,
            g=num(r.hedges_g, lang),
            p=fmt_p(r.p_holm, lang),
            na=fmt_int(r.n_a, lang),
            nb=fmt_int(r.n_b, lang),
        )

    return _diff_figure(
        cross,
        lang,
        filters,
        title=t("pr.fig.cross.title", lang, a=a, b=b),
        subtitle=t("pr.fig.cross.subtitle", lang),
        note=join_notes(t("pr.fig.cross.note", lang), items_compared_text(cross, lang)),
        annotation=annotation,
        n=total_n(cross, "n"),
    )


# --------------------------------------------------------------------------- Likert items


def likert_figure(
    dist: pd.DataFrame,
    lang: str,
    filters: str = "",
    scale_label: str = "",
    waves: Sequence[str] | None = None,
) -> go.Figure:
    """Diverging stacked bars of the answers to each item of a scale, one panel per wave
    (``practice.item_distribution``; ``waves``: the waves to show, by default the last two):
    disagreement to the left, agreement to the right, the neutral answer split across 0.
    Hidden item × wave: a hatched grey bar "moins de 5 répondants"; an item not asked in a
    wave says so."""
    title = t("pr.fig.likert.title", lang, scale=scale_label)
    caption_base: dict[str, Any] = {"source": _source(lang), "filters": filters, "min_group_size": min_size()}
    if dist.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, **caption_base), lang)
    all_waves = wave_positions(dist)
    chosen = [w for w in (waves or all_waves[-2:]) if w in all_waves] or all_waves[-1:]
    dist = dist.loc[dist["wave_id"].astype(str).isin(chosen)]
    text_col = "text_en" if lang == "en" else "text_fr"
    items = dist.drop_duplicates("item_id").sort_values("item_id", kind="stable")
    reverse_note = bool(items["reverse_keyed"].any())
    item_label = {
        r.item_id: wrap(
            f"{getattr(r, text_col)}" + (f" {t('pr.fig.likert.reverse', lang)}" if r.reverse_keyed else ""), 46
        )
        for r in items.itertuples(index=False)
    }
    order = list(item_label)  # first item on top (axis reversed)
    options = dist.loc[dist["sort_order"].notna()].drop_duplicates("sort_order").sort_values("sort_order")
    opt_labels = list(options[label_column(lang)].astype(str))
    k = len(opt_labels)
    colours = LIKERT_COLOURS if k == 5 else [LIKERT_COLOURS[min(4, round(i * 4 / max(k - 1, 1)))] for i in range(k)]
    neg = list(range(k // 2))
    mid = k // 2 if k % 2 else None
    pos_ = list(range(k // 2 + (k % 2), k))
    fig = make_subplots(rows=1, cols=len(chosen), shared_yaxes=True, horizontal_spacing=0.05)
    hidden_items: list[tuple[str, str]] = []
    hidden_label = t("chart.suppressed_cell", lang, n=min_size())
    for c, wave in enumerate(chosen, start=1):
        part = dist.loc[dist["wave_id"].astype(str) == wave]
        share = part.pivot_table(index="item_id", columns="sort_order", values="share", aggfunc="first")
        share = share.reindex(index=order, columns=list(options["sort_order"]))
        sup = part.groupby("item_id")["suppressed"].any().reindex(order)
        asked = sup.notna()
        n_item = part.groupby("item_id")["n"].max().reindex(order)
        first = c == 1
        # negative side from 0 outwards: neutral half, then disagreement (mildest first)
        plan = ([(mid, -1.0, True)] if mid is not None else []) + [(j, -1.0, False) for j in reversed(neg)]
        plan += ([(mid, 1.0, True)] if mid is not None else []) + [(j, 1.0, False) for j in pos_]
        for j, sign, half in plan:
            raw = share[share.columns[j]].where(~sup.fillna(True).astype(bool)) * 100
            vals = (raw * (0.5 if half else 1.0) * sign).fillna(0.0)
            labelled = not half or sign > 0  # the neutral answer is labelled once, on its right half
            text = [fmt_percent(v / 100, lang) if labelled and not is_missing(v) and v >= 8 else "" for v in raw]
            hover = [
                f"<b>{opt_labels[j]}</b><br>{wave}<br>{fmt_percent(v / 100, lang)} (n = {fmt_int(n, lang)})"
                if not is_missing(v)
                else ""
                for v, n in zip(raw, n_item, strict=True)
            ]
            fig.add_trace(
                go.Bar(
                    x=vals.tolist(),
                    y=order,
                    orientation="h",
                    name=opt_labels[j],
                    marker={"color": colours[j], "line": {"width": 0.5, "color": "white"}},
                    text=text,
                    textposition="inside",
                    insidetextanchor="middle",
                    textangle=0,
                    textfont={"color": "white" if j in (0, k - 1) else INK, "size": 11},
                    hovertext=hover,
                    hoverinfo="text",
                    legendgroup=f"opt{j}",
                    showlegend=first and labelled,
                    legendrank=j,
                ),
                row=1,
                col=c,
            )
        hidden = [i for i in order if asked.get(i, False) and bool(sup.get(i))]
        if hidden:
            for sign in (-1, 1):
                fig.add_trace(
                    go.Bar(
                        x=[50 * sign] * len(hidden),
                        y=hidden,
                        orientation="h",
                        marker={
                            "color": "#eeeeee",
                            "pattern": {"shape": "/", "fgcolor": "#8c8c8c", "size": 8},
                            "line": {"width": 0},
                        },
                        name=hidden_label,
                        legendgroup="hidden",
                        legendrank=k + 1,
                        showlegend=bool(sign == 1 and not hidden_items),
                        hoverinfo="skip",
                    ),
                    row=1,
                    col=c,
                )
            hidden_items += [(i, wave) for i in hidden]
        notes = [(i, hidden_label) for i in hidden] + [
            (i, t("pr.fig.likert.not_asked", lang)) for i in order if not asked.get(i, False)
        ]
        if notes:
            fig.add_trace(
                go.Scatter(
                    x=[0] * len(notes),
                    y=[i for i, _ in notes],
                    mode="text",
                    text=[x for _, x in notes],
                    textfont={"color": INK, "size": 12},
                    showlegend=False,
                    hoverinfo="skip",
                ),
                row=1,
                col=c,
            )
        fig.add_vline(x=0, line={"color": INK, "width": 1}, row=1, col=c)
        fig.update_xaxes(title_text=f"<b>{wave}</b>", row=1, col=c)
    ticks = [-50, 0, 50]
    fig.update_xaxes(
        range=[-100, 100],
        tickvals=ticks,
        ticktext=[fmt_percent(abs(v) / 100, lang) if v else "0" for v in ticks],
        showgrid=True,
        gridcolor=GRID,
    )
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed", showgrid=False)
    fig.update_yaxes(tickvals=order, ticktext=[item_label[i] for i in order], row=1, col=1)
    fig.update_layout(
        barmode="relative", bargap=0.3, legend={"traceorder": "normal"}, uniformtext={"minsize": 10, "mode": "hide"}
    )
    notes_text = [hidden_note(hidden_items, lang, chosen), n_per_wave(dist.loc[~dist["suppressed"]], lang)]
    if reverse_note:
        notes_text.append(t("pr.fig.likert.note_reverse", lang))
    caption = Caption(total_n(dist), note=join_notes(*notes_text), **caption_base)
    fig = finish(
        fig, title, caption, lang, subtitle=t("pr.fig.likert.subtitle", lang), height=200 + 72 * len(order), width=105
    )
    fig.update_layout(margin={"l": 330})
    set_top(fig, 24)  # the legend above the bars
    return fig


# --------------------------------------------------------------------------- strategic vs operational


def level_gap_figure(gap: pd.DataFrame, lang: str, filters: str = "") -> go.Figure:
    """Strategic − operational gap per wave with its CI, one series per scale
    (``practice.level_gap``). Waves where a level is hidden are grey crosses on the zero line."""
    title = t("pr.fig.gap.title", lang)
    caption_base: dict[str, Any] = {"source": _source(lang), "filters": filters, "min_group_size": min_size()}
    if gap.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, **caption_base), lang)
    waves = wave_positions(gap)
    pos = {w: i for i, w in enumerate(waves)}
    scales = list(dict.fromkeys(gap["scale_id"]))
    fig = go.Figure()
    hidden = Hidden(lang, min_size())
    for i, s in enumerate(scales):
        part = gap.loc[gap["scale_id"] == s]
        label = str(part[label_column(lang)].iloc[0])
        x = [pos[str(w)] + dodge(i, len(scales)) for w in part["wave_id"]]
        g = pd.to_numeric(part["gap"], errors="coerce").to_numpy(float)
        lo = pd.to_numeric(part["ci_low"], errors="coerce").to_numpy(float)
        hi = pd.to_numeric(part["ci_high"], errors="coerce").to_numpy(float)
        hover = [
            f"<b>{label}</b><br>{w}<br>{t('level.strategic', lang)} {fmt_number(ms, lang, 2)} (n = {fmt_int(ns, lang)})"
            f"<br>{t('level.operational', lang)} {fmt_number(mo, lang, 2)} (n = {fmt_int(no, lang)})"
            f"<br>{t('pr.col.diff', lang)} {fmt_signed(d, lang, 2)} "
            f"({t('chart.ci', lang)} {fmt_ci(a, b, lang, signed=True)})"
            for w, ms, ns, mo, no, d, a, b in zip(
                part["wave_id"],
                part["mean_strategic"],
                part["n_strategic"],
                part["mean_operational"],
                part["n_operational"],
                g,
                lo,
                hi,
                strict=True,
            )
        ]
        fig.add_trace(ci_line(x, g, lo, hi, i, label, hover))
        hidden.add(label, part["wave_id"], x, part["suppressed"])
    hidden.draw(fig, 0.0)
    fig.add_hline(
        y=0,
        line={"color": MUTED, "width": 1.5, "dash": "dot"},
        annotation_text=t("pr.fig.gap.zero", lang),
        annotation_position="bottom right",
        annotation_font={"color": MUTED, "size": 11},
    )
    shown = gap.loc[~gap["suppressed"]]
    ext = float(np.nanmax(np.abs(np.r_[shown["ci_low"].astype(float), shown["ci_high"].astype(float), 0.3])))
    fig.update_yaxes(range=[-ext * 1.1, ext * 1.1], title_text=t("pr.axis.gap", lang), tickformat="+.1f")
    fig.update_xaxes(**wave_axis(waves, t("pr.axis.wave", lang)))
    caption = Caption(
        total_n(gap),
        note=join_notes(hidden_note(hidden.items, lang, waves), n_per_wave(shown, lang)),
        **caption_base,
    )
    return finish(fig, title, caption, lang, subtitle=t("pr.fig.gap.subtitle", lang), height=480)


# --------------------------------------------------------------------------- reliable change

RC_COLOURS = {"deteriorated": "#ef8a62", "unchanged": "#d9d9d9", "improved": "#2166ac"}


def reliable_change_figure(rc: pd.DataFrame, lang: str, filters: str = "") -> go.Figure:
    """100 % stacked bars per scale: reliable decline / no reliable change / reliable
    improvement among panel respondents (``practice.reliable_change``). Hidden scales: a
    hatched grey bar."""
    a, b = (str(rc["wave_a"].iloc[0]), str(rc["wave_b"].iloc[0])) if len(rc) else ("", "")
    title = t("pr.fig.rc.title", lang, a=a, b=b)
    caption_base: dict[str, Any] = {"source": _source(lang), "filters": filters, "min_group_size": min_size()}
    if rc.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, **caption_base), lang)
    rows = list(rc.itertuples(index=False))
    labels = [
        f"{_scale_label(r, lang)}<br><span style='font-size:11px;color:{MUTED}'>"
        + (t("chart.suppressed_cell", lang, n=min_size()) if r.suppressed else f"n = {fmt_int(r.n_pairs, lang)}")
        + "</span>"
        for r in rows
    ]
    fig = go.Figure()
    for key, pattern in (("deteriorated", "/"), ("unchanged", ""), ("improved", "")):
        shares = [np.nan if r.suppressed else float(getattr(r, f"share_{key}")) for r in rows]
        counts = [getattr(r, f"n_{key}") for r in rows]
        fig.add_trace(
            go.Bar(
                x=[0.0 if is_missing(s) else s * 100 for s in shares],
                y=labels,
                orientation="h",
                name=t(f"pr.rc.{key}", lang),
                marker={
                    "color": RC_COLOURS[key],
                    "line": {"width": 0.5, "color": "white"},
                    "pattern": {"shape": pattern, "fgcolor": "#7f2704", "size": 6},
                },
                text=[fmt_percent(s, lang) if not is_missing(s) and s >= 0.03 else "" for s in shares],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": "white" if key == "improved" else INK, "size": 12},
                hovertext=[
                    f"{t(f'pr.rc.{key}', lang)} : {fmt_percent(s, lang)} ({fmt_int(c, lang)})"
                    if not is_missing(s)
                    else ""
                    for s, c in zip(shares, counts, strict=True)
                ],
                hoverinfo="text",
            )
        )
    hid = [lab for lab, r in zip(labels, rows, strict=True) if r.suppressed]
    if hid:
        fig.add_trace(
            go.Bar(
                x=[100] * len(hid),
                y=hid,
                orientation="h",
                name=t("chart.suppressed_cell", lang, n=min_size()),
                marker={"color": "#eeeeee", "pattern": {"shape": "/", "fgcolor": "#8c8c8c", "size": 8}},
                text=[t("chart.suppressed_cell", lang, n=min_size())] * len(hid),
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": INK},
                hoverinfo="skip",
            )
        )
    fig.update_layout(
        barmode="stack", bargap=0.35, legend={"traceorder": "normal"}, uniformtext={"minsize": 10, "mode": "hide"}
    )
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(range=[0, 100], title_text=t("pr.axis.share_resp", lang), **percent_axis(lang))
    points = ", ".join(
        f"{_scale_label(r, lang)} {fmt_number(r.reliable_change_points, lang, 2)}"
        for r in rows
        if not r.suppressed and not is_missing(r.reliable_change_points)
    )
    hidden_items = [_scale_label(r, lang) for r in rows if r.suppressed]
    note = join_notes(hidden_note(hidden_items, lang), t("pr.fig.rc.note", lang, points=points) if points else "")
    caption = Caption(total_n(rc, "n_pairs"), note=note, **caption_base)
    fig = finish(fig, title, caption, lang, subtitle=t("pr.fig.rc.subtitle", lang), height=200 + 70 * len(rows),
                        width=100)
    fig.update_layout(margin={"l": 220})
    set_top(fig, 24)  # the legend above the bars
    return fig


# --------------------------------------------------------------------------- tables


def _fmt_col(values: pd.Series, lang: str, decimals: int = 2, signed: bool = False) -> list[str]:
    f = fmt_signed if signed else fmt_number
    return [f(v, lang, decimals) for v in values]


def panel_table(panel: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The panel comparison as a display table (numbers formatted for `lang`; hidden rows say
    'moins de 5 répondants')."""
    if panel.empty:
        return pd.DataFrame()
    a, b = str(panel["wave_a"].iloc[0]), str(panel["wave_b"].iloc[0])
    col = hide_where(panel["suppressed"].astype(bool), t("chart.suppressed_cell", lang, n=min_size()))
    return pd.DataFrame(
        {
            t("pr.col.scale", lang): panel[label_column(lang)].astype(str),
            t("pr.col.design", lang): t("pr.design.panel", lang),
            t("pr.col.n_pairs", lang): col([fmt_int(v, lang) for v in panel["n_pairs"]]),
            t("pr.col.mean_a", lang, a=a): col(_fmt_col(panel["mean_a"], lang)),
            t("pr.col.mean_b", lang, b=b): col(_fmt_col(panel["mean_b"], lang)),
            t("pr.col.diff", lang): col(_fmt_col(panel["mean_diff"], lang, signed=True)),
            t("pr.col.ci", lang): col(
                [fmt_ci(lo, hi, lang, signed=True) for lo, hi in zip(panel["ci_low"], panel["ci_high"], strict=True)]
            ),
            t("pr.col.d_z", lang): col([num(v, lang) for v in panel["d_z"]]),
            t("pr.col.p_holm", lang): col([fmt_p(p, lang) for p in panel["p_holm"]]),
            t("pr.col.p_wilcoxon", lang): col([fmt_p(p, lang) for p in panel["p_wilcoxon"]]),
        }
    )


def cross_sectional_table(cross: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The cross-sectional comparison as a display table, labelled as not a panel."""
    if cross.empty:
        return pd.DataFrame()
    a, b = str(cross["wave_a"].iloc[0]), str(cross["wave_b"].iloc[0])
    col = hide_where(cross["suppressed"].astype(bool), t("chart.suppressed_cell", lang, n=min_size()))
    return pd.DataFrame(
        {
            t("pr.col.scale", lang): cross[label_column(lang)].astype(str),
            t("pr.col.design", lang): t("pr.design.cross", lang),
            t("pr.col.n_a", lang, a=a): col([fmt_int(v, lang) for v in cross["n_a"]]),
            t("pr.col.n_b", lang, b=b): col([fmt_int(v, lang) for v in cross["n_b"]]),
            t("pr.col.mean_a", lang, a=a): col(_fmt_col(cross["mean_a"], lang)),
            t("pr.col.mean_b", lang, b=b): col(_fmt_col(cross["mean_b"], lang)),
            t("pr.col.diff", lang): col(_fmt_col(cross["mean_diff"], lang, signed=True)),
            t("pr.col.ci", lang): col(
                [fmt_ci(lo, hi, lang, signed=True) for lo, hi in zip(cross["ci_low"], cross["ci_high"], strict=True)]
            ),
            t("pr.col.g", lang): col([num(v, lang) for v in cross["hedges_g"]]),
            t("pr.col.p_holm", lang): col([fmt_p(p, lang) for p in cross["p_holm"]]),
        }
    )


# --------------------------------------------------------------------------- repeated-measures model


def _estimate_label(estimate: Any, lang: str) -> str:
    fr, en = ESTIMATES.get(str(estimate), (str(estimate), str(estimate)))
    return en if lang == "en" else fr


def _reasons(note: Any, lang: str) -> str:
    """The model's note ids (comma-separated) as words."""
    if is_missing(note) or not str(note):
        return ""
    parts = [NOTES.get(n.strip(), (n.strip(), n.strip())) for n in str(note).split(",") if n.strip()]
    return "; ".join(en for _, en in parts) if lang == "en" else " ; ".join(fr for fr, _ in parts)


def _change_row(changes: pd.DataFrame, scale_id: str, wave_a: str, wave_b: str) -> Any:
    rows = changes.loc[
        (changes["scale_id"] == scale_id) & (changes["wave_a"] == wave_a) & (changes["wave_b"] == wave_b)
    ]
    return rows.iloc[0] if len(rows) else None


def _mean_diff(summary: pd.DataFrame | None, scale_id: str, wave_a: str, wave_b: str, column: str = "mean") -> Any:
    """mean(b) − mean(a) of ``summary`` (scale × wave rows); None when a wave is hidden or absent."""
    if summary is None or summary.empty or column not in summary:
        return None
    part = summary.loc[summary["scale_id"] == scale_id].set_index(summary.loc[summary["scale_id"] == scale_id,
                                                                              "wave_id"].astype(str))
    if wave_a not in part.index or wave_b not in part.index:
        return None
    ra, rb = part.loc[wave_a], part.loc[wave_b]
    if bool(ra["suppressed"]) or bool(rb["suppressed"]) or is_missing(ra[column]) or is_missing(rb[column]):
        return None
    return float(rb[column]) - float(ra[column])


def model_table(
    models: pd.DataFrame,
    changes: pd.DataFrame,
    lang: str,
    wave_a: str,
    wave_b: str,
    scales: Sequence[str],
    summary: pd.DataFrame | None = None,
    weighted: pd.DataFrame | None = None,
    decimals: int = 2,
) -> pd.DataFrame:
    """The repeated-measures model (:func:`indicators.models.repeated_measures`) for the scales
    ``scales``, one row per scale: which estimate is shown, the change ``wave_a`` → ``wave_b``
    with its CI, beside the difference of the descriptive means (``summary``: scale × wave rows
    with ``mean``) and, given ``weighted`` (:func:`indicators.weights.weighted_trend`), of the
    weighted means; the ICCs and n respondents / institutions / waves. A model or a change
    resting on fewer than min_group_size respondents (``suppressed``) reads 'moins de 5
    répondants', never a number."""
    hidden = t("chart.suppressed_cell", lang, n=min_size())
    by_scale = models.set_index("scale_id") if len(models) else models
    rows = []
    for scale_id in scales:
        if scale_id not in by_scale.index:
            continue
        m = by_scale.loc[scale_id]
        row: dict[str, str] = {t("pr.col.scale", lang): str(m[label_column(lang)])}
        model_hidden = bool(m["suppressed"])
        c = _change_row(changes, scale_id, wave_a, wave_b)
        change_hidden = model_hidden or c is None or bool(c["suppressed"])
        row[t("model.col.estimate", lang)] = hidden if model_hidden else _estimate_label(m["estimate"], lang)
        row[t("model.col.change", lang, a=wave_a, b=wave_b)] = (
            hidden if change_hidden else fmt_signed(c["change"], lang, decimals)
        )
        row[t("model.col.ci", lang)] = (
            hidden if change_hidden else fmt_ci(c["ci_low"], c["ci_high"], lang, decimals, signed=True)
        )
        diff = _mean_diff(summary, scale_id, wave_a, wave_b)
        row[t("model.col.descriptive", lang)] = hidden if diff is None else fmt_signed(diff, lang, decimals)
        if weighted is not None:
            wdiff = _mean_diff(weighted, scale_id, wave_a, wave_b, "mean_weighted")
            row[t("model.col.weighted", lang)] = hidden if wdiff is None else fmt_signed(wdiff, lang, decimals)
        for key, col in (("model.col.icc_inst", "icc_institution"), ("model.col.icc_resp", "icc_respondent")):
            row[t(key, lang)] = hidden if model_hidden else fmt_number(m[col], lang, 2)
        for key, col in (("model.col.n_resp", "n_respondents"), ("model.col.n_inst", "n_institutions"),
                         ("model.col.n_waves", "n_waves")):
            row[t(key, lang)] = hidden if model_hidden else fmt_int(m[col], lang)
        rows.append(row)
    return pd.DataFrame(rows)


def model_sentences(
    models: pd.DataFrame,
    changes: pd.DataFrame,
    lang: str,
    wave_a: str,
    wave_b: str,
    scales: Sequence[str],
    decimals: int = 2,
) -> list[str]:
    """One sentence per scale with a change shown: « Pratiques en réseau » : +0,12 entre 2025-2
    et 2026-1 (IC 95 % +0,05 à +0,19)."""
    out = []
    by_scale = models.set_index("scale_id") if len(models) else models
    for scale_id in scales:
        if scale_id not in by_scale.index or bool(by_scale.loc[scale_id, "suppressed"]):
            continue
        c = _change_row(changes, scale_id, wave_a, wave_b)
        if c is None or bool(c["suppressed"]) or is_missing(c["change"]):
            continue
        out.append(t("model.sentence", lang, scale=by_scale.loc[scale_id, label_column(lang)],
                     change=fmt_signed(c["change"], lang, decimals), a=wave_a, b=wave_b,
                     low=fmt_signed(c["ci_low"], lang, decimals), high=fmt_signed(c["ci_high"], lang, decimals)))
    return out


def model_notes(models: pd.DataFrame, lang: str, scales: Sequence[str]) -> list[str]:
    """The explicit fallback sentences: for every scale whose model is not the full one (respondent
    and institution intercepts), which estimate is shown and why; nothing for hidden scales."""
    out = []
    by_scale = models.set_index("scale_id") if len(models) else models
    for scale_id in scales:
        if scale_id not in by_scale.index:
            continue
        m = by_scale.loc[scale_id]
        if bool(m["suppressed"]) or m["estimate"] == ESTIMATE_FULL:
            continue
        label, reason = m[label_column(lang)], _reasons(m["note"], lang)
        if m["estimate"] == ESTIMATE_NONE:
            reason = reason or _estimate_label(ESTIMATE_NONE, lang)
            out.append(t("model.not_estimable", lang, scale=label, reason=reason))
        elif reason:
            out.append(t("model.fallback", lang, scale=label, estimate=_estimate_label(m["estimate"], lang),
                         reason=reason))
        else:
            out.append(t("model.fallback_plain", lang, scale=label, estimate=_estimate_label(m["estimate"], lang)))
    return out


def model_hidden(models: pd.DataFrame, scales: Sequence[str]) -> bool:
    """True when every model of ``scales`` is suppressed (fewer than min_group_size respondents)."""
    part = models.loc[models["scale_id"].isin(list(scales))] if len(models) else models
    return bool(part.empty or part["suppressed"].astype(bool).all())


# --------------------------------------------------------------------------- weighted trend


def weighted_trend_figure(
    trend: pd.DataFrame,
    lang: str,
    filters: str = "",
    axis_title: str | None = None,
    decimals: int = 2,
    source: str | None = None,
) -> go.Figure:
    """Mean per wave weighted to the invited population (solid line, 95 % CI as error bars) and
    unweighted (dotted, same colour), one colour per scale (``indicators.weights.weighted_trend``).
    Hidden waves × scales (fewer than min_group_size respondents) are not drawn and listed in
    the caption."""
    title = t("weights.fig.title", lang)
    caption_base: dict[str, Any] = {"source": source or _source(lang), "filters": filters,
                                    "min_group_size": min_size()}
    if trend.empty or trend["suppressed"].astype(bool).all():
        return empty_figure(title, t("chart.no_data", lang), Caption(None, **caption_base), lang)
    waves = wave_positions(trend)
    pos = {w: i for i, w in enumerate(waves)}
    fig = go.Figure()
    hidden_items: list[tuple[str, str]] = []
    scales = list(dict.fromkeys(trend["scale_id"]))
    for i, scale_id in enumerate(scales):
        part = trend.loc[trend["scale_id"] == scale_id]
        label = str(part[label_column(lang)].iloc[0])
        shown = part.loc[~part["suppressed"].astype(bool)]
        hidden_items += [(label, str(w)) for w in part.loc[part["suppressed"].astype(bool), "wave_id"]]
        x = [pos[str(w)] + dodge(i, len(scales)) for w in shown["wave_id"]]
        mw = pd.to_numeric(shown["mean_weighted"], errors="coerce").to_numpy(float)
        lo = pd.to_numeric(shown["ci_low_weighted"], errors="coerce").to_numpy(float)
        hi = pd.to_numeric(shown["ci_high_weighted"], errors="coerce").to_numpy(float)
        mu = pd.to_numeric(shown["mean"], errors="coerce").to_numpy(float)
        colour = series_colour(i)
        fig.add_trace(go.Scatter(
            x=x, y=[None if math.isnan(v) else v for v in mw], mode="lines+markers",
            name=t("weights.series.weighted", lang, scale=label),
            line={"color": colour, "width": 2.5}, marker={"color": colour, "size": 8},
            error_y=ci_bars(mw, lo, hi, colour),
            hovertext=[f"<b>{label}</b><br>{t('chart.wave', lang)} {w}<br>{t('chart.mean', lang)} "
                       f"{fmt_number(v, lang, decimals)}<br>{t('chart.ci', lang)} {fmt_ci(a, b, lang, decimals)}"
                       for w, v, a, b in zip(shown["wave_id"], mw, lo, hi, strict=True)],
            hoverinfo="text",
        ))
        fig.add_trace(go.Scatter(
            x=x, y=[None if math.isnan(v) else v for v in mu], mode="lines+markers",
            name=t("weights.series.unweighted", lang, scale=label),
            line={"color": colour, "width": 1.5, "dash": "dot"},
            marker={"color": colour, "size": 6, "symbol": "circle-open"},
            hovertext=[f"<b>{label}</b><br>{t('chart.wave', lang)} {w}<br>{t('chart.mean', lang)} "
                       f"{fmt_number(v, lang, decimals)}" for w, v in zip(shown["wave_id"], mu, strict=True)],
            hoverinfo="text",
        ))
    fig.update_xaxes(**wave_axis(waves, t("pr.axis.wave", lang)))
    fig.update_yaxes(title_text=axis_title or t("pr.axis.score", lang))
    shown_all = trend.loc[~trend["suppressed"].astype(bool)]
    eff = shown_all.groupby(shown_all["wave_id"].astype(str), sort=False)["n_effective"].max()
    items = ", ".join(f"{w} : {fmt_int(v, lang)}" if lang == "fr" else f"{w}: {fmt_int(v, lang)}"
                      for w, v in eff.items())
    note = join_notes(hidden_note(hidden_items, lang, waves), t("weights.fig.note", lang, items=items))
    caption = Caption(total_n(shown_all), note=note, **caption_base)
    return finish(fig, title, caption, lang, subtitle=t("weights.fig.subtitle", lang), height=480)


def weighted_sentences(
    trend: pd.DataFrame, lang: str, wave_a: str, wave_b: str, scales: Sequence[str], decimals: int = 2
) -> list[str]:
    """« Pratiques en réseau » : écart des moyennes a → b pondéré +0,11, non pondéré +0,10 (scales
    whose two waves are both shown)."""
    out = []
    for scale_id in scales:
        part = trend.loc[trend["scale_id"] == scale_id]
        if part.empty:
            continue
        w = _mean_diff(trend, scale_id, wave_a, wave_b, "mean_weighted")
        u = _mean_diff(trend, scale_id, wave_a, wave_b, "mean")
        if w is None or u is None:
            continue
        out.append(t("weights.sentence", lang, scale=part[label_column(lang)].iloc[0], a=wave_a, b=wave_b,
                     w=fmt_signed(w, lang, decimals), u=fmt_signed(u, lang, decimals)))
    return out
