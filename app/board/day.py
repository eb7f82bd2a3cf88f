"""Which visits fall on a day: the booking (or, unbooked, the window) meets the site's local day."""

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import joinedload

from app.cases.models import Case
from app.customers.models import Site
from app.extensions import db
from app.plans.scope import local_day, territory_of
from app.technicians.service import active_technicians
from app.visits.models import Visit

UTC_NAME = "UTC"
SITE_ZONE = func.coalesce(Site.timezone, UTC_NAME)
BEGINS = func.coalesce(Visit.start_at, Visit.window_start)
ENDS = func.coalesce(Visit.end_at, Visit.window_end)


def on_local_day(day: date) -> ColumnElement[bool]:
    """One bound pair per time zone in use, so the database filters (and pages) by itself.

    Needs Site joined (outer: a visit without a site counts in UTC).
    """
    zones = set(db.session.scalars(select(Site.timezone).distinct())) | {UTC_NAME}
    clauses = []
    for zone in sorted(zones):
        start, end = local_day(day, ZoneInfo(zone))
        clauses.append(and_(zone == SITE_ZONE, end > BEGINS, start < ENDS))
    return or_(*clauses)


def in_territory(territory: str, day: date | None) -> ColumnElement[bool]:
    """Booked: the technician's territory. Unbooked: the nearest active technician's, as plan
    runs split a day; that distance is computed here, over the unbooked visits only."""
    from_technician = Visit.technician.has(territory=territory)
    query: Any = select(Visit).where(Visit.technician_id.is_(None))
    query = query.join(Visit.case).outerjoin(Site, Case.site_id == Site.id)
    if day is not None:
        query = query.where(on_local_day(day))
    technicians = active_technicians()
    unbooked = db.session.scalars(query.options(joinedload(Visit.case).joinedload(Case.site)))
    nearest = [v.id for v in unbooked if territory_of(v, technicians) == territory]
    return or_(from_technician, Visit.id.in_(nearest) if nearest else false())
