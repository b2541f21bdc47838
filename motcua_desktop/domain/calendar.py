"""The agency's working-day calendar: Monday–Friday, minus public holidays, plus make-up Saturdays.

Public holidays, compensatory days, swaps and make-up Saturdays come from the `holidays` package
(country VN), which knows the announced swaps up to its release (e.g. 2026: Saturday 22 Aug worked,
Monday 31 Aug off). The government can still announce days after a release, so a local override table
({date: "off" | "work"}) wins over the package. Office hours are the agency's setting
("07:30-11:30,13:30-17:00").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from .errors import UserError

OFF = "off"
WORK = "work"
KINDS = (OFF, WORK)
DEFAULT_OFFICE_HOURS = "07:30-11:30,13:30-17:00"
_WEEKDAY_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
# A guard against a corrupt override table turning every day off (an endless search for a working day).
_MAX_SCAN_DAYS = 3660
# Dossier codes carry the day as YYMMDD, so only 2000–2099 can be told apart; a date outside that
# window typed at a counter is a slip of the keyboard (and year 9999 would overflow date arithmetic).
FIRST_YEAR, LAST_YEAR = 2000, 2099


def check_year(day: date | datetime) -> None:
    """Refuse a date outside the years the counter can number dossiers in."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise UserError(f"Năm {day.year} không hợp lệ (từ {FIRST_YEAR} đến {LAST_YEAR}).",
                        f"year {day.year} out of range {FIRST_YEAR}-{LAST_YEAR}")


@dataclass(frozen=True)
class YearHolidays:
    """What the holidays package says about one year: days off with their names, and worked weekend days."""

    days_off: Mapping[date, str]
    weekend_workdays: frozenset[date]


@lru_cache(maxsize=64)
def holidays_of(year: int) -> YearHolidays:
    """Vietnamese public holidays of a year (names in Vietnamese), computed once per process."""
    import holidays  # ~50-100 ms of imports: paid by the first due date, not by every start of the window

    vn = holidays.country_holidays("VN", years=year, language="vi")
    days_off = {d: name for d, name in vn.items() if d.year == year}
    # weekend_workdays accumulates every year the package knows of: keep this year's only.
    workdays = frozenset(d for d in getattr(vn, "weekend_workdays", ()) if d.year == year)
    return YearHolidays(days_off, workdays)


@dataclass(frozen=True)
class OfficeHours:
    """Opening spans of a working day, in order, e.g. ((07:30, 11:30), (13:30, 17:00))."""

    spans: tuple[tuple[time, time], ...]

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        spans: list[tuple[time, time]] = []
        try:
            for part in str(text).replace(" ", "").split(","):
                if not part:
                    continue
                start, end = part.split("-")
                spans.append((time.fromisoformat(start), time.fromisoformat(end)))
        except ValueError:
            spans = []
        ordered = all(a < b for a, b in spans) and all(
            spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
        if not spans or not ordered:
            raise UserError(f"Giờ làm việc '{text}' không hợp lệ (ví dụ 07:30-11:30,13:30-17:00).",
                            f"office hours {text!r} invalid (e.g. 07:30-11:30,13:30-17:00)")
        return cls(tuple(spans))

    @property
    def opening(self) -> time:
        return self.spans[0][0]

    @property
    def closing(self) -> time:
        return self.spans[-1][1]

    def contains(self, t: time) -> bool:
        """Open at t: start <= t < end of a span (at 17:00 sharp the counter has closed)."""
        return any(start <= t < end for start, end in self.spans)

    def next_opening_after(self, t: time) -> time | None:
        """The first span start later than t on the same day, if any (e.g. 13:30 during lunch)."""
        for start, _ in self.spans:
            if start > t:
                return start
        return None

    def __str__(self) -> str:
        return ",".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in self.spans)


@dataclass(frozen=True)
class DayInfo:
    day: date
    working: bool
    reason: str | None  # why it is off (or why a weekend day is worked); None for an ordinary weekday
    source: str  # "weekday" | "weekend" | "holidays" | "override"


