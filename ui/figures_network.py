"""Figures and display tables of the « Réseau inter-institutionnel » page.

Pure functions (no Streamlit): DataFrames of :mod:`indicators.networks` and ``lang`` in, a
``go.Figure`` in the house style of :mod:`ui.style` (title, caption with n, source, filters and
date) or a display DataFrame (labels and numbers formatted for ``lang``) out.

The network drawing puts the institutions on a circle, each sector on its own arc (sectors in
their display order, then territory, then name), computed from the whole filtered list of
institutions and not from one wave: an institution keeps its place from wave to wave, so a new
or lost tie is seen at once. Ties are drawn undirected (one curve per pair of institutions):
darker and thicker with the level of collaboration (or the number of practitioners naming the
partner), solid when both sides report the tie, dotted when only one does. Colours tell sectors
apart; marker symbols too, so the chart stays readable in black and white.

A few helpers (``finish_chart``, ``short``, ``sector_name``…) are shared with
:mod:`ui.figures_exchanges`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from indicators.tie_formation import NOTES as TIE_NOTES
from ui.figures_practice import fmt_p
from ui.i18n import NNBSP, fmt_int, fmt_number, fmt_percent, fmt_signed, is_missing, t
from ui.style import (
    ACCENT,
    BAD,
    CAPTION_CHAR_PX,
    GRID,
    INK,
    MUTED,
    NEUTRAL,
    SUBTITLE_CHAR_PX,
    Caption,
    empty_figure,
    finish,
    sector_colour,
    series_style,
    title_room,
)

PARTNER = "partner_survey"
PRACTITIONER = "practitioner_survey"
BOTH = "both"
SOURCES = (PARTNER, PRACTITIONER, BOTH)

# Marker symbol of each sector (besides its colour), for black-and-white print.
SECTOR_SYMBOLS = {
    "education": "circle",
    "city": "square",
    "association": "diamond",
    "health": "triangle-up",
    "social": "pentagon",
    "insertion": "hexagon",
    "parents": "star",
}
OTHER_SYMBOL = "circle"

CAPTION_CHARS = 120
SUBTITLE_CHARS = 125


# --------------------------------------------------------------------------- shared helpers



def short(text: Any, width: int = 30) -> str:
    """A label cut to `width` characters (with an ellipsis)."""
    s = "" if is_missing(text) else str(text)
    return s if len(s) <= width else s[: width - 1].rstrip() + "…"


def wrap_words(text: str, width: int = CAPTION_CHARS) -> list[str]:
    """Lines of about `width` characters (plotly text does not wrap by itself)."""
    lines: list[str] = []
    for paragraph in str(text).split("<br>"):
        line = ""
        for word in paragraph.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return [x for x in lines if x]


def sector_name(sector_id: Any, labels: Mapping[str, str] | None) -> str:
    if is_missing(sector_id):
        return "–"
    return (labels or {}).get(str(sector_id), str(sector_id))


def sector_symbol(sector_id: Any) -> str:
    return SECTOR_SYMBOLS.get("" if is_missing(sector_id) else str(sector_id), OTHER_SYMBOL)


def pct(x: Any, lang: str, decimals: int = 0) -> str:
    return fmt_percent(x, lang, decimals)


def pct_suffix(lang: str) -> str:
    return f"{NNBSP}%" if lang == "fr" else "%"


def colon(lang: str) -> str:
    """' : ' in French, ': ' in English."""
    return f"{NNBSP}: " if lang == "fr" else ": "


def finish_chart(
    fig: go.Figure,
    title: str,
    caption: Caption,
    lang: str,
    subtitle: str = "",
    height: int = 460,
    left: int | None = None,
    axis_below: bool = True,
    below: int | None = None,
    caption_chars: int = CAPTION_CHARS,
    top_extra: int = 0,
    subtitle_chars: int = SUBTITLE_CHARS,
) -> go.Figure:
    """:func:`ui.style.finish`, then the caption moved to the figure's left edge, wrapped, with
    room for every line (ui.style anchors it at the plot area, far right of long labels); the
    subtitle wrapped too, and the top margin made to fit title, subtitle and `top_extra` pixels
    (a legend or a top axis above the plot)."""
    finish(fig, title, caption, lang, subtitle=subtitle, height=height,
           width=min(caption_chars, int(subtitle_chars * SUBTITLE_CHAR_PX / CAPTION_CHAR_PX)))
    room = title_room(fig)
    fig.update_layout(margin={"t": room + 4 + top_extra})
    height += max(room - 66, 0)  # a title block longer than title + one subtitle line
    margin_left = int(left if left is not None else fig.layout.margin.l or 60)
    below = below if below is not None else (56 if axis_below else 16)
    for ann in fig.layout.annotations:
        if ann.name == "caption":
            lines = wrap_words(str(ann.text), caption_chars)
            ann.text = "<br>".join(lines)
            ann.xshift = -(margin_left - 8)
            ann.yshift = -below
            fig.update_layout(
                margin={"l": margin_left, "b": below + 15 * len(lines) + 12},
                height=height + 15 * len(lines),
            )
    return fig


def source_label(source: str, lang: str) -> str:
    """Short name of a tie source (partner survey, practitioners, both)."""
    return t(f"network.source.{source}", lang)


def source_text(source: str, lang: str) -> str:
    """The source as it is written in a caption."""
    if source == PARTNER:
        return t("source.partner", lang)
    if source == PRACTITIONER:
        return t("source.practitioner", lang)
    return f"{t('source.partner', lang)} + {t('source.practitioner', lang)}"


def level_name(level: Any, lang: str) -> str:
    """Frey et al. (2006) level of collaboration 0–5 → its name (rounded down)."""
    if is_missing(level):
        return "–"
    k = int(min(max(math.floor(float(level) + 1e-9), 0), 5))
    return t(f"network.level.{k}", lang)


def level_text(level: Any, lang: str) -> str:
    """'3 – coordination' (a mean such as 2.5 is written 2,5)."""
    if is_missing(level):
        return "–"
    value = float(level)
    number = fmt_int(value, lang) if value.is_integer() else fmt_number(value, lang, 1)
    return f"{number} – {level_name(value, lang)}"


def tie_rule_text(source: str, min_level: float, lang: str) -> str:
    """What makes a tie, in words."""
    level = level_text(min_level, lang)
    if source == PARTNER:
        return t("network.rule.partner", lang, level=level)
    if source == PRACTITIONER:
        return t("network.rule.practitioner", lang)
    return t("network.rule.both", lang, level=level)


# --------------------------------------------------------------------------- layout


def circle_layout(institutions: pd.DataFrame, sector_order: Sequence[str]) -> pd.DataFrame:
    """Institutions on a unit circle, clockwise from the top: one arc per sector (in
    `sector_order`, unknown sectors last), an empty slot between sectors, institutions of a
    sector by territory then name. Deterministic: the same list gives the same places.

    `institutions`: institution_id, name, sector_id[, territory]. Returns institution_id, x,
    y, angle (radians), sector_id."""
    if institutions.empty:
        return pd.DataFrame(columns=["institution_id", "x", "y", "angle", "sector_id"])
    d = institutions.drop_duplicates("institution_id").copy()
    rank = {s: i for i, s in enumerate(sector_order)}
    d["_s"] = [rank.get(str(s), len(rank)) if not is_missing(s) else len(rank) + 1 for s in d["sector_id"]]
    d["_t"] = d["territory"].astype(object).fillna("") if "territory" in d else ""
    d["_n"] = d["name"].astype(object).fillna(d["institution_id"]).astype(str)
    d = d.sort_values(["_s", "_t", "_n", "institution_id"], kind="stable").reset_index(drop=True)
    slots: list[int] = []
    slot, previous = 0, None
    for s in d["_s"]:
        if previous is not None and s != previous:
            slot += 1  # a gap between two sectors
        slots.append(slot)
        slot += 1
        previous = s
    total = max(slot + (1 if d["_s"].nunique() > 1 else 0), 1)
    angle = math.pi / 2 - 2 * math.pi * np.asarray(slots, dtype=float) / total
    return pd.DataFrame(
        {
            "institution_id": d["institution_id"].astype(object),
            "x": np.cos(angle),
            "y": np.sin(angle),
            "angle": angle,
            "sector_id": d["sector_id"].astype(object),
        }
    )


# --------------------------------------------------------------------------- pairs


PAIR_COLUMNS = [
    "institution_a", "institution_b", "level_ab", "level_ba", "weight_ab", "weight_ba",
    "tie_ab", "tie_ba", "reciprocated", "level", "weight", "band",
]  # fmt: skip


def tie_pairs(edges: pd.DataFrame) -> pd.DataFrame:
    """The directed ties of :func:`indicators.networks.network_edges` as undirected pairs (a
    before b in id order): levels and practitioner counts each way, reciprocated (both sides
    report the tie), level = mean of the levels of the reported ties, weight = practitioners
    naming the partner (both directions), band = drawing class (:func:`tie_band`)."""
    if edges.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in PAIR_COLUMNS})
    e = edges.copy()
    src = e["from_institution_id"].astype(str)
    dst = e["to_institution_id"].astype(str)
    forward = (src <= dst).to_numpy()
    e["a"] = np.where(forward, src, dst)
    e["b"] = np.where(forward, dst, src)
    e["forward"] = forward
    level = pd.to_numeric(e["level"], errors="coerce").astype(float)
    level = level.where(e["partner_tie"].astype(bool))  # a level below the rule is no tie
    e["lv"] = level
    e["wt"] = pd.to_numeric(e["weight"], errors="coerce").fillna(0).astype(float)
    fw, bw = e[e["forward"]], e[~e["forward"]]
    left = fw.set_index(["a", "b"])[["lv", "wt"]].rename(columns={"lv": "level_ab", "wt": "weight_ab"})
    right = bw.set_index(["a", "b"])[["lv", "wt"]].rename(columns={"lv": "level_ba", "wt": "weight_ba"})
    left["tie_ab"] = True
    right["tie_ba"] = True
    out = left.join(right, how="outer").reset_index()
    out = out.rename(columns={"a": "institution_a", "b": "institution_b"})
    out["tie_ab"] = out["tie_ab"].astype("boolean").fillna(False).astype(bool)
    out["tie_ba"] = out["tie_ba"].astype("boolean").fillna(False).astype(bool)
    out["weight_ab"] = out["weight_ab"].fillna(0.0)
    out["weight_ba"] = out["weight_ba"].fillna(0.0)
    out["reciprocated"] = out["tie_ab"] & out["tie_ba"]
    out["level"] = out[["level_ab", "level_ba"]].mean(axis=1, skipna=True)
    out["weight"] = out["weight_ab"] + out["weight_ba"]
    out["band"] = [tie_band(lv, w) for lv, w in zip(out["level"], out["weight"], strict=True)]
    return out[PAIR_COLUMNS]


BANDS = ("L2", "L3", "L4", "L5", "P1", "P2", "P3")
# width, grey: darker and thicker = stronger (readable in black and white)
BAND_STYLE: dict[str, tuple[float, str]] = {
    "L2": (0.7, "#c3c9d0"),
    "L3": (1.2, "#8f99a4"),
    "L4": (1.9, "#56606b"),
    "L5": (2.8, "#1f2933"),
    "P1": (0.7, "#c3c9d0"),
    "P2": (1.3, "#8f99a4"),
    "P3": (2.2, "#3b4550"),
}


def tie_band(level: Any, weight: Any) -> str:
    """Drawing class of a pair: L2…L5 by the level of collaboration (rounded down; below 2
    counts as 2), else by the namings of practitioners (both directions): P1 = 1, P2 = 2–3,
    P3 = 4 or more."""
    if not is_missing(level):
        return f"L{min(max(math.floor(float(level) + 1e-9), 2), 5)}"
    w = 0 if is_missing(weight) else float(weight)
    return "P1" if w < 2 else ("P2" if w < 4 else "P3")


def band_label(band: str, lang: str) -> str:
    if band.startswith("L"):
        return level_text(int(band[1:]), lang)
    return t(f"network.band.{band}", lang)


# --------------------------------------------------------------------------- network drawing


def _curve(x0: float, y0: float, x1: float, y1: float, span: float = 2.0, steps: int = 11) -> tuple[list, list]:
    """A quadratic curve from (x0, y0) to (x1, y1) bent towards the centre, the more so the
    farther apart the ends (`span`: the largest distance), then None (a break in the line)."""
    far = min(math.hypot(x1 - x0, y1 - y0) / span, 1.0)
    pull = 0.35 + 0.6 * (1.0 - far) ** 2
    cx, cy = (x0 + x1) / 2 * pull, (y0 + y1) / 2 * pull
    s = np.linspace(0.0, 1.0, steps)
    xs = (1 - s) ** 2 * x0 + 2 * (1 - s) * s * cx + s**2 * x1
    ys = (1 - s) ** 2 * y0 + 2 * (1 - s) * s * cy + s**2 * y1
    return [*np.round(xs, 4).tolist(), None], [*np.round(ys, 4).tolist(), None]


def _pair_hover(row: Any, names: Mapping[str, str], lang: str, source: str) -> str:
    a, b = names.get(row.institution_a, row.institution_a), names.get(row.institution_b, row.institution_b)
    lines = [f"<b>{a} ↔ {b}</b>"]
    for frm, to, tie, lv, wt in (
        (a, b, row.tie_ab, row.level_ab, row.weight_ab),
        (b, a, row.tie_ba, row.level_ba, row.weight_ba),
    ):
        if not tie:
            detail = t("network.hover.no_tie", lang)
        else:
            parts = []
            if not is_missing(lv):
                parts.append(level_text(lv, lang))
            if wt and source != PARTNER:
                parts.append(t("network.hover.named_by", lang, n=fmt_int(wt, lang)))
            detail = ", ".join(parts) or t("network.hover.tie", lang)
        lines.append(f"{short(frm, 34)} → {short(to, 34)}{colon(lang)}{detail}")
    lines.append(t("network.hover.reciprocated" if row.reciprocated else "network.hover.one_way", lang))
    return "<br>".join(lines)


def _node_hover(row: Any, lang: str, sector_labels: Mapping[str, str] | None) -> str:
    sep = colon(lang)
    lines = [
        f"<b>{row.name}</b>",
        f"{t('network.col.sector', lang)}{sep}{sector_name(row.sector_id, sector_labels)}",
        f"{t('network.col.territory', lang)}{sep}{'' if is_missing(row.territory) else row.territory}",
        f"{t('network.col.partners', lang)}{sep}{fmt_int(row.degree, lang)} "
        f"({t('network.hover.out_in', lang, out=fmt_int(row.out_degree, lang), inn=fmt_int(row.in_degree, lang))})",
    ]
    for key in ("trust", "value", "level"):
        mean, raters = getattr(row, f"{key}_received"), getattr(row, f"{key}_raters")
        if not is_missing(mean) and raters:
            decimals = 1
            lines.append(
                f"{t(f'network.hover.{key}_received', lang)}{sep}{fmt_number(mean, lang, decimals)} "
                f"({t('network.hover.raters', lang, n=fmt_int(raters, lang))})"
            )
    if not bool(row.answered):
        lines.append(f"<i>{t('network.hover.not_answered', lang)}</i>")
    return "<br>".join(lines)


@dataclass(frozen=True)
class Highlight:
    """Pairs to draw in colour on top of the network (new ties, lost ties between two waves)."""

    pairs: frozenset[tuple[str, str]]
    label: str
    colour: str
    dash: str = "solid"


def _ordered_pairs(first: pd.Series, second: pd.Series) -> frozenset[tuple[str, str]]:
    """(a, b) pairs, a before b, of two columns of institution ids."""
    return frozenset((a, b) if a <= b else (b, a) for a, b in zip(first.astype(str), second.astype(str), strict=True))


def highlight_pairs(ties: pd.DataFrame) -> frozenset[tuple[str, str]]:
    """(a, b) pairs, a before b, of a tie_stability new_ties / lost_ties table."""
    if ties.empty:
        return frozenset()
    return _ordered_pairs(ties["institution_a"], ties["institution_b"])


def ego_pairs(edges: pd.DataFrame, institution_id: str) -> frozenset[tuple[str, str]]:
    """(a, b) pairs, a before b, of the ties of one institution in a network_edges table (either
    direction): what the graph draws in colour for the institution chosen in « Le réseau d'une
    structure »."""
    mine = edges[(edges["from_institution_id"] == institution_id) | (edges["to_institution_id"] == institution_id)]
    return _ordered_pairs(mine["from_institution_id"], mine["to_institution_id"])


def network_figure(
    edges: pd.DataFrame,
    nodes: pd.DataFrame,
    layout: pd.DataFrame,
    lang: str,
    *,
    wave: str,
    source: str,
    min_level: float = 2.0,
    sector_labels: Mapping[str, str] | None = None,
    filters: str = "",
    highlight: Sequence[Highlight] = (),
    labels: bool = True,
    height: int = 760,
    title: str | None = None,
    width: int = 1050,
) -> go.Figure:
    """The institutions of one wave and their ties (see the module docstring).

    `edges`, `nodes`: :func:`indicators.networks.network_edges`; `layout`: :func:`circle_layout`
    of every filtered institution (places stay the same across waves). Node size grows with the
    number of partners; an open symbol is an institution that did not answer (its own ties are
    unobserved). `highlight` draws given pairs (e.g. new ties) in colour on top. `width`: the
    expected width on screen in pixels (for the legends' and caption's line breaks)."""
    title = title or t("network.fig.graph.title", lang, wave=wave)
    src = source_text(source, lang)
    if nodes.empty:
        return empty_figure(
            title, t("network.empty.no_network_wave", lang, wave=wave), Caption(None, src, filters), lang
        )
    aspect = ASPECT if labels else 1.0
    pos: dict[str, tuple[float, float, float]] = {
        str(i): (float(x) * aspect, float(y), float(a))
        for i, x, y, a in zip(layout["institution_id"], layout["x"], layout["y"], layout["angle"], strict=True)
    }
    nodes = nodes[nodes["institution_id"].astype(str).isin(pos.keys())].reset_index(drop=True)
    names = dict(zip(nodes["institution_id"].astype(str), nodes["name"].astype(str), strict=True))
    pairs = tie_pairs(edges)
    pairs = pairs[pairs["institution_a"].isin(pos.keys()) & pairs["institution_b"].isin(pos.keys())]
    traces: list[go.Scatter] = []

    def curves(chosen: Iterable[tuple[str, str]]) -> tuple[list[float | None], list[float | None]]:
        xs: list[float | None] = []
        ys: list[float | None] = []
        for a, b in chosen:
            cx, cy = _curve(pos[a][0], pos[a][1], pos[b][0], pos[b][1], 2 * aspect)
            xs += cx
            ys += cy
        return xs, ys

    # ties, one trace per band × reciprocity (legend: one entry per band)
    present = [b for b in BANDS if b in set(pairs["band"])]
    for band in present:
        line_width, colour = BAND_STYLE[band]
        for recip in (True, False):
            part = pairs[(pairs["band"] == band) & (pairs["reciprocated"] == recip)]
            if part.empty:
                continue
            xs, ys = curves(zip(part["institution_a"], part["institution_b"], strict=True))
            traces.append(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"width": line_width, "color": colour, "dash": "solid" if recip else "dot"},
                    hoverinfo="skip",
                    name=band_label(band, lang),
                    legend="legend2",
                    legendgroup=band,
                    showlegend=False,
                    meta={"kind": "ties", "band": band, "reciprocated": recip, "pairs": len(part)},
                )
            )
        traces.append(  # the band's legend entry (a short solid stroke)
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line={"width": max(line_width, 1.2), "color": colour},
                name=band_label(band, lang),
                legend="legend2",
                legendgroup=band,
                hoverinfo="skip",
                meta={"kind": "legend"},
            )
        )
    if len(pairs):
        for recip in (True, False):
            traces.append(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="lines",
                    line={"width": 1.6, "color": INK, "dash": "solid" if recip else "dot"},
                    name=t("network.legend.reciprocated" if recip else "network.legend.one_way", lang),
                    legend="legend2",
                    hoverinfo="skip",
                    meta={"kind": "legend"},
                )
            )

    # highlighted pairs (new / lost ties)
    for h in highlight:
        chosen = [p for p in sorted(h.pairs) if p[0] in pos and p[1] in pos]
        if not chosen:
            continue
        xs, ys = curves(chosen)
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"width": 2.4, "color": h.colour, "dash": h.dash},
                name=f"{h.label} ({fmt_int(len(chosen), lang)})",
                legend="legend2",
                hoverinfo="skip",
                meta={"kind": "highlight", "pairs": len(chosen)},
            )
        )

    # hover points in the middle of each tie (on the curve: t = 1/2)
    if len(pairs):
        mids_x, mids_y, hover = [], [], []
        for row in pairs.itertuples(index=False):
            (xa, ya, _), (xb, yb, _) = pos[row.institution_a], pos[row.institution_b]
            cx, cy = _curve(xa, ya, xb, yb, 2 * aspect, steps=3)
            mids_x.append(cx[1])
            mids_y.append(cy[1])
            hover.append(_pair_hover(row, names, lang, source))
        traces.append(
            go.Scatter(
                x=mids_x,
                y=mids_y,
                mode="markers",
                marker={"size": 7, "color": "rgba(0,0,0,0)"},
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
                name="ties-hover",
                meta={"kind": "tie-hover"},
            )
        )

    # institutions, one trace per sector (legend: sectors)
    max_degree = max(float(pd.to_numeric(nodes["degree"], errors="coerce").max() or 0), 1.0)
    node_sector = nodes["sector_id"].astype(object)
    for sector in dict.fromkeys(layout["sector_id"].astype(object)):
        part = nodes[node_sector.isna()] if is_missing(sector) else nodes[node_sector == sector]
        if part.empty:
            continue
        colour = sector_colour(None if is_missing(sector) else str(sector))
        answered = part["answered"].astype(bool).to_numpy()
        degree = pd.to_numeric(part["degree"], errors="coerce").fillna(0).to_numpy(float)
        ids = part["institution_id"].astype(str).tolist()
        traces.append(
            go.Scatter(
                x=[pos[i][0] for i in ids],
                y=[pos[i][1] for i in ids],
                mode="markers",
                marker={
                    "size": (9 + 19 * np.sqrt(degree / max_degree)).round(1).tolist(),
                    "color": [colour if a else "white" for a in answered],
                    "symbol": sector_symbol(sector),
                    "line": {
                        "width": [1.0 if a else 2.2 for a in answered],
                        "color": [INK if a else colour for a in answered],
                    },
                },
                name=sector_name(sector, sector_labels),
                hovertext=[_node_hover(r, lang, sector_labels) for r in part.itertuples(index=False)],
                hoverinfo="text",
                legend="legend",
                customdata=ids,
                meta={"kind": "institutions", "sector": None if is_missing(sector) else str(sector)},
                legendgroup=f"sector-{sector}",
                showlegend=False,
            )
        )
        # The legend shows the sector's symbol filled: a hollow marker means "did not answer", and
        # plotly draws a trace's legend with its first point (hollow when that one did not answer).
        traces.append(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 11, "color": colour, "symbol": sector_symbol(sector),
                        "line": {"width": 1.0, "color": INK}},
                name=sector_name(sector, sector_labels),
                legend="legend",
                legendgroup=f"sector-{sector}",
                hoverinfo="skip",
                meta={"kind": "legend"},
            )
        )
    if not nodes["answered"].astype(bool).all():
        traces.append(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 11, "color": "white", "symbol": "circle", "line": {"width": 2, "color": MUTED}},
                name=t("network.legend.not_answered", lang),
                legend="legend",
                hoverinfo="skip",
                meta={"kind": "legend"},
            )
        )
    fig = go.Figure(data=traces)

    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    n_nodes = len(nodes)
    answered_n = int(nodes["answered"].astype(bool).sum())
    note = t(
        "network.fig.graph.note",
        lang,
        k=fmt_int(answered_n, lang),
        share=pct(answered_n / n_nodes if n_nodes else math.nan, lang),
        ties=fmt_int(len(pairs), lang),
    )
    caption = Caption(n_nodes, src, filters, note=note)
    sub_chars = max(int(width / 7.2), 40)
    subtitle = "<br>".join(
        wrap_words(tie_rule_text(source, min_level, lang), sub_chars)
        + wrap_words(t("network.fig.graph.subtitle", lang), sub_chars)
    )
    ties_legend = [str(tr.name) for tr in traces if tr.legend == "legend2" and tr.showlegend is not False]
    sector_legend = [str(tr.name) for tr in traces if tr.legend == "legend" and tr.showlegend is not False]
    rows_below = legend_rows([t("network.legend.ties", lang), *ties_legend], width, 11)
    rows_top = legend_rows(sector_legend, width, 12)
    fig = finish_chart(
        fig,
        title,
        caption,
        lang,
        subtitle=subtitle,
        height=height,
        left=20,
        below=26 + 22 * rows_below,
        caption_chars=max(int(width / 6.4), 50),
        subtitle_chars=sub_chars,
    )
    top = title_room(fig) + 22 * rows_top + 10
    fig.update_layout(
        margin={"r": 20, "t": top},
        hovermode="closest",
        dragmode="pan",
        legend={
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "bottom",
            "font": {"size": 12},
            "itemwidth": 30,
        },
        legend2={
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": 0.0,
            "yanchor": "top",
            "title": {"text": t("network.legend.ties", lang), "side": "left"},
            "font": {"size": 11},
        },
    )
    plot_h = max(float(fig.layout.height) - float(fig.layout.margin.t) - float(fig.layout.margin.b), 200.0)
    if labels:
        texts = [short(n, LABEL_CHARS) for n in nodes["name"]]
        longest = max((len(x) for x in texts), default=0) * LABEL_CHAR_PX + LABEL_GAP_PX
        px_per_unit = max((plot_h / 2 - longest) / 1.06, 60.0)  # the names fit above and below
        fig.update_layout(annotations=[*fig.layout.annotations, *_name_labels(nodes, texts, pos, px_per_unit)])
        y_extent = plot_h / 2 / px_per_unit
        x_extent = aspect + longest / px_per_unit + 0.05
    else:
        y_extent = x_extent = 1.08
    fig.update_xaxes(range=[-x_extent, x_extent])
    fig.update_yaxes(range=[-y_extent, y_extent])
    plot_w = max(width - float(fig.layout.margin.l or 0) - float(fig.layout.margin.r or 0), 200.0)
    _keep_markers_apart(fig, pos, nodes, min(plot_h / (2 * y_extent), plot_w / (2 * x_extent)))
    return fig


def _keep_markers_apart(
    fig: go.Figure, pos: Mapping[str, tuple[float, float, float]], nodes: pd.DataFrame, px_per_unit: float
) -> None:
    """Shrink every institution's marker by one factor (sizes keep their order) so that the two
    closest neighbours on the ring do not overlap: on a narrow chart (two waves side by side) or
    with many institutions the largest squares ran into each other."""
    points = sorted((pos[str(i)][2], pos[str(i)][0], pos[str(i)][1]) for i in nodes["institution_id"])
    if len(points) < 2:
        return
    xy = np.asarray([(x, y) for _, x, y in points])
    gap = float(np.min(np.hypot(*(xy - np.roll(xy, 1, axis=0)).T))) * px_per_unit
    traces = [tr for tr in fig.data if isinstance(tr.meta, dict) and tr.meta.get("kind") == "institutions"]
    largest = max((max(tr.marker.size) for tr in traces if tr.marker.size is not None), default=0.0)
    room = gap / (2 * SYMBOL_REACH)
    if largest <= room or largest <= 0:
        return
    factor = max(room, MIN_MARKER_PX) / largest
    for tr in traces:
        tr.marker.size = [round(float(v) * factor, 1) for v in tr.marker.size]


MIN_MARKER_PX = 5.0  # below, a marker is hard to see and to click: overlap is the lesser evil
SYMBOL_REACH = 0.71  # a square reaches 1/√2 × size from its centre (its corner), plotly's other sector symbols less


def legend_rows(labels: Sequence[str], width: float, font_px: float) -> int:
    """Rows a horizontal legend takes (each item: symbol, gap, text)."""
    rows, used = 1, 0.0
    for label in labels:
        item = 48 + len(label) * font_px * 0.58
        if used and used + item > width:
            rows += 1
            used = 0.0
        used += item
    return rows


ASPECT = 1.5  # with names, institutions sit on an ellipse: the page is wider than tall
LABEL_CHARS = 28
LABEL_CHAR_PX = 5.7  # mean width of a 10 px character
LABEL_GAP_PX = 14


def _name_labels(
    nodes: pd.DataFrame, texts: Sequence[str], pos: Mapping[str, tuple[float, float, float]], px_per_unit: float
) -> list[dict[str, Any]]:
    """Institution names outside the ellipse, along its outward normal. Rotated text turns
    about its centre, so each name's centre is put half its estimated length beyond the node."""
    out = []
    for row, text in zip(nodes.itertuples(index=False), texts, strict=True):
        x, y, angle = pos[str(row.institution_id)]
        nx, ny = math.cos(angle), ASPECT * math.sin(angle)  # normal of (ASPECT cos φ, sin φ)
        norm = math.hypot(nx, ny) or 1.0
        nx, ny = nx / norm, ny / norm
        half = (LABEL_GAP_PX + len(text) * LABEL_CHAR_PX / 2) / px_per_unit
        deg = math.degrees(math.atan2(ny, nx))
        right = nx >= -1e-9
        out.append(
            {
                "x": x + nx * half,
                "y": y + ny * half,
                "text": text,
                "showarrow": False,
                "textangle": -deg if right else 180 - deg,
                "xanchor": "center",
                "yanchor": "middle",
                "font": {"size": 10, "color": INK if bool(row.answered) else MUTED},
                "name": "label",
            }
        )
    return out


