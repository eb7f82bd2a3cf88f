"""Shapes of plan requests, plan runs with their routes and reasons, and applied plans."""

import marshmallow as ma

from app.common.fields import AwareDateTime
from app.plans.models import PlanStatus

MAX_TIME_LIMIT_SECONDS = 300


class PlanCreateSchema(ma.Schema):
    day = ma.fields.Date(
        required=True,
        data_key="date",
        metadata={"description": "The local day to plan, at each visit's site"},
    )
    territory = ma.fields.String(
        validate=ma.validate.Length(min=1, max=80),
        metadata={"description": "Plan one territory; without it, each is solved on its own"},
    )
    time_limit_seconds = ma.fields.Integer(
        validate=ma.validate.Range(1, MAX_TIME_LIMIT_SECONDS),
        metadata={"description": "Solver time per territory"},
    )
    visit_ids = ma.fields.List(
        ma.fields.Integer(),
        validate=ma.validate.Length(min=1),
        metadata={
            "description": "Plan only these visits; other bookings of the day stay where they are"
        },
    )


class PlanQueryArgsSchema(ma.Schema):
    day = ma.fields.Date(data_key="date")


class SkillReasonSchema(ma.Schema):
    code = ma.fields.String()
    detail = ma.fields.String()


class TechnicianReasonsSchema(ma.Schema):
    technician_id = ma.fields.Integer()
    reasons = ma.fields.List(ma.fields.Nested(SkillReasonSchema))


class UnassignedReasonSchema(SkillReasonSchema):
    technicians = ma.fields.List(
        ma.fields.Nested(TechnicianReasonsSchema),
        metadata={"description": "For no_eligible_technician: why not, per technician"},
    )


class UnassignedSchema(ma.Schema):
    visit_id = ma.fields.Integer()
    reasons = ma.fields.List(ma.fields.Nested(UnassignedReasonSchema))


class StopSchema(ma.Schema):
    visit_id = ma.fields.Integer()
    arrival = ma.fields.String(metadata={"format": "date-time"})
    start = ma.fields.String(metadata={"format": "date-time"})
    end = ma.fields.String(metadata={"format": "date-time"})
    travel_minutes = ma.fields.Float(metadata={"description": "From the previous place"})
    pinned = ma.fields.Boolean(metadata={"description": "In progress or locked: kept as is"})
    preferred = ma.fields.Boolean(
        allow_none=True,
        metadata={
            "description": "Whether the technician is one the customer prefers; null when the "
            "customer prefers no eligible technician"
        },
    )
    moved = ma.fields.Boolean(
        metadata={"description": "A booked visit given to another technician or moved > 15 min"}
    )


class RouteSchema(ma.Schema):
    technician_id = ma.fields.Integer()
    stops = ma.fields.List(ma.fields.Nested(StopSchema))


class UtilisationSchema(ma.Schema):
    technician_id = ma.fields.Integer()
    utilisation = ma.fields.Float(metadata={"description": "Work and travel over free time"})


class StatsSchema(ma.Schema):
    assigned = ma.fields.Integer()
    unassigned = ma.fields.Integer()
    travel_km = ma.fields.Float()
    travel_minutes = ma.fields.Float()
    solve_seconds = ma.fields.Float()
    utilisation = ma.fields.List(ma.fields.Nested(UtilisationSchema))


class PlanPartSchema(ma.Schema):
    territory = ma.fields.String(allow_none=True)
    status = ma.fields.String(attribute="current_status", metadata={"enum": list(PlanStatus)})
    error = ma.fields.String(allow_none=True)
    lost = ma.fields.String(
        allow_none=True,
        metadata={"description": "Why an unfinished part will not finish (its worker died)"},
    )
    started_at = AwareDateTime(allow_none=True)
    finished_at = AwareDateTime(allow_none=True)


class PlanSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    day = ma.fields.Date(data_key="date")
    territory = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"enum": list(PlanStatus)})
    error = ma.fields.String(allow_none=True)
    time_limit_seconds = ma.fields.Integer()
    visit_ids = ma.fields.List(ma.fields.Integer(), allow_none=True)
    created_at = AwareDateTime()
    applied_at = AwareDateTime(allow_none=True)
    parts = ma.fields.List(ma.fields.Nested(PlanPartSchema))
    routes = ma.fields.List(ma.fields.Nested(RouteSchema))
    unassigned = ma.fields.List(ma.fields.Nested(UnassignedSchema))
    stats = ma.fields.Nested(StatsSchema, allow_none=True)


class PlanSummarySchema(PlanSchema):
    """A run in a list: everything but the routes and reasons."""

    class Meta:
        exclude = ("routes", "unassigned")


class AppliedPlanSchema(ma.Schema):
    plan_id = ma.fields.Integer()
    applied_at = AwareDateTime()
    booked = ma.fields.List(ma.fields.Integer(), metadata={"description": "Booked or moved"})
    unbooked = ma.fields.List(ma.fields.Integer(), metadata={"description": "Left out by the plan"})
    unchanged = ma.fields.List(ma.fields.Integer())
