"""Thiết lập: the counter's identity and defaults, printing per slip kind, and the working calendar.

The form is generated from the one settings schema (domain/settings.py); saving goes through
services/settings.update_settings, which validates every field first and writes all or nothing — on
the window's worker store, like every other write. The "Hub" tab shows the hub this counter syncs
with and which catalogue and calendar are in force (from the hub, or imported here), and connects
the counter to a hub (address + the token the province issued).
"""

from __future__ import annotations

from typing import Any

from ..domain.settings import PAPERS, SETTINGS, SLIP_KINDS
from ..errors import MotcuaError
from ..services import form_sets, sync, sync_status
from ..services.context import Context
from ..services.settings import CODE_SHAPING, SettingsInvalid, update_settings, validate
from .calendar_view import CalendarView
from .dialogs import PAPER_LABELS, Dialogs, FormField
from .ops import Changes, Ops, run_on_desk
from .qt import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPrinterInfo,
    QPushButton,
    QScrollArea,
    QShortcut,
    QSpinBox,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)

# Every setting of the schema is on the first tab, in schema order, except the print defaults,
# which have their own tab (one row per slip kind). A new setting appears here by itself.
OWN_TAB = ("print_defaults",)
FORM_KEYS = tuple(k for k in SETTINGS if k not in OWN_TAB)
KIND_LABELS = {"receipt": "Giấy tiếp nhận và hẹn trả kết quả", "supplement": "Phiếu yêu cầu bổ sung",
               "refusal": "Phiếu từ chối tiếp nhận", "apology": "Văn bản xin lỗi, đề nghị gia hạn",
               "stop": "Thông báo dừng giải quyết", "control": "Phiếu kiểm soát quá trình"}
SOURCE_LABELS = {"shipped": "kèm phần mềm", "local": "bản sửa tại quầy (local)", "hub": "do hệ thống cấp trên cấp"}
ASK = "(hỏi mỗi lần)"
COUNTER_DEFAULT = "(khổ mặc định của quầy)"


