"""Shapes of photo uploads, upload targets and photos."""

from typing import Any

import marshmallow as ma

from app.common.fields import AwareDateTime, Line
from app.photos.models import PhotoSource, PhotoStatus

# What phones produce; the bytes decide in the end, this only refuses obvious non-photos.
ACCEPTED_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "image/heif")


class PhotoCreateSchema(ma.Schema):
    filename = Line(required=True, validate=ma.validate.Length(min=1, max=255))
    content_type = ma.fields.String(
        required=True, validate=ma.validate.OneOf(ACCEPTED_TYPES), metadata={"enum": ACCEPTED_TYPES}
    )
    size_bytes = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(min=1),
        metadata={"description": "Exact size of the file; at most FIRSTFIX_MAX_PHOTO_BYTES"},
    )
    visit_id = ma.fields.Integer(allow_none=True)
    caption = Line(allow_none=True, validate=ma.validate.Length(max=500))


class UploadTargetSchema(ma.Schema):
    method = ma.fields.String(metadata={"enum": ["POST", "PUT"]})
    url = ma.fields.String()
    fields = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={"description": "POST: form fields to send, in order, before the file"},
    )
    headers = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={"description": "Headers to send with the request"},
    )
    expires_at = AwareDateTime()


class PhotoUploadSchema(ma.Schema):
    id = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": list(PhotoStatus)})
    upload = ma.fields.Nested(UploadTargetSchema)

    @ma.pre_dump
    def flatten(self, created: dict[str, Any], **_kwargs: object) -> dict[str, Any]:
        photo = created["photo"]
        return {"id": photo.id, "status": photo.status, "upload": created["upload"]}


class UserRefSchema(ma.Schema):
    email = ma.fields.String()


class PhotoSchema(ma.Schema):
    id = ma.fields.Integer()
    status = ma.fields.String(metadata={"enum": list(PhotoStatus)})
    reason = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Why it was rejected: empty, not_an_image, unsupported_type, "
            "too_many_pixels, truncated or size_mismatch"
        },
    )
    reason_detail = ma.fields.String(allow_none=True)
    url = ma.fields.String(allow_none=True, metadata={"description": "Expires in minutes"})
    thumbnail_url = ma.fields.String(allow_none=True)
    width = ma.fields.Integer(allow_none=True)
    height = ma.fields.Integer(allow_none=True)
    sha256 = ma.fields.String(allow_none=True, metadata={"description": "Of the bytes sent"})
    detected_type = ma.fields.String(
        allow_none=True, metadata={"description": "What the bytes sent turned out to be"}
    )
    duplicate_of = ma.fields.Integer(allow_none=True, attribute="duplicate_of_id")
    filename = ma.fields.String()
    caption = Line(allow_none=True)
    source = ma.fields.String(metadata={"enum": list(PhotoSource)})
    uploaded_by = ma.fields.Pluck(
        UserRefSchema,
        "email",
        allow_none=True,
        metadata={"description": "E-mail of the user; none for a customer"},
    )
    visit_id = ma.fields.Integer(allow_none=True)
    taken_at = AwareDateTime(allow_none=True)
    created_at = AwareDateTime()
    completed_at = AwareDateTime(allow_none=True)

    @ma.pre_dump
    def merge_photo(self, described: dict[str, Any], **_kwargs: object) -> dict[str, Any]:
        """The service gives {photo, url, thumbnail_url}; the client sees one flat object."""
        photo = described["photo"]
        keys = {field.attribute or name for name, field in self.dump_fields.items()}
        return {key: described[key] if key in described else getattr(photo, key) for key in keys}


class PhotoQueryArgsSchema(ma.Schema):
    status = ma.fields.String(
        load_default=PhotoStatus.READY.value,
        validate=ma.validate.OneOf(list(PhotoStatus)),
        metadata={"description": "Which photos to list; ready ones by default"},
    )
