"""PyVRP (hybrid genetic search, single-threaded) on a Solomon instance.

Skills become routing profiles: each distinct skill set of the fleet is a vehicle type whose
matrices make the clients it may not serve unreachable.
"""

from __future__ import annotations

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime

from bench.rivals import SCALE
from bench.solomon import Instance
from bench.verify import RouteList

FORBIDDEN = 10**12
"""Distance and duration of an arc into a client the vehicle type may not serve."""


def routes(instance: Instance, time_limit: float, seed: int) -> RouteList:
    """Solve with PyVRP for ``time_limit`` seconds of search; routes by vehicle index."""
    fleets = _fleets(instance)
    data = _data(instance, fleets)
    result = pyvrp.solve(data, MaxRuntime(time_limit), seed=seed)
    found: RouteList = []
    unused = [list(vehicles) for vehicles in fleets.values()]
    for route in result.best.routes():
        customers = [a.idx + 1 for a in route.schedule() if a.is_client()]  # clients from 0
        if customers:
            found.append((unused[route.vehicle_type()].pop(0), customers))
    return found


def _fleets(instance: Instance) -> dict[frozenset[int], list[int]]:
    """Vehicles by skill set (one set when the instance has no skills)."""
    fleets: dict[frozenset[int], list[int]] = {}
    for vehicle in range(instance.vehicles):
        skills = (
            frozenset() if instance.vehicle_skills is None else instance.vehicle_skills[vehicle]
        )
        fleets.setdefault(skills, []).append(vehicle)
    return fleets


def _data(instance: Instance, fleets: dict[frozenset[int], list[int]]) -> pyvrp.ProblemData:
    depot, *customers = instance.customers
    size = len(instance.customers)
    exact = np.array([[instance.distance(a, b) for b in range(size)] for a in range(size)])
    distance = np.rint(exact * SCALE).astype(np.int64)
    duration = np.ceil(exact * SCALE).astype(np.int64)
    profiles_distance, profiles_duration, types = [], [], []
    for profile, vehicles in enumerate(fleets.values()):
        barred = [c.number for c in customers if not instance.may_serve(vehicles[0], c.number)]
        dist, dur = distance.copy(), duration.copy()
        dist[:, barred] = FORBIDDEN
        dur[:, barred] = FORBIDDEN
        np.fill_diagonal(dist, 0)
        np.fill_diagonal(dur, 0)
        profiles_distance.append(dist)
        profiles_duration.append(dur)
        types.append(
            pyvrp.VehicleType(
                len(vehicles),
                capacity=[instance.capacity],
                tw_early=depot.ready * SCALE,
                tw_late=depot.due * SCALE,
                profile=profile,
            )
        )
    return pyvrp.ProblemData(
        locations=[pyvrp.Location(c.x, c.y) for c in instance.customers],
        clients=[
            pyvrp.Client(
                c.number,
                delivery=[c.demand],
                service_duration=c.service * SCALE,
                tw_early=c.ready * SCALE,
                tw_late=c.due * SCALE,
            )
            for c in customers
        ],
        depots=[pyvrp.Depot(0, tw_early=depot.ready * SCALE, tw_late=depot.due * SCALE)],
        vehicle_types=types,
        distance_matrices=profiles_distance,
        duration_matrices=profiles_duration,
    )
