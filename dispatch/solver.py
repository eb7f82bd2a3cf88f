"""The OR-Tools routing model of an :class:`Instance` and one timed search on it.

The only module that imports ``ortools``. Every visit is optional with a drop penalty, so the
search always has a solution (all visits dropped) and a visit nobody can serve is dropped instead
of failing the run.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.constraint_solver.routing_parameters_pb2 import RoutingSearchParameters

from dispatch.instance import Instance, Routes


@dataclass(frozen=True, slots=True)
class Config:
    """
    One search strategy; workers of a portfolio run different ones.

    ``first_solution`` names an OR-Tools ``FirstSolutionStrategy``. With ``ruin_and_recreate``
    the search is OR-Tools' iterated local search with SISR ruins (string removals, the strongest
    perturbation it offers for time windows) and simulated-annealing acceptance, from scratch or
    from a warm start (see :meth:`_Model.lock`); otherwise it is guided local search.

    ``ruin_visits`` and ``ruin_sequence`` are SISR's mean number of visits removed per ruin and
    longest string removed; the defaults are the values the SISR paper (Christiaens and Vanden
    Berghe, 2020) suggests.
    """

    first_solution: str = "PARALLEL_CHEAPEST_INSERTION"
    ruin_and_recreate: bool = True
    gls_lambda: float = 0.1
    ruin_visits: int = 10
    ruin_sequence: int = 10


@dataclass(frozen=True, slots=True)
class Solution:
    """
    Routes found and their objective in ticks, drop penalties included; ``settled`` when the
    search stopped on a plateau before its deadline.
    """

    routes: Routes
    objective: int
    settled: bool = False


PLATEAU_FLOOR = 0.05
"""Seconds of the shortest round of :func:`search` (see :data:`PLATEAU_SHARE`)."""

PLATEAU_PER_VISIT = 0.03
"""Seconds per visit of the shortest round: one round must allow enough ruins to try. With 0.01,
C105, C106 and C107 (one worker, 10 s, load 9) stopped after 4.6 to 5.3 s at 854.31, 3.06 %
above the best known, while one continuous search had reached it by 2.3 to 5.5 s: rounds of a
second re-heat the annealing before it can climb out of that local optimum."""

PLATEAU_SHARE = 1.0
"""A round lasts this share of the time searched so far (at least :data:`PLATEAU_FLOOR`)."""

PLATEAU_ROUNDS = 2
"""Rounds in a row without a better cost that end the search."""

ROUNDS_BELOW_VISITS = 50
"""Larger instances search in one continuous round to the deadline. Each round restarts the
annealing, which costs large instances their quality: Solomon 100 at 10 s gave a mean gap of
4.7-5.1 % in rounds (load 10-15) against 0.8-1.0 % for one continuous search (session 2, a quiet
machine), and RC1_10_1 at 30 s lost visits. Small days, where a plan is found at once, stop on
their plateau."""

PLATEAU_GAIN = 1e-4
"""The least relative gain that counts as a better cost (a hair's gain is a plateau)."""


def search(
    instance: Instance, config: Config, deadline: float, hint: Routes | None = None
) -> Solution:
    """
    Search until the best cost stops improving or ``deadline`` (a ``time.monotonic()`` value; on
    the platforms we run on that clock is shared by all processes), whichever comes first.

    The search runs in rounds, each from the best routes so far (or ``hint``, when feasible, else
    from scratch), each lasting the time searched so far, at least ``PLATEAU_FLOOR`` and
    ``PLATEAU_PER_VISIT`` per visit; ``PLATEAU_ROUNDS`` rounds in a row without a gain of
    ``PLATEAU_GAIN`` end it, about four times as long as it took to find the best. OR-Tools 9.15
    cannot stop its iterated search early (``UpdateTimeLimit`` or ``FinishCurrentSearch`` from a
    solution callback, a custom limit and the improvement-rate limit were each tried: all ran to
    the time limit), hence the rounds; each round also re-heats the simulated annealing, a
    restart from the best solution.

    Returns every route empty if the search finds nothing at all (it cannot happen with
    optional visits and round trips that fit, but the caller still gets a plan).
    """
    nothing = Solution(
        tuple(() for _ in instance.vehicles),
        sum(instance.penalty[g[0]] for g in instance.groups()),
    )
    if not instance.vehicles or not instance.visits:
        # Nothing to search (OR-Tools aborts the process on a model without vehicles).
        return replace(nothing, settled=True)
    if len(instance.groups()) >= ROUNDS_BELOW_VISITS:
        found = _round(instance, config, deadline, hint)
        return nothing if found is None else found
    started = time.monotonic()
    floor = max(PLATEAU_FLOOR, PLATEAU_PER_VISIT * len(instance.groups()))
    best: Solution | None = None
    idle = 0
    while idle < PLATEAU_ROUNDS and (now := time.monotonic()) < deadline:
        if best is not None and deadline - now < floor / 2:
            break  # too short a round to gain anything, and building its model takes time
        end = min(deadline, now + max(floor, PLATEAU_SHARE * (now - started)))
        found = _round(instance, config, end, hint if best is None else best.routes)
        if found is None and best is None:
            continue  # not even a first solution yet: the next round is longer
        if found is None or (
            best is not None and found.objective >= best.objective * (1 - PLATEAU_GAIN)
        ):  # ">=": a day that costs nothing (every visit where the technician is) is a plateau
            idle += 1
            if found is not None and found.objective < best.objective:
                best = found
        else:
            best, idle = found, 0
    if best is None and hint is None:
        # Out of time before any solution (a part of a split search on an overloaded machine):
        # build the first solution anyway, late, rather than drop every visit.
        best = _round(instance, config, time.monotonic(), None)
    if best is None:
        return nothing
    return replace(best, settled=idle >= PLATEAU_ROUNDS)


def _round(
    instance: Instance, config: Config, deadline: float, hint: Routes | None
) -> Solution | None:
    """One timed search on a fresh model, from ``hint`` when it is feasible."""
    model = _Model(instance)
    params = _parameters(config, deadline - time.monotonic())
    start = model.read(hint) if hint is not None else None
    if start is not None and config.ruin_and_recreate:
        model.lock(hint)
        found = model.routing.SolveWithIteratedLocalSearch(params)
    elif start is not None:
        found = model.routing.SolveFromAssignmentWithParameters(start, params)
    elif config.ruin_and_recreate:
        found = model.routing.SolveWithIteratedLocalSearch(params)
    else:
        found = model.routing.SolveWithParameters(params)
    if found is None and start is not None:
        # Out of time before even the locked start came back: keep the feasible hint.
        return Solution(hint, instance.objective(hint))  # type: ignore[arg-type]
    if found is None:
        return None
    return Solution(model.routes(found), found.ObjectiveValue())


class _Model:
    """The routing model with its index manager, built once per search."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.manager = pywrapcp.RoutingIndexManager(
            len(instance.travel), len(instance.vehicles), list(instance.starts), list(instance.ends)
        )
        self.routing = pywrapcp.RoutingModel(self.manager)
        travel = self.routing.RegisterTransitMatrix([list(row) for row in instance.travel])
        self.routing.SetArcCostEvaluatorOfAllVehicles(travel)
        self._add_time()
        if any(cap is not None for cap in instance.capacity):
            self._add_load()
        self._add_visits()
        if instance.extra:
            self._add_extras()
        if instance.anchors:
            self._add_anchors()

    def _add_time(self) -> None:
        instance = self.instance
        transit = self.routing.RegisterTransitMatrix(
            [[t + s for t in row] for row, s in zip(instance.travel, instance.service, strict=True)]
        )
        horizon = instance.horizon
        self.routing.AddDimension(transit, horizon, horizon, False, "time")
        clock = self.routing.GetDimensionOrDie("time")
        for vehicle, (begin, end) in enumerate(instance.shifts):
            clock.CumulVar(self.routing.Start(vehicle)).SetRange(begin, end)
            clock.CumulVar(self.routing.End(vehicle)).SetRange(begin, end)
        for node, (begin, end) in enumerate(instance.windows):
            clock.CumulVar(self.manager.NodeToIndex(node)).SetRange(begin, end)

    def _add_extras(self) -> None:
        """
        Per-vehicle costs of serving a visit, added to the arcs leaving it on that vehicle.

        One travel matrix per distinct cost column, so only problems with bookings or
        preferences pay for vehicle-dependent arc costs. (A dimension of per-vehicle unary
        transits with a span cost, which would keep one matrix, made OR-Tools 9.15 reject every
        route of a 120-visit day as infeasible once the vehicles' transits differed.)
        """
        instance = self.instance
        callbacks: dict[tuple[int, ...], int] = {}
        for vehicle in range(len(instance.vehicles)):
            column = tuple(row[vehicle] if row else 0 for row in instance.extra)
            if column not in callbacks:
                matrix = [
                    [t + (column[a] if a < len(column) else 0) for t in row]
                    for a, row in enumerate(instance.travel)
                ]
                callbacks[column] = self.routing.RegisterTransitMatrix(matrix)
            self.routing.SetArcCostEvaluatorOfVehicle(callbacks[column], vehicle)

    def _add_anchors(self) -> None:
        """A booked start costs ``move_time`` per tick outside its free band."""
        clock = self.routing.GetDimensionOrDie("time")
        for node, band in enumerate(self.instance.anchors):
            if band is not None:
                index = self.manager.NodeToIndex(node)
                clock.SetCumulVarSoftLowerBound(index, max(0, band[0]), self.instance.move_time)
                clock.SetCumulVarSoftUpperBound(index, max(0, band[1]), self.instance.move_time)

    def _add_load(self) -> None:
        instance = self.instance
        total = sum(instance.demand)
        demand = self.routing.RegisterUnaryTransitVector(list(instance.demand))
        capacities = [total if cap is None else cap for cap in instance.capacity]
        self.routing.AddDimensionWithVehicleCapacity(demand, 0, capacities, True, "load")

    def _add_visits(self) -> None:
        everyone = len(self.instance.vehicles)
        for group in self.instance.groups():
            indices = [self.manager.NodeToIndex(node) for node in group]
            self.routing.AddDisjunction(indices, self.instance.penalty[group[0]], 1)
            allowed = self.instance.allowed[group[0]]
            if len(allowed) < everyone:
                # -1 keeps "unperformed" possible; SetAllowedVehiclesForIndex is not wrapped
                # for Python in OR-Tools 9.15 (it takes an absl::Span).
                for index in indices:
                    self.routing.VehicleVar(index).SetValues([-1, *allowed])

    def read(self, hint: Routes) -> pywrapcp.Assignment | None:
        indices = [[self.manager.NodeToIndex(n) for n in route] for route in hint]
        return self.routing.ReadAssignmentFromRoutes(indices, True)

    def lock(self, hint: Routes) -> None:
        """
        Make ``hint`` the first solution of the iterated search, then free its routes.

        OR-Tools 9.15 starts ``SolveWithIteratedLocalSearch`` from its first-solution strategy
        only, and ``SolveFromAssignmentWithParameters`` ignores the iterated search. Locking every
        route makes the first solution the hint itself; clearing the locks once it is found lets
        the ruins and the local search that follow move every visit again. Call only with a hint
        :meth:`read` accepts (reading it also closes the model, which locks need).
        """
        indices = [[self.manager.NodeToIndex(n) for n in route] for route in hint]
        self.routing.ApplyLocksToAllVehicles(indices, True)
        self.routing.AddAtSolutionCallback(self.routing.PreAssignment().Clear)

    def routes(self, assignment: pywrapcp.Assignment) -> Routes:
        found = []
        for vehicle in range(len(self.instance.vehicles)):
            route, index = [], assignment.Value(self.routing.NextVar(self.routing.Start(vehicle)))
            while not self.routing.IsEnd(index):
                route.append(self.manager.IndexToNode(index))
                index = assignment.Value(self.routing.NextVar(index))
            found.append(tuple(route))
        return tuple(found)


def _parameters(config: Config, time_limit: float) -> RoutingSearchParameters:
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = getattr(
        routing_enums_pb2.FirstSolutionStrategy, config.first_solution
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    params.guided_local_search_lambda_coefficient = config.gls_lambda
    params.time_limit.FromMilliseconds(max(1, int(time_limit * 1000)))
    if config.ruin_and_recreate:
        params.use_iterated_local_search = True
        params.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
        )
        ils = params.iterated_local_search_parameters
        sisr = ils.ruin_recreate_parameters.ruin_strategies.add().sisr
        sisr.max_removed_sequence_size = config.ruin_sequence
        sisr.avg_num_removed_visits = config.ruin_visits
        sisr.bypass_factor = 0.01  # the SISR paper's value
        # Costs are in ticks of any unit, so fixed temperatures would not carry over.
        annealing = ils.reference_solution_acceptance_strategy.simulated_annealing
        annealing.automatic_temperatures = True
    return params
