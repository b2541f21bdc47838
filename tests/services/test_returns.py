"""Return desk services: result ready, hand-over (once), apology (original due kept), queue, scan lookup."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.domain.dossier import Status
from motcua_desktop.errors import NotFound, UserError
from motcua_desktop.services import dossiers, intake, returns
from motcua_desktop.services.returns import Collector

CITIZEN = Applicant(name="Trần Văn Bình", id_number="001088012345", phone="0912345678")


@contextmanager
def refused(pattern: str) -> Iterator[None]:
    """A UserError whose Vietnamese message (what the clerk reads) matches the pattern."""
    with pytest.raises(UserError) as info:
        yield
    assert re.search(pattern, info.value.message_vi), info.value.message_vi


@pytest.fixture(autouse=True)
def quiet_week(clock):
    """Receive on Mon 7/12/2026 09:00: a week without holidays (24/11 is one in `holidays` 0.109)."""
    clock.now = datetime(2026, 12, 7, 9, 0)


def receive(ctx, procedure: str = "HT-04", who: Applicant = CITIZEN) -> str:
    return intake.receive(ctx, procedure, who, "all").code


def counts(ctx) -> dict[str, int]:
    q = ctx.store.query_one
    return {"events": q("SELECT COUNT(*) AS n FROM dossier_events")["n"],
            "outbox": q("SELECT COUNT(*) AS n FROM outbox")["n"],
            "audit": q("SELECT COUNT(*) AS n FROM audit_log")["n"]}


def test_result_ready_records_time_event_outbox_and_audit(ctx, clock):
    code = receive(ctx)
    before = counts(ctx)
    clock.now = datetime(2026, 12, 9, 10, 15)
    view = returns.result_ready(ctx, code)
    assert view.status is Status.RESULT_READY
    assert view.result_ready_at == datetime(2026, 12, 9, 10, 15)
    after = counts(ctx)
    assert after == {k: v + 1 for k, v in before.items()}
    last = view.events[-1]
    assert last.type == "result_ready" and last.payload["late"] is False
    # A second time is refused, saying since when.
    with refused("đã được ghi nhận có kết quả lúc 10:15 ngày 09/12/2026"):
        returns.result_ready(ctx, code)
    assert counts(ctx) == after


def test_forward_then_result_ready(ctx):
    code = receive(ctx)
    assert returns.forward(ctx, code, to="Công chức Tư pháp - Hộ tịch").status is Status.IN_PROGRESS
    assert returns.result_ready(ctx, code).status is Status.RESULT_READY


def test_result_ready_refused_for_a_dossier_waiting_for_papers(ctx):
    code = intake.receive(ctx, "HT-04", CITIZEN, "none").code
    with refused("Chờ bổ sung"):
        returns.result_ready(ctx, code)


def test_hand_over_to_the_applicant_with_rating(ctx, clock):
    code = receive(ctx)
    returns.result_ready(ctx, code)
    clock.now = datetime(2026, 12, 10, 14, 5)
    view = returns.hand_over(ctx, code, Collector("applicant"), rating=5)
    assert view.status is Status.RETURNED
    assert view.returned_at == datetime(2026, 12, 10, 14, 5)
    assert view.rating == 5
    assert view.clerk == ctx.who()
    assert view.returned_to["name"] == "Trần Văn Bình"
    assert view.returned_to["id_number"] == "001088012345"
    assert view.events[-1].type == "return"


def test_second_hand_over_is_refused_and_changes_nothing(ctx, clock):
    code = receive(ctx)
    returns.result_ready(ctx, code)
    clock.now = datetime(2026, 12, 10, 14, 5)
    returns.hand_over(ctx, code, Collector("authorised", name="Lê Thị Hoa", id_number="079190000123"))
    row_before = ctx.store.query_one("SELECT * FROM dossiers WHERE code = ?", (code,))
    before = counts(ctx)
    clock.now = datetime(2026, 11, 27, 8, 0)
    with pytest.raises(UserError) as info:
        returns.hand_over(ctx, code, Collector("applicant"), rating=1)
    msg = info.value.message_vi
    assert "đã được trả kết quả lúc 14:05 ngày 10/12/2026 cho Lê Thị Hoa" in msg
    assert "Không trả kết quả lần thứ hai" in msg
    assert ctx.store.query_one("SELECT * FROM dossiers WHERE code = ?", (code,)) == row_before
    assert counts(ctx) == before


def test_hand_over_before_the_result_is_refused(ctx):
    code = receive(ctx)
    with refused("chưa có kết quả"):
        returns.hand_over(ctx, code)
    assert dossiers.get(ctx, code).status is Status.RECEIVED


def test_authorised_person_needs_name_and_valid_id(ctx):
    code = receive(ctx)
    returns.result_ready(ctx, code)
    with refused("Chưa nhập tên"):
        returns.hand_over(ctx, code, Collector("authorised", id_number="079190000123"))
    with refused("12 chữ số|CCCD"):
        returns.hand_over(ctx, code, Collector("authorised", name="Lê Thị Hoa", id_number="12345"))
    with refused("từ 1 đến 5"):
        returns.hand_over(ctx, code, rating=6)
    assert dossiers.get(ctx, code).status is Status.RESULT_READY
    view = returns.hand_over(ctx, code, Collector("authorised", name=" lê  thị hoa ", id_number="B1234567",
                                                  note="Giấy ủy quyền số 12/UQ"))
    assert view.returned_to == {"kind": "authorised", "name": "lê thị hoa", "id_kind": "passport",
                                "id_number": "B1234567", "note": "Giấy ủy quyền số 12/UQ"}


def test_apology_moves_due_keeps_original_and_counts(ctx, clock):
    code = receive(ctx)  # HT-04: 3 working days from Mon 7/12 09:00 -> Thu 10/12 09:00
    original = dossiers.get(ctx, code).due_at
    assert original == datetime(2026, 12, 10, 9, 0)
    clock.now = datetime(2026, 12, 9, 15, 0)
    view = returns.apologise(ctx, code, date(2026, 12, 15), "Chờ xác minh của UBND xã nơi cư trú trước đây")
    assert view.due_at == datetime(2026, 12, 15, 9, 0)  # a date alone keeps the clock time
    assert view.original_due_at == original
    assert view.apology_count == 1
    ev = view.events[-1]
    assert ev.type == "apologise"
    assert ev.payload["old_due_at"] == "2026-12-10T09:00:00"
    assert ev.payload["new_due_at"] == "2026-12-15T09:00:00"
    assert ev.payload["original_due_at"] == "2026-12-10T09:00:00"
    assert ev.payload["reason"] == "Chờ xác minh của UBND xã nơi cư trú trước đây"
    assert ev.payload["after_due"] is False
    # A second apology, this time after the (new) due date: allowed, recorded as late.
    clock.now = datetime(2026, 12, 15, 10, 0)
    view = returns.apologise(ctx, code, datetime(2026, 12, 17, 14, 0), "Cơ quan cấp trên chưa trả lời")
    assert view.due_at == datetime(2026, 12, 17, 14, 0)
    assert view.original_due_at == original
    assert view.apology_count == 2
    assert view.events[-1].payload["after_due"] is True
    assert [a["apology_no"] for a in returns.apologies(ctx, code)] == [1, 2]


def test_apology_refuses_bad_dates_and_missing_reason(ctx, clock):
    code = receive(ctx)  # due Thu 10/12 09:00
    before = counts(ctx)
    with refused("lý do"):
        returns.apologise(ctx, code, date(2026, 12, 15), "  ")
    with refused("sau ngày hẹn cũ"):
        returns.apologise(ctx, code, date(2026, 12, 9), "Chậm")
    with refused("không phải ngày làm việc"):
        returns.apologise(ctx, code, date(2026, 12, 12), "Chậm")  # a Saturday
    assert counts(ctx) == before
    assert dossiers.get(ctx, code).apology_count == 0


def test_new_due_in_working_days_skips_the_weekend(ctx):
    code = receive(ctx)  # due Thu 10/12 09:00
    assert returns.new_due_in_working_days(ctx, code, 2) == datetime(2026, 12, 14, 9, 0)


def test_stop_and_withdraw(ctx):
    a, b = receive(ctx), receive(ctx)
    with refused("lý do"):
        returns.stop(ctx, a, "")
    assert returns.stop(ctx, a, "Người nộp không bổ sung nghĩa vụ tài chính").status is Status.STOPPED
    assert returns.withdraw(ctx, b, "Công dân xin rút").status is Status.WITHDRAWN
    with pytest.raises(UserError):
        returns.result_ready(ctx, a)


def test_results_queue_order_flags_counts_and_filters(ctx, clock):
    # Received Mon 7/12 09:00: CT-03 (2 days) due Wed 9/12, HT-04 (3) due Thu 10/12, DD-03 (7) due Wed 16/12.
    late = receive(ctx, "CT-03")
    today = receive(ctx, "HT-04")
    later = receive(ctx, "DD-03")
    waiting = receive(ctx, "HT-05")  # not ready: not in the queue
    for code in (later, today, late):
        returns.result_ready(ctx, code)
    clock.now = datetime(2026, 12, 10, 8, 0)
    page = returns.results_queue(ctx)
    assert [r.code for r in page.rows] == [late, today, later]
    assert waiting not in [r.code for r in page.rows]
    assert (page.total, page.overdue, page.due_today) == (3, 1, 1)
    flags = {r.code: (r.overdue, r.due_today) for r in page.rows}
    assert flags == {late: (True, False), today: (False, True), later: (False, False)}
    assert page.rows[0].applicant == "Trần Văn Bình"
    assert page.rows[0].procedure.startswith("Chứng thực hợp đồng")
    only = returns.results_queue(ctx, field="Hộ tịch")
    assert [r.code for r in only.rows] == [today] and only.total == 1
    ranged = returns.results_queue(ctx, date_from="2026-12-10", date_to="2026-12-10")
    assert [r.code for r in ranged.rows] == [today]
    assert returns.results_queue(ctx, limit=1, offset=1).rows[0].code == today
    with refused("YYYY-MM-DD"):
        returns.results_queue(ctx, date_from="10/12/2026")


def test_due_soon_lists_past_today_and_next_working_day(ctx, clock):
    past = receive(ctx, "CT-03")  # due Wed 9/12 09:00
    tomorrow = receive(ctx, "HT-04")  # due Thu 10/12
    monday = receive(ctx, "HT-05")  # 5 working days: due Mon 14/12
    far = receive(ctx, "DD-03")  # due Wed 16/12
    ready = receive(ctx, "CT-04")
    returns.result_ready(ctx, ready)  # the result is back: not "due soon" any more
    clock.now = datetime(2026, 12, 9, 16, 0)
    assert [r.code for r in returns.due_soon(ctx)] == [past, tomorrow]
    # Friday: the next working day is Monday, so Monday's appointments show too.
    clock.now = datetime(2026, 12, 11, 8, 0)
    rows = returns.due_soon(ctx)
    assert [r.code for r in rows] == [past, tomorrow, monday]
    assert far not in [r.code for r in rows] and ready not in [r.code for r in rows]
    assert rows[0].overdue and not rows[2].overdue


def test_lookup_scan_is_tolerant_around_and_strict_on_shape(ctx):
    code = receive(ctx)
    assert returns.lookup_scan(ctx, f"\x02  {code.lower()}\r\n").code == code
    assert returns.lookup_scan(ctx, f"\t{code}\x1d").status is Status.RECEIVED
    missing = code[:-4] + "1999"
    with pytest.raises(NotFound) as info:
        returns.lookup_scan(ctx, missing)
    assert info.value.message_vi == f"Không tìm thấy hồ sơ {missing}. Kiểm tra lại mã trên phiếu hẹn."
    for garbage in ("", "xyz", code + "7", code.replace("-", "_"), "000.00.01.H22-261399-1001"):
        with refused("Quét lại|không phải mã hồ sơ"):
            returns.lookup_scan(ctx, garbage)


def test_events_are_documented_shape(ctx):
    code = receive(ctx)
    returns.result_ready(ctx, code)
    returns.hand_over(ctx, code, rating=4)
    rows = ctx.store.query("SELECT type, payload FROM dossier_events WHERE dossier_code = ? ORDER BY seq", (code,))
    assert [r["type"] for r in rows] == ["intake", "result_ready", "return"]
    payload = json.loads(rows[-1]["payload"])
    assert payload["status"] == "returned" and payload["rating"] == 4 and payload["collector"]["kind"] == "applicant"


def test_queue_puts_dossiers_without_an_appointment_last_across_pages(ctx):
    # Dossiers are no longer received without an appointment; one recorded by an earlier version of
    # the app (processing time unknown, no date) must still be listed, after the dated ones.
    undated = intake.receive(ctx, "DD-04", CITIZEN, "all", due_at=datetime(2026, 12, 30, 9, 0)).code
    ctx.store.execute("UPDATE dossiers SET due_at = NULL, original_due_at = NULL WHERE code = ?", (undated,))
    dated = [receive(ctx, "HT-04"), receive(ctx, "CT-03")]
    for code in (undated, *dated):
        returns.result_ready(ctx, code)
    assert dossiers.get(ctx, undated).due_at is None
    assert [r.code for r in returns.results_queue(ctx).rows] == [dated[1], dated[0], undated]
    assert [r.code for r in returns.results_queue(ctx, limit=2, offset=2).rows] == [undated]
    assert [r.code for r in returns.results_queue(ctx, limit=1, offset=1).rows] == [dated[0]]
    assert returns.results_queue(ctx, limit=5, offset=3).rows == []
    page = returns.results_queue(ctx)
    assert (page.total, page.overdue, page.due_today) == (3, 0, 0)
    assert returns.results_queue(ctx, field="Đất đai").rows[0].code == undated
