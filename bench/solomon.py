"""Solomon VRPTW files as dispatch problems, and the solutions back as customer numbers."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from dispatch import Problem, Technician, TimeWindow, TravelMatrix, Visit


@dataclass(frozen=True, slots=True)
class Customer:
    """One row of a Solomon file; row 0 is the depot."""

    number: int
    x: float
    y: float
    demand: int
    ready: int
    due: int
    service: int


@dataclass(frozen=True, slots=True)
class Instance:
    """A Solomon instance, optionally with the field-service skills beside it."""

    name: str
    vehicles: int
    capacity: int
    customers: tuple[Customer, ...]
    vehicle_skills: tuple[frozenset[int], ...] | None = None
    customer_skills: dict[int, frozenset[int]] | None = None

    def distance(self, a: int, b: int) -> float:
        """Unrounded Euclidean distance, which is also the travel time."""
        p, q = self.customers[a], self.customers[b]
        return math.hypot(p.x - q.x, p.y - q.y)

    def may_serve(self, vehicle: int, customer: int) -> bool:
        """Whether the vehicle has every skill the customer needs (always, without skills)."""
        if self.vehicle_skills is None or self.customer_skills is None:
            return True
        return self.customer_skills[customer] <= self.vehicle_skills[vehicle]


def read(path: Path, *, skills: bool) -> Instance:
    """Parse ``path``; with ``skills``, also the ``NAME.skills.json`` next to it."""
    lines = path.read_text().splitlines()
    vehicles, capacity = (int(x) for x in lines[4].split())
    rows = [line.split() for line in lines[9:] if line.strip()]
    customers = tuple(
        Customer(int(r[0]), float(r[1]), float(r[2]), int(r[3]), int(r[4]), int(r[5]), int(r[6]))
        for r in rows
    )
    instance = Instance(path.stem.upper(), vehicles, capacity, customers)
    if not skills:
        return instance
    data = json.loads(path.with_suffix(".skills.json").read_text())
    return Instance(
        instance.name,
        vehicles,
        capacity,
        customers,
        tuple(frozenset(s) for s in data["vehicles"]),
        {int(c): frozenset(s) for c, s in data["customers"].items()},
    )


def to_problem(instance: Instance) -> Problem:
    """Vehicles become technicians ``v0, v1, ...`` and customers visits ``"1", "2", ...``."""
    depot = instance.customers[0]
    size = len(instance.customers)
    matrix = TravelMatrix(
        tuple(tuple(instance.distance(a, b) for b in range(size)) for a in range(size))
    )
    technicians = tuple(
        Technician(f"v{k}", TimeWindow(depot.ready, depot.due), 0, capacity=instance.capacity)
        for k in range(instance.vehicles)
    )
    visits = tuple(
        Visit(
            id=str(c.number),
            location=c.number,
            duration=c.service,
            windows=(TimeWindow(c.ready, c.due),),
            eligible=frozenset(
                f"v{k}" for k in range(instance.vehicles) if instance.may_serve(k, c.number)
            ),
            demand=c.demand,
        )
        for c in instance.customers[1:]
    )
    return Problem(technicians, visits, matrix)
