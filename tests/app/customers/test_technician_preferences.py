"""A customer's technician preferences."""


def test_a_preference_is_recorded_and_listed(
    client, agent_headers, create_customer, create_technician
):
    customer, technician = create_customer(), create_technician()
    body = {"technician_id": technician.id, "kind": "excluded", "reason": "Complaint"}

    created = client.post(
        f"/api/v1/customers/{customer.id}/technician-preferences", json=body, headers=agent_headers
    )
    again = client.post(
        f"/api/v1/customers/{customer.id}/technician-preferences", json=body, headers=agent_headers
    )
    listed = client.get(
        f"/api/v1/customers/{customer.id}/technician-preferences", headers=agent_headers
    )

    assert created.status_code == 201
    assert again.status_code == 409
    assert [row["kind"] for row in listed.json] == ["excluded"]


def test_a_preference_for_an_unknown_technician_is_refused(client, agent_headers, create_customer):
    customer = create_customer()

    response = client.post(
        f"/api/v1/customers/{customer.id}/technician-preferences",
        json={"technician_id": 999, "kind": "preferred", "reason": "Nice"},
        headers=agent_headers,
    )

    assert response.status_code == 404
