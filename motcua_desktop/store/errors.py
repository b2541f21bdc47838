"""Sorting SQLite failures into what the clerk can fix (KnownError) and what is a bug.

Modelled on qutebrowser's sql.py: busy/locked, full, read-only, corrupt and cannot-open are the
environment's fault and get a clear message; anything else propagates with its traceback.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

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


def classify(error: sqlite3.Error) -> KnownError | None:
    """The KnownError for an environment failure, None for a bug."""
    name = getattr(error, "sqlite_errorname", "") or ""
    for prefix, vi, en in _KNOWN:
        if name.startswith(prefix):
            return KnownError(vi, f"{en} ({error})")
    text = str(error).lower()
    if "database or disk is full" in text:
        return KnownError(_KNOWN[2][1], f"{_KNOWN[2][2]} ({error})")
    return None


@contextlib.contextmanager
def translated() -> Iterator[None]:
    """Re-raise known SQLite environment failures as KnownError."""
    try:
        yield
    except sqlite3.Error as error:
        known = classify(error)
        if known is None:
            raise
        raise known from error
    except OSError as error:  # creating the data dir, WAL files
        raise KnownError(
            f"Không truy cập được thư mục dữ liệu: {error.strerror or error}.",
            f"cannot access the data directory: {error}",
        ) from error
