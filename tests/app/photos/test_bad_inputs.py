"""Bad uploads each get a clear answer, and nothing of them is left stored."""

import io
import time
from types import SimpleNamespace

import pytest

import media.links
from tests.app.photos.phone import photo_bytes

PAYLOAD = b"<?php system($_GET['c']); ?>"


@pytest.fixture
def late(monkeypatch):
    """Move the signed links' clock an hour ahead, past every link's lifetime."""

    def jump() -> None:
        monkeypatch.setattr(media.links, "time", SimpleNamespace(time=lambda: time.time() + 3600))

    return jump


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"Hello, this is the boiler manual.\n" * 20, "not_an_image", id="text"),
        pytest.param(b"<html><body>" + PAYLOAD + b"</body></html>", "not_an_image", id="html-php"),
        pytest.param(photo_bytes("GIF") + PAYLOAD, "unsupported_type", id="gif-php-polyglot"),
        pytest.param(photo_bytes()[:2000], "truncated", id="cut-short-jpeg"),
    ],
)
def test_bytes_that_are_not_a_photo_are_rejected_with_a_reason_and_dropped(
    create_case, upload_photo, files_of, data, reason
):
    case = create_case()

    done = upload_photo(case.number, data)

    assert done.status_code == 200
    assert done.json["status"] == "rejected"
    assert done.json["reason"] == reason
    assert done.json["reason_detail"]
    assert done.json["url"] is None
    assert files_of(case) == []


def test_a_png_declared_as_jpeg_is_accepted_as_png(app, create_case, upload_photo):
    case = create_case()

    done = upload_photo(case.number, photo_bytes("PNG"), content_type="image/jpeg")

    assert done.json["status"] == "ready"
    assert done.json["detected_type"] == "image/png"


def test_a_payload_hidden_in_a_real_photo_is_not_kept(client, create_case, upload_photo, files_of):
    case = create_case()

    done = upload_photo(case.number, photo_bytes() + PAYLOAD)

    assert done.json["status"] == "ready"
    assert PAYLOAD not in client.get(done.json["url"]).data
    assert all(PAYLOAD not in path.read_bytes() for path in files_of(case))


def test_zero_bytes_are_refused_when_declared_and_when_sent(
    create_case, start_photo, put_bytes, files_of
):
    case = create_case()

    declared = start_photo(case.number, b"")
    started = start_photo(case.number, b"x", size_bytes=1)
    sent = put_bytes(started.json["upload"], b"")

    assert declared.status_code == 422
    assert "size_bytes" in declared.json["errors"]
    assert sent.status_code == 400
    assert sent.json["type"].endswith("/upload-incomplete")
    assert files_of(case) == []


def test_a_photo_over_the_limit_is_refused_when_declared(
    app, monkeypatch, create_case, start_photo
):
    monkeypatch.setitem(app.config, "MAX_PHOTO_BYTES", 1000)

    refused = start_photo(create_case().number, b"x" * 1001)

    assert refused.status_code == 422
    assert refused.json["errors"] == {"size_bytes": ["Must be at most 1000."]}


def test_more_bytes_than_declared_are_refused_at_upload(
    create_case, start_photo, put_bytes, files_of
):
    case = create_case()
    data = photo_bytes()
    started = start_photo(case.number, data, size_bytes=len(data) - 1)

    refused = put_bytes(started.json["upload"], data)

    assert refused.status_code == 413
    assert refused.json["type"].endswith("/upload-too-large")
    assert files_of(case) == []


@pytest.mark.parametrize("server", [{"wsgi.input_terminated": True}, {}], ids=["gunicorn", "dev"])
def test_a_truncated_upload_keeps_nothing_and_may_be_sent_again(
    client, create_case, start_photo, put_bytes, complete, files_of, server
):
    case = create_case()
    data = photo_bytes()
    started = start_photo(case.number, data)
    upload = started.json["upload"]

    # A dropped connection: fewer bytes arrive than the Content-Length announced.
    cut = client.put(
        upload["url"],
        input_stream=io.BytesIO(data[:1000]),
        headers=upload["headers"],
        environ_overrides={"CONTENT_LENGTH": str(len(data))} | server,
    )

    assert cut.status_code == 400
    assert cut.json["type"].endswith("/upload-incomplete")
    assert files_of(case) == []
    assert put_bytes(upload, data).status_code == 204
    assert complete(started.json["id"]).json["status"] == "ready"


def test_completing_before_the_upload_is_a_conflict_and_changes_nothing(
    create_case, start_photo, complete
):
    started = start_photo(create_case().number, photo_bytes())

    early = complete(started.json["id"])

    assert early.status_code == 409
    assert early.json["type"].endswith("/photo-not-uploaded")
    assert "upload URL" in early.json["detail"]


def test_completing_twice_gives_the_same_photo_with_fresh_links(
    create_case, start_photo, put_bytes, complete
):
    data = photo_bytes()
    started = start_photo(create_case().number, data)
    put_bytes(started.json["upload"], data)

    first, second = complete(started.json["id"]), complete(started.json["id"])

    assert second.status_code == 200
    unchanging = ("id", "status", "sha256", "width", "height", "completed_at")
    assert {key: second.json[key] for key in unchanging} == {
        key: first.json[key] for key in unchanging
    }


def test_an_upload_url_cannot_be_used_again(create_case, start_photo, put_bytes, complete):
    data = photo_bytes()
    started = start_photo(create_case().number, data)
    upload = started.json["upload"]
    put_bytes(upload, data)

    again = put_bytes(upload, data)
    complete(started.json["id"])
    after_completion = put_bytes(upload, data)

    assert again.status_code == 409
    assert again.json["type"].endswith("/already-uploaded")
    assert after_completion.status_code == 409


def test_an_expired_upload_url_is_refused(create_case, start_photo, put_bytes, late, files_of):
    case = create_case()
    data = photo_bytes()
    started = start_photo(case.number, data)

    late()
    refused = put_bytes(started.json["upload"], data)

    assert refused.status_code == 410
    assert refused.json["type"].endswith("/link-expired")
    assert files_of(case) == []


def test_expired_and_forged_download_links_are_refused(client, create_case, upload_photo, late):
    done = upload_photo(create_case().number, photo_bytes())

    forged = client.get(done.json["url"][:-3] + "abc")
    late()
    expired = client.get(done.json["url"])

    assert forged.status_code == 404
    assert expired.status_code == 410


def test_a_visit_of_another_case_is_refused(create_case, create_visit, start_photo):
    other_visit = create_visit(create_case())

    refused = start_photo(create_case().number, photo_bytes(), visit_id=other_visit.id)

    assert refused.status_code == 422
    assert "visit_id" in refused.json["errors"]


def test_a_declared_type_that_is_no_photo_is_refused(create_case, start_photo):
    refused = start_photo(create_case().number, b"<html>", content_type="text/html")

    assert refused.status_code == 422
    assert "content_type" in refused.json["errors"]
