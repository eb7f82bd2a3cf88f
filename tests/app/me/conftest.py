"""A technician who can sign in, with a booked day, for the phone's endpoints."""

from collections.abc import Callable
from typing import Any

import pytest

from app.auth.models import Role
from app.me.cache import forget_all
from app.visits.assignment import assign_technician
from tests.conftest import MONDAY, committed, denver


@pytest.fixture(autouse=True)
def fresh_day_cache(app) -> None:
    """Tables are emptied between tests and ids come round again; so must the cached days."""
    forget_all()


@pytest.fixture
def technician_user(make_user, create_technician, headers_for) -> dict[str, Any]:
    technician = create_technician()
    principal = make_user(Role.TECHNICIAN, email=technician.email)
    return {"technician": technician, "principal": principal, "headers": headers_for(principal)}


@pytest.fixture
def book(create_visit, dispatcher) -> Callable[..., Any]:
    """Book a new visit for the technician at `hour` (Denver time) on MONDAY."""

    def make(technician, hour: int = 9, **overrides: Any) -> Any:
        visit = create_visit(**overrides)
        return committed(
            assign_technician(
                visit.id, technician_id=technician.id, start=denver(MONDAY, hour), actor=dispatcher
            )
        )

    return make
