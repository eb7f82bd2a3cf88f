"""Portal actions that change bookings: choose another window, cancel, refuse a technician."""

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from app.cases.models import Case
from app.customers.models import PreferenceSource
from app.customers.preferences import exclude_technician
from app.db import utcnow
from app.errors import Conflict, RuleViolation
from app.extensions import db
from app.notifications.outbox import notify_visit_change
from app.parts.reservations import release_reservations
from app.portal.service import case_for_token, portal_visit, record_portal_action
from app.portal.slots import Fit, Slot, fit_for, open_slots
from app.portal.view import case_visits, first_name, site_zone
from app.portal.wording import VISIT_KIND, window
from app.visits import lifecycle
from app.visits.assignment import commit_booking
from app.visits.models import EventType, Visit, VisitEvent, VisitStatus
from app.visits.progress import follow_case


class SlotTaken(Conflict):
    slug = "slot-taken"


def available_slots(token: str, *, visit_id: int | None = None) -> list[Slot]:
    case = case_for_token(token)
    visit = _movable(portal_visit(case, visit_id))
    return open_slots(visit, zone=site_zone(case), now=utcnow())


def reschedule_visit(token: str, *, slot: Slot, visit_id: int | None = None) -> Visit:
    """Move the visit into a window GET /slots offers and book whoever has room in it.

    Runs like the assignment guard: under the write lock on SQLite, with the exclusion
    constraint refusing a racing booking on PostgreSQL.
    """
    case = case_for_token(token)
    visit = _movable(portal_visit(case, visit_id))
    fit = fit_for(visit, slot, zone=site_zone(case), now=utcnow())
    if fit is None:
        raise SlotTaken("That window is no longer open; choose one from the current list.")
    _book(visit, slot, fit)
    notify_visit_change(visit.id, event="moved")
    record_portal_action(
        case, f"Rescheduled the {VISIT_KIND[visit.kind]} to {_window_text(case, visit)}"
    )
    commit_booking(SlotTaken("Someone took that window a moment ago; choose another."))
    return visit


def cancel_visit(token: str, *, reason: str, visit_id: int | None = None) -> Visit:
    """The customer calls the visit off; its reserved parts go back on the shelf."""
    case = case_for_token(token)
    visit = portal_visit(case, visit_id)
    if not lifecycle.can_report(visit.status, VisitStatus.CANCELLED):
        raise Conflict(f"This {VISIT_KIND[visit.kind]} is {visit.status}; it cannot be cancelled.")
    release_reservations(visit.id)
    _event(visit, EventType.CANCELLED, note=f"cancelled by the customer: {reason}")
    visit.status = VisitStatus.CANCELLED
    follow_case(case)
    notify_visit_change(visit.id, event="cancelled")
    record_portal_action(case, f"Cancelled the {VISIT_KIND[visit.kind]}: {reason}", body=reason)
    db.session.flush()
    return visit


def refuse_technician(token: str, *, reason: str, visit_id: int | None = None) -> dict[str, Any]:
    """'Don't send him again': an exclusion with its provenance, and he leaves this case.

    Every booked visit of the case with that technician goes back to unassigned, so the
    planner and the assignment guard, which both read the exclusion, pick someone else.
    """
    case = case_for_token(token)
    visit = _visit_with_technician(case, visit_id)
    technician = visit.technician
    assert technician is not None  # _visit_with_technician guarantees it
    preference = exclude_technician(
        case.customer_id,
        technician_id=technician.id,
        reason=reason,
        source=PreferenceSource.PORTAL,
        case_id=case.id,
    )
    freed = [_unassign(booked) for booked in _booked_with(case, technician.id)]
    follow_case(case)
    record_portal_action(
        case, f"Asked not to send {first_name(technician)} again: {reason}", body=reason
    )
    db.session.flush()
    return {
        "technician": first_name(technician),
        "preference_id": preference.id,
        "unassigned_visits": freed,
    }


def _movable(visit: Visit) -> Visit:
    if visit.status not in lifecycle.ASSIGNABLE:
        raise Conflict(
            f"This {VISIT_KIND[visit.kind]} is {visit.status}; it can no longer be moved."
        )
    return visit


def _book(visit: Visit, slot: Slot, fit: Fit) -> None:
    if visit.technician_id not in (None, fit.technician.id):
        _event(visit, EventType.UNASSIGNED, note="the customer chose another window")
    visit.window_start, visit.window_end = slot.start, slot.end
    visit.technician, visit.start_at = fit.technician, fit.start
    visit.end_at = fit.start + timedelta(minutes=visit.duration_minutes)
    visit.status = VisitStatus.SCHEDULED
    _event(visit, EventType.ASSIGNED, note=f"{fit.technician.name} at {fit.start.isoformat()}")
    follow_case(visit.case)


def _visit_with_technician(case: Case, visit_id: int | None) -> Visit:
    """The visit named, or the next booked one, or else the last one somebody came to."""
    if visit_id is not None:
        visit = portal_visit(case, visit_id)
    else:
        visits = [visit for visit in case_visits(case.id) if visit.technician_id is not None]
        upcoming = [visit for visit in visits if visit.status not in lifecycle.FINISHED]
        visit = (upcoming or visits[::-1] or [None])[0]
    if visit is None or visit.technician is None:
        raise RuleViolation("No technician has been sent on this case yet.")
    return visit


def _booked_with(case: Case, technician_id: int) -> list[Visit]:
    return list(
        db.session.scalars(
            select(Visit).where(
                Visit.case_id == case.id,
                Visit.technician_id == technician_id,
                Visit.status == VisitStatus.SCHEDULED,
            )
        )
    )


def _unassign(visit: Visit) -> int:
    _event(visit, EventType.UNASSIGNED, note="the customer asked not to send this technician")
    visit.technician, visit.start_at, visit.end_at = None, None, None
    visit.status = VisitStatus.UNASSIGNED
    db.session.flush()
    notify_visit_change(
        visit.id, event="unbooked", params={"reason": "you asked for another technician"}
    )
    return visit.id


def _event(visit: Visit, kind: EventType, *, note: str) -> None:
    """Portal events have no actor: the customer has no user account."""
    db.session.add(
        VisitEvent(visit_id=visit.id, type=kind, note=note, technician_id=visit.technician_id)
    )


def _window_text(case: Case, visit: Visit) -> str:
    return window(visit.window_start, visit.window_end, site_zone(case))
