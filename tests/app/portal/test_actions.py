"""Confirm, notes, cancel and refuse a technician: each recorded on the case as `portal`."""

from sqlalchemy import select

from app.cases.models import Interaction
from app.customers.models import TechnicianPreference
from app.extensions import db
from app.parts.models import Reservation
from app.visits.assignment import list_candidates


def _portal_summaries(case_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(Interaction.summary).where(
                Interaction.case_id == case_id,
                Interaction.channel == "portal",
                Interaction.direction == "inbound",
            )
        )
    )


def test_confirming_accepts_the_terms_once(client, booked_case, link_for):
    token, survey = link_for(booked_case["case"]), booked_case["survey"]

    first = client.post(f"/api/v1/portal/{token}/confirm", json={"terms_version": "2026-11"})
    again = client.post(f"/api/v1/portal/{token}/confirm", json={"terms_version": "2026-11"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["visit_id"] == survey.id
    assert again.json == first.json
    assert client.get(f"/api/v1/portal/{token}").json["upcoming"][0]["confirmed"] is True
    assert _portal_summaries(booked_case["case"].id) == [
        f"Appointment confirmed for visit {survey.id}; terms 2026-11 accepted"
    ]


def test_confirming_old_terms_is_refused_with_the_current_version(client, booked_case, link_for):
    response = client.post(
        f"/api/v1/portal/{link_for(booked_case['case'])}/confirm",
        json={"terms_version": "2019-01"},
    )

    assert response.status_code == 409
    assert response.json["current_terms_version"] == "2026-11"


def test_another_case_s_visit_is_not_found(client, booked_case, link_for, create_case):
    token = link_for(create_case())
    visit_id = booked_case["survey"].id

    for path, body in [
        ("confirm", {"terms_version": "2026-11", "visit_id": visit_id}),
        ("cancel", {"reason": "no", "visit_id": visit_id}),
        ("refuse-technician", {"reason": "no", "visit_id": visit_id}),
    ]:
        response = client.post(f"/api/v1/portal/{token}/{path}", json=body)
        assert response.status_code == 404, path
    assert client.get(f"/api/v1/portal/{token}/slots?visit_id={visit_id}").status_code == 404


def test_a_note_lands_on_the_case(client, booked_case, link_for):
    token = link_for(booked_case["case"])

    response = client.post(f"/api/v1/portal/{token}/notes", json={"text": "Ring twice"})
    empty = client.post(f"/api/v1/portal/{token}/notes", json={"text": ""})

    assert response.status_code == 204
    assert empty.status_code == 422
    assert _portal_summaries(booked_case["case"].id) == ["Ring twice"]


def test_cancelling_frees_the_parts_and_cannot_happen_twice(client, booked_case, link_for):
    token, installation = link_for(booked_case["case"]), booked_case["installation"]
    body = {"reason": "We moved house", "visit_id": installation.id}

    cancelled = client.post(f"/api/v1/portal/{token}/cancel", json=body)
    again = client.post(f"/api/v1/portal/{token}/cancel", json=body)

    assert cancelled.status_code == 200
    assert (cancelled.json["status"], cancelled.json["status_text"]) == ("cancelled", "cancelled")
    assert again.status_code == 409
    assert db.session.scalars(select(Reservation.status)).all() == ["released"]
    assert _portal_summaries(booked_case["case"].id) == [
        "Cancelled the installation: We moved house"
    ]


def test_refusing_a_technician_excludes_him_with_provenance_and_frees_the_visit(
    client, booked_case, link_for, dispatcher
):
    case, survey, dana = booked_case["case"], booked_case["survey"], booked_case["dana"]
    token = link_for(case)

    response = client.post(
        f"/api/v1/portal/{token}/refuse-technician", json={"reason": "Was rude last time"}
    )

    assert response.status_code == 200
    assert response.json["technician"] == "Dana"
    assert response.json["unassigned_visits"] == [survey.id]
    preference = db.session.scalars(select(TechnicianPreference)).one()
    assert (preference.technician_id, preference.kind) == (dana.id, "excluded")
    assert (preference.source, preference.case_id, preference.reason) == (
        "portal",
        case.id,
        "Was rude last time",
    )
    db.session.expire_all()
    assert client.get(f"/api/v1/portal/{token}").json["upcoming"][0]["technician"] is None
    dana_row = next(
        r for r in list_candidates(survey.id, actor=dispatcher) if r["name"] == dana.name
    )
    assert [reason["code"] for reason in dana_row["reasons"]] == ["excluded_by_customer"]
    assert _portal_summaries(case.id) == ["Asked not to send Dana again: Was rude last time"]


def test_staff_see_where_an_exclusion_came_from(client, booked_case, link_for, agent_headers):
    case = booked_case["case"]
    client.post(f"/api/v1/portal/{link_for(case)}/refuse-technician", json={"reason": "No"})

    preferences = client.get(
        f"/api/v1/customers/{case.customer_id}/technician-preferences", headers=agent_headers
    ).json

    assert preferences[0]["source"] == "portal"
    assert preferences[0]["case_number"] == case.number


def test_refusing_before_anyone_was_sent_says_so(client, create_visit, link_for):
    visit = create_visit()

    response = client.post(
        f"/api/v1/portal/{link_for(visit.case)}/refuse-technician", json={"reason": "pre-emptive"}
    )

    assert response.status_code == 422
