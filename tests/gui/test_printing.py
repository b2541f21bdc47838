"""Printing a slip from the window: preview, paper per print, the kind's default printer, a real QPrinter."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.gui import printing
from motcua_desktop.gui.dialogs import PrintChoice
from motcua_desktop.gui.qt import QPrinter
from motcua_desktop.services import intake, slips
from motcua_desktop.services.settings import update_settings


@pytest.fixture(autouse=True)
def quiet_week(clock):
    clock.now = datetime(2026, 12, 7, 9, 0)


@pytest.fixture
def slip(ctx):
    view = intake.receive(ctx, "HT-04", Applicant(name="Vũ Thị Hạnh", id_number="001190012345"), "all")
    return slips.issue_slip(ctx, view.code, "receipt", "a4")


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def codes_on_first_page(pdf: Path) -> set[str]:
    """What a barcode reader finds on the printed page (the page is painted as an image of the slip)."""
    import zxingcpp
    from PIL import Image

    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf), str(prefix)], check=True)
    [png] = pdf.parent.glob(f"{prefix.name}*.png")
    return {r.text for r in zxingcpp.read_barcodes(Image.open(png))}


def test_a_qprinter_writing_pdf_produces_a_readable_page(slip, tmp_path, styled_app):
    out = tmp_path / "printed.pdf"
    pages = printing.print_pdf(Path(slip.path), pdf_printer(out))
    assert pages == 2  # the two copies (liên) of the receipt
    assert codes_on_first_page(out) == {slip.dossier_code}  # both the Code128 and the QR read back


def test_default_printer_of_the_kind_prints_without_asking(qtbot, window, ctx, dialogs, slip, tmp_path,
                                                           monkeypatch):
    update_settings(ctx, {"print_defaults": {"receipt": {"printer": "Máy in quầy 1"}}})
    out = tmp_path / "to-printer.pdf"
    asked: list[str] = []
    monkeypatch.setattr(printing, "make_printer", lambda name: asked.append(name) or pdf_printer(out))
    dialogs.previews.append(PrintChoice(paper="a4", printer_name="Máy in quầy 1"))
    with qtbot.waitSignal(window.ops.finished, timeout=10_000):
        printing.present(window, slip)
    [preview] = [s for s in dialogs.shown if s.kind == "preview_pdf"]
    assert preview.details == "Máy in quầy 1"  # the preview said where it will print
    assert asked == ["Máy in quầy 1"] and "choose_printer" not in dialogs.kinds()
    assert slip.dossier_code in codes_on_first_page(out)
    [logged] = slips.prints_of(ctx, slip.id)
    assert logged["printer"] == "Máy in quầy 1"


def test_choosing_another_paper_reissues_the_slip_and_previews_it(qtbot, window, ctx, dialogs, slip):
    dialogs.previews.extend([PrintChoice(paper="80mm", printer_name=None), None])
    with qtbot.waitSignal(window.ops.finished, timeout=10_000):
        printing.present(window, slip)
    qtbot.waitUntil(lambda: len([s for s in dialogs.shown if s.kind == "preview_pdf"]) == 2)
    issued = slips.slips_of(ctx, slip.dossier_code, "receipt")
    assert [s.paper for s in issued] == ["a4", "80mm"]
    second = [s for s in dialogs.shown if s.kind == "preview_pdf"][1]
    assert second.text == str(issued[-1].path)


def test_a_vanished_default_printer_warns_and_asks(qtbot, window, ctx, dialogs, slip):
    dialogs.previews.append(PrintChoice(paper="a4", printer_name="Máy in đã tháo"))
    printing.present(window, slip)
    assert dialogs.kinds()[-2:] == ["warn", "choose_printer"]
    assert slips.prints_of(ctx, slip.id) == []  # the clerk cancelled the printer choice: nothing printed


def page_points(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    [line] = [ln for ln in info.splitlines() if ln.startswith("Page size:")]
    w, _x, h = line.split(":", 1)[1].split()[:3]
    return float(w), float(h)


@pytest.mark.parametrize("paper, width_pt", [("a5", 419.5), ("80mm", 226.8)])
def test_the_printer_gets_the_slips_own_paper(ctx, slip, tmp_path, styled_app, paper, width_pt):
    """An A5 slip is not blown up to A4, and the 80 mm ticket prints as a ticket."""
    again = slips.issue_slip(ctx, slip.dossier_code, "receipt", paper)
    out = tmp_path / f"printed-{paper}.pdf"
    printing.print_pdf(Path(again.path), pdf_printer(out))
    assert page_points(out)[0] == pytest.approx(width_pt, abs=2)
    assert page_points(out) == pytest.approx(page_points(Path(again.path)), abs=2)
    assert slip.dossier_code in codes_on_first_page(out)


def test_the_preview_fits_the_screen_so_its_print_button_is_on_it(styled_app, qtbot, slip):
    """Offscreen the screen is 800×600; a counter monitor may be 1024×768: never a 900-pixel dialog."""
    from motcua_desktop.gui.dialogs import build_preview

    dialog, _ = build_preview(None, slip.path, "Xem trước", paper="a4", papers=("a4", "a5"))
    qtbot.addWidget(dialog)
    room = dialog.screen().availableGeometry()
    assert dialog.height() <= room.height() and dialog.width() <= room.width()
    assert dialog.height() >= 400  # still a preview, not a sliver


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_save_as_pdf_refuses_the_database_and_the_archive(qtbot, window, ctx, dialogs, slip, tmp_path):
    """The preview's "Lưu tệp PDF…" goes through the one rule for named files: the clerk cannot pick
    the counter's database or an archived slip, and an existing file is replaced only after a yes."""
    from motcua_desktop.paths import DB_FILENAME

    db = ctx.data_dir / DB_FILENAME
    db_before, archived_before = _sha(db), _sha(Path(slip.path))
    audit = ctx.store.query_one("SELECT count(*) AS n FROM audit_log")["n"]
    for chosen in (db, Path(slip.path), ctx.data_dir / "logs" / "x.pdf"):
        dialogs.previews.append(PrintChoice(paper="a4", printer_name=None, save=True))
        dialogs.files.append(str(chosen))
        printing.present(window, slip)
        assert "thư mục dữ liệu" in dialogs.errors()[-1].text
    assert len(dialogs.errors()) == 3 and not window.ops.busy
    assert _sha(db) == db_before and _sha(Path(slip.path)) == archived_before
    assert ctx.store.query_one("SELECT count(*) AS n FROM audit_log")["n"] == audit
    assert [s.id for s in slips.slips_of(ctx, slip.dossier_code)] == [slip.id]  # the store still reads

    out = tmp_path / "ban-luu.pdf"
    out.write_bytes(b"older")
    out.chmod(0o640)
    dialogs.previews.append(PrintChoice(paper="a4", printer_name=None, save=True))
    dialogs.files.append(str(out))
    dialogs.confirms.append(False)  # "Ghi đè?" — no
    printing.present(window, slip)
    assert dialogs.kinds()[-1] == "confirm" and out.read_bytes() == b"older"
    dialogs.previews.append(PrintChoice(paper="a4", printer_name=None, save=True))
    dialogs.files.append(str(out))
    dialogs.confirms.append(True)
    with qtbot.waitSignal(window.ops.finished, timeout=10_000) as done:
        printing.present(window, slip)
    assert done.args[1] is True
    assert out.read_bytes() == slip.read() and (out.stat().st_mode & 0o777) == 0o640
    assert slips.prints_of(ctx, slip.id) == []  # saved, not printed


