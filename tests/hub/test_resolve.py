"""Resolving a conflict on the hub: a counter's `resolve_conflict` sets the hub's status, settles the
conflict(s) it names (`resolution_event_id`), and `motcua-hub conflicts` lists open and resolved ones."""

from __future__ import annotations

import json

from hubproc import HubProcess, dossier_code, event, hub_cli, intake_event, result_ready_event, sent_at


def push(client, events):
    r = client.post("/v1/events", json={"sent_at": sent_at(), "events": events})
    assert r.status_code == 200, r.text
    return r.json()["results"]


def hub_conflicts(db_url, *flags):
    p = hub_cli(db_url, "conflicts", "--json", *flags)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def resolve(code, seq, status, keep, **extra):
    return event("resolve_conflict", code, seq, {"status": status, "keep": keep, **extra},
                 actor="Trần Thị Giám Sát")


def stopped_dossier(hub: HubProcess, token: str, n: int) -> tuple[str, dict]:
    """A dossier the hub stopped while the counter recorded its result: one open conflict."""
    code = dossier_code(1, n)
    with hub.client(token) as c:
        assert push(c, [intake_event(code)])[0]["result"] == "accepted"
    assert hub_cli(hub.db_url, "set-status", code, "stopped", "--reason", "Hồ sơ giả").returncode == 0
    with hub.client(token) as c:
        (res,) = push(c, [result_ready_event(code, seq=2)])
    return code, res


def test_the_refusal_names_the_hubs_status_and_keeping_the_counters_state_moves_the_hub(hub: HubProcess):
    token = hub.add_counter()
    code, res = stopped_dossier(hub, token, 1)
    assert (res["reason"], res["hub_status"]) == ("transition_not_allowed", "stopped")
    (open_one,) = hub_conflicts(hub.db_url)
    assert (open_one["id"], open_one["dossier_code"], open_one["hub_status"], open_one["resolution"]) == (
        res["conflict_id"], code, "stopped", None)
    assert open_one["counter"].endswith("/1")

    fix = resolve(code, 3, "result_ready", "counter", hub_conflict_id=res["conflict_id"], superseded=[res["id"]],
                  note="Đã có kết quả, Phòng Tư pháp dừng nhầm")
    with hub.client(token) as c:
        assert push(c, [fix]) == [{"id": fix["id"], "result": "accepted"}]
        assert push(c, [fix]) == [{"id": fix["id"], "result": "duplicate"}]  # a lost answer, sent again
    d = json.loads(hub_cli(hub.db_url, "dossier", code, "--json", check=True).stdout)
    assert d["status"] == "result_ready"
    assert [e["type"] for e in d["events"]] == ["intake", "hub_status", "resolve_conflict"]
    assert d["conflicts"][0]["resolution_event_id"] == fix["id"] and d["conflicts"][0]["resolved_at"]
    assert hub_conflicts(hub.db_url) == []
    (done,) = hub_conflicts(hub.db_url, "--all")
    assert done["resolution"]["keep"] == "counter" and done["resolution"]["status"] == "result_ready"
    assert done["resolution"]["actor"] == "Trần Thị Giám Sát"
    text = hub_cli(hub.db_url, "conflicts", "--all", check=True).stdout
    assert f"#{done['id']}  {code}" in text and "kept the counter's state (result_ready" in text
    assert hub_cli(hub.db_url, "conflicts", check=True).stdout.strip() == "no open conflicts"


def test_keeping_the_hubs_state_settles_every_open_conflict_of_the_dossier_but_only_at_the_hubs_status(
        hub: HubProcess):
    token = hub.add_counter()
    code, first = stopped_dossier(hub, token, 2)
    other, _ = stopped_dossier(hub, token, 3)
    with hub.client(token) as c:
        (second,) = push(c, [event("withdraw", code, 3, {"status": "withdrawn", "reason": None})])
        assert second["conflict_id"] != first["conflict_id"]
        # The hub's state is 'stopped': a resolution "keeping the hub's state" as anything else is refused
        # (the processing side moved on since the counter looked) and becomes a conflict of its own.
        stale = resolve(code, 4, "in_progress", "hub")
        (res,) = push(c, [stale])
        assert (res["result"], res["reason"], res["hub_status"]) == ("rejected", "transition_not_allowed", "stopped")
        good = resolve(code, 4, "stopped", "hub")
        assert push(c, [good])[0]["result"] == "accepted"
    left = hub_conflicts(hub.db_url)
    assert [x["dossier_code"] for x in left] == [other]  # all three of `code` settled, none of the other
    settled = [x for x in hub_conflicts(hub.db_url, "--all") if x["dossier_code"] == code]
    assert len(settled) == 3 and {x["resolution"]["event_id"] for x in settled} == {good["id"]}
    assert json.loads(hub_cli(hub.db_url, "dossier", code, "--json", check=True).stdout)["status"] == "stopped"
