import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch import Pin, Problem, Technician, TimeWindow, Visit, parallel, solve
from dispatch.instance import compile_instance
from dispatch.travel import TravelTable

from .conftest import HOUR, MINUTE, check_plan, line


def test_serves_everything_when_it_fits(technician, visit):
    visits = tuple(visit(str(i), i) for i in range(1, 6))
    problem = Problem((technician(),), visits, line(0, 5, 10, 15, 20, 25))
    plan = solve(problem, time_limit=0.5)
    check_plan(problem, plan)
    assert not plan.unassigned
    # Out along the road and back: 25 km each way at a minute per km.
    assert plan.objective == pytest.approx(50 * MINUTE)


def test_waits_for_a_window_and_leaves_home_late(technician, visit):
    ten = visit("a", 1, windows=(TimeWindow(10 * HOUR, 11 * HOUR),))
    problem = Problem((technician(),), (ten,), line(0, 15))
    route = solve(problem, time_limit=0.5).routes[0]
    assert route.stops[0].start == 10 * HOUR
    assert route.departure == 10 * HOUR - 15 * MINUTE


def test_uses_the_second_window_when_the_first_is_gone(technician, visit):
    windows = (TimeWindow(8 * HOUR, 8 * HOUR + 10 * MINUTE), TimeWindow(13 * HOUR, 14 * HOUR))
    problem = Problem((technician(),), (visit("a", 1, windows=windows),), line(0, 30))
    plan = solve(problem, time_limit=0.5)
    check_plan(problem, plan)
    assert plan.routes[0].stops[0].start == 13 * HOUR


def test_only_eligible_technicians_get_a_visit(technician, visit):
    techs = (technician("ann"), technician("bob", start=2))
    # Bob lives next door to the visit but lacks the skill.
    problem = Problem(techs, (visit("a", 2, eligible={"ann"}),), line(0, 50, 50))
    plan = solve(problem, time_limit=0.5)
    check_plan(problem, plan)
    assert [s.visit for s in plan.routes[0].stops] == ["a"]


def test_pins_hold_even_when_another_technician_is_closer(technician, visit):
    techs = (technician("ann"), technician("bob", start=2))
    pinned = visit("a", 1, eligible={"ann", "bob"}, pin=Pin("ann", 15 * HOUR))
    problem = Problem(techs, (pinned,), line(0, 40, 41))
    plan = solve(problem, time_limit=0.5)
    check_plan(problem, plan)
    assert plan.routes[0].stops[0].start == 15 * HOUR


def test_capacity_splits_the_work(technician, visit):
    techs = (technician("ann", capacity=10), technician("bob", capacity=10))
    visits = tuple(visit(str(i), i, demand=6, eligible={"ann", "bob"}) for i in (1, 2))
    problem = Problem(techs, visits, line(0, 1, 2))
    plan = solve(problem, time_limit=0.5)
    check_plan(problem, plan)
    assert [len(r.stops) for r in plan.routes] == [1, 1]


def test_warm_start_keeps_a_good_plan(technician, visit):
    visits = tuple(visit(str(i), i) for i in range(1, 8))
    problem = Problem((technician(),), visits, line(0, 3, 9, 1, 7, 4, 8, 2))
    first = solve(problem, time_limit=0.5)
    again = solve(problem, time_limit=0.3, initial=first)
    check_plan(problem, again)
    assert again.objective <= first.objective + 1e-6


def test_warm_start_drops_what_no_longer_fits(technician, visit):
    visits = [visit(str(i), i) for i in (1, 2, 3)]
    problem = Problem((technician(),), tuple(visits), line(0, 10, 20, 30))
    first = solve(problem, time_limit=0.3)
    visits[1] = visit("2", 2, windows=(TimeWindow(8 * HOUR, 8 * HOUR),))
    visits.append(visit("4", 1))
    changed = Problem((technician(),), tuple(visits), line(0, 10, 20, 30))
    plan = solve(changed, time_limit=0.3, initial=first)
    check_plan(changed, plan)
    assert {u.visit for u in plan.unassigned} == {"2"}


def test_a_technician_who_cannot_get_home_does_not_sink_the_plan(technician, visit):
    stranded = technician("ann", start=0, end=1, shift=TimeWindow(8 * HOUR, 8 * HOUR + MINUTE))
    problem = Problem(
        (stranded, technician("bob")), (visit("a", 1, eligible={"ann", "bob"}),), line(0, 100)
    )
    plan = solve(problem, time_limit=0.3)
    check_plan(problem, plan)
    assert [len(r.stops) for r in plan.routes] == [0, 1]


def test_large_problems_are_split_and_mended(monkeypatch, technician, visit):
    monkeypatch.setattr(parallel, "PART_SIZE", 8)
    techs = tuple(technician(f"t{k}", capacity=40) for k in range(4))
    everyone = frozenset(t.id for t in techs)
    visits = tuple(
        visit(str(i), i, duration=10 * MINUTE, demand=3, eligible=everyone) for i in range(1, 25)
    )
    problem = Problem(techs, visits, line(*[(i * 7) % 23 for i in range(25)]))
    plan = solve(problem, time_limit=1.5, seed=3)
    check_plan(problem, plan)
    assert plan.stats.parts == 3
    assert not plan.unassigned


