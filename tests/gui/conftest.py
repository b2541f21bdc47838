"""GUI fixtures: the real main window on a real demo store, with the dialog service replaced."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua_desktop.gui.app import create_main_window, setup_application
from motcua_desktop.gui.dialogs import RecordingDialogs
from motcua_desktop.gui.main_window import MainWindow

import os

# Screenshots for people to look at: only when MOTCUA_SHOTS names a folder (never on CI, never by default).
SHOTS = Path(os.environ["MOTCUA_SHOTS"]) if os.environ.get("MOTCUA_SHOTS") else None
# The offscreen platform plugin says this whenever a top-level window's size limits change; it is
# platform noise, not a fault of ours (qt_log_level_fail=WARNING would otherwise fail every test).
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session")
def styled_app(qapp):
    """The QApplication with the shipped fonts and stylesheet, as `motcua gui` sets it up."""
    setup_application(qapp)
    return qapp


@pytest.fixture
def dialogs() -> RecordingDialogs:
    return RecordingDialogs()


@pytest.fixture
def window(styled_app, qtbot, ctx, dialogs) -> Iterator[MainWindow]:
    w = create_main_window(ctx, dialogs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.ops.wait()


@pytest.fixture
def desk_width() -> int:
    """Width of the return desk under test; a module overrides it to try a smaller monitor."""
    return 1100


@pytest.fixture
def desk(styled_app, qtbot, ctx, dialogs, desk_width):
    """The return desk on its own, shown offscreen."""
    from motcua_desktop.gui.return_desk import ReturnDesk

    d = ReturnDesk(ctx, dialogs)
    qtbot.addWidget(d)
    d.resize(desk_width, 720)
    d.show()
    qtbot.waitExposed(d)
    return d


def save_shot(widget, name: str) -> None:
    """Screenshots for people to look at; only where MOTCUA_SHOTS names an existing folder."""
    if SHOTS is not None and SHOTS.is_dir():
        widget.grab().save(str(SHOTS / name))


@pytest.fixture
def written(qtbot, window):
    """`with written(): ...` — waits for the write the block asks of the window's worker store."""
    return lambda: qtbot.waitSignal(window.ops.finished, timeout=10_000)
