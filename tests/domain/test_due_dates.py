"""Appointment dates across the 2026 holidays, the swap, overrides, office hours, cut-off and calendar days."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from motcua_desktop.domain.calendar import WorkCalendar
from motcua_desktop.domain.catalog import ProcessingTime
from motcua_desktop.domain.due_dates import due_at
from motcua_desktop.services import calendar as calendar_service


def wd(n: int | None) -> ProcessingTime:
    return ProcessingTime("working_days", n)


def days(n: int) -> ProcessingTime:
    return ProcessingTime("days", n)


SAME_DAY = ProcessingTime("same_day", 0, "15:00")

CAL = WorkCalendar()

CASES = [
    # --- Tết 2026: Mon 16 – Fri 20 Feb off ---
    ("tet: 1 wd from Thu before", wd(1), datetime(2026, 2, 12, 16, 0), datetime(2026, 2, 13, 16, 0)),
    ("tet: 2 wd jumps the week", wd(2), datetime(2026, 2, 12, 10, 0), datetime(2026, 2, 23, 10, 0)),
    ("tet: 3 wd from Fri 13", wd(3), datetime(2026, 2, 13, 9, 0), datetime(2026, 2, 25, 9, 0)),
    ("tet: received on mùng 1 counts from Mon 23 opening", wd(3), datetime(2026, 2, 17, 10, 0),
     datetime(2026, 2, 26, 7, 30)),
    ("tet: same day after cut-off on Fri 13", SAME_DAY, datetime(2026, 2, 13, 16, 0), datetime(2026, 2, 23, 17, 0)),
    ("tet: 5 calendar days land on Tết", days(5), datetime(2026, 2, 13, 10, 0), datetime(2026, 2, 23, 17, 0)),
    # --- Giỗ Tổ: Sun 26 Apr, Mon 27 Apr off; 30/4 Thu, 1/5 Fri off ---
    ("giỗ tổ: Fri → Tue", wd(1), datetime(2026, 4, 24, 10, 0), datetime(2026, 4, 28, 10, 0)),
    ("giỗ tổ + 30/4–1/5: 3 wd from Fri 24", wd(3), datetime(2026, 4, 24, 10, 0), datetime(2026, 5, 4, 10, 0)),
    ("30/4–1/5: 2 wd from Wed 29", wd(2), datetime(2026, 4, 29, 14, 0), datetime(2026, 5, 5, 14, 0)),
    ("30/4–1/5: same day on 30/4 → Mon 4 May", SAME_DAY, datetime(2026, 4, 30, 9, 0), datetime(2026, 5, 4, 17, 0)),
    ("1/5: 3 calendar days land on 1 May", days(3), datetime(2026, 4, 28, 9, 0), datetime(2026, 5, 4, 17, 0)),
    # --- the 2026 swap: Sat 22 Aug worked, Mon 31 Aug off; 1–2 Sep off ---
    ("swap: Fri 21 Aug + 1 wd is Sat 22", wd(1), datetime(2026, 8, 21, 10, 0), datetime(2026, 8, 22, 10, 0)),
    ("swap: received on the worked Saturday", wd(1), datetime(2026, 8, 22, 9, 0), datetime(2026, 8, 24, 9, 0)),
    ("swap: same day on the worked Saturday", SAME_DAY, datetime(2026, 8, 22, 10, 0), datetime(2026, 8, 22, 17, 0)),
    ("31/8 + 1–2/9: Fri 28 Aug + 1 wd", wd(1), datetime(2026, 8, 28, 10, 0), datetime(2026, 9, 3, 10, 0)),
    ("31/8 + 1–2/9: Sat 29 Aug (ordinary) same day", SAME_DAY, datetime(2026, 8, 29, 10, 0),
     datetime(2026, 9, 3, 17, 0)),
    ("31/8: 10 calendar days land on Mon 31", days(10), datetime(2026, 8, 21, 10, 0), datetime(2026, 9, 3, 17, 0)),
    ("2/9: 2 wd from Mon 31 (off) counts from Thu 3 opening", wd(2), datetime(2026, 8, 31, 9, 0),
     datetime(2026, 9, 7, 7, 30)),
    # --- office hours ---
    ("lunch break counts from 13:30", wd(1), datetime(2026, 11, 16, 12, 0), datetime(2026, 11, 17, 13, 30)),
    ("before opening counts from 07:30 that day", wd(1), datetime(2026, 11, 16, 7, 0), datetime(2026, 11, 17, 7, 30)),
    ("after closing counts from next day's opening", wd(2), datetime(2026, 11, 16, 18, 0),
     datetime(2026, 11, 19, 7, 30)),
    ("17:00 sharp is closed", wd(1), datetime(2026, 11, 16, 17, 0), datetime(2026, 11, 18, 7, 30)),
    # --- same day cut-off ---
    ("cut-off 15:00 exactly is on time", SAME_DAY, datetime(2026, 11, 16, 15, 0), datetime(2026, 11, 16, 17, 0)),
    ("15:01 is next working day", SAME_DAY, datetime(2026, 11, 16, 15, 1), datetime(2026, 11, 17, 17, 0)),
    ("Sunday same day → Monday closing", SAME_DAY, datetime(2026, 11, 15, 10, 0), datetime(2026, 11, 16, 17, 0)),
    ("per-procedure cut-off 11:00", ProcessingTime("same_day", 0, "11:00"), datetime(2026, 11, 16, 11, 30),
     datetime(2026, 11, 17, 17, 0)),
    # --- calendar days ---
    ("15 days on a weekday keeps the time", days(15), datetime(2026, 6, 1, 9, 15), datetime(2026, 6, 16, 9, 15)),
    ("15 days landing on Saturday → Monday closing", days(15), datetime(2026, 6, 5, 9, 0),
     datetime(2026, 6, 22, 17, 0)),
    ("30 days", days(30), datetime(2026, 3, 2, 8, 0), datetime(2026, 4, 1, 8, 0)),
    # --- across years: Tết 2027 (4–10 Feb) ---
    ("tet 2027: 1 wd from Wed 3 Feb", wd(1), datetime(2027, 2, 3, 10, 0), datetime(2027, 2, 11, 10, 0)),
    ("year end: 2 wd from Thu 31 Dec 2026", wd(2), datetime(2026, 12, 31, 10, 0), datetime(2027, 1, 5, 10, 0)),
]


@pytest.mark.parametrize("pt,received,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_due_dates_table(pt: ProcessingTime, received: datetime, expected: datetime) -> None:
    assert due_at(pt, received, CAL) == expected


def test_unknown_processing_time_gives_no_date() -> None:
    assert due_at(wd(None), datetime(2026, 11, 16, 9, 0), CAL) is None
    assert due_at(ProcessingTime("days", None), datetime(2026, 11, 16, 9, 0), CAL) is None


def test_overrides_extra_day_off_and_extra_working_day() -> None:
    cal = WorkCalendar(overrides={date(2026, 12, 10): "off", date(2026, 12, 12): "work"})
    assert due_at(wd(2), datetime(2026, 12, 8, 10, 0), cal) == datetime(2026, 12, 11, 10, 0)
    assert due_at(wd(1), datetime(2026, 12, 11, 10, 0), cal) == datetime(2026, 12, 12, 10, 0)
    # Without the overrides the same dossiers are due Thu 10 and Mon 14.
    assert due_at(wd(2), datetime(2026, 12, 8, 10, 0), CAL) == datetime(2026, 12, 10, 10, 0)
    assert due_at(wd(1), datetime(2026, 12, 11, 10, 0), CAL) == datetime(2026, 12, 14, 10, 0)


def test_override_can_cancel_a_package_holiday() -> None:
    # 24 Nov (Ngày Văn hóa Việt Nam) is unconfirmed in the package: an agency that works that day says so.
    cal = WorkCalendar(overrides={date(2026, 11, 24): "work"})
    assert due_at(SAME_DAY, datetime(2026, 11, 23, 15, 30), cal) == datetime(2026, 11, 24, 17, 0)
    assert due_at(SAME_DAY, datetime(2026, 11, 23, 15, 30), CAL) == datetime(2026, 11, 25, 17, 0)


def test_agency_office_hours_move_closing_time() -> None:
    cal = WorkCalendar(office_hours="08:00-12:00,13:00-17:30")
    assert due_at(SAME_DAY, datetime(2026, 11, 16, 9, 0), cal) == datetime(2026, 11, 16, 17, 30)
    assert due_at(wd(1), datetime(2026, 11, 16, 7, 45), cal) == datetime(2026, 11, 17, 8, 0)


# --- Done-when: a new user receives a complete "Đăng ký khai sinh" (HT-01) at 14:00 and at 15:30 ---

def test_birth_registration_at_14h_and_15h30(ctx) -> None:
    monday = datetime(2026, 11, 16, 14, 0)
    assert calendar_service.due_date(ctx, "HT-01", monday) == datetime(2026, 11, 16, 17, 0)
    assert calendar_service.due_date(ctx, "HT-01", monday.replace(hour=15, minute=30)) == datetime(2026, 11, 17, 17, 0)
    # Monday 23 Nov: the next day (24 Nov) is off in the package, so 15:30 goes to Wednesday…
    assert calendar_service.due_date(ctx, "HT-01", datetime(2026, 11, 23, 15, 30)) == datetime(2026, 11, 25, 17, 0)
    # …unless the agency records that it works on 24 Nov.
    calendar_service.add_working_day(ctx, date(2026, 11, 24), "UBND tỉnh: làm việc bình thường")
    assert calendar_service.due_date(ctx, "HT-01", datetime(2026, 11, 23, 15, 30)) == datetime(2026, 11, 24, 17, 0)


def test_office_hours_setting_is_used(ctx) -> None:
    from motcua_desktop.store import settings_repo

    settings_repo.put(ctx.store, "office_hours", "07:00-11:00,13:00-16:30")
    assert calendar_service.due_date(ctx, "HT-01", datetime(2026, 11, 16, 9, 0)) == datetime(2026, 11, 16, 16, 30)
