"""The relay: at least once, never lost, never twice at once, retried with backoff, then failed."""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.cases.models import Interaction
from app.db import utcnow
from app.extensions import db
from app.jobs import run_job
from app.notifications import relay
from app.notifications.channels import DeliveryError
from app.notifications.models import Event, Notification
from app.notifications.outbox import notify_case_event
from app.notifications.relay import claim_due, record_sent, relay_once
from app.notifications.render import Rendered
from app.notifications.runner import LOOP_KEY, ensure_running, relay_pass


class RelayDied(BaseException):
    """Stands for the process being killed: nothing after it in the relay runs."""


def die(*_args, **_kwargs):
    raise RelayDied


def send_then_die(monkeypatch):
    """One relay pass that sends, then dies before it can record that it sent."""
    with monkeypatch.context() as patched:
        patched.setattr(relay, "record_sent", die)
        with pytest.raises(RelayDied):
            relay_once()
    db.session.rollback()


def reload(row):
    """Read it afresh: end this thread's transaction so other connections' commits show."""
    db.session.rollback()
    return db.session.get(Notification, row.id)


class Recording:
    """A sender that records what it was given and fails while told to."""

    def __init__(self, failures=0, delay=0.0):
        self.sent = []
        self.senders = set()
        self.failures = failures
        self.delay = delay
        self.lock = threading.Lock()

    def send(self, message):
        time.sleep(self.delay)
        with self.lock:
            if self.failures:
                self.failures -= 1
                raise DeliveryError("connection refused")
            self.sent.append(message.delivery_id)
            self.senders.add(threading.current_thread().name)


def fake_senders(sender):
    return {"email": sender, "sms": sender, "webhook": sender}


def test_a_relay_killed_after_sending_sends_again_with_the_same_delivery_id(
    app, monkeypatch, create_customer, create_case, subscribe, webhook_receiver, queue_case_opened
):
    subscribe()
    (row,) = queue_case_opened(create_case(create_customer(phones=[], emails=[])))

    send_then_die(monkeypatch)

    assert webhook_receiver.ids == [row.delivery_id]
    assert reload(row).status == "sending"  # leased, not lost

    assert relay_once() == 0  # the lease still holds: no second relay sends it meanwhile
    assert relay_once(now=utcnow() + timedelta(minutes=1)) == 1  # a restarted relay, soon

    assert webhook_receiver.ids == [row.delivery_id, row.delivery_id]  # receiver can dedupe
    assert all(delivery["verified"] for delivery in webhook_receiver.deliveries)
    row = reload(row)
    assert (row.status, row.attempts) == ("sent", 2)


def test_each_message_of_a_batch_is_leased_afresh_just_before_it_is_sent(
    app, monkeypatch, create_customer, create_case, subscribe, queue_case_opened
):
    subscribe()
    for _ in range(3):
        queue_case_opened(create_case(create_customer(phones=[], emails=[])))
    leases: list[timedelta] = []

    class Slow:
        def send(self, message):  # each delivery sees the lease it was given just before
            row = db.session.scalar(
                select(Notification).where(Notification.delivery_id == message.delivery_id)
            )
            leases.append(row.lease_until - utcnow())
            time.sleep(1)

    relay_once(senders=fake_senders(Slow()))

    lease = timedelta(seconds=app.config["RELAY_LEASE_SECONDS"])
    assert len(leases) == 3 and all(lease - timedelta(seconds=1) < left for left in leases)


def test_an_email_sent_twice_after_a_crash_keeps_its_message_id_and_one_timeline_entry(
    app, monkeypatch, create_customer, create_case, smtp_server, queue_case_opened
):
    case = create_case(create_customer(phones=[], emails=["bo@example.com"]))
    (row,) = queue_case_opened(case)
    send_then_die(monkeypatch)

    relay_once(now=utcnow() + timedelta(seconds=app.config["RELAY_LEASE_SECONDS"] + 1))

    first, second = smtp_server.messages
    message_id = f"Message-ID: <{row.delivery_id}@firstfix.example>".encode()
    assert message_id in first.content and message_id in second.content
    outbound = db.session.scalars(
        select(Interaction).where(
            Interaction.case_id == case.id, Interaction.direction == "outbound"
        )
    ).all()
    assert [(i.channel, i.external_ref) for i in outbound] == [("email", row.delivery_id)]


def test_failures_back_off_exponentially_then_the_message_fails_for_review(
    app, monkeypatch, create_customer, create_case, queue_case_opened
):
    monkeypatch.setitem(app.config, "RELAY_MAX_ATTEMPTS", 3)
    base = timedelta(seconds=app.config["RELAY_RETRY_BASE_SECONDS"])
    (row,) = queue_case_opened(create_case(create_customer(phones=[], emails=["cy@example.com"])))
    sender = Recording(failures=99)
    now = utcnow()

    delays = []
    for _ in range(2):
        relay_once(now=now, senders=fake_senders(sender))
        row = reload(row)
        assert row.status == "pending"
        delays.append(row.next_attempt_at - now)
        assert relay_once(now=row.next_attempt_at - timedelta(seconds=1)) == 0  # not yet due
        now = row.next_attempt_at
    relay_once(now=now, senders=fake_senders(sender))

    assert base * 0.5 <= delays[0] <= base
    assert base <= delays[1] <= base * 2  # doubled, with jitter
    row = reload(row)
    assert (row.status, row.attempts, row.last_error) == ("failed", 3, "connection refused")
    assert relay_once(now=now + timedelta(days=30), senders=fake_senders(sender)) == 0


