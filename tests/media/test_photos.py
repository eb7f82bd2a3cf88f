import contextlib
import hashlib
import io
import struct
import zlib
from datetime import datetime, timedelta, timezone
from functools import cache

import pillow_heif
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageCms

from media.photos import DISPLAY_SIDE, THUMBNAIL_SIDE, ProcessedPhoto, RejectedPhoto, process_photo

MAX_PIXELS = 50_000_000
PAYLOAD = b"<?php system($_GET['c']); ?>"


def process(data: bytes) -> ProcessedPhoto:
    return process_photo(data, max_pixels=MAX_PIXELS)


def renditions(photo: ProcessedPhoto) -> list[bytes]:
    return [photo.display.data, photo.thumbnail.data]


def assert_no_metadata(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()
    assert {"exif", "xmp", "comment", "icc_profile"}.isdisjoint(image.info)
    assert b"Exif\x00\x00" not in data


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes whose header promises a huge image: a decompression bomb's shape."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + png_chunk(b"IEND", b"")
    )


def test_a_phone_jpeg_loses_its_exif_and_gps_but_keeps_its_capture_time(make_image, phone_exif):
    original = make_image("JPEG", size=(400, 300), exif=phone_exif)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    photo = process(original)

    for data in renditions(photo):
        assert_no_metadata(data)
    assert photo.taken_at == datetime(2026, 3, 14, 9, 26, 53)
    assert photo.detected_type == "image/jpeg"


def test_stored_renditions_carry_no_location(make_image, phone_exif, local_storage):
    photo = process(make_image("JPEG", exif=phone_exif))
    local_storage.write("cases/FF-1/photos/p/display", photo.display.data, "image/jpeg")

    stored = local_storage.read("cases/FF-1/photos/p/display")

    assert_no_metadata(stored)
    assert not Image.open(io.BytesIO(stored)).getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_exif_orientation_is_applied_to_the_pixels(make_image, phone_exif):
    photo = process(make_image("JPEG", size=(400, 300), exif=phone_exif))

    display = Image.open(io.BytesIO(photo.display.data)).convert("RGB")
    assert (photo.display.width, photo.display.height) == (300, 400)
    assert display.size == (300, 400)
    # Orientation 6 turns the stored image a quarter clockwise: the red left third is now on top.
    red, _, blue = display.getpixel((150, 20))
    assert red > 200 and blue < 60
    red, _, blue = display.getpixel((150, 380))
    assert blue > 200 and red < 60


def test_capture_time_is_aware_when_the_phone_wrote_its_offset(make_image, phone_exif):
    phone_exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.OffsetTimeOriginal] = "+02:00"

    photo = process(make_image("JPEG", exif=phone_exif))

    assert photo.taken_at == datetime(2026, 3, 14, 9, 26, 53, tzinfo=timezone(timedelta(hours=2)))


@pytest.mark.parametrize("written", [None, "0000:00:00 00:00:00", "    :  :     :  :  "])
def test_capture_time_is_none_when_absent_or_unset(make_image, written):
    exif = Image.Exif()
    if written is not None:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = written

    assert process(make_image("JPEG", exif=exif)).taken_at is None


def test_display_and_thumbnail_fit_their_longest_side(make_image):
    photo = process(make_image("JPEG", size=(4032, 3024)))

    assert (photo.display.width, photo.display.height) == (DISPLAY_SIDE, 1200)
    assert (photo.thumbnail.width, photo.thumbnail.height) == (THUMBNAIL_SIDE, 240)
    assert Image.open(io.BytesIO(photo.display.data)).size == (1600, 1200)
    assert Image.open(io.BytesIO(photo.thumbnail.data)).size == (320, 240)
    assert photo.display.content_type == photo.thumbnail.content_type == "image/jpeg"


def test_small_photos_are_not_enlarged(make_image):
    photo = process(make_image("JPEG", size=(200, 100)))

    assert (photo.display.width, photo.display.height) == (200, 100)


def test_sha256_is_of_the_original_bytes(make_image):
    original = make_image("JPEG")

    assert process(original).sha256 == hashlib.sha256(original).hexdigest()


def test_the_type_comes_from_the_bytes_not_the_name(make_image):
    # A PNG a phone calls "photo.jpg" / image/jpeg: the declared type is not even an input.
    photo = process(make_image("PNG"))

    assert photo.detected_type == "image/png"
    assert photo.display.content_type == "image/jpeg"


def test_webp_is_accepted(make_image):
    assert process(make_image("WEBP")).detected_type == "image/webp"


def test_transparent_images_stay_transparent_as_webp():
    transparent = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    buffer = io.BytesIO()
    transparent.save(buffer, "PNG")

    photo = process(buffer.getvalue())

    assert photo.display.content_type == photo.thumbnail.content_type == "image/webp"
    assert Image.open(io.BytesIO(photo.display.data)).mode == "RGBA"


def test_opaque_rgba_screenshots_become_jpeg(make_image):
    photo = process(make_image("PNG", mode="RGBA"))

    assert photo.display.content_type == "image/jpeg"


