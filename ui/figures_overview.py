"""Page logic of « Vue d'ensemble »: the headline cards and the automatic findings put into
words, and the small-multiples trend figure (pure: frames of :mod:`indicators.overview` and
``lang`` in, texts / ``go.Figure`` out). :func:`ui.components.metric_card` draws a card.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from indicators.overview import (
    ACTIVITY_LOG,
    FOUND,
    NONE,
    SCORE,
    SCORE_0_100,
    SCORE_1_5,
    SHARE,
    WHOLE_NETWORK,
)
from ui.figures_practice import (
    hidden_note,
    is_missing,
    join_notes,
    legend_above,
    min_size,
    wave_positions,
)
from ui.i18n import NNBSP, TEXTS, fmt_int, fmt_number, fmt_percent, fmt_signed, t
from ui.recipes import ci_bars, placeholder_trace
from ui.style import ACCENT, GRID, INK, Caption, empty_figure, finish, set_top
from warehouse.safe_text import escape_markdown

# --------------------------------------------------------------------------- formatting

SMALL_SCORES = (SCORE_1_5, SCORE)  # practice scores: two decimals


def fmt_value(x: Any, unit: str, lang: str) -> str:
    """A headline value in its unit: 3,49 · 59,4 · 28 % · 62,6."""
    if is_missing(x):
        return "–"
    if unit == SHARE:
        return fmt_percent(x, lang)
    return fmt_number(x, lang, 2 if unit in SMALL_SCORES else 1)


def fmt_change(x: Any, unit: str, lang: str) -> str:
    """A change in its unit: +0,13 · +8,6 points · −21 points de % · +14,6."""
    if is_missing(x):
        return "–"
    if unit == SHARE:
        return f"{fmt_signed(float(x) * 100, lang, 0)}{NNBSP}{t('ov.unit.pp', lang)}"
    if unit == SCORE_0_100:
        return f"{fmt_signed(x, lang, 1)}{NNBSP}{t('ov.unit.points', lang)}"
    return fmt_signed(x, lang, 2 if unit in SMALL_SCORES else 1)


def _p(p: Any, lang: str) -> str:
    """'= 0,002' or '< 0,001' (to follow 'p')."""
    if is_missing(p):
        return "= –"
    return f"< {fmt_number(0.001, lang, 3)}" if float(p) < 0.001 else f"= {fmt_number(p, lang, 3)}"


# --------------------------------------------------------------------------- cards


@dataclass(frozen=True)
class Card:
    """What one st.metric shows."""

    indicator: str
    label: str
    value: str
    delta: str | None
    delta_color: str  # "green" | "red" | "gray"
    delta_arrow: str  # "up" | "down" | "off"
    delta_description: str | None
    help: str
    chart_data: tuple[float, ...]


def _own_label(row: Any, lang: str) -> str:
    """The headline's name from its codebook (a practice scale the texts do not know)."""
    for key in (f"label_{lang}", "label_fr", "indicator"):
        value = row.get(key)
        if not is_missing(value) and str(value):
            return str(value)
    return ""


def headline_label(row: Any, lang: str) -> str:
    """A headline's card title (its unit included for the known ones)."""
    key = f"ov.kpi.{row['indicator']}"
    return t(key, lang) if key in TEXTS else _own_label(row, lang)


def headline_title(row: Any, lang: str) -> str:
    """A headline's name at the start of a sentence: « Pratiques en réseau »."""
    key = f"ov.title.{row['indicator']}"
    return t(key, lang) if key in TEXTS else _own_label(row, lang)


def headline_name(row: Any, lang: str) -> str:
    """A headline's name inside a sentence: « les pratiques en réseau »."""
    key = f"ov.name.{row['indicator']}"
    if key in TEXTS:
        return t(key, lang)
    label = _own_label(row, lang)
    return f"« {label} »" if lang == "fr" else f"“{label}”"


def headline_definition(row: Any, lang: str) -> str:
    key = f"ov.def.{row['indicator']}"
    return t(key, lang) if key in TEXTS else t("ov.def.scale", lang, label=_own_label(row, lang))


