"""VROOM (pyvroom, exploration level 5, one thread) on a Solomon instance, skills included."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import vroom

from bench.rivals import SCALE
from bench.solomon import Instance
from bench.verify import RouteList

EXPLORATION = 5
"""VROOM's most thorough search, as in the references of ``fieldday/bks.csv``."""


def routes(instance: Instance, time_limit: float, seed: int) -> RouteList:
    """Solve with VROOM within ``time_limit`` seconds; ``seed`` is unused (VROOM is
    deterministic)."""
    del seed
    problem = vroom.Input()
    size = len(instance.customers)
    exact = np.array([[instance.distance(a, b) for b in range(size)] for a in range(size)])
    problem.set_durations_matrix("car", np.ceil(exact * SCALE).astype(np.uint32))
    problem.set_costs_matrix("car", np.rint(exact * SCALE).astype(np.uint32))
    depot, *customers = instance.customers
    for vehicle in range(instance.vehicles):
        problem.add_vehicle(
            vroom.Vehicle(
                vehicle,
                start=0,
                end=0,
                capacity=[instance.capacity],
                skills=_skills(instance, vehicle),
                time_window=vroom.TimeWindow(depot.ready * SCALE, depot.due * SCALE),
            )
        )
    for c in customers:
        problem.add_job(
            vroom.Job(
                c.number,
                location=c.number,
                default_service=c.service * SCALE,
                delivery=[c.demand],
                skills=set(instance.customer_skills[c.number])
                if instance.customer_skills
                else set(),
                time_windows=[vroom.TimeWindow(c.ready * SCALE, c.due * SCALE)],
            )
        )
    solution = problem.solve(EXPLORATION, nb_threads=1, timeout=timedelta(seconds=time_limit))
    steps = solution.routes
    jobs = steps[steps["type"] == "job"]
    return [
        (int(vehicle), [int(j) for j in group["id"]])
        for vehicle, group in jobs.groupby("vehicle_id", sort=True)
    ]


def _skills(instance: Instance, vehicle: int) -> set[int]:
    return set() if instance.vehicle_skills is None else set(instance.vehicle_skills[vehicle])
