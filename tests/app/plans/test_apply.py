"""Applying a plan: bookings through the assignment guard, all or nothing, never stale."""

from app import extensions
from app.customers.preferences import add_technician_preference
from app.visits.assignment import assign_technician
from app.visits.events import record_event
from app.visits.models import Visit
from tests.app.plans.conftest import routed
from tests.conftest import MONDAY, denver


def _apply(client, headers, plan):
    extensions.db.session.commit()  # what the test booked itself, as another request would
    extensions.db.session.remove()
    return client.post(f"/api/v1/plans/{plan['id']}/apply", headers=headers)


def _visit(visit_id):
    extensions.db.session.remove()
    return extensions.db.session.get(Visit, visit_id)


def test_applying_a_plan_books_every_routed_visit(
    client, dispatcher_headers, run_plan, create_technician, create_visit
):
    create_technician(), create_technician()
    visits = [create_visit() for _ in range(3)]
    plan = run_plan()

    response = _apply(client, dispatcher_headers, plan)

    assert response.status_code == 200, response.json
    assert sorted(response.json["booked"]) == sorted(v.id for v in visits)
    for visit_id, (technician_id, stop) in routed(plan).items():
        visit = _visit(visit_id)
        assert visit.status == "scheduled"
        assert visit.technician_id == technician_id
        assert visit.start_at.isoformat() == stop["start"]
    again = _apply(client, dispatcher_headers, plan)
    assert again.status_code == 409


def test_a_plan_whose_visits_changed_is_refused_naming_them(
    client, dispatcher_headers, run_plan, create_technician, create_visit, dispatcher
):
    technician = create_technician()
    changed, untouched = create_visit(), create_visit()
    plan = run_plan()
    assign_technician(
        changed.id, technician_id=technician.id, start=denver(MONDAY, 15), actor=dispatcher
    )

    response = _apply(client, dispatcher_headers, plan)

    assert response.status_code == 409
    assert response.json["changed_visits"] == [changed.id]
    assert response.json["reasons"] == [{"code": "visit_changed", "visit_id": changed.id}]
    assert _visit(untouched.id).status == "unassigned"


def test_a_guard_refusal_books_nothing(
    client, dispatcher_headers, run_plan, create_technician, create_visit, create_case, dispatcher
):
    create_technician(), create_technician()
    booked_first = create_visit()
    refused_case = create_case()
    refused = create_visit(refused_case)
    plan = run_plan()
    # A customer's exclusion is not a change to the visit, so only the guard can catch it.
    add_technician_preference(
        refused_case.customer_id,
        technician_id=routed(plan)[refused.id][0],
        kind="excluded",
        reason="complaint after the plan ran",
        actor=dispatcher,
    )

    response = _apply(client, dispatcher_headers, plan)

    assert response.status_code == 409
    assert response.json["reasons"][0]["code"] == "excluded_by_customer"
    assert _visit(booked_first.id).status == "unassigned"
    assert _visit(refused.id).status == "unassigned"


def test_visits_in_progress_and_locked_visits_stay_pinned(
    client, dispatcher_headers, run_plan, create_technician, create_visit, dispatcher
):
    first, second = create_technician(), create_technician()
    under_way, locked, free = create_visit(), create_visit(), create_visit()
    assign_technician(
        under_way.id, technician_id=first.id, start=denver(MONDAY, 9), actor=dispatcher
    )
    record_event(under_way.id, actor=dispatcher, type="en_route", at=denver(MONDAY, 8, 45))
    assign_technician(
        locked.id, technician_id=second.id, start=denver(MONDAY, 13), actor=dispatcher
    )
    etag = client.get(f"/api/v1/visits/{locked.id}", headers=dispatcher_headers).headers["ETag"]
    lock = client.patch(
        f"/api/v1/visits/{locked.id}",
        json={"locked": True},
        headers={**dispatcher_headers, "If-Match": etag},
    )
    assert lock.status_code == 200

    plan = run_plan()

    stops = routed(plan)
    assert stops[under_way.id][0] == first.id and stops[under_way.id][1]["pinned"]
    assert stops[under_way.id][1]["start"] == denver(MONDAY, 9).isoformat()
    assert stops[locked.id][0] == second.id
    assert stops[locked.id][1]["start"] == denver(MONDAY, 13).isoformat()
    assert free.id in stops and not stops[free.id][1]["pinned"]
    response = _apply(client, dispatcher_headers, plan)
    assert response.status_code == 200, response.json
    assert response.json["booked"] == [free.id]


def test_only_the_chosen_visits_move_and_other_bookings_are_kept(
    client, dispatcher_headers, run_plan, create_technician, create_visit, dispatcher
):
    technician = create_technician()
    booked, chosen, ignored = create_visit(), create_visit(), create_visit()
    assign_technician(
        booked.id, technician_id=technician.id, start=denver(MONDAY, 8), actor=dispatcher
    )

    plan = run_plan(visit_ids=[chosen.id])

    stops = routed(plan)
    assert stops[booked.id][1]["pinned"]
    assert chosen.id in stops and ignored.id not in stops
    assert ignored.id not in {item["visit_id"] for item in plan["unassigned"]}


def test_a_failed_plan_cannot_be_applied(
    client, dispatcher_headers, run_plan, create_technician, create_visit, monkeypatch
):
    import dispatch

    create_technician(), create_visit()
    monkeypatch.setattr(dispatch, "solve", lambda *_a, **_k: 1 / 0)
    plan = run_plan()

    response = _apply(client, dispatcher_headers, plan)

    assert response.status_code == 409
    assert "failed" in response.json["detail"]
