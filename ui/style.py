"""One visual style for every chart (screen, slide and black-and-white print).

Pure plotly (no Streamlit). Sector colours are the Okabe–Ito colour-blind-safe palette; series
are also told apart by marker symbol and line dash, so charts stay readable in grey.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

from ui.i18n import plotly_separators, t, today

FONT = "DejaVu Sans, Arial, sans-serif"
INK = "#1f2933"
MUTED = "#5f6b7a"
GRID = "#e3e7ec"
ACCENT = "#0b6e99"
GOOD = "#1b7837"
BAD = "#b2182b"
NEUTRAL = "#9aa5b1"

# Okabe & Ito (2008), in the order of surveys/sectors.toml
SECTOR_COLOURS = {
    "education": "#0072B2",
    "city": "#E69F00",
    "association": "#009E73",
    "health": "#CC79A7",
    "social": "#56B4E9",
    "insertion": "#D55E00",
    "parents": "#F0E442",
}
SERIES_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash"]
# Diverging Likert scale (disagree → agree), readable in grey by lightness
LIKERT_COLOURS = ["#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac"]


def sector_colour(sector_id: str | None) -> str:
    return SECTOR_COLOURS.get(sector_id or "", NEUTRAL)


def series_style(i: int) -> dict[str, object]:
    """Colour, marker and dash of the i-th series."""
    return {
        "line": {"color": SERIES_COLOURS[i % len(SERIES_COLOURS)], "dash": DASHES[i % len(DASHES)], "width": 2.5},
        "marker": {"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 9, "color": SERIES_COLOURS[i % len(SERIES_COLOURS)]},
    }


@dataclass(frozen=True)
class Caption:
    """What every chart states besides its data: n, source, filters, date, suppression."""

    n: int | None
    source: str
    filters: str = ""
    suppressed: bool = False
    min_group_size: int = 5
    note: str = ""
    respondents: bool = True  # figures about respondents say that small groups never show

    def footer(self, lang: str) -> str:
        parts = []
        if self.n is not None:
            parts.append(t("chart.n", lang, n=f"{self.n:,}".replace(",", "\u202f" if lang == "fr" else ",")))
        parts.append(t("chart.source", lang, source=self.source))
        if self.filters:
            parts.append(t("chart.filters", lang, filters=self.filters))
        parts.append(t("chart.made", lang, date=today(lang)))
        lines = [" · ".join(parts)]
        extra = []
        if self.suppressed:
            extra.append(t("chart.suppressed", lang, n=self.min_group_size))
        elif self.respondents:
            extra.append(t("chart.privacy", lang, n=self.min_group_size))
        if self.note:
            extra.append(self.note)
        if extra:
            lines.append(" · ".join(extra))
        return "<br>".join(lines)


CAPTION_GAP = 64  # px between the plot area's bottom and the caption (room for the x-axis title)
CAPTION_WIDTH = 130  # characters per caption line before it is broken at a " · "

# Titles, subtitles and captions are wrapped here, for every chart, at a number of characters that
# fits the narrowest width a chart is drawn at (a full-width chart of the dashboard at 1280 px, a
# slide): plotly never wraps text, and what passes the figure's edge is cut. The widths are those of
# DejaVu Sans (the house font, or Arial), measured: bold 18 px ≈ 11.2 px a character, 13 px ≈ 7.4,
# 11 px ≈ 6.3. `width` (caption characters) scales the three together for narrower charts.
TITLE_SIZE, SUBTITLE_SIZE, CAPTION_SIZE = 18, 13, 11
TITLE_CHAR_PX, SUBTITLE_CHAR_PX, CAPTION_CHAR_PX = 11.2, 7.4, 6.3
TITLE_LINE_PX, SUBTITLE_LINE_PX = 24, 18
TITLE_PAD = 16  # px above the title


def wrap_words(text: str, width: int) -> list[str]:
    """Lines of at most about `width` characters, broken between words (existing `<br>` kept)."""
    lines: list[str] = []
    for paragraph in str(text).split("<br>"):
        line = ""
        for word in paragraph.split(" "):
            if line and len(_visible(line)) + 1 + len(_visible(word)) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return [x for x in lines if x.strip()]


def _visible(text: str) -> str:
    """The characters of `text` a reader sees (markup such as <b> left out)."""
    import re

    return re.sub(r"<[^>]+>", "", text)


def wrap_caption(footer: str, width: int = CAPTION_WIDTH) -> str:
    """Break each caption line longer than `width` characters at its ' · ' separators, then between
    words (plotly annotations do not wrap)."""
    out = []
    for line in footer.split("<br>"):
        current = ""
        for part in line.split(" · "):
            if current and len(current) + 3 + len(part) > width:
                out.append(current)
                current = part
            else:
                current = f"{current} · {part}" if current else part
        out.append(current)
    return "<br>".join(wrapped for line in out for wrapped in wrap_words(line, width))


def text_widths(caption_chars: int = CAPTION_WIDTH) -> tuple[int, int]:
    """(title, subtitle) characters per line for a chart whose caption has `caption_chars`."""
    pixels = caption_chars * CAPTION_CHAR_PX
    return int(pixels / TITLE_CHAR_PX), int(pixels / SUBTITLE_CHAR_PX)


def title_block(title: str, subtitle: str, caption_chars: int = CAPTION_WIDTH) -> tuple[str, int]:
    """The chart's title and subtitle, wrapped, as plotly title text, and the pixels they take."""
    title_chars, subtitle_chars = text_widths(caption_chars)
    title_lines = wrap_words(title, title_chars) or [""]
    sub_lines = wrap_words(subtitle, subtitle_chars) if subtitle else []
    text = "<br>".join(f"<b>{line}</b>" for line in title_lines)
    if sub_lines:
        text += f"<br><span style='font-size:{SUBTITLE_SIZE}px;color:{MUTED}'>" + "<br>".join(sub_lines) + "</span>"
    room = TITLE_PAD + TITLE_LINE_PX * len(title_lines) + SUBTITLE_LINE_PX * len(sub_lines) + 8
    return text, room


