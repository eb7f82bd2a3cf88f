"""Browser fixtures: the app served on loopback, and Chromium headless driven by Playwright.

Playwright drives the system's Chromium (`apt-get install chromium`; .ci/run does it), so no
browser is downloaded. Pages are 1400x900, the size of the screenshots kept in tmp_path.
"""

import shutil
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VIEWPORT = {"width": 1400, "height": 900}
# Two cores shared with the rest of the suite: Swagger UI parsing its 1.5 MB bundle took over
# the default 5 s there.
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture
def served(app) -> Iterator[str]:
    """The app on a free loopback port, as a browser reaches it."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


def offline_page(browser: Browser, served: str) -> Page:
    """A page that can reach the served app only: anything from elsewhere is refused."""
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(TIMEOUT_MS)
    page.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(served) else route.abort(),
    )
    return page
