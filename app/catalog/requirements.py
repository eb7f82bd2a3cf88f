"""Requirement sets: built from codes the catalog knows, copied from a diagnosis to a repair."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from app.catalog.models import (
    Equipment,
    RequiredEquipment,
    RequiredPart,
    RequiredSkill,
    RequirementSet,
    Skill,
)
from app.errors import RuleViolation
from app.extensions import db
from app.parts.models import Part


def build_requirement_set(
    *,
    required_skills: Iterable[Mapping[str, Any]] = (),
    required_equipment: Iterable[str] = (),
    required_parts: Iterable[Mapping[str, Any]] = (),
) -> RequirementSet:
    """Flush a new set; every code must already be in the catalog."""
    skills, parts = list(required_skills), list(required_parts)
    equipment = list(dict.fromkeys(required_equipment))
    refuse_unknown_codes(
        required_skills=[row["skill_code"] for row in skills],
        required_equipment=equipment,
        required_parts=[row["sku"] for row in parts],
    )
    requirements = RequirementSet(
        skills=[RequiredSkill(**row) for row in skills],
        equipment=[RequiredEquipment(equipment_code=code) for code in equipment],
        parts=[RequiredPart(**row) for row in parts],
    )
    db.session.add(requirements)
    db.session.flush()
    return requirements


def copy_requirement_set(source: RequirementSet) -> RequirementSet:
    """A repair inherits its diagnosis's needs as its own rows, so later edits stay apart."""
    return build_requirement_set(
        required_skills=[{"skill_code": r.skill_code, "level": r.level} for r in source.skills],
        required_equipment=[row.equipment_code for row in source.equipment],
        required_parts=[{"sku": row.sku, "quantity": row.quantity} for row in source.parts],
    )


_CATALOGS = {
    "required_skills": (Skill.code, "skill code", "POST /skills"),
    "skills": (Skill.code, "skill code", "POST /skills"),
    "certifications": (Skill.code, "skill code", "POST /skills"),
    "required_equipment": (Equipment.code, "equipment code", "POST /equipment"),
    "equipment": (Equipment.code, "equipment code", "POST /equipment"),
    "required_parts": (Part.sku, "SKU", "POST /parts"),
}


def refuse_unknown_codes(**codes_by_field: Iterable[str]) -> None:
    """422 naming each unknown code and listing the known ones, field by field."""
    errors: dict[str, list[str]] = {}
    for field, codes in codes_by_field.items():
        column, noun, create_with = _CATALOGS[field]
        wanted = set(codes)
        if not wanted:
            continue
        known = set(db.session.scalars(select(column)))
        unknown = sorted(wanted - known)
        if unknown:
            errors[field] = [
                f"Unknown {noun}: {', '.join(unknown)}. Known: {', '.join(sorted(known)) or 'none'}"
                f" (add one with {create_with})."
            ]
    if errors:
        raise RuleViolation("Some codes are not in the catalog.", errors=errors)
