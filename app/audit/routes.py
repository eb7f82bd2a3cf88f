"""/audit: who changed what, for admins and managers."""

from typing import Any

from flask.views import MethodView

from app.audit import recorder, service
from app.audit.models import AuditEntry
from app.audit.schemas import AuditArgsSchema, AuditEntrySchema
from app.auth.access import roles_required
from app.auth.models import Role
from app.web import Blueprint

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Who changed what")
# Registering the blueprint switches the log on for the app (see recorder.install).
blp.record_once(lambda state: recorder.install(state.app))


@blp.route("/audit")
class Audit(MethodView):
    decorators = (roles_required(Role.MANAGER),)

    @blp.arguments(AuditArgsSchema, location="query")
    @blp.response(200, AuditEntrySchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], pagination_parameters: Any) -> list[AuditEntry]:
        """Audit entries by entity, entity id, actor and period, newest first"""
        page = service.list_entries(
            page=pagination_parameters.page, page_size=pagination_parameters.page_size, **args
        )
        pagination_parameters.item_count = page.total
        return page.items
