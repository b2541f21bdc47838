"""All SQL about dossiers: the projection row, its append-only events, the outbox, code sequences.

Callers run these inside `store.transaction()` (one operation = one transaction); the functions
themselves never commit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .db import Store

# Columns a caller may set through insert/update (the dossiers table minus nothing: listed to catch typos).
COLUMNS = frozenset({
    "code", "procedure_code", "procedure_version_id", "procedure_snapshot", "applicant_kind", "applicant_name",
    "applicant_name_folded", "id_kind", "id_number", "phone", "email", "address", "delivery",
    "delivery_address", "channel", "status", "first_contact_at", "received_at", "due_at", "original_due_at",
    "provided", "missing", "supplement_note", "refusal_reason", "fee_amount", "fee_exempt_reason",
    "fee_receipt_no", "result_ready_at", "returned_at", "returned_to", "rating", "apology_count",
    "entered_late", "clerk", "returned_by", "updated_at", "checklist",
})


def _check(fields: Iterable[str]) -> None:
    unknown = set(fields) - COLUMNS
    if unknown:
        raise ValueError(f"unknown dossier columns: {sorted(unknown)}")


def insert(store: Store, row: dict[str, Any]) -> None:
    _check(row)
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    store.execute(f"INSERT INTO dossiers ({cols}) VALUES ({marks})", tuple(row.values()))


def update(store: Store, code: str, changes: dict[str, Any]) -> None:
    """Update the projection row; raises LookupError if the dossier is gone."""
    if not changes:
        return
    _check(changes)
    sets = ", ".join(f"{k} = ?" for k in changes)
    cur = store.execute(f"UPDATE dossiers SET {sets} WHERE code = ?", (*changes.values(), code))
    if cur.rowcount != 1:
        raise LookupError(code)


def next_event_seq(store: Store, code: str) -> int:
    """The place of the dossier's next event in its history (1-based)."""
    row = store.query_one("SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM dossier_events WHERE dossier_code = ?",
                          (code,))
    return int(row["seq"]) if row else 1


def insert_event(store: Store, event: dict[str, Any], *, outbox: bool) -> None:
    """Append one event (its wire form, already validated) and, for the counter's own events, its
    outbox row at the end of the queue. Events that came from the hub never enter the outbox."""
    store.execute(
        "INSERT INTO dossier_events (id, dossier_code, seq, type, at, recorded_at, actor, payload) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (event["id"], event["dossier_code"], event["seq"], event["type"], event["at"], event["recorded_at"],
         event["actor"], json.dumps(event["payload"], ensure_ascii=False, sort_keys=True)),
    )
    if outbox:
        store.execute("INSERT INTO outbox (event_id, dossier_code, queued_at) VALUES (?, ?, ?)",
                      (event["id"], event["dossier_code"], event["recorded_at"]))


def event_exists(store: Store, event_id: str) -> bool:
    return store.query_one("SELECT 1 FROM dossier_events WHERE id = ?", (event_id,)) is not None


def get(store: Store, code: str) -> dict[str, Any] | None:
    return store.query_one("SELECT * FROM dossiers WHERE code = ?", (code,))


def exists(store: Store, code: str) -> bool:
    return store.query_one("SELECT 1 FROM dossiers WHERE code = ?", (code,)) is not None


def events(store: Store, code: str) -> list[dict[str, Any]]:
    return store.query("SELECT * FROM dossier_events WHERE dossier_code = ? ORDER BY seq", (code,))


def last_event_at(store: Store, code: str) -> str | None:
    """Business time of the dossier's latest step (a back-dated step may not come before it)."""
    row = store.query_one("SELECT MAX(at) AS at FROM dossier_events WHERE dossier_code = ?", (code,))
    return row["at"] if row else None


def next_code_seq(store: Store, *, prefix: str, day: str, first: int, last: int) -> int | None:
    """Reserve the next sequence number of a day within [first, last]; None when the range is used up.

    Must run inside the caller's BEGIN IMMEDIATE transaction: the write lock is what keeps two
    processes from taking the same number. `prefix` is '<agency>-<YYMMDD>-'. The highest number is
    taken from both the code_sequences row and the codes already issued in the range, so a counter
    whose slot was changed and changed back carries on after its own numbers instead of reusing them.
    """
    row = store.query_one("SELECT last_seq FROM code_sequences WHERE day = ?", (day,))
    from_table = row["last_seq"] if row and first <= row["last_seq"] <= last else 0
    top = store.query_one("SELECT MAX(code) AS code FROM dossiers WHERE code BETWEEN ? AND ?",
                          (f"{prefix}{first:04d}", f"{prefix}{last:04d}"))
    from_codes = int(top["code"][-4:]) if top and top["code"] else 0
    seq = max(from_table, from_codes, first - 1) + 1
    if seq > last:
        return None
    store.execute("INSERT INTO code_sequences (day, last_seq) VALUES (?, ?) "
                  "ON CONFLICT (day) DO UPDATE SET last_seq = excluded.last_seq", (day, seq))
    return seq


def list_by_status(store: Store, statuses: Iterable[str], *, limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    """Dossiers in the given statuses, soonest due first (no due date last), then by code."""
    statuses = list(statuses)
    marks = ", ".join("?" for _ in statuses)
    return store.query(
        f"SELECT * FROM dossiers WHERE status IN ({marks}) "
        "ORDER BY status, due_at IS NULL, due_at, code LIMIT ? OFFSET ?",
        (*statuses, limit, offset),
    )


def count_by_status(store: Store) -> dict[str, int]:
    return {r["status"]: r["n"] for r in store.query("SELECT status, COUNT(*) AS n FROM dossiers GROUP BY status")}


def outbox_waiting(store: Store) -> int:
    """Events written here and not yet acknowledged by the hub (rejected ones included)."""
    return int(store.scalar("SELECT count(*) FROM outbox"))
