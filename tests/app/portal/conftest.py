"""Fixtures for the portal: a case with a survey and an installation, and links to it."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.cases.models import Case
from app.portal.tokens import issue_portal_link
from app.visits.assignment import assign_technician
from tests.conftest import MONDAY, committed, denver

DENVER = ZoneInfo("America/Denver")


@pytest.fixture(autouse=True)
def media_root(app, monkeypatch, tmp_path) -> Path:
    """A media folder per test: case ids restart, so a shared one would mix their files."""
    monkeypatch.setitem(app.config, "MEDIA_ROOT", str(tmp_path / "media"))
    return tmp_path / "media"


@pytest.fixture
def link_for(app) -> Callable[..., str]:
    def make(case: Case, **kwargs: Any) -> str:
        return committed(issue_portal_link(case, **kwargs).token)

    return make


@pytest.fixture
def booked_case(create_case, create_visit, create_technician, dispatcher) -> dict[str, Any]:
    """A survey booked with Dana, and the installation that needs it, its part on order."""
    case = create_case(title="New heat pump")
    dana = create_technician(
        name="Dana Whitfield", phone="+13035550199", home={"latitude": 39.7, "longitude": -105}
    )
    survey = create_visit(case, type="site_survey")
    installation = create_visit(
        case,
        type="installation",
        window_start=denver(MONDAY + timedelta(days=7), 8),
        window_end=denver(MONDAY + timedelta(days=7), 17),
        requires=[survey.id],
        required_parts=[{"sku": "CAP-45-5", "quantity": 1}],
    )
    assign_technician(survey.id, technician_id=dana.id, start=denver(MONDAY, 9), actor=dispatcher)
    return committed({"case": case, "dana": dana, "survey": survey, "installation": installation})


def next_weekday(now: datetime | None = None) -> date:
    """The first Monday-to-Friday after today in Denver, where the fixtures' shifts are."""
    day = (now or datetime.now(UTC)).astimezone(DENVER).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), DENVER)
