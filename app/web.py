"""FirstFix's flavour of flask-smorest: problem+json errors and RFC 8288 pagination links."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import marshmallow as ma
from apispec import BasePlugin
from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from app.common.fields import INT64_MAX
from app.errors import PROBLEM_MEDIA_TYPE, RuleViolation, handle_http_exception


class NoCookieSessions(SecureCookieSessionInterface):
    """The API is stateless (bearer tokens, signed links), so no request has a session.

    Flask's default builds a cookie signer on every request; this gives each a null session,
    which refuses writes, so a cookie session can't creep in unnoticed.
    """

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        return None


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, as every error response of the API is shaped."""

    type = ma.fields.String(metadata={"description": "URI naming the kind of problem"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String(metadata={"description": "What went wrong and how to fix it"})
    instance = ma.fields.String()
    errors = ma.fields.Dict(metadata={"description": "Field name to messages"})
    reasons = ma.fields.List(ma.fields.Dict(), metadata={"description": "Machine-readable codes"})


PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


class ProblemResponses(BasePlugin):
    """Documents every error response as the handler sends it: application/problem+json.

    flask-smorest documents its error responses (422, 412, 428, default) in the content type
    of success responses, and an error documented without a schema gets no body at all.
    """

    def response_helper(self, response: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return _as_problem(response)

    def operation_helper(
        self, path: str | None = None, operations: dict | None = None, **kwargs: Any
    ) -> None:
        for operation in (operations or {}).values():
            for status, response in operation.get("responses", {}).items():
                if isinstance(response, Mapping) and _is_error(status):
                    response.update(_as_problem(response, bodiless=True))


def _is_error(status: int | str) -> bool:
    return str(status) == "default" or int(status) >= 400


def _as_problem(response: dict[str, Any], *, bodiless: bool = False) -> dict[str, Any]:
    """The response with a Problem body as problem+json; one with another body is kept."""
    content = response.get("content")
    if content == {"application/json": {"schema": PROBLEM_REF}} or (bodiless and not content):
        return {**response, "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}}
    return response


class Api(SmorestApi):
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app: Flask | None = None, *, spec_kwargs: dict | None = None) -> None:
        plugins = {"extra_plugins": [ProblemResponses()]}
        super().__init__(app, spec_kwargs={**plugins, **(spec_kwargs or {})})

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        return handle_http_exception(error)


class PageParser(FlaskParser):
    """flask-smorest bounds `page` below only: a page whose offset is beyond 64 bits would
    reach the database driver and fail there, so it is refused as the field it is."""

    def parse(self, *args: Any, **kwargs: Any) -> Any:
        params = super().parse(*args, **kwargs)
        if params.page * params.page_size > INT64_MAX:
            raise RuleViolation(
                "There is no such page.",
                errors={"page": [f"At most {INT64_MAX // params.page_size} at this page_size."]},
            )
        return params


class Blueprint(SmorestBlueprint):
    """Adds a `Link` header (first/prev/next/last) beside flask-smorest's X-Pagination."""

    PAGINATION_ARGUMENTS_PARSER = PageParser()

    def _set_pagination_metadata(
        self, page_params: Any, result: Any, headers: Any
    ) -> tuple[Any, Any]:
        result, headers = super()._set_pagination_metadata(page_params, result, headers)
        metadata = self._make_pagination_metadata(
            page_params.page, page_params.page_size, page_params.item_count
        )
        links = [
            f'<{_page_url(metadata[key], page_params.page_size)}>; rel="{rel}"'
            for key, rel in _LINK_RELATIONS
            if key in metadata
        ]
        if links:
            headers["Link"] = ", ".join(links)
        return result, headers


_LINK_RELATIONS = (
    ("first_page", "first"),
    ("previous_page", "prev"),
    ("next_page", "next"),
    ("last_page", "last"),
)


def _page_url(page: int, page_size: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    args["page_size"] = [str(page_size)]
    return f"{request.base_url}?{urlencode(args, doseq=True)}"
