"""The relay: claims due messages, sends them outside any transaction, then records the outcome.

Claiming sets a lease in a short transaction (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
`BEGIN IMMEDIATE` on SQLite), so concurrent relays never take the same row. A relay that dies
after sending but before recording leaves the row leased; when the lease runs out the row is
claimed and sent again with the same delivery id, for the receiver to drop the duplicate.
A lease covers one delivery, renewed just before it, not a whole batch: what a killed relay
held is sent again within one lease (45 s by default). At least once, never lost, never stale.
"""

import logging
import random
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, or_, select

from app.cases.interactions import add_interaction
from app.cases.models import Case, Direction
from app.db import utcnow
from app.extensions import db
from app.notifications.channels import DeliveryError, Gone, Outgoing, Sender, senders_from_config
from app.notifications.models import DeliveryChannel, Notification, NotificationStatus
from app.notifications.render import Rendered, Stale, render
from app.notifications.retry import RetryPolicy
from app.notifications.service import disable_subscription

log = logging.getLogger(__name__)

# Messages to people become outbound interactions on the case; webhooks are system plumbing.
ON_TIMELINE = (DeliveryChannel.EMAIL, DeliveryChannel.SMS)
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True)
class Claim:
    """A leased row; `attempt` fences it, since every new claim counts one more attempt."""

    id: int
    attempt: int


def relay_once(*, now: datetime | None = None, senders: Mapping[str, Sender] | None = None) -> int:
    """One pass over what is due; returns how many messages were tried."""
    config = current_app.config
    now = now or utcnow()
    senders = senders or senders_from_config(config)
    lease = timedelta(seconds=int(config["RELAY_LEASE_SECONDS"]))
    claims = claim_due(now, limit=int(config["RELAY_BATCH_SIZE"]), lease=lease)
    for claim in claims:
        if renew(claim, lease=lease, now=max(now, utcnow())):
            deliver(claim, senders=senders, now=now)
    return len(claims)


def claim_due(now: datetime, *, limit: int, lease: timedelta) -> list[Claim]:
    due = or_(
        and_(
            Notification.status == NotificationStatus.PENDING,
            Notification.next_attempt_at <= now,
        ),
        and_(Notification.status == NotificationStatus.SENDING, Notification.lease_until <= now),
    )
    with db.unit_of_work() as session:
        rows = session.scalars(
            select(Notification)
            .where(due)
            .order_by(Notification.next_attempt_at, Notification.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.status = NotificationStatus.SENDING
            row.lease_until = now + lease
            row.attempts += 1
    return [Claim(row.id, row.attempts) for row in rows]


def renew(claim: Claim, *, lease: timedelta, now: datetime) -> bool:
    """Extend the lease for the delivery about to start; False when another relay took it."""
    with still_ours(claim) as row:
        if row is None:
            return False
        row.lease_until = now + lease
        return True


def deliver(claim: Claim, *, senders: Mapping[str, Sender], now: datetime) -> None:
    notification = db.session.get_one(Notification, claim.id)
    channel = notification.channel
    try:
        rendered = render(notification)
        outgoing = _outgoing(notification, rendered)
    except Stale as reason:
        _finish(claim, status=NotificationStatus.CANCELLED, error=f"not sent: {reason}")
        return
    except Exception as error:  # a template bug fails the message for review, not forever
        log.exception("could not render notification %s", claim.id)
        db.session.rollback()
        unrendered = Rendered(None, "", "", "")
        record_failure(claim, unrendered, DeliveryError(f"not rendered: {error!r}"), now=now)
        return
    db.session.rollback()  # hold no transaction open while talking to the network
    try:
        senders[channel].send(outgoing)
    except DeliveryError as error:
        record_failure(claim, rendered, error, now=now)
    except Exception as error:  # a sender's bug must not keep a message leased forever
        log.exception("sender for %s crashed on notification %s", channel, claim.id)
        record_failure(claim, rendered, DeliveryError(repr(error)), now=now)
    else:
        record_sent(claim, rendered, now=now)


def record_sent(claim: Claim, rendered: Rendered, *, now: datetime) -> None:
    with still_ours(claim) as row:
        if row is None:
            return
        row.status, row.sent_at = NotificationStatus.SENT, now
        row.lease_until, row.last_error = None, None
        row.subject, row.body = rendered.subject, rendered.kept
        if row.channel in ON_TIMELINE:
            row.interaction_id = _on_timeline(row, rendered, now).id


def record_failure(
    claim: Claim, rendered: Rendered, error: DeliveryError, *, now: datetime
) -> None:
    with still_ours(claim) as row:
        if row is None:
            return
        retry_at = None if error.permanent else _retry_at(row, now)
        row.subject, row.body = rendered.subject, rendered.kept
        row.last_error = str(error)[:MAX_ERROR_CHARS]
        row.lease_until = None
        if retry_at is None:
            row.status = NotificationStatus.FAILED
            log.warning("notification %s failed for good: %s", row.id, error)
        else:
            row.status, row.next_attempt_at = NotificationStatus.PENDING, retry_at
        if isinstance(error, Gone) and row.subscription is not None:
            disable_subscription(row.subscription, reason="receiver answered 410 Gone")


def _finish(claim: Claim, *, status: NotificationStatus, error: str) -> None:
    with still_ours(claim) as row:
        if row is not None:
            row.status, row.lease_until, row.last_error = status, None, error


@contextmanager
def still_ours(claim: Claim) -> Iterator[Notification | None]:
    """The locked row if this relay still holds it, else None; the block's changes are committed.

    A relay whose lease ran out finds the row re-claimed by another, which records instead.
    """
    with db.unit_of_work() as session:
        row = session.scalar(
            select(Notification).where(Notification.id == claim.id).with_for_update()
        )
        ours = row is not None and (row.status, row.attempts) == ("sending", claim.attempt)
        yield row if ours else None


def _outgoing(notification: Notification, rendered: Rendered) -> Outgoing:
    subscription = notification.subscription
    if subscription is not None and not subscription.active:
        raise Stale(f"the subscription is {subscription.disabled_reason}")
    return Outgoing(
        delivery_id=notification.delivery_id,
        recipient=subscription.url if subscription else notification.recipient,
        subject=rendered.subject,
        body=rendered.body,
        secret=subscription.secret if subscription else None,
        calendar=rendered.calendar,
    )


def _on_timeline(row: Notification, rendered: Rendered, now: datetime) -> Any:
    return add_interaction(
        db.session.get_one(Case, row.case_id),
        actor=None,
        channel=row.channel,
        direction=Direction.OUTBOUND,
        summary=rendered.headline[:500],
        body=rendered.kept,
        occurred_at=now,
        external_ref=row.delivery_id,
    )


def _retry_at(row: Notification, now: datetime) -> datetime | None:
    """Webhooks retry for days (receivers have maintenance windows); messages to people less."""
    config = current_app.config
    base = timedelta(seconds=int(config["RELAY_RETRY_BASE_SECONDS"]))
    if row.channel == DeliveryChannel.WEBHOOK:
        window = timedelta(hours=int(config["WEBHOOK_RETRY_HOURS"]))
        policy = RetryPolicy(base=base, cap=timedelta(hours=6), give_up_after=window)
    else:
        attempts = int(config["RELAY_MAX_ATTEMPTS"])
        policy = RetryPolicy(base=base, cap=timedelta(hours=1), max_attempts=attempts)
    return policy.next_attempt(
        attempts=row.attempts, queued_at=row.created_at, now=now, rng=random.Random()
    )
