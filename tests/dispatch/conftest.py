"""Factories for tiny dispatch problems on a line, and the plan invariants every test checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from dispatch import Plan, Problem, Technician, TimeWindow, TravelMatrix, Visit

MINUTE = 60
HOUR = 60 * MINUTE


def line(*positions_km: float, minutes_per_km: float = 1.0) -> TravelMatrix:
    """Places on a straight road; location ``i`` is ``positions_km[i]``."""
    return TravelMatrix(
        tuple(
            tuple(abs(a - b) * minutes_per_km * MINUTE for b in positions_km) for a in positions_km
        )
    )


@pytest.fixture
def technician() -> Callable[..., Technician]:
    def make(id: str = "ann", **overrides: object) -> Technician:
        fields: dict[str, object] = {"shift": TimeWindow(8 * HOUR, 17 * HOUR), "start": 0}
        return Technician(id, **{**fields, **overrides})  # type: ignore[arg-type]

    return make


@pytest.fixture
def visit() -> Callable[..., Visit]:
    def make(id: str, location: int, **overrides: object) -> Visit:
        fields: dict[str, object] = {
            "duration": 30 * MINUTE,
            "windows": (TimeWindow(8 * HOUR, 17 * HOUR),),
            "eligible": frozenset({"ann"}),
        }
        return Visit(id, location, **{**fields, **overrides})  # type: ignore[arg-type]

    return make


def check_plan(problem: Problem, plan: Plan) -> None:
    """Every invariant a plan must keep, whatever the search did."""
    routed = [s.visit for r in plan.routes for s in r.stops]
    left = [u.visit for u in plan.unassigned]
    assert sorted(routed + left) == sorted(v.id for v in problem.visits)
    assert all(u.reasons for u in plan.unassigned)
    assert [r.technician for r in plan.routes] == [t.id for t in problem.technicians]
    techs = {t.id: t for t in problem.technicians}
    visits = {v.id: v for v in problem.visits}
    for route in plan.routes:
        _check_route(
            problem, techs[route.technician], [visits[s.visit] for s in route.stops], route
        )
    assert plan.objective == pytest.approx(sum(r.travel for r in plan.routes))


def _check_route(problem: Problem, tech: Technician, visits: Sequence[Visit], route) -> None:
    travel = problem.travel
    here, clock = tech.start, route.departure
    assert route.departure >= tech.shift.start - 1e-6
    for visit, stop in zip(visits, route.stops, strict=True):
        assert tech.id in visit.eligible
        if visit.pin is not None:
            assert visit.pin.technician == tech.id
            assert visit.pin.start is None or stop.start == pytest.approx(visit.pin.start)
        assert stop.travel == pytest.approx(travel.matrix([here, visit.location])[0][1])
        assert stop.arrival == pytest.approx(clock + stop.travel)
        assert stop.arrival + stop.wait == pytest.approx(stop.start)
        assert stop.wait >= -1e-6
        assert any(w.start - 1e-6 <= stop.start <= w.end + 1e-6 for w in visit.service_windows)
        assert stop.end == pytest.approx(stop.start + visit.duration)
        here, clock = visit.location, stop.end
    if route.stops:
        home = travel.matrix([here, tech.end_location])[0][1]
        assert route.arrival == pytest.approx(clock + home)
        assert route.travel == pytest.approx(sum(s.travel for s in route.stops) + home)
    assert route.arrival <= tech.shift.end + 1e-6
    if tech.capacity is not None:
        assert sum(v.demand for v in visits) <= tech.capacity
