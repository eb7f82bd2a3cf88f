"""A small day for the board to show."""

from typing import Any

import pytest

from app.auth.models import Role
from app.visits.assignment import assign_technician
from app.visits.events import record_event
from tests.conftest import MONDAY, denver

PASSWORD = "correct horse"
AURORA = {
    "address": "Aurora",
    "latitude": 39.73,
    "longitude": -104.83,
    "timezone": "America/Denver",
}


@pytest.fixture
def demo_day(
    make_user, dispatcher, create_technician, create_visit, create_case, create_customer
) -> dict[str, Any]:
    """Three technicians (one without the skills), two bookings, two visits waiting."""
    ana = create_technician(name="Ana Field")
    ben = create_technician(name="Ben Road")
    novice = create_technician(name="Nina Novice", skills=[])
    aurora = create_customer(sites=[AURORA])
    done, booked = create_visit(), create_visit(create_case(aurora))
    assign_technician(done.id, technician_id=ana.id, start=denver(MONDAY, 9), actor=dispatcher)
    record_event(done.id, actor=dispatcher, type="on_site", at=denver(MONDAY, 9, 5))
    record_event(done.id, actor=dispatcher, type="completed", at=denver(MONDAY, 9, 50))
    assign_technician(booked.id, technician_id=ben.id, start=denver(MONDAY, 11), actor=dispatcher)
    waiting = [create_visit(), create_visit(window_start=denver(MONDAY, 13))]
    user = make_user(Role.DISPATCHER)
    return {
        "technicians": [ana, ben, novice],
        "novice": novice,
        "waiting": waiting,
        "booked": [done, booked],
        "email": user.email,
        "password": PASSWORD,
    }
