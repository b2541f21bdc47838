"""The working-day calendar of this counter: overrides, import, listing, and due-date previews."""

from __future__ import annotations

from typing import Any

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..domain.accounts import Permission
from ..domain import due_dates, times
from ..domain.calendar import (KINDS, OFF, WORK, OverrideRow, WorkCalendar, check_year, holidays_of, parse_kind,
                               parse_overrides_csv)
from ..domain.limits import check_length, too_long
from ..domain.text import clean
from ..errors import UserError
from ..store import audit_repo, calendar_repo, settings_repo, sync_repo
from . import catalog
from .context import Context, iso

MAX_CSV_BYTES = 1_000_000


def make_calendar(ctx: Context) -> WorkCalendar:
    """The agency's calendar now: its office hours setting and every override in the store."""
    rows = calendar_repo.all_overrides(ctx.store)
    return WorkCalendar(
        overrides={date.fromisoformat(r["day"]): r["kind"] for r in rows},
        office_hours=settings_repo.get(ctx.store, "office_hours"),
        notes={date.fromisoformat(r["day"]): r["note"] for r in rows if r["note"]},
    )


def due_date(ctx: Context, procedure_code: str, received_at: datetime) -> datetime | None:
    """The appointment a complete dossier of this procedure received at `received_at` would get."""
    check_year(received_at)
    _, proc = catalog.procedure(ctx, procedure_code)
    return due_dates.due_at(proc.processing_time, received_at, make_calendar(ctx))


def parse_day(text: str) -> date:
    return times.parse_day(text)


def _kind(text: str) -> str:
    return parse_kind(text)


def set_day(ctx: Context, day: date, kind: str, note: str | None = None) -> None:
    """Record that `day` is off / a working day (an announcement the holidays package does not know)."""
    ctx.require(Permission.CALENDAR)
    kind = _kind(kind)
    check_year(day)
    note = check_length("calendar_note", clean(note)) if note else None
    at = iso(ctx.now())
    with ctx.store.transaction():
        calendar_repo.put(ctx.store, day, kind, note, at)
        audit_repo.record(ctx.store, at=at, actor=ctx.who(), action=f"calendar.{kind}", subject=day.isoformat(),
                          detail={"note": note})
        sync_repo.set_published(ctx.store, "calendar", source="local", label=f"{day.isoformat()} {kind}", at=at)


def add_day_off(ctx: Context, day: date, note: str | None = None) -> None:
    set_day(ctx, day, OFF, note)


def add_working_day(ctx: Context, day: date, note: str | None = None) -> None:
    set_day(ctx, day, WORK, note)


def remove_override(ctx: Context, day: date) -> bool:
    ctx.require(Permission.CALENDAR)
    at = iso(ctx.now())
    with ctx.store.transaction():
        removed = calendar_repo.delete(ctx.store, day)
        if removed:
            audit_repo.record(ctx.store, at=at, actor=ctx.who(), action="calendar.remove", subject=day.isoformat())
    return removed


def read_overrides_csv(path: Path) -> list[OverrideRow]:
    """Read `date,kind,note` rows (a header line is optional); UserError listing every bad line."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise UserError(f"Tệp {path.name} quá lớn.", f"{path} is too large")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"Không tìm thấy tệp {path}.", f"file not found: {path}") from None
    except (IsADirectoryError, PermissionError):
        raise UserError(f"Không đọc được tệp {path}.", f"cannot read {path}") from None
    except UnicodeDecodeError:
        raise UserError(f"Tệp {path.name} không phải văn bản UTF-8.", f"{path} is not UTF-8 text") from None
    rows, problems = parse_overrides_csv(text)
    if problems:
        shown = "\n".join(f"  - {p}" for p in problems[:100])
        raise UserError(f"Tệp {path.name} có {len(problems)} lỗi, chưa nhập gì:\n{shown}",
                        f"{path} has {len(problems)} problem(s); nothing was imported:\n{shown}")
    if not rows:
        raise UserError(f"Tệp {path.name} không có dòng nào.", f"{path} has no rows")
    return rows


def import_overrides(ctx: Context, path: Path) -> int:
    """Validate the whole CSV, then apply every row in one transaction (all or nothing)."""
    ctx.require(Permission.CALENDAR)
    rows = read_overrides_csv(path)
    at = iso(ctx.now())
    with ctx.store.transaction():
        for r in rows:
            calendar_repo.put(ctx.store, r.day, r.kind, r.note, at)
        audit_repo.record(ctx.store, at=at, actor=ctx.who(), action="calendar.import", subject=Path(path).name,
                          detail={"rows": len(rows)})
        sync_repo.set_published(ctx.store, "calendar", source="local", label=Path(path).name, at=at)
    return len(rows)


@dataclass(frozen=True)
class SpecialDay:
    """A day that differs from the Monday–Friday rule: a holiday, a make-up Saturday, or an override."""

    day: date
    kind: str  # "off" | "work"
    name: str
    source: str  # "holidays" | "override"

    def to_json(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "kind": self.kind, "name": self.name, "source": self.source}


def special_days(ctx: Context, year: int) -> list[SpecialDay]:
    """Holidays of the package and this counter's overrides in a year (an override replaces the package's day)."""
    year_h = holidays_of(year)
    days: dict[date, SpecialDay] = {d: SpecialDay(d, OFF, name, "holidays") for d, name in year_h.days_off.items()}
    for d in year_h.weekend_workdays:
        days[d] = SpecialDay(d, WORK, f"{'Thứ Bảy' if d.weekday() == 5 else 'Chủ nhật'} làm bù", "holidays")
    for r in calendar_repo.in_year(ctx.store, year):
        d = date.fromisoformat(r["day"])
        default = "Ngày nghỉ theo thông báo" if r["kind"] == OFF else "Ngày làm việc theo thông báo"
        days[d] = SpecialDay(d, r["kind"], r["note"] or default, "override")
    return [days[d] for d in sorted(days)]


def outside_hours_warning(ctx: Context, at: datetime | None = None) -> str | None:
    """A warning (never a refusal) when a dossier is received outside the agency's office hours, in the
    agency's time (Vietnam, whatever zone the PC's clock is set to); None within them."""
    at = at or ctx.now()
    cal = make_calendar(ctx)
    if cal.is_open(at):
        return None
    if not cal.is_working_day(at.date()):
        why = cal.reason(at.date()) or "ngày nghỉ"
        return (f"Lưu ý: hôm nay {at:%d/%m/%Y} không phải ngày làm việc ({why}). Hồ sơ vẫn được ghi lúc "
                f"{at:%H:%M} giờ Việt Nam; ngày hẹn tính từ ngày làm việc tiếp theo.")
    return (f"Lưu ý: bây giờ là {at:%H:%M} giờ Việt Nam, ngoài giờ làm việc "
            f"({settings_repo.get(ctx.store, 'office_hours')}). Hồ sơ vẫn được ghi; ngày hẹn tính từ giờ làm việc tiếp theo.")
