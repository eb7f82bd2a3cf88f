"""One row per inbound message: how it matched, what it made, the bytes of an unmatched one.

The unique (channel, external_id) is what makes a mail provider's redelivery harmless.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.cases.models import Case, Interaction
from app.db import Base, UTCDateTime, sql_in, utcnow


class InboundChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class InboundStatus(StrEnum):
    MATCHED = "matched"
    UNMATCHED = "unmatched"
    ATTACHED = "attached"  # was unmatched; an agent put it on a case


class InboundMessage(Base):
    __tablename__ = "inbound_messages"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        CheckConstraint(sql_in("channel", InboundChannel), name="channel"),
        CheckConstraint(sql_in("status", InboundStatus), name="status"),
        CheckConstraint("(status = 'unmatched') = (case_id IS NULL)", name="matched_has_case"),
        Index("ix_inbound_messages_status_received", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    # Message-ID (or the raw bytes' sha256 when a message has none); Twilio's MessageSid.
    external_id: Mapped[str] = mapped_column(String(300))
    sender: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    photo_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Attachments listed, not stored: [{filename, content_type, size_bytes, reason}].
    not_stored: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Kept only while unmatched, so an agent can still attach it, photos and all.
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attached_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    attached_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case | None] = relationship()
    interaction: Mapped[Interaction | None] = relationship()
