"""Cut a large instance into geographic parts the search can handle well in the time it has.

Clusters come from k-medoids on travel times, not coordinates, so this works with any travel
model. Vehicles go to the part nearest their start, in proportion to the part's share of visits.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

from dispatch.instance import Instance, Routes

Part = tuple[list[int], list[int]]
"""Visit nodes and vehicles of one part, as positions in the split instance."""

MEDOID_CANDIDATES = 40
"""Members tried as a cluster's new medoid; exact medoids cost quadratic time in Python."""

ROUNDS = 8
"""k-medoids iterations of a first cut; the clusters barely move after a few."""

RECUT_ROUNDS = 0
"""k-medoids iterations of a re-cut: none, each visit goes to the nearest of random medoids.

The routes bend a re-cut anyway (see :func:`recut`), and on RC1_10_1 (1,000 visits) the 8 rounds
took about 0.3 s of each re-cut, in the parent process while the workers waited: 6 of the 15 s of
20 re-cuts. At 30 s with 2 workers (seeds 1 to 3), 8, 2 and 0 rounds ended 7.9, 7.4 and 6.7 %
above the best known on average."""

SLACK = 1.1
"""How much larger than average a part may grow: balance keeps the workers equally busy, and on
RC1_10_1 a looser 1.5 ended 1 % further from the best known."""


def partition(instance: Instance, parts: int, seed: int, rounds: int = ROUNDS) -> list[Part]:
    """
    Split the visits into ``parts`` balanced clusters and give each some of the vehicles.

    The clusters are refined by ``rounds`` of k-medoids after the first assignment.

    A visit whose allowed vehicles all went to other parts is left out of every part; the
    search of the whole instance that follows picks it up.
    """
    rng = random.Random(seed)
    # Cluster one node per visit; a visit's other windows follow it into its part.
    group = {g[0]: g for g in instance.groups()}
    nodes = list(group)
    medoids = rng.sample(nodes, parts)
    clusters = _assign(instance, nodes, medoids)
    for _ in range(rounds):
        medoids = [_medoid(instance, cluster, rng) for cluster in clusters]
        clusters = _assign(instance, nodes, medoids)
    fleets = _share_vehicles(instance, medoids, [len(c) for c in clusters])
    result = []
    for cluster, fleet in zip(clusters, fleets, strict=True):
        kept = set(fleet)
        served = [m for n in cluster if kept.intersection(instance.allowed[n]) for m in group[n]]
        result.append((served, fleet))
    return result


def _gap(instance: Instance, a: int, b: int) -> int:
    """Round-trip ticks: a symmetric distance to cluster by, whatever the travel model."""
    return instance.travel[a][b] + instance.travel[b][a]


def _assign(instance: Instance, nodes: Sequence[int], medoids: Sequence[int]) -> list[list[int]]:
    """Nearest medoid with room left, most-constrained nodes first, so parts stay balanced."""
    room = [math.ceil(len(nodes) / len(medoids) * SLACK)] * len(medoids)
    ranked = {
        n: sorted(range(len(medoids)), key=lambda k: _gap(instance, n, medoids[k])) for n in nodes
    }

    def regret(n: int) -> int:
        best, second = ranked[n][0], ranked[n][min(1, len(medoids) - 1)]
        return _gap(instance, n, medoids[second]) - _gap(instance, n, medoids[best])

    clusters: list[list[int]] = [[] for _ in medoids]
    for node in sorted(nodes, key=regret, reverse=True):
        k = next(k for k in ranked[node] if room[k] > 0)
        clusters[k].append(node)
        room[k] -= 1
    return clusters


def _medoid(instance: Instance, cluster: list[int], rng: random.Random) -> int:
    """The sampled member with the least total round-trip travel to the others."""
    candidates = rng.sample(cluster, min(MEDOID_CANDIDATES, len(cluster)))
    return min(candidates, key=lambda c: sum(_gap(instance, c, n) for n in cluster))


def _share_vehicles(
    instance: Instance, medoids: Sequence[int], sizes: Sequence[int]
) -> list[list[int]]:
    """Quotas in proportion to visits (at least one each), filled by the nearest vehicles."""
    vehicles = len(instance.vehicles)
    total = sum(sizes) or 1
    quotas = [max(1, vehicles * size // total) for size in sizes]
    left = list(range(vehicles))
    fleets: list[list[int]] = [[] for _ in medoids]
    for k in sorted(range(len(medoids)), key=lambda k: -sizes[k]):
        left.sort(key=lambda v: _gap(instance, instance.starts[v], medoids[k]))
        fleets[k], left = left[: quotas[k]], left[quotas[k] :]
    for i, v in enumerate(left):
        fleets[i % len(fleets)].append(v)
    return fleets


def recut(instance: Instance, routes: Routes, parts: int, seed: int) -> list[Part]:
    """
    Parts to improve ``routes`` in: a fresh geographic cut, bent to follow the routes.

    Each route goes whole, with its vehicle, to the part holding most of its visits, so the seams
    of the earlier cut now fall inside parts. A visit not served goes to its part in the cut, or
    to any part with a vehicle allowed to serve it.
    """
    cut = partition(instance, parts, seed, RECUT_ROUNDS)
    part_of = {n: k for k, (nodes, _) in enumerate(cut) for n in nodes}
    fleets: list[list[int]] = [[] for _ in cut]
    for k, (_, fleet) in enumerate(cut):
        fleets[k] += [v for v in fleet if not routes[v]]
    for vehicle, route in enumerate(routes):
        if route:
            k = Counter(part_of.get(n, 0) for n in route).most_common(1)[0][0]
            fleets[k].append(vehicle)
            part_of.update((n, k) for n in route)
    served = {n for route in routes for n in route}
    visits: list[list[int]] = [[] for _ in cut]
    for group in instance.groups():
        routed = [part_of[n] for n in group if n in served]
        allowed = set(instance.allowed[group[0]])
        able = [k for k, fleet in enumerate(fleets) if allowed.intersection(fleet)]
        preferred = part_of.get(group[0])
        k = routed[0] if routed else preferred if preferred in able else next(iter(able), None)
        if k is not None:
            visits[k] += group
    return list(zip(visits, fleets, strict=True))
