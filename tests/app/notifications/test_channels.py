"""Each channel against a real receiver on loopback: SMTP, a webhook endpoint, the SMS sink."""

import json
from email import message_from_bytes
from email.policy import default

from sqlalchemy import select

from app.cases.models import Interaction
from app.extensions import db
from app.notifications.channels.webhooks import sign
from app.notifications.models import Notification, WebhookSubscription
from app.notifications.relay import relay_once


def test_an_email_reaches_the_smtp_server_and_the_case_timeline(
    create_customer, create_case, smtp_server, queue_case_opened
):
    customer = create_customer(name="Ann Lee", phones=[], emails=["ann@example.com"])
    case = create_case(customer)
    (row,) = queue_case_opened(case)

    relay_once()

    (envelope,) = smtp_server.messages
    assert envelope.rcpt_tos == ["ann@example.com"]
    email = message_from_bytes(envelope.content, policy=default)
    assert email["Subject"] == f"Your case {case.number}: {case.title}"
    assert email["From"] == "FirstFix <no-reply@firstfix.example>"
    assert email["Message-ID"] == f"<{row.delivery_id}@firstfix.example>"
    assert "Hello Ann Lee," in email.get_content()
    db.session.refresh(row)
    assert (row.status, row.subject) == ("sent", email["Subject"])
    interaction = db.session.get(Interaction, row.interaction_id)
    assert (interaction.channel, interaction.direction) == ("email", "outbound")
    assert interaction.summary == email["Subject"]


def test_a_refused_mailbox_fails_at_once(
    create_customer, create_case, smtp_server, queue_case_opened, monkeypatch
):
    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such mailbox"

    monkeypatch.setattr(smtp_server, "handle_RCPT", refuse, raising=False)
    (row,) = queue_case_opened(create_case(create_customer(phones=[], emails=["x@example.com"])))

    relay_once()

    db.session.refresh(row)
    assert (row.status, row.attempts) == ("failed", 1)
    assert "550" in row.last_error


def test_an_unreachable_smtp_server_is_retried(
    app, create_customer, create_case, queue_case_opened, monkeypatch
):
    monkeypatch.setitem(app.config, "SMTP_URL", "smtp://127.0.0.1:9")  # discard: nobody listens
    (row,) = queue_case_opened(create_case(create_customer(phones=[], emails=["y@example.com"])))

    relay_once()

    db.session.refresh(row)
    assert row.status == "pending" and row.last_error.startswith("SMTP 127.0.0.1:9")


def test_an_sms_is_appended_to_the_sink(
    app, tmp_path, monkeypatch, create_customer, create_case, queue_case_opened
):
    sink = tmp_path / "sms.jsonl"
    monkeypatch.setitem(app.config, "SMS_SINK_PATH", str(sink))
    case = create_case(create_customer(phones=["+1 303 555 0123"], emails=[]))
    (row,) = queue_case_opened(case)

    relay_once()

    (line,) = sink.read_text().splitlines()
    sms = json.loads(line)
    assert (sms["id"], sms["to"]) == (row.delivery_id, "+13035550123")
    assert case.number in sms["body"]
    channels = db.session.scalars(
        select(Interaction.channel).where(Interaction.case_id == case.id)
    ).all()
    assert sorted(channels) == ["phone", "sms"]  # the call that opened it, and our text


def test_a_webhook_is_signed_and_carries_the_current_state(
    create_customer, create_case, subscribe, webhook_receiver, queue_case_opened
):
    subscribe()
    case = create_case(create_customer(phones=[], emails=[]))
    (row,) = queue_case_opened(case)

    relay_once()

    (delivery,) = webhook_receiver.deliveries
    assert delivery["verified"]
    assert delivery["id"] == row.delivery_id
    assert delivery["path"] == "/hooks/firstfix?src=test"
    assert delivery["payload"]["type"] == "case.opened"
    assert delivery["payload"]["data"]["case"]["number"] == case.number
    db.session.refresh(row)
    assert (row.status, row.interaction_id) == ("sent", None)  # plumbing, not on the timeline


def test_a_410_disables_the_subscription_and_cancels_what_waits_for_it(
    create_customer, create_case, subscribe, webhook_receiver, queue_case_opened
):
    subscription = subscribe()
    queued = [queue_case_opened(create_case(create_customer(phones=[], emails=[])))[0]]
    queued.append(queue_case_opened(create_case(create_customer(phones=[], emails=[])))[0])
    webhook_receiver.status = 410

    relay_once()

    assert len(webhook_receiver.deliveries) == 1
    statuses = [db.session.get(Notification, row.id).status for row in queued]
    assert statuses == ["failed", "cancelled"]
    subscription = db.session.get(WebhookSubscription, subscription.id)
    assert (subscription.active, subscription.disabled_reason) == (
        False,
        "receiver answered 410 Gone",
    )
    assert queue_case_opened(create_case(create_customer(phones=[], emails=[]))) == []


def test_signatures_follow_the_standard_webhooks_test_vector():
    """The vector published with the Standard Webhooks reference libraries."""
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = '{"test": 2432232314}'

    signature = sign(
        secret, message_id="msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp=1614265330, body=body
    )

    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
