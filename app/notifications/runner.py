"""Where the relay runs: a daemon thread in the web process or `flask relay run`, or Celery.

A commit that wrote outbox rows wakes the relay at once (or sends a relay job to Celery when
FIRSTFIX_BROKER_URL is set); the loop also wakes every RELAY_INTERVAL_SECONDS for retries.
"""

import logging
import os
import threading

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db
from app.jobs import job, submit
from app.notifications.outbox import OUTBOX_WRITTEN
from app.notifications.relay import relay_once

log = logging.getLogger(__name__)
LOOP_KEY = "notifications_relay"


@job
def relay_pass() -> int:
    """One relay pass on a Celery worker (or the in-process job pool)."""
    return relay_once()


class RelayLoop:
    """Runs relay passes until stopped; a wake() skips the rest of the wait."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.interval = float(app.config["RELAY_INTERVAL_SECONDS"])
        self.pid = os.getpid()
        self._wake = threading.Event()
        self._stop = threading.Event()

    def run(self) -> None:
        while not self._stop.is_set():
            busy = self._pass()
            if not busy:
                self._wake.wait(self.interval)
            self._wake.clear()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def _pass(self) -> bool:
        """True when the batch was full, so the next one runs without waiting."""
        with self.app.app_context():
            try:
                return relay_once() >= int(self.app.config["RELAY_BATCH_SIZE"])
            except Exception:
                log.exception("relay pass failed; trying again in %s s", self.interval)
                return False
            finally:
                db.session.remove()


_start_lock = threading.Lock()


def ensure_running(app: Flask) -> RelayLoop:
    """Start this process's loop once; a forked worker (gunicorn) starts its own."""
    with _start_lock:
        loop: RelayLoop | None = app.extensions.get(LOOP_KEY)
        if loop is None or loop.pid != os.getpid():
            loop = RelayLoop(app)
            threading.Thread(target=loop.run, name="firstfix-relay", daemon=True).start()
            app.extensions[LOOP_KEY] = loop
        return loop


def kick(app: Flask) -> None:
    if app.config["BROKER_URL"]:
        submit(relay_pass)
    elif (loop := app.extensions.get(LOOP_KEY)) is not None:
        loop.wake()


def _after_commit(session: Session) -> None:
    """The change is committed whatever happens here, so a failed kick is only logged."""
    if not (session.info.pop(OUTBOX_WRITTEN, False) and has_app_context()):
        return
    try:
        kick(current_app._get_current_object())  # type: ignore[attr-defined]
    except Exception:
        log.exception("could not wake the relay; its next sweep will send the messages")


def _start_with_first_request() -> None:
    ensure_running(current_app._get_current_object())  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    """Lazily, on the first request: CLI commands such as `db upgrade` must not start a relay.

    Apps with TESTING set never start it; tests call relay_once() themselves.
    """
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
    if app.config["RELAY_ENABLED"] and not app.testing:
        app.before_request(_start_with_first_request)
