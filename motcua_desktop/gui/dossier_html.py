"""The scanned dossier at the top of the return desk's panel, as rich text for a QLabel."""

from __future__ import annotations

from datetime import datetime

from ..domain.dossier import Status
from ..services import returns
from ..services.dossiers import DossierView
from .fmt import esc
from .return_wording import RATINGS, returned_text, when

CODE_PT = 14  # the dossier code atop the panel: the largest text there, and what sets the panel's width
EMPTY_HTML = ("<p style='color:#5a6673; font-size:11pt'>Quét mã trên phiếu hẹn của công dân "
              "để mở hồ sơ, hoặc chọn một dòng trong danh sách (Enter).</p>")


def clerk_phrase(name: str) -> str:
    """'cán bộ Nguyễn Thị Lan'; a name that already says it (the default 'Cán bộ tiếp nhận') as it is."""
    return name if name.casefold().startswith("cán bộ") else f"cán bộ {name}"


def detail_html(v: DossierView, now: datetime, show_id=None) -> str:
    """Code, status and the facts a clerk reads out; lateness counted at `now`. `show_id`: how the
    identity number is shown (the register masks it for an account without Permission.FULL_IDS)."""
    a = v.applicant
    id_number = show_id(a.id_number) if show_id and a.id_number else a.id_number
    colour = {Status.RESULT_READY: "#1f6f43", Status.RETURNED: "#3b4855", Status.VOIDED: "#8a1c14",
              Status.SUPPLEMENT_REQUESTED: "#7a4b00"}.get(v.status, "#14304f")
    rows: list[tuple[str, str]] = [
        ("Người nộp", a.name + (f" · {(a.id_kind or '').upper()} {id_number}" if a.id_number else "")),
    ]
    if a.phone:
        rows.append(("Điện thoại", a.phone))
    rows.append(("Thủ tục", v.procedure.name))
    if v.received_at:
        rows.append(("Tiếp nhận", when(v.received_at) + (f" — {clerk_phrase(v.clerk)}" if v.clerk else "")))
    due = when(v.due_at)
    if v.original_due_at and v.due_at and v.original_due_at != v.due_at:
        due += f" (hẹn ban đầu {when(v.original_due_at)}; đã xin lỗi {v.apology_count} lần)"
    rows.append(("Hẹn trả", due))
    if v.due_at and v.status in (*returns.WORKING, Status.RESULT_READY) and v.due_at < now:
        days = (now.date() - v.due_at.date()).days
        late = f"Quá hẹn {days} ngày" if days else f"Quá hẹn (hẹn {v.due_at:%H:%M} hôm nay)"
        rows.append(("", f"<b style='color:#8a1c14'>{esc(late)}</b>"))
    if v.result_ready_at:
        rows.append(("Có kết quả", when(v.result_ready_at)))
    if v.returned_at:
        rows.append(("Đã trả", returned_text(v).removeprefix("lúc ")))
        if v.rating:
            rows.append(("Hài lòng", RATINGS[v.rating]))
    body = "".join(
        f"<tr><td style='color:#5a6673; padding:2px 10px 2px 0'>{esc(k)}</td>"
        f"<td style='padding:2px 0'>{v_ if k == '' else esc(v_)}</td></tr>" for k, v_ in rows)
    return (f"<div style='font-size:{CODE_PT}pt; font-weight:bold; color:#14304f'>{esc(v.code)}</div>"
            f"<div style='font-size:12pt; font-weight:bold; color:{colour}; padding:2px 0 6px 0'>"
            f"{esc(v.status.label)}</div><table style='font-size:10.5pt'>{body}</table>")


EVENT_LABELS = {
    "intake": "Tiếp nhận lần đầu", "supplement": "Bổ sung hồ sơ", "refuse": "Từ chối tiếp nhận",
    "withdraw": "Công dân rút hồ sơ", "forward": "Chuyển xử lý", "result_ready": "Có kết quả",
    "stop": "Dừng xử lý", "return": "Trả kết quả", "apologise": "Xin lỗi, hẹn lại",
    "hub_status": "Cơ quan giải quyết cập nhật", "correct": "Sửa thông tin người nộp", "void": "Hủy hồ sơ nhập nhầm",
}
_FIELD_LABELS = {"applicant_name": "họ tên", "id_number": "số giấy tờ", "id_kind": "loại giấy tờ",
                 "phone": "điện thoại", "address": "địa chỉ"}


def _event_detail(e, show_id) -> str:
    p = e.payload
    if e.type == "intake":
        return Status(p["status"]).label if p.get("status") in {s.value for s in Status} else ""
    if e.type == "correct":
        old, new = p.get("old") or {}, p.get("new") or {}
        shown = show_id if callable(show_id) else (lambda x: x)
        parts = []
        for k in new:
            was, now = old.get(k), new.get(k)
            if k == "id_number":
                was, now = shown(was), shown(now)
            parts.append(f"{_FIELD_LABELS.get(k, k)}: {was or '—'} → {now or '—'}")
        return "; ".join(parts) + (f" (lý do: {p['reason']})" if p.get("reason") else "")
    if e.type == "apologise":
        return f"hẹn mới {p.get('new_due_at', '')[:16].replace('T', ' ')}; {p.get('reason') or ''}"
    if e.type == "forward" and p.get("to"):
        return f"tới {p['to']}"
    return p.get("reason") or p.get("note") or ""


def history_html(v: DossierView, show_id=None) -> str:
    """The dossier's history, oldest first: when, what, who (and the reason or the values changed)."""
    rows = "".join(
        f"<tr><td style='color:#5a6673; padding:1px 8px 1px 0; white-space:nowrap'>{e.at:%H:%M %d/%m/%Y}</td>"
        f"<td style='padding:1px 0'><b>{esc(EVENT_LABELS.get(e.type, e.type))}</b> — {esc(e.actor)}"
        + (f"<br><span style='color:#3b4855'>{esc(_event_detail(e, show_id))}</span>"
           if _event_detail(e, show_id) else "") + "</td></tr>"
        for e in v.events)
    return (f"<div style='font-size:11pt; font-weight:bold; color:#14304f; padding-top:6px'>Lịch sử hồ sơ</div>"
            f"<table style='font-size:10pt'>{rows}</table>")
