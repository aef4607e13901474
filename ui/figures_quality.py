"""Charts and display tables of the data quality page (pages/6_qualite.py).

Pure plotly and pandas (no Streamlit): each builder takes the frame returned by an indicator of
:mod:`indicators.quality` and the language. Hidden (suppressed) groups are drawn as such (grey
cells, "< 5" labels), never dropped silently. Display tables are strings formatted for the
language (decimal comma, narrow spaces); the numeric frames are what the CSV downloads carry.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from indicators.weights import ATTRITION_NOTES, METHODS, MISSING, OTHER
from ui.i18n import NNBSP, TEXTS, fmt_date, fmt_int, fmt_number, fmt_percent, is_missing, t
from ui.recipes import Grid, cell_grid, cells_where, ci_bars, empty_cells, hidden_cells
from ui.style import BAD, GRID, MUTED, NEUTRAL, Caption, empty_figure, finish, series_style, title_room

ALPHA_REFERENCE = 0.7  # the usual threshold of Cronbach's alpha (Nunnally 1978)
HIDDEN_GREY = "#d5dae0"


# --------------------------------------------------------------------------- small helpers


_missing = is_missing


def _num(x: Any) -> float:
    """x as a float (NaN when missing)."""
    if _missing(x):
        return math.nan
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows as dicts (much faster than DataFrame.iterrows)."""
    return df.to_dict("records")


def _flag(x: Any) -> bool:
    return False if _missing(x) else bool(x)


def _pct_suffix(lang: str) -> str:
    return f"{NNBSP}%" if lang == "fr" else "%"


def text_or_key(key: str, lang: str, fallback: str) -> str:
    """t(key) when the key exists, else `fallback`."""
    return t(key, lang) if key in TEXTS else fallback


def problem_label(code: str | None, lang: str) -> str:
    """The reader's name of a load-check problem code (e.g. out_of_range → "valeur hors bornes")."""
    if not code:
        return ""
    return text_or_key(f"quality.problem.{code}", lang, str(code).replace("_", " "))


def scope_label(scope: str | None, lang: str) -> str:
    """What happened to the data: row kept out, answer kept out, file refused…"""
    if not scope:
        return ""
    return text_or_key(f"quality.scope.{scope}", lang, str(scope))


def instrument_label(name: str | None, lang: str, titles: dict[str, str] | None = None) -> str:
    """Short name of an instrument: ours for the shipped ones, else the codebook title, else the id."""
    if not name:
        return ""
    base = str(name).partition("@")[0]
    key = f"quality.instrument.{base}"
    if key in TEXTS:
        return t(key, lang)
    return (titles or {}).get(base, base)


def hidden_text(lang: str, min_group_size: int) -> str:
    return t("quality.hidden", lang, n=min_group_size)


def n_note(values: Iterable[Any], what: str, lang: str) -> str:
    """ "n = 198 to 232 complete respondents…" from the visible counts (empty if none)."""
    nums = [int(v) for v in (_num(x) for x in values) if not math.isnan(v)]
    if not nums:
        return ""
    lo, hi = min(nums), max(nums)
    key = "quality.n_one" if lo == hi else "quality.n_range"
    return t(key, lang, lo=fmt_int(lo, lang), hi=fmt_int(hi, lang), what=t(f"quality.what.{what}", lang))


def _ordered(values: Sequence[Any]) -> list[Any]:
    """Unique values in order of first appearance."""
    seen: dict[Any, None] = {}
    for v in values:
        if v not in seen:
            seen[v] = None
    return list(seen)


def waves_in_order(df: pd.DataFrame, col: str = "wave_id", order_col: str = "wave_order") -> list[str]:
    if order_col in df.columns:
        d = df[[col, order_col]].drop_duplicates().sort_values([order_col, col], na_position="last", kind="stable")
        return [str(w) for w in _ordered(list(d[col]))]
    return [str(w) for w in _ordered(list(df[col]))]


def _label_column(lang: str) -> str:
    return "label_en" if lang == "en" else "label_fr"


def _ci_text(lo: Any, hi: Any, lang: str, percent: bool = True, decimals: int = 0) -> str:
    if _missing(lo) or _missing(hi) or math.isnan(_num(lo)) or math.isnan(_num(hi)):
        return "–"
    if percent:
        return f"{fmt_percent(lo, lang, decimals)} – {fmt_percent(hi, lang, decimals)}"
    return f"{fmt_number(lo, lang, decimals)} – {fmt_number(hi, lang, decimals)}"


# Footer layout: ui.style.finish anchors the caption at the left of the plot area; with long
# category labels on the y axis that is far from the figure's left edge and the caption runs off
# the right side. `_finish` moves it under the labels and makes room for every line.
CAPTION_CHARS = 110
CHAR_PX = 6.8  # average width of a 13 px label character


def _label_margin(labels: Iterable[Any]) -> int:
    longest = max((len(str(x)) for x in labels), default=0)
    return int(min(longest * CHAR_PX + 16, 380))


def _finish(
    fig: go.Figure,
    title: str,
    caption: Caption,
    lang: str,
    subtitle: str = "",
    height: int = 460,
    labels: Iterable[Any] = (),
    axis_below: bool = True,
    legend: bool = False,
) -> go.Figure:
    """ui.style.finish (caption wrapped at CAPTION_CHARS), then: the title pinned to the top and
    room above the plot for the subtitle lines, a top x axis and the legend; the caption moved
    from the plot area's left edge to the figure's, under the category labels, with room."""
    finish(fig, title, caption, lang, subtitle=subtitle, height=height, width=CAPTION_CHARS)
    room = title_room(fig)
    top = room + (6 if axis_below else 26) + (28 if legend else 0)
    height += max(room - 66, 0)  # a title block longer than title + one subtitle line
    left = max(60, _label_margin(labels))
    below = 52 if axis_below else 14
    lines = 1
    for ann in fig.layout.annotations:
        if ann.name == "caption":
            lines = str(ann.text).count("<br>") + 1
            ann.xshift = -(left - 8)
            ann.yshift = -below
    fig.update_layout(
        margin={"t": top, "l": left, "b": below + 15 * lines + 14}, height=height + (top - 90) + 15 * lines
    )
    return fig



