"""The storage contract every adapter honours, and the errors the app maps to HTTP."""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

DEFAULT_UPLOAD_EXPIRES_IN = 15 * 60
DEFAULT_DOWNLOAD_EXPIRES_IN = 5 * 60

# Keys are chosen by the server, so a strict alphabet costs nothing and makes a key that could
# climb out of the local root (or look different on S3 and on disk) impossible to express.
_KEY = re.compile(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*")


class StorageError(Exception):
    """Base of every error raised by a storage adapter."""


class InvalidKey(StorageError, ValueError):
    """The key is not a relative path of safe segments; always a programming error."""


class ObjectNotFound(StorageError):
    """No object is stored under the key."""


class LinkInvalid(StorageError):
    """A signed upload or download token was tampered with, malformed or for another purpose."""


class LinkExpired(StorageError):
    """A signed token was genuine but is older than its lifetime."""


class UploadRejected(StorageError):
    """The body sent to an upload target was refused; nothing was kept."""


class UploadTooLarge(UploadRejected):
    """More bytes arrived (or were announced) than the target allows."""


class UploadIncomplete(UploadRejected):
    """Fewer bytes arrived than were announced, or none at all."""


class AlreadyUploaded(UploadRejected):
    """The key already holds an object: each upload target is good for one upload."""


@dataclass(frozen=True)
class UploadTarget:
    """Everything a phone needs to send the bytes straight to storage, without our credentials.

    ``fields`` go in a multipart form before the file (S3 POST); ``headers`` go on the request.
    """

    method: str
    url: str
    fields: dict[str, str]
    headers: dict[str, str]
    expires_at: datetime


class Storage(Protocol):
    """Where photo bytes live; the app holds one of these and never the backend's SDK."""

    def upload_target(
        self,
        key: str,
        *,
        max_bytes: int,
        content_type: str,
        expires_in: int = DEFAULT_UPLOAD_EXPIRES_IN,
    ) -> UploadTarget: ...

    def size(self, key: str) -> int | None: ...

    def read(self, key: str) -> bytes: ...

    def write(self, key: str, data: bytes, content_type: str) -> None: ...

    def download_url(self, key: str, *, expires_in: int = DEFAULT_DOWNLOAD_EXPIRES_IN) -> str: ...

    def delete(self, key: str) -> None: ...


def check_key(key: str) -> str:
    """Return ``key`` unchanged, or raise ``InvalidKey`` if it is not ``segment/segment/...``."""
    if not _KEY.fullmatch(key) or any(part in {".", ".."} for part in key.split("/")):
        raise InvalidKey(f"unsafe storage key: {key!r}")
    return key
