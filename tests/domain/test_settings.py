"""The settings schema's pure helpers."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "agency, place",
    [("UBND XÃ HÒA BÌNH", "Hòa Bình"), ("UBND PHƯỜNG ĐỐNG ĐA", "Đống Đa"),
     ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ ĐẮK HÀ", "Đắk Hà"), ("Văn phòng đăng ký", None)],
)
def test_place_from_agency_name(agency: str, place: str | None) -> None:
    from motcua_desktop.domain.settings import place_from_agency_name

    assert place_from_agency_name(agency) == place
