"""Receive-transaction time: `intake.receive` end to end (validation, due date, code, row, event,
outbox, audit, commit, read back), on a real WAL file with synchronous=NORMAL.

Full mode first fills the store with 100,000 past dossiers (rows only) so the code-sequence and
index lookups run against a store of a busy year; quick mode uses a fresh demo counter.

The floor: a bare insert-and-commit of one row (BEGIN IMMEDIATE, INSERT, COMMIT) into a scratch table
of the same file, on a second connection with the same durability settings (WAL, synchronous=NORMAL),
interleaved with the receives.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.services import dossiers, intake, setup


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


class _Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 16, 7, 30)

    def __call__(self) -> datetime:
        return self.now

    def tick(self) -> None:
        self.now += timedelta(seconds=20)  # ~900 dossiers per working-hours day: stays under 999


def _fill(ctx, n: int) -> None:
    """n past dossiers (received ones) copied from one template row, spread over earlier days."""
    template = ctx.store.query_one("SELECT * FROM dossiers LIMIT 1")
    cols = [c for c in template if c != "code"]
    rows = []
    day = datetime(2025, 1, 1)
    for i in range(n):
        if i % 900 == 0:
            day += timedelta(days=1)
        code = f"000.00.01.H22-{day:%y%m%d}-{1001 + i % 900:04d}"
        rows.append((code, *(template[c] for c in cols)))
    with ctx.store.transaction():
        ctx.store.conn.executemany(
            f"INSERT INTO dossiers (code, {', '.join(cols)}) VALUES ({', '.join('?' for _ in range(len(cols) + 1))})",
            rows)


def run(quick: bool) -> dict[str, float]:
    tmp = Path(tempfile.mkdtemp(prefix="motcua-bench-receive-"))
    try:
        ctx = setup.open_demo(tmp / "data")
        clock = _Clock()
        ctx.clock = clock
        ctx.actor = "bench"
        a = Applicant(name="Nguyễn Văn Bình", id_number="001203004567", phone="0912345678", address="Thôn Đông")
        for _ in range(10):  # warm-up (catalogue, holidays, statement cache)
            intake.receive(ctx, "HT-04", a)
            clock.tick()
        if not quick:
            _fill(ctx, 100_000)
        bare = sqlite3.connect(ctx.store.path, isolation_level=None)
        bare.execute("PRAGMA journal_mode = WAL")
        bare.execute("PRAGMA synchronous = NORMAL")
        bare.execute("CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        receive, supplement, lookup, floor = [], [], [], []
        n = 200 if quick else 800
        for i in range(n):
            t0 = time.perf_counter()
            v = intake.receive(ctx, "CTR-01", a, "1" if i % 4 == 0 else "all")
            receive.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            bare.execute("BEGIN IMMEDIATE")
            bare.execute("INSERT INTO bench_floor (body) VALUES (?)", (v.code,))
            bare.execute("COMMIT")
            floor.append((time.perf_counter() - t0) * 1000)
            clock.tick()
            if v.missing:
                t0 = time.perf_counter()
                intake.supplement(ctx, v.code, "2")
                supplement.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            dossiers.get(ctx, v.code)
            lookup.append((time.perf_counter() - t0) * 1000)
        bare.close()
        ctx.close()
        return {
            "receive_p95_ms": _p95(receive),
            "receive_floor_p95_ms": _p95(floor),
            "receive_ratio": _p95(receive) / _p95(floor),
            "receive_median_ms": statistics.median(receive),
            "supplement_p95_ms": _p95(supplement),
            "dossier_get_p95_ms": _p95(lookup),
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    import sys

    print(run("--quick" in sys.argv))