@pytest.mark.parametrize("mode", ["CMYK", "L", "P", "I;16", "LA"])
def test_unusual_pixel_modes_are_normalised(make_image, mode):
    image_format = "JPEG" if mode in {"CMYK", "L"} else "PNG"

    photo = process(make_image(image_format, mode=mode))

    assert Image.open(io.BytesIO(photo.display.data)).mode in {"RGB", "RGBA"}


def test_a_colour_profile_is_baked_in_not_copied(make_image):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

    for profile in (srgb, b"not an icc profile " + PAYLOAD):
        photo = process(make_image("JPEG", icc_profile=profile))
        for data in renditions(photo):
            assert_no_metadata(data)
            assert PAYLOAD not in data


def test_an_iphone_heic_is_accepted_and_stripped(phone_exif):
    image = Image.new("RGB", (400, 300), "red")
    buffer = io.BytesIO()
    pillow_heif.from_pillow(image).save(buffer, quality=80, exif=phone_exif.tobytes())

    photo = process(buffer.getvalue())

    assert photo.detected_type == "image/heic"
    assert photo.taken_at == datetime(2026, 3, 14, 9, 26, 53)
    assert (photo.display.width, photo.display.height) == (300, 400)
    for data in renditions(photo):
        assert_no_metadata(data)


@pytest.mark.parametrize(
    "place_payload",
    [
        pytest.param(lambda make: make("JPEG") + PAYLOAD, id="appended-to-jpeg"),
        pytest.param(lambda make: make("JPEG", comment=PAYLOAD), id="jpeg-comment"),
        pytest.param(lambda make: make("PNG") + PAYLOAD, id="appended-to-png"),
    ],
)
def test_a_payload_hidden_in_a_real_image_never_survives(make_image, place_payload):
    photo = process(place_payload(make_image))

    for data in renditions(photo):
        assert PAYLOAD not in data
        assert b"<?php" not in data


@pytest.mark.parametrize(
    ("data", "reason_code"),
    [
        pytest.param(b"", "empty", id="zero-bytes"),
        pytest.param(b"Hello, this is the boiler manual.\n" * 20, "not_an_image", id="text"),
        pytest.param(
            b"<html><body>" + PAYLOAD + b"</body></html>", "not_an_image", id="html-php-polyglot"
        ),
        pytest.param(png_header_claiming(50_000, 50_000), "too_many_pixels", id="png-bomb"),
    ],
)
def test_non_photos_are_rejected_with_a_reason(data, reason_code):
    with pytest.raises(RejectedPhoto) as rejected:
        process(data)

    assert rejected.value.reason_code == reason_code


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "TIFF"])
def test_images_of_other_types_are_unsupported_even_with_a_payload(make_image, image_format):
    with pytest.raises(RejectedPhoto) as rejected:
        process(make_image(image_format) + PAYLOAD)

    assert rejected.value.reason_code == "unsupported_type"


def test_pixels_beyond_the_callers_bound_are_rejected_before_decoding(make_image):
    header_only = make_image("JPEG", size=(1200, 1000))[:1024]  # decoding would fail

    with pytest.raises(RejectedPhoto) as rejected:
        process_photo(header_only, max_pixels=1_000_000)

    assert rejected.value.reason_code == "too_many_pixels"


@pytest.mark.parametrize("image_format", ["JPEG", "PNG"])
def test_a_truncated_image_is_rejected(make_image, image_format):
    whole = make_image(image_format, size=(800, 600))

    with pytest.raises(RejectedPhoto) as rejected:
        process(whole[: len(whole) * 6 // 10])

    assert rejected.value.reason_code == "truncated"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2048))
def test_arbitrary_bytes_are_processed_or_rejected_never_crash(data):
    with contextlib.suppress(RejectedPhoto):
        process(data)


@cache
def noisy_photos() -> tuple[bytes, ...]:
    """Realistically compressed samples, so that damage lands in entropy-coded data."""
    image = Image.merge("RGB", [Image.effect_noise((96, 64), sigma) for sigma in (30, 50, 70)])
    samples = []
    for image_format in ("JPEG", "PNG", "WEBP"):
        buffer = io.BytesIO()
        image.save(buffer, image_format)
        samples.append(buffer.getvalue())
    buffer = io.BytesIO()
    pillow_heif.from_pillow(image).save(buffer)
    return (*samples, buffer.getvalue())


@settings(max_examples=200, deadline=None)
@given(
    which=st.integers(0, 3),
    cut=st.floats(0.0, 1.0),
    flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=8),
)
def test_damaged_photos_are_processed_cleanly_or_rejected(which, cut, flips):
    damaged = bytearray(noisy_photos()[which])
    for where, value in flips:
        damaged[int(where * (len(damaged) - 1))] = value
    damaged = damaged[: max(1, int(cut * len(damaged)))]

    try:
        photo = process(bytes(damaged))
    except RejectedPhoto as rejected:
        assert rejected.reason_code in {"not_an_image", "unsupported_type", "truncated"}
    else:
        for data in renditions(photo):
            assert_no_metadata(data)
