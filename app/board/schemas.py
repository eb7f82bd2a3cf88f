"""Shapes of the board's lists: a day's visits and a technician's schedule."""

import marshmallow as ma

from app.common.fields import AwareDateTime
from app.technicians.schemas import HomeSchema
from app.visits.models import VisitStatus
from app.visits.schemas import VisitSchema


class VisitQueryArgsSchema(ma.Schema):
    date = ma.fields.Date(
        metadata={"description": "A day as seen at each visit's site (its local day)"}
    )
    technician_id = ma.fields.Integer()
    territory = ma.fields.String(
        metadata={
            "description": "A booked visit's technician's territory; an unbooked one's is the "
            "nearest active technician's, as plan runs split the day"
        }
    )
    status = ma.fields.String(
        validate=ma.validate.OneOf(list(VisitStatus)), metadata={"enum": list(VisitStatus)}
    )
    case = ma.fields.String(metadata={"description": "A case number"})


class SiteRefSchema(ma.Schema):
    address = ma.fields.String()
    latitude = ma.fields.Float()
    longitude = ma.fields.Float()
    timezone = ma.fields.String(metadata={"description": "IANA zone: the visit's local day"})


class BoardVisitSchema(VisitSchema):
    site = ma.fields.Function(
        lambda visit: SiteRefSchema().dump(visit.case.site) if visit.case.site else None
    )


class ScheduleArgsSchema(ma.Schema):
    date = ma.fields.Date(
        required=True, metadata={"description": "A day in the technician's own time zone"}
    )


class PeriodSchema(ma.Schema):
    start = AwareDateTime()
    end = AwareDateTime()


class ScheduleStopSchema(ma.Schema):
    visit = ma.fields.Nested(BoardVisitSchema)
    travel_from = ma.fields.String(metadata={"enum": ["home", "previous_visit"]})
    travel_seconds = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "Straight-line travel (the planner's model) to this stop"},
    )
    idle_seconds = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "Time left between the previous stop's end and this start once "
            "travelled; negative when it cannot be reached in time; null for the first stop"
        },
    )


class ScheduleTechnicianSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    territory = ma.fields.String(allow_none=True)
    home = ma.fields.Nested(HomeSchema)


class ScheduleSchema(ma.Schema):
    technician = ma.fields.Nested(ScheduleTechnicianSchema)
    date = ma.fields.Date()
    timezone = ma.fields.String()
    shifts = ma.fields.List(ma.fields.Nested(PeriodSchema))
    time_off = ma.fields.List(ma.fields.Nested(PeriodSchema))
    stops = ma.fields.List(ma.fields.Nested(ScheduleStopSchema))
