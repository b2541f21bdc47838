"""The 80 mm roll ticket: one narrow page as tall as its content, the Code128 running down the roll."""

from __future__ import annotations

import io

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer, Table

from ..errors import UserError
from . import barcodes, forms, vn
from .model import SlipData
from .blocks import fee_text, missing_items, table_style, who_label
from .official import refund_text, stage_text
from .layout import Rule, field_para, fit_size, moment, numbered_canvas, para, t
from .papers import Paper, styles



def _ticket_story(kind: str, data: SlipData, p: Paper) -> list[Flowable]:
    form = forms.form(kind)
    lb = form.labels
    s = styles(p)
    w = p.frame_width
    out: list[Flowable] = []
    if data.agency.parent:
        out.append(para(t(data.agency.parent.upper()), s["center"]))
    out.append(para(t(data.agency.name.upper()), s["center_b"]))
    desk = fit_size(forms.DESK, f"{p.font}-Bold", p.size, w)
    out.append(para(t(forms.DESK), ParagraphStyle("desk", parent=s["center_b"], fontSize=desk)))
    out.append(Rule(w * 0.4))
    title = lb.get("ticket_title", form.title)
    out.append(para(t(title), s["title"]))
    if form.form_no:
        out.append(para(t(form.form_no), s["center"]))

    # Code: the Code128 runs down the roll (see barcodes.py); the QR, code and key times beside it.
    bar = barcodes.Rotated(barcodes.code128(data.code, p.bar_height))
    side_w = w - bar.width - 2 * mm
    side: list[Flowable] = [barcodes.qr(data.code, min(p.qr_size, side_w)), Spacer(1, 2 * mm),
                            para(t(forms.CODE), s["center"]),
                            para(f"<b>{t(data.code)}</b>", ParagraphStyle("code", parent=s["center_b"],
                                                                        fontSize=fit_size(data.code, f"{p.font}-Bold", p.size * 1.1, side_w)))]
    if kind == "receipt":
        side += [Spacer(1, 2 * mm), para(t(lb["ticket_received"]), s["center"]),
                 para(t(vn.short_moment(data.received_at)) if data.received_at else "", s["center"]),
                 Spacer(1, 2 * mm), para(t(lb["ticket_due"]), s["center"]),
                 para(t(vn.short_moment(data.due_at)) if data.due_at else t(forms.UNKNOWN_DUE), s["big"])]
    elif kind == "apology":
        side += [Spacer(1, 2 * mm), para(t(lb["ticket_new_due"]), s["center"]),
                 para(t(vn.short_moment(data.new_due_at)) if data.new_due_at else "……", s["big"])]
    code_table = Table([[bar, side]], colWidths=[bar.width + 2 * mm, side_w])
    code_table.setStyle(table_style(p, [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                    ("ALIGN", (1, 0), (1, 0), "CENTER"),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    out.append(code_table)
    out.append(Rule(w))
    if data.replaces:
        out.append(para(f"<i>{t(data.replaces)}</i>", s["base"]))
    out.append(field_para(who_label(data.applicant, forms.HONORIFIC + ":"), data.applicant.name, s["base"], bold=True))
    proc = data.procedure_name + (f" ({data.procedure_code})" if data.procedure_code else "")
    out.append(field_para(forms.TICKET["procedure"], proc, s["base"]))
    if kind == "receipt":
        out.append(para(f"{t(lb['ticket_due'])} <b>{t(moment(data.due_at, forms.UNKNOWN_DUE))}</b>", s["base"]))
        fee = fee_text(data, lb)
        if fee:
            out.append(field_para(lb["ticket_fee"], fee, s["base"]))
        if data.delivery == "post":
            out.append(field_para(lb["ticket_delivery"], lb["delivery_post"].format(
                address=data.delivery_address or data.applicant.address or "……"), s["base"]))
        out.append(para(f"<i>{t(lb['ticket_bring'])}</i>", s["base"]))
    elif kind == "supplement":
        out.append(para(f"<b>{t(lb['intro'])}</b>", s["base"]))
        out += missing_items(data, s)
        if data.supplement_note:
            out.append(field_para(lb["reason"], data.supplement_note, s["base"]))
    elif kind == "refusal":
        out.append(field_para(lb["ticket_reason"], data.refusal_reason, s["base"], bold=True))
    elif kind == "apology":
        out.append(field_para(lb["ticket_original_due"], moment(data.original_due_at or data.due_at), s["base"]))
        if data.extension_no > 1:
            out.append(para(f"<b>{t(lb['ticket_extension'].format(n=data.extension_no))}</b>", s["base"]))
        out.append(field_para(lb["ticket_reason"], data.apology_reason, s["base"]))
        out.append(para(f"{t(lb['ticket_new_due'])} <b>{t(moment(data.new_due_at))}</b>", s["base"]))
    elif kind == "stop":
        out.append(field_para(lb["ticket_reason"], data.stop_reason, s["base"], bold=True))
        out.append(field_para(lb["ticket_stage"], stage_text(data, lb), s["base"]))
        fee = fee_text(data, lb)
        if fee:
            out.append(field_para(lb["ticket_fee"], fee, s["base"]))
        if data.fee_amount or data.fee_refund is not None:
            out.append(field_para(lb["refund"], refund_text(data, lb), s["base"]))
    out.append(Rule(w * 0.4))
    out.append(para(f"<i>{t(vn.place_date(data.agency.place, data.issue_date()))}</i>", s["center"]))
    if data.clerk_name:
        out.append(para(f"{t(forms.TICKET['clerk'])} {t(data.clerk_name)}", s["center"]))
    if data.agency.phone:
        out.append(para(f"{t(forms.TICKET['phone'])} {t(data.agency.phone)}", s["center"]))
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


def ticket(kind: str, data: SlipData, p: Paper) -> bytes:
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
    doc.build(_ticket_story(kind, data, p), canvasmaker=numbered_canvas(data.code, p))
    return buf.getvalue()
