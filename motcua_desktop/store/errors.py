"""Sorting SQLite failures into what the clerk can fix (KnownError) and what is a bug.

Modelled on qutebrowser's sql.py: busy/locked, full, read-only, corrupt and cannot-open are the
environment's fault and get a clear message; anything else propagates with its traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from ..errors import KnownError

# (sqlite error name prefix, Vietnamese message, English message)
_KNOWN: list[tuple[str, str, str]] = [
    ("SQLITE_BUSY", "Cơ sở dữ liệu đang bận (một cửa sổ khác đang ghi). Vui lòng thử lại sau ít giây.",
     "database is busy (another process is writing); try again"),
    ("SQLITE_LOCKED", "Cơ sở dữ liệu đang bị khóa. Vui lòng thử lại sau ít giây.",
     "database is locked; try again"),
    ("SQLITE_FULL", "Ổ đĩa đã đầy, không ghi được dữ liệu. Hãy giải phóng dung lượng rồi thử lại; dữ liệu cũ vẫn nguyên vẹn.",
     "disk is full; nothing was written"),
    ("SQLITE_READONLY", "Tệp dữ liệu chỉ cho phép đọc. Hãy kiểm tra quyền ghi của thư mục dữ liệu.",
     "database file is read-only"),
    ("SQLITE_CORRUPT", "Tệp dữ liệu bị hỏng. Hãy khôi phục từ bản sao lưu gần nhất và báo cho quản trị viên.",
     "database file is corrupt; restore from backup"),
    ("SQLITE_NOTADB", "Tệp dữ liệu không phải là cơ sở dữ liệu của ứng dụng (hoặc đã bị hỏng).",
     "file is not a database"),
    ("SQLITE_CANTOPEN", "Không mở được tệp dữ liệu. Hãy kiểm tra thư mục dữ liệu và quyền truy cập.",
     "unable to open the database file"),
    ("SQLITE_IOERR", "Lỗi đọc/ghi ổ đĩa. Hãy kiểm tra ổ đĩa rồi thử lại.", "disk I/O error"),
    ("SQLITE_PERM", "Không có quyền truy cập tệp dữ liệu.", "permission denied on the database file"),
]


# Below this much free space an I/O error is the disk being full: SQLite reports a full disk met while
# growing the -shm or syncing the WAL as SQLITE_IOERR_*, not SQLITE_FULL.
NEARLY_FULL_BYTES = 4 * 1024 * 1024
_FULL = _KNOWN[2]


def disk_nearly_full(where: Path | None) -> bool:
    if where is None:
        return False
    try:
        st = os.statvfs(where)
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return False
    return st.f_bavail * st.f_frsize < NEARLY_FULL_BYTES


def _full(error: BaseException) -> KnownError:
    return KnownError(_FULL[1], f"{_FULL[2]} ({error})")


def classify(error: sqlite3.Error, where: Path | None = None) -> KnownError | None:
    """The KnownError for an environment failure, None for a bug. `where`: the data dir, to tell a
    full disk behind an I/O error."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_IOERR") and disk_nearly_full(where):
        return _full(error)
    for prefix, vi, en in _KNOWN:
        if name.startswith(prefix):
            return KnownError(vi, f"{en} ({error})")
    text = str(error).lower()
    if "database or disk is full" in text:
        return _full(error)
    return None


@contextlib.contextmanager
def translated(where: Path | None = None) -> Iterator[None]:
    """Re-raise known SQLite environment failures as KnownError (`where`: the data dir)."""
    try:
        yield
    except sqlite3.Error as error:
        known = classify(error, where)
        if known is None:
            raise
        raise known from error
    except OSError as error:  # creating the data dir, WAL files
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise _full(error) from error
        raise KnownError(
            f"Không truy cập được thư mục dữ liệu: {error.strerror or error}.",
            f"cannot access the data directory: {error}",
        ) from error
