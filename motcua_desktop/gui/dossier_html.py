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


def detail_html(v: DossierView, now: datetime) -> str:
    """Code, status and the facts a clerk reads out; lateness counted at `now`."""
    a = v.applicant
    colour = {Status.RESULT_READY: "#1f6f43", Status.RETURNED: "#3b4855",
              Status.SUPPLEMENT_REQUESTED: "#7a4b00"}.get(v.status, "#14304f")
    rows: list[tuple[str, str]] = [
        ("Người nộp", a.name + (f" · {(a.id_kind or '').upper()} {a.id_number}" if a.id_number else "")),
    ]
    if a.phone:
        rows.append(("Điện thoại", a.phone))
    rows.append(("Thủ tục", v.procedure.name))
    if v.received_at:
        rows.append(("Tiếp nhận", when(v.received_at) + (f" — cán bộ {v.clerk}" if v.clerk else "")))
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
