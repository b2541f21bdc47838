"""`motcua-hub export --format dvcqg` on a real hub (SQLite and PostgreSQL): the dataset of
tests/dvcqg_dataset.py pushed by a counter, the hub statuses set by a processor; every record the CLI
prints validates against docs/dvcqg.schema.json and equals the pure mapping of the same history."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from dvcqg_dataset import EXPECTED_STATUS, code, dataset
from hubproc import HubProcess, hub_cli, sent_at
from motcua_desktop.domain import dvcqg
from motcua_desktop.domain.events import Event

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "dvcqg.schema.json").read_text(encoding="utf-8"))


def load(hub: HubProcess) -> dict[str, list[dict]]:
    token = hub.add_counter()
    proc = hub.add_processor(name="Phòng Tư pháp")
    stored: dict[str, list[dict]] = {}
    with hub.client(token) as counter, hub.client(proc) as processor:
        for c, evs in dataset().items():
            stored[c] = []
            pending: list[dict] = []
            for e in evs + [None]:  # type: ignore[operator]
                if e is not None and e["type"] != "hub_status":
                    pending.append(e)
                    continue
                if pending:
                    r = counter.post("/v1/events", json={"sent_at": sent_at(), "events": pending})
                    assert [x["result"] for x in r.json()["results"]] == ["accepted"] * len(pending), r.text
                    stored[c] += pending
                    pending = []
                if e is not None:
                    body = {k: v for k, v in e["payload"].items() if k != "agency"}
                    r = processor.post(f"/v1/dossiers/{c}/status", json=body)
                    assert r.status_code == 200, r.text
                    stored[c].append(r.json()["event"])
    return stored


def test_export_every_status(hub: HubProcess):
    stored = load(hub)
    for c, evs in stored.items():
        p = hub_cli(hub.db_url, "export", c, "--format", "dvcqg", "--json")
        assert p.returncode == 0, p.stderr
        rec = json.loads(p.stdout)
        jsonschema.validate(rec, SCHEMA)
        assert rec == dvcqg.record([Event.from_wire(e) for e in evs], agency_code="000.00.01.H22")
        assert rec["TrangThaiHoSo"] == EXPECTED_STATUS[c]
    # Values that went through the hub: its processor's name and its appointment.
    r8 = json.loads(hub_cli(hub.db_url, "export", code(8), "--format", "dvcqg", "--json").stdout)
    assert (r8["DonViXuLy"], r8["NgayHenTra"], r8["TrangThaiHoSo"]) == ("Phòng Tư pháp", "20261211103000", 8)
    text = hub_cli(hub.db_url, "export", code(4), "--format", "dvcqg").stdout
    assert "TrangThaiHoSo: 10" in text and "NgayTra: 20261208164505" in text

    # --since: every dossier the hub changed since then, one JSON record per line (or an array with --json).
    p = hub_cli(hub.db_url, "export", "--since", "2020-01-01T00:00", "--format", "dvcqg")
    assert p.returncode == 0, p.stderr
    lines = [json.loads(x) for x in p.stdout.splitlines()]
    assert sorted(r["MaHoSo"] for r in lines) == sorted(stored)
    for r in lines:
        jsonschema.validate(r, SCHEMA)
    arr = json.loads(hub_cli(hub.db_url, "export", "--since", "2020-01-01T00:00:00+07:00", "--format", "dvcqg",
                             "--json").stdout)
    assert arr == lines
    assert json.loads(hub_cli(hub.db_url, "export", "--since", "2100-01-01T00:00", "--format", "dvcqg",
                              "--json").stdout) == []


def test_export_mistakes(hub: HubProcess):
    p = hub_cli(hub.db_url, "export", code(1), "--format", "dvcqg")
    assert p.returncode == 2 and "no dossier" in p.stderr and "Traceback" not in p.stderr
    for args in (["export", "--format", "dvcqg"], ["export", code(1), "--since", "2026-12-01T00:00", "--format", "dvcqg"],
                 ["export", code(1)], ["export", "--since", "hôm qua", "--format", "dvcqg"]):
        p = hub_cli(hub.db_url, *args)
        assert p.returncode == 2, (args, p.stderr)
        assert "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1
