"""The audit trail as supervisors use it: check the chain, list entries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..domain import audit_chain
from ..domain.accounts import Permission
from ..errors import UserError
from ..store import audit_repo
from . import backup as backups
from .context import Context


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    subject: str | None
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "actor": self.actor, "action": self.action,
                "subject": self.subject, "detail": self.detail}


def _backup_checkpoints(ctx: Context) -> list[audit_chain.Anchor]:
    folder = ctx.settings().get("backup_dir") or ""
    found = []
    for path in backups.list_backups(Path(folder), ctx.settings()["agency_code"]) if folder else []:
        try:
            manifest = json.loads((path / backups.MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        anchor = audit_chain.Anchor.from_json(manifest.get("audit_anchor"))
        if anchor is not None:
            found.append(anchor)
    return found


def verify(ctx: Context) -> audit_chain.Verdict:
    """Check the whole chain against its anchor and the anchors recorded in the configured backups."""
    ctx.require(Permission.AUDIT)
    audit_repo.seal_legacy(ctx.store)  # entries from before the chain existed, once
    return audit_chain.verify(audit_repo.entries(ctx.store), audit_repo.anchor(ctx.store), _backup_checkpoints(ctx))


def entries(ctx: Context, *, date_from: date | None = None, date_to: date | None = None, user: str | None = None,
            action: str | None = None, limit: int = 500) -> list[AuditEntry]:
    ctx.require(Permission.AUDIT)
    if date_from and date_to and date_to < date_from:
        raise UserError(f"Khoảng thời gian ngược: đến ngày {date_to:%d/%m/%Y} trước từ ngày {date_from:%d/%m/%Y}.",
                        f"--to {date_to} is before --from {date_from}")
    rows = audit_repo.search(ctx.store, date_from=date_from.isoformat() if date_from else None,
                             date_to=date_to.isoformat() if date_to else None, actor=user, action=action, limit=limit)
    return [AuditEntry(r["id"], r["at"], r["actor"], r["action"], r["subject"], json.loads(r["detail"] or "{}"))
            for r in rows]
