"""GET /portal/{token}: what the customer sees, and what they never see."""

from app.auth.principal import Principal
from app.cases.interactions import record_interaction
from app.extensions import db
from app.parts.models import Reservation
from app.visits.events import record_event
from tests.app.portal.conftest import local, next_weekday
from tests.conftest import MONDAY, denver


def test_the_customer_sees_their_visits_in_plain_words(client, booked_case, link_for):
    response = client.get(f"/api/v1/portal/{link_for(booked_case['case'])}")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    shown = response.json
    assert (shown["title"], shown["status"]) == ("New heat pump", "scheduled")
    survey, installation = shown["upcoming"]
    assert survey["type"] == "site survey"
    assert survey["technician"] == {"first_name": "Dana", "trade": "heating and cooling"}
    assert survey["window_text"] == "Mon 2 Jun, 08:00\u201317:00"
    assert installation["type"] == "installation"
    assert installation["technician"] is None
    assert installation["prepare"][0] == "The site survey (Mon 2 Jun) has to happen first."
    assert installation["parts"] == [
        {"name": "Run capacitor 45/5 uF", "quantity": 1, "status_text": "part in stock"}
    ]
    assert shown["past"] == []


def test_a_part_on_order_says_when_it_arrives(client, booked_case, link_for, catalog):
    reservation = db.session.query(Reservation).one()
    arrival = next_weekday()
    reservation.ready_at = local(arrival, 10)
    db.session.commit()

    shown = client.get(f"/api/v1/portal/{link_for(booked_case['case'])}").json

    part = shown["upcoming"][1]["parts"][0]
    assert part["status_text"] == f"part ordered, arrives {arrival:%a}"


def test_the_technician_s_phone_home_and_full_name_never_show(client, booked_case, link_for):
    body = client.get(f"/api/v1/portal/{link_for(booked_case['case'])}").get_data(as_text=True)

    dana = booked_case["dana"]
    for secret in ("Whitfield", dana.phone, dana.email, "39.7", "-105", "latitude"):
        assert secret not in body


def test_on_the_way_shows_the_eta_stored_with_en_route(client, booked_case, link_for, dispatcher):
    survey = booked_case["survey"]
    record_event(
        survey.id,
        actor=dispatcher,
        type="en_route",
        at=denver(MONDAY, 8, 30),
        position={"latitude": 39.9, "longitude": -105.1},
    )
    db.session.refresh(survey)

    shown = client.get(f"/api/v1/portal/{link_for(booked_case['case'])}").json["upcoming"][0]

    assert (shown["on_the_way"], shown["status_text"]) == (True, "on the way")
    assert survey.eta_at is not None
    assert shown["eta"] == survey.eta_at.isoformat()
    assert denver(MONDAY, 8, 30) < survey.eta_at


def test_internal_notes_stay_internal(client, booked_case, link_for, agent: Principal):
    case = booked_case["case"]
    record_interaction(
        case,
        actor=agent,
        channel="phone",
        direction="inbound",
        summary="Customer rude, flag account",
        body="internal: do not offer discounts",
    )
    record_interaction(
        case, actor=agent, channel="technician", direction="outbound", summary="Dog bites"
    )
    token = link_for(case)
    client.post(f"/api/v1/portal/{token}/notes", json={"text": "Gate code 4411"})

    timeline = client.get(f"/api/v1/portal/{token}").json["timeline"]
    summaries = [entry["summary"] for entry in timeline]

    assert "Your phone call to us" in summaries
    assert "Gate code 4411" in summaries
    assert "Site survey: technician booked" in summaries
    assert not any("rude" in s or "discount" in s or "Dog" in s for s in summaries)
    assert not any("@" in s for s in summaries)
