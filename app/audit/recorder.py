"""Every flush writes its audit entries, in the same transaction, through the same connection.

One listener on every SQLAlchemy session (request, job, CLI, plan apply's own session), so no
write use case can forget it. The actor and request id come from a context variable the
request edge sets; jobs and commands leave it empty (the system acted).
"""

import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from flask import Flask, g, request
from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.base import NO_VALUE

from app.audit.models import AuditAction, AuditEntry
from app.db import utcnow

# Bookkeeping that is not anyone's change, or records its own story.
UNAUDITED = frozenset(
    {
        "audit_entries",
        "technician_change_counters",
        "technician_changes",
        "idempotency_records",
        "notifications",
        "guard_refusals",
        "guard_refusal_reasons",
        "plan_parts",
    }
)
SECRET_WORDS = ("password", "secret", "token")
NOISE = frozenset({"version", "updated_at"})
REDACTED = "[redacted]"


@dataclass(frozen=True, slots=True)
class Caller:
    actor_id: int | None = None
    request_id: str | None = None


NOBODY = Caller()  # jobs and commands: the system acted
caller: ContextVar[Caller] = ContextVar("audit_caller", default=NOBODY)


def install(app: Flask) -> None:
    """Audit every session's flushes (once per process) and name each request's caller."""
    if not event.contains(Session, "after_flush", _write_entries):
        event.listen(Session, "after_flush", _write_entries)
    app.before_request(_name_the_caller)
    app.teardown_request(lambda _error: caller.set(NOBODY))


def _name_the_caller() -> None:
    """After authentication (registered later in create_app), so the token's user is known."""
    request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
    caller.set(Caller(actor_id=g.get("user_id"), request_id=request_id))


def _write_entries(session: Session, flush: UOWTransaction) -> None:
    # Deletions from the flush itself: it also removes orphans, which session.deleted misses.
    deleted = [
        state.obj()
        for state, (is_delete, list_only) in flush.states.items()
        if is_delete and not list_only
    ]
    rows = [
        *(_entry(obj, AuditAction.CREATED) for obj in session.new),
        *(_entry(obj, AuditAction.UPDATED) for obj in session.dirty),
        *(_entry(obj, AuditAction.DELETED) for obj in deleted if obj is not None),
    ]
    rows = [row for row in rows if row is not None]
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


def _entry(obj: Any, action: AuditAction) -> dict[str, Any] | None:
    state = inspect(obj)
    table = state.mapper.persist_selectable
    if getattr(table, "name", None) in UNAUDITED:
        return None
    changes = dict(_changes(state, action))
    if not changes and action is AuditAction.UPDATED:
        return None
    who = caller.get()
    return {
        "at": utcnow(),
        "actor_id": who.actor_id,
        "action": action.value,
        "entity": table.name,
        "entity_id": ",".join(str(key) for key in state.mapper.primary_key_from_instance(obj)),
        "changes": changes,
        "request_id": who.request_id,
    }


def _changes(state: Any, action: AuditAction) -> Iterator[tuple[str, dict[str, Any]]]:
    for attribute in state.mapper.column_attrs:
        key = attribute.key
        if key in NOISE:
            continue
        history = state.attrs[key].history
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if action is AuditAction.DELETED:
            before, after = state.attrs[key].loaded_value, None
        elif not history.has_changes() or before == after:
            continue
        if action is AuditAction.CREATED and after is None:
            continue
        yield key, {"before": _plain(key, before), "after": _plain(key, after)}


def _plain(key: str, value: Any) -> Any:
    """JSON-safe; secrets and raw bytes never leave as they are."""
    if value is None or value is NO_VALUE:
        return None
    if any(word in key for word in SECRET_WORDS):
        return REDACTED
    if isinstance(value, bytes | bytearray | memoryview):
        return f"[{len(value)} bytes]"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
