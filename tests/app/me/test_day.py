"""GET /me/visits: the day in route order, everything for the job, in a fixed number of queries."""

from typing import Any

import pytest
from psycopg.pq import TransactionStatus
from sqlalchemy import Engine, event, text

from app.cases.interactions import add_interaction
from app.cases.service import update_case
from app.customers.service import add_asset
from app.db import counting_statements
from app.extensions import db
from app.parts.service import create_stock_location, set_stock
from app.visits.events import record_event
from app.visits.service import record_diagnosis
from tests.conftest import MONDAY, deactivate_elsewhere, eventually


def _day(client, headers, day=MONDAY):
    return client.get(f"/api/v1/me/visits?date={day.isoformat()}", headers=headers)


def test_the_day_lists_only_my_visits_in_route_order(
    client, technician_user, book, create_technician
):
    me = technician_user["technician"]
    late, early = book(me, hour=13), book(me, hour=9)
    book(create_technician(), hour=9)

    response = _day(client, technician_user["headers"])

    assert response.status_code == 200
    assert [card["id"] for card in response.json] == [early.id, late.id]
    assert response.json[0]["travel_from"] == "home"
    assert response.json[1]["travel_from"] == "previous_visit"


def test_a_card_carries_customer_site_asset_case_diagnosis_parts_and_history(
    client, technician_user, book, create_customer, create_case, dispatcher, catalog
):
    me = technician_user["technician"]
    customer = create_customer()
    site = customer.sites[0]
    site.access_notes = "Gate code 4411"
    asset = add_asset(
        customer.id,
        site_id=site.id,
        kind="furnace",
        make="Lennox",
        serial="SN-9",
        warranty_until=MONDAY,
    )
    case = create_case(customer, asset_id=asset.id)
    van = create_stock_location("Van 1", kind="van", technician_id=me.id)
    set_stock(van.id, sku="CAP-35-5", on_hand=3)
    visit = book(
        me,
        case=case,
        required_parts=[{"sku": "CAP-45-5", "quantity": 1}],
    )
    record_diagnosis(
        visit.id,
        actor=dispatcher,
        findings="Contactor pitted",
        estimated_minutes=30,
        required_parts=[{"sku": "CAP-35-5", "quantity": 1}],
    )
    add_interaction(case, actor=None, channel="sms", direction="inbound", summary="Running late?")
    db.session.commit()

    card = _day(client, technician_user["headers"]).json[0]

    assert card["customer"]["name"] == customer.name
    assert card["customer"]["phone"].startswith("+1303")
    assert card["site"]["access_notes"] == "Gate code 4411"
    assert card["asset"]["make"] == "Lennox" and card["asset"]["warranty"] == "in_warranty"
    assert card["case"]["number"] == case.number
    assert card["diagnosis"]["findings"] == "Contactor pitted"
    assert card["diagnosis"]["parts"][0] | {"ready_at": None} == {
        "code": "CAP-35-5",
        "name": "Run capacitor 35/5 uF",
        "quantity": 1,
        "source": "van",
        "location": None,
        "ready_at": None,
    }
    assert card["parts"] == [
        {
            "code": "CAP-45-5",
            "name": "Run capacitor 45/5 uF",
            "quantity": 1,
            "source": "warehouse",
            "location": "Central warehouse",
            "ready_at": card["parts"][0]["ready_at"],
        }
    ]
    assert card["required_skills"] == [{"code": "hvac", "name": "Heating and cooling", "level": 1}]
    assert [entry["channel"] for entry in card["interactions"]] == ["sms", "phone"]
    assert card["etag"].startswith('"') and card["diagnosis"]["etag"].startswith('"')
    assert card["travel_seconds"] == 0


def test_the_day_is_the_technicians_local_day(client, technician_user, book):
    book(technician_user["technician"], hour=9)

    sunday = _day(client, technician_user["headers"], MONDAY.replace(day=1))

    assert sunday.status_code == 200
    assert sunday.json == []


