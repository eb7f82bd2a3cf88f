"""How rows become the solver's input: free time and where a technician starts from."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import dispatch
from app.plans.bookings import current_bookings
from app.plans.problem_builder import TRAVEL, Built, last_position, longest_free, seconds
from app.plans.scope import local_day
from app.visits.assignment import assign_technician
from app.visits.events import record_event
from skills import Interval, Qualification
from tests.conftest import MONDAY, denver

DENVER_DAY = local_day(MONDAY, ZoneInfo("America/Denver"))


def test_a_replan_starts_from_the_site_of_the_last_report(
    create_technician, create_visit, create_customer, create_case, dispatcher
):
    technician = create_technician(home={"latitude": 39.74, "longitude": -104.99})
    far = create_customer(
        sites=[
            {
                "address": "Boulder",
                "latitude": 40.01,
                "longitude": -105.27,
                "timezone": "America/Denver",
            }
        ]
    )
    visit = create_visit(create_case(far))
    assert last_position(technician, *DENVER_DAY) == (39.74, -104.99)
    assign_technician(
        visit.id, technician_id=technician.id, start=denver(MONDAY, 9), actor=dispatcher
    )
    record_event(visit.id, actor=dispatcher, type="on_site", at=denver(MONDAY, 9, 5))

    assert last_position(technician, *DENVER_DAY) == (40.01, -105.27)


def test_free_time_is_the_longest_stretch_outside_time_off_and_the_past():
    shift = Interval(denver(MONDAY, 8), denver(MONDAY, 17))
    qualification = Qualification(
        technician_id=1,
        shifts=(shift,),
        time_off=(Interval(denver(MONDAY, 11), denver(MONDAY, 12)),),
    )

    assert longest_free(qualification, now=datetime(2000, 1, 1, tzinfo=UTC)) == Interval(
        denver(MONDAY, 12), denver(MONDAY, 17)
    )
    assert longest_free(qualification, now=denver(MONDAY, 13)) == Interval(
        denver(MONDAY, 13), denver(MONDAY, 17)
    )
    assert longest_free(qualification, now=denver(MONDAY, 18)) is None


def test_a_replan_starts_from_the_bookings_that_still_fit(
    create_technician, create_visit, dispatcher
):
    technician = create_technician()
    early, late, outside = (create_visit() for _ in range(3))
    for visit, hour in ((late, 13), (early, 9), (outside, 15)):
        assign_technician(
            visit.id, technician_id=technician.id, start=denver(MONDAY, hour), actor=dispatcher
        )
    epoch = datetime.combine(MONDAY, time(), UTC)
    planned = [
        dispatch.Visit(
            id=str(visit.id),
            location=(39.74, -104.99),
            duration=3600,
            windows=(dispatch.TimeWindow(0, seconds(denver(MONDAY, 14), epoch, up=False)),),
            eligible=frozenset({str(technician.id)}),
        )
        for visit in (early, late, outside)
    ]
    shift = dispatch.TimeWindow(0, 24 * 3600)
    working = (dispatch.Technician(str(technician.id), shift, (39.74, -104.99)),)
    built = Built(dispatch.Problem(working, tuple(planned), TRAVEL), epoch, {}, {})

    (route,) = current_bookings(built).routes

    assert route.technician == str(technician.id)
    assert [stop.visit for stop in route.stops] == [str(early.id), str(late.id)]
    assert route.stops[0].start == seconds(denver(MONDAY, 9), epoch, up=True)
