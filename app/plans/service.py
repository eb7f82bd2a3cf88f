"""Use cases for plans: ask for one, follow it, list them."""

from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.principal import Principal
from app.common.paging import Page, paginate
from app.errors import NotFound
from app.extensions import db
from app.jobs import submit
from app.plans.models import Plan, PlanPart, PlanStatus
from app.plans.runner import solve_part
from app.plans.scope import plan_parts


def request_plan(
    day: date,
    *,
    actor: Principal,
    territory: str | None = None,
    time_limit_seconds: int | None = None,
    visit_ids: list[int] | None = None,
) -> Plan:
    """Record the run, one part per territory, and queue each part as its own job."""
    parts = plan_parts(day, territory=territory, visit_ids=visit_ids)
    plan = Plan(
        day=day,
        territory=territory,
        time_limit_seconds=time_limit_seconds or current_app.config["PLAN_TIME_LIMIT_SECONDS"],
        visit_ids=visit_ids,
        requested_by_id=actor.user_id,
        parts=[PlanPart(territory=name, visit_ids=ids) for name, ids in parts.items()],
    )
    db.session.add(plan)
    db.session.commit()
    _queue(plan)
    return plan


def get_plan(plan_id: int) -> Plan:
    plan = db.session.get(Plan, plan_id, options=[selectinload(Plan.parts)])
    if plan is None:
        raise NotFound(f"Plan {plan_id} does not exist.")
    return plan


def list_plans(*, page: int, page_size: int, day: date | None = None) -> Page:
    query = select(Plan).options(selectinload(Plan.parts)).order_by(Plan.id.desc())
    if day is not None:
        query = query.where(Plan.day == day)
    return paginate(query, page=page, page_size=page_size)


def _queue(plan: Plan) -> None:
    """Jobs are sent after the commit, so a worker always finds its part.

    A broker that refuses the job fails the part on the spot instead of leaving it queued
    forever.
    """
    for part in plan.parts:
        try:
            submit(solve_part, part_id=part.id)
        except Exception as error:
            current_app.logger.exception("Could not queue plan part %s", part.id)
            part.status, part.error = PlanStatus.FAILED, f"not queued: {error}"
            db.session.commit()
