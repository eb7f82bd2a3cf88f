"""The app's own upload and download URLs, standing in for S3's when photos are kept on disk."""

import mimetypes
from typing import BinaryIO

from sqlalchemy import select

from app.errors import Conflict
from app.extensions import db
from app.photos.models import Photo, PhotoStatus
from app.photos.storage import local_storage
from media import LinkInvalid, UploadGrant


def open_upload(token: str) -> UploadGrant:
    """What a genuine, fresh upload token allows, as long as its photo still awaits bytes.

    A settled photo's original is deleted, so without this check a token still within its
    lifetime could store a second, never-processed copy (GPS included).
    """
    grant = local_storage().open_upload(token)
    status = db.session.scalar(select(Photo.status).where(Photo.upload_key == grant.key))
    # The body may take minutes over a mobile network; hold no connection while it arrives.
    db.session.close()
    if status is None:
        raise LinkInvalid("no photo awaits this upload")
    if status != PhotoStatus.PENDING:
        raise Conflict("This photo is already complete; create a new photo to send another.")
    return grant


def receive_upload(grant: UploadGrant, body: BinaryIO, *, declared_length: int | None) -> int:
    """Stream the body to disk in constant memory; the byte count stored is returned."""
    return local_storage().receive(
        grant.key, body, max_bytes=grant.max_bytes, declared_length=declared_length
    )


def open_file(token: str) -> tuple[BinaryIO, str]:
    """A rendition a download token grants, and its content type (files keep none)."""
    storage = local_storage()
    key = storage.open_download(token)
    content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    return storage.open(key), content_type
