"""A refused guard leaves a record written after the rollback; the refusal stays a refusal."""

import pytest
from sqlalchemy import create_engine, func, select

from app import extensions
from app.edge import write_after_rollback
from app.errors import Conflict
from app.extensions import db
from app.insights.models import GuardRefusal, GuardRefusalReason
from app.visits.assignment import AssignmentRefused, assign_technician
from app.visits.guards import RepeatAssessment
from app.visits.models import Visit
from app.visits.service import record_diagnosis
from tests.conftest import MONDAY, denver


def _committed_refusals() -> int:
    """Counted on a connection of its own: only what was really committed."""
    other = create_engine(extensions.db.engine.url)
    with other.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(GuardRefusal))
    other.dispose()
    return count


@pytest.fixture
def refused_booking(dispatcher, create_visit, create_technician):
    visit = create_visit()
    novice = create_technician(skills=[])
    with pytest.raises(AssignmentRefused) as caught:
        assign_technician(
            visit.id, technician_id=novice.id, start=denver(MONDAY, 10), actor=dispatcher
        )
    db.session.rollback()
    return {"error": caught.value, "visit": visit, "technician": novice}


def test_the_refused_request_itself_writes_no_record(refused_booking):
    assert _committed_refusals() == 0


def test_the_edge_records_who_was_refused_by_which_rule_on_which_visit(refused_booking, dispatcher):
    write_after_rollback(refused_booking["error"])

    refusal = db.session.scalars(select(GuardRefusal)).one()
    assert _committed_refusals() == 1
    assert refusal.rule == "booking"
    assert refusal.actor_id == dispatcher.user_id
    assert refusal.visit_id == refused_booking["visit"].id
    assert refusal.technician_id == refused_booking["technician"].id
    assert [reason.code for reason in refusal.reasons] == ["missing_skill"]


def test_the_refusal_stays_a_refusal(refused_booking):
    write_after_rollback(refused_booking["error"])

    visit = db.session.get(Visit, refused_booking["visit"].id)
    assert visit.technician_id is None and visit.status == "unassigned"


def test_a_repeat_assessment_refusal_is_recorded_on_its_case(
    dispatcher, create_visit, create_technician
):
    technician = create_technician()
    first = create_visit(type="assessment")
    assign_technician(
        first.id, technician_id=technician.id, start=denver(MONDAY, 9), actor=dispatcher
    )
    record_diagnosis(first.id, actor=dispatcher, findings="Fan seized", estimated_minutes=30)
    with pytest.raises(RepeatAssessment) as caught:
        create_visit(first.case, type="assessment")
    db.session.rollback()

    write_after_rollback(caught.value)

    refusal = db.session.scalars(select(GuardRefusal)).one()
    assert (refusal.rule, refusal.case_id, refusal.visit_id) == (
        "repeat_assessment",
        first.case_id,
        None,
    )
    assert refusal.reasons[0].code == "repeat_assessment"


def test_an_error_with_nothing_to_record_writes_nothing(app):
    write_after_rollback(Conflict("taken"))
    write_after_rollback(ValueError("not even a domain error"))

    assert _committed_refusals() == 0
    assert db.session.scalar(select(func.count()).select_from(GuardRefusalReason)) == 0


def test_the_refusal_answer_does_not_show_the_record(
    client, dispatcher_headers, create_visit, create_technician
):
    visit, novice = create_visit(), create_technician(skills=[])

    response = client.put(
        f"/api/v1/visits/{visit.id}/assignment",
        json={"technician_id": novice.id, "start": denver(MONDAY, 10).isoformat()},
        headers=dispatcher_headers,
    )

    assert response.status_code == 409
    assert "after_rollback" not in response.json
    assert response.json["reasons"][0]["code"] == "missing_skill"
