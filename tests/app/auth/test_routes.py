"""Signing in and the bearer token every endpoint asks for."""

import time

import pytest

from app.auth.models import User
from app.auth.service import create_user, token_for
from app.extensions import db
from tests.conftest import deactivate_elsewhere, eventually

PROBLEM = "application/problem+json"


@pytest.fixture
def dispatcher_account(app):
    return create_user("Dana@Example.com", role="dispatcher", password="correct horse")


def test_right_credentials_give_a_bearer_token(client, dispatcher_account):
    response = client.post(
        "/api/v1/auth/token", json={"email": "dana@example.com", "password": "correct horse"}
    )

    assert response.status_code == 200
    assert response.json["token_type"] == "Bearer"
    assert response.json["expires_in"] > 0
    token = response.json["access_token"]
    authorised = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/customers", headers=authorised).status_code == 200


def test_password_is_stored_as_an_argon2_hash(dispatcher_account):
    assert dispatcher_account.password_hash.startswith("$argon2")
    assert "correct horse" not in dispatcher_account.password_hash


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "dana@example.com", "password": "wrong"},
        {"email": "nobody@example.com", "password": "correct horse"},
    ],
)
def test_wrong_credentials_are_refused_without_saying_which_part(
    client, dispatcher_account, credentials
):
    response = client.post("/api/v1/auth/token", json=credentials)

    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    assert response.json["detail"] == "E-mail or password is wrong."


def test_login_attempts_are_rate_limited(client, dispatcher_account):
    attempts = [
        client.post("/api/v1/auth/token", json={"email": "dana@example.com", "password": "no"})
        for _ in range(11)
    ]

    assert [r.status_code for r in attempts[:10]] == [401] * 10
    assert attempts[10].status_code == 429
    assert attempts[10].mimetype == PROBLEM


def test_guesses_at_one_account_from_many_addresses_are_limited_per_account(
    app, client, dispatcher_account, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_RATE_LIMIT", "5 per hour")
    spellings = ["dana@example.com", "DANA@example.com", "Dana@Example.COM"]

    def attempt(n, email, password="no"):
        return client.post(
            "/api/v1/auth/token",
            json={"email": email, "password": password},
            environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
        )

    statuses = [attempt(n, spellings[n % 3]).status_code for n in range(6)]
    right_password = attempt(99, "dana@example.com", "correct horse")
    another_account = attempt(98, "someone@example.com")

    assert statuses == [401] * 5 + [429]
    assert right_password.status_code == 429  # the limit holds even for the right password
    assert another_account.status_code == 401


def test_a_valid_token_does_not_lift_the_sign_in_limit(client, dispatcher_account, agent_headers):
    attempts = [
        client.post(
            "/api/v1/auth/token",
            json={"email": "dana@example.com", "password": "no"},
            headers=agent_headers,
        )
        for _ in range(11)
    ]

    assert attempts[10].status_code == 429


def test_endpoints_refuse_requests_without_a_token(client):
    response = client.get("/api/v1/cases")

    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    assert "Bearer" in response.json["detail"]


def test_a_tampered_token_is_refused(client, agent_headers):
    tampered = {"Authorization": agent_headers["Authorization"][:-3] + "abc"}

    response = client.get("/api/v1/cases", headers=tampered)

    assert response.status_code == 401


def test_an_expired_token_is_refused(app, client, dispatcher_account, monkeypatch):
    monkeypatch.setitem(app.config, "TOKEN_TTL_SECONDS", -10)
    token = token_for(dispatcher_account)["access_token"]

    response = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 401
    assert "expired" in response.json["detail"]


def test_a_token_accepted_before_stays_refused_once_it_expires(
    app, client, dispatcher_account, monkeypatch
):
    monkeypatch.setitem(app.config, "TOKEN_TTL_SECONDS", 60)
    headers = {"Authorization": f"Bearer {token_for(dispatcher_account)['access_token']}"}
    assert client.get("/api/v1/cases", headers=headers).status_code == 200
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)

    response = client.get("/api/v1/cases", headers=headers)

    assert response.status_code == 401
    assert "expired" in response.json["detail"]


def test_a_deactivated_account_is_refused_at_once_even_on_the_phones_day(
    client, make_user, headers_for
):
    technician = make_user("technician")
    headers = headers_for(technician)
    db.session.get(User, technician.user_id).active = False
    db.session.commit()

    for path in ("/api/v1/cases", "/api/v1/me/visits?date=2031-06-02"):
        response = client.get(path, headers=headers)
        assert response.status_code == 401, path
        assert "no longer active" in response.json["detail"]


def test_a_kept_account_is_refused_once_another_worker_deactivates_it(client, agent, agent_headers):
    """On PostgreSQL each worker keeps the account row until the notice of a write to it."""
    assert client.get("/api/v1/cases", headers=agent_headers).status_code == 200

    deactivate_elsewhere(agent.user_id)
    response = eventually(
        lambda: client.get("/api/v1/cases", headers=agent_headers),
        lambda answer: answer.status_code != 200,
    )

    assert response.status_code == 401 and "no longer active" in response.json["detail"]


def test_office_screens_do_not_exist_for_a_technician(client, make_user, headers_for):
    technician = headers_for(make_user("technician"))

    response = client.get("/api/v1/customers", headers=technician)

    assert response.status_code == 404


def test_health_probes_need_no_token(client):
    assert client.get("/livez").json == {"status": "ok"}
    assert client.get("/readyz").json == {"status": "ok"}


def test_users_create_command_makes_an_account_that_can_sign_in(app, client):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "ops@example.com", "--role", "agent", "--password", "s3cret-pw"]
    )

    assert result.exit_code == 0, result.output
    response = client.post(
        "/api/v1/auth/token", json={"email": "ops@example.com", "password": "s3cret-pw"}
    )
    assert response.status_code == 200
