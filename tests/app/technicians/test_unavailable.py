"""POST /technicians/{id}/unavailable: time off from now on, and the bookings it breaks."""

from app.visits.assignment import assign_technician
from tests.conftest import MONDAY, denver


def test_a_sick_technician_gets_time_off_to_the_end_of_their_day_and_the_broken_bookings(
    client, dispatcher_headers, create_technician, create_visit, dispatcher
):
    sick = create_technician()
    morning, afternoon = create_visit(), create_visit()
    for visit, hour in ((morning, 9), (afternoon, 15)):
        assign_technician(
            visit.id, technician_id=sick.id, start=denver(MONDAY, hour), actor=dispatcher
        )

    response = client.post(
        f"/api/v1/technicians/{sick.id}/unavailable",
        json={"from": denver(MONDAY, 12).isoformat()},
        headers=dispatcher_headers,
    )

    assert response.status_code == 201, response.json
    assert response.json["affected_visit_ids"] == [afternoon.id]
    assert response.json["time_off"]["end"] == "2031-06-03T06:00:00+00:00"  # Denver midnight
    technician = client.get(f"/api/v1/technicians/{sick.id}", headers=dispatcher_headers).json
    assert technician["time_off"][-1]["start"] == "2031-06-02T18:00:00+00:00"


def test_until_must_come_after_from(client, dispatcher_headers, create_technician):
    sick = create_technician()
    body = {"from": denver(MONDAY, 12).isoformat(), "until": denver(MONDAY, 12).isoformat()}

    response = client.post(
        f"/api/v1/technicians/{sick.id}/unavailable", json=body, headers=dispatcher_headers
    )

    assert response.status_code == 422


def test_only_a_dispatcher_marks_someone_unavailable(client, agent_headers, create_technician):
    sick = create_technician()

    response = client.post(
        f"/api/v1/technicians/{sick.id}/unavailable",
        json={"from": denver(MONDAY, 12).isoformat()},
        headers=agent_headers,
    )

    assert response.status_code == 403
