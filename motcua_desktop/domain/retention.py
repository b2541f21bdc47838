"""Which dossiers' personal data has outlived its purpose, and what erasing it leaves.

A dossier is closed when nothing more can happen to it (returned, refused, withdrawn, stopped). After
the retention period (a setting, in years; 0 keeps everything) its identity number, phone, e-mail and
addresses are erased; the name, the procedure, the dates and the outcome stay, so the reports and the
tracking book keep their numbers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .dossier import Status

CLOSED = frozenset({Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED})
PERSONAL_FIELDS = ("id_number", "phone", "email", "address", "delivery_address")


def cutoff(now: datetime, years: int) -> datetime | None:
    """Dossiers closed before this moment are erased; None when retention is off (0 years)."""
    if years <= 0:
        return None
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def erased_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """An event's payload with the personal fields emptied (also the collector's identity number)."""
    out = dict(payload)
    for key in PERSONAL_FIELDS:
        if out.get(key) is not None:
            out[key] = None
    for side in ("old", "new"):  # a correction's values (events.CorrectPayload)
        if isinstance(out.get(side), dict):
            out[side] = {k: (None if k in PERSONAL_FIELDS and v is not None else v) for k, v in out[side].items()}
    collector = out.get("collector")
    if isinstance(collector, dict) and collector.get("id_number") is not None:
        out["collector"] = {**collector, "id_number": None}
    return out
