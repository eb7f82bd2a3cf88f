"""Rows -> dispatch.Problem for one part of a plan; who may do what comes from skills/ only.

Times are integer seconds from midnight UTC of the plan day (the epoch); windows are rounded
inwards so every start the solver picks is one the assignment guard accepts.
"""

import math
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

import dispatch
from app.cases.models import Case, Priority
from app.customers.models import PreferenceKind, Site, TechnicianPreference
from app.extensions import db
from app.plans.models import PlanPart
from app.plans.scope import PLANNABLE, fingerprint, is_pinned, local_day, site_zone
from app.technicians.models import Technician
from app.technicians.service import active_technicians
from app.visits.eligibility import qualification_for, requirement_for
from app.visits.models import EventType, Visit, VisitEvent
from dispatch import Code, Reason
from skills import Interval, Qualification, explain
from skills import Reason as SkillReason

TRAVEL = dispatch.HaversineTravel()
PRIORITY = {Priority.LOW: 1, Priority.NORMAL: 2, Priority.HIGH: 4, Priority.URGENT: 8}
# Reports that put a technician at (or on the way to) a visit's site.
FIELD_EVENTS = (
    EventType.EN_ROUTE,
    EventType.ON_SITE,
    EventType.COMPLETED,
    EventType.INCOMPLETE,
    EventType.NO_ACCESS,
)
NOWHERE = (0.0, 0.0)  # location of a blocked visit without a site: it is never driven to


@dataclass(frozen=True)
class Working:
    """A technician on shift that day: what they bring, when they are free, where they are."""

    technician: Technician
    qualification: Qualification
    free: Interval
    position: tuple[float, float]


@dataclass(frozen=True)
class Built:
    problem: dispatch.Problem
    epoch: datetime
    explanations: dict[str, list[dict[str, Any]]]
    fingerprints: dict[str, str]


def build_problem(part: PlanPart, *, now: datetime) -> Built:
    """The part's visits and its territory's working technicians as a dispatch.Problem."""
    plan = part.plan
    epoch = datetime.combine(plan.day, time(), UTC)
    working = working_technicians(plan.day, part.territory, now=now)
    visits = _load(part.visit_ids)
    preferred = _preferred({visit.case.customer_id for visit in visits})
    explanations: dict[str, list[dict[str, Any]]] = {}
    planned = []
    for visit in visits:
        if is_pinned(visit, plan.visit_ids) and visit.status in PLANNABLE:
            planned.append(_pinned(visit, working, epoch))
            continue
        wished = preferred.get(visit.case.customer_id, frozenset())
        movable, nobody = _movable(visit, plan.day, working, epoch, wished)
        planned.append(movable)
        if nobody is not None:
            explanations[str(visit.id)] = nobody
    return Built(
        problem=dispatch.Problem(
            technicians=tuple(_technician(w, planned, epoch) for w in working.values()),
            visits=tuple(planned),
            travel=TRAVEL,
        ),
        epoch=epoch,
        explanations=explanations,
        fingerprints={str(visit.id): fingerprint(visit) for visit in visits},
    )


def working_technicians(day: date, territory: str | None, *, now: datetime) -> dict[int, Working]:
    """Active technicians of the territory with free time left on their local day."""
    working = {}
    for technician in active_technicians():
        if technician.territory != territory:
            continue
        zone = ZoneInfo(technician.timezone)
        qualification = qualification_for(technician, at=datetime.combine(day, time(12), zone))
        free = longest_free(qualification, now=now)
        if free is not None:
            position = last_position(technician, *local_day(day, zone))
            working[technician.id] = Working(technician, qualification, free, position)
    return working


def longest_free(qualification: Qualification, *, now: datetime) -> Interval | None:
    """The longest stretch of a shift not in time off nor already past.

    The solver gives a technician one window a day; the longest piece never lets it plan work
    in time off or in a gap between two shifts, which the assignment guard would refuse.
    """
    pieces = [(max(shift.start, now), shift.end) for shift in qualification.shifts]
    for off in qualification.time_off:
        pieces = [
            piece
            for start, end in pieces
            for piece in ((start, min(end, off.start)), (max(start, off.end), end))
            if piece[0] < piece[1]
        ]
    pieces = [(start, end) for start, end in pieces if start < end]
    if not pieces:
        return None
    return Interval(*max(pieces, key=lambda piece: piece[1] - piece[0]))


def last_position(technician: Technician, start: datetime, end: datetime) -> tuple[float, float]:
    """Where the technician last reported from that day, else home.

    Visit events carry no coordinates, so a report places the technician at its visit's site.
    """
    site = db.session.execute(
        select(Site.latitude, Site.longitude)
        .select_from(VisitEvent)
        .join(Visit, Visit.id == VisitEvent.visit_id)
        .join(Case, Case.id == Visit.case_id)
        .join(Site, Site.id == Case.site_id)
        .where(
            VisitEvent.technician_id == technician.id,
            VisitEvent.type.in_(FIELD_EVENTS),
            VisitEvent.at >= start,
            VisitEvent.at < end,
        )
        .order_by(VisitEvent.at.desc(), VisitEvent.id.desc())
        .limit(1)
    ).first()
    if site is None:
        return technician.home_latitude, technician.home_longitude
    return site.latitude, site.longitude


def seconds(moment: datetime, epoch: datetime, *, up: bool) -> int:
    offset = (moment - epoch).total_seconds()
    return math.ceil(offset) if up else math.floor(offset)


def _load(visit_ids: list[int]) -> list[Visit]:
    return list(
        db.session.scalars(
            select(Visit)
            .where(Visit.id.in_(visit_ids))
            .options(
                joinedload(Visit.case).joinedload(Case.site),
                selectinload(Visit.prerequisites),
            )
            .order_by(Visit.id)
        )
    )