def test_a_message_delivered_on_a_retry_is_marked_sent(
    create_customer, create_case, queue_case_opened
):
    (row,) = queue_case_opened(create_case(create_customer(phones=["+13035550199"], emails=[])))
    sender = Recording(failures=1)
    relay_once(senders=fake_senders(sender))

    relay_once(now=reload(row).next_attempt_at, senders=fake_senders(sender))

    row = reload(row)
    assert (row.status, row.attempts, sender.sent) == ("sent", 2, [row.delivery_id])
    assert row.body.startswith("FirstFix: case ")


def test_webhooks_are_retried_for_three_days_then_failed(
    app, create_customer, create_case, subscribe, webhook_receiver, queue_case_opened
):
    subscribe()
    (row,) = queue_case_opened(create_case(create_customer(phones=[], emails=[])))
    webhook_receiver.status = 503
    relay_once()
    assert reload(row).status == "pending"

    row.created_at = utcnow() - timedelta(hours=app.config["WEBHOOK_RETRY_HOURS"])
    db.session.commit()
    relay_once(now=reload(row).next_attempt_at)

    row = reload(row)
    assert (row.status, row.attempts, row.last_error) == (
        "failed",
        2,
        f"{row.recipient} answered 503",
    )


def test_two_relays_at_once_send_every_message_exactly_once(
    app, monkeypatch, create_customer, create_case
):
    monkeypatch.setitem(app.config, "RELAY_BATCH_SIZE", 3)
    for _ in range(8):
        notify_case_event(
            create_case(create_customer(phones=["+13035550150"] if _ == 0 else [])),
            event=Event.CASE_OPENED,
        )
    db.session.commit()
    expected = set(db.session.scalars(select(Notification.delivery_id)))
    sender = Recording(delay=0.02)
    start = threading.Barrier(2)

    def run_relay():
        with app.app_context():
            start.wait()
            while relay_once(senders=fake_senders(sender)):
                pass
            db.session.remove()

    relays = [threading.Thread(target=run_relay, name=f"relay-{n}") for n in range(2)]
    for thread in relays:
        thread.start()
    for thread in relays:
        thread.join(timeout=60)

    assert Counter(sender.sent) == Counter(expected)  # each exactly once
    assert len(sender.senders) == 2  # and both relays did share the work
    db.session.rollback()
    statuses = db.session.scalars(select(Notification.status)).all()
    assert set(statuses) == {"sent"}


def test_the_relay_runs_as_a_job(create_customer, create_case, smtp_server, queue_case_opened, app):
    queue_case_opened(create_case(create_customer(phones=[], emails=["di@example.com"])))

    assert run_job(app, f"{relay_pass.__module__}.relay_pass", {}) == 1
    assert len(smtp_server.messages) == 1


def test_a_message_that_cannot_be_rendered_is_retried_then_failed_not_left_leased(
    monkeypatch, create_customer, create_case, queue_case_opened
):
    (row,) = queue_case_opened(create_case(create_customer(phones=[], emails=["gil@example.com"])))

    def broken_template(_notification):
        raise KeyError("technician")

    monkeypatch.setattr(relay, "render", broken_template)
    relay_once()

    row = reload(row)
    assert (row.status, row.last_error) == ("pending", "not rendered: KeyError('technician')")


def test_a_relay_whose_lease_ran_out_does_not_overwrite_the_next_ones_result(
    create_customer, create_case, queue_case_opened
):
    (row,) = queue_case_opened(create_case(create_customer(phones=[], emails=["ed@example.com"])))
    lease = timedelta(seconds=60)
    (slow,) = claim_due(utcnow(), limit=1, lease=lease)
    (fast,) = claim_due(utcnow() + lease * 2, limit=1, lease=lease)

    record_sent(slow, Rendered("late", "late", "late", "late"), now=utcnow())

    row = reload(row)
    assert (row.status, row.attempts, row.subject) == ("sending", fast.attempt, None)


def test_a_commit_that_queued_messages_wakes_the_running_relay(
    app, monkeypatch, create_customer, create_case, smtp_server, queue_case_opened
):
    monkeypatch.setitem(app.config, "RELAY_INTERVAL_SECONDS", 600)
    loop = ensure_running(app)
    try:
        time.sleep(0.2)  # let its first, empty pass start its long wait
        queue_case_opened(create_case(create_customer(phones=[], emails=["fay@example.com"])))
        deadline = time.monotonic() + 10
        while not smtp_server.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        loop.stop()
        app.extensions.pop(LOOP_KEY)

    assert len(smtp_server.messages) == 1
