"""How the return desk says things: times, appointment states, a hand-over (plain text, no Qt)."""

from __future__ import annotations

from datetime import date, datetime

from ..services.dossiers import DossierView
from ..services.returns import QueueRow
from .fmt import WEEKDAYS

RATINGS = ("Không đánh giá", "1 – Rất không hài lòng", "2 – Không hài lòng", "3 – Bình thường",
           "4 – Hài lòng", "5 – Rất hài lòng")


def when(dt: datetime | None) -> str:
    """'09:00 Thứ Năm 10/12/2026' — how the desk says a time."""
    if dt is None:
        return "chưa xác định"
    return f"{dt:%H:%M} {WEEKDAYS[dt.weekday()]} {dt:%d/%m/%Y}"


def state_text(row: QueueRow, today: date, *, soon: bool) -> str:
    """The colour's words: a clerk with colour blindness (or a grey printout) reads the same thing."""
    if row.overdue and row.due_at is not None:
        days = (today - row.due_at.date()).days
        return f"Quá hẹn {days} ngày" if days else "Quá hẹn"
    if row.due_today:
        return "Hẹn hôm nay"
    return "Hẹn ngày làm việc tới" if soon else ""


def due_line(row: QueueRow, today: date, *, soon: bool) -> str:
    """The appointment in one short line under the code (the full time is in the tooltip): the state
    in words first when there is one, so the line stays no wider than the code itself."""
    due = row.due_at
    if due is None:
        return "Chưa có ngày hẹn"
    state = state_text(row, today, soon=soon)
    if row.overdue:
        return f"{state} · {due:%d/%m}" if due.date() != today else f"{state} · {due:%H:%M}"
    if row.due_today:
        return f"{state} · {due:%H:%M}"
    if state:  # the next working day (due-soon tab)
        return f"Ngày làm việc tới · {due:%H:%M}"
    return f"Hẹn {due:%H:%M %d/%m/%Y}"


def returned_text(v: DossierView) -> str:
    """'lúc 14:05 Thứ Năm 10/12/2026 cho Lê Thị Hoa (người được ủy quyền) — cán bộ trả: Trần Văn Trả'."""
    to = v.returned_to or {}
    who = to.get("name") or "người nhận"
    if to.get("kind") == "authorised":
        who += f" (người được ủy quyền{', ' + to['id_number'] if to.get('id_number') else ''})"
    return f"lúc {when(v.returned_at)} cho {who} — cán bộ trả: {v.returned_by or 'không rõ'}"
