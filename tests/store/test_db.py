"""The SQLite file: pragmas, migrations, the newer-version guard, environment errors as clear messages."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from motcua_desktop.errors import KnownError
from motcua_desktop.paths import DB_FILENAME, sample_catalogue
from motcua_desktop.services import catalog
from motcua_desktop.store import open_store
from motcua_desktop.store.db import schema_version


def test_new_store_is_wal_with_foreign_keys_and_current_schema(data_dir: Path) -> None:
    with open_store(data_dir) as store:
        assert store.query_one("PRAGMA journal_mode")["journal_mode"] == "wal"
        assert store.query_one("PRAGMA foreign_keys")["foreign_keys"] == 1
        assert store.query_one("PRAGMA busy_timeout")["timeout"] >= 1000
        assert store.query_one("PRAGMA user_version")["user_version"] == schema_version()
        assert {"dossiers", "dossier_events", "outbox", "procedures", "calendar_overrides"} <= set(
            store.db.table_names())


def test_reopening_does_not_migrate_again(data_dir: Path) -> None:
    open_store(data_dir).close()
    with open_store(data_dir) as store:
        assert store.query_one("PRAGMA user_version")["user_version"] == schema_version()


def test_file_from_a_newer_version_is_refused_and_left_alone(data_dir: Path) -> None:
    open_store(data_dir).close()
    path = data_dir / DB_FILENAME
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(KnownError) as info:
        open_store(data_dir)
    assert "phiên bản mới hơn" in info.value.message_vi
    assert path.read_bytes() == before


def test_garbage_file_is_a_clear_error(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / DB_FILENAME).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(KnownError) as info:
        open_store(data_dir)
    assert "không phải là cơ sở dữ liệu" in info.value.message_vi


def test_missing_store_without_create_says_to_init(data_dir: Path) -> None:
    with pytest.raises(KnownError) as info:
        open_store(data_dir, create=False)
    assert "motcua init" in info.value.message_vi


def test_read_only_database_is_a_clear_error(ctx) -> None:
    # query_only fails writes exactly like a read-only file (SQLITE_READONLY), even for root.
    ctx.store.execute("PRAGMA query_only = 1")
    with pytest.raises(KnownError) as info:
        catalog.import_catalogue(ctx, sample_catalogue())
    assert "chỉ cho phép đọc" in info.value.message_vi


def test_full_disk_is_a_clear_error_and_leaves_data_as_it_was(ctx, tmp_path: Path) -> None:
    import json

    before = ctx.store.query("SELECT code, current_version FROM procedures ORDER BY code")
    pages = ctx.store.query_one("PRAGMA page_count")["page_count"]
    ctx.store.execute(f"PRAGMA max_page_count = {pages}")  # the 'disk' is exactly full now
    data = json.loads(sample_catalogue().read_text(encoding="utf-8"))
    for p in data["procedures"]:
        p["name_vi"] += " (bản sửa đổi có nội dung dài hơn để cần thêm trang)" * 5
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(KnownError) as info:
        catalog.import_catalogue(ctx, changed)
    assert "Ổ đĩa đã đầy" in info.value.message_vi
    assert ctx.store.query("SELECT code, current_version FROM procedures ORDER BY code") == before
    assert ctx.store.query_one("PRAGMA integrity_check")["integrity_check"] == "ok"


def test_transaction_rolls_back_everything_on_error(ctx) -> None:
    with pytest.raises(RuntimeError):
        with ctx.store.transaction():
            ctx.store.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
            with ctx.store.transaction():  # nested joins the outer one
                ctx.store.execute("INSERT INTO settings (key, value) VALUES ('y', '2')")
            raise RuntimeError("boom")
    assert ctx.store.query("SELECT key FROM settings WHERE key IN ('x', 'y')") == []



# --- a refused file is byte-for-byte unchanged (issue 9) --------------------------------------------

def _newer_file_in_rollback_mode(path: Path) -> None:
    """What a newer version could leave: its own schema, journal_mode DELETE (the WAL switch would
    rewrite bytes 18-19 of the header)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.commit()
    conn.close()


