"""Abandoned uploads: a photo never completed still has its original, GPS and all, in storage."""

from datetime import timedelta

from sqlalchemy import select

from app.db import utcnow
from app.extensions import db
from app.photos.models import Photo, PhotoStatus
from app.photos.storage import photo_storage


def sweep_abandoned_uploads(*, older_than: timedelta) -> int:
    """Delete the originals of photos left pending that long, and mark them rejected.

    The original goes first: if the commit then fails, the photo is merely pending without
    bytes (completing it says so), never a record that hides a customer's location.
    """
    cutoff = utcnow() - older_than
    storage = photo_storage()
    abandoned = db.session.scalars(
        select(Photo).where(Photo.status == PhotoStatus.PENDING, Photo.created_at < cutoff)
    ).all()
    for photo in abandoned:
        storage.delete(photo.upload_key)
        photo.status, photo.reason = PhotoStatus.REJECTED, "abandoned"
        photo.reason_detail = f"Not completed within {older_than}; the upload was deleted."
        photo.completed_at = utcnow()
    db.session.flush()
    return len(abandoned)
