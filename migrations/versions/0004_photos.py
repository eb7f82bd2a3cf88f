"""photos: uploads on a case and their safe renditions

Revision ID: 0004_photos
Revises: 0003_idempotency
Create Date: 2026-11-23 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "0004_photos"
down_revision: str | None = "0003_idempotency"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("caption", sa.String(length=500), nullable=True),
        sa.Column("declared_type", sa.String(length=50), nullable=False),
        sa.Column("declared_bytes", sa.Integer(), nullable=False),
        sa.Column("upload_key", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=True),
        sa.Column("reason_detail", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("detected_type", sa.String(length=50), nullable=True),
        sa.Column("display_key", sa.String(length=200), nullable=True),
        sa.Column("thumbnail_key", sa.String(length=200), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("taken_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "source IN ('technician', 'customer', 'agent')", name=op.f("ck_photos_source")
        ),
        sa.CheckConstraint(
            "status <> 'ready' OR (sha256 IS NOT NULL AND display_key IS NOT NULL AND thumbnail_key IS NOT NULL AND width > 0 AND height > 0)",
            name=op.f("ck_photos_ready_has_renditions"),
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR reason IS NOT NULL", name=op.f("ck_photos_rejected_has_reason")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'ready', 'rejected')", name=op.f("ck_photos_status")
        ),
        sa.CheckConstraint("declared_bytes > 0", name=op.f("ck_photos_declared_bytes")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_photos_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"], ["photos.id"], name=op.f("fk_photos_duplicate_of_id_photos")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_photos_uploaded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_photos_visit_id_visits"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photos")),
        sa.UniqueConstraint("upload_key", name=op.f("uq_photos_upload_key")),
    )
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.create_index("ix_photos_case_created", ["case_id", "created_at"], unique=False)
        batch_op.create_index(
            "uq_photos_case_sha256",
            ["case_id", "sha256"],
            unique=True,
            sqlite_where=sa.text("duplicate_of_id IS NULL AND sha256 IS NOT NULL"),
            postgresql_where=sa.text("duplicate_of_id IS NULL AND sha256 IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("photos", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_photos_case_sha256",
            sqlite_where=sa.text("duplicate_of_id IS NULL AND sha256 IS NOT NULL"),
            postgresql_where=sa.text("duplicate_of_id IS NULL AND sha256 IS NOT NULL"),
        )
        batch_op.drop_index("ix_photos_case_created")

    op.drop_table("photos")
