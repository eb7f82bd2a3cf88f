"""What a phone sends: photos carrying their GPS position, and uploads to a presigned POST."""

import io
from typing import Any

import requests
from PIL import ExifTags, Image

GPS_LATITUDE = (48.0, 51.0, 29.5)


def photo_bytes(
    image_format: str = "JPEG", size: tuple[int, int] = (640, 480), colour: str = "blue"
) -> bytes:
    """A photo as a phone saves it: JPEGs carry the GPS position and the capture time."""
    image = Image.new("RGB", size, colour)
    buffer = io.BytesIO()
    if image_format != "JPEG":
        image.save(buffer, image_format)
        return buffer.getvalue()
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (2.0, 17.0, 40.2)
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:03:14 09:26:53"
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    return buffer.getvalue()


def has_gps(data: bytes) -> bool:
    return bool(Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo))


def post_to_s3(upload: dict[str, Any], data: bytes) -> requests.Response:
    """What a phone does with a presigned POST: the policy fields, then the file."""
    assert upload["method"] == "POST"
    return requests.post(
        upload["url"], data=upload["fields"], files={"file": ("photo", data)}, timeout=10
    )
