"""The return desk: results coming back, the citizen collecting them, apologies for late results.

Every operation is one transaction (projection update + append-only event + outbox row + audit
entry), all through `dossiers.transition` (the one write path); the apology, which changes the
appointment but not the status, goes through it too with the status the dossier is in.
Event types and payloads are documented in /work/notes/RETURNS-API.md (the slips and the sync read
them).

The checks that give the clerk a precise message (already handed over — when and to whom; no result
yet) run inside the same write transaction as the change, so two counters scanning the same dossier
at once cannot both hand it over: the second one waits for the lock and then sees `returned`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from ..domain.settings import AGENCY_CODE
from ..domain import applicant as applicant_rules
from ..domain import times
from ..domain.calendar import check_year
from ..domain.dossier import Status
from ..domain.limits import check_length
from ..domain.text import ascii_upper, clean, fold
from ..domain.accounts import Permission
from ..errors import NotFound, UserError
from ..store import dossier_repo, returns_repo
from . import dossiers, intake
from .calendar import make_calendar
from .context import Context, iso
from .dossiers import DossierView

# Event types this module appends (see RETURNS-API.md).
# Named like INTAKE's ("intake", "supplement", "refuse", "withdraw"): the operation, not the state.
EV_FORWARD = "forward"
EV_RESULT_READY = "result_ready"
EV_STOP = "stop"
EV_RETURN = "return"
EV_APOLOGISE = "apologise"

WORKING = (Status.RECEIVED, Status.IN_PROGRESS)  # the agency is still processing
QUEUE_PAGE = 50


def _fmt(dt: datetime | None) -> str:
    return f"{dt:%H:%M} ngày {dt:%d/%m/%Y}" if dt else "chưa xác định"


CODE_EXAMPLE = dossiers.CODE_EXAMPLE
not_a_code = dossiers.not_a_code


def _key(code: str) -> str:
    """The stored form of a typed or scanned code; UserError when it is not one at all."""
    return dossiers.normalize_code(code, strict=True)


def _row(ctx: Context, code: str) -> dict[str, Any]:
    key = _key(code)
    row = dossier_repo.get(ctx.store, key)
    if row is None:
        raise NotFound(f"Không tìm thấy hồ sơ {key}.", f"no dossier {key!r}")
    return row


def _reason(text: str | None, what: str) -> str:
    reason = clean(text or "")
    if not reason:
        raise UserError(f"Chưa nhập lý do {what}.", f"a reason for {what} is required")
    return check_length("reason", reason) or reason


def _when(ctx: Context, at: datetime | None) -> datetime:
    """Business time: now, or an earlier moment for paper records entered after the fact."""
    now = ctx.now()
    if at is None:
        return now
    at = at.replace(second=0, microsecond=0)
    if at > now + timedelta(minutes=1):
        raise UserError(f"Thời điểm {_fmt(at)} ở tương lai; chỉ được nhập lùi thời gian đã qua.",
                        f"time {at:%Y-%m-%dT%H:%M} is in the future")
    return at


def _not_processing(code: str, status: Status, doing: str, doing_en: str) -> UserError:
    return UserError(
        f"Hồ sơ {code} đang ở trạng thái '{status.label}': không thể {doing}.",
        f"dossier {code} is {status.value}; cannot {doing_en}",
    )


# --- the agency's side: forwarded, result ready, stopped, withdrawn ---------------------------------
def forward(ctx: Context, code: str, *, to: str | None = None, at: datetime | None = None) -> DossierView:
    """Chuyển hồ sơ: the dossier leaves the counter for the processing agency (received → in_progress).
    `to` in the agency code shape (000.00.02.H22, a level that decides the procedure elsewhere) is a
    transfer between levels: the hub lists the dossier for that agency, whose processors set its status,
    and those statuses come back here like any other."""
    target = clean(to) if to else None
    if target and AGENCY_CODE.match(target.upper()):
        target = target.upper()
    payload = {"to": check_length("to", target)} if target else {}
    return dossiers.transition(ctx, _key(code), Status.IN_PROGRESS, event=EV_FORWARD, payload=payload, at=at)


def result_ready(ctx: Context, code: str, at: datetime | None = None) -> DossierView:
    """The result came back from the processing agency (received / in progress → result_ready)."""
    when = _when(ctx, at)
    with ctx.store.transaction():
        row = _row(ctx, code)
        status = Status(row["status"])
        if status is Status.RESULT_READY:
            raise UserError(
                f"Hồ sơ {row['code']} đã được ghi nhận có kết quả lúc {_fmt(_dt(row['result_ready_at']))}.",
                f"dossier {row['code']} already has its result (since {row['result_ready_at']})",
            )
        if status not in WORKING:
            raise _not_processing(row["code"], status, "ghi nhận có kết quả", "mark the result ready")
        if row["received_at"] and when < datetime.fromisoformat(row["received_at"]):
            raise UserError(f"Thời điểm có kết quả ({_fmt(when)}) sớm hơn lúc tiếp nhận hồ sơ.",
                            "result time is before the dossier was received")
        return dossiers.transition(ctx, row["code"], Status.RESULT_READY, event=EV_RESULT_READY,
                                   changes={"result_ready_at": iso(when)}, payload=_due_payload(row, when),
                                   at=when)


def _due_payload(row: dict[str, Any], when: datetime) -> dict[str, Any]:
    """On-time facts at the moment of the result: the statistics need them (trước/đúng/quá hạn)."""
    due = _dt(row["due_at"])
    original = _dt(row["original_due_at"]) or due
    return {"due_at": row["due_at"], "original_due_at": iso(original) if original else None,
            "late": bool(due and when > due), "late_vs_original": bool(original and when > original)}


def stop(ctx: Context, code: str, reason: str, at: datetime | None = None, *,
         refund: bool | None = None) -> DossierView:
    """Dừng xử lý: processing stopped (national status 8), with the reason; `refund`: whether the fees
    paid are given back (printed on the stop notice, Mẫu 05; None: not recorded, written by hand)."""
    ctx.require(Permission.STOP)
    text = _reason(reason, "dừng xử lý")
    with ctx.store.transaction():
        row = _row(ctx, code)
        status = Status(row["status"])
        if status not in WORKING:
            raise _not_processing(row["code"], status, "dừng xử lý", "stop processing")
        payload: dict[str, Any] = {"reason": text}
        if refund is not None:
            payload["refund"] = bool(refund)
        return dossiers.transition(ctx, row["code"], Status.STOPPED, event=EV_STOP, payload=payload, at=at)


def withdraw(ctx: Context, code: str, reason: str | None = None, at: datetime | None = None) -> DossierView:
    """The citizen withdraws the dossier (national status 7): INTAKE's operation, re-exported here."""
    return intake.withdraw(ctx, _key(code), reason, at=at)


