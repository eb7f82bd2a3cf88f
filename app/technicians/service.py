"""Use cases for technicians: who they are, what they can do, and when they work."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.auth.principal import Principal
from app.catalog.requirements import refuse_unknown_codes
from app.common.contact import InvalidContact, normalise_email
from app.common.paging import Page, paginate
from app.errors import Conflict, NotFound, RuleViolation
from app.extensions import db
from app.technicians.models import (
    Certification,
    Shift,
    Technician,
    TechnicianEquipment,
    TechnicianSkill,
    TimeOff,
)

_ROWS = {
    "skills": TechnicianSkill,
    "certifications": Certification,
    "shifts": Shift,
    "time_off": TimeOff,
}


def create_technician(name: str, *, email: str, **fields: Any) -> Technician:
    technician = Technician(name=name, email=email, skills=[], equipment=[])
    _apply(technician, fields)
    _set_email(technician, email)
    db.session.add(technician)
    db.session.flush()
    return technician


def update_technician(technician_id: int, **changes: Any) -> Technician:
    technician = get_technician(technician_id)
    if "email" in changes:
        _set_email(technician, changes.pop("email"))
    _apply(technician, changes)
    db.session.flush()
    return technician


def get_technician(technician_id: int) -> Technician:
    technician = db.session.get(Technician, technician_id, options=_full())
    if technician is None:
        raise NotFound(f"Technician {technician_id} does not exist.")
    return technician


def list_technicians(
    *, page: int, page_size: int, territory: str | None = None, active: bool | None = None
) -> Page:
    query: Select[Any] = select(Technician).options(*_full()).order_by(Technician.id)
    if territory is not None:
        query = query.where(Technician.territory == territory)
    if active is not None:
        query = query.where(Technician.active == active)
    return paginate(query, page=page, page_size=page_size)


def active_technicians() -> list[Technician]:
    return list(
        db.session.scalars(
            select(Technician).where(Technician.active).options(*_full()).order_by(Technician.id)
        )
    )


def technician_for(principal: Principal) -> Technician | None:
    """A user with role technician is the technician with the same e-mail."""
    return db.session.scalar(select(Technician).where(Technician.email == principal.email))


def _apply(technician: Technician, fields: Mapping[str, Any]) -> None:
    fields = dict(fields)
    refuse_unknown_codes(
        skills=[row["skill_code"] for row in fields.get("skills", [])],
        certifications=[row["skill_code"] for row in fields.get("certifications", [])],
        equipment=fields.get("equipment", []),
    )
    if "home" in fields:
        home = fields.pop("home")
        technician.home_latitude, technician.home_longitude = home["latitude"], home["longitude"]
    if "equipment" in fields:
        technician.equipment = [
            TechnicianEquipment(equipment_code=code)
            for code in dict.fromkeys(fields.pop("equipment"))
        ]
    for name, model in _ROWS.items():
        if name in fields:
            setattr(technician, name, _rows(model, fields.pop(name)))
    for key, value in fields.items():
        setattr(technician, key, value)


def _rows(model: type, rows: Iterable[Mapping[str, Any]]) -> list[Any]:
    return [model(**row) for row in rows]


def _set_email(technician: Technician, raw: str) -> None:
    try:
        address = normalise_email(raw)
    except InvalidContact as error:
        raise RuleViolation("Invalid e-mail.", errors={"email": [str(error)]}) from error
    taken = db.session.scalar(select(Technician.id).where(Technician.email == address))
    if taken is not None and taken != technician.id:
        raise Conflict(f"Technician {taken} already has the e-mail {address}.")
    technician.email = address


def _full() -> list[Any]:
    return [
        selectinload(Technician.skills),
        selectinload(Technician.certifications),
        selectinload(Technician.equipment),
        selectinload(Technician.shifts),
        selectinload(Technician.time_off),
    ]
