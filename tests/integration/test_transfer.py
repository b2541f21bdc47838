"""Transfer between levels (real `motcua-hub serve`, real `motcua`): `motcua forward CODE --to AGENCY_CODE`
syncs up, the hub lists the dossier for that agency (`dossiers --agency`), a processor of that agency
(and no third one) sets its status, and the status comes back to the receiving counter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hubproc import AGENCY, OTHER_AGENCY, hub_cli

from .counters import Counter

pytestmark = pytest.mark.slow
THIRD_AGENCY = "000.00.03.H22"


def test_forward_to_another_level_and_its_status_comes_back(tmp_path: Path, hub_db_url: str, hub_factory) -> None:
    hub = hub_factory(hub_db_url)
    counter = Counter(tmp_path, 1)
    counter.set_hub(hub.url, hub.add_counter(AGENCY, 1))
    [code, local] = counter.write(2, forward=False)
    out = counter.cli("forward", code, "--to", OTHER_AGENCY.lower(), "--json")
    assert out.returncode == 0, out.stderr
    assert counter.cli("forward", local, "--to", "Công chức Tư pháp - Hộ tịch").returncode == 0
    assert counter.sync().json()["accepted"] == 4

    other = json.loads(hub_cli(hub_db_url, "dossiers", "--agency", OTHER_AGENCY, "--json", check=True).stdout)
    assert [(d["code"], d["status"], d["processing_agency"]) for d in other] == [(code, "in_progress", OTHER_AGENCY)]
    mine = json.loads(hub_cli(hub_db_url, "dossiers", "--agency", AGENCY, "--json", check=True).stdout)
    assert sorted(d["code"] for d in mine) == sorted([code, local])  # still the receiving agency's too
    assert json.loads(hub_cli(hub_db_url, "dossiers", "--agency", THIRD_AGENCY, "--json", check=True).stdout) == []

    processor = hub.add_processor(OTHER_AGENCY, name="Sở Tư pháp")
    third = hub.add_processor(THIRD_AGENCY, name="Sở Xây dựng")
    with hub.client(third) as c:
        r = c.post(f"/v1/dossiers/{code}/status", json={"status": "result_ready"})
        assert r.status_code == 403 and r.json()["reason"] == "foreign_dossier"
    with hub.client(processor) as c:
        r = c.post(f"/v1/dossiers/{local}/status", json={"status": "result_ready"})  # not forwarded to it
        assert r.status_code == 403
        r = c.post(f"/v1/dossiers/{code}/status", json={"status": "result_ready", "due_at": "2026-12-20T10:00",
                                                         "by": "Lê Văn Xử Lý"})
        assert r.status_code == 200, r.text
        assert r.json()["event"]["payload"]["agency"] == "Sở Tư pháp"

    report = counter.sync().json()
    assert report["applied"] == 1 and report["conflicts"] == []
    shown = counter.cli("dossier", "show", code, "--json").json()
    assert shown["status"] == "result_ready"
    queue = counter.cli("queue", "--json").json()
    assert code in json.dumps(queue)
    rec = json.loads(hub_cli(hub_db_url, "export", code, "--format", "dvcqg", "--json", check=True).stdout)
    assert (rec["TrangThaiHoSo"], rec["DonViXuLy"], rec["NgayHenTra"]) == (9, "Sở Tư pháp", "20261220100000")
