"""Sổ hồ sơ (F5) in the real window: find by the unaccented name, open with history, reprint, correct,
issue the receipt again (it says it replaces the earlier one), void; F1 on every desk."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.domain.dossier import Status
from motcua_desktop.gui.qt import Qt
from motcua_desktop.gui.register_desk import RegisterDesk
from motcua_desktop.services import dossiers, intake, returns
from pdf_checks import flat, pdf_text

from .conftest import save_shot

BINH = Applicant(name="Trần Văn Bình", id_number="001088012345", phone="0912345678", address="12 Lê Lợi")


@pytest.fixture(autouse=True)
def quiet_week(clock):
    clock.now = datetime(2026, 12, 7, 9, 0)


def _register(qtbot, window) -> RegisterDesk:
    qtbot.keyClick(window, Qt.Key.Key_F5)
    desk = window.pages["register"]
    assert isinstance(desk, RegisterDesk) and window.stack.currentWidget() is desk
    window.ops.wait()
    qtbot.waitUntil(lambda: desk.page is not None)
    return desk


def _search(qtbot, window, desk, text: str) -> None:
    desk.box.clear()
    qtbot.keyClicks(desk.box, text)
    with qtbot.waitSignal(desk.shown, timeout=5000):
        pass
    window.ops.wait()
    qtbot.wait(20)


def test_find_yesterdays_dossier_reprint_correct_and_issue_the_receipt_again(qtbot, window, ctx, clock, dialogs):
    code = intake.receive(ctx, "HT-04", BINH, "all").code
    intake.receive(ctx, "HT-04", Applicant(name="Lê Thị Hoa", id_number="079190000111"), "all")
    clock.now += timedelta(days=1)
    desk = _register(qtbot, window)
    assert window.focusWidget() is desk.box  # F5 → type at once
    _search(qtbot, window, desk, "tran van binh")
    assert desk.table.rowCount() == 1
    qtbot.waitUntil(lambda: desk.current is not None and desk.current.code == code)
    history = desk.history.text()
    assert "Tiếp nhận lần đầu" in history and "Nguyễn Thị Tiếp Nhận" in history and "07/12/2026" in history

    # Issue the receipt (none archived yet), then reprint the archived file.
    assert desk.issue_combo.currentData() == "receipt"
    desk.issue_button.click()
    window.ops.wait()
    qtbot.waitUntil(lambda: desk.archived_combo.count() == 1)
    first = Path(dialogs.shown[-1].text)
    assert dialogs.shown[-1].kind == "preview_pdf"
    desk.reprint_button.click()
    assert Path(dialogs.shown[-1].text) == first  # the archived file, not a new render

    # Correct one digit of the identity number.
    desk.fix_id.setText("001088012346")
    desk.fix_reason.setText("gõ nhầm một chữ số")
    desk.correct_button.click()
    window.ops.wait()
    qtbot.waitUntil(lambda: dossiers.get(ctx, code).applicant.id_number == "001088012346")
    qtbot.waitUntil(lambda: "Sửa thông tin người nộp" in desk.history.text())
    assert "001088012345 → 001088012346" in desk.history.text()
    desk.issue_combo.setCurrentIndex(desk.issue_combo.findData("receipt"))
    desk.issue_button.click()
    window.ops.wait()
    qtbot.waitUntil(lambda: desk.archived_combo.count() == 2)
    second = Path(dialogs.shown[-1].text)
    assert second != first
    text = flat(pdf_text(second.read_bytes()))
    assert "001088012346" in text and "thay thế phiếu đã cấp trước đó" in text
    save_shot(window, "register_desk.png")


def test_find_by_code_digits_phone_status_and_today(qtbot, window, ctx, clock):
    old = intake.receive(ctx, "HT-04", BINH, "all").code
    clock.now += timedelta(days=1)
    new = intake.receive(ctx, "HT-04", Applicant(name="Lê Thị Hoa", id_number="079190000111", phone="0987654321"),
                         "none").code
    desk = _register(qtbot, window)
    assert desk.table.rowCount() == 2 and desk.table.item(0, 0).data(Qt.ItemDataRole.UserRole) == new
    _search(qtbot, window, desk, old[-11:])
    assert [desk.table.item(i, 0).data(Qt.ItemDataRole.UserRole) for i in range(desk.table.rowCount())] == [old]
    _search(qtbot, window, desk, "0987 654 321")
    assert desk.table.rowCount() == 1 and desk.current.code == new
    assert desk.supplement_button.isVisible()  # its next step: the supplement
    desk.box.clear()
    qtbot.keyClick(desk, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    window.ops.wait()
    qtbot.waitUntil(lambda: desk.table.rowCount() == 1)
    assert desk.table.item(0, 0).data(Qt.ItemDataRole.UserRole) == new


def test_void_from_the_panel_asks_with_the_safe_default(qtbot, window, ctx, dialogs):
    code = intake.receive(ctx, "HT-04", BINH, "all").code
    desk = _register(qtbot, window)
    desk.open_code(code)
    assert desk.void_button.isVisible()
    dialogs.answer(texts=["nhập nhầm thủ tục"], confirms=[True])
    desk.void_button.click()
    window.ops.wait()
    qtbot.waitUntil(lambda: dossiers.get(ctx, code).status is Status.VOIDED)
    confirm = [s for s in dialogs.shown if s.kind == "confirm"][-1]
    assert confirm.safe_default
    qtbot.waitUntil(lambda: desk.current is not None and desk.current.status is Status.VOIDED)
    assert not desk.void_button.isVisible() and not desk.correct_box.isVisible()
    assert "Hủy hồ sơ nhập nhầm" in desk.history.text()


def test_a_forwarded_dossier_cannot_be_voided_and_goes_on_to_its_result(qtbot, window, ctx):
    code = intake.receive(ctx, "HT-04", BINH, "all").code
    returns.forward(ctx, code)
    desk = _register(qtbot, window)
    desk.open_code(code)
    assert not desk.void_button.isVisible()
    assert desk.panel.ready_button.isVisible()
    desk.panel.ready_button.click()
    window.ops.wait()
    qtbot.waitUntil(lambda: dossiers.get(ctx, code).status is Status.RESULT_READY)


@pytest.mark.parametrize("key, page", [(Qt.Key.Key_F2, "search"), (Qt.Key.Key_F3, "intake"),
                                       (Qt.Key.Key_F4, "pending"), (Qt.Key.Key_F5, "register"),
                                       (Qt.Key.Key_F6, "returns"), (Qt.Key.Key_F7, "reports"),
                                       (Qt.Key.Key_F9, "settings")])
def test_f1_shows_the_keys_of_the_current_desk(qtbot, window, dialogs, key, page):
    qtbot.keyClick(window, key)
    assert window.current_page_key() == page
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F1)
    shown = dialogs.shown[-1]
    assert shown.kind == "info" and "Phím tắt" in shown.title
    assert "F1" in shown.text and "F5" in shown.text
    from motcua_desktop.gui import keymap

    for k in keymap.DESKS[page]:
        assert k.keys in shown.text


def test_a_clerk_sees_masked_identity_numbers_and_no_correction_or_void(qtbot, window, ctx):
    """The worker's reads run as the signed-in account too (gui/ops.py passes it on)."""
    from motcua_desktop.services import accounts

    code = intake.receive(ctx, "HT-04", BINH, "all").code
    accounts.add_user(ctx, "admin", "Trần Quản Trị", "administrator", "admin-pass-1")
    accounts.sign_in(ctx, "admin", "admin-pass-1")
    accounts.add_user(ctx, "lan", "Nguyễn Thị Lan", "clerk", "lan-pass-1")
    accounts.sign_in(ctx, "lan", "lan-pass-1")
    desk = _register(qtbot, window)
    _search(qtbot, window, desk, "001088012345")
    assert desk.table.rowCount() == 1
    tip = desk.table.item(0, 1).toolTip()
    assert "0010******45" in tip and "001088012345" not in tip
    qtbot.waitUntil(lambda: desk.current is not None and desk.current.code == code)
    assert "0010******45" in desk.panel.detail.text() and "001088012345" not in desk.panel.detail.text()
    assert not desk.correct_box.isVisible() and not desk.void_button.isVisible()
