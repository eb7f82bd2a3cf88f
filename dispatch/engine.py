"""The entry point: a :class:`Problem` in, a :class:`Plan` out, always."""

from __future__ import annotations

import time
from dataclasses import replace

from dispatch.explain import FULL, candidate_ids, excluded
from dispatch.instance import Instance, Routes, compile_instance
from dispatch.parallel import optimise
from dispatch.plan import Plan, Route, Stats, Stop, Unassigned
from dispatch.problem import Problem, Visit, Weights
from dispatch.reasons import Reason
from dispatch.schedule import fitting_route
from dispatch.travel import TravelTable

RESERVE = 0.25
"""Share of the time limit (at most :data:`RESERVE_MAX` seconds) kept for what follows the
search: OR-Tools overshoots its own limit a little, and the plan is built after it. On a
60-visit day with a 0.5 s limit on the 2-core machine under a load of 12, the call took up to
0.72 s without it and 0.57 s with a tenth of the limit kept."""

RESERVE_MAX = 0.5


def solve(
    problem: Problem,
    *,
    time_limit: float,
    seed: int = 0,
    initial: Plan | None = None,
    workers: int = 1,
) -> Plan:
    """
    Plan the visits of ``problem``: routes for the technicians and reasons for the rest.

    Parameters
    ----------
    problem
        What to plan.
    time_limit
        Seconds of wall-clock time for the whole call, an upper bound whatever ``workers`` is;
        the search stops sooner once its best cost stops improving (see
        :func:`dispatch.solver.search`), so a small day returns in a fraction of a second.
    seed
        Picks the clustering of large problems and which search strategy each worker runs.
    initial
        A previous plan to start from (re-planning during the day); its routes are kept where
        they are still feasible and improved from there.
    workers
        Processes to search with. Keep 1 inside daemonic workers (Celery's prefork pool),
        which may not start processes of their own.

    Returns
    -------
    Plan
        Every visit of ``problem`` appears exactly once: in a route or in ``unassigned``.
    """
    if time_limit <= 0:
        raise ValueError("time limit must be positive")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    started = time.monotonic()
    locations = [t.start for t in problem.technicians]
    locations += [t.end_location for t in problem.technicians]
    locations += [v.location for v in problem.visits]
    table = TravelTable.of(problem.travel, locations)
    skipped = excluded(problem, table)
    instance = compile_instance(problem, table, set(skipped))
    hint = _hint(problem, instance, table, initial) if initial is not None else None
    deadline = started + time_limit - min(RESERVE * time_limit, RESERVE_MAX)
    outcome = optimise(instance, deadline=deadline, seed=seed, hint=hint, workers=workers)
    routes, unassigned = _routes(problem, instance, table, outcome.routes)
    for index, reasons in skipped.items():
        unassigned[index] = reasons
    return Plan(
        routes=tuple(routes),
        unassigned=tuple(
            Unassigned(problem.visits[i].id, unassigned[i]) for i in sorted(unassigned)
        ),
        objective=sum(r.travel for r in routes),
        stats=Stats(time.monotonic() - started, outcome.parts, workers),
    )


def _hint(problem: Problem, instance: Instance, table: TravelTable, initial: Plan) -> Routes:
    """The previous plan's routes in instance nodes, minus visits that no longer fit."""
    nodes = {problem.visits[instance.visits[g[0]]].id: g for g in instance.groups()}
    by_id = {v.id: v for v in problem.visits}
    vehicle = {problem.technicians[i].id: k for k, i in enumerate(instance.vehicles)}
    routes: list[tuple[int, ...]] = [() for _ in instance.vehicles]
    for old in initial.routes:
        k = vehicle.get(old.technician)
        if k is None:
            continue
        wanted = [
            by_id[s.visit]
            for s in old.stops
            if s.visit in nodes and k in instance.allowed[nodes[s.visit][0]]
        ]
        technician = problem.technicians[instance.vehicles[k]]
        kept = fitting_route(technician, wanted, table)
        routes[k] = tuple(nodes[s.visit][_window(by_id[s.visit], s.start)] for s in kept.stops)
    return tuple(routes)


def _noted(stop: Stop, visit: Visit, technician: str, weights: Weights) -> Stop:
    """The stop with what it costs beyond travel: a preference missed, a booking moved."""
    wanted = visit.preferred & candidate_ids(visit)
    booked = visit.booked
    moved = booked is not None and (
        booked.technician != technician or abs(stop.start - booked.start) > weights.move_tolerance
    )
    return replace(stop, preferred=(technician in wanted) if wanted else None, moved=moved)


def _window(visit: Visit, start: float) -> int:
    """Which of the visit's windows a start falls in: its nodes follow the same order."""
    return next(i for i, w in enumerate(visit.service_windows) if w.start <= start <= w.end)


def _routes(
    problem: Problem, instance: Instance, table: TravelTable, found: Routes
) -> tuple[list[Route], dict[int, tuple[Reason, ...]]]:
    """Exact routes per technician, and the instance's visits the search left out."""
    routed: list[Route] = []
    by_technician = dict(zip(instance.vehicles, found, strict=True))
    weights = problem.weights
    hold = weights.move_tolerance if weights.move_time else None
    by_id = {v.id: v for v in problem.visits}
    for k, technician in enumerate(problem.technicians):
        visits = [problem.visits[instance.visits[n]] for n in by_technician.get(k, ())]
        # The search's grid is stricter than the real times, so nothing is skipped here; the
        # check stays so a plan is never infeasible whatever the search returns.
        route = fitting_route(technician, visits, table, hold)
        stops = tuple(_noted(s, by_id[s.visit], technician.id, weights) for s in route.stops)
        routed.append(replace(route, stops=stops))
    served = {s.visit for r in routed for s in r.stops}
    left = {i: (FULL,) for i in instance.visits if problem.visits[i].id not in served}
    return routed, left