def _base(visit: Visit) -> dict[str, Any]:
    site = visit.case.site
    return {
        "id": str(visit.id),
        "location": (site.latitude, site.longitude) if site else NOWHERE,
        "duration": visit.duration_minutes * 60,
        "priority": PRIORITY[Priority(visit.case.priority)],
    }


def _blocked(visit: Visit, reason: Reason) -> dispatch.Visit:
    # Blocked visits go straight to the unassigned list; their window is never read.
    placeholder = (dispatch.TimeWindow(0, 0),)
    return dispatch.Visit(
        **_base(visit), windows=placeholder, eligible=frozenset(), blocked_by=(reason,)
    )


def _pinned(visit: Visit, working: dict[int, Working], epoch: datetime) -> dispatch.Visit:
    assert visit.technician_id is not None and visit.start_at is not None
    if visit.technician_id not in working:
        return _blocked(
            visit,
            Reason(
                "technician_not_working",
                f"Booked with technician {visit.technician_id}, who has no free shift "
                "in this run; the booking is kept as it is.",
            ),
        )
    start = seconds(visit.start_at, epoch, up=True)
    technician = str(visit.technician_id)
    return dispatch.Visit(
        **_base(visit),
        windows=(dispatch.TimeWindow(start, start),),
        eligible=frozenset({technician}),
        pin=dispatch.Pin(technician, start=start),
    )


def _preferred(customer_ids: set[int]) -> dict[int, frozenset[str]]:
    """The technicians each customer prefers, as solver ids; one query for the whole part."""
    rows = db.session.execute(
        select(TechnicianPreference.customer_id, TechnicianPreference.technician_id).where(
            TechnicianPreference.customer_id.in_(customer_ids),
            TechnicianPreference.kind == PreferenceKind.PREFERRED,
        )
    )
    preferred: dict[int, set[str]] = {}
    for customer_id, technician_id in rows:
        preferred.setdefault(customer_id, set()).add(str(technician_id))
    return {customer: frozenset(ids) for customer, ids in preferred.items()}


def _booking(visit: Visit, epoch: datetime) -> dispatch.Booking | None:
    """What the customer was told, if anything: a re-plan moves it only when that pays."""
    if visit.technician_id is None or visit.start_at is None:
        return None
    return dispatch.Booking(str(visit.technician_id), seconds(visit.start_at, epoch, up=True))


def _movable(
    visit: Visit,
    day: date,
    working: dict[int, Working],
    epoch: datetime,
    preferred: frozenset[str] = frozenset(),
) -> tuple[dispatch.Visit, list[dict[str, Any]] | None]:
    """The visit with its eligible technicians; when there are none, every one's reasons."""
    if visit.status not in PLANNABLE:
        return _blocked(visit, Reason("visit_closed", f"The visit is {visit.status} now.")), None
    if visit.case.site is None:
        return _blocked(visit, Reason("no_site", "The case has no site to drive to.")), None
    requirement = replace(requirement_for(visit), day=day)
    if requirement.pending_prerequisites:
        pending = ", ".join(str(i) for i in sorted(requirement.pending_prerequisites))
        reason = Reason(Code.PREREQUISITE_PENDING, f"Visits {pending} must be completed first.")
        return _blocked(visit, reason), None
    window = _window(visit, day, requirement.parts_ready_at, epoch)
    if isinstance(window, Reason):
        return _blocked(visit, window), None
    reasons = explain(requirement, [w.qualification for w in working.values()])
    eligible = frozenset(str(t) for t, against in reasons.items() if not against)
    planned = dispatch.Visit(
        **_base(visit),
        windows=(window,),
        eligible=eligible,
        booked=_booking(visit, epoch),
        preferred=preferred,
    )
    return planned, None if eligible else _as_json(reasons)


def _window(
    visit: Visit, day: date, ready_at: datetime | None, epoch: datetime
) -> dispatch.TimeWindow | Reason:
    """When service may start: inside the visit's window, the local day, after the parts."""
    day_start, day_end = local_day(day, site_zone(visit))
    opens = max(visit.window_start, day_start)
    earliest = max(opens, ready_at) if ready_at else opens
    latest = min(visit.window_end, day_end) - timedelta(minutes=visit.duration_minutes)
    first, last = seconds(earliest, epoch, up=True), seconds(latest, epoch, up=False)
    if first <= last:
        return dispatch.TimeWindow(first, last)
    if ready_at is not None and ready_at > opens:
        return Reason(
            Code.PARTS_NOT_READY,
            f"The reserved parts are ready at {ready_at.isoformat()}, too late for the window.",
        )
    return Reason(
        Code.WINDOW_UNREACHABLE,
        f"The window leaves no room for {visit.duration_minutes} minutes on {day}.",
    )


def _as_json(reasons: dict[int, list[SkillReason]]) -> list[dict[str, Any]]:
    return [
        {
            "technician_id": technician_id,
            "reasons": [{"code": r.code.value, "detail": r.detail} for r in against],
        }
        for technician_id, against in reasons.items()
    ]


def _technician(
    working: Working, visits: list[dispatch.Visit], epoch: datetime
) -> dispatch.Technician:
    """The free window, widened to take in its pinned visits (one already under way)."""
    technician = working.technician
    pins = [
        v.pin.start
        for v in visits
        if v.pin is not None and v.pin.technician == str(technician.id) and v.pin.start is not None
    ]
    start = min([seconds(working.free.start, epoch, up=True), *pins])
    return dispatch.Technician(
        id=str(technician.id),
        shift=dispatch.TimeWindow(start, seconds(working.free.end, epoch, up=False)),
        start=working.position,
        end=(technician.home_latitude, technician.home_longitude),
    )
