"""The return desk (Trả kết quả): results waiting for citizens, scanning slips, hand-over, apologies.

The citizen puts the slip on the counter; the clerk scans it — wherever the focus is on this page,
no text box to click first (`ScanDetector`) — and the dossier opens on the right with what to do:
hand the result over (who collects, identity document, satisfaction rating), record that the result
came back, or apologise for a late result with a new date in working days (and print the slip).

A code that is not a dossier code, or no dossier, gives a red line, a beep, and changes nothing.
A supplement slip of a dossier waiting for papers emits `supplement_requested(code)`; the main window
routes it to the intake wizard's supplement flow.

Reads (lookup, queue) are a few milliseconds on the UI thread's context; writes go through the
window's `Ops` (a worker with its own connection) when one is given, else run inline (tests, tools).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..domain.codes import parse_code
from ..domain.dossier import Status
from ..errors import MotcuaError
from ..services import returns
from ..services.context import Context
from ..services.dossiers import DossierView
from ..services.returns import Collector, QueuePage, QueueRow
from .dialogs import Dialogs
from .fmt import WEEKDAYS, esc
from .qt import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QColor,
    QComboBox,
    QDate,
    QDateEdit,
    QFont,
    QFontMetrics,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPainter,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QShortcut,
    QSpinBox,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabBar,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .scanner import DEFAULT_GAP_MS, ScanDetector


if TYPE_CHECKING:
    from .ops import Ops

log = logging.getLogger("motcua.gui.returns")

OVERDUE_BG, OVERDUE_FG = QColor("#fde4e1"), QColor("#8a1c14")
TODAY_BG, TODAY_FG = QColor("#fff1cc"), QColor("#7a4b00")
CODE_PT = 14  # the dossier code atop the panel: the largest text there, and what sets the panel's width
RATINGS = ("Không đánh giá", "1 – Rất không hài lòng", "2 – Không hài lòng", "3 – Bình thường",
           "4 – Hài lòng", "5 – Rất hài lòng")
_MESSAGE_STYLE = {
    "error": "background:#fde4e1; color:#8a1c14; border:1px solid #e3a29a;",
    "ok": "background:#e3f3e8; color:#1f6f43; border:1px solid #9ccfae;",
    "warn": "background:#fff1cc; color:#7a4b00; border:1px solid #e0c27a;",
    "info": "background:#e8eef5; color:#14304f; border:1px solid #b8c8da;",
}


def when(dt: datetime | None) -> str:
    """'09:00 Thứ Năm 10/12/2026' — how the desk says a time."""
    if dt is None:
        return "chưa xác định"
    return f"{dt:%H:%M} {WEEKDAYS[dt.weekday()]} {dt:%d/%m/%Y}"


def state_text(row: QueueRow, today: date, *, soon: bool) -> str:
    """The colour's words: a clerk with colour blindness (or a grey printout) reads the same thing."""
    if row.overdue and row.due_at is not None:
        days = (today - row.due_at.date()).days
        return f"Quá hẹn {days} ngày" if days else "Quá hẹn"
    if row.due_today:
        return "Hẹn hôm nay"
    return "Hẹn ngày làm việc tới" if soon else ""


def due_line(row: QueueRow, today: date, *, soon: bool) -> str:
    """The appointment in one short line under the code (the full time is in the tooltip): the state
    in words first when there is one, so the line stays no wider than the code itself."""
    due = row.due_at
    if due is None:
        return "Chưa có ngày hẹn"
    state = state_text(row, today, soon=soon)
    if row.overdue:
        return f"{state} · {due:%d/%m}" if due.date() != today else f"{state} · {due:%H:%M}"
    if row.due_today:
        return f"{state} · {due:%H:%M}"
    if state:  # the next working day (due-soon tab)
        return f"Ngày làm việc tới · {due:%H:%M}"
    return f"Hẹn {due:%H:%M %d/%m/%Y}"


