"""Completing an upload: check the bytes arrived, keep safe renditions, drop the original.

The original still carries the phone's GPS position, so it is never served and is deleted as
soon as the photo is settled; only its sha256 is kept, to recognise the same photo sent again.
"""

import mimetypes
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from app.cases.models import Case
from app.db import utcnow
from app.errors import Conflict
from app.extensions import db
from app.photos.models import Photo, PhotoStatus
from app.photos.storage import photo_storage
from media import ProcessedPhoto, RejectedPhoto, Rendition, Storage, process_photo


class NotUploaded(Conflict):
    slug = "photo-not-uploaded"


def complete_upload(photo: Photo) -> Photo:
    """Settle a pending photo as ready or rejected; a settled one is returned as it is.

    Safe to repeat: every call also deletes the original again, so a retry finishes a
    clean-up that failed after the commit.
    """
    storage = photo_storage()
    if photo.status == PhotoStatus.PENDING:
        _settle(photo, _outcome(photo, storage), storage)
    storage.delete(photo.upload_key)
    return photo


def _outcome(photo: Photo, storage: Storage) -> ProcessedPhoto | RejectedPhoto:
    size = storage.size(photo.upload_key)
    if size is None:
        raise NotUploaded(
            f"Photo {photo.id} has no bytes yet; send them to the upload URL, then complete it."
        )
    if size != photo.declared_bytes:
        return RejectedPhoto(
            "size_mismatch", f"{size} bytes arrived where {photo.declared_bytes} were announced"
        )
    try:
        return process_photo(
            storage.read(photo.upload_key), max_pixels=current_app.config["MAX_PHOTO_PIXELS"]
        )
    except RejectedPhoto as rejection:
        return rejection


def _settle(photo: Photo, outcome: ProcessedPhoto | RejectedPhoto, storage: Storage) -> None:
    """One write; on SQLite under the request's write lock, so a concurrent twin settles once.

    Renditions are written just before the flush and removed again if it fails, so a
    failure leaves neither a half-finished record nor orphaned files. On PostgreSQL the
    unique (case, sha256) index stops a concurrent twin instead (409; a retry links it).
    """
    if photo.status != PhotoStatus.PENDING:
        return
    written: list[str] = []
    try:
        if isinstance(outcome, RejectedPhoto):
            photo.status, photo.reason = PhotoStatus.REJECTED, outcome.reason_code
            photo.reason_detail = outcome.detail
        else:
            make_ready(photo, outcome, storage, written)
        photo.completed_at = utcnow()
        db.session.flush()
    except Exception:
        for key in written:
            storage.delete(key)
        raise


def make_ready(
    photo: Photo, processed: ProcessedPhoto, storage: Storage, written: list[str]
) -> None:
    """Link to the same photo already on the case, or store renditions, noting each key."""
    same = db.session.scalar(
        select(Photo).where(
            Photo.case_id == photo.case_id,
            Photo.sha256 == processed.sha256,
            Photo.duplicate_of_id.is_(None),
        )
    )
    if same is None:
        photo.display_key = _store(storage, photo, "display", processed.display, written)
        photo.thumbnail_key = _store(storage, photo, "thumbnail", processed.thumbnail, written)
    else:
        photo.duplicate_of_id = same.id
        photo.display_key, photo.thumbnail_key = same.display_key, same.thumbnail_key
    photo.status, photo.sha256 = PhotoStatus.READY, processed.sha256
    photo.detected_type = processed.detected_type
    photo.width, photo.height = processed.display.width, processed.display.height
    photo.taken_at = _aware(processed.taken_at, photo.case_id)


def _store(
    storage: Storage, photo: Photo, name: str, rendition: Rendition, written: list[str]
) -> str:
    extension = mimetypes.guess_extension(rendition.content_type) or ""
    key = f"photos/{photo.case_id}/{photo.id}-{name}{extension}"
    storage.write(key, rendition.data, rendition.content_type)
    written.append(key)
    return key


def _aware(taken_at: datetime | None, case_id: int) -> datetime | None:
    """Cameras mostly record wall time without a zone; read it in the site's zone."""
    if taken_at is None or taken_at.tzinfo is not None:
        return taken_at
    case = db.session.get(Case, case_id)
    if case is None or case.site is None:
        return None
    return taken_at.replace(tzinfo=ZoneInfo(case.site.timezone))
