"""The search desk driven like a clerk: keyboard only, real store, real widgets."""

from __future__ import annotations

import pytest

from motcua_desktop.gui.qt import QApplication, Qt

from .conftest import save_shot


def type_query(qtbot, window, text: str) -> None:
    box = window.search_view.box
    box.clear()
    qtbot.keyClicks(box, text)


def test_window_opens_on_search_with_cursor_in_box_and_agency_in_title(window):
    assert window.current_page_key() == "search"
    assert QApplication.focusWidget() is window.search_view.box
    assert "UBND XÃ HÒA BÌNH" in window.windowTitle()


def test_typing_without_diacritics_puts_dang_ky_khai_sinh_first_and_enter_shows_components(qtbot, window):
    type_query(qtbot, window, "dang ky khai sinh")
    view = window.search_view
    assert view.result_names()[0] == "Đăng ký khai sinh"
    qtbot.keyClick(view.box, Qt.Key.Key_Return)
    text = view.detail.toPlainText()
    assert "Đăng ký khai sinh" in text
    assert "Tờ khai đăng ký khai sinh" in text
    assert "Giấy chứng sinh" in text
    assert "Bản chính" in text and "Bắt buộc" in text
    assert "Trong ngày (nhận trước 15:00)" in text
    # Enter moved the keyboard to "receive a dossier for this procedure".
    assert QApplication.focusWidget() is view.intake_button
    save_shot(window, "search.png")


def test_results_follow_every_keystroke(qtbot, window):
    view = window.search_view
    seen = []
    for ch in "dang ky ket hon":
        qtbot.keyClick(view.box, ch)
        seen.append(list(view.result_names()))
    assert seen[-1][0] == "Đăng ký kết hôn (trong nước)"
    assert seen[0] != seen[-1]  # "d" alone lists other things


def test_arrows_move_in_results_and_detail_follows(qtbot, window):
    type_query(qtbot, window, "khai sinh")
    view = window.search_view
    names = view.result_names()
    assert len(names) >= 3
    qtbot.keyClick(view.box, Qt.Key.Key_Down)
    qtbot.keyClick(view.box, Qt.Key.Key_Down)
    assert view.results.currentRow() == 2
    assert view.detail.procedure.name == names[2]
    qtbot.keyClick(view.box, Qt.Key.Key_Up)
    assert view.detail.procedure.name == names[1]
    assert QApplication.focusWidget() is view.box  # arrows never steal the box's focus


def test_unconfirmed_numbers_are_marked(qtbot, window):
    type_query(qtbot, window, "chung thuc di chuc")
    qtbot.keyClick(window.search_view.box, Qt.Key.Key_Return)
    text = window.search_view.detail.toPlainText()
    assert "50.000 đồng (chưa xác nhận)" in text
    assert "2 ngày làm việc (chưa xác nhận)" in text
    # A fully confirmed procedure carries no mark.
    type_query(qtbot, window, "dang ky khai sinh")
    assert "chưa xác nhận" not in window.search_view.detail.toPlainText()


@pytest.mark.parametrize("hostile", [
    '"', "*", "-", "AND", "NEAR(", "((", ") OR (", "đ'; DROP TABLE procedures;--", "🙂🙂", "%_\\",
    "x" * 10_000, "\x00\x1b", "   ",
])
def test_hostile_input_never_errors(qtbot, window, dialogs, hostile):
    view = window.search_view
    view.box.setText(hostile)  # pasting, as a scanner or a careless copy would
    qtbot.keyClicks(view.box, "a")
    assert dialogs.errors() == []
    assert view.box.text().count("x") <= 200  # a pasted novel is cut, not searched


def test_escape_clears_the_box_and_f2_comes_back_to_search(qtbot, window):
    view = window.search_view
    type_query(qtbot, window, "ket hon")
    qtbot.keyClick(view.box, Qt.Key.Key_Escape)
    assert view.box.text() == ""
    window.show_page("settings")
    assert window.current_page_key() == "settings"
    qtbot.keyClick(window, Qt.Key.Key_F2)
    assert window.current_page_key() == "search"
    assert QApplication.focusWidget() is view.box
