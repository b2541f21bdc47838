"""The one parser of dates and times a clerk types: 'YYYY-MM-DD' and 'YYYY-MM-DDTHH:MM'.

`datetime.fromisoformat` alone takes '2026-12-01' as midnight and '20261201T09' as 09:00: a dossier
would be back-dated to a time nobody typed. Every command and service reads user input through here.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .calendar import check_year
from .errors import UserError

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_MINUTE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", re.ASCII)


def parse_day(text: str | date, what: str = "") -> date:
    """'YYYY-MM-DD' (a date passes through); UserError naming `what` ('từ', 'đến'…) when wrong."""
    if isinstance(text, datetime):
        day = text.date()
    elif isinstance(text, date):
        day = text
    else:
        t = str(text).strip()
        try:
            if not _DAY.fullmatch(t):
                raise ValueError(t)
            day = date.fromisoformat(t)
        except ValueError:
            label = f"Ngày {what} '{text}'" if what else f"Ngày '{text}'"
            raise UserError(f"{label} không đúng dạng YYYY-MM-DD.",
                            f"{what + ' ' if what else ''}date {text!r} is not YYYY-MM-DD") from None
    check_year(day)
    return day


def parse_minute(text: str) -> datetime:
    """'YYYY-MM-DDTHH:MM' (a space instead of T is fine too), to the minute."""
    try:
        if not _MINUTE.fullmatch(text.strip()):
            raise ValueError(text)
        dt = datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise UserError(f"Thời điểm '{text}' không đúng dạng YYYY-MM-DDTHH:MM.",
                        f"time {text!r} is not YYYY-MM-DDTHH:MM") from None
    check_year(dt)
    return dt.replace(second=0, microsecond=0)


def parse_day_or_minute(text: str) -> date | datetime:
    """'YYYY-MM-DD' (a day) or 'YYYY-MM-DDTHH:MM' (a moment): a new appointment, for instance."""
    t = text.strip()
    if len(t) == 10:
        try:
            return parse_day(t)
        except UserError:
            raise UserError(f"Ngày '{text}' không đúng dạng YYYY-MM-DD[THH:MM].",
                            f"date {text!r} is not YYYY-MM-DD[THH:MM]") from None
    return parse_minute(t)
