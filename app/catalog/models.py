"""Skill and equipment codes, visit-type templates, and the requirement rows they all share."""

from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, sql_in

MAX_LEVEL = 3


class VisitKind(StrEnum):
    ASSESSMENT = "assessment"
    REPAIR = "repair"
    INSTALLATION = "installation"
    SITE_SURVEY = "site_survey"
    MAINTENANCE = "maintenance"
    FOLLOW_UP = "follow_up"


class Skill(Base):
    """A skill code; `certified` ones also need a certification valid on the visit's day."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    certified: Mapped[bool] = mapped_column(default=False)


class Equipment(Base):
    __tablename__ = "equipment"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))


class RequirementSet(Base):
    """What a piece of work needs; visit types, visits and diagnoses each own one.

    One set of row tables for all three owners keeps "who can do this" and "what needs this
    part" single queries, and lets a repair copy a diagnosis row for row.
    """

    __tablename__ = "requirement_sets"

    id: Mapped[int] = mapped_column(primary_key=True)

    skills: Mapped[list["RequiredSkill"]] = relationship(
        cascade="all, delete-orphan", order_by="RequiredSkill.skill_code"
    )
    equipment: Mapped[list["RequiredEquipment"]] = relationship(
        cascade="all, delete-orphan", order_by="RequiredEquipment.equipment_code"
    )
    parts: Mapped[list["RequiredPart"]] = relationship(
        cascade="all, delete-orphan", order_by="RequiredPart.sku"
    )


class RequiredSkill(Base):
    __tablename__ = "required_skills"
    __table_args__ = (CheckConstraint(f"level BETWEEN 1 AND {MAX_LEVEL}", name="level"),)

    requirement_set_id: Mapped[int] = mapped_column(
        ForeignKey("requirement_sets.id", ondelete="CASCADE"), primary_key=True
    )
    skill_code: Mapped[str] = mapped_column(ForeignKey("skills.code"), primary_key=True)
    level: Mapped[int] = mapped_column(default=1)


class RequiredEquipment(Base):
    __tablename__ = "required_equipment"

    requirement_set_id: Mapped[int] = mapped_column(
        ForeignKey("requirement_sets.id", ondelete="CASCADE"), primary_key=True
    )
    equipment_code: Mapped[str] = mapped_column(ForeignKey("equipment.code"), primary_key=True)


class RequiredPart(Base):
    __tablename__ = "required_parts"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity"),)

    requirement_set_id: Mapped[int] = mapped_column(
        ForeignKey("requirement_sets.id", ondelete="CASCADE"), primary_key=True
    )
    sku: Mapped[str] = mapped_column(ForeignKey("parts.sku"), primary_key=True)
    quantity: Mapped[int] = mapped_column(default=1)


class HasRequirements:
    """Flat views of the owner's requirement set, in the shape the API shows them."""

    if TYPE_CHECKING:
        requirements: RequirementSet

    @property
    def required_skills(self) -> list[RequiredSkill]:
        return self.requirements.skills

    @property
    def required_equipment(self) -> list[str]:
        return [row.equipment_code for row in self.requirements.equipment]

    @property
    def required_parts(self) -> list[RequiredPart]:
        return self.requirements.parts


class VisitType(HasRequirements, Base):
    """A template: a visit created with this code starts from its kind, duration and needs."""

    __tablename__ = "visit_types"
    __table_args__ = (
        CheckConstraint("default_duration_minutes > 0", name="default_duration_minutes"),
        CheckConstraint(sql_in("kind", VisitKind), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    default_duration_minutes: Mapped[int]
    requirement_set_id: Mapped[int] = mapped_column(ForeignKey("requirement_sets.id"))

    requirements: Mapped[RequirementSet] = relationship()
