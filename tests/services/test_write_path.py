"""The one write path: every dossier operation writes a schema-valid event, its outbox row and an audit
entry in one transaction; the apology keeps its status; one code normaliser, one date parser."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from motcua_desktop.domain import times
from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.domain.events import Event
from motcua_desktop.errors import UserError
from motcua_desktop.services import dossiers, intake, returns

CITIZEN = Applicant(name="Trần Văn Bình", id_number="001088012345", phone="0912345678")


@pytest.fixture(autouse=True)
def quiet_week(clock):
    clock.now = datetime(2026, 12, 7, 9, 0)


def stored_events(ctx, code: str) -> list[Event]:
    rows = ctx.store.query("SELECT e.*, o.position FROM dossier_events e LEFT JOIN outbox o ON o.event_id = e.id "
                           "WHERE e.dossier_code = ? ORDER BY e.seq", (code,))
    out = []
    for r in rows:
        assert r["position"] is not None, f"{r['type']} has no outbox row"
        import json
        out.append(Event.from_wire({"schema_version": 1, "id": r["id"], "type": r["type"],
                                    "dossier_code": r["dossier_code"], "seq": r["seq"], "at": r["at"],
                                    "recorded_at": r["recorded_at"], "actor": r["actor"],
                                    "payload": json.loads(r["payload"])}))
    return out


def test_every_operation_writes_a_valid_event_outbox_row_and_audit_entry(ctx, clock) -> None:
    # supplement → received → forwarded → apology → result → returned
    a = intake.receive(ctx, "HT-04", CITIZEN, "none", note="Thiếu giấy").code
    clock.now += timedelta(minutes=5)
    intake.supplement(ctx, a, "all")
    returns.forward(ctx, a, to="Phòng Tư pháp")
    returns.apologise(ctx, a, date(2026, 12, 21), "Cần xác minh thêm")
    returns.result_ready(ctx, a)
    returns.hand_over(ctx, a, rating=5)
    # refused at first contact; refused after a supplement request; withdrawn; stopped
    b = intake.refuse_new(ctx, "HT-04", CITIZEN, "Không thuộc thẩm quyền").code
    c = intake.receive(ctx, "HT-04", CITIZEN, "none").code
    intake.refuse(ctx, c, "Không đủ điều kiện")
    d = intake.receive(ctx, "HT-04", CITIZEN, "all").code
    intake.withdraw(ctx, d, "Công dân xin rút")
    e = intake.receive(ctx, "HT-04", CITIZEN, "all").code
    returns.stop(ctx, e, "Hồ sơ giả mạo")
    types = {code: [ev.type for ev in stored_events(ctx, code)] for code in (a, b, c, d, e)}
    assert types == {a: ["intake", "supplement", "forward", "apologise", "result_ready", "return"],
                     b: ["intake"], c: ["intake", "refuse"], d: ["intake", "withdraw"], e: ["intake", "stop"]}
    apology = stored_events(ctx, a)[3]
    assert apology.payload["status"] == "in_progress" and apology.payload["apology_no"] == 1
    n = ctx.store.query_one("SELECT COUNT(*) AS n FROM dossier_events")["n"]
    assert ctx.store.query_one("SELECT COUNT(*) AS n FROM outbox")["n"] == n
    assert ctx.store.query_one("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'dossier.%'")["n"] == n
    # the outbox keeps the order the events were written in
    order = [r["event_id"] for r in ctx.store.query("SELECT event_id FROM outbox ORDER BY position")]
    written = [r["id"] for r in ctx.store.query("SELECT id FROM dossier_events ORDER BY rowid")]
    assert order == written


def test_a_refused_move_writes_nothing(ctx) -> None:
    code = intake.receive(ctx, "HT-04", CITIZEN, "all").code
    before = ctx.store.query_one("SELECT (SELECT COUNT(*) FROM dossier_events) AS e, (SELECT COUNT(*) FROM outbox) AS o,"
                                 " (SELECT COUNT(*) FROM audit_log) AS a")
    with pytest.raises(UserError):
        returns.hand_over(ctx, code)
    with pytest.raises(UserError, match="cannot"):
        dossiers.transition(ctx, code, returns.Status.RETURNED, event="return",
                            payload={"collector": {"kind": "applicant", "name": None, "id_kind": None,
                                                   "id_number": None, "note": None},
                                     "rating": None, "clerk": None, "late": False})
    after = ctx.store.query_one("SELECT (SELECT COUNT(*) FROM dossier_events) AS e, (SELECT COUNT(*) FROM outbox) AS o,"
                                " (SELECT COUNT(*) FROM audit_log) AS a")
    assert before == after


def test_a_payload_off_the_schema_is_a_bug_that_fails_loudly(ctx) -> None:
    code = intake.receive(ctx, "HT-04", CITIZEN, "all").code
    with pytest.raises(ValueError, match="unknown_field"):
        dossiers.transition(ctx, code, returns.Status.IN_PROGRESS, event="forward", payload={"colour": "red"})
    assert dossiers.get(ctx, code).status.value == "received"


def test_one_code_normaliser() -> None:
    assert dossiers.normalize_code("  000.00.01.h22-261207-1001\r\n") == "000.00.01.H22-261207-1001"
    assert dossiers.normalize_code(" garbage ") == "garbage"
    with pytest.raises(UserError, match="not a dossier code"):
        dossiers.normalize_code("garbage", strict=True)
    assert returns._key("000.00.01.h22-261207-1001") == "000.00.01.H22-261207-1001"


def test_one_date_parser() -> None:
    assert times.parse_day("2026-12-07") == date(2026, 12, 7)
    assert times.parse_minute("2026-12-07 09:15") == datetime(2026, 12, 7, 9, 15)
    assert times.parse_day_or_minute("2026-12-07") == date(2026, 12, 7)
    assert times.parse_day_or_minute("2026-12-07T16:00") == datetime(2026, 12, 7, 16, 0)
    for bad in ("20261207", "2026-12-7", "2026-13-01", "1900-01-01"):
        with pytest.raises(UserError):
            times.parse_day(bad)
    for bad in ("2026-12-07", "20261207T09", "2026-12-07T9:15"):
        with pytest.raises(UserError):
            times.parse_minute(bad)
