"""Intake operations: receive, supplement, refuse, withdraw — one transaction each, with event, outbox, audit."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.domain.dossier import Provided, Status
from motcua_desktop.errors import NotFound, UserError
from motcua_desktop.services import dossiers, intake
from motcua_desktop.services.intake import FeeInput

A = Applicant(name="Phạm Thị Dung", id_number="001203004567", phone="0912345678", address="Thôn Đông, xã Hòa Bình")


def counts(ctx) -> tuple[int, int, int, int]:
    q = lambda t: ctx.store.query_one(f"SELECT COUNT(*) AS n FROM {t}")["n"]  # noqa: E731
    return q("dossiers"), q("dossier_events"), q("outbox"), q("audit_log")


def test_receive_complete_dossier(ctx, clock) -> None:
    clock.now = datetime(2026, 11, 23, 14, 0)
    v = intake.receive(ctx, "HT-01", A, "all", fee=FeeInput(exempt_reason="Đăng ký đúng hạn"))
    assert v.status is Status.RECEIVED and v.status.national_code == 2
    assert v.received_at == datetime(2026, 11, 23, 14, 0) and v.due_at == datetime(2026, 11, 23, 17, 0)
    assert v.missing == () and v.provided_numbers == (1, 2)
    assert v.procedure.name == "Đăng ký khai sinh" and v.applicant.name == "Phạm Thị Dung"
    assert (v.fee_amount, v.fee_exempt_reason) == (0, "Đăng ký đúng hạn")
    assert v.clerk == "Nguyễn Thị Tiếp Nhận" and not v.entered_late
    [e] = v.events
    assert (e.type, e.seq, e.actor) == ("intake", 1, "Nguyễn Thị Tiếp Nhận")
    assert e.payload["status"] == "received" and e.payload["procedure_snapshot"]["code"] == "HT-01"
    assert ctx.store.query_one("SELECT event_id FROM outbox")["event_id"] == e.id
    audit = ctx.store.query_one("SELECT * FROM audit_log WHERE subject = ?", (v.code,))
    assert audit["action"] == "dossier.intake.received" and audit["actor"] == "Nguyễn Thị Tiếp Nhận"


def test_incomplete_dossier_lists_exactly_the_missing_papers_then_completes(ctx, clock) -> None:
    clock.now = datetime(2026, 11, 16, 9, 0)
    # CTR-01 (Đăng ký thường trú): components 1, 2 required, 3 optional.
    v = intake.receive(ctx, "CTR-01", A, "1", note="Mang bản chính để đối chiếu")
    assert v.status is Status.SUPPLEMENT_REQUESTED and v.status.national_code == 5
    assert v.missing == (2,) and v.received_at is None and v.due_at is None
    assert len(v.missing_texts()) == 1 and v.missing_texts()[0].startswith(v.procedure.documents[1].name)
    assert v.supplement_note == "Mang bản chính để đối chiếu"
    assert v.code.endswith("-1001")  # the supplement slip carries a code too
    waiting = [d.code for d in dossiers.by_status(ctx, Status.SUPPLEMENT_REQUESTED)]
    assert waiting == [v.code]
    # The citizen comes back two days later with paper 2: received, the clock starting now.
    clock.now = datetime(2026, 11, 18, 10, 15)
    v2 = intake.supplement(ctx, v.code, "2")
    assert v2.code == v.code and v2.status is Status.RECEIVED
    assert v2.received_at == datetime(2026, 11, 18, 10, 15)
    assert v2.due_at == datetime(2026, 11, 30, 10, 15)  # 7 working days; 24 Nov off
    assert v2.fee_amount == 20000  # the procedure's fee, collected on receipt
    assert [e.type for e in v2.events] == ["intake", "supplement"] and [e.seq for e in v2.events] == [1, 2]
    assert counts(ctx)[2] == 2  # one outbox row per event


def test_supplement_only_for_a_waiting_dossier(ctx) -> None:
    v = intake.receive(ctx, "HT-01", A)
    with pytest.raises(UserError) as e:
        intake.supplement(ctx, v.code, "all")
    assert "không chờ bổ sung" in e.value.message_vi
    assert len(dossiers.get(ctx, v.code).events) == 1


def test_optional_components_never_block(ctx) -> None:
    v = intake.receive(ctx, "HT-04", A, "1")  # components 2, 3 optional
    assert v.status is Status.RECEIVED and v.missing == ()


def test_supplement_still_incomplete_stays_waiting(ctx) -> None:
    v = intake.receive(ctx, "CT-06", A, "none")
    assert v.missing == (1, 2, 3, 4, 5)
    v = intake.supplement(ctx, v.code, [1, 3])
    assert v.status is Status.SUPPLEMENT_REQUESTED and v.missing == (2, 4, 5)
    v = intake.supplement(ctx, v.code, "2,4,5")
    assert v.status is Status.RECEIVED and v.provided_numbers == (1, 2, 3, 4, 5)


def test_form_and_count_of_provided_papers_are_kept(ctx) -> None:
    v = intake.receive(ctx, "HT-01", A, [Provided(1, "original", 1), Provided(2, "copy", 2)])
    assert v.provided == (Provided(1, "original", 1), Provided(2, "copy", 2))
    shown = dossiers.get(ctx, v.code).to_json()["provided"]
    assert shown[1]["form"] == "copy" and shown[1]["count"] == 2


def test_refuse_and_withdraw(ctx) -> None:
    v = intake.receive(ctx, "HT-05", A, "1")
    with pytest.raises(UserError):
        intake.refuse(ctx, v.code, "   ")
    r = intake.refuse(ctx, v.code, "Không thuộc thẩm quyền của UBND xã")
    assert r.status is Status.REFUSED and r.refusal_reason == "Không thuộc thẩm quyền của UBND xã"
    assert r.events[-1].type == "refuse"
    with pytest.raises(UserError) as e:
        intake.supplement(ctx, v.code, "2")
    assert "Từ chối tiếp nhận" in e.value.message_vi
    w = intake.withdraw(ctx, intake.receive(ctx, "HT-01", A).code, "Công dân xin rút")
    assert w.status is Status.WITHDRAWN and w.status.national_code == 7
    n = intake.refuse_new(ctx, "HT-01", A, "Người nộp không có quyền yêu cầu")
    assert n.status is Status.REFUSED and n.code.endswith("-1003") and n.due_at is None


def test_bad_input_writes_nothing(ctx) -> None:
    before = counts(ctx)
    with pytest.raises(NotFound):
        intake.receive(ctx, "NO-SUCH", A)
    with pytest.raises(UserError):
        intake.receive(ctx, "HT-01", Applicant(name="", id_number="1"))
    with pytest.raises(UserError) as e:
        intake.receive(ctx, "HT-01", A, "1,7")
    assert "1–2" in e.value.message_vi
    with pytest.raises(UserError):
        intake.receive(ctx, "HT-01", A, channel="fax")
    with pytest.raises(UserError):
        intake.receive(ctx, "HT-01", A, fee=FeeInput(amount_vnd=5000, exempt_reason="hộ nghèo"))
    with pytest.raises(NotFound):
        intake.supplement(ctx, "000.00.01.H22-261123-1999", "all")
    assert counts(ctx) == before


def test_back_dated_paper_dossier(ctx, clock) -> None:
    clock.now = datetime(2026, 11, 23, 9, 0)
    v = intake.receive(ctx, "HT-04", A, at=datetime(2026, 11, 20, 16, 0))
    assert v.entered_late and v.code == "000.00.01.H22-261120-1001"
    assert v.received_at == datetime(2026, 11, 20, 16, 0) and v.due_at == datetime(2026, 11, 26, 16, 0)
    e = v.events[0]
    assert e.at == datetime(2026, 11, 20, 16, 0) and e.recorded_at == datetime(2026, 11, 23, 9, 0)
    with pytest.raises(UserError):
        intake.receive(ctx, "HT-04", A, at=datetime(2026, 11, 24, 9, 0))


def test_procedure_snapshot_survives_a_catalogue_change(ctx, tmp_path) -> None:
    v = intake.receive(ctx, "HT-05", A, "1")
    from motcua_desktop.paths import sample_catalogue
    from motcua_desktop.services import catalog

    data = json.loads(sample_catalogue().read_text(encoding="utf-8"))
    for p in data["procedures"]:
        if p["id"] == "HT-05":
            p["documents"] = p["documents"][:1]
            p["processing_time"]["value"] = 1
    path = tmp_path / "cat.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    catalog.import_catalogue(ctx, path)
    again = intake.supplement(ctx, v.code, "2")
    assert len(again.procedure.documents) == 2 and again.procedure.processing_time.value == 5
    assert again.procedure_version_id == v.procedure_version_id


def test_events_and_dossier_rows_are_append_only_history(ctx) -> None:
    import sqlite3

    v = intake.receive(ctx, "HT-01", A)
    with pytest.raises(sqlite3.DatabaseError):
        ctx.store.execute("DELETE FROM dossier_events WHERE dossier_code = ?", (v.code,))


def test_get_accepts_scanned_text(ctx) -> None:
    v = intake.receive(ctx, "HT-01", A)
    assert dossiers.get(ctx, f"  {v.code.lower()}\r\n").code == v.code
    with pytest.raises(NotFound) as e:
        dossiers.get(ctx, "000.00.01.H22-261123-1500")
    assert "Không có hồ sơ" in e.value.message_vi


def test_preview_writes_nothing(ctx, clock) -> None:
    clock.now = datetime(2026, 11, 23, 15, 30)
    before = counts(ctx)
    p = intake.preview(ctx, "HT-01", "all")
    assert p.status is Status.RECEIVED and p.due_at == datetime(2026, 11, 25, 17, 0)
    assert intake.preview(ctx, "HT-01", "2").missing == (1,)
    assert intake.preview_due(ctx, "HT-04", datetime(2026, 11, 20, 16, 0)) == datetime(2026, 11, 26, 16, 0)
    assert intake.preview_due(ctx, "DD-04") is None
    assert counts(ctx) == before


def test_resumed_checklist_is_the_whole_truth_unticks_included(ctx, clock) -> None:
    """The wizard sends the checklist as the clerk now sees it: a paper found wanting on the second
    visit is unticked, and the dossier stays waiting — never received on the first visit's ticks."""
    clock.now = datetime(2026, 11, 16, 9, 0)
    v = intake.receive(ctx, "CTR-01", A, "1")
    assert v.missing == (2,)
    clock.now = datetime(2026, 11, 18, 10, 0)
    v2 = intake.supplement(ctx, v.code, "2", replace=True)  # 1 turned out to be a bad copy: unticked
    assert v2.status is Status.SUPPLEMENT_REQUESTED and v2.missing == (1,) and v2.provided_numbers == (2,)
    assert v2.due_at is None
    v3 = intake.supplement(ctx, v.code, "1")  # the command line adds to what was handed in
    assert v3.status is Status.RECEIVED and v3.provided_numbers == (1, 2)


