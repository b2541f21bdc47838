"""The counter window: a side navigation of the clerk's desks and one page per desk.

Each desk is a `Page` (gui/pages.py: key, title, shortcut, widget, entered, refresh) built on the
window as its `DeskHost`; `PAGES` lists them in navigation order (gui/desks.py). A new desk is a new
`Page` class added there — the window needs no other change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from ..services import settings as settings_service
from ..services.context import Context
from . import keymap
from .desks import IntakePage, PendingPage, RegisterPage, ReportsPage, ReturnsPage, SearchPage, SettingsPage
from .dialogs import Dialogs
from .ops import Ops
from .pages import DeskHost, Page
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
    QTimer,
    QVBoxLayout,
    QWidget,
)

log = logging.getLogger("motcua.gui.window")

P = TypeVar("P", bound=Page)

PAGES: tuple[Callable[[DeskHost], Page], ...] = (SearchPage, IntakePage, PendingPage, RegisterPage, ReturnsPage,
                                                 ReportsPage, SettingsPage)


class MainWindow(QMainWindow):
    def __init__(self, ctx: Context, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialogs = dialogs
        self.ops = Ops(ctx, dialogs, self)
        self.setObjectName("mainWindow")
        self.desks: list[Page] = []
        self.pages: dict[str, QWidget] = {}  # key -> the desk's widget

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keyboard goes to the page; F-keys switch desks
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pageStack")

        for make in PAGES:
            self._add_page(make(self))
        self.search_view = self.desk(SearchPage).view
        self.wizard = self.desk(IntakePage).wizard
        self.pending_view = self.desk(PendingPage).view
        self.settings_view = self.desk(SettingsPage).view
        self.wizard.dossier_written.connect(self._dossier_written)
        self.settings_view.saved.connect(self._settings_saved)
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

        help_key = QShortcut(QKeySequence("F1"), self)
        help_key.setContext(Qt.ShortcutContext.WindowShortcut)
        help_key.activated.connect(self.show_keys)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self._build_status_bar()
        self.refresh_identity()
        self.resize(1280, 800)
        self.show_page("search")

    # --- pages ---------------------------------------------------------------------------------
    def _add_page(self, page: Page) -> None:
        self.desks.append(page)
        self.pages[page.key] = page.widget
        self.stack.addWidget(page.widget)
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, page.key)
        item.setToolTip(f"{page.title} ({page.shortcut})")
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(16, 0, 14, 0)
        title, key = QLabel(page.title), QLabel(page.shortcut)
        title.setObjectName("navTitle")
        key.setObjectName("navKey")
        row_layout.addWidget(title, 1)
        row_layout.addWidget(key)
        item.setSizeHint(QSize(200, 44))
        self.nav.addItem(item)
        self.nav.setItemWidget(item, row)
        shortcut = QShortcut(QKeySequence(page.shortcut), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(lambda key=page.key: self.show_page(key))

    def desk(self, kind: type[P]) -> P:
        """The window's page of that class (e.g. `window.desk(ReturnsPage).desk`)."""
        return next(p for p in self.desks if isinstance(p, kind))

    def _index_of(self, key: str) -> int:
        return [p.key for p in self.desks].index(key)

    def show_page(self, key: str) -> QWidget:
        self.nav.setCurrentRow(self._index_of(key))  # -> _nav_changed
        return self.pages[key]

    def current_page_key(self) -> str:
        return self.desks[self.stack.currentIndex()].key

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        page = self.desks[row]
        self.stack.setCurrentWidget(page.widget)
        page.entered()

    def show_keys(self) -> None:
        """F1: the keyboard map of the desk on screen (gui/keymap.py)."""
        page = self.desks[self.stack.currentIndex()]
        self.dialogs.info(self, keymap.help_text(page.key, page.title), f"Phím tắt — {page.title}")

    # --- what the desks may ask of the window (DeskHost) -------------------------------------
    def host_widget(self) -> QWidget:
        return self

    def show_status(self, text: str, msecs: int = 10_000) -> None:
        self.statusBar().showMessage(text, msecs)

    def start_intake(self, procedure_code: str) -> None:
        """Open the intake desk on a procedure (from the search view)."""
        self.wizard.start(procedure_code)
        self._show_wizard()

    def resume_dossier(self, code: str) -> None:
        """Chờ bổ sung (or a scanned supplement slip) → the wizard's checklist for that dossier."""
        if self.wizard.resume(code):
            self._show_wizard()
        else:
            self.pending_view.box.setFocus()

    def _show_wizard(self) -> None:
        """Show the intake desk as the wizard is now (switching via the nav would restart it)."""
        self.stack.setCurrentWidget(self.wizard)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(self._index_of(IntakePage.key))
        self.nav.blockSignals(False)
        self.wizard.focus_current()

    def _dossier_written(self, code: str, kind: str) -> None:
        labels = {"receipt": "Đã tiếp nhận", "supplement": "Đã ghi yêu cầu bổ sung", "refusal": "Đã ghi từ chối"}
        self.show_status(f"{labels.get(kind, 'Đã ghi')} hồ sơ {code}", 15_000)

    def _settings_saved(self, changed: dict[str, object]) -> None:
        self.refresh_identity()  # the agency name is in the title bar, the code and slot in the status bar
        self.show_status(f"Đã lưu {len(changed)} thiết lập", 10_000)

    # --- status bar --------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.clerk_label = QLabel()
        self.counter_label = QLabel()
        self.busy_label = QLabel()
        self.sync_label = QLabel()
        self.sync_label.setObjectName("syncLabel")
        # The agency's time (Vietnam, UTC+7), whatever zone the PC's clock is set to: slips print it.
        self.clock_label = QLabel()
        self.clock_label.setObjectName("agencyClock")
        self.clock_label.setToolTip("Giờ của đơn vị (giờ Việt Nam, UTC+7) — giờ ghi trên hồ sơ và phiếu")
        for label in (self.busy_label, self.sync_label, self.counter_label, self.clerk_label, self.clock_label):
            bar.addPermanentWidget(label)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(15_000)
        self._clock_timer.timeout.connect(self.refresh_clock)
        self._clock_timer.start()
        self.refresh_clock()
        self.ops.started.connect(lambda name: self.busy_label.setText(f"Đang {name}…"))
        self.ops.busy_changed.connect(lambda busy: None if busy else self.busy_label.setText(""))
        self.ops.finished.connect(lambda _name, _ok: self.refresh_sync_state())

    def refresh_clock(self) -> None:
        now = self.ctx.now()
        self.clock_label.setText(f"Giờ VN {now:%H:%M}")  # short: the status bar is full at 1024 pixels
        self.clock_label.setToolTip(f"Giờ của đơn vị (giờ Việt Nam, UTC+7): {now:%H:%M ngày %d/%m/%Y} — "
                                    "giờ ghi trên hồ sơ và phiếu")

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
        # The platform adds the application's display name ("— Một cửa") after the title: not twice.
        self.setWindowTitle(f"{s['agency_name']} · Quầy {s['counter_slot']}")
        self.clerk_label.setText(f"Cán bộ: {self.ctx.who()}")
        self.counter_label.setText(f"Đơn vị {s['agency_code']} · Quầy {s['counter_slot']}")
        self.statusBar().showMessage(f"Dữ liệu: {self.ctx.data_dir}")
        self.refresh_sync_state()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # A write in flight finishes (it is one short transaction) before the window goes; then the
        # worker store closes its connection and its thread ends.
        self.ops.close(10_000)
        super().closeEvent(event)
