"""The return desk after the audit: full-width codes, focus after a scan, a dossier already handed over,
scanner prefixes, a fast typist in a field of the desk."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.gui.qt import QApplication, QEvent, QKeyEvent, Qt
from motcua_desktop.gui.return_desk import OVERDUE_BG
from motcua_desktop.gui.scanner import DEFAULT_GAP_MS
from motcua_desktop.services import intake, returns
from motcua_desktop.services.returns import Collector

CITIZEN = Applicant(name="Trần Văn Bình", id_number="001088012345", phone="0912345678")
FULL_WIDTH = str.maketrans("0123456789.-", "０１２３４５６７８９．－")


@pytest.fixture(autouse=True)
def quiet_week(clock):
    clock.now = datetime(2026, 12, 7, 9, 0)  # Monday of a week without holidays


def receive(ctx, procedure: str = "HT-04") -> str:
    return intake.receive(ctx, procedure, CITIZEN, "all").code


@pytest.fixture
def desk_width() -> int:
    return 1024  # the smallest counter monitor


def press(text: str, key: Qt.Key = Qt.Key.Key_unknown,
          mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key as the OS delivers it: to whatever has the focus (any character, full-width too)."""
    target = QApplication.focusWidget()
    assert target is not None
    QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, mods, text))
    QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyRelease, key, mods, text))


def burst(text: str, end: Qt.Key = Qt.Key.Key_Return) -> None:
    """A keyboard-wedge scanner: every character within a millisecond, then the terminator."""
    for ch in text:
        press(ch)
    press({Qt.Key.Key_Return: "\r", Qt.Key.Key_Tab: "\t"}[end], end)


# --- full-width codes (IME in full-width mode) --------------------------------------------------------
def test_a_scan_arriving_in_full_width_opens_the_dossier(qtbot, desk, ctx):
    code = receive(ctx)
    returns.result_ready(ctx, code)
    rejected: list[str] = []
    desk.scan_rejected.connect(rejected.append)
    desk.queue_table.setFocus()
    with qtbot.waitSignal(desk.dossier_opened, timeout=1000) as opened:
        burst(code.translate(FULL_WIDTH))
    assert opened.args == [code] and rejected == []
    assert desk.current.code == code


def test_a_code_typed_in_full_width_into_the_code_box_opens_the_dossier(qtbot, desk, ctx):
    code = receive(ctx)
    agency, day, seq = code.split("-")
    desk.code_box.setFocus()
    desk.code_box.setText(f"{agency}-{day.translate(FULL_WIDTH)}-{seq}")  # as the IME commits it
    with qtbot.waitSignal(desk.dossier_opened, timeout=1000):
        qtbot.keyClick(desk.code_box, Qt.Key.Key_Return)
    assert desk.current.code == code
    assert desk.message.property("kind") == "ok"


# --- focus after a scan -----------------------------------------------------------------------------
def enter(qtbot) -> None:
    """A person pressing Enter: well after the scan's burst (a scanner's CR LF is one terminator)."""
    qtbot.wait(DEFAULT_GAP_MS + 30)
    press("\r", Qt.Key.Key_Return)


@pytest.mark.parametrize("start", ["queue", "handover", "code_box"])
def test_after_scanning_a_dossier_in_progress_enter_records_its_result(qtbot, desk, ctx, start):
    ready = receive(ctx)
    returns.result_ready(ctx, ready)
    working = receive(ctx, "HT-05")
    returns.forward(ctx, working)
    desk.refresh()
    if start == "handover":  # the previous citizen's result was open
        desk.open_code(ready)
    else:
        (desk.queue_table if start == "queue" else desk.code_box).setFocus()
    burst(working)
    assert desk.current.code == working
    assert QApplication.focusWidget() is desk.ready_button
    enter(qtbot)  # the obvious next thing, not "open the queue's current row"
    assert desk.current.code == working
    assert returns.lookup_scan(ctx, working).status.value == "result_ready"
    assert QApplication.focusWidget() is desk.handover_button  # and then: hand it over


def test_after_scanning_a_result_enter_asks_to_hand_it_over(qtbot, desk, ctx, dialogs):
    first, second = receive(ctx), receive(ctx, "HT-05")
    for code in (first, second):
        returns.result_ready(ctx, code)
    desk.refresh()
    desk.queue_table.setFocus()
    desk.queue_table.setCurrentCell(0, 0)
    burst(second)
    assert QApplication.focusWidget() is desk.handover_button
    dialogs.answer(confirms=[False])
    enter(qtbot)
    assert dialogs.shown[-1].kind == "confirm" and second in dialogs.shown[-1].text
    assert desk.current.code == second  # not the queue row that had the focus


def test_a_scanner_ending_with_cr_lf_does_not_press_the_focused_button(qtbot, desk, ctx):
    working = receive(ctx)
    desk.queue_table.setFocus()
    burst(working)
    press("\n", Qt.Key.Key_Return)  # LF of CR LF, within the scan's gap
    assert returns.lookup_scan(ctx, working).status.value == "received"
    enter(qtbot)  # a person pressing Enter later does press it
    assert returns.lookup_scan(ctx, working).status.value == "result_ready"


def test_a_dossier_with_nothing_to_do_leaves_the_focus_off_the_queue(qtbot, desk, ctx, dialogs):
    ready = receive(ctx)
    returns.result_ready(ctx, ready)
    stopped = receive(ctx, "HT-05")
    returns.stop(ctx, stopped, "Thiếu căn cứ")
    desk.refresh()
    desk.queue_table.setFocus()
    desk.queue_table.setCurrentCell(0, 0)
    burst(stopped)
    assert QApplication.focusWidget() is not desk.queue_table
    enter(qtbot)
    assert desk.current.code == stopped and dialogs.shown == []


