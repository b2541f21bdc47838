"""The intake commands as a clerk or a script would use them (real subprocesses)."""

from __future__ import annotations

import pytest

INIT = ("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH", "--counter-slot", "2")


@pytest.fixture
def cli(run_cli):
    r = run_cli(*INIT)
    assert r.returncode == 0, r.stderr
    return run_cli


def test_due_date(cli) -> None:
    r = cli("due-date", "HT-01", "--received", "2026-11-16T14:00", "--json")
    assert r.returncode == 0, r.stderr
    assert r.json() == {"due_at": "2026-11-16T17:00"}
    assert cli("due-date", "HT-01", "--received", "2026-11-16T15:30", "--json").json() == {"due_at": "2026-11-17T17:00"}
    assert cli("due-date", "DD-04", "--received", "2026-11-16T15:30", "--json").json() == {"due_at": None}
    r = cli("due-date", "HT-01", "--received", "16/11/2026 14:00")
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.count("\n") == 1
    r = cli("due-date", "NOPE", "--received", "2026-11-16T14:00")
    assert r.returncode == 2 and "NOPE" in r.stderr


def test_receive_supplement_show(cli) -> None:
    r = cli("receive", "--procedure", "CTR-01", "--name", "Hoàng Văn Em", "--id-number", "001203004567",
            "--phone", "0987654321", "--address", "Xóm 3", "--provided", "1", "--at", "2026-11-16T09:00", "--json")
    assert r.returncode == 0, r.stderr
    out = r.json()
    assert out["code"] == "000.00.01.H22-261116-2001" and out["status"] == "supplement_requested"
    assert out["due_at"] is None and out["received_at"] == "2026-11-16T09:00"
    assert out["missing"] == ["Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp"]  # 3 is optional
    r = cli("supplement", out["code"], "--provided", "2", "--fee-receipt", "BL-0042", "--at", "2026-11-17T10:00",
            "--json")
    assert r.returncode == 0, r.stderr
    done = r.json()
    assert done == {"code": out["code"], "status": "received", "received_at": "2026-11-17T10:00",
                    "due_at": "2026-11-27T10:00", "missing": []}
    r = cli("dossier", "show", out["code"], "--json")
    assert r.returncode == 0, r.stderr
    shown = r.json()
    assert shown["status"] == "received" and shown["fee"] == {"amount_vnd": 20000, "exempt_reason": None,
                                                               "receipt_no": "BL-0042"}
    assert shown["applicant"]["name"] == "Hoàng Văn Em" and shown["entered_late"] is True
    assert [e["type"] for e in shown["events"]] == ["intake", "supplement"]
    text = cli("dossier", "show", out["code"])
    assert text.returncode == 0 and "Hoàng Văn Em" in text.stdout and "Đã tiếp nhận" in text.stdout


def test_receive_options_and_refuse_withdraw(cli) -> None:
    r = cli("receive", "--procedure", "KD-01", "--name", "Công ty TNHH Minh Phát", "--kind", "organisation",
            "--id-number", "0101234567", "--email", "lienhe@minhphat.vn", "--channel", "post", "--delivery", "post",
            "--address", "5 Trần Phú", "--fee-exempt-reason", "Miễn theo Nghị quyết HĐND", "--json")
    assert r.returncode == 0, r.stderr
    code = r.json()["code"]
    shown = cli("dossier", "show", code, "--json").json()
    assert (shown["channel"], shown["delivery"], shown["delivery_address"]) == ("post", "post", "5 Trần Phú")
    assert shown["applicant"]["id_kind"] == "tax_code" and shown["fee"]["exempt_reason"] == "Miễn theo Nghị quyết HĐND"
    r = cli("withdraw", code, "--reason", "Doanh nghiệp rút hồ sơ", "--json")
    assert r.returncode == 0 and r.json()["status"] == "withdrawn"
    r = cli("receive", "--procedure", "HT-05", "--name", "Bùi Thị Giang", "--id-number", "123456789",
            "--provided", "none", "--json")
    code2 = r.json()["code"]
    assert r.json()["status"] == "supplement_requested" and len(r.json()["missing"]) == 2
    r = cli("refuse", code2, "--reason", "Không thuộc thẩm quyền", "--json")
    assert r.returncode == 0 and r.json()["status"] == "refused"
    r = cli("refuse", code2, "--reason", "lần nữa")
    assert r.returncode == 2 and "refused" in r.stderr


