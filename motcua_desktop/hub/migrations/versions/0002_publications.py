"""Published catalogue and calendar versions (`motcua-hub publish-catalog` / `publish-calendar`).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "publications",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("items", sa.Integer, nullable=False),
        sa.Column("source", sa.String(300), nullable=True),
        sa.Column("published_at", sa.String(32), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("uq_publications_kind_version", "publications", ["kind", "version"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_publications_kind_version", table_name="publications")
    op.drop_table("publications")
