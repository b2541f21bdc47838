"""A dataset for the national-portal export: one dossier per status the counter produces (2 3 4 5 7 8 9
10), an organisation, supplement rounds, apologies, a fee, hub statuses. Events as a counter writes them
(real procedure snapshots from the sample catalogue) plus what the hub records (`hub_status`)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from motcua_desktop import paths
from motcua_desktop.domain.catalog import parse_catalogue

AGENCY = "000.00.01.H22"
CLERK = "Nguyễn Thị Tiếp Nhận"


def snapshot(code: str) -> dict[str, Any]:
    procs, problems = parse_catalogue(json.loads(paths.sample_catalogue().read_text(encoding="utf-8")))
    assert not problems
    return json.loads(next(p for p in procs if p.code == code).to_json())


def code(n: int) -> str:
    return f"{AGENCY}-261203-{1000 + n}"


def ev(type: str, c: str, seq: int, at: str, payload: dict[str, Any], actor: str = CLERK) -> dict[str, Any]:
    return {"schema_version": 1, "id": str(uuid.uuid4()), "type": type, "dossier_code": c, "seq": seq,
            "at": at, "recorded_at": at, "actor": actor, "payload": payload}


def intake(c: str, at: str, *, status: str = "received", proc: str = "HT-01", kind: str = "individual",
           name: str = "Nguyễn Văn An", phone: str | None = "0912345678", email: str | None = None,
           due: str | None = "2026-12-08T09:15", provided: list[dict[str, Any]] | None = None,
           missing: list[int] | None = None, note: str | None = None, refusal: str | None = None,
           fee: int | None = 0, receipt: str | None = None, exempt: str | None = None) -> dict[str, Any]:
    received = status == "received"
    return ev("intake", c, 1, at, {
        "status": status, "procedure_code": proc, "procedure_version_id": 1, "procedure_snapshot": snapshot(proc),
        "applicant_kind": kind, "applicant_name": name, "id_kind": "cccd" if kind == "individual" else "mst",
        "id_number": "001099012345" if kind == "individual" else "0101234567", "phone": phone, "email": email,
        "address": "Thôn 3, xã Hòa Bình", "delivery": "counter", "delivery_address": None, "channel": "direct",
        "first_contact_at": at[:16], "received_at": at[:16] if received else None,
        "due_at": due if received else None, "original_due_at": due if received else None,
        "provided": provided if provided is not None else [{"number": 1, "form": "original", "count": 1},
                                                           {"number": 2, "form": "copy", "count": 2}],
        "missing": missing or [], "supplement_note": note, "refusal_reason": refusal,
        "fee_amount": fee, "fee_exempt_reason": exempt, "fee_receipt_no": receipt, "entered_late": False,
        "clerk": CLERK})


def hub_status(c: str, seq: int, at: str, status: str, **extra: Any) -> dict[str, Any]:
    return ev("hub_status", c, seq, at, {"status": status, **extra}, actor=extra.get("agency") or "motcua-hub")


def result_ready(c: str, seq: int, at: str, due: str | None = "2026-12-08T09:15") -> dict[str, Any]:
    return ev("result_ready", c, seq, at, {"status": "result_ready", "due_at": due, "original_due_at": due,
                                           "late": False, "late_vs_original": False})


def dataset() -> dict[str, list[dict[str, Any]]]:
    """dossier code → its events in order (what the counter pushes, then the hub's, interleaved)."""
    d: dict[str, list[dict[str, Any]]] = {}
    # 2 received: fee with receipt, e-mail.
    c = code(1)
    d[c] = [intake(c, "2026-12-03T08:05:10", proc="HT-11", email="an@example.vn", fee=8000, receipt="BL-0001")]
    # 5 waiting for papers, an organisation, nothing provided but component 1.
    c = code(2)
    d[c] = [intake(c, "2026-12-03T08:30", status="supplement_requested", proc="HT-04", kind="organisation",
                   name="Công ty TNHH Hòa Bình", phone=None, provided=[{"number": 1, "form": "original", "count": 1}],
                   missing=[2, 3], fee=None)]
    # 3 refused at the counter.
    c = code(3)
    d[c] = [intake(c, "2026-12-03T08:40", status="refused", refusal="Không thuộc thẩm quyền", provided=[],
                   fee=None)]
    # 10 two supplement rounds, forwarded, result from the hub, returned.
    c = code(4)
    d[c] = [intake(c, "2026-12-03T09:00", status="supplement_requested", provided=[{"number": 1, "form": "original",
                                                                                   "count": 1}], missing=[2],
                   note="Thiếu giấy chứng sinh", fee=None),
            ev("supplement", c, 2, "2026-12-04T10:00", {"status": "supplement_requested", "provided": [1],
                                                        "missing": [2], "entered_late": False,
                                                        "note": "Giấy chứng sinh chưa hợp lệ"}),
            ev("supplement", c, 3, "2026-12-07T14:20", {"status": "received", "provided": [1, 2], "missing": [],
                                                        "entered_late": False, "received_at": "2026-12-07T14:20",
                                                        "due_at": "2026-12-08T14:20", "fee_amount": 0,
                                                        "fee_exempt_reason": "Đăng ký đúng hạn",
                                                        "fee_receipt_no": None}),
            ev("forward", c, 4, "2026-12-07T15:00", {"status": "in_progress", "to": "000.00.10.H22"}),
            hub_status(c, 5, "2026-12-08T11:00:30", "result_ready", agency="Phòng Tư pháp", by="Trần Văn Xử Lý"),
            ev("return", c, 6, "2026-12-08T16:45:05", {"status": "returned", "collector": {
                "kind": "applicant", "name": "Nguyễn Văn An", "id_kind": "cccd", "id_number": "001099012345",
                "note": None}, "rating": 5, "clerk": "Nguyễn Thị Trả", "late": False})]
    # 4 forwarded, in progress on the hub, then an apology with a new date.
    c = code(5)
    d[c] = [intake(c, "2026-12-03T09:30", due="2026-12-04T09:30"),
            ev("forward", c, 2, "2026-12-03T10:00", {"status": "in_progress", "to": "Công chức Tư pháp - Hộ tịch"}),
            hub_status(c, 3, "2026-12-03T11:00", "in_progress", agency="Phòng Tư pháp"),
            ev("apologise", c, 4, "2026-12-04T08:00", {"status": "in_progress", "reason": "Chờ xác minh",
                                                       "old_due_at": "2026-12-04T09:30",
                                                       "new_due_at": "2026-12-09T09:30",
                                                       "original_due_at": "2026-12-04T09:30", "apology_no": 1,
                                                       "after_due": False})]
    # 9 result ready at the counter.
    c = code(6)
    d[c] = [intake(c, "2026-12-03T10:00"), result_ready(c, 2, "2026-12-03T15:00")]
    # 7 withdrawn.
    c = code(7)
    d[c] = [intake(c, "2026-12-03T10:15"),
            ev("withdraw", c, 2, "2026-12-03T11:00", {"status": "withdrawn", "reason": "Công dân rút hồ sơ"})]
    # 8 stopped by the processing agency, after two apologies and a new appointment from the hub.
    c = code(8)
    d[c] = [intake(c, "2026-12-03T10:30", due="2026-12-04T10:30"),
            ev("apologise", c, 2, "2026-12-04T09:00", {"status": "received", "reason": "Mất điện",
                                                       "old_due_at": "2026-12-04T10:30",
                                                       "new_due_at": "2026-12-07T10:30",
                                                       "original_due_at": "2026-12-04T10:30", "apology_no": 1,
                                                       "after_due": False}),
            ev("apologise", c, 3, "2026-12-07T11:00", {"status": "received", "reason": "Chờ ý kiến cấp trên",
                                                       "old_due_at": "2026-12-07T10:30",
                                                       "new_due_at": "2026-12-10T10:30",
                                                       "original_due_at": "2026-12-04T10:30", "apology_no": 2,
                                                       "after_due": True}),
            ev("forward", c, 4, "2026-12-07T11:30", {"status": "in_progress"}),
            hub_status(c, 5, "2026-12-08T08:00", "in_progress", due_at="2026-12-11T10:30", agency="Phòng Tư pháp"),
            hub_status(c, 6, "2026-12-09T08:00", "stopped", reason="Hồ sơ giả mạo", agency="Phòng Tư pháp")]
    return d


EXPECTED_STATUS = {code(1): 2, code(2): 5, code(3): 3, code(4): 10, code(5): 4, code(6): 9, code(7): 7, code(8): 8}
