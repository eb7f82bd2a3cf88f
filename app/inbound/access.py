"""Who may post inbound messages: a channel system (its secret, its signature) or an agent."""

import base64
import binascii
import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, request
from twilio.request_validator import RequestValidator

from app.auth.models import Role
from app.auth.service import find_principal, verified_token
from app.errors import Forbidden, Unauthorized

View = TypeVar("View", bound=Callable[..., Any])


def channel_system(secret_setting: str) -> Callable[[View], View]:
    """The view is public to the token check; this guard accepts the secret or an agent.

    The secret may come as `Bearer <secret>` or as the password of Basic auth, which is what
    mail providers' inbound hooks can send (https://user:secret@host/...).
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            _authenticate(current_app.config[secret_setting])
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorator


def _authenticate(secret: str | None) -> None:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    scheme, credentials = scheme.lower(), credentials.strip()
    if secret and scheme == "basic":
        if _same(_basic_password(credentials), secret):
            return
    elif scheme == "bearer" and credentials:
        if secret and _same(credentials, secret):
            return
        user_id, token_version = verified_token(credentials)
        find_principal(user_id, token_version=token_version).require(Role.AGENT)
        return
    raise Unauthorized(
        "Send 'Authorization: Bearer <token>' with an agent's token, or the channel secret."
    )


def _basic_password(credentials: str) -> str:
    try:
        decoded = base64.b64decode(credentials, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[2]


def _same(given: str, secret: str) -> bool:
    return hmac.compare_digest(given.encode(), secret.encode())


def provider_signed(view: View) -> View:
    """The SMS provider's signature (Twilio's X-Twilio-Signature) over our public URL and form.

    The URL is the one the provider was given (PUBLIC_URL), not the one a proxy forwarded.
    """

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        config = current_app.config
        if not config["SMS_AUTH_TOKEN"]:
            raise Unauthorized("Inbound SMS is not set up: FIRSTFIX_SMS_AUTH_TOKEN is not set.")
        query = request.query_string.decode()
        url = config["PUBLIC_URL"].rstrip("/") + request.path + (f"?{query}" if query else "")
        signature = request.headers.get("X-Twilio-Signature", "")
        if not RequestValidator(config["SMS_AUTH_TOKEN"]).validate(url, request.form, signature):
            raise Forbidden("The X-Twilio-Signature does not match this request.")
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]
