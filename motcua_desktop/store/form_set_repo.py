"""Form sets installed on this counter (`form_sets`): imported corrections, later the hub's."""

from __future__ import annotations

from typing import Any

from .db import Store


def insert(store: Store, *, set_id: str, effective_from: str, source: str, content: str, sha256: str,
           installed_at: str, actor: str) -> int:
    cur = store.execute(
        "INSERT INTO form_sets (set_id, effective_from, source, content, sha256, installed_at, actor) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (set_id, effective_from, source, content, sha256, installed_at, actor),
    )
    return int(cur.lastrowid or 0)


def all_sets(store: Store) -> list[dict[str, Any]]:
    """Every installed set, oldest installation first."""
    return store.query("SELECT * FROM form_sets ORDER BY id")
