"""Work that must never run on a request thread (gunicorn kills a worker silent for 30 s).

By default jobs run on an in-process thread pool; with FIRSTFIX_BROKER_URL set they are sent
to Celery (`celery -A app.celery_worker worker`). Either way a job runs inside an app context
and gets plain keyword arguments, so it behaves the same in both.
"""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from celery import Celery
from flask import Flask, current_app

from app.extensions import db

JobFunction = Callable[..., Any]
_JOBS: dict[str, JobFunction] = {}


def job(function: JobFunction) -> JobFunction:
    """Register a function as a job under its dotted name."""
    _JOBS[f"{function.__module__}.{function.__name__}"] = function
    return function


def submit(function: JobFunction, **kwargs: Any) -> Future[Any] | None:
    """Queue a registered job; returns the in-process future (None when sent to Celery)."""
    name = f"{function.__module__}.{function.__name__}"
    if name not in _JOBS:
        raise ValueError(f"{name} is not registered with @job")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("BROKER_URL"):
        celery_for(app).send_task(name, kwargs=kwargs)
        return None
    return _executor(app).submit(run_job, app, name, kwargs)


def run_job(app: Flask, name: str, kwargs: dict[str, Any]) -> Any:
    with app.app_context():
        try:
            return _JOBS[name](**kwargs)
        finally:
            db.session.remove()


def celery_for(app: Flask) -> Celery:
    """One Celery app per Flask app, with every registered job as a task of the same name."""
    if "celery" not in app.extensions:
        celery = Celery(app.import_name, broker=app.config["BROKER_URL"])
        celery.conf.update(task_ignore_result=True, broker_connection_retry_on_startup=True)
        for name in _JOBS:
            celery.task(name=name)(_task_body(app, name))
        app.extensions["celery"] = celery
    return app.extensions["celery"]


def _task_body(app: Flask, name: str) -> Callable[..., Any]:
    def body(**kwargs: Any) -> Any:
        return run_job(app, name, kwargs)

    body.__name__ = name.rsplit(".", 1)[-1]
    return body


def _executor(app: Flask) -> ThreadPoolExecutor:
    if "jobs_executor" not in app.extensions:
        app.extensions["jobs_executor"] = ThreadPoolExecutor(
            max_workers=int(app.config["JOB_WORKERS"]), thread_name_prefix="firstfix-job"
        )
    return app.extensions["jobs_executor"]
