"""Chờ bổ sung: dossiers waiting for the citizen's missing papers; Enter (or a scanned code) resumes one."""

from __future__ import annotations

from ..domain.dossier import Status
from ..services import dossiers
from ..services.context import Context
from .dialogs import Dialogs
from .fmt import moment
from .qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QKeyEvent,
    QLabel,
    QLineEdit,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .search_view import SearchBox

COLUMNS = ("Mã hồ sơ", "Người nộp", "Thủ tục", "Tiếp nhận lần đầu", "Còn thiếu")


class PendingView(QWidget):
    resume_requested = Signal(str)  # dossier code

    def __init__(self, ctx: Context, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.dialogs = ctx, dialogs
        title = QLabel("Hồ sơ chờ bổ sung")
        title.setObjectName("pageTitle")
        self.box = SearchBox()
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText("Quét hoặc gõ mã hồ sơ trên phiếu yêu cầu bổ sung, rồi Enter")
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("pendingTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        hint = QLabel("↑/↓ chọn hồ sơ · Enter: mở để bổ sung (mã gõ trong ô được ưu tiên)")
        hint.setObjectName("hintLabel")
        top = QHBoxLayout()
        top.addWidget(self.box, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        self.box.navigate.connect(self._navigate)
        self.box.activated.connect(self.activate)
        self.table.cellDoubleClicked.connect(lambda *_: self._resume_selected())

    def page_entered(self) -> None:
        self.refresh()
        self.box.setFocus()
        self.box.selectAll()

    def refresh(self) -> None:
        try:
            waiting = dossiers.by_status(self.ctx, Status.SUPPLEMENT_REQUESTED, limit=500)
        except Exception as exc:
            self.dialogs.show_error(self, exc, doing="liệt kê hồ sơ chờ bổ sung")
            waiting = []
        self.table.setRowCount(len(waiting))
        for row, d in enumerate(waiting):
            cells = (d.code, d.applicant.name, d.procedure.name, moment(d.first_contact_at),
                     "; ".join(doc.name for doc in d.missing_documents()))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        if waiting:
            self.table.selectRow(0)
        self.count.setText(f"{len(waiting)} hồ sơ")

    def codes(self) -> list[str]:
        return [item.text() for r in range(self.table.rowCount()) if (item := self.table.item(r, 0)) is not None]

    def _navigate(self, event: QKeyEvent) -> None:
        if not self.table.rowCount():
            return
        step = -1 if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_PageUp) else 1
        row = max(0, min(self.table.rowCount() - 1, self.table.currentRow() + step))
        self.table.selectRow(row)

    def activate(self) -> None:
        typed = self.box.text().strip()
        if typed:
            self.box.clear()
            self.resume_requested.emit(typed)
        else:
            self._resume_selected()

    def _resume_selected(self) -> None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        if item is not None:
            self.resume_requested.emit(item.text())
