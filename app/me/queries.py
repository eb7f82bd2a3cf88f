"""The few set-based queries behind a technician's day: each answers for all visits at once.

Each is a UNION ALL of same-shaped rows (as the case timeline does), so a day of one visit and
a day of twenty cost the same number of round trips.
"""

import functools
from collections.abc import Collection
from typing import Any

from sqlalchemy import (
    BindParameter,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
)
from sqlalchemy import union_all as union
from sqlalchemy.engine import Row

from app.cases.models import Interaction
from app.catalog.models import Equipment, RequiredEquipment, RequiredPart, RequiredSkill, Skill
from app.db import UTCDateTime
from app.extensions import db
from app.parts.models import Part, Reservation, ReservationStatus, StockLevel, StockLocation
from app.visits.models import EventType, Visit, VisitEvent, visit_prerequisites

LAST_INTERACTIONS = 5
OUTCOMES = (EventType.COMPLETED, EventType.INCOMPLETE, EventType.NO_ACCESS)


def requirement_rows(
    set_ids: Collection[int], *, visit_ids: Collection[int], van_id: int | None
) -> list[Row[Any]]:
    """Skills, equipment and parts of these requirement sets; parts with where they come from.

    A part row of a visit's set carries its reservation's location (the warehouse to pick it
    up from, and when it is ready) and how many free units the technician's van holds.
    """
    params = {"set_ids": list(set_ids), "visit_ids": list(visit_ids), "van_id": van_id}
    return list(db.session.execute(_requirements(), params))


def history_rows(case_ids: Collection[int], visit_ids: Collection[int]) -> list[Row[Any]]:
    """The last interactions of each case, how its earlier visits ended, and prerequisites."""
    params = {"case_ids": list(case_ids), "visit_ids": list(visit_ids)}
    return list(db.session.execute(_history(), params))


# Built once, on first use: constructing these unions costs a cached day's build more than
# running them does.
@functools.cache
def _requirements() -> Select[Any]:
    set_ids, visit_ids = _ids("set_ids"), _ids("visit_ids")
    van = StockLevel.__table__.alias("van")
    skills = select(
        RequiredSkill.requirement_set_id.label("set_id"),
        literal("skill").label("kind"),
        RequiredSkill.skill_code.label("code"),
        Skill.name.label("name"),
        RequiredSkill.level.label("amount"),
        *_no_source(),
    ).join(Skill, Skill.code == RequiredSkill.skill_code)
    equipment = select(
        RequiredEquipment.requirement_set_id,
        literal("equipment"),
        RequiredEquipment.equipment_code,
        Equipment.name,
        cast(null(), Integer),
        *_no_source(),
    ).join(Equipment, Equipment.code == RequiredEquipment.equipment_code)
    parts = (
        select(
            RequiredPart.requirement_set_id,
            literal("part"),
            RequiredPart.sku,
            Part.name,
            RequiredPart.quantity,
            StockLocation.kind,
            StockLocation.name,
            Reservation.ready_at,
            Reservation.status,
            func.coalesce(van.c.on_hand - van.c.reserved, 0),
        )
        .join(Part, Part.sku == RequiredPart.sku)
        # By primary key: requirement_set_id is not indexed on visits, and need not be.
        .outerjoin(
            Visit,
            and_(
                Visit.id.in_(visit_ids), Visit.requirement_set_id == RequiredPart.requirement_set_id
            ),
        )
        .outerjoin(
            Reservation,
            and_(
                Reservation.visit_id == Visit.id,
                Reservation.sku == RequiredPart.sku,
                Reservation.status != ReservationStatus.RELEASED,
            ),
        )
        .outerjoin(StockLocation, StockLocation.id == Reservation.location_id)
        .outerjoin(
            van, and_(van.c.location_id == bindparam("van_id"), van.c.sku == RequiredPart.sku)
        )
    )
    chosen = [query.where(query.selected_columns[0].in_(set_ids)) for query in (skills, equipment)]
    chosen.append(parts.where(RequiredPart.requirement_set_id.in_(set_ids)))
    rows = union(*chosen).subquery()
    return select(rows).order_by(rows.c.set_id, rows.c.kind, rows.c.code)


@functools.cache
def _history() -> Select[Any]:
    case_ids, visit_ids = _ids("case_ids"), _ids("visit_ids")
    ranked = (
        select(
            Interaction,
            func.row_number()
            .over(partition_by=Interaction.case_id, order_by=Interaction.occurred_at.desc())
            .label("rank"),
        )
        .where(Interaction.case_id.in_(case_ids))
        .subquery()
    )
    interactions = select(
        ranked.c.case_id,
        literal("interaction").label("kind"),
        ranked.c.id.label("ref_id"),
        cast(null(), Integer).label("visit_id"),
        ranked.c.occurred_at.label("at"),
        ranked.c.channel.label("label"),
        ranked.c.summary.label("summary"),
        ranked.c.outcome.label("state"),
    ).where(ranked.c.rank <= LAST_INTERACTIONS)
    outcomes = (
        select(
            Visit.case_id,
            literal("outcome"),
            VisitEvent.id,
            VisitEvent.visit_id,
            VisitEvent.at,
            VisitEvent.type,
            func.coalesce(VisitEvent.reason, VisitEvent.note),
            Visit.kind,
        )
        .join(Visit, Visit.id == VisitEvent.visit_id)
        .where(Visit.case_id.in_(case_ids), VisitEvent.type.in_(OUTCOMES), VisitEvent.applied)
    )
    prerequisites = (
        select(
            Visit.case_id,
            literal("prerequisite"),
            Visit.id,
            visit_prerequisites.c.visit_id,
            Visit.window_start,
            Visit.kind,
            cast(null(), String),
            Visit.status,
        )
        .join(visit_prerequisites, visit_prerequisites.c.requires_id == Visit.id)
        .where(visit_prerequisites.c.visit_id.in_(visit_ids))
    )
    rows = union(interactions, outcomes, prerequisites).subquery()
    return select(rows).order_by(rows.c.case_id, rows.c.at.desc())


def _ids(name: str) -> BindParameter[Any]:
    return bindparam(name, expanding=True)


def _no_source() -> list[Any]:
    return [
        cast(null(), String).label("location_kind"),
        cast(null(), String).label("location_name"),
        cast(null(), UTCDateTime).label("ready_at"),
        cast(null(), String).label("reservation_status"),
        cast(null(), Integer).label("van_free"),
    ]
