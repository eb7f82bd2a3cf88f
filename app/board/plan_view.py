"""A plan run beside the current bookings: what applying it would book, move or unbook."""

from datetime import datetime
from typing import Any

from app.db import utcnow
from app.plans.models import Plan, PlanStatus

RUNNING = (PlanStatus.QUEUED, PlanStatus.RUNNING)


def plan_panel(plan: Plan, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """`rows` are the board's schedules: the current bookings to compare the proposal with."""
    names = {row["technician"].id: row["technician"].name for row in rows}
    now = {
        stop["visit"].id: (stop["visit"].technician_id, stop["visit"].start_at)
        for row in rows
        for stop in row["stops"]
    }
    proposed = {
        stop["visit_id"]: (route["technician_id"], datetime.fromisoformat(stop["start"]))
        for route in plan.routes
        for stop in route["stops"]
    }
    scope = {visit_id for part in plan.parts for visit_id in part.visit_ids} | set(proposed)
    changes = []
    for visit_id in sorted(scope):
        before, after = now.get(visit_id), proposed.get(visit_id)
        kind = _kind(before, after)
        if kind != "keep":
            changes.append({"visit_id": visit_id, "kind": kind, "now": before, "proposed": after})
    finished = max((p.finished_at for p in plan.parts if p.finished_at), default=None)
    stats = plan.stats or {}
    return {
        "plan": plan,
        "running": plan.status in RUNNING,
        "elapsed": round(((finished or utcnow()) - plan.created_at).total_seconds()),
        "travel_minutes": stats.get("travel_minutes"),
        "changes": changes,
        "names": names,
        "applied": plan.applied_at is not None,
    }


def _kind(before: tuple[int, Any] | None, after: tuple[int, Any] | None) -> str:
    if before is None:
        return "book"
    if after is None:
        return "unbook"
    return "keep" if before == after else "move"
