"""The job that solves one plan part: off the request thread, in-process or on Celery."""

from typing import Any

from flask import current_app

import dispatch
from app.db import utcnow
from app.extensions import db
from app.jobs import job
from app.plans.bookings import current_bookings
from app.plans.models import PlanPart, PlanStatus
from app.plans.problem_builder import Built, build_problem
from app.plans.result import plan_result


@job
def solve_part(part_id: int) -> None:
    """Solve one territory of a plan; the routes, or the error, are stored on the part.

    Failures are recorded rather than raised: the dispatcher polls the plan, not a worker log.
    """
    if not _claim(part_id):
        return
    outcome: dict[str, Any]
    try:
        part = db.session.get(PlanPart, part_id)
        assert part is not None, "claimed parts exist"
        built = build_problem(part, now=utcnow())
        solved = _solve(built, time_limit=part.plan.time_limit_seconds)
        outcome = {
            "status": PlanStatus.SUCCEEDED,
            "result": plan_result(built, solved),
            "fingerprints": built.fingerprints,
        }
    except Exception as error:
        current_app.logger.exception("Plan part %s failed", part_id)
        db.session.rollback()
        outcome = {"status": PlanStatus.FAILED, "error": f"{type(error).__name__}: {error}"}
    _update(part_id, finished_at=utcnow(), **outcome)


def _solve(built: Built, *, time_limit: int) -> dispatch.Plan:
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
    with db.serialised() as session:
        part = session.get(PlanPart, part_id)
        if part is None or part.status != PlanStatus.QUEUED:
            return False
        part.status, part.started_at = PlanStatus.RUNNING, utcnow()
        session.commit()
    return True


def _update(part_id: int, **changes: Any) -> None:
    # Several parts finish side by side; on SQLite a write must lock before it reads.
    with db.serialised() as session:
        part = session.get(PlanPart, part_id)
        assert part is not None, "parts are deleted only with their plan"
        for name, value in changes.items():
            setattr(part, name, value)
        session.commit()