# --------------------------------------------------------------------------- trends


# Density, reciprocity and cross-sector share among the institutions that answered (robust to who
# did not answer), always beside the coverage: a trend of the plain density would follow coverage.
TREND_METRICS: tuple[tuple[str, str], ...] = (
    ("density_respondents", "percent"),
    ("reciprocity_respondents", "percent"),
    ("degree_centralization", "index"),
    ("cross_sector_share_respondents", "percent"),
    ("mean_level", "level"),
    ("coverage", "percent"),
)
ROBUST_KPI = {"density": "density_respondents", "reciprocity": "reciprocity_respondents",
              "cross_sector_share": "cross_sector_share_respondents"}


def _metric_text(value: Any, kind: str, lang: str) -> str:
    if is_missing(value):
        return "–"
    if kind == "percent":
        return pct(value, lang)
    if kind == "index":
        return fmt_number(value, lang, 2)
    return fmt_number(value, lang, 1)


def waves_in_order(df: pd.DataFrame) -> list[str]:
    cols = [c for c in ("wave_order", "wave_id") if c in df]
    if df.empty:
        return []
    return list(dict.fromkeys(df.sort_values(cols, kind="stable")["wave_id"].astype(str)))


def trend_figure(trend: pd.DataFrame, lang: str, *, source: str, filters: str = "") -> go.Figure:
    """Network indicators wave after wave, one small panel per indicator (shares in %, fixed
    scales so that a change is not exaggerated). One line per territory when each territory is
    its own network, else one line. `trend`: :func:`indicators.networks.network_trend`."""
    title = t("network.fig.trend.title", lang)
    src = source_text(source, lang)
    if trend.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, src, filters), lang)
    waves = waves_in_order(trend)
    metrics = list(TREND_METRICS)
    fig = make_subplots(
        rows=2,
        cols=3,
        subplot_titles=[t(f"network.metric.{m}", lang) for m, _ in metrics],
        horizontal_spacing=0.07,
        vertical_spacing=0.2,
    )
    key = trend["territory"].astype(object).where(trend["territory"].notna(), None)
    groups = list(dict.fromkeys(key))
    for gi, group in enumerate(groups):
        part = trend[key == group] if group is not None else trend[key.isna()]
        part = part.set_index(part["wave_id"].astype(str)).reindex(waves)
        style = series_style(gi)
        name = t("network.all_territories", lang) if group is None else str(group)
        for mi, (metric, kind) in enumerate(metrics):
            values = pd.to_numeric(part[metric], errors="coerce").astype(float)
            y = values * 100 if kind == "percent" else values
            text = [_metric_text(v, kind, lang) for v in values]
            fig.add_trace(
                go.Scatter(
                    x=waves,
                    y=y.tolist(),
                    mode="lines+markers+text" if len(groups) == 1 else "lines+markers",
                    text=text,
                    textposition="top center",
                    textfont={"size": 11, "color": INK},
                    line=style["line"],
                    marker=style["marker"],
                    name=name,
                    legendgroup=name,
                    showlegend=len(groups) > 1 and mi == 0,
                    hovertemplate=f"{name} · %{{x}}<br>{t(f'network.metric.{metric}', lang)}"
                    f"{colon(lang)}%{{text}}<extra></extra>",
                    meta={"metric": metric},
                ),
                row=mi // 3 + 1,
                col=mi % 3 + 1,
            )
    for mi, (metric, kind) in enumerate(metrics):
        row, col = mi // 3 + 1, mi % 3 + 1
        if kind == "percent":
            fig.update_yaxes(range=[0, 109], ticksuffix=pct_suffix(lang), row=row, col=col)
        elif kind == "index":
            fig.update_yaxes(range=[0, 1.09], row=row, col=col)
        else:
            fig.update_yaxes(range=[0, 5.4], dtick=1, row=row, col=col)
        fig.update_xaxes(type="category", row=row, col=col)
        if metric == "mean_level" and pd.to_numeric(trend["mean_level"], errors="coerce").isna().all():
            fig.add_annotation(
                text=t("network.fig.trend.partner_only", lang),
                x=0.5,
                y=0.5,
                xref=f"x{mi + 1 if mi else ''} domain",
                yref=f"y{mi + 1 if mi else ''} domain",
                showarrow=False,
                font={"size": 12, "color": MUTED},
            )
    n = int(pd.to_numeric(trend["nodes"], errors="coerce").max())
    note = t("network.fig.trend.note", lang)
    caption = Caption(n, src, filters, note=note)
    fig = finish_chart(
        fig, title, caption, lang, subtitle=t("network.fig.trend.subtitle", lang), height=600, top_extra=40
    )
    for ann in fig.layout.annotations:  # subplot titles: smaller and left-aligned
        if ann.name != "caption" and ann.text in {t(f"network.metric.{m}", lang) for m, _ in metrics}:
            ann.font = {"size": 13, "color": INK}
    return fig


