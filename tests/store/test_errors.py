"""Honest messages for a full disk: SQLite says 'disk I/O error' when the disk fills while it grows
its -shm or syncs its WAL; the clerk must read 'disk full'."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from motcua_desktop.store import errors


class _IoError(sqlite3.OperationalError):
    sqlite_errorname = "SQLITE_IOERR_SHMSIZE"


def test_an_io_error_on_a_nearly_full_disk_is_disk_full(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(errors, "disk_nearly_full", lambda where: True)
    known = errors.classify(_IoError("disk I/O error"), tmp_path)
    assert known is not None and "Ổ đĩa đã đầy" in known.message_vi and "disk is full" in known.message_en
    monkeypatch.setattr(errors, "disk_nearly_full", lambda where: False)
    known = errors.classify(_IoError("disk I/O error"), tmp_path)
    assert known is not None and "disk I/O error" in known.message_en


def test_enospc_while_touching_the_data_dir_is_disk_full() -> None:
    import errno

    with pytest.raises(errors.KnownError) as info:
        with errors.translated():
            raise OSError(errno.ENOSPC, "No space left on device")
    assert "Ổ đĩa đã đầy" in info.value.message_vi


@pytest.fixture
def small_disk(tmp_path):
    """A real 4 MB filesystem (tmpfs; needs root and a mount namespace that allows it)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mnt)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture
def data_dir(small_disk: Path) -> Path:
    return small_disk / "data"


def test_a_receive_on_a_full_disk_says_disk_full_and_keeps_the_data(run_cli, data_dir, small_disk) -> None:
    init = ("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ A", "--counter-slot", "1")
    assert run_cli(*init).returncode == 0
    with open(small_disk / "filler", "wb") as f:  # fill the disk to the last block
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    r = run_cli("receive", "--procedure", "HT-04", "--name", "Nguyễn Văn An", "--id-number", "001099012345")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "disk is full" in r.stderr, r.stderr
    (small_disk / "filler").unlink()
    r = run_cli("receive", "--procedure", "HT-04", "--name", "Nguyễn Văn An", "--id-number", "001099012345",
                "--json")
    assert r.returncode == 0, r.stderr  # room again: the counter works, nothing was half-written
    assert r.json()["code"].endswith("-1001")
