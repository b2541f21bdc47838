"""The return desk inside the real main window: background writes, supplement routing, apology slip."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.domain.dossier import Status
from motcua_desktop.gui.qt import Qt
from motcua_desktop.gui.return_desk import ReturnDesk
from motcua_desktop.services import dossiers, intake, returns, slips

CITIZEN = Applicant(name="Đỗ Minh Châu", id_number="001088012345")


@pytest.fixture(autouse=True)
def quiet_week(clock):
    clock.now = datetime(2026, 12, 7, 9, 0)


def desk_of(window, qtbot) -> ReturnDesk:
    qtbot.keyClick(window, Qt.Key.Key_F6)
    desk = window.pages["returns"]
    assert isinstance(desk, ReturnDesk) and window.stack.currentWidget() is desk
    return desk


def scan(qtbot, widget, text: str) -> None:
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_hand_over_runs_through_the_windows_background_ops(qtbot, window, ctx, dialogs):
    code = intake.receive(ctx, "HT-04", CITIZEN, "all").code
    returns.result_ready(ctx, code)
    desk = desk_of(window, qtbot)
    assert desk.ops is window.ops
    scan(qtbot, window.focusWidget() or desk, code)
    assert desk.current.code == code
    dialogs.answer(confirms=[True, True])
    with qtbot.waitSignal(desk.written, timeout=5000) as done:
        qtbot.mouseClick(desk.handover_button, Qt.MouseButton.LeftButton)
    assert done.args == [code, "return"]
    assert dossiers.get(ctx, code).status is Status.RETURNED
    # The same button again (a double click that slipped through) is refused by the service, once.
    desk.handover_button.setEnabled(True)
    with qtbot.waitSignal(window.ops.finished, timeout=5000):
        qtbot.mouseClick(desk.handover_button, Qt.MouseButton.LeftButton)
    assert "Không trả kết quả lần thứ hai" in dialogs.errors()[-1].text
    assert [e.type for e in dossiers.get(ctx, code).events].count("return") == 1


def test_scanning_a_supplement_slip_opens_the_supplement_flow(qtbot, window, ctx):
    code = intake.receive(ctx, "HT-04", CITIZEN, "none").code
    desk = desk_of(window, qtbot)
    scan(qtbot, window.focusWidget() or desk, code)
    assert window.stack.currentWidget() is window.wizard
    assert window.wizard.resuming is not None and window.wizard.resuming.code == code


def test_apology_from_the_window_issues_the_apology_slip(qtbot, window, ctx, dialogs, clock):
    code = intake.receive(ctx, "HT-04", CITIZEN, "all").code  # due Thu 10/12 09:00
    clock.now = datetime(2026, 12, 9, 14, 0)
    desk = desk_of(window, qtbot)
    desk.open_code(code)
    desk.apology_reason.setText("Chờ kết quả xác minh")
    desk.apology_days.setValue(2)
    with qtbot.waitSignal(window.ops.finished, timeout=5000) as first:
        qtbot.mouseClick(desk.apology_button, Qt.MouseButton.LeftButton)
    assert first.args[1] is True
    window.ops.wait()
    qtbot.waitUntil(lambda: "preview_pdf" in dialogs.kinds(), timeout=5000)
    slip = slips.latest(ctx, code, "apology")
    assert slip is not None and slip.path.exists()
    v = dossiers.get(ctx, code)
    assert v.due_at == datetime(2026, 12, 14, 9, 0) and v.apology_count == 1


def test_every_desk_is_a_page_of_the_window(window):
    from motcua_desktop.gui.main_window import PAGES

    assert [p.key for p in window.desks] == ["search", "intake", "pending", "register", "returns", "reports",
                                          "settings", "users", "audit", "sync"]
    assert [p.shortcut for p in window.desks] == ["F2", "F3", "F4", "F5", "F6", "F7", "F9", "F10", "F11", "F12"]
    assert len(PAGES) == len(window.desks)
    for page in window.desks:
        assert window.pages[page.key] is page.widget and window.stack.indexOf(page.widget) >= 0
        assert page.title and callable(page.entered) and callable(page.refresh)
        window.show_page(page.key)
        assert window.current_page_key() == page.key and window.stack.currentWidget() is page.widget
        page.refresh()
    window.ops.wait()


def test_a_slip_scanned_on_the_search_desk_opens_the_dossier_at_the_return_desk(qtbot, window, ctx):
    """The citizen is back; the clerk is still on Tra cứu thủ tục and scans the slip there."""
    code = intake.receive(ctx, "HT-04", CITIZEN, "all").code
    returns.result_ready(ctx, code)
    view = window.search_view
    assert window.current_page_key() == "search"
    qtbot.keyClicks(view.box, code.lower())  # a scanner in lower-case mode: still the code
    assert view.count_label.text() == "Mã hồ sơ"
    assert "là mã hồ sơ, không phải thủ tục" in view.detail.toPlainText()
    qtbot.keyClick(view.box, Qt.Key.Key_Return)
    assert window.current_page_key() == "returns"
    desk = window.pages["returns"]
    assert desk.current.code == code and desk.message.text().startswith(f"Đã mở hồ sơ {code}")
    assert view.box.text() == ""  # back on the search desk, the next procedure search starts clean


def test_a_dossier_code_that_is_not_in_the_store_is_refused_at_the_return_desk(qtbot, window):
    view = window.search_view
    qtbot.keyClicks(view.box, "000.00.01.H22-261207-1999")
    qtbot.keyClick(view.box, Qt.Key.Key_Return)
    desk = window.pages["returns"]
    assert window.current_page_key() == "returns" and desk.current is None
    assert desk.message.property("kind") == "error"
