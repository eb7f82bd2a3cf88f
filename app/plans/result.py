"""A solved dispatch.Plan as the JSON stored on a plan part: ISO times, minutes, kilometres."""

import math
from datetime import timedelta
from typing import Any

import dispatch
from app.plans.problem_builder import TRAVEL, Built
from dispatch import Code


def plan_result(built: Built, solved: dispatch.Plan) -> dict[str, Any]:
    """Routes, unassigned visits with reasons, and stats; times rounded up to the second."""
    visits = {visit.id: visit for visit in built.problem.visits}
    routes = [
        {
            "technician_id": int(route.technician),
            "stops": [_stop(built, stop, visits[stop.visit]) for stop in route.stops],
        }
        for route in solved.routes
    ]
    return {
        "routes": routes,
        "unassigned": [_unassigned(built, item) for item in solved.unassigned],
        "stats": _stats(built, solved),
    }


def _stop(built: Built, stop: dispatch.Stop, visit: dispatch.Visit) -> dict[str, Any]:
    # Rounding the start up keeps it inside the window (whose bounds are whole seconds) and
    # keeps back-to-back bookings from overlapping, since durations are whole seconds too.
    start = math.ceil(stop.start)
    return {
        "visit_id": int(stop.visit),
        "arrival": _at(built, min(math.ceil(stop.arrival), start)),
        "start": _at(built, start),
        "end": _at(built, start + visit.duration),
        "travel_minutes": round(stop.travel / 60, 1),
        "pinned": visit.pin is not None,
        "preferred": stop.preferred,
        "moved": stop.moved,
    }


def _unassigned(built: Built, item: dispatch.Unassigned) -> dict[str, Any]:
    reasons = []
    for reason in item.reasons:
        entry: dict[str, Any] = {"code": reason.code, "detail": reason.detail}
        if reason.code == Code.NO_ELIGIBLE_TECHNICIAN:
            entry["technicians"] = built.explanations.get(item.visit, [])
            if not entry["technicians"]:
                entry["detail"] = "No technician of this territory has free time that day."
        reasons.append(entry)
    return {"visit_id": int(item.visit), "reasons": reasons}


def _stats(built: Built, solved: dispatch.Plan) -> dict[str, Any]:
    """Utilisation is working plus driving time over the free time the technician had."""
    visits = {visit.id: visit for visit in built.problem.visits}
    shifts = {t.id: t.shift for t in built.problem.technicians}
    travel = sum(route.travel for route in solved.routes)
    utilisation = []
    for route in solved.routes:
        busy = route.travel + sum(visits[stop.visit].duration for stop in route.stops)
        length = shifts[route.technician].end - shifts[route.technician].start
        share = round(busy / length, 3) if length > 0 else 0.0
        utilisation.append({"technician_id": int(route.technician), "utilisation": share})
    return {
        "assigned": sum(len(route.stops) for route in solved.routes),
        "unassigned": len(solved.unassigned),
        "travel_km": round(travel * TRAVEL.speed_kmh / 3600, 1),
        "travel_minutes": round(travel / 60, 1),
        "solve_seconds": round(solved.stats.runtime, 2),
        "utilisation": utilisation,
    }


def _at(built: Built, offset: int) -> str:
    return (built.epoch + timedelta(seconds=offset)).isoformat()
