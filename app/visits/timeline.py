"""Visits, field events, assignments, diagnoses and overrides on the case timeline."""

from typing import Any

from sqlalchemy import Select, String, cast, literal, null, select

from app.auth.models import User
from app.cases.timeline import timeline_source
from app.visits.models import Diagnosis, EventType, Visit, VisitEvent

ASSIGNMENT_EVENTS = (EventType.ASSIGNED, EventType.UNASSIGNED)


@timeline_source
def visits(case_id: int) -> Select[Any]:
    return _visit_rows(case_id, "visit", Visit.kind + literal(" visit planned"))


@timeline_source
def visit_events(case_id: int) -> Select[Any]:
    return _events(case_id, "visit_event", VisitEvent.type.not_in(ASSIGNMENT_EVENTS))


@timeline_source
def assignments(case_id: int) -> Select[Any]:
    return _events(case_id, "assignment", VisitEvent.type.in_(ASSIGNMENT_EVENTS))


@timeline_source
def diagnoses(case_id: int) -> Select[Any]:
    return (
        select(
            literal("diagnosis").label("kind"),
            Diagnosis.id.label("ref_id"),
            Diagnosis.created_at.label("at"),
            cast(null(), String).label("channel"),
            User.email.label("actor"),
            Diagnosis.findings.label("summary"),
        )
        .outerjoin(User, User.id == Diagnosis.created_by_id)
        .where(Diagnosis.case_id == case_id)
    )


@timeline_source
def overrides(case_id: int) -> Select[Any]:
    """Each overridden repeat-assessment guard, so the case shows (and counts) them."""
    summary = literal("repeat assessment overridden: ") + Visit.override_reason
    return _visit_rows(case_id, "override", summary, Visit.override_reason.is_not(None))


def _visit_rows(case_id: int, kind: str, summary: Any, *conditions: Any) -> Select[Any]:
    return (
        select(
            literal(kind).label("kind"),
            Visit.id.label("ref_id"),
            Visit.created_at.label("at"),
            cast(null(), String).label("channel"),
            User.email.label("actor"),
            summary.label("summary"),
        )
        .outerjoin(User, User.id == Visit.created_by_id)
        .where(Visit.case_id == case_id, *conditions)
    )


def _events(case_id: int, kind: str, condition: Any) -> Select[Any]:
    return (
        select(
            literal(kind).label("kind"),
            VisitEvent.id.label("ref_id"),
            VisitEvent.at.label("at"),
            cast(null(), String).label("channel"),
            User.email.label("actor"),
            (
                literal("visit ")
                + cast(VisitEvent.visit_id, String)
                + literal(": ")
                + VisitEvent.type
            ).label("summary"),
        )
        .join(Visit, Visit.id == VisitEvent.visit_id)
        .outerjoin(User, User.id == VisitEvent.actor_id)
        .where(Visit.case_id == case_id, condition)
    )
