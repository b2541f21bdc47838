"""Every question, notice and error the window shows goes through ONE replaceable service.

Modal `exec()` dialogs hang a test run, so widgets never build message boxes themselves: they call
`self.dialogs.info(...)`, `.confirm(...)`, `.show_error(...)` and tests pass a `RecordingDialogs`
that answers from a script and remembers what was shown.

Errors are sorted the qutebrowser way: `UserError`/`KnownError` carry a Vietnamese message for the
clerk; anything else is a bug — logged with its traceback and shown with the tail of the log so a
developer never loses it, while the clerk is told what to do next.
"""

from __future__ import annotations

import collections
import logging
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import MotcuaError
from ..domain.privacy import mask
from ..logs import LOG_FORMAT, MaskingFormatter
from pathlib import Path

from .qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGuiApplication,
    QHBoxLayout,
    QLabel,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPdfDocument,
    QPdfView,
    QPrinter,
    QPrinterInfo,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger("motcua.gui")

PAPER_LABELS = {"a4": "A4", "a5": "A5", "80mm": "Cuộn 80 mm"}


@dataclass(frozen=True)
class PrintChoice:
    """What the clerk decided in a slip preview."""

    paper: str  # the paper this print should be on (differs from the preview's: re-issue first)
    printer_name: str | None  # the slip kind's default printer (print without asking); None = ask
    save: bool = False  # "Lưu tệp PDF…" instead of printing

@dataclass(frozen=True)
class FormField:
    """One line of a form asked through `Dialogs.ask_form` (log-in, first run, a new account…)."""

    key: str
    label: str
    kind: str = "text"  # text | password | choice
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) for a choice
    hint: str = ""  # placeholder text


TITLE_INFO = "Thông báo"
TITLE_WARN = "Lưu ý"
TITLE_ERROR = "Không thực hiện được"
TITLE_BUG = "Lỗi chương trình"
BUG_TEXT = ("Chương trình gặp lỗi không mong muốn; thao tác vừa rồi chưa được ghi. "
            "Hãy thử lại; nếu lỗi lặp lại, báo cho quản trị viên kèm nội dung chi tiết bên dưới.")


class LogTail(logging.Handler):
    """Keeps the last lines of the log in memory for the bug dialog."""

    def __init__(self, lines: int = 200) -> None:
        super().__init__(logging.DEBUG)
        self.lines: collections.deque[str] = collections.deque(maxlen=lines)
        self.setFormatter(MaskingFormatter(LOG_FORMAT))  # shown in the bug dialog, copied into reports

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.extend(self.format(record).splitlines())
        except Exception:  # a logging handler must never raise
            pass

    def text(self, last: int = 60) -> str:
        return "\n".join(list(self.lines)[-last:])


_TAIL = LogTail()


def install_log_tail() -> LogTail:
    """Attach the in-memory tail to the root logger once."""
    root = logging.getLogger()
    if _TAIL not in root.handlers:
        root.addHandler(_TAIL)
    return _TAIL


def error_text(exc: BaseException) -> tuple[str, bool]:
    """(message for the clerk, is_bug)."""
    if isinstance(exc, MotcuaError):
        return exc.message_vi, False
    return BUG_TEXT, True


