"""/uploads/{token} and /files/{token}: the signed URLs the app serves when photos are on disk.

The token is the authority, so both are public; each refusal from the storage becomes a
problem response here, where HTTP is known.
"""

from typing import Any

from flask import Response, request, send_file
from flask.views import MethodView
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

from app.auth.access import public
from app.errors import problem
from app.guards import accepts_raw_body
from app.photos import transfers
from app.web import Blueprint
from media import (
    AlreadyUploaded,
    LinkExpired,
    LinkInvalid,
    ObjectNotFound,
    StorageError,
    UploadIncomplete,
    UploadRejected,
    UploadTooLarge,
)

blp = Blueprint("uploads", __name__, url_prefix="/api/v1", description="Photo bytes (local)")

BINARY_BODY = {"content": {"application/octet-stream": {"schema": {"type": "string"}}}}
IMAGE = {"schema": {"type": "string", "format": "binary"}}
RENDITION = {
    "description": "The image, re-encoded: JPEG, or WebP where it has transparency",
    "content": {"image/jpeg": IMAGE, "image/webp": IMAGE},
}

_PROBLEMS: dict[type[StorageError], tuple[int, str, str]] = {
    UploadTooLarge: (413, "upload-too-large", "The body is larger than the size announced."),
    UploadIncomplete: (400, "upload-incomplete", "The body ended early; send it again."),
    AlreadyUploaded: (409, "already-uploaded", "This upload URL has already been used."),
    LinkExpired: (410, "link-expired", "The link has expired; ask for a new one."),
    LinkInvalid: (404, "link-invalid", "The link is not valid."),
    ObjectNotFound: (404, "not-found", "The file no longer exists."),
    UploadRejected: (400, "upload-rejected", "The body was refused."),
    StorageError: (500, "storage-error", "The photo store failed; try again later."),
}


@blp.errorhandler(StorageError)
def storage_problem(error: StorageError) -> Response:
    kind = next(cls for cls in type(error).__mro__ if cls in _PROBLEMS)
    status, slug, detail = _PROBLEMS[kind]
    if isinstance(error, UploadRejected):
        detail = f"{detail} ({error})"  # the byte counts help whoever debugs the phone app
    return problem(status, detail, slug=slug)


@blp.errorhandler(ClientDisconnected)
def body_cut_short(_error: ClientDisconnected) -> Response:
    """Werkzeug notices first when fewer bytes arrive than Content-Length announced."""
    return storage_problem(UploadIncomplete("the body ended before Content-Length"))


@blp.errorhandler(RequestEntityTooLarge)
def body_too_large(_error: RequestEntityTooLarge) -> Response:
    """Werkzeug refuses a Content-Length over the grant before the view reads a byte."""
    return storage_problem(UploadTooLarge("Content-Length exceeds the size announced"))


@blp.route("/uploads/<token>")
@public
@accepts_raw_body()
class Upload(MethodView):
    @blp.doc(security=[], requestBody=BINARY_BODY)
    @blp.response(204)
    def put(self, token: str) -> None:
        """Send a photo's bytes to the URL its creation returned"""
        grant = transfers.open_upload(token)
        # Not the 1 MB JSON limit: this body may be as large as announced. One byte more,
        # because Werkzeug answers 413 to the read that finds the end exactly at its limit;
        # the storage enforces the real bound.
        request.max_content_length = grant.max_bytes + 1
        transfers.receive_upload(grant, request.stream, declared_length=request.content_length)


@blp.route("/files/<token>")
@public
class File(MethodView):
    @blp.doc(security=[], responses={200: RENDITION})
    def get(self, token: str) -> Any:
        """Fetch a photo rendition through a signed, expiring link"""
        stream, content_type = transfers.open_file(token)
        response = send_file(stream, mimetype=content_type, conditional=False)
        # The link is for this person only; shared caches must not keep it.
        response.headers["Cache-Control"] = "private"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
