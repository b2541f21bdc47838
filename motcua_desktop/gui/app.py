"""Starting the counter window: Qt application, shipped fonts and stylesheet, the data dir."""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from ..errors import MotcuaError
from ..domain.privacy import mask
from ..logs import file_handler
from ..paths import APP_NAME, DB_FILENAME, fonts_dir, ui_dir
from ..services import accounts, setup
from ..services import backup as backups
from ..services.context import Context, now_local, open_context
from . import session
from .dialogs import Dialogs, install_log_tail
from .main_window import MainWindow
from .qt import QApplication, QFont, QFontDatabase, QSettings

log = logging.getLogger("motcua.gui")

FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
STYLESHEET = "motcua.qss"
BASE_POINT_SIZE = 10


def load_fonts(app: QApplication) -> str:
    """Register the shipped DejaVu Sans and make it the app font: diacritics without system fonts."""
    family = ""
    for name in FONT_FILES:
        font_id = QFontDatabase.addApplicationFont(str(fonts_dir() / name))
        if font_id < 0:
            log.warning("could not load font %s", fonts_dir() / name)
            continue
        family = family or QFontDatabase.applicationFontFamilies(font_id)[0]
    if family:
        font = QFont(family, BASE_POINT_SIZE)
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        app.setFont(font)
    return family


def load_stylesheet(app: QApplication) -> None:
    path = ui_dir() / STYLESHEET
    try:
        app.setStyleSheet(path.read_text(encoding="utf-8"))
    except OSError:  # the window still works unstyled; say why in the log
        log.warning("stylesheet %s not readable", path)


def setup_application(app: QApplication) -> None:
    """Everything the window needs from the QApplication (also used by the GUI tests)."""
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName("Một cửa")
    app.setStyle("Fusion")  # same look on every platform, and QSS applies fully
    load_fonts(app)
    load_stylesheet(app)


def create_main_window(ctx: Context, dialogs: Dialogs | None = None) -> MainWindow:
    """The main window on an open context; tests pass a RecordingDialogs."""
    return MainWindow(ctx, dialogs or Dialogs())


def _setup_logging(data_dir: Path) -> None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    install_log_tail()
    try:
        # 0600 in a 0700 folder, identity and phone numbers masked (logs.py).
        root.addHandler(file_handler(data_dir / "logs", "motcua-gui.log"))
    except OSError as exc:  # a read-only data dir must not stop the counter
        print(f"motcua: cannot write log in {data_dir}: {exc}", file=sys.stderr)


def _not_initialised_text(data_dir: Path) -> str:
    return (f"Quầy chưa được khởi tạo tại thư mục dữ liệu:\n{data_dir}\n\n"
            "Quản trị viên khởi tạo bằng lệnh (thay mã và tên đơn vị của mình):\n"
            "  motcua init --agency-code 000.00.01.H22 --agency-name \"UBND XÃ …\" --counter-slot 1\n\n"
            "Hoặc mở bản dùng thử với danh mục thủ tục mẫu (dữ liệu tạm, không ghi vào thư mục trên).")


def open_counter(data_dir: Path, demo: bool, dialogs: Dialogs) -> Context | None:
    """The context to show (signed in when the counter has accounts), or None when the clerk chose to quit.

    A damaged database is never opened, repaired or overwritten: the clerk is told and offered the
    latest backup (restored only on confirmation; the damaged file is kept aside as it is). An
    uninitialised data dir (no --demo) walks through the first run — the agency's code, name and place
    as printed on slips and the first administrator, nothing defaulted; cancelled, the administrator is
    told the `motcua init` command or may open a throw-away demo counter.
    """
    if demo:
        return setup.open_demo(data_dir)
    damage = backups.check_store_file(data_dir)
    if damage is not None and not offer_restore(data_dir, damage, dialogs):
        return None
    if (data_dir / DB_FILENAME).exists():  # locked, newer schema, disk… raise from here: not a first run
        ctx = open_context(data_dir, create=False)
        if setup.is_initialised(ctx):
            return ctx if sign_in_at_start(ctx, dialogs) else None
        ctx.close()
    made = session.first_run(data_dir, dialogs)
    if made is not None:
        return made
    print(f"motcua: no counter set up in {data_dir}; run 'motcua init' (or 'motcua gui --demo')", file=sys.stderr)
    if not dialogs.confirm(None, _not_initialised_text(data_dir), "Chưa khởi tạo quầy",
                           yes="Mở bản dùng thử", no="Thoát"):
        return None
    return setup.open_demo(Path(tempfile.mkdtemp(prefix="motcua-demo-")))


