"""Codes as they reach the return desk: full-width from an IME, wrong shapes, on the command line too."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.domain.codes import DossierCode, parse_code
from motcua_desktop.errors import NotFound, UserError
from motcua_desktop.services import intake, returns

CITIZEN = Applicant(name="Trần Văn Bình", id_number="001088012345", phone="0912345678")
FULL_WIDTH = str.maketrans("0123456789.-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                           "０１２３４５６７８９．－ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ")


def full_width(text: str, only_date: bool = False) -> str:
    if only_date:  # what the brief's clerk typed: the date part switched to full width mid-code
        agency, day, seq = text.split("-")
        return f"{agency}-{day.translate(FULL_WIDTH)}-{seq}"
    return text.translate(FULL_WIDTH)


@pytest.mark.parametrize("text", ["000.00.01.H22-２６１２０３-1010", "０００．００．０１．Ｈ２２－２６１２０３－１０１０",
                                  "000.00.01.ｈ22-261203-1010"])
def test_full_width_characters_read_as_the_code(text):
    assert parse_code(text) == DossierCode("000.00.01.H22", date(2026, 12, 3), 1010)


@pytest.mark.parametrize("text", ["000.00.01.H22-٢٦١٢٠٣-1010",  # Arabic-Indic digits
                                  "000.00.01.H22-२६१२०३-1010"])  # Devanagari digits
def test_digits_of_other_scripts_are_not_a_code(text):
    assert parse_code(text) is None


def test_lookup_scan_finds_a_code_typed_in_full_width(ctx, clock):
    clock.now = datetime(2026, 12, 7, 9, 0)
    code = intake.receive(ctx, "HT-04", CITIZEN, "all").code
    assert returns.lookup_scan(ctx, full_width(code)).code == code
    assert returns.lookup_scan(ctx, full_width(code, only_date=True)).code == code


def _init_and_ready(run_cli) -> str:
    assert run_cli("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH").returncode == 0
    r = run_cli("receive", "--procedure", "HT-04", "--name", "Phạm Thị Lan", "--id-number", "001088012345",
                "--provided", "all", "--json")
    assert r.returncode == 0, r.stderr
    code = r.json()["code"]
    assert run_cli("result-ready", full_width(code, only_date=True)).returncode == 0
    return code


def test_cli_return_takes_a_code_with_full_width_digits(run_cli):
    code = _init_and_ready(run_cli)
    r = run_cli("return", full_width(code, only_date=True), "--json")
    assert r.returncode == 0, r.stderr
    assert r.json()["code"] == code and r.json()["status"] == "returned"


@pytest.mark.parametrize("garbage", ["garbage", "000.00.01.H22-261399-1001", "HS-2612"])
def test_cli_says_a_malformed_code_is_not_a_dossier_code(run_cli, garbage):
    _init_and_ready(run_cli)
    for command in (["return", garbage], ["result-ready", garbage], ["stop", garbage, "--reason", "x"],
                    ["forward", garbage],
                    ["apologise", garbage, "--new-due", "2099-01-05", "--reason", "x"]):
        r = run_cli(*command)
        assert r.returncode == 2, (command, r.stdout, r.stderr)
        assert "not a dossier code" in r.stderr and "000.00.01.H22-260305-1004" in r.stderr, (command, r.stderr)
        assert "no dossier" not in r.stderr


def test_a_well_formed_unknown_code_is_still_no_dossier(ctx):
    with pytest.raises(UserError) as info:
        returns.hand_over(ctx, "000.00.01.H22-261203-1777")
    assert "Không tìm thấy hồ sơ 000.00.01.H22-261203-1777" in info.value.message_vi


@pytest.mark.parametrize("text, vi", [("garbage", "'garbage' không phải mã hồ sơ (dạng 000.00.01.H22-260305-1004)"),
                                      ("  \x02 ", "Không đọc được mã hồ sơ")])
def test_services_name_a_malformed_code_as_such(ctx, text, vi):
    for op in (lambda: returns.hand_over(ctx, text), lambda: returns.result_ready(ctx, text),
               lambda: returns.forward(ctx, text), lambda: returns.withdraw(ctx, text),
               lambda: returns.lookup_scan(ctx, text)):
        with pytest.raises(UserError) as info:
            op()
        assert vi in info.value.message_vi and not isinstance(info.value, NotFound)


# --- overdue earlier today ----------------------------------------------------------------------------
def test_a_result_due_earlier_today_is_overdue_not_due_today(ctx, clock):
    clock.now = datetime(2026, 12, 7, 9, 0)
    morning = intake.receive(ctx, "HT-04", CITIZEN, "all").code  # due Thu 10/12 09:00
    clock.now = datetime(2026, 12, 7, 15, 0)
    afternoon = intake.receive(ctx, "HT-04", CITIZEN, "all").code  # due Thu 10/12 15:00
    for code in (morning, afternoon):
        returns.result_ready(ctx, code)
    clock.now = datetime(2026, 12, 10, 11, 30)  # Thursday, between the two appointments
    page = returns.results_queue(ctx)
    flags = {r.code: (r.overdue, r.due_today) for r in page.rows}
    assert flags == {morning: (True, False), afternoon: (False, True)}
    assert (page.overdue, page.due_today) == (1, 1)
    # Exactly at the appointment it is still due today; one minute on, overdue.
    clock.now = datetime(2026, 12, 10, 15, 0)
    assert {r.code: r.overdue for r in returns.results_queue(ctx).rows}[afternoon] is False
    clock.now = datetime(2026, 12, 10, 15, 1)
    page = returns.results_queue(ctx)
    assert all(r.overdue and not r.due_today for r in page.rows) and (page.overdue, page.due_today) == (2, 0)


def test_a_dossier_in_progress_due_earlier_today_is_overdue_in_due_soon(ctx, clock):
    clock.now = datetime(2026, 12, 7, 9, 0)
    code = intake.receive(ctx, "HT-04", CITIZEN, "all").code  # due Thu 10/12 09:00
    clock.now = datetime(2026, 12, 10, 9, 30)
    (row,) = returns.due_soon(ctx)
    assert row.code == code and row.overdue and not row.due_today