@pytest.mark.parametrize("wanted", [True, False])
def test_after_a_stop_the_window_offers_the_stop_notice(qtbot, window, ctx, dialogs, wanted):
    """Mẫu 05: offered through the dialog service; yes issues it and shows the usual preview."""
    view = intake.receive(ctx, "HT-04", Applicant(name="Vũ Thị Hạnh", id_number="001190012345"), "all")
    desk = window.pages["returns"]
    desk.open_code(view.code)
    dialogs.answer(texts=["Người nộp đề nghị dừng giải quyết"], confirms=[wanted])
    dialogs.previews.append(None)  # the clerk closes the preview
    desk.stop_button.click()
    qtbot.waitUntil(lambda: any(s.kind == "confirm" for s in dialogs.shown), timeout=10_000)
    window.ops.wait()
    [offer] = [s for s in dialogs.shown if s.kind == "confirm"]
    assert "thông báo dừng" in offer.text
    if wanted:
        qtbot.waitUntil(lambda: any(s.kind == "preview_pdf" for s in dialogs.shown), timeout=10_000)
        assert len(slips.slips_of(ctx, view.code, "stop")) == 1
    else:
        assert slips.slips_of(ctx, view.code, "stop") == [] and not any(s.kind == "preview_pdf" for s in dialogs.shown)
