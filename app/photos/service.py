"""Use cases for photos: who may add one to a case, asking for an upload URL, listing them.

Callers resolve access first (``app.cases.access.visible_case``, ``get_photo`` for signed-in
users; the portal checks its own link) and then pass the case and an ``Uploader``, so the same
use cases serve staff, technicians and, through the portal, customers.
"""

import secrets
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import Role
from app.auth.principal import Principal
from app.cases.access import may_see_case
from app.cases.models import Case
from app.common.paging import Page, paginate
from app.errors import NotFound, RuleViolation
from app.extensions import db
from app.photos.models import Photo, PhotoSource, PhotoStatus
from app.photos.storage import photo_storage
from app.visits.models import Visit
from media import UploadTarget


@dataclass(frozen=True, slots=True)
class Uploader:
    """Who sends a photo; a customer on the portal has no user account, hence no ``user_id``."""

    source: PhotoSource
    user_id: int | None = None


def uploader_for(principal: Principal) -> Uploader:
    source = PhotoSource.TECHNICIAN if principal.role == Role.TECHNICIAN else PhotoSource.AGENT
    return Uploader(source, principal.user_id)


def get_photo(photo_id: int, *, viewer: Principal) -> Photo:
    photo = db.session.get(Photo, photo_id)
    if photo is None or not may_see_case(photo.case_id, viewer):
        raise NotFound(f"Photo {photo_id} does not exist.")
    return photo


def request_upload(
    case: Case,
    *,
    uploader: Uploader,
    filename: str,
    content_type: str,
    size_bytes: int,
    visit_id: int | None = None,
    caption: str | None = None,
) -> tuple[Photo, UploadTarget]:
    """A pending photo and a URL the phone sends its bytes to, bounded to ``size_bytes``.

    The URL is issued before the commit, so a storage that cannot sign leaves no record.
    """
    _check_size(size_bytes)
    _check_visit(case, visit_id)
    photo = Photo(
        case_id=case.id,
        visit_id=visit_id,
        source=uploader.source,
        uploaded_by_id=uploader.user_id,
        filename=filename,
        caption=caption,
        declared_type=content_type,
        declared_bytes=size_bytes,
        upload_key=f"originals/{case.id}/{secrets.token_urlsafe(18)}",
    )
    target = photo_storage().upload_target(
        photo.upload_key,
        max_bytes=size_bytes,
        content_type=content_type,
        expires_in=current_app.config["UPLOAD_URL_TTL_SECONDS"],
    )
    db.session.add(photo)
    db.session.flush()
    return photo, target


def list_photos(case: Case, *, status: str, page: int, page_size: int) -> Page:
    query = (
        select(Photo)
        .options(joinedload(Photo.uploaded_by))
        .where(Photo.case_id == case.id, Photo.status == status)
        .order_by(Photo.created_at, Photo.id)
    )
    found = paginate(query, page=page, page_size=page_size)
    return Page([describe(photo) for photo in found.items], found.total)


def describe(photo: Photo) -> dict[str, Any]:
    """The photo with fresh short-lived links to its renditions (none until it is ready)."""
    if photo.status != PhotoStatus.READY:
        return {"photo": photo, "url": None, "thumbnail_url": None}
    storage = photo_storage()
    expires_in = current_app.config["DOWNLOAD_URL_TTL_SECONDS"]
    return {
        "photo": photo,
        "url": storage.download_url(photo.display_key, expires_in=expires_in),
        "thumbnail_url": storage.download_url(photo.thumbnail_key, expires_in=expires_in),
    }


def _check_size(size_bytes: int) -> None:
    limit = current_app.config["MAX_PHOTO_BYTES"]
    if size_bytes > limit:
        raise RuleViolation(
            f"A photo may be at most {limit} bytes; this one is {size_bytes}.",
            errors={"size_bytes": [f"Must be at most {limit}."]},
        )


def _check_visit(case: Case, visit_id: int | None) -> None:
    if visit_id is None:
        return
    owner = db.session.scalar(select(Visit.case_id).where(Visit.id == visit_id))
    if owner != case.id:
        raise RuleViolation(
            f"Visit {visit_id} is not a visit of case {case.number}.",
            errors={"visit_id": [f"Not one of case {case.number}'s visits."]},
        )
