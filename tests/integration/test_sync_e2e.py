"""The counter and the real hub end to end (real `motcua-hub serve`, real `motcua` processes, loopback
only), on a SQLite hub and a PostgreSQL hub: offline intake then sync, results coming back to the
return queue, the hand-over going up, replays, conflicting bodies, revoked tokens, TLS."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from hubproc import AGENCY, hub_cli, sent_at
from motcua_desktop.paths import DB_FILENAME

from .counters import Counter, hub_dossier, hub_event_ids

pytestmark = pytest.mark.slow


def test_two_offline_counters_sync_results_come_back_and_the_hand_over_goes_up(tmp_path: Path, hub_db_url: str,
                                                                              hub_factory) -> None:
    hub = hub_factory(hub_db_url, start=False)  # the hub is down while the counters receive
    a, b = Counter(tmp_path, 1), Counter(tmp_path, 2)
    a.set_hub(hub.url, hub.add_counter(AGENCY, 1))
    b.set_hub(hub.url, hub.add_counter(AGENCY, 2))
    codes_a = [a.cli("receive", "--procedure", "HT-04", "--name", "Trần Văn Bình", "--id-number", "001088012345",
                     "--json").json()["code"] for _ in range(2)]
    codes_b = b.write(3, forward=False)
    down = a.cli("sync")
    assert down.returncode == 1 and "hub unreachable" in down.stderr and down.stderr.count("\n") == 1
    hub.start()
    for counter, n in ((a, 2), (b, 3)):
        out = counter.sync()
        assert out.returncode == 0, out.stderr
        report = out.json()
        assert (report["sent"], report["accepted"], report["rejected"]) == (n, n, [])
        assert report["outbox"]["total"] == 0
    listed = hub_cli(hub_db_url, "dossiers", "--json", check=True)
    import json
    on_hub = sorted(d["code"] for d in json.loads(listed.stdout))
    assert on_hub == sorted(codes_a + codes_b)  # each dossier once
    assert a.sync().json()["sent"] == 0  # nothing twice

    code = codes_a[0]
    assert hub_cli(hub_db_url, "set-status", code, "result_ready", "--by", "Lê Văn Xử Lý").returncode == 0
    out = a.sync()
    assert out.returncode == 0 and (out.json()["pulled"], out.json()["applied"]) == (1, 1)
    queue = a.cli("queue", "--json").json()
    assert [q["code"] for q in queue] == [code]
    shown = a.cli("dossier", "show", code, "--json").json()
    assert shown["status"] == "result_ready" and shown["events"][-1]["type"] == "hub_status"
    assert a.outbox_count() == 0  # the hub's event is not sent back
    handed = a.cli("return", code, "--json")
    assert handed.returncode == 0, handed.stderr
    out = a.sync()
    assert out.json()["accepted"] == 1
    assert hub_dossier(hub_db_url, code)["status"] == "returned"
    assert b.sync().json()["pulled"] == 0  # the other counter sees only its own dossiers
    text = a.cli("sync")
    assert text.returncode == 0 and "Đã gửi 0 sự kiện" in text.stdout


def test_a_replayed_batch_changes_nothing_and_another_body_under_a_known_id_is_rejected(
        tmp_path: Path, hub_db_url: str, hub_factory) -> None:
    hub = hub_factory(hub_db_url)
    token = hub.add_counter(AGENCY, 1)
    c = Counter(tmp_path, 1)
    c.set_hub(hub.url, token)
    c.write(5)
    assert c.sync().returncode == 0
    before = sorted(hub_event_ids(hub_db_url))
    with hub.client(token) as http:
        replay = http.post("/v1/events", json={"sent_at": sent_at(), "events": c.wire_events()})
    assert replay.status_code == 200
    assert {r["result"] for r in replay.json()["results"]} == {"duplicate"}
    assert sorted(hub_event_ids(hub_db_url)) == before

    # A new local event whose id the hub already holds with another body (a restored backup, a bug):
    (code,) = c.write(1, forward=False)
    mine = c.wire_events()[-1]
    forged = {**mine, "payload": {**mine["payload"], "applicant_name": "Người Khác"}}
    with hub.client(token) as http:
        assert http.post("/v1/events", json={"sent_at": sent_at(), "events": [forged]}).json()[
            "results"][0]["result"] == "accepted"
    out = c.sync()
    assert out.returncode == 0
    assert [(r["event_id"], r["reason"]) for r in out.json()["rejected"]] == [(mine["id"], "conflicting_body")]
    box = c.cli("outbox", "--json").json()
    assert [(x["event_id"], x["state"], x["reason"]) for x in box] == [(mine["id"], "rejected", "conflicting_body")]
    assert "conflicting_body" in c.cli("outbox").stdout
    assert c.sync().json()["sent"] == 0  # not resent until a supervisor retries it
    assert c.cli("outbox", "retry", mine["id"]).returncode == 0
    assert c.sync().json()["rejected"][0]["reason"] == "conflicting_body"  # still different: stays visible


def test_a_stop_on_the_hub_after_the_hand_over_is_a_conflict_not_an_overwrite(tmp_path: Path, hub_factory,
                                                                            new_hub_db) -> None:
    db_url = new_hub_db("sqlite")
    hub = hub_factory(db_url)
    c = Counter(tmp_path, 1)
    c.set_hub(hub.url, hub.add_counter(AGENCY, 1))
    (code,) = c.write(1)
    assert c.sync().returncode == 0
    assert hub_cli(db_url, "set-status", code, "stopped", "--reason", "Hồ sơ giả mạo").returncode == 0
    assert c.cli("result-ready", code).returncode == 0
    # the counter's result is refused by the hub (stopped there): rejected + conflict on both sides
    out = c.sync().json()
    assert [r["reason"] for r in out["rejected"]] == ["transition_not_allowed"]
    conflicts = c.cli("conflicts", "--json").json()
    assert {x["origin"] for x in conflicts} >= {"push"}
    assert c.cli("dossier", "show", code, "--json").json()["status"] == "result_ready"  # nothing overwritten
    # the supervisor learns the stop was a mistake and keeps the counter's state: the decision reaches the hub
    push_conflict = [x for x in conflicts if x["origin"] == "push"][0]
    assert push_conflict["hub_status"] == "stopped"
    assert c.cli("conflicts", "resolve", str(push_conflict["id"]), "--keep", "both").returncode == 2
    out = c.cli("conflicts", "resolve", str(push_conflict["id"]), "--keep", "counter", "--note", "Phòng dừng nhầm")
    assert out.returncode == 0, out.stderr
    assert "giữ trạng thái của quầy (result_ready)" in out.stdout
    assert c.cli("conflicts", "--json").json() == []
    out = c.sync().json()
    assert (out["accepted"], out["rejected"], out["conflicts"]) == (1, [], [])
    on_hub = hub_dossier(db_url, code)
    assert on_hub["status"] == "result_ready" and on_hub["events"][-1]["type"] == "resolve_conflict"
    assert json.loads(hub_cli(db_url, "conflicts", "--json", check=True).stdout) == []
    (settled,) = json.loads(hub_cli(db_url, "conflicts", "--all", "--json", check=True).stdout)
    assert settled["resolution"]["keep"] == "counter" and settled["resolution"]["status"] == "result_ready"
    assert c.outbox_count() == 0
    # the citizen comes for the result: the hand-over reaches the hub as usual
    assert c.cli("return", code).returncode == 0
    assert c.sync().json()["accepted"] == 1
    assert hub_dossier(db_url, code)["status"] == "returned"


def test_revoked_token_is_token_refused(tmp_path: Path, hub_factory, new_hub_db) -> None:
    db_url = new_hub_db("sqlite")
    hub = hub_factory(db_url)
    c = Counter(tmp_path, 1)
    c.set_hub(hub.url, hub.add_counter(AGENCY, 1))
    c.write(1)
    assert c.sync().returncode == 0
    assert hub_cli(db_url, "revoke-counter", "--agency-code", AGENCY, "--slot", "1").returncode == 0
    c.write(1)
    out = c.cli("sync")
    assert out.returncode == 1 and "token refused" in out.stderr and "Traceback" not in out.stderr
    assert c.outbox_count() == 2
    c.set_hub(hub.url, "x" * 43)  # a token the hub never issued
    assert "token refused" in c.cli("sync").stderr


def test_tls_verified_with_the_right_ca_and_refused_with_a_wrong_one(tmp_path: Path, hub_factory,
                                                                   new_hub_db) -> None:
    trustme = pytest.importorskip("trustme")
    ca, other_ca = trustme.CA(), trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    certfile, keyfile = tmp_path / "hub.pem", tmp_path / "hub.key"
    cert.private_key_and_cert_chain_pem.write_to_path(str(certfile))
    cert.private_key_pem.write_to_path(str(keyfile))
    good, bad = tmp_path / "ca.pem", tmp_path / "other-ca.pem"
    ca.cert_pem.write_to_path(str(good))
    other_ca.cert_pem.write_to_path(str(bad))
    db_url = new_hub_db("sqlite")
    hub = hub_factory(db_url, certfile=certfile, keyfile=keyfile, ca_file=good)
    token = hub.add_counter(AGENCY, 1)
    c = Counter(tmp_path, 1)
    c.write(1)
    c.set_hub(hub.url, token, bad)
    out = c.cli("sync")
    assert out.returncode == 1 and "certificate" in out.stderr.lower() and "Traceback" not in out.stderr
    assert c.outbox_count() == 2
    c.set_hub(hub.url, token)  # the system's trust store does not know the test CA either
    assert c.cli("sync").returncode == 1
    c.set_hub(hub.url, token, good)
    out = c.sync()
    assert out.returncode == 0, out.stderr
    assert out.json()["accepted"] == 2 and c.outbox_count() == 0


def test_the_counters_token_is_in_its_own_file_only(tmp_path: Path, hub_factory, new_hub_db) -> None:
    db_url = new_hub_db("sqlite")
    hub = hub_factory(db_url)
    token = hub.add_counter(AGENCY, 1)
    c = Counter(tmp_path, 1)
    c.set_hub(hub.url, token)
    shown = c.cli("hub", "show")
    assert token not in shown.stdout and token[-4:] in shown.stdout
    c.write(1)
    out = c.cli("sync")
    assert token not in out.stdout + out.stderr
    assert (c.data_dir / DB_FILENAME).exists()
    with httpx.Client() as http:  # the hub says who it is without a token
        assert http.get(f"{hub.url}/v1/health").json()["protocol"] == 1
