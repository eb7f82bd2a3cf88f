"""A refused guard leaves a record; the refusal itself still rolls back everything else.

Services attach the record to the DomainError they raise (`after_rollback`); the request edge
rolls the request back and then calls `record_after_rollback(error)`, which writes it in a
transaction of its own. Never a nested commit inside the refused use case.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.extensions import db
from app.insights.models import GuardRefusal, GuardRefusalReason, GuardRule


def refusal(
    rule: GuardRule,
    *,
    actor: Principal,
    case_id: int,
    reasons: Iterable[Mapping[str, Any]],
    visit_id: int | None = None,
    technician_id: int | None = None,
) -> GuardRefusal:
    """The record of one refusal, not added to any session: the caller's rolls back."""
    return GuardRefusal(
        rule=rule,
        actor_id=actor.user_id,
        case_id=case_id,
        visit_id=visit_id,
        technician_id=technician_id,
        reasons=[
            GuardRefusalReason(code=str(reason["code"]), detail=reason.get("detail"))
            for reason in reasons
        ],
    )


def record_after_rollback(error: BaseException) -> None:
    """Write what `error` asks to keep, in its own transaction; call after the rollback.

    A session of its own, so nothing the refused request left in the scoped session (it
    should be rolled back already) can ride along.
    """
    records = getattr(error, "after_rollback", None)
    if not records:
        return
    with Session(bind=db.engine, expire_on_commit=False) as session, session.begin():
        session.add_all(records)
