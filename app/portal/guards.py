"""Rate limits and response headers shared by the portal API and the page.

Per link stops one leaked token from being hammered; per address stops one client from
walking through many guessed tokens, which a per-link limit alone would never notice.
"""

import hashlib

from flask import Blueprint, Response, current_app, request
from flask_limiter.util import get_remote_address

from app.extensions import limiter


def limit_portal(blueprint: Blueprint) -> None:
    """Apply both limits to every route of the blueprint; counters are shared across both."""
    limiter.shared_limit(_per_token, scope="portal-token", key_func=_token_key)(blueprint)
    limiter.shared_limit(_per_address, scope="portal-address", key_func=get_remote_address)(
        blueprint
    )


def _per_token() -> str:
    return current_app.config["PORTAL_TOKEN_RATE_LIMIT"]


def _per_address() -> str:
    return current_app.config["PORTAL_ADDRESS_RATE_LIMIT"]


def _token_key() -> str:
    """A digest, so the limiter's shared storage never holds a usable link."""
    token = (request.view_args or {}).get("token", "")
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def no_store(response: Response) -> Response:
    """The page shows a customer's case: neither browsers nor proxies may keep it, and the
    token in the address must not leak to other sites through Referer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
