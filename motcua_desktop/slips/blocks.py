"""Blocks the official forms share: the national header, the code with its barcodes, signatures,
the applicant and procedure lines, the list of papers, the fee and the missing papers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from . import barcodes, forms, vn
from .model import Applicant, SlipData
from .layout import Rule, field_para, fit_size, para, t
from .papers import Paper



def table_style(p: Paper, commands: list) -> TableStyle:
    """A table style in the slip's font: a cell without one is set in Helvetica, which would then be
    listed, unembedded, in every PDF (and flagged by a print shop's preflight)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), p.font), *commands])


def header(data: SlipData, form: forms.Form, p: Paper, s: dict[str, ParagraphStyle]) -> Table:
    w = p.frame_width
    lw, rw = w * 0.44, w * 0.56
    hs = p.header_size
    left: list[Flowable] = []
    if data.agency.parent:
        left.append(para(t(data.agency.parent.upper()), s["head"]))
    left.append(para(t(data.agency.name.upper()), s["head_b"]))
    desk_size = fit_size(forms.DESK, f"{p.font}-Bold", hs, lw - 2)
    left.append(para(t(forms.DESK), ParagraphStyle("desk", parent=s["head_b"], fontSize=desk_size,
                                                  leading=desk_size * 1.3)))
    left.append(Rule(lw * 0.35))
    number = data.slip_number()
    number_text = f"{forms.NUMBER} {number or '……'}/{form.number_suffix}"
    left.append(para(t(number_text), s["head"]))

    name_size = fit_size(forms.NATIONAL_NAME, f"{p.font}-Bold", hs, rw - 2)
    right: list[Flowable] = [
        para(t(forms.NATIONAL_NAME), ParagraphStyle("nat", parent=s["head_b"], fontSize=name_size,
                                                   leading=hs * 1.3)),
        para(t(forms.NATIONAL_MOTTO), ParagraphStyle("motto", parent=s["head_b"], fontSize=hs * 1.05,
                                                    leading=hs * 1.3)),
        Rule(stringWidth(forms.NATIONAL_MOTTO, f"{p.font}-Bold", hs * 1.05)),
        para(f"<i>{t(vn.place_date(data.agency.place, data.issue_date()))}</i>",
           ParagraphStyle("pd", parent=s["head"], fontSize=hs, spaceBefore=hs * 0.2)),
    ]
    table = Table([[left, right]], colWidths=[lw, rw])
    table.setStyle(table_style(p, [("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return table


def code_block(data: SlipData, p: Paper, s: dict[str, ParagraphStyle], copy_note: str = "") -> Table:
    """'Mã hồ sơ: …', the copy note, the Code128 and the QR, side by side when the page is wide enough."""
    w = p.frame_width
    bar = barcodes.code128(data.code, p.bar_height)
    qr = barcodes.qr(data.code, p.qr_size)
    text: list[Flowable] = [para(f"{t(forms.CODE)} <b>{t(data.code)}</b>", s["base"])]
    if copy_note:
        text.append(para(f"<i>{t(copy_note)}</i>", s["base"]))
    gap = 3 * mm
    style: list[tuple[Any, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
             ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
    if bar.width + gap + p.qr_size <= w:
        table = Table([[text + [bar], qr]], colWidths=[w - p.qr_size, p.qr_size])
    else:  # A5: the barcode takes its own full-width row under the text and the QR
        table = Table([[text, qr], [bar, ""]], colWidths=[w - p.qr_size, p.qr_size])
        style += [("SPAN", (0, 1), (-1, 1)), ("ALIGN", (0, 1), (-1, 1), "CENTER")]
    table.setStyle(table_style(p, style))
    return table


def signatures(left: tuple[str, str, str] | None, right: tuple[str, str, str], p: Paper,
                s: dict[str, ParagraphStyle], date_line: str = "",
                lead: Sequence[Flowable] | None = None) -> KeepTogether:
    """Two signature columns (title, hint, printed name) kept on one page with `lead`, the body's last
    lines: when the page is full those lines go over with the signatures, so a page never holds
    signatures alone (nor a slip end without them)."""
    w = p.frame_width
    gap = Spacer(1, p.sign_gap)

    def column(sig: tuple[str, str, str] | None) -> list[Flowable]:
        if not sig:
            return []
        title, hint, name = sig
        return [para(t(title), s["center_b"]), para(f"<i>{t(hint)}</i>", s["center"]), gap,
                para(f"<b>{t(name)}</b>" if name else "", s["center"])]

    rows = []
    if date_line:
        rows.append(["", para(f"<i>{t(date_line)}</i>", s["center"])])
    rows.append([column(left), column(right)])
    table = Table(rows, colWidths=[w / 2, w / 2])
    table.setStyle(table_style(p, [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 2)]))
    return KeepTogether([*(lead or []), Spacer(1, p.size * 0.6), table])


def who_label(a: Applicant, label: str) -> str:
    """'Ông/Bà:' for a person; an organisation is not addressed as Ông/Bà."""
    return forms.ORGANISATION + ":" if a.organisation and label.startswith(forms.HONORIFIC) else label


def applicant_lines(data: SlipData, form: forms.Form, s: dict[str, ParagraphStyle],
                     with_id: bool = False) -> list[Flowable]:
    lb = form.labels
    a = data.applicant
    unit = f"{forms.DESK_SENTENCE} {data.agency.name}" if data.agency.name else forms.DESK_SENTENCE
    out: list[Flowable] = [para(t(lb["received_from"].format(unit=unit)), s["base"]),
           field_para(who_label(a, lb["applicant"]), a.name, s["indent"], bold=True)]
    if with_id and a.id_number:
        out.append(field_para(forms.TAX_CODE if a.organisation else lb["id_number"], a.id_number, s["indent"]))
    out.append(field_para(lb["address"], a.address, s["indent"]))
    contact = f"{t(lb['phone'])} {t(a.phone) or '……………'}&nbsp;&nbsp;&nbsp;&nbsp;{t(lb['email'])} {t(a.email) or '……………'}"
    out.append(para(contact, s["indent"]))
    return out


def procedure_line(data: SlipData, form: forms.Form, s: dict[str, ParagraphStyle]) -> Paragraph:
    lb = form.labels
    code = f" ({t(lb['procedure_code'])} {t(data.procedure_code)})" if data.procedure_code else ""
    return para(f"{t(lb['request'])} <b>{t(data.procedure_name)}</b>{code}", s["base"])


def component_table(data: SlipData, form: forms.Form, p: Paper, s: dict[str, ParagraphStyle],
                     components) -> Table:
    lb = form.labels
    w = p.frame_width
    # The form column is wide enough for its heading in two lines, not four.
    no_w, form_w, count_w = w * 0.07, w * 0.23, w * 0.11
    rows = [[para(t(lb["col_no"]), s["cell_h"]), para(t(lb["col_name"]), s["cell_h"]),
             para(t(lb["col_form"]), s["cell_h"]), para(t(lb["col_count"]), s["cell_h"])]]
    for i, c in enumerate(components, 1):
        forms_ = c.form_rows()
        rows.append([para(str(i), s["cell_c"]), para(t(c.name), s["cell"]),
                     para("<br/>".join(t(f) for f, _ in forms_), s["cell_c"]),
                     para("<br/>".join(t(n) for _, n in forms_), s["cell_c"])])
    table = Table(rows, colWidths=[no_w, w - no_w - form_w - count_w, form_w, count_w], repeatRows=1)
    table.setStyle(table_style(p, [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return table



def fee_text(data: SlipData, lb: dict[str, str]) -> str:
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


def missing_items(data: SlipData, s: dict[str, ParagraphStyle], style_key: str = "hang") -> list[Flowable]:
    out: list[Flowable] = []
    for i, c in enumerate(data.missing, 1):
        count = f" ({t(c.count_text())})" if c.count_text() else ""
        needs = f": {t(c.needs)}" if c.needs else "."
        out.append(para(f"{i}. <b>{t(c.name)}</b>{count}{needs}", s[style_key]))
    return out