def test_a_procedure_without_a_processing_time_needs_the_appointment_from_the_clerk(ctx, clock) -> None:
    clock.now = datetime(2026, 11, 23, 9, 0)  # Monday
    before = counts(ctx)
    with pytest.raises(UserError, match="has no processing time") as e:
        intake.receive(ctx, "DD-04", A, "all")
    assert "nhập ngày hẹn trả" in e.value.message_vi
    for bad, why in ((datetime(2026, 11, 23, 8, 0), "phải sau"), (datetime(2026, 11, 28, 9, 0), "Thứ Bảy"),
                     (datetime(2026, 11, 24, 9, 0), "không phải ngày làm việc")):  # 24/11: Ngày Văn hóa
        with pytest.raises(UserError) as e:
            intake.receive(ctx, "DD-04", A, "all", due_at=bad)
        assert why in e.value.message_vi
    assert counts(ctx) == before  # nothing written by any refusal
    v = intake.receive(ctx, "DD-04", A, "all", due_at=datetime(2026, 12, 7, 9, 30))
    assert v.status is Status.RECEIVED and v.due_at == v.original_due_at == datetime(2026, 12, 7, 9, 30)
    # A procedure with a processing time computes its own date: a typed one is refused, not mixed in.
    with pytest.raises(UserError, match="appointment is computed"):
        intake.receive(ctx, "HT-04", A, "all", due_at=datetime(2026, 12, 7, 9, 30))
    # The supplement path asks the same.
    w = intake.receive(ctx, "DD-04", A, "none")
    with pytest.raises(UserError, match="has no processing time"):
        intake.supplement(ctx, w.code, "all")
    assert intake.supplement(ctx, w.code, "all", due_at=datetime(2026, 12, 8, 14, 0)).due_at == \
        datetime(2026, 12, 8, 14, 0)


