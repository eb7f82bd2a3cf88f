"""/cases/{number}/photos and /photos/{id}/complete: the upload flow a phone uses."""

from typing import Any

from flask.views import MethodView

from app.auth.access import current_principal, roles_required
from app.auth.models import Role
from app.cases.access import visible_case
from app.idempotency.decorator import idempotent
from app.photos import completion, service
from app.photos import timeline as _timeline  # noqa: F401 - registers the case timeline source
from app.photos.schemas import (
    PhotoCreateSchema,
    PhotoQueryArgsSchema,
    PhotoSchema,
    PhotoUploadSchema,
)
from app.web import Blueprint

blp = Blueprint("photos", __name__, url_prefix="/api/v1", description="Photos on cases")

UPLOADERS = (Role.AGENT, Role.DISPATCHER, Role.TECHNICIAN)


@blp.route("/cases/<number>/photos")
class CasePhotos(MethodView):
    decorators = (roles_required(*UPLOADERS),)

    @blp.arguments(PhotoQueryArgsSchema, location="query")
    @blp.response(200, PhotoSchema(many=True))
    @blp.paginate()
    def get(self, args: dict[str, Any], number: str, pagination_parameters: Any) -> list[Any]:
        """List a case's photos, with links that expire in minutes"""
        page = service.list_photos(
            visible_case(number, viewer=current_principal()),
            status=args["status"],
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = page.total
        return page.items

    @idempotent
    @blp.arguments(PhotoCreateSchema)
    @blp.response(201, PhotoUploadSchema)
    def post(self, fields: dict[str, Any], number: str) -> dict[str, Any]:
        """Start a photo upload: get the URL to send its bytes to"""
        principal = current_principal()
        photo, target = service.request_upload(
            visible_case(number, viewer=principal),
            uploader=service.uploader_for(principal),
            **fields,
        )
        return {"photo": photo, "upload": target}


@blp.route("/photos/<int:photo_id>/complete")
class PhotoCompletion(MethodView):
    decorators = (roles_required(*UPLOADERS),)

    @blp.response(200, PhotoSchema)
    def post(self, photo_id: int) -> dict[str, Any]:
        """Check and process the uploaded bytes; the photo becomes ready or rejected

        Safe to repeat: a settled photo is returned as it is, with fresh links. It is not
        an Idempotency-Key endpoint because a replayed response would carry expired links.
        """
        photo = service.get_photo(photo_id, viewer=current_principal())
        return service.describe(completion.complete_upload(photo))
