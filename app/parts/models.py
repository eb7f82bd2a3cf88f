"""Part SKUs, where they are stocked (warehouses, vans), and what is held for which visit."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, sql_in, utcnow


class LocationKind(StrEnum):
    WAREHOUSE = "warehouse"
    VAN = "van"


class ReservationStatus(StrEnum):
    HELD = "held"
    RELEASED = "released"
    CONSUMED = "consumed"


class Part(Base):
    """One exact SKU; a size or variant is a different SKU, so reservations can't mix them."""

    __tablename__ = "parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class StockLocation(Base):
    __tablename__ = "stock_locations"
    __table_args__ = (
        CheckConstraint(sql_in("kind", LocationKind), name="kind"),
        CheckConstraint("kind = 'van' OR technician_id IS NULL", name="only_vans_have_drivers"),
        CheckConstraint("lead_time_hours >= 0", name="lead_time_hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"), unique=True)
    lead_time_hours: Mapped[int] = mapped_column(default=24)


class StockLevel(Base):
    __tablename__ = "stock_levels"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand"),
        CheckConstraint("reserved >= 0", name="reserved"),
        CheckConstraint("reserved <= on_hand", name="reserved_not_above_on_hand"),
    )

    location_id: Mapped[int] = mapped_column(
        ForeignKey("stock_locations.id", ondelete="CASCADE"), primary_key=True
    )
    sku: Mapped[str] = mapped_column(ForeignKey("parts.sku"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class Reservation(Base):
    """An exact SKU held at a location for a visit; released on cancel, consumed on completion."""

    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint(sql_in("status", ReservationStatus), name="status"),
        Index("ix_reservations_visit_status", "visit_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(ForeignKey("parts.sku"))
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_locations.id"))
    quantity: Mapped[int]
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default=ReservationStatus.HELD)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    location: Mapped[StockLocation] = relationship()
