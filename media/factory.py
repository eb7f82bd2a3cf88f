"""Build the configured storage adapter, so the app needs its settings and not its classes."""

from typing import Any

from media.local import LocalStorage
from media.s3 import S3Storage
from media.storage import Storage


def build_storage(kind: str, **settings: Any) -> Storage:
    """``kind`` is ``"local"`` or ``"s3"``; ``settings`` are that adapter's keyword arguments."""
    if kind == "local":
        return LocalStorage(**settings)
    if kind == "s3":
        return S3Storage(**settings)
    raise ValueError(f"unknown storage kind {kind!r}; expected 'local' or 's3'")
