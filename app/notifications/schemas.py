"""Shapes of webhook subscriptions and of the messages listed on a case."""

import marshmallow as ma

from app.common.fields import AwareDateTime
from app.notifications.models import DeliveryChannel, Event, NotificationStatus


class WebhookSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    url = ma.fields.Url(
        required=True,
        schemes={"http", "https"},
        require_tld=False,
        validate=ma.validate.Length(max=2048),
        metadata={"description": "Must resolve to public addresses only"},
    )
    events = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(list(Event))),
        required=True,
        validate=ma.validate.Length(min=1),
        metadata={"description": f"Any of: {', '.join(Event)}"},
    )
    active = ma.fields.Boolean(dump_only=True)
    disabled_reason = ma.fields.String(dump_only=True, allow_none=True)
    disabled_at = AwareDateTime(dump_only=True, allow_none=True)
    created_at = AwareDateTime(dump_only=True)


class WebhookCreatedSchema(WebhookSchema):
    secret = ma.fields.String(
        dump_only=True,
        metadata={
            "description": "Standard Webhooks signing secret (whsec_...); shown only now",
        },
    )


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer()
    event = ma.fields.String(metadata={"enum": list(Event)})
    channel = ma.fields.String(metadata={"enum": list(DeliveryChannel)})
    recipient = ma.fields.String()
    visit_id = ma.fields.Integer(allow_none=True)
    status = ma.fields.String(metadata={"enum": list(NotificationStatus)})
    attempts = ma.fields.Integer()
    delivery_id = ma.fields.String(
        metadata={"description": "Same on every try (webhook-id, Message-ID): drop duplicates"}
    )
    subject = ma.fields.String(allow_none=True)
    body = ma.fields.String(allow_none=True, metadata={"description": "As rendered when sent"})
    last_error = ma.fields.String(allow_none=True)
    created_at = AwareDateTime()
    next_attempt_at = AwareDateTime()
    sent_at = AwareDateTime(allow_none=True)
