"""/technicians: who does the work, with what skills, equipment and hours."""

from typing import Any

from flask.views import MethodView

from app.auth.access import roles_required
from app.auth.models import Role
from app.idempotency.decorator import idempotent
from app.technicians import service
from app.technicians.models import Technician
from app.technicians.schemas import (
    TechnicianPatchSchema,
    TechnicianQueryArgsSchema,
    TechnicianSchema,
    UnavailabilitySchema,
    UnavailableSchema,
)
from app.technicians.unavailable import Unavailability, mark_unavailable
from app.web import Blueprint

blp = Blueprint(
    "technicians", __name__, url_prefix="/api/v1/technicians", description="Technicians"
)

READERS = (Role.AGENT, Role.DISPATCHER)


@blp.route("")
class Technicians(MethodView):
    decorators = (roles_required(*READERS),)

    @blp.arguments(TechnicianQueryArgsSchema, location="query")
    @blp.response(200, TechnicianSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[Technician]:
        """List technicians, by territory or active flag"""
        page = service.list_technicians(
            page=pagination_parameters.page, page_size=pagination_parameters.page_size, **args
        )
        pagination_parameters.item_count = page.total
        return page.items

    @idempotent
    @roles_required(Role.DISPATCHER)
    @blp.arguments(TechnicianSchema)
    @blp.response(201, TechnicianSchema)
    def post(self, fields: dict[str, Any]) -> Technician:
        """Add a technician with skills, certifications, equipment and shifts"""
        return service.create_technician(fields.pop("name"), **fields)


@blp.route("/<int:technician_id>")
class TechnicianById(MethodView):
    decorators = (roles_required(*READERS),)

    @blp.response(200, TechnicianSchema)
    def get(self, technician_id: int) -> Technician:
        """Get a technician"""
        return service.get_technician(technician_id)

    @roles_required(Role.DISPATCHER)
    @blp.arguments(TechnicianPatchSchema)
    @blp.response(200, TechnicianSchema)
    def patch(self, changes: dict[str, Any], technician_id: int) -> Technician:
        """Change a technician; lists given replace the whole list"""
        return service.update_technician(technician_id, **changes)


@blp.route("/<int:technician_id>/unavailable")
class TechnicianUnavailable(MethodView):
    decorators = (roles_required(Role.DISPATCHER),)

    @idempotent
    @blp.arguments(UnavailableSchema)
    @blp.response(201, UnavailabilitySchema)
    def post(self, fields: dict[str, Any], technician_id: int) -> Unavailability:
        """Mark a technician unavailable (off sick) and list the bookings this breaks"""
        return mark_unavailable(technician_id, **fields)
