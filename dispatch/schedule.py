"""Exact times along a route, from the real (unscaled) travel times.

The search works on travel times rounded up to a grid, so any route it returns is feasible here;
this module recomputes the times exactly so the plan shows what will really happen.
"""

from __future__ import annotations

from collections.abc import Sequence

from dispatch.plan import Route, Stop
from dispatch.problem import Technician, TimeWindow, Visit
from dispatch.travel import TravelTable


def earliest_start(arrival: float, windows: Sequence[TimeWindow]) -> float | None:
    """Start of service when arriving at ``arrival``: wait for the first window still open."""
    for window in windows:
        if arrival <= window.end:
            return max(arrival, float(window.start))
    return None


def route(
    technician: Technician,
    visits: Sequence[Visit],
    table: TravelTable,
    hold: int | None = None,
) -> Route | None:
    """
    Drive ``visits`` in order, starting each as early as possible, leaving home just in time.

    With ``hold``, a booked visit starts no earlier than ``hold`` seconds before its booking:
    the search kept it near its booked time, and the plan must show that time.

    Returns ``None`` when a window, the shift end or the capacity is broken: callers use that to
    repair a stale warm start and to check the solver's routes.
    """
    if not visits:
        return idle(technician)
    load = sum(v.demand for v in visits)
    if technician.capacity is not None and load > technician.capacity:
        return None
    stops: list[Stop] = []
    here, clock = technician.start, float(technician.shift.start)
    for visit in visits:
        travel = table.between(here, visit.location)
        arrival = clock + travel
        ready = arrival
        if hold is not None and visit.booked is not None:
            ready = max(arrival, float(visit.booked.start - hold))
        start = earliest_start(ready, visit.service_windows)
        if start is None:
            return None
        if not stops:  # leave home late rather than wait at the first door
            arrival = start
        stops.append(
            Stop(visit.id, arrival, start, start + visit.duration, travel, start - arrival)
        )
        here, clock = visit.location, start + visit.duration
    home = table.between(here, technician.end_location)
    if clock + home > technician.shift.end:
        return None
    return Route(
        technician=technician.id,
        stops=tuple(stops),
        departure=stops[0].start - stops[0].travel,
        arrival=clock + home,
        travel=sum(s.travel for s in stops) + home,
    )


def idle(technician: Technician) -> Route:
    """A day without visits, even for a technician who could not make the round trip."""
    start = float(technician.shift.start)
    return Route(technician.id, (), departure=start, arrival=start, travel=0.0)


def fitting_route(
    technician: Technician, visits: Sequence[Visit], table: TravelTable, hold: int | None = None
) -> Route:
    """
    The route of the visits that still fit, in order, skipping the ones that do not; booked
    visits held near their booking (see :func:`route`) when that keeps the route feasible.
    """
    best = idle(technician)
    kept: list[Visit] = []
    for visit in visits:
        candidate = route(technician, [*kept, visit], table)
        if candidate is not None:
            kept.append(visit)
            best = candidate
    held = route(technician, kept, table, hold) if hold is not None and kept else None
    return best if held is None else held
