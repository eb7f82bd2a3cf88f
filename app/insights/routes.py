"""/insights: the manager's numbers as JSON, or CSV with ?format=csv."""

from typing import Any

from flask import Response
from flask.views import MethodView

from app.auth.access import roles_required
from app.auth.models import Role
from app.insights import service
from app.insights.schemas import InsightsArgsSchema, InsightsSchema
from app.web import Blueprint

blp = Blueprint("insights", __name__, url_prefix="/api/v1", description="The manager's numbers")

READERS = (Role.MANAGER, Role.DISPATCHER)


# flask-smorest documents one content type per status; the CSV answer is the same figures.
BOTH_FORMATS = {
    "application/json": {"schema": InsightsSchema},
    "text/csv": {"schema": {"type": "string"}},
}


@blp.route("/insights")
class Insights(MethodView):
    decorators = (roles_required(*READERS),)

    @blp.arguments(InsightsArgsSchema, location="query")
    @blp.response(200, InsightsSchema)
    @blp.doc(
        responses={
            200: {"description": "The figures (CSV with format=csv)", "content": BOTH_FORMATS}
        }
    )
    def get(self, args: dict[str, Any]) -> dict[str, Any] | Response:
        """First-time fix, refused and overridden guards, attempts, outcomes, plans, messages"""
        output = args.pop("format")
        figures = service.compute_insights(**args)
        if output == "csv":
            return Response(service.as_csv(figures), mimetype="text/csv")
        return figures
