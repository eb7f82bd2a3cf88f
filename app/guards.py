"""Request guards that apply to every JSON endpoint."""

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, request

from app.errors import DomainError

BODY_METHODS = {"POST", "PUT", "PATCH"}
ViewClass = TypeVar("ViewClass", bound=type)


class UnsupportedMediaType(DomainError):
    status = 415
    slug = "unsupported-media-type"


def accepts_raw_body(*media_types: str) -> Callable[[ViewClass], ViewClass]:
    """Mark a MethodView that reads a non-JSON body itself.

    Without arguments any body passes (photo bytes); with media types, only those do, JSON
    included: an inbound-mail endpoint takes `message/rfc822` and nothing else.
    """

    def mark(view_class: ViewClass) -> ViewClass:
        view_class.raw_body = frozenset(media_types) or True  # type: ignore[attr-defined]
        return view_class

    return mark


def refuse_non_json_bodies() -> None:
    """A body sent as text/plain would be silently ignored by the parser; say so instead."""
    if request.method not in BODY_METHODS or not request.path.startswith("/api/"):
        return
    view = current_app.view_functions.get(request.endpoint or "")
    raw_body = getattr(getattr(view, "view_class", None), "raw_body", False)
    if isinstance(raw_body, frozenset):
        if request.mimetype not in raw_body:
            wanted = " or ".join(f"'{media_type}'" for media_type in sorted(raw_body))
            raise UnsupportedMediaType(
                f"Send the body with 'Content-Type: {wanted}', not '{request.mimetype}'."
            )
        return
    has_body = bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", ""
    )
    if not has_body or request.is_json or raw_body:
        return
    raise UnsupportedMediaType(
        f"Send the body as JSON with 'Content-Type: application/json', not '{request.mimetype}'."
    )
