"""All SQL of the sync with the hub: the outbox queue, the hub settings and pull cursor, conflicts.

Callers run the writes inside `store.transaction()`; nothing here commits by itself. The token is
read and written here only: it is never put in a log line or an audit entry.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .db import Store

# A pending row is pushable unless an earlier row of the same dossier was rejected: a dossier's
# events queue behind its rejected one (the hub would refuse them as `after_rejected` anyway).
_PUSHABLE = """
  o.state = 'pending' AND NOT EXISTS (
    SELECT 1 FROM outbox r WHERE r.dossier_code = o.dossier_code AND r.state = 'rejected'
                              AND r.position < o.position)
"""


# --- hub settings, cursor, last contact ----------------------------------------------------------
def state(store: Store) -> dict[str, Any]:
    row = store.query_one("SELECT * FROM sync_state WHERE id = 1")
    return row or {}


def set_hub(store: Store, *, url: str, token: str, ca_file: str | None, now: str, reset_cursor: bool) -> None:
    extra = ", pull_cursor = NULL" if reset_cursor else ""
    store.execute(f"UPDATE sync_state SET hub_url = ?, token = ?, ca_file = ?, updated_at = ?{extra} WHERE id = 1",
                  (url, token, ca_file, now))


def set_cursor(store: Store, cursor: str | None) -> None:
    store.execute("UPDATE sync_state SET pull_cursor = ? WHERE id = 1", (cursor,))


def record_contact(store: Store, *, at: str, error: str | None, skew_s: float | None) -> None:
    """The outcome of one sync cycle: a success clears the last error; a failure keeps the last success."""
    if error is None:
        store.execute("UPDATE sync_state SET last_attempt_at = ?, last_success_at = ?, last_error = NULL, "
                      "last_skew_s = COALESCE(?, last_skew_s) WHERE id = 1", (at, at, skew_s))
    else:
        store.execute("UPDATE sync_state SET last_attempt_at = ?, last_error = ?, "
                      "last_skew_s = COALESCE(?, last_skew_s) WHERE id = 1", (at, error[:500], skew_s))


# --- the outbox ------------------------------------------------------------------------------------
def pushable(store: Store, limit: int, after_position: int = 0) -> list[dict[str, Any]]:
    """The next `limit` pushable rows after `after_position`, in queue order, with their events."""
    return store.query(
        "SELECT o.position, e.id, e.dossier_code, e.seq, e.type, e.at, e.recorded_at, e.actor, e.payload "
        f"FROM outbox o JOIN dossier_events e ON e.id = o.event_id WHERE o.position > ? AND {_PUSHABLE} "
        "ORDER BY o.position LIMIT ?", (after_position, limit))


def pushable_count(store: Store) -> int:
    row = store.query_one(f"SELECT COUNT(*) AS n FROM outbox o WHERE {_PUSHABLE}")
    return int(row["n"]) if row else 0


def has_pushable(store: Store, dossier_code: str) -> bool:
    """Whether the dossier still has local events the next push would send."""
    return store.query_one(f"SELECT 1 FROM outbox o WHERE o.dossier_code = ? AND {_PUSHABLE} LIMIT 1",
                           (dossier_code,)) is not None


def listing(store: Store, limit: int = 1000) -> list[dict[str, Any]]:
    """Every row still in the outbox (waiting, queued behind a rejected one, rejected), in order."""
    return store.query(
        "SELECT o.position, o.event_id, o.dossier_code, o.queued_at, o.state, o.attempts, o.last_attempt_at, "
        "o.last_error, o.rejected_at, o.rejected_reason, o.rejected_detail, e.type, e.seq, e.at, e.actor, "
        f"CASE WHEN o.state = 'pending' AND NOT ({_PUSHABLE}) THEN 1 ELSE 0 END AS blocked "
        "FROM outbox o JOIN dossier_events e ON e.id = o.event_id ORDER BY o.position LIMIT ?", (limit,))


def counts(store: Store) -> dict[str, int]:
    row = store.query_one(
        "SELECT COUNT(*) AS total, COALESCE(SUM(state = 'rejected'), 0) AS rejected FROM outbox")
    total, rejected = (int(row["total"]), int(row["rejected"])) if row else (0, 0)
    return {"total": total, "rejected": rejected, "pending": total - rejected}


def delete(store: Store, event_ids: Sequence[str]) -> int:
    """The hub has these events (accepted or duplicate): they leave the outbox."""
    n = 0
    for i in range(0, len(event_ids), 500):
        chunk = list(event_ids[i:i + 500])
        marks = ",".join("?" * len(chunk))
        n += store.execute(f"DELETE FROM outbox WHERE event_id IN ({marks})", tuple(chunk)).rowcount
    return n


def mark_rejected(store: Store, event_id: str, *, reason: str, detail: str | None, at: str) -> None:
    store.execute("UPDATE outbox SET state = 'rejected', rejected_reason = ?, rejected_detail = ?, rejected_at = ?, "
                  "attempts = attempts + 1, last_attempt_at = ? WHERE event_id = ?",
                  (reason, (detail or "")[:2000] or None, at, at, event_id))


def note_attempt(store: Store, event_ids: Sequence[str], *, at: str, error: str | None) -> None:
    for i in range(0, len(event_ids), 500):
        chunk = list(event_ids[i:i + 500])
        marks = ",".join("?" * len(chunk))
        store.execute(f"UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?, last_error = ? "
                      f"WHERE event_id IN ({marks})", (at, (error or "")[:500] or None, *chunk))


def retry(store: Store, event_id: str | None) -> list[str]:
    """Re-queue one rejected row (or every one when `event_id` is None); returns the ids re-queued."""
    where, params = ("state = 'rejected' AND event_id = ?", (event_id,)) if event_id else ("state = 'rejected'", ())
    ids = [r["event_id"] for r in store.query(f"SELECT event_id FROM outbox WHERE {where}", params)]
    if ids:
        store.execute(f"UPDATE outbox SET state = 'pending', rejected_at = NULL, rejected_reason = NULL, "
                      f"rejected_detail = NULL, last_error = NULL WHERE {where}", params)
    return ids


def outbox_row(store: Store, event_id: str) -> dict[str, Any] | None:
    return store.query_one("SELECT * FROM outbox WHERE event_id = ?", (event_id,))


# --- conflicts -------------------------------------------------------------------------------------
def add_conflict(store: Store, *, dossier_code: str, origin: str, reason: str, detail: str | None, opened_at: str,
                 local_event_id: str | None = None, local_status: str | None = None,
                 hub_event: dict[str, Any] | None = None, hub_status: str | None = None,
                 hub_conflict_id: int | None = None) -> int:
    cur = store.execute(
        "INSERT INTO conflicts (dossier_code, origin, reason, detail, local_event_id, local_status, hub_event_id, "
        "hub_event, hub_status, hub_conflict_id, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (hub_event_id) WHERE hub_event_id IS NOT NULL DO NOTHING",
        (dossier_code, origin, reason, (detail or "")[:2000] or None, local_event_id, local_status,
         hub_event["id"] if hub_event else None,
         json.dumps(hub_event, ensure_ascii=False, sort_keys=True) if hub_event else None, hub_status,
         hub_conflict_id, opened_at))
    return int(cur.lastrowid or 0)


def conflicts(store: Store, *, include_resolved: bool = False, limit: int = 1000) -> list[dict[str, Any]]:
    where = "" if include_resolved else "WHERE resolved_at IS NULL"
    return store.query(f"SELECT * FROM conflicts {where} ORDER BY id LIMIT ?", (limit,))


def conflict(store: Store, conflict_id: int) -> dict[str, Any] | None:
    return store.query_one("SELECT * FROM conflicts WHERE id = ?", (conflict_id,))


def has_open_push_conflict(store: Store, event_id: str) -> bool:
    """Whether the counter's event already has an open conflict (a retry the hub refused again)."""
    return store.query_one("SELECT 1 FROM conflicts WHERE local_event_id = ? AND origin = 'push' "
                           "AND resolved_at IS NULL", (event_id,)) is not None


