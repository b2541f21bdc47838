"""QA pass over the `motcua` command: the mistakes a clerk or an administrator really makes.

Each test runs the real command on a real data dir and checks what the user sees: exit status 2 and
one line on stderr for bad input (no traceback), exit 1 for the environment, and nothing changed.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from pathlib import Path

import pytest

INIT = ("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH", "--counter-slot", "1")
APPLICANT = ("--name", "Nguyễn Văn An", "--id-number", "001099012345")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def user_mistake(r) -> None:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def dossier_count(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "motcua.sqlite3") as db:
        return db.execute("SELECT count(*) FROM dossiers").fetchone()[0]


@pytest.fixture
def counter(run_cli):
    assert run_cli(*INIT).returncode == 0
    return run_cli


# --- dates a clerk mistypes -------------------------------------------------------------------------

@pytest.mark.parametrize("when", ["9999-12-31T10:00", "0001-01-01T10:00", "1899-05-01T10:00"])
def test_due_date_with_an_absurd_year_is_a_user_mistake(counter, when) -> None:
    user_mistake(counter("due-date", "HT-04", "--received", when, "--json"))


def test_apology_to_year_9999_is_refused_and_keeps_the_appointment(counter, data_dir) -> None:
    code = counter("receive", "--procedure", "HT-04", *APPLICANT, "--json").json()["code"]
    assert counter("forward", code).returncode == 0
    before = counter("dossier", "show", code, "--json").json()["due_at"]
    user_mistake(counter("apologise", code, "--new-due", "9999-12-31", "--reason", "Chờ xác minh"))
    user_mistake(counter("apologise", code, "--new-due", "9999-12-31T10:00", "--reason", "Chờ xác minh"))
    assert counter("dossier", "show", code, "--json").json()["due_at"] == before


def test_calendar_day_with_an_absurd_year_is_a_user_mistake(counter, data_dir) -> None:
    user_mistake(counter("calendar", "add-day-off", "9999-12-31"))
    user_mistake(counter("calendar", "add-working-day", "0001-01-01"))
    with sqlite3.connect(data_dir / "motcua.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM calendar_overrides").fetchone()[0] == 0


def test_queue_to_year_9999_is_a_user_mistake_not_an_overflow(counter) -> None:
    user_mistake(counter("queue", "--from", "2026-01-01", "--to", "9999-12-31"))


@pytest.mark.parametrize("year", ["0", "-5", "99999"])
def test_calendar_list_of_an_absurd_year_is_a_user_mistake(counter, year) -> None:
    user_mistake(counter("calendar", "list", "--year", year))


# --- set-up --------------------------------------------------------------------------------------------

def test_failed_init_leaves_no_half_counter_behind(run_cli, data_dir) -> None:
    user_mistake(run_cli("init", "--agency-code", "bad", "--agency-name", "UBND XÃ A"))
    user_mistake(run_cli("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ A", "--counter-slot", "12"))
    assert not (data_dir / "motcua.sqlite3").exists()
    r = run_cli("catalog", "search", "khai sinh")
    assert r.returncode == 1 and "motcua init" in r.stderr


def test_an_empty_database_file_is_not_a_counter(run_cli, data_dir) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "motcua.sqlite3").write_bytes(b"")
    r = run_cli("settings", "--json")
    assert r.returncode == 1 and "motcua init" in r.stderr and "Traceback" not in r.stderr


def test_init_again_with_another_identity_is_refused(counter) -> None:
    r = counter("init", "--agency-code", "000.00.02.H22", "--agency-name", "UBND XÃ KHÁC")
    user_mistake(r)
    assert "settings" in r.stderr
    s = counter("settings", "--json").json()
    assert (s["agency_code"], s["agency_name"]) == ("000.00.01.H22", "UBND XÃ HÒA BÌNH")
    assert counter(*INIT).returncode == 0  # the same identity again is harmless


def test_settings_text_is_stored_nfc(counter) -> None:
    r = counter("settings", f"clerk_name={nfd('Lê Thu Hà')}", f"agency_name={nfd('UBND XÃ HÒA BÌNH')}", "--json")
    assert r.returncode == 0, r.stderr
    assert r.json()["clerk_name"] == unicodedata.normalize("NFC", "Lê Thu Hà")
    assert r.json()["agency_name"] == "UBND XÃ HÒA BÌNH"


def test_init_with_an_nfd_agency_name_stores_nfc_and_derives_the_place(run_cli) -> None:
    r = run_cli("init", "--agency-code", "000.00.01.H22", "--agency-name", nfd("UBND XÃ HÒA BÌNH"))
    assert r.returncode == 0, r.stderr
    s = run_cli("settings", "--json").json()
    assert s["agency_name"] == "UBND XÃ HÒA BÌNH" and s["place_name"] == "Hòa Bình"


# --- catalogue ---------------------------------------------------------------------------------------

def test_procedure_code_in_lowercase_is_found(counter) -> None:
    assert counter("catalog", "show", "ht-04", "--json").json()["code"] == "HT-04"
    assert counter("due-date", " ht-04 ", "--received", "2026-11-23T15:30", "--json").json() == {
        "due_at": "2026-11-27T15:30"}
    r = counter("receive", "--procedure", "ht-04", *APPLICANT, "--json")
    assert r.returncode == 0, r.stderr


def test_deeply_nested_catalogue_is_a_bad_file_not_a_crash(counter, tmp_path) -> None:
    f = tmp_path / "deep.json"
    f.write_text("[" * 100_000 + "]" * 100_000)
    r = counter("catalog", "import", str(f))
    assert r.returncode == 2 and "Traceback" not in r.stderr


@pytest.mark.parametrize("limit", ["0", "-3"])
def test_search_limit_below_one_is_a_user_mistake(counter, limit) -> None:
    user_mistake(counter("catalog", "search", "kết hôn", "--limit", limit))


# --- return desk -------------------------------------------------------------------------------------

def test_queue_field_filter_accepts_nfd_and_unaccented_input(counter) -> None:
    code = counter("receive", "--procedure", "HT-04", *APPLICANT, "--json").json()["code"]
    assert counter("result-ready", code).returncode == 0
    for typed in ("Hộ tịch", nfd("Hộ tịch"), "ho tich", " HỘ TỊCH "):
        rows = counter("queue", "--field", typed, "--json").json()
        assert [r["code"] for r in rows] == [code], typed


def test_queue_with_an_unknown_field_says_so(counter) -> None:
    user_mistake(counter("queue", "--field", "Không có lĩnh vực này"))


# --- slips -------------------------------------------------------------------------------------------

def test_slip_to_a_bad_output_path_issues_nothing(counter, tmp_path) -> None:
    code = counter("receive", "--procedure", "HT-04", *APPLICANT, "--json").json()["code"]
    user_mistake(counter("slip", "receipt", code, "-o", str(tmp_path / "no-such-folder" / "x.pdf")))
    user_mistake(counter("slip", "receipt", code, "-o", str(tmp_path)))  # a folder, not a file
    assert counter("slip", "list", code, "--json").json() == []


def test_slip_list_of_an_unknown_code_is_a_user_mistake(counter) -> None:
    user_mistake(counter("slip", "list", "000.00.01.H22-261122-9999"))


def test_slip_list_accepts_the_code_as_typed(counter, tmp_path) -> None:
    code = counter("receive", "--procedure", "HT-04", *APPLICANT, "--json").json()["code"]
    assert counter("slip", "receipt", code, "-o", str(tmp_path / "r.pdf")).returncode == 0
    listed = counter("slip", "list", f" {code.lower()} ", "--json").json()
    assert [s["kind"] for s in listed] == ["receipt"]


# --- output ------------------------------------------------------------------------------------------

def test_output_piped_into_head_ends_quietly(counter, data_dir) -> None:
    """`motcua catalog search … --json | head -1`: the reader goes away; no traceback on the terminal."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "MOTCUA_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    p = subprocess.run(f"{sys.executable} -m motcua_desktop.cli calendar list --year 2026 --json | head -c 1",
                       shell=True, capture_output=True, text=True, env=env, timeout=60)
    assert "Traceback" not in p.stderr and "BrokenPipe" not in p.stderr


