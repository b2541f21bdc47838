"""Erasing closed dossiers' personal fields (row and events) once their retention period has passed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from .db import Store


def expired(store: Store, statuses: Iterable[str], closed_before: str, *, limit: int = 10_000) -> list[str]:
    """Codes of dossiers in a closed status, last changed before `closed_before`, not yet erased, and with
    nothing left in the outbox (the hub has everything they recorded)."""
    names = list(statuses)
    marks = ", ".join("?" for _ in names)
    rows = store.query(
        f"SELECT d.code FROM dossiers d WHERE d.status IN ({marks}) AND d.updated_at < ? "
        "AND d.personal_erased_at IS NULL AND NOT EXISTS (SELECT 1 FROM outbox o JOIN dossier_events e "
        "ON e.id = o.event_id WHERE e.dossier_code = d.code) ORDER BY d.code LIMIT ?",
        (*names, closed_before, limit))
    return [r["code"] for r in rows]


def erase(store: Store, code: str, fields: Iterable[str], rewrite: Callable[[dict[str, Any]], dict[str, Any]],
          at: str) -> int:
    """Empty `fields` of the dossier row and rewrite each event's payload once; returns events rewritten."""
    sets = ", ".join(f"{f} = NULL" for f in fields)
    store.execute(f"UPDATE dossiers SET {sets}, personal_erased_at = ? WHERE code = ?", (at, code))
    n = 0
    for e in store.query("SELECT id, payload FROM dossier_events WHERE dossier_code = ? AND erased_at IS NULL",
                         (code,)):
        payload = json.loads(e["payload"])
        store.execute("UPDATE dossier_events SET payload = ?, erased_at = ? WHERE id = ?",
                      (json.dumps(rewrite(payload), ensure_ascii=False, sort_keys=True), at, e["id"]))
        n += 1
    return n
