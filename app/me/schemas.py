"""Shapes of the technician's day, the sync feed and the calendar link."""

import marshmallow as ma

from app.common.fields import AwareDateTime, StoredInt
from app.visits.models import VisitStatus


class DayArgsSchema(ma.Schema):
    date = ma.fields.Date(
        required=True, metadata={"description": "The day in the technician's own time zone"}
    )


class SyncArgsSchema(ma.Schema):
    since = StoredInt(
        load_default=None,
        validate=ma.validate.Range(min=0),
        metadata={"description": "The cursor of the last sync; leave out on a fresh install"},
    )


class EquipmentNeedSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()


class SkillNeedSchema(EquipmentNeedSchema):
    level = ma.fields.Integer()


class PartNeedSchema(ma.Schema):
    code = ma.fields.String(metadata={"description": "The exact SKU"})
    name = ma.fields.String()
    quantity = ma.fields.Integer()
    source = ma.fields.String(metadata={"enum": ["van", "warehouse", "unavailable"]})
    location = ma.fields.String(allow_none=True, metadata={"description": "Where to pick it up"})
    ready_at = AwareDateTime(allow_none=True)


class NeedsMixin(ma.Schema):
    required_skills = ma.fields.List(ma.fields.Nested(SkillNeedSchema))
    required_equipment = ma.fields.List(ma.fields.Nested(EquipmentNeedSchema))
    parts = ma.fields.List(ma.fields.Nested(PartNeedSchema))


class CaseCardSchema(ma.Schema):
    number = ma.fields.String()
    title = ma.fields.String()
    description = ma.fields.String(allow_none=True)
    priority = ma.fields.String()
    status = ma.fields.String()


class CustomerCardSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    phone = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)


class SiteCardSchema(ma.Schema):
    address = ma.fields.String()
    latitude = ma.fields.Float()
    longitude = ma.fields.Float()
    timezone = ma.fields.String()
    access_notes = ma.fields.String(allow_none=True)


class AssetCardSchema(ma.Schema):
    kind = ma.fields.String(attribute="asset.kind")
    make = ma.fields.String(attribute="asset.make", allow_none=True)
    model = ma.fields.String(attribute="asset.model", allow_none=True)
    serial = ma.fields.String(attribute="asset.serial", allow_none=True)
    warranty_until = ma.fields.Date(attribute="asset.warranty_until", allow_none=True)
    warranty = ma.fields.String(metadata={"enum": ["in_warranty", "expired", "unknown"]})


class DiagnosisCardSchema(NeedsMixin):
    id = ma.fields.Integer(attribute="diagnosis.id")
    etag = ma.fields.String(metadata={"description": "Send as If-Match with PUT .../diagnosis"})
    findings = ma.fields.String(attribute="diagnosis.findings")
    estimated_minutes = ma.fields.Integer(attribute="diagnosis.estimated_minutes")
    visit_id = ma.fields.Integer(attribute="diagnosis.visit_id")
    created_at = AwareDateTime(attribute="diagnosis.created_at")


class PhotoCardSchema(ma.Schema):
    id = ma.fields.Integer(attribute="photo.id")
    caption = ma.fields.String(attribute="photo.caption", allow_none=True)
    taken_at = AwareDateTime(attribute="photo.taken_at", allow_none=True)
    url = ma.fields.String(metadata={"description": "Expires in minutes"})
    thumbnail_url = ma.fields.String()


class InteractionCardSchema(ma.Schema):
    id = ma.fields.Integer()
    at = AwareDateTime()
    channel = ma.fields.String()
    summary = ma.fields.String()
    outcome = ma.fields.String(allow_none=True)


class PreviousVisitSchema(ma.Schema):
    visit_id = ma.fields.Integer()
    kind = ma.fields.String()
    at = AwareDateTime()
    outcome = ma.fields.String(metadata={"enum": ["completed", "incomplete", "no_access"]})
    reason = ma.fields.String(allow_none=True)


class PrerequisiteSchema(ma.Schema):
    visit_id = ma.fields.Integer()
    kind = ma.fields.String()
    status = ma.fields.String()
    window_start = AwareDateTime()


class DayVisitSchema(NeedsMixin):
    id = ma.fields.Integer(attribute="visit.id")
    etag = ma.fields.String(metadata={"description": "Send as If-Match when changing the visit"})
    kind = ma.fields.String(attribute="visit.kind")
    status = ma.fields.String(attribute="visit.status", metadata={"enum": list(VisitStatus)})
    window_start = AwareDateTime(attribute="visit.window_start")
    window_end = AwareDateTime(attribute="visit.window_end")
    start = AwareDateTime(attribute="visit.start_at", allow_none=True)
    end = AwareDateTime(attribute="visit.end_at", allow_none=True)
    eta = AwareDateTime(attribute="visit.eta_at", allow_none=True)
    duration_minutes = ma.fields.Integer(attribute="visit.duration_minutes")
    travel_seconds = ma.fields.Integer(allow_none=True)
    travel_from = ma.fields.String(metadata={"enum": ["home", "previous_visit"]})
    case = ma.fields.Nested(CaseCardSchema)
    customer = ma.fields.Nested(CustomerCardSchema)
    site = ma.fields.Nested(SiteCardSchema, allow_none=True)
    asset = ma.fields.Nested(AssetCardSchema, allow_none=True)
    diagnosis = ma.fields.Nested(DiagnosisCardSchema, allow_none=True)
    photos = ma.fields.List(ma.fields.Nested(PhotoCardSchema))
    interactions = ma.fields.List(ma.fields.Nested(InteractionCardSchema))
    previous_visits = ma.fields.List(ma.fields.Nested(PreviousVisitSchema))
    prerequisites = ma.fields.List(ma.fields.Nested(PrerequisiteSchema))


class TombstoneSchema(ma.Schema):
    visit_id = ma.fields.Integer()
    reason = ma.fields.String(metadata={"enum": ["cancelled", "reassigned", "unassigned"]})


class SyncSchema(ma.Schema):
    cursor = ma.fields.String(metadata={"description": "Send as ?since= next time"})
    more = ma.fields.Boolean(metadata={"description": "Call again at once with the new cursor"})
    visits = ma.fields.List(ma.fields.Nested(DayVisitSchema))
    removed = ma.fields.List(ma.fields.Nested(TombstoneSchema))


class CalendarArgsSchema(ma.Schema):
    token = ma.fields.String(required=True)


class CalendarLinkSchema(ma.Schema):
    token = ma.fields.String()
    url = ma.fields.String(metadata={"description": "Subscribe to it in any calendar app"})
