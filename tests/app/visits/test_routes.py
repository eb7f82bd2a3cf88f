"""Visits: creation, reading, diagnosis, candidates and the case timeline."""

from app.customers.preferences import add_technician_preference
from app.customers.service import add_asset
from app.visits.assignment import assign_technician
from tests.conftest import MONDAY, denver

DIAGNOSIS = {
    "findings": "Compressor contactor pitted",
    "required_skills": [{"code": "hvac", "level": 2}],
    "required_equipment": [],
    "required_parts": [{"sku": "CAP-35-5", "quantity": 1}],
    "estimated_minutes": 45,
}


def _booked(create_visit, create_technician, dispatcher, **overrides):
    visit, technician = create_visit(**overrides), create_technician()
    assign_technician(
        visit.id, technician_id=technician.id, start=denver(MONDAY, 9), actor=dispatcher
    )
    return visit


def test_a_visit_on_an_asset_under_warranty_is_covered(
    client, agent_headers, create_customer, create_case, catalog
):
    customer = create_customer()
    asset = add_asset(
        customer.id, site_id=customer.sites[0].id, kind="furnace", warranty_until=MONDAY
    )
    case = create_case(customer, asset_id=asset.id)

    response = client.post(
        f"/api/v1/cases/{case.number}/visits",
        json={
            "type": "maintenance",
            "window_start": denver(MONDAY, 8).isoformat(),
            "window_end": denver(MONDAY, 12).isoformat(),
        },
        headers=agent_headers,
    )

    assert response.status_code == 201
    assert response.json["warranty_covered"] is True
    assert response.json["duration_minutes"] == 60


def test_an_unknown_visit_type_is_refused(client, agent_headers, create_case, catalog):
    case = create_case()

    response = client.post(
        f"/api/v1/cases/{case.number}/visits",
        json={
            "type": "teleport",
            "window_start": denver(MONDAY, 8).isoformat(),
            "window_end": denver(MONDAY, 12).isoformat(),
        },
        headers=agent_headers,
    )

    assert response.status_code == 422
    assert "type" in response.json["errors"]


def test_a_visit_type_code_fills_kind_duration_and_requirements(
    client, dispatcher_headers, create_case, catalog
):
    client.post(
        "/api/v1/visit-types",
        json={
            "code": "gas_check",
            "name": "Gas safety check",
            "kind": "maintenance",
            "default_duration_minutes": 40,
            "required_skills": [{"code": "gas", "level": 1}],
        },
        headers=dispatcher_headers,
    )
    case = create_case()

    response = client.post(
        f"/api/v1/cases/{case.number}/visits",
        json={
            "type": "gas_check",
            "window_start": denver(MONDAY, 8).isoformat(),
            "window_end": denver(MONDAY, 12).isoformat(),
        },
        headers=dispatcher_headers,
    )

    assert response.json["kind"] == "maintenance"
    assert response.json["duration_minutes"] == 40
    assert response.json["required_skills"] == [{"code": "gas", "level": 1}]


def test_a_case_lists_its_visits(client, agent_headers, create_case, create_visit):
    case = create_case()
    first, second = create_visit(case), create_visit(case, type="follow_up")

    response = client.get(f"/api/v1/cases/{case.number}/visits", headers=agent_headers)

    assert [visit["id"] for visit in response.json] == [first.id, second.id]


def test_a_new_diagnosis_becomes_current_and_supersedes_the_earlier_one(
    client, dispatcher_headers, dispatcher, create_case, create_visit, create_technician
):
    case = create_case()
    visit = _booked(lambda **kw: create_visit(case, **kw), create_technician, dispatcher)

    first = client.put(
        f"/api/v1/visits/{visit.id}/diagnosis", json=DIAGNOSIS, headers=dispatcher_headers
    )
    unversioned = client.put(
        f"/api/v1/visits/{visit.id}/diagnosis",
        json={**DIAGNOSIS, "findings": "Actually the capacitor"},
        headers=dispatcher_headers,
    )
    second = client.put(
        f"/api/v1/visits/{visit.id}/diagnosis",
        json={**DIAGNOSIS, "findings": "Actually the capacitor"},
        headers={**dispatcher_headers, "If-Match": first.headers["ETag"]},
    )
    repair = client.post(
        f"/api/v1/cases/{case.number}/visits",
        json={
            "type": "repair",
            "window_start": denver(MONDAY, 8).isoformat(),
            "window_end": denver(MONDAY, 17).isoformat(),
        },
        headers=dispatcher_headers,
    )

    assert first.status_code == second.status_code == 200
    assert unversioned.status_code == 428  # it would replace a diagnosis it never saw
    assert second.json["current"] is True
    assert repair.json["duration_minutes"] == 45
    assert repair.json["required_parts"] == [{"sku": "CAP-35-5", "quantity": 1}]


