"""A PowerPoint deck of charts for a steering committee (python-pptx): a title slide, one slide
per chart (editable title and footnote, the chart as a 16:9 picture, the indicator's definition
in the speaker notes), and a method slide. Pure Python."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

SLIDE_W = Inches(13.333)
SLIDE_H = Inches(7.5)
INK = RGBColor(0x1F, 0x29, 0x33)
MUTED = RGBColor(0x5F, 0x6B, 0x7A)
ACCENT = RGBColor(0x0B, 0x6E, 0x99)


@dataclass(frozen=True)
class Slide:
    title: str
    picture_png: bytes
    footnote: str
    notes: str = ""


def _text(slide: object, left: int, top: int, width: int, height: int, text: str, size: int,
          bold: bool = False, color: RGBColor = INK) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)  # type: ignore[attr-defined]
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = line
        para.font.size = Pt(size)
        para.font.bold = bold
        para.font.color.rgb = color


def build_deck(title: str, subtitle: str, slides: list[Slide], method: str) -> bytes:
    """The deck as .pptx bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    blank = prs.slide_layouts[6]
    first = prs.slides.add_slide(blank)
    _text(first, Inches(0.8), Inches(2.4), Inches(11.7), Inches(1.2), title, 40, bold=True, color=ACCENT)
    _text(first, Inches(0.8), Inches(3.8), Inches(11.7), Inches(1.6), subtitle, 20, color=MUTED)
    for spec in slides:
        slide = prs.slides.add_slide(blank)
        _text(slide, Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.8), spec.title, 26, bold=True)
        picture_top = Inches(1.05)
        picture_height = Inches(5.55)
        picture_width = Emu(int(picture_height * 16 / 9))
        left = Emu(int((SLIDE_W - picture_width) / 2))
        slide.shapes.add_picture(io.BytesIO(spec.picture_png), left, picture_top, picture_width, picture_height)
        _text(slide, Inches(0.5), Inches(6.7), Inches(12.3), Inches(0.7), spec.footnote, 11, color=MUTED)
        if spec.notes:
            slide.notes_slide.notes_text_frame.text = spec.notes
    last = prs.slides.add_slide(blank)
    _text(last, Inches(0.5), Inches(0.25), Inches(12.3), Inches(0.8), method.split("\n", 1)[0], 26, bold=True)
    _text(last, Inches(0.5), Inches(1.2), Inches(12.3), Inches(5.8), method.split("\n", 1)[-1], 14)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
