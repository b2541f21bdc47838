"""Sổ hồ sơ (F5): every dossier of this counter, newest first — find one by what the citizen on the phone
knows, open it in the return desk's panel with its history, and from there reprint any slip it was given,
issue the slip its state allows, go on with its next step, correct the applicant's details or void it.

Reads run off the UI thread through `ops.query` when the desk has the window's `Ops` (a search at
1,000,000 dossiers takes milliseconds, but a cold disk may not); writes through `ops.run`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from ..domain.accounts import Permission
from ..domain.dossier import Status
from ..errors import MotcuaError
from ..services import corrections, dossiers, register, returns
from ..services import slips as slip_service
from ..services.context import Context
from ..services.dossiers import DossierView
from ..services.register import RegisterPage, RegisterRow
from . import keymap
from .dialogs import Dialogs
from .dossier_html import history_html
from .dossier_panel import DossierPanel
from .ops import Changes, Ops, run_on_desk
from .qt import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QShortcut,
    QSplitter,
    Qt,
    QTableWidgetItem,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .queue_table import QueueTable
from .return_wording import when

SEARCH_DELAY_MS = 200  # typing pauses this long before the register is searched
PERIODS = (("all", "Mọi thời gian"), ("today", "Hôm nay"), ("week", "7 ngày qua"), ("month", "Tháng này"))


def period_days(key: str, today: date) -> tuple[date | None, date | None]:
    if key == "today":
        return today, today
    if key == "week":
        return today - timedelta(days=6), today
    if key == "month":
        return today.replace(day=1), today
    return None, None


class SearchBox(QLineEdit):
    """The register's search field: ↓ and Enter go to the list, PgUp/PgDown turn its pages."""

    to_list = Signal()
    turn = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.to_list.emit()
        elif key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            self.turn.emit(1 if key == Qt.Key.Key_PageDown else -1)
        else:
            super().keyPressEvent(event)


class RegisterTable(QueueTable):
    """Code and first contact, applicant · procedure · status (two lines each, elided with '…')."""

    HEADERS = ("Mã hồ sơ · tiếp nhận", "Người nộp · trạng thái")
    turn = Signal(int)

    def fill_register(self, rows: tuple[RegisterRow, ...]) -> None:
        self.setRowCount(0)
        self.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = (f"{r.code}\n{r.first_contact_at:%H:%M %d/%m/%Y}",
                     f"{r.applicant}\n{r.status.label} · {r.procedure}")
            tips = (f"{r.code}\nTiếp nhận: {when(r.first_contact_at)}\nHẹn trả: {when(r.due_at)}",
                    f"{r.applicant}" + (f" · {r.id_number}" if r.id_number else "") + f"\n{r.procedure}\n{r.status.label}")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tips[col])
                item.setData(Qt.ItemDataRole.UserRole, r.code)
                self.setItem(i, col, item)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            self.turn.emit(1 if event.key() == Qt.Key.Key_PageDown else -1)
            return
        super().keyPressEvent(event)