def _help(row: Any, lang: str) -> str:
    unit = str(row["unit"])
    parts = [headline_definition(row, lang)]

    def n_text(n: Any, coverage: Any) -> str:
        if is_missing(n):
            return t("ov.verdict.suppressed", lang, n=min_size())
        if row["design"] == WHOLE_NETWORK:
            return t("ov.help.institutions", lang, n=fmt_int(n, lang), c=fmt_percent(coverage, lang))
        if row["design"] == ACTIVITY_LOG:
            return t("ov.help.actions", lang, n=fmt_int(n, lang))
        return t("ov.help.respondents", lang, n=fmt_int(n, lang))

    vb = fmt_value(row["value_b"], unit, lang)
    if is_missing(row.get("wave_a")):
        parts.append(t("ov.help.value_only", lang, b=row["wave_b"], vb=vb, nb=n_text(row["n_b"], row["coverage_b"])))
        return "\n\n".join(parts)
    parts.append(
        t("ov.help.values", lang, a=row["wave_a"], b=row["wave_b"], va=fmt_value(row["value_a"], unit, lang), vb=vb,
          na=n_text(row["n_a"], row["coverage_a"]), nb=n_text(row["n_b"], row["coverage_b"]))
    )
    change, low, high = (fmt_change(row[c], unit, lang) for c in ("change", "ci_low", "ci_high"))
    level = level_text(row.get("ci_level"), lang)
    m = "–" if is_missing(row.get("family_size")) else fmt_int(row["family_size"], lang)
    if row["design"] == WHOLE_NETWORK:
        parts.append(t("ov.help.network", lang))
        if row.get("estimate") == "answered_both" and not is_missing(row.get("n_both")):
            parts.append(t("ov.help.network_both", lang, d=change, n=fmt_int(row["n_both"], lang)))
    elif row["design"] == ACTIVITY_LOG:
        parts.append(t("ov.help.ci_actions", lang, d=change, low=low, high=high, level=level, m=m))
    else:
        parts.append(t("ov.help.ci", lang, d=change, low=low, high=high, level=level, m=m))
    if not is_missing(row.get("panel_change")) and not is_missing(row.get("panel_n_pairs")):
        parts.append(t("ov.help.panel", lang, n=fmt_int(row["panel_n_pairs"], lang),
                       d=fmt_change(row["panel_change"], unit, lang), low=fmt_change(row["panel_ci_low"], unit, lang),
                       high=fmt_change(row["panel_ci_high"], unit, lang)))
    if not is_missing(row.get("items_compared")):
        parts.append(t("ov.help.items", lang, items=row["items_compared"], left=row["items_left_out"]))
    if _low_alpha(row):
        parts.append(t("ov.help.low_alpha", lang, alpha=fmt_number(row["alpha_b"], lang, 2), b=row["wave_b"],
                       min=fmt_number(alpha_min(), lang, 1)))
    return "\n\n".join(parts)


def _low_alpha(row: Any) -> bool:
    flag = row.get("low_reliability")
    return not is_missing(flag) and bool(flag)


def level_text(level: Any, lang: str) -> str:
    """A confidence level as a percentage with one decimal where it needs one: « 99,4 % »."""
    if is_missing(level):
        level = 0.95
    value = float(level) * 100
    digits = 0 if abs(value - round(value)) < 1e-9 else 1
    return f"{fmt_number(value, lang, digits)}{NNBSP}%" if lang == "fr" else f"{fmt_number(value, lang, digits)}%"


def alpha_min() -> float:
    from warehouse.settings import setting

    return float(setting("alpha_min"))


