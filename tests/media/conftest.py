"""Fixtures for media: storages on a temp dir and on a real moto S3 server, and photo builders."""

import io
from collections.abc import Callable

import pytest
from PIL import ExifTags, Image

from media.local import LocalStorage
from media.s3 import S3Storage
from tests.conftest import S3_BUCKET as BUCKET
from tests.conftest import S3_REGION as REGION

SECRET = "test-secret"


@pytest.fixture
def local_storage(tmp_path) -> LocalStorage:
    return LocalStorage(
        tmp_path / "media",
        secret=SECRET,
        upload_base_url="http://testhost/api/v1/uploads",
        download_base_url="http://testhost/api/v1/downloads/",
    )


@pytest.fixture(scope="session")
def s3_bucket() -> str:
    return BUCKET


@pytest.fixture
def s3_storage(s3_endpoint, s3_bucket) -> S3Storage:
    return S3Storage(s3_bucket, endpoint_url=s3_endpoint, region=REGION)


@pytest.fixture
def make_image() -> Callable[..., bytes]:
    """Encode a test image; the left third is red and the rest blue, to check orientation."""

    def make(
        image_format: str = "JPEG",
        size: tuple[int, int] = (400, 300),
        mode: str = "RGB",
        **save_options: object,
    ) -> bytes:
        image = Image.new(mode, size, _colour(mode, "blue"))
        image.paste(_colour(mode, "red"), (0, 0, size[0] // 3, size[1]))
        buffer = io.BytesIO()
        image.save(buffer, image_format, **save_options)
        return buffer.getvalue()

    return make


def _colour(mode: str, name: str) -> tuple[int, ...] | int:
    return Image.new("RGB", (1, 1), name).convert(mode).getpixel((0, 0))


@pytest.fixture
def phone_exif() -> Image.Exif:
    """EXIF as a phone writes it: rotated sensor, GPS position and the capture time."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Apple"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (48.0, 51.0, 29.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 17.0, 40.2)
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:03:14 09:26:53"
    return exif
