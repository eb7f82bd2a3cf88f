import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from media.storage import InvalidKey, ObjectNotFound

MAX_BYTES = 5_000_000


@pytest.fixture
def key() -> str:
    # moto's server lives for the whole session: a fresh key keeps tests independent.
    return f"cases/FF-ABCD-1234/photos/{uuid.uuid4()}/original"


def post_like_a_phone(target, body: bytes, content_type: str = "image/jpeg") -> requests.Response:
    return requests.post(
        target.url,
        data=target.fields,
        files={"file": ("IMG_0001.jpg", body, content_type)},
        timeout=10,
    )


def policy_of(target) -> dict:
    return json.loads(base64.b64decode(target.fields["policy"]))


def test_a_phone_uploads_with_the_presigned_post(s3_storage, key):
    target = s3_storage.upload_target(key, max_bytes=MAX_BYTES, content_type="image/jpeg")
    body = b"\xff\xd8\xff" + b"photo" * 1000

    response = post_like_a_phone(target, body)

    assert response.status_code == 204, response.text
    assert target.method == "POST"
    assert target.headers == {}
    assert s3_storage.size(key) == len(body)
    assert s3_storage.read(key) == body


def test_the_post_policy_pins_key_size_type_and_expiry(s3_storage, s3_bucket, key):
    before = datetime.now(UTC)
    target = s3_storage.upload_target(key, max_bytes=MAX_BYTES, content_type="image/jpeg")

    policy = policy_of(target)

    conditions = policy["conditions"]
    assert {"bucket": s3_bucket} in conditions
    assert {"key": key} in conditions
    assert {"Content-Type": "image/jpeg"} in conditions
    assert ["content-length-range", 1, MAX_BYTES] in conditions
    assert not [c for c in conditions if isinstance(c, list) and c[0] == "starts-with"]
    assert target.fields["key"] == key
    assert target.fields["Content-Type"] == "image/jpeg"
    assert target.fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    fifteen_minutes = before + timedelta(minutes=15)
    assert (
        fifteen_minutes - timedelta(seconds=2)
        <= expiration
        <= fifteen_minutes + timedelta(seconds=5)
    )
    assert abs(target.expires_at - expiration) < timedelta(seconds=2)


def test_missing_objects_have_no_size_and_cannot_be_read(s3_storage, key):
    assert s3_storage.size(key) is None
    with pytest.raises(ObjectNotFound):
        s3_storage.read(key)


def test_a_derived_object_is_written_and_fetched_by_download_url(s3_storage, key):
    display_key = key.replace("original", "display")
    s3_storage.write(display_key, b"display jpeg bytes", "image/jpeg")

    url = s3_storage.download_url(display_key, expires_in=120)
    response = requests.get(url, timeout=10)

    assert response.status_code == 200
    assert response.content == b"display jpeg bytes"
    assert response.headers["Content-Type"] == "image/jpeg"
    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["120"]


def test_delete_removes_and_tolerates_a_missing_object(s3_storage, key):
    s3_storage.write(key, b"x", "image/jpeg")

    s3_storage.delete(key)
    s3_storage.delete(key)

    assert s3_storage.size(key) is None


def test_unsafe_keys_are_refused_before_any_request(s3_storage):
    with pytest.raises(InvalidKey):
        s3_storage.upload_target("../other-case/original", max_bytes=10, content_type="image/jpeg")
