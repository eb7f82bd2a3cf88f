"""Turn an uploaded photo into renditions safe to show: sniffed, bounded, upright, metadata-free."""

import hashlib
import io
import struct
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import pillow_heif
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError

pillow_heif.register_heif_opener()

# Pillow's names, as read from the bytes; pillow-heif reports iPhone HEIC as "HEIF".
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "HEIF"})
DISPLAY_SIDE = 1600
THUMBNAIL_SIDE = 320
QUALITY = 85

# Opaque photos become JPEG; anything with real transparency becomes WebP, which keeps the
# alpha at a fraction of PNG's size and is shown by every browser we support.
_ENCODINGS = {"RGB": ("JPEG", "image/jpeg"), "RGBA": ("WEBP", "image/webp")}

# What Pillow's decoders raise on bytes that identified as an image but do not decode.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


class RejectedPhoto(Exception):
    """The bytes are not a photo we will keep; ``reason_code`` is stable for API clients.

    Codes: ``empty``, ``not_an_image``, ``unsupported_type``, ``too_many_pixels`` and
    ``truncated`` (identified, but the pixel data is cut short or damaged).
    """

    def __init__(self, reason_code: str, detail: str) -> None:
        super().__init__(f"{reason_code}: {detail}")
        self.reason_code = reason_code
        self.detail = detail


@dataclass(frozen=True)
class Rendition:
    data: bytes
    content_type: str
    width: int
    height: int


@dataclass(frozen=True)
class ProcessedPhoto:
    """The result of ``process_photo``; renditions carry no EXIF, XMP, comment or ICC bytes.

    ``taken_at`` is the camera's DateTimeOriginal: naive local wall time (the zone is
    unknown), aware only when the phone also wrote OffsetTimeOriginal; None if absent.
    ``sha256`` is of the original bytes, to spot the same photo uploaded twice.
    """

    sha256: str
    detected_type: str
    taken_at: datetime | None
    display: Rendition
    thumbnail: Rendition


def process_photo(data: bytes, *, max_pixels: int) -> ProcessedPhoto:
    """Sniff, bound and re-encode ``data``, or raise ``RejectedPhoto``.

    The declared type is deliberately not an input: only the bytes decide. Re-encoding from
    pixels is what drops GPS and any payload hidden around or inside the image.
    """
    image = _identify(data, max_pixels)
    try:
        taken_at = _taken_at(image.getexif())
        pixels = _clean_pixels(image)
    except _DECODE_ERRORS as exc:
        raise RejectedPhoto("truncated", str(exc)) from exc
    display = _fit(pixels, DISPLAY_SIDE)
    return ProcessedPhoto(
        sha256=hashlib.sha256(data).hexdigest(),
        detected_type=image.get_format_mimetype() or "",
        taken_at=taken_at,
        display=_encode(display),
        thumbnail=_encode(_fit(display, THUMBNAIL_SIDE)),
    )


def _identify(data: bytes, max_pixels: int) -> Image.Image:
    """Open from the header only, so type and size are checked before any pixel is decoded."""
    if not data:
        raise RejectedPhoto("empty", "no bytes received")
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise RejectedPhoto("too_many_pixels", str(exc)) from exc
    except UnidentifiedImageError as exc:
        raise RejectedPhoto("not_an_image", "no image format recognised") from exc
    except _DECODE_ERRORS as exc:  # a known signature, but the header ends or breaks early
        raise RejectedPhoto("truncated", str(exc)) from exc
    if image.format not in ALLOWED_FORMATS:
        raise RejectedPhoto("unsupported_type", f"{image.format} is not accepted")
    width, height = image.size
    if width * height > max_pixels:
        raise RejectedPhoto("too_many_pixels", f"{width}x{height} exceeds {max_pixels} pixels")
    try:
        image.verify()
        # verify() leaves the image unusable; reopen, trusting only the format just checked.
        return Image.open(io.BytesIO(data), formats=[image.format])
    except _DECODE_ERRORS as exc:
        raise RejectedPhoto("truncated", str(exc)) from exc


def _clean_pixels(image: Image.Image) -> Image.Image:
    """Decode upright, in sRGB, into a fresh image whose ``info`` is empty.

    ``exif_transpose`` keeps GPS in ``info["exif"]`` and JPEG ``save`` copies ``info["comment"]``,
    so nothing derived from ``image`` is ever saved directly.
    """
    upright = _to_srgb(_opaque_or_alpha(ImageOps.exif_transpose(image)))
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    return clean


def _opaque_or_alpha(image: Image.Image) -> Image.Image:
    """RGBA only when some pixel is actually see-through (phones often save opaque RGBA)."""
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        rgba = image.convert("RGBA")
        if rgba.getchannel("A").getextrema()[0] < 255:
            return rgba
    return image.convert("RGB")


def _to_srgb(image: Image.Image) -> Image.Image:
    """Bake an embedded colour profile into the pixels instead of copying it.

    An ICC profile is an arbitrary blob we would rather not pass on, but dropping it without
    converting would dull the Display P3 colours of iPhone photos.
    """
    profile = image.info.get("icc_profile")
    if not profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, _srgb(), outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError):
        return image  # an unreadable profile: show the pixels as sRGB rather than refuse


@cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _fit(image: Image.Image, side: int) -> Image.Image:
    fitted = image.copy()
    fitted.thumbnail((side, side), Image.Resampling.LANCZOS)
    return fitted


def _encode(image: Image.Image) -> Rendition:
    pillow_format, content_type = _ENCODINGS[image.mode]
    buffer = io.BytesIO()
    image.save(buffer, pillow_format, quality=QUALITY)
    return Rendition(buffer.getvalue(), content_type, image.width, image.height)


def _taken_at(exif: Image.Exif) -> datetime | None:
    details = exif.get_ifd(ExifTags.IFD.Exif)
    raw = details.get(ExifTags.Base.DateTimeOriginal)
    if not isinstance(raw, str):
        return None
    try:
        taken = datetime.strptime(raw.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None  # phones write "0000:00:00 00:00:00" or blanks when the clock is unset
    offset = details.get(ExifTags.Base.OffsetTimeOriginal)
    if not isinstance(offset, str):
        return taken
    try:
        return taken.replace(tzinfo=datetime.strptime(offset.strip("\x00 "), "%z").tzinfo)
    except ValueError:
        return taken
