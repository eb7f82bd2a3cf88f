"""Technicians: who they are, what they can do, when they work."""

BODY = {
    "name": "Ana Ortiz",
    "email": "Ana.Ortiz@FirstFix.example",
    "timezone": "America/Denver",
    "home": {"latitude": 39.74, "longitude": -104.99},
    "territory": "denver-central",
    "skills": [{"code": "hvac", "level": 3}],
    "certifications": [{"code": "gas", "valid_until": "2030-01-31"}],
    "equipment": ["ladder"],
    "shifts": [{"weekday": 0, "start": "08:00", "end": "16:30"}],
    "time_off": [{"start": "2031-06-03T00:00:00-06:00", "end": "2031-06-04T00:00:00-06:00"}],
}


def test_a_dispatcher_creates_a_technician_with_everything_they_bring(
    client, dispatcher_headers, catalog
):
    response = client.post("/api/v1/technicians", json=BODY, headers=dispatcher_headers)

    assert response.status_code == 201
    body = response.json
    assert body["email"] == "ana.ortiz@firstfix.example"
    assert body["skills"] == [{"code": "hvac", "level": 3}]
    assert body["equipment"] == ["ladder"]
    assert body["shifts"] == [{"weekday": 0, "start": "08:00", "end": "16:30"}]
    assert body["time_off"][0]["start"] == "2031-06-03T06:00:00+00:00"


def test_unknown_codes_are_refused_with_the_known_ones(client, dispatcher_headers, catalog):
    body = {**BODY, "equipment": ["jetpack"], "skills": [{"code": "welding", "level": 1}]}

    response = client.post("/api/v1/technicians", json=body, headers=dispatcher_headers)

    assert response.status_code == 422
    assert "jetpack" in response.json["errors"]["equipment"][0]
    assert "ladder, vacuum_pump" in response.json["errors"]["equipment"][0]
    assert "welding" in response.json["errors"]["skills"][0]


def test_a_shift_that_ends_before_it_starts_is_refused(client, dispatcher_headers, catalog):
    body = {**BODY, "shifts": [{"weekday": 0, "start": "17:00", "end": "08:00"}]}

    response = client.post("/api/v1/technicians", json=body, headers=dispatcher_headers)

    assert response.status_code == 422


def test_patch_replaces_the_lists_it_is_given(client, dispatcher_headers, create_technician):
    technician = create_technician()

    response = client.patch(
        f"/api/v1/technicians/{technician.id}",
        json={"skills": [{"code": "hvac", "level": 1}], "territory": "denver-north"},
        headers=dispatcher_headers,
    )

    assert response.status_code == 200
    assert response.json["skills"] == [{"code": "hvac", "level": 1}]
    assert response.json["territory"] == "denver-north"
    assert response.json["equipment"] == ["ladder", "vacuum_pump"]


def test_technicians_are_listed_by_territory(client, agent_headers, create_technician):
    create_technician(territory="denver-north")
    create_technician(territory="denver-south")

    response = client.get("/api/v1/technicians?territory=denver-north", headers=agent_headers)

    assert [row["territory"] for row in response.json] == ["denver-north"]


def test_an_e_mail_already_used_by_another_technician_is_refused(
    client, dispatcher_headers, create_technician
):
    create_technician(email="ana.ortiz@firstfix.example")

    response = client.post("/api/v1/technicians", json=BODY, headers=dispatcher_headers)

    assert response.status_code == 409
