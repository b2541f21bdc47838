"""Opening the counter's SQLite file: pragmas, migrations, the user_version guard, transactions."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from ..errors import KnownError
from ..paths import DB_FILENAME, migrations_dir
from .errors import translated

_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000


def migrations() -> list[tuple[int, Path]]:
    found = []
    for path in sorted(migrations_dir().glob("*.sql")):
        m = _MIGRATION.match(path.name)
        if m:
            found.append((int(m.group(1)), path))
    return found


def schema_version() -> int:
    """The schema version this build of the app writes."""
    return max(n for n, _ in migrations())


class Store:
    """One open SQLite file. Not shared across threads: each thread opens its own."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.db = sqlite_utils.Database(conn)
        self._depth = 0
        self._thread = threading.get_ident()

    @property
    def data_dir(self) -> Path:
        return self.path.parent

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """BEGIN IMMEDIATE … COMMIT; nested calls join the outer transaction.

        IMMEDIATE takes the write lock up front, so two counters' processes on one file serialise
        instead of failing half-way with SQLITE_BUSY on upgrade.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self.db
            finally:
                self._depth -= 1
            return
        with translated():
            self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.db
        except BaseException:
            self._depth = 0
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise
        else:
            self._depth = 0
            try:
                with translated():
                    self.conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise

    def query(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        with translated():
            return [dict(r) for r in self.conn.execute(sql, params)]

    def query_one(self, sql: str, params: tuple | dict = ()) -> dict | None:
        with translated():
            row = self.conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        with translated():
            return self.conn.execute(sql, params)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves (see Store.transaction).
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                           check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":  # e.g. a network share: refuse rather than risk the data
        conn.close()
        raise KnownError(
            "Không bật được chế độ WAL cho tệp dữ liệu (ổ mạng?). Hãy đặt thư mục dữ liệu trên ổ đĩa của máy.",
            f"could not enable WAL journal mode (got {mode}); use a local disk",
        )
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    newest = schema_version()
    if current > newest:
        raise KnownError(
            f"Tệp dữ liệu {path} được tạo bởi phiên bản mới hơn của ứng dụng (lược đồ {current}, "
            f"phiên bản này hỗ trợ đến {newest}). Hãy cập nhật ứng dụng; tệp không bị thay đổi.",
            f"{path} was written by a newer version (schema {current} > {newest}); refusing to open it",
        )
    for number, migration in migrations():
        if number <= current:
            continue
        sql = migration.read_text(encoding="utf-8")
        try:
            conn.execute("BEGIN IMMEDIATE")
            # Re-check under the write lock: another process may have migrated meanwhile.
            if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                conn.execute("ROLLBACK")
                continue
            for statement in _split_sql(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise


def _split_sql(script: str) -> list[str]:
    """Statements of a migration, so they run inside our own transaction (executescript commits)."""
    statements, buf = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buf.strip():
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements


def open_store(data_dir: Path, *, create: bool = True) -> Store:
    """Open (and create/migrate) the store in a data dir."""
    path = Path(data_dir) / DB_FILENAME
    with translated():
        if not path.exists():
            if not create:
                raise KnownError(
                    f"Chưa có dữ liệu tại {data_dir}. Hãy chạy 'motcua init' trước.",
                    f"no counter data in {data_dir}; run 'motcua init' first",
                )
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = _connect(path)
        try:
            _migrate(conn, path)
        except BaseException:
            conn.close()
            raise
    return Store(conn, path)
