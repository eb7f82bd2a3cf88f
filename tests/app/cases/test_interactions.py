"""Interactions from every channel land on the one case; channel retries land once."""

PROBLEM = "application/problem+json"


def post_interaction(client, headers, number, **overrides):
    body = {"channel": "email", "direction": "inbound", "summary": "Where is my part?", **overrides}
    return client.post(f"/api/v1/cases/{number}/interactions", json=body, headers=headers)


def test_an_interaction_is_recorded_on_the_case(client, agent_headers, create_case):
    case = create_case()

    response = post_interaction(
        client, agent_headers, case.number, occurred_at="2026-11-20T09:30:00-07:00"
    )

    assert response.status_code == 201
    assert response.json["case_number"] == case.number
    assert response.json["occurred_at"] == "2026-11-20T16:30:00+00:00"


def test_a_time_without_offset_is_refused(client, agent_headers, create_case):
    response = post_interaction(
        client, agent_headers, create_case().number, occurred_at="2026-11-20T09:30:00"
    )

    assert response.status_code == 422
    assert "offset" in response.json["errors"]["occurred_at"][0]


def test_the_same_external_ref_twice_is_recorded_once(client, agent_headers, create_case):
    case = create_case()

    first = post_interaction(client, agent_headers, case.number, external_ref="mail-77")
    second = post_interaction(client, agent_headers, case.number, external_ref="mail-77")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json["id"] == first.json["id"]
    timeline = client.get(f"/api/v1/cases/{case.number}/timeline", headers=agent_headers).json
    assert len(timeline) == 2


def test_an_external_ref_already_on_another_case_is_a_conflict(client, agent_headers, create_case):
    first, other = create_case(), create_case()
    post_interaction(client, agent_headers, first.number, external_ref="mail-78")

    response = post_interaction(client, agent_headers, other.number, external_ref="mail-78")

    assert response.status_code == 409
    assert response.json["case_number"] == first.number


def test_an_unknown_channel_or_outcome_is_refused(client, agent_headers, create_case):
    case = create_case()

    bad_channel = post_interaction(client, agent_headers, case.number, channel="fax")
    bad_outcome = post_interaction(client, agent_headers, case.number, outcome="maybe")

    assert bad_channel.status_code == bad_outcome.status_code == 422
    assert set(bad_channel.json["errors"]) == {"channel"}
    assert set(bad_outcome.json["errors"]) == {"outcome"}


def test_the_timeline_orders_every_channel_by_time_and_names_who(
    client, agent, agent_headers, create_case
):
    case = create_case(channel="email")
    post_interaction(
        client, agent_headers, case.number, channel="phone", occurred_at="2099-01-03T10:00:00+00:00"
    )
    post_interaction(
        client, agent_headers, case.number, channel="chat", occurred_at="2099-01-02T10:00:00+00:00"
    )

    response = client.get(f"/api/v1/cases/{case.number}/timeline", headers=agent_headers)

    assert [entry["channel"] for entry in response.json] == ["email", "chat", "phone"]
    assert {entry["kind"] for entry in response.json} == {"interaction"}
    assert response.json[0]["who"] == agent.email
    case_view = client.get(f"/api/v1/cases/{case.number}", headers=agent_headers).json
    assert case_view["channels"] == ["email", "chat", "phone"]


def test_the_timeline_is_paginated(client, agent_headers, create_case):
    case = create_case()
    for index in range(4):
        post_interaction(client, agent_headers, case.number, summary=f"note {index}")

    response = client.get(
        f"/api/v1/cases/{case.number}/timeline?page=2&page_size=2", headers=agent_headers
    )

    assert [entry["summary"] for entry in response.json] == ["note 1", "note 2"]
    assert '"total": 5' in response.headers["X-Pagination"]
