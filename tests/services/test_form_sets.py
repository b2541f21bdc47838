"""Form sets (issue 16): the 2025 annex by default, the 2018 one by setting, a set in force by date,
an administrator's corrected set imported whole or not at all, and the stop notice (Mẫu 05)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.errors import UserError
from motcua_desktop.services import form_sets, intake, returns
from motcua_desktop.services import slips as slip_service
from motcua_desktop.services.intake import FeeInput
from motcua_desktop.slips import forms
from motcua_desktop.slips.forms import FormSetError
from motcua_desktop.store import settings_repo
from pdf_checks import barcodes, flat, pages, pdf_text

NAME = "Nguyễn Thị Ánh Tuyết"
TITLES_2025 = {
    "receipt": ("Mẫu số 01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    "supplement": ("Mẫu số 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    "refusal": ("Mẫu số 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    "apology": ("Mẫu số 04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
    "stop": ("Mẫu số 05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
    "control": ("Mẫu số 06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
}
TITLES_2018 = {
    "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "supplement": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "apology": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "control": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}


def citizen(**kw) -> Applicant:
    return Applicant(name=NAME, id_number="042190001234", phone="0912345678",
                     address="Thôn Đông Hòa, xã Hòa Bình", **kw)


def dossiers(ctx, clock) -> dict[str, str]:
    """A dossier for every kind of slip: kind -> code."""
    received = intake.receive(ctx, "HT-01", citizen(), "all", fee=FeeInput(amount_vnd=8000, receipt_no="0001234"))
    incomplete = intake.receive(ctx, "HT-01", citizen(), [1])
    refused = intake.refuse_new(ctx, "HT-01", citizen(), "Không thuộc thẩm quyền của UBND xã")
    late = intake.receive(ctx, "HT-01", citizen(), "all")
    returns.apologise(ctx, late.code, datetime(2026, 12, 2, 8, 30), "Cần xác minh thêm với nơi cư trú trước đây")
    stopped = intake.receive(ctx, "HT-01", citizen(), "all", fee=FeeInput(amount_vnd=8000, receipt_no="0001235"))
    clock.now = datetime(2026, 11, 23, 10, 15)
    returns.forward(ctx, stopped.code, to="Công chức Tư pháp - Hộ tịch")
    returns.stop(ctx, stopped.code, "Người nộp hồ sơ chết, không có người thừa kế đề nghị tiếp tục", refund=True)
    return {"receipt": received.code, "supplement": incomplete.code, "refusal": refused.code,
            "apology": late.code, "stop": stopped.code, "control": received.code}


def text_of(ctx, code: str, kind: str, paper: str = "a4") -> str:
    return flat(pdf_text(slip_service.issue_slip(ctx, code, kind, paper).read()))


def test_every_kind_prints_the_2025_number_and_title_by_default(ctx, clock):
    codes = dossiers(ctx, clock)
    for kind, (number, title) in TITLES_2025.items():
        for paper in ("a4", "a5", "80mm"):
            if kind == "control" and paper == "80mm":
                continue
            f = text_of(ctx, codes[kind], kind, paper)
            assert number in f, (kind, paper)
            if paper != "80mm":  # the roll prints a short heading for some kinds
                assert title in f, (kind, paper)
            assert codes[kind] in f
    # Key fields of the new forms.
    stop = text_of(ctx, codes["stop"], "stop")
    assert f"Kính gửi: Ông/Bà {NAME}" in stop
    assert "Người nộp hồ sơ chết, không có người thừa kế đề nghị tiếp tục" in stop
    assert "Hồ sơ đã được giải quyết đến: Công chức Tư pháp - Hộ tịch" in stop
    assert "Thời gian dừng giải quyết: 10 giờ 15 phút, ngày 23 tháng 11 năm 2026" in stop
    assert "Phí, lệ phí đã nộp: 8.000 đồng" in stop and "Hoàn trả phí, lệ phí: Được hoàn trả" in stop
    assert "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" in stop
    apology = text_of(ctx, codes["apology"], "apology")
    assert "Cần xác minh thêm với nơi cư trú trước đây" in apology
    assert "đề nghị gia hạn thời gian giải quyết hồ sơ" in apology
    assert "08 giờ 30 phút, ngày 02 tháng 12 năm 2026" in apology
    assert "lần thứ" not in apology  # a first extension is not numbered


def test_a_second_extension_is_shown_as_such(ctx, clock):
    v = intake.receive(ctx, "HT-01", citizen(), "all")
    first_due = v.due_at
    returns.apologise(ctx, v.code, datetime(2026, 12, 2, 8, 30), "Chờ xác minh")
    returns.apologise(ctx, v.code, datetime(2026, 12, 9, 8, 30), "Chờ kết quả xác minh của tỉnh")
    f = text_of(ctx, v.code, "apology")
    assert "Đây là lần thứ 2 đề nghị gia hạn thời gian giải quyết hồ sơ này." in f
    assert f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {first_due:%H} giờ {first_due:%M} phút" in f
    assert "gia hạn lần trước: 08 giờ 30 phút, ngày 02 tháng 12 năm 2026" in f
    assert "08 giờ 30 phút, ngày 09 tháng 12 năm 2026" in f
    assert "Gia hạn lần thứ 2" in text_of(ctx, v.code, "apology", "80mm")


def test_the_2018_setting_prints_the_old_titles_and_has_no_stop_notice(ctx, clock):
    codes = dossiers(ctx, clock)
    settings_repo.put(ctx.store, "form_set", "2018")
    for kind, title in TITLES_2018.items():
        f = text_of(ctx, codes[kind], kind)
        assert title in f and "Mẫu số" not in f, kind
    with pytest.raises(UserError, match="stop"):
        slip_service.issue_slip(ctx, codes["stop"], "stop", "a4")


def test_the_stop_notice_barcodes_decode_to_the_dossier_code(ctx, clock):
    codes = dossiers(ctx, clock)
    for paper in ("a4", "a5", "80mm"):
        found = barcodes(pages(slip_service.issue_slip(ctx, codes["stop"], "stop", paper).read(), dpi=200)[0])
        assert found.get("Code128") == [codes["stop"]] and found.get("QRCode") == [codes["stop"]], paper


def test_no_stop_notice_for_a_dossier_that_was_not_stopped(ctx, clock):
    v = intake.receive(ctx, "HT-01", citizen(), "all")
    with pytest.raises(UserError, match="not stopped"):
        slip_service.issue_slip(ctx, v.code, "stop", "a4")


def test_a_stop_at_the_counter_without_fees_says_so(ctx):
    v = intake.receive(ctx, "HT-01", citizen(), "all")
    returns.stop(ctx, v.code, "Theo đề nghị của cơ quan có thẩm quyền")
    f = text_of(ctx, v.code, "stop")
    assert "Hồ sơ đã được giải quyết đến: Bộ phận tiếp nhận và trả kết quả" in f
    assert "Hoàn trả" not in f  # nothing paid, nothing to refund


# ------------------------------------------------------------------------------ the checks


def _raw(set_id: str = "2025") -> dict:
    return json.loads(forms.shipped_path(set_id).read_text(encoding="utf-8"))


def test_shipped_sets_pass_their_own_checks_and_mark_what_is_unverified():
    for set_id in forms.SHIPPED_SETS:
        fs = forms.load(_raw(set_id))
        assert fs.id == set_id
    new = forms.shipped("2025")
    assert new.effective_from == date(2025, 9, 15)
    assert forms.tracking_book(new) == ("Mẫu số 07", "SỔ THEO DÕI HỒ SƠ")
    assert new.form("stop").unverified and new.form("apology").unverified
    assert "stop" not in forms.shipped("2018").forms


def test_a_missing_label_or_an_unknown_placeholder_is_refused_with_the_label_named():
    raw = _raw()
    del raw["forms"]["receipt"]["labels"]["due_at"]
    raw["forms"]["stop"]["labels"]["intro"] = "{agency} thông báo dừng hồ sơ của {nguoi_nop}, lý do:"
    raw["texts"]["page"] = "Trang {page}/{pages"
    with pytest.raises(FormSetError) as caught:
        forms.load(raw, "sua.json")
    problems = caught.value.problems
    assert "forms.receipt.labels.due_at: thiếu nhãn" in problems
    assert any(p.startswith("forms.stop.labels.intro: chỗ điền không biết {nguoi_nop}") for p in problems)
    assert any(p.startswith("texts.page:") for p in problems)
    assert "forms.receipt.labels.due_at" in caught.value.message_vi  # every problem in the message
    assert "forms.stop.labels.intro" in caught.value.message_vi


def test_a_set_missing_a_form_or_its_date_is_refused():
    raw = _raw()
    del raw["forms"]["control"]
    raw["effective_from"] = "15/9/2025"
    with pytest.raises(FormSetError) as caught:
        forms.load(raw)
    assert "forms.control: thiếu mẫu" in caught.value.problems
    assert any(p.startswith("effective_from") for p in caught.value.problems)


# ----------------------------------------------------------- export, edit, import; by date


def test_exported_edited_imported_set_changes_the_next_slip_not_the_archived_ones(ctx, run_cli, tmp_path):
    v = intake.receive(ctx, "HT-01", citizen(), "all")
    before = slip_service.issue_slip(ctx, v.code, "receipt", "a4")
    before_bytes = before.read()
    r = run_cli("forms", "export", str(tmp_path))
    assert r.returncode == 0, r.stderr
    exported = tmp_path / "2025.json"
    raw = json.loads(exported.read_text(encoding="utf-8"))
    raw["forms"]["receipt"]["labels"]["sign_right"] = "CÔNG CHỨC TIẾP NHẬN HỒ SƠ"
    exported.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    r = run_cli("forms", "import", str(exported), "--json")
    assert r.returncode == 0, r.stderr
    assert r.json()["source"] == "local"
    listed = run_cli("forms", "list", "--json").json()
    assert [s["source"] for s in listed if s["in_force"]] == ["local"]
    after = slip_service.issue_slip(ctx, v.code, "receipt", "a4")
    assert "CÔNG CHỨC TIẾP NHẬN HỒ SƠ" in flat(pdf_text(after.read()))
    assert slip_service.reprint(ctx, before.id).read() == before_bytes  # the archived file, unchanged
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in flat(pdf_text(before_bytes))
    audit = ctx.store.query("SELECT action FROM audit_log WHERE action LIKE 'form_set.%'")
    assert [a["action"] for a in audit] == ["form_set.export", "form_set.install_local"]


def test_a_bad_import_is_refused_whole_with_exit_2_and_every_problem(ctx, run_cli, tmp_path):
    raw = _raw()
    del raw["forms"]["apology"]["labels"]["sorry"]
    raw["forms"]["receipt"]["labels"]["sets"] = "2. Số lượng hồ sơ: {so_bo} bộ"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    r = run_cli("forms", "import", str(bad))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "forms.apology.labels.sorry" in r.stderr and "forms.receipt.labels.sets" in r.stderr
    assert ctx.store.query_one("SELECT COUNT(*) AS n FROM form_sets")["n"] == 0
    (tmp_path / "junk.json").write_text("{not json", encoding="utf-8")
    assert run_cli("forms", "import", str(tmp_path / "junk.json")).returncode == 2


def test_export_follows_the_rule_for_named_files(ctx, run_cli, tmp_path):
    assert run_cli("forms", "export", str(tmp_path)).returncode == 0
    r = run_cli("forms", "export", str(tmp_path))  # the file exists now
    assert r.returncode == 2
    assert run_cli("forms", "export", str(tmp_path), "--force").returncode == 0
    assert run_cli("forms", "export", str(ctx.data_dir)).returncode == 2


def test_a_set_applies_from_its_date(ctx, clock):
    raw = _raw()
    raw["effective_from"] = "2026-12-01"
    raw["forms"]["receipt"]["title"] = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ (SỬA)"
    form_sets.install(ctx, json.dumps(raw).encode(), source="hub", what="hub")
    v = intake.receive(ctx, "HT-01", citizen(), "all")
    assert "(SỬA)" not in text_of(ctx, v.code, "receipt")  # 23/11: the shipped 2025 set
    clock.now = datetime(2026, 12, 1, 8, 0)
    assert "(SỬA)" in text_of(ctx, v.code, "receipt")  # printed on 1/12: the new version
    assert form_sets.in_force(ctx, date(2025, 9, 14)).id == "2018"  # before the 2025 annex applied


def test_the_setting_is_checked(ctx):
    with pytest.raises(UserError):
        settings_repo.put(ctx.store, "form_set", "../2025")
    settings_repo.put(ctx.store, "form_set", "2030")
    with pytest.raises(UserError, match="2030"):
        form_sets.in_force(ctx)


def test_the_tracking_book_carries_its_form_number_and_title(ctx):
    from motcua_desktop.domain.reports import Period
    from motcua_desktop.services import reports

    period = Period(date(2026, 11, 1), date(2026, 11, 30))
    f = flat(pdf_text(reports.book_pdf_bytes(ctx, [], period)))
    assert "Mẫu số 07" in f and "SỔ THEO DÕI HỒ SƠ" in f
    settings_repo.put(ctx.store, "form_set", "2018")
    f = flat(pdf_text(reports.book_pdf_bytes(ctx, [], period)))
    assert "Mẫu số" not in f and "SỔ THEO DÕI HỒ SƠ" in f
