"""Figures and display tables of the « Échanges » page.

Pure functions (no Streamlit): DataFrames of :mod:`indicators.exchanges` and ``lang`` in, a
``go.Figure`` in the house style of :mod:`ui.style` (title, caption with n, source, filters and
date) or a display DataFrame out.

Survey cells with fewer than ``min_group_size`` respondents are hidden by the indicator; here
they are drawn as grey cells that say so ("moins de 5 répondants"), never as blanks that could be
read as zero. Activity-log counts are about actions, not people, and are not hidden.
Categories (activity types, territories) are told apart by colour and by a fill pattern, so
the bars stay readable in black and white.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.figures_network import colon, finish_chart, is_missing, pct, pct_suffix, sector_name, short
from ui.i18n import fmt_int, fmt_number, fmt_signed, t
from ui.recipes import Grid, cell_grid, cells_where, empty_cells, hidden_cells, series_colour
from ui.style import INK, MUTED, SERIES_COLOURS, Caption, empty_figure, series_style

HIDDEN_GREY = "#d9d9d9"
PATTERNS = ["", "/", ".", "x", "\\", "-", "|", "+"]
MEASURES = ("mean_per_month", "share_at_least_monthly")
MONTHS_FR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --------------------------------------------------------------------------- labels


def month_label(month: Any, lang: str) -> str:
    """2025-03-01 → 'mars 2025' (fr) or 'Mar 2025' (en)."""
    if is_missing(month):
        return "–"
    d = pd.Timestamp(month)
    names = MONTHS_EN if lang == "en" else MONTHS_FR
    return f"{names[d.month - 1]} {d.year}"


def period_label(period: Any, lang: str) -> str:
    """'2025-S1' → '1er sem. 2025' (fr) or 'H1 2025' (en); anything else unchanged."""
    if is_missing(period):
        return t("exchanges.period.all", lang)
    text = str(period)
    year, _, half = text.partition("-S")
    if not (year.isdigit() and half in ("1", "2")):
        return text
    return t(f"exchanges.period.s{half}", lang, year=year)


@functools.lru_cache(maxsize=1)
def _codebook_activity_types() -> dict[str, tuple[str, str]]:
    """Activity type code → (fr, en) from the activity log codebooks (newest wins)."""
    try:
        from etl.codebook import codebook_versions

        books = codebook_versions("activities")
    except Exception:  # no codebook: the page falls back on the codes
        return {}
    out: dict[str, tuple[str, str]] = {}
    for book in books:
        for rs in book.response_sets.values():
            if rs.name == "activity_types":
                out.update({o.code: (o.fr, o.en) for o in rs.options if o.code})
    return out


def activity_type_label(code: Any, lang: str) -> str:
    if is_missing(code):
        return t("exchanges.type.unknown", lang)
    fr, en = _codebook_activity_types().get(str(code), (str(code).replace("_", " "),) * 2)
    return en if lang == "en" else fr


def _min_size() -> int:
    from indicators.filters import Filters

    return Filters().min_group_size


# --------------------------------------------------------------------------- survey heatmaps


def _sector_axis(
    values: Sequence[Any], sector_order: Sequence[str], labels: Mapping[str, str] | None, lang: str
) -> tuple[list[Any], list[str]]:
    """Sectors present in `values`, in display order (missing sector last), and their names."""
    present = list(dict.fromkeys(None if is_missing(v) else str(v) for v in values))
    ordered: list[str | None] = [s for s in sector_order if s in present]
    ordered += sorted(s for s in present if s is not None and s not in sector_order)
    if None in present:
        ordered.append(None)
    names = [t("exchanges.no_sector", lang) if s is None else sector_name(s, labels) for s in ordered]
    return ordered, names


def _column_label(name: str, width: int = 13) -> str:
    """A sector name on up to three short lines (column headers of a grid)."""
    from ui.figures_network import wrap_words

    return "<br>".join(wrap_words(name, width))


def _cell_value(value: Any, measure: str, lang: str) -> str:
    if is_missing(value):
        return "–"
    return pct(value, lang) if measure == "share_at_least_monthly" else fmt_number(value, lang, 1)


def _hidden_layer(grey: Grid, x: list[str], y: list[str], text: Grid, hover: Grid, **kw: Any) -> go.Heatmap:
    """The grey cells of a sector grid (its hidden cells), with their « moins de 5 » labels."""
    return hidden_cells(grey, x, y, text, hover, HIDDEN_GREY, 3, textfont={"size": 10, "color": "#444444"},
                        meta={"kind": "hidden"}, **kw)


def _value_layer(z: Grid, x: list[str], y: list[str], text: Grid, hover: Grid, **kw: Any) -> go.Heatmap:
    """The coloured cells of a sector grid, their values written in them."""
    return cell_grid(z, x, y, text, hover, 3, textfont={"size": 13}, meta={"kind": "values"}, **kw)


def exchange_heatmap(
    matrix: pd.DataFrame,
    lang: str,
    *,
    wave: str,
    measure: str = "mean_per_month",
    sector_labels: Mapping[str, str] | None = None,
    sector_order: Sequence[str] = (),
    filters: str = "",
    min_group_size: int | None = None,
) -> go.Figure:
    """Sector × sector grid of one wave: rows = the respondents' sector, columns = the sector
    they exchange with; the value (times per month, or share at least monthly) is written in
    each cell. Hidden cells are grey and say "moins de 5 répondants". `matrix`:
    :func:`indicators.exchanges.survey_exchange_matrix`."""
    mgs = _min_size() if min_group_size is None else min_group_size
    title = t(f"exchanges.fig.heatmap.title.{measure}", lang, wave=wave)
    source = t("source.practitioner", lang)
    d = matrix[matrix["wave_id"].astype(str) == str(wave)] if not matrix.empty else matrix
    if d.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, source, filters), lang)
    rows, row_names = _sector_axis(d["respondent_sector_id"], sector_order, sector_labels, lang)
    cols, col_names = _sector_axis(d["target_sector_id"], sector_order, sector_labels, lang)
    ri = {s: i for i, s in enumerate(rows)}
    ci = {s: j for j, s in enumerate(cols)}
    z, grey, text, hover = empty_cells(len(rows), len(cols))
    hidden_text = t("chart.suppressed_cell", lang, n=mgs)
    row_n: dict[Any, int] = {}
    any_hidden = False
    for r in d.itertuples(index=False):
        rs = None if is_missing(r.respondent_sector_id) else str(r.respondent_sector_id)
        ts = None if is_missing(r.target_sector_id) else str(r.target_sector_id)
        i, j = ri[rs], ci[ts]
        who = row_names[i]
        whom = col_names[j]
        if bool(r.suppressed):
            any_hidden = True
            grey[i][j] = 1.0
            text[i][j] = "<br>".join(hidden_text.rsplit(" ", 1))
            hover[i][j] = t("exchanges.hover.hidden", lang, who=who, whom=whom, n=mgs)
            continue
        value = getattr(r, measure)
        z[i][j] = None if is_missing(value) else float(value) * (100 if measure != "mean_per_month" else 1)
        text[i][j] = _cell_value(value, measure, lang)
        row_n[rs] = max(row_n.get(rs, 0), int(r.n))
        hover[i][j] = t(
            f"exchanges.hover.{measure}",
            lang,
            who=who,
            whom=whom,
            value=_cell_value(value, measure, lang),
            n=fmt_int(r.n, lang),
        )
    y_labels = [
        f"{name}<br><span style='font-size:11px;color:{MUTED}'>"
        + (t("chart.n", lang, n=fmt_int(row_n[s], lang)) if s in row_n else hidden_text)
        + "</span>"
        for s, name in zip(rows, row_names, strict=True)
    ]
    x_labels = [_column_label(n) for n in col_names]
    fig = go.Figure()
    fig.add_trace(_hidden_layer(grey, x_labels, y_labels, text, hover, name="hidden"))
    is_share = measure == "share_at_least_monthly"
    fig.add_trace(
        _value_layer(
            z,
            x_labels,
            y_labels,
            cells_where(text, grey, False),
            hover,
            colorscale="Blues",
            zmin=0,
            zmax=100 if is_share else max(2.0, float(np.nanmax([v for row in z for v in row if v is not None] or [1]))),
            colorbar={
                "title": {"text": t(f"exchanges.axis.{measure}", lang), "side": "right"},
                "ticksuffix": pct_suffix(lang) if is_share else "",
                "len": 0.8,
                "thickness": 14,
            },
            name=t(f"exchanges.axis.{measure}", lang),
        )
    )
    # within-sector cells (diagonal) outlined
    for s in rows:
        if s in ci:
            i, j = ri[s], ci[s]
            fig.add_shape(
                type="rect",
                x0=j - 0.5,
                x1=j + 0.5,
                y0=i - 0.5,
                y1=i + 0.5,
                xref="x",
                yref="y",
                line={"color": INK, "width": 1.5, "dash": "dot"},
                fillcolor="rgba(0,0,0,0)",
            )
    fig.update_yaxes(autorange="reversed", showgrid=False, title={"text": t("exchanges.axis.from", lang)})
    fig.update_xaxes(side="top", showgrid=False, title={"text": t("exchanges.axis.to", lang)}, tickangle=0)
    n = sum(row_n.values()) or None
    caption = Caption(
        n,
        source,
        filters,
        suppressed=any_hidden,
        min_group_size=mgs,
        note=t("exchanges.fig.heatmap.note", lang),
    )
    fig = finish_chart(
        fig,
        title,
        caption,
        lang,
        subtitle=t(f"exchanges.fig.heatmap.subtitle.{measure}", lang),
        height=180 + 62 * len(rows),
        left=210,
        axis_below=False,
        top_extra=100,
    )
    return fig


def exchange_change_heatmap(
    matrix: pd.DataFrame,
    lang: str,
    *,
    wave_a: str,
    wave_b: str,
    measure: str = "mean_per_month",
    sector_labels: Mapping[str, str] | None = None,
    sector_order: Sequence[str] = (),
    filters: str = "",
    min_group_size: int | None = None,
) -> go.Figure:
    """Change of each sector × sector cell from wave a to wave b (difference of the two
    waves' respondents, not a panel); a cell hidden in either wave stays hidden."""
    mgs = _min_size() if min_group_size is None else min_group_size
    title = t(f"exchanges.fig.change.title.{measure}", lang, a=wave_a, b=wave_b)
    source = t("source.practitioner", lang)
    keys = ["respondent_sector_id", "target_sector_id"]
    if matrix.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, source, filters), lang)
    a = matrix[matrix["wave_id"].astype(str) == str(wave_a)]
    b = matrix[matrix["wave_id"].astype(str) == str(wave_b)]
    if a.empty or b.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, source, filters), lang)
    both = b.merge(a, on=keys, how="outer", suffixes=("", "_a"))
    both["wave_id"] = wave_b
    both["suppressed"] = (
        both["suppressed"].astype("boolean").fillna(False) | both["suppressed_a"].astype("boolean").fillna(False)
    ).astype(bool)
    scale = 100 if measure != "mean_per_month" else 1
    both["change"] = (
        pd.to_numeric(both[measure], errors="coerce") - pd.to_numeric(both[f"{measure}_a"], errors="coerce")
    ) * scale
    rows, row_names = _sector_axis(both["respondent_sector_id"], sector_order, sector_labels, lang)
    cols, col_names = _sector_axis(both["target_sector_id"], sector_order, sector_labels, lang)
    ri = {s: i for i, s in enumerate(rows)}
    ci = {s: j for j, s in enumerate(cols)}
    z, grey, text, hover = empty_cells(len(rows), len(cols))
    hidden_text = t("chart.suppressed_cell", lang, n=mgs)
    any_hidden = False
    unit = t("exchanges.points", lang) if measure != "mean_per_month" else ""
    for r in both.itertuples(index=False):
        rs = None if is_missing(r.respondent_sector_id) else str(r.respondent_sector_id)
        ts = None if is_missing(r.target_sector_id) else str(r.target_sector_id)
        i, j = ri[rs], ci[ts]
        if bool(r.suppressed) or is_missing(r.change):
            any_hidden = any_hidden or bool(r.suppressed)
            grey[i][j] = 1.0
            if bool(r.suppressed):
                text[i][j] = "<br>".join(hidden_text.rsplit(" ", 1))
                hover[i][j] = t("exchanges.hover.hidden_change", lang, n=mgs, a=wave_a, b=wave_b)
            else:  # asked in one wave only
                text[i][j] = "–"
                hover[i][j] = t("exchanges.hover.one_wave", lang, a=wave_a, b=wave_b)
            continue
        decimals = 0 if measure != "mean_per_month" else 1
        delta = round(float(r.change), decimals) + 0.0  # −0,0 → ±0,0
        z[i][j] = float(r.change)
        text[i][j] = f"{fmt_signed(delta, lang, decimals)}{(' ' + unit) if unit else ''}"
        hover[i][j] = t(
            "exchanges.hover.change",
            lang,
            who=row_names[i],
            whom=col_names[j],
            a=wave_a,
            b=wave_b,
            before=_cell_value(getattr(r, f"{measure}_a"), measure, lang),
            after=_cell_value(getattr(r, measure), measure, lang),
        )
    values = [abs(v) for row in z for v in row if v is not None]
    bound = max(values) if values else 1.0
    fig = go.Figure()
    x_labels = [_column_label(n) for n in col_names]
    fig.add_trace(_hidden_layer(grey, x_labels, row_names, text, hover))
    fig.add_trace(
        _value_layer(
            z,
            x_labels,
            row_names,
            cells_where(text, grey, False),
            hover,
            colorscale="RdBu",
            zmid=0,
            zmin=-bound,
            zmax=bound,
            colorbar={"title": {"text": t(f"exchanges.axis.change.{measure}", lang)}, "len": 0.8, "thickness": 14},
        )
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, title={"text": t("exchanges.axis.from", lang)})
    fig.update_xaxes(side="top", showgrid=False, title={"text": t("exchanges.axis.to", lang)}, tickangle=0)
    n_b = b[~b["suppressed"].astype(bool)].groupby("respondent_sector_id", dropna=False)["n"].max().sum()
    caption = Caption(
        int(n_b) if n_b else None,
        source,
        filters,
        suppressed=any_hidden,
        min_group_size=mgs,
        note=t("exchanges.fig.change.note", lang, a=wave_a, b=wave_b),
    )
    fig = finish_chart(
        fig,
        title,
        caption,
        lang,
        subtitle=t("exchanges.fig.change.subtitle", lang),
        height=180 + 56 * len(rows),
        left=210,
        axis_below=False,
        top_extra=100,
    )
    return fig


