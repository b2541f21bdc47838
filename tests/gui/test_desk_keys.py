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
