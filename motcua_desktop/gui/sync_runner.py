"""The window's background sync: one thread with its own store connection runs `services.sync.sync`
a moment after every write, every `sync_interval_s` seconds, and — while the hub cannot be reached —
again after a growing, jittered pause. The UI thread never waits for the network.

Stopping (the window closes) asks the cycle to stop before its next batch and waits a few seconds: a
batch in flight is either answered — and applied in one transaction — or stays in the outbox whole
(sent again next time, the hub answers `duplicate`). A hub that holds the connection open without
answering cannot hold the window: the thread is a daemon and its request times out on its own.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..services import sync as sync_service
from ..services import sync_status
from ..services.context import Context, open_context
from ..sync.client import HubClient
from .qt import QObject, Signal

log = logging.getLogger("motcua.gui.sync")

DEBOUNCE_S = 1.0  # a write is followed by a sync this much later (a burst of writes: one cycle)
FIRST_BACKOFF_S = 5.0
MAX_BACKOFF_S = 300.0
REQUEST_TIMEOUT_S = 10.0


def backoff_s(failures: int, jitter: float) -> float:
    """5, 10, 20 … seconds up to 5 minutes after the n-th failure in a row, times 0.5–1.0 (jitter in
    [0, 1)) so a province's counters do not all come back at the same second after an outage."""
    base = min(MAX_BACKOFF_S, FIRST_BACKOFF_S * 2.0 ** max(0, failures - 1))
    return base * (0.5 + jitter / 2)


class BackgroundSync(QObject):
    """Signals arrive on the UI thread (queued): the receivers live there."""

    cycle_started = Signal()
    synced = Signal(object)  # the SyncReport of a finished cycle
    failed = Signal(object)  # the exception of a failed cycle (HubUnreachable, TokenRefused, …)

    def __init__(self, ui_ctx: Context, parent: QObject | None = None, *, timeout_s: float = REQUEST_TIMEOUT_S,
                 debounce_s: float = DEBOUNCE_S, jitter: Callable[[], float] = random.random) -> None:
        super().__init__(parent)
        self._ui_ctx = ui_ctx
        self.data_dir: Path = ui_ctx.data_dir
        self.timeout_s = timeout_s
        self.debounce_s = debounce_s
        self._jitter = jitter
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._due = 0.0  # monotonic time of the next cycle
        self._failures = 0
        self._backoff_until = 0.0
        self._thread: threading.Thread | None = None
        self.in_cycle = False
        self.cycles = 0  # finished cycles, ok or not (tests)

    # --- asked from the UI thread ------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the thread (a first cycle at once); nothing if it runs already."""
        if self.running or self._stopping.is_set():
            return
        self._due = time.monotonic()
        self._thread = threading.Thread(target=self._serve, name="motcua-sync", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """Something was written: sync shortly — unless the hub is in a backoff pause."""
        with self._cond:
            target = max(time.monotonic() + self.debounce_s, self._backoff_until)
            if target < self._due:
                self._due = target
                self._cond.notify_all()

    def sync_now(self) -> None:
        """The supervisor's 'Đồng bộ ngay': at once, the backoff forgotten."""
        with self._cond:
            self._backoff_until = 0.0
            self._due = time.monotonic()
            self._cond.notify_all()
        self.start()

    def stop(self, timeout_s: float = 5.0) -> bool:
        """Stop before the next batch and wait for the thread; False if a request still hangs (the
        daemon thread is left to its timeout: nothing it holds is half-written)."""
        self._stopping.set()
        with self._cond:
            self._cond.notify_all()
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout_s)
        if thread.is_alive():
            log.warning("sync still waiting for the hub after %.0f s; leaving it to its timeout", timeout_s)
            return False
        return True

    # --- on the sync thread ------------------------------------------------------------------
    def _client(self, url: str, token: str, ca_file: str | None) -> HubClient:
        # One attempt per request: the pauses between tries are this loop's backoff, not the client's.
        return HubClient(url, token, ca_file=ca_file, timeout_s=self.timeout_s, attempts=1)

    def _emit(self, signal: object, *args: object) -> None:
        try:
            signal.emit(*args)  # type: ignore[attr-defined]
        except RuntimeError:  # the window is gone
            log.info("sync result dropped: the window was closed")

    def _wait_until_due(self) -> bool:
        with self._cond:
            while not self._stopping.is_set():
                left = self._due - time.monotonic()
                if left <= 0:
                    self._due = math.inf  # pokes during the cycle bring the next one forward
                    return True
                self._cond.wait(left)
        return False

    def _schedule(self, delay_s: float) -> None:
        with self._cond:
            self._due = min(self._due, time.monotonic() + delay_s)

    def _end_cycle(self) -> None:
        # Before the result is emitted: the UI thread's status bar must not still read "Đang đồng bộ".
        if self.in_cycle:
            self.in_cycle = False
            self.cycles += 1

    def _serve(self) -> None:
        ctx: Context | None = None
        try:
            while self._wait_until_due():
                interval = 60.0
                try:
                    if ctx is None:
                        ctx = open_context(self.data_dir, create=False)
                    # The window's clock and signed-in account, as the worker store does.
                    ctx.clock, ctx.actor, ctx.user = self._ui_ctx.clock, self._ui_ctx.actor, self._ui_ctx.user
                    interval = float(ctx.settings().get("sync_interval_s") or 60)
                    if not sync_status.is_configured(ctx):
                        self._schedule(interval)
                        continue
                    self.in_cycle = True
                    self._emit(self.cycle_started)
                    report = sync_service.sync(ctx, client_factory=self._client, should_stop=self._stopping.is_set)
                except sync_service.SyncStopped:
                    self._end_cycle()
                    return
                except BaseException as exc:  # noqa: BLE001 — reported on the UI thread, never lost here
                    self._end_cycle()
                    self._failures += 1
                    pause = backoff_s(self._failures, self._jitter())
                    with self._cond:
                        self._backoff_until = time.monotonic() + pause
                    self._schedule(pause)
                    log.info("sync failed (%s); next try in %.0f s", getattr(exc, "message_en", type(exc).__name__),
                             pause)
                    self._emit(self.failed, exc)
                else:
                    self._end_cycle()
                    self._failures = 0
                    self._schedule(interval)
                    self._emit(self.synced, report)
        finally:
            if ctx is not None:
                ctx.close()
