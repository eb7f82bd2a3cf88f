"""With a broker configured, plan parts run on a real Celery worker sharing the database."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from app.jobs import celery_for
from tests.app.plans.conftest import routed
from tests.conftest import MONDAY

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def celery_worker(app, monkeypatch):
    """A `celery -A app.celery_worker worker` on its own queue, so parallel runs never mix."""
    broker = os.environ.get("TEST_REDIS_URL")
    if not broker:
        pytest.skip("Celery run skipped: set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)")
    queue = f"plans-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(app.config, "BROKER_URL", broker)
    monkeypatch.delitem(app.extensions, "celery", raising=False)
    celery_for(app).conf.task_default_queue = queue
    env = {
        **os.environ,
        "FIRSTFIX_BROKER_URL": broker,
        "FIRSTFIX_DATABASE_URL": app.config["DATABASE_URL"],
    }
    command = [sys.executable, "-m", "celery", "-A", "app.celery_worker", "worker"]
    worker = subprocess.Popen(
        [*command, "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield worker
    worker.terminate()
    worker.wait(timeout=30)
    app.extensions.pop("celery", None)


@pytest.mark.redis
def test_a_plan_runs_on_a_celery_worker(
    client, dispatcher_headers, celery_worker, create_technician, create_visit, wait_for_plan
):
    create_technician()
    visit = create_visit()

    response = client.post(
        "/api/v1/plans",
        json={"date": MONDAY.isoformat(), "time_limit_seconds": 1},
        headers=dispatcher_headers,
    )

    assert response.status_code == 202
    plan = wait_for_plan(response.headers["Location"], timeout=90)
    assert plan["status"] == "succeeded", plan["error"]
    assert visit.id in routed(plan)
    assert celery_worker.poll() is None
