"""The outbox: messages are written with the change they report, one per channel and recipient."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.notifications.models import Event, Notification
from app.notifications.outbox import OUTBOX_WRITTEN, notify_case_event, notify_visit_change
from app.notifications.relay import relay_once
from app.visits.models import VisitStatus


def all_notifications():
    return db.session.scalars(select(Notification).order_by(Notification.id)).all()


def book(visit, technician, start):
    """Book directly, as the visits slice does, without depending on its guard."""
    visit.technician_id, visit.start_at = technician.id, start
    visit.end_at = start + timedelta(minutes=visit.duration_minutes)
    visit.status = VisitStatus.SCHEDULED
    db.session.flush()


def test_a_case_event_queues_one_message_per_email_phone_and_subscriber(
    create_customer, create_case, subscribe, queue_case_opened
):
    customer = create_customer(
        phones=["+1 303 555 0101", "+1 303 555 0102"], emails=["ann@example.com"]
    )
    subscription = subscribe()

    queue_case_opened(create_case(customer))

    rows = all_notifications()
    assert sorted((row.channel, row.recipient) for row in rows) == [
        ("email", "ann@example.com"),
        ("sms", "+13035550101"),
        ("sms", "+13035550102"),
        ("webhook", subscription.url),
    ]
    assert {row.status for row in rows} == {"pending"}
    assert len({row.delivery_id for row in rows}) == 4
    assert all(row.subject is None and row.body is None for row in rows)  # rendered when sent


def test_subscribers_only_get_the_events_they_chose(create_case, subscribe, queue_case_opened):
    subscribe(events=[Event.VISIT_CANCELLED])

    queue_case_opened(create_case())

    assert "webhook" not in {row.channel for row in all_notifications()}


def test_messages_vanish_with_the_transaction_that_wrote_them(create_case):
    case = create_case()

    notify_case_event(case, event=Event.CASE_OPENED)
    db.session.rollback()

    assert all_notifications() == []


def test_nothing_is_sent_from_the_transaction_itself(create_case, smtp_server):
    notify_case_event(create_case(), event=Event.CASE_OPENED)
    db.session.commit()

    assert smtp_server.messages == []
    assert db.session.info.get(OUTBOX_WRITTEN) is None  # the commit took the flag to wake a relay


def test_an_unsent_visit_message_is_superseded_by_the_newer_one(
    create_visit, create_technician, smtp_server
):
    visit = create_visit()
    technician = create_technician()
    book(visit, technician, visit.window_start + timedelta(hours=1))
    scheduled = notify_visit_change(visit.id, event="scheduled")
    db.session.commit()
    book(visit, technician, visit.window_start + timedelta(hours=4))
    moved = notify_visit_change(visit.id, event="moved")
    db.session.commit()

    relay_once()

    assert {row.status for row in scheduled} == {"superseded"}
    assert {db.session.get(Notification, row.id).status for row in moved} == {"sent"}
    (message,) = smtp_server.messages
    text = message.content.decode()
    assert "has moved to" in text
    assert "at 12:00 (America/Denver)" in text  # window opens 08:00 local, booked 4 h later


def test_a_message_is_rendered_from_the_visit_as_it_is_when_sent(
    create_visit, create_technician, smtp_server
):
    visit = create_visit()
    book(visit, create_technician(), visit.window_start + timedelta(hours=1))
    notify_visit_change(visit.id, event="scheduled")
    db.session.commit()
    visit.start_at += timedelta(hours=2)  # changed again, and nobody queued a message
    visit.end_at += timedelta(hours=2)
    db.session.commit()

    relay_once()

    (message,) = smtp_server.messages
    assert "at 11:00 (America/Denver)" in message.content.decode()


def test_a_message_that_is_no_longer_true_is_never_sent(create_visit, create_technician):
    visit = create_visit()
    book(visit, create_technician(), visit.window_start)
    (row, *_) = notify_visit_change(visit.id, event="scheduled")
    db.session.commit()
    visit.status, visit.technician_id, visit.start_at, visit.end_at = "unassigned", *[None] * 3
    db.session.commit()

    relay_once()

    db.session.refresh(row)
    assert row.status == "cancelled"
    assert "unassigned" in row.last_error


def test_visit_events_are_checked(create_visit):
    visit = create_visit()

    with pytest.raises(ValueError, match=r"visit\.teleported"):
        notify_visit_change(visit.id, event="teleported")
