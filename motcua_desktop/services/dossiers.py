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
from ..domain.events import KEEPS_STATUS
from ..domain.dossier import CHANNEL_LABELS, Provided, Status, check_move, missing_text
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


def normalize_code(code: str) -> str:
    """A typed or scanned code in its stored form (upper case, junk around it removed)."""
    parsed = parse_code(code)
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


def transition(ctx: Context, code: str, new_status: Status, *, event: str, changes: dict[str, Any] | None = None,
               payload: dict[str, Any] | None = None, at: datetime | None = None) -> DossierView:
    """One dossier operation in one transaction: check the move, update the row, append the event
    (+ outbox row), write the audit entry. `at` is the business time (defaults to now).

    Other operations (result ready, return, apologise…) should go through here too.
    """
    key = normalize_code(code)
    now = iso(ctx.now())
    when = iso(at) if at else now
    actor = ctx.who()
    with ctx.store.transaction():
        row = dossier_repo.get(ctx.store, key)
        if row is None:
            raise NotFound(f"Không có hồ sơ mã '{key}'.", f"no dossier {key!r}")
        if not (event in KEEPS_STATUS and new_status is Status(row["status"])):  # e.g. a correction
            check_move(key, Status(row["status"]), new_status)
        if at is not None:
            _check_backdate(key, row, when, now, dossier_repo.last_event_at(ctx.store, key))
        dossier_repo.update(ctx.store, key, {**(changes or {}), "status": new_status.value, "updated_at": now})
        body = {"status": new_status.value, **(payload or {})}
        dossier_repo.append_event(ctx.store, key, type=event, at=when, recorded_at=now, actor=actor, payload=body)
        audit_repo.record(ctx.store, at=now, actor=actor, action=f"dossier.{event}", subject=key, detail=body)
    return get(ctx, key)
