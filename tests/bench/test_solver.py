import json

import pytest

from bench import solomon, verify
from bench.solver import main

TINY = """TINY

VEHICLE
NUMBER     CAPACITY
  2         10

CUSTOMER
CUST NO.   XCOORD.   YCOORD.    DEMAND   READY TIME   DUE DATE   SERVICE TIME

    0          0       0           0       0         100           0
    1          3       4           6       0          10           1
    2          0      10           6      20          30           1
"""


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text(TINY)
    skills = {"seed": 1, "vehicles": [[0], [1]], "customers": {"1": [0], "2": [1]}}
    path.with_suffix(".skills.json").write_text(json.dumps(skills))
    return path


def test_reads_vehicles_capacity_and_customers(tiny):
    instance = solomon.read(tiny, skills=False)
    assert (instance.name, instance.vehicles, instance.capacity) == ("TINY", 2, 10)
    assert instance.distance(0, 1) == 5
    assert instance.customers[2].ready == 20


def test_problem_maps_vehicles_to_technicians_and_skills_to_eligibility(tiny):
    problem = solomon.to_problem(solomon.read(tiny, skills=True))
    assert [t.id for t in problem.technicians] == ["v0", "v1"]
    assert [sorted(v.eligible) for v in problem.visits] == [["v0"], ["v1"]]


def test_verify_accepts_a_feasible_solution(tiny):
    instance = solomon.read(tiny, skills=True)
    routes = [(0, [1]), (1, [2])]
    assert verify.violations(instance, routes) == []
    assert verify.distance(instance, routes) == pytest.approx(10 + 20)


def test_verify_reports_every_broken_rule(tiny):
    instance = solomon.read(tiny, skills=True)
    found = verify.violations(instance, [(0, [2, 1])])
    assert "vehicle 0 over capacity" in found
    assert "vehicle 0 lacks skills for customer 2" in found
    assert any(p.startswith("customer 1 starts late") for p in found)


def test_verify_reports_missing_and_repeated_customers(tiny):
    instance = solomon.read(tiny, skills=False)
    found = verify.violations(instance, [(0, [1]), (1, [1])])
    assert "1 customers not served" in found
    assert "customer 1 served 2 times" in found


def test_command_line_writes_results_and_prints_the_table(tiny, tmp_path, monkeypatch, capsys):
    out = tmp_path / "results.json"
    argv = ["bench", str(tiny), "--time-limit", "0.3", "--workers", "1", "--skills"]
    monkeypatch.setattr("sys.argv", [*argv, "--out", str(out)])
    main()
    (result,) = json.loads(out.read_text())["results"]
    assert result["instance"] == "TINY"
    assert sorted((r["vehicle"], r["customers"]) for r in result["routes"]) == [(0, [1]), (1, [2])]
    assert result["distance"] == pytest.approx(30)
    assert "TINY" in capsys.readouterr().out


def test_each_worker_count_and_rival_gets_a_row_scored_by_the_one_evaluator(
    tiny, tmp_path, monkeypatch, capsys
):
    pytest.importorskip("pyvrp")
    pytest.importorskip("vroom")
    out = tmp_path / "results.json"
    argv = ["bench", str(tiny), "--time-limit", "0.5", "--skills", "--workers", "1", "2"]
    rivals = ["--solvers", "firstfix", "pyvrp", "vroom"]
    monkeypatch.setattr("sys.argv", [*argv, *rivals, "--out", str(out)])
    main()
    results = json.loads(out.read_text())["results"]
    assert [r["solver"] for r in results] == ["firstfix-w1", "firstfix-w2", "pyvrp-1t", "vroom-1t"]
    for result in results:
        routes = sorted((r["vehicle"], r["customers"]) for r in result["routes"])
        assert routes == [(0, [1]), (1, [2])], result["solver"]
        assert result["distance"] == pytest.approx(30)
    table = capsys.readouterr().out
    assert "vroom-1t     mean gap -" in table
