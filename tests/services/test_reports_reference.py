"""`reports.statistics` (the narrow rows and steps the store picks for a period, streamed into the
rules) against the rules over every dossier and every event of the file read the plain way: the
store's selection must not leave out anything a period counts. A varied quarter entered through the
services: early / on time / late, supplement rounds, apologies, refusals at intake and after waiting,
withdrawals, stops, a void, received before and in the period, pending at its end."""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

from motcua_desktop.domain import reports as rules
from motcua_desktop.domain.reports import History, Step
from motcua_desktop.errors import UserError
from motcua_desktop.services import corrections, intake, reports, returns

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import report_dataset  # noqa: E402

NOW = datetime(2026, 12, 10, 12, 0)
PROCS = ("HT-04", "HT-05", "HT-01", "DD-03")


def _enter(ctx, n: int, seed: int) -> None:
    rnd = random.Random(seed)
    # Entered as it happens (the clock a few minutes after each step): a row's updated_at is then its
    # last step's, and a dossier left open since before a period is only found as carried over.
    clock = [NOW]
    ctx.clock = lambda: clock[0]

    def attempt(step, *args, **kwargs) -> bool:
        clock[0] = min(NOW, kwargs.get("at", clock[0]) + timedelta(minutes=5))
        try:
            step(ctx, *args, **kwargs)
        except UserError:
            return False  # a combination the counter refuses (a step before the previous one…): skipped
        return True

    for i in range(n):
        at = datetime(2026, 9, 20, 8, 0) + timedelta(days=rnd.randint(0, 80), minutes=rnd.randint(0, 480))
        proc = rnd.choice(PROCS)
        who = report_dataset.person(f"Người nộp {i}", i + 1)
        clock[0] = at + timedelta(minutes=5)
        if rnd.random() < 0.06:
            intake.refuse_new(ctx, proc, who, "Không thuộc thẩm quyền", at=at)
            continue
        waiting = rnd.random() < 0.25
        code = intake.receive(ctx, proc, who, "none" if waiting else "all",
                              channel=rnd.choice(("direct", "direct", "post", "online")), at=at).code
        if rnd.random() < 0.04:
            attempt(corrections.void, code, reason="Nhập nhầm")
            continue
        if waiting:
            at += timedelta(days=rnd.randint(0, 4), hours=1)
            roll = rnd.random()
            if roll < 0.15:
                attempt(intake.refuse, code, "Không đủ điều kiện", at=at)
                continue
            if roll < 0.25:
                attempt(intake.withdraw, code, "Công dân xin rút", at=at)
                continue
            if roll < 0.4 or not attempt(intake.supplement, code, "all", at=at):
                continue  # still waiting
        if rnd.random() < 0.5:
            at += timedelta(hours=1)
            attempt(returns.forward, code, at=at)
        if rnd.random() < 0.15:
            at += timedelta(days=rnd.randint(0, 3), hours=1)
            attempt(returns.apologise, code, returns.new_due_in_working_days(ctx, code, 5), "Chờ xác minh", at=at)
        roll = rnd.random()
        if roll < 0.08:
            attempt(returns.withdraw, code, "Công dân xin rút", at=at + timedelta(hours=2))
        elif roll < 0.14:
            attempt(returns.stop, code, "Người yêu cầu đã mất", at=at + timedelta(hours=2))
        elif roll < 0.85:
            due = returns.lookup_scan(ctx, code).due_at
            if due is not None and due > at and rnd.random() < 0.3:  # the due day, before the due hour
                at = due.replace(hour=7, minute=45)
            else:
                at += timedelta(days=rnd.randint(0, 12), hours=rnd.randint(0, 8))
            if at < NOW and attempt(returns.result_ready, code, at=at) and rnd.random() < 0.6:
                at += timedelta(days=rnd.randint(0, 4), hours=1)
                if at < NOW:
                    attempt(returns.hand_over, code, rating=rnd.choice((None, 1, 3, 4, 5)), at=at)


def _everything(ctx, hi: str) -> list[History]:
    """Every dossier of the file with every step dated before `hi`, no index, no shortcut."""
    store = ctx.store
    fields = {r["id"]: json.loads(r["content"]).get("field") or ""
              for r in store.query("SELECT id, content FROM procedure_versions")}
    closing = {"refuse": "refused", "withdraw": "withdrawn", "stop": "stopped"}
    steps: dict[str, list[Step]] = {}
    for e in store.query("SELECT dossier_code, type, at, payload FROM dossier_events ORDER BY dossier_code, seq"):
        if e["type"] in rules.STEP_KINDS and e["at"] < hi:
            status = closing.get(e["type"]) or json.loads(e["payload"] or "{}").get("status") or ""
            steps.setdefault(e["dossier_code"], []).append(Step(e["at"], e["type"], status))
    return [History(d["code"], fields[d["procedure_version_id"]], d["channel"], d["status"], d["first_contact_at"],
                    d["received_at"], d["due_at"], d["original_due_at"], d["result_ready_at"], d["returned_at"],
                    d["rating"], tuple(steps.get(d["code"], ())))
            for d in store.query("SELECT * FROM dossiers")]


def _counted(t: rules.Tally) -> dict[str, Counter[str]]:
    return {b: Counter(t.codes[b]) for b in rules.BUCKETS} | {"ratings": Counter(map(str, t.ratings))}


def test_the_store_picks_every_dossier_a_period_counts(ctx) -> None:
    _enter(ctx, 90, seed=5)
    ctx.clock = lambda: NOW
    kinds = Counter(r["status"] for r in ctx.store.query("SELECT status FROM dossiers"))
    assert {"refused", "withdrawn", "stopped", "returned", "result_ready", "supplement_requested"} <= set(kinds)
    assert ctx.store.scalar("SELECT count(*) FROM dossier_events WHERE type = 'apologise'") > 0
    for lo, hi in ((date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 10, 1), date(2026, 10, 31)),
                   (date(2026, 10, 15), date(2026, 11, 14)), (date(2026, 12, 1), date(2026, 12, 31)),
                   (date(2026, 11, 16), date(2026, 11, 16)), (date(2025, 12, 11), date(2026, 12, 10))):
        p = reports.period(ctx, lo, hi)
        fast = reports.statistics(ctx, p)
        plain = rules.report(_everything(ctx, p.hi), p, ctx.now())
        assert fast.weeks == plain.weeks, p
        assert set(fast.by_field) == set(plain.by_field), p
        assert _counted(fast.total) == _counted(plain.total), p
        for f in fast.by_field:
            assert _counted(fast.by_field[f]) == _counted(plain.by_field[f]), (p, f)
    left_open = ctx.store.scalar("SELECT count(*) FROM dossiers WHERE status IN ('received', 'in_progress') "
                                 "AND updated_at < '2026-11-01'")
    assert left_open  # what only the store's second query finds for November
    year = reports.statistics(ctx, reports.period(ctx, date(2025, 12, 11), date(2026, 12, 10))).total
    assert year.received_total and year.resolved and year.n("apologies") and year.n("supplement_rounds")
