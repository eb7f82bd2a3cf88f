"""Benchmark ``dispatch.solve`` on Solomon VRPTW files; run ``python -m dispatch.bench --help``.

The bench only converts: Solomon files to a :class:`dispatch.Problem`, the plan back to customer
numbers. The solving is the production code path, and every result is checked again by
:mod:`dispatch.bench.verify`, which shares no code with the solver.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
from dataclasses import dataclass
from pathlib import Path

from dispatch import Plan, solve
from dispatch.bench import solomon, verify


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the printed table."""

    instance: str
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
    """Solve each file, write the JSON results, print the table."""
    args = _arguments()
    results, rows = [], []
    print(HEADER)
    for path in args.files:
        instance = solomon.read(path, skills=args.skills)
        plan = solve(
            solomon.to_problem(instance),
            time_limit=args.time_limit,
            seed=args.seed,
            workers=args.workers,
        )
        routes = _routes(plan)
        results.append(
            {
                "instance": instance.name,
                "routes": [{"vehicle": v, "customers": c} for v, c in routes],
                "distance": verify.distance(instance, routes),
                "seconds": plan.stats.runtime,
            }
        )
        rows.append(_row(instance, routes, plan, _best_known(path.parent)))
        print(_format(rows[-1]), flush=True)
    args.out.write_text(json.dumps({"results": results}, indent=1))
    _summary(rows)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m dispatch.bench", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path, help="Solomon .txt files")
    parser.add_argument("--time-limit", type=float, required=True, help="seconds per instance")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skills", action="store_true", help="apply NAME.skills.json")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=Path("results.json"))
    return parser.parse_args()


def _routes(plan: Plan) -> verify.RouteList:
    return [
        (int(r.technician.removeprefix("v")), [int(s.visit) for s in r.stops])
        for r in plan.routes
        if r.stops
    ]


def _row(
    instance: solomon.Instance, routes: verify.RouteList, plan: Plan, best: dict[str, float]
) -> Row:
    return Row(
        instance=instance.name,
        served=sum(len(c) for _, c in routes),
        total=len(instance.customers) - 1,
        distance=verify.distance(instance, routes),
        best_known=best.get(instance.name),
        seconds=plan.stats.runtime,
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


HEADER = f"{'instance':<10} {'served':>9} {'distance':>10} {'BKS':>10} {'gap %':>7} {'s':>6}  check"


def _format(row: Row) -> str:
    best = f"{row.best_known:10.2f}" if row.best_known is not None else f"{'-':>10}"
    gap = f"{row.gap:7.2f}" if row.gap is not None else f"{'-':>7}"
    check = "OK" if not row.problems else "; ".join(row.problems[:3])
    served = f"{row.served}/{row.total}"
    distance = f"{row.distance:10.2f}"
    return f"{row.instance:<10} {served:>9} {distance} {best} {gap} {row.seconds:6.1f}  {check}"


def _summary(rows: list[Row]) -> None:
    gaps = [r.gap for r in rows if r.gap is not None]
    complete = sum(r.served == r.total for r in rows)
    feasible = sum(not r.problems for r in rows)
    mean = f"{statistics.mean(gaps):.2f} %" if gaps else "-"
    print(
        f"mean gap {mean} over {len(gaps)}; all served {complete}/{len(rows)}; "
        f"feasible {feasible}/{len(rows)}"
    )


if __name__ == "__main__":
    main()