def pdf_text(path: Path) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_slips_of_an_organisation_name_it_and_its_tax_code(counter, tmp_path) -> None:
    name = "Công ty TNHH Xây dựng Hòa Bình"
    code = counter("receive", "--procedure", "HT-04", "--name", name, "--kind", "organisation",
                   "--id-number", "0101234567", "--json").json()["code"]
    assert counter("forward", code).returncode == 0
    assert counter("apologise", code, "--new-due", "2026-12-30", "--reason", "Chờ xác minh").returncode == 0
    for kind, paper in (("receipt", "a4"), ("receipt", "80mm"), ("apology", "a5")):
        out = tmp_path / f"{kind}-{paper}.pdf"
        assert counter("slip", kind, code, "-o", str(out), "--paper", paper).returncode == 0
        text = " ".join(pdf_text(out).split())
        assert "Ông/Bà: Công ty" not in text and "Ông/Bà Công ty" not in text, (kind, paper)
        assert name in text
    receipt = " ".join(pdf_text(tmp_path / "receipt-a4.pdf").split())
    assert "Tổ chức: Công ty" in receipt and "Mã số thuế: 0101234567" in receipt
    assert "Số giấy tờ tùy thân" not in receipt


# --- backdated entries (--at) ------------------------------------------------------------------------

