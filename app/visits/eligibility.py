"""Builds the skills/ inputs for a visit and a technician from rows; the rules live in skills/.

The assignment guard, the candidates list and (later) the planner's input all come through
here, so the API and the optimiser can never disagree about who may do a visit.
"""

from datetime import UTC, datetime, time, timedelta
from math import asin, cos, radians, sin, sqrt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.catalog.models import Skill
from app.customers.models import PreferenceKind, Site, TechnicianPreference
from app.extensions import db
from app.parts.reservations import parts_ready_at, van_stock
from app.technicians.models import Technician, TimeOff
from app.visits.models import ACTIVE_BOOKING, Visit, VisitStatus
from skills import Interval, Qualification, Requirement

EARTH_RADIUS_KM = 6371.0


def requirement_for(visit: Visit, *, start: datetime | None = None) -> Requirement:
    """What the visit needs; with `start`, also when it would happen (shift, bookings...)."""
    case = visit.case
    when = start or visit.window_start
    zone = ZoneInfo(case.site.timezone) if case.site else UTC
    skills = {row.skill_code: row.level for row in visit.requirements.skills}
    return Requirement(
        visit_id=visit.id,
        day=when.astimezone(zone).date(),
        skills=skills,
        certifications=frozenset(
            db.session.scalars(select(Skill.code).where(Skill.code.in_(skills), Skill.certified))
        ),
        equipment=frozenset(visit.required_equipment),
        parts={row.sku: row.quantity for row in visit.requirements.parts},
        parts_ready_at=parts_ready_at(visit.id),
        pending_prerequisites=frozenset(
            required.id
            for required in visit.prerequisites
            if required.status != VisitStatus.COMPLETED
        ),
        excluded_technicians=excluded_technicians(case.customer_id),
        slot=Interval(start, start + timedelta(minutes=visit.duration_minutes)) if start else None,
    )


def qualification_for(technician: Technician, *, at: datetime) -> Qualification:
    """What the technician brings on their local day containing `at`."""
    zone = ZoneInfo(technician.timezone)
    day = at.astimezone(zone).date()
    day_start = datetime.combine(day, time(), zone)
    day_end = day_start + timedelta(days=1)
    return Qualification(
        technician_id=technician.id,
        skills={row.skill_code: row.level for row in technician.skills},
        certifications={row.skill_code: row.valid_until for row in technician.certifications},
        equipment=frozenset(row.equipment_code for row in technician.equipment),
        van_stock=van_stock(technician.id),
        shifts=tuple(
            Interval(
                datetime.combine(day, shift.start_time, zone).astimezone(UTC),
                datetime.combine(day, shift.end_time, zone).astimezone(UTC),
            )
            for shift in technician.shifts
            if shift.weekday == day.weekday()
        ),
        time_off=_time_off(technician.id, day_start, day_end),
        bookings=_bookings(
            technician.id, day_start - timedelta(days=1), day_end + timedelta(days=1)
        ),
    )


def excluded_technicians(customer_id: int) -> frozenset[int]:
    return frozenset(
        db.session.scalars(
            select(TechnicianPreference.technician_id).where(
                TechnicianPreference.customer_id == customer_id,
                TechnicianPreference.kind == PreferenceKind.EXCLUDED,
            )
        )
    )


def distance_km(technician: Technician, site: Site | None) -> float | None:
    """Great-circle distance from the technician's home; a ranking, not a travel time."""
    if site is None:
        return None
    lat1, lon1 = radians(technician.home_latitude), radians(technician.home_longitude)
    lat2, lon2 = radians(site.latitude), radians(site.longitude)
    a = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return round(2 * EARTH_RADIUS_KM * asin(sqrt(a)), 2)


def _time_off(technician_id: int, start: datetime, end: datetime) -> tuple[Interval, ...]:
    rows = db.session.scalars(
        select(TimeOff).where(
            TimeOff.technician_id == technician_id, TimeOff.start_at < end, TimeOff.end_at > start
        )
    )
    return tuple(Interval(row.start_at, row.end_at) for row in rows)


def _bookings(technician_id: int, start: datetime, end: datetime) -> dict[int, Interval]:
    rows = db.session.execute(
        select(Visit.id, Visit.start_at, Visit.end_at).where(
            Visit.technician_id == technician_id,
            Visit.status.in_(ACTIVE_BOOKING),
            Visit.start_at < end,
            Visit.end_at > start,
        )
    )
    return {visit_id: Interval(begin, finish) for visit_id, begin, finish in rows}