def kpi_values(
    trend: pd.DataFrame, wave: str, previous: str | None, pair: pd.DataFrame | None = None
) -> dict[str, tuple[Any, Any]]:
    """metric → (value in `wave`, change since `previous`) for the pooled network (or the
    sum/mean over territories when each territory is a network). Density, reciprocity and
    cross-sector share are among the institutions that answered; their change is the robust one
    of ``pair`` (``network_trend`` over the two waves: among those that answered both waves when
    coverage moved), when given."""
    out: dict[str, tuple[Any, Any]] = {}
    if trend.empty:
        return out

    def at(w: str | None, col: str) -> float:
        if w is None:
            return math.nan
        rows = trend[trend["wave_id"].astype(str) == w]
        if rows.empty:
            return math.nan
        values = pd.to_numeric(rows[col], errors="coerce")
        return float(values.sum() if col in ("nodes", "n", "ties") else values.mean())

    for col in ("nodes", "n", "ties", "density", "reciprocity", "cross_sector_share", "mean_level", "coverage"):
        source = ROBUST_KPI.get(col, col) if ROBUST_KPI.get(col, col) in trend.columns else col
        value = at(wave, source)
        before = at(previous, source)
        out[col] = (value, value - before if not (math.isnan(value) or math.isnan(before)) else math.nan)
        robust = f"change_{col}_robust"
        if col in ROBUST_KPI and pair is not None and robust in pair.columns:
            rows = pair[pair["wave_id"].astype(str) == wave]
            if len(rows):
                out[col] = (value, float(pd.to_numeric(rows[robust], errors="coerce").mean()))
    if pair is not None and "change_basis" in pair.columns:
        rows = pair[pair["wave_id"].astype(str) == wave]
        out["basis"] = (rows["change_basis"].iloc[0] if len(rows) else None,
                        rows["n_both"].iloc[0] if len(rows) and "n_both" in rows else None)
    return out


