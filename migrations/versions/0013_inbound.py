"""inbound: e-mail and SMS from channel systems; who sent an interaction or a photo; the
messages for every change a customer is told about

Revision ID: 0013_inbound
Revises: 0012_board_insights_audit
Create Date: 2026-11-30 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0013_inbound"
down_revision: str | None = "0012_board_insights_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVENTS_BEFORE = (
    "'case.opened', 'visit.scheduled', 'visit.moved', 'visit.reassigned', 'visit.cancelled', "
    "'visit.en_route'"
)
EVENTS = EVENTS_BEFORE + (
    ", 'visit.unbooked', 'visit.window_changed', 'visit.prerequisite_needed', "
    "'visit.no_access', 'visit.completed'"
)


def _allow_events(events: str) -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint(op.f("ck_notifications_event"), type_="check")
        batch.create_check_constraint(op.f("ck_notifications_event"), f"event IN ({events})")


def upgrade() -> None:
    op.create_table(
        "inbound_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("external_id", sa.String(length=300), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("photo_ids", sa.JSON(), nullable=False),
        sa.Column("not_stored", sa.JSON(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column("received_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attached_by_id", sa.Integer(), nullable=True),
        sa.Column("attached_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("channel IN ('email', 'sms')", name=op.f("ck_inbound_messages_channel")),
        sa.CheckConstraint(
            "status IN ('matched', 'unmatched', 'attached')", name=op.f("ck_inbound_messages_status")
        ),
        sa.CheckConstraint(
            "(status = 'unmatched') = (case_id IS NULL)",
            name=op.f("ck_inbound_messages_matched_has_case"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_inbound_messages_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"], ["interactions.id"],
            name=op.f("fk_inbound_messages_interaction_id_interactions"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["attached_by_id"], ["users.id"], name=op.f("fk_inbound_messages_attached_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_messages")),
        sa.UniqueConstraint(
            "channel", "external_id", name=op.f("uq_inbound_messages_channel_external_id")
        ),
    )
    op.create_index(
        "ix_inbound_messages_status_received", "inbound_messages", ["status", "received_at"]
    )
    with op.batch_alter_table("interactions") as batch:
        batch.add_column(sa.Column("sender", sa.String(length=320), nullable=True))
    with op.batch_alter_table("photos") as batch:
        batch.add_column(sa.Column("sender", sa.String(length=320), nullable=True))
    _allow_events(EVENTS)


def downgrade() -> None:
    op.execute(f"DELETE FROM notifications WHERE event NOT IN ({EVENTS_BEFORE})")
    _allow_events(EVENTS_BEFORE)
    with op.batch_alter_table("photos") as batch:
        batch.drop_column("sender")
    with op.batch_alter_table("interactions") as batch:
        batch.drop_column("sender")
    op.drop_index("ix_inbound_messages_status_received", table_name="inbound_messages")
    op.drop_table("inbound_messages")
