"""/webhooks and /cases/{number}/notifications: who may use them and what they show."""

from app.extensions import db
from app.notifications.relay import relay_once

PROBLEM = "application/problem+json"


def test_a_channel_system_subscribes_and_gets_its_secret_once(
    client, dispatcher_headers, webhook_receiver
):
    response = client.post(
        "/api/v1/webhooks",
        json={"url": webhook_receiver.url, "events": ["visit.moved", "case.opened"]},
        headers=dispatcher_headers,
    )

    assert response.status_code == 201
    created = response.json
    assert created["secret"].startswith("whsec_")
    assert created["events"] == ["case.opened", "visit.moved"]
    listed = client.get("/api/v1/webhooks", headers=dispatcher_headers).json
    assert [item["id"] for item in listed] == [created["id"]]
    assert "secret" not in listed[0]


def test_subscribing_an_internal_address_is_refused(client, dispatcher_headers):
    for url in ("http://127.0.0.1:5000/x", "http://10.0.0.1/x", "http://169.254.169.254/x"):
        response = client.post(
            "/api/v1/webhooks",
            json={"url": url, "events": ["case.opened"]},
            headers=dispatcher_headers,
        )

        assert response.status_code == 422
        assert response.content_type == PROBLEM
        assert "not a public address" in response.json["errors"]["url"][0]


def test_unknown_events_are_refused(client, dispatcher_headers):
    response = client.post(
        "/api/v1/webhooks",
        json={"url": "https://hooks.example.com/", "events": ["visit.teleported"]},
        headers=dispatcher_headers,
    )

    assert response.status_code == 422
    assert "events" in response.json["errors"]


def test_agents_may_neither_list_nor_make_nor_delete_webhooks(client, agent_headers, subscribe):
    subscription = subscribe()  # the dispatcher's

    listed = client.get("/api/v1/webhooks", headers=agent_headers)
    made = client.post(
        "/api/v1/webhooks",
        json={"url": "https://hooks.example.com/", "events": ["case.opened"]},
        headers=agent_headers,
    )
    deleted = client.delete(f"/api/v1/webhooks/{subscription.id}", headers=agent_headers)

    assert [listed.status_code, made.status_code, deleted.status_code] == [403, 403, 403]
    assert deleted.content_type == PROBLEM
    assert db.session.get(type(subscription), subscription.id) is not None


def test_an_admin_manages_webhooks_as_a_dispatcher_does(client, make_user, headers_for, subscribe):
    headers = headers_for(make_user("admin"))
    subscription = subscribe()

    assert client.get("/api/v1/webhooks", headers=headers).status_code == 200
    assert client.delete(f"/api/v1/webhooks/{subscription.id}", headers=headers).status_code == 204


def test_technicians_may_not_manage_webhooks(client, make_user, headers_for):
    headers = headers_for(make_user("technician"))

    assert client.get("/api/v1/webhooks", headers=headers).status_code == 404


def test_a_deleted_subscription_gets_nothing_more(
    client, dispatcher_headers, subscribe, create_customer, create_case, queue_case_opened
):
    subscription = subscribe()
    (waiting,) = queue_case_opened(create_case(create_customer(phones=[], emails=[])))

    response = client.delete(f"/api/v1/webhooks/{subscription.id}", headers=dispatcher_headers)

    assert response.status_code == 204
    db.session.refresh(waiting)
    assert waiting.status == "cancelled"
    assert client.get("/api/v1/webhooks", headers=dispatcher_headers).json == []
    again = client.delete(f"/api/v1/webhooks/{subscription.id}", headers=dispatcher_headers)
    assert again.status_code == 404


def test_a_case_lists_its_messages_newest_first_with_what_was_sent(
    client, dispatcher_headers, create_customer, create_case, smtp_server, queue_case_opened
):
    case = create_case(create_customer(phones=["+13035550177"], emails=["eve@example.com"]))
    queue_case_opened(case)
    relay_once()
    queue_case_opened(case)  # a second one, still waiting

    response = client.get(
        f"/api/v1/cases/{case.number}/notifications?page_size=2", headers=dispatcher_headers
    )

    assert response.status_code == 200
    assert 'rel="next"' in response.headers["Link"]
    first_page = response.json
    assert [(item["channel"], item["status"]) for item in first_page] == [
        ("sms", "pending"),
        ("email", "pending"),
    ]
    older = client.get(
        f"/api/v1/cases/{case.number}/notifications?page=2&page_size=2",
        headers=dispatcher_headers,
    ).json
    sent_email = next(item for item in older if item["channel"] == "email")
    assert sent_email["status"] == "sent"
    assert sent_email["recipient"] == "eve@example.com"
    assert sent_email["subject"] == f"Your case {case.number}: {case.title}"
    assert sent_email["sent_at"] is not None
    assert sent_email["attempts"] == 1
