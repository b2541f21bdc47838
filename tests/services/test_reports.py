"""Reports over the fixed November dataset (tests/report_dataset.py has the hand count)."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from motcua_desktop.errors import UserError
from motcua_desktop.services import reports, returns

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import report_dataset  # noqa: E402

EXPECTED = {
    "received": 12, "carried_over": 1, "received_total": 13,
    "by_channel": {"direct": 10, "post": 1, "online": 1},
    "resolved": {"total": 9, "early": 2, "on_time": 5, "late": 2, "late_with_apology": 1},
    "in_progress": {"total": 2, "within_due": 1, "past_due": 1},
    "refused": 2, "withdrawn": 1, "stopped": 1, "supplement_requested": 1, "supplement_rounds": 3,
    "apologies": 1, "awaiting_pickup": 7, "voided": 0,
    "satisfaction": {"count": 2, "mean": 4.0, "distribution": {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}},
    "on_time_rate": 0.7778,
}


@pytest.fixture
def november(ctx):
    codes = report_dataset.build(ctx)
    return codes, reports.period(ctx, "2026-11-01", "2026-11-30")


def test_every_number_of_november_matches_the_hand_count(ctx, november):
    codes, p = november
    stats = reports.statistics(ctx, p).to_json()
    by_field = stats.pop("by_field")
    stats.pop("weeks")
    assert stats.pop("period") == {"from": "2026-11-01", "to": "2026-11-30"}
    assert stats.pop("as_of") == "2026-12-01T12:00"
    assert stats == EXPECTED
    assert list(by_field) == ["Hộ tịch", "Đất đai"]
    land = by_field["Đất đai"]
    assert (land["received"], land["by_channel"]["post"], land["in_progress"]["within_due"]) == (1, 1, 1)
    assert by_field["Hộ tịch"]["received"] == 11 and by_field["Hộ tịch"]["resolved"]["total"] == 9


def test_the_numbers_list_their_dossiers(ctx, november):
    codes, p = november
    t = reports.statistics(ctx, p).total
    name = {v: k for k, v in codes.items()}
    assert sorted(name[c] for c in t.codes["early"]) == ["D", "F2"]
    assert sorted(name[c] for c in t.codes["on_time"]) == ["A", "B", "F1", "G", "O"]
    assert sorted(name[c] for c in t.codes["late"]) == ["C", "E"]
    assert [name[c] for c in t.codes["carried_over"]] == ["A"]
    assert sorted(name[c] for c in t.codes["supplement_rounds"]) == ["G", "J", "K2"]
    assert sorted(name[c] for c in t.codes["awaiting_pickup"]) == ["A", "B", "C", "F1", "F2", "G", "O"]


def test_october_and_december_see_the_same_dossiers_from_their_side(ctx, november):
    codes, _ = november
    october = reports.statistics(ctx, reports.period(ctx, "2026-10-01", "2026-10-31")).total
    name = {v: k for k, v in codes.items()}
    assert sorted(name[c] for c in october.codes["received"]) == ["A", "Z"]
    assert [name[c] for c in october.codes["within_due"]] == ["A"]
    assert [name[c] for c in october.codes["early"]] == ["Z"]
    december = reports.statistics(ctx, reports.period(ctx, "2026-12-01", "2026-12-31")).total
    assert sorted(name[c] for c in december.codes["carried_over"]) == ["H", "I"]
    assert [name[c] for c in december.codes["received"]] == ["P"]


def test_grid_rows(ctx, november):
    from motcua_desktop.domain.reports import grid

    _, p = november
    rows = grid(reports.statistics(ctx, p))
    assert rows == [[1, "Hộ tịch", 12, 1, 10, 1, 9, 2, 5, 2, 1, 0, 1],
                    [2, "Đất đai", 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0],
                    ["", "Tổng cộng", 13, 1, 11, 1, 9, 2, 5, 2, 2, 1, 1]]


def test_tracking_book_entries_and_filters(ctx, november):
    codes, p = november
    book = reports.book(ctx, p)
    assert len(book) == 15  # everyone first seen in November (A, Z before; P after)
    assert [e.number for e in book] == list(range(1, 16))
    h = next(e for e in book if e.code == codes["H"])
    assert h.agency == "Công chức Địa chính" and h.forwarded_at == datetime(2026, 11, 20, 10, 0)
    assert "bưu chính" in h.note
    e = next(e for e in book if e.code == codes["E"])
    assert e.due_at == datetime(2026, 11, 16, 9, 0) and "Xin lỗi, hẹn lại 1 lần" in e.note
    assert e.returned_at == datetime(2026, 11, 19, 9, 0)
    assert [x.code for x in reports.book(ctx, p, field="Đất đai")] == [codes["H"]]
    assert [x.code for x in reports.book(ctx, p, status="withdrawn")] == [codes["L"]]
    assert [x.code for x in reports.book(ctx, p, text="nguoi nop k1")] == [codes["K1"]]
    with pytest.raises(UserError):
        reports.book(ctx, p, status="garbage")


def test_due_ahead_lists_the_next_five_working_days(ctx, november):
    codes, _ = november
    ahead = reports.due_ahead(ctx)
    assert len(ahead) == 6 and list(ahead)[1] == "2026-12-01"
    assert codes["I"] in ahead["overdue"]
    assert any(codes["H"] in v for k, v in ahead.items() if k != "overdue")


def test_bad_periods(ctx):
    with pytest.raises(UserError, match="before"):
        reports.period(ctx, "2026-11-30", "2026-11-01")
    with pytest.raises(UserError, match="2000-2099"):
        reports.period(ctx, "1999-12-01", "2026-01-01")
    with pytest.raises(UserError):
        reports.period(ctx, "30/11/2026", None)
    assert reports.period(ctx) == reports.period(ctx, "2026-11-01", "2026-11-30")  # clock: 23/11/2026


def test_backdated_steps_keep_the_story_in_order(ctx):
    from motcua_desktop.services import intake

    ctx.clock = lambda: datetime(2026, 12, 1, 12, 0)
    code = intake.receive(ctx, "HT-05", report_dataset.person("Lê Văn Thứ Tự", 1), "all",
                          at=datetime(2026, 11, 9, 9, 0)).code
    returns.forward(ctx, code, at=datetime(2026, 11, 10, 9, 0))
    with pytest.raises(UserError, match="previous step"):
        returns.result_ready(ctx, code, at=datetime(2026, 11, 9, 15, 0))  # before the forward
    with pytest.raises(UserError, match="previous step"):
        returns.apologise(ctx, code, date(2026, 11, 20), "Chờ xác minh", at=datetime(2026, 11, 9, 10, 0))
    with pytest.raises(UserError, match="future"):
        returns.apologise(ctx, code, date(2026, 12, 20), "Chờ xác minh", at=datetime(2026, 12, 2, 10, 0))
    v = returns.apologise(ctx, code, date(2026, 11, 20), "Chờ xác minh", at=datetime(2026, 11, 13, 10, 0))
    assert v.due_at == datetime(2026, 11, 20, 9, 0) and v.original_due_at == datetime(2026, 11, 16, 9, 0)
    apology = returns.apologies(ctx, code)[0]
    assert apology["at"] == "2026-11-13T10:00:00" and apology["after_due"] is False
