"""Use cases for visits: plan one on a case, find it, and record what it diagnosed."""

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import Role
from app.auth.principal import Principal
from app.cases.models import Case
from app.cases.service import get_case
from app.catalog.models import RequirementSet, VisitKind
from app.catalog.requirements import build_requirement_set, copy_requirement_set
from app.catalog.service import find_visit_type
from app.db import utcnow
from app.errors import Conflict, NotFound, PreconditionFailed, RuleViolation
from app.extensions import db
from app.notifications.outbox import notify_visit_change
from app.parts.reservations import reserve_parts
from app.technicians.service import technician_for
from app.visits.guards import refuse_repeat_assessment
from app.visits.models import Diagnosis, Visit, VisitStatus

DEFAULT_MINUTES = 60
INHERITING = (VisitKind.REPAIR, VisitKind.FOLLOW_UP)
REQUIREMENT_FIELDS = ("required_skills", "required_equipment", "required_parts")


def create_visit(
    number: str,
    *,
    actor: Principal,
    type: str,
    window_start: Any,
    window_end: Any,
    duration_minutes: int | None = None,
    requires: list[int] | None = None,
    override_reason: str | None = None,
    **requirements: Any,
) -> Visit:
    """Plan a visit; repairs inherit the current diagnosis and reserve its parts at once."""
    case = get_case(number)
    kind, template = _resolve_type(type)
    diagnosis = current_diagnosis(case.id)
    overridden = refuse_repeat_assessment(
        case, kind=kind, diagnosis=diagnosis, actor=actor, override_reason=override_reason
    )
    source = _inherited_from(kind, diagnosis, template, explicit=bool(requirements))
    visit = Visit(
        case=case,
        kind=kind,
        visit_type_id=template.id if template else None,
        window_start=window_start,
        window_end=window_end,
        duration_minutes=duration_minutes or _default_minutes(kind, diagnosis, template),
        requirements=copy_requirement_set(source)
        if source
        else build_requirement_set(**requirements),
        prerequisites=_prerequisites(case, requires or []),
        warranty_covered=_under_warranty(case, window_start.date()),
        override_reason=override_reason if overridden else None,
        reimbursement_review=overridden,
        created_by_id=actor.user_id,
    )
    db.session.add(visit)
    db.session.flush()
    reserve_parts(visit.id, visit.requirements.parts)
    if visit.prerequisites:
        notify_visit_change(visit.id, event="prerequisite_needed")
    db.session.flush()
    return visit


def get_visit(visit_id: int, *, viewer: Principal) -> Visit:
    """Technicians see only their own visits; anyone else's is reported as not existing."""
    visit = db.session.get(Visit, visit_id, options=[selectinload(Visit.prerequisites)])
    if visit is None or not _may_see(visit, viewer):
        raise NotFound(f"Visit {visit_id} does not exist.")
    return visit


def update_visit(visit_id: int, *, actor: Principal, **changes: Any) -> Visit:
    """Lock a booking against re-planning, or give the customer's new window.

    A booked visit keeps its booking only if it still fits the new window; otherwise the
    dispatcher unassigns it first, so no booking silently falls outside what was promised.
    """
    visit = get_visit(visit_id, viewer=actor)
    start = changes.get("window_start", visit.window_start)
    end = changes.get("window_end", visit.window_end)
    if start >= end:
        raise RuleViolation(
            "The window must end after it starts.", errors={"window_end": ["Must be after start."]}
        )
    if visit.start_at is not None and not (start <= visit.start_at and visit.end_at <= end):
        raise Conflict(
            f"Visit {visit.id} is booked {visit.start_at.isoformat()}-{visit.end_at.isoformat()}, "
            "outside the new window; unassign it first (DELETE /visits/{id}/assignment)."
        )
    moved = (start, end) != (visit.window_start, visit.window_end)
    for key, value in changes.items():
        setattr(visit, key, value)
    # Even a change to what is there already is a write: the UPDATE compares the version the
    # client's If-Match named, so of two writers sending the same tag exactly one succeeds.
    flag_modified(visit, next(iter(changes), "locked"))
    db.session.flush()
    if moved and visit.status in (VisitStatus.UNASSIGNED, VisitStatus.SCHEDULED):
        notify_visit_change(visit.id, event="window_changed")
    return visit


