"""Headers on every response: nosniff everywhere, a strict policy on HTML, no-store on answers
to a bearer token."""

import re

import pytest

ANONYMOUS_ANSWERS = [
    ("get", "/livez"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/cases"),  # 401
    ("get", "/nowhere"),  # 404
    ("delete", "/api/v1/auth/token"),  # 405
]


@pytest.mark.parametrize(("method", "path"), ANONYMOUS_ANSWERS)
def test_every_response_says_nosniff(client, method, path):
    response = getattr(client, method)(path)

    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_authenticated_api_answers_are_not_stored(client, dispatcher_headers):
    listed = client.get("/api/v1/customers", headers=dispatcher_headers)
    missing = client.get("/api/v1/customers/999999", headers=dispatcher_headers)
    refused = client.post("/api/v1/customers", json={}, headers=dispatcher_headers)

    for response in (listed, missing, refused):
        assert response.headers["Cache-Control"] == "no-store", response.status_code
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_view_that_chose_its_caching_keeps_its_choice(client, make_user, headers_for):
    technician = headers_for(make_user("technician"))

    response = client.get("/api/v1/me/visits?date=2031-06-02", headers=technician)

    assert response.headers["Cache-Control"] in {"no-store", "private, no-cache"}


def test_the_docs_page_runs_only_its_nonced_script_and_is_never_framed(client):
    response = client.get("/api/v1/docs")

    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline_scripts == [f' nonce="{nonce}"']
    assert "script-src 'self' 'nonce-" in policy  # Swagger UI's own files, served by us
    assert "https://" not in policy.split("img-src")[0]  # no script or style from elsewhere


def test_json_answers_carry_no_page_policy(client, dispatcher_headers):
    response = client.get("/api/v1/customers", headers=dispatcher_headers)

    assert "Content-Security-Policy" not in response.headers