# --- hand-over -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Collector:
    """Who takes the result: the applicant, or a person they authorised (with an identity document)."""

    kind: str = "applicant"  # "applicant" | "authorised"
    name: str | None = None
    id_number: str | None = None
    id_kind: str | None = None  # cccd | cmnd | passport; guessed from the number when None
    note: str | None = None  # e.g. "giấy ủy quyền số 12/UQ"

    KINDS = ("applicant", "authorised")


def _collector(c: Collector | None, row: dict[str, Any]) -> dict[str, Any]:
    c = c or Collector()
    if c.kind not in Collector.KINDS:
        raise UserError(f"Người nhận '{c.kind}' không hợp lệ (người nộp hoặc người được ủy quyền).",
                        f"collector kind {c.kind!r} must be applicant or authorised")
    note = check_length("collector_note", clean(c.note)) if c.note else None
    if c.kind == "applicant":
        return {"kind": "applicant", "name": clean(c.name) if c.name else row["applicant_name"],
                "id_kind": c.id_kind or row["id_kind"],
                "id_number": (ascii_upper(clean(c.id_number)) if c.id_number else row["id_number"]), "note": note}
    person = applicant_rules.normalized(applicant_rules.Applicant(name=c.name or "", id_number=c.id_number,
                                                                  id_kind=c.id_kind))
    problems = [p.replace("người nộp", "người được ủy quyền") for p in applicant_rules.validate(person)]
    if problems:
        raise UserError("Thông tin người được ủy quyền nhận kết quả chưa đúng:\n"
                        + "\n".join(f"  - {p}" for p in problems),
                        "authorised collector invalid: " + "; ".join(problems))
    return {"kind": "authorised", "name": person.name, "id_kind": person.id_kind, "id_number": person.id_number,
            "note": note}


