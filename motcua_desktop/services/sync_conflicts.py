"""A supervisor settles a sync conflict by keeping the counter's state or the hub's
(docs/sync-protocol.md, "Resolving a conflict").

The decision is a `resolve_conflict` event through the one write path (`dossiers.record`): it sets the
dossier's status on the counter, goes to the hub in the outbox like any event and is audited as
`sync.conflict_resolved`. From it on, both sides hold the status it names, so the dossier's events not
yet on the hub (the refused one and those queued behind it) are superseded: named in the event, out of
the outbox, still in the counter's history.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from ..domain.accounts import Permission
from ..domain.dossier import Status
from ..domain.limits import check_length
from ..domain.text import clean
from ..errors import NotFound, UserError
from ..store import dossier_repo, sync_repo
from . import dossiers
from .context import Context, iso
from .sync import hub_changes

Keep = Literal["counter", "hub"]
KEEPS: tuple[Keep, ...] = ("counter", "hub")
# Conflicts with no local dossier or no event to judge: for the hub's administrator, not the counter.
HUB_ONLY = frozenset({"unknown_dossier", "invalid_event", "not_a_hub_event"})


def _keep(value: str) -> Keep:
    for k in KEEPS:
        if value == k:
            return k
    raise UserError("Chọn giữ trạng thái của quầy (counter) hoặc của hub (hub).",
                    f"keep must be counter or hub, not {value!r}")


def resolve_conflict(ctx: Context, conflict_id: int, keep: str, note: str | None = None) -> dict[str, Any]:
    """Settle conflict `conflict_id` (and any other open one of its dossier); returns what was decided."""
    ctx.require(Permission.SYNC_RESOLVE)
    side = _keep(keep)
    note = check_length("conflict_note", clean(note)) if note and note.strip() else None
    now = iso(ctx.now())
    with ctx.store.transaction():
        c = sync_repo.conflict(ctx.store, conflict_id)
        if c is None:
            raise NotFound(f"Không có xung đột số {conflict_id}.", f"no conflict #{conflict_id}")
        if c["resolved_at"]:
            raise UserError(f"Xung đột số {conflict_id} đã được xử lý lúc {c['resolved_at']}.",
                            f"conflict #{conflict_id} was resolved at {c['resolved_at']}")
        code = c["dossier_code"]
        row = dossier_repo.get(ctx.store, code)
        if row is None:
            raise UserError(f"Quầy không có hồ sơ {code}: xung đột này do quản trị viên hub xử lý.",
                            f"{code} is not in this counter's store; the hub's administrator settles it")
        if c["reason"] in HUB_ONLY:
            raise UserError(f"Hub gửi một thay đổi không hợp lệ cho hồ sơ {code}: xung đột này do quản trị viên "
                            "hub xử lý.", f"conflict #{conflict_id} ({c['reason']}) is for the hub's administrator")
        current = Status(row["status"])
        hub_status = _hub_status(c)
        if side == "hub" and hub_status is None:
            raise UserError("Chưa biết trạng thái của hồ sơ ở hub: đồng bộ lại rồi chọn, hoặc giữ trạng thái "
                            "của quầy.", f"conflict #{conflict_id} does not say the hub's status")
        unsent = sync_repo.unsent_events(ctx.store, code)
        if any(e["type"] == "intake" for e in unsent):
            raise UserError(f"Hồ sơ {code} chưa lên hub: đồng bộ trước, rồi mới xử lý xung đột.",
                            f"{code}'s intake is not on the hub yet")
        status = hub_status if side == "hub" and hub_status is not None else current
        superseded = [e["event_id"] for e in unsent]
        open_ones = sync_repo.open_conflicts_of(ctx.store, code)
        hub_ids = {o["hub_conflict_id"] for o in open_ones if o["hub_conflict_id"] is not None}
        payload: dict[str, Any] = {"status": status.value, "keep": side}
        if len(hub_ids) == 1 and len(open_ones) == 1:  # else the hub settles every open one of the dossier
            payload["hub_conflict_id"] = int(hub_ids.pop())
        if superseded:
            payload["superseded"] = superseded
        if note:
            payload["note"] = note
        changes = hub_changes(row, current, status, at=now, due_at=_hub_due(c)) if side == "hub" else {}
        sync_repo.delete(ctx.store, superseded)
        event = dossiers.record(ctx, code, current, event_type="resolve_conflict", payload=payload, at=now, now=now,
                                actor=ctx.who(), changes=changes, audit_action="sync.conflict_resolved",
                                audit_detail={"conflicts": [o["id"] for o in open_ones], "keep": side,
                                              "status": status.value, "superseded": superseded})
        decided = {"keep": side, "status": status.value, "event_id": event.id, "note": note,
                   "superseded": superseded}
        sync_repo.mark_resolved(ctx.store, [o["id"] for o in open_ones], at=now, by=ctx.who(), resolution=decided)
    return {"conflicts": [o["id"] for o in open_ones], "dossier_code": code, **decided}


def _hub_status(c: dict[str, Any]) -> Status | None:
    try:
        return Status(c["hub_status"]) if c["hub_status"] else None
    except ValueError:
        return None


def _hub_due(c: dict[str, Any]) -> Any:
    """A new due date the hub's refused change carried (a pull conflict): keeping the hub's state takes it."""
    if not c["hub_event"]:
        return None
    payload = json.loads(c["hub_event"]).get("payload")
    return payload.get("due_at") if isinstance(payload, dict) else None
