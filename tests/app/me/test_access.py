"""A technician sees their own visits and those visits' cases; everything else is hidden."""

import pytest


@pytest.fixture
def world(technician_user, book, create_technician, create_case):
    mine = book(technician_user["technician"])
    theirs = book(create_technician())
    return {"mine": mine, "theirs": theirs, "other_case": create_case()}


def test_my_visit_and_its_case_timeline_and_notes_are_open_to_me(client, technician_user, world):
    headers, number = technician_user["headers"], world["mine"].case.number

    assert client.get(f"/api/v1/visits/{world['mine'].id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/cases/{number}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/cases/{number}/timeline", headers=headers).status_code == 200
    note = client.post(
        f"/api/v1/cases/{number}/interactions",
        json={"channel": "technician", "direction": "inbound", "summary": "Parts in van"},
        headers=headers,
    )
    assert note.status_code == 201


def test_my_notes_are_technician_notes_not_customer_calls(client, technician_user, world):
    response = client.post(
        f"/api/v1/cases/{world['mine'].case.number}/interactions",
        json={"channel": "phone", "direction": "inbound", "summary": "Customer called me"},
        headers=technician_user["headers"],
    )

    assert response.status_code == 422
    assert "technician" in response.json["errors"]["channel"][0]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/visits/{theirs}"),
        ("get", "/api/v1/visits/{theirs}/diagnosis"),
        ("post", "/api/v1/visits/{theirs}/events"),
        ("get", "/api/v1/cases/{their_case}"),
        ("get", "/api/v1/cases/{their_case}/timeline"),
        ("post", "/api/v1/cases/{other_case}/interactions"),
        ("get", "/api/v1/cases/{other_case}"),
    ],
)
def test_other_objects_do_not_exist_for_me(client, technician_user, world, method, path):
    url = path.format(
        theirs=world["theirs"].id,
        their_case=world["theirs"].case.number,
        other_case=world["other_case"].number,
    )
    body = (
        {"type": "on_site"}
        if path.endswith("events")
        else {"channel": "technician", "direction": "inbound", "summary": "x"}
    )

    response = getattr(client, method)(url, json=body, headers=technician_user["headers"])

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/customers",
        "/api/v1/customers/{customer}",
        "/api/v1/technicians",
        "/api/v1/cases",
        "/api/v1/cases/{mine_case}/visits",
        "/api/v1/visits/{mine}/candidates",
        "/api/v1/plans/1",
    ],
)
def test_office_screens_are_closed_to_me(client, technician_user, world, path):
    url = path.format(
        customer=world["other_case"].customer_id,
        mine_case=world["mine"].case.number,
        mine=world["mine"].id,
    )

    response = client.get(url, headers=technician_user["headers"])

    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_i_cannot_change_the_case_itself(client, technician_user, world):
    response = client.patch(
        f"/api/v1/cases/{world['mine'].case.number}",
        json={"title": "Renamed"},
        headers=technician_user["headers"],
    )

    assert response.status_code == 404
