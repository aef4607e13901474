"""One visual style for every chart (screen, slide and black-and-white print).

Pure plotly (no Streamlit). Sector colours are the Okabe–Ito colour-blind-safe palette; series
are also told apart by marker symbol and line dash, so charts stay readable in grey.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def wrap_caption(footer: str, width: int = CAPTION_WIDTH) -> str:
    """Break each caption line longer than `width` characters at its ' · ' separators (plotly
    annotations do not wrap)."""
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
    return "<br>".join(out)


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

    `height` is the height with a one-line caption; each further caption line adds its room."""
    title_text = f"<b>{title}</b>" + (f"<br><span style='font-size:13px;color:{MUTED}'>{subtitle}</span>"
                                      if subtitle else "")
    footer = wrap_caption(caption.footer(lang), width)
    n_lines = footer.count("<br>") + 1
    bottom = CAPTION_GAP + 16 * n_lines + 10
    top = 56 + (20 * (subtitle.count("<br>") + 1) if subtitle else 0)
    fig.update_layout(
        template=_template(),
        title={"text": title_text, "x": 0.0, "xanchor": "left", "xref": "paper", "y": 1.0, "yref": "container",
               "yanchor": "top", "pad": {"t": 14}, "font": {"size": 18, "color": INK}},
        font={"family": FONT, "size": 13, "color": INK},
        separators=plotly_separators(lang),
        height=height - 90 + bottom,
        margin={"l": 60, "r": 30, "t": top + 14, "b": bottom},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0,
                "bgcolor": "rgba(255,255,255,0)"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        meta={"caption": footer, "title": title, "n": caption.n},
    )
    fig.update_xaxes(showgrid=False, linecolor=MUTED, ticks="outside", tickcolor=MUTED)
    fig.update_yaxes(gridcolor=GRID, zerolinecolor=GRID, linecolor=MUTED)
    fig.add_annotation(
        text=footer, xref="paper", yref="paper", x=0.0, y=0.0, yshift=-CAPTION_GAP,
        xanchor="left", yanchor="top", showarrow=False, align="left",
        font={"size": 11, "color": MUTED}, name="caption",
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
