"""Field events: en route, on site, completed... moved by the server-side state machine.

Phones report offline and send later, so an event carries the phone's own time (`at`): one
older than what the visit already went through is kept in order but moves nothing; one for a
visit taken away meanwhile is refused, and the refusal is written on the case.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import exists, func, select

from app.auth.models import Role
from app.auth.principal import Principal
from app.cases.interactions import add_interaction, already_recorded
from app.cases.models import Channel, Direction
from app.db import utcnow
from app.errors import Conflict
from app.extensions import db
from app.notifications.outbox import notify_visit_change
from app.parts.reservations import consume_reservations, release_reservations
from app.technicians.service import technician_for
from app.visits import lifecycle
from app.visits.models import EventType, Visit, VisitEvent, VisitStatus
from app.visits.progress import follow_case
from app.visits.service import get_visit
from dispatch.travel import HaversineTravel, eta

FIELD_EVENTS = tuple(lifecycle.FROM)
# No access and incomplete end the attempt, not the work: the visit goes back to dispatch.
BACK_TO_DISPATCH = (VisitStatus.NO_ACCESS, VisitStatus.INCOMPLETE)
# Reports the customer hears about at once: on the way (with the ETA), cancelled, no access
# (with what happens next) and completed (with the work done and the parts fitted).
TOLD_TO_CUSTOMER = (
    VisitStatus.EN_ROUTE,
    VisitStatus.CANCELLED,
    VisitStatus.NO_ACCESS,
    VisitStatus.COMPLETED,
)


class IllegalTransition(Conflict):
    slug = "illegal-transition"


class EventNoLongerApplies(Conflict):
    slug = "event-no-longer-applies"


def record_event(
    visit_id: int,
    *,
    actor: Principal,
    type: str,
    at: datetime | None = None,
    position: Mapping[str, float] | None = None,
    **details: Any,
) -> VisitEvent:
    """Apply one field report; completion consumes the reserved parts, cancelling frees them.

    A report for a visit cancelled or reassigned while the phone was offline is refused
    (EventNoLongerApplies), and the note about it is written on the case all the same.
    """
    visit = _visit_for_report(visit_id, actor)
    event = VisitEvent(
        visit_id=visit.id,
        type=type,
        at=at or utcnow(),
        technician_id=visit.technician_id,
        actor_id=actor.user_id,
        **{key: details.get(key) for key in ("note", "reason", "substitution_reason")},
        **_position(position),
    )
    stale = _no_longer_applies(visit, actor)
    if stale is not None:
        stale.after_rollback.append(partial(_note_refusal, visit.id, event, actor, stale))
        raise stale
    event.applied = not _superseded(visit, event.at)
    if event.applied:
        _apply(visit, event, details.get("parts_used"))
    db.session.add(event)
    db.session.flush()
    return event


def _visit_for_report(visit_id: int, actor: Principal) -> Visit:
    """Technicians reach a visit that was theirs once, so they can be told it no longer is."""
    visit = db.session.get(Visit, visit_id)
    if visit is not None and actor.role == Role.TECHNICIAN:
        technician = technician_for(actor)
        if technician is not None and _was_assigned(visit.id, technician.id):
            return visit
    return get_visit(visit_id, viewer=actor)


def _was_assigned(visit_id: int, technician_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    VisitEvent.visit_id == visit_id,
                    VisitEvent.type == EventType.ASSIGNED,
                    VisitEvent.technician_id == technician_id,
                )
            )
        )
    )


def _no_longer_applies(visit: Visit, actor: Principal) -> EventNoLongerApplies | None:
    if visit.status == VisitStatus.CANCELLED:
        code, why = "visit_cancelled", "it was cancelled"
    elif actor.role == Role.TECHNICIAN and not _is_theirs(visit, actor):
        code, why = "visit_reassigned", "it is no longer assigned to you"
    else:
        return None
    return EventNoLongerApplies(
        f"Visit {visit.id} no longer takes reports from you: {why}. The report was kept as a "
        f"note on case {visit.case.number}; drop the visit from the phone.",
        reasons=[{"code": code}],
        case_number=visit.case.number,
    )


def _is_theirs(visit: Visit, actor: Principal) -> bool:
    technician = technician_for(actor)
    return technician is not None and visit.technician_id == technician.id


def _note_refusal(
    visit_id: int, event: VisitEvent, actor: Principal, stale: EventNoLongerApplies
) -> None:
    """Once per report: a retry finds the note by its reference instead of adding another."""
    visit = db.session.get_one(Visit, visit_id)
    reference = f"refused-event:{visit.id}:{event.type}:{event.at.isoformat()}"
    if already_recorded(Channel.TECHNICIAN, reference) is not None:
        return
    said = f" ({event.reason or event.note})" if (event.reason or event.note) else ""
    add_interaction(
        visit.case,
        actor=actor,
        channel=Channel.TECHNICIAN,
        direction=Direction.INBOUND,
        summary=f"Not applied: '{event.type}'{said} on visit {visit.id}"[:500],
        body=stale.detail,
        occurred_at=event.at,
        external_ref=reference,
    )


def _superseded(visit: Visit, at: datetime) -> bool:
    """A later field report is already applied: this one only fills in the history."""
    latest = db.session.scalar(
        select(func.max(VisitEvent.at)).where(
            VisitEvent.visit_id == visit.id,
            VisitEvent.applied,
            VisitEvent.type.in_(FIELD_EVENTS),
        )
    )
    return latest is not None and at < latest


def _apply(visit: Visit, event: VisitEvent, parts_used: Any) -> None:
    if not lifecycle.can_report(visit.status, event.type):
        raise IllegalTransition(
            f"Visit {visit.id} is {visit.status}; '{event.type}' cannot follow that.",
            allowed=lifecycle.allowed_events(visit.status),
        )
    used = {row["sku"]: row["quantity"] for row in parts_used} if parts_used is not None else None
    event.parts_used = used
    if event.type == VisitStatus.COMPLETED:
        consume_reservations(
            visit.id, parts_used=used, substitution_reason=event.substitution_reason
        )
    elif event.type == VisitStatus.CANCELLED:
        release_reservations(visit.id)
    visit.status = VisitStatus(event.type)
    if event.type == VisitStatus.EN_ROUTE:
        visit.eta_at = _eta(visit, event)
    if event.type in BACK_TO_DISPATCH:
        _back_to_dispatch(visit, reason=event.reason)
    if event.type in TOLD_TO_CUSTOMER:
        db.session.flush()
        notify_visit_change(visit.id, event=event.type)
    follow_case(visit.case)


def _eta(visit: Visit, event: VisitEvent) -> datetime | None:
    """From the phone's position by the planner's travel model; unknown without a position."""
    site = visit.case.site
    if site is None or event.latitude is None or event.longitude is None:
        return None
    seconds = eta(
        HaversineTravel(), (event.latitude, event.longitude), (site.latitude, site.longitude)
    )
    return event.at + timedelta(seconds=round(seconds))


def _back_to_dispatch(visit: Visit, *, reason: str | None) -> None:
    """Unbooked with its parts still held, so the planner offers it again."""
    visit.return_reason = reason
    visit.technician, visit.start_at, visit.end_at, visit.eta_at = None, None, None, None
    visit.status = VisitStatus.UNASSIGNED


def _position(position: Mapping[str, float] | None) -> dict[str, float | None]:
    position = position or {}
    return {
        "latitude": position.get("latitude"),
        "longitude": position.get("longitude"),
        "accuracy_m": position.get("accuracy_m"),
    }
