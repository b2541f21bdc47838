"""The provincial hub (`motcua-hub`): the HTTP service counters sync with (docs/sync-protocol.md).

It imports nothing of the project but `motcua_desktop.domain`: the event schema, its validator and
the status rule are the counter's own (`domain/events.py`), so both sides judge an event alike.
Storage is SQLAlchemy Core (`schema.py`, `store.py`) with Alembic migrations shipped inside the
package (`migrations/`); PostgreSQL in production, a SQLite file as the one-machine default. The
service keeps no state in its process: any number of `motcua-hub serve` may share one PostgreSQL.
"""