# --------------------------------------------------------------------------- activity log


def _period_months(monthly: pd.DataFrame) -> dict[str, int]:
    """Months of each half-year covered by the log (from the monthly series)."""
    if monthly.empty:
        return {}
    months = monthly.drop_duplicates("month")
    return {str(k): int(v) for k, v in months.groupby("period")["month"].size().items()}


def monthly_figure(
    monthly: pd.DataFrame,
    lang: str,
    *,
    by: str | None = None,
    filters: str = "",
    waves: pd.DataFrame | None = None,
    territory_labels: Mapping[str, str] | None = None,
    events: Sequence[tuple[float, str]] = (),
) -> go.Figure:
    """Joint actions per month as stacked bars: by activity type or territory (`by`), or, with
    `by` None, split into actions with ≥ 2 sectors and single-sector actions. `waves`
    (wave_id, first_date, last_date) marks the survey fieldwork months; `events` (month index,
    label) the officer's events (ui.events.marks_for_months)."""
    title = t(f"exchanges.fig.monthly.title.{by or 'all'}", lang)
    source = t("source.activities", lang)
    if monthly.empty:
        return empty_figure(title, t("exchanges.empty.no_actions", lang), Caption(None, source, filters), lang)
    d = monthly.sort_values("month", kind="stable")
    months = list(dict.fromkeys(pd.to_datetime(d["month"])))
    x = [month_label(m, lang) for m in months]
    fig = go.Figure()
    if by is None:
        parts = (
            ("multi", d["multi_sector"], INK, ""),
            ("single", d["actions"] - d["multi_sector"], "#9aa5b1", "/"),
        )
        for key, values, colour, pattern in parts:
            part_name = t(f"exchanges.fig.monthly.{key}", lang)
            fig.add_trace(
                go.Bar(
                    x=x,
                    y=values.tolist(),
                    name=t(f"exchanges.fig.monthly.{key}", lang),
                    marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "white", "solidity": 0.3}},
                    hovertemplate=f"%{{x}}<br>{part_name}{colon(lang)}%{{y}}<extra></extra>",
                    meta={"group": key},
                )
            )
    else:
        totals = d.groupby(by, dropna=False)["actions"].sum().sort_values(ascending=False)
        for gi, (group, _) in enumerate(totals.items()):
            part = d[d[by].isna()] if is_missing(group) else d[d[by] == group]
            series = part.set_index(pd.to_datetime(part["month"]))["actions"].reindex(months).fillna(0)
            if by == "activity_type":
                name = activity_type_label(group, lang)
            else:
                name = (
                    t("exchanges.no_territory", lang)
                    if is_missing(group)
                    else (territory_labels or {}).get(str(group), str(group))
                )
            fig.add_trace(
                go.Bar(
                    x=x,
                    y=series.astype(int).tolist(),
                    name=name,
                    marker={
                        "color": series_colour(gi),
                        "pattern": {"shape": PATTERNS[gi % len(PATTERNS)], "fgcolor": "white", "solidity": 0.35},
                        "line": {"color": "white", "width": 0.5},
                    },
                    hovertemplate=f"%{{x}}<br>{name}{colon(lang)}%{{y}}<extra></extra>",
                    meta={"group": None if is_missing(group) else str(group)},
                )
            )
    totals_by_month = d.groupby("month")["actions"].sum()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=totals_by_month.reindex(months).tolist(),
            mode="text",
            text=[fmt_int(v, lang) for v in totals_by_month.reindex(months)],
            textposition="top center",
            textfont={"size": 10, "color": MUTED},
            showlegend=False,
            hoverinfo="skip",
            meta={"group": "total"},
        )
    )
    fig.update_layout(barmode="stack", bargap=0.2, legend={"traceorder": "normal"})
    fig.update_yaxes(title={"text": t("exchanges.axis.actions", lang)}, rangemode="tozero")
    fig.update_xaxes(type="category", tickangle=-45)
    ymax = float(totals_by_month.max() or 1)
    fig.update_yaxes(range=[0, ymax * 1.22])
    if waves is not None and not waves.empty:
        index = {label: k for k, label in enumerate(x)}
        for w in waves.itertuples(index=False):
            first = w.first_date if not is_missing(w.first_date) else w.last_date
            last = w.last_date if not is_missing(w.last_date) else w.first_date
            if is_missing(first) or pd.isna(first):  # a wave without fieldwork dates (only its targets loaded)
                continue
            spots = [index[m] for m in (month_label(first, lang), month_label(last, lang)) if m in index]
            if not spots:
                continue
            fig.add_shape(
                type="rect",
                x0=min(spots) - 0.5,
                x1=max(spots) + 0.5,
                y0=0,
                y1=1,
                xref="x",
                yref="paper",
                fillcolor="rgba(0,0,0,0.07)",
                line={"width": 0},
                layer="below",
            )
            fig.add_annotation(
                x=(min(spots) + max(spots)) / 2,
                y=1.0,
                xref="x",
                yref="paper",
                text=t("exchanges.fig.monthly.wave", lang, wave=w.wave_id),
                showarrow=False,
                font={"size": 10, "color": MUTED},
                yanchor="top",
            )
    for position, label in events:
        fig.add_vline(x=position, line={"color": INK, "width": 1.2, "dash": "dot"}, annotation_text=label,
                      annotation_position="top left", annotation_font={"size": 10, "color": INK})
    n = int(d["actions"].sum())
    caption = Caption(n, source, filters, note=t("exchanges.fig.monthly.note", lang))
    fig = finish_chart(
        fig, title, caption, lang, subtitle=t("exchanges.fig.monthly.subtitle", lang), height=480, top_extra=34
    )
    fig.update_layout(margin={"b": fig.layout.margin.b + 30})
    for ann in fig.layout.annotations:
        if ann.name == "caption":
            ann.yshift = (ann.yshift or 0) - 30
    return fig


