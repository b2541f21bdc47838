"""The appointment date (ngày hẹn trả kết quả) of a dossier, from the procedure's processing time.

Rules (issue 3, DOMAIN.md §6):
- The clock starts when the dossier is complete (`complete_at`). A dossier completed on a non-working
  day or outside office hours counts from the office's next opening: before opening → that day's
  opening; lunch break → the afternoon opening; after closing or a day off → the next working day's
  opening. That effective start is what the rules below call "received".
- `working_days` N: the N-th working day after the day received, at the clock time received
  (real slips keep the time of receipt).
- `same_day`: received at or before the procedure's cut-off (default 15:00) → that day at closing
  time; after it → the next working day at closing time.
- `days` N (calendar days): N days after the day received, at the clock time received; if that day is
  not a working day, the period ends at the end (closing time) of the next working day (Civil Code
  2015 art. 148: "thời hạn kết thúc tại thời điểm kết thúc ngày làm việc tiếp theo ngày nghỉ đó").
- value None (unknown processing time) → no appointment date (None).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .calendar import WorkCalendar
from .catalog import ProcessingTime


def effective_start(complete_at: datetime, calendar: WorkCalendar) -> datetime:
    """When the processing clock really starts (see the module docstring)."""
    return calendar.next_opening(complete_at.replace(second=0, microsecond=0))


def due_at(processing_time: ProcessingTime, complete_at: datetime, calendar: WorkCalendar) -> datetime | None:
    pt = processing_time
    start = effective_start(complete_at, calendar)
    if pt.unit == "same_day":
        if start.time() <= pt.cutoff():
            return calendar.closing(start.date())
        return calendar.closing(calendar.next_working_day(start.date()))
    if pt.value is None:
        return None
    if pt.unit == "working_days":
        return datetime.combine(calendar.add_working_days(start.date(), pt.value), start.time())
    if pt.unit == "days":
        end = start.date() + timedelta(days=pt.value)
        if calendar.is_working_day(end):
            return datetime.combine(end, start.time())
        return calendar.closing(calendar.next_working_day(end))
    raise ValueError(f"unknown processing time unit {pt.unit!r}")
