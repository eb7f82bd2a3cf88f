"""The repeat-assessment and assignment guards: each refusal, and each success path."""

import threading

import pytest

from app.auth.models import Role
from app.customers.preferences import add_technician_preference
from app.visits.assignment import assign_technician
from app.visits.events import record_event
from app.visits.service import record_diagnosis
from tests.conftest import MONDAY, denver

DIAGNOSIS = {
    "findings": "Run capacitor failed",
    "required_skills": [{"skill_code": "hvac", "level": 2}],
    "required_equipment": ["vacuum_pump"],
    "required_parts": [{"sku": "CAP-45-5", "quantity": 1}],
    "estimated_minutes": 90,
}


@pytest.fixture
def diagnosed_case(create_case, create_visit, create_technician, dispatcher):
    case = create_case()
    assessment = create_visit(case, type="assessment")
    assign_technician(
        assessment.id,
        technician_id=create_technician().id,
        start=denver(MONDAY, 9),
        actor=dispatcher,
    )
    record_diagnosis(assessment.id, actor=dispatcher, **DIAGNOSIS)
    return case


def _window(day=MONDAY):
    return {"window_start": denver(day, 8).isoformat(), "window_end": denver(day, 17).isoformat()}


def test_an_assessment_on_an_undiagnosed_case_is_created(
    client, agent_headers, create_case, catalog
):
    case = create_case()

    response = client.post(
        f"/api/v1/cases/{case.number}/visits",
        json={"type": "assessment", **_window()},
        headers=agent_headers,
    )

    assert response.status_code == 201
    assert response.json["status"] == "unassigned"


def test_a_repeat_assessment_is_refused_naming_the_diagnosis_and_suggesting_the_repair(
    client, agent_headers, diagnosed_case
):
    response = client.post(
        f"/api/v1/cases/{diagnosed_case.number}/visits",
        json={"type": "assessment", **_window()},
        headers=agent_headers,
    )

    assert response.status_code == 409
    problem = response.json
    assert problem["type"].endswith("/repeat-assessment")
    assert "Run capacitor failed" in problem["detail"]
    assert "1 x CAP-45-5" in problem["detail"]
    assert problem["diagnosis"]["by"].startswith("dispatcher")
    assert problem["diagnosis"]["required_parts"] == [{"sku": "CAP-45-5", "quantity": 1}]
    assert problem["suggestion"]["type"] == "repair"


def test_a_dispatcher_overrides_the_guard_and_the_override_is_flagged_and_counted(
    client, dispatcher_headers, diagnosed_case
):
    response = client.post(
        f"/api/v1/cases/{diagnosed_case.number}/visits",
        json={"type": "assessment", "override_reason": "Customer disputes it", **_window()},
        headers=dispatcher_headers,
    )
    case = client.get(f"/api/v1/cases/{diagnosed_case.number}", headers=dispatcher_headers)

    assert response.status_code == 201
    assert response.json["reimbursement_review"] is True
    assert response.json["override_reason"] == "Customer disputes it"
    assert case.json["counts"]["override"] == 1


def test_an_agent_cannot_override_the_guard(client, agent_headers, diagnosed_case):
    response = client.post(
        f"/api/v1/cases/{diagnosed_case.number}/visits",
        json={"type": "assessment", "override_reason": "Please", **_window()},
        headers=agent_headers,
    )

    assert response.status_code == 403


def test_a_repair_inherits_the_diagnosis_and_reserves_its_exact_parts(
    client, agent_headers, diagnosed_case, catalog
):
    response = client.post(
        f"/api/v1/cases/{diagnosed_case.number}/visits",
        json={"type": "repair", **_window()},
        headers=agent_headers,
    )
    stock = client.get(
        f"/api/v1/stock-locations/{catalog['warehouse'].id}/stock", headers=agent_headers
    )

    assert response.status_code == 201
    visit = response.json
    assert visit["duration_minutes"] == 90
    assert visit["required_skills"] == [{"code": "hvac", "level": 2}]
    assert visit["required_equipment"] == ["vacuum_pump"]
    assert [(r["sku"], r["quantity"], r["status"]) for r in visit["reservations"]] == [
        ("CAP-45-5", 1, "held")
    ]
    assert {"sku": "CAP-45-5", "quantity": 10, "reserved": 1} in stock.json


def test_a_repair_needing_parts_no_warehouse_has_is_refused(
    client, dispatcher_headers, create_case, catalog
):
    case = create_case()

    response = client.post(
        f"/api/v1/cases/{case.number}/visits",
        json={
            "type": "repair",
            "required_parts": [{"sku": "CAP-45-5", "quantity": 11}],
            **_window(),
        },
        headers=dispatcher_headers,
    )

    assert response.status_code == 409
    assert response.json["reasons"][0]["code"] == "out_of_stock"


def test_assignment_inside_window_and_shift_books_the_technician_and_schedules_the_case(
    client, dispatcher_headers, create_visit, create_technician
):
    visit, technician = create_visit(), create_technician()

    response = client.put(
        f"/api/v1/visits/{visit.id}/assignment",
        json={"technician_id": technician.id, "start": "2031-06-02T09:00:00-06:00"},
        headers=dispatcher_headers,
    )
    case = client.get(f"/api/v1/cases/{visit.case.number}", headers=dispatcher_headers)

    assert response.status_code == 200
    assert response.json["status"] == "scheduled"
    assert response.json["technician"] == {"id": technician.id, "name": technician.name}
    assert response.json["start"] == "2031-06-02T15:00:00+00:00"
    assert response.json["end"] == "2031-06-02T16:00:00+00:00"
    assert case.json["status"] == "scheduled"