# --------------------------------------------------------------------------- stability


def stability_sentence(summary: pd.DataFrame, lang: str) -> str:
    """N11 / N10 / N01 and the Jaccard index in words (markdown), for the pooled network or
    the sum over territories."""
    if summary.empty:
        return ""
    n11, n10, n01 = (int(pd.to_numeric(summary[c], errors="coerce").sum()) for c in ("n11", "n10", "n01"))
    total = n11 + n10 + n01
    jaccard = n11 / total if total else math.nan
    row = summary.iloc[0]
    return t(
        "network.stability.sentence",
        lang,
        a=row["wave_a"],
        b=row["wave_b"],
        n=fmt_int(int(pd.to_numeric(summary["n"], errors="coerce").sum()), lang),
        only_a=fmt_int(int(pd.to_numeric(summary["only_a"], errors="coerce").sum()), lang),
        only_b=fmt_int(int(pd.to_numeric(summary["only_b"], errors="coerce").sum()), lang),
        n11=fmt_int(n11, lang),
        n10=fmt_int(n10, lang),
        n01=fmt_int(n01, lang),
        jaccard=fmt_number(jaccard, lang, 2),
        share=pct(jaccard, lang),
    )


def stability_figure(summary: pd.DataFrame, lang: str, *, source: str, filters: str = "") -> go.Figure:
    """Ties kept (N11), lost (N10) and new (N01) between waves a and b: one stacked bar per
    network. `summary`: :attr:`indicators.networks.TieStabilityResult.summary`."""
    if summary.empty:
        title = t("network.fig.stability.title_short", lang)
        return empty_figure(title, t("chart.no_data", lang), Caption(None, source_text(source, lang), filters), lang)
    wa, wb = str(summary["wave_a"].iloc[0]), str(summary["wave_b"].iloc[0])
    title = t("network.fig.stability.title", lang, a=wa, b=wb)
    labels = [
        t("network.all_territories", lang) if is_missing(x) else str(x) for x in summary["territory"].astype(object)
    ]
    parts = (
        ("n11", "network.stability.kept", NEUTRAL, ""),
        ("n10", "network.stability.lost", BAD, "x"),
        ("n01", "network.stability.new", ACCENT, "/"),
    )
    fig = go.Figure()
    for col, key, colour, pattern in parts:
        values = pd.to_numeric(summary[col], errors="coerce").fillna(0).astype(int).tolist()
        fig.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                name=t(key, lang),
                marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "white", "solidity": 0.3}},
                text=[fmt_int(v, lang) for v in values],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": "white", "size": 14},
                hovertemplate=f"{t(key, lang)}{colon(lang)}%{{x}}<extra></extra>",
                meta={"part": col},
            )
        )
    fig.update_layout(barmode="stack", bargap=0.3, legend={"traceorder": "normal", "x": 0.0, "xanchor": "left"})
    fig.update_xaxes(title={"text": t("network.stability.axis", lang)}, showgrid=True, gridcolor=GRID)
    fig.update_yaxes(showgrid=False, autorange="reversed", visible=len(labels) > 1)
    n11, n10, n01 = (int(pd.to_numeric(summary[c], errors="coerce").sum()) for c in ("n11", "n10", "n01"))
    total = n11 + n10 + n01
    subtitle = t(
        "network.fig.stability.subtitle",
        lang,
        n11=fmt_int(n11, lang),
        n10=fmt_int(n10, lang),
        n01=fmt_int(n01, lang),
        jaccard=fmt_number(n11 / total if total else math.nan, lang, 2),
    )
    n = int(pd.to_numeric(summary["n"], errors="coerce").sum())
    caption = Caption(n, source_text(source, lang), filters, note=t("network.fig.stability.note", lang))
    height = 200 + 45 * len(labels)
    left = 20 if len(labels) == 1 else 160
    return finish_chart(fig, title, caption, lang, subtitle=subtitle, height=height, left=left, top_extra=34)


