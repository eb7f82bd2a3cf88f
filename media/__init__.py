"""Photo storage (local files or S3) and photo processing, free of Flask and the database."""

from media.factory import build_storage
from media.local import LocalStorage, UploadGrant
from media.photos import ProcessedPhoto, RejectedPhoto, Rendition, process_photo
from media.s3 import S3Storage
from media.storage import (
    AlreadyUploaded,
    InvalidKey,
    LinkExpired,
    LinkInvalid,
    ObjectNotFound,
    Storage,
    StorageError,
    UploadIncomplete,
    UploadRejected,
    UploadTarget,
    UploadTooLarge,
)

__all__ = [
    "AlreadyUploaded",
    "InvalidKey",
    "LinkExpired",
    "LinkInvalid",
    "LocalStorage",
    "ObjectNotFound",
    "ProcessedPhoto",
    "RejectedPhoto",
    "Rendition",
    "S3Storage",
    "Storage",
    "StorageError",
    "UploadGrant",
    "UploadIncomplete",
    "UploadRejected",
    "UploadTarget",
    "UploadTooLarge",
    "build_storage",
    "process_photo",
]
