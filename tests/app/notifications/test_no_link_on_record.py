"""The customer's link goes to the customer only: nothing staff or technicians read carries it.

A portal link is a credential (cancel, reschedule, notes, photos for 30 days). The messages that
carry it are sent with it, and kept on the case with "[customer link]" in its place.
"""

import json
import re
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest

from app.auth.models import Role
from app.cases.models import Interaction
from app.extensions import db
from app.notifications.models import Notification
from app.notifications.relay import relay_once
from app.notifications.render import CUSTOMER_LINK
from tests.conftest import MONDAY, denver

LINK = re.compile(r"http://localhost/c/([A-Za-z0-9_.\-]+)")


@pytest.fixture
def sent_link(
    app,
    client,
    dispatcher_headers,
    agent_headers,
    create_visit,
    create_technician,
    make_user,
    headers_for,
    smtp_server,
    tmp_path,
    monkeypatch,
):
    """A booked visit whose confirmation went out by e-mail and SMS, and a link an agent issued."""
    sms_sink = tmp_path / "sms.jsonl"
    monkeypatch.setitem(app.config, "SMS_SINK_PATH", str(sms_sink))
    technician = create_technician(name="Ada Lovelace")
    visit = create_visit()
    booked = client.put(
        f"/api/v1/visits/{visit.id}/assignment",
        json={"technician_id": technician.id, "start": denver(MONDAY, 9).isoformat()},
        headers=dispatcher_headers,
    )
    assert booked.status_code == 200
    issued = client.post(
        f"/api/v1/cases/{visit.case.number}/portal-links", json={}, headers=agent_headers
    )
    assert issued.status_code == 201

    relay_once()

    message = message_from_bytes(smtp_server.messages[0].content, policy=default)
    email = message.get_body(preferencelist=("plain",)).get_content()
    (sms,) = [json.loads(line)["body"] for line in Path(sms_sink).read_text().splitlines()]
    tech_headers = headers_for(make_user(Role.TECHNICIAN, email=technician.email))
    return {
        "visit": visit,
        "technician": technician,
        "email": email,
        "sms": sms,
        "tokens": {issued.json["token"], *LINK.findall(email), *LINK.findall(sms)},
        "readers": {
            "technician": tech_headers,
            "agent": agent_headers,
            "dispatcher": dispatcher_headers,
        },
    }


def test_the_customer_receives_the_real_link_by_email_and_sms(client, sent_link):
    for message in (sent_link["email"], sent_link["sms"]):
        (token,) = LINK.findall(message)
        assert client.get(f"/c/{token}").status_code == 200
        assert CUSTOMER_LINK not in message


def test_the_case_keeps_the_messages_with_the_link_replaced(sent_link):
    rows = db.session.query(Notification).filter(Notification.status == "sent").all()
    kept = [row.body for row in rows] + [
        db.session.get(Interaction, r.interaction_id).body for r in rows
    ]

    assert {row.channel for row in rows} == {"email", "sms"}
    assert all(CUSTOMER_LINK in body and "/c/" not in body for body in kept)


def test_the_timeline_shows_a_headline_never_a_message_body(client, sent_link):
    number = sent_link["visit"].case.number
    timeline = client.get(
        f"/api/v1/cases/{number}/timeline", headers=sent_link["readers"]["technician"]
    ).json

    sent = [entry for entry in timeline if entry["channel"] in {"email", "sms"}]
    assert len(sent) == 2
    assert {entry["summary"] for entry in sent} == {
        "Your repair is booked: Monday 2 June 2031 at 09:00 (America/Denver)"
    }
    assert not any(sent_link["sms"][:40] in entry["summary"] for entry in timeline)


def test_no_get_a_technician_or_staff_can_call_returns_a_link_or_token(client, sent_link):
    """Every GET of the published spec, as each role, with the ids of the case that was sent to."""
    reached = _walk_every_get(client, sent_link)

    assert reached["technician"] >= {
        "/api/v1/cases/{number}/timeline",
        "/api/v1/me/visits",
        "/api/v1/me/sync",
        "/api/v1/me/calendar.ics",
        "/api/v1/visits/{visit_id}",
    }
    assert reached["agent"] >= {
        "/api/v1/cases/{number}/timeline",
        "/api/v1/cases/{number}/notifications",
        "/api/v1/cases/{number}",
    }


def _walk_every_get(client, sent_link):
    """Path -> roles that got a 200; asserts no answer carries `/c/` or an issued token."""
    visit, technician = sent_link["visit"], sent_link["technician"]
    calendar = client.post(
        "/api/v1/me/calendar-token", headers=sent_link["readers"]["technician"]
    ).json["token"]
    values = {
        "number": visit.case.number,
        "customer_id": visit.case.customer_id,
        "visit_id": visit.id,
        "technician_id": technician.id,
        "location_id": 1,
        "plan_id": 1,
    }
    query = {
        "/api/v1/me/visits": {"date": MONDAY.isoformat()},
        "/api/v1/me/calendar.ics": {"token": calendar},
        "/api/v1/lookup": {"case": visit.case.number},
    }
    spec = client.get("/api/v1/openapi.json").json
    reached = {role: set() for role in sent_link["readers"]}
    for path, operations in spec["paths"].items():
        if "get" not in operations or "{token}" in path:  # the customer's and file links
            continue
        url = path.format(**values)
        for role, headers in sent_link["readers"].items():
            response = client.get(url, query_string=query.get(path, {}), headers=headers)
            text = response.get_data(as_text=True)
            assert "/c/" not in text, (role, path)
            assert not any(token in text for token in sent_link["tokens"]), (role, path)
            if response.status_code == 200:
                reached[role].add(path)
    return reached