# --------------------------------------------------------------------------- trust and value


def trust_figure(
    nodes: pd.DataFrame,
    lang: str,
    *,
    wave: str,
    sector_labels: Mapping[str, str] | None = None,
    filters: str = "",
) -> go.Figure:
    """Mean trust and value each institution receives from the others (1–4), as grouped
    horizontal bars sorted by trust. `nodes`: :func:`indicators.networks.node_table` with the
    partner survey (institutions nobody rated are left out)."""
    title = t("network.fig.trust.title", lang, wave=wave)
    source = t("source.partner", lang)
    if nodes.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, source, filters), lang)
    d = nodes[pd.to_numeric(nodes["trust_raters"], errors="coerce").fillna(0) > 0].copy()
    if d.empty:
        return empty_figure(title, t("network.empty.no_ratings", lang), Caption(None, source, filters), lang)
    d["_trust"] = pd.to_numeric(d["trust_received"], errors="coerce")
    d["_value"] = pd.to_numeric(d["value_received"], errors="coerce")
    d = d.sort_values(["_trust", "_value", "name"], ascending=[False, False, True], kind="stable")
    labels = [short(n, 40) for n in d["name"]]
    fig = go.Figure()
    for key, col, raters, colour, pattern in (
        ("trust", "_trust", "trust_raters", INK, ""),
        ("value", "_value", "value_raters", "#9aa5b1", "/"),
    ):
        values = d[col].tolist()
        fig.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                name=t(f"network.fig.trust.{key}", lang),
                marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": "white", "solidity": 0.35}},
                text=[fmt_number(v, lang, 1) for v in values],
                textposition="outside",
                textfont={"size": 10},
                customdata=[
                    [
                        f"{short(n, 60)} ({sector_name(s, sector_labels)})",
                        t("network.hover.raters", lang, n=fmt_int(r, lang)),
                    ]
                    for n, s, r in zip(d["name"], d["sector_id"], d[raters], strict=True)
                ],
                hovertemplate=f"%{{customdata[0]}}<br>{t(f'network.fig.trust.{key}', lang)}{colon(lang)}%{{text}} "
                "(%{customdata[1]})<extra></extra>",
                meta={"measure": key},
            )
        )
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05)
    fig.update_xaxes(
        range=[1, 4.35],
        tickvals=[1, 2, 3, 4],
        title={"text": t("network.fig.trust.axis", lang)},
        showgrid=True,
        gridcolor=GRID,
        side="top",
    )
    fig.update_yaxes(autorange="reversed", showgrid=False, tickfont={"size": 11})
    raters = pd.to_numeric(d["trust_raters"], errors="coerce")
    note = t(
        "network.fig.trust.note",
        lang,
        lo=fmt_int(raters.min(), lang),
        hi=fmt_int(raters.max(), lang),
    )
    caption = Caption(len(d), source, filters, note=note)
    left = int(min(max(len(x) for x in labels) * 6.3 + 20, 360))
    fig.update_layout(margin={"l": left})
    fig = finish_chart(
        fig,
        title,
        caption,
        lang,
        subtitle=t("network.fig.trust.subtitle", lang),
        height=170 + 26 * len(d),
        left=left,
        axis_below=False,
        top_extra=88,
    )
    plot_h = float(fig.layout.height) - float(fig.layout.margin.t) - float(fig.layout.margin.b)
    fig.update_layout(
        legend={"x": 0.0, "xanchor": "left", "y": 1.0 + 56 / max(plot_h, 100.0), "yanchor": "bottom"},
    )
    return fig


