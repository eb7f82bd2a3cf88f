"""Figures over the day's work: guard refusals and overrides, visit outcomes, plans, messages."""

from typing import Any

from sqlalchemy import JSON, Float, and_, cast, column, distinct, func, or_, select, true

from app.extensions import db
from app.insights.models import GuardRefusal, GuardRefusalReason, GuardRule
from app.insights.period import Period
from app.notifications.models import Notification, NotificationStatus
from app.plans.models import Plan, PlanPart, PlanStatus
from app.visits.models import EventType, Visit, VisitEvent

OUTCOMES = (EventType.COMPLETED, EventType.NO_ACCESS, EventType.INCOMPLETE)
MESSAGES = (NotificationStatus.SENT, NotificationStatus.FAILED)


def refusals(period: Period) -> dict[str, Any]:
    where = and_(period.holds(GuardRefusal.at), _refusal_in_territory(period))
    counts = dict(
        db.session.execute(
            select(GuardRefusal.rule, func.count()).where(where).group_by(GuardRefusal.rule)
        ).all()
    )
    by_reason = db.session.execute(
        select(GuardRefusalReason.code, func.count(distinct(GuardRefusal.id)))
        .join(GuardRefusal, GuardRefusal.id == GuardRefusalReason.refusal_id)
        .where(where, GuardRefusal.rule == GuardRule.BOOKING)
        .group_by(GuardRefusalReason.code)
        .order_by(GuardRefusalReason.code)
    )
    overridden = db.session.scalar(
        select(func.count()).where(
            Visit.override_reason.is_not(None),
            period.holds(Visit.created_at),
            period.has_case(Visit.case_id),
        )
    )
    return {
        "repeat_assessments_prevented": counts.get(GuardRule.REPEAT_ASSESSMENT, 0),
        "repeat_assessments_overridden": overridden or 0,
        "wrong_technician_refusals": {
            "total": counts.get(GuardRule.BOOKING, 0),
            "by_reason": dict(by_reason.all()),
        },
    }


def visit_outcomes(period: Period) -> dict[str, int]:
    rows = db.session.execute(
        select(VisitEvent.type, func.count(distinct(VisitEvent.visit_id)))
        .where(
            VisitEvent.type.in_(OUTCOMES),
            VisitEvent.applied,
            period.holds(VisitEvent.at),
            period.has_technician(VisitEvent.technician_id),
        )
        .group_by(VisitEvent.type)
    )
    found = dict(rows.all())
    return {outcome.value: found.get(outcome, 0) for outcome in OUTCOMES}


def applied_plans(period: Period) -> dict[str, Any]:
    """Mean travel per planned visit and mean utilisation, from the applied plans' results."""
    parts = _applied_parts(period)
    stats = PlanPart.result["stats"]
    travel, visits = db.session.execute(
        select(
            func.coalesce(func.sum(stats["travel_minutes"].as_float()), 0.0),
            func.coalesce(func.sum(stats["assigned"].as_integer()), 0),
        ).where(PlanPart.id.in_(parts))
    ).one()
    plans = db.session.scalar(
        select(func.count(distinct(PlanPart.plan_id))).where(PlanPart.id.in_(parts))
    )
    return {
        "plans_applied": plans or 0,
        "visits_planned": visits,
        "mean_travel_minutes": round(travel / visits, 1) if visits else None,
        "mean_utilisation": _mean_utilisation(parts),
    }


def messages(period: Period) -> dict[str, int]:
    rows = db.session.execute(
        select(Notification.status, func.count())
        .where(
            Notification.status.in_(MESSAGES),
            period.holds(Notification.created_at),
            period.has_case(Notification.case_id),
        )
        .group_by(Notification.status)
    )
    found = dict(rows.all())
    return {status.value: found.get(status, 0) for status in MESSAGES}


def _applied_parts(period: Period) -> Any:
    query = (
        select(PlanPart.id)
        .join(Plan, Plan.id == PlanPart.plan_id)
        .where(
            Plan.applied_at.is_not(None),
            period.holds(Plan.applied_at),
            PlanPart.status == PlanStatus.SUCCEEDED,
        )
    )
    if period.territory is not None:
        query = query.where(PlanPart.territory == period.territory)
    return query


def _mean_utilisation(parts: Any) -> float | None:
    """Each technician's share of a route, unnested from the stored results by the database."""
    if db.engine.dialect.name == "sqlite":
        shares = func.json_each(PlanPart.result, "$.stats.utilisation").table_valued("value")
        share = func.json_extract(shares.c.value, "$.utilisation")
    else:
        rows = func.json_array_elements(PlanPart.result["stats"]["utilisation"])
        shares = rows.table_valued(column("value", JSON))
        share = cast(shares.c.value.op("->>")("utilisation"), Float)
    value = db.session.scalar(
        select(func.avg(share))
        .select_from(PlanPart)
        .join(shares, true())
        .where(PlanPart.id.in_(parts))
    )
    return None if value is None else round(float(value), 3)


def _refusal_in_territory(period: Period) -> Any:
    """A booking refusal by the refused technician's territory; a repeat assessment (no
    technician) by its case's."""
    if period.territory is None:
        return period.has_case(GuardRefusal.case_id)
    return or_(
        period.has_technician(GuardRefusal.technician_id),
        and_(GuardRefusal.technician_id.is_(None), period.has_case(GuardRefusal.case_id)),
    )
