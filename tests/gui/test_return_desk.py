"""The return desk driven like a clerk with a keyboard-wedge scanner (pytest-qt, offscreen)."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.domain.dossier import Status
from motcua_desktop.gui.qt import QApplication, QEvent, QKeyEvent, Qt
from motcua_desktop.gui.return_desk import OVERDUE_BG, ReturnDesk
from motcua_desktop.services import dossiers, intake, returns

CITIZEN = Applicant(name="Trần Văn Bình", id_number="001088012345", phone="0912345678")


@pytest.fixture(autouse=True)
def quiet_week(clock):
    clock.now = datetime(2026, 12, 7, 9, 0)  # Monday of a week without holidays


def receive(ctx, procedure: str = "HT-04", provided: str = "all") -> str:
    return intake.receive(ctx, procedure, CITIZEN, provided).code


def scan(qtbot, widget, text: str, end=Qt.Key.Key_Return) -> None:
    """A keyboard-wedge scanner: the whole code in one fast burst, then the terminator."""
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, end)


def snapshot(ctx) -> tuple:
    q = ctx.store.query
    return (q("SELECT * FROM dossiers ORDER BY code"), q("SELECT COUNT(*) AS n FROM dossier_events"),
            q("SELECT COUNT(*) AS n FROM outbox"))


@pytest.mark.parametrize("where", ["table", "field_filter", "apology_reason", "desk"])
def test_a_fast_burst_opens_the_dossier_with_focus_anywhere(qtbot, desk, ctx, where):
    ready = receive(ctx)
    returns.result_ready(ctx, ready)
    other = receive(ctx, "HT-05")
    desk.refresh()
    if where == "apology_reason":  # a text box of the desk has the focus (a dossier in progress is open)
        desk.open_code(other)
        target = desk.apology_reason
    else:
        target = {"table": desk.queue_table, "field_filter": desk.field_combo, "desk": desk}[where]
    target.setFocus()
    with qtbot.waitSignal(desk.dossier_opened, timeout=1000) as opened:
        scan(qtbot, target, ready)
    assert opened.args == [ready]
    assert desk.current.code == ready
    assert "Đã mở hồ sơ" in desk.message_text()
    assert desk.apology_reason.text() == "" and desk.code_box.text() == ""
    assert desk.handover_button.isVisible() and desk.handover_button.isEnabled()


def test_scanner_tab_terminator_and_control_chars(qtbot, desk, ctx):
    code = receive(ctx)
    desk.queue_table.setFocus()
    # Some scanners send STX before the data; QTest cannot type it, so send the key event itself.
    stx = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, "\x02")
    QApplication.sendEvent(desk.queue_table, stx)
    qtbot.keyClicks(desk.queue_table, code.lower())
    qtbot.keyClick(desk.queue_table, Qt.Key.Key_Tab)
    assert desk.current is not None and desk.current.code == code


def test_slow_human_typing_is_not_a_scan(qtbot, desk, ctx):
    first = receive(ctx, "HT-05")
    second = receive(ctx)
    desk.open_code(first)
    opened: list[str] = []
    desk.dossier_opened.connect(opened.append)
    desk.apology_reason.setFocus()
    qtbot.keyClicks(desk.apology_reason, second, delay=90)  # ~90 ms between keys: a person
    qtbot.wait(120)
    qtbot.keyClick(desk.apology_reason, Qt.Key.Key_Return)
    assert opened == []
    assert desk.current.code == first
    assert desk.apology_reason.text() == second  # every typed key reached the box, in order


@pytest.mark.parametrize("garbage", ["HELLO-WORLD-123456", "000.00.01.H22-261399-1001", "]C1000.00.01.H22-2612"])
def test_garbage_and_unknown_codes_change_nothing(qtbot, desk, ctx, garbage):
    code = receive(ctx)
    returns.result_ready(ctx, code)
    desk.open_code(code)
    before = snapshot(ctx)
    rejected: list[str] = []
    desk.scan_rejected.connect(rejected.append)
    desk.queue_table.setFocus()
    scan(qtbot, desk.queue_table, garbage)
    unknown = code[:-4] + "1777"
    scan(qtbot, desk.queue_table, unknown)
    assert len(rejected) == 2
    assert "không phải mã hồ sơ" in rejected[0] or "Quét lại" in rejected[0]
    assert rejected[1] == f"Không tìm thấy hồ sơ {unknown}. Kiểm tra lại mã trên phiếu hẹn."
    assert desk.message_text() == rejected[1] and desk.message.property("kind") == "error"
    assert desk.current.code == code  # the open dossier stays
    assert snapshot(ctx) == before


def test_hand_over_then_a_second_hand_over_is_refused(qtbot, desk, ctx, dialogs, clock):
    code = receive(ctx)
    returns.result_ready(ctx, code)
    desk.refresh()
    assert desk.queue_table.codes() == [code]
    desk.queue_table.setFocus()
    scan(qtbot, desk.queue_table, code)
    desk.by_authorised.setChecked(True)
    desk.collector_name.setText("Lê Thị Hoa")
    desk.collector_id.setText("079190000123")
    desk.rating.setCurrentIndex(5)
    clock.now = datetime(2026, 12, 9, 10, 30)
    dialogs.answer(confirms=[True])
    qtbot.mouseClick(desk.handover_button, Qt.MouseButton.LeftButton)
    view = dossiers.get(ctx, code)
    assert view.status is Status.RETURNED and view.rating == 5
    assert view.returned_to["name"] == "Lê Thị Hoa"
    assert "Đã trả kết quả hồ sơ" in desk.message_text()
    assert desk.queue_table.codes() == []
    assert not desk.handover_button.isEnabled()  # the panel now says it was handed over

    # Scanning it again shows who took it; the button stays off.
    scan(qtbot, desk.queue_table, code)
    assert "Đã trả kết quả" in desk.detail.text() and "Lê Thị Hoa" in desk.detail.text()
    assert not desk.handover_button.isEnabled()

    # A stale panel (another counter handed the same dossier over meanwhile) is refused by the service.
    other = receive(ctx)
    returns.result_ready(ctx, other)
    scan(qtbot, desk.queue_table, other)
    returns.hand_over(ctx, other)  # elsewhere
    before = snapshot(ctx)
    dialogs.answer(confirms=[True])
    qtbot.mouseClick(desk.handover_button, Qt.MouseButton.LeftButton)
    assert "Không trả kết quả lần thứ hai" in dialogs.errors()[-1].text
    assert snapshot(ctx) == before
    assert not desk.handover_button.isEnabled()  # reloaded: what is true now


def test_invalid_authorised_person_is_refused_with_the_reason(qtbot, desk, ctx, dialogs):
    code = receive(ctx)
    returns.result_ready(ctx, code)
    desk.open_code(code)
    desk.by_authorised.setChecked(True)
    desk.collector_name.setText("Lê Thị Hoa")
    desk.collector_id.setText("123")
    dialogs.answer(confirms=[True])
    desk.hand_over()
    assert "người được ủy quyền" in dialogs.errors()[-1].text
    assert dossiers.get(ctx, code).status is Status.RESULT_READY


def test_supplement_slip_scan_asks_for_the_supplement_flow(qtbot, desk, ctx):
    code = receive(ctx, provided="none")
    desk.queue_table.setFocus()
    with qtbot.waitSignal(desk.supplement_requested, timeout=1000) as sig:
        scan(qtbot, desk.queue_table, code)
    assert sig.args == [code]


def test_queue_marks_overdue_and_due_today_with_colour_and_words(qtbot, desk, ctx, clock):
    late = receive(ctx, "CT-03")  # due Wed 9/12
    today = receive(ctx, "HT-04")  # due Thu 10/12
    later = receive(ctx, "DD-03")  # due 16/12
    for c in (later, today, late):
        returns.result_ready(ctx, c)
    clock.now = datetime(2026, 12, 10, 8, 0)
    desk.refresh()
    t = desk.queue_table
    assert t.codes() == [late, today, later]
    # The appointment sits under the code, its state in words first (the colour's words).
    assert t.item(0, 0).text() == f"{late}\nQuá hẹn 1 ngày · 09/12"
    assert t.item(0, 0).background().color() == OVERDUE_BG
    assert t.item(0, 1).background().color() == OVERDUE_BG
    assert t.item(1, 0).text() == f"{today}\nHẹn hôm nay · 09:00"
    assert t.item(2, 0).text() == f"{later}\nHẹn 09:00 16/12/2026"
    assert "09:00 Thứ Tư 09/12/2026" in t.item(0, 0).toolTip()
    assert desk.counts_label.text() == "3 hồ sơ chờ trả · 1 quá hẹn · 1 hẹn hôm nay"
    assert desk.tabs.tabText(0) == "Kết quả chờ trả (3)"
    desk.field_combo.setCurrentIndex(desk.field_combo.findText("Hộ tịch"))
    assert t.codes() == [today]


def test_due_soon_tab_and_apology_from_the_desk(qtbot, desk, ctx, clock):
    code = receive(ctx)  # due Thu 10/12 09:00
    clock.now = datetime(2026, 12, 9, 15, 0)
    desk.refresh()
    assert desk.soon_table.codes() == [code]
    assert desk.tabs.tabText(1) == "Sắp đến hẹn (1)"
    printed: list[str] = []
    desk.after_apology.append(lambda v: printed.append(v.code))
    desk.soon_table.setCurrentCell(0, 0)
    desk.soon_table.setFocus()
    qtbot.keyClick(desk.soon_table, Qt.Key.Key_Return)  # Enter on a row opens it (a person, not a scan)
    assert desk.current.code == code
    desk.apology_reason.setText("Chờ ý kiến của cơ quan cấp trên")
    desk.apology_days.setValue(2)
    assert "14/12/2026" in desk.new_due_label.text()
    qtbot.mouseClick(desk.apology_button, Qt.MouseButton.LeftButton)
    v = dossiers.get(ctx, code)
    assert v.due_at == datetime(2026, 12, 14, 9, 0) and v.original_due_at == datetime(2026, 12, 10, 9, 0)
    assert v.apology_count == 1 and printed == [code]
    assert "hẹn ban đầu" in desk.detail.text()


def test_screenshot_of_the_desk_in_the_window(qtbot, window, ctx, clock):
    """The desk mounted in the main window (F6), with a queue, a scanned dossier, and a look at it."""
    people = ["Phạm Thị Lan", "Nguyễn Văn Đức", "Hoàng Thị Ánh Tuyết", "Lê Quang Vinh", "Đỗ Minh Châu"]
    codes = []
    for name, proc in zip(people, ["CT-03", "HT-04", "DD-03", "HT-04", "KD-01"]):
        codes.append(intake.receive(ctx, proc, Applicant(name=name, id_number="001088012345"), "all").code)
    for c in codes[:4]:
        returns.result_ready(ctx, c)
    clock.now = datetime(2026, 12, 10, 8, 30)
    qtbot.keyClick(window, Qt.Key.Key_F6)
    desk = window.pages["returns"]
    assert isinstance(desk, ReturnDesk) and window.stack.currentWidget() is desk
    focus = window.focusWidget()
    assert focus is not None and (focus is desk or desk.isAncestorOf(focus))
    scan(qtbot, focus, codes[1])
    assert desk.current.code == codes[1]
    desk.by_authorised.setChecked(True)
    desk.collector_name.setText("Nguyễn Thị Hồng")
    desk.collector_id.setText("079190000123")
    desk.rating.setCurrentIndex(4)
    from .conftest import save_shot

    save_shot(window, "return_desk.png")


@pytest.mark.parametrize("action, status, event", [("stop", Status.STOPPED, "stop"),
                                                   ("withdraw", Status.WITHDRAWN, "withdraw")])
def test_a_dossier_in_progress_can_be_stopped_or_withdrawn(qtbot, desk, ctx, dialogs, action, status, event):
    code = receive(ctx)
    desk.open_code(code)
    button = desk.stop_button if action == "stop" else desk.withdraw_button
    assert button.isVisible()
    dialogs.answer(texts=["Công dân không bổ sung nghĩa vụ tài chính"])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    view = dossiers.get(ctx, code)
    assert view.status is status
    assert view.events[-1].type == event
    assert view.events[-1].payload["reason"] == "Công dân không bổ sung nghĩa vụ tài chính"
    assert not desk.stop_button.isVisible()  # no longer in progress: nothing more to stop


def test_cancelling_the_stop_reason_changes_nothing(qtbot, desk, ctx, dialogs):
    code = receive(ctx)
    desk.open_code(code)
    before = snapshot(ctx)
    dialogs.answer(texts=[None])
    qtbot.mouseClick(desk.stop_button, Qt.MouseButton.LeftButton)
    assert snapshot(ctx) == before
