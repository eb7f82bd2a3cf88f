"""Guard refusals, kept so they can be counted: written after the refusing request rolled back."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UTCDateTime, sql_in, utcnow


class GuardRule(StrEnum):
    BOOKING = "booking"  # the assignment guard: this technician may not take this visit
    REPEAT_ASSESSMENT = "repeat_assessment"  # a diagnosed case asked for another assessment


class GuardRefusal(Base):
    """Who was refused by which rule, on which case and visit; ids only, no relationships to
    them, so the record can be written by itself after the request's rollback."""

    __tablename__ = "guard_refusals"
    __table_args__ = (
        CheckConstraint(sql_in("rule", GuardRule), name="rule"),
        Index("ix_guard_refusals_rule_at", "rule", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"))
    technician_id: Mapped[int | None] = mapped_column(
        ForeignKey("technicians.id", ondelete="SET NULL")
    )

    reasons: Mapped[list["GuardRefusalReason"]] = relationship(cascade="all, delete-orphan")


class GuardRefusalReason(Base):
    """One reason code of a refusal (a booking may fail on several checks at once)."""

    __tablename__ = "guard_refusal_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    refusal_id: Mapped[int] = mapped_column(
        ForeignKey("guard_refusals.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)