def test_a_split_search_stops_once_the_recuts_stop_gaining(monkeypatch, technician, visit):
    monkeypatch.setattr(parallel, "PART_SIZE", 8)
    techs = tuple(technician(f"t{k}") for k in range(4))
    everyone = frozenset(t.id for t in techs)
    visits = tuple(visit(str(i), i, duration=10 * MINUTE, eligible=everyone) for i in range(1, 25))
    problem = Problem(techs, visits, line(*[(i * 7) % 23 for i in range(25)]))
    plan = solve(problem, time_limit=120)
    check_plan(problem, plan)
    assert plan.stats.parts == 3
    assert plan.stats.runtime < 90  # 47 s on the 2-core machine at a load of 13


def test_two_workers_return_a_valid_plan(technician, visit):
    visits = tuple(visit(str(i), i) for i in range(1, 6))
    problem = Problem((technician(),), visits, line(0, 4, 1, 3, 2, 5))
    plan = solve(problem, time_limit=1.5, workers=2)
    check_plan(problem, plan)
    assert plan.stats.workers == 2
    assert not plan.unassigned


@pytest.mark.parametrize("workers", [1, 2])
def test_a_three_visit_day_stops_long_before_its_limit(technician, visit, workers):
    visits = tuple(visit(str(i), i) for i in range(1, 4))
    problem = Problem((technician(),), visits, line(0, 5, 10, 15))
    plan = solve(problem, time_limit=30, workers=workers)
    check_plan(problem, plan)
    assert plan.stats.runtime < 1
    assert plan.objective == pytest.approx(30 * MINUTE)


def sixty_visits(technician, visit) -> Problem:
    techs = tuple(technician(f"t{k}") for k in range(6))
    everyone = frozenset(t.id for t in techs)
    visits = tuple(visit(str(i), i, duration=10 * MINUTE, eligible=everyone) for i in range(1, 61))
    return Problem(techs, visits, line(*[(i * 37) % 61 for i in range(61)]))


@pytest.mark.parametrize("workers", [1, 2])
def test_the_limit_bounds_the_whole_call_whatever_the_workers(technician, visit, workers):
    problem = sixty_visits(technician, visit)
    began = time.monotonic()
    plan = solve(problem, time_limit=1.0, workers=workers)
    assert time.monotonic() - began <= 1.0
    check_plan(problem, plan)


@pytest.mark.parametrize(("limit", "workers"), [(0, 1), (1, 0)])
def test_rejects_nonsense_limits(technician, limit, workers):
    with pytest.raises(ValueError):
        solve(Problem((technician(),), (), line(0)), time_limit=limit, workers=workers)


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    size = draw(st.integers(2, 7))
    positions = draw(st.lists(st.integers(0, 60), min_size=size, max_size=size))
    names = ["ann", "bob"]
    techs = tuple(
        Technician(
            name,
            TimeWindow(8 * HOUR, draw(st.integers(10, 18)) * HOUR),
            draw(st.integers(0, size - 1)),
            capacity=draw(st.none() | st.integers(0, 20)),
        )
        for name in names
    )
    visits = []
    for i in range(1, size):
        opens = draw(st.integers(7, 17)) * HOUR
        eligible = draw(st.frozensets(st.sampled_from(names)))
        pin = None
        if eligible and draw(st.booleans()) and draw(st.booleans()):
            pin = Pin(sorted(eligible)[0], draw(st.none() | st.just(opens)))
        visits.append(
            Visit(
                str(i),
                i,
                draw(st.integers(0, 3)) * 20 * MINUTE,
                (TimeWindow(opens, opens + draw(st.integers(0, 4)) * HOUR),),
                eligible,
                priority=draw(st.integers(1, 3)),
                pin=pin,
                demand=draw(st.integers(0, 8)),
            )
        )
    return Problem(techs, tuple(visits), line(*positions))


@settings(max_examples=15, deadline=None)
@given(problems())
def test_every_plan_keeps_the_invariants(problem):
    check_plan(problem, solve(problem, time_limit=0.2))


def test_never_more_parts_than_technicians(monkeypatch, technician, visit):
    monkeypatch.setattr(parallel, "PART_SIZE", 4)
    techs = (technician("ann"), technician("bob"))
    visits = tuple(
        visit(str(i), i, duration=5 * MINUTE, eligible={"ann", "bob"}) for i in range(1, 13)
    )
    problem = Problem(techs, visits, line(*range(13)))
    plan = solve(problem, time_limit=1.0)
    check_plan(problem, plan)
    assert plan.stats.parts == 2
    assert not plan.unassigned


@pytest.mark.parametrize(
    ("routes", "settled", "calls"),
    [
        (((1, 2), (3,)), True, 1 + 6),  # visit node 0 unserved: the re-cuts go on
        (((0, 1), (2, 3)), False, 1 + 6),  # parts cut short by their time: not a plateau
        (((0, 1), (2, 3)), True, 1 + 3),  # all served, settled, no gain three times: stop
    ],
)
def test_a_split_search_stops_early_only_when_all_is_served_and_settled(
    monkeypatch, technician, visit, routes, settled, calls
):
    techs = (technician("ann"), technician("bob"))
    visits = tuple(visit(str(i), i, eligible={"ann", "bob"}) for i in range(1, 5))
    problem = Problem(techs, visits, line(0, 1, 2, 3, 4))
    instance = compile_instance(problem, TravelTable.of(problem.travel, list(range(5))), set())
    made = []

    def stuck(instance, parts, deadline, run, previous=None):
        made.append(deadline)
        return routes, settled  # nothing ever improves

    monkeypatch.setattr(parallel, "_search_parts", stuck)
    monkeypatch.setattr(parallel, "RECUTS", 6)
    parallel._decompose(instance, 2, 0, time.monotonic() + 5, parallel._InProcess())
    assert len(made) == calls
