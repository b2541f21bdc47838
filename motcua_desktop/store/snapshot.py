"""Copies of the counter's SQLite file: SQLite's online backup API, and reading a copy before trusting it.

A backup taken while clerks keep working is consistent (the backup API copies a snapshot page by page);
a file offered for restore is opened read-only and checked, never migrated or "repaired" in place.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import KnownError
from .db import Store
from .errors import translated

PAGES_PER_STEP = 4096  # the writers of the live file wait at most one step for the copy


def copy_to(store: Store, target: Path) -> None:
    """Write a consistent copy of the open store to `target` (a new file), then fsync it."""
    with translated():
        dest = sqlite3.connect(target)
        try:
            store.conn.backup(dest, pages=PAGES_PER_STEP)
            dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
        finally:
            dest.close()
    with open(target, "rb") as f:
        os.fsync(f.fileno())


@dataclass(frozen=True)
class FileFacts:
    """What a database file says about itself, read without changing a byte of it."""
    integrity: str  # 'ok' or SQLite's first complaint
    schema_version: int
    settings: dict[str, Any]
    dossiers: int
    slips: list[dict[str, Any]]  # {path, sha256}


def read_facts(path: Path, *, full_check: bool = True) -> FileFacts:
    """Open `path` read-only (immutable URI unless a -wal is beside it) and read its facts.

    KnownError when it is no SQLite file or no counter store."""
    # With a -wal left beside it (a crash, or the app still open), the current state is partly in the
    # -wal: read through it, read-only (like the store's own check before opening). Otherwise immutable.
    wal = path.with_name(path.name + "-wal")
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as error:
        raise KnownError(f"Không mở được tệp {path.name}: {error}.", f"cannot open {path}: {error}") from error
    try:
        conn.row_factory = sqlite3.Row
        try:
            check = "integrity_check" if full_check else "quick_check"
            problems = [r[0] for r in conn.execute(f"PRAGMA {check}")]
            integrity = "ok" if problems == ["ok"] else "; ".join(problems[:3])
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:
            raise KnownError(f"Tệp {path.name} không phải cơ sở dữ liệu của quầy hoặc đã hỏng ({error}).",
                             f"{path} is not a counter database or is damaged ({error})") from error
        if not {"settings", "dossiers", "slips", "audit_log"} <= tables:
            raise KnownError(f"Tệp {path.name} không phải dữ liệu của ứng dụng quầy Một cửa.",
                             f"{path} is not a motcua counter store")
        settings = {r["key"]: json.loads(r["value"]) for r in conn.execute("SELECT key, value FROM settings")}
        dossiers = conn.execute("SELECT count(*) FROM dossiers").fetchone()[0]
        slips = [dict(r) for r in conn.execute("SELECT path, sha256 FROM slips ORDER BY id")]
        return FileFacts(integrity, version, settings, dossiers, slips)
    except sqlite3.DatabaseError as error:
        raise KnownError(f"Tệp {path.name} bị hỏng ({error}).", f"{path} is damaged ({error})") from error
    finally:
        conn.close()
