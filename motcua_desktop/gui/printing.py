"""Slips after a dossier is written: issue (render + archive) off the UI thread, preview, print.

Wired only when `services.slips.issue_slip` exists (built by Engineer SLIPS): the wizard's
`on_dossier_written(code, kind)` hook issues the slip of that kind and shows it. The preview and the
printer choice are modal, so they go through the dialog service (`Dialogs.preview_pdf`,
`Dialogs.choose_printer`) and tests replace them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..services import slips as slip_service
from .qt import QPainter, QPdfDocument, QPrinter, QRect, QSize

if TYPE_CHECKING:
    from .main_window import MainWindow

log = logging.getLogger("motcua.gui.printing")


def printing_available() -> bool:
    return callable(getattr(slip_service, "issue_slip", None))


def print_pdf(path: Path, printer: QPrinter) -> int:
    """Paint every page of a PDF onto the printer at its resolution; returns the pages printed."""
    doc = QPdfDocument()
    doc.load(str(path))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("printer did not start")
    try:
        target: QRect = printer.pageLayout().paintRectPixels(printer.resolution())
        for page in range(doc.pageCount()):
            if page:
                printer.newPage()
            size = doc.pagePointSize(page).toSize().scaled(target.size(), _keep_aspect())
            image = doc.render(page, QSize(size.width(), size.height()))
            painter.drawImage(QRect(target.topLeft(), size), image)
        return doc.pageCount()
    finally:
        painter.end()
        doc.close()


def _keep_aspect() -> Any:
    from .qt import Qt

    return Qt.AspectRatioMode.KeepAspectRatio


def _latest_or_issue(ctx: Any, code: str, kind: str) -> Any:
    return slip_service.latest(ctx, code, kind) or slip_service.issue_slip(ctx, code, kind)


def attach_printing(window: MainWindow) -> None:
    """Hook slip issuing onto the wizard when the slips service provides it."""
    if not printing_available():
        log.info("services.slips.issue_slip not available: slips are not printed from the window yet")
        return

    def issue(code: str, kind: str) -> None:
        window.ops.run(slip_service.issue_slip, code, kind, on_done=lambda slip: show(slip, kind),
                       parent=window, doing="in phiếu")

    def show(slip: Any, kind: str) -> None:
        printer = window.dialogs.preview_pdf(window, Path(slip.path), f"Phiếu {slip.dossier_code}")
        if printer is None:
            return
        pages = print_pdf(Path(slip.path), printer)
        window.ops.run(slip_service.record_print, slip.id, printer.printerName() or None, doing="ghi lượt in")
        window.statusBar().showMessage(f"Đã gửi {pages} trang phiếu {slip.dossier_code} tới máy in", 10_000)

    window.wizard.on_dossier_written.append(issue)
    window.wizard.done_step.print_button.setVisible(True)

    def reprint() -> None:
        # The archived file is what the citizen got: print it again, never a fresh render.
        d = window.wizard.written
        if d is not None:
            window.ops.run(_latest_or_issue, d.code, window.wizard.written_kind,
                           on_done=lambda slip: show(slip, window.wizard.written_kind), parent=window,
                           doing="in lại phiếu")

    window.wizard.done_step.print_button.clicked.connect(reprint)
