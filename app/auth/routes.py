"""POST /auth/token: trade an e-mail and password for a bearer token.

Attempts are limited per address and per account: one client cannot try many passwords, nor
can many addresses share out the guesses at one account.
"""

import hashlib
from typing import Any

from flask import current_app, request
from flask.views import MethodView

from app.auth import service
from app.auth.access import public
from app.auth.schemas import TokenRequestSchema, TokenSchema
from app.extensions import limiter
from app.web import Blueprint

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Sign in")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _account_key() -> str:
    """The account tried, as sign-in folds it (any spelling counts against the same account),
    digested so the limiter's storage holds no e-mail address."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # refused later by the bad-input guard; count it as no account
        body = None
    email = body.get("email") if isinstance(body, dict) else None
    account = service.login_name(email) if isinstance(email, str) else ""
    return hashlib.sha256(account.encode()).hexdigest()[:32]


@blp.route("/token")
@public
class Tokens(MethodView):
    decorators = (
        limiter.limit(_login_limit, methods=["POST"]),
        limiter.limit(
            _account_limit, key_func=_account_key, methods=["POST"], scope="login-account"
        ),
    )

    @blp.doc(security=[])
    @blp.arguments(TokenRequestSchema)
    @blp.response(200, TokenSchema)
    def post(self, credentials: dict[str, Any]) -> dict[str, object]:
        """Get a bearer token"""
        return service.issue_token(credentials["email"], password=credentials["password"])
