"""The return desk (Trả kết quả): results waiting for citizens, scanning slips, hand-over, apologies.

The citizen puts the slip on the counter; the clerk scans it — wherever the focus is on this page,
no text box to click first (`ScanDetector`) — and the dossier opens on the right with what to do:
hand the result over (who collects, identity document, satisfaction rating), record that the result
came back, or apologise for a late result with a new date in working days (and print the slip).

A code that is not a dossier code, or no dossier, gives a red line, a beep, and changes nothing.
A supplement slip of a dossier waiting for papers emits `supplement_requested(code)`; the main window
routes it to the intake wizard's supplement flow.

The pieces: `queue_table` (the two lists), `dossier_panel` (the dossier and its actions),
`dossier_html` and `return_wording` (what the desk says). A scan's lookup is a primary-key read on
the UI thread's context; the lists (an index range over up to millions of dossiers) load through the
window's `Ops` as a query, and the writes as operations, both on its worker store. Without `Ops`
(tests, tools) everything runs inline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.codes import parse_code
from ..domain.dossier import Status
from ..errors import MotcuaError
from ..services import dossiers, returns
from ..services.context import Context
from ..services.dossiers import DossierView
from ..services.returns import Collector, QueuePage, QueueRow
from .dialogs import Dialogs
from . import keymap
from .dossier_panel import DossierPanel
from .ops import Changes, run_on_desk
from .qt import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QHBoxLayout,
    QItemSelectionModel,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    QShortcut,
    QSplitter,
    Qt,
    QTableWidget,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .queue_table import OVERDUE_BG, OVERDUE_FG, TODAY_BG, TODAY_FG, QueueTable
from .return_wording import returned_text
from .scanner import DEFAULT_GAP_MS, ScanDetector

if TYPE_CHECKING:
    from .ops import Ops

__all__ = ["OVERDUE_BG", "OVERDUE_FG", "TODAY_BG", "TODAY_FG", "QueueLists", "ReturnDesk", "load_lists"]

log = logging.getLogger("motcua.gui.returns")

_MESSAGE_STYLE = {
    "error": "background:#fde4e1; color:#8a1c14; border:1px solid #e3a29a;",
    "ok": "background:#e3f3e8; color:#1f6f43; border:1px solid #9ccfae;",
    "warn": "background:#fff1cc; color:#7a4b00; border:1px solid #e0c27a;",
    "info": "background:#e8eef5; color:#14304f; border:1px solid #b8c8da;",
}


@dataclass(frozen=True)
class QueueLists:
    """Both lists of the desk as one read: a page of results waiting, and what is due soon."""

    page: QueuePage
    page_number: int  # back to 0 when the asked-for page is past the end (the queue shrank)
    soon: list[QueueRow]


def load_lists(ctx: Context, page_number: int, filters: dict[str, Any]) -> QueueLists:
    """The desk's read (on the worker store when there is one)."""
    page = returns.results_queue(ctx, limit=returns.QUEUE_PAGE, offset=page_number * returns.QUEUE_PAGE, **filters)
    if not page.rows and page_number:
        page_number = 0
        page = returns.results_queue(ctx, limit=returns.QUEUE_PAGE, **filters)
    return QueueLists(page, page_number, returns.due_soon(ctx))


