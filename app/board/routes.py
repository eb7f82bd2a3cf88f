"""/visits (a day's list) and /technicians/{id}/schedule: what the dispatcher's board reads."""

from typing import Any

from flask.views import MethodView

from app.auth.access import current_principal, roles_required
from app.auth.models import Role
from app.board import service
from app.board.schemas import (
    BoardVisitSchema,
    ScheduleArgsSchema,
    ScheduleSchema,
    VisitQueryArgsSchema,
)
from app.visits.models import Visit
from app.web import Blueprint

blp = Blueprint("board", __name__, url_prefix="/api/v1", description="The dispatcher's board")


@blp.route("/visits")
class Visits(MethodView):
    decorators = (roles_required(Role.DISPATCHER),)

    @blp.arguments(VisitQueryArgsSchema, location="query")
    @blp.response(200, BoardVisitSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[Visit]:
        """List visits: a day (each site's local day), technician, territory, status, case"""
        page = service.list_visits(
            page=pagination_parameters.page, page_size=pagination_parameters.page_size, **args
        )
        pagination_parameters.item_count = page.total
        return page.items


@blp.route("/technicians/<int:technician_id>/schedule")
class TechnicianSchedule(MethodView):
    decorators = (roles_required(Role.DISPATCHER, Role.TECHNICIAN),)

    @blp.arguments(ScheduleArgsSchema, location="query")
    @blp.response(200, ScheduleSchema)
    def get(self, args: dict[str, Any], technician_id: int) -> dict[str, Any]:
        """A technician's local day: shifts, time off, bookings and the travel between them"""
        return service.technician_schedule(
            technician_id, day=args["date"], viewer=current_principal()
        )
