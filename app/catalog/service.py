"""Use cases for the catalog: the codes every requirement and qualification must use."""

from typing import Any

from sqlalchemy import select

from app.catalog.models import Equipment, Skill, VisitType
from app.catalog.requirements import build_requirement_set
from app.common.paging import Page, paginate
from app.errors import Conflict
from app.extensions import db

CatalogEntry = Skill | Equipment | VisitType


def create_skill(code: str, *, name: str, certified: bool = False) -> Skill:
    return _add_unique(Skill(code=code, name=name, certified=certified))


def create_equipment(code: str, *, name: str) -> Equipment:
    return _add_unique(Equipment(code=code, name=name))


def create_visit_type(
    code: str, *, name: str, kind: str, default_duration_minutes: int, **requirements: Any
) -> VisitType:
    _refuse_taken(VisitType, code)
    visit_type = VisitType(
        code=code,
        name=name,
        kind=kind,
        default_duration_minutes=default_duration_minutes,
        requirements=build_requirement_set(**requirements),
    )
    return _add_unique(visit_type)


def list_entries(model: type[CatalogEntry], *, page: int, page_size: int) -> Page:
    return paginate(select(model).order_by(model.code), page=page, page_size=page_size)


def find_visit_type(code: str) -> VisitType | None:
    return db.session.scalar(select(VisitType).where(VisitType.code == code))


def _add_unique(entry: CatalogEntry) -> Any:
    _refuse_taken(type(entry), entry.code)
    db.session.add(entry)
    db.session.flush()
    return entry


def _refuse_taken(model: type[CatalogEntry], code: str) -> None:
    if db.session.scalar(select(model.id).where(model.code == code)):
        raise Conflict(f"The code '{code}' is already in the {model.__tablename__} catalog.")
