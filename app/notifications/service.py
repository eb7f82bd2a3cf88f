"""Use cases: webhook subscriptions for channel systems, and a case's messages."""

from flask import current_app
from sqlalchemy import select, update

from app.auth.principal import Principal
from app.cases.service import get_case
from app.common.paging import Page, paginate
from app.db import utcnow
from app.errors import NotFound, RuleViolation
from app.extensions import db
from app.notifications.channels import url_guard
from app.notifications.channels.webhooks import new_secret
from app.notifications.models import Notification, NotificationStatus, WebhookSubscription
from app.notifications.ssrf import UnsafeUrl


def subscribe_webhook(*, actor: Principal, url: str, events: list[str]) -> WebhookSubscription:
    """Refuses URLs that resolve to this host or a private network; the secret is shown once."""
    try:
        url_guard(current_app.config).check(url)
    except UnsafeUrl as error:
        raise RuleViolation(str(error), errors={"url": [str(error)]}) from error
    subscription = WebhookSubscription(
        url=url,
        events=sorted(set(events)),
        secret=new_secret(),
        created_by_id=actor.user_id,
    )
    db.session.add(subscription)
    db.session.flush()
    return subscription


def list_webhooks(*, page: int, page_size: int) -> Page:
    query = (
        select(WebhookSubscription)
        .where(WebhookSubscription.deleted.is_(False))
        .order_by(WebhookSubscription.id)
    )
    return paginate(query, page=page, page_size=page_size)


def delete_webhook(subscription_id: int) -> None:
    """Kept as a deleted row so the messages already sent to it still say where they went."""
    subscription = db.session.get(WebhookSubscription, subscription_id)
    if subscription is None or subscription.deleted:
        raise NotFound(f"Webhook subscription {subscription_id} does not exist.")
    subscription.deleted = True
    disable_subscription(subscription, reason="deleted")
    db.session.flush()


def disable_subscription(subscription: WebhookSubscription, *, reason: str) -> None:
    """Flush: stop sending to it, and cancel what was still waiting for it."""
    subscription.active = False
    subscription.disabled_reason = reason
    subscription.disabled_at = utcnow()
    db.session.execute(
        update(Notification)
        .where(
            Notification.subscription_id == subscription.id,
            Notification.status == NotificationStatus.PENDING,
        )
        .values(status=NotificationStatus.CANCELLED, last_error=f"subscription {reason}")
    )
    db.session.flush()


def list_case_notifications(number: str, *, page: int, page_size: int) -> Page:
    """Newest first: what an agent checks is usually what went out last."""
    case = get_case(number)
    query = (
        select(Notification)
        .where(Notification.case_id == case.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return paginate(query, page=page, page_size=page_size)
