"""Database work off the UI thread, on ONE worker store (Anki's CollectionOp / QueryOp split).

    CollectionOp(intake.receive, code, applicant, ..., doing="tiếp nhận").success(show).run(ops)  # a write
    QueryOp(returns.results_queue, limit=50, doing="tải danh sách").success(fill).run(ops)        # a read
    ops.run(fn, *args, on_done=..., doing=...)     # shorthand for a CollectionOp
    ops.query(fn, *args, on_done=..., doing=...)   # shorthand for a QueryOp

Every op is `fn(ctx, *args, **kwargs)` on the window's `WorkerStore`: one long-lived thread that owns
its own `Context` (SQLite connections must not cross threads), opened once and kept for the window's
life, so jobs run one at a time in the order the clerk asked for them. Each job carries the window's
clock, clerk and signed-in account as they were when it was asked for. The result or the exception comes back on the UI
thread through a queued signal; errors go to the dialog service (a clerk's mistake or a known
environment failure → its message; a bug → the bug dialog with the traceback) unless `on_error`
takes them.

Writes and reads differ in what the window hears: a write says "Đang …" in the status bar
(`started`, `busy_changed`) and `finished(name, ok)` afterwards; a successful write also emits
`changed(Changes)` — what it changed (Anki's OpChanges), from which every desk refreshes what it shows
(the status bar its outbox count, the return desk its queue and open dossier); a read only emits
`query_finished(name, ok)`. Reads that are always ~1 ms (search, a scan's primary-key
lookup) may stay on the UI thread's own context; anything that can take long goes through here.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..services.context import Context, SignedIn, open_context
from .dialogs import Dialogs
from .qt import QObject, QWidget, Signal, Slot

log = logging.getLogger("motcua.gui.ops")

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """What an operation changed, so each desk reloads only what it shows (Anki's OpChanges)."""

    dossiers: frozenset[str] = frozenset()  # these dossiers' state (status, dates, sync line)
    any_dossier: bool = False  # dossiers not named one by one (a new one received, a batch)
    outbox: bool = False  # what waits for the hub, rejected events, conflicts
    catalog: bool = False
    calendar: bool = False
    settings: bool = False

    @property
    def touches_dossiers(self) -> bool:
        return self.any_dossier or bool(self.dossiers)

    def touches(self, code: str | None) -> bool:
        """Whether the dossier `code` (the one a panel shows) may have changed."""
        return code is not None and (self.any_dossier or code in self.dossiers)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.dossiers | other.dossiers, self.any_dossier or other.any_dossier,
                       self.outbox or other.outbox, self.catalog or other.catalog, self.calendar or other.calendar,
                       self.settings or other.settings)


# A write that names nothing: it went through the one write path, so the outbox grew (the status bar
# recounts); the desk that asked refreshes itself from its result.
WRITE = Changes(outbox=True)
ChangesOf = Changes | Callable[[Any], Changes]


@dataclass
class _Request:
    token: int
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    clock: Callable[[], datetime]
    actor: str | None
    user: SignedIn | None = None  # the signed-in account: background writes run (and are audited) as it


class _Relay(QObject):
    """Lives on the UI thread; the worker emits on it, so delivery is queued onto the UI thread."""

    done = Signal(int, object)
    failed = Signal(int, object)


