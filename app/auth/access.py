"""Request-side access checks: bearer authentication and role guards for views."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request

from app.auth.models import Role
from app.auth.principal import Principal
from app.auth.service import find_principal, verified_token
from app.errors import Unauthorized

View = TypeVar("View", bound=Callable[..., Any])
ViewClass = TypeVar("ViewClass", bound=type)

API_PREFIX = "/api/v1/"
DOCS_BLUEPRINT = "api-docs"


def public(view_class: ViewClass) -> ViewClass:
    """Mark a MethodView as reachable without a token (login, customer portal)."""
    view_class.public = True  # type: ignore[attr-defined]
    return view_class


def checks_own_account(view_class: ViewClass) -> ViewClass:
    """Mark a MethodView whose service checks the caller's account in its own first query.

    The view gets the token's user from `current_user_id()` and must look the account up
    (active, role) in the statement it runs anyway: on the hottest reads the separate account
    query would cost as much as the rest of the request.
    """
    view_class.checks_own_account = True  # type: ignore[attr-defined]
    return view_class


def authenticate_request() -> None:
    """Runs before every request: API views need a valid bearer token unless marked public."""
    if not request.path.startswith(API_PREFIX) or request.blueprint == DOCS_BLUEPRINT:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", view)
    if view is None or getattr(view_class, "public", False):
        return
    g.user_id, g.token_version = verified_token(_bearer_token())
    if not getattr(view_class, "checks_own_account", False):
        g.principal = find_principal(g.user_id, token_version=g.token_version)


def page_caller(*roles: Role) -> Principal:
    """The caller of an office page's data view (outside /api/v1, fetched by the page's script
    with the same bearer token), refused unless in one of `roles`."""
    user_id, token_version = verified_token(_bearer_token())
    principal = find_principal(user_id, token_version=token_version)
    principal.require(*roles)
    return principal


def _bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Send 'Authorization: Bearer <token>'; get one from POST /auth/token.")
    return token.strip()


def current_user_id() -> int:
    """The user of the verified token, for views that check the account themselves."""
    return g.user_id  # type: ignore[no-any-return]


def current_token_version() -> int:
    """The version the verified token carries, for views that check the account themselves."""
    return g.token_version  # type: ignore[no-any-return]


def current_principal() -> Principal:
    return g.principal  # type: ignore[no-any-return]


def roles_required(*roles: Role) -> Callable[[View], View]:
    """Refuse the view to callers outside these roles (admins always pass; technicians get 404)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            current_principal().require(*roles)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorator
