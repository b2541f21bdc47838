"""Alembic environment of the hub. Run programmatically by `motcua_desktop.hub.db.migrate()`, which
hands over an open connection in `config.attributes["connection"]` (no alembic.ini needed, so this
works the same from a source checkout and from an installed wheel)."""

from __future__ import annotations

from alembic import context

from motcua_desktop.hub.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only `alembic` on the command line gets here
    raise RuntimeError("run the hub's migrations with `motcua-hub migrate`")

# SQLite does DDL in transactions too: one transaction for the whole upgrade on both databases.
context.configure(connection=connection, target_metadata=metadata, transactional_ddl=True,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
