"""The printer choice is the app's own, in Vietnamese: PySide6 ships no Vietnamese for Qt's print dialog."""

from __future__ import annotations

from motcua_desktop.gui import dialogs as dialogs_module
from motcua_desktop.gui.dialogs import Dialogs, build_printer_choice
from motcua_desktop.gui.qt import QDialogButtonBox, QLabel


class Printers:
    """What QPrinterInfo would say on a PC with two printers installed."""

    @staticmethod
    def availablePrinterNames() -> list[str]:  # noqa: N802
        return ["HP LaserJet 1020", "Xprinter XP-80"]

    @staticmethod
    def defaultPrinterName() -> str:  # noqa: N802
        return "Xprinter XP-80"


def test_the_printer_choice_speaks_vietnamese_and_lists_the_installed_printers(qtbot, monkeypatch):
    monkeypatch.setattr(dialogs_module, "QPrinterInfo", Printers)
    dialog, printers, copies = build_printer_choice(None)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "In phiếu"
    assert [printers.itemText(i) for i in range(printers.count())] == ["HP LaserJet 1020", "Xprinter XP-80"]
    assert printers.currentText() == "Xprinter XP-80"  # the PC's default printer first
    assert (copies.minimum(), copies.value()) == (1, 1)
    labels = {w.text() for w in dialog.findChildren(QLabel)}
    assert {"Máy in:", "Số bản:"} <= labels
    [box] = dialog.findChildren(QDialogButtonBox)
    assert sorted(b.text() for b in box.buttons()) == ["Hủy", "In"]


def test_no_printer_installed_is_said_plainly(qtbot, monkeypatch):
    class NoPrinters(Printers):
        @staticmethod
        def availablePrinterNames() -> list[str]:  # noqa: N802
            return []

    monkeypatch.setattr(dialogs_module, "QPrinterInfo", NoPrinters)
    warned: list[str] = []

    class Warned(Dialogs):
        def warn(self, parent, text, title="Lưu ý"):  # noqa: ANN001
            warned.append(text)

    assert Warned().choose_printer(None) is None
    assert warned and "chưa cài máy in" in warned[0]
