"""Exact SKUs held for a visit: reserved when it is planned, released or consumed at its end."""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from app.catalog.models import RequiredPart
from app.db import utcnow
from app.errors import Conflict
from app.extensions import db
from app.parts.models import LocationKind, Reservation, ReservationStatus, StockLevel, StockLocation


def reserve_parts(visit_id: int, parts: Iterable[RequiredPart]) -> list[Reservation]:
    """Hold each SKU in the warehouse that can have it ready soonest; flush only.

    `reserved = reserved + n` is computed by the database, and the CHECK reserved <= on_hand
    refuses the loser when two visits race for the last unit.
    """
    reservations = []
    for part in parts:
        level = _warehouse_with(part.sku, part.quantity)
        if level is None:
            raise Conflict(
                f"No warehouse has {part.quantity} of {part.sku} free; "
                "count stock in with PUT /stock-locations/{id}/stock first.",
                reasons=[{"code": "out_of_stock", "sku": part.sku, "quantity": part.quantity}],
            )
        level.reserved = StockLevel.reserved + part.quantity
        location = db.session.get(StockLocation, level.location_id)
        reservation = Reservation(
            visit_id=visit_id,
            sku=part.sku,
            quantity=part.quantity,
            location_id=level.location_id,
            ready_at=utcnow() + timedelta(hours=location.lead_time_hours) if location else None,
        )
        db.session.add(reservation)
        reservations.append(reservation)
    db.session.flush()
    return reservations


def release_reservations(visit_id: int) -> None:
    """A cancelled visit gives its parts back to the shelf they were held on."""
    for reservation in held_reservations(visit_id):
        _settle(reservation, ReservationStatus.RELEASED, on_hand_used=0)


def consume_reservations(
    visit_id: int, *, parts_used: Mapping[str, int] | None, substitution_reason: str | None
) -> None:
    """Completion uses up what was held; a different SKU is refused unless explained.

    Sizes and variants are separate SKUs, so a technician fitting another SKU than the one
    reserved is exactly the mistake this catches.
    """
    held = held_reservations(visit_id)
    if parts_used is not None:
        _refuse_silent_substitution(held, parts_used, substitution_reason)
    for reservation in held:
        _settle(reservation, ReservationStatus.CONSUMED, on_hand_used=reservation.quantity)


def held_reservations(visit_id: int) -> list[Reservation]:
    return list(
        db.session.scalars(
            select(Reservation)
            .where(Reservation.visit_id == visit_id, Reservation.status == ReservationStatus.HELD)
            .order_by(Reservation.sku)
        )
    )


def parts_ready_at(visit_id: int) -> datetime | None:
    """The visit's not-before: when the last held warehouse reservation can be collected."""
    return db.session.scalar(
        select(func.max(Reservation.ready_at)).where(
            Reservation.visit_id == visit_id, Reservation.status == ReservationStatus.HELD
        )
    )


def van_stock(technician_id: int) -> dict[str, int]:
    """Free units on the technician's van by SKU: what they could fit without a reservation."""
    rows = db.session.execute(
        select(StockLevel.sku, StockLevel.on_hand - StockLevel.reserved)
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .where(StockLocation.technician_id == technician_id, StockLocation.kind == LocationKind.VAN)
    )
    return {sku: free for sku, free in rows if free > 0}


def _warehouse_with(sku: str, quantity: int) -> StockLevel | None:
    return db.session.scalar(
        select(StockLevel)
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .where(
            StockLevel.sku == sku,
            StockLocation.kind == LocationKind.WAREHOUSE,
            StockLevel.on_hand - StockLevel.reserved >= quantity,
        )
        .order_by(StockLocation.lead_time_hours, StockLocation.id)
        .limit(1)
    )


def _settle(reservation: Reservation, status: ReservationStatus, *, on_hand_used: int) -> None:
    level = db.session.get(StockLevel, (reservation.location_id, reservation.sku))
    if level is not None:
        level.reserved = StockLevel.reserved - reservation.quantity
        level.on_hand = StockLevel.on_hand - on_hand_used
    reservation.status = status
    db.session.flush()


def _refuse_silent_substitution(
    held: list[Reservation], parts_used: Mapping[str, int], substitution_reason: str | None
) -> None:
    reserved = {reservation.sku for reservation in held}
    differing = sorted(set(parts_used) - reserved)
    if not differing or not reserved or substitution_reason:
        return
    missing = sorted(reserved - set(parts_used)) or sorted(reserved)
    pairs: list[dict[str, Any]] = [
        {"code": "part_substituted", "used": used, "reserved": missing} for used in differing
    ]
    raise Conflict(
        f"Used {', '.join(differing)} but {', '.join(missing)} was reserved; "
        "give substitution_reason if the other SKU was fitted on purpose.",
        reasons=pairs,
    )