# --------------------------------------------------------------------------- tables


def _sector_col(values: Iterable[Any], labels: Mapping[str, str] | None) -> list[str]:
    return [sector_name(s, labels) for s in values]


def ties_table(ties: pd.DataFrame, lang: str, sector_labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """New or lost ties (tie_stability) as a display table: each institution with its sector."""
    cols = [t("network.col.institution_a", lang), t("network.col.institution_b", lang)]
    if ties.empty:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame(
        {
            cols[0]: _with_sector(ties["name_a"], ties["sector_a"], sector_labels),
            cols[1]: _with_sector(ties["name_b"], ties["sector_b"], sector_labels),
        }
    )


def _with_sector(names: Iterable[Any], sectors: Iterable[Any], labels: Mapping[str, str] | None) -> list[str]:
    """« Collège Jean Moulin (Éducation nationale) » for each pair (vectorised: a pooled network
    lists tens of thousands of ties; iterating their Arrow strings one by one cost 0.25 s a run)."""
    sector = pd.Series(sectors).reset_index(drop=True)
    missing = sector.isna().to_numpy(dtype=bool)
    text = sector.astype(object).where(~missing, "").astype(str)
    known = {str(k): v for k, v in (labels or {}).items()}
    shown = text.map(known).fillna(text).where(~missing, "–")
    name = pd.Series(names).reset_index(drop=True).astype(str)
    return (name + " (" + shown + ")").tolist()


def missing_table(missing: pd.DataFrame, lang: str, sector_labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Institutions that answered in one wave only (left out of the comparison)."""
    cols = [
        t("network.col.institution", lang),
        t("network.col.sector", lang),
        t("network.col.answered_in", lang),
        t("network.col.absent_from", lang),
    ]
    if missing.empty:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame(
        {
            cols[0]: missing["name"].astype(str).tolist(),
            cols[1]: _sector_col(missing["sector_id"], sector_labels),
            cols[2]: missing["present_in"].astype(str).tolist(),
            cols[3]: missing["absent_from"].astype(str).tolist(),
        }
    )


def brokers_table(
    nodes: pd.DataFrame, lang: str, sector_labels: Mapping[str, str] | None = None, top: int = 10
) -> pd.DataFrame:
    """The institutions most often on the paths between others (betweenness, undirected view),
    brokers first: name, sector, territory, partners, other sectors linked, share of paths."""
    cols = [
        t("network.col.institution", lang),
        t("network.col.sector", lang),
        t("network.col.territory", lang),
        t("network.col.partners", lang),
        t("network.col.sectors_linked", lang),
        t("network.col.betweenness", lang),
        t("network.col.broker", lang),
    ]
    if nodes.empty:
        return pd.DataFrame(columns=cols)
    d = nodes.assign(_b=pd.to_numeric(nodes["betweenness"], errors="coerce").fillna(0.0))
    d = d[d["_b"] > 0].sort_values(["_b", "degree", "name"], ascending=[False, False, True], kind="stable").head(top)
    if d.empty:
        return pd.DataFrame(columns=cols)
    yes = t("network.yes", lang)
    return pd.DataFrame(
        {
            cols[0]: d["name"].astype(str).tolist(),
            cols[1]: _sector_col(d["sector_id"], sector_labels),
            cols[2]: ["" if is_missing(x) else str(x) for x in d["territory"]],
            cols[3]: [fmt_int(x, lang) for x in d["degree"]],
            cols[4]: [fmt_int(x, lang) for x in d["sectors_linked"]],
            cols[5]: [pct(x, lang, 1) for x in d["_b"]],
            cols[6]: [yes if bool(x) else "" for x in d["broker"]],
        }
    )


def _each_value(values: pd.Series, text: Callable[[Any], str]) -> list[str]:
    """`text` of every value, computed once per distinct value (levels and ratings take a handful of
    values; a pooled network lists thousands of pairs at every run of the page)."""
    texts: dict[Any, str] = {}
    out = []
    for x in values.to_numpy(dtype=object, na_value=None):
        key = None if is_missing(x) else float(x)
        if key not in texts:
            texts[key] = text(x)
        out.append(texts[key])
    return out


def dyads_table(dyads: pd.DataFrame, lang: str, sector_labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Pairs that rate their collaboration ≥ 2 levels apart, largest gap first."""
    cols = [
        t("network.col.institution_a", lang),
        t("network.col.institution_b", lang),
        t("network.col.a_rates_b", lang),
        t("network.col.b_rates_a", lang),
        t("network.col.gap", lang),
        t("network.col.trust_ab", lang),
        t("network.col.trust_ba", lang),
    ]
    if dyads.empty:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame(
        {
            cols[0]: dyads["name_a"].astype(str).tolist(),
            cols[1]: dyads["name_b"].astype(str).tolist(),
            cols[2]: _each_value(dyads["level_a_to_b"], lambda x: level_text(x, lang)),
            cols[3]: _each_value(dyads["level_b_to_a"], lambda x: level_text(x, lang)),
            cols[4]: _each_value(dyads["gap"], lambda x: fmt_number(x, lang, 0 if float(x).is_integer() else 1)),
            cols[5]: _each_value(dyads["trust_a_to_b"], lambda x: _rating(x, lang)),
            cols[6]: _each_value(dyads["trust_b_to_a"], lambda x: _rating(x, lang)),
        }
    )


def _rating(x: Any, lang: str) -> str:
    return "–" if is_missing(x) else fmt_number(x, lang, 0 if float(x).is_integer() else 1)


def ego_table(
    partners: pd.DataFrame, lang: str, sector_labels: Mapping[str, str] | None = None,
    previous_wave: str | None = None, source: str = PARTNER,
) -> pd.DataFrame:
    """One institution's partners (:func:`indicators.networks.ego_network`): what it reports of each
    and each of it; the partner-survey ratings when the partner survey is a source, the practitioners'
    namings when the practitioner survey is; the change since the previous wave when there is one."""
    yes, no = t("network.yes", lang), t("network.no", lang)
    columns: dict[str, list[str]] = {
        t("network.col.institution", lang): partners["name"].astype(str).tolist(),
        t("network.col.sector", lang): _sector_col(partners["sector_id"], sector_labels),
        t("network.col.ego_answered", lang): [yes if bool(x) else no for x in partners["answered"]],
        t("network.col.tie_out", lang): [yes if bool(x) else no for x in partners["tie_out"]],
        t("network.col.tie_in", lang): [yes if bool(x) else no for x in partners["tie_in"]],
    }
    if source != PRACTITIONER:
        for side in ("given", "received"):
            columns[t(f"network.col.level_{side}", lang)] = [level_text(x, lang) for x in partners[f"level_{side}"]]
        for name in ("trust", "value"):
            for side in ("given", "received"):
                columns[t(f"network.col.{name}_{side}", lang)] = [_rating(x, lang) for x in partners[f"{name}_{side}"]]
    if source != PARTNER:
        for col in ("named_by_ego", "named_by_partner"):
            columns[t(f"network.col.{col}", lang)] = [fmt_int(x, lang) for x in partners[col]]
    if previous_wave:
        columns[t("network.col.since", lang, prev=previous_wave)] = [
            "" if is_missing(x) else t(f"network.ego.status.{x}", lang) for x in partners["status"]
        ]
    return pd.DataFrame(columns)


def _counted(key: str, n: Any, lang: str) -> str:
    """'1 nouveau lien', '0 nouveau lien' (French: singular up to 1), '2 nouveaux liens'; English: '1 new
    tie', '0 new ties'."""
    count = int(n)
    one = count <= 1 if lang == "fr" else count == 1
    return t(f"{key}.{'one' if one else 'many'}", lang, n=fmt_int(count, lang))


def ego_sentences(summary: pd.DataFrame, lang: str, sector_labels: Mapping[str, str] | None = None) -> list[str]:
    """What a committee reads first about one institution's network: its partners, whether it answered,
    the trust given and received, and what changed since the previous wave."""
    if summary.empty:
        return []
    s = summary.iloc[0]
    sector = _sector_col([s["sector_id"]], sector_labels)[0]
    wave = str(s["wave_id"])
    partners = int(s["partners"])
    if partners:
        lines = [t("network.ego.partners", lang, name=s["name"], sector=sector, wave=wave,
                   partners=_counted("network.ego.n_partners", partners, lang),
                   out=fmt_int(s["out_degree"], lang), into=fmt_int(s["in_degree"], lang))]
        if partners > 1:
            linked = int(s["sectors_linked"])
            lines.append(t(f"network.ego.sectors.{'none' if not linked else 'one' if linked == 1 else 'many'}",
                           lang, n=fmt_int(linked, lang)))
    else:
        lines = [t("network.ego.no_partner", lang, name=s["name"], sector=sector, wave=wave)]
    if not bool(s["answered"]):
        lines.append(t("network.ego.not_answered", lang, wave=wave))
    if not (is_missing(s["trust_given"]) and is_missing(s["trust_received"])):
        lines.append(t("network.ego.trust", lang, given=_rating(s["trust_given"], lang),
                       received=_rating(s["trust_received"], lang)))
    if not is_missing(s["previous_wave"]):
        lines.append(t("network.ego.change", lang, prev=s["previous_wave"],
                       new=_counted("network.ego.n_new", s["new"], lang),
                       kept=_counted("network.ego.n_kept", s["kept"], lang),
                       lost=_counted("network.ego.n_lost", s["lost"], lang)))
        if int(s["not_compared"]):
            lines.append(_counted("network.ego.not_compared", s["not_compared"], lang))
    return lines


def delta_style(value: Any, kind: str) -> tuple[Literal["green", "red", "gray"], Literal["up", "down", "off"]]:
    """Colour and arrow of a KPI change, from its sign as shown (rounded as :func:`delta_text` writes
    it): Streamlit reads the typographic minus of "−1,4 pts" as a plus and drew a green arrow up."""
    if is_missing(value):
        return "gray", "off"
    digits = {"percent": 1, "count": 0, "index": 2}.get(kind, 1)
    shown = round(float(value) * (100 if kind == "percent" else 1), digits)
    if shown > 0:
        return "green", "up"
    if shown < 0:
        return "red", "down"
    return "gray", "off"


def delta_text(value: Any, kind: str, lang: str) -> str | None:
    """A KPI change: '+4,2 pts' for shares, '+0,2' for levels, '+168' for counts."""
    if is_missing(value):
        return None
    if kind == "percent":
        return f"{fmt_signed(float(value) * 100, lang, 1)} {t('network.points', lang)}"
    if kind == "count":
        return fmt_signed(value, lang, 0)
    return fmt_signed(value, lang, 2 if kind == "index" else 1)


# --------------------------------------------------------------------------- tie formation

TIE_EFFECTS = ("formation", "persistence")


def _ratio(x: Any, lang: str) -> str:
    """A ratio: 2 decimals below 10 (3,65), 1 above (14,2)."""
    return fmt_number(x, lang, 1 if not is_missing(x) and float(x) >= 9.995 else 2)


def _tie_reason(note: Any, lang: str) -> str:
    if is_missing(note) or not str(note):
        return ""
    fr, en = TIE_NOTES.get(str(note), (str(note), str(note)))
    return en if lang == "en" else fr


def tie_formation_sentences(effects: pd.DataFrame, lang: str) -> list[str]:
    """« Les paires qui ont agi ensemble avaient X fois plus de chances de nouer un lien (IC 95 %
    a–b) », the same for keeping a tie, then the period and the number of institutions; an
    effect without an estimate says why (:attr:`indicators.tie_formation.TieFormation.effects`)."""
    out = []
    by_effect = {str(r["effect"]): r for r in effects.to_dict("records")}
    for effect in TIE_EFFECTS:
        r = by_effect.get(effect)
        if r is None:
            continue
        if is_missing(r.get("odds_ratio")):
            reason = _tie_reason(r.get("note"), lang)
            name = t(f"tie.effect.{effect}", lang)
            out.append(t("tie.not_estimated", lang, effect=name, reason=reason) if reason
                       else t("tie.not_estimated_plain", lang, effect=name))
            continue
        out.append(t(f"tie.{effect}_sentence", lang, x=_ratio(r["odds_ratio"], lang),
                     low=_ratio(r["or_ci_low"], lang), high=_ratio(r["or_ci_high"], lang)))
    first = next((r for r in by_effect.values() if not is_missing(r.get("wave_first"))), None)
    if first is not None:
        n_inst = max(int(r.get("n_institutions") or 0) for r in by_effect.values())
        out.append(t("tie.period", lang, first=first["wave_first"], last=first["wave_last"],
                     k=fmt_int(first["n_transitions"], lang), n=fmt_int(n_inst, lang)))
    return out


def tie_formation_estimated(effects: pd.DataFrame) -> bool:
    """True when at least one odds ratio was estimated."""
    return bool(len(effects) and pd.to_numeric(effects["odds_ratio"], errors="coerce").notna().any())


def tie_formation_figure(effects: pd.DataFrame, lang: str, filters: str = "") -> go.Figure:
    """Odds ratio of forming and of keeping a tie for the pairs that acted together, with its 95 %
    interval, on a log axis with the line of no difference at 1."""
    title = t("tie.fig.title", lang)
    source = f"{t('source.partner', lang)}, {t('source.activities', lang)}"
    rows = [r for r in effects.to_dict("records") if not is_missing(r.get("odds_ratio"))]
    if not rows:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, source, filters, respondents=False), lang)
    order = {e: i for i, e in enumerate(TIE_EFFECTS)}
    rows.sort(key=lambda r: order.get(str(r["effect"]), 9))
    labels = [t(f"tie.effect.{r['effect']}", lang) for r in rows]
    ors = [float(r["odds_ratio"]) for r in rows]
    lo = [float(r["or_ci_low"]) for r in rows]
    hi = [float(r["or_ci_high"]) for r in rows]
    fig = go.Figure(go.Scatter(
        x=ors, y=labels, mode="markers+text", name=t("tie.col.or", lang),
        marker={"symbol": "diamond", "size": 14, "color": INK},
        error_x={"type": "data", "symmetric": False, "array": [h - o for h, o in zip(hi, ors, strict=True)],
                 "arrayminus": [o - a for o, a in zip(ors, lo, strict=True)], "thickness": 2, "width": 8,
                 "color": INK},
        text=[_ratio(o, lang) for o in ors], textposition="top center",
        hovertext=[f"<b>{lab}</b><br>{t('tie.col.or', lang)} {_ratio(o, lang)}<br>{t('chart.ci', lang)} "
                   f"{_ratio(a, lang)}–{_ratio(h, lang)}" for lab, o, a, h in zip(labels, ors, lo, hi, strict=True)],
        hoverinfo="text", showlegend=False,
    ))
    low_edge = min([*lo, 0.8])
    high_edge = max([*hi, 1.25])
    fig.add_vline(x=1.0, line={"color": MUTED, "width": 1.5, "dash": "dot"})
    fig.add_annotation(x=0.0, y=1.0, xref="x", yref="paper", yanchor="bottom", xanchor="left",
                       text=t("tie.fig.no_difference", lang), showarrow=False, font={"size": 12, "color": MUTED})
    fig.update_xaxes(type="log", range=[math.log10(low_edge / 1.3), math.log10(high_edge * 1.3)],
                     title={"text": t("tie.fig.axis", lang)}, showgrid=True, gridcolor=GRID)
    fig.update_yaxes(showgrid=False, autorange="reversed")
    n = int(max(pd.to_numeric(effects["n"], errors="coerce").fillna(0).sum(), 0))
    caption = Caption(n, source, filters, note=t("tie.fig.note", lang), respondents=False)
    return finish_chart(fig, title, caption, lang, subtitle=t("tie.fig.subtitle", lang), height=300, left=150)


