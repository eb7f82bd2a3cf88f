"""/cases/{number}/visits, /visits/{id}: plan, diagnose, assign and report on visits."""

from typing import Any

from flask.views import MethodView

from app.auth.access import current_principal, roles_required
from app.auth.models import Role
from app.idempotency.decorator import idempotent
from app.visits import assignment, events, service
from app.visits import timeline as _timeline  # noqa: F401 - registers the case timeline sources
from app.visits.etags import (
    OptionalIfMatchBlueprint,
    diagnosis_etag_data,
    require_if_match,
    visit_etag_data,
)
from app.visits.models import Diagnosis, Visit, VisitEvent
from app.visits.schemas import (
    AssignmentSchema,
    CandidateSchema,
    DiagnosisSchema,
    VisitCreateSchema,
    VisitEventSchema,
    VisitPatchSchema,
    VisitSchema,
)

blp = OptionalIfMatchBlueprint("visits", __name__, url_prefix="/api/v1", description="Visits")

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

    @idempotent
    @blp.arguments(VisitCreateSchema)
    @blp.response(201, VisitSchema)
    def post(self, fields: dict[str, Any], number: str) -> Visit:
        """Plan a visit; a repair inherits the current diagnosis and reserves its parts"""
        return service.create_visit(number, actor=current_principal(), **fields)


@blp.route("/visits/<int:visit_id>")
class VisitById(MethodView):
    decorators = (roles_required(*EVERYONE),)

    @blp.etag
    @blp.response(200, VisitSchema)
    def get(self, visit_id: int) -> Visit:
        """Get a visit: requirements, window, status, technician, start and end"""
        visit = service.get_visit(visit_id, viewer=current_principal())
        blp.set_etag(visit_etag_data(visit))
        return visit

    @roles_required(Role.DISPATCHER)
    @blp.etag
    @blp.arguments(VisitPatchSchema)
    @blp.response(200, VisitSchema)
    def patch(self, changes: dict[str, Any], visit_id: int) -> Visit:
        """Lock a booking against re-planning, or change the window; If-Match required"""
        require_if_match()
        _check_visit_etag(visit_id)
        visit = service.update_visit(visit_id, actor=current_principal(), **changes)
        blp.set_etag(visit_etag_data(visit))
        return visit


@blp.route("/visits/<int:visit_id>/diagnosis")
class VisitDiagnosis(MethodView):
    decorators = (roles_required(*FIELD),)

    @blp.etag
    @blp.response(200, DiagnosisSchema)
    def get(self, visit_id: int) -> Diagnosis:
        """The current diagnosis of the visit's case, with the ETag to send as If-Match"""
        diagnosis = service.diagnosis_of_visit(visit_id, viewer=current_principal())
        blp.set_etag(diagnosis_etag_data(diagnosis))
        return diagnosis

    @idempotent
    @blp.etag
    @blp.arguments(DiagnosisSchema)
    @blp.response(200, DiagnosisSchema)
    def put(self, fields: dict[str, Any], visit_id: int) -> Diagnosis:
        """Record what the visit found; If-Match required once the case has a diagnosis"""
        current = service.case_diagnosis(visit_id, current_principal())
        if current is not None:
            require_if_match()
        blp.check_etag(diagnosis_etag_data(current))
        diagnosis = service.record_diagnosis(visit_id, actor=current_principal(), **fields)
        blp.set_etag(diagnosis_etag_data(diagnosis))
        return diagnosis


@blp.route("/visits/<int:visit_id>/assignment")
class VisitAssignment(MethodView):
    decorators = (roles_required(Role.DISPATCHER),)

    @blp.etag
    @blp.arguments(AssignmentSchema)
    @blp.response(200, VisitSchema)
    def put(self, fields: dict[str, Any], visit_id: int) -> Visit:
        """Book a technician; 409 lists every reason they may not take it"""
        _check_visit_etag(visit_id)
        visit = assignment.assign_technician(visit_id, actor=current_principal(), **fields)
        blp.set_etag(visit_etag_data(visit))
        return visit

    @blp.etag
    @blp.response(200, VisitSchema)
    def delete(self, visit_id: int) -> Visit:
        """Unbook the technician"""
        _check_visit_etag(visit_id)
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

    @idempotent
    @blp.arguments(VisitEventSchema)
    @blp.response(201, VisitEventSchema)
    @blp.alt_response(409, description="Illegal move, or the visit was taken away meanwhile")
    def post(self, fields: dict[str, Any], visit_id: int) -> VisitEvent:
        """Report en route, on site, completed... with the phone's time and position"""
        return events.record_event(visit_id, actor=current_principal(), **fields)


def _check_visit_etag(visit_id: int) -> None:
    blp.check_etag(visit_etag_data(service.get_visit(visit_id, viewer=current_principal())))
