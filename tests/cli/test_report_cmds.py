"""`motcua report`: the JSON of the issue, the workbook read back with openpyxl, the PDF's text."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from pdf_checks import flat, pdf_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import report_dataset  # noqa: E402

NOV = ("--from", "2026-11-01", "--to", "2026-11-30")


@pytest.fixture
def november(ctx):
    codes = report_dataset.build(ctx)
    ctx.close()
    return codes


def test_json_has_the_keys_of_the_issue(run_cli, november):
    r = run_cli("report", *NOV, "--json")
    assert r.returncode == 0, r.stderr
    j = r.json()
    for key in ("received", "carried_over", "by_channel", "resolved", "in_progress", "refused", "withdrawn",
                "stopped", "supplement_requested", "supplement_rounds", "apologies", "awaiting_pickup",
                "satisfaction", "on_time_rate", "by_field"):
        assert key in j, key
    assert (j["received"], j["carried_over"], j["by_channel"]) == (12, 1, {"direct": 10, "post": 1, "online": 1})
    assert j["resolved"] == {"total": 9, "early": 2, "on_time": 5, "late": 2, "late_with_apology": 1}
    assert j["in_progress"] == {"total": 2, "within_due": 1, "past_due": 1}
    assert (j["satisfaction"]["count"], j["satisfaction"]["mean"], j["on_time_rate"]) == (2, 4.0, 0.7778)
    assert j["by_field"]["Đất đai"]["by_channel"]["post"] == 1
    text = run_cli("report", *NOV)
    assert text.returncode == 0 and "Đã giải quyết: 9 (trước hạn 2, đúng hạn 5, quá hạn 2" in text.stdout


def test_xlsx_grid_statistics_and_book(run_cli, november, tmp_path):
    out = tmp_path / "bao-cao.xlsx"
    r = run_cli("report", *NOV, "--xlsx", str(out))
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Biểu II.06", "Số liệu", "Sổ theo dõi hồ sơ"]
    grid = wb["Biểu II.06"]
    assert grid["A3"].value == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    assert grid["A4"].value == "Kỳ báo cáo: Từ ngày 01/11/2026 đến ngày 30/11/2026"
    assert grid["A5"].value == "Đơn vị tính: Số hồ sơ TTHC"
    assert grid["A1"].value.startswith("Đơn vị báo cáo: ") and grid["A2"].value.startswith("Đơn vị nhận báo cáo")
    merged = {str(m) for m in grid.merged_cells.ranges}
    assert {"A6:A7", "B6:B7", "C6:F6", "G6:J6", "K6:M6", "A3:M3"} <= merged
    assert [grid.cell(6, c).value for c in (3, 7, 11)] == ["Tiếp nhận", "Đã giải quyết", "Đang giải quyết"]
    assert [grid.cell(7, c).value for c in range(3, 14)] == [
        "Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước", "Tổng số", "Trước hạn",
        "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"]
    assert [grid.cell(8, c).value for c in (1, 13)] == ["(1)", "(13)"]
    rows = [[c.value for c in row] for row in grid.iter_rows(min_row=9, max_row=11, max_col=13)]
    assert rows == [[1, "Hộ tịch", 12, 1, 10, 1, 9, 2, 5, 2, 1, 0, 1],
                    [2, "Đất đai", 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0],
                    [None, "Tổng cộng", 13, 1, 11, 1, 9, 2, 5, 2, 2, 1, 1]]
    values = [c.value for row in grid.iter_rows(min_row=12) for c in row if c.value]
    assert "THỦ TRƯỞNG ĐƠN VỊ" in values and any("ngày" in str(v) and "tháng" in str(v) for v in values)
    stats = {row[0]: row[1] for row in wb["Số liệu"].iter_rows(min_row=5, values_only=True) if row[0]}
    assert stats["Tiếp nhận mới trong kỳ"] == 12 and stats["Phiếu xin lỗi, hẹn lại đã phát hành"] == 1
    book = wb["Sổ theo dõi hồ sơ"]
    assert book.freeze_panes == "A2"
    assert [c.value for c in book[1]][:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    assert book.column_dimensions["B"].width >= 25
    codes = [row[1] for row in book.iter_rows(min_row=2, values_only=True)]
    assert november["E"] in codes and november["P"] not in codes and len(codes) == 15
    e = next(row for row in book.iter_rows(min_row=2) if row[1].value == november["E"])
    assert e[7].value == datetime(2026, 11, 9, 9, 0) and e[7].is_date  # a real Excel date
    assert e[7].number_format == "dd/mm/yyyy hh:mm"


def test_pdf_has_every_column_header_and_the_totals(run_cli, november, tmp_path):
    out = tmp_path / "bao-cao.pdf"
    r = run_cli("report", *NOV, "--pdf", str(out))
    assert r.returncode == 0, r.stderr
    text = flat(pdf_text(out.read_bytes(), layout=False))
    for words in ("TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", "Biểu II.06", "Đơn vị báo cáo",
                  "Đơn vị nhận báo cáo", "Từ ngày 01/11/2026 đến ngày 30/11/2026", "Đơn vị tính: Số hồ sơ TTHC",
                  "Tiếp nhận", "Đã giải quyết", "Đang giải quyết", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính",
                  "Từ kỳ trước", "Trước hạn", "Đúng hạn", "Quá hạn", "Trong hạn", "Lĩnh vực", "Tổng số",
                  "THỦ TRƯỞNG ĐƠN VỊ", "Tiếp nhận và giải quyết theo tuần", "Hồ sơ đến hạn trong 5 ngày làm việc tới"):
        assert words in text, words
    assert "Tổng cộng 13 1 11 1 9 2 5 2 2 1 1" in text


@pytest.mark.parametrize("args, message", [
    (("--from", "2026-11-30", "--to", "2026-11-01"), "before"),
    (("--from", "1999-11-01", "--to", "2026-11-30"), "2000-2099"),
    (("--from", "2026-11-01", "--to", "2100-01-01"), "2000-2099"),
    (("--from", "01/11/2026"), "YYYY-MM-DD"),
])
def test_bad_periods_exit_2_and_write_nothing(run_cli, november, tmp_path, args, message):
    out = tmp_path / "x.xlsx"
    r = run_cli("report", *args, "--xlsx", str(out))
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_unwritable_file_exit_2(run_cli, november, tmp_path):
    r = run_cli("report", *NOV, "--pdf", "/proc/x.pdf")
    assert r.returncode == 2 and "cannot write" in r.stderr
    r = run_cli("report", *NOV, "--xlsx", str(tmp_path))
    assert r.returncode == 2
    r = run_cli("report", *NOV, "--pdf", str(tmp_path / "no-such-dir" / "x.pdf"))
    assert r.returncode == 2 and not (tmp_path / "no-such-dir").exists()
    assert list(tmp_path.glob(".*.tmp")) == []


def test_every_clerk_operation_takes_at_with_the_receive_checks(run_cli):
    assert run_cli("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH").returncode == 0

    def receive(name: str, when: str, *extra: str) -> str:
        r = run_cli("receive", "--procedure", "HT-05", "--name", name, "--id-number", "001088012345",
                    "--at", when, "--json", *extra)
        assert r.returncode == 0, r.stderr
        return r.json()["code"]

    a = receive("Nguyễn Văn A", "2026-11-09T09:00")
    ok = [("forward", a, "--at", "2026-11-09T10:00"),
          ("apologise", a, "--new-due", "2026-11-20", "--reason", "Chờ xác minh", "--at", "2026-11-13T10:00"),
          ("result-ready", a, "--at", "2026-11-18T09:00"),
          ("return", a, "--rating", "4", "--at", "2026-11-19T09:00")]
    b = receive("Trần Thị B", "2026-11-10T09:00")
    c = receive("Lê Văn C", "2026-11-10T10:00", "--provided", "none")
    d = receive("Phạm Văn D", "2026-11-11T09:00", "--provided", "none")
    e = receive("Đỗ Thị E", "2026-11-12T09:00")
    ok += [("stop", b, "--reason", "Đã mất", "--at", "2026-11-12T09:00"),
           ("supplement", c, "--provided", "all", "--at", "2026-11-13T09:00"),
           ("refuse", d, "--reason", "Không đủ điều kiện", "--at", "2026-11-13T09:30"),
           ("withdraw", e, "--at", "2026-11-13T10:00")]
    before = [("forward", c, "--at", "2026-11-13T08:00"),  # before the supplement that made it complete
              ("result-ready", c, "--at", "2026-11-10T09:00"),
              ("apologise", c, "--new-due", "2026-11-30", "--reason", "x", "--at", "2026-11-12T09:00")]
    future = [("forward", c, "--at", "2099-01-01T09:00"), ("result-ready", c, "--at", "2099-01-01T09:00"),
              ("apologise", c, "--new-due", "2099-02-02", "--reason", "x", "--at", "2099-01-01T09:00")]
    for args in ok:
        r = run_cli(*args)
        assert r.returncode == 0, (args, r.stderr)
    for args in before + future:
        r = run_cli(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert "before" in r.stderr or "future" in r.stderr, r.stderr
    shown = run_cli("dossier", "show", a, "--json").json()
    assert [(ev["type"], ev["at"]) for ev in shown["events"]] == [
        ("intake", "2026-11-09T09:00"), ("forward", "2026-11-09T10:00"), ("apologise", "2026-11-13T10:00"),
        ("result_ready", "2026-11-18T09:00"), ("return", "2026-11-19T09:00")]
    j = run_cli("report", *NOV, "--json").json()
    assert (j["received"], j["resolved"]["late"], j["resolved"]["late_with_apology"], j["stopped"], j["refused"],
            j["withdrawn"], j["apologies"], j["supplement_rounds"]) == (4, 1, 1, 1, 1, 1, 1, 2)
