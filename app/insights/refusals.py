"""A refused guard leaves a record; the refusal itself still rolls back everything else.

Services put `keep_refusal(...)` in the `after_rollback` of the DomainError they raise; the
request edge rolls the request back and then runs it in a unit of work of its own (on main:
app/requests.write_after_rollback). Never a nested commit inside the refused use case.
"""

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from app.auth.principal import Principal
from app.extensions import db
from app.insights.models import GuardRefusal, GuardRefusalReason, GuardRule


def keep_refusal(
    rule: GuardRule,
    *,
    actor: Principal,
    case_id: int,
    reasons: Iterable[Mapping[str, Any]],
    visit_id: int | None = None,
    technician_id: int | None = None,
) -> Callable[[], None]:
    """The write that records one refusal, for the edge to run after its rollback."""
    return partial(
        _write,
        rule=rule,
        actor_id=actor.user_id,
        case_id=case_id,
        visit_id=visit_id,
        technician_id=technician_id,
        reasons=[(str(reason["code"]), reason.get("detail")) for reason in reasons],
    )


def _write(*, reasons: list[tuple[str, str | None]], **fields: Any) -> None:
    refusal = GuardRefusal(
        **fields,
        reasons=[GuardRefusalReason(code=code, detail=detail) for code, detail in reasons],
    )
    db.session.add(refusal)
    db.session.flush()


def record_after_rollback(error: BaseException) -> None:
    """This branch's stand-in for the edge: run the error's writes and commit them; call it
    after the refused request was rolled back. Main's write_after_rollback replaces it."""
    writes = getattr(error, "after_rollback", None)
    if not writes:
        return
    for write in writes:
        write()
    db.session.commit()
