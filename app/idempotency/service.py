"""Claim a key before the work, store the response with the work's own commit, replay after.

A claim is committed on its own so a concurrent retry sees it (409); the response is written
in the same transaction as the effect, so a crash can never leave one without the other. A
claim whose request died is taken over once its lock runs out.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.db import utcnow
from app.errors import Conflict, RuleViolation
from app.extensions import db
from app.idempotency.models import IdempotencyRecord, KeyState

KEEP_FOR = timedelta(days=7)
LOCK_FOR = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    headers: dict[str, Any]
    body: bytes


def claim_key(caller: str, key: str, *, fingerprint: str) -> StoredResponse | None:
    """None when this request should run; the stored response when it already ran."""
    now = utcnow()
    record = _record(caller, key)
    if record is not None and record.expires_at <= now:
        db.session.delete(record)
        db.session.flush()
        record = None
    if record is None:
        return _insert_claim(caller, key, fingerprint)
    if record.state == KeyState.RUNNING and record.locked_until > now:
        raise _still_running(key)
    if record.fingerprint != fingerprint:
        raise RuleViolation(
            f"Idempotency-Key '{key}' was already used with a different request; "
            "use a new key for a new request."
        )
    if record.state == KeyState.DONE:
        return StoredResponse(record.response_status, record.response_headers, record.response_body)
    record.locked_until = now + LOCK_FOR
    db.session.commit()
    return None


def store_response(caller: str, key: str, response: StoredResponse) -> None:
    """Flush only: the caller's transaction commits it together with the effect."""
    record = _record(caller, key)
    record.state = KeyState.DONE
    record.response_status = response.status
    record.response_headers = response.headers
    record.response_body = response.body
    db.session.flush()


def release_key(caller: str, key: str) -> None:
    """The request failed and wrote nothing; a retry may run it again."""
    db.session.rollback()
    db.session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.caller == caller,
            IdempotencyRecord.key == key,
            IdempotencyRecord.state == KeyState.RUNNING,
        )
    )
    db.session.commit()


def purge_expired_keys() -> int:
    result = db.session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utcnow())
    )
    db.session.commit()
    return result.rowcount


def _insert_claim(caller: str, key: str, fingerprint: str) -> None:
    now = utcnow()
    db.session.add(
        IdempotencyRecord(
            caller=caller,
            key=key,
            fingerprint=fingerprint,
            created_at=now,
            locked_until=now + LOCK_FOR,
            expires_at=now + KEEP_FOR,
        )
    )
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise _still_running(key) from error


def _still_running(key: str) -> Conflict:
    return Conflict(
        f"A request with Idempotency-Key '{key}' is still being processed; retry shortly.",
        headers={"Retry-After": "1"},
    )


def _record(caller: str, key: str) -> IdempotencyRecord | None:
    return db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.caller == caller, IdempotencyRecord.key == key
        )
    )
