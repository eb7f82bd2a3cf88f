"""The job that solves a plan: its parts one after the other, within the plan's time limit.

The limit is wall-clock for the whole run, whatever the number of parts: each part gets its
share of what is left, by its number of visits. The job first leases its parts until the
limit plus LEASE_GRACE: a plan whose worker was killed reads as failed once that has passed.
(No heartbeat: OR-Tools holds the GIL for a whole solve, so a thread could not beat.)
"""

from datetime import timedelta
from time import monotonic
from typing import Any

from flask import current_app

import dispatch
from app.db import utcnow
from app.extensions import db
from app.jobs import job
from app.plans.bookings import current_bookings
from app.plans.models import LEASE_GRACE, Plan, PlanPart, PlanStatus
from app.plans.problem_builder import Built, build_problem
from app.plans.result import plan_result


@job
def solve_plan(plan_id: int) -> None:
    """Solve each part of the plan; the routes, or the error, are stored on the part.

    Failures are recorded rather than raised: the dispatcher polls the plan, not a worker log.
    """
    with db.unit_of_work() as session:
        plan = session.get(Plan, plan_id)
        if plan is None:
            return
        limit = float(plan.time_limit_seconds)
        lease_until = utcnow() + timedelta(seconds=limit) + LEASE_GRACE
        for part in plan.parts:
            part.lease_until = lease_until
        parts = [(part.id, len(part.visit_ids)) for part in plan.parts]
    deadline = monotonic() + limit
    for index, (part_id, size) in enumerate(parts):
        left = sum(max(visits, 1) for _, visits in parts[index:])
        share = max(deadline - monotonic(), 0.0) * max(size, 1) / left
        solve_part(part_id, time_limit=max(share, 0.1))


def solve_part(part_id: int, *, time_limit: float) -> None:
    if not _claim(part_id):
        return
    outcome: dict[str, Any]
    try:
        with db.unit_of_work(writes=False):
            part = db.session.get_one(PlanPart, part_id)
            built = build_problem(part, now=utcnow())
        solved = _solve(built, time_limit=time_limit)
        outcome = {
            "status": PlanStatus.SUCCEEDED,
            "result": plan_result(built, solved),
            "fingerprints": built.fingerprints,
        }
    except Exception as error:
        current_app.logger.exception("Plan part %s failed", part_id)
        outcome = {"status": PlanStatus.FAILED, "error": f"{type(error).__name__}: {error}"}
    _update(part_id, finished_at=utcnow(), **outcome)


def _solve(built: Built, *, time_limit: float) -> dispatch.Plan:
    """Warm-started from the current bookings: a re-plan keeps what still works."""
    return dispatch.solve(
        built.problem,
        time_limit=time_limit,
        seed=0,
        initial=current_bookings(built),
        workers=int(current_app.config["PLAN_SOLVER_WORKERS"]),
    )


def _claim(part_id: int) -> bool:
    """Mark the part running, unless it is gone or taken already (a redelivered task)."""
    with db.unit_of_work() as session:
        part = session.get(PlanPart, part_id)
        if part is None or part.status != PlanStatus.QUEUED:
            return False
        part.status, part.started_at = PlanStatus.RUNNING, utcnow()
    return True


def _update(part_id: int, **changes: Any) -> None:
    with db.unit_of_work() as session:
        part = session.get_one(PlanPart, part_id)
        for name, value in changes.items():
            setattr(part, name, value)
