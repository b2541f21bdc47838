"""Thiết lập: editing by keyboard, all-or-nothing saving, print defaults, the calendar page."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from motcua_desktop.gui.qt import QApplication, QEvent, QKeyEvent, Qt
from motcua_desktop.services import calendar as calendar_service
from motcua_desktop.store import settings_repo

from .conftest import save_shot


def type_text(qtbot, widget, text: str) -> None:
    """Vietnamese letters arrive as key events carrying text (QTest aborts on non-ASCII keys)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClick(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


@pytest.fixture
def settings(qtbot, window):
    window.show_page("settings")
    assert window.current_page_key() == "settings"
    return window.settings_view


def retype(qtbot, editor, text: str) -> None:
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    type_text(qtbot, editor, text)


def test_a_setting_typed_and_saved_by_keyboard_persists(qtbot, window, settings, ctx):
    retype(qtbot, settings.editors["clerk_name"], "Lê Thu Hà")
    qtbot.keyClick(settings, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert settings_repo.get(ctx.store, "clerk_name") == "Lê Thu Hà"
    assert window.clerk_label.text() == "Cán bộ: Nguyễn Thị Tiếp Nhận"  # the session's actor is unchanged
    save_shot(window, "settings.png")


def test_renaming_the_agency_updates_the_title(qtbot, window, settings, ctx):
    retype(qtbot, settings.editors["agency_name"], "UBND XÃ AN KHÁNH")
    settings.save()
    assert "UBND XÃ AN KHÁNH" in window.windowTitle()


def test_an_invalid_agency_code_saves_nothing(qtbot, window, settings, ctx, dialogs):
    before = settings_repo.get_all(ctx.store)
    retype(qtbot, settings.editors["clerk_name"], "Lê Thu Hà")  # a valid change riding along
    retype(qtbot, settings.editors["agency_code"], "H22")
    dialogs.answer(confirms=[True])  # yes, change the agency code
    assert settings.save() is False
    assert settings_repo.get_all(ctx.store) == before
    assert settings.errors["agency_code"].isVisibleTo(settings)
    assert "QCVN 102:2016" in settings.errors["agency_code"].text()
    assert dialogs.errors() and "Chưa lưu thiết lập nào" in dialogs.errors()[-1].text


def test_changing_the_counter_slot_asks_first(qtbot, settings, ctx, dialogs):
    settings.editors["counter_slot"].setValue(3)
    dialogs.answer(confirms=[False])
    assert settings.save() is False
    assert settings_repo.get(ctx.store, "counter_slot") == 1
    dialogs.answer(confirms=[True])
    assert settings.save() is True
    assert settings_repo.get(ctx.store, "counter_slot") == 3


def test_print_defaults_per_kind_are_stored(qtbot, settings, ctx):
    settings.tabs.setCurrentIndex(1)
    settings.printers["receipt"].setEditText("Máy in quầy 1")
    settings.papers["receipt"].setCurrentIndex(settings.papers["receipt"].findData("a5"))
    settings.papers["apology"].setCurrentIndex(settings.papers["apology"].findData("80mm"))
    assert settings.save()
    assert settings_repo.get(ctx.store, "print_defaults") == {
        "receipt": {"printer": "Máy in quầy 1", "paper": "a5"},
        "apology": {"printer": "", "paper": "80mm"},
    }
    assert settings.papers["control"].findData("80mm") < 0  # the control slip is A4/A5 only


@pytest.fixture
def calendar(settings, clock):
    clock.now = datetime(2026, 12, 1, 9, 0)
    settings.tabs.setCurrentIndex(2)
    view = settings.calendar
    view.year.setValue(2026)
    return view


def test_calendar_lists_the_holidays_the_app_believes(calendar):
    rows = [calendar.table.item(r, 0).text() for r in range(calendar.table.rowCount())]
    assert "Thứ Ba 17/02/2026" in rows  # mùng 1 Tết
    assert "Thứ Bảy 22/08/2026" in rows  # the make-up Saturday of the 2026 swap


def test_a_day_off_added_on_the_calendar_moves_due_dates(qtbot, window, calendar, ctx):
    received = datetime(2026, 12, 2, 9, 0)  # Wednesday; HT-04 = 3 working days → Monday 7/12
    assert calendar_service.due_date(ctx, "HT-04", received) == datetime(2026, 12, 7, 9, 0)
    calendar.day.setDate(calendar.day.date().fromString("04/12/2026", "dd/MM/yyyy"))
    calendar.kind.setCurrentIndex(calendar.kind.findData("off"))
    calendar.note.setFocus()
    type_text(qtbot, calendar.note, "Nghỉ theo thông báo")
    qtbot.keyClick(calendar.note, Qt.Key.Key_Return)
    assert calendar_service.due_date(ctx, "HT-04", received) == datetime(2026, 12, 8, 9, 0)
    texts = [calendar.table.item(r, 2).text() for r in range(calendar.table.rowCount())]
    assert "Nghỉ theo thông báo" in texts
    save_shot(window, "settings-calendar.png")


def test_removing_an_override_restores_the_day(calendar, ctx, dialogs):
    calendar_service.add_day_off(ctx, date(2026, 12, 4), "Nghỉ")
    calendar.refresh()
    row = next(r for r in range(calendar.table.rowCount()) if "04/12/2026" in calendar.table.item(r, 0).text())
    calendar.table.selectRow(row)
    dialogs.answer(confirms=[True])
    calendar.remove_selected()
    assert all(d.day != date(2026, 12, 4) for d in calendar_service.special_days(ctx, 2026))


def test_a_package_holiday_cannot_be_removed(calendar, ctx, dialogs):
    row = next(r for r in range(calendar.table.rowCount()) if "17/02/2026" in calendar.table.item(r, 0).text())
    calendar.table.selectRow(row)
    calendar.remove_selected()
    assert dialogs.kinds()[-1] == "info"
    assert any(d.day == date(2026, 2, 17) for d in calendar_service.special_days(ctx, 2026))


def test_a_bad_csv_import_changes_nothing(calendar, ctx, dialogs, tmp_path: Path):
    bad = tmp_path / "days.csv"
    bad.write_text("date,kind,note\n2026-12-04,off,Nghỉ\n2026-13-40,off,Sai ngày\n", encoding="utf-8")
    before = calendar_service.special_days(ctx, 2026)
    dialogs.answer(files=[str(bad)])
    calendar.import_csv()
    assert dialogs.errors()
    assert calendar_service.special_days(ctx, 2026) == before


def test_a_good_csv_import_applies_every_row(calendar, ctx, dialogs, tmp_path: Path):
    good = tmp_path / "days.csv"
    good.write_text("date,kind,note\n2026-12-04,off,Nghỉ A\n2026-12-05,work,Làm bù B\n", encoding="utf-8")
    dialogs.answer(files=[str(good)])
    calendar.import_csv()
    kinds = {d.day: d.kind for d in calendar_service.special_days(ctx, 2026) if d.source == "override"}
    assert kinds == {date(2026, 12, 4): "off", date(2026, 12, 5): "work"}


def test_status_bar_counts_events_waiting_for_the_hub(qtbot, window, ctx):
    from motcua_desktop.domain.applicant import Applicant
    from motcua_desktop.services import intake

    window.refresh_sync_state()
    assert window.sync_label.text().startswith("Chờ đồng bộ: 0")
    with qtbot.waitSignal(window.ops.finished, timeout=10_000):
        window.ops.run(intake.receive, "HT-04", Applicant(name="An", id_number="001190012345"), "all")
    assert window.sync_label.text().startswith("Chờ đồng bộ: 1")
    assert "chưa cấu hình máy chủ đồng bộ" in window.sync_label.text()
