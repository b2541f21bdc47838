"""The return desk commands as a real `motcua` subprocess on a real data dir."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from motcua_desktop.domain.calendar import WorkCalendar


def _init(run_cli) -> None:
    r = run_cli("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH", "--counter-slot", "2")
    assert r.returncode == 0, r.stderr


def _receive(run_cli, procedure: str, name: str, *extra: str) -> dict:
    r = run_cli("receive", "--procedure", procedure, "--name", name, "--id-number", "001088012345",
                "--provided", "all", "--json", *extra)
    assert r.returncode == 0, r.stderr
    return r.json()


def test_result_ready_queue_return_and_refused_second_return(run_cli):
    _init(run_cli)
    three_weeks_ago = (datetime.now() - timedelta(days=21)).replace(hour=9, minute=0)
    old = _receive(run_cli, "HT-04", "Phạm Thị Lan", "--at", f"{three_weeks_ago:%Y-%m-%dT%H:%M}")
    new = _receive(run_cli, "DD-03", "Trần Văn Bình")
    waiting = _receive(run_cli, "HT-05", "Lê Văn Chờ")
    for code in (new["code"], old["code"]):
        r = run_cli("result-ready", code, "--json")
        assert r.returncode == 0, r.stderr
        assert r.json()["status"] == "result_ready"

    r = run_cli("queue", "--json")
    assert r.returncode == 0, r.stderr
    queue = r.json()
    assert [q["code"] for q in queue] == [old["code"], new["code"]]  # oldest appointment first
    assert queue[0] == {"code": old["code"], "applicant": "Phạm Thị Lan",
                        "procedure": "Cấp Giấy xác nhận tình trạng hôn nhân", "due_at": old["due_at"],
                        "status": "result_ready"}
    assert waiting["code"] not in [q["code"] for q in queue]
    text = run_cli("queue")
    assert "2 hồ sơ có kết quả chờ trả: 1 quá hẹn" in text.stdout
    assert "QUÁ HẸN Phạm Thị Lan" in text.stdout

    r = run_cli("return", old["code"], "--collector-name", "Nguyễn Văn Nhận", "--collector-id", "079190000123",
                "--rating", "4", "--json")
    assert r.returncode == 0, r.stderr
    out = r.json()
    assert out["status"] == "returned" and out["rating"] == 4
    assert out["returned_to"]["name"] == "Nguyễn Văn Nhận" and out["returned_to"]["kind"] == "authorised"

    again = run_cli("return", old["code"], "--json")
    assert again.returncode == 2
    assert again.stdout == ""
    assert len(again.stderr.strip().splitlines()) == 1 and "already handed over" in again.stderr
    shown = run_cli("dossier", "show", old["code"], "--json").json()
    assert shown["status"] == "returned" and [e["type"] for e in shown["events"]].count("return") == 1
    text = run_cli("dossier", "show", old["code"]).stdout
    assert "Đã trả kết quả:" in text and "Cán bộ tiếp nhận:" in text

    r = run_cli("queue", "--json")
    assert [q["code"] for q in r.json()] == [new["code"]]


def test_apologise_keeps_the_original_due(run_cli):
    _init(run_cli)
    d = _receive(run_cli, "HT-04", "Phạm Thị Lan")
    due = datetime.fromisoformat(d["due_at"])
    new_day = WorkCalendar().next_working_day(due.date() + timedelta(days=7))
    r = run_cli("apologise", d["code"], "--new-due", new_day.isoformat(), "--reason", "Chờ xác minh nơi cư trú",
                "--json")
    assert r.returncode == 0, r.stderr
    out = r.json()
    assert out["due_at"] == f"{new_day.isoformat()}T{due:%H:%M}"
    assert out["original_due_at"] == d["due_at"]
    assert out["apology_count"] == 1
    shown = run_cli("dossier", "show", d["code"], "--json").json()
    event = shown["events"][-1]
    assert event["type"] == "apologise" and event["payload"]["reason"] == "Chờ xác minh nơi cư trú"

    bad = run_cli("apologise", d["code"], "--new-due", "01/12/2026", "--reason", "x")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    missing = run_cli("apologise", d["code"], "--new-due", new_day.isoformat(), "--reason", " ")
    assert missing.returncode == 2 and "reason" in missing.stderr


def test_stop_and_unknown_or_garbled_codes(run_cli):
    _init(run_cli)
    d = _receive(run_cli, "HT-04", "Phạm Thị Lan")
    r = run_cli("stop", d["code"], "--reason", "Không thuộc thẩm quyền", "--json")
    assert r.returncode == 0 and r.json()["status"] == "stopped"
    unknown = run_cli("result-ready", "000.00.01.H22-" + date.today().strftime("%y%m%d") + "-2999")
    assert unknown.returncode == 2 and "no dossier" in unknown.stderr
    garbled = run_cli("return", "000.00.01.H22-99")
    assert garbled.returncode == 2 and "Traceback" not in garbled.stderr


def test_a_reversed_period_and_an_overlong_recipient_are_mistakes(run_cli):
    _init(run_cli)
    code = _receive(run_cli, "HT-04", "Phạm Thị Lan")["code"]
    r = run_cli("queue", "--from", "2026-12-10", "--to", "2026-12-01", "--json")
    assert r.returncode == 2 and "Traceback" not in r.stderr and "reversed" in r.stderr
    assert run_cli("queue", "--from", "2026-12-01", "--to", "2026-12-01", "--json").returncode == 0
    r = run_cli("forward", code, "--to", "x" * 100_000)
    assert r.returncode == 2 and "200" in r.stderr and "Traceback" not in r.stderr
    shown = run_cli("dossier", "show", code, "--json").json()
    assert shown["status"] == "received" and [e["type"] for e in shown["events"]] == ["intake"]
