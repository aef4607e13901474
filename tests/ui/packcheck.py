"""Reading a committee deck back: what a committee member would see on each slide.

Title overflow is estimated independently of ui/deck.py: each paragraph is wrapped word by word
into the box's width (less its 0.1-inch insets) with the DejaVu Sans Bold metrics read by PIL
(wider than Calibri and Arial, PowerPoint's usual fonts); without the font file, a conservative
0.62 em per character. Lines × 1.2 × the font size must fit in the box's height.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from pptx import Presentation
from pptx.util import Emu

P_NS = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


def member(z: zipfile.ZipFile, suffix: str) -> bytes:
    return z.read(next(n for n in z.namelist() if n.endswith(suffix)))


def deck(z: zipfile.ZipFile) -> Any:
    return Presentation(io.BytesIO(member(z, "presentation.pptx")))


def _width(text: str, size: float, bold: bool) -> float:
    try:
        from PIL import ImageFont

        font = ImageFont.truetype("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf", 100)
        return float(font.getlength(text)) / 100 * size
    except OSError:
        return len(text) * 0.62 * size


def lines_needed(text: str, size: float, width_pt: float, bold: bool) -> int:
    n = 0
    for paragraph in text.split("\n"):
        line = ""
        n += 1
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and _width(candidate, size, bold) > width_pt:
                n += 1
                line = word
            else:
                line = candidate
    return n


def overflows(shape: Any) -> bool:
    """The text of a text box takes more height than the box has."""
    frame = shape.text_frame
    fonts = [f for p in frame.paragraphs for f in (p.font, *(r.font for r in p.runs))]
    size = max((f.size.pt for f in fonts if f.size), default=18)  # PowerPoint's default: 18 pt
    bold = any(f.bold for f in fonts)
    width = Emu(shape.width - Emu(182880)).pt
    needed = lines_needed(frame.text, size, width, bold) * size * 1.2
    return needed > Emu(shape.height - Emu(91440)).pt


@dataclass
class SlideView:
    index: int
    title: str
    kinds: list[str]  # shapes in reading order: title, chart, picture, text, note, mark
    charts: list[Any]
    pictures: list[Any]
    texts: dict[str, str]
    shapes: list[Any]


def slides(prs: Any) -> list[SlideView]:
    out = []
    for i, s in enumerate(prs.slides):
        kinds, charts, pictures, texts = [], [], [], {}
        for sh in s.shapes:
            if sh.has_chart:
                kinds.append("chart")
                charts.append(sh)
            elif sh.shape_type == 13:
                kinds.append("picture")
                pictures.append(sh)
            else:
                kinds.append({"Titre": "title", "Note": "note", "Repère": "mark"}.get(sh.name, "text"))
                texts[sh.name] = sh.text_frame.text
        out.append(SlideView(i, texts.get("Titre", ""), kinds, charts, pictures, texts, list(s.shapes)))
    return out


def alt_text(shape: Any) -> str:
    element = shape._element
    for path in ("p:nvPicPr/p:cNvPr", "p:nvGraphicFramePr/p:cNvPr"):
        found = element.find(path.replace("p:", P_NS))
        if found is not None:
            return str(found.get("descr") or "")
    return ""


def chart_values(frame: Any) -> dict[str, list[float | None]]:
    return {s.name: list(s.values) for s in frame.chart.plots[0].series}


def categories(frame: Any) -> list[str]:
    return [str(c) for c in frame.chart.plots[0].categories]


def check_deck(prs: Any) -> list[str]:
    """Every problem a committee would see: a chart without data, a picture or chart without alt
    text, a title or footnote that overflows its box, a slide out of reading order."""
    problems = []
    for view in slides(prs):
        for frame in view.charts:
            values = [v for series in chart_values(frame).values() for v in series if v is not None]
            if not values:
                problems.append(f"slide {view.index + 1} «{view.title}»: a chart without data")
            if not alt_text(frame):
                problems.append(f"slide {view.index + 1} «{view.title}»: a chart without alt text")
        for picture in view.pictures:
            if not alt_text(picture):
                problems.append(f"slide {view.index + 1} «{view.title}»: a picture without alt text")
        for shape in view.shapes:
            if shape.has_text_frame and shape.name in ("Titre", "Note", "Texte", "Sous-titre") and overflows(shape):
                problems.append(f"slide {view.index + 1}: the {shape.name} «{shape.text_frame.text[:60]}» overflows")
        body = [k for k in view.kinds if k != "mark"]
        if view.index > 0 and body and body[0] != "title":
            problems.append(f"slide {view.index + 1}: the title is not read first ({body})")
        if "note" in body and body[-1] != "note":
            problems.append(f"slide {view.index + 1}: the footnote is not read last ({body})")
    return problems
