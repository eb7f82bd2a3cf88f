"""Every error is an RFC 9457 problem a person can act on."""

PROBLEM = "application/problem+json"


def test_an_unknown_path_is_a_404_problem(client):
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert response.json["status"] == 404
    assert response.json["type"].startswith("https://")


def test_a_wrong_method_is_a_405_problem_that_keeps_allow(client, agent_headers):
    response = client.delete("/api/v1/cases", headers=agent_headers)

    assert response.status_code == 405
    assert response.mimetype == PROBLEM
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_a_body_that_is_not_json_is_a_415_problem(client, agent_headers):
    response = client.post(
        "/api/v1/customers",
        data="name=Rosa",
        headers={**agent_headers, "Content-Type": "text/plain"},
    )

    assert response.status_code == 415
    assert "application/json" in response.json["detail"]


def test_an_oversize_body_is_a_413_problem(client, agent_headers):
    huge = {"name": "x" * (2 * 1024 * 1024)}

    response = client.post("/api/v1/customers", json=huge, headers=agent_headers)

    assert response.status_code == 413
    assert response.mimetype == PROBLEM


def test_invalid_fields_are_a_422_problem_with_errors_per_field(client, agent_headers):
    response = client.post("/api/v1/customers", json={"phones": "nope"}, headers=agent_headers)

    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert set(response.json["errors"]) == {"name", "phones"}


def test_malformed_json_is_a_problem(client, agent_headers):
    response = client.post(
        "/api/v1/customers",
        data="{not json",
        headers={**agent_headers, "Content-Type": "application/json"},
    )

    assert response.status_code in (400, 422)
    assert response.mimetype == PROBLEM
    assert response.json["errors"] == {"_schema": ["Invalid JSON body."]}  # field -> messages


def test_database_refusals_are_problems_not_500s(app):
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm.exc import StaleDataError

    from app.errors import handle_integrity_error, handle_stale_data

    with app.test_request_context("/api/v1/visits/1"):
        duplicate = handle_integrity_error(IntegrityError("INSERT", {}, Exception("unique")))
        raced = handle_stale_data(StaleDataError("version changed"))

    assert (duplicate.status_code, raced.status_code) == (409, 412)
    assert duplicate.mimetype == raced.mimetype == PROBLEM
    assert "reload" in raced.json["detail"]
