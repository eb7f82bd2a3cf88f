"""Request guards that apply to every endpoint: bodies we can parse, values we can store.

Input that the parser or the database would choke on (a body nested thousands deep, a lone
UTF-16 surrogate, NUL, which PostgreSQL refuses in text, an integer larger than the database's
32-bit INTEGER columns) is refused
here as a problem the caller can fix, before any view runs, instead of failing as a 500.
"""

import json
import math
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from flask import current_app, request
from werkzeug.routing import IntegerConverter

from app.common.fields import MAX_STORED_INT
from app.errors import DomainError

BODY_METHODS = {"POST", "PUT", "PATCH"}
MIN_STORED_INT = -MAX_STORED_INT - 1
MAX_JSON_DEPTH = 32
# NUL (PostgreSQL refuses it in text) and lone surrogates (no UTF-8 encoding exists).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
ViewClass = TypeVar("ViewClass", bound=type)


class UnsupportedMediaType(DomainError):
    status = 415
    slug = "unsupported-media-type"


class MalformedBody(DomainError):
    status = 400
    slug = "malformed-body"


class UnstorableInput(DomainError):
    status = 422
    slug = "unstorable-input"


class StoredIntConverter(IntegerConverter):
    """`<int:...>` in a route matches ids the database can hold only: a larger one is a 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_STORED_INT)
        super().__init__(map, *args, **kwargs)


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
    if not _has_body() or request.is_json or raw_body:
        return
    raise UnsupportedMediaType(
        f"Send the body as JSON with 'Content-Type: application/json', not '{request.mimetype}'."
    )


def refuse_unstorable_input() -> None:
    """Path, query, form, headers and JSON body: nothing we could not parse or store."""
    fields: list[tuple[str, Any]] = []
    if _may_hold_nul():
        fields.extend(("path " + name, value) for name, value in (request.view_args or {}).items())
        fields.extend(("query " + name, value) for name, value in request.args.items(multi=True))
        fields.extend(("header " + name, value) for name, value in request.headers.items())
    if request.method in BODY_METHODS:
        if request.mimetype == "application/x-www-form-urlencoded":
            fields.extend(("form " + name, value) for name, value in request.form.items(multi=True))
        elif request.is_json and _has_body():
            fields.extend(_json_values(_parsed_body()))
    errors = {where: [problem] for where, value in fields if (problem := _unstorable(value))}
    if errors:
        raise UnstorableInput(
            "Some values cannot be stored; see 'errors' for where and why.", errors=errors
        )


def _may_hold_nul() -> bool:
    """A screen of the raw path, query and headers, so that every GET does not pay for walking
    werkzeug's parsed structures; a hit is then located field by field."""
    environ = request.environ
    raw = "\n".join(
        value for key, value in environ.items() if key.startswith("HTTP_") and type(value) is str
    )
    raw += environ.get("PATH_INFO", "") + environ.get("QUERY_STRING", "")
    return "\x00" in raw or "%00" in raw


def _has_body() -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "")


def _parsed_body() -> Any:
    """The body as JSON, or None when it does not parse (the view's parser says why)."""
    try:
        return json.loads(request.get_data(cache=True), parse_constant=_refuse_constant)
    except RecursionError as error:
        raise MalformedBody(
            f"The JSON body is nested too deeply; at most {MAX_JSON_DEPTH} levels are accepted."
        ) from error
    except json.JSONDecodeError:
        return None
    except UnicodeDecodeError as error:
        raise MalformedBody("The JSON body is not valid UTF-8 text.") from error
    except ValueError as error:  # a number of more digits than Python converts (4300)
        raise UnstorableInput(
            f"The JSON body holds a number that cannot be read: {error}"
        ) from error


def _refuse_constant(name: str) -> Any:
    raise UnstorableInput(f"{name} is not a JSON number; send a finite number or null.")


def _json_values(body: Any) -> Iterator[tuple[str, Any]]:
    """Every key and scalar of the body with its dotted location, without recursing."""
    stack: list[tuple[str, Any, int]] = [("body", body, 0)]
    while stack:
        where, value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise MalformedBody(
                f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep; "
                "no endpoint takes that much nesting."
            )
        if isinstance(value, dict):
            for key, item in value.items():
                yield f"{where} key", key
                stack.append((f"{where}.{key}", item, depth + 1))
        elif isinstance(value, list):
            stack.extend((f"{where}.{index}", item, depth + 1) for index, item in enumerate(value))
        else:
            yield where, value


def _unstorable(value: Any) -> str | None:
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        if found is None:
            return None
        if found.group() == "\x00":
            return "Contains a NUL character (\\u0000); remove it."
        return f"Contains a lone UTF-16 surrogate (\\u{ord(found.group()):04x}); send valid text."
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not MIN_STORED_INT <= value <= MAX_STORED_INT:
        return f"Beyond the integers this API stores (at most {MAX_STORED_INT})."
    if isinstance(value, float) and not math.isfinite(value):
        return "Send a finite number."
    return None
