import pytest

from dispatch import HaversineTravel, Pin, Problem, Reason, TimeWindow, TravelMatrix

from .conftest import line


def test_window_must_not_end_before_it_starts():
    with pytest.raises(ValueError, match="ends before"):
        TimeWindow(10, 9)


def test_visit_needs_a_window(visit):
    with pytest.raises(ValueError, match="no time window"):
        visit("a", 1, windows=())


def test_visit_windows_must_be_sorted_and_disjoint(visit):
    with pytest.raises(ValueError, match="overlap"):
        visit("a", 1, windows=(TimeWindow(5, 10), TimeWindow(10, 20)))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"duration": -1}, "duration"),
        ({"priority": 0}, "priority"),
        ({"demand": -1}, "demand"),
        ({"pin": Pin("bob")}, "pinned technician"),
    ],
)
def test_visit_rejects_bad_fields(visit, overrides, message):
    with pytest.raises(ValueError, match=message):
        visit("a", 1, **overrides)


def test_visit_freezes_its_eligible_set(visit):
    assert visit("a", 1, eligible={"ann"}).eligible == frozenset({"ann"})


def test_pinned_start_replaces_the_windows(visit):
    pinned = visit("a", 1, pin=Pin("ann", 9 * 3600))
    assert pinned.service_windows == (TimeWindow(9 * 3600, 9 * 3600),)


def test_technician_capacity_must_not_be_negative(technician):
    with pytest.raises(ValueError, match="capacity"):
        technician(capacity=-1)


def test_technician_ends_where_it_starts_by_default(technician):
    assert technician(start=3).end_location == 3


def test_problem_rejects_duplicate_ids(technician, visit):
    with pytest.raises(ValueError, match="duplicate visit"):
        Problem((technician(),), (visit("a", 1), visit("a", 1)), line(0, 1))
    with pytest.raises(ValueError, match="duplicate technician"):
        Problem((technician(), technician()), (), line(0, 1))


def test_problem_rejects_unknown_eligible_technicians(technician, visit):
    with pytest.raises(ValueError, match="unknown technician"):
        Problem((technician(),), (visit("a", 1, eligible={"zoe"}),), line(0, 1))


def test_reason_needs_a_code():
    with pytest.raises(ValueError, match="code"):
        Reason("", "why")


def test_travel_matrix_must_be_square_and_non_negative():
    with pytest.raises(ValueError, match="square"):
        TravelMatrix(((0, 1),))
    with pytest.raises(ValueError, match="non-negative"):
        TravelMatrix(((0, -1), (1, 0)))


@pytest.mark.parametrize(("speed", "factor"), [(0, 1.3), (40, 0.9)])
def test_haversine_rejects_impossible_settings(speed, factor):
    with pytest.raises(ValueError):
        HaversineTravel(speed_kmh=speed, road_factor=factor)
