"""Reports at scale: a year of a busy centre (100,000 dossiers; quick: 20,000) and a month's book.

The store is a real counter file (demo catalogue) filled with synthetic dossiers by bench_queue's
`fill` (bench-only SQL, ~3 years of days are not needed: the rows are spread over one year), plus
the non-milestone steps a real year has (supplement rounds, apologies, withdrawals) as events.

Figures:
- report_1y_ms: `reports.statistics` for the whole year (what `motcua report --json` computes),
  median of 5 (target ≤ 500 ms);
- report_1y_rows_floor_ms: reading the year's rows alone, the floor of the figure above in this run;
- report_1m_ms: one month of that year;
- book_xlsx_1m_s: a month of 10,000 dossiers to the tracking book .xlsx (quick: 2,000).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_queue  # noqa: E402

from motcua_desktop.services import reports, setup  # noqa: E402
from motcua_desktop.services.context import open_context  # noqa: E402

NOW = bench_queue.NOW


def _steps(ctx, share: float = 0.1) -> None:
    rnd = random.Random(3)
    codes = [r["code"] for r in ctx.store.query("SELECT code FROM dossiers WHERE received_at IS NOT NULL")]
    rows = []
    for code in rnd.sample(codes, int(len(codes) * share)):
        at = ctx.store.query_one("SELECT received_at FROM dossiers WHERE code = ?", (code,))["received_at"]
        rows.append((str(uuid.uuid4()), code, 90, "apologise", at, at, "Bench",
                     json.dumps({"status": "in_progress", "reason": "x"})))
    with ctx.store.transaction():
        ctx.store.conn.executemany("INSERT INTO dossier_events (id, dossier_code, seq, type, at, recorded_at, actor, "
                                   "payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def _fill_days(ctx, n: int, per_day: int) -> None:
    old = bench_queue.PER_DAY
    bench_queue.PER_DAY = per_day
    try:
        bench_queue.fill(ctx, n)
    finally:
        bench_queue.PER_DAY = old


def run(quick: bool) -> dict[str, float]:
    year_n = 20_000 if quick else 100_000
    month_n = 2_000 if quick else 10_000
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as tmp:
        data_dir = Path(tmp) / "year"
        ctx = setup.open_demo(data_dir)
        _fill_days(ctx, year_n, -(-year_n // 365))
        _steps(ctx)
        ctx.close()
        ctx = open_context(data_dir, clock=lambda: NOW, actor="Bench")
        year = reports.period(ctx, date(2025, 12, 11), date(2026, 12, 10))
        samples = []
        for _ in range(5):
            t0 = time.perf_counter()
            stats = reports.statistics(ctx, year)
            samples.append((time.perf_counter() - t0) * 1000)
        assert stats.total.received_total > 0
        out["report_1y_ms"] = statistics.median(samples)
        # Floor in the same run (timings swing 2-4x with load): only reading the year's rows.
        from motcua_desktop.store import reports_repo

        floor = []
        for _ in range(5):
            t0 = time.perf_counter()
            reports_repo.period_rows(ctx.store, year.lo, year.hi)
            floor.append((time.perf_counter() - t0) * 1000)
        out["report_1y_rows_floor_ms"] = statistics.median(floor)
        month = reports.period(ctx, date(2026, 11, 1), date(2026, 11, 30))
        samples = []
        for _ in range(5):
            t0 = time.perf_counter()
            reports.statistics(ctx, month)
            samples.append((time.perf_counter() - t0) * 1000)
        out["report_1m_ms"] = statistics.median(samples)
        ctx.close()

        data_dir = Path(tmp) / "month"
        ctx = setup.open_demo(data_dir)
        _fill_days(ctx, month_n, 999)  # ~10 days of 999: one month's book
        ctx.close()
        ctx = open_context(data_dir, clock=lambda: NOW, actor="Bench")
        p = reports.period(ctx, date(2026, 11, 10), date(2026, 12, 10))
        t0 = time.perf_counter()
        reports.write_book(ctx, p, Path(tmp) / "book.xlsx", "xlsx")
        out["book_xlsx_1m_s"] = time.perf_counter() - t0
        out["book_rows"] = float(len(reports.book(ctx, p)))
        ctx.close()
    return out


if __name__ == "__main__":
    for key, value in run("--quick" in sys.argv).items():
        print(f"{key:28} {value:12.3f}")