def cards(change: pd.DataFrame, trend: pd.DataFrame, lang: str) -> list[Card]:
    """One card per headline indicator present (``headline_change`` and ``headline_trend``)."""
    out = []
    for _, row in change.iterrows():
        ind, unit = str(row["indicator"]), str(row["unit"])
        spark = trend.loc[(trend["indicator"] == ind) & trend["value"].notna()]
        chart_data = tuple(float(v) * (100 if unit == SHARE else 1) for v in spark["value"])
        label = headline_label(row, lang)
        if bool(row["suppressed"]):
            out.append(Card(ind, label, "–", None, "gray", "off", t("ov.verdict.suppressed", lang, n=min_size()),
                            _help(row, lang), chart_data))
            continue
        value = fmt_value(row["value_b"], unit, lang)
        if is_missing(row.get("wave_a")) or is_missing(row["change"]):
            out.append(Card(ind, label, value, None, "gray", "off", None, _help(row, lang), chart_data))
            continue
        ch = float(row["change"])
        better = ch * (1 if bool(row["higher_is_better"]) else -1) > 0
        significant = row["significant"]
        if row["design"] == WHOLE_NETWORK:
            verdict = t("ov.verdict.untested", lang)
        elif is_missing(significant):
            verdict = None
        else:
            verdict = t("ov.verdict.beyond" if bool(significant) else "ov.verdict.noise", lang)
        colour = "gray"
        if not is_missing(significant) and bool(significant) and ch != 0:
            colour = "green" if better else "red"
        if colour != "gray" and verdict:  # the colour says favourable or not: the words say it too
            verdict = t("ov.verdict.better" if better else "ov.verdict.worse", lang)
        description = " · ".join(
            x for x in (verdict, t("ov.verdict.low_alpha", lang) if _low_alpha(row) else None) if x
        ) or None
        arrow = "off" if ch == 0 else ("up" if ch > 0 else "down")
        out.append(Card(ind, label, value, fmt_change(ch, unit, lang), colour, arrow, description, _help(row, lang),
                        chart_data))
    return out


# The page and section behind each headline card (url path of app.py's page, heading anchor).
DETAIL = {
    "network_practice": ("pages/2_pratiques.py", "practice", "panel"),
    "partnership_culture": ("pages/2_pratiques.py", "practice", "panel"),
    "who5_mean": ("pages/5_bien_etre.py", "wellbeing", "panel"),
    "who5_poor_share": ("pages/5_bien_etre.py", "wellbeing", "cutoffs"),
    "cbi_high_share": ("pages/5_bien_etre.py", "wellbeing", "cutoffs"),
    "network_density": ("pages/3_reseau.py", "network", "trend"),
    "cross_sector_share": ("pages/3_reseau.py", "network", "trend"),
    "actions_per_month": ("pages/4_echanges.py", "exchanges", "monthly"),
}


def sparkline_spec(card: Card, waves: Sequence[str], lang: str) -> dict[str, Any]:
    """A Vega-Lite sparkline of the card's values whose description (the values in words) is the
    chart's accessible name; its marks carry no role of their own (Streamlit's st.metric sparkline
    has unnamed marks: axe svg-img-alt)."""
    labels = list(waves)[-len(card.chart_data):] if len(waves) >= len(card.chart_data) else [""] * len(card.chart_data)
    values = "; ".join(f"{w} {fmt_number(v, lang, 2 if abs(v) < 10 else 1)}".strip()
                       for w, v in zip(labels, card.chart_data, strict=True))
    return {
        "description": t("ov.spark", lang, label=card.label, values=values),
        "data": {"values": [{"i": i, "v": v} for i, v in enumerate(card.chart_data)]},
        "mark": {"type": "line", "aria": False, "color": ACCENT, "strokeWidth": 2, "point": {"aria": False}},
        "encoding": {
            "x": {"field": "i", "type": "quantitative", "axis": None},
            "y": {"field": "v", "type": "quantitative", "axis": None, "scale": {"zero": False}},
            "tooltip": None,
        },
        "config": {"view": {"stroke": None}, "aria": True},
        "height": 40,
    }


# --------------------------------------------------------------------------- findings


def _group_name(row: Any, lang: str) -> str:
    dim, group = str(row["dimension"]), str(row["group"])
    if dim == "level":
        name = t(f"level.{group}", lang).lower() if f"level.{group}" in TEXTS else group
    elif dim in ("sector_id", "role"):
        label = row["group_label_en" if lang == "en" else "group_label_fr"]
        name = group if is_missing(label) else str(label)
    else:
        name = group
    # names come from the users' files and the sentence is Markdown: they are shown as written
    return t(f"ov.group.{dim}", lang, g=escape_markdown(name))


