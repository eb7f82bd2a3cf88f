"""/c/{token}: the page a customer opens on a phone, through the test client and in Chromium."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=390,844",
)
BRAND_BLUE = (0x0B, 0x6B, 0xCB)


def test_the_page_shows_the_case_and_is_never_cached(client, booked_case, link_for):
    response = client.get(f"/c/{link_for(booked_case['case'])}")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "New heat pump" in page
    assert "Dana, heating and cooling" in page
    assert "The site survey (Mon 2 Jun) has to happen first." in page
    assert "Whitfield" not in page


def test_a_dead_link_gets_a_plain_page_not_json(client):
    response = client.get("/c/not-a-real-link")

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "does not work any more" in response.get_data(as_text=True)


def test_the_confirm_button_confirms_and_comes_back(client, booked_case, link_for):
    token, survey = link_for(booked_case["case"]), booked_case["survey"]

    response = client.post(
        f"/c/{token}/confirm", data={"visit_id": survey.id, "terms_version": "2026-11"}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert response.status_code == 303
    assert "your appointment is confirmed" in page
    assert client.get(f"/api/v1/portal/{token}").json["upcoming"][0]["confirmed"] is True


def test_a_note_from_the_page_lands_on_the_case(client, booked_case, link_for):
    token = link_for(booked_case["case"])

    response = client.post(f"/c/{token}/notes", data={"text": "Side door please"})

    assert response.status_code == 303
    timeline = client.get(f"/api/v1/portal/{token}").json["timeline"]
    assert "Side door please" in [entry["summary"] for entry in timeline]


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("chromium")
    assert binary is not None
    return subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )


@pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="Chromium is not on PATH; install it with `apt-get install -y chromium`",
)
def test_the_page_renders_on_a_phone_sized_chromium(
    served, booked_case, link_for, tmp_path, capsys
):
    url = f"{served}/c/{link_for(booked_case['case'])}"
    screenshot = tmp_path / "portal-phone.png"

    dom = _chromium("--dump-dom", url, profile=tmp_path / "profile-dom").stdout
    _chromium(f"--screenshot={screenshot}", url, profile=tmp_path / "profile-shot")

    with capsys.disabled():
        print(f"\nportal page screenshot: {screenshot}")
    assert screenshot.stat().st_size > 10_000
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    assert '<h1 id="title">New heat pump</h1>' in dom
    assert "Site survey" in dom
    assert "Dana, heating and cooling" in dom
    assert "Confirm this appointment" in dom
    assert "<script" not in dom


def test_the_page_allows_only_its_own_nonced_style_and_is_never_framed(
    client, booked_case, link_for
):
    token = link_for(booked_case["case"])
    first, second = client.get(f"/c/{token}"), client.get(f"/c/{token}")

    policy = first.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'<style nonce="{nonce}">' in first.get_data(as_text=True)
    assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert nonce not in second.headers["Content-Security-Policy"]  # a fresh one each time


def test_the_dead_link_page_carries_the_policy_too(client):
    response = client.get("/c/not-a-real-token")

    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="Chromium is not on PATH; install it with `apt-get install -y chromium`",
)
def test_chromium_applies_the_nonced_style_under_the_policy(
    served, booked_case, link_for, tmp_path
):
    url = f"{served}/c/{link_for(booked_case['case'])}"
    screenshot = tmp_path / "portal-csp.png"

    _chromium(f"--screenshot={screenshot}", url, profile=tmp_path / "profile-csp")

    with Image.open(screenshot) as shot:
        header = shot.convert("RGB").getpixel((5, 5))
    assert header == BRAND_BLUE  # the page's style ran: a blocked <style> leaves it white
