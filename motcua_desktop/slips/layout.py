"""The typesetting pieces every slip uses: NFC-escaped paragraph text, unbreakable dates, rules,
the copy markers and the page-numbering canvas."""

from __future__ import annotations

from typing import Any

import unicodedata
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Paragraph

from . import forms, vn
from .papers import Paper



def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def t(text: str) -> str:
    """Escaped, NFC text for Paragraph markup; newlines become line breaks."""
    return escape(nfc(text)).replace("\n", "<br/>")


def para(markup: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(nfc(markup), style)


def field_para(label: str, value: str, style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    value_markup = t(value) if value else "……………………………………"
    if bold and value:
        value_markup = f"<b>{value_markup}</b>"
    return para(f"{t(label)} {value_markup}", style)


NBSP = "\u00a0"


def unbreakable(text: str) -> str:
    """No line break inside: a date split as '… tháng 11 / năm 2026' is hard to read."""
    return text.replace(" ", NBSP)


def moment(dt: datetime | None, unknown: str | None = None) -> str:
    """'09 giờ 05 phút, ngày 25 tháng 11 năm 2026', breakable only after the comma."""
    if not dt:
        return forms.BLANK_MOMENT if unknown is None else unknown
    clock, day = vn.moment_text(dt).split(", ", 1)
    return f"{unbreakable(clock)}, {unbreakable(day)}"


def fit_size(text: str, font: str, size: float, width: float) -> float:
    """Largest size ≤ size at which one line of text fits width (header lines must not wrap)."""
    w = stringWidth(nfc(text), font, size)
    return size if w <= width else max(5.0, size * width / w * 0.98)


class Rule(Flowable):
    """A short centred rule under a header line, as on official papers."""

    def __init__(self, length: float, thickness: float = 0.6) -> None:
        super().__init__()
        self.length, self.thickness = length, thickness

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self._avail = avail_w
        return avail_w, 7

    def draw(self) -> None:
        x = (self._avail - self.length) / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, 3.5, x + self.length, 3.5)


class Section(Flowable):
    """Zero-size marker: the pages after it belong to one copy (liên), numbered on their own."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._slip_section = self.index  # type: ignore[attr-defined]


def numbered_canvas(code: str, p: Paper):
    """A canvas that, on save, knows every page: prints 'Trang i/n' per copy when a copy spans pages."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs) -> None:
            # Else the canvas starts in Helvetica and lists it, unused and unembedded, in every PDF.
            kwargs["initialFontName"] = p.font
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []
            self._slip_section = 0

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._saved.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's own page reset, not in its stubs

        def save(self) -> None:
            sections = [s.get("_slip_section", 0) for s in self._saved]
            for i, state in enumerate(self._saved):
                self.__dict__.update(state)
                sec = sections[i]
                total = sections.count(sec)
                if total > 1:
                    page = sections[: i + 1].count(sec)
                    self.setFont(p.font, p.size * 0.75)
                    label = f"{forms.CODE} {code} — " + forms.PAGE.format(page=page, pages=total)
                    self.drawCentredString(p.width / 2, max(p.bottom / 2, 6 * mm), nfc(label))
                super().showPage()
            super().save()

    return NumberedCanvas
