"""The national portal's record of a dossier (Cổng DVCQG, DongBoHoSoMC), built from its events alone.

Pure: the hub folds a dossier's stored events (`Event`, in the order it stored them) into one record of
the shape `docs/dvcqg.schema.json` describes (../shared/domain/DOMAIN.md §5). Dates travel as
`yyyyMMddHHmmss` in Asia/Ho_Chi_Minh; event times already are that wall clock.

- TrangThaiHoSo: `Status.national_code` (supplement_requested 5, received 2, refused 3, in_progress 4,
  result_ready 9, returned 10, withdrawn 7, stopped 8). Codes 1 (new online registration) and 6
  (financial obligation) never arise at a counter.
- NgayTiepNhan: when the dossier was received complete; before that (waiting for papers, refused at
  the counter) the first contact.
- DanhSachHoSoBoSung: one round per request for papers (the intake or a supplement that leaves papers
  missing); a round closes when the citizen comes back. NgayHenTraCu is the appointment before the
  round (none for a dossier that was never received), NgayHenTraMoi the one after it (none while open
  or when the round ended without one).
- DanhSachGiaHan: the apologies (phiếu xin lỗi và hẹn lại ngày trả), with the old and new appointment.
- DonViXuLy: the agency the dossier was last forwarded to, or that last set its status on the hub; the
  receiving agency until then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .dossier import Status
from .events import Event

_WALL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$", re.ASCII)
LOAI_DOI_TUONG = {"individual": 1, "organisation": 2}
FORM_LABELS = {"original": "Bản chính", "copy": "Bản sao", "certified_copy": "Bản sao chứng thực",
               "electronic": "Bản điện tử"}


class DvcqgError(ValueError):
    """The events cannot make a record (no intake first)."""


def portal_date(value: str | None) -> str | None:
    """'2026-12-03T09:15[:07]' (agency wall clock) → '20261203091500'; None stays None."""
    if value is None:
        return None
    m = _WALL.match(value)
    if m is None:
        raise DvcqgError(f"{value!r} is not a time YYYY-MM-DDTHH:MM[:SS]")
    y, mo, d, h, mi, s = m.groups()
    return f"{y}{mo}{d}{h}{mi}{s or '00'}"


def _snapshot_text(snapshot: Mapping[str, Any], *keys: str) -> str | None:
    for k in keys:
        v = snapshot.get(k)
        if isinstance(v, str) and v.strip():
            return v
    return None


def _documents(snapshot: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    docs = snapshot.get("documents")
    return [d for d in docs if isinstance(d, Mapping)] if isinstance(docs, list) else []


def _doc_name(docs: list[Mapping[str, Any]], number: int) -> str:
    if 1 <= number <= len(docs):
        name = _snapshot_text(docs[number - 1], "name", "name_vi")
        if name:
            return name
    return f"Thành phần hồ sơ số {number}"


def record(events: Iterable[Event], *, agency_code: str | None = None) -> dict[str, Any]:
    """The DongBoHoSoMC record of one dossier from its events (intake first)."""
    evs = list(events)
    if not evs or evs[0].type != "intake":
        raise DvcqgError("a dossier's record starts from its intake event")
    intake = evs[0]
    p = intake.payload
    code = intake.dossier_code
    snapshot: Mapping[str, Any] = p.get("procedure_snapshot") or {}
    docs = _documents(snapshot)
    extra = snapshot.get("extra")
    field_code = extra.get("field_code") if isinstance(extra, Mapping) else None
    proc_name = _snapshot_text(snapshot, "name", "name_vi") or p["procedure_code"]

    status = Status(p["status"])
    received_at: str | None = p.get("received_at")
    due_at: str | None = p.get("due_at")
    returned_at: str | None = None
    unit = agency_code or code.partition("-")[0]
    provided: dict[int, Mapping[str, Any]] = {}
    for item in p.get("provided") or []:
        provided[int(item["number"])] = item
    fee: dict[str, Any] = {k: p.get(k) for k in ("fee_amount", "fee_exempt_reason", "fee_receipt_no")}
    rounds: list[dict[str, Any]] = []
    apologies: list[dict[str, Any]] = []

    def open_round(ev: Event, missing: list[int], note: str | None) -> None:
        rounds.append({
            "LanBoSung": len(rounds) + 1,
            "NgayYeuCauBoSung": portal_date(ev.at),
            "NoiDungYeuCau": note or "; ".join(_doc_name(docs, n) for n in missing) or None,
            "GiayToYeuCau": [_doc_name(docs, n) for n in missing],
            "NgayBoSung": None,
            "NgayHenTraCu": portal_date(due_at),
            "NgayHenTraMoi": None,
        })

    if status is Status.SUPPLEMENT_REQUESTED:
        open_round(intake, list(p.get("missing") or []), p.get("supplement_note"))

    for ev in evs[1:]:
        q = ev.payload
        if ev.type == "supplement":
            for n in q.get("provided") or []:
                provided.setdefault(int(n), {"number": int(n), "form": None, "count": None})
            if q.get("received_at") is not None:
                received_at = q["received_at"]
            if "due_at" in q:
                due_at = q["due_at"]
            for k in fee:
                if k in q:
                    fee[k] = q[k]
            if rounds and rounds[-1]["NgayBoSung"] is None:
                rounds[-1]["NgayBoSung"] = portal_date(ev.at)
                if q["status"] == "received":
                    rounds[-1]["NgayHenTraMoi"] = portal_date(due_at)
            if q["status"] == "supplement_requested":
                open_round(ev, list(q.get("missing") or []), q.get("note"))
        elif ev.type == "apologise":
            apologies.append({
                "LanGiaHan": q["apology_no"],
                "NgayXinLoi": portal_date(ev.at),
                "LyDo": q["reason"],
                "NgayHenTraCu": portal_date(q.get("old_due_at")),
                "NgayHenTraMoi": portal_date(q["new_due_at"]),
            })
            due_at = q["new_due_at"]
        elif ev.type == "forward":
            if q.get("to"):
                unit = q["to"]
        elif ev.type == "hub_status":
            if q.get("due_at"):
                due_at = q["due_at"]
            if q.get("agency"):
                unit = q["agency"]
        elif ev.type == "return":
            returned_at = ev.at
        status = ev.status

    fee_list: list[dict[str, Any]] = []
    if fee["fee_amount"] is not None:
        fee_list.append({
            "TenPhiLePhi": f"Phí, lệ phí: {proc_name}",
            "MucPhi": int(fee["fee_amount"]),
            "SoBienLai": fee["fee_receipt_no"],
            "LyDoMienGiam": fee["fee_exempt_reason"],
        })
    files = []
    for n in sorted(provided):
        item = provided[n]
        form = item.get("form")
        files.append({
            "TenTaiLieu": _doc_name(docs, n),
            "HinhThuc": FORM_LABELS.get(form, form) if isinstance(form, str) else None,
            "SoLuong": item.get("count"),
        })
    national = _snapshot_text(snapshot, "national_code")
    return {
        "MaHoSo": code,
        "MaTTHC": national or p["procedure_code"],
        "TenTTHC": proc_name,
        "MaLinhVuc": field_code if isinstance(field_code, str) and field_code else None,
        "TenLinhVuc": _snapshot_text(snapshot, "field", "field_vi"),
        "ChuHoSo": p["applicant_name"],
        "LoaiDoiTuong": LOAI_DOI_TUONG[p["applicant_kind"]],
        "SoDienThoai": p.get("phone"),
        "Email": p.get("email"),
        "TrichYeuHoSo": f"{proc_name} - {p['applicant_name']}",
        "NgayTiepNhan": portal_date(received_at or p["first_contact_at"]),
        "NgayHenTra": portal_date(due_at),
        "TrangThaiHoSo": status.national_code,
        "NgayTra": portal_date(returned_at),
        "DonViXuLy": unit,
        "TaiLieuNop": files,
        "DanhSachLePhi": fee_list,
        "DanhSachHoSoBoSung": rounds,
        "DanhSachGiaHan": apologies,
    }