class WorkCalendar:
    """Working days and office hours of one agency. Pure: the caller supplies the overrides."""

    def __init__(self, overrides: Mapping[date, str] | None = None,
                 office_hours: OfficeHours | str = DEFAULT_OFFICE_HOURS,
                 notes: Mapping[date, str] | None = None) -> None:
        self.overrides: dict[date, str] = dict(overrides or {})
        bad = {d: k for d, k in self.overrides.items() if k not in KINDS}
        if bad:
            raise ValueError(f"override kinds must be {KINDS}: {bad}")
        self.notes: dict[date, str] = dict(notes or {})
        self.hours = office_hours if isinstance(office_hours, OfficeHours) else OfficeHours.parse(office_hours)

    # --- days ---------------------------------------------------------------------------------------
    def day_info(self, d: date) -> DayInfo:
        kind = self.overrides.get(d)
        if kind is not None:
            note = self.notes.get(d)
            label = "Ngày nghỉ theo thông báo" if kind == OFF else "Ngày làm việc theo thông báo"
            return DayInfo(d, kind == WORK, f"{label}: {note}" if note else label, "override")
        year = holidays_of(d.year)
        if d in year.days_off:
            return DayInfo(d, False, year.days_off[d], "holidays")
        if d.weekday() >= 5:
            if d in year.weekend_workdays:
                return DayInfo(d, True, f"{_WEEKDAY_VI[d.weekday()]} làm bù", "holidays")
            return DayInfo(d, False, _WEEKDAY_VI[d.weekday()], "weekend")
        return DayInfo(d, True, None, "weekday")

    def is_working_day(self, d: date) -> bool:
        return self.day_info(d).working

    def holiday_name(self, d: date) -> str | None:
        """The name of the holiday (or announced day off) on d, None if d is not one."""
        info = self.day_info(d)
        if info.source in ("holidays", "override") and not info.working:
            return info.reason
        return None

    def reason(self, d: date) -> str | None:
        """Why d is not an ordinary weekday: holiday name, 'Thứ Bảy', 'Thứ Bảy làm bù', override note."""
        return self.day_info(d).reason

    def next_working_day(self, d: date, *, include: bool = False) -> date:
        """The first working day after d (or d itself when include=True and d is one)."""
        day = d if include else d + timedelta(days=1)
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise UserError("Lịch làm việc không có ngày làm việc nào trong 10 năm tới; hãy kiểm tra bảng ngày nghỉ.",
                        "no working day within ten years; check the calendar overrides")

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after d (n = 0: d itself, whatever it is)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        day = d
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    # --- hours --------------------------------------------------------------------------------------
    def opening(self, d: date) -> datetime:
        return datetime.combine(d, self.hours.opening)

    def closing(self, d: date) -> datetime:
        return datetime.combine(d, self.hours.closing)

    def is_open(self, at: datetime) -> bool:
        """Within office hours: a working day and inside one of the day's spans."""
        return self.is_working_day(at.date()) and self.hours.contains(at.time())

    def next_opening(self, at: datetime) -> datetime:
        """`at` itself when the office is open, else the next moment it opens.

        Before opening on a working day → that day's opening; during the lunch break → the afternoon
        opening; after closing or on a day off → the next working day's opening.
        """
        if self.is_open(at):
            return at
        if self.is_working_day(at.date()):
            later = self.hours.next_opening_after(at.time())
            if later is not None:
                return datetime.combine(at.date(), later)
        return self.opening(self.next_working_day(at.date()))

    def days(self, start: date, end: date) -> list[DayInfo]:
        """Every day from start to end inclusive, with its status."""
        out, day = [], start
        while day <= end:
            out.append(self.day_info(day))
            day += timedelta(days=1)
        return out


# --- override files (`motcua calendar import`, `motcua-hub publish-calendar`) ------------------------
@dataclass(frozen=True)
class OverrideRow:
    day: date
    kind: str  # OFF | WORK
    note: str | None


def parse_kind(text: str) -> str:
    k = str(text).strip().lower()
    if k not in KINDS:
        raise UserError(f"Loại ngày '{text}' không hợp lệ (off = nghỉ, work = làm việc).",
                        f"kind {text!r} must be off or work")
    return k


def parse_overrides_csv(text: str) -> tuple[list[OverrideRow], list[str]]:
    """`date,kind,note` rows (a header line is optional): the rows, and every problem with its line.
    The counter's import and the hub's publish-calendar read a file with this one function."""
    import csv
    import io

    from .limits import too_long
    from .text import clean
    from .times import parse_day

    rows: list[OverrideRow] = []
    problems: list[str] = []
    seen: dict[date, int] = {}
    for lineno, rec in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not rec or all(not c.strip() for c in rec):
            continue
        if lineno == 1 and rec[0].strip().lower() in ("date", "ngày", "ngay", "day"):
            continue
        if len(rec) < 2:
            problems.append(f"dòng {lineno}: cần 'ngày,loại[,ghi chú]'")
            continue
        try:
            day = parse_day(rec[0])
            kind = parse_kind(rec[1])
        except UserError as e:
            problems.append(f"dòng {lineno}: {e.message_vi}")
            continue
        if day in seen:
            problems.append(f"dòng {lineno}: ngày {day.isoformat()} trùng với dòng {seen[day]}")
            continue
        seen[day] = lineno
        note = clean(",".join(rec[2:])) if len(rec) > 2 else None
        if too_long("calendar_note", note):
            problems.append(f"dòng {lineno}: {too_long('calendar_note', note)}")
            continue
        rows.append(OverrideRow(day, kind, note or None))
    return rows, problems
