"""/cases/{number}/visits, /visits/{id}: plan, diagnose, assign and report on visits."""

from typing import Any

from flask.views import MethodView

from app.auth.access import current_principal, roles_required
from app.auth.models import Role
from app.visits import assignment, events, service
from app.visits import timeline as _timeline  # noqa: F401 - registers the case timeline sources
from app.visits.models import Diagnosis, Visit, VisitEvent
from app.visits.schemas import (
    AssignmentSchema,
    CandidateSchema,
    DiagnosisSchema,
    VisitCreateSchema,
    VisitEventSchema,
    VisitSchema,
)
from app.web import Blueprint

blp = Blueprint("visits", __name__, url_prefix="/api/v1", description="Visits")

STAFF = (Role.AGENT, Role.DISPATCHER)
EVERYONE = (*STAFF, Role.TECHNICIAN)
FIELD = (Role.DISPATCHER, Role.TECHNICIAN)


@blp.route("/cases/<number>/visits")
class CaseVisits(MethodView):
    decorators = (roles_required(*STAFF),)

    @blp.response(200, VisitSchema(many=True))
    def get(self, number: str) -> list[Visit]:
        """List a case's visits, earliest window first"""
        return service.list_case_visits(number)

    @blp.arguments(VisitCreateSchema)
    @blp.response(201, VisitSchema)
    def post(self, fields: dict[str, Any], number: str) -> Visit:
        """Plan a visit; a repair inherits the current diagnosis and reserves its parts"""
        return service.create_visit(number, actor=current_principal(), **fields)


@blp.route("/visits/<int:visit_id>")
class VisitById(MethodView):
    decorators = (roles_required(*EVERYONE),)

    @blp.response(200, VisitSchema)
    def get(self, visit_id: int) -> Visit:
        """Get a visit: requirements, window, status, technician, start and end"""
        return service.get_visit(visit_id, viewer=current_principal())


@blp.route("/visits/<int:visit_id>/diagnosis")
class VisitDiagnosis(MethodView):
    decorators = (roles_required(*FIELD),)

    @blp.arguments(DiagnosisSchema)
    @blp.response(200, DiagnosisSchema)
    def put(self, fields: dict[str, Any], visit_id: int) -> Diagnosis:
        """Record what the visit found; it becomes the case's current diagnosis"""
        return service.record_diagnosis(visit_id, actor=current_principal(), **fields)


@blp.route("/visits/<int:visit_id>/assignment")
class VisitAssignment(MethodView):
    decorators = (roles_required(Role.DISPATCHER),)

    @blp.arguments(AssignmentSchema)
    @blp.response(200, VisitSchema)
    def put(self, fields: dict[str, Any], visit_id: int) -> Visit:
        """Book a technician; 409 lists every reason they may not take it"""
        return assignment.assign_technician(visit_id, actor=current_principal(), **fields)

    @blp.response(200, VisitSchema)
    def delete(self, visit_id: int) -> Visit:
        """Unbook the technician"""
        return assignment.unassign_technician(visit_id, actor=current_principal())


@blp.route("/visits/<int:visit_id>/candidates")
class VisitCandidates(MethodView):
    decorators = (roles_required(*STAFF),)

    @blp.response(200, CandidateSchema(many=True))
    def get(self, visit_id: int) -> list[dict[str, Any]]:
        """Every active technician with the reasons they may not take it; eligible first"""
        return assignment.list_candidates(visit_id, actor=current_principal())


@blp.route("/visits/<int:visit_id>/events")
class VisitEvents(MethodView):
    decorators = (roles_required(*FIELD),)

    @blp.arguments(VisitEventSchema)
    @blp.response(201, VisitEventSchema)
    def post(self, fields: dict[str, Any], visit_id: int) -> VisitEvent:
        """Report en route, on site, completed...; illegal moves are refused with 409"""
        return events.record_event(visit_id, actor=current_principal(), **fields)
