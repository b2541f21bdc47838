"""The hub's tables (SQLAlchemy Core). The migrations in `migrations/versions/` create exactly these;
tests/hub/test_migrations.py compares the two on both databases."""

from __future__ import annotations

from sqlalchemy import (BigInteger, Column, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        text)

metadata = MetaData()

# A BIGINT identity on PostgreSQL, SQLite's INTEGER PRIMARY KEY (the rowid) there.
Id = BigInteger().with_variant(Integer(), "sqlite")

# Who may talk to the hub: counters (one agency code + one slot) and processing agencies.
# Only the SHA-256 of a token is stored. Times are the hub's clock, ISO 8601 with offset.
clients = Table(
    "clients", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # 'counter' | 'processor'
    Column("agency_code", String(20), nullable=False),
    Column("slot", Integer, nullable=True),  # counters only
    Column("name", String(200), nullable=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32), nullable=True),
    Column("last_contact_at", String(32), nullable=True),
    Column("events_received", BigInteger, nullable=False, server_default=text("0")),
    Column("last_skew_s", Integer, nullable=True),  # the counter's clock minus the hub's, last push
    Column("max_skew_s", Integer, nullable=True),  # the largest (absolute) skew seen
    sqlite_autoincrement=True,
)
Index("uq_clients_active_counter", clients.c.agency_code, clients.c.slot, unique=True,
      sqlite_where=text("kind = 'counter' AND revoked_at IS NULL"),
      postgresql_where=text("kind = 'counter' AND revoked_at IS NULL"))
Index("uq_clients_active_processor", clients.c.agency_code, clients.c.name, unique=True,
      sqlite_where=text("kind = 'processor' AND revoked_at IS NULL"),
      postgresql_where=text("kind = 'processor' AND revoked_at IS NULL"))

# The hub's projection of each dossier, updated by every event it stores.
dossiers = Table(
    "dossiers", metadata,
    Column("code", String(40), primary_key=True),
    Column("agency_code", String(20), nullable=False),
    Column("slot", Integer, nullable=False),
    Column("status", String(32), nullable=False),
    Column("procedure_code", String(100), nullable=True),
    Column("applicant_name", Text, nullable=True),
    Column("first_contact_at", String(19), nullable=True),
    Column("received_at", String(19), nullable=True),
    Column("due_at", String(19), nullable=True),
    Column("counter_id", BigInteger, ForeignKey("clients.id"), nullable=True),  # who pushed the intake
    Column("last_seq", Integer, nullable=False),  # the highest seq of its events (hub events take +1)
    Column("event_count", Integer, nullable=False),
    Column("updated_at", String(32), nullable=False),
    # The agency at another level it was forwarded to (`motcua forward CODE --to AGENCY_CODE`): it lists
    # the dossier (`dossiers --agency`) and its processors may set its status.
    Column("processing_agency", String(20), nullable=True),
)
Index("ix_dossiers_agency_status", dossiers.c.agency_code, dossiers.c.status)
Index("ix_dossiers_processing_agency", dossiers.c.processing_agency)

# Every event stored, once per id; `pos` is the order the hub stored them in.
events = Table(
    "events", metadata,
    Column("pos", Id, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("dossier_code", String(40), nullable=False),
    Column("type", String(32), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("origin", String(16), nullable=False),  # 'counter' | 'hub'
    Column("client_id", BigInteger, ForeignKey("clients.id"), nullable=True),
    Column("body", Text, nullable=False),  # the canonical JSON (Event.to_json())
    Column("body_hash", String(64), nullable=False),
    Column("stored_at", String(32), nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_events_dossier", events.c.dossier_code, events.c.pos)

# The change feed counters pull (`GET /v1/changes`): `id` is the cursor. On PostgreSQL its writers
# are serialised by an advisory lock so ids become visible in id order (store.FEED_LOCK).
changes = Table(
    "changes", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_id", String(36), ForeignKey("events.id"), nullable=False, unique=True),
    Column("agency_code", String(20), nullable=False),
    Column("slot", Integer, nullable=False),
    Column("dossier_code", String(40), nullable=False),
    Column("created_at", String(32), nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_changes_scope", changes.c.agency_code, changes.c.slot, changes.c.id)

# A counter's event the hub's state forbade for a dossier the hub has: both sides kept.
conflicts = Table(
    "conflicts", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),  # the counter's event (not stored)
    Column("dossier_code", String(40), nullable=False),
    Column("agency_code", String(20), nullable=False),
    Column("client_id", BigInteger, ForeignKey("clients.id"), nullable=True),
    Column("event_type", String(32), nullable=False),
    Column("event_body", Text, nullable=False),
    Column("hub_status", String(32), nullable=False),
    Column("reason", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("resolved_at", String(32), nullable=True),
    # The counter's `resolve_conflict` event that settled it (keep the counter's or the hub's state).
    Column("resolution_event_id", String(36), nullable=True),
    sqlite_autoincrement=True,
)
Index("ix_conflicts_dossier", conflicts.c.dossier_code)

# What the province publishes to every counter (`motcua-hub publish-catalog` / `publish-calendar`):
# each a whole new numbered version per kind, validated before it is stored, never changed after.
publications = Table(
    "publications", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # 'catalog' | 'calendar'
    Column("version", Integer, nullable=False),  # 1, 2, … within its kind
    Column("content", Text, nullable=False),  # JSON: the catalogue file / {"days": [...]}
    Column("sha256", String(64), nullable=False),  # of `content`
    Column("items", Integer, nullable=False),  # procedures / days
    Column("source", String(300), nullable=True),  # the published file's name
    Column("published_at", String(32), nullable=False),
    sqlite_autoincrement=True,
)
Index("uq_publications_kind_version", publications.c.kind, publications.c.version, unique=True)