@pytest.mark.parametrize("given, missing", [
    ([Provided(1), Provided(2)], ()),                                          # as the procedure asks
    ([Provided(1, "copy", 1), Provided(2)], (1,)),                             # a copy of the declaration form
    ([Provided(1, "original", 1), Provided(2, "original", 1)], ()),            # an original where a copy is asked
    ([Provided(1, "original", 1), Provided(2, "copy", 1)], ()),
])
def test_a_paper_short_of_what_the_procedure_asks_is_still_missing(ctx, clock, given, missing) -> None:
    # CTR-01: 1 = tờ khai (1 bản chính), 2 = giấy tờ chỗ ở (1 bản sao), 3 optional.
    clock.now = datetime(2026, 11, 16, 9, 0)
    v = intake.receive(ctx, "CTR-01", A, given)
    assert v.missing == missing
    assert v.status is (Status.SUPPLEMENT_REQUESTED if missing else Status.RECEIVED)


def test_fewer_than_asked_is_missing_and_unknown_counts_never_block() -> None:
    from motcua_desktop.domain.catalog import Document
    from motcua_desktop.domain.dossier import falls_short

    two_copies = Document("Sổ hộ khẩu", originals=0, copies=2)
    assert falls_short(two_copies, Provided(1, "copy", 1))
    assert not falls_short(two_copies, Provided(1, "copy", 2))
    unknown = Document("Giấy tờ khác", originals=None, copies=None)
    assert not falls_short(unknown, Provided(1, "copy", 1))


def test_preview_supplement_due_is_the_appointment_the_supplement_gives(ctx, clock) -> None:
    clock.now = datetime(2026, 11, 23, 9, 0)
    v = intake.receive(ctx, "HT-04", A, "none")
    clock.now = datetime(2026, 11, 25, 10, 30)
    preview = intake.preview_supplement_due(ctx, v.code)
    assert preview is not None and preview > clock.now
    assert intake.supplement(ctx, v.code, "all").due_at == preview
    with pytest.raises(NotFound):
        intake.preview_supplement_due(ctx, "000.00.01.H22-261125-1999")