def _period_ticks(periods: Sequence[str], months: Mapping[str, int], n: Sequence[Any], lang: str) -> list[str]:
    out = []
    for p, k in zip(periods, n, strict=True):
        label = period_label(p, lang)
        m = months.get(p)
        extra = t("exchanges.fig.months", lang, m=m) if m and m < 6 else ""
        out.append(
            f"{label}{(' ' + extra) if extra else ''}<br><span style='font-size:11px'>n = {fmt_int(k, lang)}</span>"
        )
    return out


def shares_figure(
    shares: pd.DataFrame, lang: str, *, filters: str = "", months: Mapping[str, int] | None = None
) -> go.Figure:
    """Share of joint actions with ≥ 2 sectors and with ≥ 3 institutions, per half-year.
    `shares`: :func:`indicators.exchanges.activity_shares` by period."""
    title = t("exchanges.fig.shares.title", lang)
    source = t("source.activities", lang)
    if shares.empty:
        return empty_figure(title, t("exchanges.empty.no_actions", lang), Caption(None, source, filters), lang)
    d = shares.sort_values("period", kind="stable")
    periods = d["period"].astype(str).tolist()
    x = _period_ticks(periods, months or {}, d["actions"].tolist(), lang)
    fig = go.Figure()
    multi = pd.to_numeric(d["share_multi_sector"], errors="coerce").fillna(0).to_numpy()
    three = pd.to_numeric(d["share_three_plus_institutions"], errors="coerce").fillna(0).to_numpy()
    for i, (col, key) in enumerate((("share_multi_sector", "multi"), ("share_three_plus_institutions", "three"))):
        style = series_style(i)
        values = pd.to_numeric(d[col], errors="coerce")
        mine, other = (multi, three) if i == 0 else (three, multi)
        positions = [
            "top center" if m > o or (m == o and i == 0) else "bottom center" for m, o in zip(mine, other, strict=True)
        ]
        counts = d["multi_sector" if key == "multi" else "three_plus_institutions"]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=(values * 100).tolist(),
                mode="lines+markers+text",
                text=[pct(v, lang) for v in values],
                textposition=positions,
                textfont={"size": 12, "color": style["line"]["color"]},  # type: ignore[index]
                line=style["line"],
                marker=style["marker"],
                name=t(f"exchanges.fig.shares.{key}", lang),
                customdata=[[fmt_int(c, lang), fmt_int(a, lang)] for c, a in zip(counts, d["actions"], strict=True)],
                hovertemplate=f"{t(f'exchanges.fig.shares.{key}', lang)}<br>%{{text}} (%{{customdata[0]}} / "
                "%{customdata[1]})<extra></extra>",
                meta={"measure": col},
            )
        )
    fig.update_yaxes(range=[0, 105], ticksuffix=pct_suffix(lang), title={"text": t("chart.share", lang)})
    fig.update_xaxes(type="category")
    n = int(d["actions"].sum())
    caption = Caption(n, source, filters, note=t("exchanges.fig.shares.note", lang))
    return finish_chart(
        fig, title, caption, lang, subtitle=t("exchanges.fig.shares.subtitle", lang), height=430, top_extra=34
    )


