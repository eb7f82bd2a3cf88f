"""Response headers that keep browsers from misreading, framing or storing what we send.

Every response says `nosniff`; HTML pages (the customer's page, the API docs) carry a strict
Content-Security-Policy whose inline styles and scripts need this request's nonce, so markup
injected into a page runs nothing; answers to a bearer-token request are not stored by
browsers or proxies unless the view chose its own Cache-Control (the phone's day revalidates).
"""

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request

NONCE_BYTES = 16
_NONCE_KEY = "firstfix.csp_nonce"


def csp_nonce() -> str:
    """This request's nonce, for `<style nonce=...>` and `<script nonce=...>` in templates.

    Kept in the request's environ, not `g`: an app context can outlive one request.
    """
    return request.environ.setdefault(_NONCE_KEY, secrets.token_urlsafe(NONCE_BYTES))


def content_security_policy(nonce: str) -> str:
    """Nothing but this origin's files and forms, and inline code that carries the nonce, runs
    or styles.

    Images may come from https (presigned storage links) and the configured endpoints (an
    external docs host, an S3 endpoint under test); no page may be framed by another site.
    """
    hosts = " ".join(_origins())
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' 'nonce-{nonce}' {hosts}".rstrip(),
            f"style-src 'self' 'nonce-{nonce}' {hosts}".rstrip(),
            f"img-src 'self' data: https: {hosts}".rstrip(),
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        )
    )


def add_security_headers(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
        response.headers.setdefault("X-Frame-Options", "DENY")
    elif "user_id" in g and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.add_template_global(csp_nonce)
    app.after_request(add_security_headers)


def _origins() -> list[str]:
    """Origins of the configured asset and storage endpoints, as CSP source expressions."""
    config = current_app.config
    urls = (config.get("OPENAPI_SWAGGER_UI_URL"), config.get("S3_ENDPOINT_URL"))
    origins = []
    for url in urls:
        parts = urlsplit(url or "")
        if parts.scheme in {"http", "https"} and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins
