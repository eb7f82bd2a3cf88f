"""Signed portal links: one case, an expiry, and the case's link version for revocation.

itsdangerous signs the payload; what is ours is the version check, so that bumping
``cases.link_version`` revokes every link issued before without a table of tokens.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from app.cases.models import Case
from app.db import utcnow

SALT = "firstfix.portal-link"
PAGE_PATH = "/c/"


@dataclass(frozen=True, slots=True)
class PortalLink:
    token: str
    url: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class LinkClaim:
    """What a valid token says: which case, and the link version it was issued under."""

    case_id: int
    version: int


def issue_portal_link(case: Case, *, expires_in_days: int | None = None) -> PortalLink:
    """Sign a link to the case's page; writes nothing, so a renderer may call it anywhere.

    The notifications renderer calls this for the first confirmation; the staff endpoint
    calls it too and records that a link was issued.
    """
    days = expires_in_days or current_app.config["PORTAL_LINK_DAYS"]
    expires_at = (utcnow() + timedelta(days=days)).replace(microsecond=0)
    token = _serializer().dumps(
        {"case": case.id, "version": case.link_version, "exp": int(expires_at.timestamp())}
    )
    url = current_app.config["PUBLIC_URL"].rstrip("/") + PAGE_PATH + token
    return PortalLink(token=token, url=url, expires_at=expires_at)


def read_portal_token(token: str) -> LinkClaim | None:
    """The claim of an untampered, unexpired token; None for anything else, whatever the cause.

    Expiry is checked twice: the link's own ``exp`` and, as a ceiling for any link ever
    signed, itsdangerous's signing timestamp against PORTAL_LINK_MAX_DAYS.
    """
    max_age = timedelta(days=current_app.config["PORTAL_LINK_MAX_DAYS"])
    try:
        payload = _serializer().loads(token, max_age=int(max_age.total_seconds()))
        claim, expires = LinkClaim(int(payload["case"]), int(payload["version"])), payload["exp"]
    except (BadData, KeyError, TypeError, ValueError):
        return None
    return claim if int(expires) > utcnow().timestamp() else None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)