def test_the_query_count_does_not_grow_with_the_day(
    client, technician_user, book, create_technician
):
    me, headers = technician_user["technician"], technician_user["headers"]
    book(me, hour=8, required_parts=[{"sku": "CAP-45-5", "quantity": 1}])
    with counting_statements() as one:
        assert len(_day(client, headers).json) == 1
    for hour in range(9, 16):
        book(me, hour=hour, required_parts=[{"sku": "CAP-45-5", "quantity": 1}])
    with counting_statements() as eight:
        assert len(_day(client, headers).json) == 8

    assert len(one) == len(eight) <= 6


def test_only_technicians_have_a_day(client, dispatcher_headers, make_user, headers_for):
    from app.auth.models import Role

    stranger = headers_for(make_user(Role.TECHNICIAN))

    assert _day(client, dispatcher_headers).status_code == 403
    assert _day(client, stranger).status_code == 404


def test_an_unchanged_day_comes_from_the_cache_without_a_query_on_postgresql(
    client, technician_user, book
):
    me, headers = technician_user["technician"], technician_user["headers"]
    for hour in (9, 11, 13):
        book(me, hour=hour, required_parts=[{"sku": "CAP-45-5", "quantity": 1}])
    first = _day(client, headers)

    with counting_statements() as seen:
        again = _day(client, headers)

    assert again.status_code == 200 and again.json == first.json
    assert again.headers["ETag"] == first.headers["ETag"]
    # SQLite reads the account, the technician and their feed number, together; PostgreSQL's
    # workers keep that row until a write to it is announced (app/watched_rows.py).
    assert len(seen) == (1 if db.is_sqlite else 0)


def test_an_event_on_my_visit_shows_at_once(client, technician_user, book):
    me, headers = technician_user["technician"], technician_user["headers"]
    visit = book(me, hour=9)
    before = _day(client, headers)
    record_event(visit.id, actor=technician_user["principal"], type="en_route")

    after = _day(client, headers)

    assert before.json[0]["status"] != after.json[0]["status"] == "en_route"
    assert after.headers["ETag"] != before.headers["ETag"]


def test_a_new_diagnosis_shows_at_once(client, technician_user, book, dispatcher):
    me, headers = technician_user["technician"], technician_user["headers"]
    visit = book(me, hour=9)
    assert _day(client, headers).json[0]["diagnosis"] is None
    record_diagnosis(visit.id, actor=dispatcher, findings="Flue blocked", estimated_minutes=20)

    assert _day(client, headers).json[0]["diagnosis"]["findings"] == "Flue blocked"


def test_what_another_technician_does_on_my_case_shows_at_once(
    client, technician_user, book, create_technician, dispatcher
):
    me, headers = technician_user["technician"], technician_user["headers"]
    mine = book(me, hour=13)
    theirs = book(create_technician(), hour=9, case=mine.case)
    assert _day(client, headers).json[0]["previous_visits"] == []
    for step in ("en_route", "on_site"):
        record_event(theirs.id, actor=dispatcher, type=step)
    record_event(theirs.id, actor=dispatcher, type="no_access", reason="Nobody home")
    update_case(mine.case.number, title="Furnace short-cycles")

    card = _day(client, headers).json[0]

    assert [entry["outcome"] for entry in card["previous_visits"]] == ["no_access"]
    assert card["case"]["title"] == "Furnace short-cycles"


def test_customer_and_site_changes_show_at_once(client, technician_user, book):
    me, headers = technician_user["technician"], technician_user["headers"]
    visit = book(me, hour=9)
    before = _day(client, headers).json[0]
    visit.case.customer.name = "Ada Lovelace-Byron"
    visit.case.site.access_notes = "Gate code 4411"
    db.session.commit()

    after = _day(client, headers).json[0]

    assert after["customer"]["name"] == "Ada Lovelace-Byron" != before["customer"]["name"]
    assert after["site"]["access_notes"] == "Gate code 4411"


