"""Field events: the server-side state machine and what completion does to parts."""

import pytest

from app.visits.assignment import assign_technician
from tests.conftest import MONDAY, denver


@pytest.fixture
def booked_repair(create_visit, create_technician, dispatcher):
    visit = create_visit(required_parts=[{"sku": "CAP-45-5", "quantity": 2}])
    technician = create_technician()
    assign_technician(
        visit.id, technician_id=technician.id, start=denver(MONDAY, 9), actor=dispatcher
    )
    return visit


def _post(client, visit, headers, **body):
    return client.post(f"/api/v1/visits/{visit.id}/events", json=body, headers=headers)


def _stock(client, catalog, headers):
    rows = client.get(
        f"/api/v1/stock-locations/{catalog['warehouse'].id}/stock", headers=headers
    ).json
    return next(row for row in rows if row["sku"] == "CAP-45-5")


def test_an_illegal_transition_is_refused_with_the_allowed_ones(
    client, dispatcher_headers, booked_repair
):
    response = _post(client, booked_repair, dispatcher_headers, type="completed")

    assert response.status_code == 409
    assert response.json["allowed"] == ["cancelled", "en_route", "on_site"]


def test_on_site_puts_the_case_in_progress_and_completion_consumes_the_reserved_parts(
    client, dispatcher_headers, booked_repair, catalog
):
    for step in ("en_route", "on_site"):
        assert _post(client, booked_repair, dispatcher_headers, type=step).status_code == 201
    in_progress = client.get(
        f"/api/v1/cases/{booked_repair.case.number}", headers=dispatcher_headers
    )

    done = _post(
        client,
        booked_repair,
        dispatcher_headers,
        type="completed",
        parts_used=[{"sku": "CAP-45-5", "quantity": 2}],
    )
    visit = client.get(f"/api/v1/visits/{booked_repair.id}", headers=dispatcher_headers).json
    case = client.get(f"/api/v1/cases/{booked_repair.case.number}", headers=dispatcher_headers)

    assert in_progress.json["status"] == "in_progress"
    assert done.status_code == 201
    assert visit["status"] == "completed"
    assert visit["reservations"][0]["status"] == "consumed"
    assert _stock(client, catalog, dispatcher_headers) == {
        "sku": "CAP-45-5",
        "quantity": 8,
        "reserved": 0,
    }
    assert case.json["status"] == "resolved"


def test_a_different_sku_than_reserved_is_refused_naming_both(
    client, dispatcher_headers, booked_repair
):
    _post(client, booked_repair, dispatcher_headers, type="on_site")

    response = _post(
        client,
        booked_repair,
        dispatcher_headers,
        type="completed",
        parts_used=[{"sku": "CAP-35-5", "quantity": 2}],
    )

    assert response.status_code == 409
    assert "CAP-35-5" in response.json["detail"] and "CAP-45-5" in response.json["detail"]


def test_a_substitution_with_a_reason_is_accepted(client, dispatcher_headers, booked_repair):
    _post(client, booked_repair, dispatcher_headers, type="on_site")

    response = _post(
        client,
        booked_repair,
        dispatcher_headers,
        type="completed",
        parts_used=[{"sku": "CAP-35-5", "quantity": 2}],
        substitution_reason="Unit label was wrong; 35/5 fitted",
    )

    assert response.status_code == 201


def test_cancelling_releases_the_reserved_parts(client, dispatcher_headers, booked_repair, catalog):
    response = _post(
        client, booked_repair, dispatcher_headers, type="cancelled", note="Fixed itself"
    )

    assert response.status_code == 201
    assert _stock(client, catalog, dispatcher_headers)["reserved"] == 0


def test_the_visits_technician_reports_events_and_another_technician_gets_404(
    client, make_user, headers_for, booked_repair, create_technician
):
    own = headers_for(make_user("technician", email=booked_repair.technician.email))
    other = create_technician()
    stranger = headers_for(make_user("technician", email=other.email))

    refused = _post(client, booked_repair, stranger, type="en_route")
    accepted = _post(client, booked_repair, own, type="en_route", at="2031-06-02T08:40:00-06:00")

    assert refused.status_code == 404
    assert accepted.status_code == 201
    assert accepted.json["at"] == "2031-06-02T14:40:00+00:00"
