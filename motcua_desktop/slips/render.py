"""Lay out the forms with reportlab platypus: A4/A5 official layout, 80 mm roll ticket.

Entry point: ``render(kind, data, paper) -> bytes`` (a PDF). Wording comes from ``forms``; dates
from ``vn``; every piece of text passes ``_p`` (NFC + XML escaping) so user input can neither break
the markup nor print decomposed diacritics.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, KeepTogether, PageBreak,
                                PageTemplate, Paragraph, Spacer, Table, TableStyle)

from ..errors import UserError
from . import barcodes, fonts, forms, vn
from .model import KINDS, PAPERS, Applicant, ControlRow, SlipData

# ----------------------------------------------------------------------------------------- papers


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


def _styles(p: Paper) -> dict[str, ParagraphStyle]:
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


# ------------------------------------------------------------------------------------- text bits


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def t(text: str) -> str:
    """Escaped, NFC text for Paragraph markup; newlines become line breaks."""
    return escape(_nfc(text)).replace("\n", "<br/>")


def _p(markup: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_nfc(markup), style)


def _field(label: str, value: str, style: ParagraphStyle, *, bold: bool = False) -> Paragraph:
    value_markup = t(value) if value else "……………………………………"
    if bold and value:
        value_markup = f"<b>{value_markup}</b>"
    return _p(f"{t(label)} {value_markup}", style)


NBSP = "\u00a0"


def _keep(text: str) -> str:
    """No line break inside: a date split as '… tháng 11 / năm 2026' is hard to read."""
    return text.replace(" ", NBSP)


def _moment(dt: datetime | None, unknown: str = forms.BLANK_MOMENT) -> str:
    """'09 giờ 05 phút, ngày 25 tháng 11 năm 2026', breakable only after the comma."""
    if not dt:
        return unknown
    clock, day = vn.moment_text(dt).split(", ", 1)
    return f"{_keep(clock)}, {_keep(day)}"


def _fit_size(text: str, font: str, size: float, width: float) -> float:
    """Largest size ≤ size at which one line of text fits width (header lines must not wrap)."""
    w = stringWidth(_nfc(text), font, size)
    return size if w <= width else max(5.0, size * width / w * 0.98)


class _Rule(Flowable):
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


class _Section(Flowable):
    """Zero-size marker: the pages after it belong to one copy (liên), numbered on their own."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._slip_section = self.index  # type: ignore[attr-defined]


