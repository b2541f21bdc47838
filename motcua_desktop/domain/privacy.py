"""What of a citizen may reach a log: nothing that identifies them.

Identity numbers (CCCD 12 digits, CMND 9, passports), phone numbers and e-mail addresses are
masked in every log line and in the English error texts that go to logs (`0010******45`); names
are never put into log texts at all (the English message of an error names the field, not the person).
"""

from __future__ import annotations

import re

# A run of 7+ digits (optionally after 1-2 letters: a passport 'B1234567'), or a phone typed with
# separators ('0912 345 678', '+84 912.345.678'). Dossier codes (…-261123-1001) have at most 6 in a row.
_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\+?[A-Za-z]{0,2}\d{7,}|\+?\d{2,4}(?:[ .\-]\d{3,4}){2,3})(?![0-9])",
                     re.ASCII)
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([\w-]+(?:\.[\w-]+)+)")


def mask_number(text: str) -> str:
    """'001099012345' → '0010******45'; shorter numbers keep only 2 characters at each end."""
    keep = 4 if len(text) >= 10 else 2
    return text[:keep] + "*" * (len(text) - keep - 2) + text[-2:]


def mask(text: str) -> str:
    """The text with every identity/phone number and e-mail address masked."""
    text = _NUMBER.sub(lambda m: mask_number(m.group(0)), text)
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
