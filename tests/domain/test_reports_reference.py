"""The period report against a straightforward restatement of the report terms (domain/reports.py's
docstring), on generated histories: early / on time / late, supplement rounds, apologies, refusals at
intake and later, withdrawals, stops, voided, received before and in the period, pending at its end,
times on the period's bounds. The report's own code takes shortcuts for speed (a year is 100,000
histories); this one replays every history the slow, obvious way, and every bucket must list the same
codes in the same order."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from motcua_desktop.domain import reports as r
from motcua_desktop.domain.reports import History, Period, Step

CLOSING = ("refused", "withdrawn", "stopped")


def ref_facts(h: History) -> tuple[str | None, str | None, bool, list[str], list[str]]:
    """(closed at, closed as, waited for papers, supplement rounds issued at, apologies at)."""
    closed_at = closed_as = None
    refuse_step = supplement = False
    rounds: list[str] = []
    apologies: list[str] = []
    for s in h.steps:
        if s.kind == "apologise":
            apologies.append(s.at)
            continue
        supplement = supplement or s.kind == "supplement"
        if s.status == "supplement_requested":
            rounds.append(s.at)
        elif s.status in CLOSING and closed_at is None:
            closed_at, closed_as = s.at, s.status
            refuse_step = refuse_step or s.status == "refused"
    at_intake = h.status == "refused" and not refuse_step
    if at_intake:  # refused at first contact: dated then
        closed_at, closed_as = h.first_contact_at, "refused"
    waited = supplement or (h.received_at is None and not at_intake)
    if waited:
        rounds.insert(0, h.first_contact_at)
    return closed_at, closed_as, waited, rounds, apologies


def ref_state(h: History, moment: str) -> str:
    closed_at, closed_as, waited, _, _ = ref_facts(h)
    before = [(h.first_contact_at, "contact"), (closed_at, closed_as), (h.returned_at, "returned"),
              (h.result_ready_at, "ready"), (h.received_at, "processing")]
    seen = {what: at is not None and at < moment for at, what in before}
    if not seen["contact"]:
        return "none"
    if closed_as is not None and seen[closed_as]:
        return closed_as
    for what in ("returned", "ready", "processing"):
        if seen[what]:
            return what
    return "waiting" if waited else "none"


def ref_report(hs: list[History], p: Period, as_of: str) -> tuple[dict[str, dict[str, list[str]]],
                                                                  dict[str, list[int]], list[tuple[date, int, int]]]:
    lo, hi = p.lo, p.hi
    until = min(hi, as_of)
    codes: dict[str, dict[str, list[str]]] = {}
    ratings: dict[str, list[int]] = {}
    mondays = p.weeks()
    weeks = {m: [0, 0] for m in mondays}

    def monday(at: str) -> date:
        d = date.fromisoformat(at[:10])
        return d - timedelta(days=d.weekday())

    for h in hs:
        c = codes.setdefault(h.field, {b: [] for b in r.BUCKETS})
        rated = ratings.setdefault(h.field, [])

        def put(bucket: str, h: History = h, c: dict[str, list[str]] = c) -> None:
            c[bucket].append(h.code)

        def within(at: str | None) -> bool:
            return at is not None and lo <= at < hi

        if h.status == "voided":
            if within(h.first_contact_at):
                put("voided")
            continue
        closed_at, closed_as, _, rounds, apologies = ref_facts(h)
        if within(h.received_at):
            put("received")
            put(h.channel if h.channel in r.CHANNELS else "direct")
            weeks[monday(h.received_at or "")][0] += 1
        elif ref_state(h, lo) == "processing":
            put("carried_over")
        due = h.original_due_at or h.due_at
        if within(h.result_ready_at):
            ready = h.result_ready_at or ""
            if due is None or ready[:16] <= due[:16]:
                put("early" if due is not None and ready[:10] < due[:10] else "on_time")
            else:
                put("late")
                if h.received_at is not None and any(h.received_at <= a <= ready for a in apologies):
                    put("late_with_apology")
            weeks[monday(ready)][1] += 1
        end = ref_state(h, hi)
        if end == "processing":
            put("past_due" if due is not None and due < until else "within_due")
        elif end == "waiting":
            put("supplement_requested")
        elif end == "ready":
            put("awaiting_pickup")
        if closed_as is not None and within(closed_at):
            put(closed_as)
        for at in rounds:
            if within(at):
                put("supplement_rounds")
        for at in apologies:
            if within(at):
                put("apologies")
        if within(h.returned_at) and h.rating is not None:
            put("rated")
            rated.append(h.rating)
    return codes, ratings, [(m, weeks[m][0], weeks[m][1]) for m in mondays]


# Times cluster on the bounds of the periods below and on the due minutes, where the rules turn.
DAYS = [date(2026, 10, 20), date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 15),
        date(2026, 11, 16), date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2)]
CLOCK = ["00:00:00", "08:59:59", "09:00:00", "09:00:30", "09:01:00", "16:45:00", "23:59:59"]
PERIODS = [Period(date(2026, 11, 1), date(2026, 11, 30)), Period(date(2026, 11, 1), date(2026, 11, 15)),
           Period(date(2026, 11, 16), date(2026, 12, 1)), Period(date(2026, 11, 2), date(2026, 11, 2)),
           Period(date(2026, 10, 1), date(2026, 12, 31))]
STATUSES = ["supplement_requested", "received", "in_progress", "result_ready", "returned", "refused",
            "withdrawn", "stopped", "voided"]
STEP_STATUSES = ["supplement_requested", "received", "in_progress", "result_ready", "refused", "withdrawn",
                 "stopped", ""]

moment = st.builds(lambda d, t: f"{d.isoformat()}T{t}", st.sampled_from(DAYS), st.sampled_from(CLOCK))
step = st.builds(Step, moment, st.sampled_from(r.STEP_KINDS), st.sampled_from(STEP_STATUSES))


@st.composite
def history(draw: st.DrawFn, code: str) -> History:
    times = sorted(draw(st.lists(moment, min_size=4, max_size=4)))
    first = times[0]
    received = draw(st.sampled_from([None, first, times[1]]))
    ready = draw(st.sampled_from([None, times[2]])) if received else draw(st.sampled_from([None, None, times[2]]))
    returned = draw(st.sampled_from([None, times[3]])) if ready else None
    due = draw(st.one_of(st.none(), moment))
    original = draw(st.sampled_from([None, due, draw(moment)]))
    steps = sorted(draw(st.lists(step, max_size=4)))
    return History(code, draw(st.sampled_from(["Hộ tịch", "Đất đai", ""])),
                   draw(st.sampled_from(["direct", "post", "online", "kiosk"])), draw(st.sampled_from(STATUSES)),
                   first, received, due, original, ready, returned,
                   draw(st.one_of(st.none(), st.integers(1, 5))), tuple(steps))


@st.composite
def histories(draw: st.DrawFn) -> list[History]:
    n = draw(st.integers(0, 40))
    return [draw(history(f"D{i:03d}")) for i in range(n)]


@given(histories(), st.sampled_from(PERIODS), st.sampled_from([datetime(2026, 11, 20, 9, 0),
                                                               datetime(2026, 11, 30, 23, 0),
                                                               datetime(2027, 1, 5, 9, 0)]))
def test_the_report_counts_as_the_terms_say(hs: list[History], p: Period, as_of: datetime) -> None:
    got = r.report(hs, p, as_of)
    codes, ratings, weeks = ref_report(hs, p, as_of.isoformat(timespec="seconds"))
    assert got.weeks == weeks
    shown = {f for f, c in codes.items() if any(c.values())}
    assert set(got.by_field) == shown
    for f in shown:
        assert got.by_field[f].codes == codes[f], f
        assert got.by_field[f].ratings == ratings[f], f
    total = {b: [c for f in sorted(codes) for c in codes[f][b]] for b in r.BUCKETS}
    assert got.total.codes == total
    assert got.total.ratings == [x for f in sorted(ratings) for x in ratings[f]]


def test_a_year_of_plain_and_stepped_histories_counts_as_the_terms_say() -> None:
    """A bigger, fixed mix (the shortcuts of the plain path and the stepped one side by side)."""
    import random

    rnd = random.Random(11)
    hs = []
    for i in range(3000):
        day = datetime(2025, 12, 1, 7, 30) + timedelta(days=rnd.randint(0, 400), minutes=rnd.randint(0, 600))
        received = None if i % 13 == 0 else day + timedelta(days=rnd.choice((0, 0, 2)))
        due = None if i % 31 == 0 else (received or day) + timedelta(days=rnd.choice((0, 3, 7)), minutes=90)
        ready = received + timedelta(days=rnd.randint(0, 9)) if received and i % 5 else None
        returned = ready + timedelta(days=rnd.randint(0, 4)) if ready and i % 3 else None
        steps = []
        if i % 7 == 0:
            steps.append(Step(iso(day + timedelta(days=1)), "apologise", "in_progress"))
        if i % 11 == 0:
            steps.append(Step(iso(day + timedelta(hours=1)), "supplement", "supplement_requested"))
        if i % 17 == 0:
            steps.append(Step(iso(day + timedelta(days=2)), rnd.choice(("refuse", "withdraw", "stop")),
                              rnd.choice(CLOSING)))
        status = ("voided" if i % 97 == 0 else "refused" if i % 29 == 0 else
                  "returned" if returned else "result_ready" if ready else
                  "received" if received else "supplement_requested")
        hs.append(History(f"Y{i:05d}", rnd.choice(["Hộ tịch", "Đất đai", "Tư pháp"]),
                          rnd.choice(["direct", "post", "online"]), status, iso(day), iso(received), iso(due),
                          iso(due) if i % 4 else None, iso(ready), iso(returned),
                          rnd.randint(1, 5) if returned and i % 2 else None, tuple(steps)))
    for p in (Period(date(2025, 12, 11), date(2026, 12, 10)), Period(date(2026, 11, 1), date(2026, 11, 30))):
        got = r.report(hs, p, datetime(2026, 12, 10, 12, 0))
        codes, ratings, weeks = ref_report(hs, p, "2026-12-10T12:00:00")
        assert got.weeks == weeks
        assert {f: t.codes for f, t in got.by_field.items()} == {f: c for f, c in codes.items() if any(c.values())}
        assert {f: t.ratings for f, t in got.by_field.items()} == {f: ratings[f] for f in got.by_field}


def iso(d: datetime | None) -> str | None:
    return d.isoformat(timespec="seconds") if d else None
