"""Intake at the counter: receive, request a supplement, refuse, withdraw.

Each operation is one transaction: the dossier row (the projection), an append-only event with its
outbox row for the hub, and an audit entry, with the actor and the time. A dossier gets its code at
first contact (a supplement slip carries one too) and keeps a snapshot of the procedure version it
was received under. `at=` enters a paper dossier after the fact: the business time is `at`, the
recording time is now, and the dossier is marked `entered_late`.
"""

from __future__ import annotations

from typing import Any

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from ..domain import due_dates
from ..domain.applicant import Applicant, checked
from ..domain.codes import format_code, next_seq, slot_range
from ..domain.catalog import Procedure
from ..domain.dossier import CHANNELS, Provided, Status, check_provided, missing_components, parse_provided
from ..domain.limits import check_length
from ..domain.text import clean, fold
from ..errors import NotFound, UserError
from ..store import dossier_repo, settings_repo
from . import catalog
from .calendar import make_calendar
from .context import Context, iso
from .dossiers import DossierView, get, hhmm, normalize_code, record, transition

# A business time this far ahead of the clock is a typo, not a paper dossier.
_FUTURE_SLACK = timedelta(minutes=5)
MAX_FEE_VND = 1_000_000_000


@dataclass(frozen=True)
class FeeInput:
    """The fee (phí, lệ phí) as collected at the counter.

    amount_vnd None = the procedure's amount (if the catalogue knows it); exempt_reason set = exempt
    (amount 0); receipt_no = số biên lai.
    """

    amount_vnd: int | None = None
    exempt_reason: str | None = None
    receipt_no: str | None = None


ProvidedArg = str | Iterable[Provided | int]


@dataclass(frozen=True)
class Preview:
    """What an intake would give, before anything is written (the wizard's outcome page)."""

    status: Status
    missing: tuple[int, ...]
    due_at: datetime | None


def _business_time(ctx: Context, at: datetime | None) -> tuple[datetime, bool]:
    now = ctx.now()
    if at is None:
        return now.replace(microsecond=0), False
    at = at.replace(second=0, microsecond=0) if at.second or at.microsecond else at
    if at > now + _FUTURE_SLACK:
        raise UserError(f"Thời điểm {at:%H:%M %d/%m/%Y} ở tương lai; chỉ nhập lùi ngày cho hồ sơ giấy đã nhận.",
                        f"--at {at:%Y-%m-%dT%H:%M} is in the future")
    return at, at < now - timedelta(minutes=1)


def _provided(arg: ProvidedArg, proc: Procedure) -> list[Provided]:
    items = parse_provided(arg, proc) if isinstance(arg, str) else list(arg)
    return check_provided(items, proc)


def _checklist_json(items: list[Provided]) -> str:
    detail = {str(p.number): {k: v for k, v in (("form", p.form), ("count", p.count)) if v is not None}
              for p in items}
    return json.dumps({k: v for k, v in detail.items() if v}, sort_keys=True)


def _fee_fields(fee: FeeInput | None, proc: Procedure) -> dict[str, object]:
    if fee is None:
        fee = FeeInput()
    reason = check_length("fee_exempt_reason", clean(fee.exempt_reason)) if fee.exempt_reason else None
    amount = fee.amount_vnd
    if amount is not None and (isinstance(amount, bool) or not 0 <= int(amount) <= MAX_FEE_VND):
        raise UserError(f"Số tiền phí '{amount}' không hợp lệ.", f"fee amount {amount!r} invalid")
    if reason:
        if amount:
            raise UserError("Hồ sơ miễn phí thì không thu tiền: bỏ số tiền hoặc bỏ lý do miễn.",
                            "an exempt dossier cannot have a fee amount")
        amount = 0
    elif amount is None:
        amount = proc.fee.amount_vnd
    return {"fee_amount": amount, "fee_exempt_reason": reason,
            "fee_receipt_no": check_length("fee_receipt", clean(fee.receipt_no)) or None if fee.receipt_no else None}