def list_case_visits(number: str) -> list[Visit]:
    case = get_case(number)
    return list(
        db.session.scalars(
            select(Visit).where(Visit.case_id == case.id).order_by(Visit.window_start, Visit.id)
        )
    )


def current_diagnosis(case_id: int) -> Diagnosis | None:
    return db.session.scalar(
        select(Diagnosis).where(Diagnosis.case_id == case_id, Diagnosis.current)
    )


def diagnosis_of_visit(visit_id: int, *, viewer: Principal) -> Diagnosis:
    diagnosis = case_diagnosis(visit_id, viewer)
    if diagnosis is None:
        raise NotFound(f"The case of visit {visit_id} has no diagnosis yet.")
    return diagnosis


def case_diagnosis(visit_id: int, viewer: Principal) -> Diagnosis | None:
    """The current diagnosis of the visit's case: the one an If-Match on PUT refers to."""
    return current_diagnosis(get_visit(visit_id, viewer=viewer).case_id)


def record_diagnosis(
    visit_id: int, *, actor: Principal, findings: str, estimated_minutes: int, **requirements: Any
) -> Diagnosis:
    """The case's new current diagnosis; the earlier one is kept, marked superseded."""
    visit = get_visit(visit_id, viewer=actor)
    if visit.status in (VisitStatus.CANCELLED, VisitStatus.UNASSIGNED):
        raise RuleViolation(
            f"Visit {visit_id} is {visit.status}; nobody could have diagnosed on it."
        )
    earlier = current_diagnosis(visit.case_id)
    if earlier is not None:
        earlier.current = False
        earlier.superseded_at = utcnow()
        db.session.flush()  # the partial unique index allows one current row at a time
    diagnosis = Diagnosis(
        case_id=visit.case_id,
        visit_id=visit.id,
        findings=findings,
        estimated_minutes=estimated_minutes,
        requirements=build_requirement_set(**requirements),
        created_by_id=actor.user_id,
    )
    db.session.add(diagnosis)
    try:
        db.session.flush()
    except StaleDataError as error:
        raise PreconditionFailed(
            "Another diagnosis of this case was recorded meanwhile; reload it and try again."
        ) from error
    return diagnosis


def _resolve_type(code: str) -> tuple[VisitKind, Any]:
    if code in set(VisitKind):
        return VisitKind(code), None
    template = find_visit_type(code)
    if template is None:
        raise RuleViolation(
            f"Unknown visit type '{code}'.",
            errors={"type": [f"One of {', '.join(VisitKind)}, or a code from GET /visit-types."]},
        )
    return VisitKind(template.kind), template


def _inherited_from(
    kind: VisitKind, diagnosis: Diagnosis | None, template: Any, *, explicit: bool
) -> RequirementSet | None:
    if explicit:
        return None
    if kind in INHERITING and diagnosis is not None:
        return diagnosis.requirements
    return template.requirements if template else None


def _default_minutes(kind: VisitKind, diagnosis: Diagnosis | None, template: Any) -> int:
    if kind in INHERITING and diagnosis is not None:
        return diagnosis.estimated_minutes
    return template.default_duration_minutes if template else DEFAULT_MINUTES


def _prerequisites(case: Case, visit_ids: list[int]) -> list[Visit]:
    found = (
        list(db.session.scalars(select(Visit).where(Visit.id.in_(visit_ids)))) if visit_ids else []
    )
    others = sorted(set(visit_ids) - {visit.id for visit in found if visit.case_id == case.id})
    if others:
        raise RuleViolation(
            "A visit can only require visits on the same case.",
            errors={"requires": [f"Not visits of case {case.number}: {others}."]},
        )
    return found


def _under_warranty(case: Case, day: date) -> bool:
    asset = case.asset
    return bool(asset and asset.warranty_until and asset.warranty_until >= day)


def _may_see(visit: Visit, viewer: Principal) -> bool:
    if viewer.role != Role.TECHNICIAN:
        return True
    technician = technician_for(viewer)
    return technician is not None and visit.technician_id == technician.id
