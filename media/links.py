"""Signed, self-expiring tokens for URLs the app serves itself, where S3 would presign."""

import time
from typing import Any

from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from media.storage import LinkExpired, LinkInvalid


class SignedLinks:
    """Issue and open tokens for one purpose; a token for another purpose never opens here.

    Each token carries the lifetime it was issued with, so the expiry promised in an
    ``UploadTarget`` is the one enforced, whatever the caller passes later.
    """

    def __init__(self, secret: str | bytes, purpose: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=f"firstfix.media.{purpose}")

    def issue(self, payload: dict[str, Any], expires_in: int) -> str:
        return self._serializer.dumps({**payload, "ttl": expires_in})

    def open(self, token: str, max_age: int | None = None) -> dict[str, Any]:
        """Return the payload; ``max_age`` can only shorten the lifetime, e.g. after a leak."""
        try:
            payload, signed_at = self._serializer.loads(
                token, max_age=max_age, return_timestamp=True
            )
        except SignatureExpired as exc:
            raise LinkExpired("link has expired") from exc
        except BadData as exc:
            raise LinkInvalid("link is not valid") from exc
        # itsdangerous stamps whole seconds from time.time(); compare on the same clock.
        if time.time() - signed_at.timestamp() > payload["ttl"]:
            raise LinkExpired("link has expired")
        return payload
