"""A cache of the serialised day, keyed by everything that can change it.

The key is the technician, the local day, the technician's change-feed number and a time
window. The feed is bumped in the same transaction as every change to what the card shows:
the visits, their cases, events, diagnoses, photos and notes, reservations, the customer with
contacts, sites and assets, and the van's stock (see changes.py), so a new number means a new
key and nothing has to be deleted. The window (DAY_CACHE_SECONDS) bounds the rest: catalog
names, and the photo links, which expire DOWNLOAD_URL_TTL_SECONDS after they were signed
(config.validate keeps the window at most half of that, so a cached link has at least half
its life left).

Per worker by default (a bounded LRU: four workers each build a day once per window); with
CACHE_URL, a Redis shared by every worker behind each worker's LRU.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import redis  # celery[redis] brings it; only a CACHE_URL connects to a server
from flask import current_app

# Bump when the card's shape changes, so a shared cache never serves the old shape after a deploy.
SHAPE = 1
_EXTENSION = "firstfix_day_cache"


@dataclass(frozen=True, slots=True)
class DayKey:
    """What the serialised day depends on; the body is the same for the same key."""

    technician_id: int
    day: date
    last_seq: int
    window: int

    @property
    def name(self) -> str:
        return f"me-day:{SHAPE}:{self.technician_id}:{self.day}:{self.last_seq}:{self.window}"

    @property
    def etag(self) -> str:
        """Strong, opaque to the phone, and unquoted (as werkzeug's ETag helpers take it)."""
        return hashlib.blake2b(self.name.encode(), digest_size=12).hexdigest()


class Store(Protocol):
    def get(self, name: str) -> bytes | None: ...

    def put(self, name: str, body: bytes, *, seconds: int) -> None: ...


class MemoryStore:
    """A bounded LRU per worker; an entry of a past window is never asked for again and ages out."""

    def __init__(self, entries: int) -> None:
        self._entries = entries
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn's threaded workers share one store

    def get(self, name: str) -> bytes | None:
        with self._lock:
            body = self._bodies.get(name)
            if body is not None:
                self._bodies.move_to_end(name)
            return body

    def put(self, name: str, body: bytes, *, seconds: int) -> None:
        with self._lock:
            self._bodies[name] = body
            self._bodies.move_to_end(name)
            while len(self._bodies) > self._entries:
                self._bodies.popitem(last=False)


class RedisStore:
    """One cache for all workers and hosts; Redis expires each entry with its window.

    A cache that is down or slow must not take the day down: errors count as misses.
    """

    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=0.25)
        self._errors = redis.RedisError

    def get(self, name: str) -> bytes | None:
        try:
            return self._redis.get(name)  # type: ignore[return-value]
        except self._errors:
            return None

    def put(self, name: str, body: bytes, *, seconds: int) -> None:
        try:
            self._redis.set(name, body, ex=seconds)
        except self._errors:
            return


class LayeredStore:
    """This worker's LRU in front of the shared store.

    Every key names a body that stays valid for the key's whole window, so a worker's own
    copy is never staler than the shared one, and a hit costs no round trip to Redis (which
    costs about as much as the rest of a cached read); the shared store still saves the
    other workers the build.
    """

    def __init__(self, near: Store, far: Store) -> None:
        self._near, self._far = near, far

    def get(self, name: str) -> bytes | None:
        body = self._near.get(name)
        if body is None:
            body = self._far.get(name)
            if body is not None:
                self._near.put(name, body, seconds=0)  # the LRU ages entries out by itself
        return body

    def put(self, name: str, body: bytes, *, seconds: int) -> None:
        self._near.put(name, body, seconds=seconds)
        self._far.put(name, body, seconds=seconds)


def day_key(technician_id: int, day: date, last_seq: int) -> DayKey:
    """The key for now; with caching off every request gets its own window (never a hit).

    Each technician's windows start at their own phase, so the days are rebuilt spread over
    the window rather than all at once at its end.
    """
    seconds = current_app.config["DAY_CACHE_SECONDS"]
    if seconds <= 0:
        return DayKey(technician_id, day, last_seq, time.monotonic_ns())
    return DayKey(technician_id, day, last_seq, int((time.time() + technician_id) // seconds))


def fetch(key: DayKey, build: Callable[[], bytes]) -> bytes:
    """The stored body for this key, or a freshly built one, kept for the rest of its window."""
    cache = _store()
    body = cache.get(key.name) if cache else None
    if body is None:
        body = build()
        if cache:
            cache.put(key.name, body, seconds=current_app.config["DAY_CACHE_SECONDS"])
    return body


def _store() -> Store | None:
    """The app's store, built on first use (nothing at import time); None when caching is off."""
    config = current_app.config
    if config["DAY_CACHE_SECONDS"] <= 0:
        return None
    if _EXTENSION not in current_app.extensions:
        url = config["CACHE_URL"]
        near = MemoryStore(config["DAY_CACHE_ENTRIES"])
        current_app.extensions[_EXTENSION] = LayeredStore(near, RedisStore(url)) if url else near
    return current_app.extensions[_EXTENSION]  # type: ignore[no-any-return]


def forget_all() -> None:
    """Drop the app's store (tests, whose truncated tables hand out the same ids again)."""
    current_app.extensions.pop(_EXTENSION, None)