def events_of(run_cli, code: str) -> list[tuple[str, str]]:
    return [(e["type"], e["at"]) for e in run_cli("dossier", "show", code, "--json").json()["events"]]


@pytest.mark.parametrize("step", [
    ("forward", "--at", "2030-01-01T10:00"),
    ("forward", "--at", "2026-09-01T09:00"),
    ("withdraw", "--at", "2026-09-01T09:00"),
    ("refuse", "--reason", "Không đủ điều kiện", "--at", "2026-09-01T09:00"),
])
def test_a_backdated_step_cannot_go_before_receipt_or_into_the_future(counter, step) -> None:
    code = counter("receive", "--procedure", "HT-04", *APPLICANT, "--at", "2026-10-01T09:00",
                   *(("--provided", "none") if step[0] == "refuse" else ()), "--json").json()["code"]
    before = events_of(counter, code)
    user_mistake(counter(step[0], code, *step[1:]))
    assert events_of(counter, code) == before


def test_stop_cannot_be_dated_in_the_future(counter) -> None:
    code = counter("receive", "--procedure", "HT-04", *APPLICANT, "--json").json()["code"]
    assert counter("forward", code).returncode == 0
    user_mistake(counter("stop", code, "--reason", "Dừng", "--at", "2030-01-01T10:00"))


def test_return_cannot_be_dated_before_the_result_came_back(counter) -> None:
    code = counter("receive", "--procedure", "HT-04", *APPLICANT, "--at", "2026-10-01T09:00", "--json").json()["code"]
    assert counter("result-ready", code, "--at", "2026-10-05T09:00").returncode == 0
    user_mistake(counter("return", code, "--at", "2026-10-02T09:00"))
    assert counter("return", code, "--at", "2026-10-05T10:00").returncode == 0


def test_full_width_digits_are_stored_as_plain_digits(counter) -> None:
    """An IME in full-width mode types '００１…': the stored number must be the one a later search finds."""
    code = counter("receive", "--procedure", "HT-04", "--name", "An", "--id-number", "００１０９９０１２３４５",
                   "--phone", "０９１２３４５６７８", "--json").json()["code"]
    a = counter("dossier", "show", code, "--json").json()["applicant"]
    assert (a["id_kind"], a["id_number"], a["phone"]) == ("cccd", "001099012345", "0912345678")


def test_digits_of_another_script_are_not_an_id_number(counter) -> None:
    user_mistake(counter("receive", "--procedure", "HT-04", "--name", "An", "--id-number", "٠٠١٠٩٩٠١٢٣٤٥"))
