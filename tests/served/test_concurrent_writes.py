"""Eight clients writing at once, with the relay sending what they queue: no 5xx, nothing lost."""

import itertools
import threading
import time
from datetime import date, timedelta

import pytest
import requests

from tests.served.conftest import DISPATCHER, Served

CLIENTS = 8
SECONDS = 20
_serial = itertools.count(1)


def _monday() -> date:
    day = date.today() + timedelta(days=60)
    return day + timedelta(days=-day.weekday())


class Writer:
    """One client's loop: customer, case, interaction, visit, booking, report, as an office does."""

    def __init__(self, served: Served, headers: dict[str, str], day: date) -> None:
        self.served, self.headers, self.day = served, headers, day
        self.statuses: list[int] = []
        self.created: list[str] = []  # URLs of what answered 201, to read back afterwards

    def run(self, until: float) -> None:
        while time.monotonic() < until:
            self.one_round()

    def one_round(self) -> None:
        serial = next(_serial)
        customer = self.post("/customers", _customer(serial), created="/customers/{id}")
        if customer is None:
            return
        case = self.post(
            "/cases",
            {"customer_id": customer["id"], "site_id": customer["sites"][0]["id"],
             "title": f"Fridge {serial} is warm", "channel": "phone"},
            created="/cases/{number}",
        )  # fmt: skip
        if case is None:
            return
        self.post(
            f"/cases/{case['number']}/interactions",
            {"channel": "phone", "direction": "inbound", "summary": "Called about it"},
        )
        window = _window(self.day)
        visit = self.post(
            f"/cases/{case['number']}/visits",
            {"type": "maintenance", **window},
            created="/visits/{id}",
        )
        if visit is not None:
            self.book_and_report(visit["id"], window["window_start"])

    def book_and_report(self, visit_id: int, start: str) -> None:
        candidates = self.call("get", f"/visits/{visit_id}/candidates")
        eligible = [row for row in candidates.json() if row["eligible"]] if candidates.ok else []
        if not eligible:
            return
        technician = eligible[serial_pick(visit_id, len(eligible))]["technician_id"]
        booked = self.call(
            "put", f"/visits/{visit_id}/assignment", {"technician_id": technician, "start": start}
        )
        if booked.ok:
            self.call("post", f"/visits/{visit_id}/events", {"type": "en_route"})

    def post(self, path: str, body: dict, created: str | None = None) -> dict | None:
        response = self.call("post", path, body)
        if response.status_code != 201:
            return None
        answer = response.json()
        if created:
            self.created.append(created.format(**answer))
        return answer

    def call(self, method: str, path: str, body: dict | None = None) -> requests.Response:
        response = requests.request(
            method, f"{self.served.api}{path}", json=body, headers=self.headers, timeout=60
        )
        self.statuses.append(response.status_code)
        return response


def serial_pick(visit_id: int, count: int) -> int:
    return visit_id % count


def _customer(serial: int) -> dict:
    return {
        "name": f"Served Customer {serial}",
        "phones": [f"+1303555{serial % 10000:04d}"],
        "sites": [
            {"address": f"{serial} Main St, Denver", "latitude": 39.74, "longitude": -104.99,
             "timezone": "America/Denver"}
        ],
    }  # fmt: skip


def _window(day: date) -> dict[str, str]:
    hour = 8 + next(_serial) % 8
    return {
        "window_start": f"{day.isoformat()}T{hour:02d}:00:00-06:00",
        "window_end": f"{day.isoformat()}T{hour + 1:02d}:00:00-06:00",
    }


@pytest.mark.parametrize("kind", ["flask", "gunicorn"])
def test_eight_writers_for_twenty_seconds_get_no_server_error(serve, kind):
    served = serve(kind)
    headers = served.token(*DISPATCHER)
    writers = [Writer(served, headers, _monday()) for _ in range(CLIENTS)]
    until = time.monotonic() + SECONDS
    threads = [threading.Thread(target=writer.run, args=(until,)) for writer in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = [status for writer in writers for status in writer.statuses]
    created = [url for writer in writers for url in writer.created]
    print(f"{kind}: {len(statuses)} requests, {sum(s >= 500 for s in statuses)} >= 500")
    assert [status for status in statuses if status >= 500] == []
    assert statuses.count(201) >= CLIENTS  # every client got work done
    unreadable = [
        url
        for url in created
        if requests.get(f"{served.api}{url}", headers=headers, timeout=30).status_code != 200
    ]
    assert unreadable == []
    assert served.server_errors() == []
