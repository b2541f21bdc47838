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

