"""The output of one optimisation run: a route per technician and the visits left out, with why.

Times are seconds from the problem's epoch. They are floats because travel times are: rounding
them would let a plan that is feasible on paper arrive a fraction of a second late.
"""

from __future__ import annotations

from dataclasses import dataclass

from dispatch.reasons import Reason


@dataclass(frozen=True, slots=True)
class Stop:
    """
    One visit on a route.

    Parameters
    ----------
    visit
        Visit id.
    arrival
        When the technician gets there.
    start
        When work starts: ``arrival + wait``, inside one of the visit's windows.
    end
        When work ends: ``start + duration``.
    travel
        Seconds driven from the previous place.
    wait
        Seconds waiting for the window to open.
    preferred
        Whether the technician is one the customer prefers; ``None`` when the visit has no
        eligible preferred technician.
    moved
        Whether a booked visit went to another technician or moved by more than the
        problem's ``move_tolerance``.
    """

    visit: str
    arrival: float
    start: float
    end: float
    travel: float
    wait: float
    preferred: bool | None = None
    moved: bool = False


@dataclass(frozen=True, slots=True)
class Route:
    """
    One technician's day.

    Parameters
    ----------
    technician
        Technician id.
    stops
        Visits in the order driven; empty when the technician has nothing planned.
    departure
        When to leave the start location: as late as possible without delaying the first visit.
    arrival
        When the technician is back at the end location.
    travel
        Seconds driven in total, including the way home.
    """

    technician: str
    stops: tuple[Stop, ...]
    departure: float
    arrival: float
    travel: float


@dataclass(frozen=True, slots=True)
class Unassigned:
    """
    A visit left out of the plan.

    Parameters
    ----------
    visit
        Visit id.
    reasons
        At least one reason, most specific first.
    """

    visit: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Stats:
    """
    How the run went.

    Parameters
    ----------
    runtime
        Wall-clock seconds spent in :func:`dispatch.solve`.
    parts
        Number of sub-problems the search was split into (1 when not split).
    workers
        Processes used.
    """

    runtime: float
    parts: int
    workers: int


@dataclass(frozen=True, slots=True)
class Plan:
    """
    The result of :func:`dispatch.solve`.

    Parameters
    ----------
    routes
        One route per technician, in the problem's order.
    unassigned
        Visits not routed, in the problem's order.
    objective
        Total travel seconds of all routes: what the solver minimised once it served as many
        (priority-weighted) visits as it could.
    stats
        Run statistics.
    """

    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    objective: float
    stats: Stats
