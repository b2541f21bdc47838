"""Applicant validation (every problem at once, in Vietnamese) and the CCCD QR."""

from __future__ import annotations

from datetime import date

import pytest

from motcua_desktop.domain.applicant import Applicant, checked, normalized, parse_cccd_qr, validate
from motcua_desktop.errors import UserError


@pytest.mark.parametrize("number,kind", [
    ("001203004567", "cccd"), ("123456789", "cmnd"), ("C1234567", "passport"), ("X12345678", "passport"),
    (" 0012 0300 4567 ", "cccd"),
])
def test_valid_identity_documents(number: str, kind: str) -> None:
    a = Applicant(name="Nguyễn Văn An", id_number=number)
    assert validate(a) == []
    assert normalized(a).id_kind == kind


@pytest.mark.parametrize("number,kind,fragment", [
    ("00120300456", "cccd", "12 chữ số"), ("12345678", "cmnd", "9 chữ số"), ("AB-12", None, "hộ chiếu"),
    ("12345", None, "hộ chiếu"), ("0012030045671", "cccd", "12 chữ số"),
])
def test_invalid_identity_documents(number: str, kind: str | None, fragment: str) -> None:
    problems = validate(Applicant(name="A", id_number=number, id_kind=kind))
    assert len(problems) == 1 and fragment in problems[0]


@pytest.mark.parametrize("number", ["12345678", "0012030045", "1234567890123", "１２３４５６７８"])
def test_digits_of_a_wrong_length_are_a_mistyped_id_card_never_a_passport(number: str) -> None:
    [problem] = validate(Applicant(name="Nguyễn Văn An", id_number=number))
    assert "CCCD gồm 12 chữ số, CMND 9 chữ số" in problem


def test_a_passport_of_digits_only_is_accepted_when_chosen() -> None:
    a = Applicant(name="John Smith", id_number="123456789", id_kind="passport")
    assert validate(a) == [] and normalized(a).id_kind == "passport"
    assert normalized(Applicant(name="Nguyễn Văn An", id_number="123456789")).id_kind == "cmnd"


@pytest.mark.parametrize("phone,ok", [
    ("0912345678", True), ("0312 345 678", True), ("+84 912.345.678", True), ("84912345678", True),
    ("02439876543", True), ("0112345678", False), ("091234567", False), ("0243987654", False), ("abc", False),
])
def test_phone_numbers(phone: str, ok: bool) -> None:
    problems = validate(Applicant(name="A", id_number="001203004567", phone=phone))
    assert (problems == []) is ok


def test_every_problem_is_reported_at_once() -> None:
    a = Applicant(name="  ", id_number="12", phone="12", email="x@", delivery="post")
    problems = validate(a)
    assert len(problems) == 5
    assert any("tên" in p for p in problems) and any("email" in p for p in problems)
    assert any("bưu chính" in p for p in problems)
    with pytest.raises(UserError) as e:
        checked(a)
    assert all(p in e.value.message_vi for p in problems)


def test_organisation_tax_code_and_post_delivery() -> None:
    org = Applicant(name="Công ty TNHH Ánh Dương", id_number="0101234567-001", kind="organisation",
                    delivery="post", address="12 Lê Lợi, Hòa Bình")
    n = checked(org)
    assert n.id_kind == "tax_code" and n.delivery_address == "12 Lê Lợi, Hòa Bình"
    assert validate(Applicant(name="X", id_number="01012345", kind="organisation"))[0].startswith("Mã số thuế")
    assert validate(Applicant(name="X", kind="organisation")) == ["Chưa nhập mã số thuế của tổ chức."]


def test_text_is_stored_nfc_and_collapsed() -> None:
    decomposed = "Nguye\u0302\u0303n   Va\u0306n"  # NFD as some input methods produce
    n = normalized(Applicant(name=decomposed, id_number="001203004567", email=" A@B.VN "))
    assert n.name == "Nguyễn Văn" and n.email == "a@b.vn"


def test_cccd_qr() -> None:
    qr = "001203004567|123456789|Nguyễn Thị Bình|15031990|Nữ|Số 5, thôn Đông, xã Hòa Bình|01072021\r\n"
    d = parse_cccd_qr(qr)
    assert (d.id_number, d.old_id_number, d.name, d.sex) == ("001203004567", "123456789", "Nguyễn Thị Bình", "Nữ")
    assert d.birth_date == date(1990, 3, 15) and d.issue_date == date(2021, 7, 1)
    assert d.address == "Số 5, thôn Đông, xã Hòa Bình"
    a = d.to_applicant(phone="0912345678")
    assert validate(a) == [] and a.id_kind == "cccd"
    no_old = parse_cccd_qr("001203004567||Trần Văn C|01011980|Nam|Hà Nội|02022022")
    assert no_old.old_id_number is None
    for bad in ("", "hello", "12345|x|y|z|w|v|u", "001203004567|||01011980|Nam|X|Y"):
        with pytest.raises(UserError):
            parse_cccd_qr(bad)
