"""The province's catalogue and calendar from the hub (real `motcua-hub serve`, real `motcua sync`):
`motcua-hub publish-catalog|publish-calendar FILE` validates the whole file (the counter's own parsers)
and stores a numbered version; the counter's sync cycle pulls the newest and applies it in one
transaction; dossiers already received keep their snapshot and their appointment; `motcua hub show`
says which version is in force and where it came from; a local import stays possible, marked local."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from hubproc import AGENCY, hub_cli
from motcua_desktop import paths
from motcua_desktop.services import calendar, catalog
from motcua_desktop.services.context import open_context

from .counters import CITIZEN, Counter

pytestmark = pytest.mark.slow

MONDAY = datetime(2026, 12, 7, 9, 0)


def catalogue_file(folder: Path, name: str, *, new_name: str, extra_code: str | None = None) -> Path:
    data = json.loads(paths.sample_catalogue().read_text(encoding="utf-8"))
    for p in data["procedures"]:
        if p["id"] == "HT-04":
            p["name_vi"] = new_name
            p["processing_time"] = {"value": 5, "unit": "working_days", "status": "confirmed"}
    if extra_code:
        data["procedures"].append({**data["procedures"][0], "id": extra_code,
                                   "name_vi": "Chứng thực chữ ký người dịch tỉnh ban hành", "national_code": None})
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def dossier_row(counter: Counter, code: str) -> dict:
    conn = counter.db()
    try:
        name, due = conn.execute("SELECT json_extract(procedure_snapshot, '$.name'), due_at FROM dossiers "
                                 "WHERE code = ?", (code,)).fetchone()
    finally:
        conn.close()
    return {"name": name, "due_at": due}


def test_catalogue_and_calendar_from_the_hub(tmp_path: Path, hub_db_url: str, hub_factory) -> None:
    hub = hub_factory(hub_db_url)
    counter = Counter(tmp_path, 1)
    counter.set_hub(hub.url, hub.add_counter(AGENCY, 1))
    shown = counter.cli("hub", "show", "--json").json()
    assert shown["catalog"]["source"] == "local" and shown["catalog"]["label"] == "sample_procedures.json"
    assert shown["calendar"]["source"] is None
    [old] = counter.write(1, forward=False, day=MONDAY)
    before = dossier_row(counter, old)
    assert before["name"] == "Cấp Giấy xác nhận tình trạng hôn nhân" and before["due_at"].startswith("2026-12-10")

    # Nothing published yet: a sync applies nothing.
    report = counter.sync().json()
    assert (report["catalog"], report["calendar"], report["published_errors"]) == (None, None, [])

    # A file with a problem publishes nothing (all or nothing), and says where.
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"procedures": [{"id": "HT-04", "name_vi": "x"}, {"id": "a b"}]}), encoding="utf-8")
    p = hub_cli(hub_db_url, "publish-catalog", str(bad))
    assert p.returncode == 2 and "nothing published" in p.stderr and "field_vi" in p.stdout, (p.stdout, p.stderr)
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("2026-12-08,off,Nghỉ\n2026-13-01,off,x\n", encoding="utf-8")
    p = hub_cli(hub_db_url, "publish-calendar", str(bad_csv))
    assert p.returncode == 2 and "dòng 2" in p.stdout
    assert json.loads(hub_cli(hub_db_url, "publications", "--json", check=True).stdout) == []

    v1 = catalogue_file(tmp_path, "tinh-v1.json", new_name="Cấp Giấy xác nhận tình trạng hôn nhân (mẫu mới)",
                        extra_code="TINH-01")
    out = json.loads(hub_cli(hub_db_url, "publish-catalog", str(v1), "--json", check=True).stdout)
    assert (out["published"], out["version"], out["items"]) == (True, 1, 41)
    cal = tmp_path / "lich-2026.csv"
    cal.write_text("date,kind,note\n2026-12-08,off,Nghỉ theo quyết định của tỉnh\n2026-12-19,work,Làm bù\n",
                   encoding="utf-8")
    assert "calendar v1 published: 2 days" in hub_cli(hub_db_url, "publish-calendar", str(cal), check=True).stdout

    run = counter.sync()
    assert run.returncode == 0, run.stderr
    report = run.json()
    assert report["catalog"]["version"] == 1 and report["catalog"]["procedures"] == 41
    assert (report["catalog"]["added"], report["catalog"]["updated"]) == (1, 1)
    assert report["calendar"]["version"] == 1 and report["calendar"]["days"] == 2
    # The new procedure is found; the dossier received before keeps its snapshot and its appointment.
    found = counter.cli("catalog", "search", "chu ky nguoi dich tinh", "--json").json()
    assert found and found[0]["code"] == "TINH-01"
    assert dossier_row(counter, old) == before
    shown = counter.cli("hub", "show", "--json").json()
    assert {k: shown["catalog"][k] for k in ("source", "label", "hub_version")} == \
        {"source": "hub", "label": "hub v1", "hub_version": 1}
    assert {k: shown["calendar"][k] for k in ("source", "label", "hub_version")} == \
        {"source": "hub", "label": "hub v1", "hub_version": 1}
    text = counter.cli("hub", "show").stdout
    assert "Danh mục thủ tục: hub v1 (từ hub" in text and "Lịch ngày nghỉ/làm bù: hub v1" in text
    # A dossier received now: the new version and the new calendar (Tuesday is off: 5 working days
    # from Monday is the Tuesday after next).
    ctx = open_context(counter.data_dir, create=False)
    try:
        due = calendar.due_date(ctx, "HT-04", MONDAY)
        assert due is not None and due.date().isoformat() == "2026-12-15"
        assert catalog.procedure(ctx, "HT-04")[1].name.endswith("(mẫu mới)")
        days = {d.day.isoformat(): d.kind for d in calendar.special_days(ctx, 2026) if d.source == "override"}
        assert days == {"2026-12-08": "off", "2026-12-19": "work"}
    finally:
        ctx.close()

    # Nothing newer: the next cycle applies nothing.
    report = counter.sync().json()
    assert (report["catalog"], report["calendar"]) == (None, None)

    # A local import stays possible and is marked local (the hub version stays known).
    local = catalogue_file(tmp_path, "tai-quay.json", new_name="Xác nhận tình trạng hôn nhân (tại quầy)")
    assert counter.cli("catalog", "import", str(local)).returncode == 0
    shown = counter.cli("hub", "show", "--json").json()
    assert {k: shown["catalog"][k] for k in ("source", "label", "hub_version")} == \
        {"source": "local", "label": "tai-quay.json", "hub_version": 1}
    assert "nhập tại quầy (tai-quay.json" in counter.cli("hub", "show").stdout

    # Version 2 of each: the catalogue replaces the local one again; a day v2 drops goes.
    v2 = catalogue_file(tmp_path, "tinh-v2.json", new_name="Cấp Giấy xác nhận tình trạng hôn nhân (v2)",
                        extra_code="TINH-01")
    assert "catalog v2 published" in hub_cli(hub_db_url, "publish-catalog", str(v2), check=True).stdout
    cal.write_text("date,kind,note\n2026-12-19,work,Làm bù\n2026-12-31,off,Nghỉ cuối năm\n", encoding="utf-8")
    assert "calendar v2 published" in hub_cli(hub_db_url, "publish-calendar", str(cal), check=True).stdout
    report = counter.sync().json()
    assert report["catalog"]["version"] == 2 and report["calendar"] == {
        "version": 2, "days": 2, "removed": 1, "sha256": report["calendar"]["sha256"]}
    ctx = open_context(counter.data_dir, create=False)
    try:
        assert catalog.procedure(ctx, "HT-04")[1].name.endswith("(v2)")
        days = {d.day.isoformat(): d.kind for d in calendar.special_days(ctx, 2026) if d.source == "override"}
        assert days == {"2026-12-19": "work", "2026-12-31": "off"}
    finally:
        ctx.close()
    assert dossier_row(counter, old) == before  # still: the snapshot and the appointment it was given
    shown = counter.cli("hub", "show", "--json").json()
    assert (shown["catalog"]["label"], shown["calendar"]["label"]) == ("hub v2", "hub v2")
    listed = json.loads(hub_cli(hub_db_url, "publications", "--json", check=True).stdout)
    assert [(r["kind"], r["version"]) for r in listed] == [("calendar", 1), ("calendar", 2), ("catalog", 1),
                                                           ("catalog", 2)]