class _ElidingDelegate(QStyledItemDelegate):
    """Each line of a two-line cell cut with '…' at the column's width (Qt elides only the last line of
    multi-line text, so a narrow column showed names chopped mid-letter). Only when painting: the
    size hint keeps the full text, so the code column still sizes itself to the whole code."""

    def shown_text(self, option: QStyleOptionViewItem, index: QModelIndex) -> str:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        return elide_lines(opt.text, opt.fontMetrics, opt.rect.width() - 2 * margin)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = self.shown_text(option, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)


def elide_lines(text: str, metrics: QFontMetrics, width: int) -> str:
    # The delegate's display text has its newlines as U+2028 (Qt's line separator); keep that one.
    lines = text.replace("\n", "\u2028").split("\u2028")
    return "\u2028".join(metrics.elidedText(line, Qt.TextElideMode.ElideRight, max(0, width)) for line in lines)


class QueueTable(QTableWidget):
    """Code and appointment, applicant and procedure; overdue and due-today rows coloured.

    Two columns of two lines: on a 1024-pixel monitor the table is ~400 px wide, and the whole code
    (~210 px) plus a separate appointment column left the names ~100 px. The appointment now sits
    under the code, and the names take the rest, elided with '…' (full text in the tooltip).
    """

    HEADERS = ("Mã hồ sơ · hẹn trả", "Người nộp · thủ tục")
    CODE_COLUMN = 0  # the code, and under it the appointment with its state in words ("Quá hẹn 2 ngày")
    NAME_COLUMN = 1

    def __init__(self, name: str) -> None:
        super().__init__(0, len(self.HEADERS))
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setItemDelegate(_ElidingDelegate(self))
        header = self.horizontalHeader()
        header.setSectionResizeMode(self.CODE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)  # never cut
        header.setSectionResizeMode(self.NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().setDefaultSectionSize(2 * self.fontMetrics().height() + 12)

    def fill(self, rows: list[QueueRow], today: date, *, soon: bool) -> None:
        self.setRowCount(0)
        self.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = (f"{r.code}\n{due_line(r, today, soon=soon)}", f"{r.applicant}\n{r.procedure}")
            tips = (f"{r.code}\nHẹn trả: {when(r.due_at)}", cells[1])
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tips[col])
                if r.overdue:
                    item.setBackground(OVERDUE_BG)
                    item.setForeground(OVERDUE_FG)
                elif r.due_today:
                    item.setBackground(TODAY_BG)
                    item.setForeground(TODAY_FG)
                item.setData(Qt.ItemDataRole.UserRole, r.code)
                self.setItem(i, col, item)

    def codes(self) -> list[str]:
        return [self.code_at(i) or "" for i in range(self.rowCount())]

    def code_at(self, row: int) -> str | None:
        item = self.item(row, self.CODE_COLUMN) if row >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def current_code(self) -> str | None:
        return self.code_at(self.currentRow())


