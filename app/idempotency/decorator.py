"""`@idempotent`: a view a phone may retry; the Idempotency-Key header makes the retry safe."""

import hashlib
from collections.abc import Callable
from copy import deepcopy
from functools import partial, wraps
from typing import Any, TypeVar

from flask import Response, g, make_response, request

from app.errors import DomainError, handle_domain_error
from app.idempotency.service import StoredResponse, claim_key, store_response

View = TypeVar("View", bound=Callable[..., Any])

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
KEPT_HEADERS = ("Content-Type", "Location", "ETag")
PARAMETER_DOC = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
    "description": (
        "Any unique string (a UUID). The first response is stored for 7 days and replayed for a "
        "retry with the same key and body (a retry sent while the first runs waits for it); the "
        "same key with another body is refused (422)."
    ),
}


def idempotent(view: View) -> View:
    """Outermost decorator on a MethodView method, above flask-smorest's."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return make_response(view(*args, **kwargs))
        caller, fingerprint, key = _caller(), _fingerprint(), key[:MAX_KEY_LENGTH]
        stored = claim_key(caller, key, fingerprint=fingerprint)
        if stored is not None:
            return _replay(stored)
        try:
            response = make_response(view(*args, **kwargs))
        except DomainError as refusal:
            if refusal.after_rollback:  # a refusal that wrote something replays as it was
                answer = _stored(handle_domain_error(refusal))
                keep = partial(store_response, caller, key, answer, fingerprint=fingerprint)
                refusal.after_rollback.append(keep)
            raise
        store_response(caller, key, _stored(response), fingerprint=fingerprint)
        return response

    guarded._apidoc = deepcopy(getattr(view, "_apidoc", {}))  # type: ignore[attr-defined]
    manual = guarded._apidoc.setdefault("manual_doc", {})  # type: ignore[attr-defined]
    manual.setdefault("parameters", []).append(PARAMETER_DOC)
    return guarded  # type: ignore[return-value]


def _caller() -> str:
    principal = g.get("principal")
    return f"user:{principal.user_id}" if principal else f"address:{request.remote_addr}"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.full_path):
        digest.update(part.encode() + b"\0")
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _stored(response: Response) -> StoredResponse:
    headers = {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}
    return StoredResponse(response.status_code, headers, response.get_data())


def _replay(stored: StoredResponse) -> Response:
    response = Response(stored.body, status=stored.status, headers=stored.headers)
    response.headers[REPLAYED_HEADER] = "true"
    return response
