"""Benchmark ``dispatch.solve`` against PyVRP and VROOM; run ``python -m bench.solver --help``.

The bench only converts: Solomon files to a :class:`dispatch.Problem`, the plan back to customer
numbers. FirstFix runs the production code path with each ``--workers`` count; the rivals (the
optional ``bench`` extra) run with one thread each on the same instances and limit. Every result
is scored by :mod:`bench.verify` (unrounded distances, windows, shifts, capacity, skills), which
shares no code with any solver. Seconds are wall-clock for the whole call, conversion included.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import solomon, verify
from dispatch import Plan, solve

Solver = Callable[[solomon.Instance, float, int], verify.RouteList]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the printed table."""

    instance: str
    solver: str
    served: int
    total: int
    distance: float
    best_known: float | None
    seconds: float
    problems: list[str]

    @property
    def gap(self) -> float | None:
        """Percent above the best-known distance."""
        if self.best_known is None:
            return None
        return 100 * (self.distance / self.best_known - 1)


def main() -> None:
    """Solve each file with each solver, write the JSON results, print the table."""
    args = _arguments()
    solvers = _solvers(args.solvers, args.workers)
    results, rows = [], []
    print(HEADER)
    for path in args.files:
        instance = solomon.read(path, skills=args.skills)
        best = _best_known(path.parent)
        for name, run in solvers.items():
            began = time.monotonic()
            routes = run(instance, args.time_limit, args.seed)
            seconds = time.monotonic() - began
            results.append(
                {
                    "instance": instance.name,
                    "solver": name,
                    "routes": [{"vehicle": v, "customers": c} for v, c in routes],
                    "distance": verify.distance(instance, routes),
                    "seconds": seconds,
                }
            )
            rows.append(_row(instance, name, routes, seconds, best))
            print(_format(rows[-1]), flush=True)
    args.out.write_text(json.dumps({"results": results}, indent=1))
    _summary(rows)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.solver", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path, help="Solomon .txt files")
    parser.add_argument("--time-limit", type=float, required=True, help="seconds per instance")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skills", action="store_true", help="apply NAME.skills.json")
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[os.cpu_count() or 1],
        help="FirstFix runs, one per worker count (e.g. --workers 1 2)",
    )
    parser.add_argument(
        "--solvers",
        nargs="+",
        choices=["firstfix", "pyvrp", "vroom"],
        default=["firstfix"],
        help="pyvrp and vroom need the bench extra: pip install -e '.[bench]'",
    )
    parser.add_argument("--out", type=Path, default=Path("results.json"))
    return parser.parse_args()


def _solvers(names: list[str], workers: list[int]) -> dict[str, Solver]:
    """Runners by the name shown in the table; rivals are imported only when asked for."""
    found: dict[str, Solver] = {}
    for name in names:
        if name == "firstfix":
            for count in workers:
                found[f"firstfix-w{count}"] = _firstfix(count)
        else:
            found[f"{name}-1t"] = importlib.import_module(f"bench.rivals.{name}").routes
    return found


def _firstfix(workers: int) -> Solver:
    def run(instance: solomon.Instance, time_limit: float, seed: int) -> verify.RouteList:
        problem = solomon.to_problem(instance)
        return _routes(solve(problem, time_limit=time_limit, seed=seed, workers=workers))

    return run


def _routes(plan: Plan) -> verify.RouteList:
    return [
        (int(r.technician.removeprefix("v")), [int(s.visit) for s in r.stops])
        for r in plan.routes
        if r.stops
    ]


def _row(
    instance: solomon.Instance,
    solver: str,
    routes: verify.RouteList,
    seconds: float,
    best: dict[str, float],
) -> Row:
    return Row(
        instance=instance.name,
        solver=solver,
        served=sum(len(c) for _, c in routes),
        total=len(instance.customers) - 1,
        distance=verify.distance(instance, routes),
        best_known=best.get(instance.name),
        seconds=seconds,
        problems=verify.violations(instance, routes),
    )


def _best_known(folder: Path) -> dict[str, float]:
    path = folder / "bks.csv"
    if not path.exists():
        return {}
    with path.open() as f:
        return {
            r["instance"].upper(): float(r["distance"])
            for r in csv.DictReader(f)
            if r["convention"] == "dimacs_routes_real"
        }


HEADER = (
    f"{'instance':<10} {'solver':<12} {'served':>9} {'distance':>10} {'BKS':>10} {'gap %':>7} "
    f"{'s':>6}  check"
)


def _format(row: Row) -> str:
    best = f"{row.best_known:10.2f}" if row.best_known is not None else f"{'-':>10}"
    gap = f"{row.gap:7.2f}" if row.gap is not None else f"{'-':>7}"
    check = "OK" if not row.problems else "; ".join(row.problems[:3])
    served = f"{row.served}/{row.total}"
    return (
        f"{row.instance:<10} {row.solver:<12} {served:>9} {row.distance:10.2f} {best} {gap} "
        f"{row.seconds:6.1f}  {check}"
    )


def _summary(rows: list[Row]) -> None:
    """One line per solver: mean gap, complete and feasible results, mean seconds."""
    for solver in dict.fromkeys(r.solver for r in rows):
        mine = [r for r in rows if r.solver == solver]
        gaps = [r.gap for r in mine if r.gap is not None]
        complete = sum(r.served == r.total for r in mine)
        feasible = sum(not r.problems for r in mine)
        mean = f"{statistics.mean(gaps):.2f} %" if gaps else "-"
        seconds = statistics.mean(r.seconds for r in mine)
        print(
            f"{solver:<12} mean gap {mean} over {len(gaps)}; all served {complete}/{len(mine)}; "
            f"feasible {feasible}/{len(mine)}; mean {seconds:.1f} s"
        )


if __name__ == "__main__":
    main()
