"""services/sync.py + sync/client.py against the protocol, with an in-test stand-in behind
httpx.MockTransport (unit level: the end-to-end tests in tests/integration run the real hub).

The stand-in keeps just what the protocol doc promises: ids stored once, duplicate = same body hash,
status_after on the hub's state, after_rejected, 403 with event_ids, a change feed with cursors.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.domain.dossier import Status
from motcua_desktop.domain.events import Event, EventError, new_event_id, status_after
from motcua_desktop.errors import KnownError, UserError
from motcua_desktop.services import dossiers, intake, returns, sync
from motcua_desktop.sync.client import HubClient, HubUnreachable, TokenRefused

CITIZEN = Applicant(name="Trần Văn Bình", id_number="001088012345", phone="0912345678")
TOKEN = "t" * 43


class StandIn:
    def __init__(self) -> None:
        self.events: dict[str, tuple[str, dict[str, Any]]] = {}  # id -> (hash, wire)
        self.status: dict[str, Status] = {}
        self.feed: list[dict[str, Any]] = []
        self.forbid: set[str] = set()  # dossier codes answered with 403
        self.down = 0  # answer this many requests with 503
        self.lose_answers = 0  # commit, then fail the answer (a lost response)
        self.refuse_token = False
        self.requests = 0
        self.hub_time: str | None = None

    def now(self) -> str:
        return self.hub_time or datetime.now().astimezone().isoformat(timespec="seconds")

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if self.down:
            self.down -= 1
            return httpx.Response(503)
        if self.refuse_token or request.headers.get("authorization") != f"Bearer {TOKEN}":
            return httpx.Response(401, json={"detail": "unknown or revoked token"})
        if request.url.path == "/v1/events":
            return self.push(json.loads(request.content))
        if request.url.path == "/v1/changes":
            after = int(request.url.params.get("after", "0"))
            limit = int(request.url.params.get("limit", "500"))
            rows = [c for c in self.feed if int(c["cursor"]) > after]
            page = rows[:limit]
            return httpx.Response(200, json={"hub_time": self.now(), "changes": page,
                                             "next_cursor": page[-1]["cursor"] if page else str(after),
                                             "more": len(rows) > limit})
        return httpx.Response(404)

    def push(self, body: dict[str, Any]) -> httpx.Response:
        events = body["events"]
        bad = [e["id"] for e in events if e["dossier_code"] in self.forbid]
        if bad:
            return httpx.Response(403, json={"detail": "outside the counter's slot", "event_ids": bad})
        results = []
        rejected_codes: set[str] = set()
        for data in events:
            e = Event.from_wire(data)
            if e.dossier_code in rejected_codes:
                results.append({"id": e.id, "result": "rejected", "reason": "after_rejected"})
                continue
            if e.id in self.events:
                same = self.events[e.id][0] == e.body_hash()
                results.append({"id": e.id, "result": "duplicate"} if same else
                               {"id": e.id, "result": "rejected", "reason": "conflicting_body"})
                if not same:
                    rejected_codes.add(e.dossier_code)
                continue
            try:
                self.status[e.dossier_code] = status_after(self.status.get(e.dossier_code), e)
            except EventError as err:
                rejected_codes.add(e.dossier_code)
                named = ({"conflict_id": 7, "hub_status": self.status[e.dossier_code].value}
                         if err.reason == "transition_not_allowed" else {})
                results.append({"id": e.id, "result": "rejected", "reason": err.reason, "detail": err.detail, **named})
                continue
            self.events[e.id] = (e.body_hash(), data)
            results.append({"id": e.id, "result": "accepted"})
        if self.lose_answers:
            self.lose_answers -= 1
            raise httpx.ReadTimeout("answer lost")
        return httpx.Response(200, json={"hub_time": self.now(), "results": results})

    def set_status(self, code: str, status: str, due_at: str | None = None) -> str:
        payload: dict[str, Any] = {"status": status, "by": "Chuyên viên", "agency": "Phòng Tư pháp"}
        if due_at:
            payload["due_at"] = due_at
        e = Event(id=new_event_id(), type="hub_status", dossier_code=code, seq=99, at="2026-12-08T10:00:00",
                  recorded_at="2026-12-08T10:00:00", actor="Phòng Tư pháp", payload=payload)
        self.status[code] = status_after(self.status.get(code), e)
        self.feed.append({"cursor": str(len(self.feed) + 1), "event": e.to_wire()})
        return e.id


@pytest.fixture(autouse=True)
def quiet_week(clock):
    clock.now = datetime(2026, 12, 7, 9, 0)


@pytest.fixture
def hub(ctx):
    stand_in = StandIn()
    factory = lambda url, token, ca: HubClient(url, token, ca_file=ca, transport=httpx.MockTransport(stand_in),
                                               sleep=lambda s: None, attempts=3)
    sync.set_hub(ctx, "http://127.0.0.1:8765", TOKEN)
    stand_in.factory = factory
    return stand_in


def run(ctx, hub, **kw) -> sync.SyncReport:
    return sync.sync(ctx, client_factory=hub.factory, **kw)


def receive(ctx) -> str:
    return intake.receive(ctx, "HT-04", CITIZEN, "all").code


def test_push_in_small_batches_empties_the_outbox_and_a_second_sync_sends_nothing(ctx, hub) -> None:
    codes = [receive(ctx) for _ in range(7)]
    returns.forward(ctx, codes[0])
    r = run(ctx, hub, batch_size=3)
    assert (r.sent, r.accepted, r.duplicate, r.rejected, r.batches) == (8, 8, 0, [], 3)
    assert r.outbox == {"total": 0, "rejected": 0, "pending": 0}
    assert len(hub.events) == 8 and hub.status[codes[0]] is Status.IN_PROGRESS
    r = run(ctx, hub)
    assert (r.sent, r.batches) == (0, 0)
    assert sync.show_hub(ctx)["last_success_at"] is not None


def test_a_lost_answer_is_resent_and_counted_as_duplicate(ctx, hub) -> None:
    for _ in range(3):
        receive(ctx)
    hub.lose_answers = 1  # the hub commits, the counter never hears: the retry gets `duplicate`
    r = run(ctx, hub)
    assert (r.accepted, r.duplicate) == (0, 3) and len(hub.events) == 3
    assert r.outbox["total"] == 0


def test_unreachable_after_bounded_retries_keeps_everything(ctx, hub) -> None:
    receive(ctx)
    hub.down = 100
    with pytest.raises(HubUnreachable, match="hub unreachable"):
        run(ctx, hub)
    assert hub.requests == 3  # bounded
    box = sync.outbox(ctx)
    assert len(box) == 1 and box[0]["state"] == "waiting" and box[0]["attempts"] == 1
    assert "unreachable" in sync.show_hub(ctx)["last_error"]
    hub.down = 2  # two 503s, then it answers: the retries ride it out
    r = run(ctx, hub)
    assert r.accepted == 1 and sync.show_hub(ctx)["last_error"] is None


def test_token_refused_is_a_known_error(ctx, hub) -> None:
    receive(ctx)
    hub.refuse_token = True
    with pytest.raises(TokenRefused, match="token refused"):
        run(ctx, hub)
    assert len(sync.outbox(ctx)) == 1


def test_rejected_stays_visible_its_dossier_waits_and_retry_requeues(ctx, hub) -> None:
    a, b = receive(ctx), receive(ctx)
    run(ctx, hub)
    hub.set_status(a, "stopped")  # the hub stopped it meanwhile; this counter records a result
    returns.result_ready(ctx, a)
    returns.hand_over(ctx, a)
    returns.forward(ctx, b)
    r = run(ctx, hub)
    assert [x["reason"] for x in r.rejected] == ["transition_not_allowed"]
    assert r.accepted == 1  # b's forward went through
    box = sync.outbox(ctx)
    assert [(x["type"], x["state"]) for x in box] == [("result_ready", "rejected"), ("return", "blocked")]
    assert box[0]["reason"] == "transition_not_allowed"
    # the hub's stop came back and the local state (returned) forbids it: a conflict, nothing overwritten
    assert dossiers.get(ctx, a).status is Status.RETURNED
    found = sync.conflicts(ctx)
    assert {(c["origin"], c["reason"]) for c in found} == {("push", "transition_not_allowed"),
                                                           ("pull", "transition_not_allowed")}
    assert [c for c in found if c["origin"] == "push"][0]["hub_conflict_id"] == 7
    r = run(ctx, hub)
    assert (r.sent, r.pulled) == (0, 0)  # not resent until retried; cursor moved past the conflict
    with pytest.raises(UserError):
        sync.retry(ctx, box[1]["event_id"])  # the blocked one was not rejected
    assert sync.retry(ctx, box[0]["event_id"]) == [box[0]["event_id"]]
    hub.status[a] = Status.RECEIVED  # say the agency undid its stop
    r = run(ctx, hub)
    assert (r.accepted, r.rejected) == (2, []) and r.outbox["total"] == 0


def test_403_marks_the_named_events_and_sends_the_rest(ctx, hub) -> None:
    a, b, c = receive(ctx), receive(ctx), receive(ctx)
    hub.forbid = {b}
    r = run(ctx, hub)
    assert r.accepted == 2 and [(x["dossier_code"], x["reason"]) for x in r.rejected] == [(b, "forbidden")]
    assert set(hub.status) == {a, c}


def test_same_id_other_body_is_rejected_and_stays(ctx, hub) -> None:
    a = receive(ctx)
    run(ctx, hub)
    returns.forward(ctx, a)
    event_id = sync.outbox(ctx)[0]["event_id"]
    # The hub already has this id with another body (a replay from a restored backup, say).
    hub.events[event_id] = ("other-hash", {})
    r = run(ctx, hub)
    assert [x["reason"] for x in r.rejected] == ["conflicting_body"]
    assert sync.outbox(ctx)[0]["state"] == "rejected"


def test_pull_applies_hub_status_once_with_the_cursor(ctx, hub, clock) -> None:
    a, b = receive(ctx), receive(ctx)
    run(ctx, hub)
    ids = [hub.set_status(a, "in_progress"), hub.set_status(a, "result_ready"),
           hub.set_status(b, "in_progress", due_at="2026-12-30T16:00")]
    r = run(ctx, hub, pull_limit=2)
    assert (r.pulled, r.applied, r.conflicts) == (3, 3, [])
    va, vb = dossiers.get(ctx, a), dossiers.get(ctx, b)
    assert va.status is Status.RESULT_READY and va.result_ready_at == datetime(2026, 12, 8, 10, 0)
    hub_events = [e for e in va.events if e.type == "hub_status"]
    assert [e.id for e in hub_events] == ids[:2] and hub_events[0].actor == "Phòng Tư pháp"
    assert vb.due_at == datetime(2026, 12, 30, 16, 0) and vb.original_due_at != vb.due_at
    assert sync.show_hub(ctx)["pull_cursor"] == "3"
    assert sync.outbox(ctx) == []  # hub events never enter the outbox
    # replaying the feed from the start applies nothing twice
    ctx.store.execute("UPDATE sync_state SET pull_cursor = NULL")
    r = run(ctx, hub)
    assert (r.pulled, r.applied, r.already) == (3, 0, 3)
    # the returned result is in the queue and can be handed over; the hand-over goes up next time
    assert [q.code for q in returns.results_queue(ctx).rows] == [a]
    clock.now = datetime(2026, 12, 8, 14, 0)
    returns.hand_over(ctx, a)
    r = run(ctx, hub)
    assert r.accepted == 1 and hub.status[a] is Status.RETURNED


def test_a_change_waits_behind_local_events_still_to_push(ctx, hub) -> None:
    a = receive(ctx)
    hub.status[a] = Status.RECEIVED  # the hub knows it (pushed from elsewhere, say) and moves it
    hub.set_status(a, "in_progress")
    # Pull before the push (as when the push phase could not reach these events): it must wait.
    report = sync.SyncReport(hub_url="x")
    client = hub.factory("http://127.0.0.1:8765", TOKEN, None)
    sync._pull(ctx, client, report, 100)
    assert (report.waiting, report.applied) == (1, 0)
    assert sync.show_hub(ctx)["pull_cursor"] is None  # the cursor stays before it
    r = run(ctx, hub)  # the next cycle pushes first, then applies it
    assert r.applied == 1 and dossiers.get(ctx, a).status is Status.IN_PROGRESS


def test_clock_skew_over_five_minutes_is_reported(ctx, hub, clock) -> None:
    receive(ctx)
    hub.hub_time = (clock.now + timedelta(minutes=9)).isoformat() + "+07:00"
    r = run(ctx, hub)
    assert r.skew_warning and r.skew_s == pytest.approx(540, abs=1)
    assert sync.show_hub(ctx)["skew_warning"]
    hub.hub_time = (clock.now + timedelta(minutes=2)).isoformat() + "+07:00"
    assert not run(ctx, hub).skew_warning


def test_hub_settings_validate_and_mask_the_token(ctx, tmp_path) -> None:
    with pytest.raises(UserError):
        sync.set_hub(ctx, "ftp://x", TOKEN)
    with pytest.raises(UserError):
        sync.set_hub(ctx, "https://127.0.0.1:8765", "has space")
    with pytest.raises(UserError):
        sync.set_hub(ctx, "https://127.0.0.1:8765", TOKEN, str(tmp_path / "missing.pem"))
    shown = sync.set_hub(ctx, "https://127.0.0.1:8765/", TOKEN)
    assert shown["url"] == "https://127.0.0.1:8765" and shown["token"] == "…tttt"
    audit = ctx.store.query("SELECT detail FROM audit_log WHERE action = 'sync.hub_set'")
    assert TOKEN not in json.dumps(audit)


def test_no_hub_set_is_a_known_error(ctx) -> None:
    with pytest.raises(KnownError, match="no hub"):
        sync.sync(ctx)


def test_receiving_needs_no_network(ctx) -> None:
    sync.set_hub(ctx, "http://127.0.0.1:9", TOKEN)  # nothing listens there
    code = receive(ctx)
    returns.forward(ctx, code)
    assert len(sync.outbox(ctx)) == 2
