"""Technicians and what they bring: skills, certifications, equipment, shifts and time off."""

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalog.models import MAX_LEVEL
from app.db import Base, UTCDateTime, utcnow


class Technician(Base):
    """A user with role technician is the technician whose e-mail matches."""

    __tablename__ = "technicians"
    __table_args__ = (
        CheckConstraint("home_latitude BETWEEN -90 AND 90", name="home_latitude"),
        CheckConstraint("home_longitude BETWEEN -180 AND 180", name="home_longitude"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    timezone: Mapped[str] = mapped_column(String(64))
    home_latitude: Mapped[float]
    home_longitude: Mapped[float]
    territory: Mapped[str | None] = mapped_column(String(80), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    skills: Mapped[list["TechnicianSkill"]] = relationship(
        cascade="all, delete-orphan", order_by="TechnicianSkill.skill_code"
    )
    certifications: Mapped[list["Certification"]] = relationship(
        cascade="all, delete-orphan", order_by="Certification.skill_code"
    )
    equipment: Mapped[list["TechnicianEquipment"]] = relationship(
        cascade="all, delete-orphan", order_by="TechnicianEquipment.equipment_code"
    )
    shifts: Mapped[list["Shift"]] = relationship(
        cascade="all, delete-orphan", order_by="(Shift.weekday, Shift.start_time)"
    )
    time_off: Mapped[list["TimeOff"]] = relationship(
        cascade="all, delete-orphan", order_by="TimeOff.start_at"
    )

    @property
    def home(self) -> dict[str, float]:
        return {"latitude": self.home_latitude, "longitude": self.home_longitude}


class TechnicianSkill(Base):
    __tablename__ = "technician_skills"
    __table_args__ = (CheckConstraint(f"level BETWEEN 1 AND {MAX_LEVEL}", name="level"),)

    technician_id: Mapped[int] = mapped_column(
        ForeignKey("technicians.id", ondelete="CASCADE"), primary_key=True
    )
    skill_code: Mapped[str] = mapped_column(ForeignKey("skills.code"), primary_key=True)
    level: Mapped[int]


class Certification(Base):
    __tablename__ = "certifications"

    technician_id: Mapped[int] = mapped_column(
        ForeignKey("technicians.id", ondelete="CASCADE"), primary_key=True
    )
    skill_code: Mapped[str] = mapped_column(ForeignKey("skills.code"), primary_key=True)
    valid_until: Mapped[date]


class TechnicianEquipment(Base):
    __tablename__ = "technician_equipment"

    technician_id: Mapped[int] = mapped_column(
        ForeignKey("technicians.id", ondelete="CASCADE"), primary_key=True
    )
    equipment_code: Mapped[str] = mapped_column(ForeignKey("equipment.code"), primary_key=True)


class Shift(Base):
    """A weekly working period in the technician's own time zone (weekday 0 = Monday)."""

    __tablename__ = "shifts"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("start_time < end_time", name="start_before_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[int] = mapped_column(
        ForeignKey("technicians.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int]
    start_time: Mapped[time]
    end_time: Mapped[time]


class TimeOff(Base):
    __tablename__ = "time_off"
    __table_args__ = (CheckConstraint("start_at < end_at", name="start_before_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    technician_id: Mapped[int] = mapped_column(
        ForeignKey("technicians.id", ondelete="CASCADE"), index=True
    )
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