def _channel(channel: str) -> str:
    c = (channel or "").strip().lower()
    if c not in CHANNELS:
        raise UserError(f"Kênh tiếp nhận '{channel}' không hợp lệ (trực tiếp: direct, bưu chính: post).",
                        f"channel {channel!r} must be one of {CHANNELS}")
    return c


def _issue_code(ctx: Context, day: datetime) -> str:
    """Next code of the day for this counter's slot; call inside the write transaction."""
    settings = settings_repo.get_all(ctx.store)
    agency, slot = settings["agency_code"], int(settings["counter_slot"])
    first, last = slot_range(slot)
    prefix = f"{agency}-{day:%y%m%d}-"
    seq = dossier_repo.next_code_seq(ctx.store, prefix=prefix, day=f"{day:%y%m%d}", first=first, last=last)
    if seq is None:
        next_seq(last, slot)  # raises the clear "all 999 codes used" UserError
    return format_code(agency, day, seq)  # type: ignore[arg-type]


def _appointment(ctx: Context, proc: Procedure, complete_at: datetime, manual: datetime | None) -> datetime:
    """The due date of a dossier complete at `complete_at`: computed from the procedure's processing
    time, or — for a procedure whose time the catalogue does not know — the one the clerk gives.
    A dossier is never received without an appointment (DOMAIN §2)."""
    calendar = make_calendar(ctx)
    computed = due_dates.due_at(proc.processing_time, complete_at, calendar)
    if manual is None:
        if computed is None:
            raise UserError(f"Thủ tục {proc.code} chưa có thời hạn giải quyết trong danh mục: nhập ngày hẹn trả "
                            "kết quả (không tiếp nhận hồ sơ mà không hẹn ngày trả).",
                            f"procedure {proc.code} has no processing time in the catalogue: "
                            "give the appointment (--due YYYY-MM-DDTHH:MM)")
        return computed
    if computed is not None:
        raise UserError(f"Thủ tục {proc.code} có thời hạn '{proc.processing_time.label()}': ngày hẹn được tính "
                        f"tự động ({computed:%H:%M %d/%m/%Y}), không nhập tay.",
                        f"procedure {proc.code} has a processing time: the appointment is computed "
                        f"({computed:%Y-%m-%dT%H:%M}), --due is only for procedures without one")
    manual = manual.replace(second=0, microsecond=0)
    if manual <= complete_at:
        raise UserError(f"Ngày hẹn trả {manual:%H:%M %d/%m/%Y} phải sau thời điểm tiếp nhận "
                        f"{complete_at:%H:%M %d/%m/%Y}.", f"appointment {manual:%Y-%m-%dT%H:%M} is not after receipt")
    if not calendar.is_working_day(manual.date()):
        why = calendar.reason(manual.date()) or "ngày nghỉ"
        raise UserError(f"Ngày hẹn trả {manual:%d/%m/%Y} không phải ngày làm việc ({why}).",
                        f"appointment {manual:%Y-%m-%d} is not a working day")
    return manual


def preview(ctx: Context, procedure_code: str, provided: ProvidedArg = "all",
            at: datetime | None = None) -> Preview:
    """Outcome of an intake now (or at `at`) without writing anything."""
    _, proc = catalog.procedure(ctx, procedure_code)
    items = _provided(provided, proc)
    missing = missing_components(proc, items)
    when = at or ctx.now()
    if missing:
        return Preview(Status.SUPPLEMENT_REQUESTED, missing, None)
    return Preview(Status.RECEIVED, (), due_dates.due_at(proc.processing_time, when, make_calendar(ctx)))


def preview_due(ctx: Context, procedure_code: str, at: datetime | None = None) -> datetime | None:
    """The appointment a complete dossier of this procedure would get now (or at `at`)."""
    _, proc = catalog.procedure(ctx, procedure_code)
    return due_dates.due_at(proc.processing_time, at or ctx.now(), make_calendar(ctx))


