"""The plain values the rules read: what a visit needs and what a technician brings on a day."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

MIN_LEVEL = 1
MAX_LEVEL = 3


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """A half-open time span, so back-to-back bookings and shifts do not collide.

    Parameters
    ----------
    start, end
        Aware datetimes (UTC by house rule); details print their clock time in the zone given.
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.utcoffset() is None or self.end.utcoffset() is None:
            raise ValueError("interval needs aware datetimes")
        if self.start >= self.end:
            raise ValueError("interval must end after it starts")

    def overlaps(self, other: "Interval") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Interval") -> bool:
        return self.start <= other.start and other.end <= self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}\u2013{self.end:%H:%M}"


@dataclass(frozen=True)
class Requirement:
    """What a visit needs from whoever does it, and optionally when it would happen.

    Parameters
    ----------
    visit_id
        The visit; a booking of this same visit never counts as an overlap (re-assignment).
    day
        The visit's local date at its site; required certifications must be valid through it.
    skills
        Skill code -> minimum level (1-3).
    certifications
        Certification codes that must be valid on ``day``.
    equipment
        Equipment codes the technician must carry.
    parts
        SKU -> quantity needed; the van must carry them unless they are reserved in a warehouse.
    parts_ready_at
        When the warehouse reservation for the parts is ready (the visit's not-before);
        ``None`` when nothing is reserved.
    pending_prerequisites
        Ids of visits that must be completed first and are not; the caller decides what counts
        as done.
    excluded_technicians
        Technician ids the customer refused.
    slot
        When the visit would take place. ``None`` skips shift, time-off, booking and parts-ready
        checks: the candidates list without a start, and the solver, which places visits itself.
    """

    visit_id: int
    day: date
    skills: Mapping[str, int] = field(default_factory=dict)
    certifications: frozenset[str] = frozenset()
    equipment: frozenset[str] = frozenset()
    parts: Mapping[str, int] = field(default_factory=dict)
    parts_ready_at: datetime | None = None
    pending_prerequisites: frozenset[int] = frozenset()
    excluded_technicians: frozenset[int] = frozenset()
    slot: Interval | None = None

    def __post_init__(self) -> None:
        _check_levels(self.skills)
        if any(quantity < 1 for quantity in self.parts.values()):
            raise ValueError("part quantity must be at least 1")
        if self.parts_ready_at is not None and self.parts_ready_at.utcoffset() is None:
            raise ValueError("parts_ready_at must be aware")
        _freeze(self, "skills", "parts")
        _freeze_sets(
            self, "certifications", "equipment", "pending_prerequisites", "excluded_technicians"
        )


@dataclass(frozen=True)
class Qualification:
    """What one technician brings on one day.

    Parameters
    ----------
    technician_id
        The technician.
    skills
        Skill code -> level (1-3).
    certifications
        Certification code -> last date it is valid (inclusive).
    equipment
        Equipment codes carried.
    van_stock
        SKU -> quantity available on the van (on hand minus reserved).
    shifts
        Working intervals that day; a slot must fit inside one of them.
    time_off
        Intervals off work; a slot must not touch any of them.
    bookings
        Visit id -> booked interval, so a re-assignment can skip the visit's own booking.
    """

    technician_id: int
    skills: Mapping[str, int] = field(default_factory=dict)
    certifications: Mapping[str, date] = field(default_factory=dict)
    equipment: frozenset[str] = frozenset()
    van_stock: Mapping[str, int] = field(default_factory=dict)
    shifts: tuple[Interval, ...] = ()
    time_off: tuple[Interval, ...] = ()
    bookings: Mapping[int, Interval] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_levels(self.skills)
        if any(quantity < 0 for quantity in self.van_stock.values()):
            raise ValueError("van stock cannot be negative")
        _freeze(self, "skills", "certifications", "van_stock", "bookings")
        _freeze_sets(self, "equipment")
        object.__setattr__(self, "shifts", tuple(self.shifts))
        object.__setattr__(self, "time_off", tuple(self.time_off))


def _check_levels(skills: Mapping[str, int]) -> None:
    if any(not MIN_LEVEL <= level <= MAX_LEVEL for level in skills.values()):
        raise ValueError(f"skill level must be {MIN_LEVEL}-{MAX_LEVEL}")


def _freeze(instance: object, *names: str) -> None:
    """Copy mappings read-only, so a caller's dict changed later cannot change a frozen value."""
    for name in names:
        object.__setattr__(instance, name, MappingProxyType(dict(getattr(instance, name))))


def _freeze_sets(instance: object, *names: str) -> None:
    """Accept any set from callers but keep an immutable one."""
    for name in names:
        object.__setattr__(instance, name, frozenset(getattr(instance, name)))
