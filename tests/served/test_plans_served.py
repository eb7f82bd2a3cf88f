"""Solves run in worker processes: the API answers during a solve, and a killed solver fails its
plan within the lease instead of leaving it running forever."""

import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta

import psutil
import requests

from tests.served.conftest import DISPATCHER, Served

POLL_EVERY = 0.5


def _demo_day() -> date:
    """The day of the demo's unbooked visits: the weekday after the day it was loaded."""
    day = date.today() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _request_plan(served: Served, headers: dict[str, str], day: date, seconds: int) -> str:
    response = requests.post(
        f"{served.api}/plans",
        json={"date": day.isoformat(), "time_limit_seconds": seconds},
        headers=headers,
        timeout=30,
    )
    assert response.status_code == 202, response.text
    return response.headers["Location"]


def _finished(served: Served, location: str, headers: dict[str, str], seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        plan = requests.get(f"{served.url}{location}", headers=headers, timeout=30).json()
        if plan["status"] in ("succeeded", "failed"):
            return plan
        time.sleep(POLL_EVERY)
    raise AssertionError(f"plan still {plan['status']} after {seconds} s")


def test_the_api_answers_within_a_second_while_a_day_is_planned(serve):
    served = serve("gunicorn", workers=4)
    headers = served.token(*DISPATCHER)
    workers_before = {child.pid for child in psutil.Process(served.process.pid).children()}
    location = _request_plan(served, headers, _demo_day(), seconds=20)
    slowest, done = 0.0, threading.Event()

    def poll() -> None:
        nonlocal slowest
        while not done.is_set():
            for path in (location, "/api/v1/cases?page_size=1"):
                started = time.monotonic()
                response = requests.get(f"{served.url}{path}", headers=headers, timeout=30)
                assert response.status_code == 200
                slowest = max(slowest, time.monotonic() - started)
            time.sleep(POLL_EVERY)

    poller = threading.Thread(target=poll)
    poller.start()
    plan = _finished(served, location, headers, seconds=90)
    done.set()
    poller.join()

    print(f"slowest poll during the solve: {slowest * 1000:.0f} ms; stats {plan['stats']}")
    assert plan["status"] == "succeeded", plan["error"]
    assert plan["stats"]["assigned"] >= 50
    assert slowest < 1.0
    workers_after = {child.pid for child in psutil.Process(served.process.pid).children()}
    assert workers_after == workers_before  # no gunicorn worker was killed and replaced
    assert "WORKER TIMEOUT" not in served.log.read_text()


def test_a_solver_killed_mid_solve_fails_its_plan_and_a_new_run_works(serve):
    served = serve("flask")
    headers = served.token(*DISPATCHER)
    day = _demo_day()
    location = _request_plan(served, headers, day, seconds=10)
    _wait_for(lambda: _status(served, location, headers) == "running")
    (solver,) = _job_processes(served)
    os.kill(solver.pid, signal.SIGKILL)
    killed = time.monotonic()

    plan = _finished(served, location, headers, seconds=60)
    failed_after = time.monotonic() - killed
    print(f"plan failed {failed_after:.1f} s after its solver was killed: {plan['error']}")
    assert plan["status"] == "failed"
    assert "stopped" in plan["error"]
    assert failed_after < 5  # the pool saw its process die; the lease is only the fallback

    again = _finished(served, _request_plan(served, headers, day, seconds=3), headers, 60)
    assert again["status"] == "succeeded", again["error"]


def _status(served: Served, location: str, headers: dict[str, str]) -> str:
    return requests.get(f"{served.url}{location}", headers=headers, timeout=30).json()["status"]


def _wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _job_processes(served: Served) -> list[psutil.Process]:
    """The job worker processes the server spawned (multiprocessing's spawn entry point)."""
    children = psutil.Process(served.process.pid).children(recursive=True)
    return [child for child in children if "spawn_main" in " ".join(child.cmdline())]
