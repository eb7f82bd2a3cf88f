"""GET /technicians/{id}/schedule: shifts, time off, bookings and the travel between them."""

from datetime import time

import pytest

from app.auth.models import Role
from app.visits.assignment import assign_technician
from tests.app.board.conftest import AURORA
from tests.conftest import MONDAY, denver


def _schedule(client, headers, technician_id, day=MONDAY):
    return client.get(
        f"/api/v1/technicians/{technician_id}/schedule",
        query_string={"date": day.isoformat()},
        headers=headers,
    )


@pytest.fixture
def day(dispatcher, create_technician, create_visit, create_case, create_customer):
    technician = create_technician(
        shifts=[{"weekday": 0, "start_time": time(7), "end_time": time(15)}],
        time_off=[{"start_at": denver(MONDAY, 12), "end_at": denver(MONDAY, 13)}],
    )
    first = create_visit(duration_minutes=60)
    second = create_visit(create_case(create_customer(sites=[AURORA])), duration_minutes=60)
    for visit, hour in ((second, 14), (first, 9)):
        assign_technician(
            visit.id, technician_id=technician.id, start=denver(MONDAY, hour), actor=dispatcher
        )
    create_visit()  # unbooked: not on anyone's schedule
    return {"technician": technician, "first": first, "second": second}


def test_the_schedule_lists_the_days_shift_time_off_and_bookings_in_order(
    client, dispatcher_headers, day
):
    body = _schedule(client, dispatcher_headers, day["technician"].id).json

    assert body["timezone"] == "America/Denver"
    assert body["shifts"] == [
        {"start": denver(MONDAY, 7).isoformat(), "end": denver(MONDAY, 15).isoformat()}
    ]
    assert body["time_off"] == [
        {"start": denver(MONDAY, 12).isoformat(), "end": denver(MONDAY, 13).isoformat()}
    ]
    assert [stop["visit"]["id"] for stop in body["stops"]] == [day["first"].id, day["second"].id]


def test_each_stop_carries_the_travel_from_the_one_before_and_the_idle_time_left(
    client, dispatcher_headers, day
):
    first, second = _schedule(client, dispatcher_headers, day["technician"].id).json["stops"]

    # Home and the first site are the same point; Aurora is ~14 km east of it.
    assert first["travel_from"] == "home" and first["travel_seconds"] == 0
    assert first["idle_seconds"] is None
    assert second["travel_from"] == "previous_visit"
    assert 1_200 < second["travel_seconds"] < 2_400
    assert second["idle_seconds"] == 4 * 3600 - second["travel_seconds"]
    assert second["visit"]["site"]["address"] == "Aurora"


def test_another_day_has_no_shift_and_no_stops(client, dispatcher_headers, day):
    body = _schedule(client, dispatcher_headers, day["technician"].id, MONDAY.replace(day=3)).json

    assert body["shifts"] == [] and body["stops"] == [] and body["time_off"] == []


def test_a_technician_sees_only_their_own_schedule(
    client, make_user, headers_for, create_technician, day
):
    own = headers_for(make_user(Role.TECHNICIAN, email=day["technician"].email))
    colleague = create_technician()

    assert _schedule(client, own, day["technician"].id).status_code == 200
    assert _schedule(client, own, colleague.id).status_code == 404


def test_agents_may_not_read_schedules_and_admins_may(client, make_user, headers_for, day):
    technician_id = day["technician"].id

    assert _schedule(client, headers_for(make_user(Role.AGENT)), technician_id).status_code == 403
    assert _schedule(client, headers_for(make_user(Role.ADMIN)), technician_id).status_code == 200
    assert _schedule(client, headers_for(make_user(Role.ADMIN)), 999_999).status_code == 404
