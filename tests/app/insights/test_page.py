"""/insights: the numbers as inline SVG charts, for managers, in a real browser too."""

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from app.auth.models import Role
from tests.app.browser import offline_page
from tests.app.insights.conftest import EVERYTHING


def _view(client, headers, **args):
    return client.get("/insights/view", query_string={**EVERYTHING, **args}, headers=headers)


def test_the_figures_are_drawn_as_svg_with_nothing_from_elsewhere(
    client, make_user, headers_for, world
):
    page = _view(client, headers_for(make_user(Role.MANAGER))).get_data(as_text=True)

    assert page.count('<figure class="chart">') == 6
    assert page.count("<svg") == 6
    assert '<dd id="ftf">50 % (1 of 2)</dd>' in page
    assert '<dd id="prevented">1</dd>' in page
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page


@pytest.mark.parametrize(("role", "status"), [(Role.AGENT, 403), (Role.TECHNICIAN, 404)])
def test_the_charts_need_a_readers_token(client, make_user, headers_for, role, status):
    assert _view(client, {}).status_code == 401
    assert _view(client, headers_for(make_user(role))).status_code == status
    assert _view(client, headers_for(make_user(Role.DISPATCHER)), to="2000-01-01").status_code == (
        422
    )


def test_the_insights_page_renders_in_chromium(browser, served, make_user, world, tmp_path, capsys):
    manager = make_user(Role.MANAGER)
    page = offline_page(browser, served)
    screenshot = tmp_path / "insights.png"

    page.goto(f"{served}/insights?{urlencode(EVERYTHING)}")
    page.fill("#signin [name=email]", manager.email)
    page.fill("#signin [name=password]", "correct horse")
    page.click("#signin button")

    expect(page.locator("#insights figure.chart svg")).to_have_count(6)
    expect(page.locator("#ftf")).to_have_text("50 % (1 of 2)")
    page.screenshot(path=str(screenshot), full_page=True)
    with capsys.disabled():
        print(f"\ninsights screenshot: {screenshot}")