def audience_figure(
    shares: pd.DataFrame, lang: str, *, filters: str = "", months: Mapping[str, int] | None = None
) -> go.Figure:
    """Actions whose audience includes 16–18 year olds, and actions co-organised with parents,
    per half-year: bars of counts labelled with their share of the period's actions."""
    title = t("exchanges.fig.audience.title", lang)
    source = t("source.activities", lang)
    if shares.empty:
        return empty_figure(title, t("exchanges.empty.no_actions", lang), Caption(None, source, filters), lang)
    d = shares.sort_values("period", kind="stable")
    periods = d["period"].astype(str).tolist()
    x = _period_ticks(periods, months or {}, d["actions"].tolist(), lang)
    fig = go.Figure()
    for i, (count, share, key, pattern) in enumerate(
        (
            ("for_16_18", "share_16_18", "youth", ""),
            ("parents_coorganised", "share_parents_coorganised", "parents", "/"),
        )
    ):
        colour = SERIES_COLOURS[i]
        counts = pd.to_numeric(d[count], errors="coerce").fillna(0).astype(int)
        values = pd.to_numeric(d[share], errors="coerce")
        fig.add_trace(
            go.Bar(
                x=x,
                y=counts.tolist(),
                name=t(f"exchanges.fig.audience.{key}", lang),
                marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "white", "solidity": 0.3}},
                text=[f"{fmt_int(c, lang)} ({pct(v, lang)})" for c, v in zip(counts, values, strict=True)],
                textposition="outside",
                textfont={"size": 11},
                cliponaxis=False,
                hovertemplate=f"{t(f'exchanges.fig.audience.{key}', lang)}<br>%{{text}}<extra></extra>",
                meta={"measure": count},
            )
        )
    fig.update_layout(barmode="group", bargap=0.3)
    top = float(max(d["for_16_18"].max(), d["parents_coorganised"].max(), 1))
    fig.update_yaxes(range=[0, top * 1.2], title={"text": t("exchanges.axis.actions", lang)})
    fig.update_xaxes(type="category")
    n = int(d["actions"].sum())
    caption = Caption(n, source, filters, note=t("exchanges.fig.audience.note", lang))
    return finish_chart(
        fig, title, caption, lang, subtitle=t("exchanges.fig.audience.subtitle", lang), height=430, top_extra=34
    )


