"""The Alembic migrations shipped in the package create exactly the tables `hub/schema.py` declares,
run twice (or twice at once) safely, and `serve` on PostgreSQL wants them run first."""

from __future__ import annotations

import subprocess
import sys

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from hubproc import hub_cli
from motcua_desktop.hub import db
from motcua_desktop.hub.schema import metadata


def test_migrated_schema_is_the_declared_one(hub_db_url):
    engine = db.make_engine(hub_db_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
        assert db.current_revision(engine) == db.head_revision()
        assert db.MIGRATIONS.is_dir() and (db.MIGRATIONS / "script.py.mako").is_file()  # travels with the package
    finally:
        engine.dispose()


def test_two_migrates_at_once_then_again(new_hub_db):
    for kind in ("sqlite", "postgresql"):
        url = new_hub_db(kind, migrated=False)
        procs = [subprocess.Popen([sys.executable, "-m", "motcua_desktop.hub", "--db", url, "migrate"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        p = hub_cli(url, "migrate")
        assert p.returncode == 0 and "already at" in p.stdout


def test_serve_on_postgresql_needs_migrate_first(new_hub_db):
    url = new_hub_db("postgresql", migrated=False)
    p = hub_cli(url, "serve", "--port", "0", timeout=60)
    assert p.returncode == 1 and "motcua-hub migrate" in p.stderr, p.stderr
    assert "Traceback" not in p.stderr
