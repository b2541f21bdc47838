"""The window while its background sync pushes: the real counter window (offscreen), the real
background sync (gui/sync_runner.py: its own thread and connection, services/sync.py over httpx) and
a real `motcua-hub serve` (SQLite hub, loopback).

A 1 ms QTimer on the UI thread records the gap between its ticks; a gap longer than the interval is
the time the UI thread could not run (a frame at 60 Hz is 16 ms).

- sync_background_ui_stall_ms: the longest gap while 1,000 events (quick: 400) push in the
  background, from the first batch until the outbox is empty and the window has refreshed.
- sync_background_ui_p99_ms: the 99th percentile of those gaps.
- sync_background_ui_stall_floor_ms: the floor: the longest gap of the same window, idle, for as
  long (measured just before, same process).
- sync_background_push_s: how long the push took (for the reader).
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

from bench_sync import _clone, _counter  # noqa: E402
from motcua_desktop.gui.app import create_main_window  # noqa: E402
from motcua_desktop.gui.dialogs import RecordingDialogs  # noqa: E402
from motcua_desktop.gui.qt import QApplication, QTimer  # noqa: E402
from motcua_desktop.services import sync, sync_status  # noqa: E402

AGENCY = "000.00.01.H22"


def _gaps(app: QApplication, until: Callable[[], bool], timeout_s: float) -> list[float]:
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    deadline = time.perf_counter() + timeout_s
    while not until() and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.0005)  # as an event loop waiting for the next event would
    timer.stop()
    return [(b - a) * 1000 for a, b in zip(ticks, ticks[1:])]


def run(quick: bool) -> dict[str, float]:
    from hubproc import HubProcess, _migrate, add_counter

    dossiers = 200 if quick else 500  # an intake and a forward each, plus the template's intake
    root = Path(tempfile.mkdtemp(prefix="motcua-bench-sync-ui-"))
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    try:
        url = f"sqlite:///{root / 'hub.sqlite3'}"
        _migrate(url)
        hub = HubProcess(url, root / "hub").start()
        try:
            ctx = _counter(root, 1)
            events = _clone(ctx, dossiers, forward=True)
            window = create_main_window(ctx, RecordingDialogs())
            window.show()
            for _ in range(50):
                app.processEvents()
            started = time.perf_counter()
            idle = _gaps(app, lambda: time.perf_counter() - started > 1.5, 5)
            sync.set_hub(ctx, hub.url, add_counter(url, AGENCY, 1))
            finished: list[float] = []
            window.background_sync.synced.connect(lambda _r: finished.append(time.perf_counter()))
            t0 = time.perf_counter()
            window.start_background_sync()
            busy = _gaps(app, lambda: bool(finished), 300)
            push_s = (finished[0] if finished else time.perf_counter()) - t0
            left = sync_status.status_summary(ctx).waiting
            window.close()
            ctx.close()
        finally:
            hub.stop()
        if left:
            raise RuntimeError(f"{left} of {events} events still waiting after the background sync")
        stall, floor = max(busy), max(idle)
        return {"sync_background_events": float(events),
                "sync_background_push_s": round(push_s, 2),
                "sync_background_ui_stall_ms": round(stall, 2),
                "sync_background_ui_p99_ms": round(statistics.quantiles(busy, n=100)[-1], 2),
                "sync_background_ui_stall_floor_ms": round(floor, 2),
                "sync_background_ui_stall_ratio": round(stall / floor, 2) if floor else 0.0}
    finally:
        shutil.rmtree(root, ignore_errors=True)
