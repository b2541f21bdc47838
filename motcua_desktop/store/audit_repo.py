"""The audit log: who did what, when (catalogue imports, settings, calendar, dossier operations).

Append-only (triggers) and hash-chained (domain/audit_chain.py): every entry is written with its hash,
and the anchor (the newest entry's id and hash, and the count) is updated in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..domain.audit_chain import GENESIS, Anchor, entry_hash
from .db import Store

ANCHOR_KEY = "audit_anchor"  # a settings row: outside the audit table, and copied into every backup
_COLUMNS = "id, at, actor, action, subject, detail, prev_hash, hash"


def anchor(store: Store) -> Anchor | None:
    row = store.query_one("SELECT value FROM settings WHERE key = ?", (ANCHOR_KEY,))
    return Anchor.from_json(json.loads(row["value"])) if row else None


def _put_anchor(store: Store, value: Anchor) -> None:
    store.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                  (ANCHOR_KEY, json.dumps(value.to_json())))


def seal_legacy(store: Store) -> int:
    """Chain the entries written before the chain existed (no anchor yet); returns how many.

    Runs only while there is no anchor: once a trail is anchored, an entry without a hash is a finding
    for `verify`, never something to seal quietly."""
    with store.transaction():
        if anchor(store) is not None:
            return 0
        prev, count, last_id = GENESIS, 0, 0
        for row in store.query(f"SELECT {_COLUMNS} FROM audit_log ORDER BY id"):
            if row["hash"] is None:
                digest = entry_hash(prev, row)
                store.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row["id"]))
                prev = digest
            else:
                prev = row["hash"]
            count += 1
            last_id = row["id"]
        if count:
            _put_anchor(store, Anchor(last_id, prev, count))
        return count


def record(store: Store, *, at: str, actor: str, action: str, subject: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    with store.transaction():  # joins the operation's transaction: entry and anchor commit together
        head = anchor(store)
        if head is None:
            seal_legacy(store)
            head = anchor(store)
        prev = head.last_hash if head else GENESIS
        # The id is chosen here (inside the write lock) so the entry is written once, hash and all.
        next_id = int(store.scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log"))
        entry: dict[str, Any] = {"id": next_id, "at": at, "actor": actor, "action": action, "subject": subject,
                                 "detail": json.dumps(detail or {}, ensure_ascii=False)}
        digest = entry_hash(prev, entry)
        store.execute("INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash) "
                      "VALUES (:id, :at, :actor, :action, :subject, :detail, :prev, :hash)",
                      {**entry, "prev": prev, "hash": digest})
        _put_anchor(store, Anchor(int(entry["id"]), digest, (head.count if head else 0) + 1))


def entries(store: Store, *, batch: int = 20_000) -> Iterator[dict[str, Any]]:
    """Every entry in id order, read in batches (a million entries do not sit in memory at once)."""
    last = -1
    while True:
        rows = store.query(f"SELECT {_COLUMNS} FROM audit_log WHERE id > ? ORDER BY id LIMIT ?", (last, batch))
        if not rows:
            return
        yield from rows
        last = rows[-1]["id"]


def search(store: Store, *, date_from: str | None = None, date_to: str | None = None, actor: str | None = None,
           action: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
    """Entries newest first, filtered: `date_to` is inclusive (a date 'YYYY-MM-DD'); `action` a prefix."""
    where, params = [], []
    if date_from:
        where.append("at >= ?")
        params.append(date_from)
    if date_to:
        where.append("at < ?")
        params.append(date_to + "T99")  # every time of that day sorts before 'T99'
    if actor:
        where.append("actor = ?")
        params.append(actor)
    if action:
        where.append("action LIKE ? ESCAPE '\\'")
        params.append(action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
    sql = f"SELECT {_COLUMNS} FROM audit_log" + (f" WHERE {' AND '.join(where)}" if where else "")
    return store.query(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))


def recent(store: Store, limit: int = 100) -> list[dict[str, Any]]:
    return store.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
