"""Domain errors and the one handler that renders every error as RFC 9457 problem JSON."""

from collections.abc import Callable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, json, request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

PROBLEM_BASE = "https://firstfix.dev/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"


class DomainError(Exception):
    """A rule that needs data was broken; services raise these, routes never catch them.

    `after_rollback` holds writes that must outlast the refused unit of work (a note of the
    refusal on the case, a recorded guard refusal): its edge runs them after rolling back.
    """

    status = 400
    slug = "bad-request"

    def __init__(
        self,
        detail: str,
        *,
        errors: Mapping[str, Any] | None = None,
        reasons: Sequence[Mapping[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
        after_rollback: Sequence[Callable[[], None]] = (),
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.after_rollback = list(after_rollback)
        self.detail = detail
        self.errors = errors
        self.reasons = reasons
        self.headers = headers
        self.extra = extra


class NotFound(DomainError):
    status = 404
    slug = "not-found"


class Conflict(DomainError):
    status = 409
    slug = "conflict"


class RuleViolation(DomainError):
    status = 422
    slug = "rule-violation"


class Forbidden(DomainError):
    status = 403
    slug = "forbidden"


class Unauthorized(DomainError):
    status = 401
    slug = "unauthorized"


class PreconditionFailed(DomainError):
    status = 412
    slug = "precondition-failed"


def problem(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    headers: Mapping[str, str] | None = None,
    **members: Any,
) -> Response:
    phrase = HTTPStatus(status).phrase
    body = {
        "type": PROBLEM_BASE + (slug or phrase.lower().replace(" ", "-")),
        "title": phrase,
        "status": status,
        "detail": detail,
        "instance": request.path,
        **{key: value for key, value in members.items() if value is not None},
    }
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def handle_domain_error(error: DomainError) -> Response:
    return problem(
        error.status,
        error.detail,
        slug=error.slug,
        headers=error.headers,
        errors=error.errors,
        reasons=error.reasons,
        **error.extra,
    )


def handle_http_exception(error: HTTPException) -> Response:
    """Render werkzeug/flask-smorest errors; keeps `Allow` on 405 and validation messages."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    errors = data.get("errors") or data.get("messages")
    detail = data.get("message") or _DETAILS.get(status) or error.description or ""
    return problem(status, detail, headers=headers, errors=_unwrap_location(errors))


def handle_integrity_error(error: IntegrityError) -> Response:
    """A safety net: the database refused a write that a service check should have caught."""
    _rollback()
    return problem(
        409,
        "The change conflicts with data that already exists; reload and try again.",
        slug="integrity-conflict",
    )


def handle_stale_data(error: StaleDataError) -> Response:
    """Two writers raced on a versioned row; the later one reloads instead of overwriting."""
    _rollback()
    return problem(
        412,
        "The record changed while you were editing it; reload it and send its new ETag.",
        slug="changed-meanwhile",
    )


def _rollback() -> None:
    """Through the app's registry: this module sits below the extensions that import it."""
    current_app.extensions["firstfix_db"].session.rollback()


def _unwrap_location(errors: Any) -> Any:
    """webargs keys messages by location ("json", "query"); with one location, drop the level."""
    if isinstance(errors, Mapping) and len(errors) == 1:
        (location, messages), *_ = errors.items()
        if location in {"json", "query", "headers", "form", "files", "path"}:
            return messages
    return errors


_DETAILS = {
    401: "A valid bearer token is required; get one from POST /api/v1/auth/token.",
    404: "Nothing exists at this address.",
    413: "The request body is larger than this endpoint accepts.",
    415: "Send the body as JSON with 'Content-Type: application/json'.",
    422: "The request has invalid fields; see 'errors'.",
}


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(StaleDataError, handle_stale_data)
