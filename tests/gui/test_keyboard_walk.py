"""Keyboard-only details found by walking the window like a clerk: every Tab lands somewhere visible,
and what a desk shows about "today" follows the clock when the desk is opened again."""

from __future__ import annotations

from datetime import date, datetime

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.gui.qt import QApplication, QScrollArea, Qt
from motcua_desktop.services import intake

from .test_intake_wizard import ENTER, fill_applicant_by_qr, key, open_wizard_from_search


def test_tab_through_the_checklist_never_stops_on_the_invisible_scroll_area(qtbot, window):
    wizard = open_wizard_from_search(qtbot, window)
    fill_applicant_by_qr(qtbot, wizard)
    key(qtbot, Qt.Key.Key_F8)
    stops = []
    for _ in range(12):
        key(qtbot, Qt.Key.Key_Tab)
        stops.append(QApplication.focusWidget())
    assert not [w for w in stops if isinstance(w, QScrollArea)]
    assert wizard.next_button in stops  # Tab reaches "Tiếp tục" after the last component


def test_tab_on_the_return_desk_never_stops_on_the_invisible_scroll_area(qtbot, window, ctx, clock):
    clock.now = datetime(2026, 12, 7, 9, 0)
    code = intake.receive(ctx, "HT-04", Applicant(name="Đỗ Minh Châu", id_number="001088012345"), "all").code
    qtbot.keyClick(window, Qt.Key.Key_F6)
    desk = window.pages["returns"]
    desk.open_code(code)
    desk.queue_table.setFocus()
    stops = []
    for _ in range(10):
        key(qtbot, Qt.Key.Key_Tab)
        stops.append(QApplication.focusWidget())
    assert not [w for w in stops if isinstance(w, QScrollArea)]
    assert desk.ready_button in stops


def test_the_return_desk_date_filter_offers_the_current_month_when_opened_another_day(qtbot, window, clock):
    # The window opened on 23/11 and stayed open; on 07/12 the clerk opens the return desk.
    clock.now = datetime(2026, 12, 7, 9, 0)
    qtbot.keyClick(window, Qt.Key.Key_F6)
    desk = window.pages["returns"]
    assert desk.date_from.date().toPython() == date(2026, 12, 1)
    assert desk.date_to.date().toPython() == date(2026, 12, 7)
    # A range the clerk chose is theirs: it is kept across visits.
    desk.date_check.setChecked(True)
    desk.date_from.setDate(desk.date_from.date().addDays(-20))
    chosen = desk.date_from.date()
    clock.now = datetime(2026, 12, 8, 9, 0)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.keyClick(window, Qt.Key.Key_F6)
    assert desk.date_from.date() == chosen


def test_enter_on_a_focused_button_presses_it_on_every_desk(qtbot, window, ctx, clock):
    from motcua_desktop.gui.qt import QPushButton
    from motcua_desktop.services import dossiers

    clock.now = datetime(2026, 12, 7, 9, 0)
    code = intake.receive(ctx, "HT-04", Applicant(name="Đỗ Minh Châu", id_number="001088012345"), "all").code
    qtbot.keyClick(window, Qt.Key.Key_F6)
    desk = window.pages["returns"]
    desk.open_code(code)
    desk.ready_button.setFocus()
    with qtbot.waitSignal(desk.written, timeout=5000):
        key(qtbot, ENTER)  # as in the wizard: Enter on the focused button
    assert dossiers.get(ctx, code).status.value == "result_ready"
    ignoring = [b.text() for b in window.findChildren(QPushButton) if not b.autoDefault()]
    assert ignoring == []


def test_a_code_typed_by_hand_anywhere_on_the_return_desk_lands_in_the_code_box(qtbot, window, ctx, clock):
    from motcua_desktop.services import dossiers

    clock.now = datetime(2026, 12, 7, 9, 0)
    citizen = Applicant(name="Đỗ Minh Châu", id_number="001088012345")
    working = intake.receive(ctx, "HT-04", citizen, "all").code
    other = intake.receive(ctx, "HT-05", citizen, "all").code
    qtbot.keyClick(window, Qt.Key.Key_F6)
    desk = window.pages["returns"]
    desk.open_code(working)
    desk.ready_button.setFocus()
    qtbot.keyClicks(desk.ready_button, other, delay=70)  # a person, not a scanner
    qtbot.wait(80)
    assert desk.code_box.text() == other and QApplication.focusWidget() is desk.code_box
    key(qtbot, ENTER)  # opens the typed code; the button that had the focus is NOT pressed
    assert desk.current.code == other
    assert dossiers.get(ctx, working).status.value == "received"
