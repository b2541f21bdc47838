"""Dossier codes (mã hồ sơ): `<agency code>-<YYMMDD>-<XXXX>`, e.g. `000.00.01.H22-260817-1007`.

Counter slot k issues k·1000+1 … k·1000+999 each day, so the counters of one agency never issue the
same code even offline. Number k·1000 is never issued (slot 0 would give 0000), and the 1000th dossier
of a day at one counter is an error, never a wrap-around into the next slot.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from .errors import UserError
from .settings import AGENCY_CODE
from .text import ascii_upper

PER_SLOT = 999
_CODE = re.compile(r"^([0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2})-(\d{6})-(\d{4})$", re.ASCII)
# What a scanner or a pasted text may wrap around a code: whitespace, CR/LF/TAB, other control chars.
_JUNK = "".join(chr(c) for c in range(0x21)) + "\x7f\u200b\u200c\u200d\ufeff\u00a0"


@dataclass(frozen=True, order=True)
class DossierCode:
    agency: str
    day: date
    seq: int

    @property
    def slot(self) -> int:
        return self.seq // 1000

    def __str__(self) -> str:
        return format_code(self.agency, self.day, self.seq)


def slot_range(slot: int) -> tuple[int, int]:
    """First and last sequence number a counter slot may issue in a day."""
    if not 0 <= slot <= 9:
        raise ValueError(f"slot must be 0-9, not {slot}")
    return slot * 1000 + 1, slot * 1000 + PER_SLOT


def format_code(agency: str, day: date | datetime, seq: int) -> str:
    if not AGENCY_CODE.match(agency):
        raise ValueError(f"bad agency code {agency!r}")
    if not 1 <= seq <= 9999 or seq % 1000 == 0:
        raise ValueError(f"bad sequence {seq}")
    return f"{agency}-{day:%y%m%d}-{seq:04d}"


def next_seq(last_seq: int | None, slot: int) -> int:
    """The number after `last_seq` (the slot's highest issued today, None if none) for this slot."""
    first, last = slot_range(slot)
    seq = first if last_seq is None or last_seq < first else last_seq + 1
    if seq > last:
        raise UserError(
            f"Quầy số {slot} đã cấp hết {PER_SLOT} mã hồ sơ trong ngày. Hãy tiếp nhận ở quầy khác "
            "hoặc đổi số hiệu quầy trong thiết lập.",
            f"counter slot {slot} has issued all {PER_SLOT} dossier codes of the day",
        )
    return seq


def parse_code(text: str | None) -> DossierCode | None:
    """A dossier code typed, scanned or pasted, or None when the text is not one.

    Tolerant of what surrounds it (spaces, CR/LF/TAB, zero-width or control characters), of lower
    case and of full-width characters (an IME left in full-width mode types '２６１２０３'; NFKC makes
    them ASCII, as for ID numbers); strict on the shape itself, the date, and the sequence number.
    Digits of other scripts are refused (the pattern is ASCII-only).
    """
    if not text:
        return None
    m = _CODE.match(ascii_upper(unicodedata.normalize("NFKC", text).strip(_JUNK)))
    if not m:
        return None
    agency, ymd, seq_text = m.groups()
    try:
        day = datetime.strptime(ymd, "%y%m%d").date()
    except ValueError:
        return None
    seq = int(seq_text)
    if seq % 1000 == 0:
        return None
    return DossierCode(agency, day, seq)
