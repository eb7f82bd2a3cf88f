"""POST /auth/token: trade an e-mail and password for a bearer token."""

from typing import Any

from flask import current_app
from flask.views import MethodView

from app.auth import service
from app.auth.access import public
from app.auth.schemas import TokenRequestSchema, TokenSchema
from app.extensions import limiter
from app.web import Blueprint

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Sign in")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@blp.route("/token")
@public
class Tokens(MethodView):
    decorators = (limiter.limit(_login_limit, methods=["POST"]),)

    @blp.doc(security=[])
    @blp.arguments(TokenRequestSchema)
    @blp.response(200, TokenSchema)
    def post(self, credentials: dict[str, Any]) -> dict[str, object]:
        """Get a bearer token"""
        return service.issue_token(credentials["email"], password=credentials["password"])
