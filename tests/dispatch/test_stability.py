"""Re-plans keep bookings unless moving them pays; preferred technicians win when cheap."""

from dataclasses import replace

import pytest

from dispatch import FREE, STABLE, Booking, Problem, Weights, solve

from .conftest import HOUR, MINUTE, check_plan, line

EVERYONE = frozenset({"ann", "bob"})


def stops_by_visit(plan):
    return {s.visit: (r.technician, s) for r in plan.routes for s in r.stops}


@pytest.fixture
def pair(technician):
    # Ann lives at km 0, Bob at km 10, a minute per km.
    return (technician("ann", start=0), technician("bob", start=1))


def test_a_booked_visit_stays_when_moving_it_saves_little(pair, visit):
    # Bob is 4 km closer to the visit: 8 minutes of driving saved, less than a moved booking.
    booked = visit("x", 2, eligible=EVERYONE, booked=Booking("ann", 9 * HOUR))
    places = line(0, 10, 6)
    stable = solve(Problem(pair, (booked,), places), time_limit=2)
    free = solve(Problem(pair, (booked,), places, FREE), time_limit=2)
    check_plan(Problem(pair, (booked,), places), stable)
    assert stops_by_visit(stable)["x"][0] == "ann"
    assert not stops_by_visit(stable)["x"][1].moved
    assert stops_by_visit(free)["x"][0] == "bob"
    assert stops_by_visit(free)["x"][1].moved


def test_a_sick_technicians_visits_move_and_nothing_else_does(technician, visit):
    bob = technician("bob", start=0)
    # Ann is off sick: she is not in the problem, her visit a1 needs Bob.
    visits = (
        visit("b1", 1, eligible={"bob"}, booked=Booking("bob", 9 * HOUR)),
        visit("b2", 2, eligible={"bob"}, booked=Booking("bob", 13 * HOUR)),
        visit("a1", 3, eligible={"bob"}, booked=Booking("ann", 10 * HOUR)),
    )
    places = line(0, 5, 10, 15)
    stable = solve(Problem((bob,), visits, places), time_limit=2)
    free = solve(Problem((bob,), visits, places, FREE), time_limit=2)
    check_plan(Problem((bob,), visits, places), stable)
    assert not stable.unassigned
    assert {v for v, (_, s) in stops_by_visit(stable).items() if s.moved} == {"a1"}
    assert stops_by_visit(stable)["b2"][1].start >= 13 * HOUR - 15 * MINUTE
    # Without the stability cost the day is packed into the morning: b2 moves by hours.
    assert {v for v, (_, s) in stops_by_visit(free).items() if s.moved} >= {"a1", "b2"}


def test_a_preferred_technician_gets_the_visit_when_it_costs_little(pair, visit):
    wish = visit("x", 2, eligible=EVERYONE, preferred={"bob"})
    # Ann is 2 km closer: 4 minutes of driving, less than a missed preference.
    plan = solve(Problem(pair, (wish,), line(0, 10, 4)), time_limit=2)
    technician, stop = stops_by_visit(plan)["x"]
    assert (technician, stop.preferred) == ("bob", True)


def test_a_preference_yields_when_it_costs_much_more_travel(pair, visit):
    wish = visit("x", 2, eligible=EVERYONE, preferred={"bob"})
    # Ann is 10 km closer: 20 minutes of driving, more than a missed preference.
    plan = solve(Problem(pair, (wish,), line(0, 30, 10)), time_limit=2)
    technician, stop = stops_by_visit(plan)["x"]
    assert (technician, stop.preferred) == ("ann", False)


def test_a_preference_for_an_ineligible_technician_is_not_counted(pair, visit):
    wish = visit("x", 2, eligible={"ann"}, preferred={"bob"})
    plan = solve(Problem(pair, (wish,), line(0, 10, 4)), time_limit=1)
    assert stops_by_visit(plan)["x"][1].preferred is None


def test_moving_costs_never_make_dropping_a_visit_cheaper(technician, visit):
    weights = Weights(move_technician=100 * HOUR, move_time=50)
    far = visit("x", 1, eligible={"bob"}, booked=Booking("ann", 8 * HOUR))
    problem = Problem((technician("bob", start=0),), (far,), line(0, 1), weights)
    plan = solve(problem, time_limit=1)
    assert not plan.unassigned


def test_weights_must_not_be_negative():
    with pytest.raises(ValueError):
        Weights(not_preferred=-1)
    assert STABLE.move_technician == 30 * MINUTE


def test_a_warm_re_plan_of_an_unchanged_day_moves_no_booking(technician, visit):
    techs = tuple(technician(f"t{k}", start=0) for k in range(3))
    everyone = frozenset(t.id for t in techs)
    visits = tuple(visit(str(i), i, duration=20 * MINUTE, eligible=everyone) for i in range(1, 13))
    places = line(0, *[(i * 7) % 13 for i in range(1, 13)])
    first = solve(Problem(techs, visits, places), time_limit=2)
    booked = {s.visit: Booking(r.technician, round(s.start)) for r in first.routes for s in r.stops}
    again_visits = tuple(replace(v, booked=booked[v.id]) for v in visits)
    again = solve(Problem(techs, again_visits, places), time_limit=2, initial=first)
    assert not again.unassigned
    assert not [s.visit for r in again.routes for s in r.stops if s.moved]
