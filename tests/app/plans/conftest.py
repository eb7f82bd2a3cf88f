"""Plan fixtures: ask for a plan through the API and wait for its worker to finish."""

import time
from collections.abc import Callable
from typing import Any

import pytest

from app import extensions
from tests.conftest import MONDAY

FINISHED = {"succeeded", "failed"}


@pytest.fixture
def wait_for_plan(client, dispatcher_headers) -> Callable[..., dict[str, Any]]:
    def wait(location: str, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            # The test's app context outlives requests; end its session as a request would.
            extensions.db.session.remove()
            body = client.get(location, headers=dispatcher_headers).json
            if body["status"] in FINISHED:
                return body
            assert time.monotonic() < deadline, f"plan still {body['status']}"
            time.sleep(0.1)

    return wait


@pytest.fixture
def run_plan(client, dispatcher_headers, wait_for_plan) -> Callable[..., dict[str, Any]]:
    """POST /plans for MONDAY with a 1 s solve, then the finished plan."""

    def run(**body: Any) -> dict[str, Any]:
        body = {"date": MONDAY.isoformat(), "time_limit_seconds": 1, **body}
        response = client.post("/api/v1/plans", json=body, headers=dispatcher_headers)
        assert response.status_code == 202, response.json
        return wait_for_plan(response.headers["Location"])

    return run


def routed(plan: dict[str, Any]) -> dict[int, tuple[int, dict[str, Any]]]:
    """Visit id -> (technician id, stop) for every stop of the plan."""
    return {
        stop["visit_id"]: (route["technician_id"], stop)
        for route in plan["routes"]
        for stop in route["stops"]
    }


def unassigned(plan: dict[str, Any]) -> dict[int, list[dict[str, Any]]]:
    return {item["visit_id"]: item["reasons"] for item in plan["unassigned"]}