def _heatmap(
    waves: list[str],
    rows: list[str],
    z: Grid,
    hidden: Grid,
    text: Grid,
    hover: Grid,
    colorscale: str,
    zmax: float,
    name: str,
    lang: str,
) -> go.Figure:
    """Rows × waves heatmap: a grey layer (with its "< 5" labels) under the coloured values."""
    fig = go.Figure()
    fig.add_trace(
        hidden_cells(hidden, waves, rows, cells_where(text, hidden, True), cells_where(hover, hidden, True),
                     HIDDEN_GREY, 2, textfont={"color": MUTED}, name="hidden")
    )
    fig.add_trace(
        cell_grid(
            z,
            waves,
            rows,
            cells_where(text, hidden, False),
            hover,
            2,
            colorscale=colorscale,
            zmin=0,
            zmax=zmax,
            name=name,
            colorbar={
                "title": {"text": "", "side": "top"},
                "ticksuffix": _pct_suffix(lang),
                "len": 0.6,
                "thickness": 14,
            },
        )
    )
    return fig


# --------------------------------------------------------------------------- response rates


def rate_group_labels(df: pd.DataFrame, lang: str) -> pd.Series:
    """ "Sector · territory" (or the sector alone, or "All sectors") for each response-rate row."""
    if df.empty:
        return pd.Series(dtype=object, index=df.index)
    sector_col = "sector_label_en" if lang == "en" else "sector_label_fr"
    sector = df[sector_col].astype(object).where(df[sector_col].notna(), df["sector_id"].astype(object))
    sector = sector.where(df["sector_id"].notna(), t("quality.rates.all_sectors", lang)).astype(str)
    territory = df["territory"]
    with_territory = sector + " · " + territory.astype(str)
    return with_territory.where(territory.notna(), sector).astype(object)


MAX_RATE_GROUPS = 40  # rows of a response-rate chart; more are unreadable


def limit_rate_groups(d: pd.DataFrame, lang: str, max_groups: int = MAX_RATE_GROUPS) -> tuple[pd.DataFrame, str]:
    """With more than `max_groups` groups (many territories), keep those with the lowest rate at
    their latest wave, lowest first (groups without a rate after them), and say so."""
    groups = _ordered(list(d["_group"]))
    if len(groups) <= max_groups:
        return d, ""
    shown = d[pd.to_numeric(d["rate"], errors="coerce").notna()].sort_values("wave_order", kind="stable")
    latest = shown.groupby("_group", sort=False)["rate"].last()
    ranked = sorted(groups, key=lambda g: (g not in latest.index, _num(latest.get(g)), groups.index(g)))
    keep = ranked[:max_groups]
    order = {g: i for i, g in enumerate(keep)}
    out = d[d["_group"].isin(order)]
    out = out.iloc[sorted(range(len(out)), key=lambda i: (order[out["_group"].iloc[i]], i))]
    return out, t("quality.rates.limited", lang, n=max_groups, total=len(groups))


def _rate_cell_text(row: Mapping[str, Any], lang: str, min_group_size: int) -> str:
    if _flag(row.get("suppressed")):
        return t("quality.hidden_short", lang, n=min_group_size)
    if row.get("note") == "no_target" or _missing(row.get("rate")):
        return t("quality.rates.no_target", lang)
    return fmt_percent(row["rate"], lang)


def _rate_hover(row: Mapping[str, Any], group: str, lang: str, min_group_size: int) -> str:
    if _flag(row.get("suppressed")):
        return f"{group}<br>{t('chart.wave', lang)} {row['wave_id']}<br>{hidden_text(lang, min_group_size)}"
    return t(
        "quality.hover.rate",
        lang,
        group=group,
        wave=row["wave_id"],
        rate=fmt_percent(row.get("rate"), lang),
        lo=fmt_percent(row.get("ci_low"), lang),
        hi=fmt_percent(row.get("ci_high"), lang),
        resp=fmt_int(row.get("respondents"), lang),
        target=fmt_int(row.get("target_n"), lang),
    )


def response_rate_heatmap(
    df: pd.DataFrame, lang: str, filters: str = "", min_group_size: int = 5, note: str = ""
) -> go.Figure:
    """Groups (sector · territory) × waves, coloured by response rate; hidden groups in grey."""
    title = t("quality.rates.heatmap_title", lang)
    source = t("quality.source.rates", lang)
    if df.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, source, filters), lang)
    d, limited = limit_rate_groups(df.assign(_group=rate_group_labels(df, lang)), lang)
    waves = waves_in_order(d)
    groups = _ordered(list(d["_group"]))
    z, grey, text, hover = empty_cells(len(groups), len(waves))
    row_of = {g: i for i, g in enumerate(groups)}
    col_of = {w: j for j, w in enumerate(waves)}
    for row in _records(d):
        i, j = row_of[row["_group"]], col_of[str(row["wave_id"])]
        text[i][j] = _rate_cell_text(row, lang, min_group_size)
        hover[i][j] = _rate_hover(row, row["_group"], lang, min_group_size)
        rate = _num(row.get("rate"))
        if _flag(row.get("suppressed")) or math.isnan(rate):
            grey[i][j] = 1.0
        else:
            z[i][j] = min(rate, 1.0) * 100
    fig = _heatmap(waves, groups, z, grey, text, hover, "Blues", 100.0, t("quality.rates.axis", lang), lang)
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False)
    fig.update_xaxes(type="category", side="top", title=None)
    suppressed = bool(d["suppressed"].fillna(False).astype(bool).any())
    caption = Caption(
        None,
        source,
        filters,
        suppressed=suppressed,
        min_group_size=min_group_size,
        note=" · ".join(x for x in (n_note(_per_wave_totals(d, "respondents"), "respondents_wave", lang), note) if x),
    )
    subtitle = t("quality.rates.heatmap_subtitle", lang, n=min_group_size) + (f"<br>{limited}" if limited else "")
    return _finish(
        fig, title, caption, lang, subtitle, max(320, 150 + 30 * len(groups)), labels=groups, axis_below=False
    )


def _per_wave_totals(df: pd.DataFrame, col: str) -> list[float]:
    if df.empty:
        return []
    return [float(v) for v in df.groupby("wave_id", sort=False)[col].sum(min_count=1).dropna()]


