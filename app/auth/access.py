"""Request-side access checks: bearer authentication and role guards for views."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, request

from app.auth.models import Role
from app.auth.principal import Principal
from app.auth.service import principal_from_token
from app.errors import Forbidden, NotFound, Unauthorized

View = TypeVar("View", bound=Callable[..., Any])
ViewClass = TypeVar("ViewClass", bound=type)

API_PREFIX = "/api/v1/"
DOCS_BLUEPRINT = "api-docs"


def public(view_class: ViewClass) -> ViewClass:
    """Mark a MethodView as reachable without a token (login, customer portal)."""
    view_class.public = True  # type: ignore[attr-defined]
    return view_class


def authenticate_request() -> None:
    """Runs before every request: API views need a valid bearer token unless marked public."""
    if not request.path.startswith(API_PREFIX) or request.blueprint == DOCS_BLUEPRINT:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(getattr(view, "view_class", view), "public", False):
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("Send 'Authorization: Bearer <token>'; get one from POST /auth/token.")
    g.principal = principal_from_token(token.strip())


def current_principal() -> Principal:
    return g.principal


def roles_required(*roles: Role) -> Callable[[View], View]:
    """Refuse the view to callers outside these roles (admins always pass; technicians get 404)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal.is_one_of(*roles):
                return view(*args, **kwargs)
            if principal.role is Role.TECHNICIAN:
                # A technician's phone only knows its own visits; office objects don't exist.
                raise NotFound("Nothing exists at this address.")
            allowed = ", ".join(role.value for role in roles)
            raise Forbidden(f"This needs one of the roles: {allowed}; you are {principal.role}.")

        return guarded  # type: ignore[return-value]

    return decorator
