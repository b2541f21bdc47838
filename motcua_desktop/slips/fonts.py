"""The shipped DejaVu fonts, registered with reportlab once per process.

reportlab's base-14 fonts have no Vietnamese glyphs; DejaVu Serif (the official forms' serif look)
and DejaVu Sans (the narrow roll ticket) cover them and are embedded (subset) in every PDF.
"""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..errors import KnownError
from ..paths import fonts_dir

SERIF = "DejaVuSerif"
SANS = "DejaVuSans"
_FILES = {
    SERIF: "DejaVuSerif.ttf",
    f"{SERIF}-Bold": "DejaVuSerif-Bold.ttf",
    f"{SERIF}-Italic": "DejaVuSerif-Italic.ttf",
    f"{SERIF}-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
    SANS: "DejaVuSans.ttf",
    f"{SANS}-Bold": "DejaVuSans-Bold.ttf",
}
_lock = threading.Lock()
_done = False


def register() -> None:
    """Idempotent and thread-safe; raises KnownError if the shipped fonts are missing."""
    global _done
    if _done:
        return
    with _lock:
        if _done:
            return
        folder = fonts_dir()
        for name, filename in _FILES.items():
            path = folder / filename
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except Exception as error:  # reportlab raises TTFError / IOError with no common base
                raise KnownError(
                    f"Không nạp được phông chữ {path}: {error}. Hãy cài lại ứng dụng.",
                    f"cannot load font {path}: {error}; reinstall the application",
                ) from error
        addMapping(SERIF, 0, 0, SERIF)
        addMapping(SERIF, 1, 0, f"{SERIF}-Bold")
        addMapping(SERIF, 0, 1, f"{SERIF}-Italic")
        addMapping(SERIF, 1, 1, f"{SERIF}-BoldItalic")
        # DejaVu Sans ships no italic here: map italic to upright rather than fail on <i>.
        addMapping(SANS, 0, 0, SANS)
        addMapping(SANS, 1, 0, f"{SANS}-Bold")
        addMapping(SANS, 0, 1, SANS)
        addMapping(SANS, 1, 1, f"{SANS}-Bold")
        _done = True