# --- a slip scanned again after the hand-over -----------------------------------------------------
def test_rescanning_a_returned_dossier_warns_and_locks_the_hand_over_form(qtbot, desk, ctx, clock, dialogs):
    code = receive(ctx)
    returns.result_ready(ctx, code)
    clock.now = datetime(2026, 12, 10, 14, 5)
    ctx.actor = "Trần Văn Trả"
    returns.hand_over(ctx, code, Collector("authorised", name="Lê Thị Hoa", id_number="079190000123",
                                           note="Giấy ủy quyền 12/UQ"), rating=4)
    ctx.actor = "Phạm Thị Ca Chiều"
    ready = receive(ctx, "HT-05")
    returns.result_ready(ctx, ready)
    desk.refresh()
    desk.open_code(ready)  # the previous citizen's form was editable
    desk.queue_table.setFocus()
    burst(code)
    assert desk.current.code == code
    message = desk.message_text()
    assert desk.message.property("kind") == "warn"  # amber, not the green "opened"
    assert "Đã mở" not in message
    assert f"Hồ sơ {code} đã trả kết quả lúc 14:05 Thứ Năm 10/12/2026 cho Lê Thị Hoa" in message
    assert "cán bộ trả: Trần Văn Trả" in message and "Không trả kết quả lần thứ hai" in message
    assert "cán bộ trả: Trần Văn Trả" in desk.detail.text()
    # The form shows what was recorded, and nothing of it can be edited or submitted.
    assert desk.by_authorised.isChecked() and desk.collector_name.text() == "Lê Thị Hoa"
    assert desk.collector_id.text() == "079190000123" and desk.rating.currentData() == 4
    for w in (desk.by_applicant, desk.by_authorised, desk.collector_name, desk.collector_id,
              desk.collector_note, desk.rating, desk.handover_button):
        assert not w.isEnabled(), w.objectName() or w.text()
    assert QApplication.focusWidget() is not desk.queue_table
    enter(qtbot)
    assert dialogs.shown == []
    # The next result to hand over gets an editable, empty form again.
    desk.open_code(ready)
    assert desk.by_applicant.isChecked() and desk.collector_name.text() == ""
    assert desk.by_authorised.isEnabled() and desk.rating.isEnabled() and desk.rating.currentIndex() == 0
    assert desk.handover_button.isEnabled() and not desk.collector_name.isEnabled()
    desk.by_authorised.setChecked(True)
    assert desk.collector_name.isEnabled()
    assert desk.message.property("kind") == "ok"


# --- minor ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("prefix", ["]C0", "]Q1"])
def test_a_scan_with_an_aim_prefix_opens_the_dossier(qtbot, desk, ctx, prefix):
    code = receive(ctx)
    rejected: list[str] = []
    desk.scan_rejected.connect(rejected.append)
    desk.queue_table.setFocus()
    with qtbot.waitSignal(desk.dossier_opened, timeout=1000):
        burst(prefix + code)
    assert desk.current.code == code and rejected == []


def test_a_result_due_earlier_today_reads_overdue(qtbot, desk, ctx, clock):
    code = receive(ctx)  # due Thu 10/12 09:00
    returns.result_ready(ctx, code)
    clock.now = datetime(2026, 12, 10, 11, 30)
    desk.refresh()
    t = desk.queue_table
    assert t.item(0, 0).text() == f"{code}\nQuá hẹn · 09:00"
    assert t.item(0, 0).background().color() == OVERDUE_BG
    assert desk.counts_label.text() == "1 hồ sơ chờ trả · 1 quá hẹn · 0 hẹn hôm nay"
    desk.open_code(code)
    assert "Quá hẹn (hẹn 09:00 hôm nay)" in desk.detail.text()


# --- a fast typist in a field of the desk ---------------------------------------------------------
@pytest.mark.parametrize("delay_ms", [0, 30, 45])
def test_a_fast_id_number_typed_into_the_hand_over_form_reaches_the_field(qtbot, desk, ctx, delay_ms):
    code = receive(ctx)
    returns.result_ready(ctx, code)
    desk.open_code(code)
    desk.by_authorised.setChecked(True)
    desk.collector_id.setFocus()
    rejected: list[str] = []
    desk.scan_rejected.connect(rejected.append)
    for ch in "079190000123":  # on the numpad, as fast as a scanner or nearly
        press(ch, getattr(Qt.Key, f"Key_{ch}"), Qt.KeyboardModifier.KeypadModifier)
        if delay_ms:
            qtbot.wait(delay_ms)
    press("\t", Qt.Key.Key_Tab)
    assert rejected == [] and desk.message.property("kind") == "ok"  # no red "not a dossier code"
    assert desk.collector_id.text() == "079190000123"
    assert QApplication.focusWidget() is desk.collector_note  # the Tab still moved on
    assert desk.current.code == code


def test_a_dossier_code_scanned_into_a_field_is_still_a_scan_and_garbage_on_the_queue_is_rejected(qtbot, desk,
                                                                                                  ctx):
    code = receive(ctx)
    returns.result_ready(ctx, code)
    other = receive(ctx, "HT-05")
    desk.open_code(code)
    desk.by_authorised.setChecked(True)
    desk.collector_name.setFocus()
    burst(other, Qt.Key.Key_Tab)
    assert desk.current.code == other and desk.collector_name.text() == ""
    rejected: list[str] = []
    desk.scan_rejected.connect(rejected.append)
    desk.queue_table.setFocus()
    burst("HELLO-WORLD-123456")
    assert len(rejected) == 1 and "không phải mã hồ sơ" in rejected[0]