def _numbered_canvas(code: str, p: Paper):
    """A canvas that, on save, knows every page: prints 'Trang i/n' per copy when a copy spans pages."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs) -> None:
            # Else the canvas starts in Helvetica and lists it, unused and unembedded, in every PDF.
            kwargs["initialFontName"] = p.font
            super().__init__(*args, **kwargs)
            self._saved: list[dict] = []
            self._slip_section = 0

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._saved.append(dict(self.__dict__))
            self._startPage()

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
                    self.drawCentredString(p.width / 2, max(p.bottom / 2, 6 * mm), _nfc(label))
                super().showPage()
            super().save()

    return NumberedCanvas


# --------------------------------------------------------------------------------- common blocks


def _table_style(p: Paper, commands: list) -> TableStyle:
    """A table style in the slip's font: a cell without one is set in Helvetica, which would then be
    listed, unembedded, in every PDF (and flagged by a print shop's preflight)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), p.font), *commands])


def _header(data: SlipData, form: forms.Form, p: Paper, s: dict[str, ParagraphStyle]) -> Table:
    w = p.frame_width
    lw, rw = w * 0.44, w * 0.56
    hs = p.header_size
    left: list[Flowable] = []
    if data.agency.parent:
        left.append(_p(t(data.agency.parent.upper()), s["head"]))
    left.append(_p(t(data.agency.name.upper()), s["head_b"]))
    desk_size = _fit_size(forms.DESK, f"{p.font}-Bold", hs, lw - 2)
    left.append(_p(t(forms.DESK), ParagraphStyle("desk", parent=s["head_b"], fontSize=desk_size,
                                                  leading=desk_size * 1.3)))
    left.append(_Rule(lw * 0.35))
    number = data.slip_number()
    number_text = f"{forms.NUMBER} {number or '……'}/{form.number_suffix}"
    left.append(_p(t(number_text), s["head"]))

    name_size = _fit_size(forms.NATIONAL_NAME, f"{p.font}-Bold", hs, rw - 2)
    right: list[Flowable] = [
        _p(t(forms.NATIONAL_NAME), ParagraphStyle("nat", parent=s["head_b"], fontSize=name_size,
                                                   leading=hs * 1.3)),
        _p(t(forms.NATIONAL_MOTTO), ParagraphStyle("motto", parent=s["head_b"], fontSize=hs * 1.05,
                                                    leading=hs * 1.3)),
        _Rule(stringWidth(forms.NATIONAL_MOTTO, f"{p.font}-Bold", hs * 1.05)),
        _p(f"<i>{t(vn.place_date(data.agency.place, data.issue_date()))}</i>",
           ParagraphStyle("pd", parent=s["head"], fontSize=hs, spaceBefore=hs * 0.2)),
    ]
    table = Table([[left, right]], colWidths=[lw, rw])
    table.setStyle(_table_style(p, [("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _code_block(data: SlipData, p: Paper, s: dict[str, ParagraphStyle], copy_note: str = "") -> Table:
    """'Mã hồ sơ: …', the copy note, the Code128 and the QR, side by side when the page is wide enough."""
    w = p.frame_width
    bar = barcodes.code128(data.code, p.bar_height)
    qr = barcodes.qr(data.code, p.qr_size)
    text: list[Flowable] = [_p(f"{t(forms.CODE)} <b>{t(data.code)}</b>", s["base"])]
    if copy_note:
        text.append(_p(f"<i>{t(copy_note)}</i>", s["base"]))
    gap = 3 * mm
    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
             ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
    if bar.width + gap + p.qr_size <= w:
        table = Table([[text + [bar], qr]], colWidths=[w - p.qr_size, p.qr_size])
    else:  # A5: the barcode takes its own full-width row under the text and the QR
        table = Table([[text, qr], [bar, ""]], colWidths=[w - p.qr_size, p.qr_size])
        style += [("SPAN", (0, 1), (-1, 1)), ("ALIGN", (0, 1), (-1, 1), "CENTER")]
    table.setStyle(_table_style(p, style))
    return table


def _signatures(left: tuple[str, str, str] | None, right: tuple[str, str, str], p: Paper,
                s: dict[str, ParagraphStyle], date_line: str = "",
                lead: list[Flowable] | None = None) -> KeepTogether:
    """Two signature columns (title, hint, printed name) kept on one page with `lead`, the body's last
    lines: when the page is full those lines go over with the signatures, so a page never holds
    signatures alone (nor a slip end without them)."""
    w = p.frame_width
    gap = Spacer(1, p.sign_gap)

    def column(sig: tuple[str, str, str] | None) -> list[Flowable]:
        if not sig:
            return []
        title, hint, name = sig
        return [_p(t(title), s["center_b"]), _p(f"<i>{t(hint)}</i>", s["center"]), gap,
                _p(f"<b>{t(name)}</b>" if name else "", s["center"])]

    rows = []
    if date_line:
        rows.append(["", _p(f"<i>{t(date_line)}</i>", s["center"])])
    rows.append([column(left), column(right)])
    table = Table(rows, colWidths=[w / 2, w / 2])
    table.setStyle(_table_style(p, [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
    return KeepTogether([*(lead or []), Spacer(1, p.size * 0.6), table])


def _who_label(a: Applicant, label: str) -> str:
    """'Ông/Bà:' for a person; an organisation is not addressed as Ông/Bà."""
    return forms.ORGANISATION + ":" if a.organisation and label.startswith(forms.HONORIFIC) else label


def _applicant_lines(data: SlipData, form: forms.Form, s: dict[str, ParagraphStyle],
                     with_id: bool = False) -> list[Flowable]:
    lb = form.labels
    a = data.applicant
    unit = f"{forms.DESK_SENTENCE} {data.agency.name}" if data.agency.name else forms.DESK_SENTENCE
    out = [_p(t(lb["received_from"].format(unit=unit)), s["base"]),
           _field(_who_label(a, lb["applicant"]), a.name, s["indent"], bold=True)]
    if with_id and a.id_number:
        out.append(_field(forms.TAX_CODE if a.organisation else lb["id_number"], a.id_number, s["indent"]))
    out.append(_field(lb["address"], a.address, s["indent"]))
    contact = f"{t(lb['phone'])} {t(a.phone) or '……………'}&nbsp;&nbsp;&nbsp;&nbsp;{t(lb['email'])} {t(a.email) or '……………'}"
    out.append(_p(contact, s["indent"]))
    return out


def _procedure_line(data: SlipData, form: forms.Form, s: dict[str, ParagraphStyle]) -> Paragraph:
    lb = form.labels
    code = f" ({t(lb['procedure_code'])} {t(data.procedure_code)})" if data.procedure_code else ""
    return _p(f"{t(lb['request'])} <b>{t(data.procedure_name)}</b>{code}", s["base"])


def _component_table(data: SlipData, form: forms.Form, p: Paper, s: dict[str, ParagraphStyle],
                     components) -> Table:
    lb = form.labels
    w = p.frame_width
    # The form column is wide enough for its heading in two lines, not four.
    no_w, form_w, count_w = w * 0.07, w * 0.23, w * 0.11
    rows = [[_p(t(lb["col_no"]), s["cell_h"]), _p(t(lb["col_name"]), s["cell_h"]),
             _p(t(lb["col_form"]), s["cell_h"]), _p(t(lb["col_count"]), s["cell_h"])]]
    for i, c in enumerate(components, 1):
        forms_ = c.form_rows()
        rows.append([_p(str(i), s["cell_c"]), _p(t(c.name), s["cell"]),
                     _p("<br/>".join(t(f) for f, _ in forms_), s["cell_c"]),
                     _p("<br/>".join(t(n) for _, n in forms_), s["cell_c"])])
    table = Table(rows, colWidths=[no_w, w - no_w - form_w - count_w, form_w, count_w], repeatRows=1)
    table.setStyle(_table_style(p, [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return table


# --------------------------------------------------------------------------------- official forms


def _receipt(data: SlipData, form: forms.Form, p: Paper, s) -> list[Flowable]:
    lb = form.labels
    out = _applicant_lines(data, form, s, with_id=True)
    out.append(_procedure_line(data, form, s))
    if data.channel != "direct":
        out.append(_field(lb["channel"], forms.CHANNEL.get(data.channel, data.channel), s["base"]))
    out.append(_p(t(lb["components"]), s["base"]))
    out.append(_component_table(data, form, p, s, data.provided_components or data.components))
    out.append(Spacer(1, p.size * 0.4))
    # Items 2-7 and the book line go with the signatures: a copy too long for one sheet breaks after
    # the table, and its second page is the end of the form, not a signature block alone.
    tail = [_p(t(lb["sets"].format(sets=data.sets)), s["base"]),
            _field(lb["processing_time"], data.processing_time, s["base"]),
            _field(lb["received_at"], _moment(data.received_at), s["base"], bold=True),
            _field(lb["due_at"], _moment(data.due_at, forms.UNKNOWN_DUE), s["base"], bold=True)]
    if data.delivery == "post":
        where = lb["delivery_post"].format(address=data.delivery_address or data.applicant.address or "……")
    else:
        where = forms.DELIVERY["counter"] + (f" — {data.agency.name}" if data.agency.name else "")
    tail += [_field(lb["delivery"], where, s["base"]),
             _field(lb["fee"], _fee_text(data, lb), s["base"]),
             _p(t(lb["book"].format(volume=data.book_volume or "……", number=data.book_number or "……")),
                s["base"])]
    out.append(_signatures((lb["sign_left"], forms.SIGN_HINT, data.applicant.name),
                           (lb["sign_right"], forms.SIGN_HINT, data.clerk_name), p, s, lead=tail))
    return out


def _fee_text(data: SlipData, lb: dict[str, str]) -> str:
    if data.fee_exempt_reason:
        return f"{lb['fee_exempt']} ({data.fee_exempt_reason})"
    if data.fee_amount is None:
        return ""
    if data.fee_amount == 0:
        return lb["fee_none"]
    text = lb["fee_amount"].format(amount=vn.money(data.fee_amount))
    if data.fee_receipt_no:
        text += " — " + lb["fee_receipt"].format(receipt=data.fee_receipt_no)
    return text


def _missing_items(data: SlipData, s, style_key: str = "hang") -> list[Flowable]:
    out = []
    for i, c in enumerate(data.missing, 1):
        count = f" ({t(c.count_text())})" if c.count_text() else ""
        needs = f": {t(c.needs)}" if c.needs else "."
        out.append(_p(f"{i}. <b>{t(c.name)}</b>{count}{needs}", s[style_key]))
    return out


def _supplement(data: SlipData, form: forms.Form, p: Paper, s) -> list[Flowable]:
    lb = form.labels
    out = _applicant_lines(data, form, s)
    out.append(_procedure_line(data, form, s))
    out.append(_p(f"<b>{t(lb['intro'])}</b>", s["base"]))
    out += _missing_items(data, s)
    if data.supplement_note:
        out.append(_field(lb["reason"], data.supplement_note, s["base"]))
    you = forms.you(data.applicant.organisation)
    out.append(_p(t(lb["once"].format(you=you)), s["just"]))
    clerk = data.clerk_name or forms.DEFAULT_CLERK
    if data.agency.phone:
        help_text = lb["help"].format(clerk=clerk, phone=data.agency.phone, you=you)
    else:
        help_text = lb["help_no_phone"].format(clerk=clerk, unit=forms.DESK_SENTENCE, you=you)
    out.append(_p(t(help_text), s["just"]))
    tail = [_field(lb["guided_at"], _moment(data.issued_at or data.received_at), s["base"])]
    out.append(_signatures((lb["sign_left"], forms.SIGN_HINT, data.applicant.name),
                           (lb["sign_right"], forms.SIGN_HINT, data.clerk_name), p, s, lead=tail))
    return out


def _refusal(data: SlipData, form: forms.Form, p: Paper, s) -> list[Flowable]:
    lb = form.labels
    out = _applicant_lines(data, form, s)
    out.append(_procedure_line(data, form, s))
    unit = forms.DESK_SENTENCE
    out.append(_p(t(lb["intro"].format(unit=unit)), s["just"]))
    out.append(_p(f"<b>{t(data.refusal_reason) or '……………………………………'}</b>", s["indent"]))
    inform = _p(t(lb["inform"].format(you=forms.you(data.applicant.organisation))), s["base"])
    out.append(_signatures((lb["sign_left"], forms.SIGN_HINT, data.applicant.name),
                           (lb["sign_right"], forms.SIGN_HINT, data.clerk_name), p, s, lead=[inform]))
    return out


def _apology(data: SlipData, form: forms.Form, p: Paper, s) -> list[Flowable]:
    lb = form.labels
    agency = data.agency.name or forms.DESK_SENTENCE
    received = vn.date_text(data.received_at.date()) if data.received_at else forms.BLANK_DATE
    received = received.removeprefix("ngày ")
    honorific = "" if data.applicant.organisation else forms.HONORIFIC + " "
    you = forms.you(data.applicant.organisation)
    out = [_p(f"{t(lb['to'])} <b>{t(honorific)}{t(data.applicant.name)}</b>",
              ParagraphStyle("to", parent=s["center"], spaceAfter=p.size * 0.6))]
    out.append(_p(t(lb["received"].format(received=received, agency=agency, procedure=data.procedure_name,
                                          you=you)),
                  s["just"]))
    out.append(_p(f"{t(lb['code'])} <b>{t(data.code)}</b>", s["base"]))
    original = data.original_due_at or data.due_at
    out.append(_field(lb["original_due"], _moment(original), s["base"], bold=True))
    out.append(_p(t(lb["late"].format(agency=agency, you=you)), s["just"]))
    out.append(_p(f"<b>{t(data.apology_reason) or '……………………………………'}</b>", s["indent"]))
    out.append(_p(t(lb["sorry"].format(agency=agency, you=you)), s["just"]))
    out.append(_p(f"<b>{t(_moment(data.new_due_at))}</b>", s["indent"]))
    head = data.head_title or lb["sign_right"]
    thanks = _p(t(lb["thanks"].format(you=you)), s["base"])
    out.append(_signatures(None, (head, forms.SIGN_HINT_SEAL, ""), p, s, lead=[thanks]))
    return out


def _control(data: SlipData, form: forms.Form, p: Paper, s) -> list[Flowable]:
    lb = form.labels
    processing = data.processing_agency or forms.DEFAULT_PROCESSING_AGENCY
    coordinating = data.coordinating_agencies or forms.DEFAULT_COORDINATING_AGENCY
    out = [_field(lb["applicant"], data.applicant.name, s["base"], bold=True),
           _procedure_line(data, form, s),
           _field(lb["received_at"], _moment(data.received_at), s["base"]),
           _field(lb["due_at"], _moment(data.due_at, forms.UNKNOWN_DUE), s["base"]),
           _field(lb["processing_agency"], processing, s["base"]),
           _field(lb["coordinating"], data.coordinating_agencies, s["base"]),
           Spacer(1, p.size * 0.4)]
    rows_data = data.control_rows or tuple(
        _blank_row(step.format(processing=processing, coordinating=coordinating))
        for step in forms.DEFAULT_CONTROL_STEPS)
    w = p.frame_width
    widths = [w * 0.28, w * 0.34, w * 0.22, w * 0.16]
    rows = [[_p(t(lb[k]), s["cell_h"]) for k in ("col_step", "col_at", "col_result", "col_note")]]
    for r in rows_data:
        # A narrow cell: the moment may wrap anywhere between words (never inside one).
        when = vn.moment_text(r.at) if r.at else forms.BLANK_MOMENT
        signs = Table([[_p(t(lb["giver"]), s["cell_c"]), _p(t(lb["taker"]), s["cell_c"])]],
                      colWidths=[widths[1] / 2 - 3] * 2, rowHeights=[p.size * 4.2])
        signs.setStyle(_table_style(p, [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        rows.append([_p(t(r.step), s["cell"]), [_p(t(when), s["cell_c"]), signs],
                     _p(t(r.result), s["cell_c"]), _p(t(r.note), s["cell"])])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_table_style(p, [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("VALIGN", (0, 0), (-1, 0), "MIDDLE")]))
    out.append(table)
    return out


def _blank_row(step: str) -> ControlRow:
    return ControlRow(step=step)


_BODIES = {"receipt": _receipt, "supplement": _supplement, "refusal": _refusal, "apology": _apology,
           "control": _control}


def _official(kind: str, data: SlipData, p: Paper) -> bytes:
    form = forms.form(kind)
    s = _styles(p)
    story: list[Flowable] = []
    for index, copy_note in enumerate(form.copies):
        if index:
            story.append(PageBreak())
        story.append(_Section(index))
        story.append(_header(data, form, p, s))
        story.append(Spacer(1, p.size * 0.6))
        story.append(_p(t(form.title), s["title"]))
        story.append(_code_block(data, p, s, copy_note))
        story.append(Spacer(1, p.size * 0.5))
        story += _BODIES[kind](data, form, p, s)
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=(p.width, p.height), leftMargin=p.left, rightMargin=p.right,
                          topMargin=p.top, bottomMargin=p.bottom, title=f"{form.name} — {data.code}",
                          author=data.agency.name, subject=data.code, creator="motcua-desktop")
    frame = Frame(p.left, p.bottom, p.frame_width, p.height - p.top - p.bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_numbered_canvas(data.code, p))
    return buf.getvalue()


# ------------------------------------------------------------------------------------ roll ticket


def _ticket_story(kind: str, data: SlipData, p: Paper) -> list[Flowable]:
    form = forms.form(kind)
    lb = form.labels
    s = _styles(p)
    w = p.frame_width
    out: list[Flowable] = []
    if data.agency.parent:
        out.append(_p(t(data.agency.parent.upper()), s["center"]))
    out.append(_p(t(data.agency.name.upper()), s["center_b"]))
    desk = _fit_size(forms.DESK, f"{p.font}-Bold", p.size, w)
    out.append(_p(t(forms.DESK), ParagraphStyle("desk", parent=s["center_b"], fontSize=desk)))
    out.append(_Rule(w * 0.4))
    title = lb.get("ticket_title", form.title)
    out.append(_p(t(title), s["title"]))

    # Code: the Code128 runs down the roll (see barcodes.py); the QR, code and key times beside it.
    bar = barcodes.Rotated(barcodes.code128(data.code, p.bar_height))
    side_w = w - bar.width - 2 * mm
    side: list[Flowable] = [barcodes.qr(data.code, min(p.qr_size, side_w)), Spacer(1, 2 * mm),
                            _p(t(forms.CODE), s["center"]),
                            _p(f"<b>{t(data.code)}</b>", ParagraphStyle("code", parent=s["center_b"],
                                                                        fontSize=_fit_size(data.code, f"{p.font}-Bold", p.size * 1.1, side_w)))]
    if kind == "receipt":
        side += [Spacer(1, 2 * mm), _p(t(lb["ticket_received"]), s["center"]),
                 _p(t(vn.short_moment(data.received_at)) if data.received_at else "", s["center"]),
                 Spacer(1, 2 * mm), _p(t(lb["ticket_due"]), s["center"]),
                 _p(t(vn.short_moment(data.due_at)) if data.due_at else t(forms.UNKNOWN_DUE), s["big"])]
    elif kind == "apology":
        side += [Spacer(1, 2 * mm), _p(t(lb["ticket_new_due"]), s["center"]),
                 _p(t(vn.short_moment(data.new_due_at)) if data.new_due_at else "……", s["big"])]
    code_table = Table([[bar, side]], colWidths=[bar.width + 2 * mm, side_w])
    code_table.setStyle(_table_style(p, [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                    ("ALIGN", (1, 0), (1, 0), "CENTER"),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    out.append(code_table)
    out.append(_Rule(w))
    out.append(_field(_who_label(data.applicant, forms.HONORIFIC + ":"), data.applicant.name, s["base"], bold=True))
    proc = data.procedure_name + (f" ({data.procedure_code})" if data.procedure_code else "")
    out.append(_field(forms.TICKET["procedure"], proc, s["base"]))
    if kind == "receipt":
        out.append(_p(f"{t(lb['ticket_due'])} <b>{t(_moment(data.due_at, forms.UNKNOWN_DUE))}</b>", s["base"]))
        fee = _fee_text(data, lb)
        if fee:
            out.append(_field(lb["ticket_fee"], fee, s["base"]))
        if data.delivery == "post":
            out.append(_field(lb["ticket_delivery"], lb["delivery_post"].format(
                address=data.delivery_address or data.applicant.address or "……"), s["base"]))
        out.append(_p(f"<i>{t(lb['ticket_bring'])}</i>", s["base"]))
    elif kind == "supplement":
        out.append(_p(f"<b>{t(lb['intro'])}</b>", s["base"]))
        out += _missing_items(data, s)
        if data.supplement_note:
            out.append(_field(lb["reason"], data.supplement_note, s["base"]))
    elif kind == "refusal":
        out.append(_field(lb["ticket_reason"], data.refusal_reason, s["base"], bold=True))
    elif kind == "apology":
        out.append(_field(lb["ticket_original_due"], _moment(data.original_due_at or data.due_at), s["base"]))
        out.append(_field(lb["ticket_reason"], data.apology_reason, s["base"]))
        out.append(_p(f"{t(lb['ticket_new_due'])} <b>{t(_moment(data.new_due_at))}</b>", s["base"]))
    out.append(_Rule(w * 0.4))
    out.append(_p(f"<i>{t(vn.place_date(data.agency.place, data.issue_date()))}</i>", s["center"]))
    if data.clerk_name:
        out.append(_p(f"{t(forms.TICKET['clerk'])} {t(data.clerk_name)}", s["center"]))
    if data.agency.phone:
        out.append(_p(f"{t(forms.TICKET['phone'])} {t(data.agency.phone)}", s["center"]))
    return out


def _story_height(story: list[Flowable], width: float) -> float:
    total = 0.0
    prev_after = 0.0
    for f in story:
        _, h = f.wrap(width, 10_000)
        before = f.getSpaceBefore()
        # platypus collapses adjacent spaces to the larger of after/before.
        total += h + max(before, prev_after) if total else h
        prev_after = f.getSpaceAfter()
    return total + prev_after


def _ticket(kind: str, data: SlipData, p: Paper) -> bytes:
    if kind == "control":
        raise UserError("Phiếu kiểm soát quá trình giải quyết hồ sơ chỉ in trên khổ A4 hoặc A5.",
                        "the control slip prints on A4 or A5 only, not on the 80 mm roll")
    form = forms.form(kind)
    w = p.frame_width
    height = _story_height(_ticket_story(kind, data, p), w)
    page_h = height + p.top + p.bottom + 3 * mm  # a little slack for rounding in platypus
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=(p.width, page_h), leftMargin=p.left, rightMargin=p.right,
                          topMargin=p.top, bottomMargin=p.bottom, title=f"{form.name} — {data.code}",
                          author=data.agency.name, subject=data.code, creator="motcua-desktop")
    frame = Frame(p.left, p.bottom, w, page_h - p.top - p.bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="roll", frames=[frame])])
    doc.build(_ticket_story(kind, data, p), canvasmaker=_numbered_canvas(data.code, p))
    return buf.getvalue()


# ------------------------------------------------------------------------------------------- API


def render(kind: str, data: SlipData, paper: str = "a4") -> bytes:
    """The PDF of one slip. kind in model.KINDS, paper in model.PAPERS."""
    if kind not in KINDS:
        raise UserError(f"Loại phiếu '{kind}' không có (một trong: {', '.join(KINDS)}).",
                        f"unknown slip kind {kind!r} (one of {', '.join(KINDS)})")
    paper = (paper or "a4").lower()
    if paper not in PAPERS:
        raise UserError(f"Khổ giấy '{paper}' không hợp lệ (a4, a5, 80mm).",
                        f"paper {paper!r} not one of {', '.join(PAPERS)}")
    fonts.register()
    p = PAPER_SPECS[paper]
    if p.height is None:
        return _ticket(kind, data, p)
    return _official(kind, data, p)