def test_a_diagnosis_with_an_unknown_sku_is_refused(
    client, dispatcher_headers, create_visit, create_technician, dispatcher
):
    visit = _booked(create_visit, create_technician, dispatcher)

    response = client.put(
        f"/api/v1/visits/{visit.id}/diagnosis",
        json={**DIAGNOSIS, "required_parts": [{"sku": "NOPE-1", "quantity": 1}]},
        headers=dispatcher_headers,
    )

    assert response.status_code == 422
    assert "NOPE-1" in response.json["errors"]["required_parts"][0]


def test_a_technician_sees_their_own_visit_and_not_anothers(
    client, make_user, headers_for, create_visit, create_technician, dispatcher
):
    visit = _booked(create_visit, create_technician, dispatcher)
    own = headers_for(make_user("technician", email=visit.technician.email))
    other = create_visit()

    mine = client.get(f"/api/v1/visits/{visit.id}", headers=own)
    theirs = client.get(f"/api/v1/visits/{other.id}", headers=own)

    assert mine.status_code == 200
    assert theirs.status_code == 404


def test_candidates_list_every_active_technician_eligible_first_then_nearest(
    client, dispatcher_headers, create_visit, create_technician
):
    visit = create_visit(required_skills=[{"skill_code": "hvac", "level": 2}])
    far = create_technician(name="Far", home={"latitude": 40.5, "longitude": -105.0})
    near = create_technician(name="Near", home={"latitude": 39.75, "longitude": -104.99})
    novice = create_technician(name="Novice", skills=[{"skill_code": "hvac", "level": 1}])
    create_technician(name="Retired", active=False)

    response = client.get(f"/api/v1/visits/{visit.id}/candidates", headers=dispatcher_headers)

    rows = response.json
    assert [row["technician_id"] for row in rows] == [near.id, far.id, novice.id]
    assert [row["eligible"] for row in rows] == [True, True, False]
    assert rows[2]["reasons"][0]["code"] == "skill_level"


def test_the_customers_preferred_technician_comes_first_among_the_eligible(
    client, dispatcher_headers, create_case, create_visit, create_technician, dispatcher
):
    case = create_case()
    visit = create_visit(case, required_skills=[{"skill_code": "hvac", "level": 2}])
    near = create_technician(name="Near", home={"latitude": 39.75, "longitude": -104.99})
    far = create_technician(name="Far", home={"latitude": 40.5, "longitude": -105.0})
    novice = create_technician(name="Novice", skills=[{"skill_code": "hvac", "level": 1}])
    for technician in (far, novice):
        add_technician_preference(
            case.customer_id,
            technician_id=technician.id,
            kind="preferred",
            reason="asked for them",
            actor=dispatcher,
        )

    response = client.get(f"/api/v1/visits/{visit.id}/candidates", headers=dispatcher_headers)

    rows = response.json
    assert [row["technician_id"] for row in rows] == [far.id, near.id, novice.id]
    assert [row["preferred"] for row in rows] == [True, False, True]


def test_visits_assignments_and_diagnoses_appear_on_the_case_timeline(
    client, dispatcher_headers, create_case, create_visit, create_technician, dispatcher
):
    case = create_case()
    visit = _booked(lambda **kw: create_visit(case, **kw), create_technician, dispatcher)
    client.put(f"/api/v1/visits/{visit.id}/diagnosis", json=DIAGNOSIS, headers=dispatcher_headers)

    response = client.get(f"/api/v1/cases/{case.number}/timeline", headers=dispatcher_headers)

    kinds = [entry["kind"] for entry in response.json]
    assert {"interaction", "visit", "assignment", "diagnosis"} <= set(kinds)
