"""Sync throughput: the counter's real client (services/sync.py over httpx) against a real
`motcua-hub serve` process on loopback, on a SQLite hub and on a PostgreSQL hub.

- sync_push_events_per_s_{sqlite,postgresql}: 10,000 events from one counter (quick: 2,000), batches of 500.
- sync_concurrent_counters_total_s / _p95_batch_ms: 50 counters pushing 200 events each at once
  (quick: 10 × 100), batches of 50, one thread per counter, PostgreSQL hub (SQLite without it).
- sync_pull_apply_ms: 1,000 status changes (quick: 200) pulled and applied on one counter.

The counter's outbox is filled by cloning one received dossier (rows + intake and forward events +
outbox rows) with fresh codes and ids: what is measured is the push and the pull, not intake.
Hub set-up (tokens, statuses) goes through the hub's own store functions, in process.
A PostgreSQL cluster is made in a temp dir when Debian's binaries are there (tests/hubproc.py).
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from motcua_desktop.domain.applicant import Applicant  # noqa: E402
from motcua_desktop.services import intake, setup, sync  # noqa: E402
from motcua_desktop.services.context import Context  # noqa: E402
from motcua_desktop.sync.client import HubClient  # noqa: E402

AGENCY = "000.00.01.H22"
CITIZEN = Applicant(name="Trần Văn Bình", id_number="001088012345", phone="0912345678")


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def _counter(root: Path, slot: int) -> Context:
    ctx = setup.open_context(root / f"c{slot}")
    setup.init(ctx, agency_code=AGENCY, agency_name="UBND XÃ HÒA BÌNH", counter_slot=slot)
    return ctx


def _clone(ctx: Context, dossiers: int, *, forward: bool) -> int:
    """`dossiers` received dossiers (+ a forward each) in the outbox, cloned from one real intake."""
    template_code = intake.receive(ctx, "HT-04", CITIZEN, "all").code
    store = ctx.store
    row = store.query_one("SELECT * FROM dossiers WHERE code = ?", (template_code,))
    ev = store.query_one("SELECT * FROM dossier_events WHERE dossier_code = ?", (template_code,))
    assert row and ev
    slot = int(template_code[-4:]) // 1000
    agency = template_code.split("-")[0]
    cols = list(row)
    day0 = date(2026, 1, 5)
    n_events = 0
    with store.transaction():
        for i in range(dossiers):
            day = day0 + timedelta(days=i // 999)
            code = f"{agency}-{day:%y%m%d}-{slot * 1000 + 1 + i % 999:04d}"
            store.execute(f"INSERT INTO dossiers ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                          tuple(code if c == "code" else row[c] for c in cols))
            events = [("intake", ev["payload"])]
            if forward:
                events.append(("forward", json.dumps({"status": "in_progress", "to": "Phòng Tư pháp"})))
                store.execute("UPDATE dossiers SET status = 'in_progress' WHERE code = ?", (code,))
            for seq, (kind, payload) in enumerate(events, start=1):
                eid = str(uuid.uuid4())
                store.execute("INSERT INTO dossier_events (id, dossier_code, seq, type, at, recorded_at, actor, payload)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                              (eid, code, seq, kind, ev["at"], ev["recorded_at"], ev["actor"], payload))
                store.execute("INSERT INTO outbox (event_id, dossier_code, queued_at) VALUES (?, ?, ?)",
                              (eid, code, ev["recorded_at"]))
                n_events += 1
        # the template itself goes too (one more intake)
    return n_events + 1


class _Timed(HubClient):
    """The real client, timing each push (for the p95 batch latency)."""

    samples: list[float]
    lock = threading.Lock()

    def push(self, events: Any, *, sent_at: str) -> Any:
        t = time.perf_counter()
        try:
            return super().push(events, sent_at=sent_at)
        finally:
            with self.lock:
                self.samples.append((time.perf_counter() - t) * 1000)


def _push_rate(db_url: str, root: Path, n_events: int) -> float:
    from hubproc import HubProcess
    from motcua_desktop.hub import db as hub_db, store as hub_store
    engine = hub_db.make_engine(db_url)
    hub = HubProcess(db_url, root / "hub").start()
    try:
        ctx = _counter(root, 1)
        try:
            sync.set_hub(ctx, hub.url, hub_store.add_counter(engine, AGENCY, 1))
            total = _clone(ctx, (n_events - 1) // 2, forward=True)
            t = time.perf_counter()
            report = sync.sync(ctx, batch_size=500)
            elapsed = time.perf_counter() - t
            assert report.accepted == total and not report.rejected, (report.accepted, report.rejected[:1])
            return total / elapsed
        finally:
            ctx.close()
    finally:
        hub.stop()
        engine.dispose()


def _concurrent(db_url: str, root: Path, counters: int, per_counter: int) -> tuple[float, float]:
    from hubproc import HubProcess
    from motcua_desktop.hub import db as hub_db, store as hub_store
    engine = hub_db.make_engine(db_url)
    hub = HubProcess(db_url, root / "hub-c", args=("--workers", "2")).start()
    samples: list[float] = []
    try:
        paths = []
        for k in range(counters):
            slot = k % 10
            agency = AGENCY if k < 10 else f"000.{k // 10:02d}.01.H22"
            c = setup.open_context(root / f"cc{k}")
            try:
                setup.init(c, agency_code=agency, agency_name="UBND XÃ HÒA BÌNH", counter_slot=slot)
                sync.set_hub(c, hub.url, hub_store.add_counter(engine, agency, slot))
                _clone(c, per_counter - 1, forward=False)
            finally:
                c.close()
            paths.append(root / f"cc{k}")

        def factory(url: str, token: str, ca: str | None) -> HubClient:
            client = _Timed(url, token, ca_file=ca)
            client.samples = samples
            return client

        errors: list[BaseException] = []

        def run(path: Path) -> None:
            c = setup.open_context(path)
            try:
                r = sync.sync(c, batch_size=50, client_factory=factory)
                assert r.accepted == per_counter and not r.rejected, (r.accepted, r.rejected[:1])
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)
            finally:
                c.close()

        threads = [threading.Thread(target=run, args=(p,)) for p in paths]
        t = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join(timeout=600)
        total = time.perf_counter() - t
        if errors:
            raise errors[0]
        return total, _p95(samples)
    finally:
        hub.stop()
        engine.dispose()


def _pull_apply(db_url: str, root: Path, changes: int) -> float:
    from hubproc import HubProcess
    from motcua_desktop.hub import db as hub_db, store as hub_store
    engine = hub_db.make_engine(db_url)
    hub = HubProcess(db_url, root / "hub-p").start()
    try:
        ctx = _counter(root, 3)
        try:
            sync.set_hub(ctx, hub.url, hub_store.add_counter(engine, AGENCY, 3))
            _clone(ctx, changes - 1, forward=False)
            sync.sync(ctx, batch_size=500)
            codes = [r["code"] for r in ctx.store.query("SELECT code FROM dossiers ORDER BY code")]
            for code in codes[:changes]:
                hub_store.set_status(engine, code, "in_progress", by="Chuyên viên")
            t = time.perf_counter()
            report = sync.sync(ctx, pull_limit=1000)
            elapsed = (time.perf_counter() - t) * 1000
            assert report.applied == changes, (report.applied, report.conflicts[:1])
            return elapsed
        finally:
            ctx.close()
    finally:
        hub.stop()
        engine.dispose()


def run(quick: bool) -> dict[str, float]:
    from hubproc import PgCluster, _migrate, pg_bindir
    n_push, counters, per_counter, changes = (2_000, 10, 100, 200) if quick else (10_000, 50, 200, 1_000)
    root = Path(tempfile.mkdtemp(prefix="motcua-bench-sync-"))
    figures: dict[str, float] = {}
    cluster = None
    try:
        sqlite_url = f"sqlite:///{root / 'hub.sqlite3'}"
        _migrate(sqlite_url)
        figures["sync_push_events_per_s_sqlite"] = _push_rate(sqlite_url, root / "s", n_push)
        bindir = pg_bindir()
        if bindir is not None:
            cluster = PgCluster(bindir)
            cluster.start()
            figures["sync_push_events_per_s_postgresql"] = _push_rate(cluster.create_database(), root / "p", n_push)
            conc_url = cluster.create_database()
        else:
            conc_url = f"sqlite:///{root / 'hub-c.sqlite3'}"
            _migrate(conc_url)
        total, p95 = _concurrent(conc_url, root / "c", counters, per_counter)
        figures["sync_concurrent_counters_total_s"] = total
        figures["sync_concurrent_counters_p95_batch_ms"] = p95
        pull_url = cluster.create_database() if cluster else sqlite_url
        figures["sync_pull_apply_ms"] = _pull_apply(pull_url, root / "u", changes)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
    return figures


if __name__ == "__main__":
    for key, value in run("--quick" in sys.argv).items():
        print(f"{key:40} {value:12.3f}")