def preview_supplement_due(ctx: Context, code: str, at: datetime | None = None) -> datetime | None:
    """The appointment a dossier waiting for papers would get if completed now (or at `at`): counted
    under the procedure version it was first received under (its snapshot), not today's catalogue."""
    current = get(ctx, normalize_code(code))
    return due_dates.due_at(current.procedure.processing_time, at or ctx.now(), make_calendar(ctx))


def _create(ctx: Context, procedure_code: str, applicant: Applicant, provided: ProvidedArg, *, channel: str,
            fee: FeeInput | None, note: str | None, at: datetime | None, refusal: str | None,
            due_at: datetime | None = None) -> DossierView:
    version_id, proc = catalog.procedure(ctx, procedure_code)
    person = checked(applicant)
    check_length("note", clean(note) if note else None)
    items = _provided(provided, proc)
    channel = _channel(channel)
    when, late = _business_time(ctx, at)
    missing = missing_components(proc, items)
    if refusal is not None:
        status, due = Status.REFUSED, None
    elif missing:
        status, due = Status.SUPPLEMENT_REQUESTED, None
    else:
        status = Status.RECEIVED
        due = _appointment(ctx, proc, when, due_at)
    fees = _fee_fields(fee, proc) if status is Status.RECEIVED or fee is not None else {
        "fee_amount": None, "fee_exempt_reason": None, "fee_receipt_no": None}
    now = iso(ctx.now())
    actor = ctx.who()
    row: dict[str, Any] = {
        "procedure_code": proc.code, "procedure_version_id": version_id, "procedure_snapshot": proc.to_json(),
        "applicant_kind": person.kind, "applicant_name": person.name, "applicant_name_folded": fold(person.name),
        "id_kind": person.id_kind, "id_number": person.id_number, "phone": person.phone, "email": person.email,
        "address": person.address, "delivery": person.delivery, "delivery_address": person.delivery_address,
        "channel": channel, "status": status.value, "first_contact_at": iso(when),
        "received_at": iso(when) if status is Status.RECEIVED else None,
        "due_at": iso(due) if due else None, "original_due_at": iso(due) if due else None,
        "provided": json.dumps([p.number for p in items]), "missing": json.dumps(list(missing)),
        "checklist": _checklist_json(items),
        "supplement_note": clean(note) or None if note and status is Status.SUPPLEMENT_REQUESTED else None,
        "refusal_reason": refusal, **fees,
        "entered_late": int(late), "clerk": actor, "updated_at": now,
    }
    with ctx.store.transaction():
        code = _issue_code(ctx, when)
        # The first event carries the whole dossier: the hub can rebuild the row from events alone.
        payload = {k: v for k, v in row.items() if k not in ("applicant_name_folded", "updated_at", "checklist")}
        payload.update(provided=[asdict(p) for p in items], missing=list(missing),
                       procedure_snapshot=json.loads(row["procedure_snapshot"]))
        record(ctx, code, None, event_type="intake", payload=payload, at=iso(when), now=now, actor=actor,
               new_row={"code": code, **row}, audit_action=f"dossier.intake.{status.value}",
               audit_detail={"procedure": proc.code, "missing": list(missing), "entered_late": late})
    return get(ctx, code)


def receive(ctx: Context, procedure_code: str, applicant: Applicant, provided: ProvidedArg = "all", *,
            channel: str = "direct", fee: FeeInput | None = None, note: str | None = None,
            at: datetime | None = None, due_at: datetime | None = None) -> DossierView:
    """First contact: complete → `received` with its appointment; incomplete → `supplement_requested`
    listing exactly the missing required components (the code is issued either way). `due_at`: the
    appointment for a procedure whose processing time the catalogue does not know (required then)."""
    return _create(ctx, procedure_code, applicant, provided, channel=channel, fee=fee, note=note, at=at,
                   refusal=None, due_at=due_at)


def _reason(reason: str | None, what: str) -> str:
    text = clean(reason or "")
    if not text:
        raise UserError(f"Cần ghi rõ lý do {what}.", f"a reason is required ({what})")
    return check_length("reason", text) or text


