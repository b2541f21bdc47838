"""Personal data over time: closed dossiers' identity numbers, phones and addresses are erased after the
retention period (setting `retention_years`), leaving the statistics intact; every erasure is audited."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import retention
from ..domain.accounts import Permission
from ..store import audit_repo, retention_repo
from .context import Context, iso


@dataclass(frozen=True)
class Erasure:
    codes: tuple[str, ...]
    events: int
    closed_before: str | None

    def to_json(self) -> dict[str, object]:
        return {"erased": len(self.codes), "events": self.events, "closed_before": self.closed_before,
                "codes": list(self.codes)}


def erase_expired(ctx: Context, *, dry_run: bool = False) -> Erasure:
    """Erase what has passed its retention period (nothing when the setting is 0). Runs from the command
    line (an administrator) and from the window's daily routine."""
    ctx.require(Permission.SETTINGS)
    limit = retention.cutoff(ctx.now(), int(ctx.settings().get("retention_years") or 0))
    if limit is None:
        return Erasure((), 0, None)
    before = iso(limit)
    statuses = [s.value for s in retention.CLOSED]
    with ctx.store.transaction():
        codes = retention_repo.expired(ctx.store, statuses, before)
        if dry_run or not codes:
            return Erasure(tuple(codes), 0, before)
        now = iso(ctx.now())
        events = sum(retention_repo.erase(ctx.store, code, retention.PERSONAL_FIELDS, retention.erased_payload, now)
                     for code in codes)
        audit_repo.record(ctx.store, at=now, actor=ctx.who(), action="privacy.erase", subject=None,
                          detail={"dossiers": len(codes), "events": events, "closed_before": before,
                                  "first": codes[0], "last": codes[-1]})
    return Erasure(tuple(codes), events, before)
