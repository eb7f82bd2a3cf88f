"""Shapes of cases, interactions, intake, lookup and the timeline."""

from datetime import date

import marshmallow as ma

from app.cases.models import CaseStatus, Channel, Direction, Outcome, Priority
from app.common.fields import AwareDateTime, Line, StoredInt
from app.customers.schemas import AssetSchema, SiteSchema


def one_of(enum: type) -> ma.validate.OneOf:
    return ma.validate.OneOf([member.value for member in enum])


class CustomerRefSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class CaseAssetSchema(AssetSchema):
    warranty_state = ma.fields.Function(
        lambda asset: asset.warranty_state(date.today()),
        metadata={"description": "in_warranty | expired | unknown, as of today"},
    )


class CaseSchema(ma.Schema):
    number = ma.fields.String(dump_only=True, metadata={"example": "FF-4K7P-2QXM"})
    customer_id = ma.fields.Integer(required=True, load_only=True)
    site_id = ma.fields.Integer(required=True, load_only=True)
    asset_id = ma.fields.Integer(allow_none=True, load_only=True)
    title = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    description = ma.fields.String(allow_none=True)
    channel = ma.fields.String(
        required=True, load_only=True, validate=one_of(Channel), metadata={"enum": list(Channel)}
    )
    priority = ma.fields.String(validate=one_of(Priority), metadata={"enum": list(Priority)})
    status = ma.fields.String(dump_only=True, metadata={"enum": list(CaseStatus)})
    opened_channel = ma.fields.String(dump_only=True)
    opened_at = AwareDateTime(dump_only=True)
    customer = ma.fields.Nested(CustomerRefSchema, dump_only=True)
    site = ma.fields.Nested(SiteSchema, dump_only=True, allow_none=True)
    asset = ma.fields.Nested(CaseAssetSchema, dump_only=True, allow_none=True)


class CaseDetailSchema(CaseSchema):
    channels = ma.fields.List(ma.fields.String(), dump_only=True)
    counts = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        dump_only=True,
        metadata={"description": "Timeline entries by kind"},
    )

    @ma.pre_dump
    def merge_case(self, details: dict, **_kwargs: object) -> dict:
        """The service returns {case, channels, counts}; the client sees one flat object."""
        case = details["case"]
        return {
            name: details[name] if name in details else getattr(case, name)
            for name in self.dump_fields
        }


class CasePatchSchema(ma.Schema):
    status = ma.fields.String(validate=one_of(CaseStatus), metadata={"enum": list(CaseStatus)})
    title = Line(validate=ma.validate.Length(min=1, max=200))
    description = ma.fields.String(allow_none=True)
    priority = ma.fields.String(validate=one_of(Priority))
    site_id = ma.fields.Integer()
    asset_id = ma.fields.Integer(allow_none=True)


class CaseQueryArgsSchema(ma.Schema):
    customer_id = StoredInt()
    status = ma.fields.String(validate=one_of(CaseStatus))
    q = ma.fields.String(metadata={"description": "Case number, title or customer name"})


class InteractionSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    case_number = ma.fields.Function(lambda i: i.case.number, dump_only=True)
    channel = ma.fields.String(
        required=True, validate=one_of(Channel), metadata={"enum": list(Channel)}
    )
    direction = ma.fields.String(
        required=True, validate=one_of(Direction), metadata={"enum": list(Direction)}
    )
    summary = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
    body = ma.fields.String(allow_none=True)
    outcome = ma.fields.String(allow_none=True, validate=one_of(Outcome))
    occurred_at = AwareDateTime(metadata={"description": "Defaults to now"})
    recorded_at = AwareDateTime(dump_only=True)
    external_ref = ma.fields.String(
        allow_none=True,
        validate=ma.validate.Length(max=200),
        metadata={"description": "The channel system's id; the same one twice is recorded once"},
    )
    sender = ma.fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The address or number it came from (inbound e-mail, SMS)"},
    )


class IntakeSchema(InteractionSchema):
    phone = ma.fields.String(load_only=True)
    email = ma.fields.String(load_only=True)
    case_number = ma.fields.String()
    title = Line(
        load_only=True, metadata={"description": "Title of the case if a new one is opened"}
    )

    @ma.validates_schema
    def needs_a_key(self, data: dict, **_kwargs: object) -> None:
        if not any(data.get(key) for key in ("phone", "email", "case_number")):
            raise ma.ValidationError("Give phone, email or case_number.", "_schema")


class LookupArgsSchema(ma.Schema):
    phone = ma.fields.String()
    email = ma.fields.String()
    case = ma.fields.String()

    @ma.validates_schema
    def needs_a_key(self, data: dict, **_kwargs: object) -> None:
        if not data:
            raise ma.ValidationError("Give phone, email or case.", "_schema")


class OpenCaseRefSchema(ma.Schema):
    number = ma.fields.String()
    title = ma.fields.String()
    status = ma.fields.String()
    opened_at = AwareDateTime()


class LookupMatchSchema(ma.Schema):
    customer = ma.fields.Nested(CustomerRefSchema)
    open_cases = ma.fields.List(ma.fields.Nested(OpenCaseRefSchema))


class TimelineEntrySchema(ma.Schema):
    kind = ma.fields.String(metadata={"description": "interaction, visit, diagnosis, photo, ..."})
    id = ma.fields.Integer(metadata={"description": "Id of the entry within its kind"})
    at = AwareDateTime()
    channel = ma.fields.String(allow_none=True)
    who = ma.fields.String(allow_none=True)
    summary = ma.fields.String()
