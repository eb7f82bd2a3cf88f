"""Catalog: skill and equipment codes and visit-type templates."""


def test_dispatcher_adds_a_skill_and_everyone_staff_lists_it(
    client, dispatcher_headers, agent_headers
):
    created = client.post(
        "/api/v1/skills", json={"code": "hvac", "name": "HVAC"}, headers=dispatcher_headers
    )
    listed = client.get("/api/v1/skills", headers=agent_headers)

    assert created.status_code == 201
    assert listed.json == [{"code": "hvac", "name": "HVAC", "certified": False}]


def test_an_agent_cannot_add_equipment(client, agent_headers):
    response = client.post(
        "/api/v1/equipment", json={"code": "ladder", "name": "Ladder"}, headers=agent_headers
    )

    assert response.status_code == 403


def test_a_taken_code_is_refused(client, dispatcher_headers):
    body = {"code": "ladder", "name": "Ladder"}
    client.post("/api/v1/equipment", json=body, headers=dispatcher_headers)

    response = client.post("/api/v1/equipment", json=body, headers=dispatcher_headers)

    assert response.status_code == 409


def test_a_visit_type_keeps_its_duration_and_requirements(client, dispatcher_headers, catalog):
    response = client.post(
        "/api/v1/visit-types",
        json={
            "code": "ac_repair",
            "name": "AC repair",
            "kind": "repair",
            "default_duration_minutes": 90,
            "required_skills": [{"code": "hvac", "level": 2}],
            "required_equipment": ["vacuum_pump"],
        },
        headers=dispatcher_headers,
    )

    assert response.status_code == 201
    assert response.json["required_skills"] == [{"code": "hvac", "level": 2}]
    assert response.json["required_equipment"] == ["vacuum_pump"]


def test_a_visit_type_with_unknown_codes_is_refused_listing_the_known_ones(
    client, dispatcher_headers, catalog
):
    response = client.post(
        "/api/v1/visit-types",
        json={
            "code": "odd",
            "name": "Odd",
            "default_duration_minutes": 30,
            "required_skills": [{"code": "plumbing"}],
        },
        headers=dispatcher_headers,
    )

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    message = response.json["errors"]["required_skills"][0]
    assert "plumbing" in message and "gas, hvac" in message
