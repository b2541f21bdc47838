"""Push and pull against a real `motcua-hub serve` on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json

from hubproc import (AGENCY, OTHER_AGENCY, HubProcess, dossier_code, event, forward_event, hub_cli,
                     intake_event, result_ready_event, return_event, sent_at)


def push(client, events, **kw):
    return client.post("/v1/events", json={"sent_at": kw.pop("at", sent_at()), "events": events}, **kw)


def results(r):
    assert r.status_code == 200, r.text
    return [(x["result"], x.get("reason")) for x in r.json()["results"]]


def stored(db_url, code):
    p = hub_cli(db_url, "dossier", code, "--json")
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_health(hub: HubProcess):
    with hub.client() as c:
        body = c.get("/v1/health").json()
    assert body["status"] == "ok" and body["protocol"] == 1 and body["hub_time"].endswith("+07:00")


def test_push_accepted_duplicate_replay_and_another_body(hub: HubProcess):
    token = hub.add_counter()
    code = dossier_code(1, 1)
    batch = [intake_event(code), forward_event(code)]
    with hub.client(token) as c:
        assert results(push(c, batch)) == [("accepted", None), ("accepted", None)]
        before = stored(hub.db_url, code)
        # The answer was lost: the same batch again changes nothing.
        assert results(push(c, batch)) == [("duplicate", None), ("duplicate", None)]
        assert stored(hub.db_url, code) == before
        # The same id with another body is rejected, never accepted.
        changed = json.loads(json.dumps(batch[1]))
        changed["payload"]["to"] = "Phòng khác"
        assert results(push(c, [changed])) == [("rejected", "conflicting_body")]
        # Within one batch: an id twice is one event.
        code2 = dossier_code(1, 2)
        twice = intake_event(code2)
        assert results(push(c, [twice, twice])) == [("accepted", None), ("duplicate", None)]
    after = stored(hub.db_url, code)
    assert after == before
    assert [e["type"] for e in after["events"]] == ["intake", "forward"]
    assert after["status"] == "in_progress"
    counters = json.loads(hub_cli(hub.db_url, "counters", "--json").stdout)
    assert counters[0]["events_received"] == 3 and counters[0]["last_contact_at"]


def test_rejections_and_conflict(hub: HubProcess):
    token = hub.add_counter()
    processor = hub.add_processor()
    code = dossier_code(1, 1)
    with hub.client(token) as c:
        r = results(push(c, [
            forward_event(dossier_code(1, 5), seq=2),  # no intake on the hub
            intake_event(code),
            return_event(code, seq=2),  # received → returned: not a move
            forward_event(code, seq=3),  # queues behind the rejected one
            event("hub_status", code, 4, {"status": "in_progress"}),
            event("bogus", code, 5, {"status": "received"}),
            {**intake_event(dossier_code(1, 6)), "extra": 1},
        ]))
        assert r == [("rejected", "unknown_dossier"), ("accepted", None), ("rejected", "transition_not_allowed"),
                     ("rejected", "after_rejected"), ("rejected", "hub_origin"), ("rejected", "unknown_type"),
                     ("rejected", "unknown_field")]
        assert results(push(c, [intake_event(code)])) == [("rejected", "dossier_exists")]
    # The processing side stops it; the counter, not knowing, says the result is ready: a conflict.
    with hub.client(processor) as p:
        assert p.post(f"/v1/dossiers/{code}/status", json={"status": "stopped", "reason": "Hồ sơ giả"}).status_code == 200
    with hub.client(token) as c:
        r = push(c, [result_ready_event(code, seq=2)])
        (res,) = r.json()["results"]
        assert res["result"] == "rejected" and res["reason"] == "transition_not_allowed"
        assert isinstance(res["conflict_id"], int)
        # Pushed again (a supervisor retried): the same conflict, not a second one.
        again = push(c, [result_ready_event(code, seq=2, id=res["id"])]).json()["results"][0]
        assert again["conflict_id"] == res["conflict_id"]
    d = stored(hub.db_url, code)
    assert d["status"] == "stopped"
    # The hub has the dossier each time, so each forbidden move is kept as a conflict.
    assert [(x["event_type"], x["hub_status"]) for x in d["conflicts"]] == [("return", "received"),
                                                                             ("result_ready", "stopped")]
    assert [e["type"] for e in d["events"]] == ["intake", "hub_status"]


def test_pull_sees_hub_statuses_of_its_own_dossiers_only(hub: HubProcess):
    one, two = hub.add_counter(slot=1), hub.add_counter(slot=2)
    processor = hub.add_processor()
    c1, c2 = dossier_code(1, 1), dossier_code(2, 1)
    with hub.client(one) as c:
        assert results(push(c, [intake_event(c1)])) == [("accepted", None)]
    with hub.client(two) as c:
        assert results(push(c, [intake_event(c2)])) == [("accepted", None)]
    with hub.client(processor) as p:
        for code in (c1, c2, c1):
            r = p.post(f"/v1/dossiers/{code}/status", json={"status": "in_progress", "due_at": "2026-12-10T10:00",
                                                            "by": "Trần Văn Xử Lý"})
            assert r.status_code == 200, r.text
            ev = r.json()["event"]
            assert ev["type"] == "hub_status" and ev["actor"] == "Phòng Tư pháp" and ev["payload"]["agency"] == "Phòng Tư pháp"
    with hub.client(one) as c:
        page = c.get("/v1/changes", params={"limit": 1}).json()
        assert len(page["changes"]) == 1 and page["more"] is True
        rest = c.get("/v1/changes", params={"after": page["next_cursor"]}).json()
        assert rest["more"] is False and len(rest["changes"]) == 1
        seen = page["changes"] + rest["changes"]
        assert {ch["event"]["dossier_code"] for ch in seen} == {c1}
        assert [ch["event"]["seq"] for ch in seen] == [2, 3]
        empty = c.get("/v1/changes", params={"after": rest["next_cursor"]}).json()
        assert empty["changes"] == [] and empty["next_cursor"] == rest["next_cursor"]
    with hub.client(two) as c:
        assert [ch["event"]["dossier_code"] for ch in c.get("/v1/changes").json()["changes"]] == [c2]
    assert stored(hub.db_url, c1)["due_at"] == "2026-12-10T10:00"


def test_tokens_401_and_403(hub: HubProcess):
    token = hub.add_counter()
    processor = hub.add_processor()
    code = dossier_code(1, 1)
    with hub.client() as c:
        assert c.post("/v1/events", json={"sent_at": sent_at(), "events": []}).status_code == 401
        assert c.get("/v1/changes").status_code == 401
    with hub.client("not-a-token") as c:
        r = c.post("/v1/events", json={"sent_at": sent_at(), "events": []})
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    with hub.client(processor) as c:  # the wrong kind of token
        assert c.post("/v1/events", json={"sent_at": sent_at(), "events": [intake_event(code)]}).status_code == 403
    with hub.client(token) as c:
        assert c.post(f"/v1/dossiers/{code}/status", json={"status": "in_progress"}).status_code == 403
        # Another agency's or another slot's code: 403 for the whole batch, nothing stored.
        mine = intake_event(code)
        for foreign in (intake_event(dossier_code(2, 1)), intake_event(dossier_code(1, 1, agency=OTHER_AGENCY))):
            r = push(c, [mine, foreign])
            assert r.status_code == 403, r.text
            assert r.json()["event_ids"] == [foreign["id"]]
    assert json.loads(hub_cli(hub.db_url, "dossiers", "--json").stdout) == []
    p = hub_cli(hub.db_url, "revoke-counter", "--agency-code", AGENCY, "--slot", "1")
    assert p.returncode == 0, p.stderr
    with hub.client(token) as c:
        assert push(c, [intake_event(code)]).status_code == 401
    # A new token for the same slot works; the revoked one stays refused.
    new = hub.add_counter()
    with hub.client(new) as c:
        assert results(push(c, [intake_event(code)])) == [("accepted", None)]


def test_set_status_endpoint_errors(hub: HubProcess):
    token = hub.add_counter()
    processor = hub.add_processor()
    other = hub.add_processor(agency_code=OTHER_AGENCY)
    code = dossier_code(1, 1)
    with hub.client(token) as c:
        results(push(c, [intake_event(code)]))
    with hub.client(processor) as p:
        assert p.post(f"/v1/dossiers/{dossier_code(1, 9)}/status", json={"status": "in_progress"}).status_code == 404
        for bad in ({"status": "returned"}, {"status": "in_progress", "due_at": "tomorrow"},
                    {"status": "in_progress", "colour": "red"}, {}, {"status": 4}):
            r = p.post(f"/v1/dossiers/{code}/status", json=bad)
            assert r.status_code == 422, (bad, r.text)
            assert r.json()["detail"]
        assert p.post(f"/v1/dossiers/{code}/status", json={"status": "result_ready"}).status_code == 200
        r = p.post(f"/v1/dossiers/{code}/status", json={"status": "in_progress"})
        assert r.status_code == 409 and r.json()["reason"] == "transition_not_allowed"
        # The same status again with a new appointment is allowed.
        assert p.post(f"/v1/dossiers/{code}/status", json={"status": "result_ready", "due_at": "2026-12-11T08:00"}
                      ).status_code == 200
    with hub.client(other) as p:
        assert p.post(f"/v1/dossiers/{code}/status", json={"status": "stopped"}).status_code == 403
