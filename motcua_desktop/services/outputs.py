"""Files a user names (`slip … -o`, `slip reprint -o`, the GUI's "Lưu tệp PDF…", and every later
export or backup): the ONE rule for where they may go and how they are put there.

- Never inside the data dir (the database and its -wal/-shm, the slip archive, logs, backups),
  however the path gets there: `..`, a symlinked folder, a bind mount of the data dir.
- Only a regular file or a new name in an existing folder: never a symlink (it would be replaced,
  not followed), a FIFO, a device node or a folder.
- An existing file is replaced only when the user said so (`--force`, or yes in the GUI), and it
  keeps its permission bits.
- Written beside the target first and renamed last (`PendingOutput.place`), so a failure never
  leaves half a file under the name the user gave.

A refusal is a `UserError` (exit 2) raised before anything is rendered, archived or audited.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import KnownError, UserError


class OutputExists(UserError):
    """The named file exists and replacing it was not asked for (the GUI asks, then retries with force)."""


@dataclass(frozen=True)
class OutputTarget:
    """A checked destination: `path` is absolute with its folder's symlinks resolved."""

    path: Path
    shown: Path  # as the user typed it (messages)
    existing_mode: int | None  # permission bits of the file being replaced; None for a new name


def _ids(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def inside_data_dir(folder: Path, data_dir: Path) -> bool:
    """True when `folder` (resolved) is the data dir or below it, by path or by identity (a bind
    mount or a second path to the same folder has another name but the same device and inode)."""
    data_real = Path(os.path.realpath(data_dir))
    if folder == data_real or data_real in folder.parents:
        return True
    data_ids = _ids(data_real)
    if data_ids is None:
        return False
    return any(_ids(p) == data_ids for p in (folder, *folder.parents))


def check_output(path: str | os.PathLike[str], data_dir: Path, *, force: bool = False) -> OutputTarget:
    """The destination a user named, or a UserError saying why it cannot be one."""
    text = os.fspath(path)
    if not text.strip():
        raise UserError("Chưa ghi tên tệp đầu ra.", "no output file name given")
    shown = Path(text).expanduser()
    if shown.name in ("", ".", ".."):
        raise UserError(f"{shown} là một thư mục; hãy ghi tên tệp.", f"{shown} is a folder; give a file name")
    parent = shown.parent
    # realpath also resolves a folder that does not exist yet: 'data/logs/x.pdf' is refused as inside.
    folder = Path(os.path.realpath(parent))
    target = folder / shown.name
    if inside_data_dir(folder, data_dir):
        raise UserError(
            f"Không ghi tệp vào thư mục dữ liệu của quầy ({data_dir}): ở đó là cơ sở dữ liệu, phiếu lưu và "
            "nhật ký. Hãy chọn thư mục khác (ví dụ Tài liệu hoặc Desktop).",
            f"{shown} is inside the counter's data dir {data_dir} (database, slip archive, logs); "
            "choose another folder",
        )
    try:
        parent_st = os.stat(parent)
    except FileNotFoundError:
        raise UserError(f"Thư mục {parent} không tồn tại.", f"folder {parent} does not exist") from None
    except OSError as error:
        raise UserError(f"Không truy cập được thư mục {parent} ({error.strerror}).",
                        f"cannot access folder {parent}: {error.strerror}") from None
    if not stat.S_ISDIR(parent_st.st_mode):
        raise UserError(f"{parent} là một tệp, không phải thư mục.", f"{parent} is a file, not a folder")
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return OutputTarget(target, shown, None)
    except OSError as error:
        raise UserError(f"Không truy cập được {shown} ({error.strerror}).",
                        f"cannot access {shown}: {error.strerror}") from None
    _check_kind(st.st_mode, shown)
    if not force:
        raise OutputExists(f"Tệp {shown} đã có. Muốn ghi đè thì dùng --force (hoặc chọn tên khác).",
                           f"{shown} already exists; use --force to replace it")
    return OutputTarget(target, shown, stat.S_IMODE(st.st_mode))


def _check_kind(mode: int, shown: Path) -> None:
    if stat.S_ISLNK(mode):
        raise UserError(f"{shown} là một liên kết (symlink); hãy ghi tên của một tệp thật.",
                        f"{shown} is a symbolic link; name a regular file")
    if stat.S_ISDIR(mode):
        raise UserError(f"{shown} là một thư mục; hãy ghi tên tệp PDF.",
                        f"{shown} is a folder; give a file name such as {shown / 'phieu.pdf'}")
    if not stat.S_ISREG(mode):
        raise UserError(f"{shown} không phải tệp thông thường (thiết bị, FIFO…); hãy chọn tên tệp khác.",
                        f"{shown} is not a regular file (device, FIFO, socket); name a regular file")


class PendingOutput:
    """The user's file, written beside its destination now and put in place by `place()`.

    Writing first means an unwritable destination (a read-only share, a full disk) fails while
    nothing has been recorded; the caller renames inside its transaction, so if even that fails,
    the record is rolled back.
    """

    def __init__(self, target: OutputTarget, content: bytes) -> None:
        self.target = target
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.path.name}.", suffix=".tmp", dir=target.path.parent)
        except OSError as error:
            raise output_error(target.shown, error) from error
        self.tmp = Path(tmp)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(content)
                f.flush()
                os.fsync(f.fileno())
            if target.existing_mode is not None:
                os.chmod(self.tmp, target.existing_mode)  # a replaced file keeps its mode
        except OSError as error:
            self.discard()
            raise output_error(target.shown, error) from error

    def place(self) -> None:
        """Rename over the destination, after checking it did not turn into something else since."""
        try:
            st = os.lstat(self.target.path)
        except FileNotFoundError:
            pass
        except OSError as error:
            raise output_error(self.target.shown, error) from error
        else:
            _check_kind(st.st_mode, self.target.shown)
            if self.target.existing_mode is None:
                raise OutputExists(f"Tệp {self.target.shown} vừa được tạo bởi chương trình khác; chưa ghi gì.",
                                   f"{self.target.shown} appeared meanwhile; nothing was written")
        try:
            os.replace(self.tmp, self.target.path)
        except OSError as error:
            raise output_error(self.target.shown, error) from error

    def discard(self) -> None:
        """Remove the temp file if it was not put in place (a no-op after `place`)."""
        with contextlib.suppress(OSError):
            self.tmp.unlink()


@contextlib.contextmanager
def pending_output(target: OutputTarget | None, content: bytes) -> Iterator[PendingOutput | None]:
    """`with pending_output(t, pdf) as out, store.transaction(): … out.place()` (None: no file wanted)."""
    out = PendingOutput(target, content) if target is not None else None
    try:
        yield out
    finally:
        if out is not None:
            out.discard()


def write_output(target: OutputTarget, content: bytes) -> None:
    """Write a checked destination at once (exports with nothing to record)."""
    with pending_output(target, content) as out:
        assert out is not None
        out.place()


def output_error(shown: Path, error: OSError) -> KnownError:
    reason = error.strerror or str(error)  # not the temp file's name: the user never typed it
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return KnownError(f"Ổ đĩa đầy, không ghi được tệp {shown}; chưa ghi nhận gì.",
                          f"disk full: cannot write {shown}; nothing was recorded")
    return KnownError(f"Không ghi được tệp {shown} ({reason}); chưa ghi nhận gì.",
                      f"cannot write {shown}: {reason}; nothing was recorded")
