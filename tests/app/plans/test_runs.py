"""Plan runs: queued, solved off the request thread, every visit routed or explained."""

from datetime import date, datetime, timedelta

import dispatch
from app.customers.preferences import add_technician_preference
from app.visits.assignment import assign_technician
from app.visits.service import create_visit
from tests.app.plans.conftest import routed, unassigned
from tests.conftest import MONDAY, denver


def test_a_plan_is_queued_then_succeeds_with_routes(
    client, dispatcher_headers, create_technician, create_visit, wait_for_plan
):
    technicians = [create_technician(), create_technician()]
    visits = [create_visit() for _ in range(3)]

    response = client.post(
        "/api/v1/plans",
        json={"date": MONDAY.isoformat(), "time_limit_seconds": 1},
        headers=dispatcher_headers,
    )

    assert response.status_code == 202
    assert response.json["status"] in {"queued", "running", "succeeded"}
    assert response.headers["Location"].endswith(f"/api/v1/plans/{response.json['id']}")
    plan = wait_for_plan(response.headers["Location"])
    assert plan["status"] == "succeeded", plan["error"]
    stops = routed(plan)
    assert set(stops) == {visit.id for visit in visits}
    assert {technician for technician, _ in stops.values()} <= {t.id for t in technicians}
    first = next(iter(stops.values()))[1]
    assert first["start"].endswith("+00:00") and first["arrival"] <= first["start"]
    assert plan["stats"]["assigned"] == 3
    assert plan["stats"]["solve_seconds"] >= 0
    assert len(plan["stats"]["utilisation"]) == 2


def test_a_day_nobody_works_still_succeeds_and_explains_every_visit(run_plan, create_visit):
    visits = [create_visit() for _ in range(2)]

    plan = run_plan()

    assert plan["status"] == "succeeded", plan["error"]
    assert plan["routes"] == []
    assert {
        visit_id: [r["code"] for r in reasons] for visit_id, reasons in unassigned(plan).items()
    } == {visit.id: ["no_eligible_technician"] for visit in visits}


