"""Lịch làm việc (Thiết lập → third tab): what the app believes about days off, and the overrides.

Each test checks the result through services/calendar.py — the due dates the counter will print —
not the table alone.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from motcua_desktop.gui.qt import QDate, Qt
from motcua_desktop.services import calendar as calendar_service

from .conftest import save_shot
from .test_settings_view import type_text


@pytest.fixture
def settings(qtbot, window):
    window.show_page("settings")
    return window.settings_view


def day_rows(view) -> list[str]:
    return [view.table.item(r, 0).text() for r in range(view.table.rowCount())]


@pytest.fixture
def calendar(settings, clock, written):
    clock.now = datetime(2026, 12, 1, 9, 0)
    settings.tabs.setCurrentIndex(2)
    view = settings.calendar
    view.year.setValue(2026)
    return view


def test_calendar_lists_the_holidays_the_app_believes(calendar):
    rows = day_rows(calendar)
    assert "Thứ Ba 17/02/2026" in rows  # mùng 1 Tết
    assert "Thứ Bảy 22/08/2026" in rows  # the make-up Saturday of the 2026 swap


def test_a_day_off_added_on_the_calendar_moves_due_dates(qtbot, window, calendar, ctx, written):
    received = datetime(2026, 12, 2, 9, 0)  # Wednesday; HT-04 = 3 working days → Monday 7/12
    assert calendar_service.due_date(ctx, "HT-04", received) == datetime(2026, 12, 7, 9, 0)
    calendar.day.setDate(calendar.day.date().fromString("04/12/2026", "dd/MM/yyyy"))
    calendar.kind.setCurrentIndex(calendar.kind.findData("off"))
    calendar.note.setFocus()
    type_text(qtbot, calendar.note, "Nghỉ theo thông báo")
    with written():  # on the worker store, as every write of the window
        qtbot.keyClick(calendar.note, Qt.Key.Key_Return)
    assert calendar_service.due_date(ctx, "HT-04", received) == datetime(2026, 12, 8, 9, 0)
    texts = [calendar.table.item(r, 2).text() for r in range(calendar.table.rowCount())]
    assert "Nghỉ theo thông báo" in texts
    save_shot(window, "settings-calendar.png")


def test_removing_an_override_restores_the_day(calendar, ctx, dialogs, written):
    calendar_service.add_day_off(ctx, date(2026, 12, 4), "Nghỉ")
    calendar.refresh()
    row = next(r for r in range(calendar.table.rowCount()) if "04/12/2026" in calendar.table.item(r, 0).text())
    calendar.table.selectRow(row)
    dialogs.answer(confirms=[True])
    with written():
        calendar.remove_selected()
    assert all(d.day != date(2026, 12, 4) for d in calendar_service.special_days(ctx, 2026))


def test_a_package_holiday_cannot_be_removed(calendar, ctx, dialogs):
    row = next(r for r in range(calendar.table.rowCount()) if "17/02/2026" in calendar.table.item(r, 0).text())
    calendar.table.selectRow(row)
    calendar.remove_selected()
    assert dialogs.kinds()[-1] == "info"
    assert any(d.day == date(2026, 2, 17) for d in calendar_service.special_days(ctx, 2026))


def test_a_bad_csv_import_changes_nothing(calendar, ctx, dialogs, tmp_path: Path, written):
    bad = tmp_path / "days.csv"
    bad.write_text("date,kind,note\n2026-12-04,off,Nghỉ\n2026-13-40,off,Sai ngày\n", encoding="utf-8")
    before = calendar_service.special_days(ctx, 2026)
    dialogs.answer(files=[str(bad)])
    with written():
        calendar.import_csv()
    assert dialogs.errors()
    assert calendar_service.special_days(ctx, 2026) == before


def test_a_good_csv_import_applies_every_row(calendar, ctx, dialogs, tmp_path: Path, written):
    good = tmp_path / "days.csv"
    good.write_text("date,kind,note\n2026-12-04,off,Nghỉ A\n2026-12-05,work,Làm bù B\n", encoding="utf-8")
    dialogs.answer(files=[str(good)])
    with written():
        calendar.import_csv()
    kinds = {d.day: d.kind for d in calendar_service.special_days(ctx, 2026) if d.source == "override"}
    assert kinds == {date(2026, 12, 4): "off", date(2026, 12, 5): "work"}


def test_the_year_selector_shows_that_years_holidays(calendar):
    calendar.year.setValue(2027)
    rows = day_rows(calendar)
    assert "Thứ Bảy 06/02/2027" in rows  # mùng 1 Tết Đinh Mùi
    assert not any(r.endswith("/2026") for r in rows)
    names = [calendar.table.item(r, 2).text() for r in range(calendar.table.rowCount())]
    assert any("Tết" in n for n in names)  # the holidays carry their names


def test_a_working_day_entered_by_keyboard_brings_a_due_date_forward(qtbot, calendar, ctx, written):
    """A Saturday announced as a make-up working day counts toward the appointment."""
    received = datetime(2026, 12, 3, 9, 0)  # Thursday; HT-04 = 3 working days → Tuesday 8/12
    assert calendar_service.due_date(ctx, "HT-04", received) == datetime(2026, 12, 8, 9, 0)
    calendar.day.setDate(QDate(2026, 12, 5))
    calendar.kind.setFocus()
    qtbot.keyClick(calendar.kind, Qt.Key.Key_Down)  # Nghỉ → Làm việc (làm bù)
    assert calendar.kind.currentData() == "work"
    calendar.note.setFocus()
    type_text(qtbot, calendar.note, "Làm bù theo thông báo")
    with written():
        qtbot.keyClick(calendar.note, Qt.Key.Key_Return)
    assert calendar_service.due_date(ctx, "HT-04", received) == datetime(2026, 12, 7, 9, 0)
    [selected] = calendar.table.selectionModel().selectedRows()
    assert calendar.table.item(selected.row(), 0).text() == "Thứ Bảy 05/12/2026"  # the clerk sees the new row


def test_the_day_before_a_new_day_off_ends_one_day_later(calendar, ctx, clock, written):
    """A dossier received yesterday under a working-days procedure: a day off added today pushes it."""
    clock.now = datetime(2026, 12, 1, 9, 0)  # Tuesday
    received = datetime(2026, 11, 30, 10, 0)  # Monday, the day before; 3 working days → Thursday 3/12
    before = calendar_service.due_date(ctx, "HT-04", received)
    assert before == datetime(2026, 12, 3, 10, 0)
    calendar.day.setDate(QDate(2026, 12, 2))
    calendar.kind.setCurrentIndex(calendar.kind.findData("off"))
    with written():
        calendar.add_override()
    assert calendar_service.due_date(ctx, "HT-04", received) == datetime(2026, 12, 4, 10, 0)


def test_a_bad_date_kind_in_the_csv_names_the_line(calendar, ctx, dialogs, tmp_path: Path, written):
    bad = tmp_path / "days.csv"
    bad.write_text("2026-12-04,off,A\n2026-12-05,holiday,B\n", encoding="utf-8")
    dialogs.answer(files=[str(bad)])
    with written():
        calendar.import_csv()
    [error] = dialogs.errors()
    assert "dòng 2" in error.text and "chưa nhập gì" in error.text
    assert [d for d in calendar_service.special_days(ctx, 2026) if d.source == "override"] == []


def test_cancelling_the_file_dialog_does_nothing(calendar, dialogs):
    dialogs.answer(files=[None])
    calendar.import_csv()
    assert dialogs.kinds() == ["choose_file"]
