"""Which visits a plan day covers, which territory solves each, and each visit's state."""

import hashlib
import json
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.cases.models import Case
from app.errors import RuleViolation
from app.extensions import db
from app.technicians.models import Technician
from app.technicians.service import active_technicians
from app.visits.eligibility import distance_km
from app.visits.models import Visit, VisitStatus

S = VisitStatus
PLANNABLE = (S.UNASSIGNED, S.SCHEDULED, S.EN_ROUTE, S.ON_SITE)
MOVABLE = (S.UNASSIGNED, S.SCHEDULED)
IN_PROGRESS = (S.EN_ROUTE, S.ON_SITE)
# UTC offsets run from -12 to +14 hours: this UTC range holds every zone's local day.
EARLIEST_OFFSET, LATEST_OFFSET = timedelta(hours=14), timedelta(hours=12)

Parts = dict[str | None, list[int]]


def local_day(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The day's first instant and the next day's, in UTC, as seen in `zone`."""
    start = datetime.combine(day, time(), zone)
    end = datetime.combine(day + timedelta(days=1), time(), zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def site_zone(visit: Visit) -> ZoneInfo:
    site = visit.case.site
    return ZoneInfo(site.timezone) if site else ZoneInfo("UTC")


def day_visits(day: date) -> list[Visit]:
    """Open visits whose window overlaps the day in their site's time zone."""
    midnight = datetime.combine(day, time(), UTC)
    rows = db.session.scalars(
        select(Visit)
        .where(
            Visit.status.in_(PLANNABLE),
            Visit.window_start < midnight + timedelta(days=1) + LATEST_OFFSET,
            Visit.window_end > midnight - EARLIEST_OFFSET,
        )
        .options(joinedload(Visit.case).joinedload(Case.site), joinedload(Visit.technician))
        .order_by(Visit.id)
    )
    visits = []
    for visit in rows:
        start, end = local_day(day, site_zone(visit))
        if visit.window_start < end and visit.window_end > start:
            visits.append(visit)
    return visits


def plan_parts(day: date, *, territory: str | None, visit_ids: list[int] | None) -> Parts:
    """Visit ids per territory; with `visit_ids`, other unbooked visits stay out of the run.

    Booked visits are always in, so a run knows how each technician's day is already filled;
    they are pinned unless chosen. A booked visit goes to its technician's territory, an
    unbooked one to the territory of the active technician living nearest.
    """
    visits = day_visits(day)
    if visit_ids is not None:
        _refuse_unplannable(visit_ids, visits)
    technicians = active_technicians()
    parts: Parts = {}
    for visit in visits:
        if visit.technician_id is None and visit_ids is not None and visit.id not in visit_ids:
            continue
        parts.setdefault(territory_of(visit, technicians), []).append(visit.id)
    if territory is not None:
        return {territory: parts.get(territory, [])}
    return parts or {None: []}


def is_pinned(visit: Visit, chosen: Collection[int] | None) -> bool:
    """A booking the run may not move: in progress, locked, or not among the chosen visits."""
    if visit.technician_id is None:
        return False
    return (
        visit.status in IN_PROGRESS
        or visit.locked
        or (chosen is not None and visit.id not in chosen)
    )


def fingerprint(visit: Visit) -> str:
    """Everything about a visit a plan relied on; any change makes the plan stale for it."""
    state = [
        visit.status,
        visit.technician_id,
        visit.start_at,
        visit.end_at,
        visit.window_start,
        visit.window_end,
        visit.duration_minutes,
        visit.requirement_set_id,
        visit.locked,
    ]
    encoded = json.dumps(state, default=lambda value: value.isoformat()).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def territory_of(visit: Visit, technicians: list[Technician]) -> str | None:
    """A booked visit's technician's territory; an unbooked one's nearest active technician's."""
    if visit.technician is not None:
        return visit.technician.territory
    site = visit.case.site
    if site is None or not technicians:
        return None
    nearest = min(technicians, key=lambda technician: distance_km(technician, site) or 0.0)
    return nearest.territory


def _refuse_unplannable(visit_ids: list[int], visits: list[Visit]) -> None:
    movable = {visit.id for visit in visits if visit.status in MOVABLE and not visit.locked}
    unknown = sorted(set(visit_ids) - movable)
    if unknown:
        raise RuleViolation(
            "Some visits cannot be planned on that day.",
            errors={
                "visit_ids": [
                    f"Not unassigned or scheduled (and unlocked) visits of the day: {unknown}."
                ]
            },
        )
