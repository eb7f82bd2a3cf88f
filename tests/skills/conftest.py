"""Factories for the plain values the eligibility rules read."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from skills import Interval, Qualification, Requirement

DAY = date(2025, 3, 4)


@pytest.fixture
def make_requirement() -> Callable[..., Requirement]:
    def make(**overrides: Any) -> Requirement:
        return Requirement(**{"visit_id": 1, "day": DAY, **overrides})

    return make


@pytest.fixture
def make_qualification() -> Callable[..., Qualification]:
    """A technician on an 08:00-17:00 shift with nothing else, so each test adds what it needs."""

    def make(**overrides: Any) -> Qualification:
        shift = Interval(datetime(2025, 3, 4, 8, tzinfo=UTC), datetime(2025, 3, 4, 17, tzinfo=UTC))
        return Qualification(**{"technician_id": 7, "shifts": (shift,), **overrides})

    return make
