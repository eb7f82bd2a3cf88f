"""Visits to a case's site, their events, prerequisites and the diagnoses they produce."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.cases.models import Case
from app.catalog.models import HasRequirements, RequirementSet, VisitKind
from app.db import Base, UTCDateTime, sql_in, utcnow
from app.parts.models import Reservation
from app.technicians.models import Technician


class VisitStatus(StrEnum):
    UNASSIGNED = "unassigned"
    SCHEDULED = "scheduled"
    EN_ROUTE = "en_route"
    ON_SITE = "on_site"
    COMPLETED = "completed"
    INCOMPLETE = "incomplete"
    NO_ACCESS = "no_access"
    CANCELLED = "cancelled"


# A technician's time is taken while a visit is in one of these; the exclusion constraint and
# the SQLite guard both read this list.
ACTIVE_BOOKING = (VisitStatus.SCHEDULED, VisitStatus.EN_ROUTE, VisitStatus.ON_SITE)
ACTIVE_BOOKING_SQL = sql_in("status", ACTIVE_BOOKING)

visit_prerequisites = Table(
    "visit_prerequisites",
    Base.metadata,
    Column("visit_id", ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
    Column("requires_id", ForeignKey("visits.id", ondelete="CASCADE"), primary_key=True),
    CheckConstraint("visit_id <> requires_id", name="not_itself"),
)


class Visit(HasRequirements, Base):
    __tablename__ = "visits"
    __table_args__ = (
        CheckConstraint(sql_in("kind", VisitKind), name="kind"),
        CheckConstraint(sql_in("status", VisitStatus), name="status"),
        CheckConstraint("window_start < window_end", name="window"),
        CheckConstraint("duration_minutes > 0", name="duration_minutes"),
        CheckConstraint(
            "(technician_id IS NULL) = (start_at IS NULL) "
            "AND (start_at IS NULL) = (end_at IS NULL)",
            name="booking_complete",
        ),
        CheckConstraint("start_at < end_at", name="start_before_end"),
        CheckConstraint(
            f"technician_id IS NOT NULL OR NOT ({ACTIVE_BOOKING_SQL})", name="booked_has_technician"
        ),
        Index("ix_visits_technician_start", "technician_id", "start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    visit_type_id: Mapped[int | None] = mapped_column(ForeignKey("visit_types.id"))
    status: Mapped[str] = mapped_column(String(20), default=VisitStatus.UNASSIGNED)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int]
    requirement_set_id: Mapped[int] = mapped_column(ForeignKey("requirement_sets.id"))
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"))
    start_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A dispatcher's "keep this booking as it is": plans pin it like a visit in progress.
    locked: Mapped[bool] = mapped_column(default=False, server_default=false())
    warranty_covered: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    reimbursement_review: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Expected arrival, from the technician's position when en route (the portal shows it).
    eta_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why the last attempt ended without the work done (no access, incomplete).
    return_reason: Mapped[str | None] = mapped_column(Text)
    # Optimistic locking: every UPDATE checks the version it read, so an offline edit
    # (If-Match) or a concurrent writer can never silently overwrite a newer state.
    version: Mapped[int] = mapped_column(server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own dict

    case: Mapped[Case] = relationship()
    requirements: Mapped[RequirementSet] = relationship()
    technician: Mapped[Technician | None] = relationship()
    reservations: Mapped[list[Reservation]] = relationship(viewonly=True, order_by=Reservation.id)
    prerequisites: Mapped[list["Visit"]] = relationship(
        secondary=visit_prerequisites,
        primaryjoin=lambda: Visit.id == visit_prerequisites.c.visit_id,
        secondaryjoin=lambda: Visit.id == visit_prerequisites.c.requires_id,
        order_by=lambda: Visit.id,
    )


class EventType(StrEnum):
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    EN_ROUTE = "en_route"
    ON_SITE = "on_site"
    COMPLETED = "completed"
    INCOMPLETE = "incomplete"
    NO_ACCESS = "no_access"
    CANCELLED = "cancelled"


class VisitEvent(Base):
    """What happened to a visit: status reports from the field and assignment changes."""

    __tablename__ = "visit_events"
    __table_args__ = (
        CheckConstraint(sql_in("type", EventType), name="type"),
        Index("ix_visit_events_visit_at", "visit_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
    parts_used: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    substitution_reason: Mapped[str | None] = mapped_column(Text)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("technicians.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    accuracy_m: Mapped[float | None]
    # False for a report that arrived after a later one: kept, and ordered by `at`.
    applied: Mapped[bool] = mapped_column(server_default=text("true"))


class Diagnosis(HasRequirements, Base):
    """What a visit found and what fixing it needs; one current diagnosis per case."""

    __tablename__ = "diagnoses"
    __table_args__ = (
        CheckConstraint("estimated_minutes > 0", name="estimated_minutes"),
        Index(
            "uq_diagnoses_current_case",
            "case_id",
            unique=True,
            sqlite_where=text("current"),
            postgresql_where=text("current"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    findings: Mapped[str] = mapped_column(Text)
    estimated_minutes: Mapped[int]
    requirement_set_id: Mapped[int] = mapped_column(ForeignKey("requirement_sets.id"))
    current: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(server_default=text("1"))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own dict

    requirements: Mapped[RequirementSet] = relationship()
