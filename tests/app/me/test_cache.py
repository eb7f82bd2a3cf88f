"""The day cache across workers: each worker's LRU in front of one Redis, which may be down."""

import os

import pytest
import redis

from app.db import counting_statements
from app.extensions import db
from app.me.cache import LayeredStore, MemoryStore, forget_all
from tests.conftest import MONDAY

PATH = f"/api/v1/me/visits?date={MONDAY.isoformat()}"


@pytest.fixture
def shared_cache(app, monkeypatch):
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis run skipped: set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)")
    server = redis.Redis.from_url(url)

    def clear() -> None:
        for key in server.scan_iter("me-day:*"):
            server.delete(key)

    clear()
    monkeypatch.setitem(app.config, "CACHE_URL", url)
    forget_all()
    yield server
    clear()


@pytest.mark.xdist_group("redis-day-cache")  # one Redis database: never two runs at once
def test_a_day_one_worker_built_is_served_to_the_others_from_redis(
    client, technician_user, book, shared_cache
):
    book(technician_user["technician"], hour=9)
    first = client.get(PATH, headers=technician_user["headers"])
    forget_all()  # another worker: its own LRU is empty, and it keeps no account row yet
    db.forget_watched_rows()

    with counting_statements() as seen:
        again = client.get(PATH, headers=technician_user["headers"])

    assert again.json == first.json and again.headers["ETag"] == first.headers["ETag"]
    assert len(seen) == 1
    assert list(shared_cache.scan_iter("me-day:*"))


def test_the_day_is_served_while_redis_is_down(app, client, technician_user, book, monkeypatch):
    book(technician_user["technician"], hour=9)
    monkeypatch.setitem(app.config, "CACHE_URL", "redis://127.0.0.1:1/0")  # nothing listens
    forget_all()

    response = client.get(PATH, headers=technician_user["headers"])

    assert response.status_code == 200 and len(response.json) == 1


class CountingStore(MemoryStore):
    def __init__(self) -> None:
        super().__init__(entries=10)
        self.asked = 0

    def get(self, name: str) -> bytes | None:
        self.asked += 1
        return super().get(name)


def test_a_worker_keeps_what_it_fetched_from_the_shared_store():
    near, far = MemoryStore(entries=10), CountingStore()
    far.put("day", b"[]", seconds=60)
    store = LayeredStore(near, far)

    assert store.get("day") == store.get("day") == b"[]"
    assert far.asked == 1
    assert near.get("day") == b"[]"
