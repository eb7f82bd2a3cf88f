"""The upload flow against S3 (moto over real HTTP): the API never touches the bytes."""

import base64
import json
from datetime import UTC, datetime, timedelta

import requests

from tests.app.photos.phone import has_gps, photo_bytes, post_to_s3


def policy_of(upload: dict) -> dict:
    return json.loads(base64.b64decode(upload["fields"]["policy"]))


def keys_in(bucket, case) -> list[str]:
    prefixes = (f"originals/{case.id}/", f"photos/{case.id}/")
    return sorted(item.key for prefix in prefixes for item in bucket.objects.filter(Prefix=prefix))


def test_the_upload_is_a_presigned_post_pinning_key_size_and_expiry(s3, create_case, start_photo):
    case = create_case()
    data = photo_bytes()

    created = start_photo(case.number, data)

    upload = created.json["upload"]
    assert upload["method"] == "POST"
    conditions = policy_of(upload)["conditions"]
    key = upload["fields"]["key"]
    assert key.startswith(f"originals/{case.id}/")
    assert {"key": key} in conditions
    assert {"bucket": "firstfix-photos"} in conditions
    assert ["content-length-range", 1, len(data)] in conditions
    expiration = datetime.fromisoformat(policy_of(upload)["expiration"])
    expires_at = datetime.fromisoformat(upload["expires_at"])
    assert abs(expiration - expires_at) < timedelta(seconds=2)
    assert abs(expires_at - datetime.now(UTC) - timedelta(minutes=15)) < timedelta(seconds=5)


def test_a_phone_uploads_to_s3_and_only_clean_renditions_remain(
    s3, create_case, start_photo, complete
):
    case = create_case()
    data = photo_bytes(size=(2000, 1500))
    created = start_photo(case.number, data)

    sent = post_to_s3(created.json["upload"], data)
    done = complete(created.json["id"])

    assert sent.status_code == 204
    assert done.json["status"] == "ready"
    served = requests.get(done.json["url"], timeout=10)
    assert served.status_code == 200
    assert not has_gps(served.content)
    stored = keys_in(s3, case)
    assert [key.rsplit("-", 1)[-1] for key in stored] == ["display.jpg", "thumbnail.jpg"]
    assert not any(has_gps(s3.Object(key).get()["Body"].read()) for key in stored)


def test_a_rejected_upload_leaves_nothing_in_the_bucket(s3, create_case, start_photo, complete):
    case = create_case()
    data = b"<html><body><?php system($_GET['c']); ?></body></html>"
    created = start_photo(case.number, data)
    post_to_s3(created.json["upload"], data)

    done = complete(created.json["id"])

    assert (done.json["status"], done.json["reason"]) == ("rejected", "not_an_image")
    assert keys_in(s3, case) == []


def test_fewer_bytes_than_announced_are_rejected(s3, create_case, start_photo, complete):
    case = create_case()
    data = photo_bytes()
    created = start_photo(case.number, data, size_bytes=len(data) + 10)
    post_to_s3(created.json["upload"], data)

    done = complete(created.json["id"])

    assert (done.json["status"], done.json["reason"]) == ("rejected", "size_mismatch")
    assert keys_in(s3, case) == []


def test_completing_before_the_upload_reaches_s3_is_a_conflict(
    s3, create_case, start_photo, complete
):
    created = start_photo(create_case().number, photo_bytes())

    assert complete(created.json["id"]).status_code == 409


def test_the_apps_own_file_routes_do_not_exist_with_s3(s3, client):
    assert client.put("/api/v1/uploads/anything", data=b"x").status_code == 404
    assert client.get("/api/v1/files/anything").status_code == 404