class WorkerStore:
    """One thread with one connection for all background work of a window.

    The thread starts with the first job and opens its context then (a failure to open — locked,
    newer schema — is that job's error; the next job tries again). `close()` lets the queued jobs
    finish, closes the connection on its own thread and ends the thread; a later job starts it again.
    """

    def __init__(self, data_dir: Path, relay: _Relay) -> None:
        self.data_dir = data_dir
        self._relay = relay
        self._jobs: queue.SimpleQueue[_Request | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Condition()
        self._outstanding = 0
        self.thread_ident: int | None = None  # for tests: the worker's thread

    def submit(self, request: _Request) -> None:
        with self._lock:
            self._outstanding += 1
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, name="motcua-worker-store", daemon=True)
                self._thread.start()
        self._jobs.put(request)

    def wait(self, timeout_s: float) -> bool:
        """True when every submitted job has run (its result may still be on its way to the UI)."""
        with self._lock:
            return self._lock.wait_for(lambda: self._outstanding == 0, timeout_s)

    def close(self, timeout_s: float = 10.0) -> bool:
        """Finish the queued jobs, close the connection, end the thread; False if it did not end in time."""
        with self._lock:
            thread = self._thread
            self._thread = None
        if thread is None or not thread.is_alive():
            return True
        self._jobs.put(None)
        thread.join(timeout_s)
        return not thread.is_alive()

    @staticmethod
    def _deliver(signal: Any, token: int, value: object) -> None:
        try:
            signal.emit(token, value)
        except RuntimeError:  # the window (and its relay) is gone: nobody is waiting for this answer
            log.info("result of job %d dropped: its window was closed", token)

    def _serve(self) -> None:  # on the worker thread
        self.thread_ident = threading.get_ident()
        ctx: Context | None = None
        try:
            while True:
                request = self._jobs.get()
                if request is None:
                    return
                try:
                    if ctx is None:
                        ctx = open_context(self.data_dir, create=False)
                    ctx.clock, ctx.actor, ctx.user = request.clock, request.actor, request.user
                    result = request.fn(ctx, *request.args, **request.kwargs)
                except BaseException as exc:  # delivered to the UI thread, never lost in the worker
                    self._deliver(self._relay.failed, request.token, exc)
                else:
                    self._deliver(self._relay.done, request.token, result)
                finally:
                    with self._lock:
                        self._outstanding -= 1
                        self._lock.notify_all()
        finally:
            if ctx is not None:
                ctx.close()


@dataclass
class _Pending:
    name: str
    write: bool
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    parent: QWidget | None
    started: float
    changes: ChangesOf | None = None