class ReturnDesk(QWidget):
    """The page: queue tabs on the left, the scanned dossier and its actions on the right."""

    supplement_requested = Signal(str)  # a supplement slip of a dossier waiting for papers was scanned
    dossier_opened = Signal(str)
    scan_rejected = Signal(str)  # the Vietnamese message shown
    written = Signal(str, str)  # code, what was done (result_ready | return | apologise)
    lists_shown = Signal()  # both lists now show what the store holds (after a refresh)

    def __init__(self, ctx: Context, dialogs: Dialogs, ops: Ops | None = None, parent: QWidget | None = None,
                 *, scan_gap_ms: int = DEFAULT_GAP_MS) -> None:
        super().__init__(parent)
        self.ctx, self.dialogs, self.ops = ctx, dialogs, ops
        self.setObjectName("returnDesk")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # keys land on the desk even with nothing focused
        self.current: DossierView | None = None
        self.page = 0
        self.queue_page: QueuePage | None = None
        self._refresh_seq = 0  # only the newest refresh's answer is shown
        self._mark_first_row = False  # the desk was just entered: the lists may arrive after the focus
        self.after_apology: list[Callable[[DossierView], None]] = []  # e.g. print the apology slip
        self.after_stop: list[Callable[[DossierView], None]] = []  # e.g. offer the stop notice (Mẫu 05)

        title = QLabel("Trả kết quả")
        title.setObjectName("pageTitle")
        hint = QLabel("Quét mã vạch hoặc mã QR trên phiếu của công dân — ở bất cứ đâu trên trang này, "
                      "không cần bấm vào ô nào.")
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        self.code_box = QLineEdit()
        self.code_box.setObjectName("codeBox")
        self.code_box.setPlaceholderText("hoặc gõ mã hồ sơ rồi nhấn Enter")
        self.code_box.setMaxLength(80)
        self.code_box.setMinimumWidth(300)
        self.code_box.returnPressed.connect(self._open_typed)
        self.message = QLabel()
        self.message.setObjectName("scanMessage")
        self.message.setWordWrap(True)
        self.message.setVisible(False)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(12)
        top.addWidget(hint, 1)
        top.addWidget(self.code_box)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("returnTabs")
        self.tabs.addTab(self._build_queue_tab(), "Kết quả chờ trả")
        self.tabs.addTab(self._build_soon_tab(), "Sắp đến hẹn")

        self.panel = DossierPanel(ctx)
        self._adopt_panel_fields()
        self.ready_button.clicked.connect(self.mark_result_ready)
        self.stop_button.clicked.connect(self.stop_processing)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.handover_button.clicked.connect(self.hand_over)
        self.apology_button.clicked.connect(self.apologise)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 400])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        refresh = QShortcut(QKeySequence(keymap.RETURNS_REFRESH), self)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.refresh)

        # Last: the filter watches every widget already built and those added later.
        self.scanner = ScanDetector(self, gap_ms=scan_gap_ms, typing_target=self._typing_target,
                                    is_code=lambda text: parse_code(text) is not None)
        self.scanner.scanned.connect(self.open_scanned)
        self.show_dossier(None)
        self.refresh()

    # --- building ----------------------------------------------------------------------------
    def _build_queue_tab(self) -> QWidget:
        tab = QWidget()
        self.field_combo = QComboBox()
        self.field_combo.setObjectName("fieldFilter")
        self.field_combo.addItem("Tất cả lĩnh vực", None)
        for f in returns.fields(self.ctx):
            self.field_combo.addItem(f, f)
        self.date_check = QCheckBox("Hẹn trả từ")
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setEnabled(False)
        self._offer_this_month()
        self.date_check.toggled.connect(self.date_from.setEnabled)
        self.date_check.toggled.connect(self.date_to.setEnabled)
        self.date_check.toggled.connect(lambda _on: self._filter_changed())
        self.field_combo.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.date_from.dateChanged.connect(lambda _d: self._filter_changed())
        self.date_to.dateChanged.connect(lambda _d: self._filter_changed())
        # The period can never be reversed here (the services refuse one): 'to' starts at 'from'.
        self.date_from.dateChanged.connect(self.date_to.setMinimumDate)

        # Two rows and a combo that may shrink (long field names elide): the desk must fit a
        # 1024-pixel counter monitor next to the dossier panel.
        self.field_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.field_combo.setMinimumContentsLength(12)
        field_row = QHBoxLayout()
        field_row.addWidget(QLabel("Lĩnh vực"))
        field_row.addWidget(self.field_combo, 1)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_check)
        date_row.addWidget(self.date_from)
        date_row.addWidget(QLabel("đến"))
        date_row.addWidget(self.date_to)
        date_row.addStretch(1)
        filters = QVBoxLayout()
        filters.addLayout(field_row)
        filters.addLayout(date_row)

        self.counts_label = QLabel()
        self.counts_label.setObjectName("queueCounts")
        self.queue_table = QueueTable("resultsQueue")
        self.queue_table.cellActivated.connect(lambda row, _c: self._open_row(self.queue_table, row))
        self.queue_table.cellDoubleClicked.connect(lambda row, _c: self._open_row(self.queue_table, row))
        self.prev_button = QPushButton("◀ Trang trước")
        self.next_button = QPushButton("Trang sau ▶")
        self.page_label = QLabel()
        self.prev_button.clicked.connect(lambda: self._turn(-1))
        self.next_button.clicked.connect(lambda: self._turn(1))
        self.counts_label.setWordWrap(True)
        paging = QHBoxLayout()  # below the counts, not beside them: the tab is narrow on a small monitor
        paging.addStretch(1)
        paging.addWidget(self.prev_button)
        paging.addWidget(self.page_label)
        paging.addWidget(self.next_button)

        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 6, 4, 4)  # every pixel of width goes to the names
        layout.addLayout(filters)
        layout.addWidget(self.queue_table, 1)
        layout.addWidget(self.counts_label)
        layout.addLayout(paging)
        return tab

    def _offer_this_month(self) -> None:
        """The date filter's suggestion: this month up to today (the window stays open for days)."""
        today = self.ctx.now().date()
        for edit, day in ((self.date_from, today.replace(day=1)), (self.date_to, today)):
            edit.blockSignals(True)  # the filter is off: nothing to reload
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _build_soon_tab(self) -> QWidget:
        tab = QWidget()
        note = QLabel("Hồ sơ đang giải quyết có hẹn trả trong vòng một ngày làm việc hoặc đã quá hẹn: nhắc cơ "
                      "quan giải quyết, hoặc lập phiếu xin lỗi và hẹn lại trước khi công dân đến.")
        note.setObjectName("hintLabel")
        note.setWordWrap(True)
        self.soon_label = QLabel()
        self.soon_table = QueueTable("dueSoon")
        self.soon_table.cellActivated.connect(lambda row, _c: self._open_row(self.soon_table, row))
        self.soon_table.cellDoubleClicked.connect(lambda row, _c: self._open_row(self.soon_table, row))
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 6, 4, 4)  # every pixel of width goes to the names
        layout.addWidget(note)
        layout.addWidget(self.soon_table, 1)
        layout.addWidget(self.soon_label)
        return tab

    def _adopt_panel_fields(self) -> None:
        """The panel's fields, by the names the desk (and its tests) have always used."""
        p = self.panel
        self.detail = p.detail
        self.ready_button, self.stop_button, self.withdraw_button = p.ready_button, p.stop_button, p.withdraw_button
        self.handover_box, self.handover_button = p.handover_box, p.handover_button
        self.by_applicant, self.by_authorised, self.rating = p.by_applicant, p.by_authorised, p.rating
        self.collector_name, self.collector_id, self.collector_note = p.collector_name, p.collector_id, p.collector_note
        self.apology_box, self.apology_reason, self.apology_days = p.apology_box, p.apology_reason, p.apology_days
        self.new_due_label, self.apology_button = p.new_due_label, p.apology_button

    # --- the queue ---------------------------------------------------------------------------
    def page_entered(self) -> None:
        """Called by the main window when the desk is shown: fresh lists, keyboard on the desk."""
        if not self.date_check.isChecked():  # a range the clerk chose stays; the suggestion follows the day
            self._offer_this_month()
        self._mark_first_row = True
        self.refresh()
        self.queue_table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _filters(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.field_combo.currentData()}
        if self.date_check.isChecked():
            out["date_from"] = self.date_from.date().toPython()
            out["date_to"] = self.date_to.date().toPython()
        return out

    def _filter_changed(self) -> None:
        self.page = 0
        self.refresh()

    def _turn(self, step: int) -> None:
        self.page = max(0, self.page + step)
        self.refresh()

    def refresh(self) -> None:
        """Reload both lists: off the UI thread when the desk has the window's `Ops`."""
        self._refresh_seq += 1
        seq = self._refresh_seq
        doing = "tải danh sách trả kết quả"
        if self.ops is None:
            try:
                lists = load_lists(self.ctx, self.page, self._filters())
            except Exception as exc:
                self.dialogs.show_error(self, exc, doing=doing)
                return
            self._show_lists(lists, seq)
            return
        self.ops.query(load_lists, self.page, self._filters(), on_done=lambda lists: self._show_lists(lists, seq),
                       parent=self, doing=doing)

    def _show_lists(self, lists: QueueLists, seq: int) -> None:
        if seq != self._refresh_seq:  # the clerk asked again meanwhile: that answer is on its way
            return
        page, soon = lists.page, lists.soon
        self.page = lists.page_number
        today = self.ctx.now().date()
        self.queue_table.fill(page.rows, today, soon=False)
        self.soon_table.fill(soon, today, soon=True)
        self.queue_page = page
        self.counts_label.setText(f"{page.total} hồ sơ chờ trả · {page.overdue} quá hẹn · "
                                  f"{page.due_today} hẹn hôm nay")
        pages = max(1, -(-page.total // page.limit))
        self.page_label.setText(f"Trang {self.page + 1}/{pages}")
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page + 1 < pages)
        self.tabs.setTabText(0, f"Kết quả chờ trả ({page.total})")
        self.tabs.setTabText(1, f"Sắp đến hẹn ({len(soon)})")
        overdue = sum(1 for r in soon if r.overdue)
        self.soon_label.setText(f"{len(soon)} hồ sơ, trong đó {overdue} đã quá hẹn")
        if self._mark_first_row:
            self._mark_first_row = False
            table = self.queue_table
            if table.hasFocus() and table.rowCount() and table.currentRow() < 0:
                # What Qt does when a filled table gets the focus: the first row is current (framed,
                # not selected), so Enter or ↓ starts from it. Here the rows came after the focus.
                table.setCurrentCell(0, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.lists_shown.emit()

    def _open_row(self, table: QueueTable, row: int) -> None:
        code = table.code_at(row)
        if code:
            self.open_code(code)

    # --- scanning ----------------------------------------------------------------------------
    def _typing_target(self, widget: QWidget) -> QWidget:
        """A code typed by hand with the focus on a button, a table or the desk goes to the code box
        (and its Enter opens the code instead of pressing the focused button); text fields, spin
        boxes and lists of choices keep their own keys."""
        if isinstance(widget, (QAbstractButton, QTableWidget, QTabBar)) or widget is self:
            if QApplication.focusWidget() is not self.code_box:
                self.code_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return self.code_box
        return widget

    def _open_typed(self) -> None:
        text = self.code_box.text()
        self.code_box.clear()
        self.open_scanned(text)

    def open_scanned(self, text: str) -> None:
        """A scan (or a typed code): open the dossier, or say clearly why not and change nothing."""
        try:
            view = returns.lookup_scan(self.ctx, text)
        except MotcuaError as exc:
            self.reject_scan(exc.message_vi)
            return
        except Exception as exc:  # a bug: the log keeps it, the clerk gets the bug dialog
            self.dialogs.show_error(self, exc, doing="mở hồ sơ từ mã quét")
            return
        self.show_dossier(view)
        self.dossier_opened.emit(view.code)
        if view.status is Status.SUPPLEMENT_REQUESTED:
            self.set_message(f"Hồ sơ {view.code} đang chờ bổ sung giấy tờ: chuyển sang bước nhận bổ sung.", "info")
            self.supplement_requested.emit(view.code)
        elif view.status is Status.RETURNED:  # the slip came back: not a second citizen to serve
            self.set_message(f"Hồ sơ {view.code} đã trả kết quả {returned_text(view)}. "
                             "Không trả kết quả lần thứ hai.", "warn")
        else:
            self.set_message(f"Đã mở hồ sơ {view.code} — {view.status.label}.", "ok")

    def reject_scan(self, message: str) -> None:
        self.set_message(message, "error")
        QApplication.beep()
        self.scan_rejected.emit(message)

    def open_code(self, code: str) -> None:
        self.open_scanned(code)

    def set_message(self, text: str, kind: str = "info") -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"QLabel {{ {_MESSAGE_STYLE[kind]} border-radius:4px; padding:7px 10px; "
                                   "font-size:11pt; }")
        self.message.setProperty("kind", kind)
        self.message.setVisible(bool(text))

    def changed(self, changes: Changes) -> None:
        """A write or a sync changed dossiers: the queue (when on screen) and the open dossier."""
        if not changes.touches_dossiers:
            return
        if self.current is not None and changes.touches(self.current.code):
            self.reload_open()
        if self.isVisible():
            self.refresh()

    def reload_open(self) -> None:
        """The open dossier as the store has it now: the panel is rebuilt only when the dossier itself
        changed (a hub status, a new date) — never over what the clerk is typing for an unchanged one."""
        if self.current is None:
            return
        try:
            view = dossiers.get(self.ctx, self.current.code)
        except MotcuaError:
            return
        if view != self.current:
            moved = view.status is not self.current.status
            self.current = view
            self.panel.show_dossier(view)  # not show_dossier: the focus stays where the clerk is
            if moved:
                self.set_message(f"Hồ sơ {view.code} vừa đổi trạng thái: {view.status.label}.", "info")
        else:
            self.panel.update_sync_line()

    # --- the dossier panel -------------------------------------------------------------------
    def show_dossier(self, view: DossierView | None) -> None:
        self.current = view
        self.panel.show_dossier(view)
        if view is not None:
            self._focus_next_step(view)

    def _focus_next_step(self, view: DossierView) -> None:
        """Enter does the obvious next thing: hand over a result, record that it came back. Never left
        on a queue row, where Enter would open another dossier; with nothing to do, the desk itself
        (typed keys still reach the code box)."""
        target: QWidget = self.panel.next_step(view) or self
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def collector(self) -> Collector:
        return self.panel.collector()

    # --- writes ------------------------------------------------------------------------------
    def _write(self, fn: Callable[..., DossierView], *args: Any, done: Callable[[DossierView], None],
               doing: str, **kwargs: Any) -> None:
        code = self.current.code if self.current else None

        def failed(exc: BaseException) -> None:
            self.dialogs.show_error(self, exc, doing=doing)
            if code:  # it may have changed elsewhere (another counter): show what is true now
                self._reload(code)

        run_on_desk(self.ops, self.ctx, fn, *args, done=done, failed=failed, parent=self, doing=doing, **kwargs)

    def _reload(self, code: str) -> None:
        try:
            self.show_dossier(returns.lookup_scan(self.ctx, code))
        except MotcuaError:
            self.show_dossier(None)
        self.refresh()

    def _written(self, what: str, message: str) -> Callable[[DossierView], None]:
        def done(view: DossierView) -> None:
            self.show_dossier(view)
            self.refresh()
            self.set_message(message.format(v=view), "ok")
            self.written.emit(view.code, what)
        return done

    def mark_result_ready(self) -> None:
        if self.current is None:
            return
        self._write(returns.result_ready, self.current.code, doing="ghi nhận có kết quả",
                    done=self._written("result_ready", "Đã ghi nhận hồ sơ {v.code} có kết quả."))

    def stop_processing(self) -> None:
        v = self.current
        if v is None:
            return
        reason = self.dialogs.ask_text(self, f"Lý do dừng xử lý hồ sơ {v.code}:", "Dừng xử lý hồ sơ")
        if reason is None:
            return
        written = self._written("stop", "Đã dừng xử lý hồ sơ {v.code}.")

        def done(view: DossierView) -> None:
            written(view)
            for hook in self.after_stop:
                hook(view)

        self._write(returns.stop, v.code, reason, doing="dừng xử lý hồ sơ", done=done)

    def withdraw(self) -> None:
        v = self.current
        if v is None:
            return
        reason = self.dialogs.ask_text(self, f"Công dân rút hồ sơ {v.code}. Lý do (nếu có):", "Rút hồ sơ")
        if reason is None:
            return
        self._write(returns.withdraw, v.code, reason or None, doing="ghi nhận rút hồ sơ",
                    done=self._written("withdraw", "Đã ghi nhận công dân rút hồ sơ {v.code}."))

    def hand_over(self) -> None:
        v = self.current
        if v is None:
            return
        collector = self.collector()
        who = collector.name if collector.kind == "authorised" else v.applicant.name
        if not self.dialogs.confirm(self, f"Trả kết quả hồ sơ {v.code} cho {who or '(chưa nhập tên)'}?",
                                    "Trả kết quả", yes="Trả kết quả", no="Chưa"):
            return
        self._write(returns.hand_over, v.code, collector, self.rating.currentData(), doing="trả kết quả",
                    done=self._written("return", "Đã trả kết quả hồ sơ {v.code} lúc "
                                                 "{v.returned_at:%H:%M %d/%m/%Y}."))

    def apologise(self) -> None:
        v = self.current
        if v is None:
            return
        try:
            new_due = returns.new_due_in_working_days(self.ctx, v.code, self.apology_days.value())
        except Exception as exc:
            self.dialogs.show_error(self, exc, doing="tính ngày hẹn mới")
            return
        written = self._written("apologise", "Đã hẹn lại hồ sơ {v.code}: " + "{v.due_at:%H:%M %d/%m/%Y}.")

        def done(view: DossierView) -> None:
            written(view)
            for hook in self.after_apology:
                hook(view)

        self._write(returns.apologise, v.code, new_due, self.apology_reason.text(), doing="xin lỗi, hẹn lại",
                    done=done)

    # --- for tests and the window ------------------------------------------------------------
    def message_text(self) -> str:
        return self.message.text() if self.message.isVisible() else ""
