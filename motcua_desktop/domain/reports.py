"""Period statistics of a counter: pure functions over dossier histories (no SQL, no I/O).

A dossier's history here is its milestones (first contact, reception, result, hand-over, from the
projection row that events build) plus the steps that are not milestones (supplement rounds,
refusal, withdrawal, stop, apology, a hub's status). Times are the agency's wall clock as ISO text
'YYYY-MM-DDTHH:MM:SS', compared as text (the same order as the times).

The terms (README "Report terms" says the same in words):
- A dossier is **received** when it becomes complete: the clock starts (`received_at`). A dossier
  waiting for papers is not received yet; when the citizen brings them, it is received then, with a
  new appointment (a supplement round restarts the clock).
- In a period [from 00:00, day after `to` 00:00): **new** = received in the period; **carried over**
  = received before it and still being processed at its start (no result, not withdrawn/stopped).
- **Resolved** = its result came back (result ready) in the period, classified against the
  **original** appointment of its (last) reception, never against an apology's new date:
  *late* = after the appointment's minute (a result on the due day after the due hour is late);
  *early* = on a calendar day before the appointment's day; *on time* = on the due day, at or
  before the due hour. A same-day procedure's appointment is that day's closing time (or the next
  working day's, received after the cut-off): a result the same day is on time, and early only when
  it came before the appointment's day (received after the cut-off, ready that day).
  *late with apology* = late ones with an apology issued before the result (counted in late too).
- **In progress** at the period's end: received, no result, not withdrawn/stopped; *past due* when
  the original appointment is before the end (or before `as_of`, the report's moment, for a period
  still running), else *within due*.
- **Refused / withdrawn / stopped / apologies / supplement rounds**: those steps dated in the period
  (a refusal at first contact is dated then). **Supplement requested**: waiting for the citizen's
  papers at the period's end. **Awaiting pickup**: result ready, not handed over at the end.
- **Satisfaction**: ratings given at hand-overs in the period. **On-time rate**: (early + on time) /
  resolved, None when nothing was resolved.
A dossier received in one period and resolved in the next counts as new in the first (and in
progress at its end), carried over into the second and resolved there: each period's grid adds up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from .errors import UserError

# Event types whose steps a history keeps (the others are milestones of the row).
STEP_KINDS = ("supplement", "refuse", "withdraw", "stop", "apologise", "hub_status")
CHANNELS = ("direct", "post", "online")

EARLY, ON_TIME, LATE = "early", "on_time", "late"

# Buckets: each lists the codes it counts (a code appears once per round / apology in those two).
BUCKETS = ("received", "carried_over", "direct", "post", "online", EARLY, ON_TIME, LATE, "late_with_apology",
           "within_due", "past_due", "refused", "withdrawn", "stopped", "supplement_requested",
           "supplement_rounds", "apologies", "awaiting_pickup", "rated", "voided")
# A dossier voided as entered by mistake (status 'voided', no national code) is left out of every count
# and the official grid, as if never received; the report says how many of the period's were voided.
VOIDED = "voided"


# Step, History and Facts are named tuples (immutable like frozen dataclasses, but a year of 100,000
# histories is built and read here: tuples are several times cheaper to make).
class Step(NamedTuple):
    at: str
    kind: str  # one of STEP_KINDS
    status: str  # the dossier's status after it


class History(NamedTuple):
    code: str
    field: str
    channel: str  # direct | post | online
    status: str  # now
    first_contact_at: str
    received_at: str | None  # the clock start of its (last) reception
    due_at: str | None  # the appointment now (an apology moves it)
    original_due_at: str | None  # the appointment given at reception
    result_ready_at: str | None
    returned_at: str | None
    rating: int | None
    steps: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        for d, what in ((self.start, "từ"), (self.end, "đến")):
            if not 2000 <= d.year <= 2099:
                raise UserError(f"Năm {d.year} của ngày {what} ngoài khoảng 2000–2099.",
                                f"year {d.year} outside 2000-2099")
        if self.end < self.start:
            raise UserError(f"Ngày đến ({self.end:%d/%m/%Y}) trước ngày từ ({self.start:%d/%m/%Y}).",
                            f"--to {self.end} is before --from {self.start}")

    @property
    def lo(self) -> str:
        return datetime.combine(self.start, time()).isoformat(timespec="seconds")

    @property
    def hi(self) -> str:
        """The first moment after the period (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time()).isoformat(timespec="seconds")

    def weeks(self) -> list[date]:
        """Mondays of the weeks the period touches (the first may start before the period)."""
        first = self.start - timedelta(days=self.start.weekday())
        return [first + timedelta(days=7 * i) for i in range((self.end - first).days // 7 + 1)]


def this_week(today: date) -> Period:
    start = today - timedelta(days=today.weekday())
    return Period(start, start + timedelta(days=6))


def this_month(today: date) -> Period:
    nxt = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Period(today.replace(day=1), nxt - timedelta(days=1))


def this_quarter(today: date) -> Period:
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = today.replace(month=first_month, day=1)
    end_month = start.replace(month=first_month + 2)
    return Period(start, this_month(end_month).end)


def timeliness(result_at: str, due: str | None) -> str:
    """early / on_time / late of a result against an appointment (see the module docstring)."""
    if due is None:
        return ON_TIME  # no appointment to miss (catalogue without a time, entered before the rule)
    if result_at[:16] > due[:16]:
        return LATE
    if result_at[:10] < due[:10]:
        return EARLY
    return ON_TIME


# --- one dossier's facts ------------------------------------------------------------------------------
NONE, WAITING, PROCESSING, READY, RETURNED = "none", "waiting", "processing", "ready", "returned"


class Facts(NamedTuple):
    """What the statistics read off one history."""

    closed_at: str | None  # refused / withdrawn / stopped
    closed_as: str | None  # "refused" | "withdrawn" | "stopped"
    waited: bool  # it waited for papers at some point before (or instead of) reception
    rounds: tuple[str, ...]  # when each supplement request was issued
    apologies: tuple[str, ...]

    @staticmethod
    def of(h: History) -> Facts:
        if not h.steps:  # the plain path (most dossiers): only the row's milestones
            if h.status == "refused":
                return Facts(h.first_contact_at, "refused", False, (), ())
            if h.received_at is None:
                return Facts(None, None, True, (h.first_contact_at,), ())
            return _PLAIN
        closed_at = closed_as = None
        supplement = refuse_step = False
        rounds: list[str] = []
        apologies: list[str] = []
        for s in h.steps:
            if s.kind == "apologise":
                apologies.append(s.at)
                continue
            if s.kind == "supplement":
                supplement = True
            if s.status == "supplement_requested":
                rounds.append(s.at)
            elif s.status in ("refused", "withdrawn", "stopped") and closed_at is None:
                closed_at, closed_as = s.at, s.status
                refuse_step = refuse_step or s.status == "refused"
        refused_at_intake = h.status == "refused" and not refuse_step
        if refused_at_intake:
            closed_at, closed_as = h.first_contact_at, "refused"
        waited = supplement or (h.received_at is None and not refused_at_intake)
        if waited:
            rounds.insert(0, h.first_contact_at)
        return Facts(closed_at, closed_as, waited, tuple(rounds), tuple(apologies))


_PLAIN = Facts(None, None, False, (), ())


def state_at(h: History, f: Facts, moment: str) -> str:
    """Where the dossier stood just before `moment`: none / waiting / processing / ready / returned,
    or refused / withdrawn / stopped."""
    if h.first_contact_at >= moment:
        return NONE
    if f.closed_at is not None and f.closed_at < moment:
        return f.closed_as or NONE
    if h.returned_at is not None and h.returned_at < moment:
        return RETURNED
    if h.result_ready_at is not None and h.result_ready_at < moment:
        return READY
    if h.received_at is not None and h.received_at < moment:
        return PROCESSING
    return WAITING if f.waited else NONE


# --- the period's counts ------------------------------------------------------------------------------
@dataclass
class Tally:
    """One field's (or the whole counter's) buckets of dossier codes, and the ratings."""

    codes: dict[str, list[str]] = field(default_factory=lambda: {b: [] for b in BUCKETS})
    ratings: list[int] = field(default_factory=list)

    def n(self, bucket: str) -> int:
        return len(self.codes[bucket])

    def add(self, other: Tally) -> None:
        for b in BUCKETS:
            self.codes[b].extend(other.codes[b])
        self.ratings.extend(other.ratings)

    @property
    def resolved(self) -> int:
        return self.n(EARLY) + self.n(ON_TIME) + self.n(LATE)

    @property
    def in_progress(self) -> int:
        return self.n("within_due") + self.n("past_due")

    @property
    def received_total(self) -> int:
        return self.n("received") + self.n("carried_over")

    @property
    def on_time_rate(self) -> float | None:
        return round((self.n(EARLY) + self.n(ON_TIME)) / self.resolved, 4) if self.resolved else None

    def to_json(self) -> dict[str, Any]:
        """The `report --json` keys (README)."""
        dist = {str(k): self.ratings.count(k) for k in range(1, 6)}
        mean = round(sum(self.ratings) / len(self.ratings), 2) if self.ratings else None
        return {
            "received": self.n("received"), "carried_over": self.n("carried_over"),
            "received_total": self.received_total,
            "by_channel": {c: self.n(c) for c in CHANNELS},
            "resolved": {"total": self.resolved, "early": self.n(EARLY), "on_time": self.n(ON_TIME),
                         "late": self.n(LATE), "late_with_apology": self.n("late_with_apology")},
            "in_progress": {"total": self.in_progress, "within_due": self.n("within_due"),
                            "past_due": self.n("past_due")},
            "refused": self.n("refused"), "withdrawn": self.n("withdrawn"), "stopped": self.n("stopped"),
            "supplement_requested": self.n("supplement_requested"),
            "supplement_rounds": self.n("supplement_rounds"), "apologies": self.n("apologies"),
            "awaiting_pickup": self.n("awaiting_pickup"), "voided": self.n("voided"),
            "satisfaction": {"count": len(self.ratings), "mean": mean, "distribution": dist},
            "on_time_rate": self.on_time_rate,
        }


@dataclass
class Report:
    period: Period
    as_of: str
    total: Tally
    by_field: dict[str, Tally]
    weeks: list[tuple[date, int, int]]  # Monday, received (new), resolved

    def fields(self) -> list[str]:
        return sorted(self.by_field)

    def to_json(self) -> dict[str, Any]:
        return {"period": {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()},
                "as_of": self.as_of[:16], **self.total.to_json(),
                "by_field": {f: self.by_field[f].to_json() for f in self.fields()},
                "weeks": [{"week": w.isoformat(), "received": r, "resolved": s} for w, r, s in self.weeks]}


def report(histories: Iterable[History], period: Period, as_of: datetime | str) -> Report:
    """The statistics of `period` as known at `as_of` (the report's moment)."""
    lo, hi = period.lo, period.hi
    now = as_of if isinstance(as_of, str) else as_of.isoformat(timespec="seconds")
    until = min(hi, now)  # a period still running: past due means past due now
    by_field: dict[str, Tally] = {}
    mondays = period.weeks()
    received_w = [0] * len(mondays)
    resolved_w = [0] * len(mondays)
    week = _week_of_day(period, mondays[0])
    # One pass over up to a year of histories (100,000): the terms of the module docstring, with the
    # history unpacked once and the plain dossier (no steps, the most) kept off the slower paths.
    for h in histories:
        code, fld, channel, status, contact, received, due_now, original, ready, returned, rating, steps = h
        tally = by_field.get(fld)
        if tally is None:
            tally = by_field[fld] = Tally()
        c = tally.codes
        if status == VOIDED:
            if lo <= contact < hi:
                c["voided"].append(code)
            continue
        # Facts.of's own plain case, without the call for the many dossiers it fits.
        f = Facts.of(h) if steps or received is None or status == "refused" else _PLAIN
        if received is not None and lo <= received < hi:
            c["received"].append(code)
            c[channel if channel in CHANNELS else "direct"].append(code)
            received_w[week[received[:10]]] += 1
        elif state_at(h, f, lo) == PROCESSING:
            c["carried_over"].append(code)
        due = original or due_now
        if ready is not None and lo <= ready < hi:
            kind = timeliness(ready, due)
            c[kind].append(code)
            if kind == LATE and received is not None and f.apologies and any(
                    received <= a <= ready for a in f.apologies):
                c["late_with_apology"].append(code)
            resolved_w[week[ready[:10]]] += 1
        end_state = state_at(h, f, hi)
        if end_state == PROCESSING:
            c["past_due" if due is not None and due < until else "within_due"].append(code)
        elif end_state == WAITING:
            c["supplement_requested"].append(code)
        elif end_state == READY:
            c["awaiting_pickup"].append(code)
        if f is not _PLAIN:  # steps dated in the period
            if f.closed_at is not None and f.closed_as and lo <= f.closed_at < hi:
                c[f.closed_as].append(code)
            for r in f.rounds:
                if lo <= r < hi:
                    c["supplement_rounds"].append(code)
            for a in f.apologies:
                if lo <= a < hi:
                    c["apologies"].append(code)
        if returned is not None and rating is not None and lo <= returned < hi:
            c["rated"].append(code)
            tally.ratings.append(rating)
    total = Tally()
    for name in sorted(by_field):
        total.add(by_field[name])
    # Fields where nothing happened in the period stay out of the grid.
    shown = {name: t for name, t in by_field.items() if any(t.codes[b] for b in BUCKETS)}
    return Report(period, now, total, shown, list(zip(mondays, received_w, resolved_w)))


def _week_of_day(period: Period, first_monday: date) -> dict[str, int]:
    """'YYYY-MM-DD' of each day of the period → the index of its week: days parsed once, not per dossier."""
    days = (period.start + timedelta(days=i) for i in range((period.end - period.start).days + 1))
    return {d.isoformat(): (d - first_monday).days // 7 for d in days}


def due_ahead(histories: Iterable[History], days: Sequence[date], as_of: datetime) -> dict[str, list[str]]:
    """Dossiers still being processed at `as_of`, by the day of their current appointment among the
    next working `days` ('YYYY-MM-DD' keys, each listed), plus 'overdue' (appointment already past)."""
    now = as_of.isoformat(timespec="seconds")
    wanted: dict[str, list[str]] = {d.isoformat(): [] for d in days}
    out: dict[str, list[str]] = {"overdue": [], **wanted}
    for h in histories:
        if h.status == VOIDED:
            continue
        f = Facts.of(h)
        if state_at(h, f, now) != PROCESSING or h.due_at is None:
            continue
        if h.due_at < now:
            out["overdue"].append(h.code)
        elif h.due_at[:10] in wanted:
            out[h.due_at[:10]].append(h.code)
    return out


# --- the official grid (Biểu II.06, Thông tư 01/2020/TT-VPCP) ------------------------------------------
GRID_HEADERS = ("TT", "Lĩnh vực", "Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước",
                "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn")
GRID_GROUPS = (("Tiếp nhận", 2, 5), ("Đã giải quyết", 6, 9), ("Đang giải quyết", 10, 12))  # 0-based columns
GRID_TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
GRID_FORM = "Biểu II.06"
GRID_UNIT = "Đơn vị tính: Số hồ sơ TTHC"
# The bucket each numbered column (3-13) counts, for "click a number, see its dossiers".
GRID_BUCKETS: tuple[tuple[str, ...], ...] = (
    ("received", "carried_over"), ("online",), ("direct", "post"), ("carried_over",),
    (EARLY, ON_TIME, LATE), (EARLY,), (ON_TIME,), (LATE,), ("within_due", "past_due"), ("within_due",),
    ("past_due",))


def grid_numbers(t: Tally) -> list[int]:
    """Columns 3-13 of one row of the grid."""
    return [sum(t.n(b) for b in buckets) for buckets in GRID_BUCKETS]


def grid(r: Report) -> list[list[Any]]:
    """The grid's body: one row per field (TT, Lĩnh vực, 3-13), then 'Tổng cộng'."""
    rows: list[list[Any]] = [[i, f, *grid_numbers(r.by_field[f])] for i, f in enumerate(r.fields(), start=1)]
    rows.append(["", "Tổng cộng", *grid_numbers(r.total)])
    return rows


def codes_of(t: Tally, buckets: Sequence[str]) -> list[str]:
    """The dossiers behind a number (each once, in the order counted)."""
    seen: dict[str, None] = {}
    for b in buckets:
        for c in t.codes[b]:
            seen.setdefault(c, None)
    return list(seen)


# --- the tracking book (Sổ theo dõi hồ sơ, DOMAIN.md §3) --------------------------------------------------
BOOK_HEADERS = ("STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số bộ", "Người nộp hồ sơ", "Địa chỉ, số điện thoại",
                "Cơ quan giải quyết", "Ngày nhận hồ sơ", "Ngày hẹn trả kết quả", "Ngày chuyển hồ sơ",
                "Ngày nhận kết quả", "Ngày trả kết quả", "Ghi chú")


@dataclass(frozen=True)
class BookEntry:
    number: int  # STT
    code: str
    procedure: str
    field: str
    sets: int  # số bộ
    applicant: str
    contact: str  # address, phone
    agency: str
    received_at: datetime | None  # first contact when never complete (refused, waiting)
    due_at: datetime | None
    forwarded_at: datetime | None
    result_at: datetime | None
    returned_at: datetime | None
    status: str
    note: str

    def cells(self) -> list[Any]:
        return [self.number, self.code, self.procedure, self.sets, self.applicant, self.contact, self.agency,
                self.received_at, self.due_at, self.forwarded_at, self.result_at, self.returned_at, self.note]