def tie_formation_table(effects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Formation and persistence: pairs at risk, of which acted together, the share tied at the
    next wave in each group, the odds ratio and the risk ratio with their intervals, p."""
    rows = []
    for r in effects.to_dict("records"):
        rows.append({
            t("tie.col.effect", lang): t(f"tie.effect.{r['effect']}", lang),
            t("tie.col.pairs", lang): fmt_int(r.get("n"), lang),
            t("tie.col.joint", lang): fmt_int(r.get("n_joint"), lang),
            t("tie.col.rate_joint", lang): pct(r.get("observed_rate_joint"), lang),
            t("tie.col.rate_other", lang): pct(r.get("observed_rate_other"), lang),
            t("tie.col.or", lang): _ratio(r.get("odds_ratio"), lang),
            t("tie.col.or_ci", lang): "–" if is_missing(r.get("or_ci_low"))
            else f"{_ratio(r['or_ci_low'], lang)}–{_ratio(r['or_ci_high'], lang)}",
            t("tie.col.rr", lang): _ratio(r.get("risk_ratio"), lang),
            t("tie.col.rr_ci", lang): "–" if is_missing(r.get("rr_ci_low"))
            else f"{_ratio(r['rr_ci_low'], lang)}–{_ratio(r['rr_ci_high'], lang)}",
            t("tie.col.p", lang): fmt_p(r.get("p_value"), lang),
        })
    return pd.DataFrame(rows)
