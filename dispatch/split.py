"""Cut a large instance into geographic parts the search can handle well in the time it has.

Clusters come from k-medoids on travel times, not coordinates, so this works with any travel
model. Vehicles go to the part nearest their start, in proportion to the part's share of visits.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from dispatch.instance import Instance

Part = tuple[list[int], list[int]]
"""Visit nodes and vehicles of one part, as positions in the split instance."""

MEDOID_CANDIDATES = 40
ROUNDS = 8
SLACK = 1.1
"""How much larger than average a part may grow: balance keeps the workers equally busy."""


def partition(instance: Instance, parts: int, seed: int) -> list[Part]:
    """
    Split the visits into ``parts`` balanced clusters and give each some of the vehicles.

    A visit whose allowed vehicles all went to other parts is left out of every part; the
    search of the whole instance that follows picks it up.
    """
    rng = random.Random(seed)
    # Cluster one node per visit; a visit's other windows follow it into its part.
    group = {g[0]: g for g in instance.groups()}
    nodes = list(group)
    medoids = rng.sample(nodes, parts)
    clusters = _assign(instance, nodes, medoids)
    for _ in range(ROUNDS):
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
    """The sampled member with the least total travel to the others: exact medoids cost n^2."""
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