def test_a_change_to_my_van_stock_rebuilds_my_day(client, technician_user, book):
    me, headers = technician_user["technician"], technician_user["headers"]
    book(me, hour=9, required_parts=[{"sku": "CAP-45-5", "quantity": 1}])
    van = create_stock_location("Van 7", kind="van", technician_id=me.id)
    before = _day(client, headers).headers["ETag"]
    set_stock(van.id, sku="CAP-45-5", on_hand=3)

    assert _day(client, headers).headers["ETag"] != before


def test_the_phone_revalidates_with_the_etag_and_gets_no_body(client, technician_user, book):
    me, headers = technician_user["technician"], technician_user["headers"]
    visit = book(me, hour=9)
    etag = _day(client, headers).headers["ETag"]

    unchanged = _day(client, {**headers, "If-None-Match": etag})
    record_event(visit.id, actor=technician_user["principal"], type="en_route")
    changed = _day(client, {**headers, "If-None-Match": etag})

    assert unchanged.status_code == 304 and unchanged.data == b""
    assert unchanged.headers["ETag"] == etag
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_the_cache_is_off_with_zero_seconds(app, client, technician_user, book, monkeypatch):
    me, headers = technician_user["technician"], technician_user["headers"]
    book(me, hour=9)
    monkeypatch.setitem(app.config, "DAY_CACHE_SECONDS", 0)
    first = _day(client, headers)

    with counting_statements() as seen:
        again = _day(client, headers)

    assert again.json == first.json and again.headers["ETag"] != first.headers["ETag"]
    assert len(seen) > 3


def test_a_kept_account_is_refused_once_another_worker_deactivates_it(
    client, technician_user, book
):
    """The row a worker keeps (PostgreSQL) goes with the notice of the write; SQLite reads."""
    me, headers = technician_user["technician"], technician_user["headers"]
    book(me, hour=9)
    assert _day(client, headers).status_code == 200

    deactivate_elsewhere(technician_user["principal"].user_id)
    response = eventually(lambda: _day(client, headers), lambda answer: answer.status_code != 200)

    assert response.status_code == 401 and "no longer active" in response.json["detail"]


def test_the_day_is_read_outside_any_transaction(app, client, technician_user, book, monkeypatch):
    """psycopg deallocates its prepared statements on every ROLLBACK: in autocommit the day's
    joins are planned once per connection, not once per request."""
    if db.is_sqlite:
        pytest.skip("SQLite reads in-process; PostgreSQL only")
    book(technician_user["technician"], hour=9)
    monkeypatch.setitem(app.config, "DAY_CACHE_SECONDS", 0)
    states: list[TransactionStatus] = []

    def record(_conn: Any, cursor: Any, *_args: Any) -> None:
        states.append(cursor.connection.info.transaction_status)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        assert _day(client, technician_user["headers"]).status_code == 200
    finally:
        event.remove(Engine, "before_cursor_execute", record)

    assert len(states) >= 5 and set(states) == {TransactionStatus.IDLE}


def test_after_its_own_commit_a_worker_waits_for_the_notices_before_its_next_lookup(
    client, technician_user, book
):
    """Its next request must see what it wrote even when PostgreSQL's notice is slow."""
    if db.is_sqlite:
        pytest.skip("SQLite keeps no rows; PostgreSQL only")
    me, headers = technician_user["technician"], technician_user["headers"]
    _day(client, headers)
    before = _last_wait_for_notices()
    book(me, hour=11)  # committed by this worker

    assert len(_day(client, headers).json) == 1
    assert _last_wait_for_notices() > before


def _last_wait_for_notices() -> Any:
    """When the listening connection last sent its marker notice (a fresh snapshot each time)."""
    started = db.session.scalar(
        text(
            "SELECT max(query_start) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND query LIKE 'SELECT pg_notify(%'"
        )
    )
    db.session.rollback()
    return started
