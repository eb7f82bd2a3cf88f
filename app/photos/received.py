"""Photos that arrive inside a message (e-mail attachment, MMS): bytes in hand, no upload step.

They go through the same sniff / re-encode / GPS-strip pipeline as uploads; the original is
never written anywhere, so nothing of it is left to sweep. The renditions are written before
the edge commits; if it does not, `init_app`'s listener deletes them again.
"""

import secrets

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.cases.models import Case
from app.db import utcnow
from app.extensions import db
from app.photos.completion import make_ready
from app.photos.models import Photo, PhotoStatus
from app.photos.service import Uploader
from app.photos.storage import photo_storage
from media import RejectedPhoto, process_photo

# Storage keys written in the session's open transaction, kept only if it commits.
WRITTEN = "firstfix.received_photo_files"


def add_received_photo(
    case: Case,
    *,
    uploader: Uploader,
    sender: str,
    filename: str,
    content_type: str,
    data: bytes,
) -> Photo:
    """Flush a settled photo: ready (renditions stored) or rejected with its reason."""
    photo = Photo(
        case_id=case.id,
        source=uploader.source,
        uploaded_by_id=uploader.user_id,
        sender=sender,
        filename=filename[:255],
        declared_type=content_type[:50],
        declared_bytes=max(len(data), 1),
        # No original is ever stored for these; the key only keeps the column's uniqueness.
        upload_key=f"received/{case.id}/{secrets.token_urlsafe(18)}",
    )
    db.session.add(photo)
    db.session.flush()
    limit = current_app.config["MAX_PHOTO_BYTES"]
    try:
        if len(data) > limit:
            raise RejectedPhoto("too_large", f"{len(data)} bytes, more than {limit}")
        processed = process_photo(data, max_pixels=current_app.config["MAX_PHOTO_PIXELS"])
    except RejectedPhoto as rejection:
        photo.status, photo.reason = PhotoStatus.REJECTED, rejection.reason_code
        photo.reason_detail = rejection.detail
    else:
        make_ready(photo, processed, photo_storage(), db.session.info.setdefault(WRITTEN, []))
    photo.completed_at = utcnow()
    db.session.flush()
    return photo


def _kept(session: Session) -> None:
    session.info.pop(WRITTEN, None)


def _delete_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    """After a rollback or a close without commit (a commit popped the list before this)."""
    if transaction.parent is not None:
        return
    keys = session.info.pop(WRITTEN, [])
    if keys:
        storage = photo_storage()
        for key in keys:
            storage.delete(key)


def init_app(app: Flask) -> None:
    """Installed by the inbound slice, the one that receives photos this way."""
    for name, listener in (("after_commit", _kept), ("after_transaction_end", _delete_uncommitted)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
