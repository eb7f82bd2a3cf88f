from dispatch import Problem, TimeWindow
from dispatch.explain import excluded
from dispatch.instance import compile_instance
from dispatch.split import partition, recut
from dispatch.travel import TravelTable

from .conftest import HOUR, line


def compiled(technician, visit, size=40, techs=6):
    people = tuple(technician(f"t{k}", start=0) for k in range(techs))
    everyone = frozenset(t.id for t in people)
    # Every fifth visit may be done in the morning or at lunch: two nodes, one visit.
    two_slots = {"windows": (TimeWindow(8 * HOUR, 9 * HOUR), TimeWindow(12 * HOUR, 13 * HOUR))}
    visits = tuple(
        visit(str(i), i, eligible=everyone, **(two_slots if i % 5 == 0 else {}))
        for i in range(1, size + 1)
    )
    problem = Problem(people, visits, line(*range(size + 1)))
    table = TravelTable.of(problem.travel, list(range(size + 1)))
    return compile_instance(problem, table, set(excluded(problem, table)))


def test_parts_cover_every_visit_once_and_keep_windows_together(technician, visit):
    instance = compiled(technician, visit)
    parts = partition(instance, 3, seed=1)
    nodes = [n for visits, _ in parts for n in visits]
    assert sorted(nodes) == list(range(len(instance.visits)))
    for visits, _ in parts:
        assert {instance.visits[n] for n in visits} == {
            instance.visits[n] for g in instance.groups() if g[0] in visits for n in g
        }


def test_parts_are_balanced_and_get_vehicles(technician, visit):
    instance = compiled(technician, visit)
    parts = partition(instance, 3, seed=1)
    sizes = [len({instance.visits[n] for n in visits}) for visits, _ in parts]
    assert max(sizes) - min(sizes) <= 5
    assert sorted(v for _, fleet in parts for v in fleet) == list(range(6))
    assert all(fleet for _, fleet in parts)


def test_parts_are_contiguous_on_a_line(technician, visit):
    instance = compiled(technician, visit, size=30, techs=2)
    for visits, _ in partition(instance, 2, seed=4):
        places = sorted({instance.visits[n] for n in visits})
        assert places[-1] - places[0] < 20


def test_recut_keeps_routes_whole_and_every_visit_once(technician, visit):
    instance = compiled(technician, visit)
    groups = instance.groups()
    # Two routes straddling the whole line, one visit (its first node) per stop.
    routes = [(), (), (), (), (), ()]
    routes[1] = tuple(g[0] for g in groups[:12])
    routes[4] = tuple(g[0] for g in groups[12:25])
    parts = recut(instance, tuple(routes), 3, seed=2)
    nodes = sorted(n for visits, _ in parts for n in visits)
    assert nodes == list(range(len(instance.visits)))
    assert sorted(v for _, fleet in parts for v in fleet) == list(range(6))
    for route_vehicle in (1, 4):
        (part,) = [visits for visits, fleet in parts if route_vehicle in fleet]
        assert set(routes[route_vehicle]) <= set(part)


def test_objective_counts_travel_and_the_penalties_of_dropped_visits(technician, visit):
    instance = compiled(technician, visit, size=3, techs=1)
    first, second, third = (g[0] for g in instance.groups())
    home = instance.starts[0]
    travel = instance.travel[home][first] + instance.travel[first][second]
    travel += instance.travel[second][home]
    assert instance.objective(((first, second),)) == travel + instance.penalty[third]
