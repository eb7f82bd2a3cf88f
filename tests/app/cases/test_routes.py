"""Cases: one per customer problem, with a number a customer can read over the phone."""

import re
from datetime import date

from app.customers.service import add_asset

PROBLEM = "application/problem+json"


def open_case_body(customer, **overrides):
    return {
        "customer_id": customer.id,
        "site_id": customer.sites[0].id,
        "title": "Fridge grinding noise",
        "channel": "chat",
        **overrides,
    }


def test_opening_a_case_gives_a_readable_number_and_records_the_first_interaction(
    client, agent_headers, create_customer
):
    customer = create_customer()

    response = client.post("/api/v1/cases", json=open_case_body(customer), headers=agent_headers)

    assert response.status_code == 201
    body = response.json
    assert re.fullmatch(r"FF-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", body["number"])
    assert body["status"] == "open"
    assert body["channels"] == ["chat"]
    assert body["counts"] == {"interaction": 1}
    assert body["customer"] == {"id": customer.id, "name": customer.name}


def test_a_case_shows_its_asset_with_warranty_state(
    client, agent_headers, create_customer, create_case
):
    customer = create_customer()
    asset = add_asset(
        customer.id,
        site_id=customer.sites[0].id,
        kind="refrigerator",
        warranty_until=date(2999, 1, 1),
    )
    case = create_case(customer, asset_id=asset.id)

    body = client.get(f"/api/v1/cases/{case.number}", headers=agent_headers).json

    assert body["asset"]["warranty_state"] == "in_warranty"
    assert body["site"]["address"] == customer.sites[0].address


def test_a_case_number_is_found_however_it_is_typed(client, agent_headers, create_case):
    case = create_case()
    typed = case.number.lower().replace("-", " ")

    response = client.get(f"/api/v1/cases/{typed}", headers=agent_headers)

    assert response.status_code == 200
    assert response.json["number"] == case.number


def test_a_case_number_that_does_not_exist_is_a_404_problem(client, agent_headers):
    response = client.get("/api/v1/cases/FF-0000-0000", headers=agent_headers)

    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert "FF-0000-0000" in response.json["detail"]


def test_opening_a_case_for_an_unknown_customer_says_how_to_create_one(client, agent_headers):
    response = client.post(
        "/api/v1/cases",
        json={"customer_id": 4242, "site_id": 1, "title": "x", "channel": "phone"},
        headers=agent_headers,
    )

    assert response.status_code == 404
    assert "POST /customers" in response.json["detail"]


def test_an_unknown_channel_is_refused(client, agent_headers, create_customer):
    response = client.post(
        "/api/v1/cases",
        json=open_case_body(create_customer(), channel="pigeon"),
        headers=agent_headers,
    )

    assert response.status_code == 422
    assert "channel" in response.json["errors"]


def test_a_site_of_another_customer_is_refused(client, agent_headers, create_customer):
    customer, stranger = create_customer(), create_customer()

    response = client.post(
        "/api/v1/cases",
        json=open_case_body(customer, site_id=stranger.sites[0].id),
        headers=agent_headers,
    )

    assert response.status_code == 422
    assert "site_id" in response.json["errors"]


def test_cases_are_listed_by_customer_and_status_with_pagination(
    client, agent_headers, create_customer, create_case
):
    customer = create_customer()
    first, second = create_case(customer), create_case(customer)
    create_case()
    client.patch(
        f"/api/v1/cases/{second.number}", json={"status": "resolved"}, headers=agent_headers
    )

    response = client.get(
        f"/api/v1/cases?customer_id={customer.id}&status=open", headers=agent_headers
    )

    assert [c["number"] for c in response.json] == [first.number]
    assert "X-Pagination" in response.headers


def test_cases_are_searched_by_title_or_customer_name(
    client, agent_headers, create_customer, create_case
):
    wanted = create_case(create_customer(name="Zelda Quint"))
    create_case(title="Dryer squeaks")

    response = client.get("/api/v1/cases?q=quint", headers=agent_headers)

    assert [c["number"] for c in response.json] == [wanted.number]


def test_status_moves_along_the_lifecycle_and_can_reopen(client, agent_headers, create_case):
    case = create_case()
    url = f"/api/v1/cases/{case.number}"

    moves = [
        client.patch(url, json={"status": status}, headers=agent_headers).status_code
        for status in ("scheduled", "in_progress", "resolved", "closed", "open")
    ]

    assert moves == [200] * 5


def test_an_illegal_status_move_is_a_conflict_listing_the_allowed_ones(
    client, agent_headers, create_case
):
    case = create_case()

    response = client.patch(
        f"/api/v1/cases/{case.number}", json={"status": "closed"}, headers=agent_headers
    )

    assert response.status_code == 409
    assert response.json["allowed"] == ["in_progress", "resolved", "scheduled"]