def response_rate_detail(
    df: pd.DataFrame, wave: str, lang: str, filters: str = "", min_group_size: int = 5, note: str = ""
) -> go.Figure:
    """One wave: each group's response rate with its Wilson CI; hidden and no-target groups labelled."""
    title = t("quality.rates.detail_title", lang, wave=wave)
    source = t("quality.source.rates", lang)
    d = df[df["wave_id"].astype(str) == str(wave)] if not df.empty else df
    if d.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, source, filters), lang)
    d, limited = limit_rate_groups(d.assign(_group=rate_group_labels(d, lang)), lang)
    groups = _ordered(list(d["_group"]))
    hidden = d["suppressed"].fillna(False).astype(bool)
    rate = pd.to_numeric(d["rate"], errors="coerce")
    shown = d[~hidden & rate.notna()]
    above = shown[pd.to_numeric(shown["rate"], errors="coerce") > 1]
    normal = shown.drop(above.index)
    fig = go.Figure()
    for part, colour, name in (
        (normal, None, t("quality.rates.axis", lang)),
        (above, BAD, t("quality.rates.above", lang)),
    ):
        if part.empty:
            continue
        r = pd.to_numeric(part["rate"], errors="coerce") * 100
        lo = pd.to_numeric(part["ci_low"], errors="coerce") * 100
        hi = pd.to_numeric(part["ci_high"], errors="coerce") * 100
        style = series_style(0)
        marker = dict(style["marker"])  # type: ignore[call-overload]
        if colour:
            marker["color"] = colour
        fig.add_trace(
            go.Scatter(
                x=r,
                y=part["_group"],
                mode="markers+text",
                marker=marker,
                text=[fmt_percent(v, lang) for v in part["rate"]],
                textposition="top center",
                textfont={"size": 11, "color": MUTED},
                error_x=ci_bars(r.to_numpy(), lo.to_numpy(), hi.to_numpy(), marker.get("color", MUTED), width=4),
                customdata=[_rate_hover(row, row["_group"], lang, min_group_size) for row in _records(part)],
                hovertemplate="%{customdata}<extra></extra>",
                name=name,
                showlegend=colour is not None,
            )
        )
    others = d[hidden | rate.isna()]
    if not others.empty:
        labels = []
        for row in _records(others):
            if _flag(row.get("suppressed")):
                labels.append(hidden_text(lang, min_group_size))
            else:
                labels.append(
                    f"{t('quality.rates.no_target', lang)} ({fmt_int(row.get('respondents'), lang)} "
                    f"{t('quality.col.respondents', lang).lower()})"
                )
        fig.add_trace(
            go.Scatter(
                x=[1.0] * len(others),
                y=others["_group"],
                mode="text",
                text=labels,
                textposition="middle right",
                textfont={"color": MUTED, "size": 11},
                hoverinfo="skip",
                showlegend=False,
                name="hidden_labels",
            )
        )
    top = pd.to_numeric(shown["ci_high"], errors="coerce").max() if not shown.empty else 1.0
    top = max(1.0, _num(top) if not math.isnan(_num(top)) else 1.0, _num(rate.max()) if rate.notna().any() else 1.0)
    fig.update_xaxes(
        range=[0, top * 100 + 5],
        ticksuffix=_pct_suffix(lang),
        title=None,
        gridcolor=GRID,
        showgrid=True,
    )
    fig.update_yaxes(autorange="reversed", type="category", categoryorder="array", categoryarray=groups, showgrid=False)
    n = int(pd.to_numeric(d["respondents"], errors="coerce").sum())
    caption = Caption(
        n or None, source, filters, suppressed=bool(hidden.any()), min_group_size=min_group_size, note=note
    )
    subtitle = t("quality.rates.detail_subtitle", lang) + (f"<br>{limited}" if limited else "")
    height = max(320, 130 + 30 * len(groups))
    return _finish(fig, title, caption, lang, subtitle, height, labels=groups, legend=not above.empty)


def rate_summary(df: pd.DataFrame, wave: str) -> tuple[float, int, int]:
    """(rate, respondents, target) of one wave over the groups shown with a target (hidden groups
    and groups without a target are left out, so no hidden count can be worked back)."""
    d = df[(df["wave_id"].astype(str) == str(wave)) & ~df["suppressed"].fillna(False).astype(bool)]
    d = d[pd.to_numeric(d["target_n"], errors="coerce") > 0]
    d = d[pd.to_numeric(d["respondents"], errors="coerce").notna()]
    resp = int(pd.to_numeric(d["respondents"]).sum()) if not d.empty else 0
    target = int(pd.to_numeric(d["target_n"]).sum()) if not d.empty else 0
    return (resp / target if target else math.nan), resp, target


def rates_display(df: pd.DataFrame, lang: str, min_group_size: int = 5) -> pd.DataFrame:
    """The response-rate table as the reader sees it."""
    from indicators.quality import NOTES

    rows = []
    groups = rate_group_labels(df, lang) if not df.empty else pd.Series(dtype=object)
    for group, row in zip(groups, _records(df), strict=True):
        hidden = _flag(row.get("suppressed"))
        note = row.get("note")
        note_text = NOTES[note][1 if lang == "en" else 0] if isinstance(note, str) and note in NOTES else ""
        rows.append(
            {
                t("quality.col.wave", lang): row["wave_id"],
                t("quality.col.group", lang): group,
                t("quality.col.respondents", lang): hidden_text(lang, min_group_size)
                if hidden
                else fmt_int(row.get("respondents"), lang),
                t("quality.col.target", lang): fmt_int(row.get("target_n"), lang),
                t("quality.col.rate", lang): "–" if hidden else fmt_percent(row.get("rate"), lang),
                t("quality.col.ci", lang): "–" if hidden else _ci_text(row.get("ci_low"), row.get("ci_high"), lang),
                t("quality.col.note", lang): note_text,
            }
        )
    return pd.DataFrame(rows, columns=_cols(lang, "wave", "group", "respondents", "target", "rate", "ci", "note"))


def _cols(lang: str, *keys: str) -> list[str]:
    return [t(f"quality.col.{k}", lang) for k in keys]


# --------------------------------------------------------------------------- panel retention


def _pair(row: Mapping[str, Any]) -> str:
    return f"{row['wave_a']} → {row['wave_b']}"


