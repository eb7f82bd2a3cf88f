"""Windows a customer may move a visit to: where an eligible technician has room.

"Eligible" and "has room" are skills/'s answers, built through app/visits/eligibility from
the same rows the assignment guard reads, so a window offered here is one a dispatcher could
book, and booking it runs the same check again under the write lock.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.technicians.models import Technician
from app.technicians.service import active_technicians
from app.visits.eligibility import qualification_for, requirement_for
from app.visits.models import Visit
from skills import Interval, Qualification, Requirement, check

# Local half-day windows, as customers are offered them over the phone.
WINDOWS = ((time(8), time(12)), (time(12), time(17)))
HORIZON_DAYS = 14
STEP = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Fit:
    """Who takes the visit in a window, and when inside it they would start."""

    technician: Technician
    start: datetime


def open_slots(visit: Visit, *, zone: ZoneInfo, now: datetime) -> list[Slot]:
    """Every window from tomorrow through the horizon with at least one fitting technician."""
    technicians = _current_first(visit, active_technicians())
    base = requirement_for(visit)
    found = []
    for day in _days(zone, now):
        qualifications = _qualifications(technicians, day, zone)
        found += [
            slot
            for slot in _windows(day, zone)
            if _fit(visit, base, slot, day, qualifications) is not None
        ]
    return found


def fit_for(visit: Visit, slot: Slot, *, zone: ZoneInfo, now: datetime) -> Fit | None:
    """The booking that realises a chosen window, or None when it is no longer open.

    A window not among those offered (wrong times, in the past, beyond the horizon) never
    fits, so a client cannot book 03:00 by posting it.
    """
    day = slot.start.astimezone(zone).date()
    if day not in _days(zone, now) or slot not in _windows(day, zone):
        return None
    technicians = _current_first(visit, active_technicians())
    qualifications = _qualifications(technicians, day, zone)
    found = _fit(visit, requirement_for(visit), slot, day, qualifications)
    if found is None:
        return None
    technician_id, start = found
    by_id = {technician.id: technician for technician in technicians}
    return Fit(by_id[technician_id], start)


def _fit(
    visit: Visit,
    base: Requirement,
    slot: Slot,
    day: date,
    qualifications: Sequence[Qualification],
) -> tuple[int, datetime] | None:
    """The first (technician, start) in the window that skills/ finds nothing against."""
    length = timedelta(minutes=visit.duration_minutes)
    for start in _starts(slot, length):
        requirement = replace(base, day=day, slot=Interval(start, start + length))
        for qualification in qualifications:
            if not check(requirement, qualification):
                return qualification.technician_id, start
    return None


def _days(zone: ZoneInfo, now: datetime) -> list[date]:
    today = now.astimezone(zone).date()
    return [today + timedelta(days=offset) for offset in range(1, HORIZON_DAYS + 1)]


def _windows(day: date, zone: ZoneInfo) -> list[Slot]:
    return [
        Slot(datetime.combine(day, begin, zone), datetime.combine(day, end, zone))
        for begin, end in WINDOWS
    ]


def _starts(slot: Slot, length: timedelta) -> Iterator[datetime]:
    start = slot.start
    while start + length <= slot.end:
        yield start
        start += STEP


def _qualifications(
    technicians: Sequence[Technician], day: date, zone: ZoneInfo
) -> list[Qualification]:
    midday = datetime.combine(day, time(12), zone)
    return [qualification_for(technician, at=midday) for technician in technicians]


def _current_first(visit: Visit, technicians: list[Technician]) -> list[Technician]:
    """Keep the booked technician when they have room: the customer moved the time, not them."""
    return sorted(technicians, key=lambda technician: technician.id != visit.technician_id)
