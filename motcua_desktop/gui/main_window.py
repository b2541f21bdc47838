"""The counter window: a side navigation of the clerk's desks and one page per desk.

Each desk is a `Page` (gui/pages.py: key, title, shortcut, widget, entered, refresh) built on the
window as its `DeskHost`; `PAGES` lists them in navigation order (gui/desks.py). A new desk is a new
`Page` class added there — the window needs no other change.

What an operation changed (`gui/ops.Changes`: from a write on the worker store, or from a cycle of the
background sync) reaches every desk that has a `changed(changes)` method: the one on screen reloads
what it shows, the others reload when they are entered.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ..domain.accounts import Permission
from ..errors import MotcuaError
from ..services import backup as backups
from ..services import privacy
from ..services import sync_status
from ..services.context import Context, PermissionDenied
from ..services.sync import SyncReport
from . import keymap, session
from .admin_desks import AuditPage, UsersPage
from .desks import IntakePage, PendingPage, RegisterPage, ReportsPage, ReturnsPage, SearchPage, SettingsPage
from .dialogs import Dialogs
from .ops import Changes, Ops
from .pages import DeskHost, Page
from .sync_desk import SyncPage
from .sync_runner import BackgroundSync
from .qt import (
    QApplication,
    QCloseEvent,
    QEvent,
    QObject,
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
                                                 ReportsPage, SettingsPage, UsersPage, AuditPage, SyncPage)
BACKUP_CHECK_MS = 60 * 60 * 1000  # the daily backup is tried every hour; it runs once per calendar day
_ACTIVITY = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel)


class ActivityWatch(QObject):
    """Restarts the idle timer on any key or mouse activity in the application."""

    def __init__(self, timer: QTimer, parent: QObject) -> None:
        super().__init__(parent)
        self.timer = timer

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False


class MainWindow(QMainWindow):
    def __init__(self, ctx: Context, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialogs = dialogs
        self.ops = Ops(ctx, dialogs, self)
        self.background_sync = BackgroundSync(ctx, self)
        self.setObjectName("mainWindow")
        self.desks: list[Page] = []
        self.pages: dict[str, QWidget] = {}  # key -> the desk's widget
        self.nav_items: dict[str, QListWidgetItem] = {}
        self.shortcuts: list[QShortcut] = []  # off while the counter is locked
        self.locked = False

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
        side_layout.addWidget(self._build_session_buttons())
        side.setFixedWidth(210)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(self.stack, 1)
        self.work_area = central
        self.lock_screen = self._build_lock_screen()
        self.outer = QStackedWidget()
        self.outer.addWidget(central)
        self.outer.addWidget(self.lock_screen)
        self.setCentralWidget(self.outer)

        help_key = QShortcut(QKeySequence("F1"), self)
        help_key.setContext(Qt.ShortcutContext.WindowShortcut)
        help_key.activated.connect(self.show_keys)
        self.nav.currentRowChanged.connect(self._nav_changed)
        self._build_status_bar()
        self.refresh_identity()
        self.resize(1280, 800)
        self.show_page("search")

        # Idle lock: only a counter with accounts locks (one without has nobody to sign in).
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.lock)
        self._activity = ActivityWatch(self.idle_timer, self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._activity)
        self._start_idle_timer()
        lock_key = QShortcut(QKeySequence("Ctrl+L"), self)
        lock_key.setContext(Qt.ShortcutContext.WindowShortcut)
        lock_key.activated.connect(self.lock)
        self.shortcuts.append(lock_key)
        # The daily backup, in the background: now, then every hour (once per calendar day).
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.backup_if_due)
        self.backup_timer.start()
        QTimer.singleShot(0, self.backup_if_due)
        # The background sync: after every write, every sync_interval_s, with backoff while offline.
        self.ops.changed.connect(self.apply_changes)
        self.ops.finished.connect(lambda _name, ok: self.background_sync.poke() if ok else None)
        self.background_sync.cycle_started.connect(self.refresh_sync_state)
        self.background_sync.synced.connect(self._synced)
        self.background_sync.failed.connect(self._sync_failed)
        QTimer.singleShot(0, self.start_background_sync)

    # --- pages ---------------------------------------------------------------------------------
    def _add_page(self, page: Page) -> None:
        self.desks.append(page)
        self.pages[page.key] = page.widget
        self.stack.addWidget(page.widget)
        item = QListWidgetItem()
        self.nav_items[page.key] = item
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
        self.shortcuts.append(shortcut)

    def desk(self, kind: type[P]) -> P:
        """The window's page of that class (e.g. `window.desk(ReturnsPage).desk`)."""
        return next(p for p in self.desks if isinstance(p, kind))

    def _index_of(self, key: str) -> int:
        return [p.key for p in self.desks].index(key)

    def show_page(self, key: str) -> QWidget:
        """Switch desks; a desk the signed-in role may not use is refused with the service's message."""
        permission = self._permission_of(key)
        if permission is not None and not self.ctx.may(permission):
            try:
                self.ctx.require(permission)
            except PermissionDenied as exc:
                self.dialogs.show_error(self, exc, doing=f"mở {key}")
            current = self.stack.currentWidget()
            assert current is not None  # the window always shows a desk
            return current
        row = self._index_of(key)
        if self.nav.currentRow() == row and self.stack.currentWidget() is self.pages[key]:
            # The desk's own key again: no row change, so no _nav_changed; the clerk still wants the
            # cursor back where the desk starts (F2 after reading a procedure's details).
            self.desks[row].entered()
        else:
            self.nav.setCurrentRow(row)  # -> _nav_changed
        return self.pages[key]

    def _permission_of(self, key: str) -> Permission | None:
        page = self.desks[self._index_of(key)]
        return getattr(page, "permission", None)

    def refresh_roles(self) -> None:
        """Desks and actions after a sign-in: what the account's role may not use is hidden or disabled."""
        for page in self.desks:
            permission = getattr(page, "permission", None)
            self.nav_items[page.key].setHidden(permission is not None and not self.ctx.may(permission))
        may_backup = self.ctx.may(Permission.BACKUP)
        self.backup_button.setEnabled(may_backup)
        self.backup_button.setToolTip("Sao lưu dữ liệu vào thư mục sao lưu ngay bây giờ" if may_backup else
                                      "Chỉ lãnh đạo bộ phận hoặc quản trị viên được sao lưu")
        signed_in = self.ctx.user is not None
        self.lock_button.setVisible(signed_in)
        self.password_button.setVisible(signed_in)
        for page in self.desks:
            roles_changed = getattr(page, "roles_changed", None)
            if roles_changed is not None:
                roles_changed()
        if self.desks and self.stack.currentIndex() >= 0:
            current = self.current_page_key()
            permission = self._permission_of(current)
            if permission is not None and not self.ctx.may(permission):
                self.show_page(SearchPage.key)

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
        if "idle_lock_minutes" in changed:
            self._start_idle_timer()
        self.show_status(f"Đã lưu {len(changed)} thiết lập", 10_000)

    # --- session: lock screen, sign-in, own password ----------------------------------------------
    def _build_session_buttons(self) -> QWidget:
        box = QWidget()
        box.setObjectName("sessionBox")
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(10, 6, 10, 10)
        box_layout.setSpacing(6)
        self.backup_button = QPushButton("Sao lưu ngay")
        self.backup_button.setObjectName("backupNowButton")
        self.backup_button.clicked.connect(self.backup_now)
        self.password_button = QPushButton("Đổi mật khẩu…")
        self.password_button.setObjectName("changePasswordButton")
        self.password_button.clicked.connect(self.change_own_password)
        self.lock_button = QPushButton("Đăng xuất / Khóa")
        self.lock_button.setObjectName("lockButton")
        self.lock_button.setToolTip("Khóa quầy khi rời đi; đăng nhập lại (có thể bằng tài khoản khác) (Ctrl+L)")
        self.lock_button.clicked.connect(self.lock)
        for button in (self.backup_button, self.password_button, self.lock_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoDefault(True)
            box_layout.addWidget(button)
        return box

    def _build_lock_screen(self) -> QWidget:
        screen = QWidget()
        screen.setObjectName("lockScreen")
        layout = QVBoxLayout(screen)
        layout.addStretch(1)
        title = QLabel("Quầy đã khóa")
        title.setObjectName("pageTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lock_text = QLabel()
        self.lock_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lock_text.setWordWrap(True)
        self.unlock_button = QPushButton("Đăng nhập…  (Enter)")
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setAutoDefault(True)
        self.unlock_button.clicked.connect(self.unlock)
        layout.addWidget(title)
        layout.addWidget(self.lock_text)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        return screen

    def _start_idle_timer(self) -> None:
        if self.ctx.user is None:
            self.idle_timer.stop()
            return
        minutes = int(self.ctx.settings().get("idle_lock_minutes") or 10)
        self.idle_timer.start(minutes * 60_000)

    def lock(self) -> None:
        """Hide the desks until someone signs in (Ctrl+L, or after idle_lock_minutes without activity)."""
        if self.locked or self.ctx.user is None:
            return
        self.locked = True
        self.idle_timer.stop()
        for shortcut in self.shortcuts:
            shortcut.setEnabled(False)
        self.lock_text.setText(f"Cán bộ {self.ctx.user.full_name} đã rời quầy. "
                               "Đăng nhập để tiếp tục làm việc (có thể bằng tài khoản khác).")
        self.outer.setCurrentWidget(self.lock_screen)
        self.unlock_button.setFocus()
        log.info("counter locked (%s)", self.ctx.user.username)

    def unlock(self) -> bool:
        """The sign-in form on the lock screen; cancelled, the counter stays locked."""
        if not self.locked:
            return True
        previous = self.ctx.user
        if not session.sign_in(self.ctx, self.dialogs, self, title=session.UNLOCK_TITLE, cancel="Để khóa",
                               username=previous.username if previous else ""):
            return False
        self.locked = False
        for shortcut in self.shortcuts:
            shortcut.setEnabled(True)
        self.outer.setCurrentWidget(self.work_area)
        self.refresh_identity()
        self._start_idle_timer()
        return True

    def change_own_password(self) -> None:
        if session.change_password(self.ctx, self.dialogs, self):
            self.show_status("Đã đổi mật khẩu", 10_000)

    # --- backups -------------------------------------------------------------------------------
    def backup_if_due(self) -> None:
        """The daily routine, off the UI thread: the backup into backup_dir (nothing to do without the
        setting) and, when an administrator is signed in, erasing personal data past retention_years."""
        s = self.ctx.settings()
        if self.ctx.user is not None and self.ctx.may(Permission.SETTINGS) and s.get("retention_years"):
            self.ops.run(privacy.erase_expired, doing="xóa dữ liệu cá nhân quá hạn lưu", on_done=self._erased)
        if not s.get("backup_dir"):
            self.refresh_backup_state()
            return
        self.ops.run(backups.backup_if_due, doing="sao lưu hằng ngày", on_done=self._backed_up,
                     on_error=self._backup_failed)

    def backup_now(self) -> None:
        """'Sao lưu ngay' (supervisor and administrator): into backup_dir, keeping backup_keep copies."""
        try:
            self.ctx.require(Permission.BACKUP)
        except PermissionDenied as exc:
            self.dialogs.show_error(self, exc, doing="sao lưu")
            return
        s = self.ctx.settings()
        folder = s.get("backup_dir") or ""
        if not folder:
            self.dialogs.warn(self, "Chưa đặt thư mục sao lưu: quản trị viên đặt 'backup_dir' trong phần Thiết lập "
                                    "(ví dụ ổ USB).")
            return
        def done(info: backups.BackupInfo) -> None:
            self._backed_up(info)
            self.dialogs.info(self, f"Đã sao lưu vào {info.path}.")

        self.ops.run(backups.backup, Path(folder), keep=int(s.get("backup_keep") or 14), doing="sao lưu",
                     on_done=done)

    def _erased(self, erasure: privacy.Erasure) -> None:
        if erasure.codes:
            self.show_status(f"Đã xóa dữ liệu cá nhân quá hạn lưu của {len(erasure.codes)} hồ sơ", 15_000)

    def _backed_up(self, info: backups.BackupInfo | None) -> None:
        if info is not None:
            self.show_status(f"Đã sao lưu: {info.path.name}", 15_000)
        self.refresh_backup_state()

    def _backup_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, MotcuaError):
            self.dialogs.show_error(self, exc, doing="sao lưu hằng ngày")
        log.warning("daily backup failed: %s", getattr(exc, "message_en", exc))
        self.refresh_backup_state(failure=getattr(exc, "message_vi", ""))

    def refresh_backup_state(self, failure: str = "") -> None:
        """Amber in the status bar when the newest backup is older than two days (or failed)."""
        stale = backups.backup_is_stale(self.ctx)
        last = backups.last_backup_at(self.ctx)
        if failure:
            text = "Sao lưu không được"
        elif stale:
            text = ("Chưa sao lưu" if last is None else f"Sao lưu cũ: {last:%d/%m}")
        else:
            text = f"Sao lưu: {last:%H:%M %d/%m}" if last else ""
        self.backup_label.setText(text)
        self.backup_label.setProperty("stale", bool(stale or failure))
        self.backup_label.setStyleSheet("background: #f0b429; color: #3d2a00; padding: 0 6px; font-weight: bold;"
                                        if stale or failure else "")
        advice = "Cắm ổ sao lưu và bấm 'Sao lưu ngay', hoặc báo quản trị viên đặt thư mục sao lưu."
        self.backup_label.setToolTip(f"{failure}\n{advice}" if failure else advice if stale else "")

    # --- status bar --------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setObjectName("statusBar")
        self.clerk_label = QLabel()
        self.counter_label = QLabel()
        self.busy_label = QLabel()
        self.sync_label = QLabel()
        self.sync_label.setObjectName("syncLabel")
        # Red, and a click away from the sync screen: what a supervisor must look at.
        self.sync_attention = QPushButton()
        self.sync_attention.setObjectName("syncAttention")
        self.sync_attention.setFlat(True)
        self.sync_attention.setAutoDefault(True)
        self.sync_attention.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sync_attention.setCursor(Qt.CursorShape.PointingHandCursor)
        self.sync_attention.setStyleSheet("QPushButton { background: #c62828; color: white; font-weight: bold; "
                                          "padding: 0 6px; border: none; }")
        self.sync_attention.clicked.connect(lambda: self.show_page(SyncPage.key))
        self.sync_attention.setVisible(False)
        self.backup_label = QLabel()
        self.backup_label.setObjectName("backupLabel")
        self.clerk_label.setObjectName("accountLabel")
        # The agency's time (Vietnam, UTC+7), whatever zone the PC's clock is set to: slips print it.
        self.clock_label = QLabel()
        self.clock_label.setObjectName("agencyClock")
        self.clock_label.setToolTip("Giờ của đơn vị (giờ Việt Nam, UTC+7) — giờ ghi trên hồ sơ và phiếu")
        for label in (self.busy_label, self.backup_label, self.sync_attention, self.sync_label, self.counter_label,
                      self.clerk_label, self.clock_label):
            bar.addPermanentWidget(label)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(15_000)
        self._clock_timer.timeout.connect(self.refresh_clock)
        self._clock_timer.start()
        self.refresh_clock()
        self.busy_label.setVisible(False)  # shown only while an operation runs: its gap costs the messages room
        self.ops.started.connect(self._show_busy)
        self.ops.busy_changed.connect(lambda busy: None if busy else self.busy_label.setVisible(False))

    def _show_busy(self, name: str) -> None:
        self.busy_label.setText(f"Đang {name}…")
        self.busy_label.setVisible(True)

    def refresh_clock(self) -> None:
        now = self.ctx.now()
        self.clock_label.setText(f"Giờ VN {now:%H:%M}")  # short: the status bar is full at 1024 pixels
        self.clock_label.setToolTip(f"Giờ của đơn vị (giờ Việt Nam, UTC+7): {now:%H:%M ngày %d/%m/%Y} — "
                                    "giờ ghi trên hồ sơ và phiếu")

    # --- the background sync ----------------------------------------------------------------
    def start_background_sync(self) -> None:
        """Once the counter has a hub (set now or later through `motcua hub set`)."""
        if sync_status.is_configured(self.ctx):
            self.background_sync.start()

    def sync_now(self) -> None:
        self.background_sync.sync_now()

    def apply_changes(self, changes: Changes) -> None:
        """What an operation or a sync changed: the status bar and every desk that shows it."""
        if changes.outbox or changes.touches_dossiers:
            self.refresh_sync_state()
        if changes.settings:
            self.start_background_sync()
        for page in self.desks:
            changed = getattr(page, "changed", None)
            if changed is not None:
                changed(changes)

    def _synced(self, report: SyncReport) -> None:
        self.apply_changes(Changes(dossiers=frozenset(report.changed_codes), outbox=True,
                                   catalog=report.catalog is not None, calendar=report.calendar is not None))
        if report.applied:
            self.show_status(f"Hub: {report.applied} hồ sơ có trạng thái mới", 10_000)
        if report.catalog:
            self.show_status(f"Đã nhận danh mục thủ tục {report.catalog['version']} từ hub "
                             f"({report.catalog['procedures']} thủ tục)", 15_000)

    def _sync_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, MotcuaError):  # a bug: in the log with its traceback, not a dialog every minute
            log.error("background sync failed", exc_info=exc)
        self.refresh_sync_state(failure=getattr(exc, "message_vi", "") or "Lỗi khi đồng bộ (xem nhật ký)")

    def refresh_sync_state(self, failure: str = "") -> None:
        """Online / offline / not configured, events waiting, the last success, what needs a person."""
        s = sync_status.status_summary(self.ctx)
        last = _short_time(s.last_success_at, self.ctx.now().date().isoformat())
        if not s.configured:
            text, tip = f"Chưa nối hub · chờ gửi {s.waiting}", ("Quầy chưa được nối với hub: hồ sơ vẫn tiếp nhận và "
                                                                "lưu tại quầy, gửi đi khi có hub.")
        elif self.background_sync.in_cycle:
            text, tip = f"Đang đồng bộ · chờ gửi {s.waiting}", f"Đang trao đổi với hub {s.hub_url}"
        elif s.online and not failure:
            text, tip = f"Trực tuyến · chờ gửi {s.waiting} · {last}", f"Đồng bộ thành công lúc {last} với {s.hub_url}"
        elif s.last_attempt_at is None and not failure:
            text, tip = f"Chưa đồng bộ · chờ gửi {s.waiting}", f"Hub {s.hub_url}"
        else:
            text = f"Ngoại tuyến · chờ gửi {s.waiting}" + (f" · lần cuối {last}" if s.last_success_at else "")
            tip = (f"{failure or s.last_error or ''}\nMọi việc ở quầy vẫn làm bình thường; quầy tự thử lại.").strip()
        self.sync_label.setText(text)
        self.sync_label.setToolTip(tip)
        self.sync_label.setProperty("online", s.online and not failure)
        self.sync_attention.setVisible(s.attention > 0)
        self.sync_attention.setText(f"{s.attention} cần xử lý")
        self.sync_attention.setToolTip(f"{s.rejected} sự kiện bị hub từ chối, {s.conflicts} xung đột — "
                                       "bấm để mở màn hình Đồng bộ (F12)")

    def refresh_identity(self) -> None:
        """Title and status bar from the counter's settings (agency name in the title bar)."""
        s = self.ctx.settings()
        # The platform adds the application's display name ("— Một cửa") after the title: not twice.
        self.setWindowTitle(f"{s['agency_name']} · Quầy {s['counter_slot']}")
        user = self.ctx.user
        # The name alone (the role is a hover away): at 1024 pixels the status bar has no room to spare.
        self.clerk_label.setText(user.full_name if user else self.ctx.who())
        self.clerk_label.setToolTip(f"{user.role.label} · đang làm việc bằng tài khoản {user.username}" if user
                                    else "Cán bộ ghi trên phiếu (thiết lập clerk_name): quầy chưa có tài khoản")
        # Short: at 1024 pixels every character here is taken from the messages on the left (the agency's
        # name is in the title bar; its code is a hover away).
        self.counter_label.setText(f"Quầy {s['counter_slot']}")
        self.counter_label.setToolTip(f"Đơn vị {s['agency_code']} · {s['agency_name']} · Quầy {s['counter_slot']}")
        self.statusBar().showMessage(f"Dữ liệu: {self.ctx.data_dir}")
        self.refresh_sync_state()
        self.refresh_backup_state()
        self.refresh_roles()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # A write in flight finishes (it is one short transaction) before the window goes; then the
        # worker store closes its connection and its thread ends.
        self.idle_timer.stop()
        self.backup_timer.stop()
        self.background_sync.stop(5.0)
        self.background_sync.blockSignals(True)  # a request still hanging ends unheard: the window is gone
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self._activity)
        self.ops.close(10_000)
        super().closeEvent(event)


def _short_time(iso_text: str | None, today: str) -> str:
    """'14:05' today, '14:05 03/12' another day."""
    if not iso_text:
        return "chưa có"
    hhmm = iso_text[11:16]
    return hhmm if iso_text[:10] == today else f"{hhmm} {iso_text[8:10]}/{iso_text[5:7]}"
