"""Every pure parser of user input, fed arbitrary text: a value or a UserError, never another
exception (a traceback at the counter). Bounded by the 'ci' hypothesis profile (tests/conftest.py)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua_desktop.domain import applicant, codes, dossier, settings
from motcua_desktop.domain.calendar import OfficeHours
from motcua_desktop.domain.catalog import parse_catalogue
from motcua_desktop.domain.errors import UserError
from motcua_desktop.paths import sample_catalogue

# Digits of every kind a keyboard, an IME or a paste brings: ASCII, full-width, superscript, circled,
# Arabic-Indic, Devanagari; separators, signs and letters that case-fold oddly (ß, ı, ﬀ).
TRICKY = "0123456789０１２３²³①②٢३,，;；、 -–:.T+/all nonetấtcảkhông ßıİﬀ\u00a0\u200b\n\t"
TEXT = st.one_of(st.text(), st.text(alphabet=TRICKY), st.text(alphabet=TRICKY, min_size=1, max_size=8))

PROCEDURES, _ = parse_catalogue(json.loads(sample_catalogue().read_text(encoding="utf-8")))
HT04 = next(p for p in PROCEDURES if p.code == "HT-04")


def value_or_user_error(fn, *args):
    try:
        return fn(*args)
    except UserError as error:
        assert error.message_vi and error.message_en
        return error


@given(TEXT)
def test_provided_components(text: str) -> None:
    result = value_or_user_error(dossier.parse_provided, text, HT04)
    if not isinstance(result, UserError):
        assert all(1 <= p.number <= len(HT04.documents) for p in result)


@pytest.mark.parametrize("text", ["²", "①", "1,²", "²,1", "٢", "", "  ", "1 ²"])
def test_provided_unicode_digits_and_empty_are_user_errors(text: str) -> None:
    with pytest.raises(UserError):
        dossier.parse_provided(text, HT04)


def test_provided_full_width_digits_and_commas_are_the_digits() -> None:
    assert [p.number for p in dossier.parse_provided("１，２", HT04)] == [1, 2]


@given(TEXT)
def test_dossier_codes(text: str) -> None:
    parsed = codes.parse_code(text)
    assert parsed is None or codes.parse_code(str(parsed)) == parsed


@given(name=TEXT, id_number=TEXT, phone=TEXT, email=TEXT, address=TEXT, id_kind=st.sampled_from(
    [None, *applicant.ID_KINDS]), kind=st.sampled_from(applicant.KINDS))
def test_applicant_details(name, id_number, phone, email, address, id_kind, kind) -> None:
    a = applicant.Applicant(name=name, id_number=id_number, id_kind=id_kind, kind=kind, phone=phone, email=email,
                            address=address)
    result = value_or_user_error(applicant.checked, a)
    if not isinstance(result, UserError):
        assert result.id_number and result.id_number.isascii()


@given(TEXT)
def test_cccd_qr_scans(text: str) -> None:
    value_or_user_error(applicant.parse_cccd_qr, text)


@given(st.sampled_from(sorted(settings.SETTINGS)), TEXT)
def test_settings_values(key: str, text: str) -> None:
    value_or_user_error(settings.parse_setting, key, text)


@given(TEXT)
def test_office_hours_that_pass_the_setting_make_a_calendar(text: str) -> None:
    hours = value_or_user_error(settings.parse_setting, "office_hours", text)
    if not isinstance(hours, UserError):
        OfficeHours.parse(hours)  # what is stored is always usable: never a broken calendar later


def test_identifiers_fold_only_ascii_letters() -> None:
    a = applicant.normalized(applicant.Applicant(name="X", id_number="ß1234567", id_kind="passport"))
    assert a.id_number == "ß1234567"
    assert applicant.normalized(applicant.Applicant(name="X", id_number="b1234567")).id_number == "B1234567"
    assert codes.parse_code("000.00.01.h22-261123-1001") is not None
    assert codes.parse_code("000.00.01.\u0131\u0131\u0131-261123-1001") is None  # 'ı'.upper() would be 'I'
