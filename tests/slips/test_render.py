"""The slips as a citizen and a scanner see them: extracted text, decoded barcodes, ink on the page."""

from __future__ import annotations

import subprocess
import tempfile
import unicodedata
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from motcua_desktop.errors import UserError
from motcua_desktop.slips import KINDS, Agency, Applicant, Component, ControlRow, SlipData, render
from motcua_desktop.slips import forms, vn
from pdf_checks import barcodes, flat, ink_box, page_size_pt, pages, pdf_text

CODE = "000.00.01.H22-261123-1001"
MM = 72 / 25.4  # points per millimetre


def data(**changes) -> SlipData:
    base = SlipData(
        code=CODE,
        agency=Agency(name="UBND xã Hòa Bình", parent="UBND tỉnh Hà Tĩnh", place="Xã Hòa Bình",
                      phone="0239 3855 123"),
        applicant=Applicant(name="Nguyễn Thị Ánh Tuyết", address="Thôn Đông Hòa, xã Hòa Bình",
                            phone="0912 345 678", email="tuyet@example.vn", id_number="042190001234"),
        procedure_name="Đăng ký khai sinh",
        procedure_code="1.001193",
        components=(
            Component("Tờ khai đăng ký khai sinh", originals=1, copies=0),
            Component("Giấy chứng sinh", originals=1, provided=False,
                      needs="Nộp bản chính do cơ sở y tế cấp"),
            Component("Giấy chứng nhận kết hôn của cha mẹ", copies=1),
            Component("Văn bản ủy quyền", originals=1, provided=False, needs="Phải được chứng thực"),
        ),
        received_at=datetime(2026, 11, 23, 9, 5),
        due_at=datetime(2026, 11, 25, 14, 0),
        processing_time="2 ngày làm việc",
        fee_amount=8000,
        fee_receipt_no="0001234",
        clerk_name="Trần Văn Bình",
        refusal_reason="Thủ tục không thuộc thẩm quyền của UBND xã",
        apology_reason="Cần xác minh thêm với nơi cư trú trước đây",
        original_due_at=datetime(2026, 11, 25, 14, 0),
        new_due_at=datetime(2026, 12, 2, 8, 30),
    )
    return replace(base, **changes)


# ------------------------------------------------------------------------------------ the dates


def test_vietnamese_date_writing():
    assert vn.moment_text(datetime(2026, 11, 23, 14, 0)) == "14 giờ 00 phút, ngày 23 tháng 11 năm 2026"
    # Days below 10 and months 1-2 take a leading zero on official papers; March onwards does not.
    assert vn.date_text(datetime(2027, 2, 5).date()) == "ngày 05 tháng 02 năm 2027"
    assert vn.date_text(datetime(2027, 3, 9).date()) == "ngày 09 tháng 3 năm 2027"
    assert vn.place_date("Xã Hòa Bình", datetime(2026, 11, 23).date()) == "Xã Hòa Bình, ngày 23 tháng 11 năm 2026"
    assert vn.money(1250000) == "1.250.000"


# ------------------------------------------------------------------------------------- the text


def _header_ok(text: str) -> None:
    lines = text.splitlines()
    assert any("UBND XÃ HÒA BÌNH" in l and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in l for l in lines) or (
        "UBND XÃ HÒA BÌNH" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text)
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ" in text
    assert "Xã Hòa Bình, ngày 23 tháng 11 năm 2026" in text
    assert "UBND TỈNH HÀ TĨNH" in text


@pytest.mark.parametrize("paper", ["a4", "a5"])
def test_receipt_text(paper):
    text = pdf_text(render("receipt", data(), paper))
    _header_ok(text)
    f = flat(text)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in f
    assert "Số: 1001/TNHS" in f
    assert f"Mã hồ sơ: {CODE}" in f
    assert "Ông/Bà: Nguyễn Thị Ánh Tuyết" in f
    assert "Nội dung yêu cầu giải quyết: Đăng ký khai sinh (Mã thủ tục: 1.001193)" in f
    assert "4. Thời gian nhận hồ sơ: 09 giờ 05 phút, ngày 23 tháng 11 năm 2026" in f
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 14 giờ 00 phút, ngày 25 tháng 11 năm 2026" in f
    assert "3. Thời gian giải quyết hồ sơ theo quy định: 2 ngày làm việc" in f
    assert "8.000 đồng" in f and "Biên lai số: 0001234" in f
    assert "NGƯỜI NỘP HỒ SƠ" in f and "NGƯỜI TIẾP NHẬN HỒ SƠ" in f and "Trần Văn Bình" in f
    # Two copies (liên): one kept, one for the citizen.
    assert "Liên 1: Lưu tại Bộ phận tiếp nhận và trả kết quả" in f
    assert "Liên 2: Giao người nộp hồ sơ" in f
    assert f.count("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") == 2
    # The component table lists what was handed in (the missing ones are not "nộp gồm").
    assert "Tờ khai đăng ký khai sinh" in f and "Giấy chứng nhận kết hôn của cha mẹ" in f
    assert "Bản chính" in f and "Bản sao" in f


