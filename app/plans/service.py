"""Use cases for plans: ask for one, follow it, list them."""

from concurrent.futures import Future
from datetime import date
from functools import partial
from typing import Any

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.principal import Principal
from app.common.paging import Page, paginate
from app.errors import NotFound
from app.extensions import db
from app.jobs import submit
from app.plans.models import Plan, PlanPart, PlanStatus
from app.plans.runner import solve_plan
from app.plans.scope import plan_parts


def request_plan(
    day: date,
    *,
    actor: Principal,
    territory: str | None = None,
    time_limit_seconds: int | None = None,
    visit_ids: list[int] | None = None,
) -> Plan:
    """Record the run, one part per territory, and queue its job once the run is committed."""
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
    db.session.flush()
    db.after_commit(partial(_queue, plan.id))
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


def _queue(plan_id: int) -> None:
    """After the commit, so the worker always finds the plan.

    A broker that refuses the job, or a worker process that dies on it, fails the plan at
    once instead of leaving it queued or running until its lease runs out.
    """
    try:
        future = submit(solve_plan, plan_id=plan_id)
    except Exception as error:
        current_app.logger.exception("Could not queue plan %s", plan_id)
        _fail_unfinished(plan_id, f"not queued: {error}")
        return
    if future is not None:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        future.add_done_callback(partial(_fail_if_lost, app, plan_id))


def _fail_if_lost(app: Flask, plan_id: int, future: Future[Any]) -> None:
    error = future.exception()
    if error is None:
        return
    with app.app_context():
        try:
            _fail_unfinished(plan_id, f"the worker process stopped: {type(error).__name__}")
        finally:
            db.session.remove()


def _fail_unfinished(plan_id: int, error: str) -> None:
    with db.unit_of_work() as session:
        for part in session.get_one(Plan, plan_id).parts:
            if part.status in (PlanStatus.QUEUED, PlanStatus.RUNNING):
                part.status, part.error = PlanStatus.FAILED, error
