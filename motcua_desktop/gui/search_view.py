"""Procedure search: the first thing the clerk does for every citizen.

Results follow every keystroke (the search is ~1 ms, so it runs synchronously on the UI thread's
context). ↑/↓/PgUp/PgDn move in the results without leaving the box; Enter shows the procedure and
puts the focus on "Tiếp nhận hồ sơ"; a second Enter starts the intake wizard; Esc comes back/clears.
"""

from __future__ import annotations

import logging

from ..domain.catalog import Procedure
from ..domain.codes import parse_code
from ..services import catalog
from ..services.context import Context
from .dialogs import Dialogs
from .procedure_view import ProcedureDetail
from .result_list import CODE_ROLE, ResultList
from .qt import (
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

log = logging.getLogger("motcua.gui.search")
RESULT_LIMIT = 50
MAX_QUERY_CHARS = 200  # nobody types more; a pasted novel must not cost anything
_NAVIGATION = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}


class SearchBox(QLineEdit):
    """A line edit that drives a result list: arrows move the list, Enter activates, Esc clears."""

    navigate = Signal(QKeyEvent)
    activated = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        key = event.key()
        if key in _NAVIGATION:
            self.navigate.emit(event)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated.emit()
        elif key == Qt.Key.Key_Escape and self.text():
            self.clear()
        else:
            super().keyPressEvent(event)


class SearchView(QWidget):
    """Search box, result list and the detail of the current procedure."""

    intake_requested = Signal(str)  # procedure code
    dossier_requested = Signal(str)  # a dossier code scanned or typed here: the return desk opens it

    def __init__(self, ctx: Context, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.dialogs = ctx, dialogs
        self.setObjectName("searchView")

        self.box = SearchBox()
        self.box.setObjectName("searchBox")
        self.box.setMaxLength(MAX_QUERY_CHARS)
        self.box.setPlaceholderText("Tìm thủ tục: gõ tên, mã hoặc lĩnh vực — không cần dấu (ví dụ: dang ky khai sinh, GPXD)")
        self.box.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")

        self.results = ResultList()
        self.results.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the box keeps the keyboard
        self.results.setMinimumWidth(300)  # names stay readable however narrow the window

        self.detail = ProcedureDetail()
        self.intake_button = QPushButton("Tiếp nhận hồ sơ thủ tục này  (Enter)")
        self.intake_button.setObjectName("primaryButton")
        self.intake_button.setEnabled(False)
        self.intake_button.setAutoDefault(True)  # Enter on the focused button clicks it, outside dialogs too
        self.hint = QLabel("↑/↓ chọn thủ tục · Enter xem và tiếp nhận · Esc xóa ô tìm")
        self.hint.setObjectName("hintLabel")
        # Under the search box, across the page: beside the button it wrapped to four lines at 1024 pixels.
        self.hint.setWordWrap(True)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.intake_button)
        right_layout.addLayout(actions)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.results)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([480, 560])

        top = QHBoxLayout()
        top.addWidget(self.box, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(splitter, 1)

        self.box.textChanged.connect(self.search)
        self.box.navigate.connect(self._navigate)
        self.box.activated.connect(self.activate_current)
        self.results.currentItemChanged.connect(self._current_changed)
        self.results.itemActivated.connect(lambda *_: self.activate_current())
        self.intake_button.clicked.connect(self._request_intake)
        self.search("")

    # --- searching ---------------------------------------------------------------------------
    def search(self, text: str) -> None:
        """Refresh the result list for the box's text; never raises into Qt."""
        try:
            hits = catalog.search(self.ctx, text, RESULT_LIMIT) if text.strip() else []
        except Exception as exc:  # a bug or a locked file: say so, keep the window usable
            hits = []
            self.dialogs.show_error(self, exc, doing="tìm thủ tục")
        self.results.set_hits(hits)
        if not text.strip():
            self.count_label.setText("")
            self.detail.show_placeholder("Gõ vài chữ của tên thủ tục (có dấu hoặc không dấu), mã thủ tục, "
                                         "hoặc chữ viết tắt như GPXD, CCCD, HKD.")
        elif not hits and (code := parse_code(text)) is not None:
            # A returning citizen's slip scanned on the wrong desk: say what it is, Enter opens it.
            self.count_label.setText("Mã hồ sơ")
            self.detail.show_placeholder(f"{code} là mã hồ sơ, không phải thủ tục. Nhấn Enter để mở hồ sơ "
                                         "ở bàn Trả kết quả (F6).")
        elif not hits:
            self.count_label.setText("Không tìm thấy")
            self.detail.show_placeholder("Không có thủ tục nào khớp. Thử bớt chữ hoặc gõ tên khác.")
        else:
            more = "+" if len(hits) >= RESULT_LIMIT else ""
            self.count_label.setText(f"{len(hits)}{more} kết quả")
        self.intake_button.setEnabled(bool(hits))

    def result_names(self) -> list[str]:
        return self.results.names()

    def current_code(self) -> str | None:
        return self.results.current_code()

    def current_procedure(self) -> Procedure | None:
        return self.detail.procedure

    # --- keyboard ----------------------------------------------------------------------------
    def focus_box(self, select_all: bool = True) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if select_all:
            self.box.selectAll()

    def _navigate(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -8, Qt.Key.Key_PageDown: 8}
        self.results.move_by(step[Qt.Key(event.key())])

    def activate_current(self) -> None:
        """Enter: show the current procedure and offer to receive a dossier for it (or, on a dossier
        code, open that dossier)."""
        if self.results.currentItem() is None:
            code = parse_code(self.box.text())
            if code is not None:
                self.box.clear()
                self.dossier_requested.emit(str(code))
            return
        self._current_changed(self.results.currentItem(), None)
        if self.detail.procedure is not None:
            self.intake_button.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Esc anywhere in the view (e.g. on the intake button) returns to the box.
        if event.key() == Qt.Key.Key_Escape:
            self.focus_box()
            return
        super().keyPressEvent(event)

    def _current_changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is None:
            return
        code = item.data(CODE_ROLE)
        try:
            _version, proc = catalog.procedure(self.ctx, code)
        except Exception as exc:
            self.dialogs.show_error(self, exc, doing="xem thủ tục")
            return
        self.detail.show_procedure(proc)

    def _request_intake(self) -> None:
        if self.detail.procedure is not None:
            self.intake_requested.emit(self.detail.procedure.code)
