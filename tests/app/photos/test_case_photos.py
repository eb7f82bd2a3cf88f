"""Photos on a case: retries, duplicates, the list, the timeline."""

from tests.app.photos.phone import photo_bytes


def test_the_same_idempotency_key_retried_returns_the_same_photo(
    client, agent_headers, create_case
):
    case = create_case()
    body = {"filename": "a.jpg", "content_type": "image/jpeg", "size_bytes": 1234}
    headers = {**agent_headers, "Idempotency-Key": "phone-7f3a"}

    first = client.post(f"/api/v1/cases/{case.number}/photos", json=body, headers=headers)
    retry = client.post(f"/api/v1/cases/{case.number}/photos", json=body, headers=headers)
    other = client.post(f"/api/v1/cases/{case.number}/photos", json=body, headers=agent_headers)

    assert first.status_code == retry.status_code == 201
    assert retry.json == first.json
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert other.json["id"] != first.json["id"]


def test_the_same_photo_sent_twice_is_linked_not_stored_twice(create_case, upload_photo, files_of):
    case = create_case()
    data = photo_bytes()

    first = upload_photo(case.number, data, caption="Before")
    again = upload_photo(case.number, data, caption="Same, from the customer")

    assert again.json["status"] == "ready"
    assert again.json["duplicate_of"] == first.json["id"]
    assert again.json["sha256"] == first.json["sha256"]
    assert len(files_of(case)) == 2  # one display rendition and one thumbnail


def test_the_same_photo_on_another_case_is_stored_for_that_case(create_case, upload_photo):
    data = photo_bytes()
    upload_photo(create_case().number, data)

    elsewhere = upload_photo(create_case().number, data)

    assert elsewhere.json["duplicate_of"] is None


def test_photos_are_listed_ready_first_page_with_who_and_links(
    client, agent, agent_headers, create_case, create_visit, upload_photo, start_photo
):
    case = create_case()
    visit = create_visit(case)
    for colour in ("red", "green", "blue"):
        upload_photo(case.number, photo_bytes(colour=colour), visit_id=visit.id, caption=colour)
    start_photo(case.number, photo_bytes())  # still pending: not listed

    page = client.get(f"/api/v1/cases/{case.number}/photos?page_size=2", headers=agent_headers)
    pending = client.get(
        f"/api/v1/cases/{case.number}/photos?status=pending", headers=agent_headers
    )

    assert page.status_code == 200
    assert [photo["caption"] for photo in page.json] == ["red", "green"]
    assert 'rel="next"' in page.headers["Link"]
    listed = page.json[0]
    assert listed["uploaded_by"] == agent.email
    assert listed["source"] == "agent"
    assert listed["visit_id"] == visit.id
    assert listed["taken_at"] == "2026-03-14T15:26:53+00:00"  # 09:26:53 on site in Denver
    assert client.get(listed["thumbnail_url"]).status_code == 200
    assert [photo["status"] for photo in pending.json] == ["pending"]


def test_ready_photos_appear_on_the_case_timeline(
    client, agent, agent_headers, create_case, upload_photo
):
    case = create_case()
    done = upload_photo(case.number, photo_bytes(), caption="Leaking valve")
    upload_photo(case.number, b"not a photo")

    timeline = client.get(f"/api/v1/cases/{case.number}/timeline", headers=agent_headers).json

    photos = [entry for entry in timeline if entry["kind"] == "photo"]
    assert photos == [
        {
            "kind": "photo",
            "id": done.json["id"],
            "at": done.json["completed_at"],
            "channel": None,
            "who": agent.email,
            "summary": "Leaking valve",
        }
    ]
