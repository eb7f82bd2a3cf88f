"""Fixtures for photos: a phone's upload steps, technicians booked on a case, S3 storage."""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest

from app.auth.models import Role
from app.visits.assignment import assign_technician
from tests.conftest import S3_BUCKET as BUCKET
from tests.conftest import S3_REGION as REGION


@pytest.fixture(autouse=True)
def media_root(app, monkeypatch, tmp_path) -> Path:
    """A media folder per test: case ids restart, so a shared one would mix their files."""
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    return tmp_path / "media"


@pytest.fixture
def start_photo(client, agent_headers) -> Callable[..., Any]:
    """POST /cases/{number}/photos for ``data``; the declared fields can be overridden."""

    def start(number: str, data: bytes, *, headers: dict | None = None, **fields: Any) -> Any:
        body = {"filename": "fridge.jpg", "content_type": "image/jpeg", "size_bytes": len(data)}
        return client.post(
            f"/api/v1/cases/{number}/photos",
            json={**body, **fields},
            headers=headers or agent_headers,
        )

    return start


@pytest.fixture
def put_bytes(client) -> Callable[..., Any]:
    """Send bytes to a local upload target exactly as it says, through a server like gunicorn.

    gunicorn marks the input as terminated, which makes Werkzeug enforce the size limit
    on the stream itself; the test client does not unless told.
    """

    def put(upload: dict[str, Any], data: bytes) -> Any:
        assert upload["method"] == "PUT"
        return client.put(
            upload["url"],
            data=data,
            headers=upload["headers"],
            environ_overrides={"wsgi.input_terminated": True},
        )

    return put


@pytest.fixture
def upload_photo(start_photo, put_bytes, complete) -> Callable[..., Any]:
    """The whole local flow; returns the response of complete."""

    def upload(number: str, data: bytes, *, headers: dict | None = None, **fields: Any) -> Any:
        created = start_photo(number, data, headers=headers, **fields)
        assert created.status_code == 201, created.json
        assert put_bytes(created.json["upload"], data).status_code == 204
        return complete(created.json["id"], headers)

    return upload


@pytest.fixture
def technician_headers(
    make_user, headers_for, create_technician, create_visit, dispatcher
) -> Callable[..., dict[str, str]]:
    """Headers of a technician signed in, booked on a visit of each case given."""

    def make(*cases: Any) -> dict[str, str]:
        technician = create_technician()
        for case in cases:
            visit = create_visit(case)
            assign_technician(
                visit.id,
                technician_id=technician.id,
                start=visit.window_start + timedelta(hours=1),
                actor=dispatcher,
            )
        return headers_for(make_user(Role.TECHNICIAN, email=technician.email))

    return make


@pytest.fixture
def s3(app, monkeypatch, s3_endpoint) -> Any:
    """The app storing photos in moto's S3, emptied; returns the bucket to look inside."""
    monkeypatch.setitem(app.config, "STORAGE", "s3")
    monkeypatch.setitem(app.config, "S3_BUCKET", BUCKET)
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setitem(app.config, "S3_REGION", REGION)
    bucket = boto3.resource("s3", endpoint_url=s3_endpoint, region_name=REGION).Bucket(BUCKET)
    bucket.objects.all().delete()  # case ids restart with every test; so would their keys
    return bucket


@pytest.fixture
def files_of(media_root) -> Callable[[Any], list[Path]]:
    """Every file kept on disk for a case, originals and renditions alike."""
    root = media_root

    def files(case: Any) -> list[Path]:
        return sorted([*root.glob(f"originals/{case.id}/*"), *root.glob(f"photos/{case.id}/*")])

    return files


@pytest.fixture
def complete(client, agent_headers) -> Callable[..., Any]:
    def post(photo_id: int, headers: dict | None = None) -> Any:
        return client.post(f"/api/v1/photos/{photo_id}/complete", headers=headers or agent_headers)

    return post
