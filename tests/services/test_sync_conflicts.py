"""services/sync_conflicts.py: a supervisor keeps the counter's or the hub's state; the decision is a
`resolve_conflict` event that supersedes the dossier's unsent events, syncs and is audited — against
the in-test hub stand-in of test_sync.py (tests/gui/test_background_sync.py has the real hub)."""

from __future__ import annotations

import json

import pytest

from motcua_desktop.domain.dossier import Status
from motcua_desktop.errors import NotFound, UserError
from motcua_desktop.services import accounts, dossiers, returns, sync, sync_status
from motcua_desktop.services.context import PermissionDenied
from motcua_desktop.services.sync_conflicts import resolve_conflict

from .test_sync import StandIn, hub, quiet_week, receive, run  # noqa: F401  (fixtures)


def stopped_while_handed_over(ctx, hub: StandIn) -> str:
    """The hub stopped the dossier while this counter recorded the result and handed it over: the
    result is refused (push conflict), the return queues behind it, the hub's stop cannot apply here
    (pull conflict)."""
    code = receive(ctx)
    run(ctx, hub)
    hub.set_status(code, "stopped")
    returns.result_ready(ctx, code)
    returns.hand_over(ctx, code)
    run(ctx, hub)
    assert {(c["origin"], c["local_status"], c["hub_status"]) for c in sync.conflicts(ctx)} == {
        ("push", "returned", "stopped"), ("pull", "returned", "stopped")}
    return code


def events_of(ctx, code: str) -> list[dict]:
    return ctx.store.query("SELECT type, payload FROM dossier_events WHERE dossier_code = ? ORDER BY seq", (code,))


def test_keeping_the_counters_state_sends_it_to_the_hub_and_supersedes_the_refused_events(ctx, hub) -> None:
    code = stopped_while_handed_over(ctx, hub)
    refused = [x["event_id"] for x in sync.outbox(ctx)]
    assert len(refused) == 2  # result_ready (rejected), return (blocked behind it)
    first = sync.conflicts(ctx)[0]
    done = resolve_conflict(ctx, first["id"], "counter", "  Đã trả kết quả cho công dân  ")
    assert (done["keep"], done["status"], done["superseded"]) == ("counter", "returned", refused)
    assert len(done["conflicts"]) == 2 and sync.conflicts(ctx) == []  # every open one of the dossier
    assert dossiers.get(ctx, code).status is Status.RETURNED
    (waiting,) = sync.outbox(ctx)
    assert (waiting["type"], waiting["state"], waiting["event_id"]) == ("resolve_conflict", "waiting", done["event_id"])
    last = events_of(ctx, code)[-1]
    assert last["type"] == "resolve_conflict"
    assert json.loads(last["payload"]) == {"status": "returned", "keep": "counter", "superseded": refused,
                                           "note": "Đã trả kết quả cho công dân"}
    # the refused events stay in the counter's history
    assert [e["type"] for e in events_of(ctx, code)] == ["intake", "result_ready", "return", "resolve_conflict"]
    audit = ctx.store.query("SELECT * FROM audit_log WHERE action = 'sync.conflict_resolved'")
    assert len(audit) == 1 and audit[0]["subject"] == code
    assert json.loads(audit[0]["detail"])["superseded"] == refused
    report = run(ctx, hub)
    assert (report.accepted, report.rejected, report.conflicts) == (1, [], [])
    assert hub.status[code] is Status.RETURNED and done["event_id"] in hub.events
    assert all(r not in hub.events for r in refused)
    s = sync_status.status_summary(ctx)
    assert (s.waiting, s.rejected, s.conflicts, s.attention) == (0, 0, 0, 0)
    assert sync_status.dossier_sync_state(ctx, code).state == "on_hub"
    resolved = sync.conflicts(ctx, include_resolved=True)
    assert {c["resolution"]["event_id"] for c in resolved} == {done["event_id"]}
    assert {c["resolved_by"] for c in resolved} == {ctx.who()}


def test_keeping_the_hubs_state_moves_the_counter_and_the_hub_stays(ctx, hub) -> None:
    code = stopped_while_handed_over(ctx, hub)
    pull = [c for c in sync.conflicts(ctx) if c["origin"] == "pull"][0]
    done = resolve_conflict(ctx, pull["id"], "hub")
    assert done["status"] == "stopped" and dossiers.get(ctx, code).status is Status.STOPPED
    report = run(ctx, hub)
    assert (report.accepted, report.rejected) == (1, []) and hub.status[code] is Status.STOPPED
    assert sync.outbox(ctx) == [] and sync.conflicts(ctx) == []


def test_a_resolution_is_refused_when_it_cannot_be_decided_here(ctx, hub) -> None:
    code = stopped_while_handed_over(ctx, hub)
    cid = sync.conflicts(ctx)[0]["id"]
    with pytest.raises(NotFound):
        resolve_conflict(ctx, 999, "counter")
    with pytest.raises(UserError, match="counter or hub"):
        resolve_conflict(ctx, cid, "both")
    with pytest.raises(UserError, match="conflict_note"):
        resolve_conflict(ctx, cid, "counter", "x" * 501)
    assert len(sync.conflicts(ctx)) == 2 and len(sync.outbox(ctx)) == 2  # nothing changed
    resolve_conflict(ctx, cid, "counter")
    with pytest.raises(UserError, match="resolved"):
        resolve_conflict(ctx, cid, "hub")
    # a hub change for a dossier this counter does not have: the hub's administrator settles it
    other = "000.00.01.H22-261207-9999"
    hub.status[other] = Status.RECEIVED  # received at another counter
    hub.set_status(other, "stopped")
    run(ctx, hub)
    (unknown,) = sync.conflicts(ctx)
    assert unknown["reason"] == "unknown_dossier"
    with pytest.raises(UserError, match="not in this counter"):
        resolve_conflict(ctx, unknown["id"], "hub")
    assert dossiers.get(ctx, code).status is Status.RETURNED


def test_a_clerk_may_not_resolve(ctx, hub) -> None:
    stopped_while_handed_over(ctx, hub)
    ctx.actor = None
    accounts.add_user(ctx, "admin", "Trần Quản Trị", "administrator", "admin-pass-1")
    accounts.sign_in(ctx, "admin", "admin-pass-1")
    accounts.add_user(ctx, "lan", "Nguyễn Thị Lan", "clerk", "lan-pass-1")
    accounts.sign_in(ctx, "lan", "lan-pass-1")
    with pytest.raises(PermissionDenied):
        resolve_conflict(ctx, sync.conflicts(ctx)[0]["id"], "counter")