class RegisterDesk(QWidget):
    opened = Signal(str)  # a dossier shown in the panel
    shown = Signal()  # a page of the register is on screen
    written = Signal(str, str)  # code, what was done
    print_slip = Signal(object)  # an ArchivedSlip to preview and print (the page connects gui/printing.py)
    supplement_requested = Signal(str)  # go on with a dossier waiting for papers in the intake wizard

    def __init__(self, ctx: Context, dialogs: Dialogs, ops: Ops | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.dialogs, self.ops = ctx, dialogs, ops
        self.setObjectName("registerDesk")
        self.current: DossierView | None = None
        self.page: RegisterPage | None = None
        self.offset = 0
        self._seq = 0

        title = QLabel("Sổ hồ sơ")
        title.setObjectName("pageTitle")
        self.box = SearchBox()
        self.box.setObjectName("registerSearch")
        self.box.setPlaceholderText("Mã hồ sơ hoặc số cuối, tên (không cần dấu), số giấy tờ, điện thoại")
        self.box.setMaxLength(register.MAX_TEXT)
        self.box.setClearButtonEnabled(True)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("registerStatus")
        self.status_combo.addItem("Mọi trạng thái", None)
        for s in Status:
            self.status_combo.addItem(s.label, s.value)
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("registerPeriod")
        for key, label in PERIODS:
            self.period_combo.addItem(label, key)
        self.today_button = QPushButton(f"Hôm nay ({keymap.REGISTER_TODAY})")
        self.today_button.setObjectName("todayButton")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(8)
        top.addWidget(self.box, 1)
        filters = QHBoxLayout()
        filters.addWidget(self.status_combo)
        filters.addWidget(self.period_combo)
        filters.addWidget(self.today_button)
        filters.addStretch(1)

        self.table = RegisterTable("registerTable")
        self.count_label = QLabel()
        self.count_label.setObjectName("registerCount")
        self.prev_button = QPushButton("‹ Trang trước")
        self.next_button = QPushButton("Trang sau ›")
        paging = QHBoxLayout()
        paging.addWidget(self.count_label, 1)
        paging.addWidget(self.prev_button)
        paging.addWidget(self.next_button)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        ll.addLayout(paging)

        self.panel = DossierPanel(ctx)
        self.panel.show_id = lambda n: register.shown_id(n, self.ctx.may(Permission.FULL_IDS))
        self._build_tools()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search)
        self.box.textChanged.connect(lambda _t: self._timer.start())
        self.box.to_list.connect(self._to_list)
        self.box.turn.connect(self.turn)
        self.table.turn.connect(self.turn)
        self.status_combo.currentIndexChanged.connect(lambda _i: self.search())
        self.period_combo.currentIndexChanged.connect(lambda _i: self.search())
        self.today_button.clicked.connect(self.show_today)
        self.prev_button.clicked.connect(lambda: self.turn(-1))
        self.next_button.clicked.connect(lambda: self.turn(1))
        self.table.currentCellChanged.connect(lambda row, _c, _pr, _pc: self._open_row(row))
        self.table.cellActivated.connect(lambda _r, _c: self._next_step())
        for keys, slot in ((keymap.REGISTER_TODAY, self.show_today), (keymap.REGISTER_FIND, self.focus_box)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        p = self.panel
        p.ready_button.clicked.connect(lambda: self._write(returns.result_ready, doing="ghi nhận có kết quả",
                                                           message="Đã ghi nhận hồ sơ {v.code} có kết quả."))
        p.stop_button.clicked.connect(self._stop)
        p.withdraw_button.clicked.connect(self._withdraw)
        p.handover_button.clicked.connect(self._hand_over)
        p.apology_button.clicked.connect(self._apologise)
        self.show_dossier(None)

    # --- building ----------------------------------------------------------------------------
    def _build_tools(self) -> None:
        """Below the return desk's actions: supplement, slips, correction, void, history."""
        self.supplement_button = QPushButton("Nhận bổ sung hồ sơ…")
        self.supplement_button.setObjectName("supplementButton")
        self.supplement_button.clicked.connect(self._supplement)

        self.slips_box = QGroupBox("Phiếu của hồ sơ")
        self.slips_box.setObjectName("slipsBox")
        self.archived_combo = QComboBox()
        self.archived_combo.setObjectName("archivedSlips")
        self.archived_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.archived_combo.setMinimumContentsLength(16)
        self.archived_combo.setPlaceholderText("Chưa cấp phiếu nào")
        self.reprint_button = QPushButton("In lại phiếu đã cấp")
        self.reprint_button.setObjectName("reprintButton")
        self.issue_combo = QComboBox()
        self.issue_combo.setObjectName("issuableSlips")
        self.issue_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.issue_combo.setMinimumContentsLength(16)
        self.issue_button = QPushButton("Cấp phiếu")
        self.issue_button.setObjectName("issueButton")
        sf = QFormLayout(self.slips_box)
        sf.addRow("Đã cấp", self.archived_combo)
        sf.addRow("", self.reprint_button)
        sf.addRow("Cấp mới", self.issue_combo)
        sf.addRow("", self.issue_button)
        self.reprint_button.clicked.connect(self.reprint)
        self.issue_button.clicked.connect(self.issue)

        self.correct_box = QGroupBox("Sửa thông tin người nộp")
        self.correct_box.setObjectName("correctBox")
        self.fix_name, self.fix_id, self.fix_phone, self.fix_address, self.fix_reason = (QLineEdit() for _ in range(5))
        for w, name in ((self.fix_name, "fixName"), (self.fix_id, "fixId"), (self.fix_phone, "fixPhone"),
                        (self.fix_address, "fixAddress"), (self.fix_reason, "fixReason")):
            w.setObjectName(name)
        self.fix_reason.setPlaceholderText("Lý do sửa (bắt buộc)")
        self.correct_button = QPushButton("Lưu sửa đổi")
        self.correct_button.setObjectName("correctButton")
        cf = QFormLayout(self.correct_box)
        cf.addRow("Họ tên", self.fix_name)
        cf.addRow("Số giấy tờ", self.fix_id)
        cf.addRow("Điện thoại", self.fix_phone)
        cf.addRow("Địa chỉ", self.fix_address)
        cf.addRow("Lý do", self.fix_reason)
        cf.addRow("", self.correct_button)
        self.correct_button.clicked.connect(self.correct)

        self.void_button = QPushButton("Hủy hồ sơ nhập nhầm…")
        self.void_button.setObjectName("voidButton")
        self.void_button.clicked.connect(self.void)

        self.history = QLabel()
        self.history.setObjectName("dossierHistory")
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.RichText)
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for section in (self.supplement_button, self.slips_box, self.correct_box, self.void_button, self.history):
            self.panel.add_section(section)

    # --- the list ----------------------------------------------------------------------------

    def _supplement(self) -> None:
        if self.current is not None:
            self.supplement_requested.emit(self.current.code)
    def page_entered(self) -> None:
        self.search()
        self.focus_box()

    def focus_box(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def refresh(self) -> None:
        self._load(self.offset)

    def show_today(self) -> None:
        self.box.clear()
        self.status_combo.setCurrentIndex(0)
        self.period_combo.setCurrentIndex([k for k, _ in PERIODS].index("today"))  # -> search
        self.search()
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def search(self) -> None:
        self._timer.stop()
        self._load(0)

    def turn(self, step: int) -> None:
        page = self.page
        if page is None or (step > 0 and not page.has_more) or (step < 0 and page.offset == 0):
            return
        self._load(max(0, page.offset + step * page.limit))

    def query_args(self) -> dict[str, Any]:
        start, end = period_days(self.period_combo.currentData(), self.ctx.now().date())
        return {"text": self.box.text(), "status": self.status_combo.currentData(), "date_from": start,
                "date_to": end}

    def _load(self, offset: int) -> None:
        self._seq += 1
        seq = self._seq
        args = self.query_args()
        text = args.pop("text")

        def done(page: RegisterPage) -> None:
            if seq == self._seq:
                self._show_page(page)

        def failed(exc: BaseException) -> None:
            if seq == self._seq:
                self.count_label.setText(exc.message_vi if isinstance(exc, MotcuaError) else "Lỗi khi tìm hồ sơ")

        if self.ops is None:
            try:
                page = register.find(self.ctx, text, offset=offset, **args)
            except MotcuaError as exc:
                failed(exc)
                return
            done(page)
            return
        self.ops.query(register.find, text, offset=offset, on_done=done, on_error=failed, parent=self,
                       doing="tìm hồ sơ", **args)

    def _show_page(self, page: RegisterPage) -> None:
        self.page = page
        self.offset = page.offset
        self.table.blockSignals(True)
        self.table.fill_register(page.rows)
        self.table.blockSignals(False)
        first, last = page.offset + 1, page.offset + len(page.rows)
        self.count_label.setText("Không có hồ sơ nào khớp." if not page.rows else
                                 f"Hồ sơ {first}–{last}" + (" · còn nữa" if page.has_more else ""))
        self.prev_button.setEnabled(page.offset > 0)
        self.next_button.setEnabled(page.has_more)
        if len(page.rows) == 1 and page.offset == 0 and self.box.text().strip():
            self.table.setCurrentCell(0, 0)  # one match (a scanned code): open it
        self.shown.emit()

    def _to_list(self) -> None:
        if self.table.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            if self.table.currentRow() < 0:
                self.table.setCurrentCell(0, 0)

    def _open_row(self, row: int) -> None:
        item = self.table.item(row, 0) if row >= 0 else None
        if item is not None:
            self.open_code(item.data(Qt.ItemDataRole.UserRole))

    def _next_step(self) -> None:
        if self.current is not None:
            target = self.panel.next_step(self.current)
            if target is None and self.current.status is Status.SUPPLEMENT_REQUESTED:
                target = self.supplement_button
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- the dossier -------------------------------------------------------------------------
    def open_code(self, code: str) -> None:
        try:
            view = dossiers.get(self.ctx, code)
        except MotcuaError as exc:
            self.dialogs.show_error(self, exc, doing="mở hồ sơ")
            return
        self.show_dossier(view)
        self.opened.emit(view.code)

    def changed(self, changes: Changes) -> None:
        """A write or a sync changed dossiers: the list (when on screen) and the open dossier."""
        if not changes.touches_dossiers:
            return
        if self.current is not None and changes.touches(self.current.code):
            try:
                view = dossiers.get(self.ctx, self.current.code)
            except MotcuaError:
                view = self.current
            if view != self.current:
                self.show_dossier(view)
            else:
                self.panel.update_sync_line()
        if self.isVisible():
            self.refresh()

    def show_dossier(self, view: DossierView | None) -> None:
        self.current = view
        self.panel.show_dossier(view)
        tools = (self.supplement_button, self.slips_box, self.correct_box, self.void_button, self.history)
        if view is None:
            for w in tools:
                w.setVisible(False)
            return
        self.supplement_button.setVisible(view.status is Status.SUPPLEMENT_REQUESTED)
        self.slips_box.setVisible(True)
        self.archived_combo.clear()
        for slip in slip_service.slips_of(self.ctx, view.code):
            self.archived_combo.addItem(f"{slip_service.kind_name(slip.kind)} · {slip.created_at[:16].replace('T', ' ')}",
                                        slip.id)
        self.archived_combo.setCurrentIndex(self.archived_combo.count() - 1)
        self.reprint_button.setEnabled(self.archived_combo.count() > 0)
        self.issue_combo.clear()
        for kind in slip_service.issuable_kinds(self.ctx, view):
            self.issue_combo.addItem(slip_service.kind_name(kind), kind)
        self.issue_button.setEnabled(self.issue_combo.count() > 0)
        may_correct = view.status is not Status.VOIDED and self.ctx.may(Permission.CORRECT)
        self.correct_box.setVisible(may_correct)
        if may_correct:
            a = view.applicant
            self.fix_name.setText(a.name)
            self.fix_id.setText(a.id_number or "")
            self.fix_phone.setText(a.phone or "")
            self.fix_address.setText(a.address or "")
            self.fix_reason.clear()
        self.void_button.setVisible(corrections.can_void(view) and self.ctx.may(Permission.VOID))
        self.history.setVisible(True)
        self.history.setText(history_html(view, self.panel.show_id))

    # --- slips -------------------------------------------------------------------------------
    def reprint(self) -> None:
        slip_id = self.archived_combo.currentData()
        if slip_id is not None:
            self.print_slip.emit(slip_service.get_slip(self.ctx, slip_id))

    def issue(self) -> None:
        v, kind = self.current, self.issue_combo.currentData()
        if v is None or kind is None:
            return

        def done(slip: Any) -> None:
            self.show_dossier(dossiers.get(self.ctx, v.code))
            self.print_slip.emit(slip)

        self._call(slip_service.issue_slip, v.code, kind, doing="cấp phiếu", done=done)

    # --- writes ------------------------------------------------------------------------------
    def _call(self, fn: Callable[..., Any], *args: Any, doing: str, done: Callable[[Any], None],
              **kwargs: Any) -> None:
        code = self.current.code if self.current else None

        def failed(exc: BaseException) -> None:
            self.dialogs.show_error(self, exc, doing=doing)
            if code:
                self.open_code(code)

        run_on_desk(self.ops, self.ctx, fn, *args, done=done, failed=failed, parent=self, doing=doing, **kwargs)

    def _write(self, fn: Callable[..., DossierView], *args: Any, doing: str, message: str, what: str = "",
               **kwargs: Any) -> None:
        v = self.current
        if v is None:
            return

        def done(view: DossierView) -> None:
            self.show_dossier(view)
            self.refresh()
            self.count_label.setText(message.format(v=view))
            self.written.emit(view.code, what or getattr(fn, "__name__", doing))

        self._call(fn, v.code, *args, doing=doing, done=done, **kwargs)

    def _stop(self) -> None:
        if self.current is None:
            return
        reason = self.dialogs.ask_text(self, f"Lý do dừng xử lý hồ sơ {self.current.code}:", "Dừng xử lý hồ sơ")
        if reason is not None:
            self._write(returns.stop, reason, doing="dừng xử lý hồ sơ", message="Đã dừng xử lý hồ sơ {v.code}.")

    def _withdraw(self) -> None:
        if self.current is None:
            return
        reason = self.dialogs.ask_text(self, f"Công dân rút hồ sơ {self.current.code}. Lý do (nếu có):", "Rút hồ sơ")
        if reason is not None:
            self._write(returns.withdraw, reason or None, doing="ghi nhận rút hồ sơ",
                        message="Đã ghi nhận công dân rút hồ sơ {v.code}.")

    def _hand_over(self) -> None:
        v = self.current
        if v is None:
            return
        collector = self.panel.collector()
        who = collector.name if collector.kind == "authorised" else v.applicant.name
        if self.dialogs.confirm(self, f"Trả kết quả hồ sơ {v.code} cho {who or '(chưa nhập tên)'}?", "Trả kết quả",
                                yes="Trả kết quả", no="Chưa"):
            self._write(returns.hand_over, collector, self.panel.rating.currentData(), doing="trả kết quả",
                        message="Đã trả kết quả hồ sơ {v.code}.")

    def _apologise(self) -> None:
        v = self.current
        if v is None:
            return
        try:
            new_due = returns.new_due_in_working_days(self.ctx, v.code, self.panel.apology_days.value())
        except MotcuaError as exc:
            self.dialogs.show_error(self, exc, doing="tính ngày hẹn mới")
            return
        self._write(returns.apologise, new_due, self.panel.apology_reason.text(), doing="xin lỗi, hẹn lại",
                    message="Đã hẹn lại hồ sơ {v.code}; cấp phiếu xin lỗi ở mục Phiếu của hồ sơ.")

    def correct(self) -> None:
        v = self.current
        if v is None:
            return
        a = v.applicant
        typed = {"name": self.fix_name.text(), "id_number": self.fix_id.text(), "phone": self.fix_phone.text(),
                 "address": self.fix_address.text()}
        was = {"name": a.name, "id_number": a.id_number or "", "phone": a.phone or "", "address": a.address or ""}
        changes = {k: t for k, t in typed.items() if t.strip() != was[k]}
        self._write(corrections.correct, reason=self.fix_reason.text(), doing="sửa thông tin người nộp",
                    message="Đã sửa thông tin hồ sơ {v.code}. Cấp lại giấy tiếp nhận ở mục Phiếu của hồ sơ.",
                    what="correct", **changes)

    def void(self) -> None:
        v = self.current
        if v is None:
            return
        reason = self.dialogs.ask_text(self, f"Hủy hồ sơ {v.code} (nhập nhầm). Lý do hủy:", "Hủy hồ sơ")
        if reason is None:
            return
        if not self.dialogs.confirm(self, f"Hủy hồ sơ {v.code} của {v.applicant.name}? Hồ sơ vẫn được lưu với "
                                          "trạng thái đã hủy; mã hồ sơ không được cấp lại.", "Hủy hồ sơ",
                                    yes="Hủy hồ sơ", no="Không hủy", safe_default=True):
            return
        self._write(corrections.void, reason=reason, doing="hủy hồ sơ", what="void",
                    message="Đã hủy hồ sơ {v.code} (nhập nhầm).")