def hand_over(ctx: Context, code: str, collector: Collector | None = None, rating: int | None = None,
              at: datetime | None = None) -> DossierView:
    """Trả kết quả: the result is handed to the citizen (result_ready → returned), once."""
    if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5):
        raise UserError(f"Mức độ hài lòng phải từ 1 đến 5, không phải '{rating}'.",
                        f"rating must be 1-5, not {rating!r}")
    when = _when(ctx, at)
    with ctx.store.transaction():
        row = _row(ctx, code)
        key = row["code"]
        status = Status(row["status"])
        if status is Status.RETURNED:
            to = json.loads(row["returned_to"]) if row["returned_to"] else {}
            who = to.get("name") or "người nhận"
            raise UserError(
                f"Hồ sơ {key} đã được trả kết quả lúc {_fmt(_dt(row['returned_at']))} cho {who}"
                f" (cán bộ trả: {row['returned_by'] or 'không rõ'}). Không trả kết quả lần thứ hai.",
                f"dossier {key} was already handed over at {row['returned_at']}; refusing a second hand-over",
            )
        if status is not Status.RESULT_READY:
            raise UserError(
                f"Hồ sơ {key} chưa có kết quả (trạng thái: {status.label}). Chỉ trả kết quả khi hồ sơ "
                "đã được ghi nhận có kết quả.",
                f"dossier {key} is {status.value}, not result_ready; nothing to hand over",
            )
        to = _collector(collector, row)
        clerk = ctx.who()
        due = _dt(row["due_at"])
        payload = {"collector": to, "rating": rating, "clerk": clerk,
                   "late": bool(due and when > due)}
        # `clerk` stays the receiving clerk: the receipt and control slips print it as the person
        # who took the papers, whoever hands the result over later.
        return dossiers.transition(
            ctx, key, Status.RETURNED, event=EV_RETURN, at=when, payload=payload,
            changes={"returned_at": iso(when), "returned_to": json.dumps(to, ensure_ascii=False),
                     "rating": rating, "returned_by": clerk},
        )


