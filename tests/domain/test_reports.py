"""Report terms as pure functions: early / on time / late, periods, states across period boundaries."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from motcua_desktop.domain import reports as r
from motcua_desktop.domain.reports import History, Period, Step
from motcua_desktop.errors import UserError

NOV = Period(date(2026, 11, 1), date(2026, 11, 30))
DEC = Period(date(2026, 12, 1), date(2026, 12, 31))
AS_OF = datetime(2027, 1, 5, 9, 0)


def h(code="X", *, first="2026-11-02T09:00:00", received="2026-11-02T09:00:00", due="2026-11-05T09:00:00",
      original=None, ready=None, returned=None, rating=None, status="received", channel="direct", field="Hộ tịch",
      steps=()) -> History:
    return History(code, field, channel, status, first, received, due, original or due, ready, returned, rating,
                   tuple(steps))


@pytest.mark.parametrize("result, expected", [
    ("2026-11-04T16:59:00", "early"),     # a day before the due day
    ("2026-11-05T08:00:00", "on_time"),   # the due day, before the due hour
    ("2026-11-05T09:00:59", "on_time"),   # the due minute itself
    ("2026-11-05T09:01:00", "late"),      # the due day, after the due hour
    ("2026-11-06T08:00:00", "late"),
])
def test_timeliness_against_the_appointment_minute(result, expected):
    assert r.timeliness(result, "2026-11-05T09:00:00") == expected


def test_same_day_procedure_on_the_day_is_on_time_early_only_before_the_due_day():
    # received 10:00 (before the cut-off): due 17:00 the same day
    assert r.timeliness("2026-11-10T16:00:00", "2026-11-10T17:00:00") == "on_time"
    # received 16:00 (after the cut-off): due the next working day's closing; ready that evening: early
    assert r.timeliness("2026-11-10T16:45:00", "2026-11-11T17:00:00") == "early"
    assert r.timeliness("2026-11-11T17:30:00", "2026-11-11T17:00:00") == "late"
    assert r.timeliness("2026-11-11T10:00:00", None) == "on_time"  # no appointment to miss


def test_a_dossier_across_two_periods_counts_once_in_each_grid():
    d = h(received="2026-11-25T09:00:00", first="2026-11-25T09:00:00", due="2026-12-02T09:00:00",
          ready="2026-12-01T15:00:00", status="result_ready")
    nov = r.report([d], NOV, AS_OF).total
    assert (nov.n("received"), nov.n("carried_over"), nov.resolved, nov.n("within_due")) == (1, 0, 0, 1)
    dec = r.report([d], DEC, AS_OF).total
    assert (dec.n("received"), dec.n("carried_over"), dec.n("early"), dec.in_progress) == (0, 1, 1, 0)
    assert dec.n("awaiting_pickup") == 1


def test_past_due_at_the_end_uses_the_original_appointment_and_now_for_a_running_period():
    late = h(due="2026-12-20T09:00:00", original="2026-11-20T09:00:00",
             steps=[Step("2026-11-19T09:00:00", "apologise", "received")])
    assert r.report([late], NOV, AS_OF).total.n("past_due") == 1
    running = h(received="2026-11-02T09:00:00", due="2026-11-27T09:00:00")
    assert r.report([running], NOV, datetime(2026, 11, 20, 9, 0)).total.n("within_due") == 1
    assert r.report([running], NOV, AS_OF).total.n("past_due") == 1


def test_late_with_apology_is_late_and_listed_beside():
    d = h(due="2026-11-20T09:00:00", original="2026-11-16T09:00:00", ready="2026-11-18T09:00:00",
          status="result_ready", steps=[Step("2026-11-13T10:00:00", "apologise", "in_progress")])
    t = r.report([d], NOV, AS_OF).total
    assert (t.n("late"), t.n("late_with_apology"), t.n("apologies"), t.on_time_rate) == (1, 1, 1, 0.0)


def test_supplement_rounds_and_waiting_at_the_end():
    waiting = h("W", first="2026-11-20T09:00:00", received=None, due=None, status="supplement_requested",
                steps=[Step("2026-11-25T09:00:00", "supplement", "supplement_requested")])
    done = h("D", first="2026-10-30T09:00:00", received="2026-11-03T09:00:00", due="2026-11-06T09:00:00",
             steps=[Step("2026-11-03T09:00:00", "supplement", "received")])
    t = r.report([waiting, done], NOV, AS_OF).total
    assert t.codes["supplement_rounds"] == ["W", "W"]  # first contact + the second request
    assert t.codes["supplement_requested"] == ["W"]
    assert t.codes["received"] == ["D"] and t.n("carried_over") == 0  # received when complete
    assert r.report([done], Period(date(2026, 10, 1), date(2026, 10, 31)), AS_OF).total.n("supplement_rounds") == 1


def test_refused_at_first_contact_is_dated_then():
    d = h(first="2026-11-26T09:00:00", received=None, due=None, status="refused")
    t = r.report([d], NOV, AS_OF).total
    assert (t.n("refused"), t.n("received"), t.n("supplement_rounds")) == (0 + 1, 0, 0)


def test_satisfaction_and_grid_rows():
    a = h("A", ready="2026-11-04T09:00:00", returned="2026-11-05T09:00:00", rating=4, status="returned")
    b = h("B", ready="2026-11-05T10:00:00", returned="2026-11-06T09:00:00", rating=5, status="returned",
          field="Chứng thực", channel="online")
    rep = r.report([a, b], NOV, AS_OF)
    assert rep.total.to_json()["satisfaction"] == {"count": 2, "mean": 4.5,
                                                   "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}}
    assert r.grid(rep) == [[1, "Chứng thực", 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0],
                           [2, "Hộ tịch", 1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0],
                           ["", "Tổng cộng", 2, 1, 1, 0, 2, 1, 0, 1, 0, 0, 0]]
    assert r.codes_of(rep.total, r.GRID_BUCKETS[4]) == ["B", "A"] or r.codes_of(rep.total, r.GRID_BUCKETS[4]) == ["A", "B"]


def test_periods():
    with pytest.raises(UserError):
        Period(date(2026, 11, 30), date(2026, 11, 1))
    with pytest.raises(UserError):
        Period(date(1999, 1, 1), date(2026, 1, 1))
    assert r.this_week(date(2026, 11, 26)) == Period(date(2026, 11, 23), date(2026, 11, 29))
    assert r.this_month(date(2026, 2, 10)) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert r.this_quarter(date(2026, 11, 26)) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert NOV.weeks()[0] == date(2026, 10, 26) and NOV.weeks()[-1] == date(2026, 11, 30)
