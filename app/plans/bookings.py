"""The current bookings of a plan part as a dispatch.Plan: the warm start of a re-plan."""

from sqlalchemy import select

import dispatch
from app.extensions import db
from app.plans.problem_builder import Built, seconds
from app.visits.models import Visit


def current_bookings(built: Built) -> dispatch.Plan | None:
    """Today's bookings as the search's starting point, so re-planning mid-day moves little.

    Only bookings the new windows still allow are offered; the solver drops what no longer fits.
    """
    planned = {visit.id: visit for visit in built.problem.visits}
    booked = db.session.execute(
        select(Visit.id, Visit.technician_id, Visit.start_at)
        .where(Visit.id.in_([int(visit_id) for visit_id in planned]))
        .where(Visit.technician_id.is_not(None), Visit.start_at.is_not(None))
        .order_by(Visit.start_at, Visit.id)
    )
    stops: dict[str, list[dispatch.Stop]] = {}
    for visit_id, technician_id, start_at in booked:
        visit = planned[str(visit_id)]
        start = seconds(start_at, built.epoch, up=True)
        if any(window.start <= start <= window.end for window in visit.service_windows):
            stop = dispatch.Stop(visit.id, start, start, start + visit.duration, 0.0, 0.0)
            stops.setdefault(str(technician_id), []).append(stop)
    if not stops:
        return None
    routes = tuple(
        dispatch.Route(technician, tuple(route), route[0].arrival, route[-1].end, travel=0.0)
        for technician, route in stops.items()
    )
    return dispatch.Plan(routes, (), objective=0.0, stats=dispatch.Stats(0.0, 0, 0))