class ReturnDesk(QWidget):
    """The page: queue tabs on the left, the scanned dossier and its actions on the right."""

    supplement_requested = Signal(str)  # a supplement slip of a dossier waiting for papers was scanned
    dossier_opened = Signal(str)
    scan_rejected = Signal(str)  # the Vietnamese message shown
    written = Signal(str, str)  # code, what was done (result_ready | return | apologise)

    def __init__(self, ctx: Context, dialogs: Dialogs, ops: Ops | None = None, parent: QWidget | None = None,
                 *, scan_gap_ms: int = DEFAULT_GAP_MS) -> None:
        super().__init__(parent)
        self.ctx, self.dialogs, self.ops = ctx, dialogs, ops
        self.setObjectName("returnDesk")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # keys land on the desk even with nothing focused
        self.current: DossierView | None = None
        self.page = 0
        self.after_apology: list[Callable[[DossierView], None]] = []  # e.g. print the apology slip

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

        self.panel = self._build_panel()
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

        refresh = QShortcut(QKeySequence("F5"), self)
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

    def _build_panel(self) -> QWidget:
        self.detail = QLabel()
        self.detail.setObjectName("dossierDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.ready_button = QPushButton("Ghi nhận đã có kết quả")
        self.ready_button.setObjectName("readyButton")
        self.ready_button.setAutoDefault(True)  # focused after a scan: Enter presses it
        self.ready_button.clicked.connect(self.mark_result_ready)
        # A dossier still being processed can also end without a result (national statuses 8 and 7).
        self.stop_button = QPushButton("Dừng xử lý…")
        self.stop_button.setObjectName("stopButton")
        self.stop_button.clicked.connect(self.stop_processing)
        self.withdraw_button = QPushButton("Công dân rút hồ sơ…")
        self.withdraw_button.setObjectName("withdrawButton")
        self.withdraw_button.clicked.connect(self.withdraw)

        # Hand-over: who collects, identity document, rating.
        self.handover_box = QGroupBox("Trả kết quả cho công dân")
        self.handover_box.setObjectName("handoverBox")
        self.by_applicant = QRadioButton("Người nộp hồ sơ")
        self.by_authorised = QRadioButton("Người được ủy quyền")
        self.by_applicant.setChecked(True)
        group = QButtonGroup(self.handover_box)
        group.addButton(self.by_applicant)
        group.addButton(self.by_authorised)
        self.collector_name = QLineEdit()
        self.collector_name.setObjectName("collectorName")
        self.collector_name.setPlaceholderText("Họ tên người nhận thay")
        self.collector_id = QLineEdit()
        self.collector_id.setObjectName("collectorId")
        self.collector_id.setPlaceholderText("Số CCCD / CMND / hộ chiếu")
        self.collector_note = QLineEdit()
        self.collector_note.setPlaceholderText("Giấy ủy quyền số … (nếu có)")
        self.rating = QComboBox()
        self.rating.setObjectName("rating")
        for i, text in enumerate(RATINGS):
            self.rating.addItem(text, i or None)
        self.rating.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.rating.setMinimumContentsLength(11)  # "5 – Rất hài lòng"; longer ones elide when closed
        self.handover_button = QPushButton("Trả kết quả")
        self.handover_button.setObjectName("primaryButton")
        self.handover_button.setAutoDefault(True)
        self.handover_button.clicked.connect(self.hand_over)
        self.by_authorised.toggled.connect(self._collector_kind_changed)
        who = QVBoxLayout()
        who.setSpacing(2)
        who.addWidget(self.by_applicant)
        who.addWidget(self.by_authorised)
        form = QFormLayout()
        form.addRow("Người nhận", who)
        form.addRow("Họ tên", self.collector_name)
        form.addRow("Giấy tờ tùy thân", self.collector_id)
        form.addRow("Ghi chú", self.collector_note)
        form.addRow("Mức độ hài lòng", self.rating)
        box_layout = QVBoxLayout(self.handover_box)
        box_layout.addLayout(form)
        box_layout.addWidget(self.handover_button, 0, Qt.AlignmentFlag.AlignRight)
        self._collector_kind_changed(False)

        # Apology: reason and a new date in working days.
        self.apology_box = QGroupBox("Xin lỗi và hẹn lại ngày trả kết quả")
        self.apology_box.setObjectName("apologyBox")
        self.apology_reason = QLineEdit()
        self.apology_reason.setObjectName("apologyReason")
        self.apology_reason.setPlaceholderText("Lý do chậm trả kết quả")
        self.apology_days = QSpinBox()
        self.apology_days.setObjectName("apologyDays")
        self.apology_days.setRange(1, 60)
        self.apology_days.setValue(3)
        self.apology_days.setSuffix(" ngày làm việc")
        self.apology_days.valueChanged.connect(lambda _v: self._update_new_due())
        self.new_due_label = QLabel()
        self.new_due_label.setObjectName("newDue")
        self.apology_button = QPushButton("Xin lỗi và hẹn lại")
        self.apology_button.setObjectName("apologyButton")
        self.apology_button.clicked.connect(self.apologise)
        aform = QFormLayout()
        aform.addRow("Lý do", self.apology_reason)
        aform.addRow("Hẹn thêm", self.apology_days)
        aform.addRow("Ngày hẹn mới", self.new_due_label)
        a_layout = QVBoxLayout(self.apology_box)
        a_layout.addLayout(aform)
        a_layout.addWidget(self.apology_button, 0, Qt.AlignmentFlag.AlignRight)

        inner = QWidget()
        inner.setObjectName("dossierPanel")
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.detail)
        # Two rows: three buttons side by side are wider than the panel on a small monitor.
        actions = QVBoxLayout()
        actions.addWidget(self.ready_button, 0, Qt.AlignmentFlag.AlignLeft)
        ends = QHBoxLayout()
        ends.addWidget(self.stop_button)
        ends.addWidget(self.withdraw_button)
        ends.addStretch(1)
        actions.addLayout(ends)
        layout.addLayout(actions)
        layout.addWidget(self.handover_box)
        layout.addWidget(self.apology_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # wrap, never cut
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a Tab stop with no visible focus loses the clerk
        scroll.setWidget(inner)
        # The dossier code (one unbreakable word) plus a vertical scroll bar; no wider, so the queue
        # keeps room for the code and ~200 px of names on a 1024-pixel monitor.
        code_font = QFont(self.detail.font())
        code_font.setPointSizeF(CODE_PT)
        code_font.setBold(True)
        code_width = QFontMetrics(code_font).horizontalAdvance("000.00.00.H00-000000-0000") + 8
        content = max(code_width, inner.minimumSizeHint().width())  # built, not yet hidden: every box counts
        scroll.setMinimumWidth(content + scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth())
        return scroll

    # --- the queue ---------------------------------------------------------------------------
    def page_entered(self) -> None:
        """Called by the main window when the desk is shown: fresh lists, keyboard on the desk."""
        if not self.date_check.isChecked():  # a range the clerk chose stays; the suggestion follows the day
            self._offer_this_month()
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
        """Reload both lists (a few ms: an index range over the store)."""
        try:
            page: QueuePage = returns.results_queue(self.ctx, limit=returns.QUEUE_PAGE,
                                                    offset=self.page * returns.QUEUE_PAGE, **self._filters())
            if not page.rows and self.page:
                self.page = 0
                page = returns.results_queue(self.ctx, limit=returns.QUEUE_PAGE, **self._filters())
            soon = returns.due_soon(self.ctx)
        except Exception as exc:
            self.dialogs.show_error(self, exc, doing="tải danh sách trả kết quả")
            return
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
            self.set_message(f"Hồ sơ {view.code} đã trả kết quả {self._returned_text(view)}. "
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

    # --- the dossier panel -------------------------------------------------------------------
    def show_dossier(self, view: DossierView | None) -> None:
        self.current = view
        if view is None:
            self.detail.setText("<p style='color:#5a6673; font-size:11pt'>Quét mã trên phiếu hẹn của công dân "
                                "để mở hồ sơ, hoặc chọn một dòng trong danh sách (Enter).</p>")
            for w in (self.ready_button, self.stop_button, self.withdraw_button, self.handover_box,
                      self.apology_box):
                w.setVisible(False)
            return
        self.detail.setText(self._detail_html(view))
        working = view.status in returns.WORKING
        for w in (self.ready_button, self.stop_button, self.withdraw_button, self.apology_box):
            w.setVisible(working)
        self.handover_box.setVisible(view.status in (Status.RESULT_READY, Status.RETURNED))
        self.handover_button.setEnabled(view.status is Status.RESULT_READY)
        self.handover_button.setText("Trả kết quả" if view.status is Status.RESULT_READY else "Đã trả kết quả")
        self.handover_box.setTitle("Trả kết quả cho công dân" if view.status is Status.RESULT_READY
                                   else "Đã trả kết quả cho công dân")
        if view.status is Status.RESULT_READY:
            self.by_applicant.setChecked(True)
            self.collector_name.clear()
            self.collector_id.clear()
            self.collector_note.clear()
            self.rating.setCurrentIndex(0)
            self._set_handover_editable(True)
        elif view.status is Status.RETURNED:  # what was recorded, read-only
            to = view.returned_to or {}
            authorised = to.get("kind") == "authorised"
            (self.by_authorised if authorised else self.by_applicant).setChecked(True)
            self.collector_name.setText(to.get("name") or "" if authorised else "")
            self.collector_id.setText(to.get("id_number") or "" if authorised else "")
            self.collector_note.setText(to.get("note") or "")
            self.rating.setCurrentIndex(view.rating or 0)
            self._set_handover_editable(False)
        if working:
            self.apology_reason.clear()
            self._update_new_due()
        self._focus_next_step(view)

    def _focus_next_step(self, view: DossierView) -> None:
        """Enter does the obvious next thing: hand over a result, record that it came back. Never left
        on a queue row, where Enter would open another dossier; with nothing to do, the desk itself
        (typed keys still reach the code box)."""
        if view.status is Status.RESULT_READY:
            target: QWidget = self.handover_button
        elif view.status in returns.WORKING:
            target = self.ready_button
        else:
            target = self
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _detail_html(self, v: DossierView) -> str:
        a = v.applicant
        colour = {Status.RESULT_READY: "#1f6f43", Status.RETURNED: "#3b4855",
                  Status.SUPPLEMENT_REQUESTED: "#7a4b00"}.get(v.status, "#14304f")
        rows: list[tuple[str, str]] = [
            ("Người nộp", a.name + (f" · {(a.id_kind or '').upper()} {a.id_number}" if a.id_number else "")),
        ]
        if a.phone:
            rows.append(("Điện thoại", a.phone))
        rows.append(("Thủ tục", v.procedure.name))
        if v.received_at:
            rows.append(("Tiếp nhận", when(v.received_at) + (f" — cán bộ {v.clerk}" if v.clerk else "")))
        due = when(v.due_at)
        if v.original_due_at and v.due_at and v.original_due_at != v.due_at:
            due += f" (hẹn ban đầu {when(v.original_due_at)}; đã xin lỗi {v.apology_count} lần)"
        rows.append(("Hẹn trả", due))
        now = self.ctx.now()
        if v.due_at and v.status in (*returns.WORKING, Status.RESULT_READY) and v.due_at < now:
            days = (now.date() - v.due_at.date()).days
            late = f"Quá hẹn {days} ngày" if days else f"Quá hẹn (hẹn {v.due_at:%H:%M} hôm nay)"
            rows.append(("", f"<b style='color:#8a1c14'>{esc(late)}</b>"))
        if v.result_ready_at:
            rows.append(("Có kết quả", when(v.result_ready_at)))
        if v.returned_at:
            rows.append(("Đã trả", self._returned_text(v).removeprefix("lúc ")))
            if v.rating:
                rows.append(("Hài lòng", RATINGS[v.rating]))
        body = "".join(
            f"<tr><td style='color:#5a6673; padding:2px 10px 2px 0'>{esc(k)}</td>"
            f"<td style='padding:2px 0'>{v_ if k == '' else esc(v_)}</td></tr>" for k, v_ in rows)
        return (f"<div style='font-size:{CODE_PT}pt; font-weight:bold; color:#14304f'>{esc(v.code)}</div>"
                f"<div style='font-size:12pt; font-weight:bold; color:{colour}; padding:2px 0 6px 0'>"
                f"{esc(v.status.label)}</div><table style='font-size:10.5pt'>{body}</table>")

    def _set_handover_editable(self, editable: bool) -> None:
        for w in (self.by_applicant, self.by_authorised, self.rating):
            w.setEnabled(editable)
        if editable:
            self._collector_kind_changed(self.by_authorised.isChecked())
        else:
            for w in (self.collector_name, self.collector_id, self.collector_note):
                w.setEnabled(False)

    @staticmethod
    def _returned_text(v: DossierView) -> str:
        """'lúc 14:05 Thứ Năm 10/12/2026 cho Lê Thị Hoa (người được ủy quyền) — cán bộ trả: Trần Văn Trả'."""
        to = v.returned_to or {}
        who = to.get("name") or "người nhận"
        if to.get("kind") == "authorised":
            who += f" (người được ủy quyền{', ' + to['id_number'] if to.get('id_number') else ''})"
        return f"lúc {when(v.returned_at)} cho {who} — cán bộ trả: {v.returned_by or 'không rõ'}"

    def _collector_kind_changed(self, authorised: bool) -> None:
        for w in (self.collector_name, self.collector_id, self.collector_note):
            w.setEnabled(authorised)

    def _update_new_due(self) -> None:
        if self.current is None or self.current.status not in returns.WORKING:
            return
        try:
            due = returns.new_due_in_working_days(self.ctx, self.current.code, self.apology_days.value())
        except MotcuaError as exc:
            self.new_due_label.setText(exc.message_vi)
            return
        self.new_due_label.setText(when(due))

    # --- writes ------------------------------------------------------------------------------
    def _write(self, fn: Callable[..., DossierView], *args: Any, done: Callable[[DossierView], None],
               doing: str, **kwargs: Any) -> None:
        code = self.current.code if self.current else None

        def failed(exc: BaseException) -> None:
            self.dialogs.show_error(self, exc, doing=doing)
            if code:  # it may have changed elsewhere (another counter): show what is true now
                self._reload(code)

        if self.ops is not None:
            self.ops.run(fn, *args, on_done=done, on_error=failed, parent=self, doing=doing, **kwargs)
            return
        try:
            result = fn(self.ctx, *args, **kwargs)
        except Exception as exc:
            failed(exc)
            return
        done(result)

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
        self._write(returns.stop, v.code, reason, doing="dừng xử lý hồ sơ",
                    done=self._written("stop", "Đã dừng xử lý hồ sơ {v.code}."))

    def withdraw(self) -> None:
        v = self.current
        if v is None:
            return
        reason = self.dialogs.ask_text(self, f"Công dân rút hồ sơ {v.code}. Lý do (nếu có):", "Rút hồ sơ")
        if reason is None:
            return
        self._write(returns.withdraw, v.code, reason or None, doing="ghi nhận rút hồ sơ",
                    done=self._written("withdraw", "Đã ghi nhận công dân rút hồ sơ {v.code}."))

    def collector(self) -> Collector:
        if self.by_authorised.isChecked():
            return Collector("authorised", name=self.collector_name.text(), id_number=self.collector_id.text(),
                             note=self.collector_note.text() or None)
        return Collector("applicant")

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


def _print_apology_hook(window: Any, desk: ReturnDesk) -> None:
    """After an apology, issue and print the apology slip, as the wizard does for receipts."""
    from . import printing
    from ..services import slips as slip_service

    def issue(view: DossierView) -> None:
        window.ops.run(slip_service.issue_slip, view.code, "apology",
                       on_done=lambda slip: printing.present(window, slip, f"Phiếu xin lỗi {slip.dossier_code}"),
                       parent=desk, doing="in phiếu xin lỗi")

    desk.after_apology.append(issue)


def create_page(window: Any) -> ReturnDesk:
    """The main window's factory hook (MainWindow._returns_page)."""
    desk = ReturnDesk(window.ctx, window.dialogs, getattr(window, "ops", None))
    resume = getattr(window, "resume_dossier", None)
    if callable(resume):
        desk.supplement_requested.connect(resume)
    _print_apology_hook(window, desk)
    return desk
