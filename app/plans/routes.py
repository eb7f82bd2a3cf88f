"""/plans: run the optimiser on a day off the request thread, follow it, apply its routes."""

from typing import Any

from flask import url_for
from flask.views import MethodView

from app.auth.access import current_principal, roles_required
from app.auth.models import Role
from app.idempotency.decorator import idempotent
from app.plans import apply, service
from app.plans.models import Plan
from app.plans.schemas import (
    AppliedPlanSchema,
    PlanCreateSchema,
    PlanQueryArgsSchema,
    PlanSchema,
    PlanSummarySchema,
)
from app.web import Blueprint

blp = Blueprint("plans", __name__, url_prefix="/api/v1/plans", description="Plans")


@blp.route("")
class Plans(MethodView):
    decorators = (roles_required(Role.DISPATCHER),)

    @blp.arguments(PlanQueryArgsSchema, location="query")
    @blp.response(200, PlanSummarySchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[Plan]:
        """List plan runs, newest first, for one day if given"""
        page = service.list_plans(
            page=pagination_parameters.page, page_size=pagination_parameters.page_size, **args
        )
        pagination_parameters.item_count = page.total
        return page.items

    @idempotent
    @blp.arguments(PlanCreateSchema)
    @blp.response(202, PlanSchema)
    def post(self, fields: dict[str, Any]) -> tuple[Plan, int, dict[str, str]]:
        """Plan a day: queued now, solved on a worker; follow the Location"""
        plan = service.request_plan(actor=current_principal(), **fields)
        return plan, 202, {"Location": url_for("plans.PlanById", plan_id=plan.id)}


@blp.route("/<int:plan_id>")
class PlanById(MethodView):
    decorators = (roles_required(Role.DISPATCHER),)

    @blp.response(200, PlanSchema)
    def get(self, plan_id: int) -> Plan:
        """Get a plan run: status, routes, unassigned visits with reasons, stats"""
        return service.get_plan(plan_id)


@blp.route("/<int:plan_id>/apply")
class PlanApply(MethodView):
    decorators = (roles_required(Role.DISPATCHER),)

    @idempotent
    @blp.response(200, AppliedPlanSchema)
    def post(self, plan_id: int) -> apply.Applied:
        """Book the plan's routes through the assignment guard, all or nothing; 409 if stale"""
        return apply.apply_plan(plan_id, actor=current_principal())