def _another_apps_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('x', '1')")
    conn.commit()
    conn.close()


def _empty_sqlite_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("VACUUM")  # a valid SQLite file with no tables
    conn.close()


@pytest.mark.parametrize("make", [
    _newer_file_in_rollback_mode, _another_apps_file, _empty_sqlite_file,
    lambda p: p.write_bytes(b""), lambda p: p.write_bytes(b"garbage " * 1000),
    lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000),
], ids=["newer", "other-app", "empty-sqlite", "zero-bytes", "garbage", "bad-header"])
def test_a_refused_file_is_left_byte_for_byte_unchanged(data_dir: Path, make) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / DB_FILENAME
    make(path)
    before = path.read_bytes()
    for create in (True, False):
        with pytest.raises(KnownError) as info:
            open_store(data_dir, create=create)
        assert info.value.message_vi and "Traceback" not in info.value.message_en
    assert path.read_bytes() == before
    assert sorted(p.name for p in data_dir.iterdir()) == [DB_FILENAME]  # no -wal/-shm left beside it


def test_a_counter_store_left_with_its_wal_by_a_crash_still_opens(data_dir: Path) -> None:
    """The read-only look before opening reads through a -wal left behind (kill -9)."""
    import shutil

    with open_store(data_dir) as store:
        store.execute("INSERT INTO settings (key, value) VALUES ('probe', '\"1\"')")
        # Copy the files while the connection is open: the copy is what a killed process leaves.
        crashed = data_dir.parent / "crashed"
        crashed.mkdir()
        for p in data_dir.iterdir():
            shutil.copy(p, crashed / p.name)
    assert (crashed / f"{DB_FILENAME}-wal").exists()
    with open_store(crashed, create=False) as store:
        assert store.query_one("SELECT value FROM settings WHERE key = 'probe'")["value"] == '"1"'


# --- modes: the data dir 0700, its files 0600 ---------------------------------------------------------

def _modes(data_dir: Path) -> dict[str, int]:
    return {str(p.relative_to(data_dir)): p.stat().st_mode & 0o777 for p in [data_dir, *data_dir.rglob("*")]}


def test_a_store_created_under_umask_022_is_private_from_the_start(data_dir: Path) -> None:
    old = os.umask(0o022)
    try:
        with open_store(data_dir) as store:
            store.execute("INSERT INTO settings (key, value) VALUES ('probe', '1')")
            modes = _modes(data_dir)
    finally:
        os.umask(old)
    assert {f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm", DB_FILENAME} <= set(modes)
    assert modes.pop(".") == 0o700
    assert set(modes.values()) == {0o600}, modes


def test_opening_repairs_modes_left_too_open(data_dir: Path) -> None:
    open_store(data_dir).close()
    (data_dir / "slips" / "2026").mkdir(parents=True)
    (data_dir / "slips" / "2026" / "x.pdf").write_bytes(b"%PDF")
    for p in [data_dir, *data_dir.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    open_store(data_dir).close()
    modes = _modes(data_dir)
    assert {m for name, m in modes.items() if (data_dir / name).is_dir()} == {0o700}
    assert {m for name, m in modes.items() if not (data_dir / name).is_dir()} == {0o600}


def test_repair_touches_only_what_the_app_keeps(data_dir: Path) -> None:
    """A data dir pointed at a folder with other things in it (a home folder): only ours is chmod-ed."""
    data_dir.mkdir(parents=True)
    mine = data_dir / "my-notes.txt"
    mine.write_text("not the app's")
    mine.chmod(0o644)
    open_store(data_dir).close()
    assert (mine.stat().st_mode & 0o777) == 0o644
    assert (data_dir / DB_FILENAME).stat().st_mode & 0o777 == 0o600
