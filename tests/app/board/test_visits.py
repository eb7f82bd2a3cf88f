"""GET /visits: a day's visits by each site's local day, filtered, paged, for dispatchers."""

from datetime import UTC, datetime, timedelta

import pytest

from app.auth.models import Role
from app.visits.assignment import assign_technician
from tests.conftest import MONDAY, denver

TUESDAY = MONDAY + timedelta(days=1)
LONDON_SITE = {
    "address": "1 Strand, London",
    "latitude": 51.51,
    "longitude": -0.12,
    "timezone": "Europe/London",
}


def _ids(response):
    assert response.status_code == 200, response.json
    return [visit["id"] for visit in response.json]


def _list(client, headers, **args):
    return client.get("/api/v1/visits", query_string=args, headers=headers)


def test_a_visit_counts_on_its_sites_local_day_not_the_utc_day(
    client, dispatcher_headers, create_visit, create_case, create_customer
):
    london = create_case(customer := create_customer(sites=[LONDON_SITE]))
    assert customer.sites[0].timezone == "Europe/London"
    # 00:30-02:00 on Tuesday in London (BST) is 23:30 Monday UTC: Tuesday's visit, locally.
    late = create_visit(
        london,
        window_start=datetime(2031, 6, 2, 23, 30, tzinfo=UTC),
        window_end=datetime(2031, 6, 3, 1, 0, tzinfo=UTC),
    )
    denver_monday = create_visit()

    monday = _ids(_list(client, dispatcher_headers, date=MONDAY.isoformat()))
    tuesday = _ids(_list(client, dispatcher_headers, date=TUESDAY.isoformat()))

    assert monday == [denver_monday.id]
    assert tuesday == [late.id]


def test_a_booked_visit_counts_on_its_booking_day_not_its_window(
    client, dispatcher_headers, dispatcher, create_visit, create_technician
):
    technician = create_technician()
    visit = create_visit(window_start=denver(MONDAY, 8), window_end=denver(TUESDAY, 17))
    assign_technician(
        visit.id, technician_id=technician.id, start=denver(TUESDAY, 9), actor=dispatcher
    )

    assert _ids(_list(client, dispatcher_headers, date=MONDAY.isoformat())) == []
    assert _ids(_list(client, dispatcher_headers, date=TUESDAY.isoformat())) == [visit.id]


def test_filters_by_technician_status_and_case(
    client, dispatcher_headers, dispatcher, create_visit, create_technician
):
    technician = create_technician()
    booked, unbooked = create_visit(), create_visit()
    assign_technician(
        booked.id, technician_id=technician.id, start=denver(MONDAY, 9), actor=dispatcher
    )
    day = MONDAY.isoformat()

    assert _ids(_list(client, dispatcher_headers, date=day, technician_id=technician.id)) == [
        booked.id
    ]
    assert _ids(_list(client, dispatcher_headers, date=day, status="unassigned")) == [unbooked.id]
    assert _ids(_list(client, dispatcher_headers, case=unbooked.case.number)) == [unbooked.id]
    assert _list(client, dispatcher_headers, status="lost").status_code == 422


def test_an_unbooked_visit_belongs_to_the_nearest_technicians_territory(
    client,
    dispatcher_headers,
    dispatcher,
    create_visit,
    create_case,
    create_customer,
    create_technician,
):
    create_technician(territory="denver-central")
    boulder = create_technician(territory="boulder", home={"latitude": 40.01, "longitude": -105.27})
    near_boulder = create_customer(
        sites=[
            {
                "address": "Pearl St",
                "latitude": 40.02,
                "longitude": -105.28,
                "timezone": "America/Denver",
            }
        ]
    )
    up_north, in_town = create_visit(create_case(near_boulder)), create_visit()
    booked_in_town = create_visit()
    assign_technician(
        booked_in_town.id, technician_id=boulder.id, start=denver(MONDAY, 9), actor=dispatcher
    )
    day = MONDAY.isoformat()

    boulder_ids = _ids(_list(client, dispatcher_headers, date=day, territory="boulder"))
    central_ids = _ids(_list(client, dispatcher_headers, date=day, territory="denver-central"))

    assert sorted(boulder_ids) == sorted([up_north.id, booked_in_town.id])
    assert central_ids == [in_town.id]


def test_the_list_is_paged_with_links(client, dispatcher_headers, create_visit):
    for _ in range(3):
        create_visit()

    response = _list(client, dispatcher_headers, date=MONDAY.isoformat(), page_size=2)

    assert len(response.json) == 2
    assert '"total": 3' in response.headers["X-Pagination"]
    assert 'rel="next"' in response.headers["Link"]


@pytest.mark.parametrize(("role", "status"), [(Role.AGENT, 403), (Role.TECHNICIAN, 404)])
def test_only_dispatchers_and_admins_list_the_days_visits(
    client, make_user, headers_for, role, status
):
    admin = headers_for(make_user(Role.ADMIN))

    assert _list(client, headers_for(make_user(role)), date=MONDAY.isoformat()).status_code == (
        status
    )
    assert _list(client, admin, date=MONDAY.isoformat()).status_code == 200
    assert client.get("/api/v1/visits").status_code == 401
