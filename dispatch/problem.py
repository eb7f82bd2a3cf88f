"""The frozen input of one optimisation run: technicians, visits and how to travel between them.

Times are integer seconds from an epoch the caller picks (midnight UTC of the plan day, or Unix
time); the solver only compares them, so any epoch works as long as it is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from dispatch.reasons import Reason
from dispatch.travel import Location, TravelModel


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """
    A closed interval ``[start, end]`` of integer seconds.

    Parameters
    ----------
    start
        First second of the window.
    end
        Last second of the window; equal to ``start`` for an exact appointment.
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("window ends before it starts")


@dataclass(frozen=True, slots=True)
class Technician:
    """
    One technician's working day.

    Parameters
    ----------
    id
        Unique technician id.
    shift
        When the technician may leave ``start`` and must be back at ``end``.
    start
        Where the day begins (home or depot).
    end
        Where the day ends; defaults to ``start``.
    capacity
        Total demand the van can carry; ``None`` means unlimited.
    """

    id: str
    shift: TimeWindow
    start: Location
    end: Location | None = None
    capacity: int | None = None

    def __post_init__(self) -> None:
        if not self.id:
            raise ValueError("technician id is empty")
        if self.capacity is not None and self.capacity < 0:
            raise ValueError("capacity is negative")

    @property
    def end_location(self) -> Location:
        """Where the day ends, with the default applied."""
        return self.start if self.end is None else self.end


@dataclass(frozen=True, slots=True)
class Pin:
    """
    A dispatcher's decision the solver must keep: this technician, and optionally this start.

    Parameters
    ----------
    technician
        Id of the technician who must do the visit.
    start
        Exact start second; replaces the visit's windows when given.
    """

    technician: str
    start: int | None = None


@dataclass(frozen=True, slots=True)
class Booking:
    """
    What the customer was told: this technician, starting then. A re-plan may move it, at a cost.

    Parameters
    ----------
    technician
        Id of the booked technician; may name one no longer in the problem (off sick).
    start
        The booked start second.
    """

    technician: str
    start: int


MINUTE = 60


@dataclass(frozen=True, slots=True)
class Weights:
    """
    What the solver trades against travel, in seconds of driving; served visits come first.

    The defaults read as: giving a booked visit to another technician costs as much as 30
    minutes of extra driving; moving its start by more than 15 minutes costs a second of driving
    per second moved beyond that; giving a visit to someone other than the customer's preferred
    (and eligible) technician costs 10 minutes of driving.

    Parameters
    ----------
    move_technician
        Cost of serving a booked visit with another technician than the booked one.
    move_tolerance
        Seconds a booked start may move either way at no cost.
    move_time
        Cost per second a booked start moves beyond ``move_tolerance``.
    not_preferred
        Cost of serving a visit that has an eligible preferred technician with someone else.
    """

    move_technician: int = 30 * MINUTE
    move_tolerance: int = 15 * MINUTE
    move_time: int = 1
    not_preferred: int = 10 * MINUTE

    def __post_init__(self) -> None:
        if min(self.move_technician, self.move_tolerance, self.move_time, self.not_preferred) < 0:
            raise ValueError("weights must not be negative")


STABLE = Weights()
"""The default weights: a re-plan keeps bookings unless moving them saves real driving."""

FREE = Weights(move_technician=0, move_time=0, not_preferred=0)
"""Weights that ignore bookings and preferences: shortest routes only."""


@dataclass(frozen=True, slots=True)
class Visit:
    """
    One visit to plan.

    Parameters
    ----------
    id
        Unique visit id.
    location
        Where the work happens, as understood by the problem's travel model.
    duration
        Seconds on site.
    windows
        When service may start; sorted, non-overlapping, at least one.
    eligible
        Ids of the technicians allowed to do it (the caller computes this with ``skills``).
    priority
        Positive weight; dropping a visit costs its priority, so one priority-2 visit is worth
        two priority-1 visits, and any served visit is worth more than any amount of travel.
    pin
        Keep this visit with a technician (and start), see :class:`Pin`.
    demand
        Load taken from the technician's capacity.
    blocked_by
        Reasons the caller already knows the visit cannot be planned (e.g.
        ``prerequisite_pending``, ``parts_not_ready``); the visit then goes straight to the
        unassigned list with these reasons.
    booked
        The current booking, if the customer was told one (see :class:`Weights`).
    preferred
        Ids of the technicians the customer prefers: a soft wish, never a constraint.
    """

    id: str
    location: Location
    duration: int
    windows: tuple[TimeWindow, ...]
    eligible: frozenset[str]
    priority: int = 1
    pin: Pin | None = None
    demand: int = 0
    blocked_by: tuple[Reason, ...] = ()
    booked: Booking | None = None
    preferred: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "preferred", frozenset(self.preferred))
        object.__setattr__(self, "windows", tuple(self.windows))
        object.__setattr__(self, "eligible", frozenset(self.eligible))
        object.__setattr__(self, "blocked_by", tuple(self.blocked_by))
        if not self.id:
            raise ValueError("visit id is empty")
        if self.duration < 0:
            raise ValueError("duration is negative")
        if not self.windows:
            raise ValueError("visit has no time window")
        if any(a.end >= b.start for a, b in pairwise(self.windows)):
            raise ValueError("windows overlap or are not sorted")
        if self.priority < 1:
            raise ValueError("priority must be at least 1")
        if self.demand < 0:
            raise ValueError("demand is negative")
        if self.pin is not None and self.pin.technician not in self.eligible:
            raise ValueError("pinned technician is not eligible")

    @property
    def service_windows(self) -> tuple[TimeWindow, ...]:
        """The windows the solver uses: a pinned start overrides the customer's windows."""
        if self.pin is not None and self.pin.start is not None:
            return (TimeWindow(self.pin.start, self.pin.start),)
        return self.windows


@dataclass(frozen=True, slots=True)
class Problem:
    """
    Everything one optimisation run needs.

    Parameters
    ----------
    technicians
        The technicians working; ids unique.
    visits
        The visits to plan; ids unique, eligible ids must name technicians of this problem.
    travel
        Travel times between the locations used by technicians and visits.
    weights
        What moving a booking or missing a preference costs; see :class:`Weights`.
    """

    technicians: tuple[Technician, ...]
    visits: tuple[Visit, ...]
    travel: TravelModel = field(repr=False)
    weights: Weights = STABLE

    def __post_init__(self) -> None:
        object.__setattr__(self, "technicians", tuple(self.technicians))
        object.__setattr__(self, "visits", tuple(self.visits))
        _require_unique((t.id for t in self.technicians), "technician")
        _require_unique((v.id for v in self.visits), "visit")
        known = {t.id for t in self.technicians}
        if any(not v.eligible <= known for v in self.visits):
            raise ValueError("eligible names an unknown technician")


def _require_unique(ids: Iterable[Hashable], kind: str) -> None:
    seen: set[Hashable] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"duplicate {kind} id {item!r}")
        seen.add(item)
