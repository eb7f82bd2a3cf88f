"""How many bookings a re-plan moves after one technician goes sick, with and without the
stability cost; run ``python -m bench.replan FILE --time-limit S``.

The day (a Solomon-format file, e.g. ``fieldday/FDAY120.txt``, times in minutes) is planned once
and every stop becomes a booking; then the technician with the most visits is removed and the day
re-planned from the first plan, once with the default weights (in minutes here) and once with
none. "Moved" counts the other technicians' bookings that changed technician or start by more
than the tolerance; the sick technician's visits must move and are counted apart.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from bench import solomon
from dispatch import FREE, Booking, Plan, Problem, Weights, solve

IN_MINUTES = Weights(move_technician=30, move_tolerance=15, move_time=1, not_preferred=10)
"""The default weights, with the file's unit (minutes) in place of seconds."""

HEADER = f"{'weights':<8} {'moved':>6} {'of':>5} {'sick':>5} {'unserved':>9} {'travel':>9} {'s':>5}"


def main() -> None:
    """Plan, book, make one technician sick, re-plan twice, print the figures."""
    args = _arguments()
    day = solomon.to_problem(solomon.read(args.file, skills=args.skills))
    first = solve(day, time_limit=args.time_limit, workers=args.workers)
    sick = max(first.routes, key=lambda r: len(r.stops)).technician
    theirs = {s.visit for r in first.routes if r.technician == sick for s in r.stops}
    print(f"{args.file.stem}: {sum(len(r.stops) for r in first.routes)} booked; {sick} sick")
    print(HEADER)
    for name, weights in (("stable", IN_MINUTES), ("none", FREE)):
        again = solve(
            _sick_day(day, first, sick, weights),
            time_limit=args.time_limit,
            workers=args.workers,
            initial=first,
        )
        moved = _moved(first, again, IN_MINUTES.move_tolerance, theirs)
        others = sum(len(r.stops) for r in first.routes) - len(theirs)
        print(
            f"{name:<8} {moved:>6} {others:>5} {len(theirs):>5} {len(again.unassigned):>9} "
            f"{again.objective:9.1f} {again.stats.runtime:5.1f}"
        )


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.replan", description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--time-limit", type=float, required=True)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--skills", action="store_true")
    return parser.parse_args()


def _sick_day(day: Problem, plan: Plan, sick: str, weights: Weights) -> Problem:
    """The day without ``sick``, every planned stop booked as planned."""
    booked = {s.visit: Booking(r.technician, round(s.start)) for r in plan.routes for s in r.stops}
    visits = tuple(
        replace(v, eligible=v.eligible - {sick}, booked=booked.get(v.id)) for v in day.visits
    )
    technicians = tuple(t for t in day.technicians if t.id != sick)
    return Problem(technicians, visits, day.travel, weights)


def _moved(before: Plan, after: Plan, tolerance: int, excluded: set[str]) -> int:
    """Visits booked with someone healthy that changed technician or start, or were dropped."""
    then = {s.visit: (r.technician, s.start) for r in before.routes for s in r.stops}
    now = {s.visit: (r.technician, s.start) for r in after.routes for s in r.stops}
    return sum(
        1
        for visit, (technician, start) in then.items()
        if visit not in excluded
        and (
            visit not in now
            or now[visit][0] != technician
            or abs(now[visit][1] - start) > tolerance
        )
    )


if __name__ == "__main__":
    main()
