"""Masking what identifies a citizen in log texts."""

from __future__ import annotations

import pytest

from motcua_desktop.domain.privacy import mask, mask_number


def test_mask_number_keeps_only_the_ends() -> None:
    assert mask_number("001099012345") == "0010******45"
    assert mask_number("0912345678") == "0912****78"
    assert mask_number("B1234567") == "B1****67"


@pytest.mark.parametrize("secret", ["001099012345", "123456789", "0912345678", "B1234567", "0912 345 678",
                                    "+84 912.345.678", "02439876543"])
def test_identity_and_phone_numbers_never_survive_masking(secret: str) -> None:
    masked = mask(f"applicant details invalid: Số '{secret}' không hợp lệ")
    assert secret not in masked and "*" in masked
    assert "".join(ch for ch in secret if ch.isdigit()) not in "".join(ch for ch in masked if ch.isdigit())


def test_emails_are_masked_and_codes_dates_and_times_are_not() -> None:
    assert mask("email an.nguyen@example.vn invalid") == "email a***@example.vn invalid"
    text = "dossier 000.00.01.H22-261123-1001 due 2026-12-01T09:00, slip 12, 15:30"
    assert mask(text) == text
