"""plan leases: a plan's parts are leased to the worker solving them (see app/plans/runner.py)

Revision ID: 0010_plan_leases
Revises: 0009_row_notices
Create Date: 2026-11-30 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

import app.db
from alembic import op

revision: str = "0010_plan_leases"
down_revision: str | None = "0009_row_notices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plan_parts") as batch:
        batch.add_column(sa.Column("lease_until", app.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_parts") as batch:
        batch.drop_column("lease_until")
