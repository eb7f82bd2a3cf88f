"""Who may add photos to a case, and see them."""

import pytest

from tests.app.photos.phone import photo_bytes


def test_a_technician_with_a_visit_on_the_case_may_upload_and_list(
    client, create_case, technician_headers, upload_photo
):
    case = create_case()
    headers = technician_headers(case)

    done = upload_photo(case.number, photo_bytes(), headers=headers)
    listed = client.get(f"/api/v1/cases/{case.number}/photos", headers=headers)

    assert done.json["status"] == "ready"
    assert done.json["source"] == "technician"
    assert [photo["id"] for photo in listed.json] == [done.json["id"]]


def test_a_technician_without_a_visit_on_the_case_finds_nothing(
    client, create_case, technician_headers, start_photo
):
    booked, other = create_case(), create_case()
    headers = technician_headers(booked)

    created = start_photo(other.number, photo_bytes(), headers=headers)
    listed = client.get(f"/api/v1/cases/{other.number}/photos", headers=headers)

    assert created.status_code == listed.status_code == 404
    assert created.json["detail"] == f"No case numbered '{other.number}'. " + (
        "Case numbers look like FF-4K7P-2QXM."
    )


def test_a_technician_cannot_complete_a_photo_of_another_case(
    create_case, technician_headers, start_photo, put_bytes, complete
):
    booked, other = create_case(), create_case()
    headers = technician_headers(booked)
    data = photo_bytes()
    started = start_photo(other.number, data)
    put_bytes(started.json["upload"], data)

    refused = complete(started.json["id"], headers)

    assert refused.status_code == 404
    assert complete(started.json["id"]).json["status"] == "ready"


@pytest.mark.parametrize("headers", ["agent_headers", "dispatcher_headers"])
def test_agents_and_dispatchers_may_upload_to_any_case(request, create_case, upload_photo, headers):
    done = upload_photo(
        create_case().number, photo_bytes(), headers=request.getfixturevalue(headers)
    )

    assert done.json["status"] == "ready"
    assert done.json["source"] == "agent"


def test_signing_in_is_required(client, create_case):
    number = create_case().number

    assert client.get(f"/api/v1/cases/{number}/photos").status_code == 401
    assert client.post("/api/v1/photos/1/complete").status_code == 401


def test_an_unknown_photo_is_not_found(complete):
    assert complete(999).status_code == 404
