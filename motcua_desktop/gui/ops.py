"""Running service calls off the UI thread (Anki's CollectionOp/QueryOp idea, kept small).

    ops.run(intake.receive, procedure_code, applicant, ..., on_done=self.show_receipt, doing="tiếp nhận")

The call runs on a QThreadPool worker with its OWN `Context` (its own SQLite connection: connections
must not cross threads), sharing the window's clock and actor. The result or the exception comes back
on the UI thread through a queued signal; errors go to the dialog service unless `on_error` takes
them. Fast read-only queries (search, ~1 ms) stay synchronous on the UI thread's own context.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..services.context import Context
from ..store import open_store
from .dialogs import Dialogs
from .qt import QObject, QRunnable, QThreadPool, QWidget, Signal, Slot

log = logging.getLogger("motcua.gui.ops")


class _Relay(QObject):
    """Lives on the UI thread; workers emit on it, so delivery is queued onto the UI thread."""

    done = Signal(int, object)
    failed = Signal(int, object)


@dataclass
class _Pending:
    name: str
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    parent: QWidget | None
    started: float


class _Job(QRunnable):
    def __init__(self, token: int, relay: _Relay, ui_ctx: Context, fn: Callable[..., Any],
                 args: tuple, kwargs: dict) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.token, self.relay, self.fn, self.args, self.kwargs = token, relay, fn, args, kwargs
        # Read on the UI thread now: the clerk may change while the job waits in the queue.
        self.data_dir, self.clock, self.actor = ui_ctx.data_dir, ui_ctx.clock, ui_ctx.actor

    def run(self) -> None:  # on a pool thread
        try:
            ctx = Context(open_store(self.data_dir, create=False), clock=self.clock, actor=self.actor)
            try:
                result = self.fn(ctx, *self.args, **self.kwargs)
            finally:
                ctx.close()
        except BaseException as exc:  # delivered to the UI thread, never lost in a worker
            self.relay.failed.emit(self.token, exc)
        else:
            self.relay.done.emit(self.token, result)


class Ops(QObject):
    """Queue of background service calls for one window."""

    started = Signal(str)  # what is being done, e.g. "tiếp nhận hồ sơ"
    finished = Signal(str, bool)  # name, ok — tests wait on this
    busy_changed = Signal(bool)

    def __init__(self, ctx: Context, dialogs: Dialogs, parent: QObject | None = None,
                 pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialogs = dialogs
        self.pool = pool or QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # writes serialise anyway; one worker keeps the order the clerk saw
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._pending: dict[int, _Pending] = {}
        self._tokens = itertools.count(1)

    def run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, parent: QWidget | None = None,
            doing: str = "", **kwargs: Any) -> int:
        """Call fn(ctx, *args, **kwargs) on a worker; returns a token identifying the job."""
        token = next(self._tokens)
        self._pending[token] = _Pending(doing or getattr(fn, "__name__", "op"), on_done, on_error, parent,
                                        time.perf_counter())
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self.started.emit(self._pending[token].name)
        self.pool.start(_Job(token, self._relay, self.ctx, fn, args, kwargs))
        return token

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until the workers are idle (shutdown and tests); results still arrive via the event loop."""
        return self.pool.waitForDone(msecs)

    def _finish(self, token: int) -> _Pending | None:
        pending = self._pending.pop(token, None)
        if pending is not None:
            log.debug("%s took %.1f ms", pending.name, (time.perf_counter() - pending.started) * 1000)
        if not self._pending:
            self.busy_changed.emit(False)
        return pending

    @Slot(int, object)
    def _on_done(self, token: int, result: object) -> None:
        pending = self._finish(token)
        if pending is None:
            return
        try:
            if pending.on_done is not None:
                pending.on_done(result)
        except Exception as exc:  # a bug in the UI callback: still reported, never swallowed
            self.dialogs.show_error(pending.parent, exc, doing=f"{pending.name} (hiển thị kết quả)")
            self.finished.emit(pending.name, False)
            return
        self.finished.emit(pending.name, True)

    @Slot(int, object)
    def _on_failed(self, token: int, exc: object) -> None:
        pending = self._finish(token)
        if pending is None:
            return
        assert isinstance(exc, BaseException)
        try:
            if pending.on_error is not None:
                pending.on_error(exc)
            else:
                self.dialogs.show_error(pending.parent, exc, doing=pending.name)
        finally:
            self.finished.emit(pending.name, False)
