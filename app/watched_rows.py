"""Rows a worker keeps until PostgreSQL announces that they changed.

A day served from the cache still cost one read a request: the account check and the
technician's change-feed number. That read was more than half of the request (in-process,
GET /me/visits of 500 technicians in turn: 394 µs a request with it, 165 µs without). Triggers
(migration 0009) announce every row written to the tables such a read is made of, as a tag on
the CHANNEL: `user:<id>`, `technician:<id>`, or `*` when a table is truncated. Each worker
LISTENs on a connection of its own and, before every lookup, applies the notices that have
arrived: a poll of the socket, no round trip. PostgreSQL sends a notice as the writer's COMMIT
returns (measured on loopback: 15 µs later at the median, 4 ms at worst on a busy machine), so a
kept row is stale only for the moments a notice is on its way to another worker. A worker that
committed a write itself waits for its notices before its next lookup (one round trip, see
`wrote`): what a request wrote, the next request on that worker sees.

Nothing is kept while the listening connection is down: lookups read, and what was kept before
is dropped, since a notice may have been missed. Nor is anything kept while the database lacks
the announcing function (code deployed before its migration): no notice would ever come.
Behind a pooler that cannot LISTEN (PgBouncer in transaction mode), turn it off with the
LISTEN_FOR_CHANGES setting. The connection is opened by the first lookup, so each forked
worker (gunicorn, Celery) opens its own.
"""

import itertools
import logging
import os
import threading
import time
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import psycopg
from sqlalchemy import Executable

CHANNEL = "firstfix_rows"
EVERYTHING = "*"
RECONNECT_SECONDS = 1.0
RECHECK_SECONDS = 60.0
SYNC_SECONDS = 1.0
MAX_ROWS = 100_000

Row = Mapping[str, Any]
Read = Callable[[Executable, Mapping[str, Any]], Row | None]
Tags = Callable[[Row], tuple[str, ...]]

log = logging.getLogger(__name__)


class WatchedRows:
    """Single-row reads kept per process, each until a notice names one of its tags."""

    def __init__(
        self, listen: Callable[[], psycopg.Connection], read: Read, *, announcer: str
    ) -> None:
        self._listen, self._read, self._announcer = listen, read, announcer
        self._lock = threading.Lock()  # threaded workers share the rows and the connection
        self._listener: psycopg.Connection | None = None
        self._retry_at = 0.0
        self._rows: dict[Hashable, tuple[Row, tuple[str, ...]]] = {}
        self._keys_by_tag: dict[str, set[Hashable]] = {}
        self._generation = 0  # counts applied notices: a read that saw one is not kept
        self._wrote = False
        self._syncs = itertools.count()

    def first(self, statement: Executable, params: Mapping[str, Any], *, tags: Tags) -> Row | None:
        """The statement's first row, kept until a notice names one of `tags(row)`.

        A row whose tags are empty is read every time: tag only what the triggers announce.
        """
        key = (statement, *sorted(params.items()))
        with self._lock:
            listening = self._catch_up()
            if listening and key in self._rows:
                return self._rows[key][0]
            generation = self._generation
        row = self._read(statement, params)
        if row is not None and listening and (row_tags := tags(row)):
            with self._lock:
                # A notice applied while this read ran may concern a commit it did not see.
                if self._generation == generation and self._listener is not None:
                    self._keep(key, row, row_tags)
        return row

    def wrote(self) -> None:
        """This process committed a write: the next lookup first waits for the notices of it."""
        self._wrote = True

    def forget(self) -> None:
        """Drop every kept row (and listen afresh): the next lookups read."""
        with self._lock:
            self._disconnect()

    def _catch_up(self) -> bool:
        """Apply the notices that have arrived; False while there is no listening connection."""
        if self._listener is None and not self._connect():
            return False
        assert self._listener is not None
        try:
            if self._wrote:
                self._wrote = False
                self._sync(self._listener)
            for notice in self._listener.notifies(timeout=0):
                self._apply(notice.payload)
        except (psycopg.Error, TimeoutError):
            log.warning("lost the connection listening for row changes; reading until back")
            self._disconnect()
            return False
        return True

    def _sync(self, listener: psycopg.Connection) -> None:
        """Apply every notice committed before now: notices arrive in commit order, so once a
        notice sent now is back, the earlier ones are in. Other workers ignore its tag."""
        marker = f"sync:{os.getpid()}:{threading.get_ident()}:{next(self._syncs)}"
        listener.execute("SELECT pg_notify(%s, %s)", (CHANNEL, marker))
        for notice in listener.notifies(timeout=SYNC_SECONDS):
            self._apply(notice.payload)
            if notice.payload == marker:
                return
        raise TimeoutError(f"no notice back within {SYNC_SECONDS} s")

    def _connect(self) -> bool:
        if time.monotonic() < self._retry_at:
            return False
        try:
            listener = self._listen()
            listener.execute(f"LISTEN {CHANNEL}")
            announcing = listener.execute("SELECT to_regproc(%s)", (self._announcer,)).fetchone()
        except psycopg.Error:
            log.warning("cannot listen for row changes; reading every time", exc_info=True)
            self._retry_at = time.monotonic() + RECONNECT_SECONDS
            return False
        if announcing is None or announcing[0] is None:
            log.warning("%s() is missing: run the migrations; reading every time", self._announcer)
            listener.close()
            self._retry_at = time.monotonic() + RECHECK_SECONDS
            return False
        self._listener = listener
        return True

    def _disconnect(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        self._drop_all()

    def _apply(self, tag: str) -> None:
        self._generation += 1
        if tag == EVERYTHING:
            self._drop_all()
            return
        for key in self._keys_by_tag.pop(tag, ()):
            self._drop(key)

    def _keep(self, key: Hashable, row: Row, tags: tuple[str, ...]) -> None:
        if len(self._rows) >= MAX_ROWS:
            self._drop_all()
        self._drop(key)
        self._rows[key] = (row, tags)
        for tag in tags:
            self._keys_by_tag.setdefault(tag, set()).add(key)

    def _drop(self, key: Hashable) -> None:
        _row, tags = self._rows.pop(key, (None, ()))
        for tag in tags:
            keys = self._keys_by_tag.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._keys_by_tag[tag]

    def _drop_all(self) -> None:
        self._generation += 1
        self._rows.clear()
        self._keys_by_tag.clear()