# --- apology for a late result --------------------------------------------------------------------
def apologise(ctx: Context, code: str, new_due: datetime | date, reason: str,
              at: datetime | None = None) -> DossierView:
    """Phiếu xin lỗi và hẹn lại: a new appointment for a dossier that will miss its date.

    `original_due_at` keeps the first appointment for the statistics; `due_at` moves. A date without
    a time keeps the clock time of the current appointment (as slips do). Issued after the due date it
    is still recorded (the citizen must get a date), flagged `after_due` in the event. `at`: a paper
    apology entered after the fact (never in the future, never before the dossier's previous step).
    """
    ctx.require(Permission.APOLOGISE)
    text = _reason(reason, "xin lỗi, hẹn lại")
    now = _when(ctx, at)
    with ctx.store.transaction():
        row = _row(ctx, code)
        key = row["code"]
        status = Status(row["status"])
        if status not in WORKING:
            raise _not_processing(key, status, "hẹn lại ngày trả kết quả", "apologise with a new date")
        old_due = _dt(row["due_at"])
        if not isinstance(new_due, datetime):
            new_due = datetime.combine(new_due, old_due.time() if old_due else time(16, 0))
        new_due = new_due.replace(second=0, microsecond=0)
        check_year(new_due)
        if at is not None:
            dossiers._check_backdate(key, row, iso(now), iso(ctx.now()), dossier_repo.last_event_at(ctx.store, key))
        if new_due <= now:
            raise UserError(f"Ngày hẹn mới ({_fmt(new_due)}) phải sau thời điểm xin lỗi ({_fmt(now)}).",
                            "the new appointment must be after the apology")
        if old_due and new_due <= old_due:
            raise UserError(f"Ngày hẹn mới ({_fmt(new_due)}) phải sau ngày hẹn cũ ({_fmt(old_due)}).",
                            "the new appointment must be after the current one")
        calendar = make_calendar(ctx)
        if not calendar.is_working_day(new_due.date()):
            why = calendar.reason(new_due.date()) or "ngày nghỉ"
            raise UserError(f"Ngày hẹn mới {new_due:%d/%m/%Y} không phải ngày làm việc ({why}).",
                            f"{new_due:%Y-%m-%d} is not a working day")
        original = row["original_due_at"] or row["due_at"]
        count = int(row["apology_count"]) + 1
        payload = {"reason": text, "old_due_at": row["due_at"], "new_due_at": iso(new_due),
                   "original_due_at": original, "apology_no": count,
                   "after_due": bool(old_due and now > old_due), "status": status.value}
        payload.pop("status")
        return dossiers.transition(ctx, key, status, event=EV_APOLOGISE, payload=payload,
                                   changes={"due_at": iso(new_due), "original_due_at": original,
                                            "apology_count": count}, at=now if at is not None else None)


def new_due_in_working_days(ctx: Context, code: str, days: int) -> datetime:
    """The appointment `days` working days after the current one (or after today), same clock time."""
    if not 1 <= days <= 365:
        raise UserError("Số ngày làm việc hẹn thêm phải từ 1 đến 365.", "working days must be 1-365")
    row = _row(ctx, code)
    base = max(_dt(row["due_at"]) or ctx.now(), ctx.now())
    calendar = make_calendar(ctx)
    return datetime.combine(calendar.add_working_days(base.date(), days), base.time().replace(second=0))


def apologies(ctx: Context, code: str) -> list[dict[str, Any]]:
    """Every apology of a dossier, oldest first: payloads as in RETURNS-API.md plus at/actor."""
    key = dossiers.normalize_code(code)
    return [{**json.loads(e["payload"]), "at": e["at"], "actor": e["actor"]}
            for e in returns_repo.events_of(ctx.store, key, (EV_APOLOGISE,))]


# --- the queue --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueueRow:
    code: str
    status: Status
    applicant: str
    procedure: str
    procedure_code: str
    field: str
    due_at: datetime | None
    original_due_at: datetime | None
    result_ready_at: datetime | None
    apology_count: int
    phone: str | None
    overdue: bool  # the appointment has passed (an earlier day, or earlier today)
    due_today: bool  # the appointment is later today

    def to_json(self) -> dict[str, Any]:
        """The `queue --json` item."""
        return {"code": self.code, "applicant": self.applicant, "procedure": self.procedure,
                "due_at": dossiers.hhmm(self.due_at), "status": self.status.value}


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    total: int
    overdue: int
    due_today: int
    limit: int
    offset: int


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _day_bounds(now: datetime) -> tuple[str, str]:
    start = datetime.combine(now.date(), time())
    return iso(start), iso(start + timedelta(days=1))


def _queue_row(r: dict[str, Any], now: str, day_end: str) -> QueueRow:
    due = r["due_at"]  # ISO text, as `now` and `day_end`: compared as strings, like the SQL counts
    return QueueRow(
        code=r["code"], status=Status(r["status"]), applicant=r["applicant_name"], procedure=r["procedure_name"],
        procedure_code=r["procedure_code"], field=r["field"] or "", due_at=_dt(due),
        original_due_at=_dt(r["original_due_at"]), result_ready_at=_dt(r["result_ready_at"]),
        apology_count=int(r["apology_count"]), phone=r["phone"],
        overdue=bool(due and due < now), due_today=bool(due and now <= due < day_end),
    )


