"""The outbox: messages are written in the transaction of the change they report.

Callers (visits, cases, the portal) call these inside their own unit of work, after the
change and before their commit; nothing here commits or sends. If the change rolls back,
so do its messages; once it commits, the relay sends them.
"""

from typing import Any
from uuid import uuid4

from sqlalchemy import select, update

from app.cases.models import Case
from app.errors import NotFound
from app.extensions import db
from app.notifications.models import (
    DeliveryChannel,
    Event,
    Notification,
    NotificationStatus,
    WebhookSubscription,
)
from app.visits.models import Visit

# Told once and not replaced by the next change of the visit.
UP_FRONT = (Event.VISIT_PREREQUISITE_NEEDED,)
# Set on the session when rows were written, so a commit can wake the relay at once.
OUTBOX_WRITTEN = "firstfix.outbox_written"


def notify_visit_change(
    visit_id: int, *, event: str, params: dict[str, Any] | None = None
) -> list[Notification]:
    """Queue the messages for a visit that was scheduled, moved, reassigned, cancelled...

    `event` is the part after "visit." ("scheduled", "moved", "unbooked", "completed"...).
    Call it after flushing the change, before the caller's commit. An unsent earlier message
    about the same visit to the same recipient is superseded: only the latest state goes out.
    What must be said whatever follows (a prerequisite) has a topic of its own.
    """
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise NotFound(f"Visit {visit_id} does not exist.")
    kind = Event(f"visit.{event}")
    topic = f"visit:{visit.id}" + (":up-front" if kind in UP_FRONT else "")
    return notify_case_event(visit.case, event=kind, topic=topic, visit_id=visit.id, params=params)


def notify_case_event(
    case: Case,
    *,
    event: Event,
    topic: str | None = None,
    visit_id: int | None = None,
    params: dict[str, Any] | None = None,
) -> list[Notification]:
    """One message per customer e-mail, customer phone and webhook subscribed to `event`.

    Messages on the same `topic` replace each other while unsent (default: one topic per
    case and event). `params` are extra template values that the record cannot give back
    at send time, such as a portal link.
    """
    topic = topic or f"case:{case.id}:{event}"
    recipients = [(DeliveryChannel.EMAIL, email, None) for email in case.customer.emails]
    recipients += [(DeliveryChannel.SMS, phone, None) for phone in case.customer.phones]
    recipients += [
        (DeliveryChannel.WEBHOOK, subscription.url, subscription.id)
        for subscription in subscribed_to(event)
    ]
    return [
        enqueue(
            case.id,
            event=event,
            channel=channel,
            recipient=recipient,
            subscription_id=subscription_id,
            topic=topic,
            visit_id=visit_id,
            params=params,
        )
        for channel, recipient, subscription_id in recipients
    ]


def enqueue(
    case_id: int,
    *,
    event: Event,
    channel: DeliveryChannel,
    recipient: str,
    topic: str,
    subscription_id: int | None = None,
    visit_id: int | None = None,
    params: dict[str, Any] | None = None,
) -> Notification:
    """Flush one message, superseding the unsent ones on the same topic to the same recipient."""
    key = f"{topic}|{channel}|{subscription_id or recipient}"
    db.session.execute(
        update(Notification)
        .where(
            Notification.supersede_key == key,
            Notification.status == NotificationStatus.PENDING,
        )
        .values(status=NotificationStatus.SUPERSEDED)
    )
    notification = Notification(
        case_id=case_id,
        visit_id=visit_id,
        subscription_id=subscription_id,
        event=event,
        channel=channel,
        recipient=recipient,
        params=params,
        supersede_key=key,
        delivery_id=str(uuid4()),
    )
    db.session.add(notification)
    db.session.flush()
    db.session.info[OUTBOX_WRITTEN] = True
    return notification


def subscribed_to(event: Event) -> list[WebhookSubscription]:
    """Subscriptions are few, so their event lists are matched here rather than in SQL."""
    active = db.session.scalars(
        select(WebhookSubscription)
        .where(WebhookSubscription.active)
        .order_by(WebhookSubscription.id)
    )
    return [subscription for subscription in active if event in subscription.events]