def sector_pairs_figure(
    pairs: pd.DataFrame,
    lang: str,
    *,
    period: str | None = None,
    sector_labels: Mapping[str, str] | None = None,
    sector_order: Sequence[str] = (),
    filters: str = "",
    n_actions: int | None = None,
) -> go.Figure:
    """Joint actions per month bringing together each pair of sectors (a symmetric grid: the
    same number above and below the diagonal; the diagonal = two institutions of the same
    sector). `pairs`: :func:`indicators.exchanges.activity_sector_pairs` for one period or
    the whole selection."""
    title = t("exchanges.fig.pairs.title", lang, period=period_label(period, lang))
    source = t("source.activities", lang)
    if pairs.empty:
        return empty_figure(title, t("exchanges.empty.no_pairs", lang), Caption(n_actions, source, filters), lang)
    d = pairs.groupby(["sector_a", "sector_b"], as_index=False, dropna=False).agg(
        actions=("actions", "sum"), months=("months", "max")
    )
    values = pd.concat([d["sector_a"], d["sector_b"]])
    sectors, names = _sector_axis(values, sector_order, sector_labels, lang)
    idx = {s: i for i, s in enumerate(sectors)}
    k = len(sectors)
    z: list[list[float | None]] = [[None] * k for _ in range(k)]
    text = [[""] * k for _ in range(k)]
    hover = [[""] * k for _ in range(k)]
    for r in d.itertuples(index=False):
        a = None if is_missing(r.sector_a) else str(r.sector_a)
        b = None if is_missing(r.sector_b) else str(r.sector_b)
        per_month = float(r.actions) / float(r.months) if r.months else math.nan
        for i, j in ((idx[a], idx[b]), (idx[b], idx[a])):
            z[i][j] = None if math.isnan(per_month) else per_month
            text[i][j] = fmt_number(per_month, lang, 1)
            hover[i][j] = t(
                "exchanges.hover.pair",
                lang,
                a=names[idx[a]],
                b=names[idx[b]],
                value=fmt_number(per_month, lang, 1),
                actions=fmt_int(r.actions, lang),
                months=fmt_int(r.months, lang),
            )
    x_labels = [_column_label(n) for n in names]
    fig = go.Figure(
        _value_layer(
            z,
            x_labels,
            names,
            text,
            hover,
            colorscale="Greens",
            zmin=0,
            colorbar={"title": {"text": t("exchanges.axis.per_month", lang)}, "len": 0.8, "thickness": 14},
        )
    )
    for s in sectors:
        i = idx[s]
        fig.add_shape(
            type="rect",
            x0=i - 0.5,
            x1=i + 0.5,
            y0=i - 0.5,
            y1=i + 0.5,
            line={"color": INK, "width": 1.5, "dash": "dot"},
            fillcolor="rgba(0,0,0,0)",
        )
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(side="top", showgrid=False, tickangle=0)
    months = int(pd.to_numeric(d["months"], errors="coerce").max() or 0)
    caption = Caption(n_actions, source, filters, note=t("exchanges.fig.pairs.note", lang, months=months))
    fig = finish_chart(
        fig,
        title,
        caption,
        lang,
        subtitle=t("exchanges.fig.pairs.subtitle", lang),
        height=180 + 56 * k,
        left=210,
        axis_below=False,
        top_extra=70,
    )
    return fig


