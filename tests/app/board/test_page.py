"""/board: the shell, the server-rendered day it fetches with a token, and who may see it."""

from app.auth.models import Role
from tests.conftest import MONDAY


def _view(client, headers, **args):
    query = {"date": MONDAY.isoformat(), "territory": "denver-central", **args}
    return client.get("/board/view", query_string=query, headers=headers)


def test_the_shell_loads_nothing_from_elsewhere(client):
    page = client.get("/board").get_data(as_text=True)
    script = client.get("/board/static/board.js")

    assert 'id="signin"' in page
    assert "http" not in page.replace('"http-equiv"', "")
    assert script.status_code == 200 and "/api/v1/auth/token" in client.get(
        "/board/static/signin.js"
    ).get_data(as_text=True)


def test_the_day_shows_every_technician_every_booking_and_the_waiting_visits(
    client, dispatcher_headers, demo_day
):
    page = _view(client, dispatcher_headers).get_data(as_text=True)

    for technician in demo_day["technicians"]:
        assert f'id="technician-{technician.id}"' in page
    assert page.count('class="visit status-completed" draggable') == 1
    assert page.count('class="visit status-scheduled" draggable') == 1
    assert page.count('class="card"') == 2
    assert "Not booked and in no plan run yet; it needs hvac level 1." in page
    assert 'class="travel"' in page
    assert "<polyline" in page
    assert "times in America/Denver" in page


def test_the_day_needs_a_dispatchers_token(client, make_user, headers_for, demo_day):
    assert _view(client, {}).status_code == 401
    assert _view(client, headers_for(make_user(Role.AGENT))).status_code == 403
    assert _view(client, headers_for(make_user(Role.ADMIN))).status_code == 200
    assert _view(client, {"Authorization": "Bearer forged"}).status_code == 401
    assert _view(client, headers_for(make_user(Role.DISPATCHER)), date="soon").status_code == 422
