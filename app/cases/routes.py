"""/cases, /interactions, /lookup: the case file every channel shares."""

from typing import Any

from flask.views import MethodView

from app.auth.access import current_principal, roles_required
from app.auth.models import Role
from app.cases import intake, interactions, service
from app.cases.access import visible_case
from app.cases.models import Case, Interaction
from app.cases.schemas import (
    CaseDetailSchema,
    CasePatchSchema,
    CaseQueryArgsSchema,
    CaseSchema,
    IntakeSchema,
    InteractionSchema,
    LookupArgsSchema,
    LookupMatchSchema,
    TimelineEntrySchema,
)
from app.cases.timeline import case_timeline
from app.idempotency.decorator import idempotent
from app.web import Blueprint

blp = Blueprint("cases", __name__, url_prefix="/api/v1", description="Cases and interactions")

STAFF = (Role.AGENT, Role.DISPATCHER)
# Technicians reach the cases of their own visits (access.visible_case), nothing else.
WITH_TECHNICIANS = (*STAFF, Role.TECHNICIAN)


@blp.route("/cases")
class Cases(MethodView):
    decorators = (roles_required(*STAFF),)

    @blp.arguments(CaseQueryArgsSchema, location="query")
    @blp.response(200, CaseSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[Case]:
        """List cases by customer, status or text"""
        page = service.list_cases(
            page=pagination_parameters.page, page_size=pagination_parameters.page_size, **args
        )
        pagination_parameters.item_count = page.total
        return page.items

    @idempotent
    @blp.arguments(CaseSchema)
    @blp.response(201, CaseDetailSchema)
    def post(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Open a case; its first interaction is recorded on the given channel"""
        case = service.open_case(fields.pop("customer_id"), actor=current_principal(), **fields)
        return service.case_details(case.number)


@blp.route("/cases/<number>")
class CaseByNumber(MethodView):
    decorators = (roles_required(*WITH_TECHNICIANS),)

    @blp.response(200, CaseDetailSchema)
    def get(self, number: str) -> dict[str, Any]:
        """Get a case with its channels and counts"""
        return service.case_details(visible_case(number, viewer=current_principal()).number)

    @roles_required(*STAFF)
    @blp.arguments(CasePatchSchema)
    @blp.response(200, CaseDetailSchema)
    def patch(self, changes: dict[str, Any], number: str) -> dict[str, Any]:
        """Change a case's status, title, priority, site or asset"""
        case = service.update_case(number, **changes)
        return service.case_details(case.number)


@blp.route("/cases/<number>/interactions")
class CaseInteractions(MethodView):
    decorators = (roles_required(*WITH_TECHNICIANS),)

    @idempotent
    @blp.arguments(InteractionSchema)
    @blp.response(201, InteractionSchema)
    @blp.alt_response(200, schema=InteractionSchema, description="Already recorded")
    def post(self, fields: dict[str, Any], number: str) -> tuple[Interaction, int]:
        """Record an interaction on a case"""
        interaction, created = interactions.record_interaction(
            visible_case(number, viewer=current_principal()), actor=current_principal(), **fields
        )
        return interaction, 201 if created else 200


@blp.route("/cases/<number>/timeline")
class CaseTimeline(MethodView):
    decorators = (roles_required(*WITH_TECHNICIANS),)

    @blp.response(200, TimelineEntrySchema(many=True))
    @blp.paginate()
    def get(self, number: str, pagination_parameters: Any) -> list[dict[str, Any]]:
        """Everything on the case, oldest first"""
        page = case_timeline(
            visible_case(number, viewer=current_principal()).id,
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = page.total
        return page.items


@blp.route("/interactions")
class Intake(MethodView):
    decorators = (roles_required(*STAFF),)

    @idempotent
    @blp.arguments(IntakeSchema)
    @blp.response(201, InteractionSchema)
    @blp.alt_response(200, schema=InteractionSchema, description="Already recorded")
    def post(self, fields: dict[str, Any]) -> tuple[Interaction, int]:
        """Record an interaction found by phone, e-mail or case number"""
        interaction, created = intake.take_in_interaction(actor=current_principal(), **fields)
        return interaction, 201 if created else 200


@blp.route("/lookup")
class Lookup(MethodView):
    decorators = (roles_required(*STAFF),)

    @blp.arguments(LookupArgsSchema, location="query")
    @blp.response(200, LookupMatchSchema(many=True))
    def get(self, keys: dict[str, Any]) -> list[dict[str, Any]]:
        """Find customers and their open cases by phone, e-mail or case number"""
        return intake.lookup(**keys)