def test_a_solver_crash_fails_the_plan_with_the_error(
    run_plan, create_technician, create_visit, monkeypatch
):
    create_technician()
    create_visit()

    def crash(*_args, **_kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(dispatch, "solve", crash)
    plan = run_plan()

    assert plan["status"] == "failed"
    assert "solver exploded" in plan["error"]
    assert plan["routes"] == []


def test_an_excluded_technician_is_never_planned_for_that_customer(
    run_plan, create_technician, create_visit, create_case, dispatcher
):
    excluded, other = create_technician(), create_technician()
    case = create_case()
    add_technician_preference(
        case.customer_id,
        technician_id=excluded.id,
        kind="excluded",
        reason="rude last time",
        actor=dispatcher,
    )
    visits = [create_visit(case) for _ in range(3)]

    plan = run_plan()

    stops = routed(plan)
    assert set(stops) == {visit.id for visit in visits}
    assert all(technician == other.id for technician, _ in stops.values())


def test_nobody_eligible_is_explained_with_every_technicians_skills_reasons(
    run_plan, create_technician, create_visit, create_case, dispatcher
):
    plumber = create_technician(skills=[{"skill_code": "hvac", "level": 1}], certifications=[])
    excluded = create_technician()
    case = create_case()
    add_technician_preference(
        case.customer_id, technician_id=excluded.id, kind="excluded", reason="x", actor=dispatcher
    )
    visit = create_visit(case, required_skills=[{"skill_code": "gas", "level": 2}])

    plan = run_plan()

    (reason,) = unassigned(plan)[visit.id]
    assert reason["code"] == "no_eligible_technician"
    why = {
        row["technician_id"]: {r["code"] for r in row["reasons"]} for row in reason["technicians"]
    }
    assert why[plumber.id] == {"missing_skill", "certification_expired"}
    assert why[excluded.id] == {"excluded_by_customer"}


def test_every_visit_is_routed_or_explained(
    run_plan, create_technician, create_visit, create_case, dispatcher
):
    create_technician()
    fine = [create_visit() for _ in range(2)]
    too_short = create_visit(
        window_start=denver(MONDAY, 9), window_end=denver(MONDAY, 9, 30), duration_minutes=60
    )
    case = create_case()
    first = create_visit(case, type="assessment")
    waiting = create_visit_with_prerequisite(case, first, dispatcher)
    nobody = create_visit(required_skills=[{"skill_code": "hvac", "level": 3}])

    plan = run_plan()

    codes = {
        visit_id: [r["code"] for r in reasons] for visit_id, reasons in unassigned(plan).items()
    }
    assert codes[too_short.id] == ["window_unreachable"]
    assert codes[waiting.id] == ["prerequisite_pending"]
    assert codes[nobody.id] == ["no_eligible_technician"]
    assert {v.id for v in fine} | {first.id} <= set(routed(plan))
    everything = {v.id for v in [*fine, too_short, first, waiting, nobody]}
    assert set(routed(plan)) | set(codes) == everything
    assert not set(routed(plan)) & set(codes)


def create_visit_with_prerequisite(case, prerequisite, dispatcher):
    return create_visit(
        case.number,
        actor=dispatcher,
        type="repair",
        window_start=denver(MONDAY, 8),
        window_end=denver(MONDAY, 17),
        required_skills=[{"skill_code": "hvac", "level": 1}],
        requires=[prerequisite.id],
    )


def test_each_territory_is_solved_as_its_own_part(
    run_plan, create_technician, create_visit, create_customer, create_case
):
    north = create_technician(territory="north", home={"latitude": 39.86, "longitude": -104.98})
    south = create_technician(territory="south", home={"latitude": 39.60, "longitude": -104.95})
    near_south = create_customer(
        sites=[
            {
                "address": "1 South St",
                "latitude": 39.61,
                "longitude": -104.95,
                "timezone": "America/Denver",
            }
        ]
    )
    north_visit = create_visit()  # default site, in central Denver: nearer the north home
    south_visit = create_visit(create_case(near_south))

    plan = run_plan()

    assert sorted(part["territory"] for part in plan["parts"]) == ["north", "south"]
    assert routed(plan)[north_visit.id][0] == north.id
    assert routed(plan)[south_visit.id][0] == south.id


def test_one_territory_can_be_planned_alone(run_plan, create_technician, create_visit):
    create_technician(territory="north")
    create_visit()

    plan = run_plan(territory="south")

    assert [part["territory"] for part in plan["parts"]] == ["south"]
    assert plan["routes"] == [] and plan["unassigned"] == []


def test_plans_are_listed_by_day_with_pagination(client, dispatcher_headers, run_plan):
    run_plan()
    run_plan()

    response = client.get(
        "/api/v1/plans",
        query_string={"date": MONDAY.isoformat(), "page_size": 1},
        headers=dispatcher_headers,
    )
    other_day = client.get(
        "/api/v1/plans",
        query_string={"date": date(2031, 6, 3).isoformat()},
        headers=dispatcher_headers,
    )

    assert response.status_code == 200
    assert len(response.json) == 1 and "routes" not in response.json[0]
    assert 'rel="next"' in response.headers["Link"]
    assert other_day.json == []


def test_a_time_limit_over_five_minutes_is_refused(client, dispatcher_headers):
    response = client.post(
        "/api/v1/plans",
        json={"date": MONDAY.isoformat(), "time_limit_seconds": 301},
        headers=dispatcher_headers,
    )

    assert response.status_code == 422
    assert "time_limit_seconds" in response.json["errors"]


def test_visit_ids_that_cannot_be_planned_that_day_are_refused(
    client, dispatcher_headers, create_visit
):
    other_day = create_visit(
        window_start=denver(date(2031, 6, 3), 8), window_end=denver(date(2031, 6, 3), 17)
    )

    response = client.post(
        "/api/v1/plans",
        json={"date": MONDAY.isoformat(), "visit_ids": [other_day.id]},
        headers=dispatcher_headers,
    )

    assert response.status_code == 422
    assert str(other_day.id) in response.json["errors"]["visit_ids"][0]


def test_only_dispatchers_may_plan(client, agent_headers):
    response = client.post(
        "/api/v1/plans", json={"date": MONDAY.isoformat()}, headers=agent_headers
    )

    assert response.status_code == 403
    assert "dispatcher" in response.json["detail"]


def test_an_unknown_plan_is_not_found(client, dispatcher_headers):
    assert client.get("/api/v1/plans/999", headers=dispatcher_headers).status_code == 404


def test_the_time_limit_is_wall_clock_for_the_whole_run_whatever_the_parts(
    run_plan, create_technician, create_visit, create_customer, create_case
):
    for index, territory in enumerate(("north", "south", "east")):
        home = {"latitude": 39.6 + index / 10, "longitude": -104.9}
        create_technician(territory=territory, home=home)
        site = {"address": f"{index} Main St", "timezone": "America/Denver", **home}
        for _ in range(3):
            create_visit(create_case(create_customer(sites=[site])))

    plan = run_plan(time_limit_seconds=2)

    started = min(datetime.fromisoformat(part["started_at"]) for part in plan["parts"])
    finished = max(datetime.fromisoformat(part["finished_at"]) for part in plan["parts"])
    assert len(plan["parts"]) == 3 and plan["status"] == "succeeded"
    assert (finished - started).total_seconds() < 2 + 1.5  # the limit; building; a busy CI


def test_a_three_visit_day_plans_in_seconds_not_its_whole_limit(
    run_plan, create_technician, create_visit
):
    create_technician()
    for _ in range(3):
        create_visit()

    plan = run_plan(time_limit_seconds=30)

    (part,) = plan["parts"]
    took = datetime.fromisoformat(part["finished_at"]) - datetime.fromisoformat(part["started_at"])
    print(f"3-visit day: {took.total_seconds():.2f} s with a 30 s limit")
    assert plan["status"] == "succeeded" and len(routed(plan)) == 3
    assert took.total_seconds() < 5


def test_a_preferred_technician_gets_the_visit_and_the_stop_says_so(
    run_plan, create_technician, create_visit, create_case, dispatcher
):
    # Same home, same skills: travel cannot tell them apart, the preference does.
    first, preferred = create_technician(), create_technician()
    case = create_case()
    add_technician_preference(
        case.customer_id,
        technician_id=preferred.id,
        kind="preferred",
        reason="fixed it last time",
        actor=dispatcher,
    )
    visit = create_visit(case)

    plan = run_plan()

    technician, stop = routed(plan)[visit.id]
    assert (technician, stop["preferred"], stop["moved"]) == (preferred.id, True, False)
    assert first.id != preferred.id


def test_a_re_plan_keeps_a_booking_it_need_not_move(
    run_plan, create_technician, create_visit, dispatcher
):
    booked, other = create_technician(), create_technician()
    visit = create_visit()
    assign_technician(visit.id, technician_id=booked.id, start=denver(MONDAY, 11), actor=dispatcher)

    plan = run_plan()

    technician, stop = routed(plan)[visit.id]
    assert (technician, stop["moved"]) == (booked.id, False)
    start = datetime.fromisoformat(stop["start"])
    assert abs(start - denver(MONDAY, 11)) <= timedelta(minutes=15)
    assert other.id != booked.id


def test_after_a_technician_falls_sick_a_re_plan_moves_only_what_they_cannot_do(
    client, dispatcher_headers, run_plan, create_technician, create_visit, dispatcher
):
    sick, healthy = create_technician(), create_technician()
    bookings = {
        create_visit().id: (sick.id, 9),
        create_visit().id: (sick.id, 15),
        create_visit().id: (healthy.id, 10),
    }
    for visit_id, (technician_id, hour) in bookings.items():
        assign_technician(
            visit_id, technician_id=technician_id, start=denver(MONDAY, hour), actor=dispatcher
        )
    response = client.post(
        f"/api/v1/technicians/{sick.id}/unavailable",
        json={"from": denver(MONDAY, 12).isoformat()},
        headers=dispatcher_headers,
    )
    assert response.status_code == 201

    stops = routed(run_plan())

    moved = {visit_id for visit_id, (_, stop) in stops.items() if stop["moved"]}
    (afternoon,) = response.json["affected_visit_ids"]
    assert moved == {afternoon}
    assert stops[afternoon][0] == healthy.id
