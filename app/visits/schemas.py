"""Shapes of visits, diagnoses, assignments, candidates and field events."""

import marshmallow as ma

from app.catalog.models import VisitKind
from app.catalog.schemas import RequiredPartSchema, RequirementsSchema
from app.common.fields import AwareDateTime
from app.visits.lifecycle import FROM
from app.visits.models import VisitStatus

EVENT_TYPES = sorted(FROM)
UNFINISHED = (VisitStatus.NO_ACCESS, VisitStatus.INCOMPLETE)


class TechnicianRefSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class ReservationSchema(ma.Schema):
    sku = ma.fields.String()
    quantity = ma.fields.Integer()
    location_id = ma.fields.Integer()
    ready_at = AwareDateTime(allow_none=True)
    status = ma.fields.String()


class VisitCreateSchema(RequirementsSchema):
    type = ma.fields.String(
        required=True,
        metadata={"description": f"One of {', '.join(VisitKind)}, or a visit type code"},
    )
    window_start = AwareDateTime(required=True)
    window_end = AwareDateTime(required=True)
    duration_minutes = ma.fields.Integer(validate=ma.validate.Range(min=1, max=24 * 60))
    requires = ma.fields.List(
        ma.fields.Integer(), metadata={"description": "Visits to complete before this one"}
    )
    override_reason = ma.fields.String(
        validate=ma.validate.Length(min=1, max=1000),
        metadata={"description": "Dispatcher only: why a diagnosed case needs another assessment"},
    )

    @ma.validates_schema
    def window_has_room(self, data: dict, **_kwargs: object) -> None:
        if data["window_start"] >= data["window_end"]:
            raise ma.ValidationError("The window must end after it starts.", "window_end")


class VisitPatchSchema(ma.Schema):
    locked = ma.fields.Boolean(
        metadata={"description": "A locked booking is kept as it is by every plan run"}
    )
    window_start = AwareDateTime()
    window_end = AwareDateTime()


class VisitSchema(RequirementsSchema):
    id = ma.fields.Integer()
    case_number = ma.fields.Function(lambda visit: visit.case.number)
    kind = ma.fields.String(metadata={"enum": list(VisitKind)})
    status = ma.fields.String(metadata={"enum": list(VisitStatus)})
    window_start = AwareDateTime()
    window_end = AwareDateTime()
    duration_minutes = ma.fields.Integer()
    requires = ma.fields.Function(lambda visit: [required.id for required in visit.prerequisites])
    technician = ma.fields.Nested(TechnicianRefSchema, allow_none=True)
    start = AwareDateTime(attribute="start_at", allow_none=True)
    end = AwareDateTime(attribute="end_at", allow_none=True)
    warranty_covered = ma.fields.Boolean()
    reimbursement_review = ma.fields.Boolean(
        metadata={"description": "An overridden repeat assessment, to be checked before billing"}
    )
    override_reason = ma.fields.String(allow_none=True)
    reservations = ma.fields.List(ma.fields.Nested(ReservationSchema))
    eta = AwareDateTime(
        attribute="eta_at", allow_none=True, metadata={"description": "Set when en route"}
    )
    return_reason = ma.fields.String(
        allow_none=True, metadata={"description": "Why the last attempt ended unfinished"}
    )
    locked = ma.fields.Boolean()
    created_at = AwareDateTime()


class DiagnosisSchema(RequirementsSchema):
    id = ma.fields.Integer(dump_only=True)
    visit_id = ma.fields.Integer(dump_only=True)
    findings = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=5000))
    estimated_minutes = ma.fields.Integer(
        required=True, validate=ma.validate.Range(min=1, max=24 * 60)
    )
    current = ma.fields.Boolean(dump_only=True)
    created_at = AwareDateTime(dump_only=True)
    superseded_at = AwareDateTime(dump_only=True, allow_none=True)


class AssignmentSchema(ma.Schema):
    technician_id = ma.fields.Integer(required=True)
    start = AwareDateTime(required=True)


class ReasonSchema(ma.Schema):
    code = ma.fields.String()
    detail = ma.fields.String()


class CandidateSchema(ma.Schema):
    technician_id = ma.fields.Integer()
    name = ma.fields.String()
    eligible = ma.fields.Boolean()
    preferred = ma.fields.Boolean(metadata={"description": "The customer prefers them"})
    reasons = ma.fields.List(ma.fields.Nested(ReasonSchema))
    distance_km = ma.fields.Float(allow_none=True, metadata={"description": "From home"})


class PositionSchema(ma.Schema):
    latitude = ma.fields.Float(required=True, validate=ma.validate.Range(min=-90, max=90))
    longitude = ma.fields.Float(required=True, validate=ma.validate.Range(min=-180, max=180))
    accuracy_m = ma.fields.Float(validate=ma.validate.Range(min=0), allow_none=True)


class VisitEventSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    visit_id = ma.fields.Integer(dump_only=True)
    type = ma.fields.String(
        required=True, validate=ma.validate.OneOf(EVENT_TYPES), metadata={"enum": EVENT_TYPES}
    )
    at = AwareDateTime(metadata={"description": "When it happened on the phone; defaults to now"})
    received_at = AwareDateTime(dump_only=True)
    applied = ma.fields.Boolean(
        dump_only=True,
        metadata={"description": "False when a later report was already applied: kept in order"},
    )
    position = ma.fields.Nested(
        PositionSchema,
        load_only=True,
        metadata={"description": "Where the phone was; en_route computes the ETA from it"},
    )
    reason = ma.fields.String(
        allow_none=True,
        validate=ma.validate.Length(min=1, max=2000),
        metadata={"description": "Required for no_access and incomplete"},
    )
    note = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))
    parts_used = ma.fields.List(ma.fields.Nested(RequiredPartSchema), load_only=True)
    substitution_reason = ma.fields.String(validate=ma.validate.Length(min=1, max=1000))

    @ma.validates_schema
    def reason_when_unfinished(self, data: dict, **_kwargs: object) -> None:
        if data.get("type") in UNFINISHED and not data.get("reason"):
            raise ma.ValidationError(
                "Say why the work could not be done; the dispatcher plans the return from it.",
                "reason",
            )
