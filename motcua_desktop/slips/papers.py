"""The papers a slip prints on (A4, A5 official layout; the 80 mm roll) and their paragraph styles."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from . import fonts



@dataclass(frozen=True)
class Paper:
    key: str
    width: float
    height: float | None  # None: roll paper, the page is as tall as its content
    left: float
    right: float
    top: float
    bottom: float
    font: str
    size: float  # body text
    header_size: float
    title_size: float
    bar_height: float
    qr_size: float
    sign_gap: float  # room to sign between the title and the printed name
    leading: float = 1.3  # line height, in body sizes
    para_gap: float = 0.25  # space after a paragraph, in body sizes

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right


PAPER_SPECS: dict[str, Paper] = {
    # Official margins (Nghị định 30/2020): left 30–35 mm, right 15–20 mm, top/bottom 20–25 mm;
    # slightly tighter here, and lines set at 1.2, so a receipt of up to five or six papers keeps
    # each copy (liên) on one sheet, signatures included.
    "a4": Paper("a4", A4[0], A4[1], 25 * mm, 15 * mm, 15 * mm, 15 * mm, fonts.SERIF,
                12, 10.5, 13.5, 11 * mm, 24 * mm, 18 * mm, leading=1.2, para_gap=0.15),
    "a5": Paper("a5", A5[0], A5[1], 12 * mm, 10 * mm, 8 * mm, 8 * mm, fonts.SERIF,
                8.5, 7.4, 10, 7 * mm, 15 * mm, 12 * mm, leading=1.2, para_gap=0.15),
    # 80 mm roll: thermal heads print ~72 mm; 5 mm each side keeps all ink (70 mm) well inside it.
    "80mm": Paper("80mm", 80 * mm, None, 5 * mm, 5 * mm, 4 * mm, 6 * mm, fonts.SANS,
                  8.5, 8.5, 10, 14 * mm, 24 * mm, 10 * mm),
}
ROLL_PRINTABLE = 72 * mm


def styles(p: Paper) -> dict[str, ParagraphStyle]:
    lead = p.size * p.leading
    cell_lead = p.size * 0.95 * min(p.leading, 1.25)
    base = ParagraphStyle("base", fontName=p.font, fontSize=p.size, leading=lead, alignment=TA_LEFT,
                          spaceAfter=p.size * p.para_gap)
    head = ParagraphStyle("head", parent=base, fontSize=p.header_size, leading=p.header_size * 1.3,
                          alignment=TA_CENTER, spaceAfter=0)
    return {
        "base": base,
        "just": ParagraphStyle("just", parent=base, alignment=TA_JUSTIFY),
        "hang": ParagraphStyle("hang", parent=base, leftIndent=p.size * 1.6, firstLineIndent=-p.size * 1.6),
        "indent": ParagraphStyle("indent", parent=base, leftIndent=p.size * 1.6),
        "head": head,
        "head_b": ParagraphStyle("head_b", parent=head, fontName=f"{p.font}-Bold"),
        "title": ParagraphStyle("title", parent=base, fontName=f"{p.font}-Bold", fontSize=p.title_size,
                                leading=p.title_size * 1.3, alignment=TA_CENTER, spaceBefore=p.size * 0.6,
                                spaceAfter=p.size * 0.8),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER, spaceAfter=0),
        "center_b": ParagraphStyle("center_b", parent=base, alignment=TA_CENTER, spaceAfter=0,
                                   fontName=f"{p.font}-Bold"),
        "cell": ParagraphStyle("cell", parent=base, spaceAfter=0, fontSize=p.size * 0.95,
                               leading=cell_lead),
        "cell_c": ParagraphStyle("cell_c", parent=base, spaceAfter=0, fontSize=p.size * 0.95,
                                 leading=cell_lead, alignment=TA_CENTER),
        "cell_h": ParagraphStyle("cell_h", parent=base, spaceAfter=0, fontSize=p.size * 0.95,
                                 leading=cell_lead, alignment=TA_CENTER,
                                 fontName=f"{p.font}-Bold"),
        "small": ParagraphStyle("small", parent=base, fontSize=p.size * 0.8, leading=p.size * 0.8 * 1.3),
        "big": ParagraphStyle("big", parent=base, fontName=f"{p.font}-Bold", fontSize=p.size * 1.3,
                              leading=p.size * 1.3 * 1.25, alignment=TA_CENTER, spaceAfter=0),
    }
