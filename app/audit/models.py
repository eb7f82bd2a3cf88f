"""One audit entry per changed row: actor, action, entity, and each field's before and after."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, sql_in, utcnow


class AuditAction(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"


class AuditEntry(Base):
    """Append-only: nothing in the app updates or deletes these rows."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        CheckConstraint(sql_in("action", AuditAction), name="action"),
        Index("ix_audit_entries_entity_entity_id", "entity", "entity_id"),
        Index("ix_audit_entries_actor_id_at", "actor_id", "at"),
        Index("ix_audit_entries_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # No foreign key: the log outlives the users and rows it names.
    actor_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(10))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(60))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(64))
