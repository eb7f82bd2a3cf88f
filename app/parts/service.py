"""Use cases for parts: SKUs, stock locations and what is on hand where."""

from typing import Any

from sqlalchemy import Select, or_, select

from app.common.paging import Page, paginate
from app.common.search import contains
from app.errors import Conflict, NotFound, RuleViolation
from app.extensions import db
from app.parts.models import LocationKind, Part, StockLevel, StockLocation
from app.technicians.models import Technician


def create_part(sku: str, *, name: str, attributes: dict[str, Any]) -> Part:
    if db.session.scalar(select(Part.id).where(Part.sku == sku)):
        raise Conflict(f"SKU '{sku}' already exists; a size or variant needs its own SKU.")
    part = Part(sku=sku, name=name, attributes=attributes)
    db.session.add(part)
    db.session.flush()
    return part


def list_parts(*, page: int, page_size: int, q: str | None = None) -> Page:
    query: Select[Any] = select(Part).order_by(Part.sku)
    if q:
        query = query.where(or_(contains(Part.sku, q), contains(Part.name, q)))
    return paginate(query, page=page, page_size=page_size)


def create_stock_location(
    name: str, *, kind: str, technician_id: int | None = None, lead_time_hours: int = 24
) -> StockLocation:
    if technician_id is not None:
        _check_driver(kind, technician_id)
    location = StockLocation(
        name=name, kind=kind, technician_id=technician_id, lead_time_hours=lead_time_hours
    )
    db.session.add(location)
    db.session.flush()
    return location


def list_stock_locations(*, page: int, page_size: int) -> Page:
    return paginate(
        select(StockLocation).order_by(StockLocation.id), page=page, page_size=page_size
    )


def get_stock_location(location_id: int) -> StockLocation:
    location = db.session.get(StockLocation, location_id)
    if location is None:
        raise NotFound(f"Stock location {location_id} does not exist.")
    return location


def set_stock(location_id: int, *, sku: str, on_hand: int) -> StockLevel:
    """Set what is physically there (a count); what is reserved stays reserved."""
    get_stock_location(location_id)
    if not db.session.scalar(select(Part.id).where(Part.sku == sku)):
        raise RuleViolation(f"Unknown SKU '{sku}'.", errors={"sku": ["Add it with POST /parts."]})
    level = db.session.get(StockLevel, (location_id, sku)) or StockLevel(
        location_id=location_id, sku=sku, reserved=0
    )
    if on_hand < level.reserved:
        raise Conflict(
            f"{level.reserved} of {sku} are reserved here; on hand cannot go below that.",
            reserved=level.reserved,
        )
    level.on_hand = on_hand
    db.session.add(level)
    db.session.flush()
    return level


def list_stock(location_id: int) -> list[StockLevel]:
    get_stock_location(location_id)
    return list(
        db.session.scalars(
            select(StockLevel).where(StockLevel.location_id == location_id).order_by(StockLevel.sku)
        )
    )


def _check_driver(kind: str, technician_id: int) -> None:
    if kind != LocationKind.VAN:
        raise RuleViolation(
            "Only a van has a technician.",
            errors={"technician_id": ["Leave it out for a warehouse."]},
        )
    if db.session.get(Technician, technician_id) is None:
        raise NotFound(f"Technician {technician_id} does not exist.")
    if db.session.scalar(
        select(StockLocation.id).where(StockLocation.technician_id == technician_id)
    ):
        raise Conflict(f"Technician {technician_id} already has a van.")
