"""Decoding is bounded: big photos are reduced right after decoding, one photo at a time."""

import io
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from media.photos import DISPLAY_SIDE, process_photo

SIDE = 7000  # 49 megapixels, under the 50 MP default limit
MIB = 2**20
ONE_DECODE_MIB = SIDE * SIDE * 4 / MIB  # Pillow keeps RGB at 4 bytes a pixel: 187 MiB
SCRIPT = Path(__file__).with_name("photo_rss.py")


@pytest.fixture(scope="module")
def big_png(tmp_path_factory) -> Path:
    """A 7000x7000 PNG of ~160 KB: tiny on the wire, 187 MiB once decoded."""
    path = tmp_path_factory.mktemp("big") / "big.png"
    image = Image.new("RGB", (SIDE, SIDE), (200, 30, 30))
    ImageDraw.Draw(image).rectangle((1000, 1000, 3000, 5000), fill=(10, 200, 10))
    image.save(path, "PNG", optimize=True)
    return path


def peak_growth_mib(photo: Path, copies: int) -> float:
    """In a fresh process, so nothing this test process did has raised the peak already."""
    run = subprocess.run(
        [sys.executable, str(SCRIPT), str(photo), str(copies)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return float(run.stdout.strip())


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's VmHWM")
def test_four_big_pngs_at_once_cost_one_decode_not_four(big_png):
    """Before: 2539 MiB of peak growth for these four, 640 MiB for one."""
    growth = peak_growth_mib(big_png, copies=4)

    print(f"\npeak RSS growth, four 7000x7000 PNGs at once: {growth:.0f} MiB")
    assert growth < ONE_DECODE_MIB * 1.15


def test_a_big_png_still_makes_a_full_size_display_rendition(big_png):
    photo = process_photo(big_png.read_bytes(), max_pixels=50_000_000)

    assert (photo.display.width, photo.display.height) == (DISPLAY_SIDE, DISPLAY_SIDE)
    with Image.open(io.BytesIO(photo.display.data)) as display:
        red = display.convert("RGB").getpixel((50, 50))
        green = display.convert("RGB").getpixel((400, 600))
    assert red[0] > 150 > red[1] and green[1] > 150 > green[0]


def test_a_big_transparent_palette_png_is_reduced_in_bands_and_stays_transparent():
    image = Image.new("P", (4000, 2500), 1)
    image.putpalette([0, 0, 0, 10, 120, 240] + [0] * 762)
    ImageDraw.Draw(image).rectangle((0, 0, 1999, 2499), fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)

    photo = process_photo(buffer.getvalue(), max_pixels=50_000_000)

    assert photo.display.content_type == "image/webp"
    assert (photo.display.width, photo.display.height) == (DISPLAY_SIDE, 1000)
    with Image.open(io.BytesIO(photo.display.data)) as display:
        rgba = display.convert("RGBA")
        assert rgba.getpixel((100, 500))[3] == 0
        blue = rgba.getpixel((1500, 500))
    assert all(abs(got - want) <= 3 for got, want in zip(blue, (10, 120, 240, 255), strict=True))


def test_a_big_jpeg_is_decoded_at_a_reduced_scale(make_image):
    data = make_image("JPEG", size=(6400, 4800))
    opened = Image.open(io.BytesIO(data))
    opened.draft(None, (DISPLAY_SIDE, 1200))

    photo = process_photo(data, max_pixels=50_000_000)

    assert opened.size == (1600, 1200)  # the decoder's 1/4 scale, as process_photo asks
    assert (photo.display.width, photo.display.height) == (DISPLAY_SIDE, 1200)


def _process_in_child(data: bytes, results) -> None:
    results.put(process_photo(data, max_pixels=50_000_000).display.width)


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_a_forked_child_processes_photos_on_its_own_thread(make_image):
    """A job process forked after the parent processed a photo inherits no photo thread."""
    data = make_image("PNG", size=(400, 300))
    process_photo(data, max_pixels=50_000_000)
    context = multiprocessing.get_context("fork")
    results = context.Queue()

    child = context.Process(target=_process_in_child, args=(data, results))
    child.start()
    child.join(timeout=60)

    assert child.exitcode == 0
    assert results.get(timeout=5) == 400
