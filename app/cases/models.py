"""A case is one customer problem; every channel's interactions land on it."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.customers.models import Asset, Customer, Site
from app.db import Base, UTCDateTime, sql_in, utcnow


class CaseStatus(StrEnum):
    OPEN = "open"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Channel(StrEnum):
    PHONE = "phone"
    CHAT = "chat"
    EMAIL = "email"
    IVR = "ivr"
    SMS = "sms"
    SOCIAL = "social"
    PORTAL = "portal"
    TECHNICIAN = "technician"
    KIOSK = "kiosk"


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Outcome(StrEnum):
    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"
    FOLLOW_UP = "follow_up"


OPEN_STATUSES = (CaseStatus.OPEN, CaseStatus.SCHEDULED, CaseStatus.IN_PROGRESS)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(sql_in("status", CaseStatus), name="status"),
        CheckConstraint(sql_in("priority", Priority), name="priority"),
        CheckConstraint(sql_in("opened_channel", Channel), name="opened_channel"),
        Index("ix_cases_customer_status", "customer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.OPEN)
    priority: Mapped[str] = mapped_column(String(10), default=Priority.NORMAL)
    opened_channel: Mapped[str] = mapped_column(String(20))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Signed into every portal link; bumping it revokes all links issued before.
    link_version: Mapped[int] = mapped_column(default=0, server_default="0")

    customer: Mapped[Customer] = relationship()
    site: Mapped[Site | None] = relationship()
    asset: Mapped[Asset | None] = relationship()
    interactions: Mapped[list["Interaction"]] = relationship(
        back_populates="case", order_by="Interaction.occurred_at", viewonly=True
    )


class Interaction(Base):
    """A contact on any channel; (channel, external_ref) makes a channel system's retry harmless."""

    __tablename__ = "interactions"
    __table_args__ = (
        UniqueConstraint("channel", "external_ref"),
        CheckConstraint(sql_in("channel", Channel), name="channel"),
        CheckConstraint(sql_in("direction", Direction), name="direction"),
        CheckConstraint(f"outcome IS NULL OR {sql_in('outcome', Outcome)}", name="outcome"),
        Index("ix_interactions_case_occurred", "case_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(10))
    summary: Mapped[str] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    external_ref: Mapped[str | None] = mapped_column(String(200))
    # Who wrote in (an e-mail address, a phone number) when no user recorded it.
    sender: Mapped[str | None] = mapped_column(String(320))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="interactions")