def title_room(fig: go.Figure) -> int:
    """The pixels above the plot area that the (wrapped) title and subtitle of a finished chart take:
    builders add what they draw there too (a legend, a top axis, subplot titles)."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    return int(meta.get("title_room", 70))


def set_top(fig: go.Figure, extra: int = 0) -> go.Figure:
    """Room above the plot area for the title block and `extra` pixels (legend, top axis…); the
    figure grows by what the title block takes beyond the usual two lines, so the plot keeps its
    height."""
    top = title_room(fig) + extra
    old = float(fig.layout.margin.t or 0)
    height = float(fig.layout.height or 460)
    fig.update_layout(margin={"t": top}, height=int(height + max(top - old, 0)))
    return fig


_TEMPLATE: go.layout.Template | None = None


def _template() -> go.layout.Template:
    """The house template, built once (naming a template copies it at every figure)."""
    global _TEMPLATE
    if _TEMPLATE is None:
        import plotly.io as pio

        _TEMPLATE = pio.templates["plotly_white"]
    return _TEMPLATE


def finish(fig: go.Figure, title: str, caption: Caption, lang: str, subtitle: str = "",
           height: int = 460, width: int = CAPTION_WIDTH) -> go.Figure:
    """Apply the house style, the title (and subtitle) and the footer caption to `fig`.

    Title, subtitle and caption are wrapped for `width` caption characters; `height` is the height
    with a one-line caption and a title block of two lines, each further line adds its room."""
    title_text, room = title_block(title, subtitle, width)
    footer = wrap_caption(caption.footer(lang), width)
    n_lines = footer.count("<br>") + 1
    bottom = CAPTION_GAP + 16 * n_lines + 10
    top = room + 6
    usual_top = TITLE_PAD + TITLE_LINE_PX + (SUBTITLE_LINE_PX if subtitle else 0) + 14
    fig.update_layout(
        template=_template(),
        title={"text": title_text, "x": 0.0, "xanchor": "left", "xref": "container", "y": 1.0, "yref": "container",
               "yanchor": "top", "pad": {"t": TITLE_PAD, "l": 12}, "font": {"size": TITLE_SIZE, "color": INK}},
        font={"family": FONT, "size": 13, "color": INK},
        separators=plotly_separators(lang),
        height=int(height - 90 + bottom + max(top - usual_top, 0)),
        margin={"l": 60, "r": 30, "t": top, "b": bottom},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0,
                "bgcolor": "rgba(255,255,255,0)"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        # the caption unwrapped: the pack's footnote wraps in its own box; its line breaks are the text's
        meta={"caption": caption.footer(lang), "title": title, "subtitle": subtitle, "n": caption.n,
              "title_room": room},
    )
    fig.update_xaxes(showgrid=False, linecolor=MUTED, ticks="outside", tickcolor=MUTED)
    fig.update_yaxes(gridcolor=GRID, zerolinecolor=GRID, linecolor=MUTED)
    fig.add_annotation(
        text=footer, xref="paper", yref="paper", x=0.0, y=0.0, yshift=-CAPTION_GAP,
        xanchor="left", yanchor="top", showarrow=False, align="left",
        font={"size": CAPTION_SIZE, "color": MUTED}, name="caption",
    )
    return fig


def empty_figure(title: str, message: str, caption: Caption, lang: str) -> go.Figure:
    """A chart frame that says there is nothing to show (instead of an empty plot)."""
    fig = go.Figure()
    fig.add_annotation(
        text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 15, "color": MUTED}
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return finish(fig, title, caption, lang, height=300)


# --------------------------------------------------------------------------- text alternatives
# Every chart of the dashboard has a text alternative (RGAA 1.3 / WCAG 1.1.1): a short summary (the
# chart's name and what its series do, from first to last point) given to screen readers as the
# chart's accessible name, and its data as a table under the chart. Both are read from the figure
# itself, so they say exactly what is drawn (suppressed groups included: their hover says so).


def _is_number(value: Any) -> bool:
    """A finite-or-not real number (numpy's included), not a bool."""
    import numbers

    return isinstance(value, numbers.Real) and not isinstance(value, bool) and value == value


def _seq(values: Any) -> list[Any]:
    """A trace's values as a list (plotly keeps tuples or numpy arrays)."""
    return [] if values is None else list(values)


def _plain(text: Any) -> str:
    import html
    import re

    value = re.sub(r"<br\s*/?>", " · ", str(text or ""))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", value)).split())


@dataclass(frozen=True)
class _AxisView:
    """What the data table reads of an axis, read once: plotly's property getters validate at every
    access, and a network's trust chart (2,000 institutions, 4,000 ticks) read them per point
    (1.1 s of the page's first run)."""

    ticktext: tuple[Any, ...] | None
    ticksuffix: str
    order: Any = None  # tick positions sorted (numpy), and their texts in that order
    texts: tuple[Any, ...] = ()

    @classmethod
    def of(cls, axis: Any) -> _AxisView:
        import numpy as np

        values, texts = axis.tickvals, axis.ticktext
        suffix = str(axis.ticksuffix or "")
        if values is None or texts is None or not len(values):
            return cls(None if texts is None else tuple(texts), suffix)
        numbers = [(float(v), x) for v, x in zip(values, texts, strict=False) if _is_number(v)]
        if not numbers:
            return cls(tuple(texts), suffix)
        numbers.sort(key=lambda p: p[0])
        return cls(tuple(texts), suffix, np.asarray([p[0] for p in numbers]), tuple(p[1] for p in numbers))

    def nearest_text(self, value: float) -> Any:
        import numpy as np

        at = int(np.searchsorted(self.order, value))
        if at == len(self.order) or (at > 0 and value - self.order[at - 1] <= self.order[at] - value):
            at -= 1
        return self.texts[at]


def _axis(fig: go.Figure, trace: Any, letter: str) -> _AxisView:
    name = str(getattr(trace, f"{letter}axis", None) or letter)
    key = f"{letter}axis" + name[1:]
    return _AxisView.of(fig.layout[key] if key in fig.layout else fig.layout[f"{letter}axis"])


def _category(axis: _AxisView, value: Any) -> str:
    """A position on an axis as the reader sees it (tick text for dodged numeric positions)."""
    if value is None:
        return ""
    if axis.order is not None and _is_number(value):
        return _plain(axis.nearest_text(float(value)))
    return _plain(value)


def _number(axis: Any, value: Any, lang: str) -> str:
    from ui.i18n import fmt_number, is_missing

    if is_missing(value):
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return _plain(value)
    decimals = 2 if abs(number) < 10 else (1 if abs(number) < 100 else 0)
    suffix = str(axis.ticksuffix or "")
    if "%" in suffix:
        return fmt_number(number, lang, 1 if abs(number) < 10 else 0) + ("\u202f%" if lang == "fr" else "%")
    text = fmt_number(number, lang, decimals).replace("-", "−")
    return text + suffix


def _horizontal(fig: go.Figure, trace: Any) -> bool:
    """Categories on the y axis (horizontal bars, dot plots with labelled rows)."""
    if getattr(trace, "orientation", None) == "h":
        return True
    ya, xa = _axis(fig, trace, "y"), _axis(fig, trace, "x")
    if ya.ticktext is not None and xa.ticktext is None:
        return True
    ys = [v for v in _seq(trace.y) if v is not None]
    xs = [v for v in _seq(trace.x) if v is not None]
    return bool(ys) and isinstance(ys[0], str) and bool(xs) and not isinstance(xs[0], str)


def _colorbar_axis(trace: Any) -> Any:
    class _Suffix:
        ticksuffix = getattr(getattr(trace, "colorbar", None), "ticksuffix", None) or ""

    return _Suffix()


def _data_traces(fig: go.Figure) -> list[Any]:
    out = []
    for trace in fig.data:
        meta = trace.meta if isinstance(trace.meta, dict) else {}
        if trace.hoverinfo == "skip" or meta.get("kind") == "legend" or trace.visible in (False, "legendonly"):
            continue
        values = trace.z if trace.type == "heatmap" else trace.y
        if values is None or not any(v is not None for v in values):
            continue
        out.append(trace)
    return out


_DERIVED: dict[tuple[int, str, str], tuple[weakref.ref[go.Figure], Any]] = {}
_DERIVED_LOCK = threading.Lock()


def _derived(fig: go.Figure, kind: str, lang: str, make: Callable[[], Any]) -> Any:
    """``make()`` once per figure object, kind and language: the dashboard's figures are built once
    per warehouse version and shared, never modified (ui.data.figure), and reading a plotly
    figure's properties point by point costs more than a page's budget on a large network."""
    key = (id(fig), kind, lang)
    with _DERIVED_LOCK:
        found = _DERIVED.get(key)
    if found is not None and found[0]() is fig:
        return found[1]
    value = make()
    with _DERIVED_LOCK:
        if len(_DERIVED) > 2048:  # drop the entries of figures that are gone
            for k in [k for k, (ref, _) in _DERIVED.items() if ref() is None]:
                del _DERIVED[k]
        _DERIVED[key] = (weakref.ref(fig), value)
    return value


def figure_table(fig: go.Figure, lang: str) -> Any:
    """The data drawn in `fig`, one row per point (or heatmap cell): series, category, value and
    what the hover says (computed once per figure; the frame is shared: copy it to change it)."""
    return _derived(fig, "table", lang, lambda: _figure_table(fig, lang))


def _figure_table(fig: go.Figure, lang: str) -> Any:
    import pandas as pd

    cols = {k: t(f"chart.alt.{k}", lang) for k in ("series", "category", "value", "detail")}
    rows: list[dict[str, str]] = []
    for trace in _data_traces(fig):
        name = _plain(trace.name) if trace.name else ""
        hover = trace.hovertext if trace.hovertext is not None else trace.text
        if trace.type == "heatmap":
            xs, ys, zs = _seq(trace.x), _seq(trace.y), trace.z
            xa, ya = _axis(fig, trace, "x"), _axis(fig, trace, "y")
            for i, row in enumerate(_seq(zs)):
                for j, value in enumerate(_seq(row)):
                    detail = hover[i][j] if hover is not None and i < len(hover) and j < len(hover[i]) else ""
                    if not _is_number(value) and not _plain(detail):
                        continue
                    row_name = _category(ya, ys[i] if i < len(ys) else i)
                    where = f"{row_name} × {_category(xa, xs[j] if j < len(xs) else j)}"
                    rows.append({cols["series"]: "", cols["category"]: where,
                                 cols["value"]: _number(_colorbar_axis(trace), value, lang),
                                 cols["detail"]: _plain(detail)})
            continue
        horizontal = _horizontal(fig, trace)
        cat_axis, val_axis = (_axis(fig, trace, "y"), _axis(fig, trace, "x")) if horizontal else (
            _axis(fig, trace, "x"), _axis(fig, trace, "y"))
        cats = list(_seq(trace.y if horizontal else trace.x))
        vals = list(_seq(trace.x if horizontal else trace.y))
        hovers = [hover] * len(vals) if hover is None or isinstance(hover, str) else _seq(hover)
        for i, value in enumerate(vals):
            if value is None and i < len(cats) and cats[i] is None:
                continue  # a gap between line segments
            rows.append({cols["series"]: name, cols["category"]: _category(cat_axis, cats[i] if i < len(cats) else i),
                         cols["value"]: _number(val_axis, value, lang),
                         cols["detail"]: _plain(hovers[i]) if i < len(hovers) else ""})
    frame = pd.DataFrame(rows, columns=list(cols.values()))
    return frame.loc[:, [c for c in frame.columns if frame[c].astype(str).str.strip().ne("").any()]]


def figure_summary(fig: go.Figure, lang: str, max_series: int = 6) -> str:
    """The chart's text alternative (see :func:`_figure_summary`), once per figure."""
    return str(_derived(fig, f"summary{max_series}", lang, lambda: _figure_summary(fig, lang, max_series)))


def _figure_summary(fig: go.Figure, lang: str, max_series: int = 6) -> str:
    """The chart in one or two sentences: its title, then per series its first and last point
    (a trend), or the highest and lowest bar or cell."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    if meta.get("summary"):
        return str(meta["summary"])
    title = _plain(meta.get("title") or (fig.layout.title.text if fig.layout.title else ""))
    title = title or t("chart.alt.chart", lang)
    parts: list[str] = []
    traces = _data_traces(fig)
    for trace in traces[:max_series]:
        name = _plain(trace.name) if trace.name else ""
        if trace.type == "heatmap":
            cells = [(v, i, j) for i, row in enumerate(_seq(trace.z)) for j, v in enumerate(_seq(row)) if v is not None]
            cells = [c for c in cells if _is_number(c[0])]
            if cells:
                v, i, j = max(cells)
                xa, ya = _axis(fig, trace, "x"), _axis(fig, trace, "y")
                where = f"{_category(ya, trace.y[i] if trace.y is not None else i)} × " \
                        f"{_category(xa, trace.x[j] if trace.x is not None else j)}"
                parts.append(t("chart.alt.highest", lang, what=where, value=_number(_colorbar_axis(trace), v, lang)))
            continue
        horizontal = _horizontal(fig, trace)
        cat_axis, val_axis = (_axis(fig, trace, "y"), _axis(fig, trace, "x")) if horizontal else (
            _axis(fig, trace, "x"), _axis(fig, trace, "y"))
        points = [(c, v) for c, v in zip(_seq(trace.y if horizontal else trace.x),
                                         _seq(trace.x if horizontal else trace.y), strict=False)
                  if _is_number(v)]
        if not points:
            continue
        label = f"{name}{' : ' if lang == 'fr' else ': '}" if name else ""
        if trace.type == "scatter" and "lines" in str(trace.mode or "") and len(points) > 1:
            (c0, v0), (c1, v1) = points[0], points[-1]
            parts.append(label + t("chart.alt.trend", lang, first=_number(val_axis, v0, lang),
                                   a=_category(cat_axis, c0), last=_number(val_axis, v1, lang),
                                   b=_category(cat_axis, c1)))
        elif len(points) > 1:
            high, low = max(points, key=lambda p: p[1]), min(points, key=lambda p: p[1])
            parts.append(label + t("chart.alt.range", lang, high=_category(cat_axis, high[0]),
                                   hv=_number(val_axis, high[1], lang), low=_category(cat_axis, low[0]),
                                   lv=_number(val_axis, low[1], lang)))
        else:
            c, v = points[0]
            parts.append(label + f"{_category(cat_axis, c)} {_number(val_axis, v, lang)}".strip())
    if len(traces) > max_series:
        parts.append(t("chart.alt.more", lang, n=len(traces) - max_series))
    return f"{title}. " + ("; ".join(parts) + "." if parts else "")