def retention_figure(df: pd.DataFrame, lang: str, filters: str = "", min_group_size: int = 5) -> go.Figure:
    """Share of each wave's respondents found again in the next wave, with its Wilson CI."""
    title = t("quality.retention.chart_title", lang)
    source = t("source.practitioner", lang)
    if df.empty:
        return empty_figure(title, t("quality.retention.none", lang), Caption(None, source, filters), lang)
    pairs = [_pair(r) for r in _records(df)]
    hidden = df["suppressed"].fillna(False).astype(bool).to_numpy()
    fig = go.Figure()
    shown = df[~hidden]
    if not shown.empty:
        ret = pd.to_numeric(shown["retention"], errors="coerce") * 100
        lo = pd.to_numeric(shown["ci_low"], errors="coerce") * 100
        hi = pd.to_numeric(shown["ci_high"], errors="coerce") * 100
        style = series_style(0)
        hover = [
            t(
                "quality.hover.retention",
                lang,
                pair=_pair(r),
                rate=fmt_percent(r["retention"], lang),
                lo=fmt_percent(r["ci_low"], lang),
                hi=fmt_percent(r["ci_high"], lang),
                kept=fmt_int(r["n_retained"], lang),
                n=fmt_int(r["n_a"], lang),
            )
            for r in _records(shown)
        ]
        fig.add_trace(
            go.Scatter(
                x=[_pair(r) for r in _records(shown)],
                y=ret,
                mode="lines+markers",
                line=style["line"],
                marker=style["marker"],
                text=[
                    f"{fmt_percent(r['retention'], lang)} ({fmt_int(r['n_retained'], lang)}/{fmt_int(r['n_a'], lang)})"
                    for r in _records(shown)
                ],
                error_y=ci_bars(ret.to_numpy(), lo.to_numpy(), hi.to_numpy(), width=6),
                customdata=hover,
                hovertemplate="%{customdata}<extra></extra>",
                name=t("quality.retention.axis", lang),
                showlegend=False,
            )
        )
        # the labels above each interval: beside the point, the line between two waves crossed them
        fig.add_trace(
            go.Scatter(
                x=[_pair(r) for r in _records(shown)], y=hi.fillna(ret).tolist(), mode="text",
                text=list(fig.data[-1].text), textposition="top center",
                textfont={"size": 12, "color": MUTED}, hoverinfo="skip", showlegend=False, name="retention_labels",
                cliponaxis=False,
            )
        )
    if hidden.any():
        fig.add_trace(
            go.Scatter(
                x=[p for p, h in zip(pairs, hidden, strict=True) if h],
                y=[8] * int(hidden.sum()),
                mode="text",
                text=[hidden_text(lang, min_group_size)] * int(hidden.sum()),
                textfont={"color": MUTED, "size": 11},
                hoverinfo="skip",
                showlegend=False,
                name="hidden_labels",
            )
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=pairs, range=[-0.5, len(pairs) - 0.5])
    # room above 100 % for the labels over the intervals (ticks stay 0 to 100 %)
    fig.update_yaxes(range=[0, 112], ticksuffix=_pct_suffix(lang), title=None, zeroline=False)
    caption = Caption(
        None,
        source,
        filters,
        suppressed=bool(hidden.any()),
        min_group_size=min_group_size,
        note=n_note(shown["n_a"] if not shown.empty else [], "respondents_pair", lang),
    )
    return _finish(fig, title, caption, lang, t("quality.retention.subtitle", lang), 400)


def retention_display(df: pd.DataFrame, lang: str, min_group_size: int = 5) -> pd.DataFrame:
    rows = []
    for r in _records(df):
        hidden = _flag(r.get("suppressed"))

        def val(col: str, hidden: bool = hidden, r: Mapping[str, Any] = r) -> str:
            return hidden_text(lang, min_group_size) if hidden else fmt_int(r.get(col), lang)

        rows.append(
            {
                t("quality.col.pair", lang): _pair(r),
                t("quality.col.n_a", lang): val("n_a"),
                t("quality.col.n_retained", lang): val("n_retained"),
                t("quality.col.retention", lang): "–" if hidden else fmt_percent(r.get("retention"), lang),
                t("quality.col.ci", lang): "–" if hidden else _ci_text(r.get("ci_low"), r.get("ci_high"), lang),
                t("quality.col.n_b", lang): val("n_b"),
                t("quality.col.newcomers", lang): val("n_newcomers"),
                t("quality.col.returning", lang): val("n_returning"),
            }
        )
    return pd.DataFrame(
        rows, columns=_cols(lang, "pair", "n_a", "n_retained", "retention", "ci", "n_b", "newcomers", "returning")
    )


# --------------------------------------------------------------------------- missing items


def missing_heatmap(df: pd.DataFrame, lang: str, filters: str = "", min_group_size: int = 5) -> go.Figure:
    """Scales × waves, coloured by the share of expected answers that are missing."""
    title = t("quality.missing.chart_title", lang)
    source = t("source.practitioner", lang)
    if df.empty:
        return empty_figure(title, t("quality.missing.none", lang), Caption(None, source, filters), lang)
    label_col = _label_column(lang)
    waves = waves_in_order(df)
    scales = _ordered(list(df[label_col]))
    z, grey, text, hover = empty_cells(len(scales), len(waves))
    row_of = {g: i for i, g in enumerate(scales)}
    col_of = {w: j for j, w in enumerate(waves)}
    for r in _records(df):
        i, j = row_of[r[label_col]], col_of[str(r["wave_id"])]
        if _flag(r.get("suppressed")):
            grey[i][j] = 1.0
            text[i][j] = t("quality.hidden_short", lang, n=min_group_size)
            hover[i][j] = (
                f"{r[label_col]}<br>{t('chart.wave', lang)} {r['wave_id']}<br>{hidden_text(lang, min_group_size)}"
            )
            continue
        share = _num(r.get("missing_share"))
        z[i][j] = None if math.isnan(share) else share * 100
        text[i][j] = fmt_percent(share, lang, 1)
        hover[i][j] = t(
            "quality.hover.missing",
            lang,
            scale=r[label_col],
            wave=r["wave_id"],
            share=fmt_percent(share, lang, 1),
            no_score=fmt_percent(r.get("no_score_share"), lang, 1),
            k=fmt_int(r.get("n_no_score"), lang),
        )
    values = [v for row in z for v in row if v is not None]
    top = max(10.0, max(values) if values else 0.0)
    fig = _heatmap(waves, scales, z, grey, text, hover, "Oranges", top, t("quality.col.missing_share", lang), lang)
    fig.update_yaxes(autorange="reversed", type="category", showgrid=False)
    fig.update_xaxes(type="category", side="top")
    hidden = df["suppressed"].fillna(False).astype(bool)
    per_wave = df[~hidden].groupby("wave_id")["n"].max() if (~hidden).any() else pd.Series(dtype=float)
    caption = Caption(
        None,
        source,
        filters,
        suppressed=bool(hidden.any()),
        min_group_size=min_group_size,
        note=n_note(per_wave, "respondents_wave", lang),
    )
    subtitle = t("quality.missing.subtitle", lang)
    height = max(300, 150 + 34 * len(scales))
    return _finish(fig, title, caption, lang, subtitle, height, labels=scales, axis_below=False)