def test_assignment_is_refused_listing_every_failing_check(
    client, dispatcher_headers, create_visit, create_technician
):
    visit = create_visit(
        required_skills=[{"skill_code": "hvac", "level": 3}], required_equipment=["ladder"]
    )
    technician = create_technician(equipment=[])

    response = client.put(
        f"/api/v1/visits/{visit.id}/assignment",
        json={"technician_id": technician.id, "start": "2031-06-02T17:30:00-06:00"},
        headers=dispatcher_headers,
    )

    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    codes = [reason["code"] for reason in response.json["reasons"]]
    assert codes == ["outside_window", "skill_level", "missing_equipment", "off_shift"]


def test_an_excluded_technician_is_never_assigned(
    client, dispatcher_headers, dispatcher, create_visit, create_technician
):
    visit, technician = create_visit(), create_technician()
    add_technician_preference(
        visit.case.customer_id,
        technician_id=technician.id,
        kind="excluded",
        reason="Rude last time",
        actor=dispatcher,
    )

    response = client.put(
        f"/api/v1/visits/{visit.id}/assignment",
        json={"technician_id": technician.id, "start": "2031-06-02T09:00:00-06:00"},
        headers=dispatcher_headers,
    )

    assert response.status_code == 409
    assert [r["code"] for r in response.json["reasons"]] == ["excluded_by_customer"]


def test_a_visit_waits_for_its_prerequisite_to_be_completed(
    client, dispatcher_headers, dispatcher, create_case, create_visit, create_technician
):
    case, technician = create_case(), create_technician()
    survey = create_visit(case, type="site_survey")
    install = create_visit(case, type="installation", requires=[survey.id])
    body = {"technician_id": technician.id, "start": "2031-06-02T13:00:00-06:00"}

    refused = client.put(
        f"/api/v1/visits/{install.id}/assignment", json=body, headers=dispatcher_headers
    )
    client.put(
        f"/api/v1/visits/{survey.id}/assignment",
        json={**body, "start": "2031-06-02T08:00:00-06:00"},
        headers=dispatcher_headers,
    )
    for step in ("on_site", "completed"):
        record_event(survey.id, actor=dispatcher, type=step)
    accepted = client.put(
        f"/api/v1/visits/{install.id}/assignment", json=body, headers=dispatcher_headers
    )

    assert refused.status_code == 409
    assert [r["code"] for r in refused.json["reasons"]] == ["prerequisite_pending"]
    assert accepted.status_code == 200


def test_an_overlapping_booking_is_refused_and_a_back_to_back_one_accepted(
    client, dispatcher_headers, create_visit, create_technician
):
    first, second, third = create_visit(), create_visit(), create_visit()
    technician = create_technician()

    def book(visit, start):
        return client.put(
            f"/api/v1/visits/{visit.id}/assignment",
            json={"technician_id": technician.id, "start": start},
            headers=dispatcher_headers,
        )

    book(first, "2031-06-02T09:00:00-06:00")
    overlapping = book(second, "2031-06-02T09:30:00-06:00")
    back_to_back = book(third, "2031-06-02T10:00:00-06:00")

    assert overlapping.status_code == 409
    assert [r["code"] for r in overlapping.json["reasons"]] == ["overlap"]
    assert back_to_back.status_code == 200


def test_sixteen_concurrent_overlapping_bookings_commit_exactly_one(
    app, dispatcher_headers, create_case, create_visit, create_technician
):
    case, technician = create_case(), create_technician()
    visits = [create_visit(case) for _ in range(16)]
    barrier = threading.Barrier(len(visits))
    statuses: list[int] = []

    def book(visit_id):
        client = app.test_client()
        barrier.wait()
        response = client.put(
            f"/api/v1/visits/{visit_id}/assignment",
            json={"technician_id": technician.id, "start": "2031-06-02T09:00:00-06:00"},
            headers=dispatcher_headers,
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=book, args=(visit.id,)) for visit in visits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] + [409] * 15


def test_unassigning_frees_the_technician_and_reopens_the_case(
    client, dispatcher_headers, create_visit, create_technician
):
    visit, technician = create_visit(), create_technician()
    client.put(
        f"/api/v1/visits/{visit.id}/assignment",
        json={"technician_id": technician.id, "start": "2031-06-02T09:00:00-06:00"},
        headers=dispatcher_headers,
    )

    response = client.delete(f"/api/v1/visits/{visit.id}/assignment", headers=dispatcher_headers)
    case = client.get(f"/api/v1/cases/{visit.case.number}", headers=dispatcher_headers)

    assert response.status_code == 200
    assert response.json["status"] == "unassigned"
    assert response.json["technician"] is None
    assert case.json["status"] == "open"


def test_only_a_dispatcher_assigns(client, make_user, headers_for, create_visit, create_technician):
    visit, technician = create_visit(), create_technician()
    agent = headers_for(make_user(Role.AGENT))

    response = client.put(
        f"/api/v1/visits/{visit.id}/assignment",
        json={"technician_id": technician.id, "start": "2031-06-02T09:00:00-06:00"},
        headers=agent,
    )

    assert response.status_code == 403
