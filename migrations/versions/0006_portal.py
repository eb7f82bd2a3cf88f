"""customer portal: link versions, confirmations, provenance of technician preferences

Revision ID: 0006_portal
Revises: 0005_notifications
Create Date: 2026-11-24 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0006_portal"
down_revision: str | None = "0005_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("link_version", sa.Integer(), server_default="0", nullable=False)
        )
    with op.batch_alter_table("technician_preferences", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=10), server_default="staff", nullable=False)
        )
        batch_op.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_technician_preferences_case_id_cases"),
            "cases",
            ["case_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_technician_preferences_source"), "source IN ('staff', 'portal')"
        )
    op.create_table(
        "portal_confirmations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("terms_version", sa.String(length=40), nullable=False),
        sa.Column("window_start", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("window_end", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_portal_confirmations_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_portal_confirmations_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_confirmations")),
    )
    with op.batch_alter_table("portal_confirmations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portal_confirmations_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(
            "ix_portal_confirmations_visit_confirmed", ["visit_id", "confirmed_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("portal_confirmations")
    with op.batch_alter_table("technician_preferences", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_technician_preferences_source"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_technician_preferences_case_id_cases"), type_="foreignkey"
        )
        batch_op.drop_column("case_id")
        batch_op.drop_column("source")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("link_version")
