"""Shapes of what an inbound delivery answers and of the review list."""

from typing import Any

import marshmallow as ma
from marshmallow.validate import Length, Range

from app.cases.schemas import InteractionSchema
from app.common.fields import AwareDateTime
from app.inbound.models import InboundChannel, InboundStatus
from app.photos.models import PhotoSource, PhotoStatus


class InboundPhotoSchema(ma.Schema):
    """No links here: they expire, and a redelivery must get the same body (GET the photos)."""

    id = ma.fields.Integer()
    filename = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(PhotoStatus)})
    reason = ma.fields.String(allow_none=True)
    source = ma.fields.String(metadata={"enum": list(PhotoSource)})
    sender = ma.fields.String(allow_none=True)
    width = ma.fields.Integer(allow_none=True)
    height = ma.fields.Integer(allow_none=True)


class NotStoredSchema(ma.Schema):
    filename = ma.fields.String()
    content_type = ma.fields.String()
    size_bytes = ma.fields.Integer()
    reason = ma.fields.String()


class InboundResultSchema(ma.Schema):
    id = ma.fields.Integer(metadata={"description": "The inbound message"})
    case_number = ma.fields.String()
    status = ma.fields.String(metadata={"enum": list(InboundStatus)})
    interaction = ma.fields.Nested(InteractionSchema)
    photos = ma.fields.List(ma.fields.Nested(InboundPhotoSchema))
    not_stored = ma.fields.List(
        ma.fields.Nested(NotStoredSchema),
        metadata={"description": "Attachments listed but not kept (not images)"},
    )


class UnmatchedSchema(ma.Schema):
    id = ma.fields.Integer()
    channel = ma.fields.String(metadata={"enum": list(InboundChannel)})
    external_id = ma.fields.String(metadata={"description": "Message-ID or MessageSid"})
    sender = ma.fields.String()
    subject = ma.fields.String(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    received_at = AwareDateTime()


class AttachSchema(ma.Schema):
    case_number = ma.fields.String(required=True, metadata={"example": "FF-4K7P-2QXM"})


class ProviderSmsSchema(ma.Schema):
    """Twilio's messaging webhook form; MediaUrl0..N and MediaContentType0..N come with NumMedia."""

    class Meta:
        unknown = ma.INCLUDE

    sid = ma.fields.String(required=True, data_key="MessageSid", validate=Length(max=300))
    sender = ma.fields.String(required=True, data_key="From", validate=Length(min=1, max=320))
    body = ma.fields.String(load_default="", data_key="Body")
    num_media = ma.fields.Integer(load_default=0, data_key="NumMedia", validate=Range(0, 10))

    @ma.post_load
    def collect_media(self, data: dict[str, Any], **_kwargs: object) -> dict[str, Any]:
        count = data.pop("num_media")
        media = [
            {
                "url": str(data.get(f"MediaUrl{n}", "")),
                "content_type": str(data.get(f"MediaContentType{n}", "application/octet-stream")),
            }
            for n in range(count)
        ]
        kept = {"sid", "sender", "body"}
        return {**{k: v for k, v in data.items() if k in kept}, "media": media}