def _day(value: date | datetime | str | None, what: str) -> str | None:
    if value is None or value == "":
        return None
    return iso(datetime.combine(times.parse_day(value, what), time()))


def results_queue(ctx: Context, field: str | None = None, date_from: date | str | None = None,
                  date_to: date | str | None = None, limit: int = QUEUE_PAGE, offset: int = 0) -> QueuePage:
    """Results waiting for the citizen: oldest appointment first; overdue / due-today flagged; counts.

    `date_from`/`date_to` bound the appointment day, both inclusive.
    """
    if not 1 <= limit <= 1000 or offset < 0:
        raise UserError("Trang danh sách không hợp lệ.", f"bad page limit={limit} offset={offset}")
    field = resolve_field(ctx, field) or (clean(field) if field else None)
    start = _day(date_from, "từ")
    end_day = _day(date_to, "đến")
    if start and end_day and start > end_day:  # a reversed period is a typing mistake, not "nothing"
        raise UserError(f"Khoảng ngày bị đảo ngược: từ {start[:10]} đến {end_day[:10]}. Ngày 'từ' phải trước "
                        "hoặc bằng ngày 'đến'.", f"reversed period: --from {start[:10]} is after --to {end_day[:10]}")
    end = iso(datetime.fromisoformat(end_day) + timedelta(days=1)) if end_day else None
    now = iso(ctx.now())
    _, day_end = _day_bounds(ctx.now())
    status = Status.RESULT_READY.value
    rows = returns_repo.queue_page(ctx.store, status=status, field=field or None, date_from=start, date_to=end,
                                   limit=limit, offset=offset)
    counts = returns_repo.queue_counts(ctx.store, status=status, field=field or None, date_from=start,
                                       date_to=end, now=now, day_end=day_end)
    return QueuePage([_queue_row(r, now, day_end) for r in rows], counts["total"], counts["overdue"],
                     counts["due_today"], limit, offset)


def due_soon(ctx: Context, limit: int = 500) -> list[QueueRow]:
    """Still being processed, with the appointment past, today, or on the next working day.

    The clerk sees them before the citizen arrives: chase the agency, or issue an apology in time.
    """
    now = ctx.now()
    calendar = make_calendar(ctx)
    horizon = calendar.next_working_day(now.date())  # "within one working day"
    before = iso(datetime.combine(horizon + timedelta(days=1), time()))
    _, day_end = _day_bounds(now)
    rows = returns_repo.due_before(ctx.store, tuple(s.value for s in WORKING), before, limit)
    return [_queue_row(r, iso(now), day_end) for r in rows]


def fields(ctx: Context) -> list[str]:
    return returns_repo.fields(ctx.store)


def resolve_field(ctx: Context, typed: str | None) -> str | None:
    """The catalogue's field (lĩnh vực) a clerk meant: 'ho tich', 'HỘ TỊCH' or pasted NFD text all
    name 'Hộ tịch'. None when nothing was typed or no field matches."""
    if not typed or not clean(typed):
        return None
    known = fields(ctx)
    if clean(typed) in known:
        return clean(typed)
    matches = [f for f in known if fold(f) == fold(clean(typed))]
    return matches[0] if len(matches) == 1 else None


# --- scanning ---------------------------------------------------------------------------------------
def lookup_scan(ctx: Context, text: str) -> DossierView:
    """A scanned or typed code → the dossier. Tolerant around the code, strict on its shape."""
    key = _key(text)
    row = dossier_repo.get(ctx.store, key)
    if row is None:
        raise NotFound(f"Không tìm thấy hồ sơ {key}. Kiểm tra lại mã trên phiếu hẹn.", f"no dossier {key}")
    return dossiers.view_from_rows(row, dossier_repo.events(ctx.store, key))
