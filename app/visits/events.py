"""Field events: en route, on site, completed... moved by the server-side state machine."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from app.auth.principal import Principal
from app.errors import Conflict
from app.extensions import db
from app.parts.reservations import consume_reservations, release_reservations
from app.visits import lifecycle
from app.visits.models import Visit, VisitEvent, VisitStatus
from app.visits.progress import follow_case
from app.visits.service import get_visit


class IllegalTransition(Conflict):
    slug = "illegal-transition"


def record_event(
    visit_id: int,
    *,
    actor: Principal,
    type: str,
    at: datetime | None = None,
    note: str | None = None,
    parts_used: list[Mapping[str, Any]] | None = None,
    substitution_reason: str | None = None,
) -> VisitEvent:
    """Apply one field report; completion consumes the reserved parts, cancelling frees them."""
    visit = get_visit(visit_id, viewer=actor)
    if not lifecycle.can_report(visit.status, type):
        raise IllegalTransition(
            f"Visit {visit.id} is {visit.status}; '{type}' cannot follow that.",
            allowed=lifecycle.allowed_events(visit.status),
        )
    used = {row["sku"]: row["quantity"] for row in parts_used} if parts_used is not None else None
    _settle_parts(visit, type, used, substitution_reason)
    event = VisitEvent(
        visit_id=visit.id,
        type=type,
        note=note,
        parts_used=used,
        substitution_reason=substitution_reason,
        technician_id=visit.technician_id,
        actor_id=actor.user_id,
    )
    if at is not None:
        event.at = at
    db.session.add(event)
    visit.status = VisitStatus(type)
    follow_case(visit.case)
    db.session.commit()
    return event


def _settle_parts(
    visit: Visit, type: str, used: Mapping[str, int] | None, substitution_reason: str | None
) -> None:
    if type == VisitStatus.COMPLETED:
        consume_reservations(visit.id, parts_used=used, substitution_reason=substitution_reason)
    elif type == VisitStatus.CANCELLED:
        release_reservations(visit.id)