class Ops(QObject):
    """The background operations of one window, all on one `WorkerStore`."""

    started = Signal(str)  # a write began: what is being done, e.g. "tiếp nhận hồ sơ"
    finished = Signal(str, bool)  # a write ended: name, ok — tests wait on this
    busy_changed = Signal(bool)  # writes in flight or not
    query_finished = Signal(str, bool)  # a read ended: name, ok
    changed = Signal(object)  # a write succeeded: its Changes (after its on_done)

    def __init__(self, ctx: Context, dialogs: Dialogs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialogs = dialogs
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self.worker = WorkerStore(ctx.data_dir, self._relay)
        self._pending: dict[int, _Pending] = {}
        self._tokens = itertools.count(1)
        worker = self.worker
        self.destroyed.connect(lambda *_: worker.close(timeout_s=0))  # the thread never outlives the window

    # --- asking for work ---------------------------------------------------------------------
    def run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, parent: QWidget | None = None,
            doing: str = "", changes: ChangesOf | None = None, **kwargs: Any) -> int:
        """A write: fn(ctx, *args, **kwargs) on the worker store; returns a token identifying the job.
        `changes` (a Changes, or a function of the result giving one) is what `changed` announces."""
        return self._submit(True, fn, args, kwargs, on_done, on_error, parent, doing, changes)

    def query(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None, parent: QWidget | None = None,
              doing: str = "", **kwargs: Any) -> int:
        """A read: like `run`, but the window shows no "Đang …" and recounts nothing afterwards."""
        return self._submit(False, fn, args, kwargs, on_done, on_error, parent, doing)

    def _submit(self, write: bool, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
                on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
                parent: QWidget | None, doing: str, changes: ChangesOf | None = None) -> int:
        token = next(self._tokens)
        pending = _Pending(doing or getattr(fn, "__name__", "op"), write, on_done, on_error, parent,
                           time.perf_counter(), changes)
        was_busy = self.busy
        self._pending[token] = pending
        if write:
            if not was_busy:
                self.busy_changed.emit(True)
            self.started.emit(pending.name)
        # Read on the UI thread now: the clerk may change while the job waits in the queue.
        self.worker.submit(_Request(token, fn, args, kwargs, self.ctx.clock, self.ctx.actor, self.ctx.user))
        return token

    @property
    def busy(self) -> bool:
        """Writes in flight (reads do not hold the window open)."""
        return any(p.write for p in self._pending.values())

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until the worker is idle (shutdown and tests); results still arrive via the event loop."""
        return self.worker.wait(msecs / 1000)

    def close(self, msecs: int = 10_000) -> bool:
        """Let queued jobs finish and end the worker thread (the window is closing)."""
        return self.worker.close(msecs / 1000)

    # --- results, on the UI thread -----------------------------------------------------------
    def _finish(self, token: int) -> _Pending | None:
        pending = self._pending.pop(token, None)
        if pending is None:
            return None
        log.debug("%s took %.1f ms", pending.name, (time.perf_counter() - pending.started) * 1000)
        if pending.write and not self.busy:
            self.busy_changed.emit(False)
        return pending

    def _ended(self, pending: _Pending, ok: bool) -> None:
        (self.finished if pending.write else self.query_finished).emit(pending.name, ok)

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
            self._ended(pending, False)
            return
        if pending.write:
            what = pending.changes if pending.changes is not None else WRITE
            self.changed.emit(what if isinstance(what, Changes) else what(result))
        self._ended(pending, True)

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
            self._ended(pending, False)


@dataclass
class _Op(Generic[T]):
    """What CollectionOp and QueryOp share: the call, and what to do with its result or error."""

    fn: Callable[..., T]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    doing: str = ""
    parent: QWidget | None = None
    _success: Callable[[T], None] | None = None
    _failure: Callable[[BaseException], None] | None = None

    def success(self, fn: Callable[[T], None]) -> _Op[T]:
        self._success = fn
        return self

    def failure(self, fn: Callable[[BaseException], None]) -> _Op[T]:
        self._failure = fn
        return self


class CollectionOp(_Op[T]):
    """A write (one service operation = one transaction) on the worker store."""

    def __init__(self, fn: Callable[..., T], *args: Any, doing: str = "", parent: QWidget | None = None,
                 changes: ChangesOf | None = None, **kwargs: Any) -> None:
        super().__init__(fn, args, kwargs, doing, parent)
        self.changes = changes

    def run(self, ops: Ops) -> int:
        return ops.run(self.fn, *self.args, on_done=self._success, on_error=self._failure, parent=self.parent,
                       doing=self.doing, changes=self.changes, **self.kwargs)


class QueryOp(_Op[T]):
    """A read that may take long (queue, register, reports) on the worker store."""

    def __init__(self, fn: Callable[..., T], *args: Any, doing: str = "", parent: QWidget | None = None,
                 **kwargs: Any) -> None:
        super().__init__(fn, args, kwargs, doing, parent)

    def run(self, ops: Ops) -> int:
        return ops.query(self.fn, *self.args, on_done=self._success, on_error=self._failure, parent=self.parent,
                         doing=self.doing, **self.kwargs)


def run_on_desk(ops: Ops | None, ctx: Context, fn: Callable[..., Any], *args: Any,
                done: Callable[[Any], None], failed: Callable[[BaseException], None], parent: QWidget,
                doing: str, changes: ChangesOf | None = None, **kwargs: Any) -> None:
    """A desk's operation: on the worker when the desk has one (the window), else at once on the
    desk's own context (a desk built alone, as some tests do); either way `done` or `failed` hears of it."""
    if ops is not None:
        ops.run(fn, *args, on_done=done, on_error=failed, parent=parent, doing=doing, changes=changes, **kwargs)
        return
    try:
        result = fn(ctx, *args, **kwargs)
    except Exception as exc:
        failed(exc)
        return
    done(result)
