"""Work that never runs in a web worker: OR-Tools holds the GIL for a whole solve, and gunicorn
kills a worker silent for 30 s.

By default jobs run in worker processes the app starts itself (a spawn-context pool of
FIRSTFIX_JOB_WORKERS processes: zero set-up); with FIRSTFIX_BROKER_URL set they are sent to
Celery (`celery -A app.celery_worker worker`). In-process tests may run them on a thread
(FIRSTFIX_JOB_RUNNER=thread, refused outside TESTING) so that a test can patch what they call.
A job is known by its dotted name; a worker imports the job's module itself and runs it in an
app context of its own, built from the web app's settings. Each job owns its units of work.
"""

import importlib
import os
import pickle
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

from celery import Celery
from flask import Flask, current_app

from app.extensions import db

JobFunction = Callable[..., Any]
AppFactory = Callable[[Mapping[str, Any]], Flask]
RUNNERS = ("process", "thread")
_JOBS: dict[str, JobFunction] = {}


def job(function: JobFunction) -> JobFunction:
    """Register a function as a job under its dotted name."""
    _JOBS[_name_of(function)] = function
    return function


def init_app(app: Flask, *, factory: AppFactory) -> None:
    """Workers build their own app with `factory` from this app's settings."""
    app.extensions["jobs"] = _Runner(app, factory)


def submit(function: JobFunction, **kwargs: Any) -> Future[Any] | None:
    """Queue a registered job; returns its future (None when sent to Celery)."""
    name = _name_of(function)
    if name not in _JOBS:
        raise ValueError(f"{name} is not registered with @job")
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("BROKER_URL"):
        celery_for(app).send_task(name, kwargs=kwargs)
        return None
    runner: _Runner = app.extensions["jobs"]
    return runner.submit(name, kwargs)


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


class _Runner:
    """This process's executor, made on first use: a gunicorn worker forked from a preloaded
    app makes its own, and a pool broken by a killed worker process is replaced."""

    def __init__(self, app: Flask, factory: AppFactory) -> None:
        self.app, self.factory = app, factory
        self._lock = threading.Lock()
        self._executor: Executor | None = None
        self._pid = os.getpid()

    def submit(self, name: str, kwargs: dict[str, Any]) -> Future[Any]:
        with self._lock:
            if self._executor is None or self._pid != os.getpid():
                self._executor, self._pid = self._new_executor(), os.getpid()
            try:
                return self._submit(name, kwargs)
            except BrokenProcessPool:
                self._executor = self._new_executor()
                return self._submit(name, kwargs)

    def _submit(self, name: str, kwargs: dict[str, Any]) -> Future[Any]:
        assert self._executor is not None
        if isinstance(self._executor, ThreadPoolExecutor):
            return self._executor.submit(run_job, self.app, name, kwargs)
        return self._executor.submit(_run_in_worker, name, kwargs)

    def _new_executor(self) -> Executor:
        workers = int(self.app.config["JOB_WORKERS"])
        if self.app.config["JOB_RUNNER"] == "thread":
            return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="firstfix-job")
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.factory, _portable_settings(self.app)),
        )


_worker_app: Flask | None = None


def _start_worker(factory: AppFactory, settings: Mapping[str, Any]) -> None:
    global _worker_app  # one app per worker process, built once
    _worker_app = factory(settings)


def _run_in_worker(name: str, kwargs: dict[str, Any]) -> Any:
    importlib.import_module(name.rpartition(".")[0])
    assert _worker_app is not None, "the pool's initializer builds it"
    return run_job(_worker_app, name, kwargs)


def _portable_settings(app: Flask) -> dict[str, Any]:
    """The settings a worker process can be given (everything that pickles)."""
    portable = {}
    for key, value in app.config.items():
        try:
            pickle.dumps(value)
        except Exception:  # what cannot cross a process boundary stays behind
            continue
        portable[key] = value
    return portable


def _task_body(app: Flask, name: str) -> Callable[..., Any]:
    def body(**kwargs: Any) -> Any:
        return run_job(app, name, kwargs)

    body.__name__ = name.rsplit(".", 1)[-1]
    return body


def _name_of(function: JobFunction) -> str:
    return f"{function.__module__}.{function.__name__}"
