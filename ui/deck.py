"""A PowerPoint deck for a steering committee (python-pptx): a title slide, one slide per chart and
a method slide. Pure Python.

- Line and bar charts are **native PowerPoint charts** (their data is in the chart: a committee
  member restyles, re-colours or edits them in PowerPoint); pictures only for what PowerPoint has
  no chart for (the network graph, heatmaps).
- Every slide is title, chart (or picture), footnote — added in that order, which is the reading
  order of a screen reader — and every chart or picture has alt text (its summary sentence).
- A section without data is a text slide saying what is missing and when it was last available.
- Titles and footnotes fit their box: their width is measured with a font metric (DejaVu Sans,
  wider than Calibri and Arial, so a text that fits by this measure fits in PowerPoint; without
  the font file, a conservative 0.62 em per character), the size is lowered step by step, then
  the text wraps and the box grows; PowerPoint's own "shrink text on overflow" is also set.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

SLIDE_W = Inches(13.333)
SLIDE_H = Inches(7.5)
MARGIN = Inches(0.5)
BOX_W = SLIDE_W - 2 * MARGIN
INSET = Inches(0.1)  # python-pptx text boxes' default left/right inset
INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x5F, 0x6B, 0x7A)
ACCENT = RGBColor(0x0B, 0x6E, 0x99)
SERIES = ["0072B2", "D55E00", "009E73", "CC79A7", "E69F00", "56B4E9", "000000", "F0E442"]
MARKERS = [XL_MARKER_STYLE.CIRCLE, XL_MARKER_STYLE.SQUARE, XL_MARKER_STYLE.DIAMOND, XL_MARKER_STYLE.TRIANGLE,
           XL_MARKER_STYLE.X, XL_MARKER_STYLE.STAR, XL_MARKER_STYLE.PLUS, XL_MARKER_STYLE.CIRCLE]
DASHES = [MSO_LINE_DASH_STYLE.SOLID, MSO_LINE_DASH_STYLE.DASH, MSO_LINE_DASH_STYLE.ROUND_DOT,
          MSO_LINE_DASH_STYLE.DASH_DOT, MSO_LINE_DASH_STYLE.LONG_DASH, MSO_LINE_DASH_STYLE.LONG_DASH_DOT]
LINE_SPACING = 1.2  # a line of text is 1.2 × the font size high
TITLE_SIZES = (26, 24, 22, 20)
FOOTNOTE_SIZES = (11, 10, 9)
FALLBACK_EM = 0.62  # average width of a character, in em, when no font file is found (bold DejaVu: 0.60)

KINDS = {
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "column_stacked": XL_CHART_TYPE.COLUMN_STACKED,
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "bar_stacked": XL_CHART_TYPE.BAR_STACKED,
    "bar_stacked_100": XL_CHART_TYPE.BAR_STACKED_100,
}


# --- measuring text ----------------------------------------------------------------------------


@functools.cache
def _font(bold: bool, size: int) -> Any:
    try:
        from PIL import ImageFont

        return ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", size * 10)
    except (ImportError, OSError):
        return None


def text_width_pt(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` at `size` points (DejaVu Sans metrics, else 0.62 em per character)."""
    font = _font(bold, 10)
    if font is None:
        return len(text) * FALLBACK_EM * size
    return float(font.getlength(text)) / 100 * size


