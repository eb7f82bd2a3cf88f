"""The photo use cases as other slices (the customer portal) call them."""

import pytest

from app.extensions import db
from app.photos import completion, service
from app.photos.models import Photo, PhotoSource, PhotoStatus
from app.photos.storage import photo_storage
from media import LocalStorage
from tests.app.photos.phone import photo_bytes


def start_as_customer(case, data: bytes) -> Photo:
    photo, _upload = service.request_upload(
        case,
        uploader=service.Uploader(PhotoSource.CUSTOMER),
        filename="boiler.jpg",
        content_type="image/jpeg",
        size_bytes=len(data),
    )
    photo_storage().write(photo.upload_key, data, "image/jpeg")  # what the phone's PUT does
    return photo


def test_a_customer_without_an_account_can_add_a_photo(create_case):
    photo = start_as_customer(create_case(), photo_bytes())

    completion.complete_upload(photo)

    assert photo.status == PhotoStatus.READY
    assert (photo.source, photo.uploaded_by_id) == (PhotoSource.CUSTOMER, None)


def test_a_failure_while_storing_renditions_leaves_the_photo_pending_and_no_files(
    monkeypatch, create_case, files_of, media_root
):
    case = create_case()
    photo = start_as_customer(case, photo_bytes())
    writes = []

    def write_then_fail(self, key, data, content_type):
        writes.append(key)
        if len(writes) == 2:
            raise OSError("disk full")
        original_write(self, key, data, content_type)

    original_write = LocalStorage.write
    monkeypatch.setattr(LocalStorage, "write", write_then_fail)

    with pytest.raises(OSError, match="disk full"):
        completion.complete_upload(photo)

    assert db.session.get(Photo, photo.id).status == PhotoStatus.PENDING
    assert files_of(case) == [media_root / photo.upload_key]  # the original, for a retry