# --------------------------------------------------------------------------- tables


def institution_pairs_table(
    edges: pd.DataFrame, lang: str, sector_labels: Mapping[str, str] | None = None, top: int = 20
) -> pd.DataFrame:
    """The pairs of institutions that took part in the most joint actions together."""
    cols = [
        t("exchanges.col.institution_a", lang),
        t("exchanges.col.institution_b", lang),
        t("exchanges.col.actions", lang),
        t("exchanges.col.cross_sector", lang),
        t("exchanges.col.first", lang),
        t("exchanges.col.last", lang),
    ]
    if edges.empty:
        return pd.DataFrame(columns=cols)
    d = edges.sort_values(["actions", "institution_a", "institution_b"], ascending=[False, True, True]).head(top)
    yes = t("exchanges.yes", lang)

    def day(x: Any) -> str:
        if is_missing(x):
            return "–"
        value = pd.Timestamp(x)
        return value.strftime("%d/%m/%Y") if lang == "fr" else value.strftime("%d %b %Y")

    return pd.DataFrame(
        {
            cols[0]: [
                f"{short(n, 44)} ({sector_name(s, sector_labels)})"
                for n, s in zip(d["name_a"], d["sector_a"], strict=True)
            ],
            cols[1]: [
                f"{short(n, 44)} ({sector_name(s, sector_labels)})"
                for n, s in zip(d["name_b"], d["sector_b"], strict=True)
            ],
            cols[2]: [fmt_int(v, lang) for v in d["actions"]],
            cols[3]: [yes if bool(v) else "" for v in d["cross_sector"]],
            cols[4]: [day(v) for v in d["first_date"]],
            cols[5]: [day(v) for v in d["last_date"]],
        }
    )


