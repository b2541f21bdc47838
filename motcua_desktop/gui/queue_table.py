"""The return desk's lists (results waiting, due soon): a dossier per row on two lines, overdue and
due-today rows coloured, names cut with '…' at the column's width."""

from __future__ import annotations

from datetime import date

from ..services.returns import QueueRow
from .qt import (
    QAbstractItemView,
    QApplication,
    QColor,
    QFontMetrics,
    QHeaderView,
    QModelIndex,
    QPersistentModelIndex,
    QPainter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QTableWidget,
    QTableWidgetItem,
)
from .return_wording import due_line, when

OVERDUE_BG, OVERDUE_FG = QColor("#fde4e1"), QColor("#8a1c14")
TODAY_BG, TODAY_FG = QColor("#fff1cc"), QColor("#7a4b00")


class _ElidingDelegate(QStyledItemDelegate):
    """Each line of a two-line cell cut with '…' at the column's width (Qt elides only the last line of
    multi-line text, so a narrow column showed names chopped mid-letter). Only when painting: the
    size hint keeps the full text, so the code column still sizes itself to the whole code."""

    def shown_text(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> str:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        return elide_lines(opt.text, opt.fontMetrics, opt.rect.width() - 2 * margin)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
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

