"""Ready photos on the case timeline, captioned or else named by their file."""

from typing import Any

from sqlalchemy import Select, String, cast, func, literal, null, select

from app.auth.models import User
from app.cases.timeline import timeline_source
from app.photos.models import Photo, PhotoStatus


@timeline_source
def photos(case_id: int) -> Select[Any]:
    return (
        select(
            literal("photo").label("kind"),
            Photo.id.label("ref_id"),
            Photo.completed_at.label("at"),
            cast(null(), String).label("channel"),
            func.coalesce(User.email, Photo.sender).label("actor"),
            func.coalesce(Photo.caption, Photo.filename).label("summary"),
        )
        .outerjoin(User, User.id == Photo.uploaded_by_id)
        .where(Photo.case_id == case_id, Photo.status == PhotoStatus.READY)
    )