def test_receipt_post_delivery_and_exempt_fee_and_unknown_due():
    f = flat(pdf_text(render("receipt", data(delivery="post", delivery_address="Số 5 đường Trần Phú",
                                             fee_exempt_reason="hộ nghèo", due_at=None), "a4")))
    assert "6. Đăng ký nhận kết quả tại: Qua dịch vụ bưu chính công ích, địa chỉ: Số 5 đường Trần Phú" in f
    assert "Miễn phí, lệ phí (hộ nghèo)" in f
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: Chưa xác định" in f


def test_supplement_lists_every_missing_item_with_what_it_needs():
    f = flat(pdf_text(render("supplement", data(supplement_note="Thiếu giấy tờ"), "a4")))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in f
    assert "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:" in f
    assert "1. Giấy chứng sinh (1 bản chính): Nộp bản chính do cơ sở y tế cấp" in f
    assert "2. Văn bản ủy quyền (1 bản chính): Phải được chứng thực" in f
    assert "Tờ khai đăng ký khai sinh" not in f  # provided: not asked for again
    assert "Lý do: Thiếu giấy tờ" in f
    assert "0239 3855 123" in f and "Trần Văn Bình" in f
    assert "Ông/Bà: Nguyễn Thị Ánh Tuyết" in f and "Đăng ký khai sinh" in f


def test_refusal_text():
    text = pdf_text(render("refusal", data(), "a4"))
    _header_ok(text)
    f = flat(text)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in f
    assert "Thủ tục không thuộc thẩm quyền của UBND xã" in f
    assert "Xin thông báo cho Ông/Bà được biết và thực hiện." in f
    assert "Ông/Bà: Nguyễn Thị Ánh Tuyết" in f and "Nội dung yêu cầu giải quyết: Đăng ký khai sinh" in f


def test_apology_text():
    f = flat(pdf_text(render("apology", data(), "a4")))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in f
    assert "Số: 1001/XL-GH" in f
    assert "Kính gửi: Ông/Bà Nguyễn Thị Ánh Tuyết" in f
    assert "Ngày 23 tháng 11 năm 2026, UBND xã Hòa Bình tiếp nhận" in f
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 14 giờ 00 phút, ngày 25 tháng 11 năm 2026" in f
    assert "Cần xác minh thêm với nơi cư trú trước đây" in f
    assert "08 giờ 30 phút, ngày 02 tháng 12 năm 2026" in f
    assert "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" in f


def test_control_text_with_rows():
    rows = (ControlRow("Giao: Bộ phận TN&TKQ\nNhận: Công chức Tư pháp", at=datetime(2026, 11, 23, 10, 0),
                       result="Đúng hạn", note="Đủ hồ sơ"),)
    f = flat(pdf_text(render("control", data(control_rows=rows, processing_agency="Công chức Tư pháp"), "a4")))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in f
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: Công chức Tư pháp" in f
    # Table cells interleave in the extracted layout: check each unbreakable piece of the moment.
    assert "10 giờ 00 phút," in f and "ngày 23 tháng 11 năm 2026" in f
    assert "Đúng hạn" in f and "Đủ hồ sơ" in f and "Giao: Bộ phận" in f


def test_control_without_rows_prints_blank_hand_overs():
    f = flat(pdf_text(render("control", data(), "a4")))
    assert f.count("… giờ … phút") >= 3
    assert "Người giao" in f and "Người nhận" in f


def test_text_is_nfc_even_when_input_is_decomposed():
    nfd = unicodedata.normalize("NFD", "Phạm Thị Hường")
    assert nfd != "Phạm Thị Hường"
    text = pdf_text(render("receipt", data(applicant=Applicant(name=nfd)), "a4"))
    assert "Phạm Thị Hường" in text


@pytest.mark.parametrize("kind,paper", [("receipt", "a4"), ("receipt", "a5"), ("receipt", "80mm"),
                                        ("supplement", "a4"), ("refusal", "a5"), ("apology", "a4"),
                                        ("control", "a4")])
