"""Where the app's shipped files and the clerk's data live."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parent
APP_NAME = "motcua-desktop"
DB_FILENAME = "motcua.sqlite3"


def _shipped(name: str) -> Path:
    # Installed wheel / PyInstaller bundle: inside the package. Source checkout: beside it.
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def resources_dir() -> Path:
    return _shipped("resources")


def ui_dir() -> Path:
    return _shipped("ui")


def migrations_dir() -> Path:
    return _shipped("db")


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def sample_catalogue() -> Path:
    return resources_dir() / "sample_procedures.json"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, else $MOTCUA_DATA_DIR, else the platform's user data dir."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("MOTCUA_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
