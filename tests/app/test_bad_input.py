"""Input the parser or the database would choke on is a 4xx problem, never a 500."""

import pytest
from sqlalchemy.exc import DataError

from app.portal.tokens import issue_portal_link

PROBLEM = "application/problem+json"
BEYOND_64_BITS = 10**20


def assert_problem(response, *statuses):
    assert response.status_code in statuses, response.get_data(as_text=True)[:300]
    assert response.mimetype == PROBLEM


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/customers/{BEYOND_64_BITS}",
        f"/api/v1/customers/{2**63}",
        f"/api/v1/customers/{2**31}",  # INTEGER columns are 32 bits on PostgreSQL
        f"/api/v1/visits/{BEYOND_64_BITS}",
        f"/api/v1/technicians/{BEYOND_64_BITS}",
    ],
)
def test_an_id_beyond_64_bits_in_the_path_is_not_found(client, dispatcher_headers, path):
    assert_problem(client.get(path, headers=dispatcher_headers), 404)


def test_the_largest_storable_id_is_looked_up_as_usual(client, dispatcher_headers):
    assert_problem(client.get(f"/api/v1/customers/{2**31 - 1}", headers=dispatcher_headers), 404)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/api/v1/customers?page={BEYOND_64_BITS}", "page"),
        (f"/api/v1/customers?page={2**62}&page_size=10", "page"),
        (f"/api/v1/cases?customer_id={BEYOND_64_BITS}", "customer_id"),
        (f"/api/v1/cases?customer_id={2**31}", "customer_id"),
        (f"/api/v1/cases/FF-0000-0000/timeline?page={BEYOND_64_BITS}", "page"),
    ],
)
def test_an_integer_beyond_64_bits_in_the_query_is_refused(client, dispatcher_headers, path, field):
    response = client.get(path, headers=dispatcher_headers)

    assert_problem(response, 422)
    assert field in response.json["errors"]


def test_the_sync_cursor_beyond_64_bits_is_refused(client, make_user, headers_for):
    headers = headers_for(make_user("technician"))

    response = client.get(f"/api/v1/me/sync?since={BEYOND_64_BITS}", headers=headers)

    assert_problem(response, 422)


@pytest.mark.parametrize("site_id", [BEYOND_64_BITS, 2**40, -(2**31) - 1])
def test_an_integer_too_large_to_store_in_the_body_is_refused(
    client, dispatcher_headers, create_customer, site_id
):
    customer = create_customer()
    body = {"customer_id": customer.id, "site_id": site_id, "title": "x", "channel": "phone"}

    response = client.post("/api/v1/cases", json=body, headers=dispatcher_headers)

    assert_problem(response, 422)
    assert "body.site_id" in response.json["errors"]


@pytest.mark.parametrize(
    ("raw", "status", "where"),
    [
        (b'{"name": "' + b"\\ud800" + b'"}', 422, "body.name"),
        (b'{"name": "a\\u0000b"}', 422, "body.name"),
        (b'{"name\\u0000": "x"}', 422, "body key"),
        (b'{"name": "x", "sites": [{"latitude": NaN}]}', 422, None),
        (b'{"name": "x", "sites": [{"latitude": 1e400}]}', 422, "body.sites.0.latitude"),
        (b"[" * 50_000 + b"]" * 50_000, 400, None),
        (b'{"a":' * 40 + b"1" + b"}" * 40, 400, None),
        (b'{"name": "\xff"}', 400, None),
        (b'{"n": 1' + b"0" * 5000 + b"}", 422, None),
    ],
)
def test_unstorable_json_is_a_problem_not_a_crash(client, dispatcher_headers, raw, status, where):
    response = client.post(
        "/api/v1/customers",
        data=raw,
        headers={**dispatcher_headers, "Content-Type": "application/json"},
    )

    assert_problem(response, status)
    if where:
        assert where in response.json["errors"]


def test_nul_in_the_query_path_or_a_header_is_refused(client, dispatcher_headers):
    in_query = client.get("/api/v1/customers?q=a%00b", headers=dispatcher_headers)
    in_path = client.get("/api/v1/cases/FF%00", headers=dispatcher_headers)
    in_header = client.get(
        "/api/v1/customers", headers={**dispatcher_headers, "Idempotency-Key": "k\x00"}
    )

    for response in (in_query, in_path, in_header):
        assert_problem(response, 422)


def test_nul_in_a_portal_form_is_refused(client):
    assert_problem(client.post("/c/some-token/notes", data={"text": "a\x00b"}), 422)


def test_a_portal_form_number_beyond_storage_is_no_crash(app, client, create_case):
    token = issue_portal_link(create_case()).token
    form = {"visit_id": str(BEYOND_64_BITS), "terms_version": app.config["PORTAL_TERMS_VERSION"]}

    response = client.post(f"/c/{token}/confirm", data=form)

    assert response.status_code < 500


def test_a_value_the_database_refuses_is_a_422_not_a_500(app):
    """The safety net behind the guards, for values that reach the database some other way."""
    refused = DataError("SELECT 1", {}, Exception("integer out of range"))

    with app.test_request_context("/api/v1/customers"):
        response = app.handle_user_exception(refused)

    assert_problem(response, 422)
