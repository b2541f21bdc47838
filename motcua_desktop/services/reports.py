"""Reports: the period statistics, the official grid (Biểu II.06), the tracking book; their files.

The door the window and the command use. The numbers are `domain.reports` over the histories the
store reads (`store.reports_repo`); the files are rendered by `slips.report_pdf` / `slips.report_xlsx`
and written through `_write_output`, under the one rule for user-named files (services/outputs.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from ..domain import reports as rules
from ..domain.accounts import Permission
from ..domain.dossier import Status
from ..domain.reports import BookEntry, History, Period, Report, Step
from ..domain.text import clean, fold
from ..errors import KnownError, UserError
from ..store import reports_repo
from . import form_sets, outputs
from .calendar import make_calendar
from .context import Context

DUE_AHEAD_DAYS = 5


# --- periods ----------------------------------------------------------------------------------------
def _day(value: date | str | None, what: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"Ngày {what} '{value}' không đúng dạng YYYY-MM-DD.",
                        f"--{'from' if what == 'từ' else 'to'} {value!r} is not YYYY-MM-DD") from None


def period(ctx: Context, date_from: date | str | None = None, date_to: date | str | None = None) -> Period:
    """The period asked for; nothing given → this month; one end only → that end's month bound."""
    start, end = _day(date_from, "từ"), _day(date_to, "đến")
    today = ctx.now().date()
    if start is None and end is None:
        return rules.this_month(today)
    if start is None:
        assert end is not None
        start = end.replace(day=1) if end.year >= 2000 else end
    if end is None:
        end = max(start, today) if start.year <= 2099 else start
    return Period(start, end)


def named_period(ctx: Context, name: str) -> Period:
    """'week' / 'month' / 'quarter': the one containing today."""
    today = ctx.now().date()
    makers = {"week": rules.this_week, "month": rules.this_month, "quarter": rules.this_quarter}
    if name not in makers:
        raise UserError(f"Kỳ báo cáo '{name}' không có (week, month, quarter).", f"unknown period {name!r}")
    return makers[name](today)


# --- histories --------------------------------------------------------------------------------------
def _histories(rows: Iterable[tuple[Any, ...]], steps: dict[str, tuple[Step, ...]],
               fields: dict[int, str]) -> Iterator[History]:
    make, none, field, stepped = History, (), fields.get, steps.get
    for code, version, channel, status, first, received, due, original, ready, returned, rating in rows:
        yield make(code, field(version, ""), channel, status, first, received, due, original, ready, returned,
                   rating, stepped(code, none))


def _steps(ctx: Context, hi: str) -> dict[str, tuple[Step, ...]]:
    out: dict[str, list[Step]] = defaultdict(list)
    for code, kind, at, status in reports_repo.steps_before(ctx.store, hi):
        out[code].append(Step(at, kind, status or ""))
    return {code: tuple(steps) for code, steps in out.items()}


def _period_histories(ctx: Context, p: Period) -> Iterator[History]:
    ctx.require(Permission.REPORTS)
    steps, fields = _steps(ctx, p.hi), reports_repo.version_fields(ctx.store)
    return _histories(reports_repo.iter_period_rows(ctx.store, p.lo, p.hi), steps, fields)


def histories(ctx: Context, p: Period) -> list[History]:
    """Every dossier history the period can count."""
    return list(_period_histories(ctx, p))


def statistics(ctx: Context, p: Period) -> Report:
    """The period's numbers (domain/reports.py says what each means). The histories stream from the
    store into the count: a year is 100,000 of them, never all held at once."""
    return rules.report(_period_histories(ctx, p), p, ctx.now())


def next_working_days(ctx: Context, n: int = DUE_AHEAD_DAYS) -> list[date]:
    calendar = make_calendar(ctx)
    day, out = ctx.now().date(), []
    if calendar.is_working_day(day):
        out.append(day)
    while len(out) < n:
        day = calendar.next_working_day(day)
        out.append(day)
    return out


def due_ahead(ctx: Context, n: int = DUE_AHEAD_DAYS) -> dict[str, list[str]]:
    """Dossiers being processed, by appointment day over the next `n` working days (today first if it is
    one), plus 'overdue'."""
    now = ctx.now()
    rows = reports_repo.open_rows(ctx.store)
    hs = _histories(rows, _steps(ctx, (now + timedelta(minutes=1)).isoformat(timespec="seconds")),
                    reports_repo.version_fields(ctx.store))
    return rules.due_ahead(hs, next_working_days(ctx, n), now)


@dataclass(frozen=True)
class Overview:
    """What the supervisor's desk shows: the period's numbers and what falls due next."""

    report: Report
    due_ahead: dict[str, list[str]]


def overview(ctx: Context, p: Period) -> Overview:
    return Overview(statistics(ctx, p), due_ahead(ctx))


def labels(ctx: Context, codes: list[str]) -> dict[str, str]:
    """'applicant — procedure' of each code, for a list of the dossiers behind a number."""
    return reports_repo.labels(ctx.store, codes)


