"""Outbox rows (one per message, channel and recipient) and webhook subscriptions."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, sql_in, utcnow


class Event(StrEnum):
    """What happened; webhook subscribers choose among these, templates are keyed by them."""

    CASE_OPENED = "case.opened"
    VISIT_SCHEDULED = "visit.scheduled"
    VISIT_MOVED = "visit.moved"
    VISIT_REASSIGNED = "visit.reassigned"
    VISIT_CANCELLED = "visit.cancelled"
    VISIT_EN_ROUTE = "visit.en_route"
    VISIT_UNBOOKED = "visit.unbooked"
    VISIT_WINDOW_CHANGED = "visit.window_changed"
    VISIT_PREREQUISITE_NEEDED = "visit.prerequisite_needed"
    VISIT_NO_ACCESS = "visit.no_access"
    VISIT_COMPLETED = "visit.completed"


class DeliveryChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    WEBHOOK = "webhook"


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"


class WebhookSubscription(Base):
    """A channel system's endpoint; disabled (never deleted) so past deliveries keep their link."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[list[str]] = mapped_column(JSON)
    secret: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notification(Base):
    """One message to one recipient; written with the change it reports, sent by the relay.

    `delivery_id` never changes across retries so receivers can drop duplicates; subject and
    body are filled when it is sent, because they are rendered from the record as it is then.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(sql_in("event", Event), name="event"),
        CheckConstraint(sql_in("channel", DeliveryChannel), name="channel"),
        CheckConstraint(sql_in("status", NotificationStatus), name="status"),
        CheckConstraint("attempts >= 0", name="attempts"),
        CheckConstraint(
            "(channel = 'webhook') = (subscription_id IS NOT NULL)", name="webhook_subscription"
        ),
        Index("ix_notifications_due", "status", "next_attempt_at"),
        Index("ix_notifications_case_created", "case_id", "created_at"),
        Index("ix_notifications_supersede_key_status", "supersede_key", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE")
    )
    event: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(2048))
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    supersede_key: Mapped[str] = mapped_column(String(400))
    status: Mapped[str] = mapped_column(String(12), default=NotificationStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivery_id: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )

    subscription: Mapped[WebhookSubscription | None] = relationship()
