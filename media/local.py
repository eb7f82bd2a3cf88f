"""Photo bytes on the local filesystem, for development and single-host installs."""

import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from media.links import SignedLinks
from media.storage import (
    DEFAULT_DOWNLOAD_EXPIRES_IN,
    DEFAULT_UPLOAD_EXPIRES_IN,
    AlreadyUploaded,
    ObjectNotFound,
    UploadIncomplete,
    UploadTarget,
    UploadTooLarge,
    check_key,
)

CHUNK_SIZE = 64 * 1024


@dataclass(frozen=True)
class UploadGrant:
    """What an opened upload token allows: one body of at most ``max_bytes`` into ``key``."""

    key: str
    max_bytes: int


class LocalStorage:
    """Files under ``root``; the app serves the signed upload and download URLs this issues.

    ``upload_base_url`` and ``download_base_url`` are the app's routes that take the token as
    their last path segment and call ``open_upload``/``receive`` and ``open_download``/``open``.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        secret: str | bytes,
        upload_base_url: str,
        download_base_url: str,
    ) -> None:
        self._root = Path(root)
        self._upload_base_url = upload_base_url.rstrip("/")
        self._download_base_url = download_base_url.rstrip("/")
        self._uploads = SignedLinks(secret, "upload")
        self._downloads = SignedLinks(secret, "download")

    def upload_target(
        self,
        key: str,
        *,
        max_bytes: int,
        content_type: str,
        expires_in: int = DEFAULT_UPLOAD_EXPIRES_IN,
    ) -> UploadTarget:
        """A PUT URL; the nonce makes every token distinct even when re-issued for one key."""
        token = self._uploads.issue(
            {"key": check_key(key), "max_bytes": max_bytes, "nonce": secrets.token_urlsafe(8)},
            expires_in,
        )
        return UploadTarget(
            method="PUT",
            url=f"{self._upload_base_url}/{token}",
            fields={},
            headers={"Content-Type": content_type},
            expires_at=datetime.now(UTC) + timedelta(seconds=expires_in),
        )

    def open_upload(self, token: str, *, max_age: int | None = None) -> UploadGrant:
        """Raise ``LinkInvalid`` or ``LinkExpired`` unless the token is ours and still fresh."""
        payload = self._uploads.open(token, max_age)
        return UploadGrant(key=payload["key"], max_bytes=payload["max_bytes"])

    def receive(
        self,
        key: str,
        stream: BinaryIO,
        *,
        max_bytes: int,
        declared_length: int | None = None,
    ) -> int:
        """Store an upload body in constant memory and return its length.

        Nothing is left behind on refusal. ``declared_length`` (the Content-Length) is the
        exact size expected: a longer body is ``UploadTooLarge``, a shorter one (a dropped
        mobile connection) ``UploadIncomplete``.
        """
        path = self._path(key)
        if path.exists():
            raise AlreadyUploaded(key)
        limit = max_bytes if declared_length is None else declared_length
        if limit > max_bytes:
            raise UploadTooLarge(f"{declared_length} bytes announced, {max_bytes} allowed")
        try:
            # link, not rename: it refuses to replace a concurrent upload that finished first.
            with _staged(path, publish=os.link) as out:
                received = _copy_bounded(stream, out, limit)
                if received == 0:
                    raise UploadIncomplete("empty body")
                if declared_length is not None and received < declared_length:
                    raise UploadIncomplete(f"{received} of {declared_length} bytes arrived")
        except FileExistsError as exc:
            raise AlreadyUploaded(key) from exc
        return received

    def size(self, key: str) -> int | None:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            return None

    def read(self, key: str) -> bytes:
        with self.open(key) as stream:
            return stream.read()

    def open(self, key: str) -> BinaryIO:
        """A binary stream, so the app can serve a download without holding it in memory."""
        try:
            return self._path(key).open("rb")
        except FileNotFoundError as exc:
            raise ObjectNotFound(key) from exc

    def write(self, key: str, data: bytes, content_type: str) -> None:
        """Atomically replace ``key``; files keep no content type, the app knows its renditions."""
        with _staged(self._path(key), publish=os.replace) as out:
            out.write(data)

    def download_url(self, key: str, *, expires_in: int = DEFAULT_DOWNLOAD_EXPIRES_IN) -> str:
        token = self._downloads.issue({"key": check_key(key)}, expires_in)
        return f"{self._download_base_url}/{token}"

    def open_download(self, token: str, *, max_age: int | None = None) -> str:
        """Return the key a download token grants; raise ``LinkInvalid`` or ``LinkExpired``."""
        return self._downloads.open(token, max_age)["key"]

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        return self._root / check_key(key)


@contextmanager
def _staged(path: Path, publish: Callable[[Path, Path], None]) -> Iterator[BinaryIO]:
    """Yield a temp file beside ``path``; on success fsync it and ``publish(temp, path)``.

    Beside means on the same filesystem, so publishing is atomic and readers never see a
    partial file; the temp file is removed whatever happens.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    staged = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        publish(staged, path)
    finally:
        staged.unlink(missing_ok=True)


def _copy_bounded(source: BinaryIO, target: BinaryIO, limit: int) -> int:
    received = 0
    while chunk := source.read(CHUNK_SIZE):
        received += len(chunk)
        if received > limit:
            raise UploadTooLarge(f"more than {limit} bytes")
        target.write(chunk)
    return received
