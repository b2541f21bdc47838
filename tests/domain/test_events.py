"""The event schema (domain/events.py): round trip, unknown type/field, bad types, body hash, status_after."""

from __future__ import annotations

import copy
import json

import pytest

from motcua_desktop.domain.dossier import TRANSITIONS, Status
from motcua_desktop.domain.events import (EVENT_TYPES, MAX_TEXT, Event, EventError, canonical_json,
                                          new_event_id, status_after)

CODE = "000.00.01.H22-261203-1001"


def wire(type_: str = "refuse", **payload: object) -> dict:
    body = payload or {"status": "refused", "reason": "Không thuộc thẩm quyền"}
    return {"schema_version": 1, "id": new_event_id(), "type": type_, "dossier_code": CODE, "seq": 2,
            "at": "2026-12-03T09:15", "recorded_at": "2026-12-03T09:15:07", "actor": "Nguyễn Thị Tiếp Nhận",
            "payload": body}


def reason(data: object) -> str:
    with pytest.raises(EventError) as info:
        Event.from_wire(data)
    return info.value.reason


def test_round_trip_through_json_keeps_every_field_and_the_hash() -> None:
    e = Event.from_wire(wire())
    again = Event.from_json(e.to_json())
    assert again == e and again.to_wire() == e.to_wire()
    assert again.body_hash() == e.body_hash()
    assert e.status is Status.REFUSED


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": 1, "a": "Hòa"}) == '{"a":"Hòa","b":1}'


def test_body_hash_changes_with_any_byte_of_the_body() -> None:
    data = wire()
    e1 = Event.from_wire(data)
    changed = copy.deepcopy(data)
    changed["payload"]["reason"] += "."
    e2 = Event.from_wire(changed)
    assert e1.id == e2.id and e1.body_hash() != e2.body_hash()
    # key order on the wire is not part of the body
    shuffled = json.loads(json.dumps(dict(reversed(list(data.items())))))
    assert Event.from_wire(shuffled).body_hash() == e1.body_hash()


def test_unknown_type_and_unknown_fields_are_refused_at_every_level() -> None:
    assert reason(wire("teleport")) == "unknown_type"
    assert reason({**wire(), "extra": 1}) == "unknown_field"
    data = wire()
    data["payload"]["colour"] = "red"
    assert reason(data) == "unknown_field"
    data = wire("return", status="returned", collector={"kind": "applicant", "name": None, "id_kind": None,
                                                        "id_number": None, "note": None, "x": 1},
                rating=None, clerk=None, late=False)
    assert reason(data) == "unknown_field"


@pytest.mark.parametrize("field,value", [
    ("seq", "2"), ("seq", 0), ("seq", True), ("at", "2026-12-03"), ("at", "03/12/2026 09:15"),
    ("recorded_at", 5), ("actor", ""), ("actor", "x" * 201), ("dossier_code", "garbage"), ("id", "not-a-uuid"),
])
def test_bad_envelope_values(field: str, value: object) -> None:
    assert reason({**wire(), field: value}) == "bad_field"


@pytest.mark.parametrize("payload", [
    {"status": "refused", "reason": 5},
    {"status": "refused", "reason": "x" * (MAX_TEXT + 1)},
    {"status": "returned", "reason": "x"},
    {"status": "refused", "reason": "x", "entered_late": "yes"},
])
def test_bad_payload_types(payload: dict) -> None:
    assert reason(wire("refuse", **payload)) == "bad_field"


def test_missing_fields_and_versions_and_non_objects() -> None:
    data = wire()
    del data["actor"]
    assert reason(data) == "missing_field"
    assert reason(wire("refuse", status="refused")) == "missing_field"
    assert reason({**wire(), "schema_version": 2}) == "unsupported_schema_version"
    assert reason([1, 2]) == "bad_event"
    with pytest.raises(EventError) as info:
        Event.from_json("{not json")
    assert info.value.reason == "bad_json"


def test_every_type_has_a_payload_schema() -> None:
    assert {"intake", "supplement", "refuse", "withdraw", "forward", "result_ready", "stop", "return",
            "apologise", "hub_status", "correct", "void", "resolve_conflict"} == EVENT_TYPES


def ev(type_: str, status: str, **extra: object) -> Event:
    return Event(id=new_event_id(), type=type_, dossier_code=CODE, seq=2, at="2026-12-03T09:15",
                 recorded_at="2026-12-03T09:15", actor="x", payload={"status": status, **extra})


def test_status_after_follows_the_transition_table() -> None:
    for current, allowed in TRANSITIONS.items():
        for new in Status:
            e = ev("forward", new.value)
            if new in allowed:
                assert status_after(current, e) is new
            else:
                with pytest.raises(EventError) as info:
                    status_after(current, e)
                assert info.value.reason == "transition_not_allowed"


def test_status_after_intake_unknown_dossier_keeps_status_and_hub_repeat() -> None:
    assert status_after(None, ev("intake", "received")) is Status.RECEIVED
    with pytest.raises(EventError, match="dossier_exists"):
        status_after(Status.RECEIVED, ev("intake", "received"))
    with pytest.raises(EventError, match="unknown_dossier"):
        status_after(None, ev("refuse", "refused"))
    assert status_after(Status.IN_PROGRESS, ev("apologise", "in_progress")) is Status.IN_PROGRESS
    with pytest.raises(EventError, match="transition_not_allowed"):
        status_after(Status.RECEIVED, ev("apologise", "in_progress"))
    assert status_after(Status.IN_PROGRESS, ev("hub_status", "in_progress")) is Status.IN_PROGRESS
    with pytest.raises(EventError, match="transition_not_allowed"):
        status_after(Status.RETURNED, ev("hub_status", "stopped"))


def test_resolve_conflict_sets_any_status_from_any_status() -> None:
    for current in Status:
        for new in Status:
            assert status_after(current, ev("resolve_conflict", new.value, keep="hub")) is new
    with pytest.raises(EventError, match="unknown_dossier"):
        status_after(None, ev("resolve_conflict", "received", keep="counter"))


def test_resolve_conflict_payload_is_checked_like_every_other() -> None:
    good = wire("resolve_conflict", status="stopped", keep="hub", hub_conflict_id=12,
                superseded=[new_event_id()], note="Phòng Tư pháp đã dừng xử lý")
    assert Event.from_wire(good).payload["keep"] == "hub"
    assert Event.from_wire(wire("resolve_conflict", status="returned", keep="counter")).status is Status.RETURNED
    assert reason(wire("resolve_conflict", status="stopped", keep="both")) == "bad_field"
    assert reason(wire("resolve_conflict", status="stopped", keep="hub", hub_conflict_id="12")) == "bad_field"
    assert reason(wire("resolve_conflict", status="stopped", keep="hub", superseded="x")) == "bad_field"
    assert reason(wire("resolve_conflict", keep="hub")) == "missing_field"
    assert reason(wire("resolve_conflict", status="stopped", keep="hub", winner="me")) == "unknown_field"
