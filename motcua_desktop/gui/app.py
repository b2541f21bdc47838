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
from ..services import setup
from ..services.context import Context, open_context
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
    """The context to show, or None when the clerk chose to quit.

    Without --demo an uninitialised data dir is never initialised silently (the agency code goes on
    every dossier code and must be the real one): the administrator is told the `motcua init`
    command, or may open a throw-away demo counter.
    """
    if demo:
        return setup.open_demo(data_dir)
    if (data_dir / DB_FILENAME).exists():  # locked, newer schema, disk… raise from here: not a first run
        ctx = open_context(data_dir, create=False)
        if setup.is_initialised(ctx):
            return ctx
        ctx.close()
    print(f"motcua: no counter set up in {data_dir}; run 'motcua init' (or 'motcua gui --demo')", file=sys.stderr)
    if not dialogs.confirm(None, _not_initialised_text(data_dir), "Chưa khởi tạo quầy",
                           yes="Mở bản dùng thử", no="Thoát"):
        return None
    return setup.open_demo(Path(tempfile.mkdtemp(prefix="motcua-demo-")))


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
