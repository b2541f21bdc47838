"""Transfer between levels: the agency a dossier was forwarded to (`motcua forward CODE --to AGENCY_CODE`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers") as batch:
        batch.add_column(sa.Column("processing_agency", sa.String(20), nullable=True))
    op.create_index("ix_dossiers_processing_agency", "dossiers", ["processing_agency"])


def downgrade() -> None:
    op.drop_index("ix_dossiers_processing_agency", table_name="dossiers")
    with op.batch_alter_table("dossiers") as batch:
        batch.drop_column("processing_agency")