class Dialogs:
    """The real dialogs (modal message boxes). Subclass or replace in tests."""

    def info(self, parent: QWidget | None, text: str, title: str = TITLE_INFO) -> None:
        QMessageBox.information(parent, title, text)

    def warn(self, parent: QWidget | None, text: str, title: str = TITLE_WARN) -> None:
        QMessageBox.warning(parent, title, text)

    def error(self, parent: QWidget | None, text: str, title: str = TITLE_ERROR, details: str | None = None) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
        if details:
            box.setDetailedText(details)
        box.exec()

    def confirm(self, parent: QWidget | None, text: str, title: str = "Xác nhận", *,
                yes: str = "Đồng ý", no: str = "Hủy", safe_default: bool = False) -> bool:
        """Yes or no. `safe_default`: "no" is the default button, for questions whose "yes" destroys
        something (a reflex Enter must not discard a typed dossier)."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
        yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no_button if safe_default else yes_button)
        box.setEscapeButton(no_button)
        box.exec()
        return box.clickedButton() is yes_button

    def ask_text(self, parent: QWidget | None, label: str, title: str = "Nhập", default: str = "") -> str | None:
        text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, default)
        return text if ok else None

    def choose_file(self, parent: QWidget | None, title: str, filter: str = "") -> str | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, "", filter)
        return path or None

    def choose_save_file(self, parent: QWidget | None, title: str, suggested: str = "",
                         filter: str = "") -> str | None:
        # Our own confirmation (through this service) decides about replacing a file, so Qt's is off.
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filter,
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        return path or None

    def choose_printer(self, parent: QWidget | None) -> QPrinter | None:
        """The app's own printer choice, in Vietnamese (Qt ships no Vietnamese for its print dialog)."""
        dialog, printers, copies = build_printer_choice(parent)
        if not printers.count():
            self.warn(parent, "Máy này chưa cài máy in nào. Hãy cài máy in (hoặc lưu phiếu thành tệp PDF).")
            return None
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPrinterName(printers.currentText())
        printer.setCopyCount(copies.value())
        return printer

    def preview_pdf(self, parent: QWidget | None, path: Path, title: str, *, paper: str | None = None,
                    papers: Sequence[str] = (), printer_name: str | None = None) -> PrintChoice | None:
        """Show a slip PDF. Enter prints (to the kind's default printer when there is one); choosing
        another paper returns at once so the caller re-issues the slip on it and previews again."""
        dialog, chosen = build_preview(parent, path, title, paper=paper, papers=papers, printer_name=printer_name)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return PrintChoice(paper=chosen.get("paper", paper or ""), printer_name=printer_name,
                           save=bool(chosen.get("save")))

    def ask_form(self, parent: QWidget | None, title: str, fields: Sequence[FormField], *,
                 message: str = "", error: str = "", values: dict[str, str] | None = None,
                 ok: str = "Đồng ý", cancel: str = "Hủy") -> dict[str, str] | None:
        """A small modal form; the values typed (passwords as typed), or None when cancelled. `error` is
        shown in red above the fields (the previous try's refusal); passwords are never pre-filled."""
        dialog, edits = build_form(parent, title, fields, message=message, error=error, values=values,
                                   ok=ok, cancel=cancel)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return {key: read() for key, read in edits.items()}

    def show_error(self, parent: QWidget | None, exc: BaseException, *, doing: str | None = None) -> None:
        """Show any exception the right way: a clear message, or the bug dialog with the log tail."""
        message, is_bug = error_text(exc)
        if is_bug:
            log.error("bug while %s", doing or "handling an action",
                      exc_info=(type(exc), exc, exc.__traceback__))
            details = mask("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
            self.error(parent, message, TITLE_BUG, details=f"{details}\n--- nhật ký ---\n{_TAIL.text()}")
        else:
            log.info("refused %s: %s", doing or "action", getattr(exc, "message_en", exc))
            self.error(parent, message)


def build_printer_choice(parent: QWidget | None) -> tuple[QDialog, QComboBox, QSpinBox]:
    """The printer choice (not yet shown): the printers installed on this PC and the number of copies."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("In phiếu")
    form = QFormLayout(dialog)
    printers = QComboBox()
    printers.setObjectName("printerChoice")
    names = QPrinterInfo.availablePrinterNames()
    printers.addItems(names)
    default = QPrinterInfo.defaultPrinterName()
    if default in names:
        printers.setCurrentText(default)
    copies = QSpinBox()
    copies.setObjectName("copiesChoice")
    copies.setRange(1, 20)
    form.addRow("Máy in:", printers)
    form.addRow("Số bản:", copies)
    buttons = QDialogButtonBox()
    ok = buttons.addButton("In", QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
    ok.setDefault(True)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return dialog, printers, copies


def build_preview(parent: QWidget | None, path: Path, title: str, *, paper: str | None = None,
                  papers: Sequence[str] = (), printer_name: str | None = None) -> tuple[QDialog, dict[str, str]]:
    """The slip preview dialog (not yet shown) and the dict its paper choice lands in."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    doc = QPdfDocument(dialog)
    doc.load(str(path))
    view = QPdfView(dialog)
    view.setDocument(doc)
    view.setPageMode(QPdfView.PageMode.MultiPage)
    # A long narrow ticket fitted to the width would show only its top; show it whole.
    view.setZoomMode(QPdfView.ZoomMode.FitInView if paper == "80mm" else QPdfView.ZoomMode.FitToWidth)
    chosen: dict[str, str] = {}
    options = QHBoxLayout()
    if papers and paper:
        combo = QComboBox(dialog)
        for p in papers:
            combo.addItem(PAPER_LABELS.get(p, p), p)
        combo.setCurrentIndex(max(0, list(papers).index(paper)) if paper in papers else 0)

        def paper_changed(_index: int) -> None:
            chosen["paper"] = combo.currentData()
            dialog.accept()

        combo.currentIndexChanged.connect(paper_changed)
        options.addWidget(QLabel("Khổ giấy:"))
        options.addWidget(combo)
    options.addStretch(1)
    options.addWidget(QLabel(f"Máy in: {printer_name} (mặc định cho loại phiếu này)" if printer_name
                             else "Máy in: chọn khi in"))
    buttons = QDialogButtonBox()
    print_button = buttons.addButton("In  (Enter)" if printer_name else "In…  (Enter)",
                                     QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton("Đóng  (Esc)", QDialogButtonBox.ButtonRole.RejectRole)
    save_button = buttons.addButton("Lưu tệp PDF…", QDialogButtonBox.ButtonRole.ActionRole)
    save_button.setObjectName("saveSlipPdf")

    def save_clicked() -> None:
        chosen["save"] = "1"
        dialog.accept()

    save_button.clicked.connect(save_clicked)
    print_button.setDefault(True)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(view, 1)
    layout.addLayout(options)
    layout.addWidget(buttons)
    fit_to_screen(dialog, 760, 900)
    return dialog, chosen


def build_form(parent: QWidget | None, title: str, fields: Sequence[FormField], *, message: str = "",
               error: str = "", values: dict[str, str] | None = None, ok: str = "Đồng ý",
               cancel: str = "Hủy") -> tuple[QDialog, dict[str, Any]]:
    """The form dialog (not yet shown) and, per field key, a function reading what was typed."""
    values = values or {}
    dialog = QDialog(parent)
    dialog.setObjectName("formDialog")
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    if message:
        intro = QLabel(message)
        intro.setWordWrap(True)
        layout.addWidget(intro)
    problem = QLabel(error)
    problem.setObjectName("formError")
    problem.setStyleSheet("color: #b3261e; font-weight: bold;")
    problem.setWordWrap(True)
    problem.setVisible(bool(error))
    layout.addWidget(problem)
    form = QFormLayout()
    edits: dict[str, Any] = {}
    first: QWidget | None = None
    for f in fields:
        if f.kind == "choice":
            combo = QComboBox(dialog)
            combo.setObjectName(f"form_{f.key}")
            for value, label in f.choices:
                combo.addItem(label, value)
            if f.key in values:
                combo.setCurrentIndex(max(0, combo.findData(values[f.key])))
            edits[f.key] = lambda combo=combo: str(combo.currentData())
            widget: QWidget = combo
        else:
            edit = QLineEdit(dialog)
            edit.setObjectName(f"form_{f.key}")
            edit.setMinimumWidth(320)
            if f.hint:
                edit.setPlaceholderText(f.hint)
            if f.kind == "password":
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            else:
                edit.setText(values.get(f.key, ""))
            edits[f.key] = edit.text
            widget = edit
        first = first or widget
        form.addRow(f.label, widget)
    layout.addLayout(form)
    buttons = QDialogButtonBox()
    ok_button = buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
    ok_button.setDefault(True)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    if first is not None:
        first.setFocus()
    return dialog, edits


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to width × height, but never past the screen it opens on: on a 1024×768 counter monitor
    a 900-pixel preview would put its Print button below the bottom edge."""
    screen = (widget.parentWidget() or widget).screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width() - 40), min(height, room.height() - 60)
    widget.resize(width, height)


@dataclass
class Shown:
    kind: str  # info | warn | error | confirm | ask_text
    text: str
    title: str
    details: str | None = None
    safe_default: bool = False  # confirm: "no" was the default button


@dataclass
class RecordingDialogs(Dialogs):
    """For tests: records every dialog and answers confirm/ask_text from scripted queues.

    An unscripted question fails loudly instead of hanging the run.
    """

    confirms: collections.deque[bool] = field(default_factory=collections.deque)
    texts: collections.deque[str | None] = field(default_factory=collections.deque)
    files: collections.deque[str | None] = field(default_factory=collections.deque)
    previews: collections.deque[PrintChoice | None] = field(default_factory=collections.deque)
    forms: collections.deque[dict[str, str] | None] = field(default_factory=collections.deque)
    shown: list[Shown] = field(default_factory=list)

    def answer(self, *, confirms: Iterable[bool] = (), texts: Iterable[str | None] = (),
               files: Iterable[str | None] = (), forms: Iterable[dict[str, str] | None] = ()) -> RecordingDialogs:
        self.confirms.extend(confirms)
        self.texts.extend(texts)
        self.files.extend(files)
        self.forms.extend(forms)
        return self

    def info(self, parent: Any, text: str, title: str = TITLE_INFO) -> None:
        self.shown.append(Shown("info", text, title))

    def warn(self, parent: Any, text: str, title: str = TITLE_WARN) -> None:
        self.shown.append(Shown("warn", text, title))

    def error(self, parent: Any, text: str, title: str = TITLE_ERROR, details: str | None = None) -> None:
        self.shown.append(Shown("error", text, title, details))

    def confirm(self, parent: Any, text: str, title: str = "Xác nhận", *, yes: str = "Đồng ý", no: str = "Hủy",
                safe_default: bool = False) -> bool:
        self.shown.append(Shown("confirm", text, title, safe_default=safe_default))
        if not self.confirms:
            raise AssertionError(f"unscripted confirm: {text}")
        return self.confirms.popleft()

    def ask_text(self, parent: Any, label: str, title: str = "Nhập", default: str = "") -> str | None:
        self.shown.append(Shown("ask_text", label, title))
        if not self.texts:
            raise AssertionError(f"unscripted question: {label}")
        return self.texts.popleft()

    def preview_pdf(self, parent: Any, path: Path, title: str, *, paper: str | None = None,
                    papers: Sequence[str] = (), printer_name: str | None = None) -> PrintChoice | None:
        self.shown.append(Shown("preview_pdf", str(path), title, details=printer_name))
        # Unscripted: close the preview (tests look at the PDF file itself; nothing is printed).
        return self.previews.popleft() if self.previews else None

    def ask_form(self, parent: Any, title: str, fields: Sequence[FormField], *, message: str = "",
                 error: str = "", values: dict[str, str] | None = None, ok: str = "Đồng ý",
                 cancel: str = "Hủy") -> dict[str, str] | None:
        # text: the refusal shown on the form (what a test looks for); details: the field keys asked
        self.shown.append(Shown("form", error or message, title, details=",".join(f.key for f in fields)))
        if not self.forms:
            raise AssertionError(f"unscripted form: {title}")
        return self.forms.popleft()

    def forms_shown(self, title: str | None = None) -> list[Shown]:
        return [s for s in self.shown if s.kind == "form" and (title is None or s.title == title)]

    def choose_file(self, parent: Any, title: str, filter: str = "") -> str | None:
        self.shown.append(Shown("choose_file", title, title))
        if not self.files:
            raise AssertionError(f"unscripted file choice: {title}")
        return self.files.popleft()

    def choose_save_file(self, parent: Any, title: str, suggested: str = "", filter: str = "") -> str | None:
        self.shown.append(Shown("choose_save_file", suggested, title))
        if not self.files:
            raise AssertionError(f"unscripted file choice: {title}")
        return self.files.popleft()

    def choose_printer(self, parent: Any) -> None:
        self.shown.append(Shown("choose_printer", "", ""))
        return None

    def kinds(self) -> list[str]:
        return [s.kind for s in self.shown]

    def errors(self) -> list[Shown]:
        return [s for s in self.shown if s.kind == "error"]
