"""GET /slots and POST /reschedule: windows where an eligible technician really has room."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Notification
from app.visits.assignment import assign_technician
from app.visits.events import record_event
from tests.app.portal.conftest import DENVER, local, next_weekday


def _slots(client, token: str, **query) -> list[dict]:
    response = client.get(f"/api/v1/portal/{token}/slots", query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def _starts(slots: list[dict]) -> list[datetime]:
    return [datetime.fromisoformat(slot["start"]).astimezone(DENVER) for slot in slots]


def test_slots_are_half_days_on_working_days_in_the_next_two_weeks(client, booked_case, link_for):
    today = datetime.now(UTC).astimezone(DENVER).date()
    weekdays = [
        today + timedelta(days=n) for n in range(1, 15) if (today + timedelta(days=n)).weekday() < 5
    ]

    starts = _starts(_slots(client, link_for(booked_case["case"])))

    assert [start.date() for start in starts] == [day for day in weekdays for _ in (8, 12)]
    assert {start.hour for start in starts} == {8, 12}


def test_a_window_where_the_only_technician_is_busy_is_not_offered(
    client, booked_case, link_for, create_visit, dispatcher
):
    day = next_weekday()
    busy = create_visit(window_start=local(day, 8), window_end=local(day, 12), duration_minutes=240)
    assign_technician(
        busy.id, technician_id=booked_case["dana"].id, start=local(day, 8), actor=dispatcher
    )

    starts = _starts(_slots(client, link_for(booked_case["case"])))

    assert local(day, 8) not in starts
    assert local(day, 12) in starts


def test_no_window_is_offered_with_only_a_refused_technician(client, booked_case, link_for):
    token = link_for(booked_case["case"])
    client.post(f"/api/v1/portal/{token}/refuse-technician", json={"reason": "No"})

    assert _slots(client, token) == []


def test_rescheduling_books_the_window_and_asks_for_a_new_confirmation(
    client, booked_case, link_for
):
    token, survey = link_for(booked_case["case"]), booked_case["survey"]
    client.post(f"/api/v1/portal/{token}/confirm", json={"terms_version": "2026-11"})
    slot = _slots(client, token)[1]

    response = client.post(f"/api/v1/portal/{token}/reschedule", json={"slot": slot})

    assert response.status_code == 200, response.json
    moved = response.json
    assert (moved["id"], moved["status"]) == (survey.id, "scheduled")
    assert (moved["window_start"], moved["window_end"]) == (slot["start"], slot["end"])
    assert moved["technician"]["first_name"] == "Dana"
    assert moved["confirmed"] is False
    events = db.session.scalars(
        select(Notification.event).where(Notification.visit_id == survey.id)
    )
    assert "visit.moved" in set(events)


def test_a_window_that_was_never_offered_is_refused(client, booked_case, link_for):
    token = link_for(booked_case["case"])
    night = local(next_weekday(), 3)
    slot = {"start": night.isoformat(), "end": (night + timedelta(hours=1)).isoformat()}

    response = client.post(f"/api/v1/portal/{token}/reschedule", json={"slot": slot})

    assert response.status_code == 409
    assert response.json["type"].endswith("/slot-taken")


def test_a_visit_under_way_cannot_be_moved(client, booked_case, link_for, dispatcher):
    record_event(booked_case["survey"].id, actor=dispatcher, type="en_route")
    token = link_for(booked_case["case"])

    response = client.get(
        f"/api/v1/portal/{token}/slots", query_string={"visit_id": booked_case["survey"].id}
    )

    assert response.status_code == 409
