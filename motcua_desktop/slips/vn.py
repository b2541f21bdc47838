"""Dates, times and amounts written the way Vietnamese official papers write them."""

from __future__ import annotations

from datetime import date, datetime


def _day(n: int) -> str:
    # Nghị định 30/2020 (văn bản hành chính): days below 10 and months 1, 2 take a leading zero.
    return f"{n:02d}"


def _month(n: int) -> str:
    return f"{n:02d}" if n <= 2 else str(n)


def date_text(d: date) -> str:
    """'ngày 23 tháng 11 năm 2026'."""
    return f"ngày {_day(d.day)} tháng {_month(d.month)} năm {d.year}"


def moment_text(dt: datetime) -> str:
    """'14 giờ 00 phút, ngày 23 tháng 11 năm 2026'."""
    return f"{dt.hour:02d} giờ {dt.minute:02d} phút, {date_text(dt.date())}"


def place_date(place: str, d: date | None) -> str:
    """'Xã Mẫu, ngày 23 tháng 11 năm 2026' (blank dots when the date is unknown)."""
    when = date_text(d) if d else "ngày …… tháng …… năm ……"
    return f"{place}, {when}" if place else when[0].upper() + when[1:]


def short_moment(dt: datetime) -> str:
    """'14:00 ngày 23/11/2026' for the narrow roll ticket."""
    return f"{dt.hour:02d}:{dt.minute:02d} ngày {dt.day:02d}/{dt.month:02d}/{dt.year}"


def money(amount: int) -> str:
    """8000 -> '8.000' (Vietnamese thousands separator is the dot)."""
    return f"{amount:,}".replace(",", ".")
