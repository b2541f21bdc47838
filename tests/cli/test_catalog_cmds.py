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


def _procedure(code: str, name: str = "Thủ tục thử", documents: int = 1) -> dict:
    return {"id": code, "name_vi": name, "field_vi": "Thử nghiệm",
            "processing_time": {"unit": "working_days", "value": 3},
            "documents": [{"name_vi": f"Giấy tờ {i}", "originals": 1, "copies": 0} for i in range(documents)]}


def _catalogue(tmp_path: Path, name: str, *procedures: dict) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"procedures": list(procedures)}, ensure_ascii=False), encoding="utf-8")
    return path


def test_codes_that_differ_only_in_case_are_one_code(run_cli, tmp_path: Path) -> None:
    init(run_cli)
    r = run_cli("catalog", "import", str(_catalogue(tmp_path, "both.json", _procedure("ZZ-01"), _procedure("zz-01"))))
    assert r.returncode == 2 and "zz-01: id" in r.stderr and "ZZ-01" in r.stderr and "Traceback" not in r.stderr
    assert run_cli("catalog", "show", "ZZ-01").returncode == 2  # nothing of the file was imported
    assert run_cli("catalog", "import", str(_catalogue(tmp_path, "one.json", _procedure("ZZ-01")))).returncode == 0
    for dry in ((), ("--dry-run",)):
        r = run_cli("catalog", "import", str(_catalogue(tmp_path, "lower.json", _procedure("zz-01", "Tên khác"))), *dry)
        assert r.returncode == 2 and "ZZ-01" in r.stderr and "Traceback" not in r.stderr
    # Lookup is case-insensitive, and finds the one procedure.
    for typed in ("ZZ-01", "zz-01", "Zz-01"):
        r = run_cli("catalog", "show", typed, "--json")
        assert r.returncode == 0 and r.json()["code"] == "ZZ-01" and r.json()["name"] == "Thủ tục thử"


def test_catalogue_text_and_documents_over_their_limits_change_nothing(run_cli, tmp_path: Path) -> None:
    init(run_cli)
    for name, proc, named in (
        ("huge-name.json", _procedure("ZZ-02", "Đăng ký " * 125_000), "500"),
        ("many-docs.json", _procedure("ZZ-03", documents=10_000), "100"),
        ("long-doc.json", {**_procedure("ZZ-04"), "documents": [{"name_vi": "x" * 501}]}, "500"),
        ("long-field.json", {**_procedure("ZZ-05"), "field_vi": "x" * 201}, "200"),
    ):
        r = run_cli("catalog", "import", str(_catalogue(tmp_path, name, proc)))
        assert r.returncode == 2 and named in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert proc["id"] in r.stderr
    for code in ("ZZ-02", "ZZ-03", "ZZ-04", "ZZ-05"):
        assert run_cli("catalog", "show", code).returncode == 2  # not imported
    r = run_cli("catalog", "import", str(_catalogue(tmp_path, "ok.json", _procedure("ZZ-06", documents=100))))
    assert r.returncode == 0, r.stderr


def test_settings_values_over_their_limits_change_nothing(run_cli) -> None:
    init(run_cli)
    before = run_cli("settings", "--json").json()
    for key, limit in (("clerk_name", 100), ("agency_name", 200), ("place_name", 100), ("contact_phone", 50)):
        r = run_cli("settings", f"{key}={'x' * 100_000}")
        assert r.returncode == 2 and key in r.stderr and str(limit) in r.stderr and "Traceback" not in r.stderr
    r = run_cli("settings", "print_defaults=" + json.dumps({"receipt": {"printer": "p" * 5000}}))
    assert r.returncode == 2 and "200" in r.stderr
    assert run_cli("settings", "--json").json() == before