def _values(row: Any, lang: str) -> str:
    unit = str(row["unit"])
    return t("ov.f.values", lang, a=row["wave_a"], b=row["wave_b"], va=fmt_value(row["value_a"], unit, lang),
             vb=fmt_value(row["value_b"], unit, lang))


def _change(row: Any, lang: str) -> str:
    return fmt_change(row["change"], str(row["unit"]), lang)


def _test(row: Any, lang: str) -> str:
    unit = str(row["unit"])
    low, high = fmt_change(row["ci_low"], unit, lang), fmt_change(row["ci_high"], unit, lang)
    return t("ov.f.test.ci", lang, low=low, high=high, level=level_text(row.get("ci_level"), lang))


def finding_text(row: Any, lang: str) -> str:
    """One finding of ``indicators.overview.pick_findings`` in plain words (Markdown)."""
    kind, status = str(row["kind"]), str(row["status"])
    a, b = row.get("wave_a"), row.get("wave_b")
    if kind in ("improvement", "decline"):
        if status == NONE:
            return t(f"ov.f.{kind}.none", lang, a=a, b=b)
        return t(f"ov.f.{kind}.{status}", lang, name=headline_name(row, lang), values=_values(row, lang),
                 change=_change(row, lang), test=_test(row, lang))
    if status == NONE:
        return t("ov.f.lag.none", lang, n=min_size(), name=headline_name(row, lang))
    return t(
        f"ov.f.lag.{status}", lang, group=_group_name(row, lang), scale=headline_title(row, lang), a=a, b=b,
        change=fmt_signed(row["change"], lang, 2), rest=fmt_signed(row["rest_change"], lang, 2),
        gap=fmt_signed(row["gap"], lang, 2), low=fmt_signed(row["gap_ci_low"], lang, 2),
        high=fmt_signed(row["gap_ci_high"], lang, 2), na=fmt_int(row["n_a"], lang), nb=fmt_int(row["n_b"], lang),
        level=level_text(row.get("ci_level"), lang),
    )


FINDING_ICONS = {
    ("improvement", FOUND): ":material/trending_up:",
    ("decline", FOUND): ":material/trending_down:",
    ("lag", FOUND): ":material/flag:",
}


def finding_icon(row: Any) -> str:
    return FINDING_ICONS.get((str(row["kind"]), str(row["status"])), ":material/info:")


# --------------------------------------------------------------------------- trend figure


