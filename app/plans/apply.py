"""Applying a plan: every booking through the assignment guard, in one transaction."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.auth.principal import Principal
from app.db import utcnow
from app.errors import Conflict
from app.extensions import db
from app.plans.models import Plan, PlanStatus
from app.plans.scope import MOVABLE, fingerprint, is_pinned
from app.plans.service import get_plan
from app.visits.assignment import assign_technician, unassign_technician
from app.visits.models import Visit

Booking = tuple[int, datetime] | None


class StalePlan(Conflict):
    slug = "stale-plan"


@dataclass
class Applied:
    plan_id: int
    applied_at: datetime | None = None
    booked: list[int] = field(default_factory=list)
    unbooked: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


def apply_plan(plan_id: int, *, actor: Principal) -> Applied:
    """Book what the plan says, or nothing: any refusal by the guard undoes every booking."""
    applied = Applied(plan_id)
    plan = get_plan(plan_id)
    visits = _refuse_unappliable(plan)
    _rebook(_changes(plan, visits, applied), visits, actor=actor, applied=applied)
    plan.applied_at, plan.applied_by_id = utcnow(), actor.user_id
    applied.applied_at = plan.applied_at
    db.session.flush()
    return applied


def _changes(plan: Plan, visits: dict[int, Visit], applied: Applied) -> dict[int, Booking]:
    """The booking the plan wants for each visit it may move, where that differs from now."""
    wanted = _wanted_bookings(plan)
    changes: dict[int, Booking] = {}
    for visit in visits.values():
        if is_pinned(visit, plan.visit_ids) or visit.status not in MOVABLE:
            continue
        target = wanted.get(visit.id)
        current = (visit.technician_id, visit.start_at) if visit.technician_id else None
        if target == current:
            applied.unchanged.append(visit.id)
        else:
            changes[visit.id] = target
    return changes


def _rebook(
    changes: dict[int, Booking], visits: dict[int, Visit], *, actor: Principal, applied: Applied
) -> None:
    """Release moving bookings first, so an old slot never blocks the visit planned there.

    A visit the plan leaves out loses its booking, as the plan shows.
    """
    for visit_id in changes:
        if visits[visit_id].technician_id is not None:
            unassign_technician(visit_id, actor=actor)
    for visit_id, target in changes.items():
        if target is None:
            applied.unbooked.append(visit_id)
            continue
        technician_id, start = target
        assign_technician(visit_id, technician_id=technician_id, start=start, actor=actor)
        applied.booked.append(visit_id)


def _refuse_unappliable(plan: Plan) -> dict[int, Visit]:
    """The plan's visits by id, once the plan is finished, unapplied and still current."""
    if plan.status != PlanStatus.SUCCEEDED:
        raise Conflict(f"Plan {plan.id} is {plan.status}; only a succeeded plan can be applied.")
    if plan.applied_at is not None:
        raise Conflict(f"Plan {plan.id} was applied at {plan.applied_at.isoformat()}.")
    stored = {int(k): v for part in plan.parts for k, v in (part.fingerprints or {}).items()}
    visits = {
        visit.id: visit for visit in db.session.scalars(select(Visit).where(Visit.id.in_(stored)))
    }
    changed = sorted(
        visit_id
        for visit_id, print_ in stored.items()
        if visit_id not in visits or fingerprint(visits[visit_id]) != print_
    )
    if changed:
        raise StalePlan(
            f"Visits {', '.join(map(str, changed))} changed since plan {plan.id} ran; "
            "run a new plan.",
            reasons=[{"code": "visit_changed", "visit_id": visit_id} for visit_id in changed],
            changed_visits=changed,
        )
    return visits


def _wanted_bookings(plan: Plan) -> dict[int, Booking]:
    return {
        stop["visit_id"]: (route["technician_id"], datetime.fromisoformat(stop["start"]))
        for route in plan.routes
        for stop in route["stops"]
        if not stop["pinned"]
    }
