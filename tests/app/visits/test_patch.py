"""A dispatcher locks a booking against re-planning, or moves the customer's window."""

import pytest

from app.visits.assignment import assign_technician
from tests.conftest import MONDAY, committed, denver


@pytest.fixture
def booked(create_visit, create_technician, dispatcher):
    visit = create_visit()
    assign_technician(
        visit.id, technician_id=create_technician().id, start=denver(MONDAY, 9), actor=dispatcher
    )
    return committed(visit)


def patch(client, visit, headers, **body):
    """With the If-Match of the version just read, as a screen that shows the visit sends."""
    etag = client.get(f"/api/v1/visits/{visit.id}", headers=headers).headers["ETag"]
    return client.patch(
        f"/api/v1/visits/{visit.id}", json=body, headers={**headers, "If-Match": etag}
    )


def test_a_dispatcher_locks_a_booking(client, dispatcher_headers, booked):
    response = patch(client, booked, dispatcher_headers, locked=True)

    assert response.status_code == 200
    assert response.json["locked"] is True
    assert client.get(f"/api/v1/visits/{booked.id}", headers=dispatcher_headers).json["locked"]


def test_an_unbooked_visit_gets_a_new_window(client, dispatcher_headers, create_visit):
    visit = create_visit()

    response = patch(
        client,
        visit,
        dispatcher_headers,
        window_start="2031-06-03T08:00:00-06:00",
        window_end="2031-06-03T12:00:00-06:00",
    )

    assert response.status_code == 200
    assert response.json["window_start"] == "2031-06-03T14:00:00+00:00"


def test_a_window_that_no_longer_holds_the_booking_is_refused(client, dispatcher_headers, booked):
    response = patch(
        client,
        booked,
        dispatcher_headers,
        window_start="2031-06-02T12:00:00-06:00",
        window_end="2031-06-02T17:00:00-06:00",
    )

    assert response.status_code == 409
    assert "unassign it first" in response.json["detail"]


def test_an_empty_window_is_refused(client, dispatcher_headers, create_visit):
    response = patch(
        client, create_visit(), dispatcher_headers, window_end="2031-06-02T07:00:00-06:00"
    )

    assert response.status_code == 422
    assert "window_end" in response.json["errors"]


def test_a_stale_if_match_is_refused(client, dispatcher_headers, booked):
    etag = client.get(f"/api/v1/visits/{booked.id}", headers=dispatcher_headers).headers["ETag"]
    patch(client, booked, dispatcher_headers, locked=True)

    response = client.patch(
        f"/api/v1/visits/{booked.id}",
        json={"locked": False},
        headers={**dispatcher_headers, "If-Match": etag},
    )

    assert response.status_code == 412


def test_a_patch_without_if_match_is_refused_with_428(client, dispatcher_headers, booked):
    response = client.patch(
        f"/api/v1/visits/{booked.id}", json={"locked": True}, headers=dispatcher_headers
    )

    assert response.status_code == 428
    assert "If-Match" in response.json["detail"]
    assert response.headers["Content-Type"] == "application/problem+json"


def test_two_patches_with_the_same_if_match_make_one_change_even_when_it_changes_nothing(
    client, dispatcher_headers, booked
):
    patch(client, booked, dispatcher_headers, locked=True)
    etag = client.get(f"/api/v1/visits/{booked.id}", headers=dispatcher_headers).headers["ETag"]
    same = {**dispatcher_headers, "If-Match": etag}

    first = client.patch(f"/api/v1/visits/{booked.id}", json={"locked": True}, headers=same)
    second = client.patch(f"/api/v1/visits/{booked.id}", json={"locked": True}, headers=same)

    assert (first.status_code, second.status_code) == (200, 412)


def test_only_dispatchers_change_visits(client, agent_headers, booked):
    assert patch(client, booked, agent_headers, locked=True).status_code == 403