def test_bad_input_is_one_line_and_changes_nothing(cli) -> None:
    for args in (("--id-number", "12ab"), ("--id-number", "001203004567", "--provided", "9"),
                 ("--id-number", "001203004567", "--phone", "12345"),
                 ("--id-number", "001203004567", "--delivery", "post"),
                 ("--id-number", "001203004567", "--at", "2099-01-01T08:00")):
        r = cli("receive", "--procedure", "HT-01", "--name", "Ngô Văn Hải", *args)
        assert r.returncode == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr
    r = cli("dossier", "show", "000.00.01.H22-261116-2001")
    assert r.returncode == 2 and "no dossier" in r.stderr


def test_provided_numbers_separated_by_spaces_are_two_components_not_twelve(cli) -> None:
    args = ("receive", "--procedure", "CTR-01", "--name", "Hoàng Văn Em", "--id-number", "001203004567")
    r = cli(*args, "--provided", "1 2", "--json")
    assert r.returncode == 0, r.stderr
    assert r.json()["status"] == "received"
    r = cli(*args, "--provided", ",,")
    assert r.returncode == 2 and "names no component" in r.stderr


@pytest.mark.parametrize("typed", ["2026-11-16", "2026-11-16T09", "20261116T0900", "2026-W47-1T09:00",
                                   "2026-11-16T09:00+07:00", "2026-11-16T09:00:30"])
def test_times_must_be_typed_to_the_minute(cli, typed) -> None:
    r = cli("receive", "--procedure", "HT-04", "--name", "Hoàng Văn Em", "--id-number", "001203004567",
            "--at", typed)
    assert r.returncode == 2 and "YYYY-MM-DDTHH:MM" in r.stderr, (typed, r.stderr)
    assert cli("dossier", "show", "000.00.01.H22-261116-2001").returncode == 2  # nothing was received


def test_receive_with_a_typed_appointment_when_the_catalogue_has_no_time(cli) -> None:
    args = ("receive", "--procedure", "DD-04", "--name", "Hoàng Văn Em", "--id-number", "001203004567",
            "--at", "2026-11-16T09:00", "--json")
    r = cli(*args)
    assert r.returncode == 2 and "--due" in r.stderr
    r = cli(*args, "--due", "2026-11-27T09:00")
    assert r.returncode == 0, r.stderr
    assert r.json()["due_at"] == "2026-11-27T09:00"


def test_id_kind_on_the_command_line(cli) -> None:
    args = ("receive", "--procedure", "HT-04", "--name", "John Smith", "--provided", "all", "--json")
    r = cli(*args, "--id-number", "12345678")
    # A mistyped card, not silently a passport; the number is named masked (issue 9: no full number in logs).
    assert r.returncode == 2 and "12****78" in r.stderr and "12345678" not in r.stderr
    r = cli(*args, "--id-number", "123456789", "--id-kind", "passport")
    assert r.returncode == 0, r.stderr
    shown = cli("dossier", "show", r.json()["code"], "--json").json()
    assert shown["applicant"]["id_kind"] == "passport"


def test_refuse_at_first_contact_issues_a_code_without_a_supplement_round(cli) -> None:
    r = cli("refuse", "--procedure", "HT-04", "--name", "Hoàng Văn Em", "--id-number", "001203004567",
            "--reason", "Không thuộc thẩm quyền của xã", "--at", "2026-11-16T09:00", "--json")
    assert r.returncode == 0, r.stderr
    code = r.json()["code"]
    shown = cli("dossier", "show", code, "--json").json()
    assert shown["status"] == "refused" and [e["type"] for e in shown["events"]] == ["intake"]
    assert shown["refusal_reason"] == "Không thuộc thẩm quyền của xã"
    r = cli("refuse", "--procedure", "HT-04", "--reason", "x")
    assert r.returncode == 2 and "--id-number" in r.stderr
    r = cli("refuse", code, "--procedure", "HT-04", "--reason", "x")
    assert r.returncode == 2 and "not both" in r.stderr


