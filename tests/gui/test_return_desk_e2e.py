"""End to end, as a new clerk would try it: print a receipt, the result comes back, the citizen's slip
is scanned at the return desk (the barcode read off the rendered page), and the result is handed over."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.domain.dossier import Status
from motcua_desktop.gui.qt import Qt
from motcua_desktop.gui.return_desk import ReturnDesk
from motcua_desktop.services import dossiers, intake, returns, slips

zxingcpp = pytest.importorskip("zxingcpp")
PIL_Image = pytest.importorskip("PIL.Image")
pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")


def decode_page(pdf: Path, out: Path) -> dict[str, str]:
    """Render page 1 at 200 dpi with poppler and decode every barcode on it: {format: text}."""
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf), str(out / "page")],
                   check=True, capture_output=True, timeout=60)
    image = PIL_Image.open(next(out.glob("page*.png")))
    return {str(r.format): r.text for r in zxingcpp.read_barcodes(image)}


def test_print_receipt_result_ready_scan_the_page_and_hand_over(styled_app, qtbot, ctx, clock, dialogs,
                                                                tmp_path):
    clock.now = datetime(2026, 12, 7, 9, 30)
    citizen = Applicant(name="Hoàng Thị Ánh Tuyết", id_number="079190000123", phone="0987654321")
    code = intake.receive(ctx, "HT-04", citizen, "all").code
    receipt = slips.issue_slip(ctx, code, "receipt", "a4")
    found = decode_page(Path(receipt.path), tmp_path)
    code128 = next(text for fmt, text in found.items() if "128" in fmt)
    qr = next(text for fmt, text in found.items() if "QR" in fmt)
    assert code128 == code and qr == code

    clock.now = datetime(2026, 12, 9, 15, 0)
    returns.result_ready(ctx, code)

    desk = ReturnDesk(ctx, dialogs)
    qtbot.addWidget(desk)
    desk.resize(1100, 720)
    desk.show()
    qtbot.waitExposed(desk)
    assert desk.queue_table.codes() == [code]
    desk.field_combo.setFocus()  # wherever the clerk left the focus
    clock.now = datetime(2026, 12, 10, 8, 15)
    qtbot.keyClicks(desk.field_combo, code128)  # the scanner types the decoded text…
    qtbot.keyClick(desk.field_combo, Qt.Key.Key_Return)  # …and its terminator
    assert desk.current is not None and desk.current.code == code
    assert desk.field_combo.currentIndex() == 0  # the burst did not type into the filter

    desk.rating.setCurrentIndex(5)
    dialogs.answer(confirms=[True])
    # The scan put the keyboard focus on "Trả kết quả" (focusWidget: offscreen windows are never active)…
    assert desk.focusWidget() is desk.handover_button
    qtbot.wait(80)  # …and the clerk, a person, presses Enter a moment later
    qtbot.keyClick(desk.handover_button, Qt.Key.Key_Return)
    view = dossiers.get(ctx, code)
    assert view.status is Status.RETURNED
    assert view.returned_at == datetime(2026, 12, 10, 8, 15)
    assert view.returned_to["name"] == "Hoàng Thị Ánh Tuyết" and view.rating == 5
    assert desk.queue_table.codes() == []
    assert dialogs.errors() == []
