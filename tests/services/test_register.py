"""The dossier register (find any dossier), corrections and voids (issue 15)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.domain.dossier import Status
from motcua_desktop.domain.events import Event
from motcua_desktop.errors import UserError
from motcua_desktop.services import accounts, corrections, dossiers, intake, register, returns
from motcua_desktop.services.context import PermissionDenied

BINH = Applicant(name="Trần Văn Bình", id_number="001088012345", phone="0912345678", address="12 Lê Lợi")
AN = Applicant(name="Nguyễn Thị Ân", id_number="079190000111", phone="0987654321")


@contextmanager
def refused(pattern: str) -> Iterator[None]:
    """A UserError whose Vietnamese message (what the clerk reads) matches the pattern."""
    with pytest.raises(UserError) as info:
        yield
    assert re.search(pattern, info.value.message_vi), info.value.message_vi


@pytest.fixture(autouse=True)
def quiet_week(clock):
    clock.now = datetime(2026, 12, 7, 9, 0)


def _codes(page) -> list[str]:
    return [r.code for r in page.rows]


def test_register_lists_newest_first_and_finds_by_what_a_caller_knows(ctx, clock):
    first = intake.receive(ctx, "HT-04", BINH, "all").code
    clock.now += timedelta(hours=1)
    second = intake.receive(ctx, "HT-04", AN, "none").code
    assert _codes(register.find(ctx)) == [second, first]
    assert _codes(register.find(ctx, "tran van binh")) == [first]  # no diacritics
    assert _codes(register.find(ctx, "Nguyễn Thị")) == [second]
    assert _codes(register.find(ctx, first)) == [first]  # the whole code
    assert _codes(register.find(ctx, first[-4:])) == [first]  # its sequence
    assert _codes(register.find(ctx, first[-11:])) == [first]  # date and sequence
    assert _codes(register.find(ctx, "001088012345")) == [first]
    assert _codes(register.find(ctx, "0987 654 321")) == [second]
    assert _codes(register.find(ctx, "+84987654321")) == [second]
    assert _codes(register.find(ctx, status="supplement_requested")) == [second]
    assert _codes(register.find(ctx, procedure_code="HT-04")) == [second, first]
    assert _codes(register.find(ctx, "khong co ai")) == []


def test_register_period_and_paging(ctx, clock):
    yesterday = intake.receive(ctx, "HT-04", BINH, "all").code
    clock.now += timedelta(days=1)
    today = intake.receive(ctx, "HT-04", AN, "all").code
    assert _codes(register.today(ctx)) == [today]
    day = (clock.now - timedelta(days=1)).date()
    assert _codes(register.find(ctx, date_from=day, date_to=day)) == [yesterday]
    page = register.find(ctx, limit=1)
    assert page.has_more and _codes(page) == [today]
    page = register.find(ctx, limit=1, offset=1)
    assert not page.has_more and _codes(page) == [yesterday]
    with pytest.raises(UserError):
        register.find(ctx, date_from="2026-12-08", date_to="2026-12-01")
    with pytest.raises(UserError):
        register.find(ctx, status="lost")


def test_register_masks_identity_numbers_without_full_ids(ctx):
    intake.receive(ctx, "HT-04", BINH, "all")
    assert register.find(ctx).rows[0].id_number == "001088012345"  # no accounts: the counter's own PC
    accounts.add_user(ctx, "admin", "Trần Quản Trị", "administrator", "admin-pass-1")
    accounts.sign_in(ctx, "admin", "admin-pass-1")
    accounts.add_user(ctx, "lan", "Nguyễn Thị Lan", "clerk", "lan-pass-1")
    accounts.sign_in(ctx, "lan", "lan-pass-1")
    row = register.find(ctx).rows[0]
    assert row.id_number == "0010******45"
    assert register.find(ctx, "001088012345").rows[0].code == row.code  # still found by it


def test_correct_records_old_and_new_values_and_reason(ctx):
    code = intake.receive(ctx, "HT-04", BINH, "all").code
    v = corrections.correct(ctx, code, id_number="001088012346", name="Trần Văn Bính", reason="gõ nhầm")
    assert v.status is Status.RECEIVED
    assert v.applicant.id_number == "001088012346" and v.applicant.name == "Trần Văn Bính"
    event = v.events[-1]
    assert event.type == "correct"
    assert event.payload["old"] == {"applicant_name": "Trần Văn Bình", "id_number": "001088012345"}
    assert event.payload["new"] == {"applicant_name": "Trần Văn Bính", "id_number": "001088012346"}
    assert event.payload["reason"] == "gõ nhầm"
    wire = {"schema_version": 1, "id": event.id, "type": event.type, "dossier_code": code, "seq": event.seq,
            "at": event.at.isoformat(), "recorded_at": event.recorded_at.isoformat(), "actor": event.actor,
            "payload": event.payload}
    Event.from_wire(wire)  # the hub accepts it
    assert _codes(register.find(ctx, "tran van binh")) == [code]  # the folded name follows
    audit = ctx.store.query("SELECT action FROM audit_log WHERE subject = ?", (code,))
    assert any(a["action"] == "dossier.correct" for a in audit)


def test_correct_refuses_nothing_to_change_bad_values_and_no_reason(ctx):
    code = intake.receive(ctx, "HT-04", BINH, "all").code
    with refused("lý do"):
        corrections.correct(ctx, code, phone="0912000000", reason=" ")
    with refused("Chưa ghi"):
        corrections.correct(ctx, code, reason="x")
    with refused("giống hệt"):
        corrections.correct(ctx, code, phone="0912 345 678", reason="x")
    with refused("12 chữ số"):
        corrections.correct(ctx, code, id_number="00108801234", reason="x")
    assert [e.type for e in dossiers.get(ctx, code).events] == ["intake"]


def test_void_only_before_the_dossier_left_the_counter(ctx):
    code = intake.receive(ctx, "HT-04", BINH, "all").code
    v = corrections.void(ctx, code, reason="nhập nhầm thủ tục")
    assert v.status is Status.VOIDED and v.status.national_code is None
    assert v.events[-1].type == "void"
    assert dossiers.get(ctx, code).code == code  # never deleted
    assert code not in [r.code for r in returns.due_soon(ctx)]
    assert _codes(register.find(ctx, status="voided")) == [code]
    with refused("đã bị hủy"):
        corrections.void(ctx, code, reason="again")
    again = intake.receive(ctx, "HT-04", BINH, "all").code
    assert again != code and again > code  # the code is never reused

    forwarded = intake.receive(ctx, "HT-04", AN, "all").code
    returns.forward(ctx, forwarded)
    with refused("chưa chuyển"):
        corrections.void(ctx, forwarded, reason="x")
    with refused("lý do"):
        corrections.void(ctx, again, reason="")


def test_correct_and_void_need_their_permissions(ctx):
    code = intake.receive(ctx, "HT-04", BINH, "all").code
    accounts.add_user(ctx, "admin", "Trần Quản Trị", "administrator", "admin-pass-1")
    accounts.sign_in(ctx, "admin", "admin-pass-1")
    accounts.add_user(ctx, "lan", "Nguyễn Thị Lan", "clerk", "lan-pass-1")
    accounts.sign_in(ctx, "lan", "lan-pass-1")
    with pytest.raises(PermissionDenied):
        corrections.correct(ctx, code, phone="0912000000", reason="x")
    with pytest.raises(PermissionDenied):
        corrections.void(ctx, code, reason="x")
    assert dossiers.get(ctx, code).status is Status.RECEIVED


def test_a_voided_dossier_is_left_out_of_the_statistics_and_reported_as_voided(ctx):
    from motcua_desktop.services import reports

    intake.receive(ctx, "HT-04", BINH, "all")
    mistake = intake.receive(ctx, "HT-04", AN, "all").code
    p = reports.period(ctx, "2026-12-01", "2026-12-31")
    assert reports.statistics(ctx, p).to_json()["received"] == 2
    corrections.void(ctx, mistake, reason="nhập nhầm")
    stats = reports.statistics(ctx, p).to_json()
    assert stats["received"] == 1 and stats["in_progress"]["total"] == 1 and stats["voided"] == 1
    assert mistake not in sum(reports.due_ahead(ctx).values(), [])
    reports.pdf_bytes(ctx, p)
    reports.xlsx_bytes(ctx, p)
