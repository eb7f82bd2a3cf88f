"""Photos through the link: the photos slice's upload flow with the customer as uploader."""

from app.extensions import db
from app.photos.models import Photo
from tests.app.photos.phone import photo_bytes


def _send_photo(client, token: str, data: bytes, **fields) -> dict:
    body = {"filename": "leak.jpg", "content_type": "image/jpeg", "size_bytes": len(data)}
    started = client.post(f"/api/v1/portal/{token}/photos", json={**body, **fields})
    assert started.status_code == 201, started.json
    upload = started.json["upload"]
    sent = client.put(
        upload["url"],
        data=data,
        headers=upload["headers"],
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert sent.status_code == 204
    return started.json


def test_a_customer_photo_is_processed_and_shown_back(client, booked_case, link_for):
    token = link_for(booked_case["case"])
    started = _send_photo(client, token, photo_bytes(), caption="Water under the unit")

    completed = client.post(f"/api/v1/portal/{token}/photos/{started['id']}/complete")

    assert completed.status_code == 200
    assert completed.json["status"] == "ready"
    photo = db.session.get(Photo, started["id"])
    assert (photo.source, photo.uploaded_by_id) == ("customer", None)
    shown = client.get(f"/api/v1/portal/{token}").json
    assert [p["caption"] for p in shown["photos"]] == ["Water under the unit"]
    assert shown["photos"][0]["thumbnail_url"]
    assert "Photo sent: Water under the unit" in [e["summary"] for e in shown["timeline"]]


def test_a_photo_of_another_case_cannot_be_completed_through_this_link(
    client, booked_case, link_for, create_case
):
    started = _send_photo(client, link_for(booked_case["case"]), photo_bytes())

    response = client.post(
        f"/api/v1/portal/{link_for(create_case())}/photos/{started['id']}/complete"
    )

    assert response.status_code == 404


def test_a_photo_may_name_only_a_visit_of_this_case(client, booked_case, link_for, create_visit):
    other_visit = create_visit()
    data = photo_bytes()

    response = client.post(
        f"/api/v1/portal/{link_for(booked_case['case'])}/photos",
        json={
            "filename": "a.jpg",
            "content_type": "image/jpeg",
            "size_bytes": len(data),
            "visit_id": other_visit.id,
        },
    )

    assert response.status_code == 422