def missing_display(df: pd.DataFrame, lang: str, min_group_size: int = 5) -> pd.DataFrame:
    label_col = _label_column(lang)
    rows = []
    for r in _records(df):
        hidden = _flag(r.get("suppressed"))
        rows.append(
            {
                t("quality.col.wave", lang): r["wave_id"],
                t("quality.col.scale", lang): r[label_col],
                t("quality.col.items", lang): fmt_int(r.get("items_asked"), lang),
                t("quality.col.n", lang): hidden_text(lang, min_group_size) if hidden else fmt_int(r.get("n"), lang),
                t("quality.col.missing_share", lang): "–" if hidden else fmt_percent(r.get("missing_share"), lang, 1),
                t("quality.col.no_score", lang): "–" if hidden else fmt_percent(r.get("no_score_share"), lang, 1),
            }
        )
    return pd.DataFrame(rows, columns=_cols(lang, "wave", "scale", "items", "n", "missing_share", "no_score"))


# --------------------------------------------------------------------------- reliability


def _offsets(m: int) -> list[float]:
    """Vertical offsets of m series around a category's position."""
    if m <= 1:
        return [0.0]
    step = min(0.7 / (m - 1), 0.22)
    return [(j - (m - 1) / 2) * step for j in range(m)]


def reliability_figure(
    df: pd.DataFrame,
    lang: str,
    filters: str = "",
    min_group_size: int = 5,
    reference: float = ALPHA_REFERENCE,
) -> go.Figure:
    """Cronbach's alpha of each scale (rows), one marker per wave, with its Feldt CI and the
    usual 0.7 reference line."""
    title = t("quality.alpha.chart_title", lang)
    source = t("source.practitioner", lang)
    if df.empty:
        return empty_figure(title, t("quality.alpha.none", lang), Caption(None, source, filters), lang)
    label_col = _label_column(lang)
    waves = waves_in_order(df)
    scales = _ordered(list(df[label_col]))
    offsets = _offsets(len(waves))
    row_of = {g: i for i, g in enumerate(scales)}
    hidden = df["suppressed"].fillna(False).astype(bool)
    alpha_all = pd.to_numeric(df["alpha"], errors="coerce")
    lows = pd.to_numeric(df["ci_low"], errors="coerce")
    low_bound = min(0.0, math.floor(float(min(lows.min(), alpha_all.min())) * 10) / 10) if lows.notna().any() else 0.0
    fig = go.Figure()
    ref_text = fmt_number(reference, lang, 1)
    fig.add_shape(
        type="line",
        x0=reference,
        x1=reference,
        xref="x",
        y0=0,
        y1=1,
        yref="paper",
        line={"color": BAD, "dash": "dot", "width": 1.5},
        name="reference",
    )
    fig.add_annotation(
        x=reference,
        y=0.0,
        xref="x",
        yref="paper",
        text=t("quality.alpha.reference", lang, ref=ref_text),
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        xshift=4,
        font={"size": 11, "color": BAD},
        name="reference_label",
    )
    hidden_x, hidden_y = [], []
    for j, wave in enumerate(waves):
        part = df[(df["wave_id"].astype(str) == wave)]
        pos = [row_of[s] + offsets[j] for s in part[label_col]]
        part = part.assign(_y=pos)
        mask = part["suppressed"].fillna(False).astype(bool)
        hidden_x += [low_bound + 0.01] * int(mask.sum())
        hidden_y += list(part.loc[mask, "_y"])
        vis = part[~mask & pd.to_numeric(part["alpha"], errors="coerce").notna()]
        if vis.empty:
            continue
        a = pd.to_numeric(vis["alpha"], errors="coerce")
        lo = pd.to_numeric(vis["ci_low"], errors="coerce")
        hi = pd.to_numeric(vis["ci_high"], errors="coerce")
        style = series_style(j)
        fig.add_trace(
            go.Scatter(
                x=a,
                y=vis["_y"],
                mode="markers",
                marker=style["marker"],
                error_x=ci_bars(a.to_numpy(), lo.to_numpy(), hi.to_numpy(), style["marker"]["color"],  # type: ignore[index]
                                width=3),
                customdata=[
                    t(
                        "quality.hover.alpha",
                        lang,
                        scale=r[label_col],
                        wave=wave,
                        alpha=fmt_number(r["alpha"], lang, 2),
                        lo=fmt_number(r["ci_low"], lang, 2),
                        hi=fmt_number(r["ci_high"], lang, 2),
                        k=fmt_int(r["k"], lang),
                        n=fmt_int(r["n"], lang),
                    )
                    for r in _records(vis)
                ],
                hovertemplate="%{customdata}<extra></extra>",
                name=f"{t('chart.wave', lang)} {wave}",
            )
        )
    if hidden_x:
        fig.add_trace(
            go.Scatter(
                x=hidden_x,
                y=hidden_y,
                mode="text",
                text=[t("quality.hidden_short", lang, n=min_group_size)] * len(hidden_x),
                textposition="middle right",
                textfont={"color": MUTED, "size": 10},
                hoverinfo="skip",
                showlegend=False,
                name="hidden_labels",
            )
        )
    fig.update_xaxes(
        range=[low_bound, 1.0],
        dtick=0.1,
        tickformat=".1f",
        showgrid=True,
        gridcolor=GRID,
        title=None,
        zeroline=low_bound < 0,
        zerolinecolor=NEUTRAL,
    )
    fig.update_yaxes(
        tickmode="array",
        tickvals=list(range(len(scales))),
        ticktext=scales,
        range=[len(scales) - 0.5, -0.5],
        showgrid=False,
        zeroline=False,
    )
    caption = Caption(
        None,
        source,
        filters,
        suppressed=bool(hidden.any()),
        min_group_size=min_group_size,
        note=n_note(df.loc[~hidden, "n"], "complete", lang),
    )
    subtitle = t("quality.alpha.subtitle", lang, ref=ref_text)
    height = max(360, 150 + 18 * len(scales) * max(len(waves), 2))
    return _finish(fig, title, caption, lang, subtitle, height, labels=scales, legend=len(waves) > 1)


