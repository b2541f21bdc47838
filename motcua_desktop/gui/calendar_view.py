"""Lịch làm việc: what the app believes about days off and make-up days, and the local overrides.

The `holidays` package gives Vietnam's public holidays, swaps and make-up Saturdays; an
administrator adds the days the government announces later. Every change goes through
services/calendar.py (one transaction each; a CSV import is all-or-nothing), on the window's worker
store like every other write.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from collections.abc import Callable
from typing import Any

from ..services import calendar as calendar_service
from ..services.context import Context
from .dialogs import Dialogs
from .ops import Changes, Ops, run_on_desk
from .qt import (
    QAbstractItemView,
    QComboBox,
    QDate,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

KIND_LABELS = {"off": "Nghỉ", "work": "Làm việc (làm bù)"}
SOURCE_LABELS = {"holidays": "Quy định chung", "override": "Thông báo bổ sung (quầy nhập)"}
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


class CalendarView(QWidget):
    def __init__(self, ctx: Context, dialogs: Dialogs, ops: Ops | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.dialogs, self.ops = ctx, dialogs, ops
        today = ctx.now().date()

        self.year = QSpinBox()
        self.year.setObjectName("calendarYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.year.valueChanged.connect(lambda _y: self.refresh())
        top = QHBoxLayout()
        top.addWidget(QLabel("Năm"))
        top.addWidget(self.year)
        top.addStretch(1)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("calendarTable")
        self.table.setHorizontalHeaderLabels(["Ngày", "Loại", "Tên / ghi chú", "Nguồn"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)

        self.day = QDateEdit()
        self.day.setObjectName("overrideDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.kind = QComboBox()
        self.kind.setObjectName("overrideKind")
        for key, label in KIND_LABELS.items():
            self.kind.addItem(label, key)
        self.note = QLineEdit()
        self.note.setObjectName("overrideNote")
        self.note.setPlaceholderText("Ghi chú, ví dụ: theo Thông báo số …/TB-VPCP")
        self.note.returnPressed.connect(self.add_override)
        add = QPushButton("Thêm / sửa ngày")
        add.setObjectName("addOverride")
        add.clicked.connect(self.add_override)
        self.remove_button = QPushButton("Bỏ ngày đã nhập")
        self.remove_button.setObjectName("removeOverride")
        self.remove_button.clicked.connect(self.remove_selected)
        import_button = QPushButton("Nhập từ tệp CSV…")
        import_button.setObjectName("importOverrides")
        import_button.clicked.connect(self.import_csv)

        form = QHBoxLayout()
        form.addWidget(self.day)
        form.addWidget(self.kind)
        form.addWidget(self.note, 1)
        form.addWidget(add)
        actions = QHBoxLayout()
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        actions.addWidget(import_button)

        hint = QLabel("Ngày nghỉ lễ, Tết, nghỉ bù và ngày làm bù theo quy định chung được tính sẵn. Khi Chính phủ "
                      "thông báo thêm ngày nghỉ hoặc ngày làm bù, nhập tại đây: ngày hẹn trả kết quả tính lại theo "
                      "lịch mới. Tệp CSV có các cột: date,kind,note (kind: off hoặc work).")
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(actions)
        # Filled when the settings desk is shown (SettingsView.page_entered): a year's holidays take
        # ~0.3 s to compute, which every start of the window paid for a tab nobody had opened.

    def refresh(self) -> None:
        days = calendar_service.special_days(self.ctx, self.year.value())
        self.table.setRowCount(len(days))
        for row, d in enumerate(days):
            cells = [f"{WEEKDAYS[d.day.weekday()]} {d.day:%d/%m/%Y}", KIND_LABELS[d.kind], d.name,
                     SOURCE_LABELS.get(d.source, d.source)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, (d.day.isoformat(), d.source))
                self.table.setItem(row, col, item)

    def _selected(self) -> tuple[date, str] | None:
        item = self.table.item(self.table.currentRow(), 0) if self.table.currentRow() >= 0 else None
        if item is None:
            return None
        day, source = item.data(Qt.ItemDataRole.UserRole)
        return date.fromisoformat(day), source

    def add_override(self) -> None:
        q = self.day.date()
        day = date(q.year(), q.month(), q.day())
        def done(_result: Any) -> None:
            self.note.clear()
            if day.year != self.year.value():
                self.year.setValue(day.year)  # refreshes
            else:
                self.refresh()
            self.select_day(day)

        self._write(calendar_service.set_day, day, self.kind.currentData(), self.note.text() or None, done=done,
                    doing="ghi ngày vào lịch")

    def _write(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None], doing: str) -> None:
        run_on_desk(self.ops, self.ctx, fn, *args, done=done,
                    failed=lambda exc: self.dialogs.show_error(self, exc, doing=doing), parent=self, doing=doing,
                    changes=Changes(calendar=True))

    def select_day(self, day: date) -> None:
        """Show the clerk the row of a day just entered."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole)[0] == day.isoformat():
                self.table.selectRow(row)
                self.table.scrollToItem(item)
                return

    def remove_selected(self) -> None:
        selected = self._selected()
        if selected is None:
            self.dialogs.info(self, "Chọn một ngày do quầy nhập (nguồn: thông báo bổ sung) để bỏ.")
            return
        day, source = selected
        if source != "override":
            self.dialogs.info(self, f"Ngày {day:%d/%m/%Y} là ngày theo quy định chung, không bỏ được. "
                                    "Nếu vẫn phải làm việc ngày này, hãy thêm nó là ngày làm việc.")
            return
        if not self.dialogs.confirm(self, f"Bỏ ngày {day:%d/%m/%Y} khỏi danh sách quầy đã nhập?", "Bỏ ngày"):
            return
        self._write(calendar_service.remove_override, day, done=lambda _r: self.refresh(), doing="bỏ ngày khỏi lịch")

    def import_csv(self) -> None:
        path = self.dialogs.choose_file(self, "Chọn tệp lịch (CSV: date,kind,note)", "Tệp CSV (*.csv)")
        if not path:
            return
        def done(count: int) -> None:
            self.refresh()
            self.dialogs.info(self, f"Đã nhập {count} ngày từ tệp {Path(path).name}.")

        self._write(calendar_service.import_overrides, Path(path), done=done, doing="nhập lịch từ tệp")
