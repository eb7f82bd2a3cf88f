"""A refused guard leaves a record; the refusal itself still rolls back everything else.

Services attach the record's write to the DomainError they raise (`after_rollback`); the
request edge rolls the request back, then writes it in a unit of work of its own
(app/edge.py). Never a nested commit inside the refused use case.
"""

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

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
) -> Callable[[], None]:
    """The write of one refusal's record, for after the caller's rollback."""
    record = GuardRefusal(
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
    return partial(db.session.add, record)
