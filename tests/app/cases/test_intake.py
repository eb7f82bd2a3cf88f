"""Intake without a case number, and lookup by whatever the customer gives."""


def take_in(client, headers, **keys):
    body = {
        "channel": "phone",
        "direction": "inbound",
        "summary": "Calling about my fridge",
        **keys,
    }
    return client.post("/api/v1/interactions", json=body, headers=headers)


def test_a_call_from_a_known_phone_lands_on_the_customers_open_case(
    client, agent_headers, create_customer, create_case
):
    customer = create_customer(phones=["+1 303 555 0110"])
    case = create_case(customer, channel="email")

    response = take_in(client, agent_headers, phone="(303) 555-0110")

    assert response.status_code == 201
    assert response.json["case_number"] == case.number
    channels = client.get(f"/api/v1/cases/{case.number}", headers=agent_headers).json["channels"]
    assert channels == ["email", "phone"]


def test_a_customer_without_an_open_case_gets_a_new_one(client, agent_headers, create_customer):
    create_customer(emails=["kim@example.com"])

    response = take_in(client, agent_headers, email="KIM@example.com", title="Dryer is loud")

    assert response.status_code == 201
    case = client.get(f"/api/v1/cases/{response.json['case_number']}", headers=agent_headers)
    assert case.json["title"] == "Dryer is loud"
    assert case.json["opened_channel"] == "phone"


def test_several_open_cases_are_a_conflict_listing_the_candidates(
    client, agent_headers, create_customer, create_case
):
    customer = create_customer(phones=["+1 303 555 0111"])
    cases = [create_case(customer), create_case(customer)]

    response = take_in(client, agent_headers, phone="303 555 0111")

    assert response.status_code == 409
    assert {c["number"] for c in response.json["candidates"]} == {c.number for c in cases}


def test_an_unknown_phone_is_a_404_that_says_how_to_create_the_customer(client, agent_headers):
    response = take_in(client, agent_headers, phone="+1 303 555 0999")

    assert response.status_code == 404
    assert "POST /api/v1/customers" in response.json["detail"]


def test_an_explicit_case_number_wins(client, agent_headers, create_case):
    case = create_case()

    response = take_in(client, agent_headers, case_number=case.number)

    assert response.json["case_number"] == case.number


def test_intake_needs_a_way_to_find_the_customer(client, agent_headers):
    response = take_in(client, agent_headers)

    assert response.status_code == 422
    assert "phone, email or case_number" in str(response.json["errors"])


def test_a_channel_retry_of_intake_is_recorded_once(
    client, agent_headers, create_customer, create_case
):
    customer = create_customer(phones=["+1 303 555 0112"])
    create_case(customer)

    first = take_in(client, agent_headers, phone="3035550112", external_ref="ivr-1")
    again = take_in(client, agent_headers, phone="3035550112", external_ref="ivr-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"]


def test_lookup_finds_the_customer_and_open_cases_by_any_phone_format(
    client, agent_headers, create_customer, create_case
):
    customer = create_customer(phones=["+1 303 555 0113"])
    case = create_case(customer)

    for typed in ("(303) 555-0113", "+13035550113", "303.555.0113"):
        response = client.get(
            "/api/v1/lookup", query_string={"phone": typed}, headers=agent_headers
        )
        assert response.json == [
            {
                "customer": {"id": customer.id, "name": customer.name},
                "open_cases": [
                    {
                        "number": case.number,
                        "title": case.title,
                        "status": "open",
                        "opened_at": case.opened_at.isoformat(),
                    }
                ],
            }
        ]


def test_lookup_by_email_or_case_number(client, agent_headers, create_customer, create_case):
    customer = create_customer(emails=["lee@example.com"])
    case = create_case(customer)

    by_email = client.get("/api/v1/lookup?email=Lee@Example.com", headers=agent_headers).json
    by_case = client.get(f"/api/v1/lookup?case={case.number}", headers=agent_headers).json

    assert by_email[0]["customer"]["id"] == by_case[0]["customer"]["id"] == customer.id


def test_lookup_without_keys_is_refused(client, agent_headers):
    assert client.get("/api/v1/lookup", headers=agent_headers).status_code == 422