class SettingsView(QWidget):
    saved = Signal(dict)  # the values that changed

    def __init__(self, ctx: Context, dialogs: Dialogs, ops: Ops | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.dialogs, self.ops = ctx, dialogs, ops
        title = QLabel("Thiết lập quầy")
        title.setObjectName("pageTitle")

        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        form_page = QWidget()
        form = QFormLayout(form_page)
        form.setHorizontalSpacing(24)
        form.setVerticalSpacing(8)
        for key in FORM_KEYS:
            editor = self._editor(key)
            editor.setObjectName(f"setting_{key}")
            editor.setMaximumWidth(min(editor.maximumWidth(), 560))  # a value's field, not the page's width
            self.editors[key] = editor
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.setVisible(False)
            self.errors[key] = error
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(editor)
            cell.addWidget(error)
            if key == "form_set":  # which set prints today, and whether it is a local correction
                self.form_set_note = QLabel()
                self.form_set_note.setObjectName("formSetNote")
                self.form_set_note.setWordWrap(True)
                cell.addWidget(self.form_set_note)
            label = QLabel(SETTINGS[key].description)
            label.setWordWrap(True)
            label.setMaximumWidth(360)
            label.setToolTip(key)
            label.setBuddy(editor)
            form.addRow(label, cell)

        self.printers: dict[str, QComboBox] = {}
        self.papers: dict[str, QComboBox] = {}
        print_page = QWidget()
        print_form = QFormLayout(print_page)
        print_form.setHorizontalSpacing(24)
        heads = QHBoxLayout()
        for text, stretch in (("Máy in mặc định", 2), ("Khổ giấy", 1)):
            head = QLabel(text)
            head.setObjectName("gridHeader")
            heads.addWidget(head, stretch)
        kind_head = QLabel("Loại phiếu")
        kind_head.setObjectName("gridHeader")
        print_form.addRow(kind_head, heads)
        names = QPrinterInfo.availablePrinterNames()
        for kind in SLIP_KINDS:
            printer = QComboBox()
            printer.setObjectName(f"printer_{kind}")
            printer.setEditable(True)  # a counter may name a printer that is off right now
            printer.addItem(ASK, "")
            for name in names:
                printer.addItem(name, name)
            paper = QComboBox()
            paper.setObjectName(f"paper_{kind}")
            paper.addItem(COUNTER_DEFAULT, "")
            for p in PAPERS:
                if not (kind == "control" and p == "80mm"):
                    paper.addItem(PAPER_LABELS[p], p)
            self.printers[kind], self.papers[kind] = printer, paper
            row = QHBoxLayout()
            row.addWidget(printer, 2)
            row.addWidget(paper, 1)
            print_form.addRow(KIND_LABELS[kind], row)
        print_error = QLabel()
        print_error.setObjectName("fieldError")
        print_error.setWordWrap(True)
        print_error.setVisible(False)
        self.errors["print_defaults"] = print_error
        print_form.addRow(print_error)
        hint = QLabel("Khi loại phiếu có máy in mặc định, cửa sổ xem trước in thẳng ra máy đó bằng phím Enter; "
                      "\"(hỏi mỗi lần)\" mở hộp chọn máy in. Khổ giấy chọn ở đây dùng khi phát phiếu; "
                      "cửa sổ xem trước vẫn cho đổi khổ cho từng lần in.")
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        print_form.addRow(hint)

        self.calendar = CalendarView(ctx, dialogs, ops)
        hub_page = self._build_hub_tab()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        # The schema grows (backups, accounts, retention): the form scrolls down, never sideways, so the
        # page fits a 1024×768 counter monitor whatever it holds.
        scroll = QScrollArea()
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(form_page)
        self.tabs.addTab(scroll, "Đơn vị và quầy")
        self.tabs.addTab(print_page, "In phiếu")
        self.tabs.addTab(self.calendar, "Lịch làm việc")
        self.tabs.addTab(hub_page, "Hub và đồng bộ")

        self.save_button = QPushButton("Lưu thiết lập  (Ctrl+S)")
        self.save_button.setObjectName("saveSettings")
        self.save_button.clicked.connect(self.save)
        # A page shortcut like the wizard's (a button's own shortcut did not fire from a focused field).
        save_key = QShortcut(QKeySequence("Ctrl+S"), self)
        save_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_key.activated.connect(self.save)
        revert = QPushButton("Hoàn tác")
        revert.setObjectName("revertSettings")
        revert.clicked.connect(self.load)
        self.status = QLabel()
        self.status.setObjectName("hintLabel")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(revert)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.load()

    def _build_hub_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        box = QGroupBox("Hub của tỉnh")
        form = QFormLayout(box)
        self.hub_values: dict[str, QLabel] = {}
        for key, text in (("url", "Địa chỉ hub:"), ("token", "Mã truy cập của quầy:"),
                          ("last", "Đồng bộ thành công gần nhất:"), ("catalog", "Danh mục thủ tục đang dùng:"),
                          ("calendar", "Lịch ngày nghỉ, làm bù đang dùng:")):
            value = QLabel()
            value.setObjectName(f"hub_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.hub_values[key] = value
            form.addRow(text, value)
        self.connect_hub_button = QPushButton("Nối với hub…")
        self.connect_hub_button.setObjectName("connectHubButton")
        self.connect_hub_button.clicked.connect(self.connect_hub)
        hint = QLabel("Tỉnh cấp cho mỗi quầy một địa chỉ hub và một mã truy cập (motcua-hub add-counter). "
                      "Danh mục thủ tục và lịch ngày nghỉ do tỉnh phát hành được nhận trong mỗi lần đồng bộ; "
                      "danh mục hay lịch nhập tại quầy được ghi là 'nhập tại quầy'.")
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        layout.addWidget(box)
        layout.addWidget(self.connect_hub_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(hint)
        layout.addStretch(1)
        return page

    def load_hub(self) -> None:
        shown = sync.show_hub(self.ctx)
        self.hub_values["url"].setText(shown["url"] or "chưa nối (hồ sơ vẫn tiếp nhận và lưu tại quầy)")
        self.hub_values["token"].setText(shown["token"] or "—")
        self.hub_values["last"].setText((shown["last_success_at"] or "chưa có").replace("T", " "))
        self.hub_values["catalog"].setText(sync_status.in_force_text(shown["catalog"]))
        self.hub_values["calendar"].setText(sync_status.in_force_text(shown["calendar"]))
        self.connect_hub_button.setText("Đổi hub…" if shown["url"] else "Nối với hub…")

    def connect_hub(self) -> None:
        shown = sync.show_hub(self.ctx)
        fields = (FormField("url", "Địa chỉ hub:", hint="ví dụ https://hub.tinh.gov.vn:8765"),
                  FormField("token", "Mã truy cập của quầy:", "password", hint="do tỉnh cấp cho quầy này"),
                  FormField("ca_file", "Tệp chứng chỉ CA (nếu tỉnh cấp):", hint="để trống nếu không có"))
        error = ""
        values = {"url": shown["url"] or "", "ca_file": shown["ca_file"] or ""}
        while True:
            answer = self.dialogs.ask_form(self, "Nối quầy với hub", fields, error=error, values=values, ok="Nối")
            if answer is None:
                return
            try:  # checked here, so a typing mistake is fixed on the same form
                sync.check_hub(answer.get("url", ""), answer.get("token", ""))
                break
            except MotcuaError as exc:
                error = exc.message_vi
                values = {k: v for k, v in answer.items() if k != "token"}

        def done(result: dict[str, Any]) -> None:
            self.load_hub()
            self.status.setText(f"Đã nối quầy với hub {result['url']}; quầy sẽ tự đồng bộ.")

        run_on_desk(self.ops, self.ctx, sync.set_hub, answer["url"], answer["token"], answer.get("ca_file") or None,
                    done=done, failed=lambda exc: self.dialogs.show_error(self, exc, doing="nối với hub"),
                    parent=self, doing="nối với hub", changes=Changes(settings=True, outbox=True))

    def _editor(self, key: str) -> QWidget:
        if key == "counter_slot":
            spin = QSpinBox()
            spin.setRange(0, 9)
            spin.setMaximumWidth(120)
            return spin
        if key == "default_paper":
            combo = QComboBox()
            for p in PAPERS:
                combo.addItem(PAPER_LABELS[p], p)
            return combo
        return QLineEdit()

    # --- values ------------------------------------------------------------------------------
    def page_entered(self) -> None:
        if self.values() == self._loaded:
            self.load()  # fresh values (an administrator may have changed them from the command line)
        else:
            # The clerk went to another desk mid-edit: keep the unsaved edits, say so.
            self.status.setText("Có thay đổi chưa lưu: Ctrl+S để lưu, Hoàn tác để bỏ.")
        self.calendar.refresh()
        self.load_hub()
        self.editors[FORM_KEYS[0]].setFocus(Qt.FocusReason.OtherFocusReason)

    def load(self) -> None:
        values = self.ctx.settings()
        self.status.setText("")
        for key, editor in self.editors.items():
            _set(editor, values.get(key))
        self.form_set_note.setText(_form_set_note(self.ctx))
        defaults = values.get("print_defaults") or {}
        for kind in SLIP_KINDS:
            choice = defaults.get(kind, {})
            printer = self.printers[kind]
            if choice.get("printer"):
                if printer.findData(choice["printer"]) < 0:
                    printer.addItem(choice["printer"], choice["printer"])
                printer.setCurrentIndex(printer.findData(choice["printer"]))
            else:
                printer.setCurrentIndex(0)
            self.papers[kind].setCurrentIndex(max(0, self.papers[kind].findData(choice.get("paper", ""))))
        self._show_errors({})
        self._loaded = self.values()

    def values(self) -> dict[str, Any]:
        values = {key: _get(editor) for key, editor in self.editors.items()}
        defaults = {}
        for kind in SLIP_KINDS:
            combo = self.printers[kind]
            text = combo.currentText().strip()
            printer = "" if text == ASK else text
            paper = self.papers[kind].currentData() or ""
            if printer or paper:
                defaults[kind] = {"printer": printer, "paper": paper}
        values["print_defaults"] = defaults
        return values

    def save(self) -> bool:
        """Validate every field, ask before a change of the code prefix, then write all or nothing on
        the worker store. True when the values went to be written (`saved` follows the write)."""
        values = self.values()
        try:
            parsed = validate(values)
        except SettingsInvalid as error:
            self._show_errors(error.problems)
            self.dialogs.show_error(self, error, doing="lưu thiết lập")
            return False
        current = self.ctx.settings()
        shaping = [k for k in CODE_SHAPING if parsed[k] != current[k]]
        if shaping:
            new_code = f"{parsed['agency_code']}-YYMMDD-{parsed['counter_slot']}xxx"
            if not self.dialogs.confirm(
                    self, "Đổi mã đơn vị hoặc số hiệu quầy sẽ đổi mã của các hồ sơ tiếp nhận từ nay về sau "
                          f"(dạng mới: {new_code}). Mã đã cấp và đã in trên phiếu không đổi. Tiếp tục lưu?",
                    "Đổi mã đơn vị / số hiệu quầy", yes="Lưu", no="Không lưu"):
                return False
        def failed(exc: BaseException) -> None:
            if isinstance(exc, SettingsInvalid):
                self._show_errors(exc.problems)
            self.dialogs.show_error(self, exc, doing="lưu thiết lập")

        def done(changed: dict[str, Any]) -> None:
            self.load()
            if changed:
                names = ", ".join(SETTINGS[k].description.split(" (")[0] for k in changed)
                self.status.setText(f"Đã lưu: {names}.")
                self.saved.emit(changed)
            else:
                self.status.setText("Không có gì thay đổi.")

        run_on_desk(self.ops, self.ctx, update_settings, values, done=done, failed=failed, parent=self,
                    doing="lưu thiết lập", changes=Changes(settings=True))
        return True

    def _show_errors(self, problems: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.setText(problems.get(key, ""))
            label.setVisible(key in problems)
            editor = self.editors.get(key)
            if editor is not None and bool(editor.property("invalid")) != (key in problems):
                editor.setProperty("invalid", key in problems)  # red frame from the stylesheet
                editor.style().unpolish(editor)
                editor.style().polish(editor)
        first = next((k for k in FORM_KEYS if k in problems), None)
        if first:
            self.tabs.setCurrentIndex(0)
            self.editors[first].setFocus(Qt.FocusReason.OtherFocusReason)
        elif "print_defaults" in problems:
            self.tabs.setCurrentIndex(1)


def _set(editor: QWidget, value: Any) -> None:
    if isinstance(editor, QSpinBox):
        editor.setValue(int(value or 0))
    elif isinstance(editor, QComboBox):
        editor.setCurrentIndex(max(0, editor.findData(value)))
    elif isinstance(editor, QLineEdit):
        editor.setText("" if value is None else str(value))


def _get(editor: QWidget) -> Any:
    if isinstance(editor, QSpinBox):
        return editor.value()
    if isinstance(editor, QComboBox):
        return editor.currentData()
    assert isinstance(editor, QLineEdit)
    return editor.text()


def _form_set_note(ctx: Context) -> str:
    """'Đang in theo: Thông tư 03/2025/TT-VPCP — bản sửa tại quầy (local), áp dụng từ 15/09/2025'."""
    try:
        now = next(s for s in form_sets.describe(ctx) if s["in_force"])
    except (MotcuaError, StopIteration) as error:
        return f"Bộ mẫu chưa dùng được: {getattr(error, 'message_vi', '')}"
    y, m, d = now["effective_from"].split("-")
    return (f"Đang in theo: {now['name']} — {SOURCE_LABELS.get(now['source'], now['source'])}, "
            f"áp dụng từ {d}/{m}/{y}")
