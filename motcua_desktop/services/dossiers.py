"""Reading dossiers (the view slips, the window and the return desk use), and the one-transaction
state change every dossier operation goes through (`transition`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..domain.applicant import Applicant
from ..domain.catalog import Document, Procedure
from ..domain.codes import parse_code
from ..domain.text import clean
from ..domain.dossier import CHANNEL_LABELS, Provided, Status, missing_text
from ..domain.events import KEEPS_STATUS, Event, EventError, new_event_id, status_after
from ..errors import NotFound, UserError
from ..store import audit_repo, dossier_repo
from .context import Context, iso


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def hhmm(dt: datetime | None) -> str | None:
    """The CLI/JSON time form 'YYYY-MM-DDTHH:MM'."""
    return dt.strftime("%Y-%m-%dT%H:%M") if dt else None


@dataclass(frozen=True)
class EventView:
    id: str
    seq: int
    type: str
    at: datetime  # business time (back-dated for paper dossiers)
    recorded_at: datetime
    actor: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class DossierView:
    code: str
    status: Status
    procedure_code: str
    procedure_version_id: int
    procedure: Procedure  # the snapshot the dossier was received under
    applicant: Applicant
    channel: str  # direct | post | online
    provided: tuple[Provided, ...]  # what the citizen handed in (number 1-based, form, count)
    missing: tuple[int, ...]  # required component numbers still missing
    first_contact_at: datetime
    received_at: datetime | None  # when it became complete: the clock started
    due_at: datetime | None
    original_due_at: datetime | None
    supplement_note: str | None
    refusal_reason: str | None
    fee_amount: int | None  # VND collected (0 when exempt); None = not recorded
    fee_exempt_reason: str | None
    fee_receipt_no: str | None  # số biên lai
    result_ready_at: datetime | None
    returned_at: datetime | None
    returned_to: dict[str, Any] | None
    rating: int | None
    apology_count: int
    entered_late: bool
    clerk: str | None  # the receiving clerk (printed on the receipt); a hand-over never changes it
    returned_by: str | None  # the clerk who handed the result over
    updated_at: datetime
    events: tuple[EventView, ...]

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def channel_label(self) -> str:
        return CHANNEL_LABELS.get(self.channel, self.channel)

    @property
    def provided_numbers(self) -> tuple[int, ...]:
        return tuple(p.number for p in self.provided)

    def missing_documents(self) -> list[Document]:
        return [self.procedure.documents[i - 1] for i in self.missing]

    def missing_texts(self) -> list[str]:
        """Each missing component with what it needs ('… (1 bản chính)'), for the supplement slip."""
        return [missing_text(d) for d in self.missing_documents()]

    def provided_documents(self) -> list[tuple[Provided, Document]]:
        return [(p, self.procedure.documents[p.number - 1]) for p in self.provided]

    def to_json(self) -> dict[str, Any]:
        """The `dossier show --json` document."""
        a = self.applicant
        return {
            "code": self.code,
            "status": self.status.value,
            "status_code": self.status.national_code,
            "status_label": self.status.label,
            "procedure": {"code": self.procedure_code, "name": self.procedure.name,
                          "version_id": self.procedure_version_id,
                          "processing_time": self.procedure.processing_time.label()},
            "applicant": {"kind": a.kind, "name": a.name, "id_kind": a.id_kind, "id_number": a.id_number,
                          "phone": a.phone, "email": a.email, "address": a.address},
            "delivery": a.delivery,
            "delivery_address": a.delivery_address,
            "channel": self.channel,
            "provided": [{"number": p.number, "name": d.name, "form": p.form, "count": p.count}
                         for p, d in self.provided_documents()],
            "missing": [{"number": i, "name": self.procedure.documents[i - 1].name} for i in self.missing],
            "first_contact_at": hhmm(self.first_contact_at),
            "received_at": hhmm(self.received_at),
            "due_at": hhmm(self.due_at),
            "original_due_at": hhmm(self.original_due_at),
            "supplement_note": self.supplement_note,
            "refusal_reason": self.refusal_reason,
            "fee": {"amount_vnd": self.fee_amount, "exempt_reason": self.fee_exempt_reason,
                    "receipt_no": self.fee_receipt_no},
            "result_ready_at": hhmm(self.result_ready_at),
            "returned_at": hhmm(self.returned_at),
            "entered_late": self.entered_late,
            "clerk": self.clerk,
            "returned_by": self.returned_by,
            "events": [{"seq": e.seq, "type": e.type, "at": hhmm(e.at), "recorded_at": hhmm(e.recorded_at),
                        "actor": e.actor, "payload": e.payload} for e in self.events],
        }


def _provided(row: dict[str, Any]) -> tuple[Provided, ...]:
    checklist = json.loads(row.get("checklist") or "{}")
    out = []
    for n in json.loads(row["provided"]):
        detail = checklist.get(str(n), {})
        out.append(Provided(int(n), detail.get("form"), detail.get("count")))
    return tuple(out)


def view_from_rows(row: dict[str, Any], events: list[dict[str, Any]]) -> DossierView:
    return DossierView(
        code=row["code"],
        status=Status(row["status"]),
        procedure_code=row["procedure_code"],
        procedure_version_id=row["procedure_version_id"],
        procedure=Procedure.from_json(row["procedure_snapshot"]),
        applicant=Applicant(name=row["applicant_name"], id_number=row["id_number"], id_kind=row["id_kind"],
                            kind=row["applicant_kind"], phone=row["phone"], email=row["email"],
                            address=row["address"], delivery=row["delivery"],
                            delivery_address=row["delivery_address"]),
        channel=row["channel"],
        provided=_provided(row),
        missing=tuple(json.loads(row["missing"])),
        first_contact_at=datetime.fromisoformat(row["first_contact_at"]),
        received_at=_dt(row["received_at"]),
        due_at=_dt(row["due_at"]),
        original_due_at=_dt(row["original_due_at"]),
        supplement_note=row["supplement_note"],
        refusal_reason=row["refusal_reason"],
        fee_amount=row["fee_amount"],
        fee_exempt_reason=row["fee_exempt_reason"],
        fee_receipt_no=row["fee_receipt_no"],
        result_ready_at=_dt(row["result_ready_at"]),
        returned_at=_dt(row["returned_at"]),
        returned_to=json.loads(row["returned_to"]) if row["returned_to"] else None,
        rating=row["rating"],
        apology_count=row["apology_count"],
        entered_late=bool(row["entered_late"]),
        clerk=row["clerk"],
        returned_by=row["returned_by"],
        updated_at=datetime.fromisoformat(row["updated_at"]),
        events=tuple(EventView(e["id"], e["seq"], e["type"], datetime.fromisoformat(e["at"]),
                               datetime.fromisoformat(e["recorded_at"]), e["actor"], json.loads(e["payload"]))
                     for e in events),
    )


CODE_EXAMPLE = "000.00.01.H22-260305-1004"


def not_a_code(text: str | None) -> UserError:
    """'garbage' is a typing mistake to name as such, not a dossier that happens not to exist."""
    shown = clean("".join(ch if ch.isprintable() else " " for ch in (text or "")))[:60]
    if not shown:
        return UserError("Không đọc được mã hồ sơ. Quét lại mã trên phiếu hẹn.", "empty dossier code")
    return UserError(f"'{shown}' không phải mã hồ sơ (dạng {CODE_EXAMPLE}). Quét lại mã trên phiếu hẹn.",
                     f"{shown!r} is not a dossier code (expected like {CODE_EXAMPLE})")


def normalize_code(code: str, *, strict: bool = False) -> str:
    """THE code normaliser: a typed or scanned code in its stored form (upper case, junk around it
    removed). Text that is no code at all: `strict` raises `not_a_code`; otherwise it is returned
    stripped (a lookup then finds no dossier)."""
    parsed = parse_code(code)
    if parsed is None and strict:
        raise not_a_code(code)
    return str(parsed) if parsed else (code or "").strip()


def get(ctx: Context, code: str) -> DossierView:
    """The whole dossier by its code; NotFound when there is none."""
    key = normalize_code(code)
    row = dossier_repo.get(ctx.store, key)
    if row is None:
        raise NotFound(f"Không có hồ sơ mã '{key}'.", f"no dossier {key!r}")
    return view_from_rows(row, dossier_repo.events(ctx.store, key))


def find(ctx: Context, code: str) -> DossierView | None:
    try:
        return get(ctx, code)
    except NotFound:
        return None


def by_status(ctx: Context, *statuses: Status | str, limit: int = 200, offset: int = 0) -> list[DossierView]:
    """Dossiers in these statuses (soonest due first), without their event lists (events=())."""
    names = [Status(s).value for s in statuses]
    return [view_from_rows(r, []) for r in dossier_repo.list_by_status(ctx.store, names, limit=limit, offset=offset)]


# The moments a later step cannot precede: a dossier is forwarded, refused or withdrawn only after the
# counter first saw it (and got it complete), and handed over only after its result came back.
_MILESTONES = (("first_contact_at", "lần tiếp nhận đầu tiên", "first contact"),
               ("received_at", "lúc tiếp nhận đủ hồ sơ", "receipt"),
               ("result_ready_at", "lúc có kết quả", "the result came back"))


def _check_backdate(key: str, row: dict[str, Any], when: str, now: str, last_at: str | None = None) -> None:
    """A step entered after the fact (`--at`) keeps the dossier's story in order: not in the future,
    not before what already happened (its milestones, nor the step it follows: `last_at`)."""
    if when[:16] > now[:16]:
        raise UserError(f"Thời điểm {when[:16].replace('T', ' ')} ở tương lai; chỉ được nhập lùi thời gian đã qua.",
                        f"time {when[:16]} is in the future")
    if last_at and when[:16] < last_at[:16]:
        raise UserError(
            f"Thời điểm {when[:16].replace('T', ' ')} sớm hơn bước trước đó của hồ sơ {key} "
            f"({last_at[:16].replace('T', ' ')}).",
            f"time {when[:16]} is before the previous step of {key} ({last_at[:16]})")
    for column, vi, en in _MILESTONES:
        if row.get(column) and when[:16] < row[column][:16]:  # to the minute, as --at is typed
            raise UserError(
                f"Thời điểm {when[:16].replace('T', ' ')} sớm hơn {vi} của hồ sơ {key} ({row[column][:16].replace('T', ' ')}).",
                f"time {when[:16]} is before {en} of {key} ({row[column][:16]})")


def _not_allowed(key: str, current: Status | None, event: Event, error: EventError) -> UserError:
    if error.reason == "transition_not_allowed" and current is not None:
        new = event.status
        if event.type in KEEPS_STATUS:
            return UserError(f"Hồ sơ {key} đang ở trạng thái '{current.label}': không thể ghi nhận thao tác này.",
                             f"dossier {key} is {current.value}; cannot record a {event.type}")
        return UserError(
            f"Hồ sơ {key} đang ở trạng thái '{current.label}', không thể chuyển sang '{new.label}'.",
            f"dossier {key} is {current.value}; cannot move to {new.value}")
    if error.reason == "dossier_exists":
        return UserError(f"Hồ sơ mã '{key}' đã có.", f"dossier {key!r} already exists")
    return NotFound(f"Không có hồ sơ mã '{key}'.", f"no dossier {key!r}")


def record(ctx: Context, key: str, current: Status | None, *, event_type: str, payload: dict[str, Any],
           at: str, now: str, actor: str, changes: dict[str, Any] | None = None,
           new_row: dict[str, Any] | None = None, event_id: str | None = None, outbox: bool = True,
           audit_action: str | None = None, audit_detail: dict[str, Any] | None = None) -> Event:
    """THE write path of every dossier operation (the caller's transaction, or its own): the event is
    built as a `domain.events.Event` and put through the protocol's validator (a schema violation is a
    bug and raises EventError), the move is checked with `events.status_after`, then the projection
    row (`new_row` for an intake, else `changes`), the event, its outbox row (`outbox=False` for an
    event that came from the hub) and the audit entry are written together.
    """
    with ctx.store.transaction():
        seq = 1 if new_row is not None else dossier_repo.next_event_seq(ctx.store, key)
        event = Event(id=event_id or new_event_id(), type=event_type, dossier_code=key, seq=seq, at=at,
                      recorded_at=now, actor=actor, payload=payload)
        event = Event.from_wire(json.loads(event.to_json()))  # what the hub will check, checked here first
        try:
            new_status = status_after(current, event)
        except EventError as e:
            raise _not_allowed(key, current, event, e) from None
        if new_row is not None:
            dossier_repo.insert(ctx.store, {**new_row, "status": new_status.value, "updated_at": now})
        else:
            dossier_repo.update(ctx.store, key, {**(changes or {}), "status": new_status.value, "updated_at": now})
        dossier_repo.insert_event(ctx.store, event.to_wire(), outbox=outbox)
        audit_repo.record(ctx.store, at=now, actor=actor, action=audit_action or f"dossier.{event_type}",
                          subject=key, detail=audit_detail if audit_detail is not None else dict(event.payload))
    return event


def transition(ctx: Context, code: str, new_status: Status, *, event: str, changes: dict[str, Any] | None = None,
               payload: dict[str, Any] | None = None, at: datetime | None = None) -> DossierView:
    """One dossier operation in one transaction: check the move, update the row, append the event
    (+ outbox row), write the audit entry (all through `record`). `at` is the business time (defaults
    to now). An operation that keeps the status (apologise) passes the status the dossier is in.
    """
    key = normalize_code(code)
    now = iso(ctx.now())
    when = iso(at) if at else now
    actor = ctx.who()
    with ctx.store.transaction():
        row = dossier_repo.get(ctx.store, key)
        if row is None:
            raise NotFound(f"Không có hồ sơ mã '{key}'.", f"no dossier {key!r}")
        last_at = dossier_repo.last_event_at(ctx.store, key)  # the step before this one, read before writing it
        record(ctx, key, Status(row["status"]), event_type=event, payload={"status": new_status.value, **(payload or {})},
               at=when, now=now, actor=actor, changes=changes)
        if at is not None:  # after the state check, as before; raising here rolls the whole operation back
            _check_backdate(key, row, when, now, last_at)
    return get(ctx, key)
