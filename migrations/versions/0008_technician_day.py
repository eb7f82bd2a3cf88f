"""technician day: visit/diagnosis versions, ETA, event position and lateness, change feed

Revision ID: 0008_technician_day
Revises: 0007_plans
Create Date: 2026-11-24 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0008_technician_day"
down_revision: str | None = "0007_plans"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("eta_at", app.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("return_reason", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )
    with op.batch_alter_table("diagnoses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.Integer(), server_default=sa.text("1"), nullable=False)
        )
    with op.batch_alter_table("visit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("latitude", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("longitude", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("accuracy_m", sa.Double(), nullable=True))
        batch_op.add_column(
            sa.Column("applied", sa.Boolean(), server_default=sa.text("true"), nullable=False)
        )
    op.create_table(
        "technician_change_counters",
        sa.Column("technician_id", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["technician_id"],
            ["technicians.id"],
            name=op.f("fk_technician_change_counters_technician_id_technicians"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("technician_id", name=op.f("pk_technician_change_counters")),
    )
    op.create_table(
        "technician_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("technician_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["technician_id"],
            ["technicians.id"],
            name=op.f("fk_technician_changes_technician_id_technicians"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_technician_changes")),
        sa.UniqueConstraint(
            "technician_id", "seq", name=op.f("uq_technician_changes_technician_id_seq")
        ),
    )


def downgrade() -> None:
    op.drop_table("technician_changes")
    op.drop_table("technician_change_counters")
    with op.batch_alter_table("visit_events", schema=None) as batch_op:
        for column in ("applied", "accuracy_m", "longitude", "latitude", "reason"):
            batch_op.drop_column(column)
    with op.batch_alter_table("diagnoses", schema=None) as batch_op:
        batch_op.drop_column("version")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        for column in ("version", "return_reason", "eta_at"):
            batch_op.drop_column(column)
