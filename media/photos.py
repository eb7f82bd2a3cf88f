"""Turn an uploaded photo into renditions safe to show: sniffed, bounded, upright, metadata-free.

Decoding is what costs memory: a 7000x7000 PNG is 196 MB of pixels however small its file.
So each photo is decoded once, at the smallest size the display rendition allows (JPEG's
decoder scales on the way with `draft()`; other formats are `reduce()`d right after decoding),
and one photo at a time per process, so that several uploads at once cost one decode.
"""

import hashlib
import io
import math
import os
import struct
import threading
from concurrent.futures import ThreadPoolExecutor
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
# Modes Pillow's reduce() takes as they are; others (palette, 16-bit) are converted band by band.
_REDUCIBLE = frozenset({"L", "LA", "RGB", "RGBA"})
_BAND_ROWS = 256


class _OnePhotoThread:
    """Runs photos one at a time per process, always on the same thread.

    Under a lock on the callers' threads in turn, each thread's malloc arena kept its own
    196 MB and the rest of the work overlapped the next decode: four 49 MP PNGs at once grew
    the process by 761 MB, then 292 MB. On one thread the next photo reuses what the last one
    freed. Started on first use and again in a forked child, which inherits no threads.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._pid = 0

    def run(self, data: bytes, max_pixels: int) -> "ProcessedPhoto":
        with self._lock:
            if self._executor is None or self._pid != os.getpid():
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="photo-processor")
                self._pid = os.getpid()
            executor = self._executor
        return executor.submit(_process, data, max_pixels).result()


_PHOTO_THREAD = _OnePhotoThread()


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
    pixels is what drops GPS and any payload hidden around or inside the image. Runs on the
    process's one photo thread, whichever thread calls.
    """
    return _PHOTO_THREAD.run(data, max_pixels)


def _process(data: bytes, max_pixels: int) -> ProcessedPhoto:
    image = _identify(data, max_pixels)
    detected_type = image.get_format_mimetype() or ""
    try:
        small = _decoded_small(image, DISPLAY_SIDE)
        taken_at = _taken_at(small.getexif())  # after decoding: a PNG's EXIF may follow its pixels
        pixels = _clean_pixels(small)
    except _DECODE_ERRORS as exc:
        raise RejectedPhoto("truncated", str(exc)) from exc
    display = _fit(pixels, DISPLAY_SIDE)
    return ProcessedPhoto(
        sha256=hashlib.sha256(data).hexdigest(),
        detected_type=detected_type,
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


def _decoded_small(image: Image.Image, side: int) -> Image.Image:
    """The pixels decoded once, then reduced to the least that still covers `side`.

    The full-size pixels are released before returning; `info` (EXIF orientation, ICC
    profile, transparency) is carried over for the steps that follow. reduce() and not a
    direct resize: Lanczos from full size keeps a full-height intermediate (241 MB, not 200).
    """
    width, height = image.size
    scale = min(1.0, side / max(width, height))
    # JPEG decodes at 1/2, 1/4 or 1/8 when that still covers the fitted size.
    image.draft(None, (math.ceil(width * scale), math.ceil(height * scale)))
    image.load()
    factor = max(1, max(image.size) // side)
    if factor == 1:
        return image
    reducible = image.mode in _REDUCIBLE
    small = image.reduce(factor) if reducible else _reduced_in_bands(image, factor)
    small.info = dict(image.info)
    image.close()
    return small


def _reduced_in_bands(image: Image.Image, factor: int) -> Image.Image:
    """reduce() for modes it does not take: convert a band of rows at a time, never the
    whole picture (a palette PNG would otherwise become four times its size first)."""
    target = "RGBA" if image.mode in {"PA", "RGBa"} or "transparency" in image.info else "RGB"
    width, height = image.size
    small = Image.new(target, (-(-width // factor), -(-height // factor)))
    rows = _BAND_ROWS * factor
    for top in range(0, height, rows):
        band = image.crop((0, top, width, min(height, top + rows))).convert(target)
        small.paste(band.reduce(factor), (0, top // factor))
    return small


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
