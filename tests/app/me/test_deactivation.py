"""`flask users deactivate`: the account's tokens and calendar links stop at once, everywhere."""

import time

import jwt
from itsdangerous import URLSafeSerializer

from app.extensions import db
from app.me.calendar import SALT
from tests.conftest import deactivate_elsewhere

MONDAY = "2031-06-02"


def cli(app, *args):
    result = app.test_cli_runner().invoke(args=["users", *args])
    return result


def calendar_link(client, headers):
    return client.post("/api/v1/me/calendar-token", headers=headers).json["token"]


def feed(client, token):
    return client.get("/api/v1/me/calendar.ics", query_string={"token": token})


def test_deactivating_stops_tokens_and_the_calendar_on_every_path_at_once(
    app, client, technician_user, book
):
    book(technician_user["technician"])
    headers, email = technician_user["headers"], technician_user["principal"].email
    link = calendar_link(client, headers)
    # Each path read once first, so workers keep the account row (PostgreSQL's watched rows).
    assert client.get(f"/api/v1/me/visits?date={MONDAY}", headers=headers).status_code == 200
    assert client.get("/api/v1/me/sync", headers=headers).status_code == 200
    assert feed(client, link).status_code == 200

    result = cli(app, "deactivate", email.upper())

    assert result.exit_code == 0, result.output
    assert "Deactivated" in result.output
    assert client.get(f"/api/v1/me/visits?date={MONDAY}", headers=headers).status_code == 401
    assert client.get("/api/v1/me/sync", headers=headers).status_code == 401
    assert client.post("/api/v1/me/calendar-token", headers=headers).status_code == 401
    assert feed(client, link).status_code == 404
    signing_in = {"email": email, "password": "correct horse"}
    assert client.post("/api/v1/auth/token", json=signing_in).status_code == 401


def test_a_dispatcher_deactivated_is_refused_on_the_next_request(
    app, client, dispatcher, headers_for
):
    headers = headers_for(dispatcher)
    assert client.get("/api/v1/customers", headers=headers).status_code == 200

    cli(app, "deactivate", dispatcher.email)

    assert client.get("/api/v1/customers", headers=headers).status_code == 401


def test_activating_again_lets_the_user_sign_in_but_old_calendar_links_stay_dead(
    app, client, technician_user, book
):
    book(technician_user["technician"])
    email = technician_user["principal"].email
    old_link = calendar_link(client, technician_user["headers"])
    cli(app, "deactivate", email)

    result = cli(app, "activate", email)
    signed_in = client.post(
        "/api/v1/auth/token", json={"email": email, "password": "correct horse"}
    )

    assert result.exit_code == 0 and "Activated" in result.output
    assert signed_in.status_code == 200
    headers = {"Authorization": f"Bearer {signed_in.json['access_token']}"}
    assert feed(client, old_link).status_code == 404
    assert feed(client, calendar_link(client, headers)).status_code == 200


def test_activating_again_does_not_revive_tokens_issued_before_the_deactivation(
    app, client, technician_user, dispatcher, headers_for
):
    old_technician, old_dispatcher = technician_user["headers"], headers_for(dispatcher)
    visits = f"/api/v1/me/visits?date={MONDAY}"
    assert client.get(visits, headers=old_technician).status_code == 200
    assert client.get("/api/v1/customers", headers=old_dispatcher).status_code == 200
    for email in (technician_user["principal"].email, dispatcher.email):
        cli(app, "deactivate", email)
        cli(app, "activate", email)

    fresh = client.post(
        "/api/v1/auth/token",
        json={"email": technician_user["principal"].email, "password": "correct horse"},
    ).json["access_token"]

    assert client.get(visits, headers=old_technician).status_code == 401
    assert client.get("/api/v1/customers", headers=old_dispatcher).status_code == 401
    assert client.get(visits, headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_a_token_from_before_versions_counts_as_version_zero(app, client, dispatcher):
    claims = {"sub": str(dispatcher.user_id), "exp": int(time.time()) + 60}
    token = jwt.encode(claims, app.config["SECRET_KEY"], algorithm="HS256")

    response = client.get("/api/v1/customers", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200


def test_a_technician_retires_their_calendar_links_on_demand(
    client, technician_user, make_user, create_technician, headers_for, book
):
    book(technician_user["technician"])
    other = create_technician()
    other_headers = headers_for(make_user("technician", email=other.email))
    mine, theirs = (
        calendar_link(client, technician_user["headers"]),
        calendar_link(client, other_headers),
    )

    retired = client.delete("/api/v1/me/calendar-token", headers=technician_user["headers"])

    assert retired.status_code == 204
    assert feed(client, mine).status_code == 404
    assert feed(client, calendar_link(client, technician_user["headers"])).status_code == 200
    assert feed(client, theirs).status_code == 200  # someone else's links are untouched


def test_an_admin_retires_calendar_links_from_the_command_line(app, client, technician_user):
    link = calendar_link(client, technician_user["headers"])

    result = cli(app, "retire-calendar-links", technician_user["principal"].email)

    assert result.exit_code == 0, result.output
    assert feed(client, link).status_code == 404


def test_a_deactivation_by_another_worker_stops_the_calendar_at_once(client, technician_user):
    link = calendar_link(client, technician_user["headers"])
    assert feed(client, link).status_code == 200

    deactivate_elsewhere(technician_user["principal"].user_id)
    db.session.remove()  # as the end of a served request does; tests share one app context

    assert feed(client, link).status_code == 404


def test_a_link_in_the_old_unversioned_form_finds_no_calendar(app, client, technician_user):
    """Links signed before versions existed named the technician only: none can be renewed."""
    old = URLSafeSerializer(app.config["SECRET_KEY"], salt=SALT).dumps(
        {"technician": technician_user["technician"].id}
    )
    forged_version = URLSafeSerializer(app.config["SECRET_KEY"], salt="other").dumps(
        {"user": technician_user["principal"].user_id, "version": 0}
    )

    assert feed(client, old).status_code == 404
    assert feed(client, forged_version).status_code == 404


def test_deactivating_an_unknown_user_says_so(app):
    result = cli(app, "deactivate", "nobody@example.com")

    assert result.exit_code != 0
