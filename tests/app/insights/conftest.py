"""A small world whose every insight figure is known: four cases, two technicians, one plan."""

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.cases.interactions import add_interaction
from app.edge import write_after_rollback
from app.errors import DomainError
from app.extensions import db
from app.notifications.models import Notification
from app.plans.models import Plan, PlanPart
from app.visits.assignment import assign_technician
from app.visits.events import record_event
from app.visits.service import record_diagnosis
from tests.conftest import MONDAY, denver


def refused(call, *args: Any, **kwargs: Any) -> DomainError:
    """Run a use case that must be refused, roll back as the edge does, then let the edge
    write what the refusal leaves behind."""
    db.session.commit()  # what the test did so far is a unit of work of its own
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    db.session.rollback()
    write_after_rollback(caught.value)
    return caught.value


def work(visit, technician, dispatcher, hour: int, end: str = "completed", **fields: Any) -> None:
    assign_technician(
        visit.id, technician_id=technician.id, start=denver(MONDAY, hour), actor=dispatcher
    )
    record_event(visit.id, actor=dispatcher, type="on_site", at=denver(MONDAY, hour, 5))
    for name, value in fields.items():
        assert name == "diagnosis"
        record_diagnosis(visit.id, actor=dispatcher, **value)
    record_event(
        visit.id, actor=dispatcher, type=end, at=denver(MONDAY, hour, 50), reason="gate locked"
    )


def contact(case, dispatcher, channel: str, hour: int, outcome: str | None = None) -> None:
    add_interaction(
        case,
        actor=dispatcher,
        channel=channel,
        direction="inbound",
        summary=f"{channel} at {hour}",
        outcome=outcome,
        occurred_at=denver(MONDAY, hour),
    )
    db.session.commit()


@pytest.fixture
def world(dispatcher, create_case, create_visit, create_technician) -> dict[str, Any]:
    """A: repair fixed at once. B: assessed, a repeat refused, one overridden (then cancelled),
    repaired. C: no access, still open. D: solved on the phone, no visit. Every case opens
    with a phone call (now, before Monday)."""
    tech = create_technician(territory="denver-central")
    novice = create_technician(territory="denver-central", skills=[])
    a, b, c, d = (create_case() for _ in range(4))

    repair_a = create_visit(a, duration_minutes=60)
    work(repair_a, tech, dispatcher, 8)

    assessment = create_visit(b, type="assessment", duration_minutes=60)
    diagnosis = {"findings": "Capacitor failed", "estimated_minutes": 30}
    work(assessment, tech, dispatcher, 9, diagnosis=diagnosis)
    repeat = refused(create_visit, b, type="assessment")
    overridden = create_visit(b, type="assessment", override_reason="Customer insists")
    record_event(overridden.id, actor=dispatcher, type="cancelled", reason="not needed")
    work(create_visit(b, duration_minutes=60), tech, dispatcher, 13)
    contact(b, dispatcher, "email", 7, outcome="unresolved")
    contact(b, dispatcher, "chat", 8, outcome="follow_up")

    work(create_visit(c, duration_minutes=60), tech, dispatcher, 15, end="no_access")
    contact(c, dispatcher, "email", 16, outcome="unresolved")

    contact(d, dispatcher, "phone", 11, outcome="resolved")
    d.status = "resolved"
    db.session.commit()

    late = create_visit(duration_minutes=60)
    skill = refused(
        assign_technician,
        late.id,
        technician_id=novice.id,
        start=denver(MONDAY, 10),
        actor=dispatcher,
    )
    window = refused(
        assign_technician,
        late.id,
        technician_id=tech.id,
        start=denver(MONDAY, 18),
        actor=dispatcher,
    )
    _plans(dispatcher)
    _messages(a)
    return {
        "tech": tech,
        "repeat": repeat,
        "reason_codes": Counter(
            code for error in (skill, window) for code in {r["code"] for r in error.reasons}
        ),
    }


def _plans(dispatcher) -> None:
    stats = {
        "assigned": 4,
        "unassigned": 0,
        "travel_km": 20.0,
        "travel_minutes": 30.0,
        "solve_seconds": 1.0,
        "utilisation": [
            {"technician_id": 1, "utilisation": 0.5},
            {"technician_id": 2, "utilisation": 0.7},
        ],
    }
    for applied_at in (denver(MONDAY, 6), None):
        plan = Plan(day=MONDAY, time_limit_seconds=5, applied_at=applied_at)
        plan.parts = [
            PlanPart(
                territory="denver-central",
                status="succeeded",
                visit_ids=[],
                result={"routes": [], "unassigned": [], "stats": stats},
            )
        ]
        db.session.add(plan)
    db.session.commit()


def _messages(case) -> None:
    for status in ("sent", "sent", "failed", "pending"):
        db.session.add(
            Notification(
                case_id=case.id,
                event="visit.scheduled",
                channel="email",
                recipient="a@example.com",
                supersede_key=str(uuid.uuid4()),
                status=status,
                delivery_id=str(uuid.uuid4()),
                created_at=denver(MONDAY, 12),
            )
        )
    db.session.commit()


MONDAY_ONLY = {"from": MONDAY.isoformat(), "to": MONDAY.isoformat()}
# Refusals, overrides and the opening calls happen now; the field work on Monday 2031.
EVERYTHING = {
    "from": (datetime.now(UTC) - timedelta(days=1)).date().isoformat(),
    "to": (MONDAY + timedelta(days=6)).isoformat(),
}
