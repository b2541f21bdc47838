"""Slips after a dossier is written: issue (render + archive) off the UI thread, preview, print.

The wizard's `on_dossier_written(code, kind)` hook issues the slip of that kind and shows it; the
return desk's `after_apology` hook does the same for apology slips, and `after_stop` offers the stop notice. Both get the window as a
`DeskHost` (gui/pages.py): this module knows nothing of the main window. Each slip kind may have a default printer and paper
(settings `print_defaults`), so the usual case is one key. The preview and the printer choice are
modal, so they go through the dialog service (`Dialogs.preview_pdf`, `Dialogs.choose_printer`) and
tests replace them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import MotcuaError
from ..services import outputs
from ..services import slips as slip_service
from .qt import QMarginsF, QPageLayout, QPageSize, QPainter, QPdfDocument, QPrinter, QPrinterInfo, QRect, QSize, QSizeF

if TYPE_CHECKING:
    from ..services.dossiers import DossierView
    from .pages import DeskHost
    from .return_desk import ReturnDesk
    from .wizard import IntakeWizard

log = logging.getLogger("motcua.gui.printing")


# Pages are painted as images (QtPdf renders to images only). 300 dpi keeps text and barcodes
# sharp; rendering at a 1200 dpi printer's own resolution would need ~0.5 GB per A4 page.
RASTER_DPI = 300


def print_pdf(path: Path, printer: QPrinter) -> int:
    """Paint every page of a PDF onto the printer, fitted to its printable area; returns the pages printed."""
    doc = QPdfDocument()
    doc.load(str(path))
    if doc.pageCount():
        fit_paper(printer, doc.pagePointSize(0))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("printer did not start")
    try:
        target: QRect = printer.pageLayout().paintRectPixels(printer.resolution())
        scale = min(1.0, RASTER_DPI / max(1, printer.resolution()))
        for page in range(doc.pageCount()):
            if page:
                printer.newPage()
            size = doc.pagePointSize(page).toSize().scaled(target.size(), _keep_aspect())
            image = doc.render(page, QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale))))
            painter.drawImage(QRect(target.topLeft(), size), image)
        return doc.pageCount()
    finally:
        painter.end()
        doc.close()


def fit_paper(printer: QPrinter, points: QSizeF) -> None:
    """Put the slip's own paper in the printer (A5 stays A5, the 80 mm ticket stays a ticket) with no
    extra margins: the slip's PDF already has the form's margins."""
    size = QPageSize(points, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = QPageLayout.Orientation.Portrait
    if not printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0))):
        # A driver that refuses zero margins: keep the paper, take its smallest margins.
        printer.setPageSize(size)


def _keep_aspect() -> Any:
    from .qt import Qt

    return Qt.AspectRatioMode.KeepAspectRatio


def make_printer(name: str) -> QPrinter | None:
    """A printer by name, or None when no such printer is installed on this machine any more."""
    if name not in QPrinterInfo.availablePrinterNames():
        return None
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(name)
    return printer


def papers_for(kind: str) -> tuple[str, ...]:
    return ("a4", "a5") if kind == "control" else ("a4", "a5", "80mm")


def present(host: DeskHost, slip: Any, title: str | None = None) -> None:
    """Preview an issued slip; Enter prints it to the kind's default printer (or one the clerk
    chooses); picking another paper re-issues the slip on that paper and previews it again."""
    ctx, parent = host.ctx, host.host_widget()
    title = title or f"Phiếu {slip.dossier_code}"
    default = slip_service.default_printer(ctx, slip.kind)
    choice = host.dialogs.preview_pdf(parent, Path(slip.path), title, paper=slip.paper,
                                      papers=papers_for(slip.kind), printer_name=default)
    if choice is None:
        return
    if choice.save:
        save_copy(host, slip)
        return
    if choice.paper and choice.paper != slip.paper:
        host.ops.run(slip_service.issue_slip, slip.dossier_code, slip.kind, choice.paper,
                     on_done=lambda again: present(host, again, title), parent=parent,
                     doing="in phiếu khổ khác")
        return
    printer = make_printer(choice.printer_name) if choice.printer_name else None
    if choice.printer_name and printer is None:
        host.dialogs.warn(parent, f"Không tìm thấy máy in '{choice.printer_name}' trên máy này. "
                                  "Hãy chọn máy in khác (và sửa máy in mặc định trong Thiết lập).")
    if printer is None:
        printer = host.dialogs.choose_printer(parent)
        if printer is None:
            return
    pages = print_pdf(Path(slip.path), printer)
    host.ops.run(slip_service.record_print, slip.id, choice.printer_name or printer.printerName() or None,
                 doing="ghi lượt in")
    host.show_status(f"Đã gửi {pages} trang phiếu {slip.dossier_code} tới máy in", 10_000)


def save_copy(host: DeskHost, slip: Any) -> None:
    """"Lưu tệp PDF…": the archived slip saved where the clerk chooses, under the rule for every file a
    user names (never into the data dir, never over a symlink or a device; replacing a file only after
    the clerk confirmed it)."""
    window = host.host_widget()
    chosen = host.dialogs.choose_save_file(window, "Lưu phiếu thành tệp PDF", f"{slip.dossier_code}-{slip.kind}.pdf",
                                           "Tệp PDF (*.pdf)")
    if not chosen:
        return
    force = False
    try:
        outputs.check_output(chosen, host.ctx.data_dir)
    except outputs.OutputExists:
        if not host.dialogs.confirm(window, f"Tệp {chosen} đã có. Ghi đè bằng phiếu này?", "Ghi đè tệp",
                                    yes="Ghi đè", no="Hủy"):
            return
        force = True
    except MotcuaError as error:
        host.dialogs.show_error(window, error, doing="lưu tệp phiếu")
        return
    host.ops.run(slip_service.save_copy, slip.id, Path(chosen), force=force, parent=window, doing="lưu tệp phiếu",
                 on_done=lambda path: host.show_status(f"Đã lưu phiếu vào {path}", 10_000))


def _latest_or_issue(ctx: Any, code: str, kind: str) -> Any:
    return slip_service.latest(ctx, code, kind) or slip_service.issue_slip(ctx, code, kind)


def attach_printing(host: DeskHost, wizard: IntakeWizard) -> None:
    """Hook slip issuing onto the wizard."""
    parent = host.host_widget()

    def issue(code: str, kind: str) -> None:
        host.ops.run(slip_service.issue_slip, code, kind, on_done=lambda slip: present(host, slip),
                     parent=parent, doing="in phiếu")

    wizard.on_dossier_written.append(issue)
    wizard.done_step.print_button.setVisible(True)

    def reprint() -> None:
        # The archived file is what the citizen got: print it again, never a fresh render.
        d = wizard.written
        if d is not None:
            host.ops.run(_latest_or_issue, d.code, wizard.written_kind,
                         on_done=lambda slip: present(host, slip), parent=parent, doing="in lại phiếu")

    wizard.done_step.print_button.clicked.connect(reprint)


def attach_apology_printing(host: DeskHost, desk: ReturnDesk) -> None:
    """After an apology, issue and print the apology slip, as the wizard does for receipts; after a
    stop, offer the stop notice (Mẫu 05) the same way."""

    def issue(view: DossierView) -> None:
        host.ops.run(slip_service.issue_slip, view.code, "apology",
                     on_done=lambda slip: present(host, slip, f"Phiếu xin lỗi {slip.dossier_code}"),
                     parent=desk, doing="in phiếu xin lỗi")

    desk.after_apology.append(issue)

    def offer_stop_notice(view: DossierView) -> None:
        # Mẫu 05 goes to the citizen (often by post): offered, not forced, since the clerk may stop
        # several dossiers at once and print later (`motcua slip stop`).
        if not host.dialogs.confirm(desk, f"In thông báo dừng giải quyết hồ sơ {view.code} để gửi người nộp?",
                                    "Thông báo dừng giải quyết hồ sơ", yes="In thông báo", no="Để sau"):
            return
        host.ops.run(slip_service.issue_slip, view.code, "stop",
                     on_done=lambda slip: present(host, slip, f"Thông báo dừng giải quyết {slip.dossier_code}"),
                     parent=desk, doing="in thông báo dừng giải quyết hồ sơ")

    desk.after_stop.append(offer_stop_notice)
