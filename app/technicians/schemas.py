"""Shapes of technicians and what they bring."""

import marshmallow as ma

from app.catalog.models import MAX_LEVEL
from app.common.fields import AwareDateTime, Line, Timezone


class HomeSchema(ma.Schema):
    latitude = ma.fields.Float(required=True, validate=ma.validate.Range(-90, 90))
    longitude = ma.fields.Float(required=True, validate=ma.validate.Range(-180, 180))


class TechnicianSkillSchema(ma.Schema):
    code = ma.fields.String(required=True, attribute="skill_code", data_key="code")
    level = ma.fields.Integer(required=True, validate=ma.validate.Range(1, MAX_LEVEL))


class CertificationSchema(ma.Schema):
    code = ma.fields.String(required=True, attribute="skill_code", data_key="code")
    valid_until = ma.fields.Date(required=True)


class ShiftSchema(ma.Schema):
    weekday = ma.fields.Integer(
        required=True, validate=ma.validate.Range(0, 6), metadata={"description": "0 = Monday"}
    )
    start = ma.fields.Time(required=True, format="%H:%M", attribute="start_time", data_key="start")
    end = ma.fields.Time(required=True, format="%H:%M", attribute="end_time", data_key="end")

    @ma.validates_schema
    def starts_before_it_ends(self, data: dict, **_kwargs: object) -> None:
        if data["start_time"] >= data["end_time"]:
            raise ma.ValidationError("A shift must end after it starts, on the same day.", "end")


class TimeOffSchema(ma.Schema):
    start = AwareDateTime(required=True, attribute="start_at", data_key="start")
    end = AwareDateTime(required=True, attribute="end_at", data_key="end")

    @ma.validates_schema
    def starts_before_it_ends(self, data: dict, **_kwargs: object) -> None:
        if data["start_at"] >= data["end_at"]:
            raise ma.ValidationError("Time off must end after it starts.", "end")


class TechnicianPatchSchema(ma.Schema):
    """Lists given replace the technician's whole list; fields left out stay as they are."""

    name = Line(validate=ma.validate.Length(min=1, max=200))
    email = ma.fields.Email()
    phone = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=20))
    timezone = Timezone()
    home = ma.fields.Nested(HomeSchema)
    territory = Line(allow_none=True, validate=ma.validate.Length(max=80))
    active = ma.fields.Boolean()
    skills = ma.fields.List(ma.fields.Nested(TechnicianSkillSchema))
    certifications = ma.fields.List(ma.fields.Nested(CertificationSchema))
    equipment = ma.fields.List(ma.fields.String(), metadata={"description": "Equipment codes"})
    shifts = ma.fields.List(ma.fields.Nested(ShiftSchema))
    time_off = ma.fields.List(ma.fields.Nested(TimeOffSchema))


class TechnicianSchema(TechnicianPatchSchema):
    id = ma.fields.Integer(dump_only=True)
    name = Line(required=True, validate=ma.validate.Length(min=1, max=200))
    email = ma.fields.Email(required=True)
    timezone = Timezone(required=True)
    home = ma.fields.Nested(HomeSchema, required=True)
    equipment = ma.fields.Function(
        lambda technician: [row.equipment_code for row in technician.equipment],
        deserialize=lambda codes: codes,
        metadata={"description": "Equipment codes"},
    )


class TechnicianQueryArgsSchema(ma.Schema):
    territory = ma.fields.String()
    active = ma.fields.Boolean()


class UnavailableSchema(ma.Schema):
    start = AwareDateTime(required=True, data_key="from")
    until = AwareDateTime(
        load_default=None, metadata={"description": "Default: the end of their local day"}
    )


class UnavailabilitySchema(ma.Schema):
    time_off = ma.fields.Nested(TimeOffSchema)
    affected_visit_ids = ma.fields.List(
        ma.fields.Integer(),
        metadata={"description": "Bookings inside the time off; a re-plan moves them"},
    )
