"""The upload flow a phone uses, with photos stored on the app's own disk."""

from app.photos.models import Photo
from app.photos.storage import photo_storage
from tests.app.photos.phone import has_gps, photo_bytes


def test_a_phone_uploads_a_photo_and_gets_it_back_without_its_location(
    client, agent_headers, create_case, start_photo, put_bytes
):
    case = create_case()
    original = photo_bytes(size=(2400, 1800))
    assert has_gps(original)

    created = start_photo(case.number, original, caption="Compressor label")
    assert created.status_code == 201
    assert created.json["status"] == "pending"
    upload = created.json["upload"]
    assert upload["url"].startswith("http://localhost/api/v1/uploads/")
    assert put_bytes(upload, original).status_code == 204
    done = client.post(f"/api/v1/photos/{created.json['id']}/complete", headers=agent_headers)

    assert done.status_code == 200
    photo = done.json
    assert photo["status"] == "ready"
    assert (photo["width"], photo["height"]) == (1600, 1200)
    assert photo["caption"] == "Compressor label"
    assert photo["source"] == "agent"
    served = client.get(photo["url"])
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"] == "private"
    assert not has_gps(served.data)
    assert client.get(photo["thumbnail_url"]).status_code == 200


def test_the_stored_renditions_carry_no_gps_and_the_original_is_gone(
    app, create_case, upload_photo
):
    case = create_case()
    done = upload_photo(case.number, photo_bytes())

    photo = app.extensions["firstfix_db"].session.get(Photo, done.json["id"])
    storage = photo_storage()
    assert not has_gps(storage.read(photo.display_key))
    assert not has_gps(storage.read(photo.thumbnail_key))
    assert storage.size(photo.upload_key) is None
    assert photo.sha256 == done.json["sha256"]