def wrap_lines(text: str, size: float, width_pt: float, bold: bool = False) -> list[str]:
    """`text` wrapped word by word into lines no wider than `width_pt` (explicit newlines kept)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if not line or text_width_pt(candidate, size, bold) <= width_pt:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


@dataclass(frozen=True)
class Fitted:
    size: int
    lines: int
    height: int  # EMU, with the box's insets


def fit(text: str, width: int, sizes: Sequence[int], bold: bool = False, max_lines: int = 1) -> Fitted:
    """The largest of `sizes` at which `text` takes at most `max_lines` lines of a box `width` EMU
    wide (else the smallest size, wrapped on as many lines as it takes)."""
    usable = (width - 2 * INSET) / 12700  # EMU → points
    for size in sizes:
        n = len(wrap_lines(text, size, usable, bold))
        if n <= max_lines:
            return Fitted(size, n, _height(size, n))
    size = sizes[-1]
    n = len(wrap_lines(text, size, usable, bold))
    return Fitted(size, n, _height(size, n))


def _height(size: int, lines: int) -> int:
    return int(Pt(size * LINE_SPACING * lines) + 2 * Inches(0.05) + Pt(4))


# --- what a slide holds ------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    # 95 % interval around each value (drawn as error bars), when the chart has one
    low: tuple[float | None, ...] | None = None
    high: tuple[float | None, ...] | None = None


@dataclass(frozen=True)
class NativeChart:
    """A chart PowerPoint draws itself: `kind` in KINDS, one value per category and series."""

    kind: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    number_format: str = "0.00"
    title: str = ""  # for one chart of small multiples
    axis_title: str = ""
    minimum: float | None = None
    maximum: float | None = None
    labels: bool = False  # show each value on the chart
    legend: bool = True
    marks: tuple[tuple[float, str], ...] = ()  # (category position, label): events marked on a time axis

    def has_data(self) -> bool:
        return any(v is not None and not math.isnan(v) for s in self.series for v in s.values)


@dataclass(frozen=True)
class Slide:
    """One slide: a native chart (or small multiples), a picture, or a text (what is missing)."""

    title: str
    footnote: str
    notes: str = ""
    alt_text: str = ""
    charts: tuple[NativeChart, ...] = ()
    picture_png: bytes | None = None
    text: str = ""
    key: str = ""
    extra: dict[str, str] = field(default_factory=dict)


# --- drawing -----------------------------------------------------------------------------------


def _text(
    slide: Any, left: int, top: int, width: int, height: int, text: str, size: int, bold: bool = False,
    color: RGBColor = INK, name: str = "",
) -> Any:
    box = slide.shapes.add_textbox(left, top, width, height)
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # PowerPoint shrinks it if a font is wider
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = line
        para.font.size = Pt(size)
        para.font.bold = bold
        para.font.color.rgb = color
    return box


def set_alt_text(shape: Any, text: str) -> None:
    """The shape's description (alt text), read by screen readers and shown by PowerPoint."""
    element = shape._element
    for path in ("p:nvPicPr/p:cNvPr", "p:nvGraphicFramePr/p:cNvPr", "p:nvSpPr/p:cNvPr"):
        found = element.find(path.replace("p:", "{http://schemas.openxmlformats.org/presentationml/2006/main}"))
        if found is not None:
            found.set("descr", text)
            return


def _title(slide: Any, text: str) -> int:
    """The slide's title (fitted to its box); returns its bottom."""
    fitted = fit(text, BOX_W, TITLE_SIZES, bold=True, max_lines=1)  # one line at a smaller size first,
    if fitted.lines > 1:  # else two lines at the largest size that takes two
        fitted = fit(text, BOX_W, TITLE_SIZES, bold=True, max_lines=2)
    top = Inches(0.25)
    _text(slide, MARGIN, top, BOX_W, fitted.height, text, fitted.size, bold=True, name="Titre")
    return int(top + fitted.height)


def _footnote(slide: Any, text: str) -> tuple[int, Fitted]:
    fitted = fit(text, BOX_W, FOOTNOTE_SIZES, max_lines=5)
    return int(SLIDE_H - Inches(0.15) - fitted.height), fitted


