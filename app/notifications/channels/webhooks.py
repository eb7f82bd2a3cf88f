"""Webhooks signed per Standard Webhooks (standardwebhooks.com), posted to a checked address.

Signing is the spec's few lines of HMAC: `v1,` + base64(HMAC-SHA256(key, "{id}.{ts}.{body}"))
with the key being the base64 part of a `whsec_` secret.
"""

import base64
import hashlib
import hmac
import secrets
import time

import urllib3

from app.notifications.channels.base import DeliveryError, Gone, Outgoing
from app.notifications.ssrf import Target, UnsafeUrl, UrlGuard

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, *, message_id: str, timestamp: int, body: str) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signed_headers(secret: str, *, message_id: str, body: str) -> dict[str, str]:
    timestamp = int(time.time())
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id=message_id, timestamp=timestamp, body=body),
    }


class WebhookSender:
    """Posts without following redirects: a redirect could point anywhere, inside included."""

    def __init__(self, guard: UrlGuard, *, timeout: float) -> None:
        self.guard = guard
        self.timeout = timeout

    def send(self, message: Outgoing) -> None:
        try:
            target = self.guard.check(message.recipient)
        except UnsafeUrl as error:
            raise DeliveryError(str(error), permanent=True) from error
        assert message.secret is not None, "a webhook message carries its subscription's secret"
        headers = signed_headers(message.secret, message_id=message.delivery_id, body=message.body)
        try:
            response = self._post(target, headers, message.body)
        except urllib3.exceptions.HTTPError as error:
            raise DeliveryError(f"POST {message.recipient}: {error}") from error
        if response.status == 410:
            raise Gone(f"{message.recipient} answered 410 Gone; the subscription is disabled.")
        if not 200 <= response.status < 300:
            raise DeliveryError(f"{message.recipient} answered {response.status}")

    def _post(self, target: Target, headers: dict[str, str], body: str) -> urllib3.BaseHTTPResponse:
        """Connect to the address the guard checked, so DNS cannot change between check and use."""
        default_port = 443 if target.scheme == "https" else 80
        host = f"[{target.host}]" if ":" in target.host else target.host
        host_header = host if target.port == default_port else f"{host}:{target.port}"
        pool: urllib3.HTTPConnectionPool
        if target.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                target.address,
                target.port,
                server_hostname=target.host,
                assert_hostname=target.host,
                timeout=self.timeout,
            )
        else:
            pool = urllib3.HTTPConnectionPool(target.address, target.port, timeout=self.timeout)
        with pool:
            return pool.urlopen(
                "POST",
                target.path,
                body=body.encode(),
                headers={**headers, "host": host_header},
                redirect=False,
                retries=False,
                preload_content=True,
            )