def headline_trend_figure(
    trend: pd.DataFrame, lang: str, filters: str = "", events: Sequence[tuple[float, str]] = ()
) -> go.Figure:
    """Small multiples of the headline indicators per wave (``headline_trend``): value and
    95 % CI (none for the network), hidden waves as grey crosses, listed in the caption; `events`
    (position on the wave axis, label: ui.events.marks_for_waves) drawn as dotted lines and listed."""
    title = t("ov.fig.trend.title", lang)
    caption_base: dict[str, Any] = {"source": _sources(trend, lang), "filters": filters, "min_group_size": min_size()}
    if trend.empty:
        return empty_figure(title, t("chart.no_data", lang), Caption(None, **caption_base), lang)
    present = [row for _, row in trend.drop_duplicates("indicator").iterrows()]
    cols = 4
    rows = math.ceil(len(present) / cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[headline_label(h, lang) for h in present],
                        horizontal_spacing=0.07, vertical_spacing=0.32 / rows)
    waves = wave_positions(trend)
    hidden: list[tuple[str, str]] = []
    for i, h in enumerate(present):
        r, c = i // cols + 1, i % cols + 1
        part = trend.loc[trend["indicator"] == h["indicator"]]
        k = 100.0 if h["unit"] == SHARE else 1.0
        v = pd.to_numeric(part["value"], errors="coerce") * k
        lo = pd.to_numeric(part["ci_low"], errors="coerce") * k
        hi = pd.to_numeric(part["ci_high"], errors="coerce") * k
        has_ci = bool(lo.notna().any())
        decimals = 2 if h["unit"] in SMALL_SCORES else (0 if h["unit"] == SHARE else 1)

        def fmt(x: float, unit: str = h["unit"], d: int = decimals) -> str:
            return fmt_percent(x / 100, lang) if unit == SHARE else fmt_number(x, lang, d)

        fig.add_trace(
            go.Scatter(
                x=part["wave_id"].astype(str).tolist(), y=[None if pd.isna(x) else x for x in v], mode="lines+markers",
                line={"color": ACCENT, "width": 2.5}, marker={"color": ACCENT, "size": 8},
                error_y={**ci_bars(v.to_numpy(), lo.to_numpy(), hi.to_numpy(), ACCENT, width=4), "visible": has_ci},
                hovertext=[
                    f"{w} : {fmt(x)}" + (f" ({t('chart.ci', lang)} {fmt(a)} – {fmt(b)})" if has_ci and not pd.isna(a)
                                         else "") + f" · n = {fmt_int(n, lang)}"
                    if not pd.isna(x) else f"{w} : {t('chart.suppressed_cell', lang, n=min_size())}"
                    for w, x, a, b, n in zip(part["wave_id"], v, lo, hi, part["n"], strict=True)
                ],
                hoverinfo="text", showlegend=False, connectgaps=False,
            ),
            row=r, col=c,
        )
        sup = part.loc[part["suppressed"].astype(bool)]
        if len(sup):
            shown = v.dropna()
            y0 = float(shown.min()) if len(shown) else 0.0
            fig.add_trace(
                placeholder_trace(sup["wave_id"].astype(str).tolist(), [y0] * len(sup), lang,
                                  [t("chart.suppressed_cell", lang, n=min_size())] * len(sup), min_size(),
                                  showlegend=not hidden),
                row=r, col=c,
            )
            hidden += [(headline_label(h, lang), str(w)) for w in sup["wave_id"]]
        axis: dict[str, Any] = {"gridcolor": GRID}
        if h["unit"] == SHARE:
            axis["ticksuffix"] = "\u202f%" if lang == "fr" else "%"
        elif h["unit"] in SMALL_SCORES:
            axis["tickformat"] = ".2f"
        fig.update_yaxes(row=r, col=c, **axis)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=waves, tickangle=-40, tickfont={"size": 10})
    fig.update_annotations(font={"size": 12}, selector={"yref": "paper", "xref": "paper"})
    for position, _label in events:
        fig.add_vline(x=position, line={"color": INK, "width": 1.2, "dash": "dot"}, row="all", col="all")
    marks = "; ".join(label for _p, label in events)
    note = join_notes(hidden_note(hidden, lang, waves), t("ov.fig.trend.note", lang),
                      t("pack.events", lang, items=marks) if marks else "")
    caption = Caption(None, note=note, **caption_base)
    fig = finish(fig, title, caption, lang, subtitle=t("ov.fig.trend.subtitle", lang), height=200 + 230 * rows)
    set_top(fig, 24)  # the legend and the subplot titles
    return legend_above(fig, 26)


def _sources(trend: pd.DataFrame, lang: str) -> str:
    families = set(trend["family"]) if "family" in trend else set()
    names = [t("source.practitioner", lang)]
    if "network" in families:
        names.append(t("source.partner", lang))
    if "exchanges" in families:
        names.append(t("source.activities", lang))
    return ", ".join(names)


def waves_to_compare(waves: Sequence[str], wave_a: str | None, wave_b: str | None) -> tuple[str | None, str]:
    """(wave_a, wave_b) of the sidebar, or (None, last wave) when there is no pair to compare
    (one wave, or the same wave chosen twice). ``waves`` must not be empty."""
    if not waves:
        raise ValueError("no wave selected")
    b = wave_b or waves[-1]
    a = wave_a if wave_a and wave_a != b else None
    return a, b
