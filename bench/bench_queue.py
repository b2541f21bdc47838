"""Return desk at scale: scan lookup and the results queue with 1,000,000 dossiers (quick: 100,000).

The store is a real counter file (demo catalogue) filled with synthetic dossiers inserted directly
with SQL — bench-only, one `executemany` transaction — spread over ~3 years of days, each row with a
real procedure snapshot (~1 KB, as intake writes). Most old dossiers are returned; a backlog of
results waits for pickup (a few % of all rows, a stress case: real counters have hundreds). Dossiers
that get scanned also get a realistic event history.

Figures:
- scan_lookup_p95_ms: text as a scanner sends it → parse → fetch row + events → DossierView
  (`returns.lookup_scan`), over random existing codes;
- scan_to_panel_p95_ms: the same through the return desk widget (offscreen), until the panel shows it;
- queue_first_page_ms: `returns.results_queue` first page with its counts (median of repeats);
- queue_first_page_cold_ms: the first call after opening the store;
- due_soon_ms: the due-soon tab's query;
- scan_floor_p95_ms / scan_ratio: the bare primary-key read of the dossier row the lookup wraps
  (`SELECT * FROM dossiers WHERE code = ?`, same store, same codes, interleaved);
- rss_1m_mb: resident memory of the real counter window (a subprocess, offscreen) with this store
  open on the return desk, once its lists are shown (1,000,000 dossiers; 100,000 with --quick);
- fill_s: time to insert the synthetic rows (context, not a target).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import random
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from motcua_desktop.domain.text import fold
from motcua_desktop.services import returns, setup
from motcua_desktop.services.context import Context, iso, open_context

AGENCY = "000.00.01.H22"
NOW = datetime(2026, 12, 10, 10, 0)  # a Thursday
PER_DAY = 999  # slot 1: 1001…1999
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ")
MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Quang", "Thanh", "Hữu", "Đức")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Tâm", "Tuấn", "Yến")


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def _status(age_days: int, rnd: random.Random) -> str:
    x = rnd.random()
    if age_days > 45:  # old: nearly all closed; a few results never collected
        return ("returned" if x < 0.93 else "result_ready" if x < 0.955 else "withdrawn" if x < 0.97
                else "refused" if x < 0.985 else "stopped")
    return ("received" if x < 0.25 else "in_progress" if x < 0.45 else "result_ready" if x < 0.70
            else "returned" if x < 0.90 else "supplement_requested")


def fill(ctx: Context, n: int, seed: int = 7) -> list[str]:
    """Insert n synthetic dossiers in one transaction; returns their codes (bench-only SQL)."""
    rnd = random.Random(seed)
    procs = ctx.store.query(
        "SELECT p.code, p.current_version, v.content FROM procedures p JOIN procedure_versions v "
        "ON v.id = p.current_version ORDER BY p.code")
    codes: list[str] = []
    days = -(-n // PER_DAY)

    def rows():
        made = 0
        for back in range(days):
            day = NOW.date() - timedelta(days=back)
            for i in range(PER_DAY):
                if made == n:
                    return
                made += 1
                seq = 1001 + i
                code = f"{AGENCY}-{day:%y%m%d}-{seq:04d}"
                codes.append(code)
                proc = procs[(made * 7) % len(procs)]
                name = f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
                received = datetime.combine(day, datetime.min.time()) + timedelta(hours=7, minutes=30 + i % 540)
                status = _status(back, rnd)
                due = None if made % 97 == 0 else received + timedelta(days=rnd.choice((0, 3, 5, 7, 10, 15)))
                ready = received + timedelta(days=rnd.randint(0, 12)) if status in ("result_ready", "returned") else None
                returned = ready + timedelta(days=rnd.randint(0, 5)) if status == "returned" and ready else None
                stamp = iso(returned or ready or received)
                yield (code, proc["code"], proc["current_version"], proc["content"], name, fold(name), "cccd",
                       f"0{rnd.randint(10**10, 10**11 - 1)}", status, iso(received),
                       iso(received) if status != "supplement_requested" else None,
                       iso(due) if due and status != "supplement_requested" else None,
                       iso(due) if due and status != "supplement_requested" else None,
                       iso(ready) if ready else None, iso(returned) if returned else None,
                       "Cán bộ Một Cửa", stamp)

    sql = ("INSERT INTO dossiers (code, procedure_code, procedure_version_id, procedure_snapshot, applicant_name, "
           "applicant_name_folded, id_kind, id_number, status, first_contact_at, received_at, due_at, "
           "original_due_at, result_ready_at, returned_at, clerk, updated_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    with ctx.store.transaction():
        ctx.store.conn.executemany(sql, rows())
    return codes


def add_history(ctx: Context, codes: list[str]) -> None:
    """Intake + result events for the dossiers that will be scanned (the view reads them too)."""
    sql = ("INSERT INTO dossier_events (id, dossier_code, seq, type, at, recorded_at, actor, payload) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    events = []
    for code in codes:
        row = ctx.store.query_one("SELECT * FROM dossiers WHERE code = ?", (code,))
        assert row is not None
        at = row["first_contact_at"]
        intake_payload = {k: row[k] for k in ("procedure_code", "applicant_name", "id_number", "status",
                                              "received_at", "due_at")}
        intake_payload["procedure_snapshot"] = json.loads(row["procedure_snapshot"])
        events.append((str(uuid.uuid4()), code, 1, "intake", at, at, "Cán bộ", json.dumps(intake_payload,
                                                                                             ensure_ascii=False)))
        events.append((str(uuid.uuid4()), code, 2, "forward", at, at, "Cán bộ", '{"status": "in_progress"}'))
    with ctx.store.transaction():
        ctx.store.conn.executemany(sql, events)


def _scan_to_panel(ctx: Context, sample: list[str]) -> float:
    """The desk widget offscreen: open_scanned until the panel shows the code."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from motcua_desktop.gui.dialogs import RecordingDialogs
    from motcua_desktop.gui.qt import QApplication
    from motcua_desktop.gui.return_desk import ReturnDesk

    app = QApplication.instance() or QApplication([])
    desk = ReturnDesk(ctx, RecordingDialogs())
    desk.resize(1100, 720)
    desk.show()
    app.processEvents()
    samples = []
    for code in sample:
        t0 = time.perf_counter()
        desk.open_scanned(f"{code}\r")
        app.processEvents()
        samples.append((time.perf_counter() - t0) * 1000)
        assert desk.current is not None and desk.current.code == code
    desk.close()
    desk.deleteLater()
    app.processEvents()
    return _p95(samples)


