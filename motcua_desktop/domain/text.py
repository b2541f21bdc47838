"""Vietnamese text: NFC for storage, a folded form for search."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[0-9a-z]+")
# đ/Đ have no Unicode decomposition, so stripping combining marks alone leaves them.
_NON_DECOMPOSING = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    """The stored form of every piece of text (what a citizen's name looks like on paper)."""
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, collapsed whitespace, no control characters (what scanners and pasted text bring in)."""
    text = nfc(text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())


_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def ascii_upper(text: str) -> str:
    """Upper case for identifiers (passport numbers, codes): only a-z change. str.upper() would turn
    'ß1234567' into 'SS1234567' and 'ı' into 'I' — another number than the one on the document."""
    return text.translate(_ASCII_UPPER)


def fold(text: str) -> str:
    """Lower-case ASCII-ish form for search: 'Đăng ký' -> 'dang ky'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_NON_DECOMPOSING))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def words(text: str) -> list[str]:
    """The folded alphanumeric words of a text, in order."""
    return _WORD.findall(fold(text))