def reliability_display(
    df: pd.DataFrame, lang: str, min_group_size: int = 5, reference: float = ALPHA_REFERENCE
) -> pd.DataFrame:
    label_col = _label_column(lang)
    ref_text = fmt_number(reference, lang, 1)
    rows = []
    for r in _records(df):
        hidden = _flag(r.get("suppressed"))
        alpha = _num(r.get("alpha"))
        reading = ""
        if not hidden and not math.isnan(alpha):
            reading = t("quality.alpha.ok" if alpha >= reference else "quality.alpha.low", lang, ref=ref_text)
        rows.append(
            {
                t("quality.col.wave", lang): r["wave_id"],
                t("quality.col.scale", lang): r[label_col],
                t("quality.col.k", lang): fmt_int(r.get("k"), lang),
                t("quality.col.complete", lang): hidden_text(lang, min_group_size)
                if hidden
                else fmt_int(r.get("n"), lang),
                t("quality.col.alpha", lang): "–" if hidden else fmt_number(alpha, lang, 2),
                t("quality.col.ci", lang): "–"
                if hidden
                else _ci_text(r.get("ci_low"), r.get("ci_high"), lang, percent=False, decimals=2),
                t("quality.col.reading", lang): reading,
            }
        )
    return pd.DataFrame(rows, columns=_cols(lang, "wave", "scale", "k", "complete", "alpha", "ci", "reading"))


def scales_reliable(df: pd.DataFrame, wave: str, reference: float = ALPHA_REFERENCE) -> tuple[int, int]:
    """(scales with alpha ≥ reference, scales measured) in `wave` (hidden rows left out)."""
    d = df[(df["wave_id"].astype(str) == str(wave)) & ~df["suppressed"].fillna(False).astype(bool)]
    alpha = pd.to_numeric(d["alpha"], errors="coerce").dropna()
    return int((alpha >= reference).sum()), len(alpha)


# --------------------------------------------------------------------------- loads and quarantine


def timestamp_text(x: Any, lang: str) -> str:
    """26/11/2026 04:22 (fr) or 26 Nov 2026 04:22 (en); "–" when missing."""
    if _missing(x):
        return "–"
    ts = pd.Timestamp(x).to_pydatetime()
    return f"{fmt_date(ts, lang)} {ts:%H:%M}" if isinstance(ts, dt.datetime) else fmt_date(ts, lang)


def load_status(status: Any, replaced_by: Any, lang: str) -> str:
    if status == "current":
        return t("quality.status.current", lang)
    if _missing(replaced_by):
        return t("quality.status.replaced_plain", lang)
    return t("quality.status.replaced", lang, by=int(replaced_by))


LOAD_COLUMNS = (
    "load_id",
    "file",
    "instrument",
    "wave",
    "status",
    "rows_read",
    "rows_loaded",
    "rows_quarantined",
    "cells_quarantined",
    "warnings",
    "finished_at",
    "version",
)


def loads_display(df: pd.DataFrame, lang: str, titles: dict[str, str] | None = None) -> pd.DataFrame:
    """The load history as the reader sees it (newest first, as given)."""
    rows = []
    for r in _records(df):
        rows.append(
            {
                t("quality.col.load_id", lang): int(r["load_id"]),
                t("quality.col.finished_at", lang): timestamp_text(r.get("finished_at"), lang),
                t("quality.col.file", lang): r.get("file_name"),
                t("quality.col.instrument", lang): instrument_label(r.get("instrument"), lang, titles),
                t("quality.col.version", lang): r.get("codebook_version"),
                t("quality.col.wave", lang): "–" if _missing(r.get("wave_id")) else r.get("wave_id"),
                t("quality.col.rows_read", lang): fmt_int(r.get("rows_read"), lang),
                t("quality.col.rows_loaded", lang): fmt_int(r.get("rows_loaded"), lang),
                t("quality.col.rows_quarantined", lang): fmt_int(r.get("rows_quarantined"), lang),
                t("quality.col.cells_quarantined", lang): fmt_int(r.get("cells_quarantined"), lang),
                t("quality.col.warnings", lang): fmt_int(r.get("warnings"), lang),
                t("quality.col.status", lang): load_status(r.get("status"), r.get("replaced_by_load_id"), lang),
            }
        )
    return pd.DataFrame(rows, columns=_cols(lang, *LOAD_COLUMNS))


def quarantine_summary_display(df: pd.DataFrame, lang: str, titles: dict[str, str] | None = None) -> pd.DataFrame:
    rows = []
    for r in _records(df):
        rows.append(
            {
                t("quality.col.load_id", lang): int(r["load_id"]),
                t("quality.col.file", lang): r.get("file_name"),
                t("quality.col.instrument", lang): instrument_label(r.get("instrument"), lang, titles),
                t("quality.col.wave", lang): "–" if _missing(r.get("wave_id")) else r.get("wave_id"),
                t("quality.col.problem", lang): problem_label(r.get("problem"), lang),
                t("quality.col.action", lang): scope_label(r.get("scope"), lang),
                t("quality.col.count", lang): fmt_int(r.get("n"), lang),
            }
        )
    return pd.DataFrame(
        rows, columns=_cols(lang, "load_id", "file", "instrument", "wave", "problem", "action", "count")
    )


