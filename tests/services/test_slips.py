"""Slips of real dossiers: received, incomplete, refused, apologised, forwarded — and the CLI."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.errors import UserError
from motcua_desktop.services import intake, returns
from motcua_desktop.services import slips as slip_service
from motcua_desktop.services.intake import FeeInput
from motcua_desktop.store import settings_repo
from pdf_checks import barcodes, flat, page_size_pt, pages, pdf_text

NAME = "Nguyễn Thị Ánh Tuyết"


def citizen(**kw) -> Applicant:
    return Applicant(name=NAME, id_number="042190001234", phone="0912345678",
                     address="Thôn Đông Hòa, xã Hòa Bình", **kw)


def test_receipt_of_a_received_dossier(ctx):
    v = intake.receive(ctx, "HT-01", citizen(), "all", fee=FeeInput(amount_vnd=8000, receipt_no="0001234"))
    slip = slip_service.issue_slip(ctx, v.code, "receipt", "a4")
    pdf = slip.read()
    f = flat(pdf_text(pdf))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in f
    assert "UBND XÃ HÒA BÌNH" in f and "Hòa Bình, ngày 23 tháng 11 năm 2026" in f
    assert f"Ông/Bà: {NAME}" in f and "Đăng ký khai sinh" in f
    assert "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 23 tháng 11 năm 2026" in f
    due = v.due_at
    assert due is not None
    assert f"5. Thời gian trả kết quả giải quyết hồ sơ: {due:%H} giờ {due:%M} phút, ngày {due:%d} tháng {due.month}" in f
    cells = flat(pdf_text(pdf, layout=False))  # table cells wrap: read them in reading order
    for doc in v.procedure.documents:
        assert doc.name in cells
    assert "8.000 đồng" in f and "0001234" in f
    assert "Nguyễn Thị Tiếp Nhận" in f  # the clerk who received it signs under their printed name
    found = barcodes(pages(pdf, dpi=200)[0])
    assert found.get("Code128") == [v.code] and found.get("QRCode") == [v.code]
    assert slip.path.relative_to(ctx.data_dir).as_posix() == f"slips/2026/11/{v.code}-receipt-1.pdf"


def test_supplement_slip_lists_what_is_missing(ctx):
    v = intake.receive(ctx, "HT-01", citizen(), "1", note="Thiếu giấy chứng sinh")
    assert v.missing == (2,)
    with pytest.raises(UserError):  # no receipt for an incomplete dossier: it was not received
        slip_service.issue_slip(ctx, v.code, "receipt", "a4")
    f = flat(pdf_text(slip_service.issue_slip(ctx, v.code, "supplement", "a4").read()))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in f
    missing = v.procedure.documents[1]
    assert f"1. {missing.name} (1 bản chính)" in f
    assert v.procedure.documents[0].name not in f
    assert "Lý do: Thiếu giấy chứng sinh" in f
    # Completed later: the receipt now exists, and a new supplement slip has nothing to ask for.
    intake.supplement(ctx, v.code, "2")
    assert "GIẤY TIẾP NHẬN" in flat(pdf_text(slip_service.issue_slip(ctx, v.code, "receipt", "a5").read()))
    with pytest.raises(UserError):
        slip_service.issue_slip(ctx, v.code, "supplement", "a4")


def test_refusal_slip(ctx):
    v = intake.refuse_new(ctx, "HT-01", citizen(), "Không thuộc thẩm quyền của UBND xã")
    f = flat(pdf_text(slip_service.issue_slip(ctx, v.code, "refusal", "a4").read()))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in f and "Không thuộc thẩm quyền của UBND xã" in f
    ok = intake.receive(ctx, "HT-01", citizen(), "all")
    with pytest.raises(UserError):
        slip_service.issue_slip(ctx, ok.code, "refusal", "a4")


def test_apology_slip_reads_the_apology_event(ctx, clock):
    v = intake.receive(ctx, "HT-01", citizen(), "all")
    with pytest.raises(UserError):
        slip_service.issue_slip(ctx, v.code, "apology", "a4")
    old_due = v.due_at
    returns.apologise(ctx, v.code, datetime(2026, 12, 2, 8, 30), "Cần xác minh thêm với nơi cư trú trước đây")
    f = flat(pdf_text(slip_service.issue_slip(ctx, v.code, "apology", "a4").read()))
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in f
    assert f"Kính gửi: Ông/Bà {NAME}" in f
    assert "Cần xác minh thêm với nơi cư trú trước đây" in f
    assert "08 giờ 30 phút, ngày 02 tháng 12 năm 2026" in f
    assert f"{old_due:%H} giờ {old_due:%M} phút, ngày {old_due:%d}" in f
    assert "/XL-GH" in f


def test_control_slip_follows_the_hand_overs(ctx, clock):
    v = intake.receive(ctx, "HT-01", citizen(), "all")
    clock.now = datetime(2026, 11, 23, 10, 15)
    returns.forward(ctx, v.code, to="Công chức Tư pháp - Hộ tịch")
    f = flat(pdf_text(slip_service.issue_slip(ctx, v.code, "control", "a4").read()))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in f
    assert "10 giờ 15 phút," in f and "Công chức Tư pháp" in f
    with pytest.raises(UserError):
        slip_service.issue_slip(ctx, v.code, "control", "80mm")


def test_default_paper_comes_from_the_setting(ctx):
    settings_repo.put(ctx.store, "default_paper", "80mm")
    v = intake.receive(ctx, "HT-01", citizen(), "all")
    slip = slip_service.issue_slip(ctx, v.code, "receipt")
    assert slip.paper == "80mm"
    assert page_size_pt(slip.read())[0][0] == pytest.approx(80 * 72 / 25.4, abs=0.5)


def test_unknown_code_is_not_found(ctx):
    from motcua_desktop.errors import NotFound

    with pytest.raises(NotFound):
        slip_service.issue_slip(ctx, "000.00.01.H22-261123-9999", "receipt", "a4")


def test_cli_slip(ctx, run_cli, tmp_path):
    v = intake.receive(ctx, "HT-01", citizen(), "all")
    out = tmp_path / "giay-hen.pdf"
    r = run_cli("slip", "receipt", v.code, "-o", str(out), "--paper", "a5", "--json")
    assert r.returncode == 0, r.stderr
    doc = r.json()
    assert doc["code"] == v.code and doc["paper"] == "a5" and doc["output"] == str(out)
    assert out.read_bytes() == open(doc["archived"], "rb").read()
    assert NAME in flat(pdf_text(out.read_bytes()))
    # Default paper from the setting (a4 here): A4 width.
    out2 = tmp_path / "b.pdf"
    assert run_cli("slip", "receipt", v.code, "-o", str(out2)).returncode == 0
    assert page_size_pt(out2.read_bytes())[0][0] == pytest.approx(595.3, abs=1)
    listed = run_cli("slip", "list", v.code, "--json").json()
    assert [s["paper"] for s in listed] == ["a5", "a4"]
    out3 = tmp_path / "c.pdf"
    r = run_cli("slip", "reprint", str(listed[0]["id"]), "-o", str(out3), "--printer", "HP")
    assert r.returncode == 0, r.stderr
    assert out3.read_bytes() == out.read_bytes()
    # User mistakes: one line on stderr, exit 2, no traceback, no file.
    bad = tmp_path / "x.pdf"
    r = run_cli("slip", "supplement", v.code, "-o", str(bad))
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not bad.exists()
    r = run_cli("slip", "receipt", "000.00.01.H22-261123-9999", "-o", str(bad))
    assert r.returncode == 2 and not bad.exists()
    r = run_cli("slip", "receipt", v.code, "-o", str(tmp_path / "no-such-dir" / "x.pdf"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = run_cli("slip", "receipt", v.code, "-o", str(bad), "--paper", "letter")
    assert r.returncode == 2


def _archive_and_audit(ctx) -> tuple[int, int, int]:
    slips = ctx.store.query_one("SELECT COUNT(*) AS n FROM slips")["n"]
    prints = ctx.store.query_one("SELECT COUNT(*) AS n FROM slip_prints")["n"]
    audit = ctx.store.query_one("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'slip_%'")["n"]
    return slips, prints, audit


def test_cli_output_that_cannot_be_written_archives_nothing(ctx, run_cli, tmp_path):
    v = intake.receive(ctx, "HT-01", citizen(), "all")
    before = _archive_and_audit(ctx)
    r = run_cli("slip", "receipt", v.code, "-o", "/proc/x.pdf")  # a folder that takes no new file
    assert r.returncode == 1 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "/proc/x.pdf" in r.stderr
    a_file = tmp_path / "file.txt"
    a_file.write_text("not a folder")
    r = run_cli("slip", "receipt", v.code, "-o", str(a_file / "x.pdf"))
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert _archive_and_audit(ctx) == before
    assert run_cli("slip", "list", v.code, "--json").json() == []
    assert not (ctx.data_dir / "slips").exists() or not any((ctx.data_dir / "slips").rglob("*.pdf"))
    # The same command with a good path issues the slip once.
    r = run_cli("slip", "receipt", v.code, "-o", str(tmp_path / "ok.pdf"))
    assert r.returncode == 0 and (tmp_path / "ok.pdf").read_bytes().startswith(b"%PDF")
    assert len(run_cli("slip", "list", v.code, "--json").json()) == 1


def test_cli_reprint_to_a_path_that_cannot_be_written_logs_nothing(ctx, run_cli, tmp_path):
    v = intake.receive(ctx, "HT-01", citizen(), "all")
    slip = slip_service.issue_slip(ctx, v.code, "receipt", "a4")
    before = _archive_and_audit(ctx)
    r = run_cli("slip", "reprint", str(slip.id), "-o", "/proc/x.pdf", "--printer", "HP")
    assert r.returncode == 1 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert _archive_and_audit(ctx) == before and slip_service.prints_of(ctx, slip.id) == []
    out = tmp_path / "in-lai.pdf"
    assert run_cli("slip", "reprint", str(slip.id), "-o", str(out), "--printer", "HP").returncode == 0
    assert out.read_bytes() == slip.read()
    assert [p["printer"] for p in slip_service.prints_of(ctx, slip.id)] == ["HP"]


def test_no_new_supplement_slip_once_the_dossier_is_refused_withdrawn_or_received(ctx, run_cli, tmp_path):
    refused = intake.receive(ctx, "HT-01", citizen(), "1")
    first = slip_service.issue_slip(ctx, refused.code, "supplement", "a4")  # waiting for papers: issued
    intake.refuse(ctx, refused.code, "Không bổ sung được giấy chứng sinh")
    withdrawn = intake.receive(ctx, "HT-01", citizen(), "1")
    intake.withdraw(ctx, withdrawn.code, "Công dân rút hồ sơ")
    completed = intake.receive(ctx, "HT-01", citizen(), "1")
    intake.supplement(ctx, completed.code, "2")
    # A refused or withdrawn dossier still lacks its papers; the status is what rules the slip out.
    assert slip_service.dossiers.get(ctx, refused.code).missing and slip_service.dossiers.get(ctx, withdrawn.code).missing
    for code in (refused.code, withdrawn.code, completed.code):
        with pytest.raises(UserError):
            slip_service.issue_slip(ctx, code, "supplement", "a4")
        out = tmp_path / "bo-sung.pdf"
        r = run_cli("slip", "supplement", code, "-o", str(out))
        assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
        assert code in r.stderr and not out.exists()
    assert [s.id for s in slip_service.slips_of(ctx, refused.code, "supplement")] == [first.id]
    # What the citizen was given can still be printed again.
    assert slip_service.reprint(ctx, first.id).read() == first.read()


def test_an_organisation_is_addressed_as_such_in_the_running_text(ctx, run_cli, tmp_path):
    from datetime import date, timedelta

    org = ("--kind", "organisation", "--name", "Công ty TNHH Minh Phát", "--id-number", "0101234567",
           "--address", "Số 5 đường Trần Phú, xã Hòa Bình")

    def received(procedure: str, provided: str) -> str:
        r = run_cli("receive", "--procedure", procedure, *org, "--provided", provided, "--json")
        assert r.returncode == 0, r.stderr
        return r.json()["code"]

    def slip(kind: str, code: str, paper: str) -> str:
        out = tmp_path / f"{kind}.pdf"
        r = run_cli("slip", kind, code, "-o", str(out), "--paper", paper)
        assert r.returncode == 0, r.stderr
        return flat(pdf_text(out.read_bytes()))

    waiting = received("XD-01", "1")
    supplement = slip("supplement", waiting, "a4")
    assert "đầy đủ; Quý cơ quan, tổ chức bổ sung các nội dung trên" in supplement
    assert "nếu có vướng mắc, Quý cơ quan, tổ chức liên hệ với" in supplement
    assert run_cli("refuse", waiting, "--reason", "Không bổ sung được bản vẽ thiết kế").returncode == 0
    refusal = slip("refusal", waiting, "a5")
    assert "Xin thông báo cho Quý cơ quan, tổ chức được biết và thực hiện." in refusal
    late = received("XD-01", "all")
    new_due = date.today() + timedelta(days=40)
    new_due += timedelta(days=(7 - new_due.weekday()) % 7)  # a Monday
    r = run_cli("apologise", late, "--new-due", f"{new_due:%Y-%m-%d}T09:00", "--reason", "Cần thẩm định thêm")
    assert r.returncode == 0, r.stderr
    apology = slip("apology", late, "a4")
    assert "Kính gửi: Công ty TNHH Minh Phát" in apology
    assert "giải quyết hồ sơ của Quý cơ quan, tổ chức đề nghị giải quyết thủ tục" in apology
    assert "xin lỗi Quý cơ quan, tổ chức và đề nghị gia hạn" in apology  # Mẫu 04 (2025)
    assert "Xin trân trọng cảm ơn sự hợp tác của Quý cơ quan, tổ chức." in apology
    assert "Tổ chức: Công ty TNHH Minh Phát" in supplement and "Tổ chức: Công ty TNHH Minh Phát" in refusal
    for text in (supplement, refusal, apology):
        assert "Ông/Bà" not in text


def test_control_slip_rows_read_the_result_and_the_apology(ctx, clock):
    from motcua_desktop.slips import forms

    lb = forms.CONTROL.labels
    v = intake.receive(ctx, "HT-04", citizen(), "all")  # a few working days to process
    assert v.due_at is not None and v.due_at.date() > datetime(2026, 11, 24).date()
    clock.now = datetime(2026, 11, 23, 10, 15)
    returns.forward(ctx, v.code, to="Công chức Tư pháp - Hộ tịch")
    returns.apologise(ctx, v.code, datetime(2026, 12, 7, 8, 30), "Cần xác minh thêm")
    clock.now = datetime(2026, 11, 24, 9, 0)
    returns.result_ready(ctx, v.code)
    f = flat(pdf_text(slip_service.issue_slip(ctx, v.code, "control", "a4").read(), layout=False))
    rows = f.split(lb["col_result"], 1)[1]  # past the column heading, which names all three results
    assert lb["early"] in rows and lb["late"] not in rows  # ready before the first appointment
    # The note wraps in its narrow cell: compare without spaces.
    assert lb["apologised"].format(date="07/12/2026").replace(" ", "") in rows.replace(" ", "")
    assert flat(lb["step"].format(giver=forms.DESK_SENTENCE, taker=lb["citizen"])) in f
    assert flat(lb["step"].format(giver="Công chức Tư pháp - Hộ tịch", taker=forms.DESK_SENTENCE)) in f


def test_cli_paper_in_capitals(ctx, run_cli, tmp_path):
    v = intake.receive(ctx, "HT-01", citizen(), "all")
    for typed, width in (("A4", 595.3), ("A5", 419.5), ("80MM", 226.8)):
        out = tmp_path / f"{typed}.pdf"
        r = run_cli("slip", "receipt", v.code, "-o", str(out), "--paper", typed, "--json")
        assert r.returncode == 0, r.stderr
        assert r.json()["paper"] == typed.lower()
        assert page_size_pt(out.read_bytes())[0][0] == pytest.approx(width, abs=1)


def test_a_procedure_without_a_national_code_prints_no_internal_code_and_the_refusal_asks_as_the_receipt(ctx):
    """HT-04 has no national code: 'Mã thủ tục: HT-04' meant nothing to the citizen. The refusal slip
    words the request as the receipt does ("Nội dung yêu cầu giải quyết:")."""
    v = intake.receive(ctx, "HT-04", citizen(), "all")
    f = flat(pdf_text(slip_service.issue_slip(ctx, v.code, "receipt", "a4").read()))
    assert "HT-04" not in f and "Mã thủ tục" not in f
    refused = intake.refuse_new(ctx, "HT-04", citizen(), "Không thuộc thẩm quyền")
    f = flat(pdf_text(slip_service.issue_slip(ctx, refused.code, "refusal", "a4").read()))
    assert "Nội dung yêu cầu giải quyết:" in f and "Đề nghị giải quyết:" not in f


@pytest.mark.parametrize("paper", ["a4", "a5"])
def test_control_slip_note_keeps_the_new_date_on_one_line(ctx, clock, paper):
    v = intake.receive(ctx, "HT-01", citizen(), "all")
    returns.forward(ctx, v.code)
    new_due = returns.new_due_in_working_days(ctx, v.code, 5)
    returns.apologise(ctx, v.code, new_due, "Chờ xác minh")
    returns.result_ready(ctx, v.code)
    text = pdf_text(slip_service.issue_slip(ctx, v.code, "control", paper).read(), layout=False)
    assert f"{new_due:%d/%m/%Y}" in text, text
