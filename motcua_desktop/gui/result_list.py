"""The search result list: each procedure on two lines — its full name (wrapped, never cut) and,
smaller, its field and code — because long procedure names differ only at their end."""

from __future__ import annotations

from ..services.catalog import SearchHit
from .qt import (
    QAbstractItemView,
    QColor,
    QFont,
    QFontMetrics,
    QListView,
    QListWidget,
    QListWidgetItem,
    QModelIndex,
    QPersistentModelIndex,
    QPainter,
    QRect,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
    QWidget,
)

CODE_ROLE = Qt.ItemDataRole.UserRole
SUB_ROLE = Qt.ItemDataRole.UserRole + 1
PAD_X, PAD_Y, GAP = 12, 7, 2


class _TwoLineDelegate(QStyledItemDelegate):
    def __init__(self, view: QListWidget) -> None:
        super().__init__(view)
        self.view = view

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        main = QFont(option.font)
        sub = QFont(option.font)
        sub.setPointSizeF(max(7.0, main.pointSizeF() - 1.5))
        return main, sub

    def _text_width(self) -> int:
        return max(120, self.view.viewport().width() - 2 * PAD_X)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        main, sub = self._fonts(option)
        width = self._text_width()
        flags = int(Qt.TextFlag.TextWordWrap)
        h1 = QFontMetrics(main).boundingRect(QRect(0, 0, width, 10_000), flags, index.data() or "").height()
        h2 = QFontMetrics(sub).height()
        return QSize(width + 2 * PAD_X, h1 + GAP + h2 + 2 * PAD_Y)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, QColor("#2f6db3"))
        elif index.row() % 2:
            painter.fillRect(option.rect, QColor("#f6f8fb"))
        else:
            painter.fillRect(option.rect, QColor("#ffffff"))
        painter.setPen(QColor("#e1e6ec"))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        main, sub = self._fonts(option)
        area = option.rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft) | int(Qt.AlignmentFlag.AlignTop)
        painter.setFont(main)
        painter.setPen(QColor("#ffffff" if selected else "#1d2733"))
        used = painter.boundingRect(area, flags, index.data() or "")
        painter.drawText(area, flags, index.data() or "")
        painter.setFont(sub)
        painter.setPen(QColor("#dbe7f5" if selected else "#5a6673"))
        painter.drawText(area.adjusted(0, used.height() + GAP, 0, 0), flags, index.data(SUB_ROLE) or "")
        painter.restore()


class ResultList(QListWidget):
    """Procedure hits; the current row is what Enter opens."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("results")
        self.setItemDelegate(_TwoLineDelegate(self))
        self.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap names when the pane is resized
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.clear()
        for hit in hits:
            item = QListWidgetItem(hit.name)
            item.setData(CODE_ROLE, hit.code)
            sub = f"{hit.field} · {hit.code}" + (f" · mã QG {hit.national_code}" if hit.national_code else "")
            item.setData(SUB_ROLE, sub)
            self.addItem(item)
        if hits:
            self.setCurrentRow(0)

    def names(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())]

    def current_code(self) -> str | None:
        item = self.currentItem()
        return item.data(CODE_ROLE) if item else None

    def move_by(self, step: int) -> None:
        if not self.count():
            return
        row = max(0, min(self.count() - 1, (self.currentRow() if self.currentRow() >= 0 else -1) + step))
        self.setCurrentRow(row)
        self.scrollToItem(self.item(row))