# Runs in the child: the window as `motcua gui` opens it, on the return desk, until its lists are shown.
RSS_CHILD = r"""
import sys
from datetime import datetime
from pathlib import Path
from motcua_desktop.gui.app import create_main_window, setup_application
from motcua_desktop.gui.dialogs import RecordingDialogs
from motcua_desktop.gui.qt import QApplication, QTimer
from motcua_desktop.services.context import open_context

app = QApplication(sys.argv[:1])
setup_application(app)
ctx = open_context(Path(sys.argv[1]), create=False, clock=lambda: datetime.fromisoformat(sys.argv[2]))
window = create_main_window(ctx, RecordingDialogs())
window.show()
desk = window.pages["returns"]

def shown():
    app.processEvents()
    window.ops.wait()
    app.processEvents()
    rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS:"))
    print(rss / 1024, flush=True)
    window.close()
    app.quit()

desk.lists_shown.connect(lambda: QTimer.singleShot(100, shown))
window.show_page("returns")
app.exec()
"""


def window_rss_mb(data_dir: Path) -> float:
    out = subprocess.run([sys.executable, "-c", RSS_CHILD, str(data_dir), NOW.isoformat()], capture_output=True,
                         text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=600, check=True)
    return float(out.stdout.split()[-1])


def run(quick: bool) -> dict[str, float]:
    n = 100_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as tmp:
        data_dir = Path(tmp) / "data"
        ctx = setup.open_demo(data_dir)
        t0 = time.perf_counter()
        codes = fill(ctx, n)
        fill_s = time.perf_counter() - t0
        rnd = random.Random(11)
        sample = rnd.sample(codes, 400)
        add_history(ctx, sample)
        ctx.close()

        ctx = open_context(data_dir, clock=lambda: NOW, actor="Bench")
        t0 = time.perf_counter()
        page = returns.results_queue(ctx)
        cold = (time.perf_counter() - t0) * 1000
        assert len(page.rows) == returns.QUEUE_PAGE and page.total > 0
        queue = []
        for _ in range(30):
            t0 = time.perf_counter()
            returns.results_queue(ctx)
            queue.append((time.perf_counter() - t0) * 1000)
        later = []
        for _ in range(10):
            t0 = time.perf_counter()
            returns.results_queue(ctx, offset=returns.QUEUE_PAGE * 100)
            later.append((time.perf_counter() - t0) * 1000)
        soon = []
        for _ in range(10):
            t0 = time.perf_counter()
            returns.due_soon(ctx)
            soon.append((time.perf_counter() - t0) * 1000)

        lookups, floor = [], []
        conn = ctx.store.conn
        for code in sample:
            text = f"\x02{code}\r\n"  # as a scanner may send it
            t0 = time.perf_counter()
            view = returns.lookup_scan(ctx, text)
            lookups.append((time.perf_counter() - t0) * 1000)
            assert view.code == code
            t0 = time.perf_counter()
            conn.execute("SELECT * FROM dossiers WHERE code = ?", (code,)).fetchone()
            floor.append((time.perf_counter() - t0) * 1000)
        panel = _scan_to_panel(ctx, sample[:100])
        ctx.close()
        rss = window_rss_mb(data_dir)
    return {
        "scan_lookup_p95_ms": _p95(lookups),
        "scan_floor_p95_ms": _p95(floor),
        "scan_ratio": _p95(lookups) / _p95(floor),
        "rss_1m_mb": rss,
        "scan_to_panel_p95_ms": panel,
        "queue_first_page_ms": statistics.median(queue),
        "queue_first_page_cold_ms": cold,
        "queue_page_101_ms": statistics.median(later),
        "due_soon_ms": statistics.median(soon),
        "queue_result_ready_rows": float(page.total),
        "fill_s": fill_s,
    }


if __name__ == "__main__":
    for key, value in run("--quick" in sys.argv).items():
        print(f"{key:28} {value:12.3f}")
