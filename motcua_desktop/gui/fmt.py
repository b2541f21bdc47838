"""Small Vietnamese display helpers shared by the views (no Qt)."""

from __future__ import annotations

import html
from datetime import datetime

from ..domain.catalog import CONFIRMED, Fee, ProcessingTime

AMBER = "#a85d00"
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def money(amount: int) -> str:
    """50000 -> '50.000 đồng' (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def unconfirmed_mark(status: str | None) -> str:
    """Plain-text mark for a number whose source is not confirmed ('' when confirmed or unknown)."""
    if status in (None, CONFIRMED):
        return ""
    if status == "single_secondary_source":
        return "(chưa xác nhận – một nguồn)"
    return "(chưa xác nhận)"


def unconfirmed_html(status: str | None) -> str:
    mark = unconfirmed_mark(status)
    return f' <span style="color:{AMBER}; font-weight:bold">{esc(mark)}</span>' if mark else ""


def fee_text(fee: Fee) -> str:
    if fee.amount_vnd is None:
        return "Chưa rõ mức thu"
    if fee.amount_vnd == 0:
        return "Không thu phí, lệ phí"
    return money(fee.amount_vnd)


def time_text(pt: ProcessingTime) -> str:
    return pt.label()


def moment(dt: datetime | None) -> str:
    """'14:00, Thứ Hai 23/11/2026' — how the counter says an appointment."""
    if dt is None:
        return "chưa xác định"
    return f"{dt:%H:%M}, {WEEKDAYS[dt.weekday()]} {dt:%d/%m/%Y}"
