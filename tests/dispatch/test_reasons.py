"""Each reason code comes out of a tiny instance built to produce it."""

import pytest

from dispatch import Code, Problem, Reason, TimeWindow, solve

from .conftest import HOUR, MINUTE, check_plan, line


def reasons_of(problem: Problem, visit_id: str) -> list[str]:
    plan = solve(problem, time_limit=0.5)
    check_plan(problem, plan)
    left = {u.visit: u for u in plan.unassigned}
    assert visit_id in left, "visit should be unassigned"
    assert all(r.detail for r in left[visit_id].reasons)
    return [r.code for r in left[visit_id].reasons]


def test_nobody_eligible(technician, visit):
    problem = Problem((technician(),), (visit("a", 1, eligible=frozenset()),), line(0, 1))
    assert reasons_of(problem, "a") == [Code.NO_ELIGIBLE_TECHNICIAN]


def test_window_closes_before_anyone_can_arrive(technician, visit):
    # An hour's drive away, but the window closes half an hour into the shift.
    late = visit("a", 1, windows=(TimeWindow(8 * HOUR, 8 * HOUR + 30 * MINUTE),))
    problem = Problem((technician(),), (late,), line(0, 60))
    assert reasons_of(problem, "a") == [Code.WINDOW_UNREACHABLE]


def test_visit_too_long_for_the_shift_is_unreachable(technician, visit):
    problem = Problem((technician(),), (visit("a", 1, duration=10 * HOUR),), line(0, 1))
    assert reasons_of(problem, "a") == [Code.WINDOW_UNREACHABLE]


def test_day_full_of_visits_of_higher_priority(technician, visit):
    nine = (TimeWindow(9 * HOUR, 9 * HOUR),)
    urgent = visit("urgent", 1, windows=nine, priority=3)
    routine = visit("routine", 1, windows=nine)
    problem = Problem((technician(),), (routine, urgent), line(0, 1))
    assert reasons_of(problem, "routine") == [Code.NO_CAPACITY]


def test_demand_beyond_every_van(technician, visit):
    problem = Problem((technician(capacity=5),), (visit("a", 1, demand=6),), line(0, 1))
    assert reasons_of(problem, "a") == [Code.NO_CAPACITY]


@pytest.mark.parametrize("code", [Code.PREREQUISITE_PENDING, Code.PARTS_NOT_READY])
def test_blocked_visits_pass_straight_through(technician, visit, code):
    blocked = visit("a", 1, blocked_by=(Reason(code, "Waiting on something."),))
    problem = Problem((technician(),), (blocked,), line(0, 1))
    assert reasons_of(problem, "a") == [code]


def test_nobody_working_leaves_every_visit_without_a_technician(visit):
    problem = Problem((), (visit("a", 1, eligible=frozenset()),), line(0, 1))
    assert reasons_of(problem, "a") == [Code.NO_ELIGIBLE_TECHNICIAN]


def test_only_technician_cannot_make_the_round_trip(technician, visit):
    stranded = technician(start=0, end=2, shift=TimeWindow(8 * HOUR, 8 * HOUR + MINUTE))
    problem = Problem((stranded,), (visit("a", 1),), line(0, 1, 100))
    assert reasons_of(problem, "a") == [Code.WINDOW_UNREACHABLE]
