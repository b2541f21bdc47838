"""`motcua-hub` as a user runs it: set-status, dossiers/dossier JSON shapes, counters, mistakes."""

from __future__ import annotations

import json
import subprocess
import sys

from hubproc import AGENCY, OTHER_AGENCY, HubProcess, dossier_code, forward_event, hub_cli, intake_event, sent_at


def no_traceback(p: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in p.stderr, p.stderr
    assert len(p.stderr.strip().splitlines()) <= 1, p.stderr


def test_set_status_cli_dossiers_and_dossier(hub: HubProcess):
    token = hub.add_counter(name="Quầy 1")
    hub_cli(hub.db_url, "add-counter", "--agency-code", OTHER_AGENCY, "--slot", "1", check=True)
    a, b = dossier_code(1, 1), dossier_code(1, 2)
    with hub.client(token) as c:
        r = c.post("/v1/events", json={"sent_at": sent_at(), "events": [intake_event(a), forward_event(a),
                                                                        intake_event(b, status="supplement_requested")]})
        assert [x["result"] for x in r.json()["results"]] == ["accepted"] * 3
    p = hub_cli(hub.db_url, "set-status", a, "result_ready", "--new-due", "2026-12-09T10:00", "--reason", "Xong",
                "--by", "Trần Văn Xử Lý", "--json")
    assert p.returncode == 0, p.stderr
    ev = json.loads(p.stdout)["event"]
    assert ev["type"] == "hub_status" and ev["dossier_code"] == a and ev["seq"] == 3
    assert ev["payload"] == {"status": "result_ready", "due_at": "2026-12-09T10:00", "reason": "Xong",
                             "by": "Trần Văn Xử Lý"}
    # The counter pulls it like any other change.
    with hub.client(token) as c:
        assert [ch["event"]["id"] for ch in c.get("/v1/changes").json()["changes"]] == [ev["id"]]

    rows = json.loads(hub_cli(hub.db_url, "dossiers", "--json").stdout)
    assert rows == [
        {"code": a, "status": "result_ready", "procedure": "HT-04", "applicant": "Nguyễn Văn An",
         "received_at": "2026-12-03T09:15", "due_at": "2026-12-09T10:00", "counter": f"{AGENCY}/1", "processing_agency": None},
        {"code": b, "status": "supplement_requested", "procedure": "HT-04", "applicant": "Nguyễn Văn An",
         "received_at": None, "due_at": None, "counter": f"{AGENCY}/1", "processing_agency": None},
    ]
    assert [r["code"] for r in json.loads(hub_cli(hub.db_url, "dossiers", "--status", "result_ready",
                                                  "--json").stdout)] == [a]
    assert json.loads(hub_cli(hub.db_url, "dossiers", "--agency", OTHER_AGENCY, "--json").stdout) == []
    assert a in hub_cli(hub.db_url, "dossiers").stdout

    d = json.loads(hub_cli(hub.db_url, "dossier", a, "--json").stdout)
    assert {k: d[k] for k in ("code", "status", "procedure", "applicant", "received_at", "due_at", "counter",
                                  "processing_agency")} == rows[0]
    assert [(e["type"], e["seq"], e["origin"]) for e in d["events"]] == [
        ("intake", 1, "counter"), ("forward", 2, "counter"), ("hub_status", 3, "hub")]
    assert d["events"][2]["id"] == ev["id"] and d["conflicts"] == []
    text = hub_cli(hub.db_url, "dossier", a).stdout
    assert "hub_status" in text and "result_ready" in text

    counters = json.loads(hub_cli(hub.db_url, "counters", "--json").stdout)
    mine = [x for x in counters if x["agency_code"] == AGENCY][0]
    assert mine["name"] == "Quầy 1" and mine["events_received"] == 3 and mine["active"] is True
    assert isinstance(mine["clock_skew_s"], int) and abs(mine["clock_skew_s"]) <= 5
    assert "Quầy 1" in hub_cli(hub.db_url, "counters").stdout

    # Mistakes: one line, exit 2, nothing changed.
    for args in (["set-status", dossier_code(1, 9), "in_progress"],  # the hub has no such dossier
                 ["set-status", "not-a-code", "in_progress"],
                 ["set-status", a, "in_progress"],  # result_ready → in_progress: not a move
                 ["set-status", a, "returned"],  # not a status the processing side sets
                 ["set-status", a, "stopped", "--new-due", "2026-13-01T10:00"],
                 ["dossier", dossier_code(1, 9)],
                 ["add-counter", "--agency-code", AGENCY, "--slot", "1"],  # already registered
                 ["add-counter", "--agency-code", "H22", "--slot", "1"],
                 ["add-counter", "--agency-code", AGENCY, "--slot", "12"],
                 ["add-counter", "--agency-code", AGENCY, "--slot", "x"],
                 ["revoke-counter", "--agency-code", AGENCY, "--slot", "7"],
                 ["frobnicate"]):
        p = hub_cli(hub.db_url, *args)
        assert p.returncode == 2, (args, p.returncode, p.stderr)
        no_traceback(p)
        assert p.stderr.startswith("motcua-hub: "), p.stderr
    assert json.loads(hub_cli(hub.db_url, "dossier", a, "--json").stdout)["status"] == "result_ready"


def test_processor_tokens_cli(hub: HubProcess):
    token = hub.add_processor(name="UBND xã")
    assert len(token) >= 43
    p = hub_cli(hub.db_url, "add-processor", "--agency-code", AGENCY, "--name", "UBND xã")
    assert p.returncode == 2 and "already" in p.stderr
    assert hub_cli(hub.db_url, "revoke-processor", "--agency-code", AGENCY, "--name", "UBND xã").returncode == 0
    with hub.client(token) as c:
        assert c.post(f"/v1/dossiers/{dossier_code(1, 1)}/status", json={"status": "stopped"}).status_code == 401
    p = hub_cli(hub.db_url, "add-counter", "--agency-code", AGENCY, "--slot", "3", "--json")
    out = json.loads(p.stdout)
    assert out["slot"] == 3 and len(out["token"]) >= 43


def test_environment_problems_exit_1(tmp_path):
    for url in ("postgresql+psycopg://hub@127.0.0.1:1/hub",):  # nobody listens on port 1
        p = hub_cli(url, "counters")
        assert p.returncode == 1 and "cannot use the database" in p.stderr, p.stderr
        no_traceback(p)
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    p = hub_cli(fresh, "counters")  # not migrated
    assert p.returncode == 1 and "motcua-hub migrate" in p.stderr
    no_traceback(p)
    for url in ("mysql://x/y", "nonsense", f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.sqlite3'}"):
        p = hub_cli(url, "migrate")
        assert p.returncode == 2, (url, p.stderr)
        no_traceback(p)
    # $MOTCUA_HUB_DB is the default for --db.
    env_url = f"sqlite:///{tmp_path / 'env.sqlite3'}"
    p = subprocess.run([sys.executable, "-m", "motcua_desktop.hub", "migrate"], capture_output=True, text=True,
                       env={**__import__("os").environ, "MOTCUA_HUB_DB": env_url})
    assert p.returncode == 0 and (tmp_path / "env.sqlite3").exists(), p.stderr
