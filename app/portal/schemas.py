"""Shapes of portal links, the customer's view of a case, and the portal actions."""

from typing import Any

import marshmallow as ma

from app.common.fields import AwareDateTime, StoredInt
from app.portal.slots import Slot


class PortalLinkCreateSchema(ma.Schema):
    expires_in_days = ma.fields.Integer(
        validate=ma.validate.Range(min=1),
        metadata={"description": "Defaults to FIRSTFIX_PORTAL_LINK_DAYS; at most ..._MAX_DAYS"},
    )


class PortalLinkSchema(ma.Schema):
    token = ma.fields.String()
    url = ma.fields.String(metadata={"description": "The page to send the customer"})
    expires_at = AwareDateTime()


class PortalTechnicianSchema(ma.Schema):
    first_name = ma.fields.String()
    trade = ma.fields.String()


class PortalPartSchema(ma.Schema):
    name = ma.fields.String()
    quantity = ma.fields.Integer()
    status_text = ma.fields.String(metadata={"example": "part ordered, arrives Tue"})


class PortalVisitSchema(ma.Schema):
    id = ma.fields.Integer()
    type = ma.fields.String(metadata={"example": "site survey"})
    status = ma.fields.String()
    status_text = ma.fields.String()
    window_start = AwareDateTime()
    window_end = AwareDateTime()
    window_text = ma.fields.String(metadata={"description": "In the site's time zone"})
    technician = ma.fields.Nested(PortalTechnicianSchema, allow_none=True)
    prepare = ma.fields.List(ma.fields.String())
    parts = ma.fields.List(ma.fields.Nested(PortalPartSchema))
    on_the_way = ma.fields.Boolean()
    eta = AwareDateTime(allow_none=True)
    confirmed = ma.fields.Boolean(metadata={"description": "This window is confirmed"})


class PortalTimelineEntrySchema(ma.Schema):
    at = AwareDateTime()
    summary = ma.fields.String()


class PortalPhotoSchema(ma.Schema):
    id = ma.fields.Integer(attribute="photo.id")
    status = ma.fields.String(attribute="photo.status")
    reason = ma.fields.String(attribute="photo.reason", allow_none=True)
    caption = ma.fields.String(attribute="photo.caption", allow_none=True)
    taken_at = AwareDateTime(attribute="photo.taken_at", allow_none=True)
    url = ma.fields.String(allow_none=True, metadata={"description": "Expires in minutes"})
    thumbnail_url = ma.fields.String(allow_none=True)


class PortalCaseSchema(ma.Schema):
    number = ma.fields.String()
    title = ma.fields.String()
    status = ma.fields.String()
    status_text = ma.fields.String()
    timezone = ma.fields.String()
    upcoming = ma.fields.List(ma.fields.Nested(PortalVisitSchema))
    past = ma.fields.List(ma.fields.Nested(PortalVisitSchema))
    timeline = ma.fields.List(ma.fields.Nested(PortalTimelineEntrySchema))
    photos = ma.fields.List(ma.fields.Nested(PortalPhotoSchema))


class PortalVisitChoiceSchema(ma.Schema):
    visit_id = StoredInt(
        metadata={"description": "Which visit; the next upcoming one when left out"}
    )


class PortalConfirmSchema(PortalVisitChoiceSchema):
    terms_version = ma.fields.String(
        required=True, metadata={"description": "The version of the terms the customer read"}
    )


class PortalConfirmationSchema(ma.Schema):
    visit_id = StoredInt()
    terms_version = ma.fields.String()
    window_start = AwareDateTime()
    window_end = AwareDateTime()
    confirmed_at = AwareDateTime()


class PortalSlotSchema(ma.Schema):
    start = AwareDateTime(required=True)
    end = AwareDateTime(required=True)

    @ma.post_load
    def make_slot(self, fields: dict[str, Any], **_kwargs: object) -> Slot:
        return Slot(**fields)


class PortalRescheduleSchema(PortalVisitChoiceSchema):
    slot = ma.fields.Nested(PortalSlotSchema, required=True)


class PortalReasonSchema(PortalVisitChoiceSchema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000))


class PortalNoteSchema(ma.Schema):
    text = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=4000))


class PageArgsSchema(ma.Schema):
    done = ma.fields.String(
        load_default=None,
        validate=ma.validate.OneOf(["confirmed", "noted"]),
        metadata={"description": "Set by the form posts"},
    )


class PageConfirmFormSchema(ma.Schema):
    """The page's confirm form; a browser may add fields (a button's name) that mean nothing."""

    class Meta:
        unknown = ma.EXCLUDE

    visit_id = StoredInt(load_default=None)
    terms_version = ma.fields.String(load_default="")


class PageNoteFormSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    text = ma.fields.String(load_default="")


class PortalRefusalSchema(ma.Schema):
    technician = ma.fields.String(metadata={"description": "First name of who won't come again"})
    preference_id = ma.fields.Integer()
    unassigned_visits = ma.fields.List(ma.fields.Integer())
