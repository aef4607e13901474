"""The chart vocabulary: the traces that several figure modules draw the same way.

Pure plotly (no Streamlit). A recipe returns a trace (or the settings of one) and leaves the
figure, its caption and its layout to the builder; :mod:`ui.style` keeps the house style
(colours, ``finish``, captions). Small groups that the indicators hide are never drawn as values:
lines and dots get grey crosses (:class:`Hidden`, :func:`placeholder_trace`), cell grids a grey
layer under the coloured one (:func:`hidden_cells`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ui.i18n import t
from ui.style import SERIES_COLOURS, series_style

HIDDEN_COLOUR = "#bdbdbd"
HIDDEN_SYMBOL = "x-thin-open"
DODGE = 0.09  # horizontal offset between series at the same wave

Grid = list[list[Any]]


# --------------------------------------------------------------------------- series and waves


def series_colour(i: int) -> str:
    """Colour of the i-th series (as ``ui.style.series_style``)."""
    return SERIES_COLOURS[i % len(SERIES_COLOURS)]


def dodge(i: int, k: int, step: float = DODGE) -> float:
    """Offset of the i-th of `k` series at the same category, so that their bars do not overlap."""
    return (i - (k - 1) / 2) * step


def wave_axis(waves: Sequence[str], title: str) -> dict[str, Any]:
    """Settings of an x axis whose categories are the waves at 0, 1, 2… (series are dodged around them)."""
    return {
        "tickvals": list(range(len(waves))),
        "ticktext": waves,
        "range": [-0.5, len(waves) - 0.5],
        "title_text": title,
    }


# --------------------------------------------------------------------------- confidence intervals


def ci_bars(
    value: np.ndarray, low: np.ndarray, high: np.ndarray, colour: str | None = None, width: int = 5
) -> dict[str, Any]:
    """Asymmetric error bars (``error_y`` or ``error_x``) from estimates and their CI bounds; a missing
    bound draws no bar. Without `colour`, plotly's (the trace's)."""
    return {
        "type": "data",
        "symmetric": False,
        "array": np.nan_to_num(high - value).tolist(),
        "arrayminus": np.nan_to_num(value - low).tolist(),
        "thickness": 1.5,
        "width": width,
        "color": colour,
    }


def ci_line(
    x: Sequence[float], value: np.ndarray, low: np.ndarray, high: np.ndarray, i: int, name: str, hover: Sequence[str]
) -> go.Scatter:
    """The i-th series of a trend: line and markers in its house style, its CI as error bars, gaps
    (missing values) left open, the hover text given."""
    return go.Scatter(
        x=x,
        y=[None if math.isnan(v) else v for v in value],
        mode="lines+markers",
        name=name,
        error_y=ci_bars(value, low, high, series_colour(i)),
        hovertext=hover,
        hoverinfo="text",
        connectgaps=False,
        **series_style(i),
    )


# --------------------------------------------------------------------------- hidden groups


def placeholder_trace(
    x: Sequence[Any], y: Sequence[Any], lang: str, hover: Sequence[str], min_group_size: int, **kw: Any
) -> go.Scatter:
    """Grey crosses where a group is hidden (one legend entry 'moins de 5 répondants')."""
    return go.Scatter(
        x=list(x),
        y=list(y),
        mode="markers",
        marker={"symbol": HIDDEN_SYMBOL, "size": 12, "color": HIDDEN_COLOUR, "line": {"width": 2, "color": "#7f7f7f"}},
        name=t("chart.suppressed_cell", lang, n=min_group_size),
        hovertext=list(hover),
        hoverinfo="text",
        legendgroup="hidden",
        **kw,
    )


@dataclass
class Hidden:
    """The hidden groups of a chart of series: collected series by series (:meth:`add`), drawn as one
    trace of grey crosses (:meth:`draw`) and listed in the caption from :attr:`items`."""

    lang: str
    min_group_size: int
    positions: list[Any] = field(default_factory=list)  # on the category axis
    hover: list[str] = field(default_factory=list)
    items: list[tuple[str, str]] = field(default_factory=list)  # (series label, wave)

    def add(self, label: str, waves: Iterable[Any], positions: Iterable[Any], suppressed: Iterable[Any]) -> None:
        """Keep the points of series `label` whose `suppressed` flag is set."""
        for wave, position, hidden in zip(waves, positions, suppressed, strict=True):
            if hidden:
                self.add_point(label, wave, position)

    def add_point(self, label: str, wave: Any, position: Any) -> None:
        """Keep one hidden point: group `label` at `wave`, drawn at `position`."""
        self.positions.append(position)
        self.hover.append(f"{label} · {wave} : {t('chart.suppressed_cell', self.lang, n=self.min_group_size)}")
        self.items.append((label, str(wave)))

    def draw(self, fig: go.Figure, value: float, horizontal: bool = False) -> None:
        """Add the crosses at `value` of the value axis (y, or x when `horizontal`), if any group is hidden."""
        if not self.positions:
            return
        at = [value] * len(self.positions)
        x, y = (at, self.positions) if horizontal else (self.positions, at)
        fig.add_trace(placeholder_trace(x, y, self.lang, self.hover, self.min_group_size))


# --------------------------------------------------------------------------- cell grids


def empty_cells(rows: int, cols: int) -> tuple[Grid, Grid, Grid, Grid]:
    """The grids of a `rows` × `cols` cell grid before it is filled: values and hidden flags (None),
    texts and hover sentences ("")."""
    return (
        [[None] * cols for _ in range(rows)],
        [[None] * cols for _ in range(rows)],
        [[""] * cols for _ in range(rows)],
        [[""] * cols for _ in range(rows)],
    )


def cell_grid(z: Grid, x: Sequence[str], y: Sequence[str], text: Grid, hover: Grid, gap: int, **kw: Any) -> go.Heatmap:
    """A heatmap whose cells show their text and hover their own sentence, `gap` pixels apart."""
    return go.Heatmap(
        z=z,
        x=x,
        y=y,
        text=text,
        texttemplate="%{text}",
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        xgap=gap,
        ygap=gap,
        **kw,
    )


def hidden_cells(
    hidden: Grid, x: Sequence[str], y: Sequence[str], text: Grid, hover: Grid, colour: str, gap: int, **kw: Any
) -> go.Heatmap:
    """The grey layer of a cell grid, under the coloured one: the hidden cells (1 in `hidden`, None
    elsewhere) in flat `colour`, without a colour bar."""
    return cell_grid(hidden, x, y, text, hover, gap, colorscale=[[0, colour], [1, colour]], showscale=False, **kw)


def cells_where(grid: Grid, hidden: Grid, is_hidden: bool) -> Grid:
    """`grid` keeping only its hidden cells (``is_hidden``) or only its shown ones, "" in the others."""
    return [
        [v if (h is not None) == is_hidden else "" for v, h in zip(row, mask, strict=True)]
        for row, mask in zip(grid, hidden, strict=True)
    ]


# --------------------------------------------------------------------------- display tables


def hide_where(suppressed: Iterable[Any], text: str) -> Callable[[Iterable[str]], list[str]]:
    """For a display table whose rows may be hidden: a function that puts `text` (« moins de 5
    répondants ») in place of a column's cells in the rows whose `suppressed` flag is set."""
    flags = list(suppressed)

    def column(values: Iterable[str]) -> list[str]:
        return [text if hidden else v for v, hidden in zip(values, flags, strict=True)]

    return column
