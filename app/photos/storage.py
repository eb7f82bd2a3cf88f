"""The app's storage adapter, built from its settings the first time a request needs one."""

from typing import Any

from flask import current_app

from app.errors import NotFound
from media import LocalStorage, Storage, build_storage

UPLOAD_PATH = "/api/v1/uploads"
DOWNLOAD_PATH = "/api/v1/files"
_CACHE = "firstfix_photo_storage"


def photo_storage() -> Storage:
    """One adapter per app, rebuilt when its settings change (tests switch local <-> S3).

    Cached because a boto3 client is slow to build; keyed by the settings it was built from.
    """
    kind, settings = _settings(current_app.config)
    fingerprint = (kind, tuple(sorted(settings.items())))
    cached = current_app.extensions.get(_CACHE)
    if cached is None or cached[0] != fingerprint:
        cached = (fingerprint, build_storage(kind, **settings))
        current_app.extensions[_CACHE] = cached
    return cached[1]


def local_storage() -> LocalStorage:
    """The adapter behind the app's own upload and download URLs; they do not exist with S3."""
    storage = photo_storage()
    if not isinstance(storage, LocalStorage):
        raise NotFound("Photos are stored in S3 here; use the URLs the photo endpoints give.")
    return storage


def _settings(config: Any) -> tuple[str, dict[str, Any]]:
    kind = config["STORAGE"]
    if kind == "s3":
        return kind, {
            "bucket": config["S3_BUCKET"],
            "endpoint_url": config["S3_ENDPOINT_URL"],
            "region": config["S3_REGION"],
        }
    public_url = config["PUBLIC_URL"].rstrip("/")
    return kind, {
        "root": config["MEDIA_ROOT"],
        "secret": config["SECRET_KEY"],
        "upload_base_url": public_url + UPLOAD_PATH,
        "download_base_url": public_url + DOWNLOAD_PATH,
    }