def problem_message(r: Mapping[str, Any], lang: str) -> str:
    """A problem's explanation in `lang`: `message_fr` in French (the English `message` when a
    problem has no French one, e.g. quarantined before the warehouse had French messages)."""
    if lang == "fr" and not _missing(r.get("message_fr")) and str(r["message_fr"]):
        return str(r["message_fr"])
    return "" if _missing(r.get("message")) else str(r["message"])


def problems_display(df: pd.DataFrame, lang: str, show_values: bool = False) -> pd.DataFrame:
    """Quarantined rows (or a load's validation problems): row, column, reason, consequence,
    explanation (French `message_fr` or English `message`), and the offending value only when
    asked for (it may be free text)."""
    rows = []
    for r in _records(df):
        row = {
            t("quality.col.row", lang): "" if _missing(r.get("source_row")) else str(int(r["source_row"])),
            t("quality.col.column", lang): "" if _missing(r.get("column_name")) else str(r["column_name"]),
            t("quality.col.problem", lang): problem_label(r.get("problem"), lang),
            t("quality.col.action", lang): scope_label(r.get("scope"), lang),
            t("quality.col.message", lang): problem_message(r, lang),
        }
        if "file_name" in df.columns:
            row = {t("quality.col.file", lang): str(r.get("file_name") or ""), **row}
        if show_values and "value" in df.columns:
            row[t("quality.col.value", lang)] = "" if _missing(r.get("value")) else str(r["value"])
        rows.append(row)
    keys = (["file"] if "file_name" in df.columns else []) + ["row", "column", "problem", "action", "message"]
    if show_values and "value" in df.columns:
        keys.append("value")
    return pd.DataFrame(rows, columns=_cols(lang, *keys))


# --------------------------------------------------------------------------- at a glance


@dataclass(frozen=True)
class Glance:
    """The headline numbers of the quality page."""

    current_loads: int
    replaced_loads: int
    last_load: pd.Timestamp | None
    rate_waves: list[str]
    rate_wave: str | None
    rate: float
    retention_pair: tuple[str, str] | None
    retention: float
    alpha_wave: str | None
    alpha_ok: int
    alpha_measured: int
    kept_out: int


def glance(
    loads: pd.DataFrame,
    rates: pd.DataFrame,
    retention: pd.DataFrame,
    alpha: pd.DataFrame,
    quarantine: pd.DataFrame,
    reference: float = ALPHA_REFERENCE,
) -> Glance:
    """Loads in force, the latest wave's response rate (groups shown with a target), the last
    visible retention pair, the latest wave's reliable scales and the rows and answers kept out."""
    current = int((loads["status"] == "current").sum()) if len(loads) else 0
    last = pd.to_datetime(loads["finished_at"]).max() if len(loads) else None
    rate_waves = waves_in_order(rates) if len(rates) else []
    rate = rate_summary(rates, rate_waves[-1])[0] if rate_waves else math.nan
    visible = retention[~retention["suppressed"].fillna(False).astype(bool)] if len(retention) else retention
    pair = (str(visible.iloc[-1]["wave_a"]), str(visible.iloc[-1]["wave_b"])) if len(visible) else None
    kept = _num(visible.iloc[-1]["retention"]) if len(visible) else math.nan
    alpha_waves = waves_in_order(alpha) if len(alpha) else []
    ok, measured = scales_reliable(alpha, alpha_waves[-1], reference) if alpha_waves else (0, 0)
    return Glance(
        current_loads=current,
        replaced_loads=len(loads) - current,
        last_load=None if last is None or pd.isna(last) else last,
        rate_waves=rate_waves,
        rate_wave=rate_waves[-1] if rate_waves else None,
        rate=rate,
        retention_pair=pair,
        retention=kept,
        alpha_wave=alpha_waves[-1] if alpha_waves else None,
        alpha_ok=ok,
        alpha_measured=measured,
        kept_out=int(pd.to_numeric(quarantine["n"]).sum()) if len(quarantine) else 0,
    )


# --------------------------------------------------------------------------- weights and attrition


def _method_label(method: Any, lang: str) -> str:
    fr, en = METHODS.get(str(method), (str(method), str(method)))
    return en if lang == "en" else fr


def weights_display(df: pd.DataFrame, lang: str, min_group_size: int = 5) -> pd.DataFrame:
    """Per wave (:func:`indicators.weights.weight_summary`): method, respondents, population
    represented, effective sample size, Kish design effect, largest weight and its ratio to the
    mean, trimmed weights, respondents without a target. Hidden waves read 'moins de 5'."""
    rows = []
    for r in _records(df):
        hidden = _flag(r.get("suppressed"))
        hide = hidden_text(lang, min_group_size)

        def val(text: str, hidden: bool = hidden, hide: str = hide) -> str:
            return hide if hidden else text

        rows.append({
            t("quality.weights.wave", lang): str(r["wave_id"]),
            t("quality.weights.col.method", lang): _method_label(r.get("method"), lang),
            t("quality.weights.col.n", lang): val(fmt_int(r.get("n"), lang)),
            t("quality.weights.col.population", lang): val(fmt_int(r.get("population"), lang)),
            t("quality.weights.col.n_effective", lang): val(fmt_int(r.get("n_effective"), lang)),
            t("quality.weights.col.deff", lang): val(fmt_number(r.get("deff_kish"), lang, 2)),
            t("quality.weights.col.weight_max", lang): val(fmt_number(r.get("weight_max"), lang, 2)),
            t("quality.weights.col.ratio", lang): val(fmt_number(r.get("max_weight_ratio"), lang, 2)),
            t("quality.weights.col.trimmed", lang): val(fmt_int(r.get("n_trimmed"), lang)),
            t("quality.weights.col.uncovered", lang): val(fmt_int(r.get("n_uncovered"), lang)),
        })
    return pd.DataFrame(rows)


