"""Every change to a visit queues its message in the same transaction, never a nightly batch."""

from email import message_from_bytes, policy

from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Notification
from app.notifications.relay import relay_once
from tests.conftest import MONDAY, denver

BOOK = "/api/v1/visits/{id}/assignment"


def queued(event=None):
    query = select(Notification).order_by(Notification.id)
    if event:
        query = query.where(Notification.event == event)
    return list(db.session.scalars(query))


def book(client, headers, visit, technician, hour):
    start = denver(MONDAY, hour).isoformat()
    return client.put(
        BOOK.format(id=visit.id),
        json={"technician_id": technician.id, "start": start},
        headers=headers,
    )


def test_booking_a_visit_sends_the_customer_a_confirmation_with_their_portal_link(
    client, dispatcher_headers, create_visit, create_technician, smtp_server
):
    visit, technician = create_visit(), create_technician(name="Ada Lovelace")

    assert book(client, dispatcher_headers, visit, technician, 9).status_code == 200
    assert {(n.event, n.channel) for n in queued()} == {
        ("visit.scheduled", "email"),
        ("visit.scheduled", "sms"),
    }
    relay_once()

    (envelope,) = smtp_server.messages
    text = message_from_bytes(envelope.content, policy=policy.default).get_body().get_content()
    assert "09:00" in text
    assert "Ada Lovelace will come" in text
    assert "http://localhost/c/" in text


def test_a_refused_booking_queues_nothing(
    client, dispatcher_headers, create_visit, create_technician
):
    visit, unskilled = create_visit(), create_technician(skills=[])

    assert book(client, dispatcher_headers, visit, unskilled, 9).status_code == 409
    assert queued() == []


def test_moving_before_the_first_message_went_out_sends_only_the_new_time(
    client, dispatcher_headers, create_visit, create_technician
):
    visit, technician = create_visit(), create_technician()
    book(client, dispatcher_headers, visit, technician, 9)

    book(client, dispatcher_headers, visit, technician, 13)

    assert {n.status for n in queued("visit.scheduled")} == {"superseded"}
    assert {n.status for n in queued("visit.moved")} == {"pending"}


def test_another_technician_is_announced_as_a_reassignment(
    client, dispatcher_headers, create_visit, create_technician
):
    visit, first, second = create_visit(), create_technician(), create_technician()
    book(client, dispatcher_headers, visit, first, 9)

    book(client, dispatcher_headers, visit, second, 9)

    assert {n.channel for n in queued("visit.reassigned")} == {"email", "sms"}


def test_on_the_way_and_cancelled_reports_reach_the_customer(
    client, dispatcher_headers, create_visit, create_technician
):
    visit, technician = create_visit(), create_technician()
    book(client, dispatcher_headers, visit, technician, 9)
    events = f"/api/v1/visits/{visit.id}/events"

    client.post(events, json={"type": "en_route"}, headers=dispatcher_headers)
    client.post(
        events, json={"type": "cancelled", "note": "customer away"}, headers=dispatcher_headers
    )

    events_in_order = list(dict.fromkeys(n.event for n in queued()))
    assert events_in_order == ["visit.scheduled", "visit.en_route", "visit.cancelled"]
