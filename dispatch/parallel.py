"""Spread the search over processes: parts of a large instance first, then a portfolio.

OR-Tools' routing search is single-threaded, so more cores help only through more processes: a
large instance is cut into geographic parts searched side by side, then the merged routes seed a
search of the whole instance (to mend the seams and place what the parts dropped), which every
worker runs with a different strategy, keeping the best.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from dispatch.instance import Instance
from dispatch.solver import Config, Routes, Solution, search
from dispatch.split import Part, partition

PART_SIZE = 250
"""Visits per part. On RC1_10_1 (1,000 visits, 30 s), parts of 100, 125, 250 and 500 visits ended
14.8, 13.3, 12.2 and 18.7 % above the best known: smaller parts lose more at the seams, larger
ones leave the search too little time per visit."""

SPLIT_SHARE = 0.6
"""Share of the time spent on the parts; the rest goes to the search of the whole."""

PORTFOLIO = (
    Config("PARALLEL_CHEAPEST_INSERTION"),
    Config("SAVINGS"),
    Config("PARALLEL_CHEAPEST_INSERTION", ruin_and_recreate=False),
)
"""Strategies for searches from scratch, the best measured on the Solomon bench first."""

POLISH = (Config(ruin_and_recreate=False), Config(ruin_and_recreate=False, gls_lambda=0.2))
"""Strategies for searches from a given solution: guided local search with varied penalties."""


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
    Best routes found by ``deadline`` with ``workers`` processes.

    A warm start skips the split: the previous plan is already a whole solution to improve.
    """
    parts = 1 if hint is not None else math.ceil(len(instance.groups()) / PART_SIZE)
    with _runner(workers) as run:
        if parts > 1:
            split_deadline = time.monotonic() + (deadline - time.monotonic()) * SPLIT_SHARE
            hint = _search_parts(instance, partition(instance, parts, seed), split_deadline, run)
        # The first worker improves the given solution; the others start afresh, unless the
        # solution is the merged parts, which no fresh search of the whole beats in time.
        hints = [hint] + [hint if parts > 1 else None] * (workers - 1)
        configs = [
            POLISH[i % len(POLISH)] if h is not None else PORTFOLIO[(seed + i) % len(PORTFOLIO)]
            for i, h in enumerate(hints)
        ]
        found = run(search, [instance] * workers, configs, [deadline] * workers, hints)
        best = min(found, key=lambda s: s.objective)
    return Outcome(best.routes, parts)


def _search_parts(
    instance: Instance, parts: Sequence[Part], deadline: float, run: Runner
) -> Routes:
    """Search the parts in rounds of as many as there are workers, then merge their routes."""
    rounds = math.ceil(len(parts) / run.workers)
    now = time.monotonic()
    slot = (deadline - now) / rounds
    deadlines = [now + slot * (i // run.workers + 1) for i in range(len(parts))]
    subsets = [instance.subset(visits, fleet) for visits, fleet in parts]
    found = run(search, subsets, [PORTFOLIO[0]] * len(parts), deadlines, [None] * len(parts))
    routes: list[tuple[int, ...]] = [() for _ in instance.vehicles]
    for (visits, fleet), solution in zip(parts, found, strict=True):
        for vehicle, route in zip(fleet, solution.routes, strict=True):
            routes[vehicle] = tuple(visits[n] for n in route)
    return tuple(routes)


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
