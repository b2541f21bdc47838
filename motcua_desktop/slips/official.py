"""The official A4/A5 forms (receipt, supplement, refusal, apology, stop, control): one page per copy (liên)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import io

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Spacer, Table

from . import forms, vn
from .model import ControlRow, SlipData
from .blocks import (applicant_lines, code_block, component_table, fee_text, header, missing_items, procedure_line,
                     signatures, table_style)
from .layout import Section, field_para, moment, nfc, numbered_canvas, para, t
from .papers import Paper, styles



def _receipt(data: SlipData, form: forms.Form, p: Paper, s) -> list[Flowable]:
    lb = form.labels
    out = applicant_lines(data, form, s, with_id=True)
    out.append(procedure_line(data, form, s))
    if data.channel != "direct":
        out.append(field_para(lb["channel"], forms.CHANNEL.get(data.channel, data.channel), s["base"]))
    out.append(para(t(lb["components"]), s["base"]))
    out.append(component_table(data, form, p, s, data.provided_components or data.components))
    out.append(Spacer(1, p.size * 0.4))
    # Items 2-7 and the book line go with the signatures: a copy too long for one sheet breaks after
    # the table, and its second page is the end of the form, not a signature block alone.
    tail = [para(t(lb["sets"].format(sets=data.sets)), s["base"]),
            field_para(lb["processing_time"], data.processing_time, s["base"]),
            field_para(lb["received_at"], moment(data.received_at), s["base"], bold=True),
            field_para(lb["due_at"], moment(data.due_at, forms.UNKNOWN_DUE), s["base"], bold=True)]
    if data.delivery == "post":
        where = lb["delivery_post"].format(address=data.delivery_address or data.applicant.address or "……")
    else:
        where = forms.DELIVERY["counter"] + (f" — {data.agency.name}" if data.agency.name else "")
    tail += [field_para(lb["delivery"], where, s["base"]),
             field_para(lb["fee"], fee_text(data, lb), s["base"]),
             para(t(lb["book"].format(volume=data.book_volume or "……", number=data.book_number or "……")),
                s["base"])]
    out.append(signatures((lb["sign_left"], forms.SIGN_HINT, data.applicant.name),
                           (lb["sign_right"], forms.SIGN_HINT, data.clerk_name), p, s, lead=tail))
    return out



def _supplement(data: SlipData, form: forms.Form, p: Paper, s) -> list[Flowable]:
    lb = form.labels
    out = applicant_lines(data, form, s)
    out.append(procedure_line(data, form, s))
    out.append(para(f"<b>{t(lb['intro'])}</b>", s["base"]))
    out += missing_items(data, s)
    if data.supplement_note:
        out.append(field_para(lb["reason"], data.supplement_note, s["base"]))
    you = forms.you(data.applicant.organisation)
    out.append(para(t(lb["once"].format(you=you)), s["just"]))
    clerk = data.clerk_name or forms.DEFAULT_CLERK
    if data.agency.phone:
        help_text = lb["help"].format(clerk=clerk, phone=data.agency.phone, you=you)
    else:
        help_text = lb["help_no_phone"].format(clerk=clerk, unit=forms.DESK_SENTENCE, you=you)
    out.append(para(t(help_text), s["just"]))
    tail = [field_para(lb["guided_at"], moment(data.issued_at or data.received_at), s["base"])]
    out.append(signatures((lb["sign_left"], forms.SIGN_HINT, data.applicant.name),
                           (lb["sign_right"], forms.SIGN_HINT, data.clerk_name), p, s, lead=tail))
    return out


def _refusal(data: SlipData, form: forms.Form, p: Paper, s) -> list[Flowable]:
    lb = form.labels
    out = applicant_lines(data, form, s)
    out.append(procedure_line(data, form, s))
    unit = forms.DESK_SENTENCE
    out.append(para(t(lb["intro"].format(unit=unit)), s["just"]))
    out.append(para(f"<b>{t(data.refusal_reason) or '……………………………………'}</b>", s["indent"]))
    inform = para(t(lb["inform"].format(you=forms.you(data.applicant.organisation))), s["base"])
    out.append(signatures((lb["sign_left"], forms.SIGN_HINT, data.applicant.name),
                           (lb["sign_right"], forms.SIGN_HINT, data.clerk_name), p, s, lead=[inform]))
    return out


def _addressed(data: SlipData, lb: dict[str, str], p: Paper, s) -> tuple[list[Flowable], str, str]:
    """'Kính gửi: Ông/Bà …' and 'Ngày …, <agency> tiếp nhận …' (apology and stop notice)."""
    agency = data.agency.name or forms.DESK_SENTENCE
    received = vn.date_text(data.received_at.date()) if data.received_at else forms.BLANK_DATE
    received = received.removeprefix("ngày ")
    honorific = "" if data.applicant.organisation else forms.HONORIFIC + " "
    you = forms.you(data.applicant.organisation)
    out: list[Flowable] = [para(f"{t(lb['to'])} <b>{t(honorific)}{t(data.applicant.name)}</b>",
              ParagraphStyle("to", parent=s["center"], spaceAfter=p.size * 0.6)),
           para(t(lb["received"].format(received=received, agency=agency, procedure=data.procedure_name,
                                        you=you)), s["just"]),
           para(f"{t(lb['code'])} <b>{t(data.code)}</b>", s["base"])]
    return out, agency, you


def _apology(data: SlipData, form: forms.Form, p: Paper, s) -> list[Flowable]:
    lb = form.labels
    out, agency, you = _addressed(data, lb, p, s)
    original = data.original_due_at or data.due_at
    out.append(field_para(lb["original_due"], moment(original), s["base"], bold=True))
    if data.extension_no > 1:  # a second extension of the same dossier is shown as such
        previous = data.previous_due_at or original
        out.append(field_para(lb["previous_due"], moment(previous), s["base"], bold=True))
        out.append(para(f"<b>{t(lb['extension'].format(n=data.extension_no))}</b>", s["base"]))
    out.append(para(t(lb["late"].format(agency=agency, you=you)), s["just"]))
    out.append(para(f"<b>{t(data.apology_reason) or '……………………………………'}</b>", s["indent"]))
    out.append(para(t(lb["sorry"].format(agency=agency, you=you)), s["just"]))
    out.append(para(f"<b>{t(moment(data.new_due_at))}</b>", s["indent"]))
    head = data.head_title or lb["sign_right"]
    thanks = para(t(lb["thanks"].format(you=you)), s["base"])
    out.append(signatures(None, (head, forms.SIGN_HINT_SEAL, ""), p, s, lead=[thanks]))
    return out


def stage_text(data: SlipData, lb: dict[str, str]) -> str:
    """Where the dossier had got to when processing stopped."""
    if data.forwarded_to:
        return lb["stage_forwarded"].format(processing=data.forwarded_to)
    unit = f"{forms.DESK_SENTENCE} {data.agency.name}" if data.agency.name else forms.DESK_SENTENCE
    return lb["stage_counter"].format(unit=unit)


def refund_text(data: SlipData, lb: dict[str, str]) -> str:
    if data.fee_refund is None:
        return lb["refund_unknown"]
    return lb["refund_yes"] if data.fee_refund else lb["refund_no"]


def _stop(data: SlipData, form: forms.Form, p: Paper, s) -> list[Flowable]:
    lb = form.labels
    out, agency, you = _addressed(data, lb, p, s)
    out.append(field_para(lb["original_due"], moment(data.due_at, forms.UNKNOWN_DUE), s["base"]))
    out.append(para(t(lb["intro"].format(agency=agency, you=you)), s["just"]))
    out.append(para(f"<b>{t(data.stop_reason) or '……………………………………'}</b>", s["indent"]))
    out.append(field_para(lb["stage"], stage_text(data, lb), s["base"]))
    out.append(field_para(lb["stopped_at"], moment(data.stopped_at), s["base"], bold=True))
    fee = fee_text(data, lb)
    out.append(field_para(lb["fee"], fee, s["base"]))
    if data.fee_amount or data.fee_refund is not None:  # nothing paid, nothing to refund
        out.append(field_para(lb["refund"], refund_text(data, lb), s["base"], bold=True))
    head = data.head_title or lb["sign_right"]
    inform = para(t(lb["inform"].format(you=you)), s["base"])
    out.append(signatures(None, (head, forms.SIGN_HINT_SEAL, ""), p, s, lead=[inform]))
    return out


def _control(data: SlipData, form: forms.Form, p: Paper, s) -> list[Flowable]:
    lb = form.labels
    processing = data.processing_agency or forms.DEFAULT_PROCESSING_AGENCY
    coordinating = data.coordinating_agencies or forms.DEFAULT_COORDINATING_AGENCY
    out = [field_para(lb["applicant"], data.applicant.name, s["base"], bold=True),
           procedure_line(data, form, s),
           field_para(lb["received_at"], moment(data.received_at), s["base"]),
           field_para(lb["due_at"], moment(data.due_at, forms.UNKNOWN_DUE), s["base"]),
           field_para(lb["processing_agency"], processing, s["base"]),
           field_para(lb["coordinating"], data.coordinating_agencies, s["base"]),
           Spacer(1, p.size * 0.4)]
    rows_data = data.control_rows or tuple(
        _blank_row(step.format(processing=processing, coordinating=coordinating))
        for step in forms.DEFAULT_CONTROL_STEPS)
    w = p.frame_width
    # The note column holds "Đã xin lỗi, hẹn lại 15/12/2026": wide enough for the date as one word,
    # and a date is never split inside (splitLongWords off: "15/" and "12/2026" on two lines misread).
    widths = [w * 0.25, w * 0.31, w * 0.19, w * 0.25]
    note_style = ParagraphStyle("cell_note", parent=s["cell"], splitLongWords=0)
    rows: list[list[Any]] = [[para(t(lb[k]), s["cell_h"]) for k in ("col_step", "col_at", "col_result", "col_note")]]
    for r in rows_data:
        # A narrow cell: the moment may wrap anywhere between words (never inside one).
        when = vn.moment_text(r.at) if r.at else forms.BLANK_MOMENT
        signs = Table([[para(t(lb["giver"]), s["cell_c"]), para(t(lb["taker"]), s["cell_c"])]],
                      colWidths=[widths[1] / 2 - 3] * 2, rowHeights=[p.size * 4.2])
        signs.setStyle(table_style(p, [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        rows.append([para(t(r.step), s["cell"]), [para(t(when), s["cell_c"]), signs],
                     para(t(r.result), s["cell_c"]), para(t(r.note), note_style)])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(table_style(p, [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("VALIGN", (0, 0), (-1, 0), "MIDDLE")]))
    out.append(table)
    return out


def _form_no(form: forms.Form, p: Paper) -> Callable[[Any, Any], None]:
    """'Mẫu số 01' in the top margin above the header's right-hand corner (no room taken from the
    body: a receipt that fits one sheet per copy still does)."""
    text = nfc(form.form_no)
    assert p.height is not None  # the official forms are cut sheets (A4, A5), never the roll
    top = p.height - p.top + 1

    def draw(canvas: Any, doc: Any) -> None:
        if not text:
            return
        canvas.saveState()
        canvas.setFont(f"{p.font}-Bold", p.header_size)
        canvas.drawRightString(p.width - p.right, top, text)
        canvas.restoreState()
    return draw


def _blank_row(step: str) -> ControlRow:
    return ControlRow(step=step)


_BODIES = {"receipt": _receipt, "supplement": _supplement, "refusal": _refusal, "apology": _apology,
           "stop": _stop, "control": _control}


def official(kind: str, data: SlipData, p: Paper) -> bytes:
    form = forms.form(kind)
    s = styles(p)
    story: list[Flowable] = []
    for index, copy_note in enumerate(form.copies):
        if index:
            story.append(PageBreak())
        story.append(Section(index))
        story.append(header(data, form, p, s))
        story.append(Spacer(1, p.size * 0.6))
        story.append(para(t(form.title), s["title"]))
        story.append(code_block(data, p, s, copy_note))
        if data.replaces:
            story.append(para(f"<i>{t(data.replaces)}</i>", s["base"]))
        story.append(Spacer(1, p.size * 0.5))
        story += _BODIES[kind](data, form, p, s)
    buf = io.BytesIO()
    assert p.height is not None  # A4 or A5: the roll is slips/ticket.py
    doc = BaseDocTemplate(buf, pagesize=(p.width, p.height), leftMargin=p.left, rightMargin=p.right,
                          topMargin=p.top, bottomMargin=p.bottom, title=f"{form.name} — {data.code}",
                          author=data.agency.name, subject=data.code, creator="motcua-desktop")
    frame = Frame(p.left, p.bottom, p.frame_width, p.height - p.top - p.bottom, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_form_no(form, p))])
    doc.build(story, canvasmaker=numbered_canvas(data.code, p))
    return buf.getvalue()
