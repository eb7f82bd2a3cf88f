"""A technician off sick or called away: time off from now on, and the bookings it breaks.

The bookings stay as they are until a dispatcher re-plans (POST /plans): the plan's stability
cost then moves these visits and as few others as it can.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.errors import RuleViolation
from app.extensions import db
from app.technicians.models import TimeOff
from app.technicians.service import get_technician
from app.visits.models import ACTIVE_BOOKING, Visit


@dataclass(frozen=True)
class Unavailability:
    """The time off recorded and the visits booked with the technician inside it."""

    time_off: TimeOff
    affected_visit_ids: list[int]


def mark_unavailable(
    technician_id: int, *, start: datetime, until: datetime | None = None
) -> Unavailability:
    """Flush time off from ``start`` to ``until`` (default: the end of their local day)."""
    technician = get_technician(technician_id)
    if until is None:
        zone = ZoneInfo(technician.timezone)
        local = start.astimezone(zone).date() + timedelta(days=1)
        until = datetime.combine(local, time(), zone)
    if until <= start:
        raise RuleViolation("The technician must be unavailable for some time: until <= from.")
    time_off = TimeOff(technician_id=technician.id, start_at=start, end_at=until)
    db.session.add(time_off)
    db.session.flush()
    affected = db.session.scalars(
        select(Visit.id)
        .where(
            Visit.technician_id == technician.id,
            Visit.status.in_(ACTIVE_BOOKING),
            Visit.start_at < until,
            Visit.end_at > start,
        )
        .order_by(Visit.start_at)
    )
    return Unavailability(time_off, list(affected))
