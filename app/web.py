"""FirstFix's flavour of flask-smorest: problem+json errors and RFC 8288 pagination links."""

from typing import Any
from urllib.parse import urlencode

import marshmallow as ma
from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from app.common.fields import INT64_MAX
from app.errors import RuleViolation, handle_http_exception


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


class Api(SmorestApi):
    ERROR_SCHEMA = ProblemSchema

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
