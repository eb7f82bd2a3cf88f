"""The problem as the search sees it: integer nodes, vehicles and scaled times.

An :class:`Instance` is plain lists of ints so it pickles cheaply to worker processes and can be
cut into geographic parts (:meth:`Instance.subset`) without going back to the travel model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from dispatch.explain import candidate_ids
from dispatch.problem import Problem, Technician, Visit
from dispatch.travel import TravelTable

SCALE = 1000
"""Integer ticks per second: travel times are rounded up to milliseconds, so a route the search
finds feasible is feasible with the exact times too, and a float Euclidean distance keeps three
decimals in the objective."""

Window = tuple[int, int]

Routes = tuple[tuple[int, ...], ...]
"""Visit nodes in driving order, one tuple per vehicle of an instance."""


@dataclass(frozen=True, slots=True)
class Instance:
    """
    Nodes ``0..len(visits)-1`` are visits, the rest are start and end places of vehicles.

    A visit with several windows has one node per window, all in one group of which the search
    serves at most one: OR-Tools' insertion heuristics do not wait across a hole in a time
    window, but they handle alternatives well.

    ``visits`` and ``vehicles`` map back to indices in the :class:`Problem`; ``travel`` is in
    ticks, rounded up; every time is in ticks from the earliest time of the problem.

    ``extra`` is, per visit node, what serving it costs on each vehicle on top of travel (a moved
    booking, a missed preference), or empty when nothing; ``anchors`` the band of a booked start
    outside which each tick costs ``move_time`` (``None`` when not booked). Both are empty
    tuples when no visit has either.
    """

    visits: tuple[int, ...]
    vehicles: tuple[int, ...]
    travel: tuple[tuple[int, ...], ...]
    service: tuple[int, ...]
    windows: tuple[Window, ...]
    demand: tuple[int, ...]
    penalty: tuple[int, ...]
    allowed: tuple[tuple[int, ...], ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    shifts: tuple[Window, ...]
    capacity: tuple[int | None, ...]
    extra: tuple[tuple[int, ...], ...] = ()
    anchors: tuple[Window | None, ...] = ()
    move_time: int = 0

    @property
    def horizon(self) -> int:
        """The latest tick any vehicle may be anywhere."""
        return max((end for _, end in self.shifts), default=0)

    def objective(self, routes: Routes) -> int:
        """
        What the search minimises: travel ticks, the extras of the nodes served and the penalties
        of the visits not served; all but the cost of moving booked starts, which depends on the
        times the search picks.
        """
        served = {n for route in routes for n in route}
        travel = sum(
            self.travel[a][b]
            for vehicle, route in enumerate(routes)
            if route
            for a, b in pairwise((self.starts[vehicle], *route, self.ends[vehicle]))
        )
        extra = sum(
            self.extra[n][vehicle]
            for vehicle, route in enumerate(routes)
            for n in route
            if self.extra and self.extra[n]
        )
        dropped = [g[0] for g in self.groups() if served.isdisjoint(g)]
        return travel + extra + sum(self.penalty[n] for n in dropped)

    def groups(self) -> list[list[int]]:
        """Visit nodes by visit, in order of first node: the alternatives for one visit."""
        by_visit: dict[int, list[int]] = {}
        for node, visit in enumerate(self.visits):
            by_visit.setdefault(visit, []).append(node)
        return list(by_visit.values())

    def subset(self, visit_nodes: Sequence[int], vehicles: Sequence[int]) -> Instance:
        """
        The instance restricted to some visit nodes and vehicles (positions in this instance).

        Visits lose the vehicles not kept; the search then drops the ones left with none.
        """
        places = sorted({self.starts[v] for v in vehicles} | {self.ends[v] for v in vehicles})
        nodes = [*visit_nodes, *places]
        renumber = {node: i for i, node in enumerate(nodes)}
        position = {v: i for i, v in enumerate(vehicles)}
        return Instance(
            visits=tuple(self.visits[n] for n in visit_nodes),
            vehicles=tuple(self.vehicles[v] for v in vehicles),
            travel=tuple(tuple(self.travel[a][b] for b in nodes) for a in nodes),
            service=tuple(self.service[n] for n in nodes),
            windows=tuple(self.windows[n] for n in visit_nodes),
            demand=tuple(self.demand[n] for n in nodes),
            penalty=tuple(self.penalty[n] for n in visit_nodes),
            allowed=tuple(
                tuple(position[v] for v in self.allowed[n] if v in position) for n in visit_nodes
            ),
            starts=tuple(renumber[self.starts[v]] for v in vehicles),
            ends=tuple(renumber[self.ends[v]] for v in vehicles),
            shifts=tuple(self.shifts[v] for v in vehicles),
            capacity=tuple(self.capacity[v] for v in vehicles),
            extra=tuple(
                tuple(self.extra[n][v] for v in vehicles) if self.extra[n] else ()
                for n in visit_nodes
            )
            if self.extra
            else (),
            anchors=tuple(self.anchors[n] for n in visit_nodes) if self.anchors else (),
            move_time=self.move_time,
        )


def compile_instance(problem: Problem, table: TravelTable, skip: set[int]) -> Instance:
    """Build the instance of ``problem`` without the visits in ``skip`` (already explained)."""
    nodes = [
        (i, window)  # one node per window, see Instance
        for i in range(len(problem.visits))
        if i not in skip
        for window in problem.visits[i].service_windows
    ]
    visits = [i for i, _ in nodes]
    chosen = [problem.visits[i] for i in visits]
    # A technician who cannot even drive home within the shift would make every plan
    # infeasible for OR-Tools; they get an idle day instead.
    vehicles = [k for k, t in enumerate(problem.technicians) if _round_trip_fits(t, table)]
    techs = [problem.technicians[k] for k in vehicles]
    places = list(dict.fromkeys([t.start for t in techs] + [t.end_location for t in techs]))
    origin = min([t.shift.start for t in techs] + [w.start for _, w in nodes], default=0)

    def tick(t: int) -> int:
        return (t - origin) * SCALE

    rows = [table.index[loc] for loc in [v.location for v in chosen] + places]
    travel = tuple(tuple(math.ceil(table.seconds[a][b] * SCALE) for b in rows) for a in rows)
    column = {tech.id: k for k, tech in enumerate(techs)}
    extra, anchors = _extras(problem, chosen, techs), _anchors(problem, chosen, tick)
    horizon = max((tick(t.shift.end) for t in techs), default=0)
    # The most the extras and moved starts can add to any plan, so serving still beats dropping.
    bound = sum(max(row, default=0) for row in extra)
    bound += problem.weights.move_time * horizon * sum(a is not None for a in anchors)
    place = {loc: len(visits) + k for k, loc in enumerate(places)}
    return Instance(
        visits=tuple(visits),
        vehicles=tuple(vehicles),
        travel=travel,
        service=tuple(v.duration * SCALE for v in chosen) + (0,) * len(places),
        windows=tuple((tick(w.start), tick(w.end)) for _, w in nodes),
        demand=tuple(v.demand for v in chosen) + (0,) * len(places),
        penalty=_penalties(problem, visits, travel, [place[t.start] for t in techs], bound),
        allowed=tuple(
            tuple(sorted(column[t] for t in candidate_ids(v) if t in column)) for v in chosen
        ),
        starts=tuple(place[t.start] for t in techs),
        ends=tuple(place[t.end_location] for t in techs),
        shifts=tuple((tick(t.shift.start), tick(t.shift.end)) for t in techs),
        capacity=tuple(t.capacity for t in techs),
        extra=extra,
        anchors=anchors,
        move_time=problem.weights.move_time,
    )


def _extras(
    problem: Problem, chosen: list[Visit], techs: list[Technician]
) -> tuple[tuple[int, ...], ...]:
    """Per visit node and vehicle, in ticks: a booking given to another, a preference missed."""
    weights = problem.weights
    rows = []
    for visit in chosen:
        wanted = visit.preferred & candidate_ids(visit)
        row = tuple(
            SCALE
            * (
                (weights.move_technician if visit.booked and visit.booked.technician != t.id else 0)
                + (weights.not_preferred if wanted and t.id not in wanted else 0)
            )
            for t in techs
        )
        rows.append(row if any(row) else ())
    return tuple(rows) if any(rows) else ()


def _anchors(
    problem: Problem, chosen: list[Visit], tick: Callable[[int], int]
) -> tuple[Window | None, ...]:
    """Per visit node, the ticks a booked start may move to for free."""
    if problem.weights.move_time == 0:
        return ()
    free = problem.weights.move_tolerance
    anchors = tuple(
        (tick(v.booked.start - free), tick(v.booked.start + free)) if v.booked else None
        for v in chosen
    )
    return anchors if any(anchors) else ()


def _round_trip_fits(technician: Technician, table: TravelTable) -> bool:
    trip = math.ceil(table.between(technician.start, technician.end_location) * SCALE)
    return trip <= (technician.shift.end - technician.shift.start) * SCALE


def _penalties(
    problem: Problem,
    visits: list[int],
    travel: tuple[tuple[int, ...], ...],
    starts: list[int],
    extras: int,
) -> tuple[int, ...]:
    """
    Drop costs so that serving always beats dropping when it is feasible.

    One priority unit costs more than any set of routes can (every node leaves by its longest
    arc, and ``extras`` bounds the costs on top of travel), so no saving pays for a dropped
    visit. A pin weighs more than every unpinned visit together: the dispatcher promised it.
    """
    unit = sum(max(travel[n]) for n in range(len(visits))) + sum(max(travel[s]) for s in starts)
    unit += extras + 1
    distinct = [problem.visits[i] for i in dict.fromkeys(visits)]
    pin_weight = sum(v.priority for v in distinct if v.pin is None) + 1
    chosen = [problem.visits[i] for i in visits]
    return tuple(unit * (pin_weight if v.pin is not None else v.priority) for v in chosen)
