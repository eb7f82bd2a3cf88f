"""Photos that arrive inside a message (e-mail attachment, MMS): bytes in hand, no upload step.

They go through the same sniff / re-encode / GPS-strip pipeline as uploads; the original is
never written anywhere, so nothing of it is left to sweep.
"""

import secrets

from flask import current_app

from app.cases.models import Case
from app.db import utcnow
from app.extensions import db
from app.photos.completion import make_ready
from app.photos.models import Photo, PhotoStatus
from app.photos.service import Uploader
from app.photos.storage import photo_storage
from media import RejectedPhoto, process_photo


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
        make_ready(photo, processed, photo_storage(), [])
    photo.completed_at = utcnow()
    db.session.flush()
    return photo
