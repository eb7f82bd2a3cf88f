"""Figures over cases: first-time fix, contacts and channels before resolution, unresolved."""

from typing import Any

from sqlalchemy import Subquery, and_, case, distinct, func, select, union_all

from app.cases.models import Case, CaseStatus, Direction, Interaction, Outcome
from app.catalog.models import VisitKind
from app.extensions import db
from app.insights.period import Period
from app.visits.models import EventType, Visit, VisitEvent, VisitStatus
from app.visits.progress import FIXING

DONE = (CaseStatus.RESOLVED, CaseStatus.CLOSED)
UNRESOLVED = (Outcome.UNRESOLVED, Outcome.FOLLOW_UP)


def resolved_cases(period: Period) -> Subquery:
    """Resolved or closed cases with the moment they were resolved inside the period: the
    first contact recorded as resolved, or the first completion of a fixing visit."""
    said = select(Interaction.case_id, Interaction.occurred_at.label("at")).where(
        Interaction.outcome == Outcome.RESOLVED
    )
    fixed = (
        select(Visit.case_id, VisitEvent.at)
        .join(VisitEvent, VisitEvent.visit_id == Visit.id)
        .where(VisitEvent.type == EventType.COMPLETED, VisitEvent.applied, Visit.kind.in_(FIXING))
    )
    moments = union_all(said, fixed).subquery()
    first = (
        select(moments.c.case_id, func.min(moments.c.at).label("resolved_at"))
        .group_by(moments.c.case_id)
        .subquery()
    )
    return (
        select(Case.id.label("case_id"), first.c.resolved_at)
        .join(first, first.c.case_id == Case.id)
        .where(Case.status.in_(DONE), period.holds(first.c.resolved_at), period.has_case(Case.id))
        .subquery()
    )


def first_time_fix(period: Period) -> dict[str, Any]:
    resolved = resolved_cases(period)
    visits = (
        select(
            Visit.case_id,
            func.count().label("visits"),
            func.sum(case((Visit.status == VisitStatus.COMPLETED, 1), else_=0)).label("done"),
        )
        .where(Visit.kind != VisitKind.SITE_SURVEY, Visit.status != VisitStatus.CANCELLED)
        .group_by(Visit.case_id)
        .subquery()
    )
    once = case((and_(visits.c.visits == 1, visits.c.done == 1), 1), else_=0)
    cases, fixed = db.session.execute(
        select(func.count(), func.coalesce(func.sum(once), 0)).select_from(
            resolved.join(visits, visits.c.case_id == resolved.c.case_id)
        )
    ).one()
    return {
        "cases": cases,
        "fixed_first_time": fixed,
        "rate": round(fixed / cases, 4) if cases else None,
    }


def contacts_before_resolution(period: Period) -> dict[str, dict[str, int]]:
    """Distributions over resolved cases: inbound contacts (any channel) up to resolution,
    and how many distinct channels they came through."""
    resolved = resolved_cases(period)
    per_case = (
        select(
            func.count(Interaction.id).label("attempts"),
            func.count(distinct(Interaction.channel)).label("channels"),
        )
        .select_from(resolved)
        .outerjoin(
            Interaction,
            and_(
                Interaction.case_id == resolved.c.case_id,
                Interaction.direction == Direction.INBOUND,
                Interaction.occurred_at <= resolved.c.resolved_at,
            ),
        )
        .group_by(resolved.c.case_id)
        .subquery()
    )
    return {
        name: _distribution(getattr(per_case.c, column))
        for name, column in (
            ("attempts_before_resolution", "attempts"),
            ("channels_before_resolution", "channels"),
        )
    }


def customers_with_unresolved_attempts(period: Period) -> int:
    """Customers who contacted us in the period and were left unresolved (or told to follow
    up) at least once: each such contact is an attempt that did not solve their problem."""
    return (
        db.session.scalar(
            select(func.count(distinct(Case.customer_id)))
            .join(Interaction, Interaction.case_id == Case.id)
            .where(
                Interaction.direction == Direction.INBOUND,
                Interaction.outcome.in_(UNRESOLVED),
                period.holds(Interaction.occurred_at),
                period.has_case(Case.id),
            )
        )
        or 0
    )


def _distribution(column: Any) -> dict[str, int]:
    rows = db.session.execute(select(column, func.count()).group_by(column).order_by(column))
    return {str(value): count for value, count in rows}
