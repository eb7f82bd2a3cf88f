"""Reports from a phone on a flaky network: retries, late arrivals, stale edits, taken visits."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.cases.models import Interaction
from app.extensions import db
from app.visits.assignment import assign_technician, unassign_technician
from app.visits.events import record_event
from app.visits.models import Diagnosis, VisitEvent
from tests.conftest import MONDAY, denver

DIAGNOSIS = {"findings": "Igniter cracked", "estimated_minutes": 30}


@pytest.fixture
def phone(make_user, create_technician, headers_for, create_visit, dispatcher):
    technician = create_technician()
    headers = headers_for(make_user(Role.TECHNICIAN, email=technician.email))
    visit = create_visit()
    assign_technician(
        visit.id, technician_id=technician.id, start=denver(MONDAY, 9), actor=dispatcher
    )
    return {"headers": headers, "visit": visit, "technician": technician}


def _report(client, phone, key=None, **body):
    headers = {**phone["headers"], **({"Idempotency-Key": key} if key else {})}
    return client.post(f"/api/v1/visits/{phone['visit'].id}/events", json=body, headers=headers)


def _count(model, **where):
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_a_retried_report_is_applied_once_and_replayed(client, phone):
    first = _report(client, phone, key="k-1", type="on_site", at=denver(MONDAY, 9).isoformat())
    again = _report(client, phone, key="k-1", type="on_site", at=denver(MONDAY, 9).isoformat())
    other = _report(client, phone, key="k-1", type="en_route")

    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true" and again.json == first.json
    assert other.status_code == 422
    assert _count(VisitEvent, visit_id=phone["visit"].id, type="on_site") == 1


def test_a_late_report_is_kept_in_order_without_moving_the_visit_back(client, phone):
    on_site = _report(client, phone, type="on_site", at=denver(MONDAY, 10).isoformat())
    late = _report(client, phone, type="en_route", at=denver(MONDAY, 9, 30).isoformat())
    visit = client.get(f"/api/v1/visits/{phone['visit'].id}", headers=phone["headers"]).json

    assert on_site.json["applied"] is True
    assert late.status_code == 201 and late.json["applied"] is False
    assert visit["status"] == "on_site"


def test_en_route_with_a_position_sets_the_eta(client, phone):
    at = denver(MONDAY, 8, 30)
    response = _report(
        client,
        phone,
        type="en_route",
        at=at.isoformat(),
        position={"latitude": 39.84, "longitude": -104.99, "accuracy_m": 12},
    )
    visit = client.get(f"/api/v1/visits/{phone['visit'].id}", headers=phone["headers"]).json

    assert response.status_code == 201
    eta = visit["eta"]
    assert at + timedelta(minutes=10) < datetime.fromisoformat(eta) < at + timedelta(hours=1)


def test_no_access_needs_a_reason_and_hands_the_visit_back_to_dispatch(client, phone):
    _report(client, phone, type="on_site")
    missing = _report(client, phone, type="no_access")
    given = _report(client, phone, type="no_access", reason="Nobody home, left a card")
    visit = client.get(f"/api/v1/visits/{phone['visit'].id}", headers=phone["headers"])
    as_dispatch = phone["visit"]
    db.session.refresh(as_dispatch)

    assert missing.status_code == 422 and "reason" in missing.json["errors"]
    assert given.status_code == 201
    assert visit.status_code == 404  # no longer theirs
    assert (as_dispatch.status, as_dispatch.technician_id) == ("unassigned", None)
    assert as_dispatch.return_reason == "Nobody home, left a card"


def test_a_report_on_a_visit_taken_away_is_refused_and_noted_on_the_case_once(
    client, phone, dispatcher
):
    unassign_technician(phone["visit"].id, actor=dispatcher)

    first = _report(client, phone, key="late-1", type="on_site", note="Arrived")
    again = _report(client, phone, key="late-1", type="on_site", note="Arrived")
    without_key = _report(client, phone, type="on_site", note="Arrived")

    assert first.status_code == 409
    assert first.json["reasons"] == [{"code": "visit_reassigned"}]
    assert "no longer" in first.json["detail"]
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert without_key.status_code == 409
    notes = _count(Interaction, case_id=phone["visit"].case_id, channel="technician")
    assert notes == 2  # the keyed report once, the report without a key (another `at`) once


def test_a_report_on_a_cancelled_visit_is_refused(client, phone, dispatcher):
    record_event(phone["visit"].id, actor=dispatcher, type="cancelled")

    response = _report(client, phone, type="en_route")

    assert response.status_code == 409
    assert response.json["reasons"] == [{"code": "visit_cancelled"}]


def test_a_stale_diagnosis_edit_is_refused_with_412(client, phone):
    url = f"/api/v1/visits/{phone['visit'].id}/diagnosis"
    first = client.put(url, json=DIAGNOSIS, headers=phone["headers"])
    read = client.get(url, headers=phone["headers"])
    newer = client.put(
        url,
        json={**DIAGNOSIS, "findings": "Also a cracked flue"},
        headers={**phone["headers"], "If-Match": read.headers["ETag"]},
    )
    offline = client.put(
        url,
        json={**DIAGNOSIS, "findings": "Only the igniter"},
        headers={**phone["headers"], "If-Match": read.headers["ETag"]},
    )

    assert first.status_code == 200 and read.headers["ETag"] == first.headers["ETag"]
    assert newer.status_code == 200 and newer.headers["ETag"] != read.headers["ETag"]
    assert offline.status_code == 412
    assert _count(Diagnosis, case_id=phone["visit"].case_id) == 2


def test_a_retried_diagnosis_is_recorded_once(client, phone):
    url = f"/api/v1/visits/{phone['visit'].id}/diagnosis"
    headers = {**phone["headers"], "Idempotency-Key": "diag-1"}

    first = client.put(url, json=DIAGNOSIS, headers=headers)
    again = client.put(url, json=DIAGNOSIS, headers=headers)

    assert first.status_code == again.status_code == 200
    assert again.headers["ETag"] == first.headers["ETag"]
    assert _count(Diagnosis, case_id=phone["visit"].case_id) == 1


def test_a_visit_carries_an_etag_and_a_stale_assignment_is_refused(
    client, phone, dispatcher_headers, create_technician
):
    url = f"/api/v1/visits/{phone['visit'].id}"
    etag = client.get(url, headers=dispatcher_headers).headers["ETag"]
    unassigned = client.delete(
        f"{url}/assignment", headers={**dispatcher_headers, "If-Match": etag}
    )
    stale = client.put(
        f"{url}/assignment",
        json={"technician_id": create_technician().id, "start": denver(MONDAY, 9).isoformat()},
        headers={**dispatcher_headers, "If-Match": etag},
    )

    assert unassigned.status_code == 200
    assert stale.status_code == 412