def refuse_new(ctx: Context, procedure_code: str, applicant: Applicant, reason: str, provided: ProvidedArg = "none",
               *, channel: str = "direct", at: datetime | None = None) -> DossierView:
    """First contact ending in a refusal (not eligible / outside scope): the refusal slip needs a code too."""
    return _create(ctx, procedure_code, applicant, provided, channel=channel, fee=None, note=None, at=at,
                   refusal=_reason(reason, "từ chối"))


def supplement(ctx: Context, code: str, provided: ProvidedArg, *, note: str | None = None,
               fee: FeeInput | None = None, at: datetime | None = None, replace: bool = False,
               due_at: datetime | None = None) -> DossierView:
    """The citizen came back with more papers: add them to what was provided (`replace`: `provided` is
    the whole checklist as the clerk now sees it, so a paper found wanting can be unticked); complete →
    `received` with the clock starting now (or `at`); still incomplete → another supplement round."""
    key = normalize_code(code)
    check_length("note", clean(note) if note else None)
    current = get(ctx, key)
    if current.status is not Status.SUPPLEMENT_REQUESTED:
        raise UserError(f"Hồ sơ {key} đang ở trạng thái '{current.status.label}', không chờ bổ sung.",
                        f"dossier {key} is {current.status.value}, not waiting for a supplement")
    proc = current.procedure  # the snapshot: the checklist the citizen was given
    merged = {} if replace else {p.number: p for p in current.provided}
    for p in _provided(provided, proc):
        merged[p.number] = p
    items = [merged[k] for k in sorted(merged)]
    when, late = _business_time(ctx, at)
    if when < current.first_contact_at:
        raise UserError("Thời điểm bổ sung trước thời điểm tiếp nhận lần đầu.", "supplement time before first contact")
    missing = missing_components(proc, items)
    changes: dict[str, object] = {"provided": json.dumps([p.number for p in items]),
                                  "missing": json.dumps(list(missing)), "checklist": _checklist_json(items)}
    payload: dict[str, object] = {"provided": [p.number for p in items], "missing": list(missing),
                                  "entered_late": late}
    if missing:
        new_status = Status.SUPPLEMENT_REQUESTED
        if note:
            changes["supplement_note"] = clean(note)
            payload["note"] = clean(note)
    else:
        new_status = Status.RECEIVED
        due = _appointment(ctx, proc, when, due_at)
        fees = _fee_fields(fee, proc) if fee is not None or current.fee_amount is None else {}
        changes.update(received_at=iso(when), due_at=iso(due) if due else None,
                       original_due_at=iso(due) if due else None, **fees)
        if late:
            changes["entered_late"] = 1
        payload.update(received_at=hhmm(when), due_at=hhmm(due), **fees)
    return transition(ctx, key, new_status, event="supplement", changes=changes, payload=payload, at=when)


def refuse(ctx: Context, code: str, reason: str, *, at: datetime | None = None) -> DossierView:
    """Refuse a dossier waiting for a supplement (not eligible after all); reason required."""
    text = _reason(reason, "từ chối")
    when, late = _business_time(ctx, at)
    return transition(ctx, code, Status.REFUSED, event="refuse", changes={"refusal_reason": text},
                      payload={"reason": text, "entered_late": late}, at=when)


def withdraw(ctx: Context, code: str, reason: str | None = None, *, at: datetime | None = None) -> DossierView:
    """The citizen withdraws the dossier (status 7)."""
    text = check_length("reason", clean(reason)) if reason else None
    when, late = _business_time(ctx, at)
    return transition(ctx, code, Status.WITHDRAWN, event="withdraw", payload={"reason": text, "entered_late": late},
                      at=when)


__all__ = ["FeeInput", "Preview", "preview", "preview_due", "preview_supplement_due", "receive", "refuse_new", "supplement", "refuse",
           "withdraw", "NotFound"]
