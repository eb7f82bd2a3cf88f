import time

from dispatch.solver import Config, search

from .test_split import compiled


def test_iterated_search_improves_a_warm_start_instead_of_keeping_it(technician, visit):
    instance = compiled(technician, visit, size=4, techs=2)
    first, second, third, fourth = (g[0] for g in instance.groups())
    # Back and forth along the line: feasible, but twice the travel it needs.
    zigzag = ((third, first, fourth, second), ())
    found = search(instance, Config(), time.monotonic() + 0.5, zigzag)
    assert sorted(n for route in found.routes for n in route) == [first, second, third, fourth]
    assert found.objective == instance.objective(found.routes)
    assert found.objective < instance.objective(zigzag)


def test_search_stops_once_the_best_cost_stops_improving(technician, visit):
    instance = compiled(technician, visit, size=3, techs=1)
    began = time.monotonic()
    found = search(instance, Config(), began + 30)
    assert time.monotonic() - began < 1
    assert len([n for route in found.routes for n in route]) == 3


def test_search_never_runs_past_its_deadline(technician, visit):
    instance = compiled(technician, visit, size=40, techs=6)
    began = time.monotonic()
    # Rounds of 40 visits last 1.2 s at least: only the deadline can end this one early.
    search(instance, Config(), began + 0.3)
    assert time.monotonic() - began < 1
