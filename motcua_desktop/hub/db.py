"""Engines and migrations: PostgreSQL (`postgresql+psycopg://…`) or a SQLite file (the default)."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

ENV_DB = "MOTCUA_HUB_DB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATE_LOCK = 74_210_003  # pg_advisory_lock key while migrating (two `migrate`/`serve` at once)


class DatabaseUrlError(ValueError):
    """A --db value that is not a database URL the hub can use (bad input: exit 2)."""


def default_url() -> str:
    """$MOTCUA_HUB_DB, else a SQLite file in the platform's data dir (created 0700)."""
    env = os.environ.get(ENV_DB)
    if env:
        return env
    folder = Path(platformdirs.user_data_dir("motcua-hub", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return f"sqlite:///{folder / 'hub.sqlite3'}"


def check_url(url: str) -> str:
    try:
        u = make_url(url)
    except ArgumentError:
        raise DatabaseUrlError(f"not a database URL: {url!r}") from None
    if u.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUrlError(f"the hub stores in PostgreSQL or SQLite, not {u.get_backend_name()}")
    if u.get_backend_name() == "postgresql" and u.get_driver_name() not in ("psycopg", "postgresql"):
        raise DatabaseUrlError("use postgresql+psycopg://… (psycopg 3)")
    if u.get_backend_name() == "sqlite":
        if not u.database or u.database == ":memory:":
            raise DatabaseUrlError("the SQLite hub needs a file: sqlite:///path/hub.sqlite3")
        if not Path(u.database).parent.is_dir():
            raise DatabaseUrlError(f"no such directory for the hub's SQLite file: {Path(u.database).parent}")
    return url


def describe(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    check_url(url)
    u = make_url(url)
    if u.get_backend_name() == "postgresql":
        if u.get_driver_name() == "postgresql":
            u = u.set(drivername="postgresql+psycopg")
        try:
            return create_engine(u, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
                                 hide_parameters=True,  # never an applicant's data in a log line
                                 connect_args={"connect_timeout": 10})
        except NoSuchModuleError:  # pragma: no cover
            raise DatabaseUrlError("psycopg 3 is not installed: pip install '.[hub]'") from None
    path = Path(str(u.database))
    if not path.exists():  # the hub's file holds people's data: only its owner reads it (its -wal/-shm follow)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    engine = create_engine(u, hide_parameters=True, connect_args={"timeout": 30, "check_same_thread": False})
    _sqlite_pragmas(engine)
    return engine


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we send BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 30000")
        _set_wal(cur)
        cur.execute("PRAGMA synchronous = FULL")  # answered = on disk
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        # Every write transaction takes the write lock first (a read-then-write DEFERRED one can fail
        # with SQLITE_BUSY however long busy_timeout is). Readers ask for DEFERRED.
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _set_wal(cur: Any, patience_s: float = 30.0) -> None:
    """PRAGMA journal_mode = WAL, waiting for another process that holds the file's lock (a second
    `migrate` or `serve` starting at the same moment): SQLite answers this pragma 'database is
    locked' at once, without the busy handler, while the other side converts or writes the file."""
    deadline = time.monotonic() + patience_s
    while True:
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def is_postgresql(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "postgresql"


def _config(conn: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


class SchemaError(RuntimeError):
    """The database's schema is not the one this hub speaks (environment: exit 1)."""


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        if is_postgresql(conn):
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATE_LOCK})
            conn.commit()
            try:
                yield conn
            finally:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATE_LOCK})
                conn.commit()
        else:
            yield conn  # SQLite: the migration's BEGIN IMMEDIATE serialises two migrators


def migrate(engine: Engine) -> tuple[str | None, str]:
    """Bring the schema to head (under a lock: safe with two processes at once); (before, after)."""
    head = head_revision()
    with _migration_lock(engine) as conn:
        before = MigrationContext.configure(conn).get_current_revision()
        conn.rollback()
        known = {s.revision for s in ScriptDirectory.from_config(_config(conn)).walk_revisions()}
        if before is not None and before not in known:
            raise SchemaError(f"the database is at revision {before}, newer than this hub ({head}): upgrade the hub")
        if before != head:
            command.upgrade(_config(conn), "head")
            conn.commit()
    return before, head


def require_head(engine: Engine) -> None:
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise SchemaError(f"the database's schema is at {current or 'nothing'}, this hub needs {head}: "
                          "run `motcua-hub migrate` first")
