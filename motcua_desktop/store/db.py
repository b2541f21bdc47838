"""Opening the counter's SQLite file: pragmas, migrations, the user_version guard, transactions."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any
from pathlib import Path

import sqlite_utils

from ..errors import KnownError
from ..paths import DB_FILENAME, migrations_dir
from .errors import translated

_MIGRATION = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# A row as a dict of its columns; a statement's parameters, positional or named.
Row = dict[str, Any]
Params = tuple[Any, ...] | dict[str, Any]
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
        with translated(self.data_dir):
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
                with translated(self.data_dir):
                    self.conn.execute("COMMIT")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
                raise

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        with translated(self.data_dir):
            return [dict(r) for r in self.conn.execute(sql, params)]

    def query_one(self, sql: str, params: Params = ()) -> Row | None:
        with translated(self.data_dir):
            row = self.conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row (an aggregate's value); LookupError when there is no row."""
        with translated(self.data_dir):
            row = self.conn.execute(sql, params).fetchone()
        if row is None:
            raise LookupError(sql)
        return row[0]

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        with translated(self.data_dir):
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


SQLITE_MAGIC = b"SQLite format 3\x00"
# A table every counter store has from its first migration: a SQLite file without it is another
# application's, and no schema is ever written into it.
_OUR_TABLE = "settings"
DIR_MODE = 0o700
FILE_MODE = 0o600


def _not_ours(path: Path, why_vi: str, why_en: str) -> KnownError:
    return KnownError(
        f"Tệp {path} {why_vi}: không phải dữ liệu của quầy, ứng dụng không mở và không sửa tệp này. Hãy chuyển "
        "tệp sang chỗ khác (hoặc khôi phục bản sao lưu), rồi chạy 'motcua init' để tạo quầy mới.",
        f"{path} {why_en}; not a counter store, left unchanged (move it away and run 'motcua init')",
    )


def _inspect(path: Path) -> None:
    """Refuse, without changing a byte of it, a file this app must not open for writing: empty,
    not SQLite, another application's, or written by a newer version. Runs before the WAL switch
    (which rewrites the header) and before any migration."""
    with open(path, "rb") as f:
        header = f.read(100)
    if not header:
        raise _not_ours(path, "rỗng (0 byte)", "is empty (0 bytes)")
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise KnownError(
            f"Tệp dữ liệu {path} không phải là cơ sở dữ liệu của ứng dụng (hoặc đã bị hỏng); tệp không bị thay đổi.",
            f"{path}: file is not a database; left unchanged",
        )
    wal = path.with_name(path.name + "-wal")
    # immutable: no lock, no -wal/-shm created beside a file we may refuse. With a -wal left by a crash,
    # the current state is in it: read through it (read-only, nothing is checkpointed).
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    newest = schema_version()
    if version > newest:
        raise KnownError(
            f"Tệp dữ liệu {path} được tạo bởi phiên bản mới hơn của ứng dụng (lược đồ {version}, "
            f"phiên bản này hỗ trợ đến {newest}). Hãy cập nhật ứng dụng; tệp không bị thay đổi.",
            f"{path} was written by a newer version (schema {version} > {newest}); refusing to open it",
        )
    if _OUR_TABLE not in tables:
        if tables or version:
            raise _not_ours(path, "là cơ sở dữ liệu của một ứng dụng khác", "is another application's SQLite database")
        raise _not_ours(path, "là một cơ sở dữ liệu SQLite trống", "is an empty SQLite database")


def _create_private(path: Path) -> None:
    """The data dir 0700 and a new, empty database file 0600 from the start (whatever the umask):
    SQLite gives its -wal and -shm the database file's mode."""
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


# What the app keeps in a data dir. Only these are repaired: a data dir pointed at a folder that
# holds other things too (a home folder) must not have all of them chmod-ed.
_OUR_FILES = (DB_FILENAME, f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm", f"{DB_FILENAME}-journal")
_OUR_FOLDERS = ("slips", "logs", "backups")


def repair_modes(data_dir: Path) -> None:
    """The data dir 0700 and everything the app keeps in it 0600 (its folders 0700): citizens'
    identity numbers must not be readable by other users of the PC. Walks the archive only when
    something is found too open."""
    data_dir = Path(data_dir)

    def too_open(p: Path, mode: int) -> bool:
        try:
            return stat.S_IMODE(p.lstat().st_mode) != mode
        except OSError:
            return False

    if not (too_open(data_dir, DIR_MODE) or too_open(data_dir / DB_FILENAME, FILE_MODE)):
        return
    with contextlib.suppress(OSError):
        os.chmod(data_dir, DIR_MODE)
    for name in _OUR_FILES:
        if too_open(data_dir / name, FILE_MODE) and not (data_dir / name).is_symlink():
            with contextlib.suppress(OSError):
                os.chmod(data_dir / name, FILE_MODE)
    for folder in _OUR_FOLDERS:
        top = data_dir / folder
        if top.is_symlink() or not top.is_dir():
            continue
        for root, _dirs, files in os.walk(top):
            with contextlib.suppress(OSError):
                os.chmod(root, DIR_MODE)
            for file in files:
                p = os.path.join(root, file)
                if not os.path.islink(p):
                    with contextlib.suppress(OSError):
                        os.chmod(p, FILE_MODE)


def open_store(data_dir: Path, *, create: bool = True) -> Store:
    """Open (and create/migrate) the store in a data dir.

    An existing file is checked read-only first (`_inspect`): one this app must not write into is
    refused byte-for-byte unchanged. Only a file created here, just now, gets the schema.
    """
    path = Path(data_dir) / DB_FILENAME
    with translated(path.parent):
        if not path.exists():
            if not create:
                raise KnownError(
                    f"Chưa có dữ liệu tại {data_dir}. Hãy chạy 'motcua init' trước.",
                    f"no counter data in {data_dir}; run 'motcua init' first",
                )
            try:
                _create_private(path)
            except FileExistsError:
                pass  # another process is creating this counter right now: its migration lock serialises us
        else:
            _inspect(path)
        repair_modes(path.parent)
        conn = _connect(path)
        try:
            _migrate(conn, path)
        except BaseException:
            conn.close()
            raise
    return Store(conn, path)
