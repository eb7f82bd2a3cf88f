"""Two clients with one If-Match, and a database that drops connections under load."""

import itertools
import threading
import time

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.served.conftest import DISPATCHER, Served

ROUNDS = 100
_keys = itertools.count(1)


def _new_visit(served: Served, headers: dict[str, str]) -> int:
    site = {"address": "1 Race St", "latitude": 39.7, "longitude": -104.9}
    customer = requests.post(
        f"{served.api}/customers",
        json={"name": "Race Customer", "sites": [{**site, "timezone": "America/Denver"}]},
        headers=headers,
        timeout=30,
    ).json()
    case = requests.post(
        f"{served.api}/cases",
        json={"customer_id": customer["id"], "site_id": customer["sites"][0]["id"],
              "title": "Racing", "channel": "phone"},
        headers=headers,
        timeout=30,
    ).json()  # fmt: skip
    visit = requests.post(
        f"{served.api}/cases/{case['number']}/visits",
        json={"type": "maintenance", "window_start": "2031-06-02T08:00:00-06:00",
              "window_end": "2031-06-02T17:00:00-06:00"},
        headers=headers,
        timeout=30,
    )  # fmt: skip
    assert visit.status_code == 201, visit.text
    return visit.json()["id"]


def test_two_patches_with_one_if_match_give_one_200_and_one_412_every_round(serve):
    served = serve("flask")
    headers = served.token(*DISPATCHER)
    url = f"{served.api}/visits/{_new_visit(served, headers)}"
    outcomes = []
    for round_ in range(ROUNDS):
        etag = requests.get(url, headers=headers, timeout=30).headers["ETag"]
        outcomes.append(_race(url, {**headers, "If-Match": etag}, locked=round_ % 2 == 0))

    assert set(outcomes) == {(200, 412)}


def _race(url: str, headers: dict[str, str], *, locked: bool) -> tuple[int, ...]:
    """Two PATCHes sent at the same moment with the same headers; their statuses, sorted."""
    barrier, statuses = threading.Barrier(2), []

    def patch() -> None:
        barrier.wait()
        response = requests.patch(url, json={"locked": locked}, headers=headers, timeout=30)
        statuses.append(response.status_code)

    racers = [threading.Thread(target=patch) for _ in range(2)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    return tuple(sorted(statuses))


def test_dropped_connections_answer_503_and_a_retry_writes_once(serve, served_database):
    if not served_database.startswith("postgresql"):
        pytest.skip("connections are terminated on PostgreSQL; SQLite has none to drop")
    served = serve("gunicorn", workers=4)
    headers = served.token(*DISPATCHER)
    until = time.monotonic() + 15
    statuses: list[int] = []
    names: list[str] = []

    def create_customers() -> None:
        while time.monotonic() < until:
            key = f"fault-{next(_keys)}"
            names.append(key)
            while True:  # as a phone retries: the same key until an answer that is not 503
                response = requests.post(
                    f"{served.api}/customers",
                    json={"name": key},
                    headers={**headers, "Idempotency-Key": key},
                    timeout=30,
                )
                statuses.append(response.status_code)
                if response.status_code != 503:
                    break
                time.sleep(float(response.headers["Retry-After"]) / 10)

    def terminate_connections() -> None:
        admin = create_engine(served_database, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            while time.monotonic() < until:
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
                time.sleep(0.5)
        admin.dispose()

    threads = [threading.Thread(target=create_customers) for _ in range(4)]
    threads.append(threading.Thread(target=terminate_connections))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    print(f"{len(statuses)} requests: {statuses.count(503)} x 503, {statuses.count(201)} x 201")
    assert [status for status in statuses if status >= 500 and status != 503] == []
    assert statuses.count(503) > 0  # the faults did happen
    engine = create_engine(served_database)
    with engine.connect() as connection:
        counts = dict(
            connection.execute(
                text("SELECT name, count(*) FROM customers WHERE name LIKE 'fault-%' GROUP BY name")
            ).all()
        )
    engine.dispose()
    assert {name: counts.get(name, 0) for name in names} == dict.fromkeys(names, 1)
