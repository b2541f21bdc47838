"""Sổ hồ sơ: every dossier of this counter, newest first, found by what a citizen on the phone knows —
the code (whole, or its last digits), their name without diacritics, identity number, phone — and by
procedure, status and period.

Identity numbers are masked in the list unless the account may see them whole (Permission.FULL_IDS).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from ..domain.accounts import Permission
from ..domain.applicant import normalize_phone
from ..domain.calendar import check_year
from ..domain.codes import parse_code
from ..domain.dossier import Status
from ..domain.privacy import mask_number
from ..domain.text import ascii_upper, clean, fold
from ..errors import UserError
from ..store import register_repo
from .context import Context, iso

PAGE = 50
MAX_LIMIT = 1000
MAX_TEXT = 100


@dataclass(frozen=True)
class RegisterRow:
    code: str
    status: Status
    procedure_code: str
    procedure: str  # the procedure's name in the catalogue (its code when the catalogue lost it)
    applicant: str
    id_number: str | None  # masked unless the account may see it whole
    phone: str | None
    first_contact_at: datetime
    received_at: datetime | None
    due_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        """The `motcua dossiers --json` item."""
        return {"code": self.code, "status": self.status.value, "procedure": self.procedure,
                "procedure_code": self.procedure_code, "applicant": self.applicant,
                "received_at": _hhmm(self.received_at), "first_contact_at": _hhmm(self.first_contact_at),
                "due_at": _hhmm(self.due_at)}


@dataclass(frozen=True)
class RegisterPage:
    rows: tuple[RegisterRow, ...]
    offset: int
    limit: int
    has_more: bool  # another page follows


def _hhmm(dt: datetime | None) -> str | None:
    return dt.strftime("%Y-%m-%dT%H:%M") if dt else None


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _day(value: date | datetime | str | None, what: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise UserError(f"Ngày {what} '{value}' không đúng dạng YYYY-MM-DD.",
                            f"{what} date {value!r} is not YYYY-MM-DD") from None
    if isinstance(value, datetime):
        value = value.date()
    check_year(value)
    return value


_DIGITS_ONLY = re.compile(r"^\+?[\d\s.\-()]+$")
_ID_LIKE = re.compile(r"^[A-Z]{0,2}\d{6,12}$", re.ASCII)


def filters_for(text: str | None, *, statuses: tuple[str, ...] = (), procedure_code: str | None = None,
                date_from: date | None = None, date_to: date | None = None) -> register_repo.Filters:
    """What a typed search means: a dossier code; digits (an identity or phone number, or the code's
    last digits: '1004', '260305-1004'); a passport number; otherwise the start of the applicant's name,
    with or without diacritics ('nguyen van a' finds 'Nguyễn Văn A')."""
    t = unicodedata.normalize("NFKC", clean(text or ""))[:MAX_TEXT]
    base: dict[str, Any] = {
        "statuses": statuses, "procedure_code": procedure_code,
        "first_from": iso(datetime.combine(date_from, time())) if date_from else None,
        "first_before": iso(datetime.combine(date_to + timedelta(days=1), time())) if date_to else None,
    }
    if not t:
        return register_repo.Filters(**base)
    code = parse_code(t)
    if code is not None:
        return register_repo.Filters(code=str(code), **base)
    if re.fullmatch(r"\d{6}-\d{4}", t):
        return register_repo.Filters(digits=t.replace("-", ""), **base)
    if _DIGITS_ONLY.match(t):
        digits = re.sub(r"\D", "", t)
        phone = normalize_phone(t)
        return register_repo.Filters(digits=digits, id_number=digits if len(digits) > 4 else None,
                                     phone=phone if len(phone) >= 9 else None, **base)
    upper = ascii_upper(t.replace(" ", ""))
    if _ID_LIKE.match(upper):
        return register_repo.Filters(id_number=upper, **base)
    name = " ".join(fold(t).split())
    # One word may be the given name ('binh' finds 'Trần Văn Bình'); more are the name from its start.
    return register_repo.Filters(name_prefix=name, given_prefix=name if " " not in name else None, **base)


def _status(value: Status | str) -> str:
    try:
        return Status(str(value).strip().lower()).value
    except ValueError:
        names = ", ".join(s.value for s in Status)
        raise UserError(f"Trạng thái '{value}' không có ({names}).", f"status {value!r} must be one of {names}") from None


def find(ctx: Context, text: str | None = None, *, status: Status | str | None = None,
         procedure_code: str | None = None, date_from: date | datetime | str | None = None,
         date_to: date | datetime | str | None = None, limit: int = PAGE, offset: int = 0) -> RegisterPage:
    """A page of the register, newest first contact first. `date_from`/`date_to`: first contact on those
    days (inclusive)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise UserError(f"Số dòng mỗi trang phải từ 1 đến {MAX_LIMIT}.", f"limit must be 1-{MAX_LIMIT}")
    if offset < 0:
        raise UserError("Vị trí trang không hợp lệ.", "offset must not be negative")
    start, end = _day(date_from, "từ"), _day(date_to, "đến")
    if start and end and end < start:
        raise UserError(f"Ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}.",
                        "the period ends before it starts")
    statuses = (_status(status),) if status else ()
    proc = clean(procedure_code or "") or None
    f = filters_for(text, statuses=statuses, procedure_code=proc, date_from=start, date_to=end)
    found = register_repo.find(ctx.store, f, limit=limit + 1, offset=offset)
    full = ctx.may(Permission.FULL_IDS)
    rows = tuple(_row(r, full) for r in found[:limit])
    return RegisterPage(rows=rows, offset=offset, limit=limit, has_more=len(found) > limit)


def today(ctx: Context, limit: int = PAGE) -> RegisterPage:
    """Dossiers first seen at the counter today (the agency's day)."""
    day = ctx.now().date()
    return find(ctx, date_from=day, date_to=day, limit=limit)


def shown_id(number: str | None, full: bool) -> str | None:
    if not number:
        return None
    return number if full else mask_number(number)


def _row(r: dict[str, Any], full: bool) -> RegisterRow:
    return RegisterRow(code=r["code"], status=Status(r["status"]), procedure_code=r["procedure_code"],
                       procedure=r["procedure_name"] or r["procedure_code"], applicant=r["applicant_name"],
                       id_number=shown_id(r["id_number"], full), phone=r["phone"],
                       first_contact_at=datetime.fromisoformat(r["first_contact_at"]),
                       received_at=_dt(r["received_at"]), due_at=_dt(r["due_at"]))