def weight_cells_display(
    df: pd.DataFrame, wave: str, lang: str, sector_labels: Mapping[str, str] | None = None, limit: int = 10
) -> tuple[pd.DataFrame, int]:
    """The ``limit`` largest cell weights of ``wave`` (:func:`indicators.weights.weight_cells`),
    largest first, and the number of hidden cells (fewer than min_group_size respondents, or
    hidden beside one): those are left out of the list, whose order would bound their weight."""
    part = df.loc[df["wave_id"].astype(str) == wave] if len(df) else df
    hidden = int(part["suppressed"].astype(bool).sum()) if len(part) else 0
    shown = part.loc[~part["suppressed"].astype(bool)].head(limit) if len(part) else part
    labels = sector_labels or {}
    yes, no = t("quality.weights.yes", lang), t("quality.weights.no", lang)
    rows = [{
        t("quality.weights.col.sector", lang): labels.get(str(r["sector_id"]), str(r["sector_id"])),
        t("quality.weights.col.territory", lang): "–" if _missing(r.get("territory")) else str(r["territory"]),
        t("quality.weights.col.n", lang): fmt_int(r.get("n"), lang),
        t("quality.weights.col.target", lang): fmt_int(r.get("target_n"), lang),
        t("quality.weights.col.weight", lang): fmt_number(r.get("weight"), lang, 2),
        t("quality.weights.col.cell_ratio", lang): fmt_number(r.get("weight_ratio"), lang, 2),
        t("quality.weights.col.trimmed", lang): yes if _flag(r.get("trimmed")) else no,
    } for r in _records(shown)]
    return pd.DataFrame(rows), hidden


def _covariate_label(covariate: Any, lang: str) -> str:
    return text_or_key(f"quality.attrition.cov.{covariate}", lang, str(covariate))


def _level_label(level: Any, lang: str, sector_labels: Mapping[str, str] | None) -> str:
    if _missing(level) or level == "":
        return ""
    if level == OTHER:
        return t("quality.attrition.other", lang)
    if level == MISSING:
        return t("quality.attrition.missing", lang)
    if str(level) in (sector_labels or {}):
        return (sector_labels or {})[str(level)]
    return text_or_key(f"level.{level}", lang, str(level))


def _signed3(x: Any, lang: str) -> str:
    """A standardised difference with a real minus sign (−0,081)."""
    return fmt_number(x, lang, 3).replace("-", "−")


def attrition_sentence(summary: pd.DataFrame, lang: str, min_group_size: int = 5) -> str:
    """What the attrition model says (:func:`indicators.weights.attrition_weights` summary), or
    why there is none."""
    if summary.empty:
        return t("quality.attrition.one_wave", lang)
    r = summary.iloc[0]
    if _flag(r.get("suppressed")):
        return t("quality.attrition.hidden", lang, n=min_group_size)
    note = None if _missing(r.get("note")) else str(r["note"])
    if note is not None and _missing(r.get("pseudo_r2")):
        fr, en = ATTRITION_NOTES.get(note, (note, note))
        return (en if lang == "en" else fr).format(n=min_group_size)
    covariates = ", ".join(_covariate_label(c, lang) for c in str(r.get("covariates") or "").split("+") if c)
    text = t(
        "quality.attrition.sentence", lang, kept=fmt_int(r.get("n_retained"), lang), n=fmt_int(r.get("n"), lang),
        rate=fmt_percent(r.get("retention"), lang), covariates=covariates or "–",
        r2=fmt_number(r.get("pseudo_r2"), lang, 3), auc=fmt_number(r.get("auc"), lang, 2),
        before=fmt_number(r.get("max_abs_smd_before"), lang, 3), after=fmt_number(r.get("max_abs_smd_after"), lang, 3),
        n_eff=fmt_int(r.get("n_effective"), lang),
    )
    if note is not None:
        fr, en = ATTRITION_NOTES.get(note, (note, note))
        text += " " + (en if lang == "en" else fr).format(n=min_group_size).capitalize() + "."
    return text


def balance_display(
    df: pd.DataFrame, wave_a: str, lang: str, sector_labels: Mapping[str, str] | None = None, min_group_size: int = 5
) -> pd.DataFrame:
    """The covariate balance before and after the attrition weights (standardised mean
    differences); hidden rows read 'moins de 5'."""
    rows = []
    for r in _records(df):
        hidden = _flag(r.get("suppressed"))
        hide = hidden_text(lang, min_group_size)
        share = r.get("level") not in (None, "") and not _missing(r.get("level"))

        def val(col: str, hidden: bool = hidden, r: Mapping[str, Any] = r, share: bool = share,
                hide: str = hide) -> str:
            if hidden:
                return hide
            return fmt_percent(r.get(col), lang) if share else fmt_number(r.get(col), lang, 2)

        rows.append({
            t("quality.attrition.col.covariate", lang): _covariate_label(r.get("covariate"), lang),
            t("quality.attrition.col.level", lang): _level_label(r.get("level"), lang, sector_labels),
            t("quality.attrition.col.n", lang): hide if hidden else fmt_int(r.get("n"), lang),
            t("quality.attrition.col.mean_a", lang, a=wave_a): val("mean_wave_a"),
            t("quality.attrition.col.mean_kept", lang): val("mean_retained"),
            t("quality.attrition.col.mean_weighted", lang): val("mean_retained_weighted"),
            t("quality.attrition.col.smd_before", lang): hide if hidden else _signed3(r.get("smd_before"), lang),
            t("quality.attrition.col.smd_after", lang): hide if hidden else _signed3(r.get("smd_after"), lang),
        })
    return pd.DataFrame(rows)


def attrition_model_display(
    df: pd.DataFrame, lang: str, sector_labels: Mapping[str, str] | None = None, min_group_size: int = 5
) -> pd.DataFrame:
    """The logistic model of staying: odds ratio per term with its CI and p."""
    rows = []
    for r in _records(df):
        hidden = _flag(r.get("suppressed"))
        hide = hidden_text(lang, min_group_size)
        rows.append({
            t("quality.attrition.col.covariate", lang): _covariate_label(r.get("covariate"), lang),
            t("quality.attrition.col.level", lang): _level_label(r.get("level"), lang, sector_labels),
            t("quality.attrition.col.n", lang): hide if hidden else fmt_int(r.get("n"), lang),
            t("quality.attrition.col.or", lang): hide if hidden else fmt_number(r.get("odds_ratio"), lang, 2),
            t("quality.attrition.col.ci", lang): hide if hidden else _ci_text(r.get("ci_low"), r.get("ci_high"), lang,
                                                                              percent=False, decimals=2),
            t("quality.attrition.col.p", lang): hide if hidden else fmt_number(r.get("p_value"), lang, 3),
        })
    return pd.DataFrame(rows)
