import io
import time
from datetime import UTC, datetime, timedelta

import pytest

from media.local import CHUNK_SIZE, LocalStorage
from media.storage import (
    AlreadyUploaded,
    InvalidKey,
    LinkExpired,
    LinkInvalid,
    ObjectNotFound,
    UploadIncomplete,
    UploadTooLarge,
)

KEY = "cases/FF-ABCD-1234/photos/0b7e3f0a-5c1d-4e55-9a51-2f7d0c1e9b11/original"


class RecordingStream(io.BytesIO):
    """A request body that remembers how much was asked of it at once."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.read_sizes: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.read_sizes.append(-1 if size is None else size)
        return super().read(size)


class UnreadableStream(io.RawIOBase):
    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body should not have been read")


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def leftovers(storage_root) -> list[str]:
    return sorted(str(p.relative_to(storage_root)) for p in storage_root.rglob("*") if p.is_file())


def test_upload_target_is_a_signed_put_that_expires(local_storage):
    before = datetime.now(UTC)
    target = local_storage.upload_target(KEY, max_bytes=10_000, content_type="image/jpeg")

    assert target.method == "PUT"
    assert target.url.startswith("http://testhost/api/v1/uploads/")
    assert target.fields == {}
    assert target.headers == {"Content-Type": "image/jpeg"}
    assert before + timedelta(minutes=15) <= target.expires_at
    assert target.expires_at <= datetime.now(UTC) + timedelta(minutes=15)


def test_opening_an_upload_token_grants_its_key_and_size(local_storage):
    target = local_storage.upload_target(KEY, max_bytes=10_000, content_type="image/jpeg")

    grant = local_storage.open_upload(token_of(target.url))

    assert (grant.key, grant.max_bytes) == (KEY, 10_000)


def test_each_upload_token_is_distinct_for_the_same_key(local_storage):
    first = local_storage.upload_target(KEY, max_bytes=10, content_type="image/jpeg")
    second = local_storage.upload_target(KEY, max_bytes=10, content_type="image/jpeg")

    assert first.url != second.url


def test_receive_streams_in_bounded_chunks(local_storage):
    body = bytes(range(256)) * 1000  # 256 000 bytes: several chunks
    stream = RecordingStream(body)

    stored = local_storage.receive(KEY, stream, max_bytes=len(body), declared_length=len(body))

    assert stored == len(body)
    assert local_storage.read(KEY) == body
    assert local_storage.size(KEY) == len(body)
    assert max(stream.read_sizes) == CHUNK_SIZE
    assert -1 not in stream.read_sizes


def test_receive_without_a_declared_length_accepts_up_to_the_limit(local_storage):
    local_storage.receive(KEY, io.BytesIO(b"x" * 100), max_bytes=100)

    assert local_storage.size(KEY) == 100


@pytest.mark.parametrize("declared_length", [None, 100])
def test_receive_refuses_more_than_allowed_and_keeps_nothing(local_storage, declared_length):
    with pytest.raises(UploadTooLarge):
        local_storage.receive(
            KEY, io.BytesIO(b"x" * 101), max_bytes=100, declared_length=declared_length
        )

    assert local_storage.size(KEY) is None
    assert leftovers(local_storage._root) == []


def test_receive_refuses_an_oversized_announcement_before_reading(local_storage):
    with pytest.raises(UploadTooLarge):
        local_storage.receive(KEY, UnreadableStream(), max_bytes=100, declared_length=101)


def test_receive_refuses_a_body_shorter_than_announced_and_keeps_nothing(local_storage):
    with pytest.raises(UploadIncomplete):
        local_storage.receive(KEY, io.BytesIO(b"x" * 600), max_bytes=1000, declared_length=1000)

    assert local_storage.size(KEY) is None
    assert leftovers(local_storage._root) == []


def test_receive_refuses_an_empty_body(local_storage):
    with pytest.raises(UploadIncomplete):
        local_storage.receive(KEY, io.BytesIO(b""), max_bytes=1000)

    assert local_storage.size(KEY) is None


def test_a_key_takes_one_upload_only(local_storage):
    local_storage.receive(KEY, io.BytesIO(b"first"), max_bytes=100)

    with pytest.raises(AlreadyUploaded):
        local_storage.receive(KEY, io.BytesIO(b"second"), max_bytes=100)

    assert local_storage.read(KEY) == b"first"


def test_a_concurrent_upload_that_finishes_first_wins(local_storage):
    class RacingStream(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            if local_storage.size(KEY) is None:
                local_storage.write(KEY, b"winner", "image/jpeg")
            return super().read(size)

    with pytest.raises(AlreadyUploaded):
        local_storage.receive(KEY, RacingStream(b"loser"), max_bytes=100)

    assert local_storage.read(KEY) == b"winner"
    assert leftovers(local_storage._root) == [KEY]


def test_an_upload_token_expires_after_its_lifetime(local_storage, monkeypatch):
    target = local_storage.upload_target(KEY, max_bytes=10, content_type="image/jpeg")
    issued = time.time()

    monkeypatch.setattr(time, "time", lambda: issued + 15 * 60 + 2)

    with pytest.raises(LinkExpired):
        local_storage.open_upload(token_of(target.url))


def test_max_age_can_only_shorten_a_token_lifetime(local_storage, monkeypatch):
    target = local_storage.upload_target(KEY, max_bytes=10, content_type="image/jpeg")
    issued = time.time()
    monkeypatch.setattr(time, "time", lambda: issued + 120)

    assert local_storage.open_upload(token_of(target.url), max_age=3600).key == KEY
    with pytest.raises(LinkExpired):
        local_storage.open_upload(token_of(target.url), max_age=60)


def test_a_tampered_upload_token_is_invalid(local_storage):
    token = token_of(local_storage.upload_target(KEY, max_bytes=10, content_type="image/jpeg").url)
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")

    with pytest.raises(LinkInvalid):
        local_storage.open_upload(tampered)


def test_an_upload_token_signed_with_another_secret_is_invalid(local_storage, tmp_path):
    other = LocalStorage(
        tmp_path / "other",
        secret="another-secret",
        upload_base_url="http://testhost/u",
        download_base_url="http://testhost/d",
    )
    forged = other.upload_target(KEY, max_bytes=10**9, content_type="image/jpeg")

    with pytest.raises(LinkInvalid):
        local_storage.open_upload(token_of(forged.url))


def test_a_download_token_does_not_open_an_upload(local_storage):
    download_token = token_of(local_storage.download_url(KEY))

    with pytest.raises(LinkInvalid):
        local_storage.open_upload(download_token)


@pytest.mark.parametrize(
    "key",
    [
        "../outside",
        "cases/../../etc/passwd",
        "/etc/passwd",
        "cases/./photo",
        "cases//photo",
        "cases/photo/",
        "cases\\..\\photo",
        "cases/ph\x00oto",
        "",
    ],
)
def test_keys_that_could_leave_the_root_are_refused_everywhere(local_storage, key):
    calls = [
        lambda: local_storage.upload_target(key, max_bytes=10, content_type="image/jpeg"),
        lambda: local_storage.receive(key, io.BytesIO(b"x"), max_bytes=10),
        lambda: local_storage.write(key, b"x", "image/jpeg"),
        lambda: local_storage.read(key),
        lambda: local_storage.size(key),
        lambda: local_storage.download_url(key),
        lambda: local_storage.delete(key),
    ]
    for call in calls:
        with pytest.raises(InvalidKey):
            call()


def test_download_url_round_trips_to_the_key(local_storage):
    local_storage.write(KEY, b"display bytes", "image/jpeg")

    url = local_storage.download_url(KEY, expires_in=60)

    assert url.startswith("http://testhost/api/v1/downloads/")
    key = local_storage.open_download(token_of(url))
    assert key == KEY
    with local_storage.open(key) as stream:
        assert stream.read() == b"display bytes"


def test_a_download_url_expires(local_storage, monkeypatch):
    url = local_storage.download_url(KEY, expires_in=60)
    issued = time.time()
    monkeypatch.setattr(time, "time", lambda: issued + 62)

    with pytest.raises(LinkExpired):
        local_storage.open_download(token_of(url))


def test_write_replaces_a_derived_object(local_storage):
    local_storage.write(KEY, b"old", "image/jpeg")
    local_storage.write(KEY, b"new", "image/jpeg")

    assert local_storage.read(KEY) == b"new"
    assert leftovers(local_storage._root) == [KEY]


def test_missing_objects_have_no_size_and_cannot_be_read(local_storage):
    assert local_storage.size(KEY) is None
    with pytest.raises(ObjectNotFound):
        local_storage.read(KEY)


def test_delete_removes_and_tolerates_a_missing_object(local_storage):
    local_storage.write(KEY, b"x", "image/jpeg")

    local_storage.delete(KEY)
    local_storage.delete(KEY)

    assert local_storage.size(KEY) is None
