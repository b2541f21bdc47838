"""Telling a keyboard-wedge barcode scanner from a person typing, anywhere on a desk.

A wedge scanner "types" the code and a terminator (Enter, Tab or LF) in a burst: a few milliseconds
between characters. A person leaves 80–300 ms between keys. `ScanDetector` is an event filter put on
a desk widget and on every widget inside it (children added later included), so a scan works wherever
the focus is on the desk — no text box needs to be clicked first.

Printable key presses are *held* (not delivered) for one gap interval. If the next key comes within
the gap, the burst grows; if a terminator ends a burst of at least `min_length` characters, the burst
is a scan: `scanned(text)` is emitted and none of its keys reach the focused widget. If the gap runs
out first (a person typing), the held keys are replayed to the widget they were meant for, in order,
so typing in the desk's own fields still works (it only arrives one gap later).

Why not an application-wide filter: it would see every event of every window; the desk's widgets are
enough and cost nothing when the desk is not shown.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from .qt import (QDateTimeEdit, QEvent, QKeyEvent, QLineEdit, QObject, QPlainTextEdit, QSpinBox, Qt, QTimer,
                 QWidget, Signal)

DEFAULT_GAP_MS = 50  # the brief: characters < ~30–50 ms apart; scanners do 1–20 ms
DEFAULT_MIN_LENGTH = 8  # the shortest code worth calling a scan; a typed "ok⏎" is not one
_TERMINATOR_KEYS = {int(Qt.Key.Key_Return), int(Qt.Key.Key_Enter), int(Qt.Key.Key_Tab)}
_TERMINATOR_TEXT = {"\r", "\n", "\t"}
_TEXT_FIELDS = (QLineEdit, QSpinBox, QDateTimeEdit, QPlainTextEdit)
_MODIFIER_KEYS = {int(Qt.Key.Key_Shift), int(Qt.Key.Key_Control), int(Qt.Key.Key_Alt), int(Qt.Key.Key_Meta),
                  int(Qt.Key.Key_AltGr), int(Qt.Key.Key_CapsLock)}


# AIM symbology identifier a scanner may send first: ']' + code letter + modifier digit (]C0 Code 128,
# ]Q1 QR, ]d2 Data Matrix, ]E0 EAN…). A dossier code never starts with ']'.
_AIM_PREFIX = re.compile(r"^\][A-Za-z][0-9]")


def clean_scan(text: str) -> str:
    """NFKC, an AIM id prefix, control and format characters dropped (GS, STX, zero-width…),
    surrounding space trimmed.

    NFKC: with an IME left in full-width mode the "keys" arrive as '２６１２０３'; the code is ASCII.
    Some scanners send an AIM id first (dropped at the start only) or wrap the data in control bytes
    (dropped anywhere: the code itself never contains them).
    """
    text = unicodedata.normalize("NFKC", text)
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf")).strip()
    return _AIM_PREFIX.sub("", kept, count=1).strip()


@dataclass
class _Held:
    receiver: QWidget
    key: int
    modifiers: Qt.KeyboardModifier
    text: str


class ScanDetector(QObject):
    """Event filter that turns fast key bursts ending in a terminator into `scanned(text)`."""

    scanned = Signal(str)  # the cleaned text of the burst

    def __init__(self, root: QWidget, *, gap_ms: int = DEFAULT_GAP_MS, min_length: int = DEFAULT_MIN_LENGTH,
                 clock: Callable[[], float] = time.monotonic,
                 typing_target: Callable[[QWidget], QWidget] | None = None,
                 is_code: Callable[[str], bool] | None = None) -> None:
        super().__init__(root)
        self.root = root
        # What a scan can be. A fast burst that is not one, typed into a text field (a CCCD on a numpad,
        # ~40 ms a key), is a person typing: it goes to the field. None: every long burst is a scan.
        self.is_code = is_code
        # Where typed (not scanned) keys go, given the widget they were meant for: a desk sends keys
        # typed on a button or a table to its code box instead of losing them.
        self.typing_target = typing_target
        self.gap_ms = gap_ms
        self.min_length = min_length
        self.clock = clock
        self._held: list[_Held] = []
        self._last = 0.0
        self._scan_end: float | None = None  # when the last scan's terminator came
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)
        self._watch(root)

    # --- wiring ------------------------------------------------------------------------------
    def _watch(self, widget: QObject) -> None:
        """Filter this widget and all widgets below it."""
        if isinstance(widget, QWidget):
            widget.installEventFilter(self)  # installing twice is a no-op in Qt
        for child in widget.children():
            if isinstance(child, QWidget):
                self._watch(child)

    @property
    def pending(self) -> str:
        """The characters held back right now (for tests and the status line)."""
        return "".join(h.text for h in self._held)

    # --- the filter --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if kind == QEvent.Type.ChildAdded:
            child = event.child()  # type: ignore[attr-defined]
            if isinstance(child, QWidget):
                self._watch(child)
            return False
        if kind != QEvent.Type.KeyPress or self._replaying or not isinstance(watched, QWidget):
            return False
        assert isinstance(event, QKeyEvent)
        return self._key(watched, event)

    def _key(self, receiver: QWidget, event: QKeyEvent) -> bool:
        key = int(event.key())
        text = event.text()
        now = self.clock()
        gap_ok = bool(self._held) and (now - self._last) * 1000.0 <= self.gap_ms
        if key in _MODIFIER_KEYS:
            return False  # scanners press Shift for capitals; it is neither data nor a break
        if key in _TERMINATOR_KEYS or text in _TERMINATOR_TEXT:
            if not self._held and self._scan_end is not None and (now - self._scan_end) * 1000.0 <= self.gap_ms:
                # The second half of a CR LF suffix: it must not press the button the scan just focused.
                self._scan_end = None
                return True
            if gap_ok:  # every earlier gap was short too: a slow key flushes the run
                code = clean_scan(self.pending)
                if len(code) >= self.min_length and not self._typed_into_field(code):
                    self._reset()
                    self._scan_end = now
                    self.scanned.emit(code)
                    return True
            self.flush()  # a person pressed Enter/Tab: deliver what they typed first, then the key
            return False
        mods = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier & ~Qt.KeyboardModifier.KeypadModifier
        if text and mods == Qt.KeyboardModifier.NoModifier:
            if self._held and not gap_ok:
                self.flush()  # too slow to belong to the same burst
            self._held.append(_Held(receiver, key, event.modifiers(), text))
            self._last = now
            self._timer.start(self.gap_ms + 1)
            return True
        self.flush()  # arrows, F-keys, shortcuts: the burst (if any) is over
        return False

    def _typed_into_field(self, code: str) -> bool:
        """A burst that is no code, aimed at a text field: fast typing, not a scan (elsewhere, on a
        button or a table, it is still a scan to reject out loud)."""
        if self.is_code is None or self.is_code(code):
            return False
        return isinstance(self._held[0].receiver, _TEXT_FIELDS)

    def _reset(self) -> None:
        self._timer.stop()
        self._held.clear()

    def flush(self) -> None:
        """Deliver held keys to their widgets, in order: they were a person typing."""
        held = list(self._held)
        self._reset()
        if not held:
            return
        self._replaying = True
        try:
            from .qt import QApplication  # local: the module must import without a QApplication

            for h in held:
                try:
                    if not h.receiver.isVisible():
                        continue
                    receiver = self.typing_target(h.receiver) if self.typing_target else h.receiver
                except RuntimeError:  # the widget was deleted meanwhile
                    continue
                press = QKeyEvent(QEvent.Type.KeyPress, h.key, h.modifiers, h.text)
                QApplication.sendEvent(receiver, press)
                release = QKeyEvent(QEvent.Type.KeyRelease, h.key, h.modifiers, h.text)
                QApplication.sendEvent(receiver, release)
        finally:
            self._replaying = False
