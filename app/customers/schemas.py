"""Shapes of customers, their sites and assets."""

import marshmallow as ma

from app.common.fields import AwareDateTime, Line, Timezone
from app.customers.models import PreferenceKind, PreferenceSource


class SiteSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    address = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
    latitude = ma.fields.Float(required=True, validate=ma.validate.Range(-90, 90))
    longitude = ma.fields.Float(required=True, validate=ma.validate.Range(-180, 180))
    timezone = Timezone(required=True)
    access_notes = ma.fields.String(allow_none=True)


class SitePatchSchema(SiteSchema):
    """A site with an id updates that site; without one it is added."""

    id = ma.fields.Integer()


class AssetSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    site_id = ma.fields.Integer(required=True)
    kind = Line(required=True, validate=ma.validate.Length(min=1, max=80))
    make = Line(allow_none=True)
    model = Line(allow_none=True)
    serial = Line(allow_none=True)
    warranty_until = ma.fields.Date(allow_none=True)


class CustomerSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    phones = ma.fields.List(
        ma.fields.String(),
        load_default=list,
        metadata={"description": "Any format; stored as E.164"},
    )
    emails = ma.fields.List(ma.fields.String(), load_default=list)
    sites = ma.fields.List(ma.fields.Nested(SiteSchema), load_default=list)
    assets = ma.fields.List(ma.fields.Nested(AssetSchema), dump_only=True)
    created_at = AwareDateTime(dump_only=True)


class CustomerPatchSchema(ma.Schema):
    name = Line(validate=ma.validate.Length(min=1, max=200))
    phones = ma.fields.List(ma.fields.String(), metadata={"description": "Replaces all phones"})
    emails = ma.fields.List(ma.fields.String(), metadata={"description": "Replaces all e-mails"})
    sites = ma.fields.List(ma.fields.Nested(SitePatchSchema))


class CustomerQueryArgsSchema(ma.Schema):
    q = ma.fields.String(metadata={"description": "Part of the name, a phone or an e-mail"})


class TechnicianPreferenceSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    technician_id = ma.fields.Integer(required=True)
    kind = Line(
        required=True,
        validate=ma.validate.OneOf(list(PreferenceKind)),
        metadata={"enum": list(PreferenceKind)},
    )
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000))
    source = ma.fields.String(
        dump_only=True,
        metadata={"enum": list(PreferenceSource), "description": "Who said so: staff or portal"},
    )
    case_number = ma.fields.Function(
        lambda preference: preference.case.number if preference.case else None,
        dump_only=True,
        metadata={"description": "The case the customer said it on, for portal refusals"},
    )
    created_at = AwareDateTime(dump_only=True)
