"""Claim a key before the work, store the response in the work's own unit, replay after.

The claim, the effect and the stored response are one transaction, committed by the request's
edge: a crash or a dropped connection leaves neither an effect nor a key stuck "running". A
concurrent request with the same key waits for the first (PostgreSQL's unique index, SQLite's
write lock) and then replays its answer. A "running" row is only ever left by older versions;
it is taken over once its lock runs out.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
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
        try:
            return _insert_claim(caller, key, fingerprint)
        except Conflict:
            record = _record(caller, key)  # the request that won the race has committed
            if record is None:
                raise
    return _answer_for(record, key, fingerprint=fingerprint, now=now)


def _answer_for(
    record: IdempotencyRecord, key: str, *, fingerprint: str, now: datetime
) -> StoredResponse | None:
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
    db.session.flush()
    return None


def store_response(caller: str, key: str, response: StoredResponse, *, fingerprint: str) -> None:
    """Flush only: the caller's unit of work commits it together with the effect.

    A refusal stored after its request rolled back finds no claim, and records one.
    """
    record = _record(caller, key)
    if record is None:
        _insert_claim(caller, key, fingerprint)
        record = _record(caller, key)
    assert record is not None, "claimed just above"
    record.state = KeyState.DONE
    record.response_status = response.status
    record.response_headers = response.headers
    record.response_body = response.body
    db.session.flush()


def purge_expired_keys() -> int:
    result = db.session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utcnow())
    )
    return result.rowcount


def _insert_claim(caller: str, key: str, fingerprint: str) -> None:
    """On PostgreSQL a concurrent first use of the key makes this wait for its commit."""
    now = utcnow()
    try:
        with db.session.begin_nested():
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
    except IntegrityError as error:
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