# --- issue 9: every bad input gets a clear error, and nothing is written -----------------------------

def _dossiers(cli) -> int:
    import sqlite3

    from motcua_desktop.paths import DB_FILENAME

    data_dir = cli("settings", "--json")  # the counter is initialised: the fixture's data dir holds it
    assert data_dir.returncode == 0
    with sqlite3.connect(f"file:{cli.data_dir / DB_FILENAME}?mode=ro", uri=True) as db:
        return db.execute("SELECT count(*) FROM dossiers").fetchone()[0]


@pytest.fixture
def counted(cli, data_dir):
    cli.data_dir = data_dir
    return cli


def _mistake(r, *named: str) -> None:
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    for text in named:
        assert text in r.stderr, r.stderr


def test_unicode_digits_and_an_empty_provided_are_mistakes_in_receive_and_supplement(counted) -> None:
    cli = counted
    person = ("--name", "Hoàng Văn Em", "--id-number", "001203004567")
    r = cli("receive", "--procedure", "CTR-01", *person, "--provided", "1", "--json")
    assert r.returncode == 0 and r.json()["status"] == "supplement_requested", r.stderr
    code = r.json()["code"]
    before = _dossiers(cli)
    for typed in ("²", "①", "1,²", ""):
        _mistake(cli("receive", "--procedure", "HT-04", *person, "--provided", typed))
        _mistake(cli("supplement", code, "--provided", typed))
    assert _dossiers(cli) == before
    assert cli("dossier", "show", code, "--json").json()["status"] == "supplement_requested"
    # Full-width digits (an IME left in full-width mode) are still the digits.
    r = cli("supplement", code, "--provided", "２", "--json")
    assert r.returncode == 0 and r.json()["status"] == "received", r.stderr


def test_free_text_over_its_limit_is_refused_naming_field_and_limit(counted) -> None:
    cli = counted
    base = ("receive", "--procedure", "HT-04", "--name", "Hoàng Văn Em", "--id-number", "001203004567")
    before = _dossiers(cli)
    _mistake(cli(*base, "--email", "a" * 10_000 + "@x.vn"), "254")
    _mistake(cli(*base, "--address", "x" * 50_000), "300")
    _mistake(cli(*base, "--name", "Nguyễn " * 100), "200")
    _mistake(cli(*base, "--fee-receipt", "9" * 51), "fee_receipt", "50")
    _mistake(cli(*base, "--fee-exempt-reason", "x" * 501), "fee_exempt_reason", "500")
    _mistake(cli(*base, "--provided", "1", "--note", "x" * 100_000), "note", "2000")
    _mistake(cli("refuse", "--procedure", "HT-04", "--name", "Hoàng Văn Em", "--id-number", "001203004567",
                 "--reason", "x" * 1001), "reason", "1000")
    assert _dossiers(cli) == before
    # At the limit it is accepted.
    r = cli(*base, "--address", "x" * 300, "--fee-receipt", "9" * 50, "--json")
    assert r.returncode == 0, r.stderr


def test_identifiers_fold_only_ascii_letters(counted) -> None:
    cli = counted
    before = _dossiers(cli)
    r = cli("receive", "--procedure", "HT-04", "--name", "Anna Groß", "--id-number", "ß1234567", "--id-kind", "passport")
    _mistake(r, "ß")  # not a passport number of the shape printed on one; never silently 'SS1234567'
    assert "SS" not in r.stderr and _dossiers(cli) == before
    r = cli("receive", "--procedure", "HT-04", "--name", "Anna Gross", "--id-number", "c1234567", "--json")
    assert r.returncode == 0, r.stderr
    assert cli("dossier", "show", r.json()["code"], "--json").json()["applicant"]["id_number"] == "C1234567"
