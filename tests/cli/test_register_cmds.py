"""`motcua dossiers|correct|void` as a real subprocess; the reprinted receipt read with pdftotext."""

from __future__ import annotations

from pathlib import Path

from pdf_checks import flat, pdf_text


def _init(run_cli) -> None:
    r = run_cli("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH")
    assert r.returncode == 0, r.stderr


def _receive(run_cli, name: str, id_number: str, provided: str = "all") -> dict:
    r = run_cli("receive", "--procedure", "HT-04", "--name", name, "--id-number", id_number,
                "--phone", "0912345678", "--provided", provided, "--json")
    assert r.returncode == 0, r.stderr
    return r.json()


def test_dossiers_finds_by_unaccented_name_code_digits_and_status(run_cli):
    _init(run_cli)
    binh = _receive(run_cli, "Trần Văn Bình", "001088012345")
    lan = _receive(run_cli, "Phạm Thị Lan", "001088099999", "none")
    r = run_cli("dossiers", "--json")
    assert r.returncode == 0, r.stderr
    rows = r.json()
    assert [d["code"] for d in rows] == [lan["code"], binh["code"]]  # newest first
    assert set(rows[0]) >= {"code", "status", "procedure", "applicant", "received_at", "due_at"}
    assert rows[1]["applicant"] == "Trần Văn Bình" and rows[1]["due_at"] == binh["due_at"]
    found = run_cli("dossiers", "--find", "tran van binh", "--json").json()
    assert [d["code"] for d in found] == [binh["code"]]
    found = run_cli("dossiers", "--find", binh["code"][-4:], "--json").json()
    assert [d["code"] for d in found] == [binh["code"]]
    found = run_cli("dossiers", "--status", "supplement_requested", "--json").json()
    assert [d["code"] for d in found] == [lan["code"]]
    found = run_cli("dossiers", "--today", "--limit", "1", "--json").json()
    assert [d["code"] for d in found] == [lan["code"]]
    r = run_cli("dossiers", "--from", "2026-13-01")
    assert r.returncode == 2 and "YYYY-MM-DD" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("dossiers", "--find", "binh")
    assert r.returncode == 0 and "Trần Văn Bình" in r.stdout


def test_correct_then_reprinted_receipt_shows_the_new_number_and_replaces_the_old(run_cli, tmp_path: Path):
    _init(run_cli)
    d = _receive(run_cli, "Trần Văn Bình", "001088012345")
    first = tmp_path / "first.pdf"
    assert run_cli("slip", "receipt", d["code"], "-o", str(first)).returncode == 0
    r = run_cli("correct", d["code"], "--id-number", "001088012346", "--reason", "gõ nhầm một chữ số", "--json")
    assert r.returncode == 0, r.stderr
    shown = r.json()
    assert shown["applicant"]["id_number"] == "001088012346"
    event = shown["events"][-1]
    assert event["type"] == "correct"
    assert event["payload"]["old"] == {"id_number": "001088012345"}
    assert event["payload"]["new"] == {"id_number": "001088012346"}
    second = tmp_path / "second.pdf"
    assert run_cli("slip", "receipt", d["code"], "-o", str(second)).returncode == 0
    text = flat(pdf_text(second.read_bytes()))
    assert "001088012346" in text and "001088012345" not in text
    assert "thay thế phiếu đã cấp trước đó" in text and "gõ nhầm một chữ số" in text
    assert "thay thế" not in flat(pdf_text(first.read_bytes()))
    r = run_cli("correct", d["code"], "--reason", "x")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = run_cli("audit", "--json")
    assert r.returncode == 0 and "dossier.correct" in r.stdout


def test_void_leaves_the_dossier_as_voided_and_its_code_is_never_reused(run_cli):
    _init(run_cli)
    d = _receive(run_cli, "Trần Văn Bình", "001088012345")
    r = run_cli("void", d["code"], "--reason", "nhập nhầm thủ tục", "--json")
    assert r.returncode == 0, r.stderr
    assert r.json()["status"] == "voided" and r.json()["status_code"] is None
    r = run_cli("dossier", "show", d["code"], "--json")
    assert r.json()["status"] == "voided"
    again = _receive(run_cli, "Trần Văn Bình", "001088012345")
    assert again["code"] != d["code"]
    assert [x["code"] for x in run_cli("dossiers", "--status", "voided", "--json").json()] == [d["code"]]
    r = run_cli("void", d["code"], "--reason", "x")
    assert r.returncode == 2 and "already voided" in r.stderr
    r = run_cli("void", again["code"])
    assert r.returncode == 2  # --reason is required
    assert run_cli("forward", again["code"]).returncode == 0
    r = run_cli("void", again["code"], "--reason", "x")
    assert r.returncode == 2 and "never forwarded" in r.stderr


def test_gui_without_a_display_says_so_clearly(run_cli):
    """No DISPLAY: Qt used to abort with a core dump and a misleading 'libxcb-cursor0 is needed'."""
    r = run_cli("gui", "--demo", env={"QT_QPA_PLATFORM": "", "DISPLAY": "", "WAYLAND_DISPLAY": ""})
    assert r.returncode == 1
    assert "no display" in r.stderr and "DISPLAY" in r.stderr
    assert "Traceback" not in r.stderr and "core dumped" not in r.stderr and "xcb-cursor" not in r.stderr
