"""Shapes of what an inbound delivery answers and of the review list."""

import marshmallow as ma

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
