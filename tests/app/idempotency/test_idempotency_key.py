"""A phone may send the same POST twice: with an Idempotency-Key it takes effect once."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.cases.models import Interaction
from app.customers.models import Customer
from app.db import utcnow
from app.extensions import db
from app.idempotency import decorator
from app.idempotency.models import IdempotencyRecord
from app.idempotency.service import claim_key


@pytest.fixture
def post_note(client, agent_headers, create_case):
    case = create_case()

    def post(key=None, summary="Technician note: unit is iced up"):
        headers = dict(agent_headers)
        if key:
            headers["Idempotency-Key"] = key
        body = {"channel": "technician", "direction": "inbound", "summary": summary}
        return client.post(f"/api/v1/cases/{case.number}/interactions", json=body, headers=headers)

    return post


def interaction_count():
    return db.session.scalar(select(func.count()).select_from(Interaction))


def test_a_retry_with_the_same_key_replays_the_first_response(post_note):
    first = post_note(key="k-1")
    retry = post_note(key="k-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json == first.json
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert interaction_count() == 2  # the case's first interaction, and this one once


def test_without_a_key_every_request_is_processed(post_note):
    post_note()
    post_note()

    assert interaction_count() == 3


def test_the_same_key_with_a_different_body_is_refused(post_note):
    post_note(key="k-2")

    response = post_note(key="k-2", summary="something else")

    assert response.status_code == 422
    assert "different request" in response.json["detail"]


def test_a_retry_while_the_first_is_still_running_is_a_conflict(app, post_note, agent):
    claim_key(f"user:{agent.user_id}", "k-3", fingerprint="whatever is running")

    response = post_note(key="k-3")

    assert response.status_code == 409
    assert response.headers["Retry-After"] == "1"


def test_a_claim_abandoned_by_a_dead_request_is_taken_over(app, post_note, agent):
    caller = f"user:{agent.user_id}"
    first = post_note(key="k-4")
    record = db.session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == "k-4"))
    record.state, record.locked_until = "running", utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert caller == record.caller

    retry = post_note(key="k-4")

    assert retry.status_code == 201
    assert retry.json["id"] != first.json["id"]


def test_keys_expire_after_seven_days(post_note):
    post_note(key="k-5")
    record = db.session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.key == "k-5"))
    assert record.expires_at - record.created_at == timedelta(days=7)
    record.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    response = post_note(key="k-5")

    assert "Idempotent-Replayed" not in response.headers
    assert interaction_count() == 3


def test_the_effect_is_undone_when_the_response_cannot_be_stored(post_note, monkeypatch):
    def broken_store(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(decorator, "store_response", broken_store)

    with pytest.raises(RuntimeError):
        post_note(key="k-6")

    assert interaction_count() == 1
    assert db.session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0


def test_a_failed_request_releases_its_key(client, agent_headers):
    body = {"channel": "technician", "direction": "inbound", "summary": "note"}
    headers = {**agent_headers, "Idempotency-Key": "k-7"}

    first = client.post("/api/v1/cases/FF-0000-0000/interactions", json=body, headers=headers)
    again = client.post("/api/v1/cases/FF-0000-0000/interactions", json=body, headers=headers)

    assert first.status_code == again.status_code == 404
    assert "Idempotent-Replayed" not in again.headers


def test_the_header_is_documented_in_the_openapi_spec(client):
    spec = client.get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/cases/{number}/interactions"]["post"]

    assert "Idempotency-Key" in [parameter["name"] for parameter in operation["parameters"]]


# Posts that create nothing a retry could duplicate: a sign-in, a fresh calendar link (the
# newest one wins), and completing an upload (completing twice is the same as once).
NOT_CREATING = {
    "/api/v1/auth/token",
    "/api/v1/me/calendar-token",
    "/api/v1/photos/{photo_id}/complete",
    "/api/v1/portal/{token}/photos/{photo_id}/complete",
    # Attaching a message to the case it is on already answers 200 and changes nothing.
    "/api/v1/inbound/unmatched/{message_id}/attach",
}
# Posts deduplicated by the sender's own message id (Message-ID, the provider's MessageSid), or
# sent by a browser's form, which cannot add a header (confirming twice is confirming once).
KEYED_OTHERWISE = {
    "/api/v1/inbound/email",
    "/api/v1/inbound/sms",
    "/c/{token}/confirm",
    "/c/{token}/notes",
}


def test_every_creating_post_takes_an_idempotency_key(client):
    spec = client.get("/api/v1/openapi.json").json

    without = [
        path
        for path, operations in spec["paths"].items()
        if "post" in operations
        and path not in NOT_CREATING | KEYED_OTHERWISE
        and "Idempotency-Key" not in [p["name"] for p in operations["post"].get("parameters", [])]
    ]

    assert without == []


@pytest.mark.parametrize("path", ["/api/v1/customers", "/api/v1/cases"])
def test_a_retried_create_makes_one_row(client, dispatcher_headers, create_customer, path):
    customer = create_customer()
    body = (
        {"name": "Retried Customer", "phones": ["+1 303 555 0199"]}
        if path.endswith("customers")
        else {
            "customer_id": customer.id,
            "site_id": customer.sites[0].id,
            "title": "Retried case",
            "channel": "phone",
        }
    )
    headers = {**dispatcher_headers, "Idempotency-Key": "create-1"}

    first = client.post(path, json=body, headers=headers)
    again = client.post(path, json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"


def test_eight_clients_racing_with_one_key_make_one_row_and_no_server_error(
    app, dispatcher_headers
):
    barrier, statuses = threading.Barrier(8), []
    headers = {**dispatcher_headers, "Idempotency-Key": "race-1"}

    def post() -> None:
        client = app.test_client()
        barrier.wait()
        body = {"name": "Raced Customer", "phones": ["+1 303 555 0142"]}
        statuses.append(client.post("/api/v1/customers", json=body, headers=headers).status_code)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(statuses) == 8 and set(statuses) <= {201, 409}
    assert statuses.count(201) >= 1
    db.session.rollback()  # end this test's own read, which began before the race
    named = select(func.count()).select_from(Customer).where(Customer.name == "Raced Customer")
    assert db.session.scalar(named) == 1
