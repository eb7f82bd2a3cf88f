"""Customers, how to reach them, where they live and what they own."""

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, sql_in, utcnow

if TYPE_CHECKING:
    from app.cases.models import Case


class ContactKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    contacts: Mapped[list["ContactPoint"]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="ContactPoint.id"
    )
    sites: Mapped[list["Site"]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Site.id"
    )
    assets: Mapped[list["Asset"]] = relationship(
        back_populates="customer", cascade="all, delete-orphan", order_by="Asset.id"
    )

    def contact_values(self, kind: ContactKind) -> list[str]:
        return [contact.value for contact in self.contacts if contact.kind == kind]

    @property
    def phones(self) -> list[str]:
        return self.contact_values(ContactKind.PHONE)

    @property
    def emails(self) -> list[str]:
        return self.contact_values(ContactKind.EMAIL)


class ContactPoint(Base):
    """A phone (E.164) or e-mail (folded); one customer owns each, so intake can find them."""

    __tablename__ = "contact_points"
    __table_args__ = (
        UniqueConstraint("kind", "value"),
        CheckConstraint(sql_in("kind", ContactKind), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(320))

    customer: Mapped[Customer] = relationship(back_populates="contacts")


class Site(Base):
    __tablename__ = "sites"
    __table_args__ = (
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    address: Mapped[str] = mapped_column(Text)
    latitude: Mapped[float]
    longitude: Mapped[float]
    timezone: Mapped[str] = mapped_column(String(64))
    access_notes: Mapped[str | None] = mapped_column(Text)

    customer: Mapped[Customer] = relationship(back_populates="sites")


class Asset(Base):
    __tablename__ = "assets"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(80))
    make: Mapped[str | None] = mapped_column(String(120))
    model: Mapped[str | None] = mapped_column(String(120))
    serial: Mapped[str | None] = mapped_column(String(120))
    warranty_until: Mapped[date | None]

    customer: Mapped[Customer] = relationship(back_populates="assets")
    site: Mapped[Site] = relationship()

    def warranty_state(self, today: date) -> str:
        if self.warranty_until is None:
            return "unknown"
        return "in_warranty" if self.warranty_until >= today else "expired"


class PreferenceKind(StrEnum):
    EXCLUDED = "excluded"
    PREFERRED = "preferred"


class PreferenceSource(StrEnum):
    """Where a preference came from: staff recorded it, or the customer said so on the portal."""

    STAFF = "staff"
    PORTAL = "portal"


class TechnicianPreference(Base):
    """A customer's wish about one technician; an excluded one is never eligible for them."""

    __tablename__ = "technician_preferences"
    __table_args__ = (
        UniqueConstraint("customer_id", "technician_id"),
        CheckConstraint(sql_in("kind", PreferenceKind), name="kind"),
        CheckConstraint(sql_in("source", PreferenceSource), name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    technician_id: Mapped[int] = mapped_column(ForeignKey("technicians.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(
        String(10), default=PreferenceSource.STAFF, server_default=PreferenceSource.STAFF.value
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped["Case | None"] = relationship()
