"""The `motcua` command as a user runs it: a real subprocess on a temporary data dir."""

from __future__ import annotations

import json
from pathlib import Path

from motcua_desktop.paths import sample_catalogue


def init(run_cli) -> None:
    r = run_cli("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH", "--counter-slot", "2")
    assert r.returncode == 0, r.stderr


def test_search_lists_dang_ky_ket_hon_first(run_cli) -> None:
    init(run_cli)
    r = run_cli("catalog", "search", "dang ky ket hon", "--json")
    assert r.returncode == 0, r.stderr
    rows = r.json()
    assert rows[0] == {"code": "HT-02", "name": "Đăng ký kết hôn (trong nước)", "field": "Hộ tịch",
                       "processing_time": "Trong ngày (nhận trước 15:00)"}
    assert all(set(row) == {"code", "name", "field", "processing_time"} for row in rows)


def test_search_limit_and_hostile_query(run_cli) -> None:
    init(run_cli)
    assert len(run_cli("catalog", "search", "dang ky", "--limit", "3", "--json").json()) == 3
    r = run_cli("catalog", "search", '" NEAR( * AND -- 😀', "--json")
    assert r.returncode == 0 and r.json() == []


def test_data_dir_flag_after_subcommand(run_cli, tmp_path: Path) -> None:
    other = tmp_path / "other"
    r = run_cli("init", "--data-dir", str(other), "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ A")
    assert r.returncode == 0, r.stderr
    assert (other / "motcua.sqlite3").exists()


def test_bad_catalogue_exits_2_with_every_problem_and_changes_nothing(run_cli, tmp_path: Path) -> None:
    init(run_cli)
    data = json.loads(sample_catalogue().read_text(encoding="utf-8"))
    data["procedures"][0]["processing_time"]["unit"] = "fortnights"
    data["procedures"][1]["name_vi"] = ""
    data["procedures"][2]["name_vi"] = "Tên mới hợp lệ"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = run_cli("catalog", "import", str(bad))
    assert r.returncode == 2
    assert "HT-01: processing_time.unit" in r.stderr and "HT-02: name_vi" in r.stderr
    assert "Traceback" not in r.stderr
    assert run_cli("catalog", "search", "ten moi hop le", "--json").json() == []


def test_import_dry_run_and_versions(run_cli, tmp_path: Path) -> None:
    init(run_cli)
    data = json.loads(sample_catalogue().read_text(encoding="utf-8"))
    data["procedures"][3]["processing_time"]["value"] = 4
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    dry = run_cli("catalog", "import", str(changed), "--dry-run", "--json").json()
    assert dry == {"procedures": 40, "added": 0, "updated": 1, "unchanged": 39, "dry_run": True}
    assert run_cli("catalog", "show", "HT-04", "--json").json()["processing_time"]["value"] == 3
    real = run_cli("catalog", "import", str(changed), "--json").json()
    assert real["updated"] == 1
    assert run_cli("catalog", "show", "HT-04", "--json").json()["processing_time"]["value"] == 4


def test_user_mistakes_exit_2_without_traceback(run_cli) -> None:
    r = run_cli("init", "--agency-code", "H22", "--agency-name", "X")
    assert r.returncode == 2 and "QCVN" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("catalog", "import", "/nonexistent/file.json")
    assert r.returncode == 2 and "not found" in r.stderr
    r = run_cli("catalog", "frobnicate")
    assert r.returncode == 2


def test_uninitialised_data_dir_exits_1_with_hint(run_cli) -> None:
    r = run_cli("catalog", "search", "khai sinh")
    assert r.returncode == 1 and "motcua init" in r.stderr


def test_init_derives_the_place_line_from_the_agency_name(run_cli) -> None:
    init(run_cli)
    assert run_cli("settings", "--json").json()["place_name"] == "Hòa Bình"


def test_settings_command_is_all_or_nothing(run_cli) -> None:
    init(run_cli)
    r = run_cli("settings", "clerk_name=Lê Thu Hà", "counter_slot=12")
    assert r.returncode == 2 and "counter_slot" in r.stderr
    assert run_cli("settings", "--json").json()["clerk_name"] == "Cán bộ tiếp nhận"
    r = run_cli("settings", "clerk_name=Lê Thu Hà", "office_hours=07:00-11:00,13:00-16:30", "--json")
    assert r.returncode == 0, r.stderr
    assert r.json()["clerk_name"] == "Lê Thu Hà" and r.json()["office_hours"] == "07:00-11:00,13:00-16:30"