def open_conflicts_of(store: Store, dossier_code: str) -> list[dict[str, Any]]:
    return store.query("SELECT * FROM conflicts WHERE dossier_code = ? AND resolved_at IS NULL ORDER BY id",
                       (dossier_code,))


def mark_resolved(store: Store, conflict_ids: Sequence[int], *, at: str, by: str, resolution: dict[str, Any]) -> None:
    text = json.dumps(resolution, ensure_ascii=False, sort_keys=True)
    for cid in conflict_ids:
        store.execute("UPDATE conflicts SET resolved_at = ?, resolved_by = ?, resolution = ? "
                      "WHERE id = ? AND resolved_at IS NULL", (at, by, text, cid))


def unsent_events(store: Store, dossier_code: str) -> list[dict[str, Any]]:
    """The dossier's events still in the outbox (any state), in queue order."""
    return store.query("SELECT o.event_id, o.state, e.type FROM outbox o JOIN dossier_events e ON e.id = o.event_id "
                       "WHERE o.dossier_code = ? ORDER BY o.position", (dossier_code,))


def open_conflict_count(store: Store) -> int:
    row = store.query_one("SELECT COUNT(*) AS n FROM conflicts WHERE resolved_at IS NULL")
    return int(row["n"]) if row else 0


def last_event_id(store: Store, dossier_code: str) -> str | None:
    row = store.query_one("SELECT id FROM dossier_events WHERE dossier_code = ? ORDER BY seq DESC LIMIT 1",
                          (dossier_code,))
    return str(row["id"]) if row else None


# --- catalogue and calendar versions in force -----------------------------------------------------
PUBLISHED_KINDS = ("catalog", "calendar")


def set_published(store: Store, kind: str, *, source: str, label: str, at: str, hub_version: int | None = None,
                  hub_days: str | None = None) -> None:
    """Record what is in force for `kind` ('catalog' | 'calendar'): a hub version or a local import."""
    assert kind in PUBLISHED_KINDS and source in ("hub", "local")
    sets = [f"{kind}_source = ?", f"{kind}_label = ?", f"{kind}_applied_at = ?"]
    params: list[Any] = [source, label, at]
    if hub_version is not None:
        sets.append(f"{kind}_hub_version = ?")
        params.append(hub_version)
    if kind == "calendar" and hub_days is not None:
        sets.append("calendar_hub_days = ?")
        params.append(hub_days)
    store.execute(f"UPDATE sync_state SET {', '.join(sets)} WHERE id = 1", tuple(params))


# --- one dossier as the sync sees it --------------------------------------------------------------
def dossier_state(store: Store, dossier_code: str) -> dict[str, int]:
    """The dossier's rows still in the outbox (pending / rejected) and its open conflicts."""
    row = store.query_one(
        "SELECT COALESCE(SUM(state = 'pending'), 0) AS pending, COALESCE(SUM(state = 'rejected'), 0) AS rejected "
        "FROM outbox WHERE dossier_code = ?", (dossier_code,))
    conflicts_row = store.query_one(
        "SELECT COUNT(*) AS n FROM conflicts WHERE dossier_code = ? AND resolved_at IS NULL", (dossier_code,))
    return {"pending": int(row["pending"]) if row else 0, "rejected": int(row["rejected"]) if row else 0,
            "conflicts": int(conflicts_row["n"]) if conflicts_row else 0}
