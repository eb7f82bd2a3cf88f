"""/board: the shell, the server-rendered day it fetches with a token, and who may see it."""

import re

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.plans.models import Plan, PlanPart
from tests.conftest import MONDAY, denver


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


def test_the_map_lays_its_routes_over_tiles_when_configured(
    app, client, dispatcher_headers, demo_day, monkeypatch
):
    assert "<image" not in _view(client, dispatcher_headers).get_data(as_text=True)

    monkeypatch.setitem(app.config, "MAP_TILES_URL", "https://tiles.example/{z}/{x}/{y}.png")
    page = _view(client, dispatcher_headers).get_data(as_text=True)

    assert '<image class="tile" href="https://tiles.example/' in page
    circles = re.findall(r'<circle cx="([\d.-]+)" cy="([\d.-]+)"', page)
    assert circles and all(0 <= float(x) <= 600 and 0 <= float(y) <= 400 for x, y in circles)


def _plan(demo_day, *, status="succeeded"):
    ana, ben, _ = demo_day["technicians"]
    booked = next(v for v in demo_day["booked"] if v.technician_id == ben.id)
    first, second = demo_day["waiting"]
    stop = {"arrival": None, "end": None, "travel_minutes": 5.0, "pinned": False}
    result = {
        "routes": [
            {
                "technician_id": ana.id,
                "stops": [{**stop, "visit_id": booked.id, "start": denver(MONDAY, 14).isoformat()}],
            },
            {
                "technician_id": ben.id,
                "stops": [{**stop, "visit_id": first.id, "start": denver(MONDAY, 9).isoformat()}],
            },
        ],
        "unassigned": [
            {
                "visit_id": second.id,
                "reasons": [
                    {"code": "no_eligible_technician", "detail": "Nobody is free from 13:00."}
                ],
            }
        ],
        "stats": {
            "assigned": 2,
            "unassigned": 1,
            "travel_km": 9.0,
            "travel_minutes": 12.5,
            "solve_seconds": 1.0,
            "utilisation": [],
        },
    }
    plan = Plan(day=MONDAY, territory="denver-central", time_limit_seconds=5)
    done = status == "succeeded"
    plan.parts = [
        PlanPart(
            territory="denver-central",
            status=status,
            visit_ids=[booked.id, first.id, second.id],
            result=result if done else None,
            finished_at=utcnow() if done else None,
        )
    ]
    db.session.add(plan)
    db.session.commit()
    return plan, booked, first


def test_a_plan_run_is_shown_beside_the_bookings_with_its_reasons(
    client, dispatcher_headers, demo_day
):
    plan, booked, first = _plan(demo_day)

    page = _view(client, dispatcher_headers).get_data(as_text=True)

    assert f'data-plan-id="{plan.id}"' in page
    assert re.search(rf"<td>{booked.id}</td>\s*<td>Ben Road 11:00</td>\s*<td>Ana Field 14:00", page)
    assert re.search(rf"<td>{first.id}</td>\s*<td>unbooked</td>\s*<td>Ben Road 09:00", page)
    assert "travel 12.5 min" in page
    assert "Nobody is free from 13:00." in page


def test_a_running_plan_shows_its_progress_and_no_apply_button(
    client, dispatcher_headers, demo_day
):
    _plan(demo_day, status="running")

    page = _view(client, dispatcher_headers).get_data(as_text=True)

    assert "data-running" in page and ": running," in page
    assert "data-plan-id" not in page
