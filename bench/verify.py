"""An independent check of a benchmark solution, written from the Solomon rules, not the solver."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from bench.solomon import Instance

EPSILON = 1e-6
RouteList = list[tuple[int, list[int]]]
"""``(vehicle, customer numbers in order)`` per used vehicle."""


def violations(instance: Instance, routes: RouteList) -> list[str]:
    """Every broken rule, in words; empty when the solution is feasible and complete."""
    problems: list[str] = []
    seen = Counter(c for _, customers in routes for c in customers)
    missing = len(instance.customers) - 1 - len(seen)
    if missing:
        problems.append(f"{missing} customers not served")
    problems += [f"customer {c} served {n} times" for c, n in seen.items() if n > 1]
    vehicles = Counter(v for v, _ in routes)
    problems += [f"vehicle {v} drives {n} routes" for v, n in vehicles.items() if n > 1]
    problems += [f"vehicle {v} does not exist" for v in vehicles if v >= instance.vehicles]
    for vehicle, customers in routes:
        problems += _route_violations(instance, vehicle, customers)
    return problems


def _route_violations(instance: Instance, vehicle: int, customers: list[int]) -> list[str]:
    problems = []
    if sum(instance.customers[c].demand for c in customers) > instance.capacity:
        problems.append(f"vehicle {vehicle} over capacity")
    clock, here = 0.0, 0
    for c in customers:
        row = instance.customers[c]
        clock = max(clock + instance.distance(here, c), row.ready)
        if clock > row.due + EPSILON:
            problems.append(f"customer {c} starts late by {clock - row.due:.3f}")
        if not instance.may_serve(vehicle, c):
            problems.append(f"vehicle {vehicle} lacks skills for customer {c}")
        clock, here = clock + row.service, c
    if clock + instance.distance(here, 0) > instance.customers[0].due + EPSILON:
        problems.append(f"vehicle {vehicle} back at the depot after its due date")
    return problems


def distance(instance: Instance, routes: RouteList) -> float:
    """Total unrounded Euclidean distance, depot to depot."""
    total = 0.0
    for _, customers in routes:
        stops = [0, *customers, 0]
        total += sum(instance.distance(a, b) for a, b in pairwise(stops))
    return total