def _add_error_bars(series_element: Any, low: Sequence[float | None], high: Sequence[float | None],
                    values: Sequence[float | None]) -> None:
    """Custom error bars (the 95 % interval) on one series, before its categories (schema order)."""
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    bars = etree.SubElement(series_element, f"{c}errBars")
    etree.SubElement(bars, f"{c}errDir").set("val", "y")
    etree.SubElement(bars, f"{c}errBarType").set("val", "both")
    etree.SubElement(bars, f"{c}errValType").set("val", "cust")
    etree.SubElement(bars, f"{c}noEndCap").set("val", "0")
    for tag, deltas in (
        ("plus", [None if v is None or h is None else h - v for v, h in zip(values, high, strict=True)]),
        ("minus", [None if v is None or lo is None else v - lo for v, lo in zip(values, low, strict=True)]),
    ):
        lit = etree.SubElement(etree.SubElement(bars, f"{c}{tag}"), f"{c}numLit")
        etree.SubElement(lit, f"{c}formatCode").text = "General"
        etree.SubElement(lit, f"{c}ptCount").set("val", str(len(deltas)))
        for i, d in enumerate(deltas):
            if d is not None and not math.isnan(d):
                pt = etree.SubElement(lit, f"{c}pt")
                pt.set("idx", str(i))
                etree.SubElement(pt, f"{c}v").text = repr(max(float(d), 0.0))
    pr = etree.SubElement(bars, f"{c}spPr")
    ln = etree.SubElement(pr, qn("a:ln"))
    ln.set("w", "12700")
    fill = etree.SubElement(ln, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", "5F6B7A")
    series_element.find(f"{c}cat").addprevious(bars)


def _native(slide: Any, spec: NativeChart, left: int, top: int, width: int, height: int, alt: str) -> Any:
    data = CategoryChartData(number_format=spec.number_format)
    data.categories = list(spec.categories)
    for s in spec.series:
        data.add_series(s.name, [None if v is None or math.isnan(v) else float(v) for v in s.values])
    frame = slide.shapes.add_chart(KINDS[spec.kind], left, top, width, height, data)
    frame.name = spec.title or "Graphique"
    set_alt_text(frame, alt)
    chart = frame.chart
    chart.font.size = Pt(12 if not spec.title else 10)
    chart.font.color.rgb = INK
    if spec.title:
        chart.has_title = True
        chart.chart_title.text_frame.text = spec.title
        chart.chart_title.text_frame.paragraphs[0].font.size = Pt(11)
        chart.chart_title.text_frame.paragraphs[0].font.bold = True
    else:
        chart.has_title = False
    chart.has_legend = spec.legend and len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    value_axis = chart.value_axis
    value_axis.tick_labels.number_format = spec.number_format
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xE3, 0xE7, 0xEC)
    if spec.minimum is not None:
        value_axis.minimum_scale = spec.minimum
    if spec.maximum is not None:
        value_axis.maximum_scale = spec.maximum
    if spec.axis_title:
        value_axis.has_title = True
        value_axis.axis_title.text_frame.text = spec.axis_title
        value_axis.axis_title.text_frame.paragraphs[0].font.size = Pt(10)
    plot = chart.plots[0]
    if spec.kind != "line":
        plot.gap_width = 60
        if spec.kind.endswith(("stacked", "stacked_100")):
            plot.overlap = 100
    if spec.labels:
        plot.has_data_labels = True
        plot.data_labels.number_format = spec.number_format
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.font.size = Pt(10)
    for i, (series, s) in enumerate(zip(plot.series, spec.series, strict=True)):
        colour = RGBColor.from_string(SERIES[i % len(SERIES)])
        if spec.kind == "line":
            series.format.line.color.rgb = colour
            series.format.line.width = Pt(2.25)
            series.format.line.dash_style = DASHES[i % len(DASHES)]
            series.marker.style = MARKERS[i % len(MARKERS)]
            series.marker.size = 8
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = colour
            series.smooth = False
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = colour
            series.invert_if_negative = False
        if s.low is not None and s.high is not None:
            _add_error_bars(series._element, s.low, s.high, s.values)
    return frame


def _marks(slide: Any, spec: NativeChart, left: int, top: int, width: int, height: int) -> None:
    """Events on a time axis: a labelled tick above the chart at their category (approximate: the
    plot area is laid out by PowerPoint; the footnote lists them exactly)."""
    n = max(len(spec.categories), 1)
    inner_left, inner_width = left + int(width * 0.08), int(width * 0.9)
    for index, label in spec.marks:
        x = inner_left + int(inner_width * (index + 0.5) / n)
        box = _text(slide, x - Inches(0.9), top - Inches(0.05), Inches(1.8), Inches(0.3), f"▼ {label}", 9,
                    color=MUTED, name="Repère")
        box.text_frame.paragraphs[0].alignment = 2  # centred


