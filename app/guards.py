"""Request guards that apply to every JSON endpoint."""

from flask import current_app, request

from app.errors import DomainError

BODY_METHODS = {"POST", "PUT", "PATCH"}


class UnsupportedMediaType(DomainError):
    status = 415
    slug = "unsupported-media-type"


def accepts_raw_body(view_class: type) -> type:
    """Mark a MethodView that reads a non-JSON body itself (photo bytes)."""
    view_class.raw_body = True  # type: ignore[attr-defined]
    return view_class


def refuse_non_json_bodies() -> None:
    """A body sent as text/plain would be silently ignored by the parser; say so instead."""
    if request.method not in BODY_METHODS or not request.path.startswith("/api/"):
        return
    has_body = bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", ""
    )
    if not has_body or request.is_json:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(getattr(view, "view_class", None), "raw_body", False):
        return
    raise UnsupportedMediaType(
        f"Send the body as JSON with 'Content-Type: application/json', not '{request.mimetype}'."
    )
