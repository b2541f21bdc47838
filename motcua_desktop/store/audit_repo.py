"""The audit log: who did what, when (catalogue imports, settings, calendar, dossier operations)."""

from __future__ import annotations

import json
from typing import Any

from .db import Store


def record(store: Store, *, at: str, actor: str, action: str, subject: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    store.execute(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        (at, actor, action, subject, json.dumps(detail or {}, ensure_ascii=False)),
    )


def recent(store: Store, limit: int = 100) -> list[dict]:
    return store.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
