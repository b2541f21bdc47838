"""The hub's first schema: clients (tokens), dossiers (projection), events, the change feed, conflicts.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("agency_code", sa.String(20), nullable=False),
        sa.Column("slot", sa.Integer, nullable=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("revoked_at", sa.String(32), nullable=True),
        sa.Column("last_contact_at", sa.String(32), nullable=True),
        sa.Column("events_received", sa.BigInteger, nullable=False, server_default=sa.text("0")),
        sa.Column("last_skew_s", sa.Integer, nullable=True),
        sa.Column("max_skew_s", sa.Integer, nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("uq_clients_active_counter", "clients", ["agency_code", "slot"], unique=True,
                    sqlite_where=sa.text("kind = 'counter' AND revoked_at IS NULL"),
                    postgresql_where=sa.text("kind = 'counter' AND revoked_at IS NULL"))
    op.create_index("uq_clients_active_processor", "clients", ["agency_code", "name"], unique=True,
                    sqlite_where=sa.text("kind = 'processor' AND revoked_at IS NULL"),
                    postgresql_where=sa.text("kind = 'processor' AND revoked_at IS NULL"))
    op.create_table(
        "dossiers",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("agency_code", sa.String(20), nullable=False),
        sa.Column("slot", sa.Integer, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("procedure_code", sa.String(100), nullable=True),
        sa.Column("applicant_name", sa.Text, nullable=True),
        sa.Column("first_contact_at", sa.String(19), nullable=True),
        sa.Column("received_at", sa.String(19), nullable=True),
        sa.Column("due_at", sa.String(19), nullable=True),
        sa.Column("counter_id", sa.BigInteger, sa.ForeignKey("clients.id"), nullable=True),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("event_count", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_dossiers_agency_status", "dossiers", ["agency_code", "status"])
    op.create_table(
        "events",
        sa.Column("pos", Id, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("dossier_code", sa.String(40), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("client_id", sa.BigInteger, sa.ForeignKey("clients.id"), nullable=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("stored_at", sa.String(32), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_events_dossier", "events", ["dossier_code", "pos"])
    op.create_table(
        "changes",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), sa.ForeignKey("events.id"), nullable=False, unique=True),
        sa.Column("agency_code", sa.String(20), nullable=False),
        sa.Column("slot", sa.Integer, nullable=False),
        sa.Column("dossier_code", sa.String(40), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_changes_scope", "changes", ["agency_code", "slot", "id"])
    op.create_table(
        "conflicts",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("dossier_code", sa.String(40), nullable=False),
        sa.Column("agency_code", sa.String(20), nullable=False),
        sa.Column("client_id", sa.BigInteger, sa.ForeignKey("clients.id"), nullable=True),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("event_body", sa.Text, nullable=False),
        sa.Column("hub_status", sa.String(32), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("resolved_at", sa.String(32), nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_conflicts_dossier", "conflicts", ["dossier_code"])


def downgrade() -> None:
    for name in ("conflicts", "changes", "events", "dossiers", "clients"):
        op.drop_table(name)