def shares_table(shares: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The half-year figures as a display table."""
    cols = [
        t("exchanges.col.period", lang),
        t("exchanges.col.actions", lang),
        t("exchanges.fig.shares.multi", lang),
        t("exchanges.fig.shares.three", lang),
        t("exchanges.fig.audience.youth", lang),
        t("exchanges.fig.audience.parents", lang),
        t("exchanges.col.participants", lang),
    ]
    if shares.empty:
        return pd.DataFrame(columns=cols)
    d = shares.sort_values("period", kind="stable")

    def both(count: Any, share: Any) -> str:
        return f"{fmt_int(count, lang)} ({pct(share, lang)})"

    return pd.DataFrame(
        {
            cols[0]: [period_label(p, lang) for p in d["period"]],
            cols[1]: [fmt_int(v, lang) for v in d["actions"]],
            cols[2]: [both(c, s) for c, s in zip(d["multi_sector"], d["share_multi_sector"], strict=True)],
            cols[3]: [
                both(c, s)
                for c, s in zip(d["three_plus_institutions"], d["share_three_plus_institutions"], strict=True)
            ],
            cols[4]: [both(c, s) for c, s in zip(d["for_16_18"], d["share_16_18"], strict=True)],
            cols[5]: [
                both(c, s) for c, s in zip(d["parents_coorganised"], d["share_parents_coorganised"], strict=True)
            ],
            cols[6]: [fmt_int(v, lang) for v in d["participants"]],
        }
    )


def covered_months(monthly: pd.DataFrame) -> dict[str, int]:
    """Half-year → months the log covers in it (a partial half-year is flagged on the charts)."""
    return _period_months(monthly)


def log_span(monthly: pd.DataFrame, lang: str) -> str:
    """'sept. 2024 – juin 2026': the months the selection covers."""
    if monthly.empty:
        return ""
    months = pd.to_datetime(monthly["month"])
    return f"{month_label(months.min(), lang)} – {month_label(months.max(), lang)}"