def sign_in_at_start(ctx: Context, dialogs: Dialogs) -> bool:
    """A counter with accounts opens only signed in (one without accounts opens as before)."""
    if ctx.user is not None or not accounts.has_accounts(ctx):
        return True
    if session.sign_in(ctx, dialogs, None, message=f"{ctx.settings()['agency_name']} — Bộ phận Một cửa"):
        return True
    ctx.close()
    return False


RESTORE_TITLE = "Dữ liệu bị hỏng"


def offer_restore(data_dir: Path, damage: backups.Damage, dialogs: Dialogs) -> bool:
    """Tell the clerk the database is damaged and offer the latest backup; True when one was restored."""
    print(f"motcua: {mask(damage.message_en)}", file=sys.stderr)
    log.error("damaged store in %s: %s", data_dir, damage.message_en)
    told = (f"{damage.message_vi}\n\nTệp dữ liệu hỏng được giữ nguyên, không bị sửa hay ghi đè. "
            "Hãy báo quản trị viên.")
    source: Path | None = damage.latest_backup
    if source is not None:
        if not dialogs.confirm(None, f"{told}\n\nBản sao lưu gần nhất: {source.name}\n(trong {source.parent})."
                               "\n\nKhôi phục từ bản sao lưu này? Tệp hỏng được cất riêng trong thư mục "
                               "dữ liệu (replaced-…).", RESTORE_TITLE, yes="Khôi phục", no="Thoát"):
            return False
    else:
        if not dialogs.confirm(None, f"{told}\n\nKhông tìm thấy bản sao lưu nào của quầy này. Nếu có bản sao "
                               "lưu (ví dụ trên ổ USB), chọn tệp manifest.json của nó để khôi phục.",
                               RESTORE_TITLE, yes="Chọn bản sao lưu…", no="Thoát"):
            return False
        chosen = dialogs.choose_file(None, "Chọn tệp manifest.json của bản sao lưu", "manifest.json (manifest.json)")
        if not chosen:
            return False
        source = Path(chosen)
    try:
        aside = backups.restore(data_dir, source, current_agency=damage.agency_code, now=now_local())
    except MotcuaError as exc:
        dialogs.show_error(None, exc, doing="khôi phục dữ liệu")
        return False
    log.info("restored %s from %s; the damaged data kept in %s", data_dir, source, aside)
    dialogs.info(None, f"Đã khôi phục dữ liệu từ {source.name}."
                 + (f"\nDữ liệu hỏng được cất ở {aside}." if aside else ""), RESTORE_TITLE)
    return True


def show_within_screen(window: MainWindow) -> None:
    """The window's own (or last) size where the screen has room; on a smaller counter monitor
    (1024×768) the whole screen, so nothing starts beyond its edges."""
    screen = window.screen()
    room = screen.availableGeometry() if screen is not None else None
    if room is not None and (room.width() < window.width() or room.height() < window.height()):
        window.setGeometry(room)
        window.showMaximized()
    else:
        window.show()


def run(data_dir: Path, demo: bool) -> int:
    """`motcua gui [--demo]`: open the counter window; returns the process exit status."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    setup_application(app)
    dialogs = Dialogs()
    try:
        ctx = open_counter(Path(data_dir), demo, dialogs)
    except MotcuaError as exc:
        print(f"motcua: {mask(exc.message_en)}", file=sys.stderr)
        dialogs.show_error(None, exc, doing="mở dữ liệu")
        return 1
    if ctx is None:
        return 1
    _setup_logging(ctx.data_dir)
    log.info("window opening on %s", ctx.data_dir)
    window = create_main_window(ctx, dialogs)
    ui_state = QSettings()
    geometry = ui_state.value("main_window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)  # may come from a bigger monitor than this one
    show_within_screen(window)
    status = app.exec()
    ui_state.setValue("main_window/geometry", window.saveGeometry())
    ctx.close()
    return status
