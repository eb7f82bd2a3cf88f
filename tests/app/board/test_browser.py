"""/board in a real browser: Chromium headless, driven by Playwright, no browser download."""

import pytest
from playwright.sync_api import Page, expect

from tests.app.browser import offline_page
from tests.conftest import MONDAY


@pytest.fixture
def board(browser, served, demo_day) -> Page:
    page = offline_page(browser, served)
    page.goto(f"{served}/board?date={MONDAY.isoformat()}&territory=denver-central")
    page.fill("#signin [name=email]", demo_day["email"])
    page.fill("#signin [name=password]", demo_day["password"])
    page.click("#signin button")
    page.wait_for_selector(".gantt .row")
    return page


def test_the_board_renders_the_day_in_chromium(board, demo_day, tmp_path, capsys):
    screenshot = tmp_path / "board.png"

    rows = board.locator(".gantt .row")
    expect(rows).to_have_count(len(demo_day["technicians"]))
    expect(board.locator(".unassigned .card")).to_have_count(2)
    board.screenshot(path=str(screenshot), full_page=False)

    with capsys.disabled():
        print(f"\nboard screenshot: {screenshot}")
    assert screenshot.read_bytes().startswith(b"\x89PNG")
    for technician in demo_day["technicians"]:
        expect(board.locator(f"#technician-{technician.id} .who")).to_have_text(technician.name)


def test_a_refused_drag_shows_the_guards_reasons(board, demo_day, tmp_path, capsys):
    screenshot = tmp_path / "board-refused.png"
    card = board.locator(".unassigned .card").first
    lane = board.locator(f".lane[data-technician-id='{demo_day['novice'].id}']")

    card.drag_to(lane, target_position={"x": 400, "y": 10})

    expect(board.locator("#messages .refusal li").first).to_contain_text("needs hvac level 1")
    expect(board.locator("#messages")).to_contain_text("cannot take visit")
    board.screenshot(path=str(screenshot))
    with capsys.disabled():
        print(f"\nrefused drag screenshot: {screenshot}")


def test_a_drag_onto_a_qualified_technician_books_the_visit(board, demo_day):
    card = board.locator(".unassigned .card").first
    lane = board.locator(f".lane[data-technician-id='{demo_day['technicians'][0].id}']")

    # 40 % along 06:00-20:00 is about 11:36, inside the shift and the visit's window.
    box = lane.bounding_box()
    card.drag_to(lane, target_position={"x": box["width"] * 0.4, "y": 10})

    expect(board.locator("#messages")).to_contain_text("booked")
    expect(board.locator(".unassigned .card")).to_have_count(1)
    expect(
        board.locator(f".lane[data-technician-id='{demo_day['technicians'][0].id}'] .visit")
    ).to_have_count(2)


def test_a_booked_visit_is_moved_by_dragging_it_to_another_row(board, demo_day):
    ana, ben, _ = demo_day["technicians"]
    moved = board.locator(f".lane[data-technician-id='{ben.id}'] .visit")
    ana_lane = board.locator(f".lane[data-technician-id='{ana.id}']")

    # 57 % along 06:00-20:00 is 14:00 local, clear of Ana's 09:00 visit.
    box = ana_lane.bounding_box()
    moved.drag_to(ana_lane, target_position={"x": box["width"] * 0.57, "y": 10})

    expect(board.locator("#messages")).to_contain_text("booked")
    expect(board.locator(f".lane[data-technician-id='{ben.id}'] .visit")).to_have_count(0)
    expect(ana_lane.locator(".visit")).to_have_count(2)
