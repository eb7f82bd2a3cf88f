"""GET /me/sync: a fresh install gets the days ahead; later syncs get exactly what changed."""

from app.cases.interactions import add_interaction
from app.extensions import db
from app.visits.assignment import assign_technician, unassign_technician
from app.visits.events import record_event
from app.visits.service import record_diagnosis
from tests.conftest import MONDAY, denver


def _sync(client, headers, since=None):
    query = "" if since is None else f"?since={since}"
    response = client.get(f"/api/v1/me/sync{query}", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_a_fresh_install_gets_upcoming_visits_and_a_cursor(client, technician_user, book):
    visit = book(technician_user["technician"])

    first = _sync(client, technician_user["headers"])

    assert [card["id"] for card in first["visits"]] == [visit.id]
    assert int(first["cursor"]) > 0
    assert _sync(client, technician_user["headers"], first["cursor"])["visits"] == []


def test_diagnoses_and_notes_on_the_case_come_back_as_the_fresh_visit(
    client, technician_user, book, dispatcher
):
    visit = book(technician_user["technician"])
    cursor = _sync(client, technician_user["headers"])["cursor"]
    record_diagnosis(visit.id, actor=dispatcher, findings="Igniter cracked", estimated_minutes=30)
    add_interaction(visit.case, actor=None, channel="sms", direction="inbound", summary="Dog loose")
    db.session.commit()

    changed = _sync(client, technician_user["headers"], cursor)

    card = changed["visits"][0]
    assert card["diagnosis"]["findings"] == "Igniter cracked"
    assert card["interactions"][0]["summary"] == "Dog loose"
    assert changed["removed"] == []


def test_reassigned_and_cancelled_visits_become_tombstones(
    client, technician_user, book, create_technician, dispatcher
):
    me = technician_user["technician"]
    moved, cancelled = book(me, hour=9), book(me, hour=13)
    cursor = _sync(client, technician_user["headers"])["cursor"]
    unassign_technician(moved.id, actor=dispatcher)
    assign_technician(
        moved.id, technician_id=create_technician().id, start=denver(MONDAY, 9), actor=dispatcher
    )
    record_event(cancelled.id, actor=dispatcher, type="cancelled")

    changed = _sync(client, technician_user["headers"], cursor)

    assert changed["visits"] == []
    assert changed["removed"] == [
        {"visit_id": moved.id, "reason": "reassigned"},
        {"visit_id": cancelled.id, "reason": "cancelled"},
    ]


def test_a_visit_moved_to_me_appears_and_the_cursor_only_moves_forward(
    client, technician_user, book, create_technician
):
    cursor = _sync(client, technician_user["headers"])["cursor"]
    book(create_technician())
    mine = book(technician_user["technician"], hour=11)

    changed = _sync(client, technician_user["headers"], cursor)

    assert [card["id"] for card in changed["visits"]] == [mine.id]
    assert int(changed["cursor"]) > int(cursor)
    assert changed["more"] is False


def test_a_bad_cursor_is_refused(client, technician_user):
    response = client.get("/api/v1/me/sync?since=yesterday", headers=technician_user["headers"])

    assert response.status_code == 422
