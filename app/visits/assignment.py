"""The assignment guard: a technician is booked only when skills/ finds nothing against it."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from app.auth.principal import Principal
from app.errors import Conflict, DomainError
from app.extensions import db
from app.insights.models import GuardRule
from app.insights.refusals import keep_refusal
from app.notifications.outbox import notify_visit_change
from app.technicians.service import active_technicians, get_technician
from app.visits import lifecycle
from app.visits.eligibility import distance_km, qualification_for, requirement_for
from app.visits.models import EventType, Visit, VisitEvent, VisitStatus
from app.visits.progress import follow_case
from app.visits.service import get_visit
from skills import check

EXCLUSION_VIOLATION = "23P01"


class AssignmentRefused(Conflict):
    slug = "assignment-refused"


def assign_technician(
    visit_id: int, *, technician_id: int, start: datetime, actor: Principal
) -> Visit:
    """Book the technician, or 409 listing every failing check.

    On SQLite the check and the write run under one write lock (BEGIN IMMEDIATE); on
    PostgreSQL the exclusion constraint refuses the second of two overlapping bookings.
    """
    with db.serialised():
        visit = get_visit(visit_id, viewer=actor)
        _refuse_unassignable(visit)
        technician = get_technician(technician_id)
        reasons = _window(visit, start) + [
            {"code": reason.code.value, "detail": reason.detail}
            for reason in check(
                requirement_for(visit, start=start), qualification_for(technician, at=start)
            )
        ]
        if reasons:
            raise AssignmentRefused(
                f"{technician.name} cannot take visit {visit.id} at {start.isoformat()}.",
                reasons=reasons,
                after_rollback=[_refusal(visit, technician.id, actor, reasons)],
            )
        change = _customer_change(visit, technician_id=technician.id, start=start)
        visit.technician_id, visit.start_at = technician.id, start
        visit.end_at = start + timedelta(minutes=visit.duration_minutes)
        visit.status = VisitStatus.SCHEDULED
        _record(visit, EventType.ASSIGNED, actor, note=f"{technician.name} at {start.isoformat()}")
        if change:
            db.session.flush()
            notify_visit_change(visit.id, event=change)
        _commit_booking(visit, technician_name=technician.name, actor=actor)
    return visit


def _customer_change(visit: Visit, *, technician_id: int, start: datetime) -> str | None:
    """What the customer must be told about this booking; nothing when nothing changed."""
    if visit.technician_id is None:
        return "scheduled"
    if visit.technician_id != technician_id:
        return "reassigned"
    return "moved" if visit.start_at != start else None


def unassign_technician(visit_id: int, *, actor: Principal) -> Visit:
    visit = get_visit(visit_id, viewer=actor)
    if visit.status != VisitStatus.SCHEDULED:
        raise Conflict(
            f"Visit {visit.id} is {visit.status}; only a scheduled visit can be unassigned."
        )
    _record(visit, EventType.UNASSIGNED, actor, note=f"was technician {visit.technician_id}")
    visit.technician, visit.start_at, visit.end_at = None, None, None
    visit.status = VisitStatus.UNASSIGNED
    follow_case(visit.case)
    db.session.commit()
    return visit


def list_candidates(visit_id: int, *, actor: Principal) -> list[dict[str, Any]]:
    """Every active technician with why not; eligible first, then nearest home first."""
    visit = get_visit(visit_id, viewer=actor)
    requirement = requirement_for(visit)
    site = visit.case.site
    rows = []
    for technician in active_technicians():
        reasons = check(requirement, qualification_for(technician, at=visit.window_start))
        rows.append(
            {
                "technician_id": technician.id,
                "name": technician.name,
                "eligible": not reasons,
                "reasons": [{"code": r.code.value, "detail": r.detail} for r in reasons],
                "distance_km": distance_km(technician, site),
            }
        )
    far = float("inf")
    return sorted(rows, key=lambda row: (not row["eligible"], row["distance_km"] or far))


def _refuse_unassignable(visit: Visit) -> None:
    if visit.status not in lifecycle.ASSIGNABLE:
        raise Conflict(f"Visit {visit.id} is {visit.status}; it can no longer be assigned.")


def _window(visit: Visit, start: datetime) -> list[dict[str, str]]:
    end = start + timedelta(minutes=visit.duration_minutes)
    if visit.window_start <= start and end <= visit.window_end:
        return []
    return [
        {
            "code": "outside_window",
            "detail": f"{start.isoformat()}-{end.isoformat()} is not inside the window "
            f"{visit.window_start.isoformat()}-{visit.window_end.isoformat()}",
        }
    ]


def _record(visit: Visit, kind: EventType, actor: Principal, *, note: str) -> None:
    db.session.add(
        VisitEvent(
            visit_id=visit.id,
            type=kind,
            note=note,
            technician_id=visit.technician_id,
            actor_id=actor.user_id,
        )
    )


def _commit_booking(visit: Visit, *, technician_name: str, actor: Principal) -> None:
    follow_case(visit.case)
    reasons = [{"code": "overlap", "detail": "another booking committed first"}]
    commit_booking(
        AssignmentRefused(
            f"{technician_name} was booked for an overlapping visit meanwhile.",
            reasons=reasons,
            after_rollback=[_refusal(visit, visit.technician_id, actor, reasons)],
        )
    )


def _refusal(
    visit: Visit, technician_id: int | None, actor: Principal, reasons: list[dict[str, Any]]
) -> Callable[[], None]:
    """What the edge records once this refused booking is rolled back."""
    return keep_refusal(
        GuardRule.BOOKING,
        actor=actor,
        case_id=visit.case_id,
        visit_id=visit.id,
        technician_id=technician_id,
        reasons=reasons,
    )


def commit_booking(refusal: DomainError) -> None:
    """Commit a booking; PostgreSQL's exclusion constraint refusing it becomes `refusal`.

    Shared by every way of booking (dispatcher, planner, customer portal), so a lost race
    always reads as a conflict the caller can act on, never as a 500.
    """
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if getattr(error.orig, "sqlstate", None) != EXCLUSION_VIOLATION:
            raise
        raise refusal from error
