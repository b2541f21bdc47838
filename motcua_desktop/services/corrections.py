"""Corrections and voids: after a dossier is written, fix the applicant's details (sửa thông tin), or
void a dossier entered by mistake (hủy hồ sơ nhập nhầm).

Both go through the one write path (`dossiers.transition`): the row changes, an event records the old
and new values (or the void) with the reason, and the audit trail has it. Nothing is deleted: a voided
dossier stays in the store with its code, which is never issued again (codes are numbered after the
highest one in the store), and leaves every queue (no queue lists `voided`).
"""

from __future__ import annotations

from typing import Any

from dataclasses import replace

from ..domain import applicant as applicant_rules
from ..domain.accounts import Permission
from ..domain.dossier import VOIDABLE, Status
from ..domain.limits import check_length
from ..domain.text import clean, fold
from ..errors import UserError
from . import dossiers
from .context import Context
from .dossiers import DossierView, EventView

EV_CORRECT = "correct"
EV_VOID = "void"
# Events after which a dossier has left the counter or reached the citizen: it can no longer be voided.
_LEFT_THE_COUNTER = frozenset({"forward", "result_ready", "return", "hub_status", "stop"})
# The applicant fields a correction may change: the dossier column, the event's key, the label.
FIELDS = {"name": ("applicant_name", "họ tên"), "id_number": ("id_number", "số giấy tờ"),
          "phone": ("phone", "số điện thoại"), "address": ("address", "địa chỉ")}
FIELDS_BY_COLUMN = {column: label for column, label in FIELDS.values()} | {"id_kind": "loại giấy tờ"}


def _reason(text: str | None, what: str) -> str:
    reason = clean(text or "")
    if not reason:
        raise UserError(f"Cần ghi rõ lý do {what}.", f"a reason is required ({what})")
    return check_length("reason", reason) or reason


def correct(ctx: Context, code: str, *, reason: str, name: str | None = None, id_number: str | None = None,
            phone: str | None = None, address: str | None = None) -> DossierView:
    """Fix the applicant's details of a written dossier. Only the fields given change (an empty phone or
    address clears it); the event keeps the old and the new values. A receipt issued afterwards shows
    the corrected data and says that it replaces the earlier one."""
    ctx.require(Permission.CORRECT)
    text = _reason(reason, "sửa thông tin")
    with ctx.store.transaction():  # read and write under one lock: the old values are the current ones
        return _correct(ctx, code, text, {"name": name, "id_number": id_number, "phone": phone, "address": address})


def _correct(ctx: Context, code: str, text: str, given: dict[str, str | None]) -> DossierView:
    view = dossiers.get(ctx, code)
    if view.status is Status.VOIDED:
        raise UserError(f"Hồ sơ {view.code} đã bị hủy: không sửa được thông tin.",
                        f"dossier {view.code} is voided; nothing to correct")
    old = view.applicant
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        raise UserError("Chưa ghi thông tin nào cần sửa (họ tên, số giấy tờ, số điện thoại, địa chỉ).",
                        "nothing to correct: give --name, --id-number, --phone or --address")
    values: dict[str, Any] = {k: (v if v.strip() else None) if k in ("phone", "address") else v
                              for k, v in changes.items()}
    new = replace(old, **values)
    if "id_number" in changes and old.kind != "organisation":
        new = replace(new, id_kind=None)  # guessed again from the new number's shape
    new = applicant_rules.checked(new)
    before, after, row = {}, {}, {}
    for key, (column, _label) in FIELDS.items():
        was, now = getattr(old, key), getattr(new, key)
        if key in changes and was != now:
            before[column], after[column] = was, now
            row[column] = now
    if "id_number" in row and new.id_kind != old.id_kind:
        before["id_kind"], after["id_kind"] = old.id_kind, new.id_kind
        row["id_kind"] = new.id_kind
    if not row:
        raise UserError(f"Thông tin mới giống hệt thông tin đã ghi của hồ sơ {view.code}: không có gì để sửa.",
                        f"dossier {view.code}: the new details equal the recorded ones")
    if "applicant_name" in row:
        row["applicant_name_folded"] = fold(row["applicant_name"])
    return dossiers.transition(ctx, view.code, view.status, event=EV_CORRECT, changes=row,
                               payload={"reason": text, "old": before, "new": after})


def corrections(view: DossierView) -> list[EventView]:
    """The dossier's correction events, oldest first."""
    return [e for e in view.events if e.type == EV_CORRECT]


def can_void(view: DossierView) -> bool:
    return view.status in VOIDABLE and not any(e.type in _LEFT_THE_COUNTER for e in view.events)


def void(ctx: Context, code: str, *, reason: str) -> DossierView:
    """Hủy a dossier entered by mistake: only while nothing was forwarded or handed over. The dossier and
    its code stay (status `voided`, national code none); it leaves every queue."""
    ctx.require(Permission.VOID)
    text = _reason(reason, "hủy hồ sơ")
    with ctx.store.transaction():
        return _void(ctx, code, text)


def _void(ctx: Context, code: str, text: str) -> DossierView:
    view = dossiers.get(ctx, code)
    if view.status is Status.VOIDED:
        raise UserError(f"Hồ sơ {view.code} đã bị hủy trước đó.", f"dossier {view.code} is already voided")
    if not can_void(view):
        raise UserError(
            f"Hồ sơ {view.code} đang ở trạng thái '{view.status.label}': chỉ hủy được hồ sơ nhập nhầm khi chưa "
            "chuyển đi xử lý và chưa trả kết quả.",
            f"dossier {view.code} is {view.status.value}; only a dossier never forwarded or handed over can be voided")
    return dossiers.transition(ctx, view.code, Status.VOIDED, event=EV_VOID, payload={"reason": text})