def _chart_slide(prs: Any, spec: Slide) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    title_bottom = _title(slide, spec.title)
    foot_top, foot = _footnote(slide, spec.footnote)
    top = title_bottom + Inches(0.1)
    height = foot_top - top - Inches(0.1)
    if spec.charts:
        _chart_grid(slide, spec, top, height)
    elif spec.picture_png is not None:
        picture_height = height
        picture_width = Emu(int(picture_height * 16 / 9))
        if picture_width > BOX_W:
            picture_width = Emu(BOX_W)
            picture_height = Emu(int(picture_width * 9 / 16))
        left = Emu(int((SLIDE_W - picture_width) / 2))
        picture = slide.shapes.add_picture(io.BytesIO(spec.picture_png), left, top, picture_width, picture_height)
        picture.name = "Graphique"
        set_alt_text(picture, spec.alt_text)
    else:
        fitted = fit(spec.text, BOX_W, (20, 18, 16), max_lines=8)
        _text(slide, MARGIN, top + Inches(0.4), BOX_W, fitted.height, spec.text, fitted.size, name="Texte")
    if spec.footnote:
        _text(slide, MARGIN, foot_top, BOX_W, foot.height, spec.footnote, foot.size, color=MUTED, name="Note")
    if spec.notes:
        slide.notes_slide.notes_text_frame.text = spec.notes


def _chart_grid(slide: Any, spec: Slide, top: int, height: int) -> None:
    n = len(spec.charts)
    cols = 1 if n == 1 else (2 if n <= 4 else (3 if n <= 6 else 4))
    rows = math.ceil(n / cols)
    gap = Inches(0.15)
    cell_w = int((BOX_W - gap * (cols - 1)) / cols)
    cell_h = int((height - gap * (rows - 1)) / rows)
    for i, chart in enumerate(spec.charts):
        r, c = divmod(i, cols)
        left = int(MARGIN + c * (cell_w + gap))
        y = int(top + r * (cell_h + gap))
        alt = spec.alt_text if n == 1 else f"{chart.title} : {spec.extra.get(chart.title, '')}".strip(" :")
        if chart.marks:
            y += Inches(0.25)
            _marks(slide, chart, left, y, cell_w, cell_h - Inches(0.25))
            _native(slide, chart, left, y, cell_w, cell_h - Inches(0.25), alt)
        else:
            _native(slide, chart, left, y, cell_w, cell_h, alt)


def build_deck(title: str, subtitle: str, slides: list[Slide], method: str) -> bytes:
    """The deck as .pptx bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    blank = prs.slide_layouts[6]
    first = prs.slides.add_slide(blank)
    head = fit(title, Inches(11.7), (40, 36, 32, 28), bold=True, max_lines=2)
    _text(first, Inches(0.8), Inches(2.0), Inches(11.7), head.height, title, head.size, bold=True, color=ACCENT,
          name="Titre")
    sub = fit(subtitle, Inches(11.7), (20, 18, 16), max_lines=4)
    _text(first, Inches(0.8), Inches(2.0) + head.height + Inches(0.3), Inches(11.7), sub.height, subtitle, sub.size,
          color=MUTED, name="Sous-titre")
    for spec in slides:
        _chart_slide(prs, spec)
    last = prs.slides.add_slide(blank)
    heading, _, body = method.partition("\n")
    bottom = _title(last, heading)
    fitted = fit(body, BOX_W, (14, 13, 12, 11), max_lines=int((SLIDE_H - bottom - Inches(0.5)) / Pt(14 * 1.2)))
    _text(last, MARGIN, bottom + Inches(0.2), BOX_W, fitted.height, body, fitted.size, name="Texte")
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
