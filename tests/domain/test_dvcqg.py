"""The DongBoHoSoMC mapping (domain/dvcqg.py): values, not only the shape."""

from __future__ import annotations

import json

import jsonschema
import pytest

from dvcqg_dataset import EXPECTED_STATUS, code, dataset
from motcua_desktop import paths
from motcua_desktop.domain import dvcqg
from motcua_desktop.domain.events import Event


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    return {c: dvcqg.record([Event.from_wire(e) for e in evs], agency_code="000.00.01.H22")
            for c, evs in dataset().items()}


def test_every_record_fits_the_schema(records):
    schema = json.loads((paths.resources_dir().parent / "docs" / "dvcqg.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for rec in records.values():
        jsonschema.validate(rec, schema)
    assert {c: r["TrangThaiHoSo"] for c, r in records.items()} == EXPECTED_STATUS
    assert sorted(EXPECTED_STATUS.values()) == [2, 3, 4, 5, 7, 8, 9, 10]


def test_received_with_fee(records):
    r = records[code(1)]
    assert r == {
        "MaHoSo": code(1), "MaTTHC": "HT-11", "TenTTHC": "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
        "MaLinhVuc": None, "TenLinhVuc": "Hộ tịch", "ChuHoSo": "Nguyễn Văn An", "LoaiDoiTuong": 1,
        "SoDienThoai": "0912345678", "Email": "an@example.vn",
        "TrichYeuHoSo": "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh - Nguyễn Văn An",
        "NgayTiepNhan": "20261203080500", "NgayHenTra": "20261208091500", "TrangThaiHoSo": 2, "NgayTra": None,
        "DonViXuLy": "000.00.01.H22",
        "TaiLieuNop": [{"TenTaiLieu": r["TaiLieuNop"][0]["TenTaiLieu"], "HinhThuc": "Bản chính", "SoLuong": 1},
                       {"TenTaiLieu": r["TaiLieuNop"][1]["TenTaiLieu"], "HinhThuc": "Bản sao", "SoLuong": 2}],
        "DanhSachLePhi": [{"TenPhiLePhi": "Phí, lệ phí: Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
                           "MucPhi": 8000, "SoBienLai": "BL-0001", "LyDoMienGiam": None}],
        "DanhSachHoSoBoSung": [], "DanhSachGiaHan": []}
    assert all(d["TenTaiLieu"] and not d["TenTaiLieu"].startswith("Thành phần") for d in r["TaiLieuNop"])


def test_organisation_waiting_for_papers(records):
    r = records[code(2)]
    assert (r["LoaiDoiTuong"], r["ChuHoSo"], r["SoDienThoai"]) == (2, "Công ty TNHH Hòa Bình", None)
    assert r["MaTTHC"] == "HT-04" and r["TrangThaiHoSo"] == 5
    assert r["NgayTiepNhan"] == "20261203083000" and r["NgayHenTra"] is None  # first contact; no appointment yet
    assert r["DanhSachLePhi"] == [] and len(r["TaiLieuNop"]) == 1
    [round_] = r["DanhSachHoSoBoSung"]
    assert round_["LanBoSung"] == 1 and round_["NgayYeuCauBoSung"] == "20261203083000"
    assert len(round_["GiayToYeuCau"]) == 2 and round_["NoiDungYeuCau"] == "; ".join(round_["GiayToYeuCau"])
    assert (round_["NgayBoSung"], round_["NgayHenTraCu"], round_["NgayHenTraMoi"]) == (None, None, None)


def test_refused(records):
    r = records[code(3)]
    assert (r["TrangThaiHoSo"], r["MaTTHC"], r["NgayHenTra"], r["TaiLieuNop"]) == (3, "1.001193", None, [])
    assert r["NgayTiepNhan"] == "20261203084000"


def test_two_supplement_rounds_forwarded_returned(records):
    r = records[code(4)]
    assert r["TrangThaiHoSo"] == 10 and r["NgayTra"] == "20261208164505"
    assert r["NgayTiepNhan"] == "20261207142000" and r["NgayHenTra"] == "20261208142000"
    assert r["DonViXuLy"] == "Phòng Tư pháp"  # the agency that last set its status on the hub
    assert r["DanhSachHoSoBoSung"] == [
        {"LanBoSung": 1, "NgayYeuCauBoSung": "20261203090000", "NoiDungYeuCau": "Thiếu giấy chứng sinh",
         "GiayToYeuCau": [r["DanhSachHoSoBoSung"][0]["GiayToYeuCau"][0]], "NgayBoSung": "20261204100000",
         "NgayHenTraCu": None, "NgayHenTraMoi": None},
        {"LanBoSung": 2, "NgayYeuCauBoSung": "20261204100000", "NoiDungYeuCau": "Giấy chứng sinh chưa hợp lệ",
         "GiayToYeuCau": r["DanhSachHoSoBoSung"][0]["GiayToYeuCau"], "NgayBoSung": "20261207142000",
         "NgayHenTraCu": None, "NgayHenTraMoi": "20261208142000"}]
    assert r["DanhSachHoSoBoSung"][0]["GiayToYeuCau"][0].startswith("Giấy chứng sinh")
    assert r["DanhSachLePhi"] == [{"TenPhiLePhi": "Phí, lệ phí: Đăng ký khai sinh", "MucPhi": 0, "SoBienLai": None,
                                   "LyDoMienGiam": "Đăng ký đúng hạn"}]
    assert [d["HinhThuc"] for d in r["TaiLieuNop"]] == ["Bản chính", None]  # 2 came with the supplement


def test_in_progress_with_an_apology(records):
    r = records[code(5)]
    assert r["TrangThaiHoSo"] == 4 and r["NgayHenTra"] == "20261209093000"
    assert r["DanhSachGiaHan"] == [{"LanGiaHan": 1, "NgayXinLoi": "20261204080000", "LyDo": "Chờ xác minh",
                                    "NgayHenTraCu": "20261204093000", "NgayHenTraMoi": "20261209093000"}]


def test_result_ready_withdrawn(records):
    assert records[code(6)]["TrangThaiHoSo"] == 9 and records[code(6)]["NgayTra"] is None
    assert records[code(7)]["TrangThaiHoSo"] == 7


def test_stopped_after_two_apologies_and_a_hub_appointment(records):
    r = records[code(8)]
    assert r["TrangThaiHoSo"] == 8 and r["NgayHenTra"] == "20261211103000"  # the hub's appointment, last
    assert [(a["LanGiaHan"], a["NgayHenTraCu"], a["NgayHenTraMoi"]) for a in r["DanhSachGiaHan"]] == [
        (1, "20261204103000", "20261207103000"), (2, "20261207103000", "20261210103000")]
    assert r["DonViXuLy"] == "Phòng Tư pháp"


def test_dates_and_errors():
    assert dvcqg.portal_date("2026-12-03T09:15") == "20261203091500"
    assert dvcqg.portal_date("2026-12-03T09:15:07") == "20261203091507"
    assert dvcqg.portal_date(None) is None
    with pytest.raises(dvcqg.DvcqgError):
        dvcqg.portal_date("03/12/2026")
    with pytest.raises(dvcqg.DvcqgError):
        dvcqg.record([])
