"""/skills, /equipment, /visit-types: the codes requirements and qualifications are written in."""

from typing import Any

from flask.views import MethodView

from app.auth.access import roles_required
from app.auth.models import Role
from app.catalog import service
from app.catalog.models import Equipment, Skill, VisitType
from app.catalog.schemas import EquipmentSchema, SkillSchema, VisitTypeSchema
from app.idempotency.decorator import idempotent
from app.web import Blueprint

blp = Blueprint("catalog", __name__, url_prefix="/api/v1", description="Skills, equipment, types")

READERS = (Role.AGENT, Role.DISPATCHER, Role.TECHNICIAN)
MANAGERS = (Role.DISPATCHER,)


def _page(model: type[service.CatalogEntry], pagination_parameters: Any) -> list[Any]:
    page = service.list_entries(
        model, page=pagination_parameters.page, page_size=pagination_parameters.page_size
    )
    pagination_parameters.item_count = page.total
    return page.items


@blp.route("/skills")
class Skills(MethodView):
    decorators = (roles_required(*READERS),)

    @blp.response(200, SkillSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters: Any) -> list[Skill]:
        """List skill codes"""
        return _page(Skill, pagination_parameters)

    @idempotent
    @roles_required(*MANAGERS)
    @blp.arguments(SkillSchema)
    @blp.response(201, SkillSchema)
    def post(self, fields: dict[str, Any]) -> Skill:
        """Add a skill code"""
        return service.create_skill(fields.pop("code"), **fields)


@blp.route("/equipment")
class EquipmentCodes(MethodView):
    decorators = (roles_required(*READERS),)

    @blp.response(200, EquipmentSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters: Any) -> list[Equipment]:
        """List equipment codes"""
        return _page(Equipment, pagination_parameters)

    @idempotent
    @roles_required(*MANAGERS)
    @blp.arguments(EquipmentSchema)
    @blp.response(201, EquipmentSchema)
    def post(self, fields: dict[str, Any]) -> Equipment:
        """Add an equipment code"""
        return service.create_equipment(fields.pop("code"), **fields)


@blp.route("/visit-types")
class VisitTypes(MethodView):
    decorators = (roles_required(*READERS),)

    @blp.response(200, VisitTypeSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters: Any) -> list[VisitType]:
        """List visit types (templates of duration and requirements)"""
        return _page(VisitType, pagination_parameters)

    @idempotent
    @roles_required(*MANAGERS)
    @blp.arguments(VisitTypeSchema)
    @blp.response(201, VisitTypeSchema)
    def post(self, fields: dict[str, Any]) -> VisitType:
        """Add a visit type"""
        return service.create_visit_type(fields.pop("code"), **fields)
