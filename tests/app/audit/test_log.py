"""Who changed what: entries written with each change, by whom, never with secrets."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.extensions import db
from app.technicians.service import update_technician
from tests.conftest import MONDAY, denver


def _entries(entity, entity_id=None):
    query = select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == str(entity_id))
    return list(db.session.scalars(query))


def _assign(client, headers, visit, technician, hour=9):
    return client.put(
        f"/api/v1/visits/{visit.id}/assignment",
        json={"technician_id": technician.id, "start": denver(MONDAY, hour).isoformat()},
        headers={**headers, "X-Request-ID": "req-42"},
    )


def test_a_booking_is_logged_with_its_actor_request_and_before_after(
    client, make_user, headers_for, create_visit, create_technician
):
    dispatcher = make_user(Role.DISPATCHER)
    visit, technician = create_visit(), create_technician()

    assert _assign(client, headers_for(dispatcher), visit, technician).status_code == 200

    entry = _entries("visits", visit.id)[-1]
    assert (entry.action, entry.actor_id, entry.request_id) == (
        "updated",
        dispatcher.user_id,
        "req-42",
    )
    assert entry.changes["technician_id"] == {"before": None, "after": technician.id}
    assert entry.changes["status"] == {"before": "unassigned", "after": "scheduled"}
    assert "version" not in entry.changes


def test_a_refused_change_leaves_no_entry(
    client, dispatcher_headers, create_visit, create_technician
):
    visit, novice = create_visit(), create_technician(skills=[])
    before = len(_entries("visits", visit.id))

    assert _assign(client, dispatcher_headers, visit, novice).status_code == 409

    assert len(_entries("visits", visit.id)) == before
    assert _entries("visit_events") == []


def test_secrets_never_reach_the_log(client, make_user):
    user = make_user(Role.AGENT)

    created = _entries("users", user.user_id)[0]
    assert created.action == "created"
    assert created.changes["password_hash"] == {"before": None, "after": "[redacted]"}
    assert created.changes["email"]["after"] == user.email


def test_removed_rows_are_logged_as_deleted(create_technician):
    technician = create_technician()

    update_technician(technician.id, shifts=[])

    deleted = [entry for entry in _entries("shifts") if entry.action == "deleted"]
    assert len(deleted) == 5
    assert deleted[0].changes["technician_id"] == {"before": technician.id, "after": None}
    assert deleted[0].actor_id is None  # not a request: the system acted


def test_the_log_is_queried_by_entity_actor_and_period(
    client, make_user, headers_for, create_visit, create_technician
):
    dispatcher = make_user(Role.DISPATCHER)
    visit, technician = create_visit(), create_technician()
    _assign(client, headers_for(dispatcher), visit, technician)
    manager = headers_for(make_user(Role.MANAGER))

    def query(**args):
        response = client.get("/api/v1/audit", query_string=args, headers=manager)
        assert response.status_code == 200, response.json
        return response.json

    mine = query(actor=dispatcher.user_id)
    this_visit = query(entity="visits", entity_id=str(visit.id))
    long_ago = query(entity="visits", **{"from": "2020-01-01", "to": "2020-01-02"})

    assert {entry["entity"] for entry in mine} == {"visits", "visit_events", "cases"}
    assert this_visit[0]["changes"]["status"]["after"] == "scheduled"
    assert this_visit[-1]["action"] == "created"
    assert long_ago == []


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.MANAGER, 200), (Role.ADMIN, 200), (Role.DISPATCHER, 403), (Role.TECHNICIAN, 404)],
)
def test_only_managers_and_admins_read_the_log(client, make_user, headers_for, role, status):
    response = client.get("/api/v1/audit", headers=headers_for(make_user(role)))

    assert response.status_code == status


def test_writes_in_a_job_or_commands_unit_of_work_are_logged_too(app, create_technician):
    """Jobs and CLI commands own their units of work, outside any request."""
    technician = create_technician()

    with db.unit_of_work() as session:
        session.get(type(technician), technician.id).territory = "boulder"

    entry = _entries("technicians", technician.id)[-1]
    assert entry.changes == {"territory": {"before": "denver-central", "after": "boulder"}}
