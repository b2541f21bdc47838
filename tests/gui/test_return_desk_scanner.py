"""The scan detector alone: bursts vs. typing, with focus on any widget of a desk."""

from __future__ import annotations

import pytest

from motcua_desktop.gui.qt import QLineEdit, QPushButton, Qt, QVBoxLayout, QWidget
from motcua_desktop.gui.scanner import ScanDetector, clean_scan

# The offscreen platform warns on every show(); harmless.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

CODE = "000.00.01.H22-261123-1001"


@pytest.fixture
def desk(qtbot):
    root = QWidget()
    layout = QVBoxLayout(root)
    box = QLineEdit()
    button = QPushButton("Nút")
    layout.addWidget(box)
    layout.addWidget(button)
    qtbot.addWidget(root)
    root.show()
    detector = ScanDetector(root)
    seen: list[str] = []
    detector.scanned.connect(seen.append)
    return root, box, button, detector, seen


def test_clean_scan_drops_controls_and_space():
    assert clean_scan(f"\x02 {CODE}\x1d\r\n") == CODE
    assert clean_scan("\u200b" + CODE + " \t") == CODE


def test_fast_burst_with_focus_on_a_button_is_a_scan(qtbot, desk):
    root, box, button, detector, seen = desk
    button.setFocus()
    qtbot.keyClicks(button, CODE)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert seen == [CODE]
    assert box.text() == ""


def test_fast_burst_into_a_text_box_does_not_type_into_it(qtbot, desk):
    root, box, button, detector, seen = desk
    box.setFocus()
    qtbot.keyClicks(box, CODE)
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert seen == [CODE]
    assert box.text() == ""


def test_slow_typing_reaches_the_box_and_is_not_a_scan(qtbot, desk):
    root, box, button, detector, seen = desk
    box.setFocus()
    qtbot.keyClicks(box, "000.00.01.H22", delay=90)
    qtbot.wait(120)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert seen == []
    assert box.text() == "000.00.01.H22"


def test_short_fast_burst_is_typing(qtbot, desk):
    root, box, button, detector, seen = desk
    box.setFocus()
    qtbot.keyClicks(box, "ok")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert seen == []
    assert box.text() == "ok"


def test_widgets_added_later_are_watched(qtbot, desk):
    root, box, button, detector, seen = desk
    late = QLineEdit(root)
    root.layout().addWidget(late)
    late.show()
    late.setFocus()
    qtbot.keyClicks(late, CODE)
    qtbot.keyClick(late, Qt.Key.Key_Enter)
    assert seen == [CODE]
    assert late.text() == ""


def test_clean_scan_makes_full_width_characters_ascii():
    assert clean_scan("０００．００．０１．Ｈ２２－２６１１２３－１００１\r") == CODE


@pytest.mark.parametrize("prefix", ["]C0", "]Q1", "]d2", "\x02]E0", " ]C1"])
def test_clean_scan_drops_an_aim_symbology_prefix(prefix):
    assert clean_scan(f"{prefix}{CODE}\r") == CODE


def test_clean_scan_keeps_a_bracket_that_is_not_an_aim_prefix():
    assert clean_scan("]CX" + CODE) == "]CX" + CODE
    assert clean_scan(CODE + "]C0") == CODE + "]C0"  # only at the start


def test_with_is_code_a_fast_non_code_burst_in_a_text_box_is_typing(qtbot, desk):
    root, box, button, detector, seen = desk
    detector.is_code = lambda text: text.startswith("000.")
    box.setFocus()
    qtbot.keyClicks(box, "079190000123")
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert seen == [] and box.text() == "079190000123"
    box.clear()
    qtbot.keyClicks(box, CODE)  # a code is still a scan, in the box too
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert seen == [CODE] and box.text() == ""
    button.setFocus()
    qtbot.keyClicks(button, "079190000123")  # not in a text field: a scan, for the desk to reject
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert seen == [CODE, "079190000123"]
