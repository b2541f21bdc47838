"""The desks' F-keys work from where the clerk types (the search box has the focus at start)."""

from motcua_desktop.gui.qt import Qt


def test_f6_from_the_search_box(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    box = window.search_view.box
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: window.current_page_key() == "returns", timeout=3000)


def test_the_key_of_the_desk_on_screen_brings_the_cursor_back_to_its_box(qtbot, window):
    """F2 on the search desk after reading a procedure's details: the cursor is back in the search box."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    box = window.search_view.box
    details = window.search_view.detail
    details.setFocus()
    qtbot.waitUntil(details.hasFocus, timeout=3000)
    qtbot.keyClick(details, Qt.Key.Key_F2)
    qtbot.waitUntil(box.hasFocus, timeout=3000)
    assert window.current_page_key() == "search"
