"""board, insights, audit: guard refusals, the manager role, the audit log

Revision ID: 0012_board_insights_audit
Revises: 0011_credential_versions
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0012_board_insights_audit"
down_revision: str | None = "0011_credential_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES_BEFORE = "role IN ('admin', 'dispatcher', 'agent', 'technician')"
ROLES_AFTER = "role IN ('admin', 'dispatcher', 'agent', 'technician', 'manager')"


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_users_role"), ROLES_AFTER)

    op.create_table(
        "guard_refusals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=30), nullable=False),
        sa.Column("at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("technician_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "rule IN ('booking', 'repeat_assessment')", name=op.f("ck_guard_refusals_rule")
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_guard_refusals_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_guard_refusals_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["technician_id"],
            ["technicians.id"],
            name=op.f("fk_guard_refusals_technician_id_technicians"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_guard_refusals_visit_id_visits"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guard_refusals")),
    )
    with op.batch_alter_table("guard_refusals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_guard_refusals_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_guard_refusals_rule_at", ["rule", "at"], unique=False)

    op.create_table(
        "guard_refusal_reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("refusal_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["refusal_id"],
            ["guard_refusals.id"],
            name=op.f("fk_guard_refusal_reasons_refusal_id_guard_refusals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guard_refusal_reasons")),
    )
    with op.batch_alter_table("guard_refusal_reasons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guard_refusal_reasons_refusal_id"), ["refusal_id"], unique=False
        )

    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=60), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "action IN ('created', 'updated', 'deleted')", name=op.f("ck_audit_entries_action")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entries_entity_entity_id", ["entity", "entity_id"])
        batch_op.create_index("ix_audit_entries_actor_id_at", ["actor_id", "at"])
        batch_op.create_index("ix_audit_entries_at", ["at"])


def downgrade() -> None:
    op.drop_table("audit_entries")
    op.drop_table("guard_refusal_reasons")
    op.drop_table("guard_refusals")
    # Managers cannot stay managers; they keep their rows (foreign keys) but lose access.
    op.execute("UPDATE users SET role = 'agent', active = false WHERE role = 'manager'")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_users_role"), ROLES_BEFORE)
