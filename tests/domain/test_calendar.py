"""The working-day calendar: holidays from the package, the swap, overrides, office hours; the CLI."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from motcua_desktop.domain.calendar import OfficeHours, WorkCalendar
from motcua_desktop.errors import UserError
from motcua_desktop.services import calendar as cal_service

CAL = WorkCalendar()


@pytest.mark.parametrize("day,working", [
    (date(2026, 2, 13), True), (date(2026, 2, 16), False), (date(2026, 2, 17), False), (date(2026, 2, 20), False),
    (date(2026, 2, 23), True), (date(2026, 4, 26), False), (date(2026, 4, 27), False), (date(2026, 4, 28), True),
    (date(2026, 4, 30), False), (date(2026, 5, 1), False), (date(2026, 8, 22), True), (date(2026, 8, 29), False),
    (date(2026, 8, 31), False), (date(2026, 9, 1), False), (date(2026, 9, 2), False), (date(2026, 9, 3), True),
    (date(2026, 11, 21), False), (date(2026, 11, 22), False), (date(2026, 11, 23), True),
])
def test_working_days_2026(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_reasons_are_vietnamese() -> None:
    assert CAL.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert "Giỗ Tổ" in CAL.holiday_name(date(2026, 4, 27))
    assert "22/08/2026" in CAL.holiday_name(date(2026, 8, 31))
    assert CAL.reason(date(2026, 8, 22)) == "Thứ Bảy làm bù"
    assert CAL.reason(date(2026, 11, 21)) == "Thứ Bảy"
    assert CAL.holiday_name(date(2026, 11, 21)) is None
    assert CAL.reason(date(2026, 11, 23)) is None


def test_next_and_add_working_days() -> None:
    assert CAL.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert CAL.next_working_day(date(2026, 2, 23), include=True) == date(2026, 2, 23)
    assert CAL.add_working_days(date(2026, 8, 20), 2) == date(2026, 8, 22)
    assert CAL.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)
    assert CAL.add_working_days(date(2026, 8, 28), 0) == date(2026, 8, 28)


def test_overrides_win_over_the_package() -> None:
    cal = WorkCalendar(overrides={date(2026, 8, 22): "off", date(2026, 8, 31): "work", date(2026, 12, 24): "off"},
                       notes={date(2026, 12, 24): "Thông báo của UBND tỉnh"})
    assert not cal.is_working_day(date(2026, 8, 22))
    assert cal.is_working_day(date(2026, 8, 31))
    assert not cal.is_working_day(date(2026, 12, 24))
    assert "Thông báo của UBND tỉnh" in cal.holiday_name(date(2026, 12, 24))


def test_office_hours() -> None:
    h = OfficeHours.parse("07:30-11:30,13:30-17:00")
    assert (h.opening.isoformat(), h.closing.isoformat()) == ("07:30:00", "17:00:00")
    assert CAL.is_open(datetime(2026, 11, 23, 7, 30))
    assert not CAL.is_open(datetime(2026, 11, 23, 12, 0))
    assert not CAL.is_open(datetime(2026, 11, 23, 17, 0))
    assert not CAL.is_open(datetime(2026, 11, 22, 9, 0))  # Sunday
    assert CAL.next_opening(datetime(2026, 11, 23, 12, 0)) == datetime(2026, 11, 23, 13, 30)
    assert CAL.next_opening(datetime(2026, 11, 20, 17, 5)) == datetime(2026, 11, 23, 7, 30)
    for bad in ("", "7:30-11:30", "13:30-11:30", "07:30-11:30,10:00-17:00", "abc"):
        with pytest.raises(UserError):
            OfficeHours.parse(bad)


def test_service_overrides_and_special_days(ctx) -> None:
    cal_service.add_day_off(ctx, date(2026, 12, 31), "Nghỉ theo Quyết định X")
    cal_service.add_working_day(ctx, date(2026, 12, 26))
    cal = cal_service.make_calendar(ctx)
    assert not cal.is_working_day(date(2026, 12, 31)) and cal.is_working_day(date(2026, 12, 26))
    days = {d.day: d for d in cal_service.special_days(ctx, 2026)}
    assert days[date(2026, 12, 31)].kind == "off" and days[date(2026, 12, 31)].source == "override"
    assert days[date(2026, 8, 22)].kind == "work" and days[date(2026, 8, 22)].source == "holidays"
    assert days[date(2026, 2, 17)].name == "Tết Nguyên Đán"
    assert cal_service.remove_override(ctx, date(2026, 12, 31))
    assert cal_service.make_calendar(ctx).is_working_day(date(2026, 12, 31))
    actions = [r["action"] for r in ctx.store.query("SELECT action FROM audit_log WHERE action LIKE 'calendar.%'")]
    assert actions == ["calendar.off", "calendar.work", "calendar.remove"]


def test_import_is_all_or_nothing(ctx, tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("date,kind,note\n2026-12-30,off,ok\n2026-13-01,off,bad date\n2026-12-29,holiday,bad kind\n",
                   encoding="utf-8")
    with pytest.raises(UserError) as e:
        cal_service.import_overrides(ctx, bad)
    assert "dòng 3" in e.value.message_vi and "dòng 4" in e.value.message_vi
    assert ctx.store.query("SELECT * FROM calendar_overrides") == []
    good = tmp_path / "good.csv"
    good.write_text("date,kind,note\n2026-12-30,off,Nghỉ bù, theo thông báo\n2027-01-09,work,\n", encoding="utf-8")
    assert cal_service.import_overrides(ctx, good) == 2
    rows = ctx.store.query("SELECT day, kind, note FROM calendar_overrides ORDER BY day")
    assert rows == [{"day": "2026-12-30", "kind": "off", "note": "Nghỉ bù, theo thông báo"},
                    {"day": "2027-01-09", "kind": "work", "note": None}]


def test_calendar_cli(run_cli, tmp_path) -> None:
    assert run_cli("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ A", "--no-sample").returncode == 0
    r = run_cli("calendar", "add-day-off", "2026-12-31", "--note", "Thông báo số 1")
    assert r.returncode == 0, r.stderr
    r = run_cli("calendar", "add-working-day", "2026-12-26")
    assert r.returncode == 0, r.stderr
    r = run_cli("calendar", "list", "--year", "2026", "--json")
    assert r.returncode == 0, r.stderr
    rows = {d["date"]: d for d in r.json()}
    assert rows["2026-12-31"] == {"date": "2026-12-31", "kind": "off", "name": "Thông báo số 1", "source": "override"}
    assert rows["2026-12-26"]["kind"] == "work"
    assert rows["2026-08-22"]["kind"] == "work" and rows["2026-08-31"]["kind"] == "off"
    r = run_cli("calendar", "add-day-off", "31/12/2026")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "YYYY-MM-DD" in r.stderr
    bad = tmp_path / "x.csv"
    bad.write_text("2027-01-02,off\n2027-01-03,maybe\n", encoding="utf-8")
    r = run_cli("calendar", "import", str(bad))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = run_cli("calendar", "list", "--year", "2027", "--json")
    assert not [d for d in r.json() if d["source"] == "override"]
