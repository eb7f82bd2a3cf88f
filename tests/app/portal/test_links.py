"""Links: who may issue them, and every way a link stops working (all of them a plain 404)."""

import time
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app.auth.models import Role
from app.db import utcnow
from app.portal import tokens


def test_an_agent_issues_a_link_that_opens_the_case(client, agent_headers, booked_case):
    number = booked_case["case"].number
    response = client.post(
        f"/api/v1/cases/{number}/portal-links", json={"expires_in_days": 7}, headers=agent_headers
    )

    assert response.status_code == 201
    link = response.json
    assert link["url"] == f"http://localhost/c/{link['token']}"
    assert link["expires_at"].startswith(str((utcnow() + timedelta(days=7)).date()))
    assert client.get(f"/api/v1/portal/{link['token']}").json["number"] == number
    timeline = client.get(f"/api/v1/cases/{number}/timeline", headers=agent_headers).json
    assert any(entry["summary"].startswith("Portal link issued") for entry in timeline)


def test_a_dispatcher_may_issue_a_link_and_a_technician_may_not(
    client, dispatcher_headers, make_user, headers_for, create_case
):
    number = create_case().number
    technician = headers_for(make_user(Role.TECHNICIAN))

    issued = client.post(
        f"/api/v1/cases/{number}/portal-links", json={}, headers=dispatcher_headers
    )
    refused = client.post(f"/api/v1/cases/{number}/portal-links", json={}, headers=technician)
    anonymous = client.post(f"/api/v1/cases/{number}/portal-links", json={})

    assert (issued.status_code, refused.status_code, anonymous.status_code) == (201, 404, 401)


def test_a_link_may_not_outlive_the_longest_lifetime(client, agent_headers, create_case):
    response = client.post(
        f"/api/v1/cases/{create_case().number}/portal-links",
        json={"expires_in_days": 365},
        headers=agent_headers,
    )

    assert response.status_code == 422
    assert "expires_in_days" in response.json["errors"]


def _assert_link_refused(response) -> None:
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith("/portal-link-invalid")
    assert response.headers["Cache-Control"] == "no-store"


def test_a_tampered_link_is_refused(client, create_case, link_for):
    token = link_for(create_case())

    _assert_link_refused(client.get(f"/api/v1/portal/{token[:-2]}xy"))
    _assert_link_refused(client.get("/api/v1/portal/not-a-token"))


def test_a_link_signed_with_another_key_is_refused(client, create_case):
    case = create_case()
    forged = URLSafeTimedSerializer("someone else's key", salt=tokens.SALT).dumps(
        {"case": case.id, "version": 0, "exp": 9999999999}
    )

    _assert_link_refused(client.get(f"/api/v1/portal/{forged}"))


def test_an_expired_link_is_refused(client, create_case, link_for, monkeypatch):
    case = create_case()
    monkeypatch.setattr(tokens, "utcnow", lambda: utcnow() - timedelta(days=2))
    token = link_for(case, expires_in_days=1)
    monkeypatch.undo()

    _assert_link_refused(client.get(f"/api/v1/portal/{token}"))


def test_no_link_outlives_the_ceiling_even_if_signed_for_longer(
    app, client, create_case, link_for, monkeypatch
):
    two_days_ago = int(time.time()) - 2 * 24 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: two_days_ago)
    token = link_for(create_case(), expires_in_days=30)
    monkeypatch.undo()
    monkeypatch.setitem(app.config, "PORTAL_LINK_MAX_DAYS", 1)

    _assert_link_refused(client.get(f"/api/v1/portal/{token}"))


def test_revoking_stops_every_earlier_link_and_a_new_one_works(
    client, agent_headers, create_case, link_for
):
    case = create_case()
    earlier = link_for(case)

    revoked = client.delete(f"/api/v1/cases/{case.number}/portal-links", headers=agent_headers)
    fresh = client.post(
        f"/api/v1/cases/{case.number}/portal-links", json={}, headers=agent_headers
    ).json["token"]

    assert revoked.status_code == 204
    _assert_link_refused(client.get(f"/api/v1/portal/{earlier}"))
    assert client.get(f"/api/v1/portal/{fresh}").status_code == 200


def test_a_link_opens_only_its_own_case(client, create_case, link_for):
    mine, other = create_case(title="Mine"), create_case(title="Someone else's")

    shown = client.get(f"/api/v1/portal/{link_for(mine)}").json

    assert shown["number"] == mine.number
    assert other.number not in str(shown)


@pytest.mark.parametrize("path", ["", "/slots"])
def test_one_link_is_rate_limited(app, client, create_case, link_for, monkeypatch, path):
    monkeypatch.setitem(app.config, "PORTAL_TOKEN_RATE_LIMIT", "3 per minute")
    token, other = link_for(create_case()), link_for(create_case())

    statuses = [client.get(f"/api/v1/portal/{token}").status_code for _ in range(3)]
    limited = client.get(f"/api/v1/portal/{token}{path}")

    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert limited.mimetype == "application/problem+json"
    assert client.get(f"/api/v1/portal/{other}").status_code == 200


def test_one_address_guessing_links_is_rate_limited(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_ADDRESS_RATE_LIMIT", "5 per minute")

    statuses = [client.get(f"/api/v1/portal/guess-{n}").status_code for n in range(6)]
    elsewhere = client.get(
        "/api/v1/portal/guess-7", environ_overrides={"REMOTE_ADDR": "203.0.113.9"}
    )

    assert statuses == [404] * 5 + [429]
    assert elsewhere.status_code == 404


def test_the_page_and_the_api_share_the_limit_of_a_link(
    app, client, create_case, link_for, monkeypatch
):
    monkeypatch.setitem(app.config, "PORTAL_TOKEN_RATE_LIMIT", "2 per minute")
    token = link_for(create_case())

    client.get(f"/c/{token}")
    client.get(f"/api/v1/portal/{token}")

    assert client.get(f"/c/{token}").status_code == 429
