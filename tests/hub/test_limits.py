"""Bad requests get a 4xx with a reason, and the hub keeps serving; nothing personal in its log."""

from __future__ import annotations

import json

import pytest

from hubproc import HubProcess, dossier_code, event, intake_event, sent_at


@pytest.fixture
def small_hub(hub_db_url, hub_factory) -> HubProcess:
    return hub_factory(hub_db_url, args=("--max-batch", "5", "--max-body", "65536"))


def still_serving(hub: HubProcess, token: str, n: int) -> None:
    with hub.client(token) as c:
        r = c.post("/v1/events", json={"sent_at": sent_at(), "events": [intake_event(dossier_code(1, n))]})
        assert r.status_code == 200 and r.json()["results"][0]["result"] == "accepted", r.text


def test_oversized_bodies_413_however_they_come(small_hub: HubProcess):
    token = small_hub.add_counter()
    big = json.dumps({"sent_at": sent_at(), "events": [intake_event(dossier_code(1, 1))], "pad": "x" * 200_000})
    with small_hub.client(token) as c:
        r = c.post("/v1/events", content=big, headers={"content-type": "application/json"})
        assert r.status_code == 413 and r.json()["reason"] == "body_too_large"

        def chunks():  # no Content-Length: chunked transfer encoding
            for i in range(0, len(big), 8192):
                yield big[i:i + 8192].encode()
        r = c.post("/v1/events", content=chunks(), headers={"content-type": "application/json"})
        assert r.request.headers.get("transfer-encoding") == "chunked"
        assert r.status_code == 413
        # Too many events in one batch (--max-batch 5) → 413 too, nothing stored.
        r = c.post("/v1/events", json={"sent_at": sent_at(), "events": [intake_event(dossier_code(1, 10 + i))
                                                                        for i in range(6)]})
        assert r.status_code == 413 and r.json()["reason"] == "batch_too_large"
    still_serving(small_hub, token, 2)
    with small_hub.client(token) as c:
        assert [ch for ch in c.get("/v1/changes").json()["changes"]] == []


MALFORMED = {
    "bad-json": b"{not json", "not-utf8": b"\xff\xfe\x00", "deep": b"[" * 100_000, "list": b"[]", "null": b"null",
    "no-sent-at": json.dumps({"events": []}).encode(),
    "bad-time": json.dumps({"sent_at": "yesterday", "events": []}).encode(),
    "no-offset": json.dumps({"sent_at": "2026-12-03T09:15:07", "events": []}).encode(),
    "events-object": json.dumps({"sent_at": "2026-12-03T09:15:07+07:00", "events": {}}).encode(),
    "unknown-field": json.dumps({"sent_at": "2026-12-03T09:15:07+07:00", "events": [], "counter": 1}).encode(),
}


def test_malformed_push_422_then_still_serving(hub: HubProcess):
    token = hub.add_counter()
    for n, (what, body) in enumerate(MALFORMED.items(), start=1):
        with hub.client(token) as c:
            r = c.post("/v1/events", content=body, headers={"content-type": "application/json"})
            assert r.status_code == 422, (what, r.text)
            assert r.json()["detail"] and r.json()["reason"], what
        still_serving(hub, token, n)


def test_malformed_events_are_rejected_one_by_one(hub: HubProcess):
    token = hub.add_counter()
    code = dossier_code(1, 1)
    good = intake_event(code)
    bad_type = json.loads(json.dumps(good))
    bad_type["id"] = "7d8f7f8e-0000-4000-8000-000000000001"
    bad_type["seq"] = "one"
    missing = {k: v for k, v in intake_event(dossier_code(1, 2)).items() if k != "actor"}
    with hub.client(token) as c:
        r = c.post("/v1/events", json={"sent_at": sent_at(), "events": [good, bad_type, missing, 42, "x",
                                                                        {**good, "schema_version": 2}]})
        assert r.status_code == 200
        got = [(x["result"], x.get("reason")) for x in r.json()["results"]]
        assert got == [("accepted", None), ("rejected", "bad_field"), ("rejected", "missing_field"),
                       ("rejected", "bad_event"), ("rejected", "bad_event"), ("rejected", "unsupported_schema_version")]


def test_pull_parameters(hub: HubProcess):
    token = hub.add_counter()
    with hub.client(token) as c:
        for params in ({"after": "abc"}, {"after": "-1"}, {"limit": "0"}, {"limit": "1001"}, {"limit": "x"},
                       {"since": "1"}):
            r = c.get("/v1/changes", params=params)
            assert r.status_code == 422, (params, r.text)
        assert c.get("/v1/changes", params={"limit": "1000"}).status_code == 200
        assert c.get("/v1/nothing").status_code == 404


def test_nothing_personal_in_the_hub_log(hub: HubProcess):
    """Codes and counts only: no names, identity numbers or phones, whatever happens."""
    name, id_number, phone = "Lê Thị Bí Mật", "079188000111", "0987654321"
    token = hub.add_counter()
    processor = hub.add_processor(name="Phòng Tư pháp")
    code = dossier_code(1, 1)
    mine = intake_event(code, name=name, id_number=id_number, phone=phone)
    with hub.client(token) as c:
        c.post("/v1/events", json={"sent_at": sent_at(), "events": [mine]})
        c.post("/v1/events", json={"sent_at": sent_at(), "events": [mine]})  # duplicate
        other = json.loads(json.dumps(mine))
        other["payload"]["address"] = "khác"
        c.post("/v1/events", json={"sent_at": sent_at(), "events": [other]})  # conflicting body
        c.post("/v1/events", json={"sent_at": sent_at(), "events": [mine]})
        c.post("/v1/events", json={"sent_at": sent_at(), "events": [intake_event(dossier_code(2, 1), name=name,
                                                                                 id_number=id_number, phone=phone)]})
        c.post("/v1/events", json={"sent_at": sent_at(), "events": [{**mine, "payload": {**mine["payload"],
                                                                                         "phone": 12}}]})
        c.post("/v1/events", content=json.dumps({"sent_at": 1, "events": [mine]}))
        c.post("/v1/events", content=b"{" + id_number.encode())
        c.post("/v1/events", json={"sent_at": sent_at(), "events": [
            event("return", code, 2, {"status": "returned", "collector": {"kind": "authorised", "name": name,
                  "id_kind": "cccd", "id_number": id_number, "note": phone}, "rating": None, "clerk": None,
                  "late": False})]})
    with hub.client(processor) as p:
        p.post(f"/v1/dossiers/{code}/status", json={"status": "stopped", "reason": f"{name} {id_number}", "by": name})
        p.post(f"/v1/dossiers/{code}/status", json={"status": "in_progress", "by": phone})
    hub.stop()
    log = hub.log()
    assert "push counter=" in log and code in log  # it does log, by code and count
    for secret in (name, id_number, phone, "Bí Mật"):
        assert secret not in log, f"{secret!r} in the hub's log"