# --- the tracking book ------------------------------------------------------------------------------
def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _note(r: Any) -> str:
    status = Status(r["status"])
    parts = []
    if status in (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.SUPPLEMENT_REQUESTED):
        parts.append(status.label + (f": {r['refusal_reason']}" if status is Status.REFUSED and r["refusal_reason"]
                                     else ""))
    if r["apology_count"]:
        parts.append(f"Xin lỗi, hẹn lại {r['apology_count']} lần (hẹn ban đầu "
                     f"{datetime.fromisoformat(r['original_due_at']):%d/%m/%Y})" if r["original_due_at"]
                     else f"Xin lỗi, hẹn lại {r['apology_count']} lần")
    if r["channel"] != "direct":
        parts.append({"post": "Nộp qua bưu chính", "online": "Nộp trực tuyến"}.get(r["channel"], r["channel"]))
    if r["entered_late"]:
        parts.append("Nhập lùi từ sổ giấy")
    return "; ".join(parts)


def book(ctx: Context, p: Period, *, field: str | None = None, status: str | None = None, text: str | None = None,
         limit: int | None = None) -> list[BookEntry]:
    """The tracking book of the period: one entry per dossier first seen at the counter in it."""
    ctx.require(Permission.REPORTS)
    if status:
        try:
            status = Status(status).value
        except ValueError:
            raise UserError(f"Trạng thái '{status}' không có.", f"unknown status {status!r}") from None
    folded = fold(clean(text)) if text and clean(text) else None
    rows = reports_repo.book_rows(ctx.store, p.lo, p.hi, field=clean(field) if field else None, status=status,
                                  folded_text=folded, limit=limit)
    fwd = reports_repo.forwards(ctx.store, [r["code"] for r in rows])
    default_agency = ctx.settings().get("agency_name", "")
    out = []
    for i, r in enumerate(rows, start=1):
        forwarded = fwd.get(r["code"])
        contact = ", ".join(x for x in (r["address"], r["phone"]) if x)
        out.append(BookEntry(
            number=i, code=r["code"], procedure=r["procedure_name"] or r["procedure_code"], field=r["field"] or "",
            sets=1, applicant=r["applicant_name"], contact=contact,
            agency=(forwarded[1] if forwarded and forwarded[1] else default_agency),
            received_at=_dt(r["received_at"] or r["first_contact_at"]), due_at=_dt(r["original_due_at"] or r["due_at"]),
            forwarded_at=_dt(forwarded[0]) if forwarded else None, result_at=_dt(r["result_ready_at"]),
            returned_at=_dt(r["returned_at"]), status=r["status"], note=_note(r)))
    return out


# --- files ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Header:
    """What the forms print above and below the numbers."""

    agency: str  # Đơn vị báo cáo
    parent: str  # Đơn vị nhận báo cáo
    place: str
    signed_on: date


def header(ctx: Context) -> Header:
    s = ctx.settings()
    return Header(agency=s.get("agency_name", ""), parent=s.get("parent_agency", "") or "",
                  place=s.get("place_name", ""), signed_on=ctx.now().date())


def xlsx_bytes(ctx: Context, p: Period) -> bytes:
    """One workbook: the II.06 grid, the statistics, and the tracking book of the period."""
    from ..slips import report_xlsx

    return report_xlsx.workbook(statistics(ctx, p), book(ctx, p), header(ctx))


def book_xlsx_bytes(ctx: Context, entries: list[BookEntry], p: Period) -> bytes:
    from ..slips import report_xlsx

    return report_xlsx.book_workbook(entries, p, header(ctx))


def pdf_bytes(ctx: Context, p: Period) -> bytes:
    """The grid, the statistics and the charts (landscape A4)."""
    from ..slips import report_pdf

    return report_pdf.report(statistics(ctx, p), due_ahead(ctx), header(ctx))


def book_pdf_bytes(ctx: Context, entries: list[BookEntry], p: Period) -> bytes:
    from ..slips import report_pdf

    return report_pdf.book(entries, p, header(ctx), form_sets.tracking_book(ctx))


def _write_output(ctx: Context, path: Path, render: Callable[[], bytes], force: bool) -> Path:
    """A user-named file under the one rule (services/outputs.py), checked before anything is rendered;
    a place that cannot be written is the user's to fix (UserError, exit 2), and nothing is left there."""
    target = outputs.check_output(path, ctx.data_dir, force=force)
    data = render()
    try:
        outputs.write_output(target, data)
    except KnownError as error:
        raise UserError(error.message_vi, error.message_en) from error
    return target.path


def write_book(ctx: Context, p: Period, path: Path, kind: str, *, field: str | None = None,
               status: str | None = None, text: str | None = None, force: bool = False) -> Path:
    """The tracking book of the period (filtered as on screen) as .xlsx or .pdf."""
    def render() -> bytes:
        entries = book(ctx, p, field=field, status=status, text=text)
        return book_xlsx_bytes(ctx, entries, p) if kind == "xlsx" else book_pdf_bytes(ctx, entries, p)
    return _write_output(ctx, path, render, force)


def write_xlsx(ctx: Context, p: Period, path: Path, *, force: bool = False) -> Path:
    return _write_output(ctx, path, lambda: xlsx_bytes(ctx, p), force)


def write_pdf(ctx: Context, p: Period, path: Path, *, force: bool = False) -> Path:
    return _write_output(ctx, path, lambda: pdf_bytes(ctx, p), force)


__all__ = ["BookEntry", "Header", "KnownError", "Period", "Report", "book", "due_ahead", "histories", "period",
           "statistics", "write_pdf", "write_xlsx"]