def test_every_font_is_embedded_dejavu(kind, paper):
    """No font a print shop's preflight would flag: not even an unused, unembedded Helvetica."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "r.pdf"
        path.write_bytes(render(kind, data(), paper))
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    fonts_lines = [line for line in out.splitlines()[2:] if line.strip()]
    assert fonts_lines and any("DejaVu" in line for line in fonts_lines)
    assert all("DejaVu" in line and line.split()[3] == "yes" for line in fonts_lines), out  # embedded


# -------------------------------------------------------------------------------- the barcodes


@pytest.mark.parametrize("kind,paper", [("receipt", "a4"), ("receipt", "a5"), ("receipt", "80mm"),
                                        ("supplement", "a4"), ("refusal", "a5"), ("apology", "80mm"),
                                        ("control", "a4")])
def test_code128_and_qr_decode_to_the_dossier_code(kind, paper):
    found = barcodes(pages(render(kind, data(), paper), dpi=200)[0])
    assert found.get("Code128") == [CODE], found
    assert found.get("QRCode") == [CODE], found


def test_every_receipt_copy_carries_the_barcodes():
    images = pages(render("receipt", data(), "a4"), dpi=200)
    assert len(images) == 2
    for im in images:
        found = barcodes(im)
        assert found.get("Code128") == [CODE] and found.get("QRCode") == [CODE]


# ------------------------------------------------------------------------------ paper and fit


def test_roll_ticket_fits_72_mm():
    pdf = render("receipt", data(), "80mm")
    sizes = page_size_pt(pdf)
    assert len(sizes) == 1
    width, height = sizes[0]
    assert width == pytest.approx(80 * MM, abs=0.5)
    dpi = 200
    im = pages(pdf, dpi=dpi)[0]
    left, top, right, bottom = ink_box(im)
    px_per_mm = dpi / 25.4
    # All ink inside the central 72 mm a thermal head prints.
    assert left >= 4 * px_per_mm - 1 and right <= 76 * px_per_mm + 1
    assert (right - left) <= 72 * px_per_mm
    assert bottom < im.height  # nothing cut off at the bottom of the content-sized page
    f = flat(pdf_text(pdf))
    for s in ("UBND XÃ HÒA BÌNH", "GIẤY HẸN TRẢ KẾT QUẢ", CODE, "Nguyễn Thị Ánh Tuyết", "Đăng ký khai sinh",
              "14 giờ 00 phút, ngày 25 tháng 11 năm 2026"):
        assert s in f, s


def test_roll_ticket_grows_with_content_instead_of_overflowing():
    short = page_size_pt(render("supplement", data(), "80mm"))
    many = tuple(Component(f"Giấy tờ thứ {i} còn thiếu của hồ sơ", originals=1, provided=False,
                           needs="Bổ sung bản chính") for i in range(1, 16))
    long = page_size_pt(render("supplement", data(components=many), "80mm"))
    assert len(long) == 1 and long[0][1] > short[0][1] + 100
    f = flat(pdf_text(render("supplement", data(components=many), "80mm")))
    assert "15. Giấy tờ thứ 15 còn thiếu của hồ sơ" in f


def _inside_margins(images, mm_margin: float = 5, dpi: int = 100) -> None:
    px = mm_margin * dpi / 25.4
    for im in images:
        left, top, right, bottom = ink_box(im)
        assert left >= px and top >= px and right <= im.width - px and bottom <= im.height - px


@pytest.mark.parametrize("paper", ["a4", "a5"])
def test_forty_components_paginate_cleanly(paper):
    comps = tuple(Component(f"Giấy tờ số {i}: bản kê khai thông tin đất đai, tài sản gắn liền với đất",
                            originals=1, copies=i % 2) for i in range(1, 41))
    pdf = render("receipt", data(components=comps), paper)
    images = pages(pdf, dpi=100)
    assert len(images) >= 4 and len(images) % 2 == 0  # each copy spans several pages
    _inside_margins(images)
    text = pdf_text(pdf)
    f = flat(text)
    for i in range(1, 41):
        assert f.count(f"Giấy tờ số {i}: bản kê khai") == 2  # in both copies, once each
    # The table header repeats on continuation pages, and pages are numbered per copy.
    per_page = text.split("\f")
    assert all("Tên loại giấy tờ" in p for p in per_page if "Giấy tờ số" in p)
    n = len(images) // 2
    assert f.count(f"Trang {n}/{n}") == 2


def test_very_long_name_and_procedure_wrap_inside_the_page():
    name = "Công ty Trách nhiệm hữu hạn Một thành viên Thương mại Dịch vụ Xuất nhập khẩu " * 3
    proc = "Cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất " * 2
    d = data(applicant=Applicant(name=name.strip(), address="Thôn Đông " * 30,
                                 email="nguoi.nop.ho.so.rat.dai.khong.co.khoang.trang.nao@example.com.vn"),
             procedure_name=proc.strip(),
             agency=Agency(name="Trung tâm Phục vụ hành chính công xã Thạch Hà, tỉnh Hà Tĩnh (cơ sở 2)",
                           parent="Ủy ban nhân dân tỉnh Hà Tĩnh", place="Thạch Hà"))
    for paper in ("a4", "a5"):
        pdf = render("receipt", d, paper)
        _inside_margins(pages(pdf, dpi=100))
        f = flat(pdf_text(pdf))
        assert name.strip() in f and proc.strip() in f
    pdf = render("receipt", d, "80mm")
    im = pages(pdf, dpi=100)[0]
    left, _, right, _ = ink_box(im)
    assert right - left <= 72 * 100 / 25.4
    assert name.strip() in flat(pdf_text(pdf))


# ------------------------------------------------------------------------------------- errors


def test_bad_kind_or_paper_is_a_user_error():
    with pytest.raises(UserError):
        render("invoice", data(), "a4")
    with pytest.raises(UserError):
        render("receipt", data(), "letter")
    with pytest.raises(UserError):
        render("control", data(), "80mm")


def test_every_kind_has_its_title_in_the_forms_table():
    assert set(forms.FORMS) == set(KINDS)
    for kind in KINDS:
        assert forms.FORMS[kind].title == forms.FORMS[kind].title.upper()
        assert unicodedata.is_normalized("NFC", forms.FORMS[kind].title)


def test_roll_tickets_print_their_lines_from_the_forms_table():
    d = data(delivery="post", delivery_address="Số 5 đường Trần Phú")
    receipt = flat(pdf_text(render("receipt", d, "80mm")))
    lb = forms.RECEIPT.labels
    assert f"{forms.TICKET['procedure']} Đăng ký khai sinh (1.001193)" in receipt
    assert f"{lb['ticket_fee']} 8.000 đồng" in receipt
    assert f"{lb['ticket_delivery']} Qua dịch vụ bưu chính công ích, địa chỉ: Số 5 đường Trần Phú" in receipt
    assert f"{forms.TICKET['clerk']} Trần Văn Bình" in receipt
    assert f"{forms.TICKET['phone']} 0239 3855 123" in receipt
    refusal = flat(pdf_text(render("refusal", d, "80mm")))
    assert f"{forms.REFUSAL.labels['ticket_reason']} Thủ tục không thuộc thẩm quyền" in refusal
    apology = flat(pdf_text(render("apology", d, "80mm")))
    lb = forms.APOLOGY.labels
    assert f"{lb['ticket_original_due']} 14 giờ 00 phút, ngày 25 tháng 11 năm 2026" in apology
    assert f"{lb['ticket_reason']} Cần xác minh thêm" in apology


# ------------------------------------------------------------------------ both form sets (issue 16)

NUMBERS_2025 = {"receipt": "Mẫu số 01", "supplement": "Mẫu số 02", "refusal": "Mẫu số 03", "apology": "Mẫu số 04",
                "stop": "Mẫu số 05", "control": "Mẫu số 06"}


@pytest.mark.parametrize("set_id", ["2025", "2018"])
@pytest.mark.parametrize("paper", ["a4", "a5", "80mm"])
def test_every_kind_prints_its_set_title_number_and_key_fields(set_id, paper):
    fs = forms.shipped(set_id)
    d = data(stop_reason="Theo đề nghị của người nộp hồ sơ", stopped_at=datetime(2026, 11, 24, 10, 0),
             forwarded_to="Công chức Tư pháp - Hộ tịch", fee_refund=False)
    for kind in KINDS:
        if kind not in fs.forms:
            with pytest.raises(UserError):
                render(kind, d, paper, fs)
            continue
        if kind == "control" and paper == "80mm":
            continue
        form = fs.forms[kind]
        f = flat(pdf_text(render(kind, d, paper, fs)))
        title = form.labels.get("ticket_title", form.title) if paper == "80mm" else form.title
        assert title in f, (set_id, kind, paper)
        if set_id == "2025":
            assert NUMBERS_2025[kind] in f
        else:
            assert "Mẫu số" not in f
        assert CODE in f and "Nguyễn Thị Ánh Tuyết" in f
        key = {"receipt": "14 giờ 00 phút", "supplement": "Phải được chứng thực",
               "refusal": "Thủ tục không thuộc thẩm quyền của UBND xã", "apology": "Cần xác minh thêm",
               "stop": "Theo đề nghị của người nộp hồ sơ", "control": "Người giao"}[kind]
        assert key in f, (set_id, kind, paper)
    if "stop" in fs.forms:
        f = flat(pdf_text(render("stop", d, paper, fs)))
        assert "Công chức Tư pháp - Hộ tịch" in f and "Không hoàn trả" in f


def test_the_2018_set_prints_the_old_apology_title():
    f = flat(pdf_text(render("apology", data(), "a4", forms.shipped("2018"))))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in f and "Số: 1001/PXL" in f
