"""Use cases of the board: list a day's visits, and one technician's day as a schedule."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import Role
from app.auth.principal import Principal
from app.board.day import in_territory, on_local_day
from app.cases.models import Case
from app.common.paging import Page, paginate
from app.customers.models import Site
from app.errors import NotFound
from app.extensions import db
from app.plans.scope import local_day
from app.technicians.models import Technician
from app.technicians.service import get_technician, technician_for
from app.visits.models import Visit, VisitStatus
from dispatch import HaversineTravel, eta

TRAVEL = HaversineTravel()  # the dispatcher's model, as the phone's day and plan runs use
LOADED = (
    joinedload(Visit.case).joinedload(Case.site),
    joinedload(Visit.technician),
    selectinload(Visit.prerequisites),
    selectinload(Visit.reservations),
)


def list_visits(
    *,
    page: int,
    page_size: int,
    date: date | None = None,
    technician_id: int | None = None,
    territory: str | None = None,
    status: str | None = None,
    case: str | None = None,
) -> Page:
    """Visits by the site's local day and the other filters, earliest first."""
    query: Any = select(Visit).join(Visit.case).outerjoin(Site, Case.site_id == Site.id)
    if date is not None:
        query = query.where(on_local_day(date))
    if technician_id is not None:
        query = query.where(Visit.technician_id == technician_id)
    if territory is not None:
        query = query.where(in_territory(territory, date))
    if status is not None:
        query = query.where(Visit.status == status)
    if case is not None:
        query = query.where(Case.number == case)
    query = query.options(*LOADED).order_by(Visit.start_at, Visit.window_start, Visit.id)
    return paginate(query, page=page, page_size=page_size)


def technician_schedule(technician_id: int, *, day: date, viewer: Principal) -> dict[str, Any]:
    """The technician's local day: shifts, time off, and bookings with the travel between."""
    if viewer.role is Role.TECHNICIAN:
        own = technician_for(viewer)
        if own is None or own.id != technician_id:
            raise NotFound(f"Technician {technician_id} does not exist.")
    technician = get_technician(technician_id)
    zone = ZoneInfo(technician.timezone)
    start, end = local_day(day, zone)
    return {
        "technician": technician,
        "date": day,
        "timezone": technician.timezone,
        "shifts": [
            {
                "start": datetime.combine(day, shift.start_time, zone),
                "end": datetime.combine(day, shift.end_time, zone),
            }
            for shift in technician.shifts
            if shift.weekday == day.weekday()
        ],
        "time_off": [
            {"start": row.start_at, "end": row.end_at}
            for row in technician.time_off
            if row.start_at < end and row.end_at > start
        ],
        "stops": _stops(technician, _bookings(technician.id, start, end)),
    }


def _bookings(technician_id: int, start: datetime, end: datetime) -> list[Visit]:
    return list(
        db.session.scalars(
            select(Visit)
            .where(
                Visit.technician_id == technician_id,
                Visit.status != VisitStatus.CANCELLED,
                Visit.start_at < end,
                Visit.end_at > start,
            )
            .options(*LOADED)
            .order_by(Visit.start_at, Visit.id)
        )
    )


def _stops(technician: Technician, visits: list[Visit]) -> list[dict[str, Any]]:
    """Each booking with the straight-line travel from the stop before it (home first) and
    the idle time left over between the two (negative: the booking cannot be reached)."""
    here = (technician.home_latitude, technician.home_longitude)
    left_at: datetime | None = None
    stops = []
    for visit in visits:
        site = visit.case.site
        there = (site.latitude, site.longitude) if site else None
        travel = round(eta(TRAVEL, here, there)) if here and there else None
        idle = None
        if left_at is not None and travel is not None and visit.start_at is not None:
            idle = round((visit.start_at - left_at - timedelta(seconds=travel)).total_seconds())
        stops.append(
            {
                "visit": visit,
                "travel_from": "home" if left_at is None else "previous_visit",
                "travel_seconds": travel,
                "idle_seconds": idle,
            }
        )
        here, left_at = there, visit.end_at
    return stops
