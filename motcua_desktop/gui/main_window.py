"""The counter window: a side navigation of the clerk's desks and one page per desk.

Pages are created by small factories so other engineers' desks plug in without editing this file:
`gui/return_desk.py` (the return desk) is picked up if it defines `create_page(window) -> QWidget`;
the page can use `window.ctx`, `window.ops`, `window.dialogs` and `window.show_page(key)`.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from ..services import settings as settings_service
from ..services.context import Context
from .dialogs import Dialogs
from .ops import Ops
from .qt import (
    QCloseEvent,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QShortcut,
    QSize,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
)
from .pending_view import PendingView
from .printing import attach_printing
from .search_view import SearchView
from .settings_view import SettingsView
from .wizard import IntakeWizard

log = logging.getLogger("motcua.gui.window")


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    shortcut: str


PAGES = (
    PageSpec("search", "Tra cứu thủ tục", "F2"),
    PageSpec("intake", "Tiếp nhận hồ sơ", "F3"),
    PageSpec("pending", "Chờ bổ sung", "F4"),
    PageSpec("returns", "Trả kết quả", "F6"),
    PageSpec("reports", "Báo cáo", "F7"),
    PageSpec("settings", "Thiết lập", "F9"),
)


class Placeholder(QWidget):
    """A desk that is not built yet: says so plainly instead of an empty page."""

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        body = QLabel(text)
        body.setWordWrap(True)
        body.setObjectName("hintLabel")
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    def __init__(self, ctx: Context, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialogs = dialogs
        self.ops = Ops(ctx, dialogs, self)
        self.setObjectName("mainWindow")
        self.pages: dict[str, QWidget] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keyboard goes to the page; F-keys switch desks
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pageStack")

        self.search_view = SearchView(ctx, dialogs)
        self.search_view.intake_requested.connect(self.start_intake)
        factories: dict[str, Callable[[], QWidget]] = {
            "search": lambda: self.search_view,
            "intake": self._intake_page,
            "pending": self._pending_page,
            "returns": self._returns_page,
            "reports": self._reports_page,
            "settings": self._settings_page,
        }
        for spec in PAGES:
            self._add_page(spec, factories[spec.key]())
        # Outside a dialog Qt's buttons ignore Enter unless autoDefault: the clerk learns in the wizard
        # that Enter presses the focused button, so every desk's buttons do the same.
        for button in self.stack.findChildren(QPushButton):
            button.setAutoDefault(True)

        brand = QLabel("MỘT CỬA")
        brand.setObjectName("brand")
        side = QWidget()
        side.setObjectName("sidebar")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(0)
        side_layout.addWidget(brand)
        side_layout.addWidget(self.nav, 1)
        side.setFixedWidth(210)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.nav.currentRowChanged.connect(self._nav_changed)
        self._build_status_bar()
        self.refresh_identity()
        self.resize(1280, 800)
        self.show_page("search")

    # --- pages ---------------------------------------------------------------------------------
    def _add_page(self, spec: PageSpec, widget: QWidget) -> None:
        self.pages[spec.key] = widget
        self.stack.addWidget(widget)
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, spec.key)
        item.setToolTip(f"{spec.title} ({spec.shortcut})")
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(16, 0, 14, 0)
        title, key = QLabel(spec.title), QLabel(spec.shortcut)
        title.setObjectName("navTitle")
        key.setObjectName("navKey")
        row_layout.addWidget(title, 1)
        row_layout.addWidget(key)
        item.setSizeHint(QSize(200, 44))
        self.nav.addItem(item)
        self.nav.setItemWidget(item, row)
        shortcut = QShortcut(QKeySequence(spec.shortcut), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(lambda key=spec.key: self.show_page(key))

    def show_page(self, key: str) -> QWidget:
        keys = [s.key for s in PAGES]
        self.nav.setCurrentRow(keys.index(key))  # -> _nav_changed
        return self.pages[key]

    def current_page_key(self) -> str:
        return PAGES[self.stack.currentIndex()].key

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        spec = PAGES[row]
        page = self.pages[spec.key]
        self.stack.setCurrentWidget(page)
        enter = getattr(page, "page_entered", None)
        if callable(enter):
            enter()
        elif page is self.search_view:
            self.search_view.focus_box()

    def start_intake(self, procedure_code: str) -> None:
        """Open the intake desk on a procedure (from the search view)."""
        self.wizard.start(procedure_code)
        self._show_wizard()

    def _show_wizard(self) -> None:
        """Show the intake desk as the wizard is now (switching via the nav would restart it)."""
        self.stack.setCurrentWidget(self.wizard)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow([s.key for s in PAGES].index("intake"))
        self.nav.blockSignals(False)
        self.wizard.focus_current()

    def _intake_page(self) -> QWidget:
        self.wizard = IntakeWizard(self.ctx, self.ops, self.dialogs)
        self.wizard.closed.connect(lambda: self.show_page("search"))
        self.wizard.dossier_written.connect(self._dossier_written)
        attach_printing(self)
        return self.wizard

    def _pending_page(self) -> QWidget:
        self.pending_view = PendingView(self.ctx, self.dialogs)
        self.pending_view.resume_requested.connect(self.resume_dossier)
        return self.pending_view

    def resume_dossier(self, code: str) -> None:
        """Chờ bổ sung → the wizard's checklist for that dossier."""
        if self.wizard.resume(code):
            self._show_wizard()
        else:
            self.pending_view.box.setFocus()

    def _dossier_written(self, code: str, kind: str) -> None:
        labels = {"receipt": "Đã tiếp nhận", "supplement": "Đã ghi yêu cầu bổ sung", "refusal": "Đã ghi từ chối"}
        self.statusBar().showMessage(f"{labels.get(kind, 'Đã ghi')} hồ sơ {code}", 15_000)

    def _settings_page(self) -> QWidget:
        self.settings_view = SettingsView(self.ctx, self.dialogs)
        self.settings_view.saved.connect(self._settings_saved)
        return self.settings_view

    def _settings_saved(self, changed: dict) -> None:
        self.refresh_identity()  # the agency name is in the title bar, the code and slot in the status bar
        self.statusBar().showMessage(f"Đã lưu {len(changed)} thiết lập", 10_000)

    def _returns_page(self) -> QWidget:
        try:
            module = importlib.import_module(f"{__package__}.return_desk")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.return_desk":
                raise
            return Placeholder("Trả kết quả", "Quầy trả kết quả chưa có trong phiên bản này.")
        return module.create_page(self)

    def _reports_page(self) -> QWidget:
        from .report_desk import create_page

        self.report_desk = create_page(self)
        return self.report_desk

    # --- status bar --------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.clerk_label = QLabel()
        self.counter_label = QLabel()
        self.busy_label = QLabel()
        self.sync_label = QLabel()
        self.sync_label.setObjectName("syncLabel")
        for label in (self.busy_label, self.sync_label, self.counter_label, self.clerk_label):
            bar.addPermanentWidget(label)
        self.ops.started.connect(lambda name: self.busy_label.setText(f"Đang {name}…"))
        self.ops.busy_changed.connect(lambda busy: None if busy else self.busy_label.setText(""))
        self.ops.finished.connect(lambda _name, _ok: self.refresh_sync_state())

    def refresh_sync_state(self) -> None:
        """Events waiting for the hub (written in the same transaction as each operation)."""
        waiting = settings_service.outbox_waiting(self.ctx)
        hub = self.ctx.settings().get("hub_url")
        # Sending to the hub is a later feature; until a hub is set, events simply wait here.
        where = "" if hub else " · chưa cấu hình máy chủ đồng bộ"
        self.sync_label.setText(f"Chờ đồng bộ: {waiting}{where}")

    def refresh_identity(self) -> None:
        """Title and status bar from the counter's settings (agency name in the title bar)."""
        s = self.ctx.settings()
        self.setWindowTitle(f"{s['agency_name']} — Bộ phận Một cửa · Quầy {s['counter_slot']}")
        self.clerk_label.setText(f"Cán bộ: {self.ctx.who()}")
        self.counter_label.setText(f"Đơn vị {s['agency_code']} · Quầy {s['counter_slot']}")
        self.statusBar().showMessage(f"Dữ liệu: {self.ctx.data_dir}")
        self.refresh_sync_state()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.ops.busy:
            # A write in flight finishes (it is one short transaction) before the window goes.
            self.ops.wait(10_000)
        super().closeEvent(event)
