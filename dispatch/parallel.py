"""Spread the search over processes: a portfolio of strategies, or parts of a large instance.

OR-Tools' routing search is single-threaded, so more cores help only through more processes. A
small instance is searched by every worker with a different strategy, keeping the best. A large
one is cut into geographic parts searched side by side, and then cut again along the routes found
so the seams move and get mended.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from dispatch.instance import Instance, Routes
from dispatch.solver import Config, Solution, search
from dispatch.split import Part, partition, recut

PART_SIZE = 125
"""Visits per part. On RC1_10_1 (1,000 visits, 30 s, seeds 1 and 2, 10 re-cuts), parts of 63,
84, 100, 125, 167 and 250 visits ended 9.7, 7.9, 9.1, 8.9, 10.9 and 10.8 % above the best known
on average: the local search after each ruin scans every pair of visits, so small parts iterate
much faster, while the re-cuts mend the seams. (OR-Tools' own limit, ``ls_operator_neighbors_ratio``
below 1, left the local search accepting no move at all on these parts in OR-Tools 9.15.) 125
rather than 84 keeps the 100-visit Solomon instances whole (with 20 re-cuts, 84 ended at 10.5 %
and 125 at 7.7 %). With guided local search in the re-cuts, 100, 125, 250 and 500 had ended 14.8,
13.3, 12.2 and 18.7 %."""

SPLIT_SHARE = 0.5
"""Share of the time for the first, geographic parts; the rest improves the routes in re-cuts.
On RC1_10_1 (30 s, seeds 1 to 3, re-cuts without k-medoids rounds), 0.5 and 0.3 ended 6.7 and
6.9 % above the best known on average."""

RECUTS = 20
"""Re-cuts after the first. On RC1_10_1 (30 s, parts of 125, seeds 1 and 2), 10 and 20 re-cuts
ended 8.9 and 7.7 % above the best known; with 30 % of the time for the first cut, 10, 20 and 30
ended 7.6, 8.6 and 8.4 %, within the noise between seeds. The bench command with 20 re-cuts gave
9.7, 9.7 and 8.3 % for seeds 1 to 3, against 11.8, 10.6 and 12.2 % before the re-cuts used the
iterated search. Once the re-cuts skipped k-medoids (see ``split.RECUT_ROUNDS``), 20 and 40
re-cuts ended 6.7 and 6.8 % on average (seeds 1 to 3), and the bench command with 20 gave 7.1, 5.5
and 7.0 %; greedy descent instead of simulated annealing in the re-cuts' iterated search, 6.6 %,
and a cooler explicit start (a fifth of OR-Tools' automatic temperatures) 8.5 % against 8.2 %
(seed 1, with k-medoids), both within the noise. With guided local search in the re-cuts (parts
of 250), 5, 10 and 16 had ended 10.4, 10.1 and 10.9 %, and a search of the whole instance in
their place 12.7 %."""

PORTFOLIO = (
    Config("PARALLEL_CHEAPEST_INSERTION", ruin_visits=20, ruin_sequence=15),
    Config("SAVINGS", ruin_visits=25, ruin_sequence=20),
    Config("PARALLEL_CHEAPEST_INSERTION", ruin_and_recreate=False),
)
"""Strategies for searches from scratch, the best measured on the Solomon bench first.

Ruins larger than the SISR paper's 10 visits escape the local optima of tight windows within
10 s: on the eight worst Solomon instances with two workers (the first two strategies), SISR ruins
of 10/10 (mean visits/longest string) in both ended 3.2 % above the best known on average, 15/15
and 25/20 1.5 %, 20/15 and 25/20 1.3 %, 20/15 and 30/20 2.1 %, 25/20 and 35/25 2.1 %."""

POOL_MIN_VISITS = 50
"""Fewer visits than this are searched in this process alone, whatever ``workers`` says: starting
a pool of spawned processes that import OR-Tools took 0.5 to 5 s on the 2-core machine (more under
load), longer than such a day needs to stop improving in one process."""

HANDOFF = 0.3
"""Seconds before the deadline a portfolio worker stops, so its result reaches this process in
time: a 100-visit Solomon instance searches to the limit, and a result sent at the deadline
itself would be ignored."""

STALL_RECUTS = 3
"""A split search stops once this many re-cuts in a row did not shorten the routes although
every part's search stopped on its own plateau (the seams have stopped moving), provided every
visit is served (see :func:`_decompose`). Without the provisos FDAY500 with skills (30 s)
stopped after 22 s with a visit unserved, and RC1_10_1 (30 s, load 13) after 21.9 s at 40 %
above the best known, its parts cut short by their time slices, not settled."""

POLISH = Config(ruin_and_recreate=False)
"""Strategy for improving a previous plan of an instance searched whole: guided local search.

The parts of a re-cut continue with the iterated search of ``PORTFOLIO[0]`` instead: on the parts
of RC1_10_1 (250 visits, 30 s, seeds 1 and 2) it ended 10.8 % above the best known against 11.3 %
for guided local search, which accepted only a few dozen moves a second there."""


class Runner(Protocol):
    """Maps ``search`` over argument lists, in this process or in a pool of ``workers``."""

    workers: int

    def __call__(self, fn: Callable[..., Solution], *args: Sequence[Any]) -> Iterator[Solution]:
        """Like :func:`map`."""
        ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """The routes kept and how many parts the search was split into."""

    routes: Routes
    parts: int


def optimise(
    instance: Instance, *, deadline: float, seed: int, hint: Routes | None, workers: int
) -> Outcome:
    """
    Best routes found by ``deadline`` with ``workers`` processes, this one included.

    A warm start skips the split: the previous plan is already a whole solution to improve.
    """
    parts = 1 if hint is not None else math.ceil(len(instance.groups()) / PART_SIZE)
    parts = max(1, min(parts, len(instance.vehicles)))
    if parts == 1:
        if len(instance.groups()) < POOL_MIN_VISITS:
            workers = 1
        return Outcome(_portfolio(instance, seed, hint, deadline, workers).routes, parts)
    with _runner(workers) as run:
        return Outcome(_decompose(instance, parts, seed, deadline, run), parts)


def _portfolio(
    instance: Instance, seed: int, hint: Routes | None, deadline: float, workers: int
) -> Solution:
    """
    Search the whole instance with a different strategy per worker and keep the best.

    This process searches too, with the warm start if any (the others start afresh), so a plan
    exists by the deadline however slowly the pool starts; a worker not done by then is ignored.
    """
    hints = [hint] + [None] * (workers - 1)
    configs = [
        POLISH if h is not None else PORTFOLIO[(seed + i) % len(PORTFOLIO)]
        for i, h in enumerate(hints)
    ]
    if workers == 1:
        return search(instance, configs[0], deadline, hint)
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(workers - 1, mp_context=context)
    try:
        others = [executor.submit(search, instance, c, deadline - HANDOFF) for c in configs[1:]]
        found = [search(instance, configs[0], deadline, hint)]
        done, _ = wait(others, timeout=max(0.0, deadline - time.monotonic()))
        found += [future.result() for future in done]
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    return min(found, key=lambda s: s.objective)


def _decompose(instance: Instance, parts: int, seed: int, deadline: float, run: Runner) -> Routes:
    """
    Search geographic parts from scratch, then improve the routes in parts cut differently.

    Each later cut follows the routes so far (see :func:`recut`); moving the seams this way gains
    more than a search of the whole instance, which is too large to improve quickly. The re-cuts
    stop early once :data:`STALL_RECUTS` in a row gained nothing.
    """
    now = time.monotonic()
    first = now + (deadline - now) * SPLIT_SHARE
    routes, _ = _search_parts(instance, partition(instance, parts, seed), first, run)
    cost, stalled = instance.objective(routes), 0
    for done in range(RECUTS):
        end = time.monotonic() + (deadline - time.monotonic()) / (RECUTS - done)
        cut = recut(instance, routes, parts, seed + done + 1)
        routes, settled = _search_parts(instance, cut, end, run, routes)
        cost, previous = instance.objective(routes), cost
        stalled = stalled + 1 if cost >= previous and settled else 0
        if stalled >= STALL_RECUTS and _serves_all(instance, routes):
            break
    return routes


def _serves_all(instance: Instance, routes: Routes) -> bool:
    """Whether every visit is on a route: until then the re-cuts go on to the deadline."""
    served = {n for route in routes for n in route}
    return all(not served.isdisjoint(group) for group in instance.groups())


def _search_parts(
    instance: Instance,
    parts: Sequence[Part],
    deadline: float,
    run: Runner,
    routes: Routes | None = None,
) -> tuple[Routes, bool]:
    """
    Search the parts in rounds of as many as there are workers, then merge their routes; also
    whether every part's search settled on a plateau before its deadline.

    With ``routes``, each part starts from its share of them and keeps it if the search does
    not improve on it.
    """
    rounds = math.ceil(len(parts) / run.workers)
    now = time.monotonic()
    slot = (deadline - now) / rounds
    deadlines = [now + slot * (i // run.workers + 1) for i in range(len(parts))]
    subsets = [instance.subset(visits, fleet) for visits, fleet in parts]
    hints = [None if routes is None else _share(routes, part) for part in parts]
    configs = [PORTFOLIO[0]] * len(parts)
    found = list(run(search, subsets, configs, deadlines, hints))
    merged: list[tuple[int, ...]] = [() for _ in instance.vehicles]
    for (visits, fleet), sub, hint, solution in zip(parts, subsets, hints, found, strict=True):
        better = hint is None or solution.objective <= sub.objective(hint)
        for vehicle, route in zip(fleet, solution.routes if better else hint, strict=True):
            merged[vehicle] = tuple(visits[n] for n in route)
    return tuple(merged), all(solution.settled for solution in found)


def _share(routes: Routes, part: Part) -> Routes:
    """The routes of a part's vehicles, in the part's own node numbers."""
    visits, fleet = part
    local = {node: i for i, node in enumerate(visits)}
    return tuple(tuple(local[n] for n in routes[vehicle]) for vehicle in fleet)


class _InProcess:
    workers = 1

    def __call__(self, fn: Callable[..., Solution], *args: Sequence[Any]) -> Iterator[Solution]:
        return map(fn, *args)


class _Pool:
    def __init__(self, executor: ProcessPoolExecutor, workers: int) -> None:
        self.executor, self.workers = executor, workers

    def __call__(self, fn: Callable[..., Solution], *args: Sequence[Any]) -> Iterator[Solution]:
        return self.executor.map(fn, *args)


@contextmanager
def _runner(workers: int) -> Iterator[Runner]:
    """
    One pool for both phases, so the workers import OR-Tools once.

    Processes are spawned, not forked: the caller may be a threaded web or queue worker.
    """
    if workers == 1:
        yield _InProcess()
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as executor:
        yield _Pool(executor, workers)
